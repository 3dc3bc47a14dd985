"""When each note was added to the site (its ``added`` field, else the commit that added its file),
and when its written notes were last edited (the last commit that changed the file).

Git is asked once per build (one ``git log`` over the notes folder), never once per note. Without
git, outside a repository or for a note that is not committed yet, a note without ``added`` simply
has no date. Dates are UTC timestamps (``2024-03-15T00:00:00Z``), so that they sort as text and a
build of one commit always gives the same dates. A commit date later than the build time (see
``parse_git_history``) is not believed, and an ``added`` field after the build's day is refused by
``notes check``: neither can pin a note on top of "recently added" and the feed.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.model import Paper, newest_first

GIT_TIMEOUT = 60  # seconds


def note_dates(papers: Iterable[Paper], papers_dir: Path,
               history_of: Callable[[], GitHistory] | None = None) -> tuple[dict[str, str], dict[str, str]]:  # fmt: skip
    """(paper id → when the note was added, paper id → when its written notes were last edited).

    Only notes with a written body have an edit date: the last commit that changed the file, else
    (not committed yet, no git) the day it was added. Git is asked at most once (``history_of``:
    what ``git_history(papers_dir)`` returns, when the caller has it or may need it too).
    """
    history: GitHistory | None = None
    added: dict[str, str] = {}
    edited: dict[str, str] = {}
    for paper in papers:
        if paper.added:
            added[paper.id] = paper.added + "T00:00:00Z"
        if not paper.added or paper.has_body:
            if history is None:
                history = history_of() if history_of is not None else git_history(papers_dir)
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


def build_time() -> dt.datetime:
    """The build's "now" (UTC): SOURCE_DATE_EPOCH when it is set (reproducible builds), else the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc)


def parse_git_log(output: str, now: str | None = None) -> dict[str, str]:
    """Read ``git log --reverse -z --format=%x01%cI --name-status`` output (oldest commit first)."""
    return parse_git_history(output, now).added


def parse_git_history(output: str, now: str | None = None) -> GitHistory:
    """When each path was added and last edited, from the output ``parse_git_log`` reads.

    A rename keeps the first version's dates, unless its text changed too (similarity below 100).
    A commit dated after ``now`` (the build time; a clock set wrong, or a date forged to pin a note
    on top of "recently added") counts as made one second after the commit listed before it, so that
    it sorts below every commit made after it; a first commit in the future has no date.
    """
    now = now or build_time().strftime("%Y-%m-%dT%H:%M:%SZ")
    added: dict[str, str] = {}
    edited: dict[str, str] = {}
    tokens = [t.lstrip("\n") for t in output.split("\0")]
    when = ""
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if token.startswith("\x01"):
            stamp = _utc(token[1:].strip())
            when = stamp if stamp <= now else _one_second_after(when)  # "" (unreadable): no date
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


def _one_second_after(stamp: str) -> str:
    if not stamp:
        return ""
    moment = dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ") + dt.timedelta(seconds=1)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _utc(stamp: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def changed_files(papers_dir: Path, since: str) -> list[str]:
    """Paths (relative to ``papers_dir``) added or changed on this branch since it left ``since``.

    ``git diff since...HEAD``: the changes of a pull request against its base branch, renames as
    their new name, deletions left out. Raises ``OSError`` with git's message when git cannot tell.
    """
    command = ["git", "-c", "core.quotepath=off", "diff", "--name-only", "-z", "--diff-filter=ACMRT", "--find-renames",
               "--relative", f"{since}...HEAD", "--", "."]  # fmt: skip
    env = {**os.environ, "LC_ALL": "C", "GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0"}
    try:
        proc = subprocess.run(command, cwd=papers_dir, capture_output=True, env=env, stdin=subprocess.DEVNULL,
                              timeout=GIT_TIMEOUT, check=False)  # fmt: skip
    except (OSError, subprocess.SubprocessError) as error:
        raise OSError(f"cannot run git: {error}") from error
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", errors="replace").strip().splitlines()
        raise OSError(message[0] if message else f"git diff exited with {proc.returncode}")
    return sorted(p for p in proc.stdout.decode("utf-8", errors="surrogateescape").split("\0") if p)
