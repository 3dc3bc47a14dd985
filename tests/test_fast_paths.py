"""The cold build's shortcuts give exactly what the full checks give.

Three places skip work for ordinary notes and leave anything unusual to the original code:
``frontmatter._load_plain`` (one pass over libyaml's events instead of events + compose + construct),
``body._plainly_within_limits`` (whole-text counts instead of the line-by-line loop) and
``load.NoteLoader`` (string prefixes and one resolve per folder instead of resolving each note).
Each test runs the same input with the shortcut and with it switched off and compares.
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import pipeline
from generator.load import frontmatter
from generator.load.frontmatter import FrontMatterError, load_yaml, parse_front_matter
from generator.load.notes import NoteLoader, find_notes, load_note, shown_path
from generator.validate import body
from generator.validate.body import MAX_INDENT, MAX_NESTING, body_problems

SETTINGS = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def exact(value: object) -> object:
    """A value with its types spelled out: 1, 1.0, True and -0.0 stay apart, and key order counts."""
    if isinstance(value, dict):
        return ("dict", [(exact(k), exact(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [exact(v) for v in value])
    if isinstance(value, float):
        return ("float", repr(value), math.copysign(1, value) if value == value else 0)
    return (type(value).__name__, repr(value))


def outcome(text: str) -> object:
    try:
        data, lines = load_yaml(text, first_line=2, what="front-matter")
    except FrontMatterError as exc:
        return ("problem", exc.line, exc.field, exc.message)
    return ("ok", exact(data), sorted((repr(exact(list(k))), v) for k, v in lines.items()))


def both_ways(monkeypatch: pytest.MonkeyPatch, function, *args):  # type: ignore[no-untyped-def]
    fast = function(*args)
    with monkeypatch.context() as m:
        m.setattr(frontmatter, "_load_plain", lambda text, first_line: None)
        m.setattr(body, "_plainly_within_limits", lambda text, encoded: False)
        slow = function(*args)
    return fast, slow


YAML_CASES = [
    "title: x\nyear: 2022\ntags: [a, b]\nlinks: {paper: 'https://x.org'}\n",
    "x: [1, -0, +5, 0777, 1.5, -0.0, .5, 1., 1e5, 1.0e5, true, TRUE, yes, null, ~, '', \"\"]\n",
    "1: a\n1.0: b\ntrue: c\n'1': d\nnull: e\n~: f\n",  # equal data keys, different written keys
    "a:\n  - b: 1\n    c: [x, {d: [1, 2]}]\n  -\n  - ''\n",
    "x: |\n  literal\n  text\ny: >-\n  folded\n  text\n",
    'x: "\\u202e"\n',  # an escape brings back a refused character
    "x: 'a\\b'\ny: \"\\\\\"\n",
    "a: 1\na: 2\n",
    "a: {b: 1, b: 2}\n",
    "[a]: 1\n",
    "? {a: 1}\n: 2\n",
    "a: &x 1\nb: *x\n",
    "a: &x 1\nb: 2\n",
    "a: !!str 1\n",
    "a: ! x\n",
    "x: " + "[" * 9 + "]" * 9 + "\n",
    "x: " + "[" * 8 + "]" * 8 + "\n",
    "a: 1\n---\nb: 2\n",
    "--- x\n",
    "---\n",
    "# only a comment\n",
    "\n",
    "- a\n- b\n",
    "plain\n",
    "a: b: c\n",
    "a: 1\n\tb: 2\n",
    "a: [1, 2\n",
    "%YAML 1.1\n---\na: 1\n",
]


@pytest.mark.parametrize("text", YAML_CASES)
def test_yaml_shortcut_gives_what_the_full_checks_give(monkeypatch, text):
    fast, slow = both_ways(monkeypatch, outcome, text)
    assert fast == slow


PIECES = ["title: x", "venue: OSDI", "year: 2022", "- a", "  b: c", "&a", "*a", "!!str", "? x", "{", "[", "]", "}",
          "a: 1", "1: a", "true: b", "x: 1.5", "x: \"\\x00\"", "x: 'q'", "k:", "  - 1", "  - -0.0", "  -", "---", "..."]  # fmt: skip
yaml_texts = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=8).map("\n".join),
    st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(-(10**20), 10**20), st.floats(), st.text(max_size=5)),
        lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=3), inner, max_size=3)),
        max_leaves=10,
    ).map(lambda value: yaml.safe_dump(value, allow_unicode=True)),
)


@SETTINGS
@given(yaml_texts)
def test_yaml_shortcut_on_random_documents(text):
    with pytest.MonkeyPatch.context() as monkeypatch:
        fast, slow = both_ways(monkeypatch, outcome, text)
    assert fast == slow


@pytest.mark.parametrize(
    "text",
    ["---\ntitle: x\n---\nbody\n", "---\n---\n", "---\n---", "--- \ntitle: x\n... \n", "---\ntitle: x\n", "title: x\n---\n",
     "---\r\ntitle: x\r\n---\r\n", "---\na: 1\n----\n---\nrest\n---\n", "", "---"],
)  # fmt: skip
def test_front_matter_is_split_as_line_by_line(text):
    lines = text.split("\n")
    expected = None
    if lines and re.match(r"^---[ \t]*$", lines[0]):
        for i in range(1, len(lines)):
            if re.match(r"^(---|\.\.\.)[ \t]*$", lines[i]):
                expected = ("\n".join(lines[1:i]) + "\n", "\n".join(lines[i + 1 :]), i + 2)
                break
    try:
        got = frontmatter.split_front_matter(text)
    except FrontMatterError:
        got = None
    assert got == expected


def limit_bodies() -> list[str]:
    cases = []
    for n in (200, 201):
        cases += ["x\n" * n, "# h\n" * n, "# h\n\n" * n, "```\n" * n, "~~~\n\n" * n]
    for n in (300, 301, 3001):
        cases += ["[" * n, "[\n\n" * n]
    for n in (50, 51, 1000, 1001):
        cases += ["<!x>" * n, "<a>\n\n" * n, "<?" * n]
    for n in (MAX_NESTING, MAX_NESTING + 1):
        cases += ["> " * n + "x", "x\n" + "- " * n + "x", "1. " * n + "x", ">" * n + " x"]
    for n in (MAX_INDENT // 4, MAX_INDENT // 4 + 1):
        cases += ["\t" * n + "x", "x\n" + "\t" * n + "x", "x\n" + " " * (4 * n) + "x"]
    cases += ["x" * 10_001, "y\n" + "x" * 10_001, "a --8<-- b", "a\x02b", "a\u202eb", "a\x85b", "a\ufeffb", "— “quoted” —",
              "```\n" + "- " * 40 + "\n```", "x\n" + " " * 100 + "\n"]  # fmt: skip
    return cases


@pytest.mark.parametrize("text", limit_bodies())
def test_body_shortcut_gives_what_the_line_loop_gives(monkeypatch, text):
    fast, slow = both_ways(monkeypatch, body_problems, "papers/x.md", text, 6)
    assert fast == slow


body_texts = st.lists(
    st.tuples(st.sampled_from(["x", "[", "<a>", "<!", "```", "# h", "- ", "> ", "1. ", "\t", " ", "\n", "\n\n", "8<", "--8<--", "é", "—", "\x85", "\u2066"]),
              st.integers(1, 40)).map(lambda t: t[0] * t[1]),
    max_size=20,
).map("".join)  # fmt: skip


@SETTINGS
@given(body_texts)
def test_body_shortcut_on_random_bodies(text):
    with pytest.MonkeyPatch.context() as monkeypatch:
        fast, slow = both_ways(monkeypatch, body_problems, "papers/x.md", text, 6)
    assert fast == slow


def test_note_loader_names_and_places_notes_as_path_resolving_does(tmp_path, monkeypatch):
    papers = tmp_path / "proj" / "papers"
    (papers / "osdi").mkdir(parents=True)
    (papers / "osdi" / "a.md").write_text("---\ntitle: a\n---\n", encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "b.md").write_text("---\ntitle: b\n---\n", encoding="utf-8")
    os.symlink(tmp_path / "elsewhere", papers / "linked")  # a folder link: its notes are outside
    os.symlink(papers, tmp_path / "papers-link")
    notes = [papers / "osdi" / "a.md", papers / "linked" / "b.md"]
    monkeypatch.chdir(tmp_path / "proj")
    for folder, root in [(papers, papers.parent), (papers, tmp_path), (papers, tmp_path / "elsewhere"), (papers, Path("/")),
                         (tmp_path / "papers-link", papers.parent), (Path("papers"), Path(".")), (Path("papers/../papers"), Path(".."))]:  # fmt: skip
        loader = NoteLoader(folder, root)
        for note in notes:
            path = folder / note.relative_to(papers)
            assert loader.shown(path) == shown_path(path, root)
            inside = path.resolve().is_relative_to(folder.resolve())
            assert loader._real_inside(path) is inside
            message = getattr(load_note(path, folder, root), "message", "")
            assert ("symbolic link" in message) is (not inside)


def test_find_notes_order_and_hidden_entries(tmp_path):
    for rel in ["b/x.md", "a/y.md", "a/.h/z.md", ".git/w.md", "a/.v.md", "README.md", "a/README.md", "a/b.c/d.md", "a-b/e.md"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", encoding="utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p in find_notes(tmp_path)] == ["a-b/e.md", "a/b.c/d.md", "a/y.md", "b/x.md"]


def test_sidecars_are_found_only_where_a_folder_holds_bib_files(tmp_path):
    papers = tmp_path / "papers"
    for rel in ["osdi/2022/with.md", "osdi/2022/plain.md", "sosp/2023/none.md"]:
        (papers / rel).parent.mkdir(parents=True, exist_ok=True)
        (papers / rel).write_text(f"---\ntitle: {rel}\nvenue: OSDI\nyear: 2022\n---\n", encoding="utf-8")
    (papers / "osdi/2022/with.bib").write_text("@inproceedings{k, title={T}, pages={521--538}}\n", encoding="utf-8")
    folders = pipeline._Folders()
    assert folders.may_have_sidecar(papers / "osdi/2022/plain.md")
    assert not folders.may_have_sidecar(papers / "sosp/2023/none.md")
    result = pipeline.build(papers, tmp_path)
    assert not result.problems
    extras = {p.id: p.bibtex for p in result.catalog.papers}
    assert extras["none"] is None and extras["plain"] is None
    assert extras["with"] is not None and extras["with"].fields == (("pages", "521–538"),)


def test_parse_front_matter_reports_like_before():
    with pytest.raises(FrontMatterError) as info:
        parse_front_matter("---\na: 1\nb: {c: 1, c: 2}\na: 3\n---\n")
    assert (info.value.line, info.value.field) == (4, "a")  # the full checks' order: breadth first, not b.c on line 3
