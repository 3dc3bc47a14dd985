"""The site search indexed in runs kept between builds: Pagefind re-reads only the runs whose pages changed.

A build that keeps a folder between builds (the MkDocs plugin's ``cache_dir``) passes it to
``search.index_site``, which hands the pages to ``index_runs``: each page's path and the digest of its
copy as Pagefind reads it (``search_pages``, which keeps the copies in PAGES, beside the runs).
The pages are split into runs by a rule that moves no other page when one is added or removed (a hash of
the page's path, modulo the number of runs); a run's key is a digest of its pages (paths and the digests
of their copies), Pagefind's version and the options it is given. A run whose key has a kept index is not
indexed again; the others get their pages' copies and are indexed by Pagefind (at the same time, up to
one per core) and kept. The runs' indexes are
then merged into one as ``search._merge`` merges a large site's runs: the same pages give the same bytes,
whether their runs were kept or made fresh.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from generator.replace_file import remove
from generator.versions import package_version

RUN_PAGES = 500  # pages of one run, about: an edit re-indexes its run's pages (≈ 0.5 s at 500)
FORMAT = "2"  # this module's layout of a kept run and of its key; a change makes every kept run stale
PAGES = "pages"  # in the kept folder beside the runs: each page as the search reads it (search_pages.py)
PIECES = "pieces"  # and the pieces of the last index's word index (search._rechunk)
BESIDE = (PAGES, PIECES)  # the folders in the kept folder that are not runs
MANIFEST = "manifest.json"  # a kept run's files and their digests, beside its index
INDEX = "pagefind"  # a kept run's index, in its folder
JOBS = 0  # Pagefind processes at once when several runs are missing (0: one per core)


@dataclass(frozen=True)
class Run:
    """One run: its pages (paths in the site, in order) and its key (the name of its kept folder)."""

    pages: list[Path]
    key: str


def run_count(pages: int) -> int:
    """How many runs ``pages`` pages are split into: about RUN_PAGES each, at least one."""
    return max(1, math.ceil(pages / RUN_PAGES))


def run_of(rel: Path, count: int) -> int:
    """The run of the page at ``rel`` among ``count``: a hash of its path, so it stays in its run when
    other pages come and go (unless the number of runs changes)."""
    return int.from_bytes(hashlib.sha256(rel.as_posix().encode()).digest()[:8], "big") % count


def _options(excluded: list[str]) -> bytes:
    """What else a run's index depends on: Pagefind's version, the options given, this module's layout."""
    versions = []
    for package in ("pagefind", "pagefind_bin", "pagefind_bin_extended"):
        versions.append(f"{package}={package_version(package) or '-'}")
    return json.dumps([FORMAT, versions, excluded]).encode()


def plan(pages: dict[Path, str], excluded: list[str]) -> list[Run]:
    """The runs of ``pages`` (each page's path in the site and the digest of its copy), each with its key
    (``excluded``: the selectors Pagefind is told to leave out)."""
    count = run_count(len(pages))
    members: list[list[Path]] = [[] for _ in range(count)]
    for rel in pages:
        members[run_of(rel, count)].append(rel)
    options = _options(excluded)
    runs = []
    for listed in members:
        if not listed:
            continue
        digest = hashlib.sha256(options)
        for rel in sorted(listed):
            name = rel.as_posix().encode()
            digest.update(len(name).to_bytes(8, "big") + name + bytes.fromhex(pages[rel]))
        runs.append(Run(sorted(listed), digest.hexdigest()[:32]))
    return runs


def _files(index: Path) -> dict[str, str]:
    """Every file of an index folder and its SHA-256."""
    return {
        path.relative_to(index).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(index.rglob("*"))
        if path.is_file()
    }


def usable(folder: Path) -> bool:
    """Whether the kept run in ``folder`` is whole: its manifest readable, its files there as written."""
    try:
        listed = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return isinstance(listed, dict) and bool(listed) and _files(folder / INDEX) == listed
    except (OSError, ValueError):
        return False


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


