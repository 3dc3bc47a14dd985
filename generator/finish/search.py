"""The site search: a Pagefind index of the built site, written into its ``pagefind/`` folder.

It runs after the build over the HTML output, so it is the same on every engine that writes
Material-like pages (an ``<article class="md-content__inner …">`` holding the page's text):
the MkDocs plugin calls ``index_site`` from ``on_post_build``; any other build calls it on its
output folder. Pagefind splits the index into small pieces, so a reader's browser downloads only
the pieces a query needs, and nothing before the first query.

What is indexed: paper pages (their header — title, short names, authors, venue, year, tags,
summary — and the note) and hand-written pages. Generated listings mark themselves
``data-rn-unsearched`` and are skipped; the generated blocks of a paper page (related papers,
Cite, Referenced by, lineage, reading-path steps) are left out by their classes (``EXCLUDED``).
"""

from __future__ import annotations

import atexit
import contextlib
import gzip
import hashlib
import heapq
import io
import itertools
import json
import logging
import marshal
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cbor2

from generator.finish import search_pages, search_runs, search_words
from generator.finish.search_words import Vocabulary, page_words
from generator.render.pages import UNSEARCHED
from generator.replace_file import read_checked, remove, replace_checked
from generator.versions import package_version

OUTPUT = "pagefind"  # the folder of the index and its scripts, in the site
# the element whose text a page is searched by, the same on mkdocs-material and Zensical
_ARTICLE = re.compile(r'<article\s+class="md-content__inner[^"]*"')
_HTML_TAG = re.compile(r"<html\b[^>]*>")
# the generated blocks below a note and their headings: they repeat what other pages say
EXCLUDED = [
    ".rn-related",
    ".rn-cite",
    ".rn-refby",
    ".rn-lineage",
    ".rn-path-nav-group",
    "h2#related-papers",
    "h2#cite",
    "h2#referenced-by",
    "h2#lineage",
    ".rn-dash-totals",
    ".rn-chart",
    ".rn-chart__data",
    ".rn-recent",
    ".rn-tag-cloud",
    ".rn-grid-wrap",
    ".rn-papers",  # the home page's lists
    ".rn-tags",
    ".headerlink",  # tag chips run together (#a#b): the header's hidden line holds the tags as words
]
# the hidden paragraph of facets and result fields, or a run of text between two tags
_TEXT = re.compile(r'(<p class="rn-index-facets".*?</p>)|(?<=>)[^<]+', re.DOTALL)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


@dataclass(frozen=True)
class SearchIndex:
    pages: int  # pages indexed
    skipped: int  # HTML pages not indexed (listings, pages without an article)


def searchable(page_html: str) -> str | None:
    """The page as Pagefind should read it, or None to skip it: its article alone (marked as the
    searched body) in a document with the page's ``<html>`` tag (its language). Pagefind reads only
    the marked body, so the theme's header, navigation and footer around it are left out of the
    copy: the same index, in a third less time (10,173 pages: 28 → 18 s)."""
    if UNSEARCHED in page_html:
        return None
    found = _ARTICLE.search(page_html)
    end = page_html.rfind("</article>")
    html_tag = _HTML_TAG.search(page_html)
    if found is None or end < found.end() or html_tag is None:  # 404 page, redirect pages
        return None
    article = page_html[found.start() : found.end()] + " data-pagefind-body" + page_html[found.end() : end] + "</article>"
    return _cut_chinese(f'<!doctype html>{html_tag.group(0)}<head><meta charset="utf-8"></head><body>{article}</body></html>')


def _cut_chinese(page_html: str) -> str:
    """Chinese text cut into words (jieba) with spaces, so that a query for one word finds it.

    Pagefind segments Chinese only on pages whose language is Chinese; this site's pages are
    English with Chinese passages. Only text between tags changes, and not the paper's facets and
    result fields (``rn-index-facets``): the results show its title and tags as written.
    """
    if _CJK.search(page_html) is None:
        return page_html
    import jieba  # a pinned dependency; imported only when a page has Chinese text

    jieba.setLogLevel(logging.WARNING)  # no chatter about its dictionary on every build

    def words(m: re.Match[str]) -> str:
        return " " + " ".join(w for w in jieba.cut(m.group(0), HMM=False) if w.strip()) + " "

    def text(m: re.Match[str]) -> str:
        return m.group(0) if m.group(1) else _CJK.sub(words, m.group(0))

    return _TEXT.sub(text, page_html)


