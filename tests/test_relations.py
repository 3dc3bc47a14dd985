"""Typed relations between papers (``builds_on``, ``compares_with``): every error, as the user sees it."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import note, write_site
from generator import pipeline
from generator.graph import find_cycles


def build(tmp_path: Path, notes: dict[str, str]) -> pipeline.Result:
    write_site(tmp_path, notes)
    return pipeline.build(tmp_path / "papers", tmp_path)


def messages(result: pipeline.Result) -> list[str]:
    return [str(p) for p in result.problems]


def test_relations_are_read_in_file_order_each_once(tmp_path):
    result = build(tmp_path, {
        "osdi/2022/orca.md": note("Orca"),
        "osdi/2022/ft.md": note("FT"),
        "osdi/2023/vllm.md": note("vLLM", year=2023, builds_on="[orca]", compares_with="[orca, ft, orca]"),
    })
    assert messages(result) == []
    vllm = result.catalog.by_id["vllm"]
    assert vllm.builds_on == ("orca",) and vllm.compares_with == ("orca", "ft")
    assert vllm.relations() == [("builds_on", "orca"), ("compares_with", "orca"), ("compares_with", "ft")]
    assert [line for _, _, line in vllm.relation_lines] == [5, 6, 6]


@pytest.mark.parametrize("field", ["builds_on", "compares_with"])
def test_unknown_id_is_an_error_with_did_you_mean(tmp_path, field):
    result = build(tmp_path, {"osdi/2022/orca.md": note("Orca"), "osdi/2023/vllm.md": note("vLLM", year=2023, **{field: "[orcaa, zzz]"})})
    assert messages(result) == [
        f"papers/osdi/2023/vllm.md:5: {field}: unknown paper id 'orcaa' (did you mean 'orca'?)",
        f"papers/osdi/2023/vllm.md:5: {field}: unknown paper id 'zzz'",
    ]


def test_unknown_id_line_is_the_entry_line(tmp_path):
    result = build(tmp_path, {"osdi/2022/orca.md": note("Orca"), "osdi/2023/vllm.md": note("vLLM", year=2023, builds_on="\n  - orca\n  - vlm")})
    assert messages(result) == ["papers/osdi/2023/vllm.md:7: builds_on: unknown paper id 'vlm' (did you mean 'vllm'?)"]


@pytest.mark.parametrize("field", ["builds_on", "compares_with"])
def test_relation_to_itself_is_an_error(tmp_path, field):
    result = build(tmp_path, {"osdi/2022/orca.md": note("Orca", **{field: "[orca]"})})
    assert messages(result) == [
        f"papers/osdi/2022/orca.md:5: {field}: entry 1 is this paper's own id 'orca' (a paper cannot build on or compare with itself)"
    ]
    assert "orca" not in result.catalog.by_id  # a note with a note-level problem is left out, like any other


def test_relation_to_itself_by_explicit_id(tmp_path):
    result = build(tmp_path, {"osdi/2022/x.md": note("Orca", id="orca", compares_with="[a, orca]"), "osdi/2022/a.md": note("A")})
    assert messages(result) == [
        "papers/osdi/2022/x.md:6: compares_with: entry 2 is this paper's own id 'orca' (a paper cannot build on or compare with itself)"
    ]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("orca", "builds_on: must be a list, like builds_on: [first, second]"),
        ("['has space']", "builds_on: entry 1 is not a paper id (letters, digits, '-', '_' or '.', like 'orca')"),
        ("['<b>x</b>']", "builds_on: entry 1 is not a paper id (letters, digits, '-', '_' or '.', like 'orca')"),
        ("[{a: 1}]", "builds_on: entry 1 must be text, not a mapping"),
        ("[true]", "builds_on: entry 1 must be text, not true/false"),
        ("['']", "builds_on: entry 1 is empty"),
    ],
)
def test_malformed_relation_entries(tmp_path, value, expected):
    result = build(tmp_path, {"osdi/2022/a.md": note("A", builds_on=value)})
    assert messages(result) == [f"papers/osdi/2022/a.md:5: {expected}"]


def test_builds_on_cycle_prints_the_cycle(tmp_path):
    result = build(tmp_path, {
        "osdi/2022/a.md": note("A", builds_on="[b]"),
        "osdi/2022/b.md": note("B", builds_on="[c]"),
        "osdi/2022/c.md": note("C", builds_on="[x, a]"),
        "osdi/2022/x.md": note("X"),
    })
    assert messages(result) == ["papers/osdi/2022/a.md:5: builds_on: cycle: a → b → c → a (a paper can only build on earlier work)"]


def test_two_paper_cycle_and_compares_with_cycles_are_fine(tmp_path):
    result = build(tmp_path, {
        "osdi/2022/a.md": note("A", builds_on="[b]", compares_with="[b]"),
        "osdi/2022/b.md": note("B", builds_on="[a]", compares_with="[a]"),  # comparing both ways is normal
    })
    assert messages(result) == ["papers/osdi/2022/a.md:5: builds_on: cycle: a → b → a (a paper can only build on earlier work)"]


def test_find_cycles_reports_each_cycle_and_survives_long_chains():
    assert find_cycles({"a": ["b"], "b": ["a"], "c": ["d", "zz"], "d": ["c"], "e": []}) == [["a", "b", "a"], ["c", "d", "c"]]
    chain = {str(i): [str(i + 1)] for i in range(5000)}
    assert find_cycles(chain) == []
    chain["5000"] = ["0"]
    assert find_cycles(chain) == [[str(i) for i in range(5001)] + ["0"]]
