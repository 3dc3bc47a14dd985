"""``notes import-list`` and ``notes import-notes``: the seed's lists and table of contents, fixture
lists of every shape, and a GitBook-style fixture folder, imported into temporary sites."""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
from pathlib import Path

import pytest
from conftest import note, run_mkdocs, run_notes, write_site

from generator.importers.awesome import parse_item, split_authors
from generator.importers.common import Report, Venues, norm_title, split_hashtags
from generator.importers.gitbook import BodyContext, _Book, convert_body, read_facts
from generator.load.frontmatter import parse_front_matter
from generator.load.venues import load_registry

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SEED_002 = SEEDS / "002_51ff61fa10f03254.txt"
SEED_003 = SEEDS / "003_37b6558ff174e0bb.txt"
SEED_004 = SEEDS / "004_4b4bc9b0e24edcc0.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed folder ../shared/seeds is absent (CI has it)")
VENUES = Venues(load_registry()[0])
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
ROW = re.compile(r"^(?P<source>.+?):(?P<line>\d+): (?P<label>imported|would import|duplicate|skipped|not imported|note): (?P<message>.*)$")
SUMMARY = re.compile(
    r": (?P<total>\d+) [^:]*: (?P<imported>\d+) (?:imported|would be imported), (?P<duplicate>\d+) duplicates?, (?P<skipped>\d+) skipped, (?P<failed>\d+) not imported"
)


# ----------------------------------------------------------------------------------------- helpers


def notes_under(papers: Path) -> dict[str, dict]:
    """Every note written, by path relative to the notes folder: its front-matter (and body)."""
    out = {}
    for path in sorted(papers.rglob("*.md")):
        fm = parse_front_matter(path.read_text(encoding="utf-8"))
        out[path.relative_to(papers).as_posix()] = {**fm.data, "_body": fm.body}
    return out


def by_title(notes: dict[str, dict]) -> dict[str, tuple[str, dict]]:
    return {norm_title(data["title"]): (rel, data) for rel, data in notes.items()}


def rows(stdout: str) -> list[re.Match[str]]:
    return [m for m in map(ROW.match, stdout.splitlines()) if m]


def summary(stdout: str) -> dict[str, int]:
    m = SUMMARY.search(stdout.splitlines()[-1])
    assert m, stdout.splitlines()[-1]
    counts = {k: int(v) for k, v in m.groupdict().items()}
    assert counts["total"] == counts["imported"] + counts["duplicate"] + counts["skipped"] + counts["failed"]
    return counts


def tree_hash(*folders: Path) -> dict[str, str]:
    return {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest()
        for folder in folders if folder.exists() for p in sorted(folder.rglob("*")) if p.is_file()
    }  # fmt: skip


LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\S")


# ------------------------------------------------------------------------------- pure functions


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("[OSDI'22] [Orca: A Distributed Serving System](https://www.usenix.org/conference/osdi22/presentation/yu)",
         {"title": "Orca: A Distributed Serving System", "venue": "OSDI", "year": 2022,
          "links": [("paper", "https://www.usenix.org/conference/osdi22/presentation/yu")]}),
        ("[VLDB'21] An Example Paper", {"title": "An Example Paper", "venue": "VLDB", "year": 2021, "links": []}),
        ("[Ray: A Framework](https://example.org/ray) by Philipp Moritz et al., OSDI 2018",
         {"title": "Ray: A Framework", "venue": "OSDI", "year": 2018, "authors": ["Philipp Moritz"]}),
        ("A Scheduler ([EuroSys 2024](https://example.org/p)) \\[[Code](https://github.com/x/y)]",
         {"title": "A Scheduler", "venue": "EuroSys", "year": 2024,
          "links": [("paper", "https://example.org/p"), ("code", "https://github.com/x/y")]}),
        ("[x] [Unity: Accelerating DNN Training](https://example.org/u)", {"title": "Unity: Accelerating DNN Training", "status": "read"}),
        ("[ ] [A Paper](https://example.org/a)", {"status": "unread"}),
        ("`⚡` 📄 [(Horovod) Fast and easy distributed deep learning in TensorFlow](https://arxiv.org/abs/1802.05799)",
         {"title": "Fast and easy distributed deep learning in TensorFlow", "level": "essential", "kind": "paper", "nickname": "Horovod"}),
        ("`💡` 🛠️ [Jax](https://jax.readthedocs.io/)", {"kind": "tool", "level": "advanced"}),
        ("`💎` 🎓 [System for AI](https://github.com/microsoft/AI-System)", {"kind": "course", "level": "recommended"}),
        ("[UGache: A unified GPU cache](/notes/conference/sosp-2023/ugache.md): #DLRM\\_inference #GPU\\_embedding\\_cache",
         {"title": "UGache: A unified GPU cache", "path": "/notes/conference/sosp-2023/ugache.md",
          "tags": ["DLRM_inference", "GPU_embedding_cache"], "summary": ""}),
        ("[PilotFish: Harvesting Free Cycles](/n/conference/atc-2022/pilotfish.md): Co-locates cloud gaming and training.",
         {"summary": "Co-locates cloud gaming and training.", "tags": []}),
        ("Some Paper (NSDI '19)", {"title": "Some Paper", "venue": "NSDI", "year": 2019}),
        ("Learning by Doing: A Title", {"title": "Learning by Doing: A Title", "authors": []}),
        ("**[SOSP 2023]** [A Title](https://example.org/t)", {"title": "A Title", "venue": "SOSP", "year": 2023}),
        # the title as text, then side links; words before a titled link are not the title
        ("Batching Widgets Quickly [[Blog](https://b.org)] [[Model](https://m.org)] [[2.1](#x)]",
         {"title": "Batching Widgets Quickly", "links": [("artifact", "https://m.org")], "not_a_paper": None}),
        ("A Scheduler [[中文官网](https://c.cn)]", {"title": "A Scheduler", "links": []}),
        ("New paper [Orca](https://x.org/o)", {"title": "Orca", "links": [("paper", "https://x.org/o")]}),
        ("Must read: [Orca: A System](https://x.org/o)", {"title": "Orca: A System", "not_a_paper": None}),
        ("Project page: [widgets.example.org](https://w.org)", {"not_a_paper": "a 'Project page' line, not a paper"}),
        ("[Contents](#contents)", {"not_a_paper": "a contents line (a link within the page), not a paper"}),
        ("[Sparse Widgets](https://arxiv.org/abs/2502.22222) [NeurIPS'25 Spotlight]", {"venue": "NeurIPS", "year": 2025}),
        ("[Widget Codegen](https://arxiv.org/abs/1901.44444) CGO 2019", {"venue": "CGO", "year": 2019}),
        ("[Gadgets](https://g.org) by Jane Doe et al., OSDI 2022", {"authors": ["Jane Doe"], "venue": "OSDI", "year": 2022}),
    ],
)  # fmt: skip
def test_parse_item_shapes(line, expected):
    parsed = parse_item(line, VENUES)
    for key, value in expected.items():
        got = getattr(parsed, key)
        if key == "venue":
            got = got.key if got else None
        assert got == value, (key, parsed)


