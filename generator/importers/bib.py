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

import datetime as dt
import hashlib
import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from generator.authoring.note_file import (
    MAX_SLUG,
    check_text,
    existing_ids,
    free_stem,
    front_matter_text,
    remove_written,
    slugify,
    write_file,
)
from generator.authoring.site_venues import NewVenues
from generator.authoring.venue_text import venue_from_text
from generator.importers.common import Entry, PaperIndex, Report, arxiv_from_url, doi_from_url, note_fields, paper_keys
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
from generator.validate.note import MAX_LIST, MAX_NAME
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
_META = re.compile(r"\A@comment\{notes-import key=(\S+) entry=([0-9a-f]{64}) note=([0-9a-f]{64})\}\n")


@dataclass
class Outcome:
    """What happens to one entry (changed to "duplicate" when its published version comes later)."""

    kind: str  # one of OUTCOMES
    key: str
    line: int
    message: str


def bib_summary(report: Report, source: str, new_venues: int) -> str:
    """``refs.bib: 3 entries: 1 imported, 0 updated, …; 1 new venue``."""
    c = report.counts
    parts = ", ".join(f"{c[k]} {k if k != 'duplicate' or c[k] == 1 else 'duplicates'}" for k in OUTCOMES)
    added = f"; {new_venues} new venue{'s' if new_venues != 1 else ''}" if new_venues else ""
    return log_safe(
        f"{source}: {report.total} {'entry' if report.total == 1 else 'entries'}: {parts}{added}"
        + (" (dry run: nothing written)" if report.dry_run else "")
    )


# ------------------------------------------------------------------------------------ entry → note


@dataclass
class Draft:
    """An entry as a note (the importers' one ``Entry``), with what only its ``.bib`` sidecar keeps."""

    note: Entry
    venue: Venue
    entry_type: str
    extra: list[tuple[str, str]]  # sidecar fields besides the note's own, as text
    notes: list[str]

    @property
    def year(self) -> int:
        assert self.note.year is not None  # entry_to_draft refuses an entry without one
        return self.note.year

    def front_matter(self) -> str:
        """The note's text (front-matter only: a paper entry); what the limits leave out is in ``notes`` already."""
        return front_matter_text(note_fields(self.note, lambda _: None))


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
    return arxiv_from_url(url) if url else None


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
    if url and not doi and (in_url := doi_from_url(url)):
        doi = urllib.parse.unquote(in_url)
    arxiv = _arxiv_id(entry, url)
    if url and not (doi_from_url(url) or arxiv_from_url(url)):
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

    authors = [_clean(a)[:MAX_NAME] for a in decode_names(f.get("author", ""))]
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
    note = Entry(title, "", entry.line, venue, year, authors=authors, tags=tags, links=links, status="unread", added=today)
    note_fields(note, notes.append)  # what the note's limits leave out, said once
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


def _arxiv_of(links: object) -> str | None:
    """A note's arXiv id: its ``links.arxiv``, or read from its paper address."""
    if not isinstance(links, dict):
        return None
    if isinstance(links.get("arxiv"), str):
        return str(links["arxiv"]).strip()
    paper = links.get("paper")
    return arxiv_from_url(paper) if isinstance(paper, str) else None


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
        self.known: PaperIndex[Known] = PaperIndex()
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
            links = data["links"] if isinstance(data.get("links"), dict) else {}
            known = Known(path, shown_path(path, root), arxiv=_arxiv_of(links))
            meta = read_meta(path)
            if meta:
                known.meta_key, known.entry_sha, known.note_sha = meta
                self.by_folder_key.setdefault((path.parent.as_posix(), meta[0]), known)
            self.known.add(paper_keys(str(title), links), known)
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


# ------------------------------------------------------------------------------------ the import


