"""Long edition and tag listings continue on numbered pages (…/page/2/)."""

from __future__ import annotations

import re

import pytest
from conftest import MKDOCS_YML, note, run_mkdocs, write_site

from generator.render.pages import paginate

PAGED_YML = MKDOCS_YML.replace("  - reading-notes\n", "  - reading-notes:\n      listing_page_size: 2\n")


@pytest.mark.parametrize(("count", "size", "pages"), [(0, 2, [0]), (1, 2, [1]), (2, 2, [2]), (5, 2, [2, 2, 1]), (5, 0, [5]), (3, -1, [3])])
def test_paginate_cuts_a_listing_into_pages(count, size, pages):
    papers = list(range(count))
    cut = paginate(papers, "tags/x/", size)  # type: ignore[arg-type]
    assert [len(part) for _, part in cut] == pages
    assert [p for _, part in cut for p in part] == papers
    assert [pager.url(pager.number) for pager, _ in cut] == ["tags/x/"] + [f"tags/x/page/{n}/" for n in range(2, len(pages) + 1)]
    assert all(pager.count == len(pages) and pager.start == (pager.number - 1) * max(size, 1) for pager, _ in cut if size > 0)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("paged")
    notes = {f"osdi/2022/p{i}.md": note(f"Paper {i}", tags="[GPU_sharing]", summary=f"Summary {i}.") for i in range(5)}
    build = run_mkdocs(write_site(root, notes, mkdocs_yml=PAGED_YML), "--strict")
    assert build.returncode == 0, build.log
    return build


def _titles(html: str) -> list[str]:
    return re.findall(r'class="rn-paper__title" href="[^"]*">([^<]+)</a>', html)


@pytest.mark.parametrize("first", ["tags/gpu-sharing/", "venues/osdi/2022/"])
def test_every_paper_is_on_exactly_one_page_and_the_pages_link_each_other(built, first):
    pages = [built.html(first), built.html(first + "page/2/"), built.html(first + "page/3/")]
    assert not built.exists(first + "page/4/")
    assert [len(_titles(p)) for p in pages] == [2, 2, 1]
    assert sorted(t for p in pages for t in _titles(p)) == [f"Paper {i}" for i in range(5)]
    assert "Page 1 of 3" in pages[0] and '<a class="rn-pager__next" href="page/2/" rel="next">' in pages[0]
    assert 'rel="prev"' not in pages[0].split('class="rn-pager"')[1].split("</nav>")[0]
    assert '<a class="rn-pager__prev" href="../../" rel="prev">' in pages[1]
    assert '<a class="rn-pager__next" href="../3/" rel="next">' in pages[1]
    assert '<span class="rn-pager__current" aria-current="page">3</span>' in pages[2] and 'rel="next"' not in pages[2]
    assert "(page 2 of 3)</title>" in pages[1].replace(" - Fixture notes", "")
    # the listing's BibTeX and links to papers still resolve from page 2
    assert re.search(r'class="rn-bib-link" href="\.\./\.\./[\w-]+\.bib"', pages[1])
    up = "../" * (first.count("/") + 2)
    assert f'class="rn-paper__title" href="{up}papers/osdi/2022/p' in pages[1]


def test_short_listings_have_no_pager(tmp_path):
    build = run_mkdocs(write_site(tmp_path, {"osdi/2022/a.md": note("A", tags="[x]")}), "--strict")
    assert build.returncode == 0, build.log
    assert "rn-pager" not in build.html("tags/x/") and not build.exists("tags/x/page/2/")
