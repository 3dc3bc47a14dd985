"""The whole site in one place: which pages and files a build makes, and which blocks a paper page
shows below its notes, in the order they appear.

This module assembles the render stage. The page builders (pages.py for the listings, path_pages,
lineage, feeds, bibtex, explore) know nothing of each other; the lists here name them all. Add a
page kind or a paper block by adding it here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from generator import urls
from generator.index.citations import cited_ids
from generator.model import Catalog, Edition, Paper, TagIndex
from generator.render import bibtex, explore, feeds, lineage, path_pages, references, related
from generator.render.pages import (
    EDIT_PLACEHOLDER,
    PAGE_SIZE,
    Asset,
    Page,
    RenderContext,
    paper_tags,
    render_edition,
    render_tag,
    render_tags_index,
    render_template,
    render_venue,
    render_venues_index,
    venue_tree,
)
from generator.render.slots import Slots, extract, slot_key

# A block below a paper's notes: takes (paper, context, page_url), returns Markdown/HTML or "" for nothing.
PaperSection = Callable[[Paper, RenderContext, str], str]

PAPER_SECTIONS: list[PaperSection] = [
    path_pages.path_steps_section,  # "Step 3 of 10" on the reading paths that hold the paper
    lineage.lineage_section,  # what it builds on and compares with, drawn
    references.referenced_by_section,  # the notes that cite it
    related.related_section,  # named as related, naming it, sharing tags
    bibtex.cite_section,  # its BibTeX entry
]

# Extra fields of each paper's record in papers.json (the explorer picks BibTeX entries by citekey).
EXPLORER_EXTRAS: list[explore.RecordExtra] = [bibtex.explorer_record]


def render_site(catalog: Catalog, site_url: str = "", site_name: str = "Reading notes",
                page_size: int = PAGE_SIZE, context: RenderContext | None = None,
                kept: KeptPages | None = None) -> list[Page | Asset]:  # fmt: skip
    """Stage 4 (render): every generated page and file, in a stable order.

    ``site_url`` makes feed links absolute; edition and tag listings longer than ``page_size``
    papers continue on numbered pages. ``context`` (for ``catalog``) is the one to render with, when
    the caller keeps it for ``rerender_bodies``; by default a new one is made. ``kept`` hands back
    the last render's pages of papers, tags and editions an edit did not reach (incremental.py).
    """
    ctx = context if context is not None else RenderContext(catalog)
    if ctx.catalog is not catalog:
        raise ValueError("render_site: the render context was made for another catalog")
    outputs: list[Page | Asset] = [render_venues_index(ctx), render_tags_index(ctx)]
    for venue_index in catalog.venues:
        outputs.append(render_venue(venue_index, ctx))
        for edition in venue_index.editions:
            outputs.extend((kept and kept.edition(edition, page_size)) or render_edition(edition, ctx, page_size))
    for tag_index in catalog.tags:
        lineage_page = urls.tag_lineage_url(tag_index.tag) if lineage.has_relations(tag_index.papers, catalog) else None
        outputs.extend((kept and kept.tag(tag_index, page_size)) or render_tag(tag_index, ctx, page_size, lineage_page))
    outputs.extend((kept and kept.paper(paper)) or render_paper(paper, ctx) for paper in catalog.papers)
    outputs.extend(path_pages.render_path_pages(ctx))
    outputs.extend(lineage.set_pages(ctx))  # paths/<name>/lineage/ and tags/<tag>/lineage/
    outputs.extend(feeds.render_feeds(catalog, site_url, site_name))
    outputs.extend(bibtex.bib_assets(ctx))  # papers.bib and a .bib per venue, venue-year and tag
    outputs.extend(explore.render_explore(ctx, outputs, EXPLORER_EXTRAS))  # keep last: it looks for papers.bib among the outputs
    return outputs


class KeptPages(Protocol):
    """The last render's pages that an edit did not reach (None: render that one again)."""

    def paper(self, paper: Paper) -> Page | None: ...
    def tag(self, index: TagIndex, page_size: int) -> list[Page] | None: ...
    def edition(self, edition: Edition, page_size: int) -> list[Page] | None: ...


