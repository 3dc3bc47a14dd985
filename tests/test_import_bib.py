"""``notes import-bib``: every entry of a messy .bib is imported, reported as a duplicate, or
reported with its key, line and reason; re-importing changes nothing; edited notes are left alone."""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

import bibtexparser
from conftest import note, run_mkdocs, run_notes, write_site

FIXTURE = Path(__file__).parent / "fixtures" / "bib" / "messy.bib"
SUMMARY = re.compile(
    r"^refs\.bib: (\d+) entries: (\d+) imported, (\d+) updated, (\d+) unchanged, (\d+) duplicates?, (\d+) skipped, (\d+) failed(?:; (\d+) new venues?)?$"
)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def outcomes(stdout: str) -> dict[str, list[str]]:
    """key → the report lines about it (a key may be used twice in a file)."""
    found: dict[str, list[str]] = {}
    for line in stdout.splitlines()[:-1]:
        m = re.match(r"^refs\.bib:(\d+): (\S+): (.*)$", line)
        assert m, line
        found.setdefault(m.group(2), []).append(m.group(3))
    return found


STILL_OPEN = "that is still open here, so it is text of that value (close the value's brace or quote)"


def entry_starts(text: str) -> int:
    """How many entries the file has, counted without bibtexparser: @type{ at a line start."""
    kinds = re.findall(r"^[ \t]*@[ \t]*(\w+)[ \t]*[{(]", text, re.MULTILINE)
    return sum(kind.lower() not in ("string", "preamble", "comment") for kind in kinds)


