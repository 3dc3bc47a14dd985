"""Render the catalog into Markdown pages (with HTML blocks) for any Markdown site engine.

Every value that comes from a note is escaped by Jinja2's autoescaping; text that lands in a
Markdown context (headings) is escaped for Markdown too. A note's body is the only Markdown passed
through as written, below its generated header.
"""

from __future__ import annotations

import functools
import html
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import groupby

import jinja2
from markupsafe import Markup

from generator import urls
from generator.finish.search import UNSEARCHED
from generator.index import tag_neighbours
from generator.index.citations import cited_ids
from generator.load.frontmatter import yaml_quoted
from generator.model import LEVEL_MARKS, VENUE_KINDS, Catalog, Edition, Paper, Tag, TagIndex, Venue, VenueIndex
from generator.render.slots import Slots, extract, slot_key

LEVEL_LABELS = {"essential": "Essential (must read)", "recommended": "Recommended", "advanced": "Advanced"}
KIND_TITLES = {"conference": "Conferences", "journal": "Journals", "workshop": "Workshops",
               "preprint": "Preprints", "report": "Technical reports"}  # fmt: skip
# Markdown and extension syntax (emphasis, links, attribute lists, math, tables, strike): written as
# numeric character references, which Markdown leaves alone and the browser shows as the character.
_MD_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+\-.!|$~^:=]")


@dataclass(frozen=True)
class Page:
    """One generated page: where it goes (its source URI and URL) and its Markdown."""

    src_uri: str
    url: str
    title: str
    markdown: str  # with a marker in place of each generated HTML block (see slots.py)
    in_nav: bool = False
    slots: Slots = Slots(slot_key(""))  # the HTML blocks that go back in after conversion
    sidebar: str = ""  # HTML beside the page (the venue → year tree), escaped here; the theme shows it

    @property
    def full_markdown(self) -> str:
        """The page as one Markdown text with its HTML blocks in place."""
        return self.slots.inline(self.markdown)


@dataclass(frozen=True)
class Asset:
    """A generated file that is not a page (JSON data, BibTeX, feeds), published as-is at ``path``."""

    path: str
    content: str


def markdown_text(text: str) -> Markup:
    """Text that shows as itself inside a Markdown line: no HTML, no emphasis, no attribute lists."""
    return Markup(_MD_SPECIAL.sub(lambda m: f"&#{ord(m.group())};", html.escape(text, quote=False)))


@functools.lru_cache(maxsize=1 << 16)  # PyYAML's emitter is slow, and every page has a title
def yaml_string(text: str) -> Markup:
    """A YAML scalar holding the HTML-escaped text: themes print page titles without escaping."""
    return Markup(yaml_quoted(html.escape(text, quote=False)))


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,  # templates are package data: no stat() per page
    )
    env.filters["md"] = markdown_text
    env.filters["yaml_str"] = yaml_string
    env.filters["facet"] = lambda text: str(text).replace("\\", "\\\\").replace(",", "\\,")  # a Pagefind filter value
    env.globals.update(
        urls=urls,
        level_marks=LEVEL_MARKS,
        level_labels=LEVEL_LABELS,
        kind_titles=KIND_TITLES,
    )
    return env


_ENV = _environment()


def _render(template: str, url: str, catalog: Catalog, **context: object) -> str:
    rel: Callable[[str], str] = lambda target: urls.relative(url, target)  # noqa: E731
    return _ENV.get_template(template).render(
        rel=rel,
        catalog=catalog,
        catalog_tags=lambda p: paper_tags(p, catalog),
        paper_html=lambda p, show_venue=True, compact=False: site_fragment(
            catalog, ("paper_item", p.id, show_venue, compact), "paper_item.j2", url,
            paper=p, show_venue=show_venue, compact=compact,
        ),
        compact_over=COMPACT_OVER,
        page_url=url,
        venue_lists_up_to=VENUE_LISTS_UP_TO,
        **context,
    )


# Stands for "the way back to the site root" in cached fragments; no note text can contain it
# (control characters are refused in front-matter).
_ROOT = "\x00"
COMPACT_OVER = 60  # a listing longer than this shows one line per paper
PAGE_SIZE = 250  # an edition or tag listing longer than this continues on …/page/2/ (pages stay under 100 KB)
VENUE_LISTS_UP_TO = 300  # a venue page lists titles only for venues with at most this many papers


