"""The explorer: ``papers.json`` (every paper, compact), the ``explore/`` page that filters it and the
``compare/`` page that shows the papers named in its address side by side (compare/?id=orca&id=vllm).

The page itself is a small HTML shell; ``assets/explore.js`` loads ``papers.json`` and builds the
table, the facets and the URL state in the browser. Configuration reaches the script through
``data-`` attributes (no inline script, so a strict Content-Security-Policy can forbid them).

``papers.json`` is byte-identical across builds of the same notes: papers sorted by path, tags and
venues sorted by name, keys in a fixed order, no timestamps.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from generator import urls
from generator.model import Catalog, Paper

if TYPE_CHECKING:
    from generator.render.pages import Asset, Page

# render/pages.py imports this module at its end and fills RECORD_EXTRAS; so this module imports it
# only inside functions, and either module may be imported first.

PAPERS_JSON = "papers.json"
EXPLORE = urls.EXPLORE
FORMAT_VERSION = 1
# Where the BibTeX export publishes every entry. When render_site produces an Asset at this path
# (before render_explore runs), the explorer offers "Download BibTeX" for the current selection.
BIBTEX_PATH = "papers.bib"

# HOOK for the BibTeX export (and any other per-paper data the explorer should carry): each function
# takes (paper, catalog) and returns extra fields for the paper's record in papers.json, e.g.
# {"citekey": "han2022reef"}. The explorer picks BibTeX entries by `citekey` (falling back to `id`).
RecordExtra = Callable[[Paper, Catalog], dict[str, Any]]
RECORD_EXTRAS: list[RecordExtra] = []


def paper_record(paper: Paper, catalog: Catalog) -> dict[str, Any]:
    """One paper as the explorer sees it; empty fields are left out to keep the file small."""
    from generator.render.pages import paper_tags

    record: dict[str, Any] = {
        "id": paper.id,
        "title": paper.title,
        "url": urls.paper_url(paper),
        "venue": paper.venue.key,
        "year": paper.year,
    }
    tags = [t.name for t in paper_tags(paper, catalog)]
    optional = {
        "tags": tags,
        "authors": list(paper.authors),
        "aka": list(paper.aka),
        "level": paper.level,
        "status": paper.status if paper.status != "unread" else None,
        "notes": paper.has_body,  # has a written body (derived, not the maintainers' `status`)
        "summary": paper.summary,
        "added": _added(paper, catalog),
        "builds_on": [rid for rid in paper.builds_on if rid in catalog.by_id],
        "compares_with": [rid for rid in paper.compares_with if rid in catalog.by_id],
        "evaluation": _evaluation(paper),
    }
    record.update((key, value) for key, value in optional.items() if value)
    for extra in RECORD_EXTRAS:
        record.update(extra(paper, catalog))
    return record


def _evaluation(paper: Paper) -> dict[str, Any] | None:
    ev = paper.evaluation
    if ev is None:
        return None
    fields = {"hardware": ev.hardware, "workloads": list(ev.workloads), "result": ev.result}
    return {key: value for key, value in fields.items() if value}


def _added(paper: Paper, catalog: Catalog) -> str | None:
    """YYYY-MM-DD: the note's `added`, else the date its file was first committed (when known)."""
    stamp = getattr(catalog, "added_on", {}).get(paper.id) or paper.added
    return stamp[:10] if stamp else None


def papers_json(catalog: Catalog) -> str:
    """The explorer's data: venues and tags (with their page URLs) and every paper, sorted."""
    used_venues = {p.venue.key for p in catalog.papers}
    venues = sorted((vi.venue for vi in catalog.venues if vi.venue.key in used_venues), key=lambda v: (v.key.casefold(), v.key))
    data = {
        "version": FORMAT_VERSION,
        "venues": [{"key": v.key, "name": v.name, "url": urls.venue_url(v)} for v in venues],
        "tags": [{"key": t.tag.key, "name": t.tag.name, "url": urls.tag_url(t.tag)} for t in catalog.tags],
        "papers": [paper_record(p, catalog) for p in sorted(catalog.papers, key=lambda p: p.path)],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def render_explore(catalog: Catalog, outputs: list[Page | Asset]) -> list[Page | Asset]:
    """papers.json, the explore/ page (in the nav, after Venues and Tags) and the compare/ page."""
    from generator.render.pages import Asset, listing_page, render_template

    has_bibtex = any(isinstance(o, Asset) and o.path == BIBTEX_PATH for o in outputs)
    markdown = render_template(
        "explore.md.j2", EXPLORE, catalog,
        papers_href=urls.relative(EXPLORE, "") + PAPERS_JSON,
        root_href=urls.relative(EXPLORE, ""),
        bibtex_href=urls.relative(EXPLORE, "") + BIBTEX_PATH if has_bibtex else "",
    )  # fmt: skip
    compare = render_template("compare.md.j2", urls.COMPARE, catalog, papers_href=urls.relative(urls.COMPARE, "") + PAPERS_JSON,
                              root_href=urls.relative(urls.COMPARE, ""))  # fmt: skip
    return [
        Asset(PAPERS_JSON, papers_json(catalog)),
        listing_page(EXPLORE, "Explore", markdown, in_nav=True, search_blocks=True),
        listing_page(urls.COMPARE, "Compare papers", compare),
    ]
