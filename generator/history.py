"""When each note was added to the site: its ``added`` field, else the commit that added its file.

Git is asked once per build (one ``git log`` over the notes folder), never once per note. Without
git, outside a repository or for a note that is not committed yet, a note without ``added`` simply
has no date. Dates are UTC timestamps (``2024-03-15T00:00:00Z``), so that they sort as text and a
build of one commit always gives the same dates. A commit date later than the build time (see
``parse_git_log``) is not believed, and an ``added`` field after the build's day is refused by
``notes check``: neither can pin a note on top of "recently added" and the feed.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from .catalog import newest_first
from .model import Paper

GIT_TIMEOUT = 60  # seconds


def added_dates(papers: Iterable[Paper], papers_dir: Path,
                git_history: Callable[[], Mapping[str, str]] | None = None) -> dict[str, str]:  # fmt: skip
    """Paper id → when the note was added, for the papers that have a date (``git_history``: what
    ``git_added_dates(papers_dir)`` returns, when the caller has it or may need it too)."""
    history: Mapping[str, str] | None = None
    dates: dict[str, str] = {}
    for paper in papers:
        if paper.added:
            dates[paper.id] = paper.added + "T00:00:00Z"
            continue
        if history is None:
            history = git_history() if git_history is not None else git_added_dates(papers_dir)
        if paper.rel_path in history:
            dates[paper.id] = history[paper.rel_path]
    return dates


def recently_added(papers: Iterable[Paper], added_on: dict[str, str], limit: int | None = None) -> list[Paper]:
    """The papers that have a date, most recently added first (same date: newest paper first)."""
    dated = sorted((p for p in papers if p.id in added_on), key=newest_first)
    dated.sort(key=lambda p: added_on[p.id], reverse=True)  # stable: ties keep the order above
    return dated[:limit] if limit is not None else dated


def git_added_dates(papers_dir: Path) -> dict[str, str]:
    """Path relative to ``papers_dir`` → UTC time of the commit that added it ({} without git history).

    A renamed or moved note keeps the date its first version was added.
    """
    if not papers_dir.is_dir():
        return {}
    command = ["git", "-c", "core.quotepath=off", "log", "--reverse", "-z", "--format=%x01%cI",
               "--name-status", "--find-renames", "--relative", "--", "."]  # fmt: skip
    env = {**os.environ, "LC_ALL": "C", "GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0"}
    try:
        proc = subprocess.run(command, cwd=papers_dir, capture_output=True, env=env, stdin=subprocess.DEVNULL,
                              timeout=GIT_TIMEOUT, check=False)  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return {}
    if proc.returncode != 0:
        return {}
    return parse_git_log(proc.stdout.decode("utf-8", errors="surrogateescape"))


def build_time() -> dt.datetime:
    """The build's "now" (UTC): SOURCE_DATE_EPOCH when it is set (reproducible builds), else the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc)


def parse_git_log(output: str, now: str | None = None) -> dict[str, str]:
    """Read ``git log --reverse -z --format=%x01%cI --name-status`` output (oldest commit first).

    A commit dated after ``now`` (the build time; a clock set wrong, or a date forged to pin a note
    on top of "recently added") counts as made one second after the commit listed before it, so that
    it sorts below every commit made after it; a first commit in the future has no date.
    """
    now = now or build_time().strftime("%Y-%m-%dT%H:%M:%SZ")
    added: dict[str, str] = {}
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
            added[new] = added.get(old, when) if token[0] == "R" else when
            if token[0] == "R":
                added.pop(old, None)
        elif token[:1] in ("A", "D", "M", "T", "U", "X") and i < len(tokens):
            path = tokens[i]
            i += 1
            if token[0] == "A":
                added[path] = when
            elif token[0] == "D":
                added.pop(path, None)
    return {path: when for path, when in added.items() if when}


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
