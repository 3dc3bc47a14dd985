"""A JSON Schema for a note's front-matter, built from the validator's own rules.

Editors use it to complete venues, levels and statuses and to flag mistakes while a note is typed
(VS Code's YAML extension reads it through a ``# yaml-language-server: $schema=...`` comment).
Every constant comes from the modules that ``notes check`` runs (validate/note.py, model.py, tags.py,
links.py and the venue registry), so a change there changes the schema; ``notes schema`` writes it to
``schema/note.schema.json`` and a test fails while the shipped file is out of date.

``notes check`` stays the authority. What a JSON Schema cannot say is listed in ``SCHEMA_GAPS``
(and in docs/contributing.md); tests/test_schema.py runs both over the same notes.

The patterns are written for both regular-expression engines that read them: Python's ``re``
(the ``jsonschema`` package) and JavaScript's ``RegExp`` (editors). So: no ``\\d``/``\\w`` (they
differ), ``(?![\\s\\S])`` instead of ``$`` (Python's ``$`` also matches before a final newline),
and ``\\uXXXX`` escapes rather than raw non-ASCII characters.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from generator import links
from generator.load.venues import VenueRegistry, _norm, load_registry
from generator.model import ID_LINK_KINDS, LEVEL_MARKS, LEVELS, LINK_KINDS, STATUSES, URL_LINK_KINDS
from generator.pipeline import VENUES_FILE
from generator.validate import tags
from generator.validate.note import (
    EVALUATION_FIELDS,
    FIELDS,
    FIRST_YEAR,
    ID_PATTERN,
    MAX_AKA,
    MAX_ENTRY,
    MAX_LIST,
    MAX_NAME,
    MAX_SUMMARY,
    MAX_TITLE,
    MAX_TOPIC,
    MAX_WORKLOADS,
    REQUIRED,
)

SCHEMA_PATH = "schema/note.schema.json"
DRAFT = "http://json-schema.org/draft-07/schema#"  # the newest draft VS Code's YAML extension reads

END = r"(?![\s\S])"
_MESSAGE = "patternErrorMessage"  # what VS Code shows instead of the pattern itself (JSON Schema ignores it)  # the very end of the text, in both engines
_NOT_ALNUM = "[^0-9A-Za-z]*"  # between the letters of a venue name (venues._norm drops the rest)

# Code point ranges whose characters are checked one by one against the tag rule (tags.tag_problem).
# They are fully assigned blocks, so the result does not change with Python's Unicode version:
# ASCII and Latin-1, general punctuation (minus the unassigned U+2065), arrows, mathematical and
# technical symbols, box drawing, shapes, miscellaneous symbols and dingbats, CJK punctuation, and the
# fullwidth forms of ASCII. Other characters (emoji, marks, other symbols) are left to `notes check`.
_TAG_CHECKED_RANGES = (
    (0x0000, 0x00FF), (0x2000, 0x2064), (0x2066, 0x206F), (0x2190, 0x23FF),
    (0x2500, 0x27BF), (0x3000, 0x303F), (0xFF01, 0xFF60),
)  # fmt: skip

SCHEMA_GAPS = (
    "year: the latest year allowed is next year, which depends on today's date; the schema checks only the earliest",
    "numbers: JSON has one number type, so 2022.0 passes the schema where `notes check` wants a whole number (year, list entries)",
    "venue: `notes check` also accepts a venue's full name; the schema wants its key or an alias "
    "(any case, any punctuation or spacing between the letters)",
    "added: `notes check` also reads other ISO 8601 forms such as 20240315 or 2024-W11-5; the schema wants YYYY-MM-DD",
    "added: a date after the build's date (SOURCE_DATE_EPOCH, else today) is refused by `notes check` alone",
    "titles, authors and short names (aka): invisible characters (zero-width and bidi marks, word joiners, TAG characters, Hangul and "
    "braille fillers, variation selectors outside emoji sequences) are refused by `notes check` alone",
    "links: a host written as an IPv6 address (http://[::1]/) and hosts with characters that Unicode-normalise "
    "into '/', '?', '#', '@' or ':' are decided by `notes check` alone",
    "Unicode: lengths are counted after NFC normalisation; in tags, characters outside ASCII, Latin-1 and "
    "the common punctuation and symbol blocks (emoji, marks, other symbols); non-ASCII digits in DOI and "
    "arXiv ids; venue names spelled with characters that case-fold to ASCII letters (the Kelvin sign, long s, "
    "ligatures)",
    "a tag whose only letter-like character is a '#' after its start",
    "rules that need more than one note or the file name: unique ids, `related`, `builds_on`, "
    "`compares_with` and `published_as` ids that exist, a relation to the note itself, a cycle in `builds_on`, and a "
    "file name that can serve as the id",
    "YAML itself (duplicate keys, anchors, tags, tabs, control characters, size) is checked by the loader",
)


def note_schema(registry: VenueRegistry) -> dict[str, Any]:
    """The JSON Schema (draft-07) of a note's front-matter for the venues of ``registry``."""
    builders: dict[str, Callable[[], dict[str, Any]]] = {
        "title": lambda: _text(MAX_TITLE, required=True),
        "venue": lambda: _venue(registry),
        "year": lambda: {"type": "integer", "minimum": FIRST_YEAR},
        "authors": lambda: _text_list(MAX_NAME),
        "aka": lambda: _text_list(MAX_AKA, [{"pattern": rf"^\s*[^\n\r]*\s*{END}", _MESSAGE: "one line"}]),
        "tags": lambda: _text_list(MAX_ENTRY, _tag_rules()),
        "summary": lambda: _text(MAX_SUMMARY),
        "links": _links,
        "status": lambda: _choice(STATUSES),
        "level": lambda: _choice(LEVELS, tuple(LEVEL_MARKS[level] for level in LEVELS)),
        "topic": lambda: _text(MAX_TOPIC),
        "id": _id,
        "related": lambda: _text_list(MAX_ENTRY),
        "added": _date,
        "builds_on": _relation,
        "compares_with": _relation,
        "evaluation": _evaluation,
        "published_as": _published_as,
    }
    missing = [f for f in FIELDS if f not in builders]
    if missing or len(builders) != len(FIELDS):  # a field added to (or dropped from) the validator
        raise ValueError(f"generator/authoring/schema.py has no rule for: {', '.join(missing) or 'a dropped field'}")
    properties = {name: {"description": _HELP.get(name, ""), **builders[name]()} for name in FIELDS}
    return {
        "$schema": DRAFT,
        "$comment": "Generated by `notes schema` from the rules of `notes check` (generator/authoring/schema.py): do not edit. "
        "Not expressed here: " + "; ".join(SCHEMA_GAPS) + ".",
        "title": "Reading note front-matter",
        "description": "The header of a note in papers/: title, venue and year are required.",
        "type": "object",
        "required": list(REQUIRED),
        "additionalProperties": False,
        "properties": properties,
    }


