"""What a long-running process (``mkdocs serve``) keeps between builds.

A note is parsed and validated again only when its file (or its ``.bib`` sidecar, or the site's
venue file) changed; when nothing under ``papers/`` changed at all, the previous result is reused.
The key is each file's (mtime_ns, size), as build tools do.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FileStamp = tuple[int, int]  # (mtime_ns, size)


def stamp(path: Path) -> FileStamp | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


def scan(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """(relative path, mtime_ns, size) of every file under ``folder``, sorted: the inputs' fingerprint."""
    found: list[tuple[str, int, int]] = []
    cut = len(os.path.join(str(folder), ""))  # scandir paths start with the folder as given
    stack = [str(folder)]
    while stack:
        current = stack.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
            else:
                st = entry.stat(follow_symlinks=False)
                found.append((entry.path[cut:], st.st_mtime_ns, st.st_size))
    return tuple(sorted(found))


@dataclass
class BuildCache:
    notes: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # note path → (key, what validating it gave)
    inputs: tuple[tuple[str, int, int], ...] | None = None
    result: Any = None  # the pipeline.Result built from ``inputs``
    hits: int = 0  # notes reused in the last build (for tests and the benchmark)
