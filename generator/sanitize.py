"""Sanitize the HTML rendered from a note's body against an allow-list (nh3, a binding of Rust's ammonia).

A note's body is the one piece of contributed text that is rendered as Markdown, raw HTML included.
The page's generated parts (the header above the notes, the sections below them) are built from
escaped data and kept out of the Markdown (slots.py); everything else in the page's HTML is
sanitized, so content that Markdown moves elsewhere (footnotes) is covered too.

What survives: headings with their ids and permalink anchors, paragraphs, lists, tables (with
``text-align`` only), code blocks with Pygments' spans and classes, MathML presentation markup (``MATHML_TAGS``), admonitions
and details, images from the site itself or small ``data:image`` URLs, and links to http(s),
mailto and relative URLs, each URL judged as a browser reads it (``browser_url``). What goes:
scripts and styles with their content, event handler attributes, forms, frames, embedded objects,
SVG, MathML's links, actions and annotations, ``javascript:``/``data:`` links, images from other hosts (the site makes no third-party
requests), ``name`` attributes, ``data-*`` attributes, and ids or classes that could clobber the theme's globals or pose as its UI
(``__*``, ``md-*``, ``rn-*`` and a few global names).
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from typing import NamedTuple

import nh3

from generator.model import Problem

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
# MathML Core presentation elements (generator/render/mathml.py makes them from a note's TeX; a note may
# also write them): no <maction>, <semantics>/<annotation-xml> (HTML or SVG inside), <mglyph>
# (a src) or <mlabeledtr>, and no href, xlink:href, style or event attribute on any of them
MATHML_TAGS = frozenset({
    "math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msub", "msup", "msubsup", "mfrac",
    "msqrt", "mroot", "munder", "mover", "munderover", "mtable", "mtr", "mtd", "mstyle", "mpadded",
    "mphantom", "menclose", "merror", "mmultiscripts", "mprescripts", "none",
})  # fmt: skip
# presentation attributes with no URL, no script and no CSS; each value must match MATHML_VALUE
MATHML_ATTRIBUTES = {
    "math": {"display"},
    "mo": {"stretchy", "fence", "form", "separator", "lspace", "rspace", "minsize", "maxsize", "movablelimits", "largeop", "symmetric", "accent"},
    "mover": {"accent"},
    "munder": {"accentunder"},
    "munderover": {"accent", "accentunder"},
    "mfrac": {"linethickness"},
    "mspace": {"width", "height", "depth", "linebreak"},
    "mpadded": {"width", "height", "depth", "lspace", "voffset"},
    "mstyle": {"displaystyle", "scriptlevel", "mathvariant", "mathsize"},
    "mi": {"mathvariant"},
    "mn": {"mathvariant"},
    "mtext": {"mathvariant"},
    "mtable": {"displaystyle", "rowspacing", "columnspacing", "columnalign", "rowlines", "columnlines", "frame"},
    "mtr": {"columnalign"},
    "mtd": {"columnalign", "columnspan", "rowspan"},
    "menclose": {"notation"},
}  # fmt: skip
MATHML_VALUE = re.compile(r"^[\w .%+\-#]{0,64}$")  # words, numbers and lengths: never a URL or CSS
TAGS |= MATHML_TAGS
DROPPED_WITH_CONTENT -= {"math"}
for _tag, _names in MATHML_ATTRIBUTES.items():
    ATTRIBUTES[_tag] = ATTRIBUTES.get(_tag, set()) | _names
URL_SCHEMES = {"http", "https", "mailto", "data"}  # data: is then allowed on <img src> only (below)
URL_ATTRIBUTES = frozenset({"href", "src"})  # every URL attribute ATTRIBUTES keeps: each goes through browser_url()
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
# WHATWG URL: in these schemes (and in a relative URL on a page served over one of them) "\" is "/"
SPECIAL_SCHEMES = frozenset({"http", "https", "ws", "wss", "ftp", "file"})
# Global names that the theme or common integrations test with `typeof X` (an element with that id
# would be window.X); ids starting with "__" are the theme's own (__config, __search, __code_0 …).
RESERVED_IDS = {"mermaid", "katex", "MathJax", "hljs", "lunr", "Element", "ResizeObserver", "component", "document", "location"}
_ID = re.compile(r"^(?!__|md-|rn-)[^\W][\w.:\-]{0,127}$")
_CLASS = re.compile(r"^(?!md-|rn-)[A-Za-z_][\w-]{0,63}$")
_TEXT_ALIGN = re.compile(r"^text-align:\s*(?:left|right|center|justify);?$")
_DATA_IMAGE = re.compile(r"^data:image/(?:png|gif|jpeg|webp|avif)(?:;base64)?,", re.IGNORECASE)
MAX_DATA_IMAGE = 64 * 1024


@dataclass
class Sanitized:
    html: str
    removed: list[str] = field(default_factory=list)  # what the sanitizer took out, for the warning


class _AttributeFilter:
    """nh3's attribute callback: keeps what is allowed and records what it refused for the warning."""

    def __init__(self) -> None:
        self.changed: list[str] = []  # values the filter refused, with the value
        self.seen: set[tuple[str, ...]] = set()  # (tag, attribute) pairs and (tag, href/src, URL) that reached it

    def __call__(self, tag: str, attr: str, value: str) -> str | None:
        self.seen.add((tag, attr))
        if attr in URL_ATTRIBUTES:
            self.seen.add((tag, attr, value))
        if attr == "id":
            if _ID.match(value) and value not in RESERVED_IDS:
                return value
            self.changed.append(f'id "{_short(value)}"')
            return None
        if attr == "class":
            tokens = value.split()
            kept = [t for t in tokens if _CLASS.match(t)]
            self.changed.extend(f'class "{_short(t)}"' for t in tokens if t not in kept)
            return " ".join(kept) or None
        if attr == "style":
            if _TEXT_ALIGN.match(value.strip()):
                return value
            self.changed.append(f'style "{_short(value)}"')
            return None
        if tag in MATHML_TAGS and attr in MATHML_ATTRIBUTES.get(tag, ()) and not MATHML_VALUE.match(value):
            self.changed.append(f'{attr} "{_short(value)}"')
            return None
        if attr in URL_ATTRIBUTES and not _allowed_url(tag, value):
            self.changed.append(_url_message(tag, attr, value))
            return None
        return value


