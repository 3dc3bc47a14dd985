"""Reading paths: file format errors, pages, prev/next on paper pages, the shipped paths."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT, note

from generator import pipeline
from generator.index.paths import steps_of_paper


def build_with_path(tmp_path: Path, path_yaml: str, notes: dict[str, str] | None = None):
    papers = tmp_path / "papers"
    for rel, text in (notes or {"osdi/2022/orca.md": note("Orca"), "sosp/2023/vllm.md": note("vLLM", venue="SOSP", year=2023)}).items():
        (papers / rel).parent.mkdir(parents=True, exist_ok=True)
        (papers / rel).write_text(text, encoding="utf-8")
    (papers / "paths").mkdir(parents=True, exist_ok=True)
    (papers / "paths" / "x.yml").write_text(path_yaml, encoding="utf-8")
    return pipeline.build(papers, tmp_path)


GOOD = """\
title: Serving
sections:
  - title: Basics
    steps:
      - paper: orca
        why: Batching per iteration.
      - title: A course
        url: https://example.org/course
        kind: course
        level: 💎
  - title: Memory
    steps:
      - vllm
"""


def test_good_path(tmp_path):
    result = build_with_path(tmp_path, GOOD)
    assert result.problems == []
    (path,) = result.catalog.paths
    assert [(s.number, s.key, s.kind) for s in path.steps] == [(1, "orca", "paper"), (2, "course-a-course", "course"), (3, "vllm", "paper")]
    assert path.steps[1].level == "recommended" and path.steps[0].why == "Batching per iteration."


@pytest.mark.parametrize(
    "steps, expected",
    [
        ("      - paper: orcaa\n", "papers/paths/x.yml:5: steps: unknown paper 'orcaa' (did you mean 'orca'?)"),
        ("      - orca\n      - paper: orca\n", "papers/paths/x.yml:6: steps: duplicate step 'orca' (already step 1)"),
        (
            "      - title: Some blog post\n",
            "papers/paths/x.yml:5: steps: step 'Some blog post' is neither a paper of the site nor a resource with a url",
        ),
        (
            "      - {}\n",
            "papers/paths/x.yml:5: steps: a step needs either 'paper: <id>' or a 'title' with a 'url' (or 'unverified: true')",
        ),
        (
            "      - paper: orca\n        level: must\n",
            "papers/paths/x.yml:6: level: 'must' is not a level (use one of: essential, recommended, advanced, or ⚡ 💎 💡)",
        ),
        (
            "      - title: T\n        url: 'javascript:alert(1)'\n",
            "papers/paths/x.yml:6: url: 'javascript:alert(1)' is not an http(s) URL",
        ),
        (
            "      - title: T\n        url: https://x.org\n        kind: podcast\n",
            "papers/paths/x.yml:7: kind: 'podcast' is not a kind (use one of: paper, course, book, tool, material, article, video)",
        ),
        ("      - paper: orca\n        whyy: x\n", "papers/paths/x.yml:6: steps: unknown step field 'whyy' (did you mean 'why'?)"),
        ("      - paper: orca\n        requires: [nope]\n", "papers/paths/x.yml:1: requires: step 'orca' requires unknown step 'nope'"),
    ],
)
def test_path_errors(tmp_path, steps, expected):
    result = build_with_path(tmp_path, "title: P\nsections:\n  - title: S\n    steps:\n" + steps)
    assert next(str(p) for p in result.problems).startswith(expected)
    assert result.catalog.paths == []


def test_prerequisite_cycle_is_printed(tmp_path):
    yaml = (
        "title: P\nsections:\n  - title: S\n    steps:\n      - paper: orca\n        requires: [vllm]\n"
        "      - title: C\n        id: c\n        url: https://x.org\n        requires: [orca]\n"
        "      - paper: vllm\n        requires: [c]\n"
    )
    result = build_with_path(tmp_path, yaml)
    assert [str(p) for p in result.problems] == ["papers/paths/x.yml:1: requires: prerequisite cycle: orca → vllm → c → orca"]


def test_bad_path_does_not_hide_note_problems(tmp_path):
    notes = {"osdi/2022/orca.md": note("Orca", venue="OSDII"), "sosp/2023/vllm.md": note("vLLM", venue="SOSP", year=2023)}
    result = build_with_path(tmp_path, "title: P\nsections:\n  - title: S\n    steps:\n      - paper: orca\n", notes)
    assert [p.field for p in result.problems] == ["venue", "steps"]


def test_path_pages_and_prev_next(site):
    notes = {
        "osdi/2022/orca.md": note("Orca", status="read"),
        "sosp/2023/vllm.md": note("vLLM", venue="SOSP", year=2023),
        "osdi/2024/distserve.md": note("DistServe", year=2024),
        "paths/must-read.yml": "title: Must read\nsections:\n  - title: S\n    steps: [orca, vllm, distserve]\n",
    }
    build = site(notes)
    assert build.returncode == 0, build.log
    page = build.html("must-read")
    hrefs = re.findall(r'class="rn-path-step__title" href="([^"]+)"', page)
    assert hrefs == ["../papers/osdi/2022/orca/", "../papers/sosp/2023/vllm/", "../papers/osdi/2024/distserve/"]
    assert "1 of 3 steps read" in page and "0 of 3 steps" in page  # one N for both counters
    assert build.exists("paths/must-read") and build.exists("paths")
    assert "3 steps (3 papers) in 1 section · 1 of 3 read by the maintainers" in build.html("paths")

    vllm = build.html("papers/sosp/2023/vllm")
    assert "Step 2 of 3 in" in vllm
    assert 'href="../../../orca/"' not in vllm  # links are relative to the paper page:
    assert 'class="rn-path-nav__prev" href="../../../osdi/2022/orca/" rel="prev"' in vllm
    assert 'class="rn-path-nav__next" href="../../../osdi/2024/distserve/" rel="next"' in vllm
    orca = build.html("papers/osdi/2022/orca")
    assert "rn-path-nav__prev" not in orca and "Step 1 of 3" in orca


def test_an_unverified_step_counts_nowhere(site):
    notes = {
        "osdi/2022/orca.md": note("Orca", status="read"),
        "sosp/2023/vllm.md": note("vLLM", venue="SOSP", year=2023),
        "osdi/2024/distserve.md": note("DistServe", year=2024),
        "paths/must-read.yml": (
            "title: Must read\nsections:\n  - title: S\n    steps:\n      - orca\n      - vllm\n"
            "      - {title: A Lost Paper, id: lost, unverified: true, note: Not found.}\n"
            "      - {paper: distserve, requires: [lost]}\n"
        ),
    }
    build = site(notes)
    assert build.returncode == 0, build.log
    page = build.html("must-read")
    # counters: 3 steps a reader can take, the same N everywhere
    assert 'data-rn-steps="3"' in page and "1 of 3 steps read" in page and "0 of 3 steps" in page
    assert "3 steps (3 papers) in 1 section · 1 of 3 read by the maintainers" in build.html("paths")
    # no tick box and no number for the placeholder; DistServe is step 3
    lost = re.search(r'<li class="[^"]*rn-path-step--unverified" id="step-lost"[^>]*>(.*?)</li>', page, re.DOTALL)
    assert lost and "rn-path-tick" not in lost.group(1) and "value=" not in lost.group(0)
    assert page.count('class="rn-path-tick__box"') == 3
    assert re.findall(r'id="step-(\d+)" value="(\d+)"', page) == [("1", "1"), ("2", "2"), ("3", "3")]
    assert "A Lost Paper (unverified)" in page  # a requirement on it is named, not linked
    # previous/next skip it
    vllm = build.html("papers/sosp/2023/vllm")
    assert "Step 2 of 3 in" in vllm and 'class="rn-path-nav__next" href="../../../osdi/2024/distserve/" rel="next"' in vllm
    distserve = build.html("papers/osdi/2024/distserve")
    assert "Step 3 of 3 in" in distserve and 'class="rn-path-nav__prev" href="../../../sosp/2023/vllm/" rel="prev"' in distserve


def test_shipped_must_read_counters_agree():
    result = pipeline.build(ROOT / "papers", ROOT)
    must = next(p for p in result.catalog.paths if p.name == "must-read")
    counted = must.counted_steps
    assert len(must.steps) == 10 and len(counted) == 9 and [s.number for s in counted] == list(range(1, 10))
    vllm = next(found for found in steps_of_paper(result.catalog.paths, result.catalog.by_id["vllm"]) if found[0] is must)
    assert vllm[3].key == "byteps"  # next from vLLM skips the unverified FISCO


def test_bad_path_file_fails_strict_build(site):
    build = site({"osdi/2022/orca.md": note("Orca"), "paths/x.yml": "title: P\nsections:\n  - title: S\n    steps: [orcaa]\n"})
    assert build.returncode != 0
    assert "papers/paths/x.yml:4: steps: unknown paper 'orcaa' (did you mean 'orca'?)" in build.log


# --- the shipped paths -------------------------------------------------------------------------

SEED_000 = ROOT.parent / "shared" / "seeds" / "000_551cfd1b8c809c8c.txt"
SEED_003 = ROOT.parent / "shared" / "seeds" / "003_37b6558ff174e0bb.txt"


@pytest.fixture(scope="module")
def shipped():
    result = pipeline.build(ROOT / "papers", ROOT)
    assert result.problems == []
    return {p.name: p for p in result.catalog.paths}


def test_must_read_follows_the_phd_plan_order(shipped):
    steps = shipped["must-read"].steps
    assert [s.key for s in steps] == [
        "tensorflow",
        "ray",
        "pipedream",
        "megatron-lm",
        "colossal-ai",
        "vllm",
        "fisco",
        "byteps",
        "learned-index",
        "horovod",
    ]
    fisco = steps[6]
    assert fisco.unverified and fisco.paper is None and fisco.url is None
    if SEED_000.exists():  # the seed's list, in its order: the first word of each entry names the paper
        text = SEED_000.read_text(encoding="utf-8")
        block = text[text.index("必读10篇论文") :]
        listed = re.findall(r"^\d+\. \*\*([^:*]+)", block, re.MULTILINE)[:10]
        assert len(listed) == 10
        for name, step in zip(listed, steps, strict=True):
            assert name.split()[0].lower().rstrip(":") in (step.title.lower() + " " + step.key)


def test_starter_path_follows_the_lab_guide(shipped):
    path = shipped["ai-systems-starter"]
    assert len(path.sections) == 32 and len(path.steps) == 77
    if not SEED_003.exists():
        pytest.skip("seed 003 not available")
    levels = {"⚡": "essential", "💎": "recommended", "💡": "advanced"}
    kinds = {"📔": "book", "🎓": "course", "🛠️": "tool", "📄": "paper", "📦": "material"}
    seed = re.findall(r"^- `(.)` (\S+) \[", SEED_003.read_text(encoding="utf-8"), re.MULTILINE)
    assert [(levels[lv], kinds[k]) for lv, k in seed] == [(s.level, s.kind) for s in path.steps]
    headings = re.findall(r"^##### (.+)$", SEED_003.read_text(encoding="utf-8"), re.MULTILINE)
    assert len(headings) == len(path.sections)
    assert all(s.paper is not None for s in path.steps if s.kind == "paper")
