"""Find the notes under ``papers/`` and split each into front-matter and body."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

from .frontmatter import FrontMatterError, decode, parse_front_matter
from .model import Problem, RawNote

MAX_NOTE_BYTES = 1024 * 1024
SKIPPED_NAMES = {"README.md"}  # a papers/README.md explains the folder; it is not a note


def find_notes(papers_dir: Path) -> list[Path]:
    """Every ``*.md`` under the folder, sorted, skipping hidden entries and README.md files."""
    found: list[Path] = []
    for path in papers_dir.rglob("*.md"):
        rel = path.relative_to(papers_dir)
        if any(part.startswith(".") for part in rel.parts) or path.name in SKIPPED_NAMES:
            continue
        found.append(path)
    return sorted(found, key=lambda p: p.relative_to(papers_dir).as_posix())


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
    return all(
        part and (unicodedata.category(part[0])[0] in "LN" or part[0] == "_")
        and all(unicodedata.category(ch)[0] in "LMN" or ch in "_-." for ch in part)
        for part in rel.split("/")
    )


def load_note(path: Path, papers_dir: Path, root: Path) -> RawNote | Problem:
    shown = shown_path(path, root)
    rel = path.relative_to(papers_dir).as_posix()
    if path.is_symlink() or not path.resolve().is_relative_to(papers_dir.resolve()):
        return Problem(shown, 1, "file", "is a symbolic link (notes must be real files inside papers/)")
    if path.name == "index.md":
        return Problem(shown, 1, "file", "a note cannot be called index.md (it would take over its folder's page): rename it")
    if not is_safe_path(rel):
        return Problem(shown, 1, "file", "folder and file names may use only letters, digits, '-', '_' and '.', and start with a letter, digit or '_' (they become the page's URL): rename it")
    raw = path.read_bytes()
    if len(raw) > MAX_NOTE_BYTES:
        return Problem(shown, 1, "file", f"is {len(raw) // 1024} KiB (a note may be at most {MAX_NOTE_BYTES // 1024} KiB)")
    try:
        fm = parse_front_matter(decode(raw))
    except FrontMatterError as exc:
        return Problem(shown, exc.line, exc.field, exc.message)
    return RawNote(path=shown, rel_path=rel, data=fm.data, lines=fm.lines, body=fm.body, body_line=fm.body_line)
