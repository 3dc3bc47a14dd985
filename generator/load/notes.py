"""Find the notes under ``papers/`` and split each into front-matter and body."""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from pathlib import Path

from generator import urls
from generator.load.frontmatter import FrontMatterError, decode, parse_front_matter
from generator.model import Problem, RawNote

MAX_NOTE_BYTES = 1024 * 1024
SKIPPED_NAMES = {"README.md"}  # a papers/README.md explains the folder; it is not a note
LINK_REFUSED = "is a symbolic link (everything under papers/ must be a real file or folder inside it): replace it with the file itself"
NOTE_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")  # in any case: what an editor saves a Markdown note as


def find_notes(papers_dir: Path, listing: list[str] | None = None) -> list[Path]:
    """Every ``*.md`` under the folder, sorted, skipping hidden entries and README.md files.

    ``listing``: the relative paths of the files under the folder, when the caller has walked it
    already (``cache.scan`` under `mkdocs serve`); otherwise the folder is walked here.
    """
    if listing is not None:
        rels = [rel.replace(os.sep, "/") for rel in listing if rel.endswith(".md")]
        found = [(rel, papers_dir / rel) for rel in rels
                 if not (rel.startswith(".") or "/." in rel or rel.rpartition("/")[2] in SKIPPED_NAMES)]  # fmt: skip
    else:
        prefix = _prefix(papers_dir)
        found = []
        for path in papers_dir.rglob("*.md"):
            rel = _relative(path, papers_dir, prefix)
            if rel.startswith(".") or "/." in rel or path.name in SKIPPED_NAMES:  # a hidden folder or file
                continue
            found.append((rel, path))
    found.sort(key=lambda item: item[0])
    return [path for _, path in found]


def _prefix(folder: Path) -> str:
    """What the text of every path under ``folder`` starts with ('' where that is not plain)."""
    text = str(folder)
    return text + "/" if os.sep == "/" and text not in ("", ".") and not text.endswith("/") else ""


def _relative(path: Path, folder: Path, prefix: str) -> str:
    """``path.relative_to(folder).as_posix()``; ``prefix`` is ``_prefix(folder)``.

    pathlib writes paths normalized, so the text after the folder's own is the relative path.
    """
    text = str(path)
    if prefix and text.startswith(prefix):
        return text[len(prefix) :]
    return path.relative_to(folder).as_posix()


def link_problem(path: Path, base: Path, root: Path) -> Problem | None:
    """Why ``path`` (a file or folder under ``base``, usually the papers folder) must not be read, or None.

    Every reader of ``papers/`` asks before it opens a file: a symbolic link on the way from ``base`` to
    ``path`` (``path`` included) is refused, named as itself, and so is a real location outside ``base``'s.
    """
    rel = os.path.relpath(path, base)
    if rel == os.pardir or rel.startswith(os.pardir + os.sep) or os.path.isabs(rel):
        return Problem(shown_path(path, root), 1, "file", "is outside the papers folder")
    current = base
    for part in Path(rel).parts:
        current = current / part
        if current.is_symlink():
            return Problem(shown_path(current, root), 1, "file", LINK_REFUSED)
    real, real_base = os.path.realpath(path), os.path.realpath(base)
    if real != real_base and not real.startswith(real_base.rstrip(os.sep) + os.sep):
        return Problem(shown_path(path, root), 1, "file", "is outside the papers folder (its real location is elsewhere)")
    return None


def tree_problems(papers_dir: Path, root: Path) -> list[Problem]:
    """What would make a file under ``papers_dir`` be skipped or published from elsewhere, found by walking it
    without following links: a symbolic link (a note's own is reported by its loader), a Markdown note whose
    name does not end in exactly '.md', and names in one folder that differ only in case (or Unicode form),
    which collide on macOS and Windows checkouts. Hidden entries are skipped, as ``find_notes`` skips them."""
    problems: list[Problem] = []
    stack = [str(papers_dir)]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        seen: dict[str, str] = {}
        for entry in entries:
            if entry.name.startswith("."):
                continue
            key = unicodedata.normalize("NFC", entry.name).casefold()
            why = _entry_problem(entry, seen.get(key), root)
            if why is not None:
                problems.append(Problem(shown_path(Path(entry.path), root), 1, "file", why))
            seen.setdefault(key, entry.path)
            if entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
    return problems


def _entry_problem(entry: os.DirEntry[str], same_but_case: str | None, root: Path) -> str | None:
    """What is wrong with one entry of a folder under papers/; ``same_but_case``: an earlier entry whose
    name differs from this one's only in case."""
    name = entry.name
    if same_but_case is not None:
        return (
            f"differs from {shown_path(Path(same_but_case), root)} only in case: the two are one file on macOS and Windows,"
            " where a checkout loses one (rename one of them)"
        )
    if entry.is_symlink():
        return None if _is_note_name(name) else LINK_REFUSED  # a linked note is refused by its loader
    if name.lower().endswith(NOTE_SUFFIXES) and not _is_note_name(name) and name.lower() != "readme.md" and entry.is_file():
        return f"a note's name must end in '.md' (this one would be skipped): rename it to {name[: name.rfind('.')]}.md"
    return None


