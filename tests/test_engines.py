"""One site, two engines: `mkdocs build` (the plugin) and `notes build --engine zensical` (the core
around Zensical) build the same pages with the same guarantees.

The shipped notes are built once per engine; hostile-note tests elsewhere (test_hostile.py,
test_browser_security.py) take the ``engine`` fixture and run against both outputs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import MKDOCS_YML, ROOT, note, run_engine, write_site, zensical_installed

pytestmark = pytest.mark.skipif(not zensical_installed(), reason="zensical is not installed")
NOTICE = "notes build --engine zensical"
EDIT = re.compile(r'<a href="([^"]*)" title="Edit this page"')


def copy_repository(target: Path) -> Path:
    """The shipped site (config, hand-written pages, notes) in a folder of its own."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", target / "docs")
    shutil.copytree(ROOT / "papers", target / "papers")
    return target


def notes_build(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator.cli", "build", *args], cwd=root, capture_output=True, text=True,
                          env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT),
                               "EDIT_URI": "https://github.com/example/reading-notes/edit/main/docs/"},  # as deploy.yml sets it
                          timeout=600)  # fmt: skip


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> dict[str, Path]:
    """The shipped notes built by each engine, with --strict, by the commands a maintainer runs."""
    root = copy_repository(tmp_path_factory.mktemp("engines") / "repo")
    built = {}
    for engine in ("mkdocs", "zensical"):
        proc = notes_build(root, "--engine", engine, "--strict", "-d", str(root.parent / engine))
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "Traceback" not in proc.stderr
        built[engine] = root.parent / engine
    return built


def outputs(site: Path) -> set[str]:
    # assets are the themes'; pagefind/ is the search index (engine-neutral, its files named after their content)
    return {
        p.relative_to(site).as_posix()
        for p in site.rglob("*")
        if p.is_file() and not p.relative_to(site).as_posix().startswith(("assets/", "pagefind/"))
    }


def test_both_engines_build_the_same_page_urls(shipped):
    mkdocs, zensical = outputs(shipped["mkdocs"]), outputs(shipped["zensical"])
    pages = {p for p in mkdocs if p.endswith(".html")}
    assert len(pages) > 600 and "papers/osdi/2022/reef/index.html" in pages
    assert pages == {p for p in zensical if p.endswith(".html")}
    # every other generated file too (feeds, BibTeX, papers.json); only the engines' own files differ
    assert mkdocs - zensical == {"sitemap.xml.gz"}  # both have the Pagefind index (pagefind/, left out above)
    assert zensical - mkdocs == set()  # no search.json: Zensical's own search is off, both search with Pagefind


def test_every_page_has_one_policy_and_no_marker_on_both_engines(shipped):
    for engine, site in shipped.items():
        for path in site.rglob("*.html"):
            text = path.read_text(encoding="utf-8")
            assert text.count("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'self'") == 1, (
                engine,
                path,
            )
            assert "rn-slot" not in text and "rn-page" not in text, (engine, path)
            policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', text).group(1)
            script = [d for d in policy.split(";") if d.strip().startswith("script-src")]
            assert script and all("'unsafe-inline'" not in d and "'unsafe-eval'" not in d for d in script), (engine, path)
            # no page allows inline styles either, not even one with a Mermaid diagram (drawn as an image)
            assert "unsafe-inline" not in policy, (engine, path)
            assert "Built without the reading-notes generator" not in text, (engine, path)


def test_edit_links_open_the_note_in_papers_on_both_engines(shipped):
    for site in shipped.values():
        reef = (site / "papers/osdi/2022/reef/index.html").read_text(encoding="utf-8")
        assert EDIT.findall(reef) == ["https://github.com/example/reading-notes/edit/main/papers/osdi/2022/reef.md"]
        assert EDIT.findall((site / "venues/osdi/2022/index.html").read_text(encoding="utf-8")) == []


