"""Generated HTML blocks kept out of the Markdown converter.

A generated page is mostly HTML blocks (a paper's header, the listings of tag and edition pages).
Markdown would parse every one of them only to pass it through unchanged, and on listing pages that
was most of the build's time. So the blocks are taken out of the Markdown before conversion, a
one-line HTML comment (a *slot marker*) is left in each place, and the converted page gets the blocks
back (``fill``). Headings and other Markdown stay in place, so the table of contents and anchors are
still the engine's own.

A marker carries a key; a page whose Markdown also holds contributed text (a note's body) uses a
digest of that text as the key, so the text cannot contain its page's markers.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

# A block is taken out when its first line opens one of these: Markdown passes such a block through
# as raw HTML. Anything else (headings, text, inline HTML like <a>) stays Markdown.
BLOCK_TAGS = frozenset(
    "address article aside blockquote details dialog div dl fieldset figcaption figure footer form h1 h2 h3 "
    "h4 h5 h6 header hr main nav ol p pre section table ul".split()
)
_BLOCK_START = re.compile(r"<([a-z][a-z0-9]*)[\s>/]")
_MARKER = re.compile(r"<!-- rn-slot:([0-9a-f]{20}):(\d+) -->")


@dataclass(frozen=True)
class Slots:
    """The HTML blocks taken out of a page's Markdown, and the key of their markers.

    A site search reads the page with its first ``searched`` blocks in place; the others go in after
    it (listings, related papers: they repeat what other pages say and would only add noise).
    """

    key: str
    blocks: tuple[str, ...] = ()
    searched: int = 0

    @property
    def early(self) -> range:
        return range(self.searched)

    @property
    def late(self) -> range:
        return range(self.searched, len(self.blocks))

    def inline(self, markdown: str) -> str:
        """The Markdown with the blocks back in place (for engines that take raw HTML in Markdown)."""

        def block(m: re.Match[str]) -> str:
            number = int(m.group(2))
            return self.blocks[number] if m.group(1) == self.key and number < len(self.blocks) else m.group(0)

        return _MARKER.sub(block, markdown)


def slot_key(text: str) -> str:
    """The marker key of a page whose Markdown holds ``text`` (contributed text, or "" for none)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def marker(key: str, number: int) -> str:
    return f"<!-- rn-slot:{key}:{number} -->"


def extract(markdown: str, key: str, start: int = 0) -> tuple[str, list[str]]:
    """Replace each blank-line-separated HTML block of ``markdown`` with a marker.

    Returns the new Markdown and the blocks in order; markers are numbered from ``start``.
    Only generated Markdown may go through here: a note's body must stay Markdown (and be sanitized).
    """
    chunks = re.split(r"(\n(?:[ \t]*\n)+)", markdown)  # odd items are the blank lines between blocks
    out: list[str] = []
    blocks: list[str] = []
    i = 0
    while i < len(chunks):
        opening = _BLOCK_START.match(chunks[i])
        if not (opening and opening.group(1) in BLOCK_TAGS):
            out.append(chunks[i])
            i += 1
            continue
        # like Markdown, the block runs on over blank lines until its first element is closed
        tag, end = opening.group(1), i
        depth = _depth(tag, chunks[i])
        while depth > 0 and end + 2 < len(chunks):
            end += 2
            depth += _depth(tag, chunks[end])
        block = "".join(chunks[i : end + 1])
        blocks.append(block.rstrip("\n"))
        out.append(marker(key, start + len(blocks) - 1) + block[len(blocks[-1]) :])  # keeps a final newline
        i = end + 1
    return "".join(out), blocks


def _depth(tag: str, html: str) -> int:
    """How many more ``tag`` elements ``html`` opens than it closes (generated HTML: no raw ``<`` in text)."""
    if tag == "hr":
        return 0
    return len(re.findall(rf"<{tag}[\s>]", html)) - html.count(f"</{tag}>")


def fill(html: str, slots: Slots, clean: Callable[[str], str] | None = None, numbers: range | None = None) -> str:
    """Put the blocks (those in ``numbers``, by default all) back into the converted page ``html``.

    With ``clean``, every stretch of ``html`` between markers goes through it first (a note page
    sanitizes its converted body this way, while its generated blocks are trusted as they are); the
    markers of blocks not in ``numbers`` are kept for a later ``fill``. A marker inside a paragraph
    (``<p><!-- … --></p>``) is replaced with its paragraph.
    """
    numbers = range(len(slots.blocks)) if numbers is None else numbers
    out: list[str] = []
    pos = 0
    for found in _MARKER.finditer(html):
        number = int(found.group(2))
        if found.group(1) != slots.key or number >= len(slots.blocks):
            continue
        begin, end = found.span()
        if html.endswith("<p>", pos, begin) and html.startswith("</p>", end):
            begin, end = begin - 3, end + 4
        text = html[pos:begin]
        out += [clean(text) if clean else text, slots.blocks[number] if number in numbers else found.group(0)]
        pos = end
    rest = html[pos:]
    out.append(clean(rest) if clean else rest)
    return "".join(out)
