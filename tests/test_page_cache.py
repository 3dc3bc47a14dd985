"""Converted pages kept across builds (generator/engines/mkdocs_page_cache.py): a build that finds
them makes the same site, converts only what changed, and still reports every broken link."""

from __future__ import annotations

import filecmp
import re
import shutil
from pathlib import Path

import pytest
from conftest import MKDOCS_YML, note, run_mkdocs, write_site
from pymdownx.slugs import slugify

from generator.engines.cache_keys import Unkeyable, plain

NOTES = {
    "osdi/2022/alpha.md": note("Alpha", tags="[gpu]", body="# Alpha notes\n\n## Design\n\nSee [Beta](beta.md#design).\n"),
    "osdi/2022/beta.md": note("Beta", tags="[gpu, llm]", body="## Design\n\nBeta **text**.\n"),
    "nsdi/2021/gamma.md": note("Gamma", venue="NSDI", year=2021, tags="[llm]", body="Gamma body.\n"),
}


def counts(log: str) -> tuple[int, int]:
    found = re.search(r"converted pages: (\d+) kept, (\d+) converted", log)
    assert found, log[-2000:]
    return int(found.group(1)), int(found.group(2))


def same_site(a: Path, b: Path) -> list[str]:
    """Files that differ or exist on one side only."""
    diff: list[str] = []

    def walk(cmp: filecmp.dircmp[str], prefix: str) -> None:
        diff.extend(prefix + name for name in cmp.left_only + cmp.right_only + cmp.diff_files + cmp.funny_files)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(a, b), "")
    return diff


def build(root: Path, *args: str):
    result = run_mkdocs(root, "--strict", "-v", *args)
    assert result.returncode == 0, result.log[-3000:]
    return result


def test_a_second_build_converts_nothing_and_makes_the_same_site(tmp_path: Path) -> None:
    write_site(tmp_path, NOTES)
    first = build(tmp_path)
    kept, converted = counts(first.log)
    assert kept == 0 and converted >= 10  # three papers, their tags, venues, editions
    shutil.copytree(tmp_path / "site", tmp_path / "first")
    second = build(tmp_path)
    assert counts(second.log) == (converted, 0)
    assert same_site(tmp_path / "first", tmp_path / "site") == []
    assert list((tmp_path / ".cache" / "reading-notes" / "pages").glob("*/*.json"))


def test_an_edited_note_is_converted_again_and_shows_the_edit(tmp_path: Path) -> None:
    write_site(tmp_path, NOTES)
    _kept, converted = counts(build(tmp_path).log)
    edited = NOTES["nsdi/2021/gamma.md"].replace("Gamma body.", "Gamma body, *edited*.")
    (tmp_path / "papers" / "nsdi" / "2021" / "gamma.md").write_text(edited, encoding="utf-8")
    again = build(tmp_path)
    assert counts(again.log) == (converted - 1, 1)  # the lists that show it take it from slots, not Markdown
    assert "Gamma body, <em>edited</em>." in again.html("papers/nsdi/2021/gamma")


def test_a_kept_page_whose_link_target_is_gone_warns_again(tmp_path: Path) -> None:
    notes = {**NOTES, "nsdi/2021/gamma.md": note("Gamma", venue="NSDI", year=2021, body="[Guide](../../../guide.md)\n")}
    write_site(tmp_path, notes, docs={"guide.md": "# Guide\n"})
    first = run_mkdocs(tmp_path, "--strict")  # not -v: the same kind of build as the next one
    assert first.returncode == 0 and 'href="../../../../guide/"' in first.html("papers/nsdi/2021/gamma")
    (tmp_path / "docs" / "guide.md").unlink()  # gamma's own page is the same: only its link's target is gone
    broken = run_mkdocs(tmp_path, "--strict")
    assert broken.returncode != 0
    assert "contains a link '../../../guide.md'" in broken.log


def test_a_page_that_logged_a_warning_is_not_kept(tmp_path: Path) -> None:
    notes = {**NOTES, "nsdi/2021/gamma.md": note("Gamma", venue="NSDI", year=2021, body="See [x](missing.md).\n")}
    write_site(tmp_path, notes)
    for _ in range(2):  # the second build converts it again, and warns again
        failed = run_mkdocs(tmp_path, "--strict")
        assert failed.returncode != 0
        assert "contains a link 'missing.md'" in failed.log