@pytest.mark.parametrize(
    ("text", "tags", "rest"),
    [
        ("#distributed_serving_system #batch_serving\n#transformer-based_model", ["distributed_serving_system", "batch_serving", "transformer-based_model"], ""),
        ("#GPU\\_sharing #all-reduce #rCUDA", ["GPU_sharing", "all-reduce", "rCUDA"], ""),
        ("Live GPU job migration.", [], "Live GPU job migration."),
        ("#serverless Reduce cold starts. #FaaS.", ["serverless", "FaaS"], "Reduce cold starts."),
        ("C# and F# are not tags; &#x20;nor is this", [], "C# and F# are not tags; nor is this"),
    ],
)  # fmt: skip
def test_split_hashtags(text, tags, rest):
    assert split_hashtags(text) == (tags, rest)


@pytest.mark.parametrize(
    ("parts", "venue", "year"),
    [
        (["conference", "osdi-2022"], "OSDI", 2022),
        (["journal", "tcc", "tcc-2021"], "TCC", 2021),
        (["journal", "tcc", "2021"], "TCC", 2021),
        (["miscellaneous", "arxiv", "2023"], "arXiv", 2023),
        (["journal", "communications-of-the-acm", "2015"], "CACM", 2015),
        (["miscellaneous", "msr-technical-report", "2011"], "MSR-TR", 2011),
        (["conference", "ispa-iucc-bdcloud-socialcom-sustaincom-2018"], "ISPA", 2018),
        (["reading-notes", "conference", "atc-2023"], "ATC", 2023),
        (["inbox"], None, None),
        (["misc", "2022"], None, 2022),
    ],
)
def test_venue_and_year_from_folders(parts, venue, year):
    found, found_year, _ = VENUES.from_parts(parts)
    assert (found.key if found else None, found_year) == (venue, year)


@pytest.mark.parametrize(
    ("url", "venue", "year"),
    [
        ("https://arxiv.org/abs/1802.05799", "arXiv", 2018),
        ("https://arxiv.org/pdf/2309.06180v2.pdf", "arXiv", 2023),
        ("https://www.usenix.org/system/files/osdi22-zheng-lianmin.pdf", "OSDI", 2022),
        ("https://www.usenix.org/system/files/atc21-ren-jie.pdf", "ATC", 2021),
        ("https://www.usenix.org/conference/nsdi23/presentation/zhang-hong", "NSDI", 2023),
        ("https://www.vldb.org/pvldb/vol13/p3005-li.pdf", "VLDB", 2020),
        ("https://proceedings.mlr.press/v139/narayanan21a/narayanan21a.pdf", "ICML", 2021),
        ("https://proceedings.mlsys.org/paper_files/paper/2019/file/x-Paper.pdf", "MLSys", 2019),
        ("https://proceedings.neurips.cc/paper_files/paper/2017/file/x-Paper.pdf", "NeurIPS", 2017),
        ("https://aclanthology.org/2023.acl-long.134.pdf", "ACL", 2023),
        ("https://openaccess.thecvf.com/content/CVPR2024/papers/x.pdf", "CVPR", 2024),
        ("https://www.computer.org/csdl/proceedings-article/isca/2024/265800a118/1Z", "ISCA", 2024),
        ("https://dl.acm.org/doi/10.1145/3600006.3613165", None, None),
        ("https://openreview.net/pdf?id=H4DqfPSibmx", None, None),
        ("https://proceedings.mlr.press/v999/x.pdf", None, None),
    ],
)
def test_venue_and_year_from_addresses(url, venue, year):
    found, found_year = VENUES.from_url(url)
    assert (found.key if found else None, found_year) == (venue, year)


def test_titles_that_are_the_same_paper():
    assert norm_title("Alpa: Automating Inter- and Intra-Operator Parallelism") == norm_title(
        "Alpa: Automating Interand Intra-Operator parallelism"
    )
    assert norm_title("ORCA: a  distributed serving system!") == norm_title("Orca: A Distributed Serving System")
    assert norm_title("Orca") != norm_title("Orca 2")


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("A One, B Two and C Three", ["A One", "B Two", "C Three"]),
        ("First Author et al.", ["First Author"]),  # "et al." is never an author
        ("A One, B Two, et al.", ["A One", "B Two"]),
        ("A One et al", ["A One"]),
        ("Mingcong Han, Rong Chen (SJTU)", ["Mingcong Han", "Rong Chen"]),
    ],
)
def test_split_authors(text, names):
    assert split_authors(text) == names


