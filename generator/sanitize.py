"""Sanitize the HTML rendered from a note's body against an allow-list (nh3, a binding of Rust's ammonia).

A note's body is the one piece of contributed text that is rendered as Markdown, raw HTML included.
The page's generated parts (the header above the notes, the sections below them) are built from
escaped data and marked as trusted with ``trusted_markers``; everything else in the page's HTML is
sanitized, so content that Markdown moves elsewhere (footnotes) is covered too.

What survives: headings with their ids and permalink anchors, paragraphs, lists, tables (with
``text-align`` only), code blocks with Pygments' spans and classes, math (arithmatex), admonitions
and details, images from the site itself or small ``data:image`` URLs, and links to http(s),
mailto and relative URLs. What goes: scripts and styles with their content, event handler
attributes, forms, frames, embedded objects, SVG/MathML, ``javascript:``/``data:`` links, images
from other hosts (the site makes no third-party requests), ``name`` attributes, ``data-*``
attributes, and ids or classes that could clobber the theme's globals or pose as its UI
(``__*``, ``md-*``, ``rn-*`` and a few global names).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

import nh3

TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "pre", "code", "span", "div",
    "a", "img", "em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "sub", "sup", "small", "kbd",
    "abbr", "cite", "q", "dfn", "var", "samp", "time", "ul", "ol", "li", "dl", "dt", "dd",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col",
    "details", "summary", "figure", "figcaption", "wbr", "ruby", "rt", "rp", "bdi",
}  # fmt: skip
# removed together with their content (the rest of a disallowed element's text is kept, escaped)
DROPPED_WITH_CONTENT = {"script", "style", "template", "iframe", "object", "embed", "noscript", "textarea",
                        "title", "svg", "math", "select", "noembed", "noframes", "xmp", "frameset"}  # fmt: skip
ATTRIBUTES = {
    "*": {"id", "class", "title", "lang"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading"},
    "th": {"colspan", "rowspan", "style"},
    "td": {"colspan", "rowspan", "style"},
    "ol": {"start", "reversed"},
    "details": {"open"},
    "time": {"datetime"},
    "col": {"span"},
    "colgroup": {"span"},
}
URL_SCHEMES = {"http", "https", "mailto", "data"}  # data: is then allowed on <img src> only (below)
# Global names that the theme or common integrations test with `typeof X` (an element with that id
# would be window.X); ids starting with "__" are the theme's own (__config, __search, __code_0 …).
RESERVED_IDS = {"mermaid", "katex", "MathJax", "hljs", "lunr", "Element", "ResizeObserver", "component", "document", "location"}
_ID = re.compile(r"^(?!__|md-|rn-)[^\W][\w.:\-]{0,127}$")
_CLASS = re.compile(r"^(?!md-|rn-)[A-Za-z_][\w-]{0,63}$")
_TEXT_ALIGN = re.compile(r"^text-align:\s*(?:left|right|center|justify);?$")
_DATA_IMAGE = re.compile(r"^data:image/(?:png|gif|jpeg|webp|avif)(?:;base64)?,", re.IGNORECASE)
MAX_DATA_IMAGE = 64 * 1024


def trusted_markers(body: str) -> tuple[str, str]:
    """HTML comments that fence a generated (trusted) part of a note's page.

    They carry a digest of the note's body, which the body cannot contain: a note cannot forge them.
    """
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()[:24]
    return f"<!-- reading-notes:trusted:{digest} -->", f"<!-- /reading-notes:trusted:{digest} -->"


def wrap_trusted(text: str, body: str) -> str:
    """Generated Markdown/HTML fenced by the trusted markers (blank lines keep them raw HTML blocks)."""
    start, end = trusted_markers(body)
    return f"{start}\n\n{text.strip(chr(10))}\n\n{end}\n"


@dataclass
class Sanitized:
    html: str
    removed: list[str] = field(default_factory=list)  # what the sanitizer took out, for the warning


def sanitize_page(page_html: str, body: str) -> Sanitized:
    """Sanitize everything outside the trusted parts of a note page, and drop the markers."""
    start, end = trusted_markers(body)
    out: list[str] = []
    removed: list[str] = []
    rest = page_html
    while True:
        i = rest.find(start)
        j = rest.find(end, i + len(start)) if i >= 0 else -1
        if i < 0 or j < 0:
            break
        clean = sanitize_html(rest[:i])
        out += [clean.html, rest[i + len(start) : j]]
        removed += clean.removed
        rest = rest[j + len(end) :]
    clean = sanitize_html(rest)
    out.append(clean.html)
    removed += clean.removed
    return Sanitized("".join(out), list(dict.fromkeys(removed)))


def sanitize_html(fragment: str) -> Sanitized:
    """Sanitize one HTML fragment; ``removed`` names each kind of thing that was taken out."""
    if not fragment.strip():
        return Sanitized(fragment)
    changed: list[str] = []  # values the filter refused, with the value
    seen: set[tuple[str, ...]] = set()  # (tag, attribute) pairs and (tag, href/src, URL) that reached the filter

    def keep(tag: str, attr: str, value: str) -> str | None:
        seen.add((tag, attr))
        if attr in ("href", "src"):
            seen.add((tag, attr, value))
        if attr == "id":
            if _ID.match(value) and value not in RESERVED_IDS:
                return value
            changed.append(f'id "{_short(value)}"')
            return None
        if attr == "class":
            tokens = value.split()
            kept = [t for t in tokens if _CLASS.match(t)]
            changed.extend(f'class "{_short(t)}"' for t in tokens if t not in kept)
            return " ".join(kept) or None
        if attr == "style":
            if _TEXT_ALIGN.match(value.strip()):
                return value
            changed.append(f'style "{_short(value)}"')
            return None
        if attr in ("href", "src") and not _allowed_url(tag, value):
            changed.append(_url_message(tag, attr, value))
            return None
        return value

    html = nh3.clean(
        fragment,
        tags=TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ATTRIBUTES,
        attribute_filter=keep,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    removed = _lost(fragment, html, seen) + changed
    return Sanitized(html, list(dict.fromkeys(removed)))


def _allowed_url(tag: str, url: str) -> bool:
    """After nh3's scheme check (http, https, mailto, data, relative): data: only for small images,
    and images only from the site itself (no scheme, no //host)."""
    url = url.strip()
    scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.\-]*):", url)
    if tag == "img":
        if scheme is None:
            return not url.replace("\\", "/").startswith("//")
        return bool(_DATA_IMAGE.match(url)) and len(url) <= MAX_DATA_IMAGE
    return scheme is None or scheme.group(1).lower() != "data"


