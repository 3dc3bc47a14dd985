"""What the MkDocs plugin hands its theme, the Zensical build writes in while finishing: the venue →
year tree in the sidebar, only the component files a page uses, "Edit this page" on hand-written
pages. One tiny site, built once per engine; every assertion holds for both outputs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ENGINES, note, run_engine, write_site
from test_edit_link import EDIT_YML, edit_links

from generator.finish.page_assets import EVERY_PAGE

NOTES = {
    "osdi/2022/reef.md": note("REEF", tags="[GPU_sharing]", body="## Notes\n\nText.\n"),
    "osdi/2023/orca.md": note("Orca", year=2023, tags="[LLM_serving]"),
    "sosp/2023/vllm.md": note("vLLM", venue="SOSP", year=2023, tags="[LLM_serving]"),
    "paths/must-read.yml": "title: Must read\nsections:\n  - title: Serving\n    steps:\n      - orca\n      - vllm\n",
}
DOCS = {"index.md": "# Home\n\n<!-- reading-notes:dashboard -->\n", "about.md": "# About\n\nHand-written.\n",
        "guide/index.md": "# Guide\n\nA folder's page.\n"}  # fmt: skip
_LINKED = re.compile(r'(?:href|src)="[^"]*assets/reading-notes/([a-z-]+\.(?:css|js))"')
_TREE = '<nav class="rn-venue-tree"'


@pytest.fixture(scope="module", params=ENGINES)
def built(request, tmp_path_factory) -> Path:
    root = write_site(tmp_path_factory.mktemp(request.param), NOTES, DOCS, mkdocs_yml=EDIT_YML)
    build = run_engine(root, request.param, "--strict")
    assert build.returncode == 0, build.log
    return root / "site"


def _html(site: Path, page: str) -> str:
    return (site / page if page.endswith(".html") else site / page / "index.html").read_text(encoding="utf-8")


def _sidebar_tree(html: str) -> str | None:
    """The venue → year tree, checked to sit inside the site navigation (the left sidebar), once."""
    if _TREE not in html:
        return None
    assert html.count(_TREE) == 1
    primary = html.index('<nav class="md-nav md-nav--primary"')
    sidebar_end = html.index('<div class="md-sidebar md-sidebar--secondary"')
    assert primary < html.index(_TREE) < sidebar_end < html.index("<article")
    return html[html.index(_TREE) : html.index("</nav>", html.index(_TREE))]


@pytest.mark.parametrize(("page", "current"), [
    ("venues/osdi/", "OSDI"), ("venues/osdi/2022/", "2022"), ("papers/osdi/2022/reef/", "REEF"), ("venues/sosp/2023/", "2023"),
])  # fmt: skip
def test_venue_edition_and_paper_pages_show_the_venue_tree_in_the_sidebar(built, page, current):
    tree = _sidebar_tree(_html(built, page))
    assert tree is not None, page
    assert "OSDI" in tree and "SOSP" in tree
    assert re.search(r'aria-current="[a-z]+">' + re.escape(current) + "<", tree), tree


@pytest.mark.parametrize("page", ["", "about/", "venues/", "tags/", "tags/gpu-sharing/", "explore/", "404.html"])
def test_other_pages_have_no_venue_tree(built, page):
    assert _sidebar_tree(_html(built, page)) is None, page


@pytest.mark.parametrize(("page", "files"), [
    ("", ["reading-notes.css", "dashboard.css"]),
    ("explore/", ["reading-notes.css", "explore.css", "explore.js"]),
    ("papers/osdi/2022/reef/", ["reading-notes.css", "cite.css", "cite.js", "paths.css", "paths.js"]),
    ("must-read/", ["reading-notes.css", "paths.css", "paths.js"]),
    ("venues/", ["reading-notes.css"]),
    ("venues/osdi/2022/", ["reading-notes.css"]),
    ("about/", ["reading-notes.css"]),
    ("tags/llm-serving/", ["reading-notes.css", "tags.css", "tags.js"]),
    ("404.html", ["reading-notes.css"]),
])  # fmt: skip
def test_a_page_links_only_the_components_it_uses(built, page, files):
    found = _LINKED.findall(_html(built, page))
    assert sorted(name for name in found if name in EVERY_PAGE) == sorted(EVERY_PAGE), (page, found)
    assert sorted(name for name in found if name not in EVERY_PAGE) == sorted(files), (page, found)


def test_component_links_resolve_to_published_files(built):
    page = built / "papers/osdi/2022/reef/index.html"
    hrefs = re.findall(r'(?:href|src)="([^"]*assets/reading-notes/(?:cite|reading-notes)\.(?:css|js))"', page.read_text(encoding="utf-8"))
    assert len(hrefs) == 3 and all((page.parent / h).resolve().is_file() for h in hrefs), hrefs


@pytest.mark.parametrize(("page", "links"), [
    ("about/", ["https://github.com/o/r/edit/main/docs/about.md"]),
    ("", ["https://github.com/o/r/edit/main/docs/index.md"]),
    ("guide/", ["https://github.com/o/r/edit/main/docs/guide/index.md"]),
    ("papers/osdi/2022/reef/", ["https://github.com/o/r/edit/main/papers/osdi/2022/reef.md"]),
    ("venues/osdi/2022/", []), ("tags/", []), ("explore/", []),  # generated: no file to edit
])  # fmt: skip
def test_edit_links_open_the_page_source(built, page, links):
    assert edit_links(_html(built, page)) == links


def test_zensical_edit_base_follows_mkdocs_rules(tmp_path):
    """An absolute edit_uri, or one relative to repo_url (joined as MkDocs joins them); none without
    the theme's content.action.edit feature (the theme would show no button under MkDocs either)."""
    from generator.engines.zensical_build import _edit_base, read_settings

    def base(yml: str) -> str:
        (tmp_path / "mkdocs.yml").write_text("site_name: S\n" + yml, encoding="utf-8")
        return _edit_base(read_settings(tmp_path / "mkdocs.yml"))

    feature = "theme:\n  name: material\n  features: [content.action.edit]\n"
    assert base(feature + "edit_uri: https://github.com/o/r/edit/main/docs/\n") == "https://github.com/o/r/edit/main/docs/"
    assert base(feature + "repo_url: https://github.com/o/r\nedit_uri: edit/main/docs/\n") == "https://github.com/o/r/edit/main/docs/"
    assert base("edit_uri: https://github.com/o/r/edit/main/docs/\n") == ""
    assert base(feature + "edit_uri: edit/main/docs/\n") == ""  # relative, and no repo_url to resolve it against
    assert base(feature + "edit_uri: javascript:alert(1)//\n") == ""


