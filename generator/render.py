"""Render the catalog into Markdown pages (with HTML blocks) for any Markdown site engine.

Every value that comes from a note is escaped by Jinja2's autoescaping; text that lands in a
Markdown context (headings) is escaped for Markdown too. A note's body is the only Markdown passed
through as written, below its generated header.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby

import jinja2
from markupsafe import Markup

from . import urls
from .model import LEVEL_MARKS, VENUE_KINDS, Catalog, Edition, Paper, Tag, TagIndex, VenueIndex
from .sanitize import wrap_trusted

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
    markdown: str
    in_nav: bool = False


@dataclass(frozen=True)
class Asset:
    """A generated file that is not a page (JSON data, BibTeX, feeds), published as-is at ``path``."""

    path: str
    content: str


def markdown_text(text: str) -> Markup:
    """Text that shows as itself inside a Markdown line: no HTML, no emphasis, no attribute lists."""
    return Markup(_MD_SPECIAL.sub(lambda m: f"&#{ord(m.group())};", html.escape(text, quote=False)))


def yaml_string(text: str) -> Markup:
    """A YAML scalar holding the HTML-escaped text: themes print page titles without escaping."""
    return Markup(json.dumps(html.escape(text, quote=False)))


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
    prefix = "../" * url.count("/")
    return _ENV.get_template(template).render(
        rel=rel,
        catalog=catalog,
        catalog_tags=lambda p: paper_tags(p, catalog),
        paper_html=lambda p, show_venue=True, compact=False: Markup(
            _paper_item(p, show_venue, compact, catalog).replace(_ROOT, prefix)
        ),
        compact_over=COMPACT_OVER,
        venue_lists_up_to=VENUE_LISTS_UP_TO,
        **context,
    )


# Stands for "the way back to the site root" in cached fragments; no note text can contain it
# (control characters are refused in front-matter).
_ROOT = "\x00"
COMPACT_OVER = 60  # a listing longer than this shows one line per paper
VENUE_LISTS_UP_TO = 300  # a venue page lists titles only for venues with at most this many papers


def _paper_item(paper: Paper, show_venue: bool, compact: bool, catalog: Catalog) -> str:
    """A paper's list item, rendered once per build: a paper appears on up to a dozen listings."""
    key = ("paper_item", paper.id, show_venue, compact)
    if key not in catalog.fragments:
        rel = lambda target: _ROOT + urllib.parse.quote(target, safe="/.-_~")  # noqa: E731
        catalog.fragments[key] = _ENV.get_template("paper_item.j2").render(
            rel=rel, catalog=catalog, catalog_tags=lambda p: paper_tags(p, catalog), paper=paper, show_venue=show_venue,
            compact=compact,
        )
    return catalog.fragments[key]


# Blocks shown below a paper's notes (reading-path steps, citation, related papers …): each takes
# (paper, catalog, page_url) and returns Markdown/HTML, or "" to show nothing.
PaperSection = Callable[[Paper, Catalog, str], str]
PAPER_SECTIONS: list[PaperSection] = []


def render_paper(paper: Paper, catalog: Catalog) -> Page:
    url = urls.paper_url(paper)
    header = _render("paper.md.j2", url, catalog, paper=paper, tags=paper_tags(paper, catalog))
    sections = [text for section in PAPER_SECTIONS if (text := section(paper, catalog, url))]
    # the generated parts are fenced as trusted; the rest of the page's HTML is sanitized (sanitize.py)
    front = _FRONT.match(header)
    split = front.end() if front else 0
    markdown = header[:split] + wrap_trusted(header[split:], paper.body) + "\n" + paper.body.rstrip("\n") + "\n"
    if sections:
        markdown += "\n" + wrap_trusted("\n\n".join(sections), paper.body)
    return Page(urls.paper_source(paper), url, paper.title, markdown)


def render_venues_index(catalog: Catalog) -> Page:
    groups = [(kind, [v for v in catalog.venues if v.venue.kind == kind]) for kind in VENUE_KINDS]
    markdown = _render("venues.md.j2", urls.VENUES, catalog, groups=[g for g in groups if g[1]])
    return Page(urls.source_uri(urls.VENUES), urls.VENUES, "Venues", markdown, in_nav=True)


def render_venue(index: VenueIndex, catalog: Catalog) -> Page:
    url = urls.venue_url(index.venue)
    markdown = _render("venue.md.j2", url, catalog, index=index, venue=index.venue)
    return Page(urls.source_uri(url), url, index.venue.key, markdown)


