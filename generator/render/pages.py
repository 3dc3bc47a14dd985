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
from dataclasses import dataclass, field, replace
from itertools import groupby
from typing import TypeVar, cast

import jinja2
from markupsafe import Markup

from generator import urls
from generator.index import tag_neighbours
from generator.load.frontmatter import yaml_quoted
from generator.model import LEVEL_MARKS, VENUE_KINDS, Catalog, Edition, Paper, Tag, TagIndex, Venue, VenueIndex
from generator.render.slots import Slots, extract, slot_key

LEVEL_LABELS = {"essential": "Essential (must read)", "recommended": "Recommended", "advanced": "Advanced"}
KIND_TITLES = {"conference": "Conferences", "journal": "Journals", "workshop": "Workshops",
               "preprint": "Preprints", "report": "Technical reports"}  # fmt: skip
# A generated listing page says so with this attribute; the site search (finish/search.py) skips it
UNSEARCHED = "data-rn-unsearched"
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


def _render(template: str, url: str, ctx: RenderContext, **context: object) -> str:
    rel: Callable[[str], str] = lambda target: urls.relative(url, target)  # noqa: E731
    catalog = ctx.catalog
    return _ENV.get_template(template).render(
        rel=rel,
        catalog=catalog,
        catalog_tags=lambda p: paper_tags(p, catalog),
        paper_html=lambda p, show_venue=True, compact=False: site_fragment(
            ctx,
            ("paper_item", p.id, show_venue, compact),
            "paper_item.j2",
            url,
            paper=p,
            show_venue=show_venue,
            compact=compact,
        ),
        compact_over=COMPACT_OVER,
        page_url=url,
        venue_lists_up_to=VENUE_LISTS_UP_TO,
        **context,
    )


T = TypeVar("T")


@dataclass
class RenderContext:
    """What one rendering of the site shares: the catalog, and what is built from it once for all
    pages (rendered fragments, the related-papers and references indexes, citekeys …). One is made
    per ``render_site`` call and handed to every page builder; nothing is cached at module level."""

    catalog: Catalog
    fragments: dict[tuple[object, ...], str] = field(default_factory=dict)  # see site_fragment
    _indexes: dict[Callable[[Catalog], object], object] = field(default_factory=dict)

    def index(self, build: Callable[[Catalog], T]) -> T:
        """``build(catalog)``, computed on the first call and reused for the rest of this rendering."""
        if build not in self._indexes:
            self._indexes[build] = build(self.catalog)
        return cast(T, self._indexes[build])


# Stands for "the way back to the site root" in cached fragments; no note text can contain it
# (control characters are refused in front-matter).
_ROOT = "\x00"
COMPACT_OVER = 60  # a listing longer than this shows one line per paper
PAGE_SIZE = 250  # an edition or tag listing longer than this continues on …/page/2/ (pages stay under 100 KB)
VENUE_LISTS_UP_TO = 300  # a venue page lists titles only for venues with at most this many papers


def site_fragment(ctx: RenderContext, key: tuple[object, ...], template: str, page_url: str, **context: object) -> Markup:
    """``template`` rendered once per build under ``key`` and reused on every page that shows it
    (a paper appears on a dozen listings and related blocks); its links, written from the site
    root, are rebased for the page at ``page_url`` ("../" per level)."""
    if key not in ctx.fragments:
        catalog = ctx.catalog
        rel = lambda target: _ROOT + urllib.parse.quote(target, safe="/.-_~")  # noqa: E731
        ctx.fragments[key] = _ENV.get_template(template).render(
            rel=rel, catalog=catalog, catalog_tags=lambda p: paper_tags(p, catalog), **context
        )
    return Markup(ctx.fragments[key].replace(_ROOT, "../" * page_url.count("/")))


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


def venue_tree(ctx: RenderContext, page_url: str, venue: Venue, year: int | None = None, paper: Paper | None = None) -> str:
    """The venue → year tree for a venue's (no year), an edition's or a paper's page (see venue_tree.j2)."""
    kind = "paper" if paper is not None else "edition" if year is not None else "venue"
    tree = site_fragment(ctx, ("venue_tree", venue.key, year, kind), "venue_tree.j2", page_url,
                         venues=venues_by_weight(ctx.catalog), current_venue=venue.key, current_year=year,
                         kind=kind, paper_slot=Markup(_TREE_PAPER))  # fmt: skip
    if paper is None:
        return str(tree)
    line = f'<ul class="rn-venue-tree__papers"><li><span aria-current="page">{html.escape(paper.title)}</span></li></ul>'
    return str(tree).replace(_TREE_PAPER, line, 1)


