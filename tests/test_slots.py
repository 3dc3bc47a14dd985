"""Generated HTML blocks skip the Markdown converter (slots.py) and come back unchanged."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest
from conftest import ROOT, note, search_pages

from generator import pipeline
from generator.render import slots
from generator.render.pages import Page
from generator.render.site import render_site
from generator.sanitize import sanitize_html

KEY = slots.slot_key("body")


def test_a_block_runs_over_blank_lines_until_its_first_element_closes():
    text = "# T\n\n<ul>\n<li>a</li>\n\n<li>b</li>\n\n</ul>\n\n## 2024\n\n<p>x</p>\n<p>y</p>\n\ntext *em*\n\n<hr>\n"
    md, blocks = slots.extract(text, KEY, start=3)
    assert blocks == ["<ul>\n<li>a</li>\n\n<li>b</li>\n\n</ul>", "<p>x</p>\n<p>y</p>", "<hr>"]
    assert md == f"# T\n\n{slots.marker(KEY, 3)}\n\n## 2024\n\n{slots.marker(KEY, 4)}\n\ntext *em*\n\n{slots.marker(KEY, 5)}\n"


def test_only_blocks_that_markdown_passes_through_are_taken_out():
    text = '<a href="x">inline *em*</a>\n\n    <div>code</div>\n\n<span>s</span>\n\n<div class="d">\nkept\n</div>'
    md, blocks = slots.extract(text, KEY)
    assert blocks == ['<div class="d">\nkept\n</div>']
    assert md.startswith('<a href="x">inline *em*</a>\n\n    <div>code</div>\n\n<span>s</span>\n\n<!-- rn-slot:')


def test_fill_puts_blocks_back_and_cleans_only_the_text_between_them():
    page = slots.Slots(KEY, ("<div onclick='trusted()'>A</div>", "<p data-x='1'>B</p>"), searched=1)
    html = f"<p>{slots.marker(KEY, 0)}</p>\n<p><b onclick=x>note</b></p>\n{slots.marker(KEY, 1)}"
    seen: list[str] = []

    def clean(fragment: str) -> str:
        seen.append(fragment)
        return sanitize_html(fragment).html

    early = slots.fill(html, page, clean, numbers=page.early)
    assert early == f"<div onclick='trusted()'>A</div>\n<p><b>note</b></p>\n{slots.marker(KEY, 1)}"
    assert all("rn-slot" not in s and "trusted()" not in s for s in seen)  # markers and blocks skip the cleaner
    assert slots.fill(early, page, numbers=page.late) == "<div onclick='trusted()'>A</div>\n<p><b>note</b></p>\n<p data-x='1'>B</p>"


def test_a_marker_with_another_key_is_text_for_the_cleaner():
    forged = slots.marker(slots.slot_key("other"), 0)
    page = slots.Slots(KEY, ("<script>trusted()</script>",))
    out = slots.fill(f"<p>a</p>{forged}", page, lambda f: sanitize_html(f).html)
    assert out == "<p>a</p>" and "trusted" not in out
    assert slots.fill(f"<p>{slots.marker(KEY, 7)}</p>", page) == f"<p>{slots.marker(KEY, 7)}</p>"  # no such block


def test_inline_gives_one_markdown_text_for_other_engines():
    md, blocks = slots.extract("# T\n\n<div>\nx\n</div>\n", KEY)
    assert slots.Slots(KEY, tuple(blocks)).inline(md) == "# T\n\n<div>\nx\n</div>\n"
    stray = slots.marker(KEY, 5)  # no such block: left as it is
    assert slots.Slots(KEY, tuple(blocks)).inline(md + stray) == "# T\n\n<div>\nx\n</div>\n" + stray


SHIPPED_EXTENSIONS = ["toc", "tables", "admonition", "pymdownx.details", "pymdownx.superfences", "pymdownx.highlight",
                      "pymdownx.arithmatex", "attr_list", "md_in_html"]  # fmt: skip
CONFIGS = {"toc": {"permalink": True}, "pymdownx.highlight": {"use_pygments": True}, "pymdownx.arithmatex": {"generic": True}}
_FRONT = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)


def _convert(text: str) -> str:
    return markdown.Markdown(extensions=SHIPPED_EXTENSIONS, extension_configs=CONFIGS).convert(_FRONT.sub("", text))


def _tight(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


def test_every_shipped_page_converts_to_the_same_html_with_or_without_slots():
    result = pipeline.build(ROOT / "papers", ROOT)
    pages = [out for out in render_site(result.catalog) if isinstance(out, Page)]
    assert len(pages) > 300
    for page in pages:
        with_slots = slots.fill(_convert(page.markdown), page.slots)
        assert _tight(with_slots) == _tight(_convert(page.full_markdown)), page.src_uri


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import run_mkdocs, write_site

    root = tmp_path_factory.mktemp("slots")
    notes = {
        "osdi/2022/reef.md": note("REEF", tags="[GPU_sharing]", authors="[Mingcong Han]", summary="Preempts kernels fast.",
                                  body="## Problem\n\nSlow kernels.\n"),
        "osdi/2022/orion.md": note("Orion", tags="[GPU_sharing]", body=f"Forged: {slots.marker(slots.slot_key(''), 0)}\n"),
    }  # fmt: skip
    build = run_mkdocs(write_site(root, notes))
    assert build.returncode == 0, build.log
    return root / "site"


def _search(site: Path) -> dict[str, str]:
    return {url: record["content"] for url, record in search_pages(site).items()}


def test_search_reads_a_paper_header_and_notes_but_not_listings_or_related_papers(built):
    index = _search(built)
    assert "Mingcong Han" in index["papers/osdi/2022/reef/"] and "Slow kernels." in index["papers/osdi/2022/reef/"]
    assert "Orion" not in index["papers/osdi/2022/reef/"]  # the related papers block
    assert "tags/gpu-sharing/" not in index  # a listing: its papers are found on their own pages
    assert "Preempts kernels fast." in index["papers/osdi/2022/reef/"]  # (the summary, on the paper's page)
    tag_page = (built / "tags" / "gpu-sharing" / "index.html").read_text(encoding="utf-8")
    assert "Preempts kernels fast." in tag_page and 'href="../../papers/osdi/2022/reef/"' in tag_page
    reef = (built / "papers" / "osdi" / "2022" / "reef" / "index.html").read_text(encoding="utf-8")
    assert '<div class="rn-related">' in reef and 'class="rn-cite"' in reef


def test_no_marker_is_left_and_a_forged_one_is_removed(built):
    for page in built.rglob("*.html"):
        assert "rn-slot" not in page.read_text(encoding="utf-8"), page
    orion = (built / "papers" / "osdi" / "2022" / "orion" / "index.html").read_text(encoding="utf-8")
    assert "Forged:" in orion and "rn-papers" not in orion