def index_site(site_dir: str | Path, kept: Path | None = None) -> SearchIndex:
    """Index the built site in ``site_dir`` with Pagefind; writes ``site_dir/pagefind/``.

    The pages to index are copied, as Pagefind should read them (``searchable``), into a temporary
    folder with the site's layout (``_scratch``: in memory where it can), which Pagefind's binary then
    reads on its own (one call instead of one round trip per page): the built pages themselves are left
    as they are. Beside the index, the list of words for "did you mean" (``search_words``). Given a
    folder ``kept`` between builds, the pages are indexed in runs kept there, only changed runs again
    (``search_runs``), and each page's copy and words are kept there too, only changed pages made again
    (``search_pages``).
    """
    site = Path(site_dir).resolve()
    paths = [path for path in sorted(site.rglob("*.html")) if _indexable(path.relative_to(site))]
    if kept is not None:
        return _index_kept(site, paths, Path(kept))
    pages = skipped = 0
    vocabulary = Vocabulary()
    with tempfile.TemporaryDirectory(prefix="rn-search-", dir=_scratch(sum(path.stat().st_size for path in paths))) as tmp:
        copies, written = Path(tmp, "pages"), []
        for path in paths:
            rel = path.relative_to(site)
            page_html = path.read_text(encoding="utf-8", errors="replace")
            content = searchable(page_html)
            if content is None:
                skipped += 1
                continue
            copy = copies / rel
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_text(content, encoding="utf-8")
            vocabulary.add(page_html)
            written.append(rel)
        pages = len(written)
        if pages == 0:  # nothing to search (Pagefind refuses an empty folder): no index, and nothing to find
            return SearchIndex(pages, skipped)
        folders, merged = _shards(copies, written), None
        if len(folders) == 1:
            _index(copies, site / OUTPUT)
        else:
            parts = [Path(tmp, f"index-{n}") for n in range(len(folders))]
            for folder, part in zip(folders, parts, strict=True):
                _index(folder, part)
            merged = _merge(parts, site / OUTPUT)
    _finish(site / OUTPUT, merged, vocabulary)
    return SearchIndex(pages, skipped)


def _index_kept(site: Path, paths: list[Path], kept: Path) -> SearchIndex:
    """``index_site`` with a folder kept between builds: each page looked up in ``search_pages`` by its
    bytes (a changed page's copy and words made now), then indexed in runs (``search_runs``)."""
    store = search_pages.PageStore(kept / search_runs.PAGES, _page_code(), _prepared)
    vocabulary, pages, skipped = Vocabulary(), {}, 0
    for path in paths:
        rel = path.relative_to(site)
        page = store.page(path)
        if page.copy is None:
            skipped += 1
            continue
        vocabulary.add_words(page.words)
        pages[rel] = page.copy
    if not pages:  # nothing to search (Pagefind refuses an empty folder): no index, and nothing to find
        return SearchIndex(0, skipped)
    with tempfile.TemporaryDirectory(prefix="rn-search-", dir=_scratch(sum(path.stat().st_size for path in paths))) as tmp:
        merged = search_runs.index_runs(
            pages, lambda rel: store.copy(pages[rel]), Path(tmp), site / OUTPUT, kept, _index, _kept_merge, EXCLUDED
        )
    store.save()
    _finish(site / OUTPUT, merged, vocabulary, kept / search_runs.PIECES)
    return SearchIndex(len(pages), skipped)


def _kept_merge(parts: list[Path], output: Path) -> dict[str, list[bytes]]:
    return _merge(parts, output, keep_words=True)


def _prepared(page_html: str) -> tuple[str | None, list[str]]:
    """A page's copy as Pagefind should read it (None: not searched) and its words for "did you mean"."""
    content = searchable(page_html)
    return content, ([] if content is None else page_words(page_html))


def _page_code() -> str:
    """A digest of what a page's copy and words depend on besides the page: the code that makes them
    (this module, search_words.py and search_pages.py, as written), jieba's version (its dictionary), the
    listings' mark."""
    digest = hashlib.sha256(f"{UNSEARCHED}\0{package_version('jieba') or '-'}\0".encode())
    for module in (__file__, search_words.__file__, search_pages.__file__):
        digest.update(Path(module).read_bytes())
    return digest.hexdigest()


def _finish(output: Path, merged: dict[str, list[bytes]] | None, vocabulary: Vocabulary, kept: Path | None = None) -> None:
    """The index made ready to ship (words cut into small pieces, their files kept in ``kept`` if given;
    filters in a fixed order, only the WebAssembly it uses) and the "did you mean" list written beside it."""
    _rechunk(output, merged, kept)
    _stable_filters(output)
    _only_used_wasm(output)
    vocabulary.write(output)


def _indexable(rel: Path) -> bool:
    return rel.parts[0] != OUTPUT and rel.as_posix() != "404.html"  # the index itself; "not found"


MEMORY_FOLDER = Path("/dev/shm")  # Linux's file system in memory


