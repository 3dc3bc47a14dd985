"""Each page as the search reads it, kept between builds: a next deploy reads every built page but
prepares only the changed ones again.

``search.index_site``, given a folder kept between builds, looks each page up here by a digest of its
HTML bytes. A page seen before gets back the digest of its searchable copy (``search.searchable``)
and the words the "did you mean" list takes from it (``search_words.page_words``): neither is made
again, and jieba (Chinese words, half a second to load its dictionary) is not even imported unless a
changed page has Chinese text. Only the runs that Pagefind indexes again (``search_runs``) need the
copies themselves: they are read back from here, each checked against its digest.

In the folder: ``pages.json`` (the digest of what follows it on its first line, then the code it was
made by and each page's entry) and each copy, named after its digest. An entry is used only when the
file is whole and was made by the same code (the source of ``search.py`` and ``search_words.py``, this
module's FORMAT, jieba's version); a copy only when its bytes have its digest; anything else is made
again from the page. Entries and copies of pages no longer in the site are removed on every build.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.replace_file import read_checked, remove, replace_checked

FORMAT = "1"  # the layout of pages.json and the copies; a change makes every entry stale
ENTRIES = "pages.json"
COPY = ".html"  # a copy's name: its digest and this


@dataclass(frozen=True)
class Page:
    """What the search takes from one page: the digest of its searchable copy (None: not searched) and
    its words for the "did you mean" list."""

    copy: str | None
    words: list[str]


Prepare = Callable[[str], tuple[str | None, list[str]]]  # a page's HTML → (its copy or None, its words)


def page_text(data: bytes) -> str:
    """A page's bytes as ``Path.read_text(errors="replace")`` gives them (universal newlines)."""
    with io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="replace") as text:
        return text.read()


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class PageStore:
    """The kept pages in ``folder``, made by the code ``code`` names (a digest of what a copy depends on).

    A copy made in a build is written to the folder at once (not held in memory: the copies of 10,000
    pages are ~100 MB), or held in memory where the folder cannot be written."""

    def __init__(self, folder: Path, code: str, prepare: Prepare) -> None:
        self.folder, self.code, self.prepare = folder, code, prepare
        self.kept: dict[str, Page] = self._load()
        self.used: dict[str, Page] = {}  # HTML digest → entry, of this build's pages
        self.held: dict[str, bytes] = {}  # copies made in this build that the folder could not take, by digest
        self.source: dict[str, Path] = {}  # a copy's digest → a page it came from (to make it again)
        self.writable: bool | None = None  # None: not tried yet

    def _load(self) -> dict[str, Page]:
        try:
            body = read_checked(self.folder / ENTRIES)
            if body is None:
                return {}
            data = json.loads(body)
            if data["format"] != FORMAT or data["code"] != self.code:
                return {}
            return {key: Page(copy, list(words)) for key, (copy, words) in data["pages"].items()}
        except (OSError, ValueError, KeyError, TypeError):
            return {}

    def page(self, path: Path) -> Page:
        """The entry of the page at ``path``: kept (its bytes seen before), or made now."""
        data = path.read_bytes()
        key = _digest(data)
        found = self.used.get(key) or self.kept.get(key)
        if found is None:
            copy, words = self.prepare(page_text(data))
            found = Page(None, []) if copy is None else Page(self._put(copy.encode("utf-8")), words)
        self.used[key] = found
        if found.copy is not None:
            self.source.setdefault(found.copy, path)
        return found

    def _put(self, data: bytes, replace: bool = False) -> str:
        """A copy made now, written to the folder (``replace``: over a damaged one) or held; its digest."""
        digest = _digest(data)
        path = self.folder / f"{digest}{COPY}"
        try:
            if self.writable is None:
                self.folder.mkdir(parents=True, exist_ok=True)
            if self.writable is not False and (replace or not path.is_file()):
                path.write_bytes(data)  # not replaced in one step: a copy cut short fails its digest when read
            self.writable = True
        except OSError:
            self.writable = False
            self.held[digest] = data
        return digest

    def copy(self, digest: str) -> bytes:
        """The copy of digest ``digest``: kept whole (or held), else made again from its page."""
        if digest in self.held:
            return self.held[digest]
        try:
            data = (self.folder / f"{digest}{COPY}").read_bytes()
            if _digest(data) == digest:
                return data
        except OSError:
            pass
        copy, _words = self.prepare(page_text(self.source[digest].read_bytes()))
        data = (copy or "").encode("utf-8")
        if _digest(data) != digest:
            raise ValueError(f"{self.source[digest]} changed while the search index was made")
        self._put(data, replace=True)
        return data

    def save(self) -> None:
        """The entries of this build's pages written (when they changed); the copies of other pages removed.
        A folder that cannot be written keeps nothing (the next build makes them again)."""
        try:
            wanted = {page.copy for page in self.used.values() if page.copy is not None}
            for path in self.folder.iterdir():
                if path.name != ENTRIES and path.name.removesuffix(COPY) not in wanted:
                    remove(path)
            if self.used != self.kept:
                pages = {key: [page.copy, page.words] for key, page in sorted(self.used.items())}
                body = json.dumps({"format": FORMAT, "code": self.code, "pages": pages}, ensure_ascii=False, separators=(",", ":")).encode()
                replace_checked(self.folder / ENTRIES, body)
        except OSError:
            return
