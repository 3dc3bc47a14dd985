"""Finished pages kept across builds (generator/engines/mkdocs_output_cache.py): a build that finds a
page's every input unchanged writes the page it finished last time; after any edit, of a note, of
mkdocs.yml, of a template or of a hook, the site is byte for byte the one a fresh build makes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import note, run_mkdocs, write_site
from test_page_cache import same_site, workers

from generator.engines.mkdocs_output_cache import OutputPack, Unkeyable, plain

NOTES = {
    "osdi/2022/alpha.md": note("Alpha", tags="[gpu]", body="# Alpha notes\n\n## Design\n\nAlpha text.\n"),
    "osdi/2022/beta.md": note("Beta", tags="[gpu, llm]", body="## Design\n\nBeta **text**.\n"),
    "nsdi/2021/gamma.md": note("Gamma", venue="NSDI", year=2021, tags="[llm]", body="Gamma body.\n"),
}
PACK = Path(".cache/reading-notes/output.pack")


def finished(log: str) -> tuple[int, int]:
    found = re.search(r"finished pages: (\d+) kept, (\d+) rendered", log)
    assert found, log[-2000:]
    return int(found.group(1)), int(found.group(2))


def build(root: Path) -> str:
    result = run_mkdocs(root, "--strict", "-v")
    assert result.returncode == 0, result.log[-3000:]
    return result.log


def fresh(root: Path, tmp: Path) -> Path:
    """The same site built from scratch (a copy with no cache folder) into ``tmp/fresh``."""
    copy = tmp / "fresh-src"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".cache", "site"))
    result = run_mkdocs(copy, "--strict", "-v")
    assert result.returncode == 0, result.log[-3000:]
    assert finished(result.log)[0] == 0
    return copy / "site"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site-src"
    root.mkdir()
    write_site(root, NOTES)
    return root


def test_a_second_build_keeps_every_finished_page_and_makes_the_same_site(site: Path, tmp_path: Path) -> None:
    kept, rendered = finished(build(site))
    assert kept == 0 and rendered >= 8  # three papers, their tags, venues, editions
    shutil.copytree(site / "site", tmp_path / "first")
    assert finished(build(site)) == (rendered, 0)
    assert same_site(tmp_path / "first", site / "site") == []
    assert (site / PACK).stat().st_size > 10_000


@pytest.mark.parametrize(
    ("path", "old", "new", "most"),
    [
        ("papers/nsdi/2021/gamma.md", "Gamma body.", "Gamma body, *edited*.", 1),  # its own page only
        ("papers/nsdi/2021/gamma.md", 'title: "Gamma"', 'title: "Gamma Renamed"', None),  # listings show titles
        ("papers/osdi/2022/beta.md", "tags: [gpu, llm]", "tags: [gpu, llm, serving]", None),  # a new tag page
        ("papers/nsdi/2021/gamma.md", "tags: [llm]", "tags: [gpu, llm]", None),  # Alpha's related papers
        ("mkdocs.yml", "site_name: Fixture notes", "site_name: Other name", 0),  # in every page's header
        ("mkdocs.yml", "  font: false", "  font: false\n  features: [navigation.top]", 0),
        ("mkdocs.yml", "  - admonition\n", "  - admonition\nextra:\n  generator: false\n", 0),  # no "Made with"
        ("mkdocs.yml", "  - admonition\n", "  - admonition\ncopyright: Copyright © the readers\n", 0),
    ],
)
def test_after_an_edit_the_site_is_the_one_a_fresh_build_makes(
    site: Path, tmp_path: Path, path: str, old: str, new: str, most: int | None
) -> None:
    total = finished(build(site))[1]
    edit(site / path, old, new)
    kept, rendered = finished(build(site))
    assert same_site(fresh(site, tmp_path), site / "site") == []
    if most == 0:
        assert kept == 0  # a setting every page shows: none is kept
    elif most is not None:
        assert rendered <= most and kept == total - rendered


def test_an_override_template_edit_shows_on_every_page(site: Path, tmp_path: Path) -> None:
    edit(site / "mkdocs.yml", "  font: false\n", "  font: false\n  custom_dir: overrides\n")
    partial = site / "overrides" / "partials" / "copyright.html"
    partial.parent.mkdir(parents=True)
    partial.write_text('<div class="md-copyright">First words</div>\n', encoding="utf-8")
    build(site)
    partial.write_text('<div class="md-copyright">Second words</div>\n', encoding="utf-8")
    assert finished(build(site))[0] == 0
    assert "Second words" in (site / "site" / "papers" / "nsdi" / "2021" / "gamma" / "index.html").read_text(encoding="utf-8")
    assert same_site(fresh(site, tmp_path), site / "site") == []


HOOK = """\
from pathlib import Path


