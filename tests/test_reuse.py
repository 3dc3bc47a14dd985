"""What an engine keeps between the builds of one process (a watch loop): the render outputs and
the search index, as core classes any engine can use."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from conftest import note, write_site

from generator import pipeline
from generator.finish import search
from generator.load.cache import BuildCache
from generator.render.pages import Page
from generator.render.reuse import RenderCache
from generator.render.site import render_site

SETTINGS = {"site_url": "https://example.org/", "site_name": "Notes", "page_size": 50}


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    later = time.time_ns() + 10_000_000  # a new mtime even on coarse clocks
    os.utime(path, ns=(later, later))


def test_render_cache_reuses_outputs_and_rerenders_only_changed_bodies(tmp_path):
    write_site(tmp_path, {f"osdi/2022/p{i}.md": note(f"P{i}", tags="[a]", body=f"Body {i}.\n") for i in range(3)})
    cache, renders = BuildCache(), RenderCache()
    first = renders.render(pipeline.build(tmp_path / "papers", tmp_path, cache), **SETTINGS)
    assert renders.render(pipeline.build(tmp_path / "papers", tmp_path, cache), **SETTINGS) is first  # no note changed
    _write(tmp_path / "papers/osdi/2022/p1.md", note("P1", tags="[a]", body="A new body.\n"))
    result = pipeline.build(tmp_path / "papers", tmp_path, cache)
    second = renders.render(result, **SETTINGS)
    assert second == render_site(result.catalog, **SETTINGS)
    assert [o.src_uri for o, n in zip(first, second, strict=True) if o is not n] == ["papers/osdi/2022/p1.md"]
    # another setting renders everything again
    third = renders.render(result, **{**SETTINGS, "site_name": "Other"})
    assert all(o is not n for o, n in zip(second, third, strict=True) if isinstance(o, Page))


def test_render_cache_rerenders_only_the_pages_a_tag_edit_reaches(tmp_path):
    notes = {f"osdi/2022/p{i}.md": note(f"P{i}", tags="[a]", body=f"Body {i}.\n") for i in range(2)}
    notes["atc/2020/q.md"] = note("Q", venue="ATC", year=2020, tags="[other]")
    write_site(tmp_path, notes)
    cache, renders = BuildCache(), RenderCache()
    first = renders.render(pipeline.build(tmp_path / "papers", tmp_path, cache), **SETTINGS)
    _write(tmp_path / "papers/osdi/2022/p1.md", note("P1", tags="[a, fresh]", body="Body 1.\n"))
    result = pipeline.build(tmp_path / "papers", tmp_path, cache)
    second = renders.render(result, **SETTINGS)
    assert second == render_site(result.catalog, **SETTINGS)
    pages = {o.src_uri: o for o in second if isinstance(o, Page)}
    before = {o.src_uri: o for o in first if isinstance(o, Page)}
    assert "tags/fresh/index.md" in pages
    assert pages["papers/atc/2020/q.md"] is before["papers/atc/2020/q.md"]  # not reached by the edit: kept
    assert pages["tags/other/index.md"] is before["tags/other/index.md"]
    assert pages["papers/osdi/2022/p1.md"] is not before["papers/osdi/2022/p1.md"]


def test_a_render_cache_that_keeps_nothing_renders_each_time(tmp_path):
    write_site(tmp_path, {"osdi/2022/p.md": note("P")})
    result = pipeline.build(tmp_path / "papers", tmp_path, BuildCache())
    renders = RenderCache(keep=False)
    first = renders.render(result, **SETTINGS)
    assert renders.render(result, **SETTINGS) is not first and renders.last is None


def test_index_once_indexes_the_first_build_and_copies_it_back_later(tmp_path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    page = '<html lang="en"><body><article class="md-content__inner md-typeset"><h1>Preemption</h1><p>{}</p></article></body></html>'
    (site / "a" / "index.html").write_text(page.format("microsecond scale"), encoding="utf-8")
    once = search.IndexOnce()
    found = once.index(site)
    assert found is not None and found.pages == 1 and (site / search.OUTPUT / "pagefind-entry.json").is_file()
    first = {p.relative_to(site).as_posix(): p.read_bytes() for p in (site / search.OUTPUT).rglob("*") if p.is_file()}
    shutil.rmtree(site / search.OUTPUT)  # a rebuild cleaned the site folder
    (site / "a" / "index.html").write_text(page.format("something else"), encoding="utf-8")
    assert once.index(site) is None  # not indexed again
    again = {p.relative_to(site).as_posix(): p.read_bytes() for p in (site / search.OUTPUT).rglob("*") if p.is_file()}
    assert again == first
