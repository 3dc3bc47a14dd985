"""generator/finish/search.py: the Pagefind index of a built site is the same, byte for byte, on every build."""

from __future__ import annotations

import hashlib
import shutil

from conftest import note, run_mkdocs, search_pages, write_site

from generator.finish import search

NOTES = {
    f"{venue.lower()}/{year}/p{i}.md": note(f"Paper {i}", venue=venue, year=year, tags=f"[t{i % 5}, t{i % 3}, shared]",
                                            level="essential" if i % 2 else "advanced", status="read" if i % 3 else "unread",
                                            body="Some notes.\n" if i % 2 else "")
    for i, (venue, year) in enumerate([("OSDI", 2020), ("SOSP", 2021), ("NSDI", 2022), ("ATC", 2023), ("EuroSys", 2024)] * 3)
}


def _tree(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()}


def test_the_index_is_byte_identical_across_builds_and_its_facets_stay_whole(tmp_path):
    write_site(tmp_path, NOTES)
    build = run_mkdocs(tmp_path, "--strict")
    assert build.returncode == 0, build.log
    site = tmp_path / "site"
    trees = []
    for _ in range(3):  # Pagefind alone writes filter values in a random order (its hash maps)
        shutil.rmtree(site / search.OUTPUT)
        search.index_site(site)
        trees.append(_tree(site / search.OUTPUT))
    assert trees[0] == trees[1] == trees[2]
    pages = search_pages(site)
    assert sorted(pages["papers/osdi/2020/p0/"]["filters"]) == ["level", "notes", "status", "tag", "venue", "year"]
    assert pages["papers/osdi/2020/p0/"]["filters"]["tag"] == ["t0", "shared"]