def render_schema(registry: VenueRegistry) -> str:
    """The editor's JSON schema for notes (schema/note.schema.json) for the venues of ``registry``."""
    return json.dumps(note_schema(registry), ensure_ascii=False, indent=2) + "\n"


def write_schema(papers: Path, output: str) -> int:
    """``notes schema``: write the schema for the built-in venues plus the site's ``venues.yml``."""
    registry, problems = load_registry(papers / VENUES_FILE, Path.cwd())
    if problems:
        for problem in problems:
            print(problem)
        print("notes: fix the venues file first; the schema was not written", file=sys.stderr)
        return 1
    text = render_schema(registry)
    if output == "-":
        sys.stdout.write(text)
        return 0
    path = Path(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path} ({len(registry.venues)} venues)", file=sys.stderr)
    return 0


_HELP = {
    "title": "The paper's title, one line.",
    "venue": "A venue key or alias from the registry (OSDI, USENIX ATC, arXiv …); new venues go in papers/venues.yml.",
    "year": "The publication year, a whole number written without quotes.",
    "authors": "The authors, as a list: [First Author, Second Author].",
    "aka": "Short names of the system or paper, as a list: [vLLM, PagedAttention]. Shown on the paper's page and "
    "in listings, and found by the search.",
    "tags": "Topics, as a list: [GPU_sharing, LLM_serving]. Case, '#', '_', '-' and spaces do not make a different tag.",
    "summary": "One line in your own words, shown next to the paper in every list.",
    "links": "Where to read more: " + ", ".join(URL_LINK_KINDS) + " (http/https URLs), " + ", ".join(ID_LINK_KINDS) + " (ids).",
    "status": "Your reading status: " + ", ".join(STATUSES) + ".",
    "level": "How much a newcomer needs it: " + ", ".join(f"{level} {LEVEL_MARKS[level]}" for level in LEVELS) + ".",
    "topic": "A session-like group on the venue-year page, such as 'Model serving'.",
    "id": "Defaults to the file name; letters, digits, '-', '_' and '.'; unique across the site.",
    "related": "Ids of other notes, as a list.",
    "added": "The date the note was added, YYYY-MM-DD.",
    "builds_on": "Ids of the papers whose design this one extends, as a list: [orca]. No cycles.",
    "compares_with": "Ids of the papers it evaluates against (its baselines), as a list: [orca, fastertransformer].",
    "evaluation": "What the paper evaluated: {hardware: one line, workloads: [models, traces …], result: the headline result, one line}.",
    "published_as": "On a preprint's note: the id of the note of its published version (both pages link each other).",
}


