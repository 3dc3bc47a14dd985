"""The site's setup (mkdocs.yml) as the generator needs it, checked the same way by every engine."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from generator.finish.bodycheck import INCLUDE_EXTENSIONS
from generator.logline import log_safe


def setup_problems(extension_names: Iterable[str], papers: Path, papers_dir: str) -> list[str]:
    """One line per mistake: a Markdown extension that would let a note copy files of the repository
    into the site, a notes folder (``papers``, as set: ``papers_dir``) that does not exist."""
    problems = [f"markdown_extensions: {name} would let any note copy files of the repository into the site: remove it"
                for name in sorted(INCLUDE_EXTENSIONS & set(extension_names))]  # fmt: skip
    if not papers.is_dir():
        problems.append(log_safe(f"the notes folder {papers_dir!r} does not exist (set papers_dir in mkdocs.yml)"))
    return problems
