"""generator/finish/search.py: the Pagefind index of a built site is the same, byte for byte, on every build;
its word index comes in small pieces; the "did you mean" word list (search_words.py) holds what readers search by."""

from __future__ import annotations

import hashlib
import itertools
import json
import shutil

import cbor2
from conftest import note, run_mkdocs, search_pages, write_site

from generator.finish import search, search_words

NOTES = {
    f"{venue.lower()}/{year}/p{i}.md": note(
        f"Paper {i}",
        venue=venue,
        year=year,
        tags=f"[t{i % 5}, t{i % 3}, shared]",
        level="essential" if i % 2 else "advanced",
        status="read" if i % 3 else "unread",
        body="Some notes.\n" if i % 2 else "",
    )
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


def _pieces(output):
    """The word index as the meta lists it: [(from, to, [words], bytes of its words)]."""
    meta = search._read(next(output.glob("pagefind.*.pf_meta")))
    _start, items = search._cbor_array(meta, len(search._SIGNATURE))
    _start, entries = search._cbor_array(meta, items[2][0])
    out = []
    for a, _b in entries:
        _s, (f, t, h) = search._cbor_array(meta, a)
        name = search._cbor_text_at(meta, h[0])
        chunk = search._read(output / "index" / f"{name}.pf_index")
        _s, (words_span,) = search._cbor_array(chunk, len(search._SIGNATURE))
        _s, spans = search._cbor_array(chunk, words_span[0])
        words = [search._cbor_text_at(chunk, search._cbor_array(chunk, x)[1][0][0]) for x, _y in spans]
        out.append((search._cbor_text_at(meta, f[0]), search._cbor_text_at(meta, t[0]), words, sum(y - x for x, y in spans)))
    return out


COMMON = {f"osdi/2020/c{i}.md": note(f"Common {i}", tags="[shared]", body=f"## Notes\n\n{'memory ' * 40}unique{i}word and more text\n")
          for i in range(30)}  # fmt: skip


def test_the_word_index_is_cut_into_small_pieces_a_common_word_alone(tmp_path, monkeypatch):
    write_site(tmp_path, COMMON)
    build = run_mkdocs(tmp_path, "--strict")
    assert build.returncode == 0, build.log
    site = tmp_path / "site"
    whole = _pieces(site / search.OUTPUT)
    monkeypatch.setattr(search, "CHUNK_BYTES", 300)
    shutil.rmtree(site / search.OUTPUT)
    search.index_site(site)
    pieces = _pieces(site / search.OUTPUT)
    assert len(pieces) > len(whole) and len(pieces) > 5
    words = [w for _f, _t, ws, _n in pieces for w in ws]
    assert words == sorted(words) == sorted(w for _f, _t, ws, _n in whole for w in ws)  # every word, once, in order
    for first, last, ws, size in pieces:
        assert size <= 300 or len(ws) == 1, (first, last, ws, size)  # a bigger word has a piece of its own
        assert ws[0].startswith(first) and ws[-1].startswith(last)  # the ranges Pagefind looks words up in
    (memory,) = [p for p in pieces if "memori" in p[2]]  # "memory", stemmed: 30 pages × 40 places
    assert memory[2] == ["memori"] and memory[3] > 300
    assert [(f, t) for f, t, _w, _n in pieces] == sorted((f, t) for f, t, _w, _n in pieces)


VOCABULARY = {
    "osdi/2022/reef.md": note(
        "Microsecond-scale Preemption for GPU Inference",
        aka="[REEF]",
        authors="[Mingcong Han, Zhihao Bailey]",
        tags="[GPU_sharing, preemption]",
        body="## Notes\n\nReset-based kernels, a bodyword only.\n",
    ),
    "osdi/2020/pipeswitch.md": note("PipeSwitch: Fast Pipelined Context Switching", authors="[Zhihao Bailey]", tags="[GPU_sharing]"),
}


def test_the_did_you_mean_words_come_from_titles_short_names_tags_and_surnames(tmp_path, monkeypatch):
    write_site(tmp_path, VOCABULARY, {"guide.md": "# Reading guide\n\nThreepass method.\n"})
    build = run_mkdocs(tmp_path, "--strict")
    assert build.returncode == 0, build.log
    site = tmp_path / "site"
    words = (site / search.OUTPUT / "rn-words.txt").read_text(encoding="utf-8").splitlines()
    assert {"Preemption", "Microsecond", "scale", "REEF", "sharing", "PipeSwitch", "Pipelined", "Bailey", "Reading", "guide"} <= set(words)
    assert {"Mingcong", "Zhihao", "bodyword", "Threepass"} & set(words) == set()  # no first names, no body text
    assert "Fast" in words and "Han" not in words  # fewer than four letters: too many neighbours to correct to
    assert words.index("sharing") < words.index("REEF")  # the most frequent first (sharing: two papers' tags)
    assert len(words) == len({w.lower() for w in words})  # one spelling each
    monkeypatch.setattr(search_words, "MAX_WORDS", 5)
    shutil.rmtree(site / search.OUTPUT)
    search.index_site(site)
    assert (site / search.OUTPUT / "rn-words.txt").read_text(encoding="utf-8").splitlines() == words[:5]


def _pages(folder, html):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(html, encoding="utf-8")
    return folder


def test_the_index_is_written_whole_by_pagefinds_command_line(tmp_path):
    """Every file the index names exists whole (the Python service stopped the binary while it wrote)."""
    site = _pages(
        tmp_path / "site",
        '<html lang="en"><body><article class="md-content__inner md-typeset"><h1>Orca</h1><p>iteration-level scheduling</p></article></body></html>',
    )
    found = search.index_site(site)
    assert found.pages == 1
    out = site / search.OUTPUT
    entry = (out / "pagefind-entry.json").read_text(encoding="utf-8")
    assert '"page_count":1' in entry
    assert list(out.glob("pagefind.en_*.pf_meta")) and list(out.glob("fragment/*.pf_fragment"))
    assert (out / "pagefind.js").stat().st_size > 1000


def test_a_failing_pagefind_stops_the_build_with_its_message(tmp_path, monkeypatch):
    pages = _pages(tmp_path / "pages", "<html><body><main><p>x</p></main></body></html>")
    monkeypatch.setattr(search, "EXCLUDED", ["[[["])  # a selector Pagefind cannot parse: it exits non-zero
    try:
        search._index(pages, tmp_path / "out")
    except search.SearchIndexError as error:
        assert "Pagefind failed (exit" in str(error)
    else:
        raise AssertionError("no SearchIndexError")


def test_a_site_with_nothing_to_search_gets_no_index(tmp_path):
    site = tmp_path / "site"
    (site / "pagefind").mkdir(parents=True)  # a stale index from an earlier build is not the point here
    shutil.rmtree(site / "pagefind")
    assert search.index_site(site).pages == 0
    assert not (site / search.OUTPUT).exists()


def test_cbor_items_are_found_where_they_start_and_end():
    """The spans cbor2 reports are exact, also past its read-ahead (items longer than 4 KiB)."""
    items = [["memory", [[3, [-25, 66], [-3, 1]], [70000, list(range(-40, 3000)), []]], []], "x" * 5000, [], -1, 2**40, {"a": [1]}]
    encoded = [cbor2.dumps(item) for item in items]
    data = b"head" + b"".join(encoded) + b"tail"
    spans = search._cbor_spans(data, 4, len(items))
    ends = list(itertools.accumulate(len(e) for e in encoded))
    assert spans == [(4 + a, 4 + b) for a, b in zip([0, *ends[:-1]], ends, strict=True)]
    array = cbor2.dumps(items)
    start, spans = search._cbor_array(array, 0)
    assert [array[a:b] for a, b in spans] == encoded and start == 1  # six items: the count is in the head byte
    assert search._cbor_item_end(data, 4) == 4 + len(encoded[0])


def test_the_page_copies_go_to_memory_only_when_it_has_room_and_tmpdir_names_no_other(tmp_path, monkeypatch):
    monkeypatch.setattr(search, "MEMORY_FOLDER", tmp_path)
    monkeypatch.delenv("TMPDIR", raising=False)
    free = shutil.disk_usage(tmp_path).free
    assert search._scratch(free // 3) == str(tmp_path)
    assert search._scratch(free // 2 + 1) is None  # room for the copies twice over
    monkeypatch.setenv("TMPDIR", str(tmp_path / "elsewhere"))
    assert search._scratch(1) is None
    monkeypatch.delenv("TMPDIR")
    monkeypatch.setattr(search, "MEMORY_FOLDER", tmp_path / "missing")
    assert search._scratch(1) is None


def _absolute(pages, urls):
    """A word's pages ([number, places, meta places], each number a step from the one before) by URL."""
    found, number = [], 0
    for page in pages:
        number += page[0]
        found.append((urls[number], page[1], page[2]))
    return sorted(found)


def _fields(places, fields):
    """Meta places with each field's number (-(n + 1)) as its name."""
    return [fields[-at - 1] if at < 0 else at for at in places]


def _content(output):
    """What an index says, its pages named by URL instead of numbered: pages, words, filters, fields."""
    entry = json.loads((output / "pagefind-entry.json").read_text(encoding="utf-8"))
    [(lang, item)] = entry["languages"].items()
    meta = cbor2.loads(search._read(output / f"pagefind.{item['hash']}.pf_meta")[len(search._SIGNATURE) :])
    records = [json.loads(search._read(output / "fragment" / f"{name}.pf_fragment")[len(search._SIGNATURE) :]) for name, _n in meta[1]]
    urls = [record["url"] for record in records]
    words = {}
    for _from, _to, name in meta[2]:
        for word, pages, spellings in cbor2.loads(search._read(output / "index" / f"{name}.pf_index")[len(search._SIGNATURE) :])[0]:
            pages = [(url, places, _fields(meta_places, meta[5])) for url, places, meta_places in _absolute(pages, urls)]
            words[word] = (pages, sorted((spelling, _absolute(on, urls)) for spelling, on in spellings))
    filters = {}
    for _name, file in meta[3]:
        name, values = cbor2.loads(search._read(output / "filter" / f"{file}.pf_filter")[len(search._SIGNATURE) :])
        filters[name] = {value: sorted(urls[page] for page in pages) for value, pages in values}
    pages = sorted((record["url"], n, json.dumps(record, sort_keys=True)) for record, (_name, n) in zip(records, meta[1], strict=True))
    return {
        "lang": lang,
        "count": item["page_count"],
        "pages": pages,
        "words": words,
        "filters": filters,
        "fields": meta[5],
        "sorts": meta[4],
    }


SHARDED = {
    **NOTES,
    "osdi/2022/reef.md": note(
        "Microsecond-scale Preemption", aka="[REEF]", authors="[Pierre L'Écuyer]", body="## Notes\n\nUn café, résumé.\n"
    ),
    "sosp/2023/cn.md": note("Chinese note", body="## Notes\n\n大模型推理的内存管理\n"),
}


def test_a_large_site_is_indexed_in_runs_merged_into_what_one_run_writes(tmp_path, monkeypatch):
    write_site(tmp_path, SHARDED)
    build = run_mkdocs(tmp_path, "--strict")
    assert build.returncode == 0, build.log
    site = tmp_path / "site"
    whole = _content(site / search.OUTPUT)
    for fragment in (site / search.OUTPUT / "fragment").glob("*.pf_fragment"):  # names as Pagefind's own
        digest = fragment.stem.split("_", 1)[1]
        assert search._pagefind_hash(search._read(fragment)[len(search._SIGNATURE) :]).startswith(digest)
    runs = []
    merge = search._merge
    monkeypatch.setattr(search, "_merge", lambda parts, output: runs.append(len(parts)) or merge(parts, output))
    monkeypatch.setattr(search, "SHARD_PAGES", 4)
    trees = []
    for _ in range(2):
        shutil.rmtree(site / search.OUTPUT)
        found = search.index_site(site)
        trees.append(_tree(site / search.OUTPUT))
    assert runs == [-(-found.pages // 4)] * 2 and found.pages > 12
    assert trees[0] == trees[1]  # deterministic
    merged = _content(site / search.OUTPUT)
    assert merged == whole
    assert "aka" in merged["fields"] and any(s for _p, s in merged["words"].values())  # a field and accents not in every run


def test_two_runs_fragments_of_one_name_keep_both_the_later_under_a_longer_name(tmp_path):
    """Pagefind names a page's record by 7 hex digits of its hash, longer only on a collision in its own run."""
    records = [search._SIGNATURE + json.dumps({"url": url}).encode() for url in ("/a/", "/b/", "/a/")]
    parts = [tmp_path / "run0", tmp_path / "run1", tmp_path / "run2"]
    output = tmp_path / "out"
    (output / "fragment").mkdir(parents=True)
    listed = []
    for part, record in zip(parts, records, strict=True):
        (part / "fragment").mkdir(parents=True)
        search._write(part / "fragment" / "en_1234567.pf_fragment", record)
        listed += search._fragments(part, [["en_1234567", 3]], output)
    full = search._pagefind_hash(records[1][len(search._SIGNATURE) :])
    assert listed == [["en_1234567", 3], [f"en_{full[:8]}", 3], ["en_1234567", 3]]  # the same record: one file
    assert search._read(output / "fragment" / f"en_{full[:8]}.pf_fragment") == records[1]