def _scratch(size: int) -> str | None:
    """Where the copies of the pages go: the file system in memory when there is one with room for
    ``size`` bytes twice over and TMPDIR names no other folder; else (None) the temporary folder.

    Thousands of small files are written, read once by Pagefind and removed: on a disk, creating and
    removing their folders and files took longer than writing them (1,174 pages: 1.0 s of 4.0)."""
    if os.environ.get("TMPDIR") or not os.access(MEMORY_FOLDER, os.W_OK):
        return None
    return str(MEMORY_FOLDER) if shutil.disk_usage(MEMORY_FOLDER).free > 2 * size else None


class IndexOnce:
    """The site indexed on a watch loop's first build only (`mkdocs serve`): an edit then shows in
    about a second, not after a re-index. Later builds get a copy of that index (kept in a temporary
    folder, removed when the process ends) when theirs is missing."""

    def __init__(self) -> None:
        self.kept: Path | None = None

    def index(self, site_dir: str | Path) -> SearchIndex | None:
        """``index_site`` on the first call; later, the first index copied back (None: not indexed)."""
        index = Path(site_dir) / OUTPUT
        if self.kept is not None:
            if not index.exists():
                shutil.copytree(self.kept, index)
            return None
        found = index_site(site_dir)
        self.kept = Path(tempfile.mkdtemp(prefix="rn-search-serve-")) / OUTPUT
        atexit.register(shutil.rmtree, self.kept.parent, True)
        shutil.copytree(index, self.kept)
        return found


