"""What the importers share: the ``Entry`` they produce, venue/year recognition, the duplicate finder
(``PaperIndex``, used by import-bib too), a note's fields within the validator's limits
(``note_fields``), writing notes that pass ``notes check``, and the outcome report (``Report``, which
import-bib prints through as well) with its closing summary.

For import-notes and import-list, every input item ends in exactly one outcome — imported, duplicate, skipped (not a paper) or not
imported (with the reason) — and the summary counts them, so the counts add up to the input.
Nothing is overwritten: a note is created with exclusive-create, and an existing file is never
touched, so running an import twice changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Generic, TypeVar

from generator.authoring.note_file import (
    check_text,
    existing_ids,
    free_stem,
    front_matter_text,
    remove_written,
    slugify,
    stem_problem,
    write_file,
    yaml_value,
)
from generator.authoring.site_venues import NewVenues
from generator.links import ARXIV, DOI, safe_http_url
from generator.load.frontmatter import FrontMatterError, front_matter_span, load_yaml
from generator.load.notes import MAX_NOTE_BYTES, find_notes, load_note, shown_path
from generator.load.venues import VenueRegistry, load_registry
from generator.logline import log_safe
from generator.model import LEVEL_MARKS, LEVELS, LINK_KINDS, STATUSES, URL_LINK_KINDS, EditionFacts, RawNote, Venue
from generator.validate.note import ID_PATTERN, MAX_LIST, MAX_NAME, MAX_SUMMARY, MAX_TITLE, MAX_TOPIC
from generator.validate.tags import clean_tag, tag_key, tag_problem

try:  # long free-text venue names ("Proceedings of the 16th USENIX Symposium on …")
    from generator.authoring.venue_text import venue_from_text
except ImportError:  # pragma: no cover - the module ships with the package
    venue_from_text = None  # type: ignore[assignment]

OUTCOMES = ("imported", "duplicate", "skipped", "not imported")
# Presentation marks after a venue: "[NeurIPS'25 Spotlight]", "(ICML 2024 Oral)".
PRESENTATION = re.compile(
    r"(?i)\s+(?:spotlight|oral|poster|highlight|best paper(?: award)?|outstanding paper(?: award)?|"
    r"distinguished paper(?: award)?|notable(?: top \d+%)?|main(?: track| conference)?)\b.*$"
)
LEVEL_BY_MARK = {mark: level for level, mark in LEVEL_MARKS.items()}
K = TypeVar("K")
MIN_TRUNCATED_TITLE = 20  # letters and digits a title cut short with "..." must keep to match a longer one
CODE_FENCE = re.compile(r"^\s*(```|~~~)")  # a Markdown code block opens or closes: no list items or facts inside

# ----------------------------------------------------------------------------------------- text

_MD_ESCAPE = re.compile(r"\\([_*#~()\[\]])")
_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\((?:<[^>]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+\"[^\"]*\")?\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)(?=\S)(.+?)(?<=\S)\1")
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_HASHTAG = re.compile(r"(?<![\w&#/])#([^\s#,;:!?()\[\]{}<>'\"`|]+)")


def outside_code(lines: list[str]) -> Iterator[tuple[int, str]]:
    """(index, line) of every line outside fenced code blocks (the fences left out too)."""
    in_fence = False
    for i, line in enumerate(lines):
        if CODE_FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence:
            yield i, line


def clean_text(text: str) -> str:
    """NFC, no control or invisible formatting characters, GitBook's ``&#x20;`` as a space."""
    text = unicodedata.normalize("NFC", text).replace("&#x20;", " ").replace("\u00a0", " ")
    return _INVISIBLE.sub("", text)


def one_line(text: str) -> str:
    return " ".join(clean_text(text).split())


def plain_text(text: str) -> str:
    """Markdown inline text as plain text: links become their text, emphasis and HTML tags go."""
    text = _MD_LINK.sub(lambda m: m.group(1), text)
    text = _HTML_TAG.sub("", text)
    for _ in range(2):
        text = _EMPHASIS.sub(lambda m: m.group(2), text)
    return one_line(text.replace("\\", ""))


def split_hashtags(text: str) -> tuple[list[str], str]:
    """``"#GPU\\_sharing #all-reduce Live migration."`` → (["GPU_sharing", "all-reduce"], "Live migration.")."""
    text = clean_text(text).replace("\\_", "_").replace("\\#", "#")
    tags = [m.group(1).rstrip(".-+") for m in _HASHTAG.finditer(text)]
    rest = _HASHTAG.sub(" ", text)
    return [t for t in tags if t], one_line(rest.strip(" ,;"))


# ------------------------------------------------------------------------------------ paper ids