def test_anchor_links_are_still_checked_from_kept_pages(tmp_path: Path) -> None:
    yml = MKDOCS_YML + "validation:\n  anchors: warn\n"
    write_site(tmp_path, NOTES, mkdocs_yml=yml)
    build(tmp_path)  # with -v, which keeps no links to anchors: not used by the builds below
    assert run_mkdocs(tmp_path, "--strict").returncode == 0  # without -v: MkDocs records links to anchors
    beta = NOTES["osdi/2022/beta.md"].replace("## Design", "## Other")
    (tmp_path / "papers" / "osdi" / "2022" / "beta.md").write_text(beta, encoding="utf-8")
    failed = run_mkdocs(tmp_path, "--strict")  # alpha comes from the cache, and its link is still checked
    assert failed.returncode != 0
    assert "does not contain an anchor '#design'" in failed.log


def test_a_changed_markdown_setting_converts_everything_again(tmp_path: Path) -> None:
    write_site(tmp_path, NOTES)
    _kept, converted = counts(build(tmp_path).log)
    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML.replace("permalink: true", "permalink: '#'"), encoding="utf-8")
    again = build(tmp_path)
    assert counts(again.log) == (0, converted)
    assert 'class="headerlink" href="#design" title="Permanent link">#</a>' in again.html("papers/osdi/2022/beta")


def test_entries_no_build_uses_are_removed(tmp_path: Path) -> None:
    write_site(tmp_path, NOTES)
    build(tmp_path)
    (tmp_path / ".cache" / "reading-notes" / "zensical").mkdir()
    (tmp_path / ".cache" / "reading-notes" / "zensical" / "keep.json").write_text("{}", encoding="utf-8")
    before = len(list((tmp_path / ".cache" / "reading-notes" / "pages").glob("*/*.json")))
    (tmp_path / "papers" / "nsdi" / "2021" / "gamma.md").unlink()
    assert run_mkdocs(tmp_path, "-v").returncode == 0
    after = len(list((tmp_path / ".cache" / "reading-notes" / "pages").glob("*/*.json")))
    assert 0 < after < before
    assert (tmp_path / ".cache" / "reading-notes" / "zensical" / "keep.json").is_file()  # Zensical's folder is not ours


def test_no_cache_folder_when_switched_off(tmp_path: Path) -> None:
    yml = MKDOCS_YML.replace("  - reading-notes", "  - reading-notes:\n      cache_dir: ''")
    write_site(tmp_path, NOTES, mkdocs_yml=yml)
    first = build(tmp_path)
    assert counts(first.log)[0] == 0
    assert not (tmp_path / ".cache").exists()
    assert counts(build(tmp_path).log)[0] == 0  # a new process: nothing kept


def test_settings_that_json_cannot_write_are_named_the_same_in_every_build() -> None:
    class Formatter:
        pass

    def factory(case: str):
        def slug(text: str) -> str:
            return text.lower() if case == "lower" else text

        return slug

    assert plain(same_site) == "test_page_cache.same_site"
    assert plain(Path("a")) == "a"
    assert plain(slugify(case="lower")) == plain(slugify(case="lower"))  # a partial: its function and arguments
    assert plain(slugify(case="lower")) != plain(slugify(case="none"))
    assert plain(factory("lower")) != plain(factory("none"))  # a closure: its values too
    with pytest.raises(Unkeyable):  # an object of unknown kind: no key stands for it
        plain(Formatter())
    with pytest.raises(Unkeyable):
        plain({"format": [Formatter()]})


def test_the_order_of_the_markdown_extensions_is_in_the_key(tmp_path: Path) -> None:
    from mkdocs.config import load_config

    from generator.engines.mkdocs_page_cache import settings_digest

    def digest(extensions: str) -> str:
        (tmp_path / "docs").mkdir(exist_ok=True)
        (tmp_path / "mkdocs.yml").write_text(f"site_name: x\nmarkdown_extensions: [{extensions}]\n", encoding="utf-8")
        return settings_digest(load_config(str(tmp_path / "mkdocs.yml")))

    assert digest("attr_list, md_in_html") == digest("attr_list, md_in_html")
    assert digest("attr_list, md_in_html") != digest("md_in_html, attr_list")