def _index(pages: Path, output: Path) -> None:
    """Pagefind's command line over ``pages``, writing ``output``.

    Not its Python service: that one stops the binary (SIGTERM) as soon as the "write files" reply
    arrives, and on a busy machine files were then found cut short (``pagefind-ui.js`` at exactly
    64 KiB, an empty ``pagefind-entry.json``) in a build that passed. The command line exits only
    when every file is written; what it wrote is then checked before anything reads it.
    """
    shutil.rmtree(output, ignore_errors=True)
    command = [sys.executable, "-m", "pagefind", "--site", str(pages), "--output-path", str(output), "--quiet"]
    for selector in EXCLUDED:
        command += ["--exclude-selectors", selector]
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    if run.returncode != 0:
        raise SearchIndexError(f"Pagefind failed (exit {run.returncode}): {' '.join((run.stderr or run.stdout).split())[:500]}")
    try:
        entry = json.loads((output / "pagefind-entry.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise SearchIndexError(f"Pagefind wrote no readable pagefind-entry.json: {error}") from error
    for lang in entry.get("languages", {}).values():
        meta = output / f"pagefind.{lang['hash']}.pf_meta"
        if not meta.is_file():
            raise SearchIndexError(f"Pagefind's index names {meta.name}, which it did not write")


class SearchIndexError(RuntimeError):
    """Pagefind did not write a whole index (the build stops: a site with a broken search is not shipped)."""


# --- Pagefind holds every page's words and places until it writes the index: its memory grows with the
# pages, about 190 KB a page (10,174 pages: 2.0 GB, twice what MkDocs itself needs). A site of more than
# SHARD_PAGES pages is indexed in runs of at most that many pages (in path order), one after another,
# and their indexes are merged into one, as one run over the same pages in the same order writes it:
# the pages listed one run after another (a page's number moved on by the pages before its run), each
# word's pages (and those of its spellings with accents) one run after another, each filter value's too
# (a word's page numbers are written as steps from the one before: only a run's first step changes);
# a page's fragment is its own file. A reader's search is then the same, and downloads the same.

SHARD_PAGES = 6_000  # pages of one Pagefind run at most (≈ 1.1 GB; 10,174 pages: two runs, 1.0 GB)


def _shards(copies: Path, pages: list[Path]) -> list[Path]:
    """The folders Pagefind indexes, one run each: ``copies`` alone, or (more than SHARD_PAGES pages)
    ``copies`` keeping the first of n equal runs of ``pages`` and a folder beside it for each other run,
    the run's copies moved there."""
    count = -(-len(pages) // SHARD_PAGES)
    folders = [copies]
    for n in range(1, count):
        folder = copies.with_name(f"{copies.name}-{n}")
        for rel in pages[n * len(pages) // count : (n + 1) * len(pages) // count]:
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (copies / rel).rename(folder / rel)
        folders.append(folder)
    return folders


def _pagefind_hash(data: bytes) -> str:
    """Pagefind's name for a file's content: its SHA-1, each byte in hex without a leading zero."""
    return "".join(f"{byte:x}" for byte in hashlib.sha1(data).digest())


def _merge(parts: list[Path], output: Path, keep_words: bool = False) -> dict[str, list[bytes]]:
    """The indexes in ``parts`` (Pagefind's, of runs over pages in order) as one index in ``output``, but
    for its word index: each language's words (CBOR items, in order), for ``_rechunk`` to cut. With
    ``keep_words`` (runs kept between builds), each run's words as read are kept beside it (``_run_words``)."""
    shutil.rmtree(output, ignore_errors=True)
    shutil.copytree(parts[0], output, ignore=shutil.ignore_patterns("*.pf_meta", "index", "filter", "fragment"))
    for folder in ("index", "filter", "fragment"):
        (output / folder).mkdir()
    for part in parts[1:]:  # the scripts are the same in every run; the WebAssembly of its languages
        for wasm in part.glob("wasm.*.pagefind"):
            if not (output / wasm.name).exists():
                shutil.copyfile(wasm, output / wasm.name)
    entries = [json.loads((part / "pagefind-entry.json").read_text(encoding="utf-8")) for part in parts]
    languages = sorted({lang for e in entries for lang in e["languages"]})
    items, words = {}, {}
    for lang in languages:
        runs = [(part, e["languages"][lang]) for part, e in zip(parts, entries, strict=True) if lang in e["languages"]]
        items[lang], words[lang] = _merge_language(lang, runs, output, keep_words)
    entry = {**entries[0], "languages": items}
    (output / "pagefind-entry.json").write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return words


@dataclass(frozen=True)
class _Run:
    """One Pagefind run's index of a language, as merged: its folder and metadata ([version, pages,
    word index pieces, filters, sorts, meta fields]), the pages of the runs before it, and where its
    meta fields are in the merged list (None: the same list)."""

    folder: Path
    meta: list
    offset: int
    fields: list[int] | None


def _merge_language(lang: str, parts: list[tuple[Path, dict]], output: Path, keep_words: bool = False) -> tuple[dict, list[bytes]]:
    """One language's index of the runs in ``parts`` written to ``output`` (its word index left for
    ``_rechunk``): its pagefind-entry.json item, and its words."""
    metas = [cbor2.loads(_read(part / f"pagefind.{item['hash']}.pf_meta")[len(_SIGNATURE) :]) for part, item in parts]
    if any(len(meta) != 6 or meta[4] for meta in metas):
        raise SearchIndexError(f"Pagefind's index of {lang} has sorts or another layout than 1.5.2's: it cannot be merged")
    fields = sorted({field for meta in metas for field in meta[5]})
    offsets = itertools.accumulate((len(meta[1]) for meta in metas), initial=0)
    runs = [
        _Run(part, meta, offset, None if meta[5] == fields else [fields.index(field) for field in meta[5]])
        for (part, _item), meta, offset in zip(parts, metas, offsets, strict=False)
    ]
    pages = [page for run in runs for page in _fragments(run.folder, run.meta[1], output)]
    filters = _merged_filters(lang, runs, output)
    meta = _SIGNATURE + cbor2.dumps([metas[0][0], pages, [], filters, [], fields])
    meta_hash = f"{lang}_{hashlib.sha256(meta).hexdigest()[:10]}"
    _write(output / f"pagefind.{meta_hash}.pf_meta", meta)
    return {"hash": meta_hash, "wasm": parts[0][1]["wasm"], "page_count": len(pages)}, _merged_words(runs, lang, keep_words)


def _fragments(part: Path, pages: list[list], output: Path) -> list[list]:
    """The run's page fragments copied to ``output``; its pages ([fragment, word count]), a fragment
    renamed (a longer part of its hash, as Pagefind does in one run) where another run's has its name."""
    listed = []
    for name, word_count in pages:
        source = part / "fragment" / f"{name}.pf_fragment"
        target = output / "fragment" / f"{name}.pf_fragment"
        data = None if search_runs.placed(source, target) else source.read_bytes()
        if data is not None and target.read_bytes() != data:  # rare: 7 hex digits of 10,000 pages' hashes
            lang, digest = name.split("_", 1)
            full = _pagefind_hash(gzip.decompress(data)[len(_SIGNATURE) :])
            taken = {path.stem for path in (output / "fragment").glob(f"{lang}_{digest}*.pf_fragment")}
            name = next(f"{lang}_{full[:n]}" for n in range(len(digest) + 1, len(full) + 1) if f"{lang}_{full[:n]}" not in taken)
            (output / "fragment" / f"{name}.pf_fragment").write_bytes(data)
        listed.append([name, word_count])
    return listed


# one word of a run: (word, its CBOR item, whether it lists no other spellings, its last page's number less
# its first's: the last two None until a merge needs them)
_Word = tuple[str, bytes, bool | None, int | None]
_RUN_WORDS = "rn-words-{lang}.marshal"  # beside a kept run's index: its words of a language, as merged
_RUN_WORDS_FORMAT = f"1 {sys.version_info[:2]} {marshal.version}"  # marshal's format is Python's


def _run_words(run: _Run, lang: str, keep: bool) -> tuple[list[_Word], bool]:
    """The run's words in order, and whether they were kept whole. With ``keep``, read from beside the kept
    run when a merge before wrote them there (``_keep_run_words``: the digest on the first line, for this
    run's pieces, by this Python's marshal), else read from its pieces (the next deploy reads 2 of 3 runs'
    words so: no gzip, no CBOR walk, and what a merge found of them, no regular expression)."""
    pieces = [name for _from, _to, name in run.meta[2]]
    if keep:
        try:
            body = read_checked(run.folder.parent / _RUN_WORDS.format(lang=lang))
            if body is not None:
                kept_format, kept_pieces, words = marshal.loads(body)
                if kept_format == _RUN_WORDS_FORMAT and kept_pieces == pieces:
                    return words, True
        except (OSError, ValueError, EOFError, TypeError):
            pass
    words = []
    for name in pieces:
        chunk = _read(run.folder / "index" / f"{name}.pf_index")
        words_at, _one = _cbor_head_at(chunk, len(_SIGNATURE))
        words += [(_cbor_text_at(chunk, a + 1), chunk[a:b], None, None) for a, b in _cbor_array(chunk, words_at)[1]]
    return words, False


def _keep_run_words(run: _Run, lang: str, words: list[_Word]) -> None:
    """The run's words written beside it for ``_run_words`` (a folder that cannot be written: read again next time)."""
    body = marshal.dumps((_RUN_WORDS_FORMAT, [name for _from, _to, name in run.meta[2]], words))
    with contextlib.suppress(OSError):
        replace_checked(run.folder.parent / _RUN_WORDS.format(lang=lang), body)


class _Found:
    """The runs' words as a merge reads them; what it finds of a word (``plain``, ``step``) is noted in its
    tuple, and the run's words marked changed."""

    def __init__(self, words: list[list[_Word]]) -> None:
        self.words, self.changed = words, [False] * len(words)

    def plain(self, n: int, i: int) -> bool:
        word = self.words[n][i]
        if word[2] is not None:
            return word[2]
        plain = _without_spellings(word[1])
        self.words[n][i], self.changed[n] = (word[0], word[1], plain, word[3]), True
        return plain

    def step(self, n: int, i: int) -> int:
        word = self.words[n][i]
        if word[3] is not None:
            return word[3]
        step = _last_step(word[1])
        self.words[n][i], self.changed[n] = (word[0], word[1], word[2], step), True
        return step


def _entries(n: int, words: list[_Word]) -> Iterator[tuple[str, int, int]]:
    """The ``n``-th run's words in order: (word, n, where in ``words``)."""
    for i, word in enumerate(words):
        yield word[0], n, i


def _merged_words(runs: list[_Run], lang: str = "", keep: bool = False) -> list[bytes]:
    """Every word of the runs, in order, with its pages (and its spellings' pages) of every run (``keep``:
    each run's words kept beside it, ``_run_words``)."""
    read = [_run_words(run, lang, keep) for run in runs]
    found = _Found([words for words, _whole in read])
    merged = []
    entries = heapq.merge(*(_entries(n, words) for n, words in enumerate(found.words)))
    for word, group in itertools.groupby(entries, key=lambda entry: entry[0]):
        at = [(n, i) for _word, n, i in group]
        if len(at) == 1 and runs[at[0][0]].offset == 0 and runs[at[0][0]].fields is None:
            merged.append(found.words[at[0][0]][at[0][1]][1])  # as the first run wrote it
            continue
        if all(found.plain(n, i) and runs[n].fields is None for n, i in at):  # most words
            last = len(at) - 1
            merged.append(
                _joined_items([(found.words[n][i][1], runs[n], found.step(n, i) if k < last else None) for k, (n, i) in enumerate(at)])
            )
            continue
        pages: list[tuple[list, _Run]] = []
        spellings: dict[str, list[tuple[list, _Run]]] = {}
        for n, i in at:
            _text, on, spelled = cbor2.loads(found.words[n][i][1])
            pages.append((on, runs[n]))
            for spelling, spelled_on in spelled:
                spellings.setdefault(spelling, []).append((spelled_on, runs[n]))
        merged.append(cbor2.dumps([word, _joined(pages), [[spelling, _joined(on)] for spelling, on in spellings.items()]]))
    for run, words, (_words, whole), changed in zip(runs, found.words, read, found.changed, strict=True):
        if keep and (changed or not whole):
            _keep_run_words(run, lang, words)
    return merged


# a word's list of pages, read by a regular expression (the C of Python's re, not an item at a time): one
# page is [number, [places], [places in meta fields]], numbers only, each a CBOR head and its bytes
_NUMBER = rb"(?:[\x00-\x17\x20-\x37]|[\x18\x38].|[\x19\x39]..|[\x1a\x3a].{4}|[\x1b\x3b].{8})"
_ARRAY = rb"(?:[\x80-\x97]|\x98.|\x99..|\x9a.{4})"
_PAGES = re.compile(rb"(?:\x83" + _NUMBER + _ARRAY + _NUMBER + rb"*" + _ARRAY + _NUMBER + rb"*)*", re.DOTALL)


def _pages_end(item: bytes) -> int:
    """Where the list of pages of a word's CBOR item ([word, [page, …], [spelling, …]]) ends."""
    text_at, length = _cbor_head_at(item, 1)
    pages_at, _count = _cbor_head_at(item, text_at + length)
    found = _PAGES.match(item, pages_at)
    assert found is not None  # the pattern matches no page too
    return found.end()


def _without_spellings(item: bytes) -> bool:
    """Whether a word's CBOR item lists no other spellings (the empty list after its pages ends it)."""
    return _pages_end(item) == len(item) - 1 and item[-1] == 0x80


def _last_step(item: bytes) -> int:
    """A word's last page's number less its first's, in its CBOR item without spellings (the sum of its
    pages' steps after the first)."""
    text_at, length = _cbor_head_at(item, 1)
    return sum(page[0] for page in cbor2.loads(item[text_at + length : -1])[1:])


def _joined_items(items: list[tuple[bytes, _Run, int | None]]) -> bytes:
    """The CBOR items of one word without spellings in several runs, joined into one as ``_joined`` does,
    but on the bytes: a run's pages are copied, their first number changed; only the pages of a run that
    another follows are decoded (for the number of its last page), unless that is known (``_last_step``)."""
    text_at, length = _cbor_head_at(items[0][0], 1)
    text = items[0][0][1 : text_at + length]
    joined, count, last = [], 0, 0
    for n, (item, run, step) in enumerate(items):
        pages_at, pages = _cbor_head_at(item, 1 + len(text))
        if pages == 0:
            continue
        rest, first = _cbor_head_at(item, pages_at + 1)  # the first page: [number, places, meta places]
        first += run.offset
        joined += [b"\x83", _cbor_head(0, first - last), item[rest:-1]]
        count += pages
        if n < len(items) - 1:
            last = first + (_last_step(item) if step is None else step)
    return b"".join([b"\x83", text, _cbor_head(4, count), *joined, b"\x80"])


def _joined(runs: list[tuple[list, _Run]]) -> list:
    """One list of a word's pages from the runs' lists. A page is [number, [places], [places in the meta
    fields: a field's number -(n + 1), then places]]; each page number but the first is less the one
    before (Pagefind's), so a run's first number is what changes."""
    joined: list = []
    last = 0
    for pages, run in runs:
        if run.fields is not None:
            pages = [[page[0], page[1], [-run.fields[-at - 1] - 1 if at < 0 else at for at in page[2]]] for page in pages]
        if pages:
            first = pages[0][0] + run.offset
            joined += [[first - last, *pages[0][1:]], *pages[1:]]
            last = first + sum(page[0] for page in pages[1:])
    return joined


def _merged_filters(lang: str, runs: list[_Run], output: Path) -> list[list[str]]:
    """Each filter's values with their pages of every run, written to ``output``; the meta's [[filter, file]]."""
    values: dict[str, dict[str, list[int]]] = {}
    for run in runs:
        for _name, file in run.meta[3]:
            name, on = cbor2.loads(_read(run.folder / "filter" / f"{file}.pf_filter")[len(_SIGNATURE) :])
            for value, pages in on:
                values.setdefault(name, {}).setdefault(value, []).extend(page + run.offset for page in pages)
    listed = []
    for name, pages_of in values.items():
        data = _SIGNATURE + cbor2.dumps([name, [[value, pages] for value, pages in pages_of.items()]])
        file = f"{lang}_{hashlib.sha256(data).hexdigest()[:7]}"
        _write(output / "filter" / f"{file}.pf_filter", data)
        listed.append([name, file])
    return listed


# --- Pagefind 1.5.2 writes each filter's values, and the list of filters, in a random order per run
# (hash maps): the files' bytes and names then differ between builds of the same site. The builds of
# this project are byte-identical, so the index's filter files and its metadata are put in a fixed
# order afterwards and renamed after their content (names keep Pagefind's length and form, so the
# metadata's CBOR is edited in place).


def _cbor_spans(data: bytes, start: int, count: int) -> list[tuple[int, int]]:
    """(start, end) of each of ``count`` CBOR items that follow one another from ``start``.

    cbor2's C decoder reads them; on a seekable stream it gives back what it read ahead, so the
    stream's position after an item is where that item ends (the word index of 5,000 notes: millions
    of items, a second and more in a Python walker, a tenth of that here)."""
    stream = io.BytesIO(data)
    stream.seek(start)
    decoder = cbor2.CBORDecoder(stream)
    spans = []
    for _ in range(count):
        decoder.decode()
        end = stream.tell()
        spans.append((start, end))
        start = end
    return spans


def _cbor_item_end(data: bytes, pos: int) -> int:
    """Where the CBOR item starting at ``pos`` ends."""
    return _cbor_spans(data, pos, 1)[0][1]


def _cbor_head_at(data: bytes, pos: int) -> tuple[int, int]:
    """The CBOR head at ``pos``: (where the item's content starts, its number: a length, a count)."""
    info = data[pos] & 31
    start = pos + 1 + ({24: 1, 25: 2, 26: 4, 27: 8}.get(info, 0))
    return start, info if info < 24 else int.from_bytes(data[pos + 1 : start], "big")


def _cbor_array(data: bytes, pos: int) -> tuple[int, list[tuple[int, int]]]:
    """The items of the CBOR array at ``pos``: (where its items start, [(start, end) of each item])."""
    start, count = _cbor_head_at(data, pos)
    return start, _cbor_spans(data, start, count)


def _sorted_array(data: bytes, pos: int) -> bytes:
    """``data`` with the items of the array at ``pos`` in byte order."""
    start, spans = _cbor_array(data, pos)
    end = spans[-1][1] if spans else start
    return data[:start] + b"".join(sorted(data[a:b] for a, b in spans)) + data[end:]


_SIGNATURE = b"pagefind_dcd"


def _read(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes())


def _write(path: Path, data: bytes) -> None:
    path.write_bytes(gzip.compress(data, mtime=0))


def _stable_filters(output: Path) -> None:
    """Filter values and the list of filters in a fixed order; files named after their content."""
    renamed: dict[bytes, bytes] = {}
    for path in sorted((output / "filter").glob("*.pf_filter")):
        data = _read(path)
        body = len(_SIGNATURE)
        name_end = _cbor_item_end(data, body + 1)  # [name, [[value, [pages]], …]]
        data = _sorted_array(data, name_end)
        lang, old = path.stem.split("_", 1)
        new = hashlib.sha256(data).hexdigest()[: len(old)]
        renamed[path.stem.encode()] = f"{lang}_{new}".encode()
        path.unlink()
        _write(path.with_name(f"{lang}_{new}.pf_filter"), data)
    for meta in sorted(output.glob("pagefind.*.pf_meta")):
        data = _read(meta)
        for old_key, new_key in renamed.items():
            data = data.replace(old_key, new_key)
        _start, spans = _cbor_array(data, len(_SIGNATURE))
        for a, b in reversed(spans):  # the list of [filter name, file] pairs
            if data[a] >> 5 == 4 and any(key in data[a:b] for key in renamed.values()):
                data = _sorted_array(data, a)
        prefix, old_hash = meta.name.split(".")[1].split("_", 1)
        new_hash = hashlib.sha256(data).hexdigest()[: len(old_hash)]
        meta.unlink()
        _write(meta.with_name(f"pagefind.{prefix}_{new_hash}.pf_meta"), data)
        entry = output / "pagefind-entry.json"
        entry.write_text(entry.read_text(encoding="utf-8").replace(f"{prefix}_{old_hash}", f"{prefix}_{new_hash}"), encoding="utf-8")


# --- Pagefind cuts the word index into pieces of ~20,000 word positions each, closing a piece after the
# word that fills it: a word of nearly every page (thousands of positions) then shares its piece with
# the words before it, and the next piece may start with words it is a prefix of (``memory`` →
# ``memory_cache``) and end with the next such word (``model``), so a query for one common word
# downloads two huge pieces. Re-cut: pieces of at most CHUNK_BYTES, and a word bigger than that alone
# in its own piece; a query then downloads the pieces of its own words and little more. The pieces'
# word ranges follow Pagefind's own rule (chunk_meta in its index/mod.rs), so its search finds them.

CHUNK_BYTES = 48_000  # uncompressed CBOR of one piece (~15 KB gzipped)


def _cbor_head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * size):
            return bytes([major << 5 | info]) + value.to_bytes(size, "big")
    raise ValueError(value)


def _cbor_text(text: str) -> bytes:
    data = text.encode()
    return _cbor_head(3, len(data)) + data


def _cbor_text_at(data: bytes, pos: int) -> str:
    start, length = _cbor_head_at(data, pos)
    return data[start : start + length].decode()


def _pieces(words: list[bytes]) -> list[list[bytes]]:
    pieces: list[list[bytes]] = [[]]
    size = 0
    for word in words:
        if pieces[-1] and size + len(word) > CHUNK_BYTES:
            pieces.append([])
            size = 0
        pieces[-1].append(word)
        size += len(word)
    return pieces


def _common(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _ranges(firsts: list[str], lasts: list[str]) -> list[tuple[str, str]]:
    """Each piece's (from, to): its first and last words, cut where they differ from the neighbour's."""
    ranges = [[first, last] for first, last in zip(firsts, lasts, strict=True)]
    for left, right in itertools.pairwise(ranges):
        n = _common(left[1], right[0]) + 1
        left[1], right[0] = left[1][:n], right[0][:n]
    return [(a, b) for a, b in ranges]


def _rechunk(output: Path, merged: dict[str, list[bytes]] | None = None, kept: Path | None = None) -> None:
    """The word index cut again into pieces of at most CHUNK_BYTES (a bigger word alone); a language's
    words are those ``merged`` gives, if it gives them (``_merge``), else those of Pagefind's pieces.
    Given a folder ``kept`` between builds, the pieces are kept there compressed (``_kept_piece``)."""
    used: set[str] = set()
    metas = sorted(output.glob("pagefind.*.pf_meta"))
    for meta in metas:
        data = _read(meta)
        _start, items = _cbor_array(data, len(_SIGNATURE))  # [version, pages, index chunks, filters, …]
        chunks_at, chunks_end = items[2]
        _first, old = _cbor_array(data, chunks_at)
        lang = meta.name.split(".")[1].split("_", 1)[0]
        words: list[bytes] = list((merged or {}).get(lang, []))
        for a, _b in old:
            _s, (_from, _to, (hash_at, _end)) = _cbor_array(data, a)
            path = output / "index" / f"{_cbor_text_at(data, hash_at)}.pf_index"
            chunk = _read(path)
            words_at, _one = _cbor_head_at(chunk, len(_SIGNATURE))  # [[word, …]]
            _s, spans = _cbor_array(chunk, words_at)
            words += [chunk[x:y] for x, y in spans]
            path.unlink()
        pieces = _pieces(words)
        firsts = [_cbor_text_at(piece[0], 1) for piece in pieces]  # [word, pages, spellings]: a 1-byte head
        lasts = [_cbor_text_at(piece[-1], 1) for piece in pieces]
        entries = []
        for piece, (first, last) in zip(pieces, _ranges(firsts, lasts), strict=True):
            body = _SIGNATURE + _cbor_head(4, 1) + _cbor_head(4, len(piece)) + b"".join(piece)
            digest = hashlib.sha256(body).hexdigest()
            n = 7
            while (output / "index" / f"{lang}_{digest[:n]}.pf_index").exists():
                n += 1
            name = f"{lang}_{digest[:n]}"
            if kept is None:
                _write(output / "index" / f"{name}.pf_index", body)
            else:
                used.add(_kept_piece(kept, output / "index" / f"{name}.pf_index", body))
            entries.append(_cbor_head(4, 3) + _cbor_text(first) + _cbor_text(last) + _cbor_text(name))
        new = _cbor_head(4, len(entries)) + b"".join(entries)
        _write(meta, data[:chunks_at] + new + data[chunks_end:])
    if kept is not None:
        with contextlib.suppress(OSError):  # a kept folder that cannot be written keeps what it has
            for path in kept.iterdir() if kept.is_dir() else []:
                if path.name not in used:
                    remove(path)


# the header _write's gzip writes (its 10 bytes: level, system): a kept piece with another was not written by it
_GZIP_HEADER = gzip.compress(b"", mtime=0)[:10]


def _kept_piece(kept: Path, target: Path, body: bytes) -> str:
    """A piece of the word index written to ``target`` as ``_write`` writes it, from ``kept`` where a build
    before wrote the same bytes (gzip at level 9 is most of ``_rechunk``'s time: after an edit at a note's
    end, one piece of 76 changes); the name of its file in ``kept``. A kept piece is used only when it
    holds these bytes, with this zlib (its name) and the header gzip writes; else it is written again."""
    name = hashlib.sha256(f"{zlib.ZLIB_RUNTIME_VERSION}\0".encode() + body).hexdigest() + ".gz"
    try:
        data = (kept / name).read_bytes()
        if data.startswith(_GZIP_HEADER) and gzip.decompress(data) == body and search_runs.placed(kept / name, target):
            return name
    except (OSError, EOFError, zlib.error):
        pass
    _write(target, body)
    try:
        kept.mkdir(parents=True, exist_ok=True)
        remove(kept / name)
        search_runs.placed(target, kept / name)
    except OSError:
        pass  # a cache that cannot be written keeps nothing
    return name


def _only_used_wasm(output: Path) -> None:
    """Keep the WebAssembly of the index's languages only (pagefind-entry.json names them).

    Pagefind may also write the one for pages of no language (``wasm.unknown.pagefind``), and did so
    in one build but not in another of the same site; no page of an index without that language
    loads it.
    """
    entry = json.loads((output / "pagefind-entry.json").read_text(encoding="utf-8"))
    used = {f"wasm.{language['wasm']}.pagefind" for language in entry.get("languages", {}).values()}
    for path in output.glob("wasm.*.pagefind"):
        if path.name not in used:
            path.unlink()