def _text(limit: int, *, required: bool = False) -> dict[str, Any]:
    """validate._Checker.text: one line, at most ``limit`` characters once stripped; optional text may be empty."""
    body = rf"\S(?:[^\n]{{0,{limit - 2}}}\S)?"
    if not required:
        body = f"(?:{body})?"
    return {
        "type": "string" if required else ["string", "null"],
        "pattern": rf"^\s*{body}\s*{END}",
        _MESSAGE: f"{'text' if required else 'empty, or text'} on one line, at most {limit} characters",
    }


def _entry(limit: int) -> str:
    """validate._Checker.text_list, one entry: not empty, at most ``limit`` characters once stripped."""
    return rf"^\s*\S(?:[\s\S]{{0,{limit - 2}}}\S)?\s*{END}"


def _text_list(limit: int, extra: Iterable[dict[str, Any]] = ()) -> dict[str, Any]:
    entry = {"pattern": _entry(limit), _MESSAGE: f"not empty, at most {limit} characters"}
    text: dict[str, Any] = {"type": "string", **entry}
    extra = list(extra)
    if extra:
        text = {"type": "string", "allOf": [entry, *extra]}
    return {
        "type": ["array", "null"],
        "maxItems": MAX_LIST,
        "items": {"anyOf": [text, {"type": "integer"}]},  # a bare number is read as its digits
    }


def _tag_rules() -> list[dict[str, Any]]:
    """tags.tag_problem, asked one character at a time: which characters a tag may not use, which
    ones give its page address a name (a tag needs one), and its length once cleaned."""
    checked = [chr(c) for lo, hi in _TAG_CHECKED_RANGES for c in range(lo, hi + 1)]
    forbidden = _char_class(ord(ch) for ch in checked if tags.tag_problem(f"a{ch}a") is not None)
    no_name = _char_class(ord(ch) for ch in checked if tags.tag_problem(ch) is not None)
    limit = tags.MAX_TAG_LENGTH
    prefix = r"^[\s\\]*(?:#[#\\]*)?[\s\\]*"  # clean_tag drops backslashes, outer space and the leading '#'s
    return [
        {"pattern": f"{prefix}[^{forbidden}]*[\\s\\\\]*{END}", _MESSAGE: "a tag may use letters, digits, spaces and _ - + # ."},
        {"pattern": f"[^{no_name}]", _MESSAGE: "a tag needs a letter or a digit"},
        {"pattern": prefix + rf"(?:\\*[^\\]){{0,{limit}}}" + rf"[\s\\]*{END}", _MESSAGE: f"a tag is at most {limit} characters"},
    ]


def _char_class(codes: Iterable[int]) -> str:
    ranges: list[list[int]] = []
    for c in sorted(codes):
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    out = []
    for lo, hi in ranges:
        out.append(rf"\u{lo:04x}" if lo == hi else rf"\u{lo:04x}-\u{hi:04x}")
    return "".join(out)


def _case_insensitive(word: str) -> str:
    """validate._choice lower-cases the value: 'Read', 'READ' and ' read ' are all 'read'."""
    return "".join(f"[{ch}{ch.upper()}]" if ch.isascii() and ch.isalpha() else _escape(ch) for ch in word)


def _escape(ch: str) -> str:
    return ch if ch.isascii() and ch.isalnum() else "".join(rf"\u{u:04x}" for u in _utf16(ch))


def _utf16(ch: str) -> list[int]:
    data = ch.encode("utf-16-be")
    return [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)]


def _choice(allowed: tuple[str, ...], marks: tuple[str, ...] = ()) -> dict[str, Any]:
    """validate._choice: one of ``allowed`` in any case, or one of the ``marks`` as written."""
    words = [_case_insensitive(w) for w in allowed]
    marks_rx = [_literal(m) for m in marks]
    return {
        "anyOf": [
            {"enum": [*allowed, *marks]},  # what editors offer
            {"type": "string", "pattern": rf"^\s*(?:{'|'.join(words + marks_rx)})\s*{END}"},
            {"type": "null"},  # left empty: the default
        ],
    }


def _literal(text: str) -> str:
    # an astral character becomes its UTF-16 surrogate pair, which Python's re does not see as one
    # character: keep it as itself (both engines match a literal character the same way)
    return "".join(ch if ord(ch) > 0xFFFF else _escape(ch) for ch in text)


def _venue(registry: VenueRegistry) -> dict[str, Any]:
    """validate + venues.resolve: a key or alias, compared by its ASCII letters and digits in any case."""
    names: list[str] = []
    for venue in registry.venues.values():
        for name in (venue.key, *venue.aliases):
            if name not in names:
                names.append(name)
    words = sorted({_norm(name) for name in names if _norm(name)})
    schema = _text(MAX_NAME, required=True)
    schema["anyOf"] = [{"enum": names}, {"pattern": f"^{_NOT_ALNUM}{_trie(words)}{_NOT_ALNUM}{END}"}]
    schema[_MESSAGE] = f"one line, at most {MAX_NAME} characters"
    return schema