_DOI_IN_URL = re.compile(r"^https?://(?:dx\.)?doi\.org/(10\.\d{4,9}/[^?#\s]+)", re.IGNORECASE)
_ACM_DOI = re.compile(r"^https?://dl\.acm\.org/doi/(?:abs/|pdf/|full/|epdf/|fullHtml/)?(10\.\d{4,9}/[^?#\s]+)", re.IGNORECASE)
_ARXIV_URL = re.compile(r"^https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/([^?#\s]+?)(?:v\d+)?(?:\.pdf)?/?(?:[?#].*)?$", re.IGNORECASE)


def doi_from_url(url: str) -> str | None:
    for pattern in (_DOI_IN_URL, _ACM_DOI):
        m = pattern.match(url)
        if m and DOI.match(m.group(1)):
            return m.group(1)
    return None


def arxiv_from_url(url: str) -> str | None:
    m = _ARXIV_URL.match(url)
    return m.group(1) if m and ARXIV.match(m.group(1)) else None


def norm_title(title: str) -> str:
    """Titles that differ only in case, accents, spaces, punctuation or dashes are the same title."""
    text = unicodedata.normalize("NFKD", title)
    text = unicodedata.normalize("NFKC", "".join(c for c in text if not unicodedata.combining(c))).casefold()
    return re.sub(r"[\W_]+", "", text)


def norm_doi(doi: str) -> str:
    return re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", "", doi.strip(), flags=re.IGNORECASE).casefold()


def norm_arxiv(arxiv_id: str) -> str:
    return re.sub(r"v\d+$", "", re.sub(r"^arxiv:", "", arxiv_id.strip(), flags=re.IGNORECASE)).casefold()


def paper_keys(title: str, links: dict[str, Any]) -> list[tuple[str, str]]:
    """What makes two notes the same paper, as (what to call it, key), surest first: every DOI and arXiv
    id of the links (the ids, or read from paper addresses), then the normalized title."""
    dois: list[tuple[str, str]] = []
    arxivs: list[tuple[str, str]] = []
    for kind, value in links.items():
        if not isinstance(value, str):
            continue
        doi = value if kind == "doi" else doi_from_url(value) if kind in URL_LINK_KINDS else None
        arxiv_id = value if kind == "arxiv" else arxiv_from_url(value) if kind in URL_LINK_KINDS else None
        if doi and ("DOI " + doi, "doi:" + norm_doi(doi)) not in dois:
            dois.append(("DOI " + doi, "doi:" + norm_doi(doi)))
        if arxiv_id and ("arXiv id " + arxiv_id, "arxiv:" + norm_arxiv(arxiv_id)) not in arxivs:
            arxivs.append(("arXiv id " + arxiv_id, "arxiv:" + norm_arxiv(arxiv_id)))
    title_key = norm_title(title)
    return dois + arxivs + ([("title", "title:" + title_key)] if title_key else [])


class PaperIndex(Generic[K]):
    """The one duplicate finder: papers (existing notes, and those this run adds) by DOI, arXiv id and title."""

    def __init__(self) -> None:
        self._known: dict[str, K] = {}

    def add(self, keys: list[tuple[str, str]], known: K, *, replace: bool = False) -> None:
        """Remember ``known`` by these keys; a key another paper has keeps it, unless ``replace``."""
        for _, key in keys:
            if replace:
                self._known[key] = known
            else:
                self._known.setdefault(key, known)

    def find(self, keys: list[tuple[str, str]], title: str = "") -> tuple[K, str] | None:
        """The paper with one of these keys (the surest first) and what they share ("DOI …", "title");
        with ``title``, a title cut short with "..." also finds the one paper whose title it begins."""
        for label, key in keys:
            if key in self._known:
                return self._known[key], label
        start = "title:" + norm_title(title)
        if re.search(r"(?:\.\.\.|…)\s*$", title) and len(start) - len("title:") >= MIN_TRUNCATED_TITLE:  # "…DNN Service..."
            found = {id(known): known for key, known in self._known.items() if key.startswith(start)}
            if len(found) == 1:
                return next(iter(found.values())), "title, cut short"
        return None

    def drop(self, gone: Callable[[K], bool]) -> None:
        """Forget the papers ``gone`` picks (a note this run wrote, then removed)."""
        for key in [key for key, known in self._known.items() if gone(known)]:
            del self._known[key]


# --------------------------------------------------------------------------------------- venues

_YEAR4 = re.compile(r"(?<![\d.])((?:19|20)\d\d)(?!\d)")
_YEAR2 = re.compile(r"(?:['’‘`]|(?<=[A-Za-z]))(\d\d)(?![\d])")
_DIR_YEAR = re.compile(r"^(?P<name>.*?)[-_ .]?(?P<year>(?:19|20)\d\d)$")
# proceedings.mlr.press volume → ICML year (PMLR publishes other venues under other volumes)
_ICML_VOLUMES = {28: 2013, 32: 2014, 37: 2015, 48: 2016, 70: 2017, 80: 2018, 97: 2019, 119: 2020,
                 139: 2021, 162: 2022, 202: 2023, 235: 2024, 267: 2025}  # fmt: skip


def two_digit_year(yy: int) -> int:
    this_year = dt.date.today().year
    return 2000 + yy if 2000 + yy <= this_year + 1 else 1900 + yy


