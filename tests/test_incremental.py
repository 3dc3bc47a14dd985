"""Rebuilds in one process, as under `mkdocs serve`: caches reuse what did not change, and what did
change shows everywhere it should (no stale venue or tag page)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from conftest import note, write_site

from generator import pipeline
from generator.load.cache import BuildCache


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    later = time.time_ns() + 10_000_000  # a new mtime even on coarse clocks
    os.utime(path, ns=(later, later))


def test_pipeline_cache_reuses_unchanged_notes(tmp_path):
    write_site(tmp_path, {f"osdi/2022/p{i}.md": note(f"P{i}", tags="[a]") for i in range(5)})
    cache = BuildCache()
    first = pipeline.build(tmp_path / "papers", tmp_path, cache)
    assert cache.hits == 0
    assert pipeline.build(tmp_path / "papers", tmp_path, cache) is first  # nothing changed: same result
    _write(tmp_path / "papers/osdi/2022/p1.md", note("P1 renamed", tags="[b]"))
    third = pipeline.build(tmp_path / "papers", tmp_path, cache)
    assert cache.hits == 4 and third is not first
    assert third.catalog.by_id["p1"].title == "P1 renamed"
    assert [t.tag.name for t in third.catalog.tags] == ["a", "b"]
    _write(tmp_path / "papers/osdi/2022/p2.md", note("P2", venue="OSDII"))
    fourth = pipeline.build(tmp_path / "papers", tmp_path, cache)
    assert [p.field for p in fourth.problems] == ["venue"] and "p2" not in fourth.catalog.by_id


def test_body_only_edit_rerenders_one_page_and_matches_a_full_render(tmp_path):
    from generator.render.pages import Page, RenderContext
    from generator.render.site import render_site, rerender_bodies

    notes = {f"osdi/2022/p{i}.md": note(f"P{i}", tags="[a, b]", related="[p0]" if i else "[]", body=f"Body {i}.\n") for i in range(4)}
    notes["paths/must-read.yml"] = "title: M\nsections:\n  - title: S\n    steps: [p0, p1]\n"
    write_site(tmp_path, notes)
    cache = BuildCache()
    old = pipeline.build(tmp_path / "papers", tmp_path, cache)
    rendered = RenderContext(old.catalog)
    old_out = render_site(old.catalog, context=rendered)
    _write(tmp_path / "papers/osdi/2022/p1.md", note("P1", tags="[a, b]", related="[p0]", body="A new body.\n"))
    new = pipeline.build(tmp_path / "papers", tmp_path, cache)
    updated = rerender_bodies(old_out, rendered, new.catalog)
    assert updated == render_site(new.catalog)
    assert [o.src_uri for o, n in zip(old_out, updated, strict=True) if o != n] == ["papers/osdi/2022/p1.md"]
    assert "A new body." in next(o.full_markdown for o in updated if isinstance(o, Page) and o.src_uri.endswith("p1.md"))
    # a tag change is not a body-only edit: everything is rendered again
    _write(tmp_path / "papers/osdi/2022/p1.md", note("P1", tags="[a, c]", related="[p0]", body="A new body.\n"))
    assert rerender_bodies(updated, RenderContext(new.catalog), pipeline.build(tmp_path / "papers", tmp_path, cache).catalog) is None


def test_serve_rebuild_updates_old_and_new_tag_pages(tmp_path):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    notes = {
        "osdi/2022/orca.md": note("Orca", tags="[LLM_serving, batching]", body="## Notes\n\nFirst version.\n"),
        "osdi/2022/reef.md": note("REEF", tags="[GPU_sharing]"),
        "sosp/2023/vllm.md": note("vLLM", venue="SOSP", year=2023, tags="[LLM_serving]"),
    }
    write_site(tmp_path, notes)
    site = tmp_path / "site"

    def rebuild() -> None:
        config = load_config(str(tmp_path / "mkdocs.yml"))
        build(config, dirty=True)

    startup = load_config(str(tmp_path / "mkdocs.yml"))
    startup.plugins.on_startup(command="serve", dirty=True)  # the plugin object now lives across builds
    try:
        _edit_and_rebuild(tmp_path, site, rebuild)
    finally:  # the plugin object is shared by the whole process: leave it as a plain build would
        startup.plugins.on_startup(command="build", dirty=False)


def _edit_and_rebuild(tmp_path: Path, site: Path, rebuild) -> None:
    rebuild()
    reef_page = site / "papers/osdi/2022/reef/index.html"
    reef_mtime = reef_page.stat().st_mtime_ns
    assert "orca/" in (site / "tags/batching/index.html").read_text(encoding="utf-8")

    # change Orca's tags and body: the old tag page loses it, the new one gains it
    _write(tmp_path / "papers/osdi/2022/orca.md",
           note("Orca", tags="[LLM_serving, iteration-level_scheduling]", body="## Notes\n\nSecond version.\n"))
    rebuild()
    assert "Second version." in (site / "papers/osdi/2022/orca/index.html").read_text(encoding="utf-8")
    new_tag = (site / "tags/iteration-level-scheduling/index.html").read_text(encoding="utf-8")
    assert "papers/osdi/2022/orca/" in new_tag
    tags_index = (site / "tags/index.html").read_text(encoding="utf-8")
    assert "batching/" not in tags_index and "iteration-level-scheduling/" in tags_index
    # the old tag's page is gone from the catalog; its stale file must not be linked from anywhere
    for page in site.rglob("*.html"):
        assert 'href="../tags/batching/"' not in page.read_text(encoding="utf-8")
    # a page whose content did not change was not written again
    assert reef_page.stat().st_mtime_ns == reef_mtime

    # a title change reaches the venue-year page
    _write(tmp_path / "papers/sosp/2023/vllm.md", note("PagedAttention", venue="SOSP", year=2023, tags="[LLM_serving]"))
    rebuild()
    assert "PagedAttention" in (site / "venues/sosp/2023/index.html").read_text(encoding="utf-8")
    assert "PagedAttention" in (site / "tags/llm-serving/index.html").read_text(encoding="utf-8")


def test_notes_found_from_the_serve_scan_are_the_notes_a_build_finds(tmp_path):
    from generator.load.cache import scan
    from generator.load.notes import find_notes

    papers = tmp_path / "papers"
    for rel in ["osdi/2022/a.md", "osdi/2022/b.bib", "README.md", "osdi/README.md", ".hidden/x.md", "osdi/.draft.md",
                "sosp/2023/z.md", "sosp/2023/notes.txt", "算子/c.md"]:  # fmt: skip
        (papers / rel).parent.mkdir(parents=True, exist_ok=True)
        (papers / rel).write_text("x", encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "y.md").write_text("x", encoding="utf-8")
    (papers / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    walked = find_notes(papers)
    assert [p.relative_to(papers).as_posix() for p in walked] == ["osdi/2022/a.md", "sosp/2023/z.md", "算子/c.md"]
    assert find_notes(papers, [rel for rel, _, _ in scan(papers)]) == walked