def _is_note_name(name: str) -> bool:
    """Whether ``find_notes`` takes a file of this name (when it is not hidden)."""
    return name.endswith(".md") and name not in SKIPPED_NAMES


def shown_path(path: Path, root: Path) -> str:
    """How a file is named in messages: relative to the project root when it is inside it."""
    file, base = os.path.abspath(path), os.path.abspath(root)
    if file.startswith(base.rstrip(os.sep) + os.sep):  # the link's own name first: a symlink is named as itself
        return Path(file).relative_to(base).as_posix()
    resolved, resolved_base = path.resolve(), root.resolve()
    if resolved.is_relative_to(resolved_base):
        return resolved.relative_to(resolved_base).as_posix()
    return path.as_posix()


def is_safe_path(rel: str) -> bool:
    """Folder and file names become URL segments: letters, marks and digits of any script, '_', '-'
    and '.', each name starting with a letter, digit or '_' (no spaces, quotes, '#', '?' or '%')."""
    return all(_is_safe_name(part) for part in rel.split("/"))


_PLAIN_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")  # ASCII names that pass _is_safe_name


@functools.lru_cache(maxsize=4096)  # a folder's name is checked once, not once per note in it
def _is_safe_name(part: str) -> bool:
    if _PLAIN_NAME.fullmatch(part):
        return True
    return (
        bool(part)
        and (unicodedata.category(part[0])[0] in "LN" or part[0] == "_")
        and all(unicodedata.category(ch)[0] in "LMN" or ch in "_-." for ch in part)
    )


def load_note(path: Path, papers_dir: Path, root: Path) -> RawNote | Problem:
    """Stage 1 (load): read one note file into a ``RawNote`` (front matter, body, line numbers), or the
    ``Problem`` that stops it (unreadable, unsafe link, bad front matter)."""
    return NoteLoader(papers_dir, root).load(path)


class NoteLoader:
    """``load_note`` for the notes of one folder: what is the same for all of them is found once
    (the folder's real location, how the project root is written), so a note costs no path resolving."""

    def __init__(self, papers_dir: Path, root: Path) -> None:
        self.papers_dir = papers_dir
        self.root = root
        self._papers_prefix = _prefix(papers_dir)
        base = os.path.abspath(root)
        plain = os.sep == "/" and not base.startswith("//")
        self._root_prefix = base.rstrip(os.sep) + os.sep if plain else ""
        self._real_papers: str | None = None
        self._real_folders: dict[str, str] = {}

    def shown(self, path: Path) -> str:
        """``shown_path(path, root)``."""
        file = os.path.abspath(path)
        if self._root_prefix and file.startswith(self._root_prefix) and not file.startswith("//"):
            return file[len(self._root_prefix) :]  # what Path(file).relative_to(root) gives for normalized text
        return shown_path(path, self.root)

    def _real_inside(self, path: Path) -> bool:
        """``path.resolve().is_relative_to(papers_dir.resolve())`` for a path that is not a symbolic link:
        its real location is its folder's real location and its own name."""
        if self._real_papers is None:
            self._real_papers = str(self.papers_dir.resolve())
        folder, name = os.path.split(str(path))
        real_folder = self._real_folders.get(folder)
        if real_folder is None:
            real_folder = self._real_folders[folder] = str(Path(folder).resolve())
        real = os.path.join(real_folder, name)
        return real == self._real_papers or real.startswith(self._real_papers.rstrip("/") + "/")

    def load(self, path: Path) -> RawNote | Problem:
        """Stage 1 (load): the note at ``path`` split into parsed front-matter and body, or the
        problem that stops it being read (outside ``papers/``, not UTF-8, broken YAML …)."""
        shown = self.shown(path)
        rel = _relative(path, self.papers_dir, self._papers_prefix)
        if path.is_symlink() or not self._real_inside(path):
            return Problem(shown, 1, "file", "is a symbolic link (notes must be real files inside papers/)")
        if path.name == "index.md":
            return Problem(shown, 1, "file", "a note cannot be called index.md (it would take over its folder's page): rename it")
        if not is_safe_path(rel):
            return Problem(
                shown,
                1,
                "file",
                "folder and file names may use only letters, digits, '-', '_' and '.', and start with a letter, digit or '_' (they become the page's URL): rename it",
            )
        if why := urls.name_problem(rel[:-3]):  # the page's folders: papers/osdi/2022/reef/
            return Problem(shown, 1, "file", f"its path {why}: rename it")
        raw = path.read_bytes()
        if len(raw) > MAX_NOTE_BYTES:
            return Problem(shown, 1, "file", f"is {len(raw) // 1024} KiB (a note may be at most {MAX_NOTE_BYTES // 1024} KiB)")
        try:
            fm = parse_front_matter(decode(raw))
        except FrontMatterError as exc:
            return Problem(shown, exc.line, exc.field, exc.message)
        return RawNote(path=shown, rel_path=rel, data=fm.data, lines=fm.lines, body=fm.body, body_line=fm.body_line)