_FILTER = _AttributeFilter()
# built once: passing the allow-lists to nh3.clean on every call converts them again each time
_CLEANER = nh3.Cleaner(tags=TAGS, clean_content_tags=DROPPED_WITH_CONTENT, attributes=ATTRIBUTES,
                       attribute_filter=_FILTER, url_schemes=URL_SCHEMES, link_rel=None, strip_comments=True)  # fmt: skip
_LOCK = threading.Lock()  # the filter's record is shared: one fragment at a time


def sanitize_html(fragment: str) -> Sanitized:
    """Sanitize one HTML fragment; ``removed`` names each kind of thing that was taken out."""
    if not fragment.strip():
        return Sanitized(fragment)
    with _LOCK:
        _FILTER.changed, _FILTER.seen = [], set()
        html = _CLEANER.clean(fragment)
        changed, seen = _FILTER.changed, _FILTER.seen
    removed = _lost(fragment, html, seen) + changed
    return Sanitized(html, list(dict.fromkeys(removed)))


@dataclass(frozen=True)
class BrowserUrl:
    """A URL as a browser's URL parser reads it, enough to tell where it leads."""

    scheme: str | None  # lowercased; None for a relative URL
    rest: str  # what follows "scheme:" (or the whole relative URL), "\\" read as "/" where browsers do

    @property
    def other_host(self) -> bool:
        """Does it name a host (``//host``, or any scheme but data:), rather than a path of this site?"""
        return self.scheme not in (None, "data") or self.rest.startswith("//")


_C0_OR_SPACE = "".join(map(chr, range(0x21)))
_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")
_TAB_OR_NEWLINE = str.maketrans("", "", "\t\n\r")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")


def browser_url(url: str) -> BrowserUrl:
    r"""Read ``url`` (character references already decoded) the way browsers do (WHATWG URL parsing).

    Leading and trailing C0 controls and spaces are stripped, every tab, CR and LF anywhere is
    removed (``java\tscript:`` is ``javascript:``, ``/\t/host`` is ``//host``), the scheme is
    case-insensitive, and for http(s) and relative URLs ``\`` counts as ``/`` (``\/host`` and
    ``/\host`` are ``//host``). Every URL attribute is judged on this reading, never on the raw text.
    """
    url = url.strip(_C0_OR_SPACE).translate(_TAB_OR_NEWLINE)
    scheme = _SCHEME.match(url)
    name, rest = (scheme.group(1).lower(), url[scheme.end() :]) if scheme else (None, url)
    if name is None or name in SPECIAL_SCHEMES:
        rest = rest.replace("\\", "/")
    return BrowserUrl(name, rest)


def removal_problem(path: str, body_line: int, removed: list[str]) -> Problem | None:
    """The problem a note's body has when the sanitizer removed ``removed`` from it (None if nothing):
    the one message the build and ``notes check`` both print."""
    if not removed:
        return None
    return Problem(path, body_line, "body", f"the HTML sanitizer removed {', '.join(dict.fromkeys(removed))}"
                   " (notes may use Markdown and plain HTML: no scripts, styles, forms or frames)")  # fmt: skip


