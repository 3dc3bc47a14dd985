"""Finishing: what makes a rendered page correct and safe, whichever engine rendered it.

Inputs and outputs are plain data: the generated ``Page`` (its slots), the note it shows (if any),
and the page's HTML as the engine wrote it. An engine adapter calls these in the order its engine
allows: the MkDocs plugin fills the searched blocks before its search reads the page and the rest
after; the Zensical build fills everything in one pass over the written files.

A note page's body is the HTML between its slot markers (their key is a digest of the body, so the
body cannot forge them): it goes through the sanitizer, the generated blocks go in as they are.
"""

from __future__ import annotations

import posixpath
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape as html_escape
from importlib import resources
from pathlib import Path
from typing import Any

from generator import sanitize
from generator.finish import compact, csp, page_assets
from generator.logline import log_safe
from generator.model import Catalog, Paper, Problem
from generator.render import dashboard, mathml, slots
from generator.render.pages import Asset, Page, merge_hand_written

ASSET_DIR = page_assets.ASSET_DIR  # where the files of generator/assets/ are published
# published too, but linked by no page: mermaid-init.js loads the library on pages with a diagram
VENDOR_ASSETS = ["vendor/mermaid.min.js", "vendor/mermaid.LICENSE"]

# A hand-written page may hold a notice for engines that run no plugin ("run `notes build …`"); the
# generator removes it from every page it builds. Marker comments on lines of their own.
NOTICE = re.compile(r"^[ \t]{0,3}<!--[ \t]*reading-notes-notice[ \t]*-->.*?^[ \t]{0,3}<!--[ \t]*/reading-notes-notice[ \t]*-->[ \t]*\n?",
                    re.MULTILINE | re.DOTALL)  # fmt: skip


def drop_notice(markdown: str) -> str:
    """The Markdown without the engine notice (shown only by an engine that skipped the generator)."""
    return NOTICE.sub("", markdown)


def shown_markdown(src_uri: str, markdown: str, catalog: Catalog) -> tuple[str, list[str]]:
    """A page's Markdown as the site shows it: the engine notice removed and, on the
    home page, the dashboard markers filled; and a problem (one line, user text made safe for a log)
    for each unknown marker."""
    markdown = drop_notice(markdown)
    if src_uri != "index.md":  # the dashboard markers work on the home page only
        return markdown, []
    markdown, unknown = dashboard.fill_markers(markdown, catalog)
    known = ", ".join(dashboard.MARKER_NAMES)
    return markdown, [log_safe(f"{src_uri}: unknown marker 'reading-notes:{name}' (known: {known})") for name in unknown]


@dataclass
class Placed:
    """Where the generated outputs go among the hand-written files of the docs folder."""

    outputs: list[tuple[Page | Asset, str, bool]] = field(default_factory=list)  # (output, its content, merged with a hand-written page)
    problems: list[str] = field(default_factory=list)  # one line each, user text made safe for a log


def place_outputs(outputs: list[Page | Asset], exists: Callable[[str], bool], read: Callable[[str], str]) -> Placed:
    """Each output with its content: a generated page with a hand-written page of the same path
    merged into it (``merge_hand_written``), the page of a note or an asset that a hand-written file
    hides left out with a problem. ``exists``/``read``: a path in the docs folder, hand-written."""
    placed = Placed()
    for out in outputs:
        path = out.src_uri if isinstance(out, Page) else out.path
        if not exists(path):
            placed.outputs.append((out, out.markdown if isinstance(out, Page) else out.content, False))
        elif isinstance(out, Asset):
            placed.problems.append(log_safe(f"docs/{path} hides a generated file of the same name; rename it"))
        elif path.startswith("papers/"):
            placed.problems.append(log_safe(f"docs/{path} hides the page of the note papers/{path[len('papers/') :]}; rename one of them"))
        else:
            placed.outputs.append((out, merge_hand_written(out.markdown, read(path)), True))
    return placed


@dataclass
class Finished:
    """A page after finishing, and what the sanitizer removed from its note's body."""

    html: str
    problems: list[Problem] = field(default_factory=list)


