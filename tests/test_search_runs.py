"""generator/finish/search_runs.py: the search index made from runs kept between builds is, byte for byte,
the one made with every run fresh; an edit re-indexes its run only; a damaged kept run is made again; the
runs no build uses are removed."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import note, run_mkdocs, write_site
from test_search import NOTES, _content, _tree

from generator.finish import search, search_runs

EDITED = "osdi/2020/p0.md"
SITE = {
    **NOTES,
    EDITED: note("Paper 0", venue="OSDI", year=2020, tags="[t0, shared]", body="## Notes\n\nThe quokkaword is here.\n"),
}


def _pages_of(content, word):
    pages, _spellings = content["words"].get(word, ([], []))
    return sorted(url for url, _places, _meta in pages)


def _counting(monkeypatch):
    """The page folders Pagefind is run on, listed as it runs."""
    runs: list[int] = []
    index = search._index
    monkeypatch.setattr(search, "_index", lambda pages, output: runs.append(sum(1 for p in pages.rglob("*.html"))) or index(pages, output))
    return runs


def _runs(kept: Path) -> list[Path]:
    """The kept runs' folders (beside them, the kept pages and word index pieces)."""
    return sorted(folder for folder in kept.iterdir() if folder.name not in search_runs.BESIDE)


def _site(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    return write_site(root, SITE)


def _edit(root: Path) -> None:
    path = root / "papers" / EDITED
    path.write_text(path.read_text(encoding="utf-8").replace("quokkaword", "wombatword"), encoding="utf-8")


def test_an_edit_reindexes_its_run_only_and_the_index_is_the_one_made_fresh(tmp_path, monkeypatch):
    monkeypatch.setattr(search_runs, "RUN_PAGES", 4)
    root, kept = _site(tmp_path / "a"), tmp_path / "kept"
    assert run_mkdocs(root, "--strict").returncode == 0
    site = root / "site"
    runs = _counting(monkeypatch)
    first = search.index_site(site, kept)
    count = search_runs.run_count(first.pages)
    assert first.pages > 12 and count > 3 and len(runs) == len(_runs(kept)) == count
    before = _content(site / search.OUTPUT)
    assert _pages_of(before, "quokkaword") == ["/papers/osdi/2020/p0/"]

    runs.clear()
    search.index_site(site, kept)  # nothing changed: no run made
    assert runs == []

    _edit(root)
    assert run_mkdocs(root, "--strict").returncode == 0
    keys_before = {folder.name for folder in _runs(kept)}
    search.index_site(site, kept)
    assert len(runs) == 1 and runs[0] < first.pages  # the edited note's run alone
    from_kept = _tree(site / search.OUTPUT)
    after = _content(site / search.OUTPUT)
    assert _pages_of(after, "wombatword") == ["/papers/osdi/2020/p0/"]
    assert "quokkaword" not in after["words"]
    keys_after = {folder.name for folder in _runs(kept)}
    assert len(keys_after - keys_before) == 1 and len(keys_before - keys_after) == 1  # the old run removed

    runs.clear()
    shutil.rmtree(site / search.OUTPUT)
    search.index_site(site, tmp_path / "fresh")
    assert len(runs) == count
    assert _tree(site / search.OUTPUT) == from_kept  # byte for byte
    assert all(search_runs.usable(folder) for folder in _runs(kept))  # the site's links to them left them whole
    assert after["pages"] == _content(site / search.OUTPUT)["pages"]


def test_runs_made_at_once_or_one_by_one_give_the_same_index_as_the_whole_site_in_one_run(tmp_path, monkeypatch):
    root = _site(tmp_path)
    assert run_mkdocs(root, "--strict").returncode == 0
    site = root / "site"
    whole = _content(site / search.OUTPUT)
    monkeypatch.setattr(search_runs, "RUN_PAGES", 4)
    trees = []
    for jobs in (1, 2):
        monkeypatch.setattr(search_runs, "JOBS", jobs)
        search.index_site(site, tmp_path / f"kept-{jobs}")
        trees.append(_tree(site / search.OUTPUT))
    assert trees[0] == trees[1]
    assert _content(site / search.OUTPUT) == whole  # the same words, pages, filters, by URL


def test_a_damaged_or_partial_kept_run_is_made_again(tmp_path, monkeypatch):
    monkeypatch.setattr(search_runs, "RUN_PAGES", 4)
    root, kept = _site(tmp_path), tmp_path / "kept"
    assert run_mkdocs(root, "--strict").returncode == 0
    site = root / "site"
    search.index_site(site, kept)
    whole = _tree(site / search.OUTPUT)
    folders = _runs(kept)
    fragment = next((folders[0] / search_runs.INDEX / "fragment").iterdir())
    fragment.write_bytes(fragment.read_bytes()[:-3])  # cut short
    next((folders[1] / search_runs.INDEX / "index").iterdir()).unlink()  # a file missing
    (folders[2] / search_runs.MANIFEST).write_text("{not json", encoding="utf-8")
    shutil.rmtree(folders[3])
    folders[3].write_text("a file where a run was", encoding="utf-8")
    (kept / ".half-written").mkdir()  # a run a stopped build left
    runs = _counting(monkeypatch)
    search.index_site(site, kept)
    assert len(runs) == 4
    assert _tree(site / search.OUTPUT) == whole
    assert _runs(kept) == folders


def test_a_page_added_moves_no_other_page_to_another_run():
    pages = [Path(f"papers/p{n}/index.html") for n in range(40)]
    count = search_runs.run_count(len(pages))
    before = {page: search_runs.run_of(page, count) for page in pages}
    assert len(set(before.values())) == count
    after = {page: search_runs.run_of(page, count) for page in [*pages, Path("papers/new/index.html")]}
    assert all(after[page] == run for page, run in before.items())
    assert search_runs.run_count(1) == 1 and search_runs.run_count(search_runs.RUN_PAGES + 1) == 2


def test_a_build_keeps_its_runs_and_an_edited_site_gets_the_index_of_a_fresh_build(tmp_path):
    root = _site(tmp_path / "kept")
    assert run_mkdocs(root, "--strict").returncode == 0
    runs = root / ".cache" / "reading-notes" / "search"
    assert len(_runs(runs)) == 1
    _edit(root)
    assert run_mkdocs(root, "--strict").returncode == 0
    assert len(_runs(runs)) == 1  # the run of the first build removed
    assert search_runs.usable(_runs(runs)[0])  # not written through the site's files
    fresh = _site(tmp_path / "fresh")
    _edit(fresh)
    assert run_mkdocs(fresh, "--strict").returncode == 0
    assert _tree(root / "site" / search.OUTPUT) == _tree(fresh / "site" / search.OUTPUT)


def test_a_cache_folder_that_cannot_be_written_keeps_nothing_and_the_index_is_made(tmp_path):
    root = _site(tmp_path / "site")
    assert run_mkdocs(root, "--strict").returncode == 0
    site = root / "site"
    whole = _tree(site / search.OUTPUT)
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    shutil.rmtree(site / search.OUTPUT)
    found = search.index_site(site, blocked / "search")  # its parent is a file: no folder can be made there
    assert found.pages > 12 and _tree(site / search.OUTPUT) == whole
    assert blocked.read_text(encoding="utf-8") == "not a folder"
