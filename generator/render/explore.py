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
from collections.abc import Callable, Sequence
from typing import Any

from generator import urls
from generator.model import Catalog, Paper
from generator.render.pages import Asset, Page, RenderContext, listing_page, paper_tags, render_template

PAPERS_JSON = "papers.json"
EXPLORE = urls.EXPLORE
FORMAT_VERSION = 1
# Where the BibTeX export publishes every entry. When render_site produces an Asset at this path
# (before render_explore runs), the explorer offers "Download BibTeX" for the current selection.
BIBTEX_PATH = "papers.bib"

# Extra per-paper data the explorer should carry (site.EXPLORER_EXTRAS lists the BibTeX export's):
# each function takes (paper, render context) and returns extra fields for the paper's record in
# papers.json, e.g. {"citekey": "han2022reef"}. The explorer picks BibTeX entries by `citekey`
# (falling back to `id`).
RecordExtra = Callable[[Paper, RenderContext], dict[str, Any]]


def paper_record(paper: Paper, ctx: RenderContext, extras: Sequence[RecordExtra] = ()) -> dict[str, Any]:
    """One paper as the explorer sees it; empty fields are left out to keep the file small."""
    catalog = ctx.catalog
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
    for extra in extras:
        record.update(extra(paper, ctx))
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


def papers_json(ctx: RenderContext, extras: Sequence[RecordExtra] = ()) -> str:
    """The explorer's data: venues and tags (with their page URLs) and every paper, sorted."""
    catalog = ctx.catalog
    used_venues = {p.venue.key for p in catalog.papers}
    venues = sorted((vi.venue for vi in catalog.venues if vi.venue.key in used_venues), key=lambda v: (v.key.casefold(), v.key))
    data = {
        "version": FORMAT_VERSION,
        "venues": [{"key": v.key, "name": v.name, "url": urls.venue_url(v)} for v in venues],
        "tags": [{"key": t.tag.key, "name": t.tag.name, "url": urls.tag_url(t.tag)} for t in catalog.tags],
        "papers": [paper_record(p, ctx, extras) for p in sorted(catalog.papers, key=lambda p: p.path)],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def render_explore(ctx: RenderContext, outputs: list[Page | Asset], extras: Sequence[RecordExtra] = ()) -> list[Page | Asset]:
    """papers.json (each record with the fields ``extras`` add), the explore/ page (in the nav,
    after Venues and Tags) and the compare/ page."""
    has_bibtex = any(isinstance(o, Asset) and o.path == BIBTEX_PATH for o in outputs)
    markdown = render_template(
        "explore.md.j2", EXPLORE, ctx,
        papers_href=urls.relative(EXPLORE, "") + PAPERS_JSON,
        root_href=urls.relative(EXPLORE, ""),
        bibtex_href=urls.relative(EXPLORE, "") + BIBTEX_PATH if has_bibtex else "",
    )  # fmt: skip
    compare = render_template("compare.md.j2", urls.COMPARE, ctx, papers_href=urls.relative(urls.COMPARE, "") + PAPERS_JSON,
                              root_href=urls.relative(urls.COMPARE, ""))  # fmt: skip
    return [
        Asset(PAPERS_JSON, papers_json(ctx, extras)),
        listing_page(EXPLORE, "Explore", markdown, in_nav=True, search_blocks=True),
        listing_page(urls.COMPARE, "Compare papers", compare),
    ]