def site_fragment(catalog: Catalog, key: tuple[object, ...], template: str, page_url: str, **context: object) -> Markup:
    """``template`` rendered once per build under ``key`` and reused on every page that shows it
    (a paper appears on a dozen listings and related blocks); its links, written from the site
    root, are rebased for the page at ``page_url`` ("../" per level)."""
    if key not in catalog.fragments:
        rel = lambda target: _ROOT + urllib.parse.quote(target, safe="/.-_~")  # noqa: E731
        catalog.fragments[key] = _ENV.get_template(template).render(
            rel=rel, catalog=catalog, catalog_tags=lambda p: paper_tags(p, catalog), **context
        )
    return Markup(catalog.fragments[key].replace(_ROOT, "../" * page_url.count("/")))


# Blocks shown below a paper's notes (reading-path steps, citation, related papers …): each takes
# (paper, catalog, page_url) and returns Markdown/HTML, or "" to show nothing.
PaperSection = Callable[[Paper, Catalog, str], str]
PAPER_SECTIONS: list[PaperSection] = []


# The "Write the notes" button of an entry page links here until the page's edit URL is known.
EDIT_PLACEHOLDER = "#rn-write-notes"
_EDIT_ACTION = re.compile(r'<p class="rn-empty__action"><a class="md-button rn-empty__edit" href="#rn-write-notes">.*?</p>\n?')


def fill_edit_link(page_html: str, edit_url: str | None) -> str:
    """Point an entry page's "Write the notes" button at the page's edit URL (http or https only);
    without one, leave the button out."""
    if edit_url and urllib.parse.urlsplit(edit_url).scheme in ("http", "https"):
        href = 'href="' + html.escape(edit_url, quote=True) + '"'
        return page_html.replace('href="' + EDIT_PLACEHOLDER + '"', href + ' rel="noopener nofollow"', 1)
    return _EDIT_ACTION.sub("", page_html, count=1)


def render_paper(paper: Paper, catalog: Catalog) -> Page:
    """Stage 4 (render): a paper's page: its header, the note body and the paper sections below it."""
    url = urls.paper_url(paper)
    published = catalog.by_id.get(paper.published_as) if paper.published_as else None
    preprint = catalog.preprint_of.get(paper.id)
    header = _render("paper.md.j2", url, catalog, paper=paper, tags=paper_tags(paper, catalog), edit_placeholder=EDIT_PLACEHOLDER,
                     published=published if published is not None and catalog.preprint_of.get(published.id) is paper else None,
                     preprint=preprint)  # fmt: skip
    sections = [text for section in PAPER_SECTIONS if (text := section(paper, catalog, url))]
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
    return Page(urls.paper_source(paper), url, paper.title, markdown, slots=Slots(key, tuple(blocks), searched),
                sidebar=venue_tree(catalog, url, paper.venue, paper.year, paper))


def listing_page(url: str, title: str, markdown: str, in_nav: bool = False, search_blocks: bool = False) -> Page:
    """A generated page without contributed Markdown; its HTML blocks skip the Markdown converter.

    Listings repeat what the papers' own pages say, so by default a site search indexes only their
    headings and text outside the blocks.
    """
    key = slot_key("")
    # the site search (search.py) skips the page: its text is the papers' own, found on their pages
    text, blocks = extract(markdown.rstrip("\n") + f'\n\n<div class="rn-unsearched" {UNSEARCHED} hidden></div>\n', key)
    return Page(urls.source_uri(url), url, title, text, in_nav, Slots(key, tuple(blocks), len(blocks) if search_blocks else 0))


def venues_by_weight(catalog: Catalog) -> list[VenueIndex]:
    """The venues by kind (conferences first), then most papers first, then by name: the venues a
    reader came for lead, and one-paper venues gather at the end of their kind."""
    kind_order = {kind: n for n, kind in enumerate(VENUE_KINDS)}
    return sorted(catalog.venues, key=lambda v: (kind_order.get(v.venue.kind, len(kind_order)), -v.paper_count, v.venue.key.casefold()))


# In a cached venue tree, the place of the current paper's line (a control character: no note text holds one).
_TREE_PAPER = "\x01"


def venue_tree(catalog: Catalog, page_url: str, venue: Venue, year: int | None = None, paper: Paper | None = None) -> str:
    """The venue → year tree for a venue's (no year), an edition's or a paper's page (see venue_tree.j2)."""
    kind = "paper" if paper is not None else "edition" if year is not None else "venue"
    tree = site_fragment(catalog, ("venue_tree", venue.key, year, kind), "venue_tree.j2", page_url,
                         venues=venues_by_weight(catalog), current_venue=venue.key, current_year=year,
                         kind=kind, paper_slot=Markup(_TREE_PAPER))  # fmt: skip
    if paper is None:
        return str(tree)
    line = f'<ul class="rn-venue-tree__papers"><li><span aria-current="page">{html.escape(paper.title)}</span></li></ul>'
    return str(tree).replace(_TREE_PAPER, line, 1)


