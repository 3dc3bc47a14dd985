"""One way to write a file that is never seen half-written: into a temporary file beside it, then
renamed over it in one step (a note rewritten by an importer, a converted page kept for the next
build, the saved rendering); for the search's kept files, one way to write and read a file that
carries its own digest; and one way to remove what a cache holds, file or folder."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def replace_file(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """``write(out)`` fills a temporary file beside ``path`` (its folders made), which then replaces
    ``path``; if anything fails, the temporary file is removed and the error raised."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    try:
        with tmp.open("wb") as out:
            write(out)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)  # no stray file beside what it was to replace
        raise


def replace_checked(path: Path, body: bytes) -> None:
    """``body`` written by ``replace_file`` after a first line holding its digest, for ``read_checked``."""
    replace_file(path, lambda out: out.write(hashlib.sha256(body).hexdigest().encode() + b"\n" + body))


def read_checked(path: Path) -> bytes | None:
    """The body of a file ``replace_checked`` wrote, or None when it is cut short or altered (OSError: none)."""
    first, _newline, body = path.read_bytes().partition(b"\n")
    return body if first == hashlib.sha256(body).hexdigest().encode() else None


def remove(path: Path) -> None:
    """``path`` gone, a file or a folder with everything in it (a link is removed, not followed); what
    cannot be removed is left."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
