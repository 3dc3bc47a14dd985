"""The whole core in one call: load → validate → index. Rendering is separate (see render.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .catalog import build_catalog
from .load import find_notes, load_note
from .model import Catalog, Paper, Problem
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
                papers.append(paper)
    catalog, index_problems = build_catalog(papers, registry)
    problems += index_problems
    return Result(catalog, registry, sorted(problems))