def fill_body(html: str, page: Page, paper: Paper | None, numbers: range | None = None) -> Finished:
    """Stage 5 (finish): put the page's generated blocks (those in ``numbers``, default all) back into ``html``; on a
    note's page, everything between the markers (the note's body) is sanitized first."""
    chosen = range(len(page.slots.blocks)) if numbers is None else numbers
    if paper is None:  # no contributed text
        return Finished(slots.fill(html, page.slots, numbers=chosen))
    removed: list[str] = []

    def clean(fragment: str) -> str:
        result = sanitize.sanitize_html(fragment)
        removed.extend(result.removed)
        return result.html

    out = slots.fill(html, page.slots, clean, numbers=chosen)
    problem = sanitize.removal_problem(paper.path, paper.body_line, removed)
    return Finished(out, [problem] if problem else [])


def fill_searched(html: str, page: Page, paper: Paper | None) -> Finished:
    """``fill_body`` with only the blocks a site search reads with the page (the rest go in after
    the engine's search read it), and, on a note's page, a problem per formula that failed."""
    finished = fill_body(html, page, paper, page.slots.early)
    if paper is not None:
        finished.problems += mathml.math_problems(paper.path, paper.body, paper.body_line, html)
    return finished


_FRONT = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)


def page_markdown(page: Page, markdown: str | None = None) -> str:
    """The page's Markdown (or ``markdown``, say merged with a hand-written page) for an engine that
    hands back whole pages: the content after the front-matter goes between two markers keyed like
    its slots, so finishing finds it in the engine's HTML (see ``fill_page``)."""
    text = page.markdown if markdown is None else markdown
    front = _FRONT.match(text)
    head, rest = (text[: front.end()], text[front.end() :]) if front else ("", text)
    key = page.slots.key
    return f"{head}\n<!-- rn-page:{key} -->\n\n{rest.strip()}\n\n<!-- /rn-page:{key} -->\n"


def fill_page(html: str, page: Page, paper: Paper | None) -> Finished:
    """Stage 5 (finish): ``fill_body`` over a whole page as an engine wrote it (Markdown from ``page_markdown``).

    Only the content between the page's markers is the page's own; the theme's chrome around it is
    left alone. A body that swallows the closing marker (an unclosed code fence or comment) gets the
    rest of the article sanitized, and one with no opening marker the whole article: finishing
    fails closed.
    """
    start, end = f"<!-- rn-page:{page.slots.key} -->", f"<!-- /rn-page:{page.slots.key} -->"
    begin, head = html.find(start), len(start)
    if begin < 0:  # the content starts after the article's start tag (or the whole page is content)
        article = html.find("<article")
        begin, head = (html.find(">", article) + 1 if article >= 0 else 0), 0
    stop, tail = html.find(end, begin), len(end)
    if stop < 0:
        stop, tail = html.find("</article>", begin), 0
        stop = len(html) if stop < 0 else stop
    finished = fill_body(html[begin + head : stop], page, paper)
    finished.html = html[:begin] + finished.html + html[stop + tail :]
    return finished


def add_policy(html: str, known: csp.KnownInline, untrusted: str = "") -> str:
    """The page as it is written (both engines call this last on every page): its indentation left
    out (compact.py: only whitespace a browser collapses) and its Content-Security-Policy added
    (``untrusted``: the content holding note text)."""
    return csp.add_policy(compact.compact_whitespace(html), known, untrusted)


def edit_path(papers_dir: str, docs_dir: str, src_uri: str) -> str:
    """Where "Edit this page" of a generated note page points, relative to the docs folder's edit URL:
    the note in ``papers_dir`` (both folders relative to the repository root)."""
    return posixpath.relpath(posixpath.join(papers_dir, src_uri[len("papers/") :]), docs_dir)


def resolve_dots(url: str) -> str:
    """``…/edit/main/docs/../papers/x.md`` → ``…/edit/main/papers/x.md`` (a URL's path normalized)."""
    parts = urllib.parse.urlsplit(url)
    path = posixpath.normpath(parts.path)
    return urllib.parse.urlunsplit(parts._replace(path=path))


def edit_url(edit_uri: str, papers_dir: str, docs_dir: str, src_uri: str) -> str:
    """The address that edits a note's page: ``edit_uri`` (the docs folder's, a full URL) made to
    point at the note in ``papers_dir`` instead."""
    return resolve_dots(edit_uri.rstrip("/") + "/" + edit_path(papers_dir, docs_dir, src_uri))