def import_bib(
    source: Path, papers: Path, root: Path, *, dry_run: bool = False, today: str | None = None, add_venues: bool = True
) -> tuple[Report, str]:
    """Import every entry of ``source`` into ``papers``; returns what happened to each entry, and the summary."""
    today = today or dt.date.today().isoformat()
    shown_source = shown_path(source, root)
    outcomes: list[Outcome] = []
    raw = source.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")  # old .bib files: every byte is a character, nothing is lost
    parsed = parse_bib(text)
    for failure in parsed.failures:
        outcomes.append(Outcome("failed", failure.key, failure.line, failure.reason))

    registry, _ = load_registry(papers / "venues.yml", root)
    new = NewVenues(registry, papers / "venues.yml", dry_run=dry_run) if add_venues else None
    library = Library(papers, root)
    ids = set(existing_ids(papers, root))
    this_run: PaperIndex[RunNote] = PaperIndex()  # the earlier entries that own a note
    for entry in parsed.entries:
        kind = not_a_paper(entry)
        if kind is not None:
            outcomes.append(Outcome("skipped", entry.key, entry.line, f"skipped (not a paper: {kind})"))
            continue
        outcomes.append(_import_entry(entry, registry, library, ids, this_run, papers, root, dry_run, today, new))
    report = Report(dry_run, OUTCOMES)
    for o in outcomes:
        report.outcome(shown_source, o.line, o.kind, o.message, label=o.key)
    return report, bib_summary(report, shown_source, len(new.written) if new else 0)


def _import_entry(
    entry: BibEntry, registry: VenueRegistry, library: Library, ids: set[str],
    this_run: PaperIndex[RunNote], papers: Path, root: Path, dry_run: bool, today: str,
    new: NewVenues | None = None,
) -> Outcome:  # fmt: skip
    draft = entry_to_draft(entry, registry, today, new)
    if isinstance(draft, str):
        return Outcome("failed", entry.key, entry.line, draft)
    keys = paper_keys(draft.note.title, draft.note.links)
    merged_from = None
    found_earlier = this_run.find(keys)
    if found_earlier is not None:
        earlier, label = found_earlier
        if not _published_after_preprint(earlier, draft):
            if _preprint_after_published(earlier, draft):
                return _add_preprint_link(earlier, draft, entry, label, papers, registry, dry_run)
            return Outcome(
                "duplicate",
                entry.key,
                entry.line,
                f"duplicate of entry {earlier.entry.key} on line {earlier.entry.line} (same {label}), imported as {earlier.shown}",
            )
        _drop_preprint(earlier, library, ids, this_run, papers, dry_run)
        if "arxiv" in earlier.draft.note.links:
            draft.note.links.setdefault("arxiv", earlier.draft.note.links["arxiv"])
        keys = paper_keys(draft.note.title, draft.note.links) + [k for k in earlier.keys if k not in keys]
        merged_from = earlier
    folder = papers / draft.venue.slug / str(draft.year)
    found = library.known.find(keys, draft.note.title)
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
        this_run.add(keys, RunNote(entry, known.shown, draft, known, keys))
        if _sha(entry_text) == known.entry_sha:
            return Outcome("unchanged", entry.key, entry.line, f"already imported as {known.shown}")
        note_bytes = known.note.read_bytes()
        if (
            _sha(note_bytes) != known.note_sha
            or _sidecar_body(known.note) is None
            or _sha(_sidecar_body(known.note) or "") != known.entry_sha
        ):
            return Outcome(
                "duplicate", entry.key, entry.line, f"duplicate of {known.shown}, which was edited after its import: left as it is"
            )
        draft.note.added = _added_of(note_bytes) or draft.note.added
        note = draft.front_matter()
        why, added = _admit(draft, note, known.shown, known.note.relative_to(papers).as_posix(), registry, new, "the updated note")
        if why is not None:
            return Outcome("failed", entry.key, entry.line, why)
        suffix = added + suffix
        if not dry_run:
            write_file(known.note, note, overwrite=True)
            write_file(known.note.with_suffix(".bib"), sidecar_text(entry.key, entry_text, note), overwrite=True)
        verb = "would update" if dry_run else "updated"
        return Outcome(
            "updated", entry.key, entry.line, f"{verb} {known.shown} (the entry changed; the note was not edited since its import){suffix}"
        )

    slug = slugify(draft.note.title)
    if slug == "paper":  # a title with no Latin letters: the entry's key names the file instead
        slug = re.sub(r"[^a-z0-9]+", "-", entry.key.lower()).strip("-")[:MAX_SLUG] or "paper"
    stem = free_stem(slug, folder, draft.venue.slug, draft.year, ids)
    target = folder / f"{stem}.md"
    shown = shown_path(target, root)
    entry_text, suffix = _entry_with_citekey(draft, entry.key, target, library, suffix)
    note = draft.front_matter()
    why, added = _admit(draft, note, shown, target.relative_to(papers).as_posix(), registry, new, "the note")
    if why is not None:
        return Outcome("failed", entry.key, entry.line, why)
    suffix = added + suffix
    if not dry_run:
        write_file(target, note, overwrite=False)
        write_file(target.with_suffix(".bib"), sidecar_text(entry.key, entry_text, note), overwrite=False)
    ids.add(stem)
    known = Known(target, shown, entry.key, _sha(entry_text), _sha(note), claimed=True)
    run_note = RunNote(entry, shown, draft, known, keys)
    library.known.add(keys, known)
    this_run.add(keys, run_note, replace=merged_from is not None)
    verb = "would import as" if dry_run else "imported as"
    if merged_from is not None and merged_from.outcome is not None:
        suffix = (
            f"; the published version of entry {merged_from.entry.key} on line {merged_from.entry.line} (its arXiv id kept as a link)"
            + suffix
        )
        merged_from.outcome.kind = "duplicate"
        merged_from.outcome.message = f"preprint of entry {entry.key} on line {entry.line}: merged into {shown}, its published version"
    run_note.outcome = Outcome("imported", entry.key, entry.line, f"{verb} {shown}{suffix}")
    return run_note.outcome


