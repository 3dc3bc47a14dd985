"""generator/finish/search_pages.py: each page's searchable copy and words kept between builds, by a
digest of the page's bytes and of the code; an unchanged page is not prepared again (no jieba without a
changed Chinese page), a changed one is, and the index is byte for byte the one a fresh build makes;
entries of other code, a damaged entry file or copy are never used; entries of pages gone are removed."""

from __future__ import annotations

import gzip
import hashlib
import json
import marshal
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import note, run_mkdocs, write_site
from test_search import NOTES, _content, _tree

from generator.finish import search, search_pages, search_runs

CHINESE = "osdi/2020/zh.md"
SITE = {**NOTES, CHINESE: note("Paper Zh", venue="OSDI", year=2020, tags="[shared]", body="## Notes\n\n这篇论文研究分布式训练的调度。\n")}
EDITED = "papers/sosp/2021/p1/index.html"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = write_site(tmp_path_factory.mktemp("built"), SITE)
    build = run_mkdocs(root, "--strict")
    assert build.returncode == 0, build.log
    return root / "site"


@pytest.fixture
def site(built, tmp_path) -> Path:
    shutil.copytree(built, tmp_path / "site")
    return tmp_path / "site"


def _prepared(monkeypatch) -> list[str]:
    """The pages prepared (searchable copy and words made), as they are."""
    made: list[str] = []
    prepare = search._prepared
    monkeypatch.setattr(search, "_prepared", lambda page_html: made.append(page_html) or prepare(page_html))
    return made


def _edit(site: Path, rel: str, word: str) -> None:
    page = site / rel
    page.write_text(page.read_text(encoding="utf-8").replace("</article>", f"<p>{word}</p></article>", 1), encoding="utf-8")


def _fresh(site: Path, tmp_path: Path) -> dict[str, str]:
    """The index of ``site`` from an empty kept folder, put back as it was."""
    shutil.rmtree(site / search.OUTPUT)
    search.index_site(site, tmp_path / "fresh-kept")
    shutil.rmtree(tmp_path / "fresh-kept")
    return _tree(site / search.OUTPUT)


def _store(kept: Path) -> Path:
    return kept / search_runs.PAGES


def test_unchanged_pages_are_not_prepared_again_and_an_edit_gives_the_index_of_a_fresh_build(site, tmp_path, monkeypatch):
    kept = tmp_path / "kept"
    made = _prepared(monkeypatch)
    first = search.index_site(site, kept)
    assert len(made) == first.pages + first.skipped > 15
    made.clear()
    search.index_site(site, kept)
    assert made == []  # every page kept

    _edit(site, EDITED, "zebraword")  # the same path, other bytes: a key without the content would miss it
    search.index_site(site, kept)
    assert len(made) == 1 and "zebraword" in made[0]
    after = _tree(site / search.OUTPUT)
    assert [url for url, _places, _meta in _content(site / search.OUTPUT)["words"]["zebraword"][0]] == ["/papers/sosp/2021/p1/"]
    assert _fresh(site, tmp_path) == after  # byte for byte

    shutil.rmtree(site / search.OUTPUT)
    search.index_site(site)  # no kept folder: as before, one Pagefind run over every page
    assert "zebraword" in _content(site / search.OUTPUT)["words"]


def test_entries_made_by_other_code_or_a_damaged_entry_file_are_made_again(site, tmp_path, monkeypatch):
    kept = tmp_path / "kept"
    search.index_site(site, kept)
    whole = _tree(site / search.OUTPUT)
    made = _prepared(monkeypatch)

    monkeypatch.setattr(search, "_page_code", lambda: "other code")
    found = search.index_site(site, kept)
    assert len(made) == found.pages + found.skipped and _tree(site / search.OUTPUT) == whole
    monkeypatch.undo()
    made = _prepared(monkeypatch)
    search.index_site(site, kept)
    assert len(made) == found.pages + found.skipped  # written by the other code: not used
    made.clear()

    entries = _store(kept) / search_pages.ENTRIES
    data = entries.read_bytes()
    first, second = sorted({copy for copy, _words in json.loads(data.partition(b"\n")[2])["pages"].values() if copy})[:2]
    entries.write_bytes(data.replace(first.encode(), b"swap").replace(second.encode(), first.encode()).replace(b"swap", second.encode()))
    search.index_site(site, kept)
    assert len(made) == found.pages + found.skipped and _tree(site / search.OUTPUT) == whole
    made.clear()
    entries.write_bytes(b"{not an entry file")
    search.index_site(site, kept)
    assert len(made) == found.pages + found.skipped and _tree(site / search.OUTPUT) == whole
    made.clear()
    search.index_site(site, kept)
    assert made == []  # written whole again