def render_venues_index(ctx: RenderContext) -> Page:
    """The Venues page: every venue with notes, grouped by kind."""
    ordered = venues_by_weight(ctx.catalog)
    groups = [(kind, [v for v in ordered if v.venue.kind == kind]) for kind in VENUE_KINDS]
    markdown = _render("venues.md.j2", urls.VENUES, ctx, groups=[g for g in groups if g[1]])
    return listing_page(urls.VENUES, "Venues", markdown, in_nav=True)


def render_venue(index: VenueIndex, ctx: RenderContext) -> Page:
    """A venue's page: its editions and their papers."""
    url = urls.venue_url(index.venue)
    markdown = _render("venue.md.j2", url, ctx, index=index, venue=index.venue)
    return replace(listing_page(url, index.venue.key, markdown), sidebar=venue_tree(ctx, url, index.venue))


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


def render_edition(edition: Edition, ctx: RenderContext, page_size: int = PAGE_SIZE) -> list[Page]:
    """An edition's pages (a venue in one year), its papers grouped by topic, ``page_size`` a page."""
    name = f"{edition.venue.key} {edition.year}"
    pages = []
    for pager, papers in paginate(edition.papers, urls.edition_url(edition.venue, edition.year), page_size):
        url = pager.url(pager.number)
        topics = [(topic, list(group)) for topic, group in groupby(papers, key=lambda p: p.topic)]
        title = _paged_title(name, pager)
        markdown = _render("edition.md.j2", url, ctx, edition=edition, venue=edition.venue, topics=topics, pager=pager,
                           title=title)  # fmt: skip
        pages.append(replace(listing_page(url, title, markdown), sidebar=venue_tree(ctx, url, edition.venue, edition.year)))
    return pages


def _paged_title(name: str, pager: Pager) -> str:
    return name if pager.number == 1 else f"{name} (page {pager.number} of {pager.count})"


def render_tags_index(ctx: RenderContext) -> Page:
    """The Tags page: every tag with the number of its papers."""
    several, once = tag_neighbours.by_count(ctx.catalog.tags)
    markdown = _render("tags.md.j2", urls.TAGS, ctx, several=several, once=once)
    return listing_page(urls.TAGS, "Tags", markdown, in_nav=True, search_blocks=True)


def render_tag(index: TagIndex, ctx: RenderContext, page_size: int = PAGE_SIZE, lineage_page: str | None = None) -> list[Page]:
    """A tag's pages, its papers grouped by year, ``page_size`` a page (``lineage_page``: the URL of
    the tag's lineage drawing, when it has one)."""
    pages = []
    catalog = ctx.catalog
    for pager, papers in paginate(index.papers, urls.tag_url(index.tag), page_size):
        url = pager.url(pager.number)
        years = [(year, list(group)) for year, group in groupby(papers, key=lambda p: p.year)]
        title = _paged_title("#" + index.tag.name, pager)
        markdown = _render("tag.md.j2", url, ctx, index=index, tag=index.tag, years=years, pager=pager, title=title,
                           lineage=lineage_page, aliases=catalog.tag_aliases.get(index.tag.key, ()),
                           related=tag_neighbours.related_tags(index, catalog),
                           paths_using=tag_neighbours.paths_using(index, catalog))  # fmt: skip
        pages.append(listing_page(url, title, markdown))
    return pages


def paper_tags(paper: Paper, catalog: Catalog) -> list[Tag]:
    """The paper's tags as the site names them (one spelling per tag across all notes)."""
    return [catalog.tag_by_key[t.key] for t in paper.tags if t.key in catalog.tag_by_key]


def render_template(template: str, url: str, ctx: RenderContext, **context: object) -> str:
    """Render one of the package's templates for the page at ``url`` (``rel`` gives relative hrefs)."""
    return _render(template, url, ctx, **context)


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
