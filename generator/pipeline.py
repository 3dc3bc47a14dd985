"""The whole core in one call: load → validate → index. Rendering is separate (see render.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .bibtex import attach_sidecar
from .catalog import build_catalog
from .history import added_dates
from .load import find_notes, load_note
from .model import Catalog, Paper, Problem
from .paths import load_paths
from .validate import validate_note
from .venues import VenueRegistry, load_registry

VENUES_FILE = "venues.yml"


@dataclass
class Result:
    catalog: Catalog
    registry: VenueRegistry
    problems: list[Problem]


def build(papers_dir: Path, root: Path | None = None) -> Result:
    """Read every note under ``papers_dir``; ``root`` is what paths in messages are relative to."""
    root = root or papers_dir.parent
    registry, problems = load_registry(papers_dir / VENUES_FILE, root)
    papers: list[Paper] = []
    if papers_dir.is_dir():
        for path in find_notes(papers_dir):
            raw = load_note(path, papers_dir, root)
            if isinstance(raw, Problem):
                problems.append(raw)
                continue
            paper, note_problems = validate_note(raw, registry)
            problems += note_problems
            if paper is not None:
                paper, bib_problems = attach_sidecar(paper, path, root)  # the note's .bib, if any
                problems += bib_problems
                papers.append(paper)
    catalog, index_problems = build_catalog(papers, registry)
    catalog.added_on = added_dates(catalog.papers, papers_dir)
    problems += index_problems
    catalog.paths, path_problems = load_paths(papers_dir, catalog, root)
    problems += path_problems
    return Result(catalog, registry, sorted(problems))
