"""Converted pages kept across MkDocs builds: a generated page whose Markdown, settings and link
targets are unchanged is not converted again.

Python-Markdown is the largest part of a build (a new ``Markdown`` object per page, then the
conversion), and most pages of the next deploy or `mkdocs serve` rebuild are the same as in the last
one. Each conversion MkDocs made without a word in the log is kept in a folder (``.cache/reading-notes/pages``
by default; the deploy workflow keeps it between runs), keyed by a digest of the page's Markdown as
MkDocs converts it (after every plugin's ``on_page_markdown``), its path and URL, the Markdown settings
and the versions of the code that converts it. Each entry also records the files its relative links
resolved to: an entry whose links would now resolve differently is not used. A conversion that
logged anything (a broken link, say) is never kept, so its message shows on every build and
``--strict`` still fails on it.

Only generated pages out of the nav use this (``CachedPage``, set as their ``File.page`` before
MkDocs makes one, as mkdocs-material's blog plugin does with its posts): MkDocs would otherwise give a
page in the nav the nav's title.
"""

from __future__ import annotations

import hashlib
import importlib.util
import itertools
import json
import logging
import multiprocessing
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

import generator
from generator.engines.cache_keys import Unkeyable, file_digest, plain
from generator.replace_file import replace_file
from generator.versions import package_version

T = TypeVar("T")
FORMAT = 1  # of an entry; a change to what an entry holds or means bumps it
_CONVERTERS = ("mkdocs", "markdown", "pymdown-extensions", "pygments")  # their versions are in every key


@dataclass(frozen=True)
class Converted:
    """What MkDocs' ``Page.render`` made of a page's Markdown."""

    content: str
    toc: list[dict[str, Any]]  # Python-Markdown's toc_tokens
    title: str | None  # the first heading, when the page has no title of its own
    anchors: list[str]  # the ids on the page
    links_to_anchors: dict[str, dict[str, str]]  # page linked to (src_uri) → {anchor: the link as written}
    lookups: dict[str, list[str] | None]  # each path its links looked up → [url, inclusion] of the file, or None


class _Lookups:
    """The site's files, recording each lookup a conversion makes (what its links resolved to)."""

    def __init__(self, files: Files) -> None:
        self.files = files
        self.seen: dict[str, list[str] | None] = {}

    def get_file_from_path(self, path: str) -> File | None:
        found = self.files.get_file_from_path(path)
        self.seen[path] = _resolved(found)
        return found


def _resolved(file: File | None) -> list[str] | None:
    return None if file is None else [file.url, file.inclusion.name]


class LogCount(logging.Handler):
    """Counts what is logged (at any level the loggers let through) while attached."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG + 1)
        self.count = 0
        self.loggers = [logging.getLogger(), logging.getLogger("mkdocs")]  # MkDocs' own logger does not propagate

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1

    def attach(self) -> None:
        for logger in self.loggers:
            logger.addHandler(self)

    def detach(self) -> None:
        for logger in self.loggers:
            logger.removeHandler(self)


@contextmanager
def _logged() -> Iterator[LogCount]:
    handler = LogCount()
    handler.attach()
    try:
        yield handler
    finally:
        handler.detach()


class PageCache:
    """Converted pages in ``folder`` (None: kept in memory only, for one `mkdocs serve`)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.memory: dict[str, Converted] = {}
        self.used: set[str] = set()
        self.settings = ""
        self.hits = self.misses = 0

    def start(self, config: MkDocsConfig) -> bool:
        """A new build: the Markdown settings and the converters' versions, once. False when a setting has
        no form a key can hold (an object of unknown kind): then no page may use the cache."""
        self.used = set()
        self.hits = self.misses = 0
        try:
            self.settings = settings_digest(config)
        except Unkeyable:
            return False
        return True

    def key(self, page: Page) -> str:
        parts = (str(FORMAT), self.settings, page.file.src_uri, page.file.url, page.markdown or "")
        return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()

    def get(self, key: str, files: Files) -> Converted | None:
        found = self.memory.get(key) or self._read(key)
        if found is None or any(_resolved(files.get_file_from_path(p)) != seen for p, seen in found.lookups.items()):
            self.misses += 1
            return None
        self.hits += 1
        self.used.add(key)
        return found

    def has(self, key: str) -> bool:
        """Whether an entry for ``key`` exists (whether its links still hold is checked when it is used)."""
        return key in self.memory or (self.folder is not None and self._path(key).is_file())

    def put(self, key: str, converted: Converted, write: bool = True) -> None:
        self.used.add(key)
        self.memory[key] = converted
        if self.folder is None or not write:
            return
        entry = json.dumps(asdict(converted), ensure_ascii=False).encode("utf-8")
        replace_file(self._path(key), lambda out: out.write(entry))

    def prune(self) -> int:
        """Remove the entries this build did not use (after a build that converted every page)."""
        self.memory = {key: value for key, value in self.memory.items() if key in self.used}
        if self.folder is None or not self.folder.is_dir():
            return 0
        removed = 0
        for path in self.folder.glob("[0-9a-f][0-9a-f]/*"):
            if path.suffix != ".json" or path.stem not in self.used:  # a .tmp left by a build that was stopped
                path.unlink(missing_ok=True)
                removed += 1
        return removed

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}.json"

    def _read(self, key: str) -> Converted | None:
        if self.folder is None:
            return None
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
            return Converted(**data)
        except (OSError, ValueError, TypeError):  # none yet, or a damaged entry: convert again
            return None