def _admit(
    draft: Draft, note: str, shown: str, rel_path: str, registry: VenueRegistry, new: NewVenues | None, what: str
) -> tuple[str | None, str]:
    """(None, "; new venue …" or "") when the note passes ``notes check`` and its venue is in the
    site's venues.yml (added there now if it is new); else (why not, "")."""
    problems = check_text(note, shown, rel_path, registry)
    if problems:
        return f"{what} would not pass notes check: {problems[0].field}: {problems[0].message}", ""
    if new is None:
        return None, ""
    added, error = new.commit(draft.venue)
    return (f"new venue {draft.venue.key!r}: {error}", "") if error is not None else (None, added)


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


def _drop_preprint(earlier: RunNote, library: Library, ids: set[str], this_run: PaperIndex[RunNote], papers: Path, dry_run: bool) -> None:
    """Remove the note this run made for a preprint whose published version just came along."""
    if not dry_run:
        remove_written([earlier.known.note, earlier.known.note.with_suffix(".bib")], papers)
    ids.discard(earlier.known.note.stem)
    library.known.drop(lambda known: known is earlier.known)
    this_run.drop(lambda run_note: run_note is earlier)


def _add_preprint_link(
    earlier: RunNote, draft: Draft, entry: BibEntry, label: str, papers: Path, registry: VenueRegistry, dry_run: bool
) -> Outcome:
    """A preprint of a paper this run imported: its arXiv id goes onto that note as a link."""
    where = f"preprint of entry {earlier.entry.key} on line {earlier.entry.line} (same {label}), imported as {earlier.shown}"
    arxiv = draft.note.links.get("arxiv")
    if not arxiv or "arxiv" in earlier.draft.note.links:
        return Outcome("duplicate", entry.key, entry.line, where)
    earlier.draft.note.links["arxiv"] = arxiv
    note = earlier.draft.front_matter()
    if check_text(note, earlier.shown, earlier.known.note.relative_to(papers).as_posix(), registry):
        del earlier.draft.note.links["arxiv"]
        return Outcome("duplicate", entry.key, entry.line, where)
    if not dry_run:
        entry_text = sidecar_entry(earlier.draft, earlier.entry.key)
        write_file(earlier.known.note, note, overwrite=True)
        write_file(earlier.known.note.with_suffix(".bib"), sidecar_text(earlier.entry.key, entry_text, note), overwrite=True)
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