def test_a_changed_slugify_argument_converts_everything_again(tmp_path: Path) -> None:
    """mkdocs-material's documented `slugify: !!python/object/apply:pymdownx.slugs.slugify` is a
    functools.partial: its arguments are part of the key (they were not: the kept pages kept the old ids)."""
    yml = MKDOCS_YML.replace(
        "      permalink: true", "      permalink: true\n      slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}"
    )
    notes = {"osdi/2022/beta.md": note("Beta", tags="[gpu]", body="## Key Design\n\nBeta text.\n")}
    write_site(tmp_path, notes, mkdocs_yml=yml)
    first = build(tmp_path)
    assert 'id="key-design"' in first.html("papers/osdi/2022/beta")
    (tmp_path / "mkdocs.yml").write_text(yml.replace("case: lower", "case: none"), encoding="utf-8")
    again = build(tmp_path)
    assert counts(again.log)[0] == 0
    assert 'id="Key-Design"' in again.html("papers/osdi/2022/beta")
    third = build(tmp_path)
    kept, converted = counts(third.log)
    assert kept > 0 and converted == 0  # and kept again under the new setting …
    finished = re.search(r"finished pages: (\d+) kept, (\d+) rendered", third.log)
    assert finished and int(finished.group(1)) > 0 and finished.group(2) == "0", third.log[-2000:]  # … as are finished pages


def test_a_markdown_setting_of_unknown_kind_keeps_no_page(tmp_path: Path) -> None:
    """An object in the Markdown settings has no key: every page is converted, as MkDocs does."""
    hook = tmp_path / "hooks.py"
    hook.write_text(
        "from markdown.extensions.toc import slugify\n\n\nclass Slug:\n"
        "    def __call__(self, value, separator):\n        return slugify(value, separator)\n\n\n"
        "def on_config(config):\n    config.mdx_configs['toc']['slugify'] = Slug()\n    return config\n",
        encoding="utf-8",
    )
    write_site(tmp_path, NOTES, mkdocs_yml=MKDOCS_YML + "hooks: [hooks.py]\n")
    first = build(tmp_path)
    assert "none kept (a Markdown setting is an object" in first.log
    assert not list((tmp_path / ".cache" / "reading-notes" / "pages").glob("*/*.json"))
    assert "Beta <strong>text</strong>" in first.html("papers/osdi/2022/beta")


def workers(count: int, cache_dir: str | None = "''") -> str:
    """mkdocs.yml with ``workers: count`` (and the cache folder given, None: the default one)."""
    folder = f"\n      cache_dir: {cache_dir}" if cache_dir is not None else ""
    return MKDOCS_YML.replace("  - reading-notes", f"  - reading-notes:{folder}\n      workers: {count}")