def test_a_damaged_or_missing_copy_is_made_again_from_its_page(site, tmp_path, monkeypatch):
    monkeypatch.setattr(search_runs, "RUN_PAGES", 4)
    kept = tmp_path / "kept"
    search.index_site(site, kept)
    store = search_pages.PageStore(_store(kept), search._page_code(), search._prepared)
    edited = Path(EDITED)
    pages = {path.relative_to(site): store.page(path) for path in sorted(site.rglob("*.html")) if search._indexable(path.relative_to(site))}
    count = search_runs.run_count(sum(page.copy is not None for page in pages.values()))
    same_run = [
        rel
        for rel, page in pages.items()
        if page.copy and rel != edited and search_runs.run_of(rel, count) == search_runs.run_of(edited, count)
    ]
    assert len(same_run) >= 2
    cut, gone = (_store(kept) / f"{pages[rel].copy}{search_pages.COPY}" for rel in same_run[:2])
    cut.write_bytes(cut.read_bytes()[:-10])
    gone.unlink()

    _edit(site, EDITED, "zebraword")  # its run is indexed again, from the copies of its other pages too
    made = _prepared(monkeypatch)
    search.index_site(site, kept)
    assert len(made) == 3  # the edited page, and the two pages whose copies could not be used
    after = _tree(site / search.OUTPUT)
    assert _fresh(site, tmp_path) == after
    for copy in (cut, gone):  # whole again
        assert hashlib.sha256(copy.read_bytes()).hexdigest() == copy.name.removesuffix(search_pages.COPY)


def test_the_entries_and_copies_of_pages_gone_are_removed(site, tmp_path):
    kept = tmp_path / "kept"
    search.index_site(site, kept)
    copies = {path.name for path in _store(kept).iterdir()}
    (_store(kept) / "stray.html").write_text("left by something else", encoding="utf-8")
    (_store(kept) / "stray-folder").mkdir()
    (site / EDITED).unlink()
    found = search.index_site(site, kept)
    left = {path.name for path in _store(kept).iterdir()}
    assert left < copies and len(copies - left) == 1
    assert len(left) == found.pages + 1  # a copy a page, and the entries
    store = search_pages.PageStore(_store(kept), search._page_code(), search._prepared)
    assert len(store.kept) == found.pages + found.skipped - _same_bytes(site)


def _same_bytes(site: Path) -> int:
    """Pages whose bytes another page has too (one entry for them all)."""
    digests = [hashlib.sha256(p.read_bytes()).hexdigest() for p in site.rglob("*.html") if search._indexable(p.relative_to(site))]
    return len(digests) - len(set(digests))


_JIEBA_LOADED = """
import sys
from pathlib import Path
from generator.finish import search
search.index_site(Path(sys.argv[1]), Path(sys.argv[2]))
print("jieba" in sys.modules)
"""


def _index_in_new_process(site: Path, kept: Path) -> bool:
    """index_site run in a process of its own, as a build runs it: whether it imported jieba."""
    env = {**os.environ, "PYTHONPATH": str(Path(search.__file__).resolve().parents[2])}
    run = subprocess.run([sys.executable, "-c", _JIEBA_LOADED, str(site), str(kept)], capture_output=True, text=True, env=env, check=True)
    return run.stdout.strip() == "True"


def test_jieba_is_not_loaded_unless_a_changed_page_has_chinese_text(site, tmp_path):
    kept = tmp_path / "kept"
    assert _index_in_new_process(site, kept)  # the first build prepares the Chinese page
    _edit(site, EDITED, "zebraword")
    assert not _index_in_new_process(site, kept)
    assert "zebraword" in _content(site / search.OUTPUT)["words"]
    _edit(site, "papers/osdi/2020/zh/index.html", "编译器优化")
    assert _index_in_new_process(site, kept)
    assert "编译器" in _content(site / search.OUTPUT)["words"]


