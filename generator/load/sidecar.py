"""A note's ``.bib`` sidecar, read while loading: ``<note>.bib`` beside ``<note>.md`` (written by
``notes import-bib``, or by hand) holds one BibTeX entry whose type, key and the fields a note has no
place for (pages, volume, publisher …) become the paper's ``BibExtra``.

The entry's key is the paper's kept citekey (see render/bibtex.py, which writes the site's BibTeX);
two papers keeping the same key are a problem (``citekey_problems``).
"""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

from generator.load.bibparse import parse_bib
from generator.load.notes import link_problem, shown_path
from generator.load.tex import tex_to_text
from generator.model import BibExtra, Paper, Problem

# Fields a sidecar may add to the note's own facts, in the order they are written.
EXTRA_FIELDS = (
    "booktitle", "journal", "series", "edition", "volume", "number", "pages", "month",
    "publisher", "address", "organization", "institution", "school", "howpublished", "isbn", "issn",
    "note", "primaryclass",
)  # fmt: skip
ENTRY_TYPES = ("article", "inproceedings", "incollection", "inbook", "book", "misc", "techreport",
               "phdthesis", "mastersthesis", "proceedings", "unpublished", "online", "report")  # fmt: skip

# What a citekey may hold: what BibTeX and biber read back as a key (Better BibTeX keys, also Unicode ones)
_KEY_BREAKERS = r"\s,{}()\"#%'=\\~"
CITEKEY = re.compile(rf"[^{_KEY_BREAKERS}]{{1,100}}\Z")
NOT_IN_CITEKEY = re.compile(rf"[{_KEY_BREAKERS}]")


def sidecar_path(note: Path) -> Path:
    return note.with_suffix(".bib")


def read_sidecar(note: Path, root: Path) -> tuple[BibExtra | None, list[Problem]]:
    """The note's ``.bib`` sidecar, if there is one, as a ``BibExtra``."""
    path = sidecar_path(note)
    if os.path.lexists(path) and (refused := link_problem(path, note.parent, root)) is not None:
        return None, [refused]  # the note's folder is inside papers/ (its loader checked): so must its sidecar be
    if not path.is_file():
        return None, []
    shown = shown_path(path, root)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, [Problem(shown, 1, "bibtex", "the file is not valid UTF-8 (save it as UTF-8)")]
    if len(text) > 64 * 1024:
        return None, [Problem(shown, 1, "bibtex", "is larger than 64 KiB (keep one entry)")]
    parsed = parse_bib(text)
    problems = [Problem(shown, f.line, "bibtex", f"{f.key}: {f.reason}") for f in parsed.failures]
    if len(parsed.entries) != 1 or parsed.failures:
        if not problems:
            problems.append(Problem(shown, 1, "bibtex", f"holds {len(parsed.entries)} entries (a note's .bib holds exactly one)"))
        return None, problems
    entry = parsed.entries[0]
    entry_type = entry.entry_type if entry.entry_type in ENTRY_TYPES else "misc"
    fields = []
    for name in EXTRA_FIELDS:
        if name in entry.fields:
            text_value = tex_to_text(entry.fields[name])
            if text_value:
                fields.append((name, text_value))
    key: str | None = entry.key
    problems = []
    if not CITEKEY.match(entry.key):
        problems.append(Problem(shown, entry.line, "citekey", f"{key!r} cannot be a citekey (no spaces or any of , {{ }} ( ) \" # % ' = \\ ~; "
                                "at most 100 characters): change it, or the site uses a generated key"))  # fmt: skip
        key = None
    return BibExtra(entry_type, tuple(fields), key, shown, entry.line), problems


def attach_sidecar(paper: Paper, note: Path, root: Path) -> tuple[Paper, list[Problem]]:
    """The paper with the facts of its ``.bib`` sidecar (unchanged when it has none)."""
    extra, problems = read_sidecar(note, root)
    return (dataclasses.replace(paper, bibtex=extra) if extra else paper), problems


def kept_citekey(paper: Paper) -> str | None:
    """The key the paper's ``.bib`` sidecar gives it, if any (an imported entry keeps its key)."""
    return paper.bibtex.key if paper.bibtex is not None else None


def citekey_problems(papers: list[Paper]) -> list[Problem]:
    """Two papers whose sidecars keep the same key: a problem on the second, naming the first."""
    owner: dict[str, Paper] = {}
    problems = []
    for paper in sorted(papers, key=lambda p: (p.id, p.path)):
        kept = kept_citekey(paper)
        if not kept or paper.bibtex is None:
            continue
        first = owner.setdefault(kept.casefold(), paper)
        if first is not paper:
            problems.append(Problem(paper.bibtex.path, paper.bibtex.line, "citekey",
                                    f"{kept!r} is also the citekey of {first.path} ({first.bibtex.path if first.bibtex else ''}): "
                                    "each paper needs its own key; change the key of one of the two .bib entries"))  # fmt: skip
    return problems
