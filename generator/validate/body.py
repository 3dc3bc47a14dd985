"""Limits on a note's Markdown body, checked before any Markdown is rendered.

Python-Markdown (3.11, with this site's extensions) is quadratic or worse on some inputs. Measured
on one core: a paragraph of 4,000 ``[`` takes 3.3 s, 4,000 ``[a(`` 10.6 s, 4,000 ``![a][`` 20.7 s,
1,000 unclosed ``<![CDATA[`` 3.9 s, 4,000 lines without a blank line (``- - -``) 4.9 s, 4,000
headings 3.1 s, 4,000 raw ``<a`` lines 3.2 s, and a list or admonition nested 400 deep raises
RecursionError, which would crash the whole build. The limits below are far above what a reading
note needs (the largest shipped note has 2.5 KB, 6 headings and no raw HTML) and keep the worst
accepted body to about a second (see tests/test_hostile.py). A body over a limit is refused with
a problem at its line, like a bad field: the note is left out of the site.

Two rules are about safety rather than time: control characters (``\\x02``/``\\x03`` are
Python-Markdown's own placeholder markers) and bidi overrides are refused as in the front-matter,
and the include syntax of ``pymdownx.snippets`` (``--8<--``) is refused, so that a note can never
copy another file of the repository into the site, whatever extensions ``mkdocs.yml`` enables.
"""

from __future__ import annotations

import re

from generator.load.frontmatter import FORBIDDEN_CHARS
from generator.model import Problem

MAX_BODY_BYTES = 64 * 1024  # dense tables render at about 30 KB/s: at most ~2 s per note
MAX_LINE = 10_000  # characters in one line
MAX_BLOCK_LINES = 200  # lines in a row without a blank line (outside code fences)
MAX_BRACKETS_PER_BLOCK = 300  # '[' in one paragraph: links are parsed in quadratic time
MAX_BRACKETS = 3_000  # '[' in the whole note
MAX_HTML_TAGS = 1_000  # '<' starting a tag (raw HTML is scanned in quadratic time)
MAX_DECLARATIONS = 50  # '<!' and '<?' (comments, CDATA, doctype, processing instructions)
MAX_HEADINGS = 200  # heading ids are made unique in quadratic time
MAX_FENCES = 200  # ``` and ~~~ lines (an unclosed fence is searched to the end of the note)
MAX_NESTING = 16  # quotes and list items opened on one line: '> > …', '- - …', '1. 1. …'
MAX_INDENT = 64  # columns of indentation outside code fences (lists and admonitions nest by indenting)