def render_paper(paper: Paper, ctx: RenderContext) -> Page:
    """A paper's page: its header, the note body and the paper sections below it."""
    catalog = ctx.catalog
    url = urls.paper_url(paper)
    published = catalog.by_id.get(paper.published_as) if paper.published_as else None
    preprint = catalog.preprint_of.get(paper.id)
    header = render_template("paper.md.j2", url, ctx, paper=paper, tags=paper_tags(paper, catalog), tag_aliases=catalog.tag_aliases,
                             edit_placeholder=EDIT_PLACEHOLDER,
                             published=published if published is not None and catalog.preprint_of.get(published.id) is paper else None,
                             preprint=preprint)  # fmt: skip
    sections = [text for section in PAPER_SECTIONS if (text := section(paper, ctx, url))]
    # The generated blocks above and below the notes go back in after conversion, as they are; the
    # rest of the page's HTML (the body) is sanitized (sanitize.py). Their markers' key is the body's
    # digest, so the body cannot hold a marker of its own page.
    # The site search reads the header with the notes, not the sections (related papers, citation).
    body = references.link_citations(paper.body, catalog, url)  # [@id] → a link to that paper
    key = slot_key(body)
    head, blocks = extract(header, key)
    searched = len(blocks)
    markdown = head.rstrip("\n") + "\n\n" + body.rstrip("\n") + "\n"
    if sections:
        tail, more = extract("\n\n".join(sections), key, start=len(blocks))
        markdown += "\n" + tail.rstrip("\n") + "\n"
        blocks += more
    return Page(
        urls.paper_source(paper),
        url,
        paper.title,
        markdown,
        slots=Slots(key, tuple(blocks), searched),
        sidebar=venue_tree(ctx, url, paper.venue, paper.year, paper),
    )


def rerender_bodies(outputs: list[Page | Asset], old: RenderContext, new: Catalog) -> list[Page | Asset] | None:
    """``outputs`` rendered with ``old`` updated for ``new`` when only note bodies changed, else None.

    That is the common edit while writing, and it need not re-render thousands of index pages. A
    note that did not change is the very same ``Paper`` object in both catalogs (the build cache),
    so only changed notes are compared field by field. The changed pages are rendered with ``old``:
    everything but the bodies is the same, and ``old`` already holds the indexes built for its
    catalog (related papers, citekeys), which a new context would build again from scratch.
    """
    if len(old.catalog.papers) != len(new.papers) or _catalog_extras(old.catalog) != _catalog_extras(new):
        return None
    changed: dict[str, Paper] = {}
    for before, after in zip(old.catalog.papers, new.papers, strict=True):
        if before is after:
            continue
        if before.id != after.id or _shown_fields(before) != _shown_fields(after):
            return None
        if before.body != after.body:
            if cited_ids(before.body) != cited_ids(after.body):  # the cited papers' "Referenced by" changes too
                return None
            changed[urls.paper_source(after)] = after
    return [render_paper(changed[out.src_uri], old) if isinstance(out, Page) and out.src_uri in changed else out
            for out in outputs]  # fmt: skip


def _shown_fields(paper: Paper) -> str:
    """Everything a paper's listings and index pages show of it (all but the body)."""
    fields = {k: v for k, v in vars(paper).items() if k not in ("body", "body_line")}
    fields["has_body"] = paper.has_body
    return repr(sorted(fields.items()))


def _catalog_extras(catalog: Catalog) -> str:
    """What the generated pages show besides the papers: dates added and edited, the reading paths, tag aliases."""
    paths = [(p.name, p.title, p.description,
              [(s.number, s.key, s.kind, s.title, s.url, s.level, s.why, s.requires, s.unverified, s.note) for s in p.steps])
             for p in catalog.paths]  # fmt: skip
    return repr((sorted(catalog.added_on.items()), sorted(catalog.edited_on.items()), paths, catalog.tag_aliases))