def test_the_word_index_pieces_are_kept_and_a_damaged_one_is_written_again(site, tmp_path, monkeypatch):
    monkeypatch.setattr(search, "CHUNK_BYTES", 2000)  # a small site's words in several pieces
    kept = tmp_path / "kept"
    search.index_site(site, kept)
    whole = _tree(site / search.OUTPUT)
    pieces = kept / search_runs.PIECES
    index = sorted((site / search.OUTPUT / "index").iterdir())
    assert len(index) == len(list(pieces.iterdir())) > 3
    search.index_site(site, kept)  # unchanged: every piece from the kept folder
    index = sorted((site / search.OUTPUT / "index").iterdir())
    assert _tree(site / search.OUTPUT) == whole
    assert all(any(os.path.samefile(piece, kept_piece) for kept_piece in pieces.iterdir()) for piece in index)

    kept_pieces = sorted(pieces.iterdir())
    body = gzip.decompress(kept_pieces[0].read_bytes())
    kept_pieces[0].write_bytes(gzip.compress(body, mtime=1))  # the same words, not the bytes _write writes
    kept_pieces[1].write_bytes(kept_pieces[1].read_bytes()[:-12])  # cut short
    kept_pieces[2].write_bytes(gzip.compress(body, mtime=0))  # other words under its name
    shutil.rmtree(site / search.OUTPUT)
    search.index_site(site, kept)
    assert _tree(site / search.OUTPUT) == whole
    assert sorted(pieces.iterdir()) == kept_pieces  # written again, whole: the bytes of the index's pieces
    assert sorted(_tree(pieces).values()) == sorted(_tree(site / search.OUTPUT / "index").values())

    _edit(site, EDITED, "zebraword")
    search.index_site(site, kept)
    assert len(list(pieces.iterdir())) == len(list((site / search.OUTPUT / "index").iterdir()))  # the old pieces removed


def _words_files(kept: Path) -> list[Path]:
    return sorted(kept.glob("*/rn-words-*.marshal"))


def test_each_runs_words_are_kept_beside_it_and_used_only_when_whole_and_its_own(site, tmp_path, monkeypatch):
    monkeypatch.setattr(search_runs, "RUN_PAGES", 4)
    kept = tmp_path / "kept"
    search.index_site(site, kept)
    search.index_site(site, kept)  # the runs are kept now: their words written beside them
    whole = _tree(site / search.OUTPUT)
    files = _words_files(kept)
    assert len(files) == len(list(kept.glob("*/" + search_runs.MANIFEST))) > 3
    read = []
    words = search._run_words
    monkeypatch.setattr(search, "_run_words", lambda run, lang, keep: read.append(run) or words(run, lang, keep))
    search.index_site(site, kept)
    assert _tree(site / search.OUTPUT) == whole and len(read) == len(files)

    def tampered(path: Path, change) -> None:
        _digest, _newline, body = path.read_bytes().partition(b"\n")
        kept_format, pieces, run_words = marshal.loads(body)
        new_body, digest = change(kept_format, pieces, run_words)
        path.write_bytes((digest or hashlib.sha256(new_body).hexdigest().encode()) + b"\n" + new_body)

    # other words under the digest of the old ones; words of other pieces under their own digest; cut short
    old_digest = files[0].read_bytes().partition(b"\n")[0]
    tampered(files[0], lambda f, pieces, run_words: (marshal.dumps((f, pieces, run_words[1:])), old_digest))
    tampered(files[1], lambda f, pieces, run_words: (marshal.dumps((f, [*pieces, "en_0000000"], run_words[1:])), None))
    files[2].write_bytes(files[2].read_bytes()[:-20])
    search.index_site(site, kept)
    assert _tree(site / search.OUTPUT) == whole
    for path in files[:3]:  # written again, whole
        first, _newline, body = path.read_bytes().partition(b"\n")
        assert first.decode() == hashlib.sha256(body).hexdigest()
