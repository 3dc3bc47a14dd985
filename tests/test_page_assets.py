"""Each page links only the component stylesheets and scripts whose classes it uses (the base
stylesheet on every page), and a component's script runs on the pages reached by instant navigation."""

from __future__ import annotations

import re
import time

import pytest
from browser import chrome, serve
from conftest import ENGINES, ROOT, note, run_engine, write_site

from generator.finish.page_assets import EVERY_PAGE

SHIPPED_YML = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
NOTES = {
    "osdi/2022/orca.md": note(
        "Orca", tags="[LLM_serving]", status="read", level="essential", body="## Problem\n\nIteration-level scheduling.\n"
    ),
    "sosp/2023/vllm.md": note("vLLM", venue="SOSP", year=2023, tags="[LLM_serving]"),
    "paths/must-read.yml": "title: Must read\nsections:\n  - title: Serving\n    steps:\n      - orca\n      - vllm\n",
}
_LINKED = re.compile(r'(?:href|src)="[./]*assets/reading-notes/([a-z-]+\.(?:css|js))"')


@pytest.fixture(scope="module", params=ENGINES)
def built(request, tmp_path_factory):
    """The site built by each engine (Zensical's finishing links the components the plugin's theme override does)."""
    root = tmp_path_factory.mktemp("page-assets")
    write_site(root, NOTES, docs={"index.md": "# Home\n\n<!-- reading-notes:dashboard -->\n"}, mkdocs_yml=SHIPPED_YML)
    build = run_engine(root, request.param, "--strict")
    assert build.returncode == 0, build.log
    return root / "site"


def _linked(built, page: str) -> list[str]:
    """The component files the page links, after checking it links the search box's (on every page)."""
    path = built / page if page.endswith(".html") else (built / page / "index.html" if page else built / "index.html")
    found = _LINKED.findall(path.read_text(encoding="utf-8"))
    assert [name for name in found if name in EVERY_PAGE] == list(EVERY_PAGE), (page, found)
    return [name for name in found if name not in EVERY_PAGE]


@pytest.mark.parametrize(
    ("page", "files"),
    [
        ("", ["reading-notes.css", "dashboard.css"]),
        ("explore/", ["reading-notes.css", "explore.css", "explore.js"]),
        ("compare/", ["reading-notes.css", "explore.css", "explore.js"]),  # .rn-explore-compare: found by the script
        ("papers/osdi/2022/orca/", ["reading-notes.css", "cite.css", "paths.css", "cite.js", "paths.js"]),
        ("must-read/", ["reading-notes.css", "paths.css", "paths.js"]),
        ("paths/", ["reading-notes.css", "paths.css", "paths.js"]),
        ("venues/", ["reading-notes.css"]),
        ("venues/osdi/2022/", ["reading-notes.css"]),
        # its "Combine in Explore" link needs no explorer script; its related tags and paths are the tags component's
        ("tags/llm-serving/", ["reading-notes.css", "tags.css", "tags.js"]),
    ],
)
def test_a_page_links_only_the_components_it_uses(built, page, files):
    assert _linked(built, page) == files


def test_404_links_only_the_base_stylesheet(built):
    assert _linked(built, "404.html") == ["reading-notes.css"]


def _go(driver, href: str) -> None:
    """Follow an in-site link the way a reader does (the theme's instant navigation handles it)."""
    before = driver.execute_script("return location.href")
    driver.execute_script(
        "const a = document.createElement('a'); a.href = arguments[0]; a.textContent = 'go';document.body.appendChild(a); a.click();", href
    )
    for _ in range(50):
        if driver.execute_script("return location.href") != before and driver.execute_script("return document.readyState") == "complete":
            break
        time.sleep(0.1)
    time.sleep(0.6)


def _sheets(driver) -> list[str]:
    return driver.execute_script(
        "return [...document.querySelectorAll('link[rel=stylesheet]')].map(l => l.href.split('/').pop())"
        ".filter(n => !n.startsWith('main.') && !n.startsWith('palette.') && n !== 'search.css')"
    )  # the search box's: every page


def test_component_scripts_and_styles_work_after_instant_navigation(built):
    with serve(built) as base, chrome() as driver:
        driver.get(base)
        time.sleep(0.5)
        assert driver.execute_script("return !!window.document$")  # the theme's instant navigation is on
        assert _sheets(driver) == ["reading-notes.css", "dashboard.css"]
        _go(driver, base + "explore/")
        assert driver.execute_script("return location.href") == base + "explore/"
        assert driver.find_elements("css selector", ".rn-explore[data-results]")  # the explorer mounted
        assert driver.execute_script("return document.querySelector('.rn-explore').__rnExplorer != null")
        assert "explore.css" in _sheets(driver) and "dashboard.css" not in _sheets(driver)
        _go(driver, base + "papers/osdi/2022/orca/")
        assert len(driver.find_elements("css selector", ".rn-cite .rn-cite__copy")) == 1  # set up once
        assert driver.find_element("css selector", ".rn-path-tick-line").is_displayed()  # paths.js showed the tick
        assert "explore.css" not in _sheets(driver) and "cite.css" in _sheets(driver)
        driver.find_element("css selector", ".rn-path-tick__box").click()
        _go(driver, base + "must-read/")
        assert driver.find_element("css selector", ".rn-path-progress__visitor-text").text.startswith("1 of 2")
        _go(driver, base + "explore/")  # a second visit: the script, already loaded, mounts again
        assert driver.execute_script("return document.querySelector('.rn-explore').__rnExplorer != null")
        assert driver.find_elements("css selector", ".rn-explore[data-results]")