def read(config, name):
    found = Path(config.config_file_path).with_name(name)
    return found.read_text() if found.exists() else ""


def on_env(env, config, files):
    env.filters["motto_case"] = lambda text: text.{case}()
    env.globals["edition"] = read(config, "edition.txt")
    return env


def on_page_content(html, page, config, files):
    return html + read(config, "body.txt") if page.title == "Gamma" else html


def on_page_context(context, page, config, nav):
    context["motto"] = {context}
    return context
"""


def hooked(site: Path, case: str = "upper", context: str = "read(config, 'motto.txt')") -> None:
    """A hook and a template partial that show what three files hold: the kept pages must follow them."""
    if "custom_dir" not in (site / "mkdocs.yml").read_text(encoding="utf-8"):
        edit(site / "mkdocs.yml", "  font: false\n", "  font: false\n  custom_dir: overrides\nhooks: [hook.py]\n")
        (site / "overrides" / "partials").mkdir(parents=True)
        partial = "<p>{{ motto | default('') | string | motto_case }} {{ edition }}</p>\n"
        (site / "overrides" / "partials" / "copyright.html").write_text(partial, encoding="utf-8")
    (site / "hook.py").write_text(HOOK.format(case=case, context=context), encoding="utf-8")


def gamma(site: Path) -> str:
    return (site / "site" / "papers" / "nsdi" / "2021" / "gamma" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("motto.txt", "<p>SECOND </p>"),  # a value in the page's template context
        ("edition.txt", "<p> second</p>"),  # a global of the template environment
        ("body.txt", "</div>second\n</article>"),  # the page's content, as a plugin left it
    ],
)
def test_what_a_hook_gives_the_theme_is_part_of_the_key(site: Path, tmp_path: Path, name: str, shown: str) -> None:
    hooked(site)
    (site / name).write_text("first", encoding="utf-8")
    build(site)
    (site / name).write_text("second", encoding="utf-8")  # the hook is the same, what it gives is not
    build(site)
    assert shown in gamma(site)
    assert same_site(fresh(site, tmp_path), site / "site") == []


def test_a_hooks_code_is_part_of_the_key(site: Path, tmp_path: Path) -> None:
    hooked(site)
    (site / "motto.txt").write_text("Read More", encoding="utf-8")
    build(site)
    hooked(site, case="lower")  # the same filter's name, other code
    assert finished(build(site))[0] == 0
    assert "<p>read more </p>" in gamma(site)
    assert same_site(fresh(site, tmp_path), site / "site") == []


def test_a_page_with_a_context_value_of_unknown_kind_is_rendered_every_time(site: Path, tmp_path: Path) -> None:
    hooked(site, context="object()")
    first = finished(build(site))
    second = finished(build(site))
    assert first[0] == second[0] == 0 and second[1] == 0  # nothing kept, nothing rendered for keeping
    assert "<p><OBJECT OBJECT AT 0X" in gamma(site)  # rendered in this build


def test_another_plugins_post_page_turns_keeping_off(site: Path) -> None:
    edit(site / "mkdocs.yml", "  font: false\n", "  font: false\nhooks: [hook.py]\n")
    (site / "hook.py").write_text(
        "def on_post_page(output, page, config):\n    return output.replace('</body>', '<!-- hooked --></body>')\n"
    )
    log = build(site)
    log += build(site)
    assert "finished pages:" not in log  # the hook finishes pages after this plugin: nothing kept
    assert "<!-- hooked -->" in (site / "site" / "papers" / "nsdi" / "2021" / "gamma" / "index.html").read_text(encoding="utf-8")


def test_a_theme_that_shows_the_build_date_keeps_nothing(site: Path) -> None:
    edit(site / "mkdocs.yml", "  font: false\n", "  font: false\n  custom_dir: overrides\n")
    partial = site / "overrides" / "partials" / "copyright.html"
    partial.parent.mkdir(parents=True)
    partial.write_text("<p>Built {{ build_date_utc.strftime('%Y-%m-%d %H:%M:%S.%f') }}</p>\n", encoding="utf-8")
    build(site)
    assert finished(build(site))[0] == 0


LOUD = """\
import logging
import os

