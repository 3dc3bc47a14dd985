"""Property tests (hypothesis) for hostile ``.bib`` text (issue #20): macro bombs of any shape, braces
and accents nested to any depth, and entries smuggled inside values only ever yield problems on
every BibTeX path (the sidecar reader, the import), never an exception, and output no bigger than
the bounds allow."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.importers.bib import entry_to_draft
from generator.load.bibparse import MAX_EXPANSION_CHARS, MAX_VALUE_CHARS, BibFile, parse_bib
from generator.load.sidecar import read_sidecar
from generator.load.tex import MAX_BRACE_DEPTH, brace_depth, tex_to_text
from generator.load.venues import load_registry

REGISTRY, _ = load_registry()
SETTINGS = settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
SIDECAR_DIR = Path(tempfile.mkdtemp(prefix="property-bib-"))
atexit.register(shutil.rmtree, SIDECAR_DIR, True)

word = st.text("abcxyz019 -", min_size=0, max_size=6)


@st.composite
def macro_bombs(draw: st.DrawFn) -> str:
    """@string chains where each macro joins the one before it twice and up to 3 earlier ones: from
    m17 on, a macro expands past MAX_VALUE_CHARS; entries use the last and random ones."""
    count = draw(st.integers(18, 60))
    lines = [f"@string{{m0 = {{{draw(word)}x}}}}"]
    for i in range(1, count):
        parts = [i - 1, i - 1] + draw(st.lists(st.integers(0, i - 1), max_size=3))
        pieces = [f"m{p}" for p in parts] + ([f"{{{draw(word)}}}"] if draw(st.booleans()) else [])
        lines.append(f"@string{{m{i} = {' # '.join(pieces)}}}")
    for j in range(draw(st.integers(1, 4))):
        uses = " # ".join([f"m{count - 1}"] + [f"m{draw(st.integers(0, count - 1))}" for _ in range(draw(st.integers(0, 3)))])
        lines.append(
            f"@inproceedings{{e{j},\n  title = {{T {j}}},\n  booktitle = {{OSDI}},\n  year = 2022,\n  note = {uses},\n  pages = {{1--2}}\n}}"
        )
    return "\n".join(lines) + "\n"


TEX_PIECES = [
    "{",
    "}",
    "\\'",
    "\\'{",
    '{\\"',
    "\\href{",
    "\\emph{",
    "\\noopsort{",
    "\\c{",
    "\\\\",
    "\\",
    "$",
    "~",
    "--",
    "x",
    "ü",
    " ",
    "&amp;",
]
deep_tex = st.lists(st.tuples(st.sampled_from(TEX_PIECES), st.integers(1, 3000)), min_size=1, max_size=4).map(
    lambda runs: "".join(piece * times for piece, times in runs)
)


def bib_with_value(value: str) -> str:
    return f"@inproceedings{{deep,\n  title = {{Deep}},\n  booktitle = {{OSDI}},\n  year = 2022,\n  note = {{{value}}}\n}}\n"


def check_every_path(text: str) -> BibFile:
    """Parse as the import does (and make a note of every entry), and read as a sidecar: no exception."""
    parsed = parse_bib(text)
    for entry in parsed.entries:
        assert all(len(value) <= MAX_VALUE_CHARS and brace_depth(value) <= MAX_BRACE_DEPTH for value in entry.fields.values())
        entry_to_draft(entry, REGISTRY, "2024-01-01")
    assert sum(len(v) for e in parsed.entries for v in e.fields.values()) <= len(text) + MAX_EXPANSION_CHARS
    note = SIDECAR_DIR / "paper.md"
    note.with_suffix(".bib").write_text(text, encoding="utf-8")
    extra, problems = read_sidecar(note, SIDECAR_DIR)
    assert extra is None or not problems
    for problem in problems:
        assert problem.path == "paper.bib" and problem.line >= 1 and problem.field == "bibtex"
    if extra is not None:
        assert all(len(value) <= MAX_VALUE_CHARS for _, value in extra.fields)
    return parsed


@SETTINGS
@given(macro_bombs())
def test_macro_bombs_are_bounded_problems(text):
    parsed = check_every_path(text)
    assert parsed.entries == [] and any("is longer than 64 KiB once its @string macros are expanded" in f.reason for f in parsed.failures)


@SETTINGS
@given(deep_tex)
def test_any_depth_of_braces_and_accents_is_decoded_or_reported(tex):
    assert len(tex_to_text(tex)) <= 3 * len(tex)  # no RecursionError, no growth
    check_every_path(bib_with_value(tex))


value_text = st.text("abc xyz,=.%#\t\n", max_size=30)  # no brace, quote or "@": cannot close the value


@SETTINGS
@given(opener=st.sampled_from(["{", '"']), before=value_text, indent=st.sampled_from(["", " ", "\t"]),
       after=value_text, closed=st.booleans(), more=st.booleans())  # fmt: skip
def test_an_entry_inside_a_value_never_becomes_an_entry(opener, before, indent, after, closed, more):
    closer = "}" if opener == "{" else '"'
    text = (f"@inproceedings{{good,\n  title = {{Good}},\n  abstract = {opener}{before}\n"
            f"{indent}@inproceedings{{evil, title = {{Evil}}, booktitle = {{OSDI}}, year = 2022}}\n{after}"
            + (f"{closer},\n  year = 2022\n}}\n" if closed else "")
            + ("@misc{later, title = {Later}, year = 2023}\n" if more else ""))  # fmt: skip
    parsed = check_every_path(text)
    assert "evil" not in [e.key for e in parsed.entries]
    assert any(f.key == "evil" and "starts inside a value of good (line 1)" in f.reason for f in parsed.failures)
    assert parsed.count == 2 + more