def _allowed_url(tag: str, url: str) -> bool:
    """Links to http(s), mailto and relative URLs; images from the site itself (a path, no host) or
    small ``data:image`` URLs. Judged on the browser's reading of the URL (``browser_url``)."""
    read = browser_url(url)
    if tag == "img":
        if read.scheme == "data":  # Chromium keeps a tab or newline in "data:…," (as %0A): none is allowed there
            return bool(_DATA_IMAGE.match(url.strip(_C0_OR_SPACE))) and len(url) <= MAX_DATA_IMAGE
        return not read.other_host
    return read.scheme is None or read.scheme in LINK_SCHEMES


def _url_message(tag: str, attr: str, url: str) -> str:
    hint = " (images must come from the site itself)" if tag == "img" else ""
    return f'{attr} "{_short(url)}"{hint}'


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(_CONTROLS.sub(" ", text).split())
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
            if name in URL_ATTRIBUTES:
                self.urls[(tag, name, value or "")] += 1

    def handle_comment(self, data: str) -> None:
        self.tags["!--"] += 1


class _Counts(NamedTuple):
    tags: Counter[str]
    attrs: Counter[tuple[str, str]]
    urls: Counter[tuple[str, str, str]]


# The fast inventory reads only HTML in which every "<" opens a tag of this strict form: ASCII
# names, ASCII whitespace, quoted values, nothing else. There, html.parser reads exactly these tags
# with these attributes (tests/test_sanitize_fast.py checks it against html.parser); anything else
# (comments, <!…>, <?…>, a lone "<", unquoted values, odd names or spacing) goes to html.parser.
_WS = "[ \t\n\r\f]"
_NAME, _VALUE = "[a-zA-Z_:][-a-zA-Z0-9_:.]*", """(?:"[^"]*"|'[^']*')"""
_TAG = re.compile(rf"<(?:([a-zA-Z][a-zA-Z0-9]*)((?:{_WS}+{_NAME}(?:{_WS}*={_WS}*{_VALUE})?)*){_WS}*/?|/[a-zA-Z][a-zA-Z0-9]*{_WS}*)>")
_ATTRS = re.compile(rf"""{_WS}+({_NAME})(?:{_WS}*={_WS}*(?:"([^"]*)"|'([^']*)'))?""")
# elements whose content html.parser reads as text (script and style in Python 3.11; newer versions
# add more): their content could hide tags from it, so the fast inventory leaves them to it
_RAW_TEXT = {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext"}
_RAW_TEXT |= set(HTMLParser.CDATA_CONTENT_ELEMENTS) | set(getattr(HTMLParser, "RCDATA_CONTENT_ELEMENTS", ()))


def _fast_inventory(html: str) -> _Counts | None:
    """The inventory html.parser would take of ``html``, or None if ``html`` is not of the strict form."""
    matches = _TAG.findall(html)
    if len(matches) != html.count("<"):  # a "<" that does not open a strict tag (or one inside a tag)
        return None
    counts = _Counts(Counter(), Counter(), Counter())
    for (name, attr_text), n in Counter(matches).items():  # each distinct tag text once
        if not name:
            continue  # an end tag
        tag = name.lower()
        if tag in _RAW_TEXT:
            return None
        counts.tags[tag] += n
        for attr, double, single in _ATTRS.findall(attr_text):
            attr = attr.lower()
            counts.attrs[(tag, attr)] += n
            if attr in URL_ATTRIBUTES:
                value = double or single
                counts.urls[(tag, attr, unescape(value) if "&" in value else value)] += n
    return counts


def _parsed_inventory(html: str) -> _Counts:
    parser = _Inventory()
    parser.feed(html)
    parser.close()
    return _Counts(parser.tags, parser.attrs, parser.urls)


def _inventory(html: str) -> _Counts:
    counts = _fast_inventory(html)
    return _parsed_inventory(html) if counts is None else counts


def _lost(before: str, after: str, seen: set[tuple[str, ...]]) -> list[str]:
    """What nh3 removed by itself: whole elements, attributes, URLs with a disallowed scheme."""
    old, new = _inventory(before), _inventory(after)
    lost = [("an HTML comment" if tag == "!--" else f"<{tag}>") for tag in sorted(old.tags - new.tags)]
    kept_tags = {tag for tag in old.tags if old.tags[tag] == new.tags[tag]}
    for tag, attr in sorted(old.attrs - new.attrs):
        if tag in kept_tags and (tag, attr) not in seen and attr not in URL_ATTRIBUTES:
            lost.append(f"the {attr} attribute")
    for tag, attr, url in sorted(old.urls - new.urls):
        if tag in kept_tags and (tag, attr, url) not in seen:
            lost.append(_url_message(tag, attr, url))
    return lost
