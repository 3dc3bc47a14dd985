"""Check one parsed note against the note format and turn it into a ``Paper``.

Every problem of a note is reported, not just the first; a note with any problem is left out.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from generator.links import ARXIV, DOI, arxiv_url, doi_url, safe_http_url
from generator.load.history import build_time
from generator.load.venues import VenueRegistry
from generator.model import (
    ID_LINK_KINDS,
    LEVEL_MARKS,
    LEVELS,
    LINK_KINDS,
    RELATIONS,
    STATUSES,
    URL_LINK_KINDS,
    Evaluation,
    Link,
    Paper,
    Problem,
    RawNote,
    Tag,
)
from generator.validate.body import body_problems
from generator.validate.graph import did_you_mean
from generator.validate.tags import make_tag, tag_problem
from generator.validate.visible import invisible_problem, title_problem

FIELDS = (
    "title", "venue", "year", "authors", "aka", "tags", "summary", "links",
    "status", "level", "topic", "id", "related", "added", "builds_on", "compares_with", "evaluation", "published_as",
)  # fmt: skip
REQUIRED = ("title", "venue", "year")
MAX_TITLE = 300
MAX_SUMMARY = 400
MAX_NAME = 120
MAX_TOPIC = 80
MAX_LIST = 100
MAX_ENTRY = 80  # one tag or related id as written
MAX_AKA = 60  # one short name (aka: [vLLM, PagedAttention])
EVALUATION_FIELDS = {"hardware": 200, "workloads": 120, "result": 300}  # sub-field → at most this many characters (per entry)
MAX_WORKLOADS = 20
FIRST_YEAR = 1950  # the earliest publication year; the latest is next year
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,79}$")
_LEVEL_ALIASES = {mark: level for level, mark in LEVEL_MARKS.items()}
_LINK_ORDER = {kind: i for i, kind in enumerate(LINK_KINDS)}
_LINK_LABELS = {"paper": "Paper", "code": "Code", "slides": "Slides", "video": "Video",
                "artifact": "Artifact", "doi": "DOI", "arxiv": "arXiv"}  # fmt: skip


class _Checker:
    """Collects the problems of one note while its fields are read."""

    def __init__(self, raw: RawNote) -> None:
        self.raw = raw
        self.problems: list[Problem] = []

    def line(self, *path: Any) -> int:
        while path:
            if path in self.raw.lines:
                return self.raw.lines[path]
            path = path[:-1]
        return self.raw.lines.get((), 2)

    def report(self, field: str, message: str, *path: Any) -> None:
        self.problems.append(Problem(self.raw.path, self.line(*(path or (field,))), field, message))

    def text(self, field: str, limit: int, *, required: bool = False) -> str | None:
        value = self.raw.data.get(field)
        if value is None:
            if required:
                self.problems.append(Problem(self.raw.path, 2, field, f"missing (every note needs {field!r})"))
            return None
        if not isinstance(value, str):
            self.report(field, f"must be text, not {_kind(value)} (put it in quotes)")
            return None
        value = _clean(value)
        if required and not value:
            self.report(field, "is empty")
            return None
        if "\n" in value:
            self.report(field, "must be one line")
            return None
        if len(value) > limit:
            self.report(field, f"is {len(value)} characters long (at most {limit})")
            return None
        return value

    def text_list(self, field: str, limit: int, check: Callable[[str], str | None] | None = None) -> list[str]:
        value = self.raw.data.get(field)
        if value is None:
            return []
        if not isinstance(value, list):
            self.report(field, f"must be a list, like {field}: [first, second]")
            return []
        if len(value) > MAX_LIST:
            self.report(field, f"has {len(value)} entries (at most {MAX_LIST})")
            return []
        items: list[str] = []
        for i, item in enumerate(value):
            if not isinstance(item, str | int) or isinstance(item, bool):
                self.report(field, f"entry {i + 1} must be text, not {_kind(item)}", field, i)
                continue
            text = _clean(str(item))
            why = "is empty" if not text else f"entry {i + 1} is longer than {limit} characters" if len(text) > limit else None
            why = why or (check(text) if check else None)
            if why:
                self.report(field, why if why.startswith("entry") else f"entry {i + 1} {why}", field, i)
                continue
            items.append(text)
        return items


def _short_name_problem(text: str) -> str | None:
    """Why ``text`` cannot be a short name (aka): the rules of titles, on one line."""
    return "must be one line" if "\n" in text or "\r" in text else title_problem(text)


def _clean(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip()


def _kind(value: Any) -> str:
    return {bool: "true/false", int: "a number", float: "a number", list: "a list", dict: "a mapping"}.get(
        type(value), "empty" if value is None else type(value).__name__
    )


def note_id(raw: RawNote) -> str:
    """The note's id: its ``id:`` field when given, else its file name without ``.md``."""
    explicit = raw.data.get("id")
    if isinstance(explicit, str) and explicit.strip():
        return explicit.strip()
    stem = raw.rel_path.rsplit("/", 1)[-1]
    return stem[:-3] if stem.endswith(".md") else stem