_FENCE = re.compile(r"^[ \t>]*(`{3,}|~{3,})")
_BLANK = re.compile(r"^[ \t]*$")
_CONTAINERS = re.compile(r"^(?:[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])))+")
_HEADING = re.compile(r"^ {0,3}(?:#{1,6}(?:[ \t]|$)|=+[ \t]*$|-+[ \t]*$)")
_MARKER = re.compile(r">|[-*+]|\d{1,9}[.)]")
_TAG = re.compile(r"<[A-Za-z/]")
_DECLARATION = re.compile(r"<[!?]")
_SNIPPET = re.compile(r"-+8<-+")
# What a line with too much indentation, or with too many markers for _CONTAINERS, starts with
# (a '\t' is at most 4 columns): after a '\n' (a literal prefix, found fast) or at the very start.
_DEEP = r"(?:[ \t]{%d}|[ \t]*(?:(?:>|[-*+]|\d{1,9}[.)])[ \t]*){%d})" % (MAX_INDENT // 4 + 1, MAX_NESTING + 1)
_DEEP_LINE = re.compile(r"\n" + _DEEP)
_DEEP_START = re.compile(_DEEP)
# The UTF-8 bytes worth a look: the line breaks, '[', '<', '`' and '~' counted below, and those that
# can start a forbidden character (the ASCII controls, and the lead bytes of U+0080–U+009F, of
# U+2028–U+206F and of U+FEFF–U+FFFF). Any other byte is deleted before counting.
_COUNTED = b"\n[<`~"
_WORTH_A_LOOK = _COUNTED + bytes(b for b in range(256) if b < 0x80 and FORBIDDEN_CHARS.match(chr(b))) + b"\xc2\xe2\xef"
_OTHER_BYTES = bytes(b for b in range(256) if b not in _WORTH_A_LOOK)


def body_problems(path: str, body: str, first_line: int) -> list[Problem]:
    """Everything that makes a note's body unsafe or too slow to render (one problem per rule)."""
    found: dict[str, Problem] = {}

    def report(rule: str, index: int, message: str) -> None:
        found.setdefault(rule, Problem(path, first_line + index, "body", message))

    encoded = body.encode("utf-8")
    size = len(encoded)
    if size > MAX_BODY_BYTES:
        return [Problem(path, first_line, "body", f"is {size // 1024} KiB (a note's text may be at most {MAX_BODY_BYTES // 1024} KiB)")]
    if _plainly_within_limits(body, encoded):
        return []
    lines = body.split("\n")
    fence: str | None = None  # the opening fence while inside a code block
    block_start, block_lines, block_brackets = 0, 0, 0
    brackets = tags = declarations = headings = fences = 0
    for i, line in enumerate(lines):
        if bad := FORBIDDEN_CHARS.search(line):
            report("char", i, f"contains the invisible control character U+{ord(bad.group()):04X} (remove it)")
        if len(line) > MAX_LINE:
            report("line", i, f"a line of {len(line)} characters (at most {MAX_LINE}): break it into shorter lines")
        if _SNIPPET.search(line):
            report("snippet", i, "the include syntax '--8<--' is not allowed in notes (it would copy another file into the page)")
        if m := _FENCE.match(line):
            fences += 1
            if fences == MAX_FENCES + 1:
                report("fences", i, f"more than {MAX_FENCES} code fences (``` or ~~~ lines)")
            marker = m.group(1)
            if fence is None:
                fence = marker
                continue
            if marker[0] == fence[0] and len(marker) >= len(fence) and not line[m.end() :].strip():
                fence = None
                continue
        if fence is not None:
            continue
        if _BLANK.match(line):
            block_lines, block_brackets = 0, 0
            continue
        if block_lines == 0:
            block_start = i
        block_lines += 1
        if block_lines == MAX_BLOCK_LINES + 1:
            report(
                "block",
                block_start,
                f"more than {MAX_BLOCK_LINES} lines without a blank line: separate paragraphs and lists with blank lines",
            )
        count = line.count("[")
        brackets += count
        block_brackets += count
        if block_brackets > MAX_BRACKETS_PER_BLOCK:
            report("brackets", block_start, f"more than {MAX_BRACKETS_PER_BLOCK} '[' in one paragraph")
        if brackets > MAX_BRACKETS:
            report("brackets-total", i, f"more than {MAX_BRACKETS} '[' in the note")
        tags += len(_TAG.findall(line))
        if tags > MAX_HTML_TAGS:
            report("tags", i, f"more than {MAX_HTML_TAGS} HTML tags: write Markdown instead")
        declarations += len(_DECLARATION.findall(line))
        if declarations > MAX_DECLARATIONS:
            report("declarations", i, f"more than {MAX_DECLARATIONS} HTML comments or declarations (<!… and <?…)")
        if _HEADING.match(line):
            headings += 1
            if headings == MAX_HEADINGS + 1:
                report("headings", i, f"more than {MAX_HEADINGS} headings")
        if (c := _CONTAINERS.match(line)) and len(_MARKER.findall(c.group())) > MAX_NESTING:
            report("nesting", i, f"more than {MAX_NESTING} quotes or list items opened on one line")
        indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip(" "))
        if indent > MAX_INDENT:
            report("indent", i, f"indented by {indent} columns (at most {MAX_INDENT}): lists or blocks nested too deep")
    return sorted(found.values())


def _plainly_within_limits(body: str, encoded: bytes) -> bool:
    """True when no rule of ``body_problems`` can apply to ``body`` (``encoded`` is its UTF-8, not
    larger than MAX_BODY_BYTES), judged on the whole text at once: most notes are far inside every limit.

    Each test counts at least what the line-by-line loop would (it also counts inside code fences
    and blank lines), so True means the loop would report nothing; on False the loop decides.
    """
    kept = encoded.translate(None, _OTHER_BYTES)  # a few bytes per line: fast to count in
    if kept.translate(None, _COUNTED) and FORBIDDEN_CHARS.search(body):
        return False
    line_count = kept.count(b"\n") + 1
    if line_count > MAX_BLOCK_LINES or line_count > MAX_HEADINGS:
        return False
    if len(body) > MAX_LINE and max(map(len, body.split("\n"))) > MAX_LINE:
        return False
    if kept.count(b"`") + kept.count(b"~") >= 3 * (MAX_FENCES + 1):  # a fence line has 3 or more of them
        return False
    if kept.count(b"[") > min(MAX_BRACKETS_PER_BLOCK, MAX_BRACKETS):
        return False
    angles = kept.count(b"<")
    if angles and "8<" in body and _SNIPPET.search(body):
        return False
    if angles > min(MAX_HTML_TAGS, MAX_DECLARATIONS) and (
        len(_TAG.findall(body)) > MAX_HTML_TAGS or len(_DECLARATION.findall(body)) > MAX_DECLARATIONS
    ):
        return False
    return not (_DEEP_START.match(body) or _DEEP_LINE.search(body))
