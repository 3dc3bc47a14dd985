"""Wayfinding: breadcrumbs on every generated page, the venue → year tree beside venue, edition and
paper pages with the current item marked, the Venues page by kind then paper count, and a 404 page
with the main links that works from any depth."""

from __future__ import annotations

import re

import pytest
from conftest import note

NOTES = {
    "osdi/2022/ekko.md": note("Ekko <b>fast</b>", tags="[gpu-sharing]"),
    "osdi/2022/orca.md": note("Orca", tags="[gpu-sharing]"),
    "osdi/2021/pollux.md": note("Pollux", year=2021),
    "sosp/2023/vllm.md": note("vLLM", venue="SOSP", year=2023),
    "acl/2023/one.md": note("Only One", venue="ACL", year=2023),
    "arxiv/2024/pre.md": note("A Preprint", venue="arXiv", year=2024),
    "paths/must-read.yml": "title: Must read\nsections:\n  - title: Serving\n    steps:\n      - orca\n",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from conftest import run_mkdocs, write_site

    root = tmp_path_factory.mktemp("wayfinding")
    write_site(root, NOTES)
    build = run_mkdocs(root, "--strict")
    assert build.returncode == 0, build.log
    return root / "site"


def _page(built, url: str) -> str:
    return (built / url / "index.html").read_text(encoding="utf-8")


def _crumbs(page: str) -> list[tuple[str | None, str]]:
    """(href, text) of each breadcrumb; href None for the current page."""
    nav = re.search(r'<nav class="rn-breadcrumbs"[^>]*><ol>(.*?)</ol></nav>', page).group(1)
    out = []
    for item in re.findall(r"<li>(.*?)</li>", nav):
        link = re.match(r'<a href="([^"]*)">(.*)</a>$', item)
        out.append((link.group(1), link.group(2)) if link else (None, re.match(r'<span aria-current="page">(.*)</span>$', item).group(1)))
    return out


@pytest.mark.parametrize(
    ("url", "trail"),
    [
        (
            "papers/osdi/2022/ekko/",
            [
                ("../../../../", "Home"),
                ("../../../../venues/", "Venues"),
                ("../../../../venues/osdi/", "OSDI"),
                ("../../../../venues/osdi/2022/", "2022"),
                (None, "Ekko &lt;b&gt;fast&lt;/b&gt;"),
            ],
        ),
        ("venues/osdi/2022/", [("../../../", "Home"), ("../../", "Venues"), ("../", "OSDI"), (None, "2022")]),
        ("venues/osdi/", [("../../", "Home"), ("../", "Venues"), (None, "OSDI")]),
        ("venues/", [("../", "Home"), (None, "Venues")]),
        ("tags/gpu-sharing/", [("../../", "Home"), ("../", "Tags"), (None, "#gpu-sharing")]),
        ("tags/", [("../", "Home"), (None, "Tags")]),
        ("must-read/", [("../", "Home"), ("../paths/", "Paths"), (None, "Must read")]),
        ("paths/", [("../", "Home"), (None, "Paths")]),
        ("explore/", [("../", "Home"), (None, "Explore")]),
    ],
)
def test_breadcrumbs_on_every_page_type(built, url, trail):
    assert _crumbs(_page(built, url)) == trail


def _tree(page: str) -> str:
    return re.search(r'<nav class="rn-venue-tree".*?</nav>', page, re.DOTALL).group(0)


def test_venue_tree_marks_the_current_venue_year_and_paper(built):
    paper = _tree(_page(built, "papers/osdi/2022/ekko/"))
    assert re.findall(r"aria-current=\"(\w+)\"", paper) == ["location", "page"]
    assert '<a href="../../../../venues/osdi/2022/" aria-current="location">2022</a>' in paper
    assert '<span aria-current="page">Ekko &lt;b&gt;fast&lt;/b&gt;</span>' in paper
    assert '"../../../../venues/osdi/2021/"' in paper  # the current venue is open: its years
    assert "venues/sosp/2023/" not in paper  # another venue: closed
    edition = _tree(_page(built, "venues/osdi/2022/"))
    assert re.findall(r'<a href="([^"]*)" aria-current="page">', edition) == ["../../../venues/osdi/2022/"]
    venue = _tree(_page(built, "venues/osdi/"))
    assert re.findall(r'<a href="([^"]*)" aria-current="page">OSDI</a>', venue) == ["../../venues/osdi/"]
    # in the theme's primary nav (the sidebar; the drawer on a phone), not in the page's content
    page = _page(built, "venues/osdi/")
    assert page.index('class="md-nav md-nav--primary"') < page.index('class="rn-venue-tree"') < page.index("<article")
    assert "rn-venue-tree" not in _page(built, "tags/gpu-sharing/")


def test_venue_tree_order_is_the_venues_page_order(built):
    tree = _tree(_page(built, "venues/osdi/"))
    assert re.findall(r'<li><a href="[^"]*venues/[^/"]+/"[^>]*>([^<]+)</a>', tree) == ["OSDI", "ACL", "SOSP", "arXiv"]


def test_venue_tree_is_lean_markup_with_every_venue_and_count(built):
    # on every paper page (10,000 at scale): one class-free line per venue, its count the span after the link
    tree = _tree(_page(built, "papers/osdi/2022/ekko/"))
    lines = re.findall(r"<li>.*", tree)
    assert lines and all("class=" not in line for line in lines if "rn-venue-tree__papers" not in line)
    counts = dict(re.findall(r'<li><a href="[^"]*venues/([^/"]+)/"[^>]*>[^<]+</a> <span>(\d+)</span>', tree))
    assert set(counts) == {"osdi", "acl", "sosp", "arxiv"} and all(int(n) > 0 for n in counts.values())
    assert re.search(r'<li><a href="[^"]*venues/osdi/2021/">2021</a> <span>\d+</span></li>', tree)  # the open venue's years


def test_venues_page_by_kind_then_paper_count_with_single_paper_venues_on_one_line(built):
    page = _page(built, "venues/")
    cards = re.findall(r'class="rn-venue-card__name" href="[^"]*">([^<]+)<', page)
    assert cards == ["OSDI"]  # the conference with most papers first; one-paper venues are no cards
    singles = re.findall(r'<p class="rn-venue-singles">(.*?)</p>', page)
    assert len(singles) == 2  # the conferences' and the preprints'
    assert re.findall(r'title="[^"]*">([^<]+)</a>', singles[0]) == ["ACL", "SOSP"]
    assert page.index("rn-venue-card__name") < page.index("rn-venue-singles") < page.index("arXiv")


def test_404_page_has_the_main_links_from_the_site_root(built):
    page = (built / "404.html").read_text(encoding="utf-8")
    content = page[page.index("<article") : page.index("</article>")]
    links = {text: href for href, text in re.findall(r'<a href="([^"]*)">([^<]+)</a>', content)}
    # the fixture's site_url is https://example.org/notes/ (a project site): links from its path
    assert links == {
        "Home": "/notes/.",
        "Venues": "/notes/venues/",
        "Tags": "/notes/tags/",
        "Explore": "/notes/explore/",
        "Paths": "/notes/paths/",
    }
    assert 'assets/reading-notes/search.js"></script>' in page  # the search box (it mounts in the header)
    assert "Content-Security-Policy" in page


def test_404_links_from_the_root_without_site_url(site):
    from conftest import MKDOCS_YML

    build = site(NOTES, mkdocs_yml=MKDOCS_YML.replace("site_url: https://example.org/notes/\n", ""))
    page = (build.root / "site" / "404.html").read_text(encoding="utf-8")
    assert '<a href="/venues/">Venues</a>' in page and '<a href="/notes/' not in page


def test_tree_in_the_sidebar_on_a_wide_screen_and_in_the_drawer_on_a_phone(built, tmp_path):
    import time

    from browser import chrome, serve

    with serve(built) as base:
        with chrome() as driver:
            driver.get(base + "papers/osdi/2022/ekko/")
            time.sleep(0.4)
            year = driver.find_element("css selector", '.rn-venue-tree a[aria-current="location"]')
            assert year.is_displayed() and year.text == "2022"
            assert driver.execute_script("return getComputedStyle(arguments[0]).fontWeight", year) == "700"
            count = driver.find_element("css selector", '.rn-venue-tree a[aria-current="location"] + span')
            assert count.is_displayed() and count.text.isdigit()  # the year's count, styled smaller than its link
            size = "return parseFloat(getComputedStyle(arguments[0]).fontSize)"
            assert driver.execute_script(size, count) < driver.execute_script(size, year)
            crumbs = driver.find_element("css selector", ".rn-breadcrumbs")
            assert crumbs.is_displayed() and crumbs.text.startswith("Home")
            driver.save_screenshot(str(tmp_path / "wide.png"))
        with chrome(width=390, height=844) as driver:
            driver.get(base + "papers/osdi/2022/ekko/")
            time.sleep(0.4)
            tree = driver.find_element("css selector", ".rn-venue-tree")
            title = driver.find_element("css selector", "h1")
            # the tree waits in the drawer: it does not push the paper down
            assert driver.execute_script("return arguments[0].getBoundingClientRect().right <= 0", tree)
            assert title.location["y"] < 250
            driver.find_element("css selector", "label.md-header__button[for=__drawer]").click()
            time.sleep(0.6)
            assert driver.execute_script("const r = arguments[0].getBoundingClientRect(); return r.right > 0 && r.left < 390", tree)
            driver.save_screenshot("/tmp/h12-paper-390-drawer.png")