def test_convert_body_gitbook_markup(tmp_path):
    book = _Book(tmp_path)
    ctx = BodyContext(book, "a/note.md", "papers/osdi/2022/note.md", {}, {}, tmp_path / "docs", Report(), "note.md", 1)
    body = (
        '{% hint style="warning" %}\nMind the **gap**.\n{% endhint %}\n\nA&#x20;B\n\n'
        "```\nkeep &#x20; {% hint %}\n```\n\n"
        '<figure><img src="https://example.org/f.png" alt="F"><figcaption><p>Cap</p></figcaption></figure>\n\n'
        "[x](javascript:alert(1)) and [y](missing.md)\n"
    )
    out = convert_body(body, ctx)
    assert "!!! warning\n\n    Mind the **gap**." in out
    assert "A B" in out and "keep &#x20; {% hint %}" in out
    assert "[F](https://example.org/f.png)" in out and "*Cap*" in out and "<img" not in out
    assert "javascript" not in out and "(missing.md)" not in out and "x and y" in out
    messages = [r.message for r in ctx.report.rows]
    assert any("another site" in m for m in messages) and any("not an http(s) address" in m for m in messages)
    assert any("missing.md" in m and "not in the folder" in m for m in messages)


def test_read_facts():
    facts, kept, _lines = read_facts(
        "# OSDI 2022\n\nHomepage: https://www.usenix.org/conference/osdi22\n* Location: Carlsbad, CA\n"
        "[Accepted papers](https://example.org/papers)\nName: 16th USENIX OSDI\nHomepage: javascript:x\n\nText.\n"
    )
    assert facts.homepage == "https://www.usenix.org/conference/osdi22" and facts.location == "Carlsbad, CA"
    assert facts.papers_url == "https://example.org/papers" and facts.name == "16th USENIX OSDI"
    assert "Text." in kept and "Carlsbad" not in kept and "javascript:x" in kept


# ------------------------------------------------------------------------- import-list: shapes


