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
    _write(
        tmp_path / "papers/osdi/2022/orca.md",
        note("Orca", tags="[LLM_serving, iteration-level_scheduling]", body="## Notes\n\nSecond version.\n"),
    )
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


def _incremental_site(tmp_path: Path) -> dict[str, str]:
    """Eight notes: two share tags with p0, two are linked to it (related, builds_on, a path), the rest unrelated."""
    notes = {
        "osdi/2022/p0.md": note("P0", tags="[serving, batching]", body="Body 0.\n"),
        "osdi/2022/p1.md": note("P1", tags="[serving]"),  # shares a tag with p0
        "sosp/2023/p2.md": note("P2", venue="SOSP", year=2023, tags="[batching, memory]"),  # shares a tag with p0
        "sosp/2023/p3.md": note("P3", venue="SOSP", year=2023, tags="[compilers]", related="[p0]"),  # names p0
        "atc/2021/p4.md": note("P4", venue="ATC", year=2021, tags="[storage]", builds_on="[p5]"),
        "atc/2021/p5.md": note("P5", venue="ATC", year=2021, tags="[storage, networking]"),
        "atc/2020/p6.md": note("P6", venue="ATC", year=2020, tags="[networking]", body="See [@p0].\n"),  # cites p0
        "nsdi/2020/p7.md": note("P7", venue="NSDI", year=2020, tags="[scheduling]"),
        "paths/must-read.yml": "title: M\nsections:\n  - title: S\n    steps: [p0, p7]\n",  # p7 is on p0's path
    }
    write_site(tmp_path, notes)
    return notes


def _paper_page(outputs, name: str):
    from generator.render.pages import Page

    return next(o for o in outputs if isinstance(o, Page) and o.src_uri.endswith(f"/{name}.md"))


def test_tag_edit_rerenders_the_pages_that_show_it_and_matches_a_full_render(tmp_path):
    from generator.render import incremental
    from generator.render.pages import Page, RenderContext
    from generator.render.site import render_site

    _incremental_site(tmp_path)
    cache = BuildCache()
    old = pipeline.build(tmp_path / "papers", tmp_path, cache)
    old_ctx = RenderContext(old.catalog)
    old_out = render_site(old.catalog, context=old_ctx)
    _write(tmp_path / "papers/osdi/2022/p0.md", note("P0", tags="[serving, continuous_batching]", body="Body 0.\n"))
    new = pipeline.build(tmp_path / "papers", tmp_path, cache)
    found = incremental.plan(old.catalog, new.catalog)
    assert found is not None and found.changed == {"p0"}
    # p1 and p2 share a tag with p0 (before or after), p3, p6 and p7 are linked to it; p4 and p5 are not
    assert found.pages == {"p0", "p1", "p2", "p3", "p6", "p7"}
    rerendered = incremental.rerender(old_out, old_ctx, new.catalog)
    assert rerendered is not None
    updated, new_ctx = rerendered
    assert new_ctx.catalog is new.catalog
    full = render_site(new.catalog)
    assert updated == full  # byte for byte what a full render gives
    assert [o.src_uri if isinstance(o, Page) else o.path for o in updated] == [o.src_uri if isinstance(o, Page) else o.path for o in full]
    for name in ("p4", "p5"):  # unrelated: the very page of the last render, not rendered again
        assert _paper_page(updated, name) is _paper_page(old_out, name)
    for name in ("p0", "p1", "p2"):
        assert _paper_page(updated, name) is not _paper_page(old_out, name)
    pages = {o.src_uri: o for o in updated if isinstance(o, Page)}
    old_pages = {o.src_uri: o for o in old_out if isinstance(o, Page)}
    assert "tags/continuous-batching/index.md" in pages and "tags/continuous-batching/index.md" not in old_pages
    assert "p0" in pages["tags/continuous-batching/index.md"].full_markdown
    assert "p0/" not in pages["tags/batching/index.md"].full_markdown and "p0/" in old_pages["tags/batching/index.md"].full_markdown
    assert "continuous-batching/" in pages["tags/index.md"].full_markdown
    assert "continuous_batching" in _paper_page(updated, "p0").full_markdown
    assert "continuous_batching" in pages["venues/osdi/2022/index.md"].full_markdown  # the edition's listing shows the tag
    assert found.tags == {"serving", "batching", "continuous-batching"}
    assert pages["tags/storage/index.md"] is old_pages["tags/storage/index.md"]  # no paper of it changed: not rendered again
    assert pages["tags/memory/index.md"] is old_pages["tags/memory/index.md"]  # p2's other tag: p2 did not change
    assert pages["tags/serving/index.md"] is not old_pages["tags/serving/index.md"]
    assert pages["venues/atc/2021/index.md"] is old_pages["venues/atc/2021/index.md"]  # no paper of it changed
    assert pages["venues/osdi/2022/index.md"] is not old_pages["venues/osdi/2022/index.md"]
    # listings cut into pages of one paper: the kept tag pages are all of a tag's pages, in order
    paged_ctx = RenderContext(old.catalog)
    paged_out = incremental.rerender(render_site(old.catalog, page_size=1, context=paged_ctx), paged_ctx, new.catalog, page_size=1)
    assert paged_out is not None
    paged = paged_out[0]
    assert paged == render_site(new.catalog, page_size=1)
    assert any(isinstance(o, Page) and o.src_uri == "tags/storage/page/2/index.md" for o in paged)


