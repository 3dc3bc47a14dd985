"""A note file, written: what ``notes new`` and the importers (``notes import-bib``, ``import-notes``,
``import-list``) share, so that neither depends on the other's command module.

- ``slugify`` / ``free_stem`` / ``existing_ids``: a file name no note uses yet;
- ``front_matter_text``: the one front-matter writer for imported notes (every string a YAML scalar
  quoted by PyYAML's own emitter, so no value can add a field or end the front-matter);
- ``note_text``: a new note from ``templates/note.md.j2`` (with the reading method's sections and
  commented hints, for ``notes new``);
- ``check_text``: the problems ``notes check`` would report for a note's text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from generator.load.frontmatter import FrontMatterError, parse_front_matter, yaml_quoted
from generator.load.notes import find_notes, load_note, shown_path
from generator.load.venues import VenueRegistry
from generator.model import Problem, RawNote
from generator.replace_file import replace_file
from generator.urls import name_problem
from generator.validate.note import ID_PATTERN, note_id, validate_note

MAX_SLUG = 60
_STOP = {"a", "an", "the", "on", "in", "of", "for", "to", "and", "with", "towards", "toward", "via", "at", "by", "from"}


@dataclass
class NoteDraft:
    """What a new note says, before it is written."""

    title: str
    venue: str  # a registry key
    year: int
    authors: list[str] = field(default_factory=list)
    aka: list[str] = field(default_factory=list)  # short names: vLLM, PagedAttention
    tags: list[str] = field(default_factory=list)
    summary: str = ""
    links: dict[str, str] = field(default_factory=dict)  # kind → URL or id, in LINK_KINDS order
    status: str = "unread"
    added: str | None = None  # YYYY-MM-DD
    builds_on: list[str] = field(default_factory=list)  # ids of papers of the site
    compares_with: list[str] = field(default_factory=list)


def yaml_value(value: object) -> str:
    """A YAML flow value: double-quoted strings (PyYAML's emitter), lists of them, plain integers."""
    if isinstance(value, list | tuple):
        return "[" + ", ".join(yaml_value(v) for v in value) + "]"
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return yaml_quoted(str(value))


_BARE = ("status", "level", "added")  # a word from a fixed list, or a YYYY-MM-DD date the writer checked


def front_matter_text(fields: dict[str, Any]) -> str:
    """The front-matter of an imported note, fields in the given order: ``links`` as a block, the
    fixed words (status, level, added) bare, everything else a quoted YAML scalar or list of them."""
    lines = ["---"]
    for key, value in fields.items():
        if key == "links":
            lines.append("links:")
            lines += [f"  {kind}: {yaml_value(v)}" for kind, v in value.items()]
        elif key in _BARE:
            lines.append(f"{key}: {value}")
        else:
            lines.append(f"{key}: {yaml_value(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n"


TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("generator", "templates"),
    autoescape=False,  # a Markdown/YAML file, not HTML: values are quoted by the yaml filter instead
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    undefined=jinja2.StrictUndefined,
)
TEMPLATES.filters["yaml"] = yaml_value


def note_text(draft: NoteDraft, *, body: bool = True, hints: bool = True) -> str:
    """A new note (``notes new``): front-matter with commented hints and, with ``body``, the reading
    method's empty sections. An importer writes ``front_matter_text`` of its fields instead."""
    return TEMPLATES.get_template("note.md.j2").render(
        title=draft.title, venue=draft.venue, year=draft.year, authors=draft.authors, aka=draft.aka,
        tags=draft.tags, summary=draft.summary, links=draft.links, status=draft.status, added=draft.added,
        builds_on=draft.builds_on, compares_with=draft.compares_with, body=body, hints=hints,
    )  # fmt: skip


def check_text(text: str, path: str, rel_path: str, registry: VenueRegistry) -> list[Problem]:
    """The problems ``notes check`` would report for a note with this text (none for a good one)."""
    try:
        fm = parse_front_matter(text)
    except FrontMatterError as exc:
        return [Problem(path, exc.line, exc.field, exc.message)]
    raw = RawNote(path=path, rel_path=rel_path, data=fm.data, lines=fm.lines, body=fm.body, body_line=fm.body_line)
    return validate_note(raw, registry)[1]


def _ascii_words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return re.findall(r"[a-z0-9]+", folded)


def slugify(title: str) -> str:
    """A short file name: ``orca`` for "Orca: A Distributed Serving System …", else the first words."""
    head, sep, _ = title.partition(":")
    words = _ascii_words(head) if sep else []
    if not 1 <= len(words) <= 3:
        words = [w for w in _ascii_words(title) if w not in _STOP][:5]
    slug = "-".join(words)[:MAX_SLUG].strip("-")
    return slug or "paper"


def stem_problem(stem: str) -> str | None:
    """Why ``<stem>.md`` cannot be a note's file (as ``notes check`` reads the notes folder), or None."""
    if not ID_PATTERN.match(stem):
        return "use letters, digits, '-', '_' or '.'"
    if stem.lower() in ("index", "readme"):  # index.md is its folder's page, README.md explains the folder
        return f"{stem}.md would not be read as a note: choose another name"
    return name_problem(stem)


def existing_ids(papers_dir: Path, root: Path) -> dict[str, str]:
    """The id of every note under ``papers_dir`` (its ``id:`` or file name) → its path."""
    ids: dict[str, str] = {}
    if not papers_dir.is_dir():
        return ids
    for path in find_notes(papers_dir):
        raw = load_note(path, papers_dir, root)
        ident = note_id(raw) if isinstance(raw, RawNote) else path.stem
        ids.setdefault(ident, shown_path(path, root))
    return ids


def free_stem(slug: str, folder: Path, venue_slug: str, year: int, ids: dict[str, str] | set[str]) -> str:
    """``slug``, or ``slug-osdi22``, ``slug-osdi22-2`` …: a file name no note (and no .bib) uses yet, and one
    ``notes check`` reads as a note (not ``index``, ``README``, ``con`` …)."""
    suffix = f"{venue_slug}{year % 100:02d}"
    candidates = [slug, f"{slug}-{suffix}"] + [f"{slug}-{suffix}-{n}" for n in range(2, 1000)]
    for stem in candidates:
        if (
            stem not in ids
            and stem_problem(stem) is None
            and not (folder / f"{stem}.md").exists()
            and not (folder / f"{stem}.bib").exists()
        ):
            return stem
    raise RuntimeError(f"no free file name for {slug!r} in {folder}")  # pragma: no cover


def write_file(path: Path, text: str, *, overwrite: bool = False) -> None:
    """Write a note (or its sidecar) as UTF-8 with LF line ends, making its folders. A new file is
    created exclusively (FileExistsError if one is there: nothing is overwritten by accident); with
    ``overwrite``, the old one is replaced in one step, never left half-written."""
    if overwrite:
        replace_file(path, lambda out: out.write(text.encode("utf-8")))  # LF as written: no newline translation
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as out:
            out.write(text)


def remove_written(files: list[Path], notes_dir: Path) -> None:
    """Undo files an import wrote (a note, its sidecar), and the year and venue folders that leaves
    empty (``papers/arxiv/2022/``); never ``notes_dir`` itself."""
    for path in files:
        path.unlink(missing_ok=True)
    for folder in (files[0].parent, files[0].parent.parent):
        if folder.is_dir() and folder != notes_dir and not any(folder.iterdir()):
            folder.rmdir()