def test_zensical_has_only_the_site_search(shipped):
    """The derived config turns Zensical's own search off: no second search icon or box in the
    header, no search.json, no search worker; the header is the one the MkDocs output has."""
    assert not (shipped["zensical"] / "search.json").exists()
    headers = {}
    for engine, site in shipped.items():
        html = (site / "papers/osdi/2022/reef/index.html").read_text(encoding="utf-8")
        header = re.search(r"<header\b.*?</header>", html, re.DOTALL).group(0)
        assert 'data-md-component="search"' not in html and "md-search" not in header and 'for="__search"' not in header, engine
        headers[engine] = re.findall(r'class="(md-header__button[^"]*)"|for="(__\w+)"', header)  # its buttons and toggles
    assert headers["zensical"] == headers["mkdocs"], headers


def test_a_bare_zensical_build_names_the_command_to_run(tmp_path, shipped):
    """Zensical runs no plugin: `zensical build` alone makes the hand-written pages, and the home
    page says how to build the whole site; the generator removes that notice on both engines."""
    root = copy_repository(tmp_path / "repo")
    proc = subprocess.run([sys.executable, "-m", "zensical", "build"], cwd=root, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    pages = list((root / "site").rglob("*.html"))
    assert len(pages) < 10
    home = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert NOTICE in home and "Built without the reading-notes generator" in home
    for site in shipped.values():
        assert NOTICE not in (site / "index.html").read_text(encoding="utf-8")


BAD = {"osdi/2022/good.md": note("Good", body="## Notes\n\nFine.\n"), "osdi/2022/bad.md": note("Bad", year="twenty")}


def test_strict_fails_on_a_problem_with_either_engine(tmp_path, engine):
    write_site(tmp_path, BAD)
    strict = run_engine(tmp_path, engine, "--strict")
    assert strict.returncode == 1, strict.log
    assert "papers/osdi/2022/bad.md:4: year: must be a whole number such as 2022, not 'twenty'" in strict.log
    assert "Traceback" not in strict.log
    loose = run_engine(tmp_path, engine)
    assert loose.returncode == 0, loose.log
    assert loose.exists("papers/osdi/2022/good") and not loose.exists("papers/osdi/2022/bad")


def test_finishing_fails_closed_when_the_engine_loses_the_markers():
    """A body that swallowed the closing marker (or an engine that dropped both) gets the rest of the
    article sanitized; the theme around the article is left alone."""
    from generator.finish.pages import fill_page
    from generator.render.pages import Page
    from generator.render.slots import Slots, slot_key

    body = "<img src=x onerror=alert(1)><script>alert(2)</script>"
    page = Page("papers/a/2022/x.md", "papers/a/2022/x/", "X", "", slots=Slots(slot_key(body), ('<div class="rn-x">h</div>',), 1))
    paper = type("P", (), {"path": "papers/a/2022/x.md", "body_line": 6})()
    chrome = '<html><head><script>theme()</script></head><body><nav class="md-nav">n</nav>'
    start = f"<!-- rn-page:{page.slots.key} -->"
    marker = f"<!-- rn-slot:{page.slots.key}:0 -->"
    for article in (start + marker + body, marker + body):  # closing marker lost; both lost
        html = chrome + '<article class="md-content__inner md-typeset">' + article + "</article><footer>f</footer></body></html>"
        finished = fill_page(html, page, paper)  # type: ignore[arg-type]
        assert finished.html.startswith(chrome + '<article class="md-content__inner md-typeset">')
        assert finished.html.endswith("</article><footer>f</footer></body></html>")
        assert "onerror" not in finished.html and "alert(2)" not in finished.html and '<div class="rn-x">h</div>' in finished.html
        assert "the onerror attribute" in str(finished.problems[0])


def test_notes_build_reports_setup_mistakes_in_one_line(tmp_path):
    proc = notes_build(tmp_path, "--engine", "zensical", "-f", "missing.yml")
    assert proc.returncode == 2 and proc.stderr.strip() == "notes: no site configuration at missing.yml"
    (tmp_path / "mkdocs.yml").write_text("site_name: [unclosed\n", encoding="utf-8")
    proc = notes_build(tmp_path, "--engine", "zensical")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and proc.stderr.startswith("notes: mkdocs.yml: cannot read it")
    write_site(
        tmp_path, {"osdi/2022/a.md": note("A")}, mkdocs_yml=MKDOCS_YML.replace("  font: false\n", "  font: false\n  custom_dir: missing\n")
    )
    proc = notes_build(tmp_path, "--engine", "zensical")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "missing" in proc.stderr


@pytest.mark.parametrize(("plugins", "error"), [
    ("  - reading-notes: papers\n", "plugins: reading-notes: expected a mapping of options (papers_dir, auto_nav, listing_page_size)"),
    ("  - reading-notes:\n      listing_page_size: many\n", "plugins: reading-notes: listing_page_size: expected a whole number, not 'many'"),
    ("  - reading-notes:\n      auto_nav: 'no'\n", "plugins: reading-notes: auto_nav: expected true or false, not 'no'"),
    ("  - reading-notes:\n      papers_dir: [a]\n", "plugins: reading-notes: papers_dir: expected a text, not ['a']"),
    ("  search\n", "plugins: expected a list of plugins"),
    ("  - search\nmarkdown_extensions: toc\n", "markdown_extensions: expected a list of extensions"),
])  # fmt: skip
def test_zensical_reports_wrong_plugin_options_in_one_line(tmp_path, plugins, error):
    """What the MkDocs plugin's config refuses, the Zensical build refuses too: one line, no traceback."""
    from generator.engines.zensical_build import EngineError, read_settings

    (tmp_path / "mkdocs.yml").write_text("site_name: S\nplugins:\n" + plugins, encoding="utf-8")
    with pytest.raises(EngineError) as raised:
        read_settings(tmp_path / "mkdocs.yml")
    assert str(raised.value) == f"{tmp_path / 'mkdocs.yml'}: {error}"


def test_zensical_config_keeps_mappings_of_plugins_and_extensions_with_their_options(tmp_path):
    """The derived config lists a mapping-form ``plugins``/``markdown_extensions`` with every option
    (a list of its keys lost them), the reading-notes plugin left out and Zensical's search turned off."""
    from generator.engines.zensical_build import _extension_names, derived_config, read_settings

    (tmp_path / "mkdocs.yml").write_text("site_name: S\nplugins:\n  tags:\n    tags_file: tags.md\n  search:\n    lang: de\n  reading-notes: {}\n"
                                         "markdown_extensions:\n  toc:\n    permalink: true\n  tables:\n", encoding="utf-8")  # fmt: skip
    settings = read_settings(tmp_path / "mkdocs.yml")
    config = derived_config(settings, None)
    assert config["plugins"] == [{"tags": {"tags_file": "tags.md"}}, {"search": {"enabled": False}}]
    assert config["markdown_extensions"] == [{"toc": {"permalink": True}}, "tables", "generator.render.toc_guard"]
    assert _extension_names(settings.config) == ["toc", "tables"]


def test_zensical_reads_plugin_options_from_a_plugins_mapping(tmp_path):
    """mkdocs.yml may give ``plugins`` as a mapping of name → options (MkDocs takes both forms)."""
    from generator.engines.zensical_build import read_settings

    (tmp_path / "mkdocs.yml").write_text("site_name: S\nplugins:\n  search: {}\n  reading-notes:\n    papers_dir: notes\n"
                                         "    listing_page_size: 7\n    auto_nav: false\n", encoding="utf-8")  # fmt: skip
    settings = read_settings(tmp_path / "mkdocs.yml")
    assert (settings.papers_dir, settings.page_size, settings.auto_nav) == ("notes", 7, False)


PAGE_TYPES = ["", "venues/", "venues/osdi/", "venues/osdi/2022/", "tags/", "tags/gpu-sharing/", "papers/osdi/2022/reef/",
              "explore/", "explore/?tag=GPU_sharing", "paths/", "paths/must-read/", "about/", "contributing/", "404.html"]  # fmt: skip


def test_every_page_type_runs_only_the_site_scripts_in_chromium_on_both_engines(shipped):
    from browser import chrome, dialogs, external_requests, serve, site_search
    from test_browser_security import CSP_TRAP, visit

    for engine, site in shipped.items():
        with serve(site) as base, chrome() as driver:
            driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_TRAP})
            for url in PAGE_TYPES:
                assert visit(driver, base + url) == [], (engine, url)
                policy = driver.execute_script(
                    "const m = document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]'); return m && m.content"
                )
                assert policy and policy.startswith("default-src 'none'; script-src 'self' 'wasm-unsafe-eval' 'sha256-"), (engine, url)
                assert driver.find_element("css selector", "h1").text or url == "404.html", (engine, url)
            driver.get(base + "papers/osdi/2022/orca/")  # a diagram, and the header's one search
            assert len(driver.find_elements("css selector", ".md-header input.rn-search__input")) == 1, engine
            assert driver.find_elements("css selector", ".md-search, [data-md-component=search]") == [], engine
            deadline = time.time() + 15
            while time.time() < deadline and not driver.find_elements("css selector", "div.mermaid img"):
                time.sleep(0.2)
            assert driver.find_elements("css selector", "div.mermaid img"), engine  # Mermaid drew it, with no worker
            found = site_search(driver, "preemption")
            assert any(href.endswith("/papers/osdi/2022/reef/") for _, href in found), (engine, found)
            driver.get(base + "explore/?tag=GPU_sharing")
            deadline = time.time() + 15
            while time.time() < deadline and not driver.find_elements("css selector", ".rn-explore[data-results]"):
                time.sleep(0.2)
            assert driver.find_elements("css selector", ".rn-explore[data-results]"), engine
            assert driver.execute_script("return window.__csp") == [], engine  # with no worker-src in the policy
            assert "worker-src" not in driver.execute_script(
                "return document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]').content"
            ), engine
            time.sleep(0.2)
            assert dialogs(driver) == [] and external_requests(driver) == [], engine