def render_venues_index(catalog: Catalog) -> Page:
    """The Venues page: every venue with notes, grouped by kind."""
    ordered = venues_by_weight(catalog)
    groups = [(kind, [v for v in ordered if v.venue.kind == kind]) for kind in VENUE_KINDS]
    markdown = _render("venues.md.j2", urls.VENUES, catalog, groups=[g for g in groups if g[1]])
    return listing_page(urls.VENUES, "Venues", markdown, in_nav=True)


def render_venue(index: VenueIndex, catalog: Catalog) -> Page:
    """A venue's page: its editions and their papers."""
    url = urls.venue_url(index.venue)
    markdown = _render("venue.md.j2", url, catalog, index=index, venue=index.venue)
    return replace(listing_page(url, index.venue.key, markdown), sidebar=venue_tree(catalog, url, index.venue))


@dataclass(frozen=True)
class Pager:
    """Where one page of a long listing sits among its pages (page 1 is at ``first``)."""

    first: str
    number: int
    count: int
    start: int  # the index of the page's first paper in the whole listing

    def url(self, number: int) -> str:
        return urls.listing_url(self.first, number)


def paginate(papers: list[Paper], first: str, page_size: int) -> list[tuple[Pager, list[Paper]]]:
    """The listing cut into pages of at most ``page_size`` papers (one page when ``page_size`` < 1)."""
    size = page_size if page_size > 0 else max(len(papers), 1)
    count = max(1, -(-len(papers) // size))
    return [(Pager(first, n + 1, count, n * size), papers[n * size : (n + 1) * size]) for n in range(count)]


def render_edition(edition: Edition, catalog: Catalog, page_size: int = PAGE_SIZE) -> list[Page]:
    """An edition's pages (a venue in one year), its papers grouped by topic, ``page_size`` a page."""
    name = f"{edition.venue.key} {edition.year}"
    pages = []
    for pager, papers in paginate(edition.papers, urls.edition_url(edition.venue, edition.year), page_size):
        url = pager.url(pager.number)
        topics = [(topic, list(group)) for topic, group in groupby(papers, key=lambda p: p.topic)]
        title = _paged_title(name, pager)
        markdown = _render("edition.md.j2", url, catalog, edition=edition, venue=edition.venue, topics=topics, pager=pager,
                           title=title)  # fmt: skip
        pages.append(replace(listing_page(url, title, markdown), sidebar=venue_tree(catalog, url, edition.venue, edition.year)))
    return pages


def _paged_title(name: str, pager: Pager) -> str:
    return name if pager.number == 1 else f"{name} (page {pager.number} of {pager.count})"


def render_tags_index(catalog: Catalog) -> Page:
    """The Tags page: every tag with the number of its papers."""
    several, once = tag_neighbours.by_count(catalog.tags)
    markdown = _render("tags.md.j2", urls.TAGS, catalog, several=several, once=once)
    return listing_page(urls.TAGS, "Tags", markdown, in_nav=True, search_blocks=True)


def render_tag(index: TagIndex, catalog: Catalog, page_size: int = PAGE_SIZE) -> list[Page]:
    """A tag's pages, its papers grouped by year, ``page_size`` a page."""
    pages = []
    lineage_page = urls.tag_lineage_url(index.tag) if lineage.has_relations(index.papers, catalog) else None
    for pager, papers in paginate(index.papers, urls.tag_url(index.tag), page_size):
        url = pager.url(pager.number)
        years = [(year, list(group)) for year, group in groupby(papers, key=lambda p: p.year)]
        title = _paged_title("#" + index.tag.name, pager)
        markdown = _render("tag.md.j2", url, catalog, index=index, tag=index.tag, years=years, pager=pager, title=title,
                           lineage=lineage_page, related=tag_neighbours.related_tags(index, catalog),
                           paths_using=tag_neighbours.paths_using(index, catalog))  # fmt: skip
        pages.append(listing_page(url, title, markdown))
    return pages


def paper_tags(paper: Paper, catalog: Catalog) -> list[Tag]:
    """The paper's tags as the site names them (one spelling per tag across all notes)."""
    return [catalog.tag_by_key[t.key] for t in paper.tags if t.key in catalog.tag_by_key]


def render_template(template: str, url: str, catalog: Catalog, **context: object) -> str:
    """Render one of the package's templates for the page at ``url`` (``rel`` gives relative hrefs)."""
    return _render(template, url, catalog, **context)


def render_site(catalog: Catalog, site_url: str = "", site_name: str = "Reading notes", page_size: int = PAGE_SIZE,
                paper_page: Callable[[Paper, Catalog], Page] = render_paper,
                tag_pages: Callable[[TagIndex, Catalog, int], list[Page]] = render_tag,
                edition_pages: Callable[[Edition, Catalog, int], list[Page]] = render_edition) -> list[Page | Asset]:  # fmt: skip
    """Every generated page and file, in a stable order (``site_url`` makes feed links absolute;
    edition and tag listings longer than ``page_size`` papers continue on numbered pages;
    ``paper_page``, ``tag_pages`` and ``edition_pages`` give a paper's, a tag's and an edition's pages: incremental.py passes ones
    that reuse unchanged pages)."""
    pages: list[Page | Asset] = [render_venues_index(catalog), render_tags_index(catalog)]
    for venue_index in catalog.venues:
        pages.append(render_venue(venue_index, catalog))
        for edition in venue_index.editions:
            pages.extend(edition_pages(edition, catalog, page_size))
    for tag_index in catalog.tags:
        pages.extend(tag_pages(tag_index, catalog, page_size))
    pages.extend(paper_page(paper, catalog) for paper in catalog.papers)
    pages.extend(render_path_pages(catalog))
    pages.extend(lineage.set_pages(catalog))  # paths/<name>/lineage/ and tags/<tag>/lineage/
    pages.extend(feeds.render_feeds(catalog, site_url, site_name))
    pages.extend(bibtex.bib_assets(catalog))  # papers.bib and a .bib per venue, venue-year and tag
    pages.extend(explore.render_explore(catalog, pages))  # keep last: it looks for papers.bib among the outputs
    return pages


_FRONT = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)


def merge_hand_written(generated: str, hand_written: str) -> str:
    """Put a hand-written page (say, an edition's introduction) above the generated listing.

    The hand-written front-matter wins when there is one; the generated H1 is dropped when the
    hand-written text has its own.
    """
    hand = hand_written.replace("\r\n", "\n")
    own_front = _FRONT.match(hand)
    hand_body = hand[own_front.end() :] if own_front else hand
    gen_front = _FRONT.match(generated)
    front = own_front.group(0) if own_front else (gen_front.group(0) if gen_front else "")
    rest = generated[gen_front.end() :] if gen_front else generated
    heading = re.search(r"^# .*\n", rest, re.MULTILINE)
    head = ""
    if heading:
        rest = rest[: heading.start()] + rest[heading.end() :]
        if not re.search(r"^# ", hand_body, re.MULTILINE):
            head = heading.group(0)
    return f"{front}\n{head}\n{hand_body.strip()}\n\n{rest.lstrip()}"


# the order is the order the paper sections register in
# isort: off
from generator.render.path_pages import render_path_pages  # noqa: E402  (registers its paper section on import)
from generator.render import lineage  # noqa: E402  (lineage drawings: below the path steps on paper pages; path and tag pages)

PAPER_SECTIONS.append(lineage.lineage_section)
from generator.render import references  # noqa: E402  ([@id] links; registers "Referenced by" on import)
from generator.render import feeds, related  # noqa: E402, F401  (related registers its paper section on import)
from generator.render import explore  # noqa: E402  (papers.json and the explore/ page)
from generator.render import bibtex  # noqa: E402  (BibTeX files, the Cite block, citekeys for the explorer)
# isort: on

PAPER_SECTIONS.append(bibtex.cite_section)
explore.RECORD_EXTRAS.append(bibtex.explorer_record)


def _shown_fields(paper: Paper) -> str:
    """Everything a paper's listings and index pages show of it (all but the body)."""
    fields = {k: v for k, v in vars(paper).items() if k not in ("body", "body_line")}
    fields["has_body"] = paper.has_body
    return repr(sorted(fields.items()))


def _catalog_extras(catalog: Catalog) -> str:
    """What the generated pages show besides the papers: dates added and edited, the reading paths."""
    paths = [(p.name, p.title, p.description,
              [(s.number, s.key, s.kind, s.title, s.url, s.level, s.why, s.requires, s.unverified, s.note) for s in p.steps])
             for p in catalog.paths]  # fmt: skip
    return repr((sorted(catalog.added_on.items()), sorted(catalog.edited_on.items()), paths))


def rerender_bodies(outputs: list[Page | Asset], old: Catalog, new: Catalog) -> list[Page | Asset] | None:
    """``outputs`` of ``old`` updated for ``new`` when only note bodies changed, else None.

    That is the common edit while writing, and it need not re-render thousands of index pages. A
    note that did not change is the very same ``Paper`` object in both catalogs (the build cache),
    so only changed notes are compared field by field. The changed pages are rendered against
    ``old``: everything but the bodies is the same, and ``old`` already holds the indexes built for
    it (related papers, citekeys), which ``new`` would build again from scratch.
    """
    if len(old.papers) != len(new.papers) or _catalog_extras(old) != _catalog_extras(new):
        return None
    changed: dict[str, Paper] = {}
    for before, after in zip(old.papers, new.papers, strict=True):
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