# the theme's button (partials/actions.html): a note's own link may carry the title, never this class
# (the sanitizer removes it), so a note cannot take the button's place
_EDIT_LINK = re.compile(r'<a href="[^"]*" title="Edit this page"(?= class="md-content__button md-icon")')
_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">')


def set_edit_link(html: str, url: str, icon: str) -> str:
    """The page with its "Edit this page" button pointing at ``url`` (added, with ``icon``, where the
    engine made none: Zensical gives pages an edit link only with a ``repo_url``)."""
    link = f'<a href="{html_escape(url)}" title="Edit this page"'
    if _EDIT_LINK.search(html):
        return _EDIT_LINK.sub(lambda m: link, html, count=1)
    button = f'{link} class="md-content__button md-icon" rel="edit">{icon}</a>'
    return _ARTICLE.sub(lambda m: m.group(0) + button, html, count=1)


_NAV_TAG = re.compile(r"<(/?)nav\b")
_PRIMARY_NAV = re.compile(r'<nav class="md-nav md-nav--primary[ "]')


def add_sidebar(html: str, sidebar: str) -> str:
    """The page with ``sidebar`` (generated markup: the venue → year tree) at the end of the theme's
    site navigation, where the MkDocs theme override (partials/nav.html) puts it, for an engine whose
    templates cannot be handed it. The navigation is the theme's (before the page's content): the
    tree goes before the ``</nav>`` that closes it, counting the navigations nested in it."""
    start = _PRIMARY_NAV.search(html)
    if not sidebar or start is None:
        return html
    depth = 0
    for tag in _NAV_TAG.finditer(html, start.start()):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return html[: tag.start()] + sidebar + html[tag.start() :]
    return html


_BASE_LINK = re.compile(r'<link rel="stylesheet" href="([^"]*)' + re.escape(ASSET_DIR + page_assets.BASE_STYLESHEET) + '"')


def link_assets(html: str, article: str) -> str:
    """The page with the component stylesheets and scripts its content (``article``) uses, for an
    engine that links the base files only (what the MkDocs theme override does with ``page.meta.rn_css``
    and ``rn_js``): stylesheets at the end of ``<head>``, scripts at the end of ``<main>``, inside the
    container the theme's instant navigation swaps (it runs the scripts it finds there). Their
    addresses start as the page's link to the base stylesheet does (relative, or from the site's root
    on the 404 page)."""
    css, js = page_assets.page_files(article)
    base = _BASE_LINK.search(html)
    head, main = html.find("</head>"), html.rfind("</main>")
    if not (css or js) or base is None or head < 0 or main < head:
        return html
    prefix = base.group(1)
    links = "".join(f'<link rel="stylesheet" href="{html_escape(prefix + uri)}">' for uri in css)
    scripts = "".join(f'<script src="{html_escape(prefix + uri)}"></script>' for uri in js)
    return html[:head] + links + html[head:main] + scripts + html[main:]


def asset_names() -> list[str]:
    """The site's own stylesheets and scripts (CSS and JS files in generator/assets/): the base
    stylesheet on every page, a component's files where the page uses it (page_assets.py)."""
    folder = resources.files("generator").joinpath("assets")
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".css", ".js")))


def published_assets() -> list[tuple[str, Path]]:
    """Every file of generator/assets/ the site publishes (its URI in the site, its file): the
    site's own stylesheets and scripts and the vendored ones, which only a script loads."""
    folder = Path(str(resources.files("generator").joinpath("assets")))
    return [(ASSET_DIR + name, folder / name) for name in asset_names() + VENDOR_ASSETS]


def site_nav(hand_written: list[str], pages: list[Page]) -> list[Any]:
    """The nav when the site names none: Home, the generated index pages, then the hand-written
    pages (``hand_written``: their source paths in the docs folder, sorted)."""
    generated = {page.src_uri for page in pages}
    nav: list[Any] = [{"Home": "index.md"}] if "index.md" in hand_written else []
    nav += [{page.title: page.src_uri} for page in pages if page.in_nav]
    return nav + [uri for uri in hand_written if uri != "index.md" and uri not in generated]