def find_year(text: str) -> int | None:
    m = _YEAR4.search(text)
    if m:
        return int(m.group(1))
    m = _YEAR2.search(text)
    return two_digit_year(int(m.group(1))) if m else None


def strip_year(text: str) -> str:
    text = _YEAR4.sub(" ", text)
    text = _YEAR2.sub(" ", text)
    return text.strip(" \t'’‘`-_,.:;()[]")


class Venues:
    """Venue and year recognition on top of the registry."""

    def __init__(self, registry: VenueRegistry) -> None:
        self.registry = registry

    def resolve(self, name: str) -> Venue | None:
        name = name.strip()
        return self.registry.resolve(name) if name else None

    def unknown(self, name: str) -> str:
        """The message for a venue name the registry does not know."""
        hint = self.registry.suggest(name)
        return f"unknown venue {name!r}" + (
            f" (did you mean {hint!r}? add new venues to papers/venues.yml, then run again)" if hint
            else " (add it to papers/venues.yml, then run again)"
        )  # fmt: skip

    def short(self, text: str) -> tuple[Venue | None, int | None, str]:
        """A short venue mention — "OSDI'22", "EuroSys 2024", "2021 OSDI", "osdi" — as (venue, year, name)."""
        text = plain_text(text)
        year = find_year(text)
        name = strip_year(PRESENTATION.sub("", text))
        return self.resolve(name), year, name

    def free(self, text: str) -> tuple[Venue | None, int | None, str]:
        """A venue named in free text ("Presented in the 16th USENIX Symposium on … 2022")."""
        venue, year, name = self.short(text)
        if venue is None and venue_from_text is not None:
            venue = venue_from_text(plain_text(text), self.registry)
        return venue, year, name

    def heading(self, text: str) -> tuple[Venue | None, int | None] | None:
        """A heading that names a venue and/or a year ("# osdi", "## 2023", "## OSDI 2022"), else None."""
        text = plain_text(text)
        if re.fullmatch(r"(?:19|20)\d\d", text):
            return None, int(text)
        name = strip_year(text)
        if not name or not name.isascii() or len(name.split()) > 4:
            return None
        venue = self.resolve(name)
        return (venue, find_year(text)) if venue is not None else None

    def from_parts(self, parts: list[str]) -> tuple[Venue | None, int | None, str | None]:
        """Venue and year from folder names: ``conference/osdi-2022``, ``journal/tcc/2021``, ``arxiv/2023``.

        Returns (venue, year, unresolved venue name or None)."""
        for i in range(len(parts) - 1, -1, -1):
            part = parts[i]
            m = _DIR_YEAR.match(part)
            if not m:
                continue
            year = int(m.group("year"))
            names = ([m.group("name")] if m.group("name") else []) + list(reversed(parts[:i]))
            for name in names[:2]:
                venue = self.resolve(name) or self.resolve(name.replace("-", " "))
                if venue is not None:
                    return venue, year, None
            return None, year, (names[0] if names else None)
        for part in reversed(parts):
            venue = self.resolve(part)
            if venue is not None:
                return venue, None, None
        return None, None, None

    def from_url(self, url: str) -> tuple[Venue | None, int | None]:
        """What a paper's address says about its venue: arXiv ids, USENIX, PVLDB, PMLR, NeurIPS, ACL … ."""
        u = url.strip()
        arxiv_id = arxiv_from_url(u)
        if arxiv_id:
            m = re.match(r"^(\d\d)(\d\d)\.", arxiv_id) or re.search(r"/(\d\d)(\d\d)\d{3}$", arxiv_id)
            return self.resolve("arXiv"), (two_digit_year(int(m.group(1))) if m else None)
        rules: list[tuple[str, Any]] = [
            (r"usenix\.org/conference/([a-z]+?)(\d\d)/", lambda m: (m.group(1), two_digit_year(int(m.group(2))))),
            (
                r"usenix\.org/system/files/(?:conference/[a-z0-9]+/)?([a-z]+?)(\d\d)[-_]",
                lambda m: (m.group(1), two_digit_year(int(m.group(2)))),
            ),
            (r"vldb\.org/pvldb/vol(\d+)/", lambda m: ("VLDB", 2007 + int(m.group(1)))),
            (r"proceedings\.mlr\.press/v(\d+)/", lambda m: ("ICML", _ICML_VOLUMES.get(int(m.group(1))))),
            (r"(?:proceedings\.)?mlsys\.org/(?:paper_files/paper|paper|Conferences)/(\d{4})/", lambda m: ("MLSys", int(m.group(1)))),
            (r"(?:proceedings\.neurips\.cc|papers\.nips\.cc)/paper(?:_files/paper)?/(\d{4})/", lambda m: ("NeurIPS", int(m.group(1)))),
            (r"aclanthology\.org/(\d{4})\.([a-z]+)-", lambda m: (m.group(2), int(m.group(1)))),
            (r"openaccess\.thecvf\.com/content/([A-Za-z]+)(\d{4})/", lambda m: (m.group(1), int(m.group(2)))),
            (r"openaccess\.thecvf\.com/content_([a-z]+)_(\d{4})/", lambda m: (m.group(1), int(m.group(2)))),
            (r"computer\.org/csdl/proceedings-article/([a-z]+)/(\d{4})/", lambda m: (m.group(1), int(m.group(2)))),
        ]
        for pattern, pick in rules:
            m = re.search(r"^https?://(?:www\.)?" + pattern, u, re.IGNORECASE)
            if m:
                name, year = pick(m)
                venue = self.resolve(name)
                if venue is not None and year is not None:
                    return venue, year
        return None, None