MAIN = os.getpid()  # the build's process: workers that render ahead are forks of it


def loud(title):
    if title == "Gamma":
        logging.getLogger("mkdocs.hook").warning("loud %s", title)
    if title == "Beta" and os.getpid() != MAIN:
        raise RuntimeError("only in a worker")
    return title


def on_env(env, config, files):
    env.filters["loud"] = loud
    return env
"""


def loud_hook(site: Path) -> None:
    """Gamma's page logs a warning while rendered; Beta's fails, but only in a worker."""
    edit(site / "mkdocs.yml", "  font: false\n", "  font: false\n  custom_dir: overrides\nhooks: [hook.py]\n")
    (site / "hook.py").write_text(LOUD, encoding="utf-8")
    partial = site / "overrides" / "partials" / "copyright.html"
    partial.parent.mkdir(parents=True)
    partial.write_text("<p>{{ page.title | loud if page.title in ('Beta', 'Gamma') else '' }}</p>\n", encoding="utf-8")


def test_a_page_that_logs_while_rendered_is_not_kept_and_warns_every_build(site: Path) -> None:
    loud_hook(site)
    counts = []
    for _ in range(2):
        result = run_mkdocs(site, "-v")
        assert result.returncode == 0 and "loud Gamma" in result.log
        counts.append(finished(result.log))
    total = counts[0][1]
    assert total >= 8 and counts[1] == (total - 1, 1)  # Gamma's page is rendered every time


@pytest.mark.parametrize("damage", ["cut", "garbage", "outside", "not utf-8"])
def test_a_damaged_pack_is_not_read(site: Path, tmp_path: Path, damage: str) -> None:
    build(site)
    shutil.copytree(site / "site", tmp_path / "first")
    data = (site / PACK).read_bytes()
    if damage == "cut":
        data = data[: len(data) // 2]
    elif damage == "garbage":
        data = b"x" * len(data)
    elif damage == "outside":  # an index that points past the pages
        data = re.sub(rb"\[(\d+),(\d+)\]", lambda m: b"[%d,%s]" % (len(data), m.group(2)), data)
    else:  # every page's first byte no longer UTF-8
        for m in re.finditer(rb'"[0-9a-f]{64}":\[(\d+),\d+\]', data):
            data = data[: int(m.group(1))] + b"\xff" + data[int(m.group(1)) + 1 :]
    (site / PACK).write_bytes(data)
    kept, _rendered = finished(build(site))
    assert kept == 0
    assert same_site(tmp_path / "first", site / "site") == []


def test_entries_no_build_uses_are_dropped_and_a_failed_build_keeps_the_last_pack(site: Path) -> None:
    build(site)
    before = OutputPack(site / PACK)
    before.open("")
    keys = set(before.index)
    before.close()
    edit(site / "papers/nsdi/2021/gamma.md", "Gamma body.", "Gamma body, edited.")
    build(site)
    after = OutputPack(site / PACK)
    after.open("")
    assert len(after.index) == len(keys) and len(set(after.index) - keys) == 1  # gamma's new page for its old one
    after.close()
    pack = (site / PACK).read_bytes()
    edit(site / "mkdocs.yml", "  font: false\n", "  font: false\nhooks: [hook.py]\n")
    (site / "hook.py").write_text(FAILING, encoding="utf-8")
    failed = run_mkdocs(site)
    assert failed.returncode != 0 and "no context for Gamma" in failed.log
    assert (site / PACK).read_bytes() == pack  # the failed build's pages are not kept, the last ones are
    assert not list(site.glob(".cache/reading-notes/*.tmp"))


FAILING = """\
def on_page_context(context, page, config, nav):
    if page.title == "Gamma":
        raise RuntimeError("no context for Gamma")
    return context
