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
from typing import NamedTuple

import bibtexparser
from bibtexparser.model import (
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    ImplicitComment,
    ParsingFailedBlock,
    String,
)

from generator.load.tex import MAX_BRACE_DEPTH, brace_depth, closing_delimiter

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
# The bounds every value read from a .bib file obeys (the sidecar reader and ``notes import-bib``
# both read through ``parse_bib``): a value is at most MAX_VALUE_CHARS characters once its @string
# macros are expanded, and all the text macros add to one file is at most MAX_EXPANSION_CHARS, so
# ``@string{m1 = m0 # m0}`` … ``m39`` costs a few KiB, not 2**39 copies. Braces nest at most
# tex.MAX_BRACE_DEPTH deep.
MAX_VALUE_CHARS = 64 * 1024
MAX_EXPANSION_CHARS = 4 * 1024 * 1024


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
    entry_line: int | None = None  # the "@" line, when ``line`` is the line of a field inside it


@dataclass
class BibFile:
    entries: list[BibEntry]
    failures: list[BibFailure]

    @property
    def count(self) -> int:
        return len(self.entries) + len(self.failures)


class BibValueError(ValueError):
    """A value that breaks one of the bounds above; the message says which, for the report."""


class UsesUnusable(BibValueError):
    """A value that uses an @string already reported as breaking a bound."""


@dataclass
class Unusable:
    """An @string whose value broke a bound: an entry that uses it fails too."""

    line: int


@dataclass
class Budget:
    """What macro expansion may still add to the file being read."""

    left: int = MAX_EXPANSION_CHARS

    def spend(self, chars: int) -> None:
        self.left -= chars
        if self.left < 0:
            raise BibValueError(
                f"@string macros expand to more than {MAX_EXPANSION_CHARS // (1024 * 1024)} MiB of text in this file (a macro used inside a macro doubles it)"
            )


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


class Prepared(NamedTuple):
    text: str
    notes: dict[int, str]  # line → what was repaired there
    inside: dict[int, int]  # line of an "@type{" that lies inside an earlier value → that entry's line


def prepare(text: str) -> Prepared:
    """Repair what can be repaired without moving any line, and find entry starts that are text.

    - ``@article{key`` followed by a line ``title = …``: the missing comma is added.
    - ``%`` comments outside values (between entries, or between fields) are blanked.
    - An entry start at the beginning of a line ends an unclosed entry before it (as bibtexparser
      does) when no value of that entry is open, so a missing final ``}`` loses one entry, not the
      rest of the file. Inside a ``{…}`` or ``"…"`` value it is text, as BibTeX reads it: it is
      listed in ``inside`` and never becomes an entry, so a value cannot smuggle one in, and a
      value that is never closed holds the rest of the file.
    """
    notes: dict[int, str] = {}
    inside: dict[int, int] = {}
    lines = text.split("\n")
    following = ""  # the next line that is not blank (read backwards: linear for any number of lines)
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        m = _KEY_ONLY.match(line)
        nxt, following = following, (line if line.strip() else following)
        if m is None:
            continue
        if _FIELD_LINE.match(nxt):
            lines[i] = m.group(1) + ","
            notes[i + 1] = "added the missing comma after the key"
    out: list[str] = []
    depth = 0  # 0 outside entries, 1 between the fields of an entry, 2+ inside a {…} value
    in_quote = False
    closer = "}"
    free_text = False  # inside @comment{…}: no quotes, no comments
    owner = 0  # line of the entry being read
    for number, line in enumerate(lines, 1):
        if _ENTRY_START.match(line):
            if (depth >= 2 or in_quote) and not free_text:
                inside[number] = owner
            else:
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
                    depth, in_quote, owner = 1, False, number
                    closer = "}" if m.group(2) == "{" else ")"
                    free_text = m.group(1).lower() == "comment"
                    continue
            elif depth == 1 and not free_text:  # braces inside "…" are text, as bibtexparser reads them
                if ch == '"' and not (in_quote and line[i - 1 : i] == "{" and line[i + 1 : i + 2] == "}"):  # {"}: a quote
                    in_quote = not in_quote
                elif ch == "%" and not in_quote:
                    break
                elif ch == "{" and not in_quote:
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
    return Prepared("\n".join(out), notes, inside)


