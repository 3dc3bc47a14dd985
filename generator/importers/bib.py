"""``notes import-bib FILE.bib``: one note per BibTeX entry, and a report on every entry.

Each entry ends in exactly one outcome, and the summary line counts them:

- **imported**: a new note ``papers/<venue>/<year>/<slug>.md`` (front-matter only: a paper entry),
  with the entry kept beside it as ``<slug>.bib`` for the page's "Cite" block;
- **unchanged**: imported before, and the entry is the same;
- **updated**: imported before, the entry changed, and nobody has edited the note or its ``.bib``
  since (so re-importing a corrected file fixes the notes it made, and nothing else);
- **duplicate**: the same DOI, arXiv id or title as an existing note or an earlier entry (a note that
  a person edited after its import is never overwritten: it is reported as a duplicate);
- **skipped**: not a paper (a book, thesis, software, web page, manual …), with its kind;
- **failed**: with the entry's key, line and reason (no venue, no year, unreadable …).

A well-formed ``booktitle``/``journal`` the venue registry does not know is not a failure: the venue
is added to the site's ``papers/venues.yml`` (reported as "new venue") before the note that names it.

How "edited" is known without a front-matter field: the first line of the ``.bib`` sidecar is
``@comment{notes-import key=… entry=<sha256> note=<sha256>}``, the hashes of the entry and of the note
as the import wrote them. A file whose hash no longer matches was edited by a person.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import re
import sys
import unicodedata
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from generator.authoring.scaffold import NoteDraft, check_text, existing_ids, free_stem, note_text, slugify
from generator.authoring.site_venues import NewVenues
from generator.authoring.venue_text import venue_from_text
from generator.links import ARXIV, DOI, safe_http_url
from generator.load.bibparse import BibEntry, parse_bib
from generator.load.frontmatter import FrontMatterError, decode, parse_front_matter
from generator.load.notes import find_notes, load_note, shown_path
from generator.load.sidecar import ENTRY_TYPES, EXTRA_FIELDS, NOT_IN_CITEKEY
from generator.load.tex import tex_to_text, visible
from generator.load.venues import VenueRegistry, load_registry
from generator.logline import log_safe
from generator.model import Venue
from generator.render.bibtex import decode_names, encode_name, format_entry, verbatim_text
from generator.validate.note import MAX_LIST
from generator.validate.tags import MAX_TAG_LENGTH, tag_key, tag_problem

OUTCOMES = ("imported", "updated", "unchanged", "duplicate", "skipped", "failed")
# entry types that are not papers, and what the report calls them
NOT_A_PAPER = {
    "book": "book", "inbook": "book chapter", "booklet": "booklet", "proceedings": "proceedings volume",
    "mvbook": "book", "collection": "book", "phdthesis": "thesis", "mastersthesis": "thesis", "thesis": "thesis",
    "software": "software", "manual": "manual", "online": "web page", "webpage": "web page", "www": "web page",
    "electronic": "web page", "dataset": "data set", "patent": "patent",
}  # fmt: skip
# where a venue may be named, most specific first
VENUE_FIELDS = ("booktitle", "journal", "journaltitle", "eventtitle", "series", "howpublished",
                "institution", "organization", "school", "publisher")  # fmt: skip
_CONTAINERS = {"booktitle", "journal", "journaltitle", "eventtitle"}
# an old-style archive name ("hep-th", "cond-mat") is at most 20 letters: unbounded, the pattern was
# quadratic ("arxiv" × 13,000 in one journal value took 69 s)
_ARXIV_IN_TEXT = re.compile(r"(?:arxiv[:\s/]*|abs/)(\d{4}\.\d{4,5}(?:v\d+)?|[a-z\-]{1,20}(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?)", re.IGNORECASE)
_ARXIV_URL = re.compile(r"^https?://(?:www\.)?arxiv\.org/(?:abs|pdf)/([^?#]+?)(?:\.pdf)?/?$", re.IGNORECASE)
_DOI_URL = re.compile(r"^https?://(?:dx\.)?doi\.org/(10\.\d{4,9}/\S+)$", re.IGNORECASE)
_META = re.compile(r"\A@comment\{notes-import key=(\S+) entry=([0-9a-f]{64}) note=([0-9a-f]{64})\}\n")


@dataclass
class Outcome:
    kind: str  # one of OUTCOMES
    key: str
    line: int
    message: str
    path: str | None = None


@dataclass
class Report:
    source: str
    outcomes: list[Outcome] = field(default_factory=list)
    dry_run: bool = False
    new_venues: int = 0

    def counts(self) -> dict[str, int]:
        return {kind: sum(o.kind == kind for o in self.outcomes) for kind in OUTCOMES}

    def summary(self) -> str:
        c = self.counts()
        total = len(self.outcomes)
        parts = ", ".join(f"{c[k]} {k if k != 'duplicate' or c[k] == 1 else 'duplicates'}" for k in OUTCOMES)
        added = f"; {self.new_venues} new venue{'s' if self.new_venues != 1 else ''}" if self.new_venues else ""
        return log_safe(f"{self.source}: {total} {'entry' if total == 1 else 'entries'}: {parts}{added}" + (
            " (dry run: nothing written)" if self.dry_run else ""
        ))

    def lines(self) -> list[str]:
        return [log_safe(f"{self.source}:{o.line}: {o.key}: {o.message}") for o in sorted(self.outcomes, key=lambda o: o.line)]


# ------------------------------------------------------------------------------------ entry → note


@dataclass
class Draft:
    note: NoteDraft
    venue: Venue
    entry_type: str
    extra: list[tuple[str, str]]  # sidecar fields besides the note's own, as text
    notes: list[str]


def _clean(text: str) -> str:
    return visible(text)


def _year(entry: BibEntry) -> int | str:
    for name in ("year", "date", "issued"):
        value = entry.fields.get(name)
        if value:
            m = re.search(r"(?<!\d)(1[89]\d\d|2\d\d\d)(?!\d)", tex_to_text(value))
            if m:
                return int(m.group(1))
            return f"{name} = {tex_to_text(value)!r} holds no year"
    return "no year (give year = {2022} or date = {2022-07-11})"


def _sanitize_tag(raw: str) -> str | None:
    """A keyword as a tag: words joined by "_" (the site's style); characters a tag cannot have dropped."""
    text = tex_to_text(raw)
    as_is = "_".join(text.split()).lstrip("#")
    if tag_problem(as_is) is None:
        return as_is
    text = re.sub(r"[^\w\s\-+#.]", " ", text)
    words = [w for w in re.split(r"[\s_]+", text) if w and w.strip("-")]
    tag = "_".join(words).lstrip("#")[:MAX_TAG_LENGTH].strip("_-")
    return tag if tag and tag_problem(tag) is None else None


def _arxiv_id(entry: BibEntry, url: str | None) -> str | None:
    prefix = (entry.fields.get("archiveprefix") or entry.fields.get("eprinttype") or "").strip().lower()
    eprint = verbatim_text(entry.fields.get("eprint", ""))
    eprint = re.sub(r"^arxiv:", "", eprint, flags=re.IGNORECASE)
    if eprint and (prefix in ("arxiv", "") and ARXIV.match(eprint)):
        return eprint
    for name in ("journal", "howpublished", "volume", "note", "booktitle", "number"):
        m = _ARXIV_IN_TEXT.search(tex_to_text(entry.fields.get(name, "")))
        if m and ARXIV.match(m.group(1)):
            return m.group(1)
    m = _ARXIV_URL.match(url or "")
    if m and ARXIV.match(m.group(1)):
        return m.group(1)
    return None


def not_a_paper(entry: BibEntry) -> str | None:
    """What the entry is when it is not a paper: "book", "thesis", "web page" …; None for a paper."""
    if entry.entry_type in NOT_A_PAPER:
        return NOT_A_PAPER[entry.entry_type]
    if entry.entry_type != "misc" or any(entry.fields.get(name) for name in _CONTAINERS):
        return None
    if _arxiv_id(entry, safe_http_url(verbatim_text(entry.fields.get("url", ""))) if entry.fields.get("url") else None):
        return None
    howpublished = entry.fields.get("howpublished", "")
    if re.search(r"\\url|https?://|www\.", howpublished) or (entry.fields.get("url") and not entry.fields.get("doi")
                                                                and not entry.fields.get("howpublished")):  # fmt: skip
        return "web page"
    return None


def _find_venue(entry: BibEntry, registry: VenueRegistry, has_arxiv: bool, new: NewVenues | None = None) -> Venue | str:
    named: list[tuple[str, str]] = []
    for name in VENUE_FIELDS:
        text = tex_to_text(entry.fields.get(name, ""))
        if not text:
            continue
        named.append((name, text))
        venue = venue_from_text(text, registry)
        if venue is not None:
            return venue
    if new is not None:  # a well-formed container the registry lacks: a new site venue
        for name, text in named:
            if name in _CONTAINERS:
                venue = new.find(text, journal=name in ("journal", "journaltitle"))
                if venue is not None:
                    return venue
                break
    if has_arxiv and not any(name in _CONTAINERS for name, _ in named):
        venue = registry.resolve("arXiv")
        if venue is not None:
            return venue
    if entry.entry_type == "techreport" and registry.resolve("TechReport"):
        return registry.resolve("TechReport")  # type: ignore[return-value]
    if named:
        name, text = named[0]
        short = text if len(text) <= 120 else text[:117] + "…"
        return f"unknown venue: {name} = {short!r} (add the venue to papers/venues.yml, with this name among its aliases)"
    return "no venue: the entry has no booktitle, journal, publisher or arXiv id"


def entry_to_draft(entry: BibEntry, registry: VenueRegistry, today: str, new: NewVenues | None = None) -> Draft | str:
    """The note an entry becomes, or why it cannot become one."""
    f = entry.fields
    notes = list(entry.notes)
    title = _clean(tex_to_text(f.get("title", "")))
    if not title:
        return "no title"
    year = _year(entry)
    if isinstance(year, str):
        return year

    links: dict[str, str] = {}
    doi = verbatim_text(f.get("doi", ""))
    doi = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", doi, flags=re.IGNORECASE)
    url = safe_http_url(verbatim_text(f.get("url", ""))) if f.get("url") else None
    if f.get("url") and url is None:
        notes.append(f"left out url {verbatim_text(f['url'])[:80]!r} (not an http(s) address)")
    if url and not doi and (m := _DOI_URL.match(url)):
        doi = urllib.parse.unquote(m.group(1))
    arxiv = _arxiv_id(entry, url)
    if url and not (_DOI_URL.match(url) or _ARXIV_URL.match(url)):
        links["paper"] = url
    if doi:
        if DOI.match(doi):
            links["doi"] = doi
        else:
            notes.append(f"left out doi {doi[:80]!r} (not a DOI)")
    if arxiv:
        links["arxiv"] = arxiv

    venue = _find_venue(entry, registry, arxiv is not None, new)
    if isinstance(venue, str):
        return venue

    authors = [_clean(a)[:120] for a in decode_names(f.get("author", ""))]
    authors = [a for a in authors if a]
    if len(authors) > MAX_LIST:
        notes.append(f"kept the first {MAX_LIST} of {len(authors)} authors")
        authors = authors[:MAX_LIST]

    tags: list[str] = []
    for raw in re.split(r"[,;]", f.get("keywords", "")):
        if not raw.strip():
            continue
        tag = _sanitize_tag(raw)
        if tag is None:
            notes.append(f"left out keyword {tex_to_text(raw)[:60]!r} (no letters or digits for a tag)")
        elif tag_key(tag) not in {tag_key(t) for t in tags} and len(tags) < MAX_LIST:
            tags.append(tag)

    entry_type = "inproceedings" if entry.entry_type == "conference" else entry.entry_type
    entry_type = entry_type if entry_type in ENTRY_TYPES else "misc"
    extra = [(name, _clean(tex_to_text(f[name]))) for name in EXTRA_FIELDS if f.get(name) and _clean(tex_to_text(f[name]))]
    note = NoteDraft(title=title, venue=venue.key, year=year, authors=authors, tags=tags, links=links, added=today)
    return Draft(note, venue, entry_type, extra, notes)


def sidecar_entry(draft: Draft, key: str) -> str:
    """The entry as the note's ``.bib`` keeps it: normalized, every value escaped."""
    note = draft.note
    fields = [("title", note.title), ("author", " and ".join(encode_name(a) for a in note.authors))]
    fields += [(name, value) for name, value in draft.extra if name != "primaryclass"]
    fields += [("year", str(note.year)), ("doi", note.links.get("doi", "")), ("url", note.links.get("paper", ""))]
    if "arxiv" in note.links:
        fields += [("eprint", note.links["arxiv"]), ("archiveprefix", "arXiv")]
        fields += [(name, value) for name, value in draft.extra if name == "primaryclass"]
    if note.tags:
        fields.append(("keywords", ", ".join(note.tags)))
    safe_key = NOT_IN_CITEKEY.sub("", key)[:100] or "entry"  # kept: the sidecar's key is the paper's citekey
    return format_entry(draft.entry_type, safe_key, fields)


def _sha(data: str | bytes) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def sidecar_text(key: str, entry_text: str, note: str) -> str:
    return f"@comment{{notes-import key={urllib.parse.quote(key, safe='')} entry={_sha(entry_text)} note={_sha(note)}}}\n\n{entry_text}"


# ------------------------------------------------------------------------------------ what exists


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def identity_keys(title: str, links: dict[str, str]) -> list[tuple[str, str]]:
    """What makes two notes the same paper: DOI, arXiv id (without version), normalized title."""
    keys: list[tuple[str, str]] = []
    if links.get("doi"):
        keys.append(("DOI " + links["doi"], "doi:" + links["doi"].strip().lower()))
    if links.get("arxiv"):
        keys.append(("arXiv id " + links["arxiv"], "arxiv:" + re.sub(r"v\d+$", "", links["arxiv"].strip().lower())))
    norm = re.sub(r"[^0-9a-z]", "", _fold(title))
    if len(norm) >= 6:
        keys.append(("title", "title:" + norm))
    return keys


@dataclass
class Known:
    """An existing note (or one this import made), with what its sidecar says."""

    note: Path
    shown: str
    meta_key: str | None = None
    entry_sha: str | None = None
    note_sha: str | None = None
    claimed: bool = False
    arxiv: str | None = None  # the note's arXiv id (kept when a re-import's entry has none: a merge added it)


def _links_of(data: dict[str, object]) -> dict[str, str]:
    links = data.get("links")
    out: dict[str, str] = {}
    if not isinstance(links, dict):
        return out
    for kind in ("doi", "arxiv"):
        if isinstance(links.get(kind), str):
            out[kind] = str(links[kind]).strip()
    paper = links.get("paper")
    if isinstance(paper, str):
        if (m := _DOI_URL.match(paper)) and "doi" not in out:
            out["doi"] = urllib.parse.unquote(m.group(1))
        if (m := _ARXIV_URL.match(paper)) and "arxiv" not in out:
            out["arxiv"] = m.group(1)
    return out


def read_meta(note: Path) -> tuple[str, str, str] | None:
    sidecar = note.with_suffix(".bib")
    try:
        text = sidecar.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    m = _META.match(text)
    return (urllib.parse.unquote(m.group(1)), m.group(2), m.group(3)) if m else None


def _sidecar_key(note: Path) -> str | None:
    """The key of the entry in the note's sidecar (the paper's citekey)."""
    try:
        parsed = parse_bib(note.with_suffix(".bib").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None
    return parsed.entries[0].key if len(parsed.entries) == 1 else None


def _sidecar_body(note: Path) -> str | None:
    try:
        text = note.with_suffix(".bib").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    m = _META.match(text)
    return text[m.end() :].lstrip("\n") if m else None


class Library:
    """The notes that exist (and those this run adds), looked up by identity."""

    def __init__(self, papers: Path, root: Path) -> None:
        self.by_identity: dict[str, Known] = {}
        self.by_folder_key: dict[tuple[str, str], Known] = {}
        self.citekeys: dict[str, Path] = {}  # a kept citekey (case folded) → the note whose sidecar has it
        if not papers.is_dir():
            return
        for path in find_notes(papers):
            raw = load_note(path, papers, root)
            if not hasattr(raw, "data"):
                continue
            data = raw.data
            title = data.get("title") if isinstance(data.get("title"), str) else ""
            known = Known(path, shown_path(path, root), arxiv=_links_of(data).get("arxiv"))
            meta = read_meta(path)
            if meta:
                known.meta_key, known.entry_sha, known.note_sha = meta
                self.by_folder_key.setdefault((path.parent.as_posix(), meta[0]), known)
            for _, ident in identity_keys(str(title), _links_of(data)):
                self.by_identity.setdefault(ident, known)
            if path.with_suffix(".bib").is_file():
                kept = _sidecar_key(path)
                if kept:
                    self.citekeys.setdefault(kept.casefold(), path)

    def claim_citekey(self, key: str, note: Path) -> str:
        """The entry's key as the note's citekey, or ``key_2``, ``key_3`` … when another note keeps it."""
        base = NOT_IN_CITEKEY.sub("", key)[:100] or "entry"
        candidate, n = base, 2
        while self.citekeys.get(candidate.casefold(), note) != note:
            candidate, n = f"{base[:95]}_{n}", n + 1
        self.citekeys[candidate.casefold()] = note
        return candidate

    def find(self, keys: list[tuple[str, str]]) -> tuple[Known, str] | None:
        for label, ident in keys:
            if ident in self.by_identity:
                return self.by_identity[ident], label
        return None


# ------------------------------------------------------------------------------------ the import


def import_bib(
    source: Path, papers: Path, root: Path, *, dry_run: bool = False, today: str | None = None, add_venues: bool = True
) -> Report:
    """Import every entry of ``source`` into ``papers``; returns what happened to each entry."""
    today = today or dt.date.today().isoformat()
    shown_source = shown_path(source, root)
    report = Report(shown_source, dry_run=dry_run)
    raw = source.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")  # old .bib files: every byte is a character, nothing is lost
    parsed = parse_bib(text)
    for failure in parsed.failures:
        report.outcomes.append(Outcome("failed", failure.key, failure.line, failure.reason))

    registry, _ = load_registry(papers / "venues.yml", root)
    new = NewVenues(registry, papers / "venues.yml", dry_run=dry_run) if add_venues else None
    library = Library(papers, root)
    ids = set(existing_ids(papers, root))
    this_run: dict[str, RunNote] = {}  # identity → the earlier entry that owns a note
    for entry in parsed.entries:
        kind = not_a_paper(entry)
        if kind is not None:
            report.outcomes.append(Outcome("skipped", entry.key, entry.line, f"skipped (not a paper: {kind})"))
            continue
        report.outcomes.append(_import_entry(entry, registry, library, ids, this_run, papers, root, dry_run, today, new))
    report.new_venues = len(new.written) if new else 0
    return report


def _import_entry(
    entry: BibEntry, registry: VenueRegistry, library: Library, ids: set[str],
    this_run: dict[str, RunNote], papers: Path, root: Path, dry_run: bool, today: str,
    new: NewVenues | None = None,
) -> Outcome:  # fmt: skip
    draft = entry_to_draft(entry, registry, today, new)
    if isinstance(draft, str):
        return Outcome("failed", entry.key, entry.line, draft)
    keys = identity_keys(draft.note.title, draft.note.links)
    for label, ident in keys:
        if ident in this_run:
            earlier = this_run[ident]
            if _published_after_preprint(earlier, draft):
                _drop_preprint(earlier, library, ids, this_run, dry_run)
                if "arxiv" in earlier.draft.note.links:
                    draft.note.links.setdefault("arxiv", earlier.draft.note.links["arxiv"])
                keys = identity_keys(draft.note.title, draft.note.links) + [k for k in earlier.keys if k not in keys]
                merged_from = earlier
                break
            if _preprint_after_published(earlier, draft):
                return _add_preprint_link(earlier, draft, entry, label, papers, registry, dry_run)
            return Outcome("duplicate", entry.key, entry.line, f"duplicate of entry {earlier.entry.key} on line {earlier.entry.line} (same {label}), imported as {earlier.shown}")
    else:
        merged_from = None
    folder = papers / draft.venue.slug / str(draft.note.year)
    found = library.find(keys)
    if found is None or (found[0].meta_key is not None and found[0].meta_key != entry.key):
        fallback = library.by_folder_key.get((folder.as_posix(), entry.key))
        if fallback is not None and not fallback.claimed:
            found = (fallback, "key in the same venue and year")
    suffix = ("; " + "; ".join(draft.notes)) if draft.notes else ""

    if found is not None:
        known, label = found
        own = known.meta_key == entry.key and not known.claimed
        if not own:
            return Outcome("duplicate", entry.key, entry.line, f"duplicate of {known.shown} (same {label})")
        known.claimed = True
        if known.arxiv and "arxiv" not in draft.note.links:  # added by merging in the preprint's entry
            draft.note.links["arxiv"] = known.arxiv
        entry_text, suffix = _entry_with_citekey(draft, entry.key, known.note, library, suffix)
        for _, ident in keys:
            this_run.setdefault(ident, RunNote(entry, known.shown, draft, known, keys))
        if _sha(entry_text) == known.entry_sha:
            return Outcome("unchanged", entry.key, entry.line, f"already imported as {known.shown}", known.shown)
        note_bytes = known.note.read_bytes()
        if _sha(note_bytes) != known.note_sha or _sidecar_body(known.note) is None or _sha(_sidecar_body(known.note) or "") != known.entry_sha:
            return Outcome("duplicate", entry.key, entry.line, f"duplicate of {known.shown}, which was edited after its import: left as it is")
        draft.note.added = _added_of(note_bytes) or draft.note.added
        note = note_text(draft.note, body=False, hints=False)
        problems = check_text(note, known.shown, known.note.relative_to(papers).as_posix(), registry)
        if problems:
            return Outcome("failed", entry.key, entry.line, f"the updated note would not pass notes check: {problems[0].field}: {problems[0].message}")
        if new is not None:
            added, error = new.commit(draft.venue)
            if error is not None:
                return Outcome("failed", entry.key, entry.line, f"new venue {draft.venue.key!r}: {error}")
            suffix = added + suffix
        if not dry_run:
            _write(known.note, note, overwrite=True)
            _write(known.note.with_suffix(".bib"), sidecar_text(entry.key, entry_text, note), overwrite=True)
        verb = "would update" if dry_run else "updated"
        return Outcome("updated", entry.key, entry.line, f"{verb} {known.shown} (the entry changed; the note was not edited since its import){suffix}", known.shown)

    slug = slugify(draft.note.title)
    if slug == "paper":  # a title with no Latin letters: the entry's key names the file instead
        slug = re.sub(r"[^a-z0-9]+", "-", entry.key.lower()).strip("-")[:60] or "paper"
    stem = free_stem(slug, folder, draft.venue.slug, draft.note.year, ids)
    target = folder / f"{stem}.md"
    shown = shown_path(target, root)
    entry_text, suffix = _entry_with_citekey(draft, entry.key, target, library, suffix)
    note = note_text(draft.note, body=False, hints=False)
    problems = check_text(note, shown, target.relative_to(papers).as_posix(), registry)
    if problems:
        return Outcome("failed", entry.key, entry.line, f"the note would not pass notes check: {problems[0].field}: {problems[0].message}")
    if new is not None:
        added, error = new.commit(draft.venue)
        if error is not None:
            return Outcome("failed", entry.key, entry.line, f"new venue {draft.venue.key!r}: {error}")
        suffix = added + suffix
    if not dry_run:
        folder.mkdir(parents=True, exist_ok=True)
        _write(target, note, overwrite=False)
        _write(target.with_suffix(".bib"), sidecar_text(entry.key, entry_text, note), overwrite=False)
    ids.add(stem)
    known = Known(target, shown, entry.key, _sha(entry_text), _sha(note), claimed=True)
    run_note = RunNote(entry, shown, draft, known, keys)
    for _, ident in keys:
        library.by_identity.setdefault(ident, known)
        this_run[ident] = run_note if merged_from is not None else this_run.get(ident, run_note)
    verb = "would import as" if dry_run else "imported as"
    if merged_from is not None and merged_from.outcome is not None:
        suffix = f"; the published version of entry {merged_from.entry.key} on line {merged_from.entry.line} (its arXiv id kept as a link)" + suffix
        merged_from.outcome.kind = "duplicate"
        merged_from.outcome.message = f"preprint of entry {entry.key} on line {entry.line}: merged into {shown}, its published version"
        merged_from.outcome.path = shown
    run_note.outcome = Outcome("imported", entry.key, entry.line, f"{verb} {shown}{suffix}", shown)
    return run_note.outcome


@dataclass
class RunNote:
    """A note this run owns (imported, updated or unchanged), with the entry and draft it came from."""

    entry: BibEntry
    shown: str
    draft: Draft
    known: Known
    keys: list[tuple[str, str]]
    outcome: Outcome | None = None  # set once the entry's outcome is known, if it was imported


def _published_after_preprint(earlier: RunNote, draft: Draft) -> bool:
    return earlier.outcome is not None and earlier.draft.venue.kind == "preprint" and draft.venue.kind != "preprint"


def _preprint_after_published(earlier: RunNote, draft: Draft) -> bool:
    return earlier.outcome is not None and earlier.draft.venue.kind != "preprint" and draft.venue.kind == "preprint"


def _drop_preprint(earlier: RunNote, library: Library, ids: set[str], this_run: dict[str, RunNote], dry_run: bool) -> None:
    """Remove the note this run made for a preprint whose published version just came along."""
    if not dry_run:
        earlier.known.note.unlink(missing_ok=True)
        earlier.known.note.with_suffix(".bib").unlink(missing_ok=True)
        for folder in (earlier.known.note.parent, earlier.known.note.parent.parent):  # papers/arxiv/2022/, if now empty
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
    ids.discard(earlier.known.note.stem)
    for ident in [i for i, k in library.by_identity.items() if k is earlier.known]:
        del library.by_identity[ident]
    for ident in [i for i, r in this_run.items() if r is earlier]:
        del this_run[ident]


def _add_preprint_link(
    earlier: RunNote, draft: Draft, entry: BibEntry, label: str, papers: Path, registry: VenueRegistry, dry_run: bool
) -> Outcome:
    """A preprint of a paper this run imported: its arXiv id goes onto that note as a link."""
    where = f"preprint of entry {earlier.entry.key} on line {earlier.entry.line} (same {label}), imported as {earlier.shown}"
    arxiv = draft.note.links.get("arxiv")
    if not arxiv or "arxiv" in earlier.draft.note.links:
        return Outcome("duplicate", entry.key, entry.line, where)
    earlier.draft.note.links["arxiv"] = arxiv
    note = note_text(earlier.draft.note, body=False, hints=False)
    if check_text(note, earlier.shown, earlier.known.note.relative_to(papers).as_posix(), registry):
        del earlier.draft.note.links["arxiv"]
        return Outcome("duplicate", entry.key, entry.line, where)
    if not dry_run:
        entry_text = sidecar_entry(earlier.draft, earlier.entry.key)
        _write(earlier.known.note, note, overwrite=True)
        _write(earlier.known.note.with_suffix(".bib"), sidecar_text(earlier.entry.key, entry_text, note), overwrite=True)
        earlier.known.entry_sha, earlier.known.note_sha = _sha(entry_text), _sha(note)
    return Outcome("duplicate", entry.key, entry.line, f"{where}: its arXiv id {arxiv} added there as a link")


def _entry_with_citekey(draft: Draft, key: str, note: Path, library: Library, suffix: str) -> tuple[str, str]:
    """The sidecar entry, keyed by the entry's own key (the paper's citekey) unless another note keeps it."""
    citekey = library.claim_citekey(key, note)
    if citekey != NOT_IN_CITEKEY.sub("", key)[:100]:
        suffix += f"; its citekey is {citekey!r} ({key!r} is already another paper's)"
    return sidecar_entry(draft, citekey), suffix


def _added_of(note: bytes) -> str | None:
    try:
        value = parse_front_matter(decode(note)).data.get("added")
    except FrontMatterError:
        return None
    return value if isinstance(value, str) else None


def _write(path: Path, text: str, *, overwrite: bool) -> None:
    if overwrite:
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text, encoding="utf-8", newline="\n")
        tmp.replace(path)
    else:
        with path.open("x", encoding="utf-8", newline="\n") as out:
            out.write(text)


# ------------------------------------------------------------------------------------ the command


def add_parser(sub: argparse._SubParsersAction) -> None:
    cmd = sub.add_parser(
        "import-bib",
        help="one note per entry of a .bib file; reports duplicates and failures by key and line",
        description="Import a BibTeX file: one note per entry, with a line for every entry that is not imported.",
    )
    cmd.add_argument("file", type=Path, help="the .bib file")
    cmd.add_argument("--dry-run", action="store_true", help="report what would happen, write nothing")
    cmd.add_argument("--out", type=Path, default=Path("papers"), help="the notes folder (default: papers)")
    cmd.add_argument(
        "--no-new-venues", dest="add_venues", action="store_false",
        help="fail entries whose booktitle/journal the venue registry lacks, instead of adding them to venues.yml",
    )  # fmt: skip
    cmd.set_defaults(run=run_import)


def run_import(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        print(f"notes import-bib: {args.file}: no such file", file=sys.stderr)
        return 2
    if args.out.exists() and not args.out.is_dir():
        print(f"notes import-bib: {args.out} is not a folder", file=sys.stderr)
        return 2
    report = import_bib(args.file, args.out, Path.cwd(), dry_run=args.dry_run, add_venues=args.add_venues)
    for line in report.lines():
        print(line)
    print(report.summary())
    return 1 if report.counts()["failed"] else 0