def test_every_page_has_as_many_h1_headings_on_both_engines(shipped):
    """Zensical's theme adds a title heading when it sees none in the content (a generated block is
    still a marker then): finishing drops it, so a paper page has one <h1>, as under MkDocs."""
    differ = []
    for path in sorted(shipped["mkdocs"].rglob("*.html")):
        rel = path.relative_to(shipped["mkdocs"])
        counts = [(site / rel).read_text(encoding="utf-8").count("<h1") for site in (shipped["mkdocs"], shipped["zensical"])]
        if counts[0] != counts[1]:
            differ.append((rel.as_posix(), counts))
    assert differ == []


def test_zensical_builds_are_byte_identical(tmp_path):
    pages = {"osdi/2022/a.md": note("A", tags="[x]", body="## Notes\n\nText.\n"), "osdi/2022/b.md": note("B", tags="[x, y]")}
    builds = []
    for n in range(2):
        (tmp_path / str(n)).mkdir()
        root = write_site(tmp_path / str(n), pages)
        build = run_engine(root, "zensical")
        assert build.returncode == 0, build.log
        builds.append({p.relative_to(root / "site").as_posix(): p.read_bytes() for p in sorted((root / "site").rglob("*")) if p.is_file()})
    assert builds[0].keys() == builds[1].keys() and len(builds[0]) > 10
    assert [name for name in builds[0] if builds[0][name] != builds[1][name]] == []


def test_the_derived_config_turns_zensical_search_off():
    from generator.engines.zensical_build import Settings, derived_config

    config = {"plugins": ["search", {"reading-notes": {"papers_dir": "papers"}}, {"tags": {}}]}
    plugins = derived_config(Settings(Path("."), config, "papers", True, 50), None)["plugins"]
    assert plugins == [{"tags": {}}, {"search": {"enabled": False}}]  # a site's own `search` entry cannot turn it on
    assert derived_config(Settings(Path("."), {}, "papers", True, 50), None)["plugins"] == [{"search": {"enabled": False}}]
