"""When each note was added to the site (its ``added`` field, else the commit that added its file),
and when its written notes were last edited (the last commit that changed the file).

Git is asked once per build (one ``git log`` over the notes folder), never once per note. Without
git, outside a repository or for a note that is not committed yet, a note without ``added`` simply
has no date. Dates are UTC timestamps (``2024-03-15T00:00:00Z``), so that they sort as text and a
build of one commit always gives the same dates.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .catalog import newest_first
from .model import Paper

GIT_TIMEOUT = 60  # seconds


def added_dates(papers: Iterable[Paper], papers_dir: Path) -> dict[str, str]:
    """Paper id → when the note was added, for the papers that have a date."""
    return note_dates(papers, papers_dir)[0]


def note_dates(papers: Iterable[Paper], papers_dir: Path) -> tuple[dict[str, str], dict[str, str]]:
    """(paper id → when the note was added, paper id → when its written notes were last edited).

    Only notes with a written body have an edit date: the last commit that changed the file, else
    (not committed yet, no git) the day it was added. Git is asked at most once.
    """
    history: GitHistory | None = None
    added: dict[str, str] = {}
    edited: dict[str, str] = {}
    for paper in papers:
        if paper.added:
            added[paper.id] = paper.added + "T00:00:00Z"
        if not paper.added or paper.has_body:
            if history is None:
                history = git_history(papers_dir)
            if not paper.added and paper.rel_path in history.added:
                added[paper.id] = history.added[paper.rel_path]
            if paper.has_body:
                when = history.edited.get(paper.rel_path) or added.get(paper.id)
                if when:
                    edited[paper.id] = when
    return added, edited


def recently_added(papers: Iterable[Paper], added_on: dict[str, str], limit: int | None = None) -> list[Paper]:
    """The papers that have a date, most recently added first (same date: newest paper first)."""
    dated = sorted((p for p in papers if p.id in added_on), key=newest_first)
    dated.sort(key=lambda p: added_on[p.id], reverse=True)  # stable: ties keep the order above
    return dated[:limit] if limit is not None else dated


@dataclass(frozen=True)
class GitHistory:
    added: dict[str, str]  # path relative to the notes folder → UTC time of the commit that added it
    edited: dict[str, str]  # path → UTC time of the last commit that changed its text


def git_added_dates(papers_dir: Path) -> dict[str, str]:
    """Path relative to ``papers_dir`` → UTC time of the commit that added it ({} without git history).

    A renamed or moved note keeps the date its first version was added.
    """
    return git_history(papers_dir).added


def git_history(papers_dir: Path) -> GitHistory:
    """When each note was added and last edited, from one ``git log`` (empty without git history)."""
    none = GitHistory({}, {})
    if not papers_dir.is_dir():
        return none
    command = ["git", "-c", "core.quotepath=off", "log", "--reverse", "-z", "--format=%x01%cI",
               "--name-status", "--find-renames", "--relative", "--", "."]  # fmt: skip
    env = {**os.environ, "LC_ALL": "C", "GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0"}
    try:
        proc = subprocess.run(command, cwd=papers_dir, capture_output=True, env=env, stdin=subprocess.DEVNULL,
                              timeout=GIT_TIMEOUT, check=False)  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return none
    if proc.returncode != 0:
        return none
    return parse_git_history(proc.stdout.decode("utf-8", errors="surrogateescape"))


def parse_git_log(output: str) -> dict[str, str]:
    """Read ``git log --reverse -z --format=%x01%cI --name-status`` output (oldest commit first)."""
    return parse_git_history(output).added


def parse_git_history(output: str) -> GitHistory:
    """When each path was added and last edited, from the output ``parse_git_log`` reads.

    A rename keeps the first version's dates, unless its text changed too (similarity below 100).
    """
    added: dict[str, str] = {}
    edited: dict[str, str] = {}
    tokens = [t.lstrip("\n") for t in output.split("\0")]
    when = ""
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if token.startswith("\x01"):
            when = _utc(token[1:].strip())
        elif token[:1] in ("R", "C") and i + 1 < len(tokens):
            old, new = tokens[i], tokens[i + 1]
            i += 2
            renamed = token[0] == "R"
            added[new] = added.get(old, when) if renamed else when
            edited[new] = edited.get(old, when) if renamed and token[1:] == "100" else when
            if renamed:
                added.pop(old, None)
                edited.pop(old, None)
        elif token[:1] in ("A", "D", "M", "T", "U", "X") and i < len(tokens):
            path = tokens[i]
            i += 1
            if token[0] == "A":
                added[path] = edited[path] = when
            elif token[0] == "D":
                added.pop(path, None)
                edited.pop(path, None)
            else:
                edited[path] = when
    return GitHistory({p: w for p, w in added.items() if w}, {p: w for p, w in edited.items() if w})


def _utc(stamp: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