def test_the_sidebar_goes_at_the_end_of_the_site_nav_past_its_nested_navs():
    from generator.finish.pages import add_sidebar

    html = ('<nav class="md-header__inner">h</nav><nav class="md-nav md-nav--primary" aria-label="Navigation">'
            '<ul><li><nav class="md-nav" data-md-level="1"><nav class="md-nav">x</nav></nav></li></ul></nav>'
            '<nav class="md-nav md-nav--secondary">toc</nav><article><nav>body</nav></article>')  # fmt: skip
    done = add_sidebar(html, "<TREE>")
    assert done == html.replace("</ul></nav>", "</ul><TREE></nav>", 1) and done.count("<TREE>") == 1
    assert add_sidebar(html, "") == html
    assert add_sidebar(html.replace("md-nav--primary", "md-nav--other"), "<TREE>") == html.replace("md-nav--primary", "md-nav--other")
    unclosed = '<nav class="md-nav md-nav--primary"><nav>'
    assert add_sidebar(unclosed, "<TREE>") == unclosed  # no end found: left alone


def test_component_links_follow_the_pages_link_to_the_base_stylesheet():
    from generator.finish.pages import link_assets

    page = ('<html><head><link rel="stylesheet" href="/notes/assets/reading-notes/reading-notes.css"></head><body>'
            '<main><article><div class="rn-cite">c</div></article></main><footer></footer></body></html>')  # fmt: skip
    done = link_assets(page, '<div class="rn-cite">c</div>')
    assert '<link rel="stylesheet" href="/notes/assets/reading-notes/cite.css"></head>' in done
    assert '<script src="/notes/assets/reading-notes/cite.js"></script></main>' in done
    assert link_assets(page, "<p>plain</p>") == page
    no_base = page.replace("reading-notes.css", "other.css")
    assert link_assets(no_base, '<div class="rn-cite">c</div>') == no_base


def test_the_edit_button_is_the_themes_not_a_link_in_the_note_titled_like_it():
    """A note may link with title="Edit this page" (the sanitizer keeps the title, drops the
    button's class): its link stays as written and the page still gets the edit button."""
    from generator.finish.pages import set_edit_link
    from generator.sanitize import sanitize_html

    body = sanitize_html('<p><a href="https://example.org/x" title="Edit this page" class="md-content__button md-icon">x</a></p>').html
    page = f'<article class="md-content__inner md-typeset"><h1>T</h1>{body}</article>'
    done = set_edit_link(page, "https://github.com/o/r/edit/main/papers/x.md", "ICON")
    assert body in done  # the note's link is untouched
    assert edit_links(done) == ["https://github.com/o/r/edit/main/papers/x.md", "https://example.org/x"]
    theme = page.replace(
        'md-typeset">', 'md-typeset"><a href="old" title="Edit this page" class="md-content__button md-icon" rel="edit">I</a>'
    )
    assert edit_links(set_edit_link(theme, "new", "ICON")) == ["new", "https://example.org/x"]  # the theme's own one re-pointed