def _trie(words: list[str]) -> str:
    """One pattern for many words, sharing their prefixes; any non-alphanumeric run may stand between letters."""
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict[str, Any], first: bool) -> str:
        kids = sorted(k for k in node if k)
        if not kids:
            return ""
        alternatives = [_case_insensitive(k) + pattern(node[k], False) for k in kids]
        body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
        if first:
            return body
        body = _NOT_ALNUM + body
        return f"(?:{body})?" if "" in node else body

    return pattern(root, True)


def _url() -> dict[str, Any]:
    """links.safe_http_url: http(s), a host, and nothing a browser would strip or fold."""
    invisible = links._INVISIBLE.pattern
    assert invisible.startswith("[") and invisible.endswith("]"), invisible
    inner = invisible[1:-1]
    host = rf"[^/?#@\[\]:\s{inner}][^/?#@\[\]\s{inner}]*"
    return {
        "type": "string",
        "maxLength": links.MAX_URL_LENGTH,
        "pattern": rf"^[hH][tT][tT][pP][sS]?://{host}(?:[/?#][^{inner}]*)?{END}",
        _MESSAGE: "a full http(s) address, like https://example.org/paper.pdf",
    }


def _id_text(rx: str, example: str) -> dict[str, Any]:
    """An id link (DOI, arXiv): text matching ``rx`` once stripped (an unquoted 2309.06180 is a number)."""
    assert rx.startswith("^") and rx.endswith("$"), rx
    core = rx[1:-1].replace(r"\d", "[0-9]")
    return {"type": "string", "pattern": rf"^\s*(?:{core})\s*{END}", _MESSAGE: f"an id like {example}"}


def _links() -> dict[str, Any]:
    kinds: dict[str, Any] = {kind: _url() for kind in URL_LINK_KINDS}
    kinds["doi"] = _id_text(links.DOI.pattern, "10.1145/3600006.3613165")
    kinds["arxiv"] = _id_text(links.ARXIV.pattern, '"2309.06180" (in quotes)')
    assert tuple(kinds) == LINK_KINDS, "a link kind without a rule in generator/authoring/schema.py"
    return {"type": ["object", "null"], "additionalProperties": False, "properties": kinds}


def _id() -> dict[str, Any]:
    """validate.note_id: surrounding space is dropped, and a blank id falls back to the file name."""
    rx = ID_PATTERN.pattern
    assert rx.startswith("^") and rx.endswith("$"), rx
    return {"type": "string", "pattern": rf"^\s*(?:{rx[1:-1]})?\s*{END}", _MESSAGE: "letters, digits, '-', '_' or '.', like vllm-sosp23"}


def _relation() -> dict[str, Any]:
    """validate._relation: a list of paper ids (each stripped; a bare number is read as its digits)."""
    rx = ID_PATTERN.pattern
    entry = {"type": "string", "pattern": rf"^\s*(?:{rx[1:-1]})\s*{END}", _MESSAGE: "a paper id, like orca"}
    return {"type": ["array", "null"], "maxItems": MAX_LIST, "items": {"anyOf": [entry, {"type": "integer", "minimum": 0}]}}


def _evaluation() -> dict[str, Any]:
    """validate._evaluation: a mapping of one-line texts (workloads: one text or a list of them)."""
    hardware, workloads, result = (_text(EVALUATION_FIELDS[k], required=True) for k in ("hardware", "workloads", "result"))
    return {
        "type": ["object", "null"],
        "additionalProperties": False,
        "properties": {
            "hardware": hardware,
            "workloads": {"anyOf": [workloads, {"type": "array", "maxItems": MAX_WORKLOADS, "items": workloads}]},
            "result": result,
        },
    }


def _published_as() -> dict[str, Any]:
    """validate._published_as: a note id (not blank: there is no file name to fall back to)."""
    rx = ID_PATTERN.pattern
    return {"type": "string", "pattern": rf"^\s*(?:{rx[1:-1]})\s*{END}", _MESSAGE: "the id of the published version's note, like lyra"}


def _date() -> dict[str, Any]:
    """validate._added: a real calendar date, YYYY-MM-DD, from 0001-01-01 on."""
    month_day = "(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))"
    leap = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29"
    return {
        "type": ["string", "null"],
        "pattern": rf"^\s*(?!0000)(?:[0-9]{{4}}-{month_day}|{leap})\s*{END}",
        _MESSAGE: "a date, YYYY-MM-DD, like 2024-03-15",
    }