class CachedPage(Page):
    """A generated page converted once while its Markdown, settings and link targets stay the same."""

    cache: PageCache

    def render(self, config: MkDocsConfig, files: Files) -> None:
        key = self.cache.key(self)
        found = self.cache.get(key, files)
        if found is not None:
            self._apply(found, files)
            return
        converted = self.convert(config, files)
        if converted is not None:
            self.cache.put(key, converted)

    def convert(self, config: MkDocsConfig, files: Files) -> Converted | None:
        """MkDocs' own conversion; what it made, or None when it logged anything (not to be kept)."""
        lookups = _Lookups(files)
        with _logged() as logged:
            super().render(config, cast(Files, lookups))
        return self._converted(lookups.seen) if logged.count == 0 else None

    def _converted(self, lookups: dict[str, list[str] | None]) -> Converted:
        return Converted(
            content=self.content or "",
            toc=_tokens(self.toc),
            title=self._title_from_render,
            anchors=sorted(self.present_anchor_ids or ()),
            links_to_anchors={file.src_uri: dict(links) for file, links in (self.links_to_anchors or {}).items()},
            lookups=lookups,
        )

    def _apply(self, found: Converted, files: Files) -> None:
        self.content = found.content
        self.toc = get_toc(cast(Any, found.toc))
        self._title_from_render = found.title
        self.present_anchor_ids = set(found.anchors)
        linked = {files.get_file_from_path(uri): links for uri, links in found.links_to_anchors.items()}
        self.links_to_anchors = {file: dict(links) for file, links in linked.items() if file is not None}


def _tokens(toc: Any) -> list[dict[str, Any]]:
    """The table of contents back as Python-Markdown's tokens (what ``get_toc`` reads)."""
    return [{"level": link.level, "id": link.id, "name": link.title, "children": _tokens(link.children)} for link in toc]


def settings_digest(config: MkDocsConfig) -> str:
    """What a page's conversion depends on besides its own Markdown, path and URL (raises Unkeyable for
    a setting of unknown kind)."""
    versions = {name: package_version(name) for name in _CONVERTERS}
    # in order: extensions that register a processor at the same priority run in the order they were given
    sources = [[str(name), _source_digest(str(name))] for name in config.markdown_extensions]
    # MkDocs records a page's links to anchors (for validation) only when its log is not at DEBUG
    anchors_kept = logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG
    parts = [versions, generator.__version__, sources, plain(config.mdx_configs), config.use_directory_urls, anchors_kept]
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()


def _source_digest(module: str) -> str:
    """The extension module's own code (an extension of this site, or of a package being edited)."""
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return ""
    return file_digest(spec.origin if spec is not None else None)


# --- Converting ahead, on all cores. MkDocs converts one page after another; on a build that finds
# few pages in the cache, forked workers convert them first (each page as MkDocs would: its source
# read, every plugin's on_page_markdown, then the conversion), and MkDocs' own loop then finds them
# in the cache. A page whose Markdown comes out differently in MkDocs' loop (a plugin with state)
# has another key, and is converted there as usual.

_SHARES: tuple[Callable[..., Any], tuple[Any, ...]] | None = None  # set before the fork; read by the workers


def forking(workers: int) -> bool:
    """Whether ``workers`` processes would be forked here (two or more, where fork exists)."""
    return workers >= 2 and "fork" in multiprocessing.get_all_start_methods()


def in_forked_shares(work: Callable[..., T], state: tuple[Any, ...], workers: int) -> list[T]:
    """``work(*state, first, step)`` in ``workers`` forked processes, one share each (``first`` from 0 to
    ``workers`` - 1, ``step`` = ``workers``: each takes every step-th page); their results. The state
    reaches the workers by the fork, not pickled (``forking`` must hold)."""
    global _SHARES
    _SHARES = (work, state)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return pool.map(_run_share, [(first, workers) for first in range(workers)])
    finally:
        _SHARES = None


def _run_share(share: tuple[int, int]) -> Any:
    assert _SHARES is not None
    work, state = _SHARES
    return work(*state, *share)


def convert_ahead(pages: list[CachedPage], config: MkDocsConfig, files: Files, workers: int) -> int:
    """Convert, in ``workers`` forked processes, the pages the cache lacks; how many were converted."""
    if not pages or not forking(workers):
        return 0
    done = in_forked_shares(_convert_share, (pages, config, files), workers)
    cache = pages[0].cache
    for key, converted in itertools.chain.from_iterable(done):
        cache.put(key, converted, write=False)  # the worker wrote it
    return sum(map(len, done))


def _convert_share(pages: list[CachedPage], config: MkDocsConfig, files: Files, first: int, step: int) -> list[tuple[str, Converted]]:
    """In a worker: every ``step``-th page from ``first`` (pages of all kinds in each share)."""
    for logger in (logging.getLogger(), logging.getLogger("mkdocs")):
        logger.handlers.clear()  # MkDocs' loop logs what its pages say; the workers stay quiet
    done = []
    for page in pages[first::step]:
        config._current_page = page  # as MkDocs sets it while it reads and converts a page
        page.read_source(config)
        page.markdown = config.plugins.on_page_markdown(page.markdown or "", page=page, config=config, files=files)
        key = page.cache.key(page)
        if not page.cache.has(key) and (converted := page.convert(config, files)) is not None:
            page.cache.put(key, converted)
            done.append((key, converted))
    config._current_page = None
    return done