def render_edition(edition: Edition, catalog: Catalog) -> Page:
    url = urls.edition_url(edition.venue, edition.year)
    topics = [(topic, list(group)) for topic, group in groupby(edition.papers, key=lambda p: p.topic)]
    markdown = _render("edition.md.j2", url, catalog, edition=edition, venue=edition.venue, topics=topics)
    return Page(urls.source_uri(url), url, f"{edition.venue.key} {edition.year}", markdown)


def render_tags_index(catalog: Catalog) -> Page:
    markdown = _render("tags.md.j2", urls.TAGS, catalog)
    return Page(urls.source_uri(urls.TAGS), urls.TAGS, "Tags", markdown, in_nav=True)


def render_tag(index: TagIndex, catalog: Catalog) -> Page:
    url = urls.tag_url(index.tag)
    years = [(year, list(group)) for year, group in groupby(index.papers, key=lambda p: p.year)]
    markdown = _render("tag.md.j2", url, catalog, index=index, tag=index.tag, years=years)
    return Page(urls.source_uri(url), url, "#" + index.tag.name, markdown)


def paper_tags(paper: Paper, catalog: Catalog) -> list[Tag]:
    """The paper's tags as the site names them (one spelling per tag across all notes)."""
    return [catalog.tag_by_key[t.key] for t in paper.tags if t.key in catalog.tag_by_key]


def render_template(template: str, url: str, catalog: Catalog, **context: object) -> str:
    """Render one of the package's templates for the page at ``url`` (``rel`` gives relative hrefs)."""
    return _render(template, url, catalog, **context)


def render_site(catalog: Catalog, site_url: str = "", site_name: str = "Reading notes") -> list[Page | Asset]:
    """Every generated page and file, in a stable order (``site_url`` makes feed links absolute)."""
    pages: list[Page | Asset] = [render_venues_index(catalog), render_tags_index(catalog)]
    for venue_index in catalog.venues:
        pages.append(render_venue(venue_index, catalog))
        pages.extend(render_edition(edition, catalog) for edition in venue_index.editions)
    pages.extend(render_tag(tag_index, catalog) for tag_index in catalog.tags)
    pages.extend(render_paper(paper, catalog) for paper in catalog.papers)
    pages.extend(render_path_pages(catalog))
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


from .path_pages import render_path_pages  # noqa: E402  (registers its paper section on import)
from . import feeds, related  # noqa: E402  (related registers its paper section on import)
from . import explore  # noqa: E402  (papers.json and the explore/ page)
from . import bibtex  # noqa: E402  (BibTeX files, the Cite block, citekeys for the explorer)

PAPER_SECTIONS.append(bibtex.cite_section)
explore.RECORD_EXTRAS.append(bibtex.explorer_record)


def metadata_signature(catalog: Catalog) -> str:
    """A digest of everything the generated pages show except note bodies.

    When two catalogs have the same signature, only the pages of notes whose body changed differ
    (see ``rerender_bodies``): that is the common edit while writing, and it need not re-render
    thousands of index pages.
    """
    digest = hashlib.sha256()
    for paper in catalog.papers:
        fields = {k: v for k, v in vars(paper).items() if k not in ("body", "body_line")}
        fields["has_body"] = paper.has_body
        digest.update(repr(sorted(fields.items())).encode("utf-8"))
    digest.update(repr(sorted(catalog.added_on.items())).encode("utf-8"))
    for reading_path in catalog.paths:
        steps = [(s.number, s.key, s.kind, s.title, s.url, s.level, s.why, s.requires, s.unverified, s.note)
                 for s in reading_path.steps]  # fmt: skip
        digest.update(repr((reading_path.name, reading_path.title, reading_path.description, steps)).encode("utf-8"))
    return digest.hexdigest()


def rerender_bodies(outputs: list[Page | Asset], old: Catalog, new: Catalog) -> list[Page | Asset] | None:
    """``outputs`` of ``old`` updated for ``new`` when only note bodies changed, else None."""
    if metadata_signature(old) != metadata_signature(new):
        return None
    changed = {urls.paper_source(p): p for p in new.papers if old.by_id[p.id].body != p.body}
    return [render_paper(changed[out.src_uri], new) if isinstance(out, Page) and out.src_uri in changed else out
            for out in outputs]  # fmt: skip
