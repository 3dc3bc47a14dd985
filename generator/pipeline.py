"""The whole core in one call: load → validate → index. Rendering is separate (see render/site.py)."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

from generator.index.catalog import SiteFiles, build_catalog
from generator.load.cache import BuildCache, scan, stamp
from generator.load.history import git_history
from generator.load.notes import NoteLoader, find_notes, tree_problems
from generator.load.sidecar import attach_sidecar, citekey_problems
from generator.load.venues import VenueRegistry, load_registry
from generator.model import Catalog, Paper, Problem
from generator.validate.note import validate_note
from generator.validate.tag_aliases import TAGS_FILE, apply_aliases, load_aliases

VENUES_FILE = "venues.yml"


@dataclass
class Result:
    """What the load, validate and index stages give the renderer: the catalog, the venue registry
    and every problem found on the way."""

    catalog: Catalog
    registry: VenueRegistry
    problems: list[Problem]


def build(papers_dir: Path, root: Path | None = None, cache: BuildCache | None = None) -> Result:
    """Read every note under ``papers_dir``; ``root`` is what paths in messages are relative to.

    With a ``cache`` (kept by a long-running process), unchanged notes are not read again, and when
    no file under ``papers_dir`` changed the previous result is returned as it was.
    """
    root = root or papers_dir.parent
    inputs = scan(papers_dir) if cache is not None else None
    if cache is not None and cache.result is not None and inputs == cache.inputs:
        cache.hits = len(cache.result.catalog.papers)
        return cache.result
    registry, problems = load_registry(papers_dir / VENUES_FILE, root)
    registry_stamp = stamp(papers_dir / VENUES_FILE)
    papers: list[Paper] = []
    hits = 0
    if papers_dir.is_dir():
        loader, folders = NoteLoader(papers_dir, root), _Folders()
        stamps = {rel: (mtime, size) for rel, mtime, size in inputs or ()}  # the scan already stat()ed every file
        cut = len(os.path.join(str(papers_dir), ""))
        for path in find_notes(papers_dir, [rel for rel, _, _ in inputs] if inputs is not None else None):
            key = None
            if cache is not None:
                rel = str(path)[cut:]
                key = (stamps.get(rel) or stamp(path), stamps.get(rel[:-3] + ".bib"), registry_stamp, str(root))
            cached = cache.notes.get(str(path)) if cache is not None else None
            if cached is not None and cached[0] == key:
                paper, note_problems = cached[1]
                hits += 1
            else:
                paper, note_problems = _read_note(path, loader, folders, registry)
                if cache is not None:
                    cache.notes[str(path)] = (key, (paper, note_problems))
            problems += note_problems
            if paper is not None:
                papers.append(paper)
    if papers_dir.is_dir():
        problems += tree_problems(papers_dir, root)
    history = functools.cache(lambda: git_history(papers_dir))  # git runs once, and only if asked
    aliases, alias_problems = load_aliases(papers_dir / TAGS_FILE, root)
    problems += alias_problems
    catalog, index_problems = build_catalog(apply_aliases(papers, aliases), registry, SiteFiles(papers_dir, root, aliases, history))
    problems += index_problems + citekey_problems(catalog.papers)
    result = Result(catalog, registry, sorted(set(problems)))  # a link is named by its reader and by the walk: once
    if cache is not None:
        cache.inputs, cache.result, cache.hits = inputs, result, hits
    return result


def _read_note(path: Path, loader: NoteLoader, folders: _Folders, registry: VenueRegistry) -> tuple[Paper | None, list[Problem]]:
    """Load, validate and complete one note (with its .bib sidecar, if any)."""
    raw = loader.load(path)
    if isinstance(raw, Problem):
        return None, [raw]
    paper, problems = validate_note(raw, registry)
    if paper is None:
        return None, problems
    if not folders.may_have_sidecar(path):
        return paper, problems
    paper, bib_problems = attach_sidecar(paper, path, loader.root)
    return paper, problems + bib_problems


class _Folders:
    """Which folders of notes hold no ``.bib`` file at all (listed once per build): there, no note has
    a sidecar, and ``attach_sidecar`` need not look for one note by note."""

    def __init__(self) -> None:
        self._without_bib: dict[str, bool] = {}

    def may_have_sidecar(self, note: Path) -> bool:
        folder = os.path.dirname(str(note))
        without = self._without_bib.get(folder)
        if without is None:
            try:  # any name ending like '.bib' in any case, or in other than ASCII, might be one
                without = not any(name[-4:].lower() == ".bib" or not name[-4:].isascii() for name in os.listdir(folder or "."))
            except OSError:
                without = False
            self._without_bib[folder] = without
        return not without
