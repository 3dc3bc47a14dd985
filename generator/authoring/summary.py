"""The Markdown report of ``notes check --summary``: what a pull request's checks page shows.

GitHub renders ``$GITHUB_STEP_SUMMARY`` on the run's page, so a reviewer sees the notes a pull request
adds or changes (venue, year, tags) and every problem without downloading anything. Every value from
a note goes through the ``md`` filter: it shows as text, never as Markdown, HTML or a table cell break.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from generator.model import Catalog, Paper, Problem
from generator.render.pages import RenderContext, render_template


@dataclass(frozen=True)
class NoteRow:
    """One added or changed note: its facts when it passed validation, and its problems."""

    path: str  # papers/osdi/2022/orca.md
    paper: Paper | None
    problems: tuple[Problem, ...]


def note_of(path: str) -> str:
    """The note a file belongs to: a ``.bib`` sidecar belongs to the ``.md`` beside it."""
    return str(PurePosixPath(path).with_suffix(".md")) if path.endswith(".bib") else path


def summary_rows(catalog: Catalog, problems: list[Problem], changed: list[str]) -> list[NoteRow]:
    """A row per note among ``changed`` (root-relative paths; other files such as venues.yml are skipped)."""
    by_path = {p.path: p for p in catalog.papers}
    notes = sorted({note_of(path) for path in changed if path.endswith((".md", ".bib"))})
    return [NoteRow(path, by_path.get(path), tuple(p for p in problems if note_of(p.path) == path)) for path in notes]


def check_summary(catalog: Catalog, problems: list[Problem], changed: list[str] | None) -> str:
    """The Markdown summary; ``changed`` is None when no base was given (no per-note table)."""
    rows = summary_rows(catalog, problems, changed) if changed is not None else []
    listed = {row.path for row in rows}
    others = [p for p in problems if note_of(p.path) not in listed]
    return render_template("check_summary.md.j2", "", RenderContext(catalog), rows=rows, others=others, problems=problems,
                           changed=changed, checked=len(catalog.papers))  # fmt: skip