def _url_message(tag: str, attr: str, url: str) -> str:
    hint = " (images must come from the site itself)" if tag == "img" else ""
    return f'{attr} "{_short(url)}"{hint}'


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Inventory(HTMLParser):
    """Counts start tags, (tag, attribute) pairs and URLs, the way a browser would read them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()
        self.attrs: Counter[tuple[str, str]] = Counter()
        self.urls: Counter[tuple[str, str, str]] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        for name, value in attrs:
            self.attrs[(tag, name)] += 1
            if name in ("href", "src"):
                self.urls[(tag, name, value or "")] += 1

    def handle_comment(self, data: str) -> None:
        self.tags["!--"] += 1


def _inventory(html: str) -> _Inventory:
    parser = _Inventory()
    parser.feed(html)
    parser.close()
    return parser


def _lost(before: str, after: str, seen: set[tuple[str, ...]]) -> list[str]:
    """What nh3 removed by itself: whole elements, attributes, URLs with a disallowed scheme."""
    old, new = _inventory(before), _inventory(after)
    lost = [("an HTML comment" if tag == "!--" else f"<{tag}>") for tag in sorted(old.tags - new.tags)]
    kept_tags = {tag for tag in old.tags if old.tags[tag] == new.tags[tag]}
    for tag, attr in sorted(old.attrs - new.attrs):
        if tag in kept_tags and (tag, attr) not in seen and attr not in ("href", "src"):
            lost.append(f"the {attr} attribute")
    for tag, attr, url in sorted(old.urls - new.urls):
        if tag in kept_tags and (tag, attr, url) not in seen:
            lost.append(_url_message(tag, attr, url))
    return lost