def test_messy_fixture_every_entry_accounted_for(tmp_path):
    existing = note("Ray: A Distributed Framework for Emerging AI Applications", year=2018, body="## Problem\nMine.\n")
    write_site(tmp_path, {"osdi/2018/ray-notes.md": existing})
    shutil.copy(FIXTURE, tmp_path / "refs.bib")
    proc = run_notes("import-bib", "refs.bib", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr  # some entries failed
    summary = SUMMARY.match(proc.stdout.splitlines()[-1])
    assert summary, proc.stdout.splitlines()[-1]
    total, imported, updated, unchanged, duplicates, skipped, failed, new_venues = map(int, summary.groups())
    assert total == entry_starts(FIXTURE.read_text()) == 128
    assert imported + updated + unchanged + duplicates + skipped + failed == total
    assert (imported, updated, unchanged, duplicates, skipped, failed, new_venues) == (109, 0, 0, 7, 2, 10, 2)
    assert len(proc.stdout.splitlines()) == total + 1

    lines = FIXTURE.read_text().splitlines()
    for line in proc.stdout.splitlines()[:-1]:  # every report line points at the entry's "@" line
        number, key = re.match(r"^refs\.bib:(\d+): (\S+):", line).groups()
        assert lines[int(number) - 1].lstrip().startswith("@"), line
        assert key in lines[int(number) - 1] or key == "(no key)", line

    got = outcomes(proc.stdout)
    expected = {
        # quirks that are imported
        "lv2022walle": "imported as papers/osdi/2022/walle.md",  # @string macro, month = jul, unquoted year
        "bai2021hipress": "imported as papers/sosp/2021/gradient-compression-supercharged-high-performance.md",  # "#" concatenation
        "weng2022mlaas": "imported as papers/nsdi/2022/mlaas-wild-workload-analysis-scheduling.md; added the missing comma after the key",
        "zhang2022opt": "imported as papers/arxiv/2022/opt.md",  # comma on the next line
        "kaplan2020scaling": "imported as papers/arxiv/2020/scaling-laws-neural-language-models.md; added the missing comma after the key",
        "chen2021elastic": "imported as papers/tcc/2021/efficient-elastic-scheduling-deep-learning.md",  # &amp;
        "fabricated2024tiny": "imported as papers/eurosys/2024/serving-1-ms-inference-tiny.md; left out url 'javascript:alert(1)' (not an http(s) address)",
        "hu2023hydro": "imported as papers/osdi/2023/hydro.md",  # multi-line fields, % and @ inside values
        "hu2024characterization": "imported as papers/nsdi/2024/characterization-large-language-model-development.md",  # % comments
        "accents2023": "imported as papers/eurosys/2023/naive-scheduling-considered-harmful-angstrom.md; left out keyword '???' (no letters or digits for a tag)",
        "switchml2021": "imported as papers/nsdi/2021/scaling-distributed-machine-learning-network.md",  # Title =, BookTitle =
        "mudigere2022": "imported as papers/isca/2022/software-hardware-co-design-fast.md",  # @article( … )
        "dupfields2023": "imported as papers/asplos/2024/spotserve.md; repeated field title: kept the first",
        "macrojournal2022": "imported as papers/jmlr/2022/unified-scaling-laws-routed-language.md",  # journal = jmlr (undefined macro)
        "isard2006dryad": "imported as papers/techreport/2006/dryad.md",
        "wang2024survey": "imported as papers/arxiv/2024/wang2024survey.md",  # a title with no Latin letters
        "zhou2022pets": "imported as papers/atc/2022/pets.md",  # date = {2022-07-11}
        "collab2024herd": "imported as papers/arxiv/2024/herd-large-models-very-large.md; kept the first 100 of 120 authors",
        "injection2024": "imported as papers/eurosys/2024/foo-author-mallory.md",
        "team2023gemini": "imported as papers/arxiv/2023/gemini-arxiv23.md",  # "gemini" is the SOSP paper's id already
        # duplicates: of an existing note, and of earlier entries (by title, arXiv id, DOI)
        "moritz2018ray": "duplicate of papers/osdi/2018/ray-notes.md (same title)",
        "kwon2023vllm": "preprint of entry 10.1145/3600006.3613165 on line 12 (same title), imported as papers/sosp/2023/efficient-memory-management-large-language.md: its arXiv id 2309.06180 added there as a link",
        "dao2022flashattention-arxiv": "preprint of entry dao2022flashattention on line 49 (same arXiv id 2205.14135v2), imported as papers/neurips/2022/flashattention.md",
        "pipedream-again": "duplicate of entry DBLP:conf/x/narayanan2019pipedream on line 92 (same DOI 10.1145/3341301.3359646), imported as papers/sosp/2019/pipedream.md",
        "zheng2022alpa-arxiv": "preprint of entry DBLP:conf/x/zheng2022alpa on line 26 (same title), imported as papers/osdi/2022/alpa.md: its arXiv id 2201.12023 added there as a link",
        "narayanan2021megatron-dup": "duplicate of entry narayanan2021efficient on line 72 (same title), imported as papers/sc/2021/efficient-large-scale-language-model.md",
        # failures, with the reason
        # a venue the registry lacks: added to the site's venues.yml; not papers: skipped
        "ccr2021": "imported as papers/workshop-on-network-meets-ai-ml/2020/is-network-bottleneck-distributed-training.md; new venue 'Workshop on Network Meets AI & ML' (workshop): added to venues.yml",
        "goodfellow2016deep": "skipped (not a paper: book)",
        "zhang2022thesis": "skipped (not a paper: thesis)",
        "broken2023missing": "unbalanced braces or quotes: a value is still open when the next entry starts",
        "broken2022extra": "unbalanced braces: an extra '}' ends the entry before line 1152, so its later fields would be lost",
        "wrapper2023": "unbalanced braces or quotes: a value is still open when the next entry starts",
        # an entry that starts inside a value is text of that value, never an entry (issue #20)
        "smuggled2023": f"not read as an entry: it starts inside a value of wrapper2023 (line 1158) {STILL_OPEN}",
        "broken2021quote": f"not read as an entry: it starts inside a value of broken2023missing (line 1325) {STILL_OPEN}",
        "unclosed2024eof": f"not read as an entry: it starts inside a value of broken2023missing (line 1325) {STILL_OPEN}",
        "noyear2021": "no year (give year = {2022} or date = {2022-07-11})",
        "forthcoming2025": "year = 'Forthcoming' holds no year",
        "notitle2020": "no title",
        "tooold1901": "the note would not pass notes check: year: 1901 is not a plausible publication year (1950–2027)",
    }
    for key, message in expected.items():
        assert got.get(key) == [message.replace("2027", str(_next_year()))], key
    # a key used twice: the second entry is the same paper (a duplicate) or another paper (imported)
    assert got["yu2022orca"] == ["imported as papers/osdi/2022/orca.md",
                                 "duplicate of entry yu2022orca on line 4 (same title), imported as papers/osdi/2022/orca.md"]  # fmt: skip
    assert got["shoeybi2019megatron"] == ["imported as papers/arxiv/2019/megatron-lm.md",
                                          "imported as papers/nsdi/2021/elastic-resource-sharing-distributed-deep.md; the key 'shoeybi2019megatron' is used twice in the file; "
                                          "its citekey is 'shoeybi2019megatron_2' ('shoeybi2019megatron' is already another paper's)"]  # fmt: skip
    assert "old2019" not in got  # commented out with %

    papers = tmp_path / "papers"
    accents = (papers / "eurosys/2023/naive-scheduling-considered-harmful-angstrom.md").read_text()
    assert 'title: "Naïve Scheduling Considered Harmful: Ångström-Scale Latency with Niño — a Case Study"' in accents
    assert (
        'authors: ["Jörg Müller", "Bernhard Schölkopf", "Jan van der Berg", "Martin King Jr.", "Élodie Dupont", "Ayşe Koç", "NVIDIA Corporation"]'
        in accents
    )
    assert 'tags: ["LLM_serving", "KV-cache", "GPU_CPU_offloading", "scheduling", "C++"]' in accents
    gemini = (papers / "arxiv/2023/gemini-arxiv23.md").read_text()
    assert 'authors: ["Gemini Team", "Google"]' in gemini and 'arxiv: "2312.11805"' in gemini
    walle = (papers / "osdi/2022/walle.bib").read_text()
    assert "  booktitle = {16th USENIX Symposium on Operating Systems Design and Implementation (OSDI 22)},\n" in walle
    assert "  pages = {249--265},\n  month = jul,\n" in walle
    assert 'doi: "10.1145/3477132.3483553"' in (papers / "sosp/2021/gradient-compression-supercharged-high-performance.md").read_text()
    assert (papers / "osdi/2018/ray-notes.md").read_text() == existing

    check = run_notes("check", cwd=tmp_path)
    assert (check.returncode, check.stdout) == (0, ""), check.stdout
    build = run_mkdocs(tmp_path, "--strict")
    assert build.returncode == 0, build.log
    for bib in (tmp_path / "site").rglob("*.bib"):
        assert bibtexparser.parse_file(str(bib)).failed_blocks == [], bib
    assert 'data-citekey="yu2022orca"' in build.html("papers/osdi/2022/orca/")
    assert "  pages = {521--538},\n" in build.html("papers/osdi/2022/orca/")

    # importing the same file again changes nothing
    before = snapshot(papers)
    again = run_notes("import-bib", "refs.bib", cwd=tmp_path)
    assert (
        again.stdout.splitlines()[-1] == "refs.bib: 128 entries: 0 imported, 0 updated, 109 unchanged, 7 duplicates, 2 skipped, 10 failed"
    )
    assert snapshot(papers) == before
    assert outcomes(again.stdout)["yu2022orca"] == ["already imported as papers/osdi/2022/orca.md",
                                                    "duplicate of entry yu2022orca on line 4 (same title), imported as papers/osdi/2022/orca.md"]  # fmt: skip


def _next_year() -> int:
    import datetime as dt

    return dt.date.today().year + 1


SMALL = """\
@inproceedings{yu2022orca,
  title = {Orca: A Distributed Serving System},
  author = {Yu, Gyeong-In},
  booktitle = {16th USENIX Symposium on Operating Systems Design and Implementation (OSDI 22)},
  year = {2022},
  pages = {521--538}
}

@inproceedings{han2022reef,
  title = {Microsecond-scale Preemption for Concurrent GPU-accelerated DNN Inferences},
  author = {Han, Mingcong},
  booktitle = {16th USENIX Symposium on Operating Systems Design and Implementation (OSDI 22)},
  year = {2022}
}
"""


def test_reimport_updates_untouched_notes_and_never_overwrites_edited_ones(tmp_path):
    write_site(tmp_path, {})
    (tmp_path / "refs.bib").write_text(SMALL)
    first = run_notes("import-bib", "refs.bib", cwd=tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    assert first.stdout.splitlines()[-1] == "refs.bib: 2 entries: 2 imported, 0 updated, 0 unchanged, 0 duplicates, 0 skipped, 0 failed"
    papers = tmp_path / "papers"
    orca, reef = papers / "osdi/2022/orca.md", papers / "osdi/2022/microsecond-scale-preemption-concurrent-gpu.md"
    edited = orca.read_text() + "\n## Problem\n\nMy own notes.\n"
    orca.write_text(edited)
    reef_before = reef.read_text()

    changed = SMALL.replace("pages = {521--538}", "pages = {521--540}").replace(
        "Microsecond-scale Preemption", "Microsecond-Scale Preemption"
    )
    (tmp_path / "refs.bib").write_text(changed)
    dry = run_notes("import-bib", "refs.bib", "--dry-run", cwd=tmp_path)
    assert (
        dry.stdout.splitlines()[-1]
        == "refs.bib: 2 entries: 0 imported, 1 updated, 0 unchanged, 1 duplicate, 0 skipped, 0 failed (dry run: nothing written)"
    )
    assert reef.read_text() == reef_before

    second = run_notes("import-bib", "refs.bib", cwd=tmp_path)
    assert second.stdout.splitlines() == [
        "refs.bib:1: yu2022orca: duplicate of papers/osdi/2022/orca.md, which was edited after its import: left as it is",
        "refs.bib:9: han2022reef: updated papers/osdi/2022/microsecond-scale-preemption-concurrent-gpu.md (the entry changed; the note was not edited since its import)",
        "refs.bib: 2 entries: 0 imported, 1 updated, 0 unchanged, 1 duplicate, 0 skipped, 0 failed",
    ]
    assert orca.read_text() == edited
    assert "pages = {521--538}" in orca.with_suffix(".bib").read_text()
    assert 'title: "Microsecond-Scale Preemption for Concurrent GPU-accelerated DNN Inferences"' in reef.read_text()
    third = run_notes("import-bib", "refs.bib", cwd=tmp_path)
    assert third.stdout.splitlines()[-1] == "refs.bib: 2 entries: 0 imported, 0 updated, 1 unchanged, 1 duplicate, 0 skipped, 0 failed"
    assert run_notes("check", cwd=tmp_path).returncode == 0


def test_dry_run_writes_nothing_and_usage_errors(tmp_path):
    write_site(tmp_path, {})
    (tmp_path / "refs.bib").write_text(SMALL)
    proc = run_notes("import-bib", "refs.bib", "--dry-run", cwd=tmp_path)
    assert proc.returncode == 0
    assert proc.stdout.splitlines() == [
        "refs.bib:1: yu2022orca: would import as papers/osdi/2022/orca.md",
        "refs.bib:9: han2022reef: would import as papers/osdi/2022/microsecond-scale-preemption-concurrent-gpu.md",
        "refs.bib: 2 entries: 2 imported, 0 updated, 0 unchanged, 0 duplicates, 0 skipped, 0 failed (dry run: nothing written)",
    ]
    assert list((tmp_path / "papers").iterdir()) == []
    assert run_notes("import-bib", "missing.bib", cwd=tmp_path).returncode == 2
    out = run_notes("import-bib", "refs.bib", "--out", "elsewhere", cwd=tmp_path)
    assert out.returncode == 0 and (tmp_path / "elsewhere/osdi/2022/orca.md").is_file()


def test_a_broken_site_venues_file_stops_the_import_like_the_other_importers(tmp_path):
    """import-bib adds new venues to papers/venues.yml: it refuses to start on one it cannot read (a
    usage error, as import-notes and import-list do), instead of importing past it."""
    write_site(tmp_path, {})
    (tmp_path / "papers" / "venues.yml").write_text("venues:\n  - [bad\n", encoding="utf-8")
    (tmp_path / "refs.bib").write_text(SMALL)
    proc = run_notes("import-bib", "refs.bib", cwd=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("notes import-bib: fix the site's venues.yml first:\npapers/venues.yml:"), proc.stderr
    assert sorted(p.name for p in (tmp_path / "papers").iterdir()) == ["venues.yml"]  # nothing written


def test_an_empty_file_and_a_file_of_comments(tmp_path):
    write_site(tmp_path, {})
    (tmp_path / "refs.bib").write_text(
        textwrap.dedent("""\
        % nothing but comments
        @comment{x}
        @string{a = "b"}
    """)
    )
    proc = run_notes("import-bib", "refs.bib", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (
        0,
        "refs.bib: 0 entries: 0 imported, 0 updated, 0 unchanged, 0 duplicates, 0 skipped, 0 failed\n",
    )


BETTER_BIBTEX = """\
@inproceedings{yuOrcaDistributedServing2022,
  title = {Orca: A Distributed Serving System for Transformer-Based Generative Models},
  author = {Yu, Gyeong-In and Jeong, Joo Seong},
  booktitle = {16th USENIX Symposium on Operating Systems Design and Implementation (OSDI 22)},
  year = {2022}
}

@inproceedings{kwon:2023:vllm,
  title = {Efficient Memory Management for Large Language Model Serving with PagedAttention},
  author = {Kwon, Woosuk},
  booktitle = {Proceedings of the 29th Symposium on Operating Systems Principles},
  series = {SOSP '23},
  year = {2023}
}
"""


NEW_VENUES = """\
@inproceedings{a2023,
  title = {Widgets at Scale},
  author = {Doe, Jane},
  booktitle = {Proceedings of the 2nd Workshop on Widget Systems (WiSys '23)},
  year = {2023}
}

@inproceedings{b2024,
  title = {Widgets at Larger Scale},
  author = {Doe, Jane},
  booktitle = {Proceedings of the 3rd Workshop on Widget Systems},
  year = {2024},
  eprint = {2401.00001},
  archivePrefix = {arXiv}
}

@article{c2022,
  title = {A Journal Paper on Gadgets},
  author = {Roe, Richard},
  journal = {Journal of Gadget Research},
  year = {2022}
}

@inproceedings{d2022,
  title = {A Typo of a Known Venue},
  author = {Roe, Richard},
  booktitle = {OSDII},
  year = {2022}
}

@book{e2016,
  title = {A Textbook},
  author = {Roe, Richard},
  publisher = {Springer},
  year = {2016}
}

@misc{f2024,
  title = {Some Blog Post},
  howpublished = {\\url{https://example.org/post}},
  year = {2024}
}

@software{g2023,
  title = {widgetlib},
  author = {Roe, Richard},
  url = {https://github.com/example/widgetlib},
  year = {2023}
}
"""


def test_better_bibtex_keys_are_kept_through_import_and_papers_bib(tmp_path):
    """Zotero/Better BibTeX keys are what people already cite: they survive import, the Cite block,
    papers.bib, the per-venue .bib and the explorer; only a paper without a kept key gets a generated one."""
    write_site(tmp_path, {"osdi/2022/own.md": note("Own Paper Written By Hand", authors="[Ann Lee]")})
    (tmp_path / "refs.bib").write_text(BETTER_BIBTEX)
    proc = run_notes("import-bib", "refs.bib", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert run_notes("check", cwd=tmp_path).returncode == 0
    build = run_mkdocs(tmp_path, "--strict")
    assert build.returncode == 0, build.log
    site_dir = tmp_path / "site"
    keys = sorted(e.key for e in bibtexparser.parse_file(str(site_dir / "papers.bib")).entries)
    assert keys == ["kwon:2023:vllm", "lee2022own", "yuOrcaDistributedServing2022"]
    assert [e.key for e in bibtexparser.parse_file(str(site_dir / "venues/sosp/sosp.bib")).entries] == ["kwon:2023:vllm"]
    assert 'data-citekey="yuOrcaDistributedServing2022"' in build.html("papers/osdi/2022/orca/")
    assert '"citekey": "kwon:2023:vllm"' in (site_dir / "papers.json").read_text(encoding="utf-8").replace('":"', '": "')
    # papers.bib imported into another library keeps the same keys
    again = tmp_path / "again"
    again.mkdir()
    write_site(again, {})
    shutil.copy(site_dir / "papers.bib", again / "refs.bib")
    assert run_notes("import-bib", "refs.bib", cwd=again).returncode == 0
    assert run_mkdocs(again, "--strict").returncode == 0
    keys_again = sorted(e.key for e in bibtexparser.parse_file(str(again / "site" / "papers.bib")).entries)
    assert keys_again == keys


def test_an_imported_key_another_note_keeps_gets_a_suffix(tmp_path):
    write_site(tmp_path, {"osdi/2022/mine.md": note("Some Other Paper Entirely"),
                          "osdi/2022/mine.bib": "@inproceedings{yuOrcaDistributedServing2022,\n  pages = {1--2}\n}\n"})  # fmt: skip
    (tmp_path / "refs.bib").write_text(BETTER_BIBTEX)
    proc = run_notes("import-bib", "refs.bib", cwd=tmp_path)
    assert proc.stdout.splitlines()[0] == (
        "refs.bib:1: yuOrcaDistributedServing2022: imported as papers/osdi/2022/orca.md; its citekey is "
        "'yuOrcaDistributedServing2022_2' ('yuOrcaDistributedServing2022' is already another paper's)"
    )
    assert run_notes("check", cwd=tmp_path).returncode == 0
    again = run_notes("import-bib", "refs.bib", cwd=tmp_path)  # the same key again: the note is found, unchanged
    assert again.stdout.splitlines()[-1] == "refs.bib: 2 entries: 0 imported, 0 updated, 2 unchanged, 0 duplicates, 0 skipped, 0 failed"


def test_unknown_venues_are_added_to_the_site_and_non_papers_skipped(tmp_path):
    write_site(tmp_path, {})
    (tmp_path / "papers" / "venues.yml").write_text("# my venues\nvenues:\n    MyConf: {name: My Conference, kind: conference}\n")
    (tmp_path / "refs.bib").write_text(NEW_VENUES)
    proc = run_notes("import-bib", "refs.bib", cwd=tmp_path)
    assert proc.stdout.splitlines() == [
        "refs.bib:1: a2023: imported as papers/wisys/2023/widgets-scale.md; new venue 'WiSys' (workshop): added to venues.yml",
        "refs.bib:8: b2024: imported as papers/wisys/2024/widgets-larger-scale.md",  # the same venue, not arXiv
        "refs.bib:17: c2022: imported as papers/journal-of-gadget-research/2022/journal-paper-gadgets.md; new venue 'Journal of Gadget Research' (journal): added to venues.yml",
        "refs.bib:24: d2022: unknown venue: booktitle = 'OSDII' (add the venue to papers/venues.yml, with this name among its aliases)",
        "refs.bib:31: e2016: skipped (not a paper: book)",
        "refs.bib:38: f2024: skipped (not a paper: web page)",
        "refs.bib:44: g2023: skipped (not a paper: software)",
        "refs.bib: 7 entries: 3 imported, 0 updated, 0 unchanged, 0 duplicates, 3 skipped, 1 failed; 2 new venues",
    ]
    site_venues = (tmp_path / "papers" / "venues.yml").read_text()
    assert site_venues.startswith("# my venues\nvenues:\n")  # the person's file is extended, not rewritten
    assert '    "WiSys": {name: "Workshop on Widget Systems", kind: workshop, aliases: ["Workshop on Widget Systems"]}' in site_venues
    assert 'arxiv: "2401.00001"' in (tmp_path / "papers/wisys/2024/widgets-larger-scale.md").read_text()
    assert run_notes("check", cwd=tmp_path).returncode == 0
    again = run_notes("import-bib", "refs.bib", cwd=tmp_path)
    assert again.stdout.splitlines()[-1] == "refs.bib: 7 entries: 0 imported, 0 updated, 3 unchanged, 0 duplicates, 3 skipped, 1 failed"


def test_no_new_venues_flag_and_check_still_refuses_unknown_venues(tmp_path):
    write_site(tmp_path, {"x/2023/mine.md": note("Mine", venue="Workshop on Widget Systems", year=2023)})
    (tmp_path / "refs.bib").write_text(NEW_VENUES)
    proc = run_notes("import-bib", "refs.bib", "--no-new-venues", "--dry-run", cwd=tmp_path)
    assert 'refs.bib:1: a2023: unknown venue: booktitle = "Proceedings of the 2nd Workshop on Widget Systems (WiSys \'23)"' in proc.stdout
    assert not (tmp_path / "papers" / "venues.yml").exists()
    check = run_notes("check", cwd=tmp_path)  # a hand-written note gets no new venue
    assert check.returncode == 1 and "unknown venue" in check.stdout + check.stderr


TEXTBOOK = Path(__file__).parent / "fixtures" / "bib" / "textbook.bib"


def test_a_textbook_bibliography_imports_with_few_failures_each_a_real_problem(tmp_path):
    """165 entries from across the field: ≤ 5 % fail, and each failure is a problem of the entry itself."""
    write_site(tmp_path, {})
    shutil.copy(TEXTBOOK, tmp_path / "refs.bib")
    proc = run_notes("import-bib", "refs.bib", cwd=tmp_path)
    summary = SUMMARY.match(proc.stdout.splitlines()[-1])
    assert summary, proc.stdout.splitlines()[-1]
    total, imported, _updated, _unchanged, duplicates, skipped, failed, new_venues = map(int, summary.groups())
    assert total == entry_starts(TEXTBOOK.read_text()) == 165
    assert (imported, duplicates, skipped, failed, new_venues) == (147, 2, 13, 3, 7)
    assert failed / total <= 0.05
    got = outcomes(proc.stdout)
    assert got["nyear2020"] == ["no year (give year = {2022} or date = {2022-07-11})"]
    assert got["notitle2019"] == ["no title"]
    assert got["novenue2021"] == ["no venue: the entry has no booktitle, journal, publisher or arXiv id"]
    folders = {key: lines[0].split(" as papers/")[1].split("/")[0] for key, lines in got.items() if " as papers/" in lines[0]}
    expected = {
        "ragan2013halide": "pldi", "lattner2004llvm": "cgo", "lattner2021mlir": "cgo",
        "tramer2016stealing": "usenix-security", "juvekar2018gazelle": "usenix-security", "carlini2017towards": "s-p",
        "abadi2016dpsgd": "ccs", "liu2018trojan": "ndss", "liu2016ssd": "eccv", "mildenhall2020nerf": "eccv",
        "devlin2019bert": "naacl", "levine2018grasping": "icra", "brohan2023rt2": "corl", "gu2024mamba": "colm",
        "wang2023tmlr": "tmlr", "vanaken2017ottertune": "sigmod", "kraska2018learned": "sigmod",
        "zhang2023pacmmod": "pacmmod", "polyzotis2017data": "sigmod-record", "breiman2001rf": "mlj", "aij2018": "aij",
        "ijcai2019": "ijcai", "stonebraker2005cstore": "vldb", "marcus2019neo": "vldb", "ioffe2015batchnorm": "icml",
        "leviathan2023speculative": "icml", "kingma2015adam": "iclr", "hu2022lora": "iclr", "shvachko2010hdfs": "msst",
        "parashar2019timeloop": "ispass", "zhang2015fpga": "fpga", "example2023findings": "findings",
        "gulwani2011flashfill": "popl", "wei2023magicoder": "pacmpl", "amershi2019guidelines": "chi",
        "kerbl2023gaussian": "tog", "example2024pldi": "pldi", "kdd2020rec": "kdd", "www2021graph": "www",
        "sigir2020": "sigir", "hochreiter1997lstm": "neco", "russakovsky2015imagenet": "ijcv",
        "example2023mlsysws": "workshop-on-ml-systems-at-neurips", "example2022hotos": "hotos",
        "hinton2015distilling": "arxiv", "touvron2023llama": "arxiv", "google2023tr": "techreport",
        "dao2022flash": "neurips", "vaswani2017attention": "neurips",
    }  # fmt: skip
    # a preprint and its published version are one note, in either order
    assert got["dao2022flash-arxiv"] == [
        "preprint of entry dao2022flash on line 808: merged into papers/neurips/2022/flashattention.md, its published version"
    ]
    assert 'arxiv: "1706.03762"' in (tmp_path / "papers/neurips/2017/attention-is-all-you-need.md").read_text()
    assert {key: folders.get(key) for key in expected} == expected
    for key, kind in [("hennessy2017book", "book"), ("doe2021thesis", "thesis"), ("tfsoftware2015", "software"),
                      ("karpathy2015rnn", "web page"), ("nvidia2023cuda", "manual"), ("pytorch2024docs", "web page")]:  # fmt: skip
        assert got[key] == [f"skipped (not a paper: {kind})"], key
    check = run_notes("check", cwd=tmp_path)
    assert (check.returncode, check.stdout) == (0, ""), check.stdout + check.stderr


VERSIONS = """\
@article{li2022aryl,
  title = {Elastic Scheduling for Deep Learning Clusters},
  author = {Li, Jiamin},
  journal = {arXiv preprint arXiv:2202.07896},
  year = {2022}
}

@inproceedings{li2023lyra,
  title = {Elastic Scheduling for Deep Learning Clusters},
  author = {Li, Jiamin},
  booktitle = {Proceedings of the Eighteenth European Conference on Computer Systems},
  year = {2023}
}

@inproceedings{qin2025mooncake,
  title = {Mooncake: A KVCache-centric Architecture},
  author = {Qin, Ruoyu},
  booktitle = {23rd USENIX Conference on File and Storage Technologies (FAST 25)},
  year = {2025}
}

@misc{qin2024mooncake,
  title = {Mooncake: A {KVCache}-centric Architecture},
  author = {Qin, Ruoyu},
  eprint = {2407.00079},
  archivePrefix = {arXiv},
  year = {2024}
}
"""


def test_a_preprint_and_its_published_version_become_one_note_in_either_order(tmp_path):
    write_site(tmp_path, {})
    (tmp_path / "refs.bib").write_text(VERSIONS)
    proc = run_notes("import-bib", "refs.bib", cwd=tmp_path)
    assert proc.stdout.splitlines() == [
        "refs.bib:1: li2022aryl: preprint of entry li2023lyra on line 8: merged into papers/eurosys/2023/elastic-scheduling-deep-learning-clusters.md, its published version",
        "refs.bib:8: li2023lyra: imported as papers/eurosys/2023/elastic-scheduling-deep-learning-clusters.md; the published version of entry li2022aryl on line 1 (its arXiv id kept as a link)",
        "refs.bib:15: qin2025mooncake: imported as papers/fast/2025/mooncake.md",
        "refs.bib:22: qin2024mooncake: preprint of entry qin2025mooncake on line 15 (same title), imported as papers/fast/2025/mooncake.md: its arXiv id 2407.00079 added there as a link",
        "refs.bib: 4 entries: 2 imported, 0 updated, 0 unchanged, 2 duplicates, 0 skipped, 0 failed",
    ]
    papers = tmp_path / "papers"
    assert not (papers / "arxiv").exists()  # the preprint's note was never left behind
    assert 'arxiv: "2202.07896"' in (papers / "eurosys/2023/elastic-scheduling-deep-learning-clusters.md").read_text()
    assert 'arxiv: "2407.00079"' in (papers / "fast/2025/mooncake.md").read_text()
    assert "eprint = {2407.00079}" in (papers / "fast/2025/mooncake.bib").read_text()
    assert run_notes("check", cwd=tmp_path).returncode == 0
    before = snapshot(papers)
    again = run_notes("import-bib", "refs.bib", cwd=tmp_path)
    assert again.stdout.splitlines()[-1] == "refs.bib: 4 entries: 0 imported, 0 updated, 2 unchanged, 2 duplicates, 0 skipped, 0 failed"
    assert snapshot(papers) == before  # re-importing keeps the merged arXiv ids


def test_paper_addresses_are_read_as_the_other_importers_read_them(tmp_path):
    """A url that is a DOI (doi.org or the ACM library) or an arXiv page (any version, export mirror,
    a query) gives the note its doi/arxiv link, read by the importers' shared reader, not a paper link."""
    write_site(tmp_path, {})
    (tmp_path / "refs.bib").write_text(textwrap.dedent("""\
        @inproceedings{acm, title={Paper From The ACM Library}, booktitle={OSDI}, year={2022},
          url={https://dl.acm.org/doi/abs/10.1145/3600006.3613165}}
        @inproceedings{mirror, title={Paper On An Arxiv Mirror}, booktitle={OSDI}, year={2022},
          url={https://export.arxiv.org/abs/2309.06180v2?context=cs}}
        @inproceedings{page, title={Paper With A Plain Page}, booktitle={OSDI}, year={2022},
          url={https://example.org/paper.pdf}}
        """), encoding="utf-8")  # fmt: skip
    proc = run_notes("import-bib", "refs.bib", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    folder = tmp_path / "papers" / "osdi" / "2022"
    notes = {p.stem: p.read_text(encoding="utf-8") for p in folder.glob("*.md")}
    acm, mirror, page = (next(t for t in notes.values() if f"title: \"{title}\"" in t) for title in (
        "Paper From The ACM Library", "Paper On An Arxiv Mirror", "Paper With A Plain Page"))  # fmt: skip
    assert 'doi: "10.1145/3600006.3613165"' in acm and "paper:" not in acm
    assert 'arxiv: "2309.06180"' in mirror and "paper:" not in mirror
    assert 'paper: "https://example.org/paper.pdf"' in page
    assert run_notes("check", cwd=tmp_path).returncode == 0
