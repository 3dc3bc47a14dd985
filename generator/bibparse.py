"""Read a real-world ``.bib`` file with bibtexparser 2, and account for every entry in it.

Real files are messy: a missing comma after the key, ``%`` comments between fields, ``"…"`` and
``{…}`` values, ``@string`` macros and ``#`` concatenation, duplicate keys, unbalanced braces.
bibtexparser puts what it cannot read in ``library.failed_blocks`` without raising; this module turns
every block into either a ``BibEntry`` (values with enclosures and macros resolved, TeX kept) or a
``BibFailure`` with the entry's key, line and a reason a person can act on. Nothing is skipped
silently: every ``@type{`` that starts a line is matched against what the parser returned.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import bibtexparser
from bibtexparser.model import (
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    ImplicitComment,
    ParsingFailedBlock,
    String,
)

MONTHS = {
    "jan": "January", "feb": "February", "mar": "March", "apr": "April", "may": "May", "jun": "June",
    "jul": "July", "aug": "August", "sep": "September", "oct": "October", "nov": "November", "dec": "December",
}  # fmt: skip
_NON_ENTRIES = ("string", "preamble", "comment")
_ENTRY_START = re.compile(r"^[ \t]*@[ \t]*([A-Za-z]\w*)[ \t]*[{(]", re.MULTILINE)
_KEY_IN_RAW = re.compile(r"@\s*\w+\s*[{(]\s*([^,\s{}()=\"]+)")
_LEFTOVER_FIELD = re.compile(r"^[\s,]*[A-Za-z][\w\-:.]*\s*=\s*[{\"\w]", re.MULTILINE)
_KEY_ONLY = re.compile(r"^([ \t]*@[ \t]*(?!string\b|preamble\b|comment\b)[A-Za-z]\w*[ \t]*[{(][ \t]*[^\s,={}()\"]+)[ \t]*$", re.IGNORECASE)
_FIELD_LINE = re.compile(r"^[ \t]*[A-Za-z][\w\-:.]*[ \t]*=")


@dataclass
class BibEntry:
    key: str
    entry_type: str  # lower case: "inproceedings"
    fields: dict[str, str]  # lower-case name → value with enclosures, macros and "#" resolved; TeX kept
    line: int  # 1-based line of the "@"
    notes: list[str] = field(default_factory=list)  # what was repaired or ignored, for the report


@dataclass
class BibFailure:
    key: str
    line: int
    reason: str


@dataclass
class BibFile:
    entries: list[BibEntry]
    failures: list[BibFailure]

    @property
    def count(self) -> int:
        return len(self.entries) + len(self.failures)


@contextmanager
def _quiet_bibtexparser() -> Iterator[None]:
    """bibtexparser logs each broken block as a warning; the caller reports them itself."""
    logger = logging.getLogger("bibtexparser")
    old_level, old_propagate = logger.level, logger.propagate
    logger.setLevel(logging.CRITICAL + 1)
    logger.propagate = False
    try:
        yield
    finally:
        logger.setLevel(old_level)
        logger.propagate = old_propagate


def prepare(text: str) -> tuple[str, dict[int, str]]:
    """Repair what can be repaired without moving any line: returns the text and notes by line.

    - ``@article{key`` followed by a line ``title = …``: the missing comma is added.
    - ``%`` comments outside values (between entries, or between fields) are blanked.
    - An entry start at the beginning of a line ends any unclosed entry before it (as bibtexparser
      does), so a broken entry cannot hide the comment rules of the entries after it.
    """
    notes: dict[int, str] = {}
    lines = text.split("\n")
    for i, line in enumerate(lines):
        m = _KEY_ONLY.match(line)
        if m is None:
            continue
        nxt = next((ln for ln in lines[i + 1 :] if ln.strip()), "")
        if _FIELD_LINE.match(nxt):
            lines[i] = m.group(1) + ","
            notes[i + 1] = "added the missing comma after the key"
    out: list[str] = []
    depth = 0  # 0 outside entries, 1 between the fields of an entry, 2+ inside a {…} value
    in_quote = False
    closer = "}"
    free_text = False  # inside @comment{…}: no quotes, no comments
    for line in lines:
        if _ENTRY_START.match(line):
            depth, in_quote = 0, False
        chars: list[str] = []
        i = 0
        while i < len(line):
            ch = line[i]
            if ch == "\\" and depth > 0:
                chars.append(line[i : i + 2])
                i += 2
                continue
            if depth == 0:
                if ch == "%":
                    break
                m = re.compile(r"@[ \t]*([A-Za-z]\w*)[ \t]*([{(])").match(line, i)
                if m:
                    chars.append(m.group())
                    i = m.end()
                    depth, in_quote = 1, False
                    closer = "}" if m.group(2) == "{" else ")"
                    free_text = m.group(1).lower() == "comment"
                    continue
            elif depth == 1 and not free_text:
                if ch == '"':
                    in_quote = not in_quote
                elif ch == "%" and not in_quote:
                    break
                elif ch == "{":
                    depth += 1
                elif ch == closer and not in_quote:
                    depth = 0
            else:
                if ch == "{":
                    depth += 1
                elif ch == "}" and depth > 1:
                    depth -= 1
                elif ch == closer and depth == 1:
                    depth = 0
            chars.append(ch)
            i += 1
        out.append("".join(chars))
    return "\n".join(out), notes


def evaluate(raw: str, macros: dict[str, str]) -> str:
    """A field's value: ``{…}`` and ``"…"`` opened, macros looked up, ``#`` parts joined."""
    parts: list[str] = []
    s = raw.strip()
    i = 0
    while i < len(s):
        ch = s[i]
        if ch in " \t\n#":
            i += 1
            continue
        if ch in "{\"":
            end = closing_delimiter(s, i)
            parts.append(s[i + 1 : end])
            i = end + 1
            continue
        m = re.compile(r"[^\s#{}\"]+").match(s, i)
        if m is None:  # a stray closing brace
            parts.append(ch)
            i += 1
            continue
        word = m.group()
        parts.append(word if word.isdigit() else macros.get(word.lower(), word))
        i = m.end()
    return "".join(parts)


def closing_delimiter(s: str, start: int) -> int:
    """Index of the delimiter closing the ``{`` or ``"`` at ``start`` (or the end of the text)."""
    depth = 0
    i = start
    quote = s[start] == '"'
    if quote:
        i += 1
    while i < len(s):
        ch = s[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if not quote and depth == 0:
                return i
        elif ch == '"' and quote and depth == 0:
            return i
        i += 1
    return len(s)


def _reason(error: Exception, raw: str) -> str:
    text = str(getattr(error, "abort_reason", "") or error)
    if "Expected comma after entry key" in text:
        return "no comma after the entry key"
    if "Unexpected block start" in text:
        return "unbalanced braces or quotes: a value is still open when the next entry starts"
    if "end of file" in text:
        return "unbalanced braces or quotes: the entry is still open at the end of the file"
    if "Expected a `=`" in text or "Expected either a `,`" in text:
        return "a field is not written as name = value (check the commas and quotes)"
    if "Expected equals sign" in text:
        return "an @string without '='"
    return "could not be read: " + " ".join(text.split())[:200]


def _key_of(raw: str | None) -> str:
    m = _KEY_IN_RAW.search(raw or "")
    return m.group(1) if m else "(no key)"


def parse_bib(text: str) -> BibFile:
    """Every entry of a ``.bib`` text, read or reported."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    prepared, repairs = prepare(text)
    with _quiet_bibtexparser():
        library = bibtexparser.parse_string(prepared, parse_stack=[])

    macros = {k: v for k, v in MONTHS.items()}
    for block in library.blocks:
        string = block.ignore_error_block if isinstance(block, DuplicateBlockKeyBlock) else block
        if isinstance(string, String):
            macros[string.key.strip().lower()] = evaluate(string.value, macros)

    entries: list[BibEntry] = []
    failures: list[BibFailure] = []
    last: BibEntry | None = None
    for block in library.blocks:
        line = (block.start_line or 0) + 1
        inner = block.ignore_error_block if isinstance(block, ParsingFailedBlock) else block
        if isinstance(inner, Entry) and (not isinstance(block, ParsingFailedBlock) or isinstance(block, DuplicateBlockKeyBlock | DuplicateFieldKeyBlock)):
            entry = _entry(inner, line, macros)
            if isinstance(block, DuplicateBlockKeyBlock):
                entry.notes.append(f"the key {inner.key!r} is used twice in the file")
            if isinstance(block, DuplicateFieldKeyBlock):
                entry.notes.append(f"repeated field {', '.join(sorted(block.duplicate_keys))}: kept the first")
            if line in repairs:
                entry.notes.append(repairs[line])
            entries.append(entry)
            last = entry
        elif isinstance(block, ParsingFailedBlock) and not isinstance(inner, String):
            if re.match(r"\s*@\s*(string|preamble|comment)\b", block.raw or "", re.IGNORECASE):
                last = None
                continue
            failures.append(BibFailure(_key_of(block.raw), line, _reason(block.error, block.raw or "")))
            last = None
        elif isinstance(block, ImplicitComment):
            if last is not None and _LEFTOVER_FIELD.search(block.comment):
                entries.remove(last)
                failures.append(BibFailure(last.key, last.line, f"unbalanced braces: an extra '}}' ends the entry before line {line}, so its later fields would be lost"))
            last = None
        else:
            last = None if not isinstance(block, String) else last

    seen = {e.line for e in entries} | {f.line for f in failures}
    for m in _ENTRY_START.finditer(prepared):
        if m.group(1).lower() in _NON_ENTRIES:
            continue
        line = prepared.count("\n", 0, m.start()) + 1
        if line not in seen:
            failures.append(BibFailure(_key_of(prepared[m.start() : m.start() + 300]), line, "could not be read (check the braces of the entry before it)"))
    failures.sort(key=lambda f: f.line)
    return BibFile(entries, failures)


def _entry(entry: Entry, line: int, macros: dict[str, str]) -> BibEntry:
    fields: dict[str, str] = {}
    for f in entry.fields:
        name = f.key.strip().lower()
        if name and name not in fields:
            fields[name] = evaluate(str(f.value), macros)
    return BibEntry(entry.key.strip(), entry.entry_type.strip().lower(), fields, line)