# ---------------------------------------------------------------------------------------- entry


@dataclass
class Entry:
    """One paper found in the input, before it becomes a note."""

    title: str
    source: str  # the input file as shown in messages
    line: int
    venue: Venue | None = None
    year: int | None = None
    venue_problem: str | None = None  # why the venue is unknown, when it is
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    summary: str = ""
    links: dict[str, str] = field(default_factory=dict)  # LINK_KINDS → URL or id
    status: str | None = None
    level: str | None = None
    topic: str | None = None
    related: list[str] = field(default_factory=list)
    added: str | None = None
    stem: str | None = None  # the file name it had, when it may stay
    body: str = ""

    def add_link(self, kind: str, url: str) -> None:
        """Keep the first address of each kind; DOI and arXiv ids are read from paper addresses."""
        url = _MD_ESCAPE.sub(r"\1", url.strip())  # GitBook writes github.com/a/b\_c
        if kind in URL_LINK_KINDS:
            if safe_http_url(url) is None:
                return
            doi, arxiv_id = doi_from_url(url), arxiv_from_url(url)
            if doi:
                self.links.setdefault("doi", doi)
            if arxiv_id:
                self.links.setdefault("arxiv", arxiv_id)
        self.links.setdefault(kind, url)


# --------------------------------------------------------------------------------------- report


@dataclass(frozen=True, order=True)
class Row:
    source: str
    line: int
    seq: int
    label: str
    message: str

    def __str__(self) -> str:
        return log_safe(f"{self.source}:{self.line}: {self.label}: {self.message}")


class Report:
    """Every outcome and notice, printed in input order, and the counts for the closing summary."""

    def __init__(self, dry_run: bool = False, outcomes: tuple[str, ...] = OUTCOMES) -> None:
        self.dry_run = dry_run
        self.rows: list[Row] = []
        self.counts = dict.fromkeys(outcomes, 0)

    def revise(self, source: str, line: int, outcome: str, message: str) -> None:
        """Change what happened to an item reported as imported (its preprint merged into a later one)."""
        for i, row in enumerate(self.rows):
            if (row.source, row.line) == (source, line) and row.label in ("imported", "would import"):
                self.counts["imported"] -= 1
                self.counts[outcome] += 1
                self.rows[i] = Row(source, line, row.seq, outcome, message)
                return

    def outcome(self, source: str, line: int, outcome: str, message: str, *, label: str | None = None) -> None:
        """What happened to one item; the row is labelled with the outcome unless ``label`` (a BibTeX key) says otherwise."""
        assert outcome in self.counts
        self.counts[outcome] += 1
        if label is None:
            label = "would import" if outcome == "imported" and self.dry_run else outcome
        self.rows.append(Row(source, line, len(self.rows), label, message))

    def notice(self, source: str, line: int, message: str) -> None:
        """Something the user should know about an item, whatever its outcome (not counted)."""
        self.rows.append(Row(source, line, len(self.rows), "note", message))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def lines(self) -> list[str]:
        return [str(row) for row in sorted(self.rows)]

    def print(self, summary: str) -> None:
        """Every row in input order, then the closing summary."""
        for line in self.lines():
            print(line)
        print(summary)

    def summary(self, what: str, unit: str) -> str:
        c = self.counts
        verb = "would be imported" if self.dry_run else "imported"
        return log_safe(
            f"{what}: {self.total} {unit}: {c['imported']} {verb}, {c['duplicate']} duplicate{'s' if c['duplicate'] != 1 else ''}, "
            f"{c['skipped']} skipped, {c['not imported']} not imported"
        )


# ------------------------------------------------------------------------------------- importer


@dataclass
class _Known:
    """A paper that is already there (an existing note) or was imported earlier in this run."""

    where: str
    fields: dict[str, Any]


@dataclass
class Plan:
    """Where an entry will be written, with its front-matter; the body is added by ``commit``."""

    entry: Entry
    target: Path
    shown: str
    rel_path: str  # relative to the notes folder: osdi/2022/orca.md
    front_matter: str