Copy = Callable[[Path], bytes]  # a page's copy, as Pagefind reads it, by its path in the site


def _copies(copy: Copy, run: Run, scratch: Path) -> Path:
    """The copies of the run's pages written into a folder of ``scratch`` with the site's layout; that folder."""
    pages = scratch / run.key
    for rel in run.pages:
        (pages / rel).parent.mkdir(parents=True, exist_ok=True)
        (pages / rel).write_bytes(copy(rel))
    return pages


def _made(pages: Path, run: Run, kept: Path, pagefind: Callable[[Path, Path], None]) -> Path:
    """The run indexed by Pagefind (its pages' copies in ``pages``) and kept in ``kept/<key>/`` (written
    beside it, then renamed into place); its index folder."""
    folder = kept / run.key
    work = Path(tempfile.mkdtemp(prefix=f".{run.key}-", dir=kept))
    try:
        pagefind(pages, work / INDEX)
        (work / MANIFEST).write_text(json.dumps(_files(work / INDEX), sort_keys=True), encoding="utf-8")
        remove(folder)  # a damaged run of the same key
        os.replace(work, folder)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return folder / INDEX


Merge = Callable[[list[Path], Path], dict[str, list[bytes]]]


def index_runs(
    pages: dict[Path, str],
    copy: Copy,
    scratch: Path,
    output: Path,
    kept: Path,
    pagefind: Callable[[Path, Path], None],
    merge: Merge,
    excluded: list[str],
) -> dict[str, list[bytes]] | None:
    """Index ``pages`` (each page's path and the digest of its copy) into ``output`` from the runs kept in
    ``kept``, making the missing ones with ``pagefind`` (pages, output) over their copies (``copy``, written
    to ``scratch``), merged by ``merge`` (``search._merge``); removes the kept runs not used (and leaves
    PAGES and PIECES). Returns the merged words for ``search._rechunk``
    (None: one run, its index copied as Pagefind wrote it). A ``kept`` that cannot be written (a read-only
    cache) keeps nothing: the runs are made in a temporary folder, and the build goes on."""
    try:
        kept.mkdir(parents=True, exist_ok=True)
        writable = os.access(kept, os.W_OK)
    except OSError:
        writable = False
    if not writable:
        with tempfile.TemporaryDirectory(prefix="rn-search-runs-") as tmp:
            return index_runs(pages, copy, scratch, output, Path(tmp), pagefind, merge, excluded)
    runs = plan(pages, excluded)
    missing = [run for run in runs if not usable(kept / run.key)]
    if missing:
        folders = [_copies(copy, run, scratch) for run in missing]
        with ThreadPoolExecutor(max_workers=min(len(missing), JOBS or _cores())) as pool:  # each thread waits on its Pagefind process
            list(pool.map(lambda made: _made(made[0], made[1], kept, pagefind), zip(folders, missing, strict=True)))
    parts = [kept / run.key / INDEX for run in runs]
    if len(parts) == 1:
        shutil.rmtree(output, ignore_errors=True)
        shutil.copytree(parts[0], output, ignore=shutil.ignore_patterns("fragment"))  # rewritten after: copied
        (output / "fragment").mkdir()
        for fragment in (parts[0] / "fragment").iterdir():
            placed(fragment, output / "fragment" / fragment.name)
        merged = None
    else:
        merged = merge(parts, output)
    used = {run.key for run in runs} | set(BESIDE)
    for folder in kept.iterdir():
        if folder.name not in used:
            remove(folder)
    return merged


def placed(source: Path, target: Path) -> bool:
    """``source`` hard-linked as ``target`` (a kept run's fragment: nothing writes a fragment again; 5,173
    pages: ~1-2 s of writes saved), or copied where it cannot be; False if ``target`` exists already."""
    try:
        os.link(source, target)
    except FileExistsError:
        return False
    except OSError:  # another file system (the runs of a large site, in memory), or no links there
        if target.exists():
            return False
        shutil.copyfile(source, target)
    return True