def test_import_list_shapes_dry_run_rerun_and_counts(tmp_path):
    write_site(tmp_path, {})
    src = FIXTURES / "lists" / "shapes.md"
    dry = run_notes("import-list", str(src), "--dry-run", cwd=tmp_path)
    assert dry.returncode == 1, dry.stderr  # one line cannot be imported
    assert notes_under(tmp_path / "papers") == {} and "would import: papers/osdi/2022/orca.md" in dry.stdout

    proc = run_notes("import-list", str(src), cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    counts = summary(proc.stdout)
    assert counts == {"total": 14, "imported": 9, "duplicate": 3, "skipped": 1, "failed": 1}
    assert summary(dry.stdout) == counts
    # every list line is an entry, a sub-item kept in a summary, or a group kept as a topic
    list_lines = sum(1 for line in src.read_text(encoding="utf-8").splitlines() if LIST_ITEM.match(line))
    assert "(3 sub-item lines kept in summaries; 1 group line kept as topic)" in proc.stdout
    assert counts["total"] + 3 + 1 == list_lines
    outcome_lines = [int(m["line"]) for m in rows(proc.stdout) if m["label"] != "note"]
    assert len(outcome_lines) == len(set(outcome_lines)) == counts["total"]

    by_line = {int(m["line"]): m for m in rows(proc.stdout) if m["label"] != "note"}
    assert by_line[17]["label"] == "skipped" and "course" in by_line[17]["message"]
    assert by_line[18]["label"] == "not imported" and "unknown venue 'XYZ'" in by_line[18]["message"]
    assert "same DOI 10.1145/3341301.3359646" in by_line[19]["message"]
    # a line naming a venue for an arXiv paper imported above is its published version: one note, at the venue
    assert by_line[20]["label"] == "imported" and "papers/neurips/2019/megatron-preprint-again.md" in by_line[20]["message"]
    assert by_line[15]["label"] == "duplicate" and by_line[15]["message"] == (
        "preprint of line 20: merged into papers/neurips/2019/megatron-preprint-again.md, its published version"
    )
    assert "same title" in by_line[21]["message"] and "papers/osdi/2022/orca.md" in by_line[21]["message"]

    notes = notes_under(tmp_path / "papers")
    assert notes["osdi/2022/orca.md"]["topic"] == "Serving"
    assert (
        notes["vldb/2021/example-paper-batched-query-serving.md"]["venue"],
        notes["vldb/2021/example-paper-batched-query-serving.md"]["year"],
    ) == ("VLDB", 2021)
    assert notes["osdi/2018/ray.md"]["authors"] == ["Philipp Moritz"]
    sched = notes["eurosys/2024/example-scheduler-shared-clusters.md"]
    assert sched["links"] == {"paper": "https://example.org/eurosys24/scheduler", "code": "https://github.com/example/scheduler"}
    assert (
        notes["sosp/2019/pipedream.md"]["status"] == "read" and notes["sosp/2019/pipedream.md"]["links"]["doi"] == "10.1145/3341301.3359646"
    )
    megatron = notes["neurips/2019/megatron-preprint-again.md"]
    assert (
        megatron["status"] == "unread"
        and megatron["links"]["arxiv"] == "1909.08053"
        and "arxiv" not in {p.split("/")[0] for p in notes if "megatron" in p}
    )
    assert notes["arxiv/2019/zero.md"]["level"] == "recommended"
    alpaserve = notes["osdi/2023/alpaserve.md"]
    assert alpaserve["status"] == "read" and alpaserve["summary"] == "model parallelism helps serving too; bursty traffic"
    assert "topic" not in alpaserve and notes["osdi/2023/example-compiler-paper.md"]["topic"] == "misc"
    assert all(not data["_body"].strip() for data in notes.values())  # paper entries: no body

    before = tree_hash(tmp_path / "papers")
    again = run_notes("import-list", str(src), cwd=tmp_path)
    assert tree_hash(tmp_path / "papers") == before
    assert summary(again.stdout) == {"total": 14, "imported": 0, "duplicate": 12, "skipped": 1, "failed": 1}
    assert run_notes("check", cwd=tmp_path).returncode == 0


def test_import_usage_errors(tmp_path):
    write_site(tmp_path, {})
    assert run_notes("import-list", "nope.md", cwd=tmp_path).returncode == 2
    assert run_notes("import-notes", "nope", cwd=tmp_path).returncode == 2
    (tmp_path / "file").write_text("x")
    assert run_notes("import-list", str(FIXTURES / "lists" / "shapes.md"), "--out", "file", cwd=tmp_path).returncode == 2
    (tmp_path / "papers" / "venues.yml").write_text("venues: [broken\n")
    proc = run_notes("import-list", str(FIXTURES / "lists" / "shapes.md"), cwd=tmp_path)
    assert proc.returncode == 2 and "venues.yml" in proc.stderr


def test_existing_notes_are_duplicates_and_never_overwritten(tmp_path):
    existing = (
        '---\ntitle: "Orca: A Distributed Serving System for Transformer-Based Generative Models"\nvenue: OSDI\nyear: 2022\n---\nMine.\n'
    )
    other = '---\ntitle: "Something else entirely"\nvenue: OSDI\nyear: 2018\n---\n'
    write_site(tmp_path, {"osdi/2022/orca.md": existing, "osdi/2018/ray.md": other})
    proc = run_notes("import-list", str(FIXTURES / "lists" / "shapes.md"), cwd=tmp_path)
    assert "duplicate: of papers/osdi/2022/orca.md (same title); not carried over: topic 'Serving'" in proc.stdout
    assert (tmp_path / "papers/osdi/2022/orca.md").read_text() == existing
    assert (tmp_path / "papers/osdi/2018/ray.md").read_text() == other
    ray = parse_front_matter((tmp_path / "papers/osdi/2018/ray-osdi18.md").read_text()).data  # a free name, not ray.md
    assert ray["title"].startswith("Ray: A Distributed Framework")
    assert run_notes("check", cwd=tmp_path).returncode == 0


# ----------------------------------------------------------------------------- import-list: seeds


def _expected_002() -> dict[str, dict]:
    """What seed 002 says about each linked or listed paper, read independently of the importer."""
    expected: dict[str, dict] = {}
    venue = year = group = None
    for line in SEED_002.read_text(encoding="utf-8").splitlines():
        if m := re.match(r"^# (\w+)\s*$", line):
            venue, year = m.group(1), None
        elif m := re.match(r"^## (\d{4})\s*$", line):
            year, group = int(m.group(1)), None
        elif m := re.match(r"^- (misc|GPU share)\s*$", line):
            group = m.group(1)
        elif m := re.match(
            r"^(?P<indent>\s*)[-*] (?P<read>\[x\] )?(?:\[(?P<linked>[^\]]+)\]\(|(?P<plain>[A-Z][^\[]*:.*|[A-Z][\w/\- ]+ [\w\- ]+ .*))", line
        ):
            if m["indent"] and not group:
                continue  # a note under a paper
            if m["indent"] and len(m["indent"]) > 4:
                continue
            title = (m["linked"] or m["plain"]).strip()
            if not m["indent"]:
                group = None
            expected[norm_title(title)] = {"venue": venue, "year": year, "read": bool(m["read"]), "topic": group, "title": title}
    return expected


def _expected_003() -> dict[int, dict]:
    """Line → level, kind and topic of every item of seed 003."""
    expected = {}
    topic = None
    marks = {"⚡": "essential", "💎": "recommended", "💡": "advanced"}
    for i, line in enumerate(SEED_003.read_text(encoding="utf-8").splitlines(), 1):
        if m := re.match(r"^#{2,6} (.+)$", line):
            topic = m.group(1).strip()
        elif m := re.match(r"^- `(⚡|💎|💡)` (\S+) \[(.+)\]\((\S+)\)$", line):
            expected[i] = {"level": marks[m.group(1)], "paper": m.group(2) == "📄", "topic": topic, "title": m.group(3), "url": m.group(4)}
    return expected


@needs_seeds
def test_import_seed_002_and_003_into_a_site(tmp_path):
    write_site(tmp_path, {})
    first = run_notes("import-list", str(SEED_002), cwd=tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    c002 = summary(first.stdout)
    lines_002 = sum(1 for line in SEED_002.read_text(encoding="utf-8").splitlines() if LIST_ITEM.match(line))
    extra = re.search(r"\((\d+) sub-item lines kept in summaries; (\d+) group lines kept as topics\)", first.stdout)
    assert extra and c002["total"] + int(extra[1]) + int(extra[2]) == lines_002
    assert c002["imported"] == c002["total"] == 57

    second = run_notes("import-list", str(SEED_003), cwd=tmp_path)
    assert second.returncode == 1  # some lines name no venue, and their addresses do not tell
    c003 = summary(second.stdout)
    expected_003 = _expected_003()
    assert (
        c003["total"] == len(expected_003) == sum(1 for line in SEED_003.read_text(encoding="utf-8").splitlines() if LIST_ITEM.match(line))
    )
    assert c003["skipped"] == sum(1 for e in expected_003.values() if not e["paper"])

    notes = notes_under(tmp_path / "papers")
    titles = by_title(notes)
    # seed 002: venue, year, read mark and group of every paper
    expected_002 = _expected_002()
    assert len(expected_002) == 57
    for key, want in expected_002.items():
        rel, data = titles[key]
        assert (data["venue"].lower(), data["year"]) == (want["venue"], want["year"]), rel
        assert (data.get("status") == "read") == want["read"], rel
        assert data.get("topic") == want["topic"], rel
        assert rel.startswith(f"{want['venue']}/{want['year']}/")
    assert titles[norm_title("PipeSwitch: Fast Pipelined Context Switching for Deep Learning Applications")][1]["summary"].endswith(
        "achieves near 100% GPU utilization"
    )

    # seed 003: every paper line is imported with its level and topic, a duplicate, or not imported with a reason
    outcomes = {int(m["line"]): m for m in rows(second.stdout) if m["label"] != "note"}
    assert set(outcomes) == set(expected_003)
    for line, want in expected_003.items():
        outcome = outcomes[line]
        if not want["paper"]:
            assert outcome["label"] == "skipped"
            continue
        if outcome["label"] == "imported":
            rel = outcome["message"].split(" ", 1)[0].removeprefix("papers/")
            data = notes[rel]
            assert (data["level"], data["topic"]) == (want["level"], want["topic"]), line
            assert data["links"]["paper"] == want["url"]
        elif outcome["label"] == "duplicate":
            assert f"level {want['level']}" in outcome["message"] and f"topic {want['topic']!r}" in outcome["message"]
        else:
            assert outcome["label"] == "not imported" and "no venue" in outcome["message"], outcome.group(0)
            assert re.search(r"dl\.acm\.org|openreview\.net|ieeexplore", want["url"])
    imported = {m["message"].split(" ", 1)[0] for m in outcomes.values() if m["label"] == "imported"}
    assert "papers/arxiv/2018/fast-easy-distributed-deep-learning.md" in imported  # (Horovod) …, arXiv id 1802.…
    horovod = notes["arxiv/2018/fast-easy-distributed-deep-learning.md"]
    assert horovod["title"] == "Fast and easy distributed deep learning in TensorFlow" and horovod["links"]["arxiv"] == "1802.05799"
    assert notes["vldb/2020/pytorch-distributed.md"]["topic"] == "数据并行（All-Reduce based）"
    dup_lines = [m for m in outcomes.values() if m["label"] == "duplicate"]
    assert {m["message"].split(" ")[1] for m in dup_lines} == {"papers/osdi/2022/alpa.md", "papers/osdi/2022/unity.md",
                                                               "papers/osdi/2022/orca.md", "papers/osdi/2023/alpaserve.md"}  # fmt: skip

    check = run_notes("check", cwd=tmp_path)
    assert check.returncode == 0, check.stdout
    build = run_mkdocs(tmp_path, "--strict")
    assert build.returncode == 0, build.log
    edition = build.html("venues/osdi/2020")
    assert "HiveD: Sharing a GPU Cluster" in edition and "GPU share" in edition
    assert "Fast and easy distributed deep learning in TensorFlow" in build.html("venues/arxiv/2018")
    assert "⚡" in build.html("papers/arxiv/2018/fast-easy-distributed-deep-learning")


@needs_seeds
def test_import_seed_004_table_of_contents_as_a_list(tmp_path):
    write_site(tmp_path, {})
    proc = run_notes("import-list", str(SEED_004), cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout
    counts = summary(proc.stdout)
    lines = SEED_004.read_text(encoding="utf-8").splitlines()
    assert counts["total"] == sum(1 for line in lines if LIST_ITEM.match(line))
    notes = notes_under(tmp_path / "papers")
    papers = 0
    for line in lines:
        m = re.match(r"^- \[(?P<title>.+)\]\(/reading-notes/(?P<dirs>(?:[^)]+/)+)(?P<stem>[^/)]+)\.md\)", line)
        if not m or not re.search(r"(?:19|20)\d\d/$", m["dirs"]):
            continue  # a section, venue or edition page
        papers += 1
        year = int(re.findall(r"(?:19|20)\d\d", m["dirs"])[-1])
        found = [data for rel, data in notes.items() if rel.endswith(f"/{year}/{m['stem']}.md")]
        assert len(found) == 1 and found[0]["title"] == m["title"], line
    assert counts["imported"] == papers == len(notes)
    expect = {"osdi/2022/orca.md": "OSDI", "tcc/2021/gemini-enabling-multi-tenant-gpu-sharing-based-on-kernel-burst-estimation.md": "TCC",
              "ccr/2021/data-driven-networking-research.md": "CCR", "msr-tr/2011/heuristics-for-vector-bin-packing.md": "MSR-TR",
              "cacm/2015/why-google-stores-billions-of-lines-of-code-in-a-single-repository.md": "CACM", "ispa/2018/gaiagpu.md": "ISPA"}  # fmt: skip
    for rel, venue in expect.items():
        assert notes[rel]["venue"] == venue
    assert {"transformer-based_model", "iteration-level_scheduling"} <= set(notes["osdi/2022/orca.md"]["tags"])
    assert "rCUDA" in notes["eurosys/2022/slashing-the-disaggregation-tax-in-heterogeneous-data-centers-with-fractos.md"]["tags"]
    assert "all-reduce" in notes["osdi/2020/byteps.md"]["tags"]
    assert notes["arxiv/2022/singularity.md"]["summary"] == "Live GPU job migration."
    assert run_notes("check", cwd=tmp_path).returncode == 0


# --------------------------------------------------------------------------- import-notes: GitBook


def _book(tmp_path: Path) -> Path:
    book = tmp_path / "book"
    shutil.copytree(FIXTURES / "gitbook", book)
    (book / ".gitbook" / "assets").mkdir(parents=True)
    (book / ".gitbook" / "assets" / "orca-figure.png").write_bytes(PNG)
    (book / "inbox" / "link.md").symlink_to(book / "inbox" / "pollux.md")
    return book


EXPECTED_NOTES = {  # fixture file → where it must land
    "conference/osdi-2022/orca.md": "osdi/2022/orca.md",  # folder
    "conference/osdi-2022/reef.md": "osdi/2022/reef.md",  # folder, no front-matter
    "conference/osdi-2022/paged.md": "sosp/2023/paged.md",  # the front-matter wins over the folder
    "conference/atc-2023/lina.md": "atc/2023/lina.md",
    "journal/tcc/tcc-2021/gemini.md": "tcc/2021/gemini.md",
    "journal/ccr/2007/how-to-read-a-paper.md": "ccr/2007/how-to-read-a-paper.md",
    "miscellaneous/arxiv/2023/flexgen.md": "arxiv/2023/flexgen.md",
    "inbox/pollux.md": "osdi/2021/pollux.md",  # # [2021 OSDI] title prefix
    "inbox/shepherd.md": "nsdi/2023/shepherd.md",  # "Presented in [NSDI 2023](…)"
}


def test_import_gitbook_folder(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    write_site(site, {})
    book = _book(tmp_path)

    dry = run_notes("import-notes", str(book), "--dry-run", cwd=site)
    assert notes_under(site / "papers") == {} and not (site / "docs" / "assets").exists() and not (site / "papers" / "venues.yml").exists()
    assert not (site / "docs" / "venues").exists()

    proc = run_notes("import-notes", str(book), cwd=site)
    assert proc.returncode == 1, proc.stdout + proc.stderr  # inbox/mystery.md names no venue
    counts = summary(proc.stdout)
    assert summary(dry.stdout) == counts
    files = sum(1 for p in book.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(book).parts))
    m = re.search(r"(\d+) inputs \((\d+) files, (\d+) list entries of index pages\)", proc.stdout)
    assert m and int(m[2]) == files and int(m[1]) == counts["total"] == files + int(m[3])
    assert counts == {"total": 25, "imported": 13, "duplicate": 1, "skipped": 10, "failed": 1}

    notes = notes_under(site / "papers")
    for source, target in EXPECTED_NOTES.items():
        assert target in notes, (source, sorted(notes))
    outcomes = {(m["source"].split("book/", 1)[-1], m["label"]): m["message"] for m in rows(proc.stdout)}
    assert "duplicate" in {label for (src, label) in outcomes if src == "inbox/orca-again.md"}
    assert "no venue" in outcomes[("inbox/mystery.md", "not imported")]
    assert outcomes[("inbox/todo.txt", "skipped")] == "not a Markdown note"
    assert "symbolic link" in outcomes[("inbox/link.md", "skipped")]
    assert "1 listed paper(s) without a note read" in outcomes[("conference/README.md", "skipped")]
    assert (notes["osdi/2018/ray.md"]["venue"], notes["osdi/2018/ray.md"]["year"]) == ("OSDI", 2018)  # from its address

    orca = notes["osdi/2022/orca.md"]
    assert orca["tags"] == [
        "distributed_serving_system",
        "batch_serving",
        "selective_batching",
        "transformer-based_model",
        "iteration-level_scheduling",
    ]
    assert orca["authors"][0] == "Gyeong-In Yu" and orca["authors"][-1] == "Byung-Gon Chun"
    assert orca["links"] == {"paper": "https://www.usenix.org/conference/osdi22/presentation/yu"}
    assert "!!! info\n\n    The trick" in orca["_body"] and "{%" not in orca["_body"]
    assert "# Orca" not in orca["_body"]  # the title heading became the title
    assert re.search(r"!\[Iteration-level scheduling\]\(\.\./\.\./\.\./assets/imported/orca-figure-[0-9a-f]{8}\.png\)", orca["_body"])
    assert "image not found" in orca["_body"]
    assert any(m["label"] == "note" and "missing image ../../.gitbook/assets/deleted-diagram.png" in m["message"]
               and int(m["line"]) == 31 for m in rows(proc.stdout))  # fmt: skip
    assert "[REEF](reef.md)" in orca["_body"]
    reef = notes["osdi/2022/reef.md"]
    assert "ones; the GPU" in reef["_body"] and "&#x20; here is not touched" in reef["_body"]
    assert notes["atc/2023/lina.md"]["tags"] == ["MoE", "all-reduce", "transformer-based_model"]
    assert "rCUDA" in notes["tcc/2021/gemini.md"]["tags"]
    assert notes["ccr/2007/how-to-read-a-paper.md"]["summary"] == "A three-pass way to read research papers."
    assert notes["arxiv/2023/flexgen.md"]["links"]["arxiv"] == "2303.06865"
    assert (
        "!!! warning" in notes["arxiv/2023/flexgen.md"]["_body"]
        and "<https://github.com/FMInference/FlexGen>" in notes["arxiv/2023/flexgen.md"]["_body"]
    )
    assert notes["osdi/2021/pollux.md"]["title"] == "Pollux: Co-adaptive cluster scheduling for goodput-optimized deep learning"
    assert notes["sosp/2023/paged.md"]["tags"] == ["KV_cache", "LLM_serving"]
    # papers listed in index pages without a note of their own
    assert notes["osdi/2022/alpa.md"]["summary"] == "auto-parallelization across and within operators"
    assert notes["osdi/2022/ekko.md"]["links"]["paper"].endswith("/sima") and not notes["osdi/2022/ekko.md"]["_body"].strip()
    assert notes["nsdi/2017/clipper.md"]["tags"] == ["model_serving", "caching"]
    # edition facts and the edition page's own text
    venues_yml = (site / "papers" / "venues.yml").read_text()
    assert 'homepage: "https://www.usenix.org/conference/osdi22"' in venues_yml and 'location: "Boston, MA, USA"' in venues_yml
    assert (
        site / "docs/venues/osdi/2022/index.md"
    ).read_text().strip() == "Serving and scheduling for deep learning had a whole session this year."

    check = run_notes("check", cwd=site)
    assert check.returncode == 0, check.stdout
    build = run_mkdocs(site, "--strict")
    assert build.returncode == 0, build.log
    page = build.html("papers/osdi/2022/orca")
    assert 'class="admonition info"' in page and re.search(
        r'<img alt="Iteration-level scheduling" src="[./]*assets/imported/orca-figure-', page
    )
    edition = build.html("venues/osdi/2022")
    assert "Carlsbad, CA, USA" in edition and "had a whole session" in edition and "Alpa: Automating" in edition

    before = tree_hash(site / "papers", site / "docs")
    again = run_notes("import-notes", str(book), cwd=site)
    assert tree_hash(site / "papers", site / "docs") == before
    assert summary(again.stdout) == {"total": 25, "imported": 0, "duplicate": 14, "skipped": 10, "failed": 1}


@needs_seeds
def test_import_gitbook_with_seed_004_as_table_of_contents(tmp_path):
    """Seed 004 is a GitBook table of contents: notes that exist are imported from their files, the
    rest become paper entries at the venue and year of their path."""
    site = tmp_path / "site"
    site.mkdir()
    write_site(site, {})
    book = tmp_path / "book"
    book.mkdir()
    shutil.copyfile(SEED_004, book / "SUMMARY.md")
    for rel in (
        "conference/osdi-2022/orca.md",
        "conference/atc-2023/lina.md",
        "miscellaneous/arxiv/2023/flexgen.md",
        "conference/osdi-2022.md",
    ):
        (book / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(FIXTURES / "gitbook" / rel, book / rel)
    proc = run_notes("import-notes", str(book), cwd=site)
    assert proc.returncode == 0, proc.stdout
    counts = summary(proc.stdout)
    notes = notes_under(site / "papers")
    assert notes["osdi/2022/orca.md"]["_body"].strip() and notes["atc/2023/lina.md"]["_body"].strip()  # from their files
    assert not notes["osdi/2022/reef.md"]["_body"].strip()  # listed only: a paper entry
    toc = SEED_004.read_text(encoding="utf-8").splitlines()
    # 5 files; the table of contents' lines, less the 4 whose pages are files; 3 papers the edition page lists
    assert counts["total"] == 5 + (sum(1 for line in toc if LIST_ITEM.match(line)) - 4) + 3
    assert counts["imported"] == len(notes)
    assert run_notes("check", cwd=site).returncode == 0


# ------------------------------------------------------------------ import-list: shapes that lost papers


def test_import_list_edges_each_shape(tmp_path):
    """tests/fixtures/lists/edges.md: one made-up line per shape that used to lose or misplace a paper."""
    write_site(tmp_path, {})
    src = FIXTURES / "lists" / "edges.md"
    proc = run_notes("import-list", str(src), cwd=tmp_path)
    by_line = {int(m["line"]): (m["label"], m["message"]) for m in rows(proc.stdout) if m["label"] != "note"}
    notes = notes_under(tmp_path / "papers")
    # contents lines (links within the page) are not papers
    assert by_line[7] == by_line[8] == ("skipped", "a contents line (a link within the page), not a paper")
    # "Title ([EuroSys 2024](…)) \[[arXiv](…)] \[[Code](…)]": the text is the title, the links are links
    assert notes["eurosys/2024/widget-serving-scale.md"]["links"] == {
        "paper": "https://example.org/eurosys24/widget",
        "code": "https://github.com/example/widget",
        "arxiv": "2401.11111",
    }
    # "Title [[Blog](…)] [[Model](…)]": never a paper titled "Blog" or "中文官网"
    assert by_line[13] == (
        "not imported",
        "'Batching Widgets Quickly': no venue: neither the line nor its headings name one, "
        "and its example.org address does not tell (add it to the line, like [OSDI'22])",
    )
    assert by_line[14][1].startswith("'Caching Widgets Everywhere': no venue")
    # "by First Author et al., VENUE YYYY": "et al." is not an author
    assert notes["osdi/2022/gadget-scheduling-shared-clusters.md"]["authors"] == ["Jane Doe"]
    # a venue with a presentation mark, or after the link, wins over the arXiv address
    assert "neurips/2025/sparse-widgets.md" in notes and "pldi/2025/verified-widget-compilers.md" in notes
    assert notes["cgo/2019/widget-code-generation.md"]["links"]["arxiv"] == "1901.44444"
    # "[also in [2.1](#…)]" is a cross-reference, not a title
    assert notes["osdi/2023/widget-collectives-clusters.md"]["title"] == "Widget Collectives for Clusters"
    assert by_line[20] == ("skipped", "a link to a list of papers ('OSDI 2024 accepted papers'), not a paper")
    assert by_line[21] == ("skipped", "a 'Project page' line, not a paper")
    # the arXiv line comes first: its published version (EuroSys'23) wins, the arXiv id stays
    assert by_line[25] == (
        "duplicate",
        "preprint of line 26: merged into papers/eurosys/2023/elastic-widget-training.md, its published version",
    )
    ewt = notes["eurosys/2023/elastic-widget-training.md"]
    assert (ewt["venue"], ewt["year"], ewt["links"]["arxiv"]) == ("EuroSys", 2023, "2202.55555")
    assert not any(path.startswith("arxiv/") for path in notes)
    # an unknown venue beside an arXiv address is reported, not turned into arXiv
    assert by_line[27] == ("not imported", "'Widget Thing': unknown venue 'WXYZ' (add it to papers/venues.yml, then run again)")
    assert by_line[31] == ("skipped", "under 'References', not a paper")
    assert summary(proc.stdout) == {"total": 16, "imported": 7, "duplicate": 1, "skipped": 5, "failed": 3}
    assert run_notes("check", cwd=tmp_path).returncode == 0


def test_import_list_exits_0_when_nothing_needs_a_person(tmp_path):
    write_site(tmp_path, {})
    text = (FIXTURES / "lists" / "edges.md").read_text(encoding="utf-8")
    keep = [line for line in text.splitlines() if not re.search(r"Batching|Caching|Widget Thing", line)]
    (tmp_path / "list.md").write_text("\n".join(keep) + "\n", encoding="utf-8")
    proc = run_notes("import-list", "list.md", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout
    assert summary(proc.stdout) == {"total": 13, "imported": 7, "duplicate": 1, "skipped": 5, "failed": 0}


def test_import_notes_gitbook_edges(tmp_path):
    """tests/fixtures/gitbook_edges: a single-file edition page (osdi-2023.md, no osdi-2023/ folder), an
    affiliation after the authors, GitBook's \\_ inside a link."""
    write_site(tmp_path, {})
    proc = run_notes("import-notes", str(FIXTURES / "gitbook_edges"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout
    notes = notes_under(tmp_path / "papers")
    assert {p for p in notes if p.startswith("osdi/")} == {
        "osdi/2023/widget-placement-sharded-models.md",
        "osdi/2023/gadget-memory-pools-inference.md",
    }
    lib = notes["arxiv/2024/widget-lib.md"]
    assert lib["authors"] == ["Alice Smith", "Bob Jones"]  # not "_University of Example"
    assert lib["links"]["code"] == "https://github.com/example/widget_lib"
    assert "osdi-2023.md:1: skipped: the index page of OSDI 2023" in proc.stdout
    # a title cut short with "..." is the note it starts, not a second paper
    assert "osdi-2023.md:9: duplicate: of papers/arxiv/2024/widget-lib.md (same title, cut short)" in proc.stdout
    # an image outside the imported folder exists: it is not reported missing
    assert (
        "widget-lib.md:14: note: image ../../../../gitbook_edges_assets/design.png is outside the imported folder "
        "(gitbook_edges_assets): not copied (import the folder that holds it too): kept as text"
    ) in proc.stdout
    assert "missing image" not in proc.stdout


def test_merge_adds_level_and_topic_to_duplicates_but_never_overwrites(tmp_path):
    write_site(tmp_path, {
        "osdi/2022/widgets.md": note("Widgets at Scale", venue="OSDI", year=2022, body="## Problem\nMine.\n"),
        "osdi/2022/gadgets.md": note("Gadgets at Scale", venue="OSDI", year=2022, level="advanced", topic="Mine"),
    })  # fmt: skip
    (tmp_path / "list.md").write_text("# List\n\n## Serving\n\n- `⚡` [OSDI'22] Widgets at Scale\n- `⚡` [OSDI'22] Gadgets at Scale\n")
    plain = run_notes("import-list", "list.md", cwd=tmp_path)
    assert "not carried over: level essential, topic 'Serving'" in plain.stdout
    before = (tmp_path / "papers/osdi/2022/gadgets.md").read_text()
    proc = run_notes("import-list", "list.md", "--merge", cwd=tmp_path)
    assert (
        "list.md:5: duplicate: of papers/osdi/2022/widgets.md (same title); merged into it: level essential, topic 'Serving'" in proc.stdout
    )
    assert (
        "list.md:6: duplicate: of papers/osdi/2022/gadgets.md (same title); not carried over: level essential, topic 'Serving'"
        in proc.stdout
    )
    widgets = notes_under(tmp_path / "papers")["osdi/2022/widgets.md"]
    assert (widgets["level"], widgets["topic"], widgets["_body"]) == ("essential", "Serving", "## Problem\nMine.\n")
    assert (tmp_path / "papers/osdi/2022/gadgets.md").read_text() == before  # a field a person set is never changed
    assert run_notes("check", cwd=tmp_path).returncode == 0


def test_import_notes_adds_new_venues_and_edition_facts_to_a_fresh_sites_venues_file(tmp_path):
    assert run_notes("init", "site", cwd=tmp_path).returncode == 0
    site = tmp_path / "site"
    notes = site / "nb" / "misc"
    notes.mkdir(parents=True)
    (notes / "x.md").write_text(
        "# Widget Queues Considered Harmful\n\nPresented in [Proceedings of the 3rd Workshop on Widget Queues (WQ '24)](https://example.org/wq24)\n"
    )
    first = run_notes("import-notes", "nb", cwd=site)
    assert first.stdout.splitlines()[:2] == ["nb/misc/x.md:1: note: new venue 'WQ' (workshop): added to venues.yml",
                                             "nb/misc/x.md:1: imported: papers/wq/2024/x.md (note, WQ 2024)"]  # fmt: skip
    second = run_notes("import-notes", str(FIXTURES / "gitbook_edges"), cwd=site)
    assert "note: added the facts of 1 edition(s) to papers/venues.yml" in second.stdout
    text = (site / "papers" / "venues.yml").read_text()
    assert (
        '  "WQ": {name: "Workshop on Widget Queues", kind: workshop' in text
        and '2023: {homepage: "https://www.usenix.org/conference/osdi23"}' in text
    )
    assert run_notes("check", cwd=site).returncode == 0