def validate_note(raw: RawNote, registry: VenueRegistry) -> tuple[Paper | None, list[Problem]]:
    """Stage 2 (validate): check every field of ``raw`` against the schema and ``registry``.

    Returns the ``Paper`` (None when a required field is unusable) and every problem found, each as
    ``path:line: field: message``."""
    c = _Checker(raw)
    for key in raw.data:
        if key not in FIELDS:
            close = difflib.get_close_matches(str(key), FIELDS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f" (fields: {', '.join(FIELDS)})"
            c.report(str(key), "unknown field" + hint)

    title = c.text("title", MAX_TITLE, required=True)
    if title is not None and (why := title_problem(title)):
        c.report("title", why)
        title = None
    venue = None
    venue_name = c.text("venue", MAX_NAME, required=True)
    if venue_name:
        venue = registry.resolve(venue_name)
        if venue is None:
            suggestion = registry.suggest(venue_name)
            c.report("venue", f"unknown venue {venue_name!r}" + (
                f" (did you mean {suggestion!r}? add new venues to papers/venues.yml)" if suggestion
                else " (add it to papers/venues.yml, or use a known key such as 'OSDI' or 'arXiv')"
            ))  # fmt: skip
    year = _year(c)
    authors = c.text_list("authors", MAX_NAME, invisible_problem)
    aka = list(dict.fromkeys(c.text_list("aka", MAX_AKA, _short_name_problem)))  # a name written twice is shown once
    tag_names = c.text_list("tags", MAX_ENTRY, tag_problem)
    summary = c.text("summary", MAX_SUMMARY) or ""
    links = _links(c)
    status = _choice(c, "status", STATUSES) or "unread"
    level = _choice(c, "level", LEVELS, _LEVEL_ALIASES)
    topic = c.text("topic", MAX_TOPIC)
    paper_id = note_id(raw)
    if "id" in raw.data and (not isinstance(raw.data["id"], str) or not ID_PATTERN.match(paper_id)):
        c.report("id", "must be letters, digits, '-', '_' or '.' (like 'orca' or 'vllm-sosp23')")
    elif not ID_PATTERN.match(paper_id):
        c.report("id", f"the file name {paper_id!r} cannot be an id: rename the file or set 'id:' (letters, digits, - _ .)")
    related = c.text_list("related", MAX_ENTRY)
    published_as = _published_as(c)
    added = _added(c)
    relations = {name: _relation(c, name, paper_id) for name in RELATIONS}
    evaluation = _evaluation(c)
    c.problems += body_problems(raw.path, raw.body, raw.body_line)  # size, nesting, control characters

    if c.problems or title is None or venue is None or year is None:
        return None, c.problems
    return (
        Paper(
            id=paper_id,
            title=title,
            venue=venue,
            year=year,
            path=raw.path,
            rel_path=raw.rel_path,
            authors=tuple(authors),
            aka=tuple(aka),
            tags=_unique_tags(tag_names),
            tag_lines=_unique_tag_lines(tag_names, c),
            id_line=c.line("id") if "id" in raw.data else None,
            summary=summary,
            links=links,
            status=status,
            level=level,
            topic=topic or None,
            related=tuple(related),
            added=added,
            body=raw.body,
            body_line=raw.body_line,
            line=raw.lines.get((), 2),
            related_lines=tuple(c.line("related", i) for i in range(len(related))),
            builds_on=tuple(rid for rid, _ in relations["builds_on"]),
            compares_with=tuple(rid for rid, _ in relations["compares_with"]),
            relation_lines=tuple((name, rid, line) for name in RELATIONS for rid, line in relations[name]),
            evaluation=evaluation,
            published_as=published_as or None,
            published_as_line=c.line("published_as"),
        ),
        [],
    )


def _published_as(c: _Checker) -> str | None:
    """The id of the published version's note (checked against the other notes by the catalog)."""
    if "published_as" not in c.raw.data:
        return None
    value = c.raw.data["published_as"]
    if not isinstance(value, str) or not ID_PATTERN.match(value.strip()):
        c.report("published_as", "must be the id of the published version's note (letters, digits, '-', '_' or '.', like 'lyra')")
        return None
    return value.strip()


def _year(c: _Checker) -> int | None:
    value = c.raw.data.get("year")
    if value is None:
        c.problems.append(Problem(c.raw.path, 2, "year", "missing (every note needs 'year')"))
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        hint = " (write it without quotes)" if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 4 else ""
        c.report("year", f"must be a whole number such as 2022, not {value!r}{hint}")
        return None
    this_year = dt.date.today().year
    if not FIRST_YEAR <= value <= this_year + 1:
        c.report("year", f"{value} is not a plausible publication year ({FIRST_YEAR}–{this_year + 1})")
        return None
    return value


def _choice(c: _Checker, field: str, allowed: tuple[str, ...], aliases: dict[str, str] | None = None) -> str | None:
    value = c.raw.data.get(field)
    if value is None:
        return None
    if isinstance(value, str):
        key = value.strip().lower()
        if key in allowed:
            return key
        if aliases and value.strip() in aliases:
            return aliases[value.strip()]
        close = difflib.get_close_matches(key, allowed, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        c.report(field, f"{value!r} is not allowed ({hint}use one of: {', '.join(allowed)})")
    else:
        c.report(field, f"must be one of: {', '.join(allowed)}")
    return None


def _links(c: _Checker) -> tuple[Link, ...]:
    value = c.raw.data.get("links")
    if value is None:
        return ()
    if not isinstance(value, dict):
        c.report("links", "must be a mapping, like 'links: {paper: https://…, code: https://…}'")
        return ()
    out: list[Link] = []
    for kind, url in value.items():
        where = f"links.{kind}"
        if kind not in LINK_KINDS:
            close = difflib.get_close_matches(str(kind), LINK_KINDS, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            c.report(where, f"unknown link kind ({hint}use: {', '.join(LINK_KINDS)})", "links", kind)
            continue
        if kind in URL_LINK_KINDS:
            safe = safe_http_url(url)
            if safe is None:
                c.report(where, f"{url!r} is not an http(s) URL (write the full address, https://…)", "links", kind)
            else:
                out.append(Link(kind, _LINK_LABELS[kind], safe))
        elif kind in ID_LINK_KINDS:
            text = url.strip() if isinstance(url, str) else ""  # an unquoted 2309.06180 is a float
            if kind == "doi" and DOI.match(text):
                out.append(Link(kind, _LINK_LABELS[kind], doi_url(text)))
            elif kind == "arxiv" and ARXIV.match(text):
                out.append(Link(kind, _LINK_LABELS[kind], arxiv_url(text)))
            else:
                example = "10.1145/3600006.3613165" if kind == "doi" else '"2309.06180" (in quotes)'
                c.report(where, f"{url!r} is not a valid {_LINK_LABELS[kind]} id (like {example})", "links", kind)
    return tuple(sorted(out, key=lambda link: _LINK_ORDER[link.kind]))


def _relation(c: _Checker, name: str, paper_id: str) -> list[tuple[str, int]]:
    """A relation field (``builds_on``, ``compares_with``): ids of other papers, each once, with its line.


    Whether the ids exist, and cycles in ``builds_on``, need every note: see catalog.py."""
    value = c.raw.data.get(name)
    entries = c.text_list(name, MAX_ENTRY, lambda text: None if ID_PATTERN.match(text) else
                          "is not a paper id (letters, digits, '-', '_' or '.', like 'orca')")  # fmt: skip
    out: dict[str, int] = {}
    for i, item in enumerate(value if isinstance(value, list) else ()):
        text = _clean(str(item)) if isinstance(item, str | int) and not isinstance(item, bool) else None
        if text is None or text not in entries:
            continue
        if text == paper_id:
            c.report(name, f"entry {i + 1} is this paper's own id {text!r} (a paper cannot build on or compare with itself)", name, i)
        else:
            out.setdefault(text, c.line(name, i))  # a repeated id counts once
    return list(out.items())


def _evaluation(c: _Checker) -> Evaluation | None:
    """``evaluation: {hardware: …, workloads: […], result: …}``: what the paper evaluated, as text."""
    value = c.raw.data.get("evaluation")
    if value is None:
        return None
    if not isinstance(value, dict):
        c.report("evaluation", "must be a mapping, like 'evaluation: {hardware: 8x A100, workloads: [OPT-13B], result: …}'")
        return None
    found: dict[str, Any] = {}
    for key, item in value.items():
        where = f"evaluation.{key}"
        if key not in EVALUATION_FIELDS:
            c.report(
                where,
                "unknown field" + did_you_mean(str(key), EVALUATION_FIELDS) + f" (use: {', '.join(EVALUATION_FIELDS)})",
                "evaluation",
                key,
            )
            continue
        limit = EVALUATION_FIELDS[key]
        entries = item if key == "workloads" and isinstance(item, list) else [item]
        if key == "workloads" and not isinstance(item, list | str):
            c.report(where, "must be a list, like workloads: [OPT-13B, ShareGPT]", "evaluation", key)
            continue
        if len(entries) > MAX_WORKLOADS:
            c.report(where, f"has {len(entries)} entries (at most {MAX_WORKLOADS})", "evaluation", key)
            continue
        texts = []
        for entry in entries:
            text = _clean(entry) if isinstance(entry, str) else None
            why = ("must be text" if text is None else "is empty" if not text else "must be one line" if "\n" in text
                   else f"is longer than {limit} characters" if len(text) > limit else None)  # fmt: skip
            if why:
                c.report(where, why, "evaluation", key)
                break
            texts.append(text)
        else:
            found[key] = tuple(texts) if key == "workloads" else texts[0]
    return Evaluation(found.get("hardware"), found.get("workloads", ()), found.get("result")) if found else None


def _added(c: _Checker) -> str | None:
    value = c.raw.data.get("added")
    if value is None:
        return None
    try:
        added = dt.date.fromisoformat(str(value).strip())
    except ValueError:
        c.report("added", f"{value!r} is not a date (write YYYY-MM-DD, like 2024-03-15)")
        return None
    today = build_time().date()
    if added > today:
        c.report(
            "added", f"{added.isoformat()} is in the future (the build's date is {today.isoformat()}): write the day the note was added"
        )
        return None
    return added.isoformat()


def _unique_tag_lines(names: list[str], c: _Checker) -> tuple[int, ...]:
    """The line of each tag ``_unique_tags`` keeps (a note with a problem has no Paper, so the
    names are the entries as written, in order)."""
    first: dict[str, int] = {}
    for i, name in enumerate(names):
        first.setdefault(make_tag(name).key, c.line("tags", i))
    return tuple(first.values())


def _unique_tags(names: list[str]) -> tuple[Tag, ...]:
    seen: dict[str, Tag] = {}
    for name in names:
        tag = make_tag(name)
        seen.setdefault(tag.key, tag)
    return tuple(seen.values())