class Importer:
    """Turns entries into notes under ``out``: duplicates and problems are reported, not written."""

    def __init__(self, out: Path, root: Path, report: Report, *, merge: bool = False) -> None:
        self.out = out
        self.merge = merge  # add a duplicate's level/topic/status to the existing note when it has none
        self.new_venues: NewVenues | None = None  # set after the registry is loaded (below)
        self.root = root
        self.report = report
        self.registry, self.registry_problems = load_registry(out / "venues.yml", root)
        self.venues = Venues(self.registry)
        self.new_venues = NewVenues(self.registry, out / "venues.yml", dry_run=report.dry_run)
        self.ids: dict[str, str] = existing_ids(out, root)
        self._known: PaperIndex[_Known] = PaperIndex()
        self._targets: set[Path] = set()
        self._planned: dict[str, Plan] = {}  # shown path → the plan of a note this run writes
        self._editions: dict[tuple[str, int], tuple[EditionFacts, str, int]] = {}
        if out.is_dir():
            for path in find_notes(out):
                raw = load_note(path, out, root)
                if isinstance(raw, RawNote):
                    self._remember(_fields_of_note(raw), raw.path)

    # -- duplicates

    def _remember(self, fields: dict[str, Any], where: str) -> None:
        links, title = fields.get("links"), fields.get("title")
        keys = paper_keys(title if isinstance(title, str) else "", links if isinstance(links, dict) else {})
        self._known.add(keys, _Known(where, fields))

    def find_duplicate(self, entry: Entry) -> tuple[_Known, str] | None:
        found = self._known.find(paper_keys(entry.title, entry.links), entry.title)
        return None if found is None else (found[0], "same " + found[1])

    def duplicate_message(self, entry: Entry) -> str | None:
        """``duplicate of papers/x.md (same title)``, plus what the entry says that the other does not."""
        found = self.find_duplicate(entry)
        if found is None:
            return None
        known, why = found
        merged = self._merge_into(known, entry) if self.merge and known.where not in self._planned else []
        lost = _not_carried(_fields_of_entry(entry), known.fields)
        verb = "would merge" if self.report.dry_run else "merged"
        return (f"of {known.where} ({why})" + (f"; {verb} into it: {', '.join(merged)}" if merged else "")
                + (f"; not carried over: {', '.join(lost)}" if lost else ""))  # fmt: skip

    def _merge_into(self, known: _Known, entry: Entry) -> list[str]:
        """``--merge``: the entry's level, topic and read status, added to an existing note that has none
        of its own (a field a person set is never changed). Returns what was (or would be) added."""
        new = _fields_of_entry(entry)
        add: list[tuple[str, str]] = []
        if new.get("level") in LEVELS and not known.fields.get("level"):
            add.append(("level", str(new["level"])))
        if new.get("topic") and not known.fields.get("topic"):
            add.append(("topic", yaml_value(new["topic"])))
        if new.get("status") in ("read", "reading") and not known.fields.get("status"):
            add.append(("status", str(new["status"])))
        path = self.root / known.where
        if not add or not path.is_file():
            return []
        text = path.read_text(encoding="utf-8")
        span = front_matter_span(text)
        if span is None:
            return []
        end = span[1]
        merged_text = text[:end] + "".join(f"{k}: {v}\n" for k, v in add) + text[end:]
        rel = (
            path.resolve().relative_to(self.out.resolve()).as_posix() if path.resolve().is_relative_to(self.out.resolve()) else known.where
        )
        if check_text(merged_text, known.where, rel, self.registry):
            return []
        if not self.report.dry_run:
            write_file(path, merged_text, overwrite=True)
        for key, _ in add:
            known.fields[key] = new[key]
        return [f"{k} {new[k]!r}" if k == "topic" else f"{k} {new[k]}" for k, _ in add]

    # -- planning and writing

    def plan(self, entry: Entry) -> Plan | None:
        """Decide what happens to an entry: a duplicate or a problem is reported now (returns None)."""
        src, line = entry.source, entry.line
        entry.title = one_line(entry.title)
        if not norm_title(entry.title):
            self.report.outcome(src, line, "not imported", "no title")
            return None
        found = self.find_duplicate(entry)
        earlier = self._planned.get(found[0].where) if found else None
        if found and earlier is not None and _published_after_preprint(earlier.entry, entry):
            self._forget(earlier)
            _merge_preprint(earlier.entry, entry)
            merged_from = earlier
        else:
            merged_from = None
            if found and earlier is not None and _published_after_preprint(entry, earlier.entry):
                self.report.outcome(src, line, "duplicate", self._add_preprint_link(earlier, entry, found[1]))
                return None
            dup = self.duplicate_message(entry)
            if dup:
                self.report.outcome(src, line, "duplicate", dup)
                return None
        if entry.venue is None or entry.year is None:
            what = "venue and year" if entry.venue is None and entry.year is None else "venue" if entry.venue is None else "year"
            why = entry.venue_problem if entry.venue is None and entry.venue_problem else f"no {what} found"
            self.report.outcome(src, line, "not imported", f"{entry.title!r}: {why}")
            return None
        if len(entry.title) > MAX_TITLE:
            self.report.outcome(src, line, "not imported", f"the title is {len(entry.title)} characters long (at most {MAX_TITLE})")
            return None
        fields = note_fields(entry, partial(self.report.notice, src, line))
        venue = entry.venue
        folder = self.out / venue.slug / str(entry.year)
        stem = entry.stem if entry.stem and stem_problem(entry.stem) is None else None
        if stem is None or stem in self.ids or (folder / f"{stem}.md").exists() or (folder / f"{stem}.md") in self._targets:
            base = stem or slugify(entry.title)
            stem = free_stem(base, folder, venue.slug, entry.year, set(self.ids) | {p.stem for p in self._targets})
        target = folder / f"{stem}.md"
        shown = shown_path(target, self.root)
        rel_path = target.relative_to(self.out).as_posix()
        front_matter = front_matter_text(fields)
        problems = check_text(front_matter, shown, rel_path, self.registry)
        if problems:
            self.report.outcome(src, line, "not imported", "; ".join(f"{p.field}: {p.message}" for p in problems))
            return None
        if self.new_venues is not None:
            added, error = self.new_venues.commit(venue)
            if error is not None:
                self.report.outcome(src, line, "not imported", f"new venue {venue.key!r}: {error}")
                return None
            if added:
                self.report.notice(src, line, added.lstrip("; "))
        self.ids[stem] = shown
        self._targets.add(target)
        self._remember(_fields_of_entry(entry), shown)
        plan = Plan(entry, target, shown, rel_path, front_matter)
        self._planned[shown] = plan
        if merged_from is not None:
            old = merged_from.entry
            self.report.revise(old.source, old.line, "duplicate", f"preprint of line {line}: merged into {shown}, its published version")
            self.report.notice(src, line, f"the published version of line {old.line} ({old.venue.key if old.venue else '?'} {old.year}): "
                               "merged into one note; the arXiv id stays as a link")  # fmt: skip
        return plan

    def _forget(self, plan: Plan) -> None:
        """Undo a note this run wrote (a preprint whose published version came later)."""
        if not self.report.dry_run:
            remove_written([plan.target], self.out)
        self._targets.discard(plan.target)
        self.ids.pop(plan.target.stem, None)
        del self._planned[plan.shown]
        self._known.drop(lambda known: known.where == plan.shown)

    def _add_preprint_link(self, plan: Plan, preprint: Entry, why: str) -> str:
        """A preprint of a note this run wrote: its arXiv id goes onto that note (if it has none)."""
        arxiv_id = preprint.links.get("arxiv")
        message = f"of {plan.shown} ({why}): its preprint"
        if not arxiv_id or "arxiv" in plan.entry.links:
            return message
        plan.entry.links["arxiv"] = arxiv_id
        front_matter = front_matter_text(note_fields(plan.entry, partial(self.report.notice, plan.entry.source, plan.entry.line)))
        if check_text(front_matter, plan.shown, plan.rel_path, self.registry):
            del plan.entry.links["arxiv"]
            return message
        if not self.report.dry_run and plan.target.is_file():
            text = plan.target.read_text(encoding="utf-8")
            write_file(plan.target, front_matter + text[len(plan.front_matter) :], overwrite=True)
        plan.front_matter = front_matter
        self._remember({"links": {"arxiv": arxiv_id}}, plan.shown)
        return message + f"; its arXiv id {arxiv_id} added there as a link"

    def commit(self, plan: Plan, body: str | None = None) -> None:
        """Write the note (never over an existing file); with ``--dry-run``, only say so."""
        entry = plan.entry
        body = (entry.body if body is None else body).strip("\n")
        text = plan.front_matter + ("\n" + body + "\n" if body.strip() else "")
        if len(text.encode("utf-8")) > MAX_NOTE_BYTES:
            self.report.outcome(entry.source, entry.line, "not imported", f"the note would be larger than {MAX_NOTE_BYTES // 1024} KiB")
            return
        kind = "note" if body.strip() else "paper entry"
        if not self.report.dry_run:
            try:
                write_file(plan.target, text)
            except FileExistsError:
                self.report.outcome(entry.source, entry.line, "not imported", f"{plan.shown} already exists; not overwritten")
                return
        self.report.outcome(
            entry.source, entry.line, "imported", f"{plan.shown} ({kind}, {entry.venue.key if entry.venue else '?'} {entry.year})"
        )

    def add(self, entry: Entry) -> None:
        plan = self.plan(entry)
        if plan is not None:
            self.commit(plan)

    # -- edition facts

    def add_edition(self, venue: Venue, year: int, facts: EditionFacts, source: str, line: int) -> None:
        """Facts about one edition (from a conference's index page), for the site's venues.yml."""
        if not any((facts.name, facts.homepage, facts.papers_url, facts.location)):
            return
        if (venue.key, year) in self.registry.editions or (venue.key, year) in self._editions:
            return
        self._editions[(venue.key, year)] = (facts, source, line)

    def finish(self) -> None:
        """Write the collected edition facts to ``venues.yml`` if the site has none yet; else show them."""
        if not self._editions:
            return
        target = self.out / "venues.yml"
        shown = shown_path(target, self.root)
        text = _editions_yaml(self._editions)
        first_source, first_line = min((s, ln) for _, s, ln in self._editions.values())
        if target.exists():
            extended = _with_editions(target.read_text(encoding="utf-8"), text)
            if extended is None or load_yaml_problem(extended) or self.report.dry_run:
                if extended is not None and self.report.dry_run:
                    self.report.notice(first_source, first_line, f"would add the facts of {len(self._editions)} edition(s) to {shown}")
                else:
                    self.report.notice(
                        first_source,
                        first_line,
                        f"{shown} has editions already and is not changed; add these edition facts to it by hand:\n{text}",
                    )
                return
            write_file(target, extended, overwrite=True)
            self.report.notice(first_source, first_line, f"added the facts of {len(self._editions)} edition(s) to {shown}")
            return
        if self.report.dry_run:
            self.report.notice(first_source, first_line, f"would write {shown} with the facts of {len(self._editions)} edition(s)")
            return
        write_file(target, "# Edition facts found by `notes import-notes` in the index pages of the imported folder.\n" + text)
        self.report.notice(first_source, first_line, f"wrote {shown} with the facts of {len(self._editions)} edition(s)")