def test_title_edit_reaches_linked_pages_and_matches_a_full_render(tmp_path):
    from generator.render import incremental
    from generator.render.pages import RenderContext
    from generator.render.site import render_site

    _incremental_site(tmp_path)
    cache = BuildCache()
    old = pipeline.build(tmp_path / "papers", tmp_path, cache)
    old_ctx = RenderContext(old.catalog)
    old_out = render_site(old.catalog, context=old_ctx)
    _write(tmp_path / "papers/osdi/2022/p0.md", note("Renamed Zero", tags="[serving, batching]", body="Body 0.\n"))
    new = pipeline.build(tmp_path / "papers", tmp_path, cache)
    rerendered = incremental.rerender(old_out, old_ctx, new.catalog)
    assert rerendered is not None
    updated = rerendered[0]
    assert updated == render_site(new.catalog)
    for name in ("p3", "p6", "p7", "p1"):  # related, cited by, on its path, sharing a tag: they show its title
        assert "Renamed Zero" in _paper_page(updated, name).full_markdown, name
    assert _paper_page(updated, "p5") is _paper_page(old_out, "p5")


def test_structural_edits_fall_back_to_a_full_render(tmp_path):
    from generator.render import incremental

    _incremental_site(tmp_path)
    cache = BuildCache()
    old = pipeline.build(tmp_path / "papers", tmp_path, cache).catalog
    for rel, text in [("osdi/2022/p0.md", note("P0", venue="SOSP", year=2023, tags="[serving]")),  # moved
                      ("atc/2021/p4.md", note("P4", venue="ATC", year=2021, tags="[storage]")),  # a relation dropped
                      ("atc/2020/p6.md", note("P6", venue="ATC", year=2020, tags="[networking]", body="No citation.\n")),
                      ("nsdi/2020/p8.md", note("P8", venue="NSDI", year=2020))]:  # fmt: skip
        _write(tmp_path / "papers" / rel, text)
        new = pipeline.build(tmp_path / "papers", tmp_path, cache).catalog
        assert incremental.plan(old, new) is None, rel
        old = new


def test_a_new_alias_spelling_renders_in_full(tmp_path):
    """A tag's other spellings (tags.yml) are on every page of its papers and on its tag page."""
    from generator.render import incremental

    _incremental_site(tmp_path)
    cache = BuildCache()
    old = pipeline.build(tmp_path / "papers", tmp_path, cache).catalog
    _write(tmp_path / "papers/tags.yml", "aliases:\n  serving: [model_serving]\n")
    new = pipeline.build(tmp_path / "papers", tmp_path, cache).catalog
    assert new.tag_aliases and new.tag_aliases != old.tag_aliases
    assert incremental.plan(old, new) is None


def test_a_paper_sharing_a_tag_is_kept_when_its_related_block_does_not_show_the_edited_one(tmp_path):
    """Eight papers share two tags with each other and one with p0: p0 is in none of their "Sharing
    the most tags" blocks (five places), so a tag edit on p0 leaves their pages as they were."""
    from generator.render import incremental
    from generator.render.pages import RenderContext
    from generator.render.site import render_site

    notes = {"osdi/2022/p0.md": note("P0", tags="[common]", body="Body.\n")}
    notes |= {f"sosp/2023/q{i}.md": note(f"Q{i}", venue="SOSP", year=2023, tags="[common, pair]") for i in range(8)}
    write_site(tmp_path, notes)
    cache = BuildCache()
    old = pipeline.build(tmp_path / "papers", tmp_path, cache)
    old_ctx = RenderContext(old.catalog)
    old_out = render_site(old.catalog, context=old_ctx)
    _write(tmp_path / "papers/osdi/2022/p0.md", note("P0", tags="[common, fresh]", body="Body.\n"))
    new = pipeline.build(tmp_path / "papers", tmp_path, cache)
    found = incremental.plan(old.catalog, new.catalog)
    assert found is not None and found.pages == {"p0"}
    rerendered = incremental.rerender(old_out, old_ctx, new.catalog)
    assert rerendered is not None
    assert rerendered[0] == render_site(new.catalog)
    assert _paper_page(rerendered[0], "q3") is _paper_page(old_out, "q3")