def evaluate(raw: str, macros: dict[str, str | Unusable], budget: Budget | None = None) -> str:
    """A field's value: ``{…}`` and ``"…"`` opened, macros looked up, ``#`` parts joined.

    Raises ``BibValueError`` for a value longer than MAX_VALUE_CHARS once expanded, nested deeper
    than MAX_BRACE_DEPTH, or using an unusable macro; expansion is charged to ``budget``.
    """
    budget = budget if budget is not None else Budget()
    parts: list[str] = []
    size = 0
    s = raw.strip()
    i = 0
    while i < len(s):
        ch = s[i]
        if ch in " \t\n#":
            i += 1
            continue
        if ch in '{"':
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
        value = word if word.isdigit() else macros.get(word.lower(), word)
        if isinstance(value, Unusable):
            raise UsesUnusable(f"uses @string {word} (line {value.line}), which could not be expanded")
        if value is not word:
            budget.spend(len(value))
        parts.append(value)
        size += len(value)
        if size > MAX_VALUE_CHARS:
            raise BibValueError(f"is longer than {MAX_VALUE_CHARS // 1024} KiB once its @string macros are expanded")
        i = m.end()
    text = "".join(parts)
    if len(text) > MAX_VALUE_CHARS:
        raise BibValueError(f"is longer than {MAX_VALUE_CHARS // 1024} KiB")
    if brace_depth(text) > MAX_BRACE_DEPTH:
        raise BibValueError(f"braces nest more than {MAX_BRACE_DEPTH} levels deep")
    return text


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
    prepared, repairs, inside = prepare(text)
    lines = prepared.split("\n")
    with _quiet_bibtexparser():
        library = bibtexparser.parse_string(prepared, parse_stack=[])

    entries: list[BibEntry] = []
    failures: list[BibFailure] = []
    budget = Budget()
    macros: dict[str, str | Unusable] = dict(MONTHS.items())
    for block in library.blocks:
        string = block.ignore_error_block if isinstance(block, DuplicateBlockKeyBlock) else block
        if isinstance(string, String) and (block.start_line or 0) + 1 not in inside:
            name, line = string.key.strip(), (block.start_line or 0) + 1
            try:
                macros[name.lower()] = evaluate(string.value, macros, budget)
            except BibValueError as error:
                macros[name.lower()] = Unusable(line)
                if not isinstance(error, UsesUnusable):  # reported where it starts, once
                    failures.append(BibFailure(name, line, f"this @string {error}"))

    last: BibEntry | None = None
    for block in library.blocks:
        line = (block.start_line or 0) + 1
        inner = block.ignore_error_block if isinstance(block, ParsingFailedBlock) else block
        if line in inside:
            if not re.match(r"\s*@\s*(string|preamble|comment)\b", block.raw or "", re.IGNORECASE) and not isinstance(inner, String):
                failures.append(_swallowed(block.raw, line, inside[line], lines))
            last = None
            continue
        if isinstance(inner, Entry) and (
            not isinstance(block, ParsingFailedBlock) or isinstance(block, DuplicateBlockKeyBlock | DuplicateFieldKeyBlock)
        ):
            entry = _entry(inner, line, macros, budget)
            if isinstance(entry, BibFailure):
                failures.append(entry)
                last = None
                continue
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
                failures.append(
                    BibFailure(
                        last.key,
                        last.line,
                        f"unbalanced braces: an extra '}}' ends the entry before line {line}, so its later fields would be lost",
                    )
                )
            last = None
        else:
            last = None if not isinstance(block, String) else last

    seen = {e.line for e in entries} | {f.entry_line or f.line for f in failures}
    line, counted = 1, 0
    for m in _ENTRY_START.finditer(prepared):
        line, counted = line + prepared.count("\n", counted, m.start()), m.start()
        if m.group(1).lower() in _NON_ENTRIES:
            continue
        if line in inside and line not in seen:
            failures.append(_swallowed(prepared[m.start() : m.start() + 300], line, inside[line], lines))
        elif line not in seen:
            failures.append(
                BibFailure(
                    _key_of(prepared[m.start() : m.start() + 300]), line, "could not be read (check the braces of the entry before it)"
                )
            )
    failures.sort(key=lambda f: f.line)
    return BibFile(entries, failures)


def _swallowed(raw: str | None, line: int, owner: int, lines: list[str]) -> BibFailure:
    owner_start = lines[owner - 1] if 0 < owner <= len(lines) else ""
    reason = (f"not read as an entry: it starts inside a value of {_key_of(owner_start)} (line {owner}) that is still "
              "open here, so it is text of that value (close the value's brace or quote)")  # fmt: skip
    return BibFailure(_key_of(raw), line, reason)


def _entry(entry: Entry, line: int, macros: dict[str, str | Unusable], budget: Budget) -> BibEntry | BibFailure:
    """The entry with its values evaluated, or a failure at the line of the first value out of bounds."""
    fields: dict[str, str] = {}
    key = entry.key.strip()
    for f in entry.fields:
        name = f.key.strip().lower()
        if name and name not in fields:
            try:
                fields[name] = evaluate(str(f.value), macros, budget)
            except BibValueError as error:
                field_line = line + (f.start_line - entry.start_line if f.start_line is not None and entry.start_line is not None else 0)
                return BibFailure(key, field_line, f"{name}: {error}", entry_line=line)
    return BibEntry(key, entry.entry_type.strip().lower(), fields, line)
