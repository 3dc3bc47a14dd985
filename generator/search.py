"""The site search: a Pagefind index of the built site, written into its ``pagefind/`` folder.

It runs after the build over the HTML output, so it is the same on every engine that writes
Material-like pages (an ``<article class="md-content__inner …">`` holding the page's text):
the MkDocs plugin calls ``index_site`` from ``on_post_build``; any other build calls it on its
output folder. Pagefind splits the index into small pieces, so a reader's browser downloads only
the pieces a query needs, and nothing before the first query.

What is indexed: paper pages (their header — title, short names, authors, venue, year, tags,
summary — and the note) and hand-written pages. Generated listings mark themselves
``data-rn-unsearched`` and are skipped; the generated blocks of a paper page (related papers,
Cite, Referenced by, lineage, reading-path steps) are left out by their classes (``EXCLUDED``).
"""

from __future__ import annotations

import asyncio
import logging
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

OUTPUT = "pagefind"  # the folder of the index and its scripts, in the site
UNSEARCHED = "data-rn-unsearched"  # a generated listing page says so with this attribute
# the element whose text a page is searched by, the same on mkdocs-material and Zensical
_ARTICLE = re.compile(r'<article\s+class="md-content__inner[^"]*"')
# the generated blocks below a note and their headings: they repeat what other pages say
EXCLUDED = [
    ".rn-related", ".rn-cite", ".rn-refby", ".rn-lineage", ".rn-path-nav-group",
    "h2#related-papers", "h2#cite", "h2#referenced-by", "h2#lineage",
    ".rn-dash-totals", ".rn-chart", ".rn-chart__data", ".rn-recent", ".rn-tag-cloud", ".rn-grid-wrap", ".rn-papers",  # the home page's lists
    ".rn-tags", ".headerlink",  # tag chips run together (#a#b): the header's hidden line holds the tags as words
]
# the hidden paragraph of facets and result fields, or a run of text between two tags
_TEXT = re.compile(r'(<p class="rn-search-facets".*?</p>)|(?<=>)[^<]+', re.DOTALL)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


@dataclass(frozen=True)
class SearchIndex:
    pages: int  # pages indexed
    skipped: int  # HTML pages not indexed (listings, pages without an article)


def searchable(page_html: str) -> str | None:
    """The page as Pagefind should read it (its article marked as the searched body), or None to skip it."""
    if UNSEARCHED in page_html:
        return None
    found = _ARTICLE.search(page_html)
    if found is None:  # 404 page, redirect pages
        return None
    marked = page_html[: found.end()] + " data-pagefind-body" + page_html[found.end() :]
    return _cut_chinese(marked)


def _cut_chinese(page_html: str) -> str:
    """Chinese text cut into words (jieba) with spaces, so that a query for one word finds it.

    Pagefind segments Chinese only on pages whose language is Chinese; this site's pages are
    English with Chinese passages. Only text between tags changes, and not the paper's facets and
    result fields (``rn-search-facets``): the results show its title and tags as written.
    """
    if _CJK.search(page_html) is None:
        return page_html
    import jieba  # a pinned dependency; imported only when a page has Chinese text

    jieba.setLogLevel(logging.WARNING)  # no chatter about its dictionary on every build

    def words(m: re.Match[str]) -> str:
        return " " + " ".join(w for w in jieba.cut(m.group(0), HMM=False) if w.strip()) + " "

    def text(m: re.Match[str]) -> str:
        return m.group(0) if m.group(1) else _CJK.sub(words, m.group(0))

    return _TEXT.sub(text, page_html)


def index_site(site_dir: str | Path) -> SearchIndex:
    """Index the built site in ``site_dir`` with Pagefind; writes ``site_dir/pagefind/``.

    The pages to index are copied, as Pagefind should read them (``searchable``), into a temporary
    folder with the site's layout, which Pagefind's binary then reads on its own (one call instead of
    one round trip per page): the built pages themselves are left as they are.
    """
    site = Path(site_dir).resolve()
    pages = skipped = 0
    with tempfile.TemporaryDirectory(prefix="rn-search-") as tmp:
        for path in sorted(site.rglob("*.html")):
            rel = path.relative_to(site)
            if rel.parts[0] == OUTPUT or rel.as_posix() == "404.html":  # the index itself; "not found"
                continue
            content = searchable(path.read_text(encoding="utf-8", errors="replace"))
            if content is None:
                skipped += 1
                continue
            copy = Path(tmp, rel)
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_text(content, encoding="utf-8")
            pages += 1
        asyncio.run(_index(Path(tmp), site / OUTPUT))
    return SearchIndex(pages, skipped)


async def _index(pages: Path, output: Path) -> None:
    from pagefind.index import IndexConfig, PagefindIndex  # the Pagefind binary runs as a service

    config = IndexConfig(exclude_selectors=EXCLUDED, output_path=str(output))
    async with PagefindIndex(config=config) as index:
        await index.add_directory(str(pages))