"""


def test_no_pack_when_the_cache_is_switched_off(site: Path) -> None:
    edit(site / "mkdocs.yml", "  - reading-notes\n", "  - reading-notes:\n      cache_dir: ''\n")
    log = build(site)
    assert "finished pages:" not in log
    assert not (site / ".cache").exists()


def test_plain_names_values_the_same_in_every_build_and_refuses_objects() -> None:
    assert plain({"b": [1, 2.5, None], "a": {"x", "y"}, "_private": object()}) == {"b": [1, 2.5, None], "a": ["x", "y"]}
    assert plain(len) == "builtins.len"
    with pytest.raises(Unkeyable):
        plain(object())
    with pytest.raises(Unkeyable):
        plain([1, {"k": object()}])


def test_pages_rendered_ahead_in_workers_make_the_same_site(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir(), two.mkdir()
    write_site(one, NOTES, mkdocs_yml=workers(1, cache_dir=None))
    write_site(two, NOTES, mkdocs_yml=workers(2, cache_dir=None))
    alone, shared = build(one), build(two)
    assert "finished pages: 0 rendered in 1 processes ahead" in alone  # one process: nothing done ahead
    made = re.search(r"finished pages: (\d+) rendered in 2 processes ahead", shared)
    total = finished(alone)[1]
    assert made and int(made.group(1)) == total >= 8
    assert re.search(rf"finished pages: 0 kept, 0 rendered, {total} rendered ahead", shared)
    assert same_site(one / "site", two / "site") == []
    assert not list((two / ".cache" / "reading-notes").glob("ahead-*"))  # the workers' packs are gone
    again = build(two)
    assert finished(again) == (total, 0) and "rendered in 2 processes ahead" not in again  # all kept: none ahead
    edit(two / "mkdocs.yml", "site_name: Fixture notes", "site_name: Renamed")  # in every page: all ahead again
    renamed = build(two)
    assert re.search(rf"finished pages: {total} rendered in 2 processes ahead", renamed)
    assert re.search(rf"finished pages: 0 kept, 0 rendered, {total} rendered ahead", renamed)
    assert same_site(fresh(two, tmp_path), two / "site") == []


def test_a_page_that_fails_or_logs_in_a_worker_is_rendered_by_mkdocs_and_reported_once(site: Path) -> None:
    (site / "mkdocs.yml").write_text(workers(2, cache_dir=None), encoding="utf-8")
    loud_hook(site)
    result = run_mkdocs(site, "-v")
    assert result.returncode == 0 and result.log.count("loud Gamma") == 1, result.log[-3000:]
    assert "only in a worker" not in result.log
    made = re.search(r"finished pages: (\d+) rendered in 2 processes ahead", result.log)
    assert made and re.search(rf"finished pages: 0 kept, 2 rendered, {int(made.group(1))} rendered ahead", result.log)
    assert "<p>Gamma</p>" in gamma(site)
    beta = (site / "site" / "papers" / "osdi" / "2022" / "beta" / "index.html").read_text(encoding="utf-8")
    assert "<p>Beta</p>" in beta  # rendered by MkDocs' loop


def test_what_stopped_builds_left_is_removed_and_what_running_ones_write_is_not(site: Path) -> None:
    build(site)
    folder = site / PACK.parent
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout.strip()
    stale = [folder / f"output.pack.{dead}.tmp", folder / f"ahead-{dead}-x1"]
    live = [folder / f"output.pack.{os.getpid()}.tmp", folder / f"ahead-{os.getpid()}-x2"]
    for path in (stale[0], live[0]):
        path.write_bytes(b"cut short")
    for path in (stale[1], live[1]):
        path.mkdir()
        (path / "0.pack").write_bytes(b"cut short")
    build(site)
    assert [p.exists() for p in stale + live] == [False, False, True, True]


def test_builds_with_and_without_strict_or_dirty_share_their_pages(site: Path) -> None:
    total = finished(build(site))[1]  # --strict
    edit(site / "papers/nsdi/2021/gamma.md", "Gamma body.", "Gamma body, edited.")
    dirty = run_mkdocs(site, "--dirty", "-v")  # not strict; MkDocs builds every generated page again
    assert dirty.returncode == 0 and finished(dirty.log) == (total - 1, 1), dirty.log[-3000:]
    assert finished(build(site)) == (total, 0)