def test_pages_converted_ahead_in_workers_make_the_same_site(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir(), two.mkdir()
    write_site(one, NOTES, mkdocs_yml=workers(1))
    write_site(two, NOTES, mkdocs_yml=workers(2))
    alone = build(one)
    shared = build(two)
    assert "converted pages: 0 in 1 processes ahead" in alone.log
    ahead = re.search(r"converted pages: (\d+) in 2 processes ahead", shared.log)
    assert ahead and int(ahead.group(1)) == counts(alone.log)[1]
    assert counts(shared.log)[1] == 0  # MkDocs' own loop found every page converted
    assert same_site(one / "site", two / "site") == []


def test_a_warning_from_a_worker_shows_once_and_fails_strict(tmp_path: Path) -> None:
    notes = {**NOTES, "nsdi/2021/gamma.md": note("Gamma", venue="NSDI", year=2021, body="See [x](missing.md).\n")}
    write_site(tmp_path, notes, mkdocs_yml=workers(2))
    failed = run_mkdocs(tmp_path, "--strict")
    assert failed.returncode != 0
    assert failed.log.count("contains a link 'missing.md'") == 1, failed.log


# --- The last build's rendering, saved for the next build (render/reuse.py save/load)


def test_the_next_build_renders_from_the_saved_rendering_the_same_site_as_a_fresh_one(tmp_path: Path) -> None:
    kept, fresh = tmp_path / "kept", tmp_path / "fresh"
    kept.mkdir(), fresh.mkdir()
    write_site(kept, NOTES)
    build(kept)
    assert (kept / ".cache" / "reading-notes" / "rendered.pickle").is_file()
    edits = {  # a tag added (pages that show gamma re-rendered), a body edited, a title changed
        "nsdi/2021/gamma.md": note("Gamma", venue="NSDI", year=2021, tags="[llm, gpu]", body="Gamma body.\n"),
        "osdi/2022/beta.md": NOTES["osdi/2022/beta.md"].replace("Beta **text**", "Beta **new text**"),
        "osdi/2022/alpha.md": NOTES["osdi/2022/alpha.md"].replace('title: "Alpha"', 'title: "Alpha Two"'),
    }
    applied = dict(NOTES)
    hows = []
    for rel, text in edits.items():  # one after another, each build from the last one's rendering
        (kept / "papers" / rel).write_text(text, encoding="utf-8")
        applied[rel] = text
        write_site(fresh, applied)
        hows.append(re.search(r"rendered (.+)", build(kept).log).group(1))  # type: ignore[union-attr]
        shutil.rmtree(fresh / "site", ignore_errors=True)
        build(fresh)
        shutil.rmtree(fresh / ".cache")  # fresh: no saved rendering, no converted pages
        assert same_site(fresh / "site", kept / "site") == [], rel
    assert hows == ["the pages that show what changed", "the changed bodies", "the pages that show what changed"]


def test_a_saved_rendering_from_other_code_or_cut_short_is_not_used(tmp_path: Path) -> None:
    from generator.render.reuse import RenderCache, code_digest

    path = tmp_path / "rendered.pickle"
    path.write_bytes(b"0" * 64 + b"\n" + b"not a pickle")
    assert RenderCache().load(path) is False  # other code's
    path.write_bytes(code_digest().encode() + b"\n" + b"\x80\x05\x95")  # this code's, cut short
    assert RenderCache().load(path) is False
    assert RenderCache().load(tmp_path / "none.pickle") is False


def test_a_rendering_that_cannot_be_saved_leaves_no_file_and_says_so(tmp_path: Path) -> None:
    from generator.render.reuse import RenderCache

    cache = RenderCache()
    cache.last = object()  # type: ignore[assignment]  # stands for the rendering: any object pickle takes
    assert cache.save(tmp_path / "ok.pickle") is True
    cache.last = (lambda: None,)  # type: ignore[assignment]  # one pickle refuses
    assert cache.save(tmp_path / "no.pickle") is False
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ok.pickle"]  # no .tmp left


def test_no_page_is_kept_when_an_extension_reads_other_files(tmp_path: Path) -> None:
    yml = MKDOCS_YML.replace("  - admonition", "  - admonition\n  - pymdownx.snippets")
    write_site(tmp_path, NOTES, mkdocs_yml=yml)
    for _ in range(2):
        built = run_mkdocs(tmp_path, "-v")  # not --strict: the plugin warns about such an extension
        assert built.returncode == 0, built.log[-2000:]
        assert counts(built.log) == (0, 0)  # MkDocs converted every page itself
    assert not list((tmp_path / ".cache" / "reading-notes" / "pages").glob("*/*.json"))


# --- The nav's list rendered once for the pages outside the nav whose links to it read the same


def nav_links(html: str) -> dict[str, str]:
    found = re.findall(r'<a href="([^"]*)" class="md-nav__link[^"]*">\s*<span class="md-ellipsis">\s*([^<]+?)\s*</span>', html)
    return {title: href for href, title in found}


def test_pages_outside_the_nav_link_to_it_from_where_they_are(tmp_path: Path) -> None:
    write_site(tmp_path, NOTES)
    built = build(tmp_path)
    # the same depth, other links: a memo keyed by depth alone would give one of them the other's
    assert nav_links(built.html("tags/gpu"))["Tags"] == "../"
    assert nav_links(built.html("venues/osdi"))["Tags"] == "../../tags/"
    assert nav_links(built.html("papers/osdi/2022/alpha"))["Tags"] == "../../../../tags/"
    assert nav_links(built.html("papers/nsdi/2021/gamma"))["Venues"] == "../../../../venues/"
    tags = built.html("tags")  # in the nav: its own entry is the active one
    assert re.search(r'<a href="./" class="md-nav__link md-nav__link--active">', tags)
    assert "md-nav__link--active" not in built.html("tags/gpu")