def note_fields(entry: Entry, notice: Callable[[str], None]) -> dict[str, Any]:
    """The entry's front-matter fields, each within the validator's limits; what is left out or cut
    short is said through ``notice``."""
    assert entry.venue is not None
    fields: dict[str, Any] = {"title": entry.title, "venue": entry.venue.key, "year": entry.year}
    authors: list[str] = []
    for name in entry.authors:
        name = one_line(name)
        if not name:
            continue
        if len(name) > MAX_NAME:
            notice(f"author {name[:40]!r}… left out: longer than {MAX_NAME} characters")
            continue
        authors.append(name)
    if len(authors) > MAX_LIST:
        notice(f"only the first {MAX_LIST} of {len(authors)} authors kept")
        authors = authors[:MAX_LIST]
    if authors:
        fields["authors"] = authors
    tags: list[str] = []
    seen: set[str] = set()
    for raw in entry.tags:
        tag = clean_tag(one_line(raw))
        allowed = re.sub(r"[^\w\s\-+#.]+", "_", tag).strip("_ ")
        if allowed != tag and allowed:
            notice(f"tag {tag!r} written as {allowed!r} (a tag may use letters, digits, spaces and _ - + # .)")
            tag = allowed
        why = tag_problem(tag)
        if why:
            notice(f"tag {raw!r} left out: {why}")
            continue
        if tag_key(tag) not in seen:
            seen.add(tag_key(tag))
            tags.append(tag)
    if tags:
        fields["tags"] = tags[:MAX_LIST]
    summary = one_line(entry.summary)
    if len(summary) > MAX_SUMMARY:
        cut = summary[: MAX_SUMMARY - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
        notice(f"summary shortened to {MAX_SUMMARY} characters (the full text is kept at the top of the note)")
        entry.body = f"{summary}\n\n{entry.body}" if entry.body.strip() else summary + "\n"
        summary = cut
    if summary:
        fields["summary"] = summary
    links: dict[str, str] = {}
    for kind in LINK_KINDS:
        value = entry.links.get(kind)
        if not value:
            continue
        if kind in URL_LINK_KINDS and safe_http_url(value) is None:
            notice(f"links.{kind} {value!r} left out: not an http(s) address")
            continue
        if (kind == "doi" and not DOI.match(value)) or (kind == "arxiv" and not ARXIV.match(value)):
            notice(f"links.{kind} {value!r} left out: not a valid id")
            continue
        links[kind] = value
    if links:
        fields["links"] = links
    if entry.status in STATUSES:
        fields["status"] = entry.status
    elif entry.status:
        notice(f"status {entry.status!r} left out (use one of: {', '.join(STATUSES)})")
    level = LEVEL_BY_MARK.get(entry.level or "", entry.level)
    if level in LEVELS:
        fields["level"] = level
    elif level:
        notice(f"level {level!r} left out (use one of: {', '.join(LEVELS)})")
    topic = one_line(entry.topic or "")
    if len(topic) > MAX_TOPIC:
        notice(f"topic {topic!r} shortened to {MAX_TOPIC} characters")
        topic = topic[: MAX_TOPIC - 1].rstrip() + "…"
    if topic:
        fields["topic"] = topic
    related = [r for r in entry.related if ID_PATTERN.match(r)]
    if related:
        fields["related"] = related
    if entry.added:
        try:
            fields["added"] = dt.date.fromisoformat(entry.added).isoformat()
        except ValueError:
            notice(f"added {entry.added!r} left out: not a YYYY-MM-DD date")
    dropped = [r for r in entry.related if not ID_PATTERN.match(r)]
    if dropped:
        notice(f"related {', '.join(map(repr, dropped))} left out: not note ids")
    return fields


def _with_editions(text: str, editions: str) -> str | None:
    """A site venues file with ``editions`` added: in place of an empty ``editions: {}``, or at the end
    when it has none; None when it lists editions already (a person's file is not rewritten)."""
    if re.search(r"^editions:\s*\{\s*\}\s*(?:#.*)?$", text, re.MULTILINE):
        return re.sub(r"^editions:\s*\{\s*\}\s*(?:#.*)?$", lambda _: editions.rstrip("\n"), text, count=1, flags=re.MULTILINE)
    if re.search(r"^editions\s*:", text, re.MULTILINE):
        return None
    return text.rstrip("\n") + ("\n\n" if text.strip() else "") + editions


def load_yaml_problem(text: str) -> str | None:
    try:
        load_yaml(text, what="venues.yml")
    except FrontMatterError as exc:
        return exc.message
    return None


def _editions_yaml(editions: dict[tuple[str, int], tuple[EditionFacts, str, int]]) -> str:
    lines = ["editions:"]
    by_venue: dict[str, list[tuple[int, EditionFacts]]] = {}
    for (key, year), (facts, _, _) in sorted(editions.items()):
        by_venue.setdefault(key, []).append((year, facts))
    for key, years in by_venue.items():
        lines.append(f"  {yaml_value(key)}:")
        for year, facts in years:
            pairs = [("name", facts.name), ("homepage", facts.homepage), ("papers", facts.papers_url), ("location", facts.location)]
            inner = ", ".join(f"{k}: {yaml_value(v)}" for k, v in pairs if v)
            lines.append(f"    {year}: {{{inner}}}")
    return "\n".join(lines) + "\n"


def _published_after_preprint(earlier: Entry, entry: Entry) -> bool:
    """``entry`` is the published version of ``earlier``, a preprint this run imported as a paper entry
    (a note with its own text is never replaced)."""
    return (not earlier.body.strip() and earlier.venue is not None and earlier.venue.kind == "preprint" and entry.venue is not None
            and entry.venue.kind != "preprint" and entry.year is not None)  # fmt: skip


def _merge_preprint(preprint: Entry, published: Entry) -> None:
    """What the preprint's line said that the published version's does not: kept (the venue is not)."""
    if "arxiv" in preprint.links:
        published.links.setdefault("arxiv", preprint.links["arxiv"])
    for kind, url in preprint.links.items():
        if kind in ("code", "slides", "video", "artifact"):
            published.links.setdefault(kind, url)
    published.authors = published.authors or preprint.authors
    published.tags = published.tags + [t for t in preprint.tags if tag_key(t) not in {tag_key(x) for x in published.tags}]
    published.summary = published.summary or preprint.summary
    published.status = published.status or preprint.status
    published.level = published.level or preprint.level
    published.topic = published.topic or preprint.topic


def _fields_of_note(raw: RawNote) -> dict[str, Any]:
    data = dict(raw.data)
    data["body"] = raw.body
    return data


def _fields_of_entry(entry: Entry) -> dict[str, Any]:
    return {
        "title": entry.title, "authors": entry.authors, "tags": entry.tags, "summary": one_line(entry.summary),
        "links": dict(entry.links), "status": entry.status, "level": entry.level, "topic": one_line(entry.topic or ""),
        "body": entry.body,
    }  # fmt: skip


def _not_carried(new: dict[str, Any], old: dict[str, Any]) -> list[str]:
    """What a duplicate says that the paper already there does not (so the user can copy it by hand)."""
    lost: list[str] = []
    status = new.get("status")
    if status in ("read", "reading") and old.get("status") != status:
        lost.append(f"status {status}")
    level = new.get("level")
    if level and str(old.get("level") or "").strip() not in (level, LEVEL_MARKS.get(level)):
        lost.append(f"level {level}")
    topic = new.get("topic")
    if topic and old.get("topic") != topic:
        lost.append(f"topic {topic!r}")
    old_tags = tags if isinstance(tags := old.get("tags"), list) else []
    old_keys = {tag_key(str(t)) for t in old_tags}
    missing = [t for t in new.get("tags") or [] if tag_key(t) not in old_keys]
    if missing:
        lost.append("tags " + ", ".join(missing))
    summary = new.get("summary")
    if summary and one_line(str(old.get("summary") or "")) != summary:
        lost.append(f"summary {summary!r}")
    old_links = links if isinstance(links := old.get("links"), dict) else {}
    old_urls = {str(v) for v in old_links.values()}
    extra = [k for k, v in (new.get("links") or {}).items() if k not in old_links and v not in old_urls]
    if extra:
        lost.append("links " + ", ".join(extra))
    if new.get("authors") and not old.get("authors"):
        lost.append("authors")
    if str(new.get("body") or "").strip() and not str(old.get("body") or "").strip():
        lost.append("the notes' text")
    return lost
