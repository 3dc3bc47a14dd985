"""Hostile ``.bib`` files (issue #20): a macro bomb, braces nested thousands deep and an entry smuggled
inside a value. Every BibTeX path (a note's sidecar in ``notes check`` and in the build, and
``notes import-bib``) reports them as ``path:line: …`` in bounded memory, never with a traceback.

The commands run with 1 GiB of address space: before the bounds, the bomb raised MemoryError there
(and grew to 24 GB without the cap) and the deep braces raised RecursionError.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import note, write_site

from generator.importers.bib import entry_to_draft
from generator.load.bibparse import MAX_EXPANSION_CHARS, MAX_VALUE_CHARS, BibEntry, parse_bib
from generator.load.tex import MAX_BRACE_DEPTH, tex_to_text
from generator.load.venues import load_registry
from generator.render.bibtex import verbatim_text

REGISTRY, _ = load_registry()

MEMORY_CAP = 1024**3

# m0 = "lol", m1 = m0 # m0, …: m39 would be 3 * 2**39 characters (1.6 TB)
BOMB = "\n".join(["@string{m0 = {lol}}"] + [f"@string{{m{i} = m{i - 1} # m{i - 1}}}" for i in range(1, 40)])
BOMB += "\n@inproceedings{bomb,\n  pages = {1--2},\n  note = m39\n}\n"  # the entry on line 41, note on 43
BOMB_REPORT = [
    "16: m15: this @string is longer than 64 KiB once its @string macros are expanded",
    "43: bomb: note: uses @string m39 (line 40), which could not be expanded",
]
DEEP = (
    "@inproceedings{deep,\n  title = {Deep},\n  booktitle = {OSDI},\n  year = 2022,\n  note = {"
    + "{" * 3000
    + "deep"
    + "}" * 3000
    + "}\n}\n"
)
DEEP_REPORT = [f"5: deep: note: braces nest more than {MAX_BRACE_DEPTH} levels deep"]
# a value that is never closed holds a line that starts an entry: BibTeX reads it as text
SMUGGLED = (
    "@inproceedings{good,\n  title = {A Good Paper},\n  booktitle = {OSDI},\n  year = 2022,\n"
    "  abstract = {an abstract that is never closed\n"
    "@inproceedings{evil, title = {Evil Paper}, booktitle = {OSDI}, year = 2022}\n"
)
SMUGGLED_REPORT = [
    "1: good: unbalanced braces or quotes: a value is still open when the next entry starts",
    "6: evil: not read as an entry: it starts inside a value of good (line 1) that is still open here, "
    "so it is text of that value (close the value's brace or quote)",
]


def run_capped(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python -m …`` with at most 1 GiB of memory: a bomb fails the test instead of the machine."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))

    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"} | {"NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}
    return subprocess.run([sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True, env=env, preexec_fn=cap, timeout=300)


def hostile_site(root: Path) -> Path:
    return write_site(root, {
        "osdi/2022/bomb.md": note("Bomb"), "osdi/2022/bomb.bib": BOMB,
        "osdi/2022/deep.md": note("Deep"), "osdi/2022/deep.bib": DEEP,
        "osdi/2022/fine.md": note("Fine"), "osdi/2022/fine.bib": "@inproceedings{fine,\n  pages = {7--9}\n}\n",
    })  # fmt: skip


def test_notes_check_reports_the_bomb_and_the_deep_braces_of_sidecars(tmp_path):
    proc = run_capped("generator.cli", "check", cwd=hostile_site(tmp_path))
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [f"papers/osdi/2022/bomb.bib:{line.replace(': ', ': bibtex: ', 1)}" for line in BOMB_REPORT] + [
        f"papers/osdi/2022/deep.bib:{line.replace(': ', ': bibtex: ', 1)}" for line in DEEP_REPORT
    ]


def test_the_build_reports_them_and_still_builds_every_note_without_strict(tmp_path):
    root = hostile_site(tmp_path)
    strict = run_capped("mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml"), cwd=root)
    log = strict.stdout + strict.stderr
    assert strict.returncode == 1 and "Traceback" not in log, log
    assert "papers/osdi/2022/bomb.bib:16: bibtex: m15: this @string is longer than 64 KiB" in log
    assert "papers/osdi/2022/bomb.bib:43: bibtex: bomb: note: uses @string m39 (line 40)" in log
    assert f"papers/osdi/2022/deep.bib:5: bibtex: deep: note: braces nest more than {MAX_BRACE_DEPTH} levels deep" in log

    build = run_capped("mkdocs", "build", "-f", str(root / "mkdocs.yml"), cwd=root)
    assert build.returncode == 0 and "Traceback" not in build.stderr, build.stderr
    for stem in ("bomb", "deep", "fine"):
        assert (root / "site" / "papers" / "osdi" / "2022" / stem / "index.html").is_file()
    papers_bib = (root / "site" / "papers.bib").read_text(encoding="utf-8")
    assert "pages = {7--9}" in papers_bib and "lol" not in papers_bib


@pytest.mark.parametrize(
    ("name", "bib", "report"),
    [("bomb.bib", BOMB, BOMB_REPORT), ("deep.bib", DEEP, DEEP_REPORT), ("smuggled.bib", SMUGGLED, SMUGGLED_REPORT)],
)
def test_import_bib_reports_each_and_writes_nothing(tmp_path, name, bib, report):
    write_site(tmp_path, {})
    (tmp_path / name).write_text(bib, encoding="utf-8")
    proc = run_capped("generator.cli", "import-bib", name, cwd=tmp_path)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[:-1] == [f"{name}:{line}" for line in report]
    assert sorted(p.name for p in (tmp_path / "papers").rglob("*")) == []  # not the evil entry, nothing


def test_bounds_hold_at_their_edges():
    fits = "x" * (MAX_VALUE_CHARS - 2)
    parsed = parse_bib(f"@string{{half = {{{fits[: len(fits) // 2]}}}}}\n@misc{{a, title = half # {{{fits[len(fits) // 2 :]}}} # {{xy}}}}\n"
                       f"@misc{{b, title = half # {{{fits[len(fits) // 2 :]}}} # {{xyz}}}}\n")  # fmt: skip
    assert [len(e.fields["title"]) for e in parsed.entries] == [MAX_VALUE_CHARS]
    assert [(f.key, f.line) for f in parsed.failures] == [("b", 3)]

    nested = "{" * MAX_BRACE_DEPTH + "x" + "}" * MAX_BRACE_DEPTH  # inside the value's own braces
    parsed = parse_bib(f"@misc{{a, title = {{{nested}}}}}\n@misc{{b, title = {{{{{nested}}}}}}}\n")
    assert [e.key for e in parsed.entries] == ["a"] and [f.key for f in parsed.failures] == ["b"]


def test_a_file_may_expand_its_macros_only_so_far():
    big = "x" * (MAX_VALUE_CHARS - 1)
    uses = MAX_EXPANSION_CHARS // len(big) + 5
    parsed = parse_bib(f"@string{{big = {{{big}}}}}\n" + "".join(f"@misc{{e{i}, title = big, year = 2022}}\n" for i in range(uses)))
    assert len(parsed.entries) == MAX_EXPANSION_CHARS // len(big)  # the @string's own text is the file's, not expansion
    assert {f.reason for f in parsed.failures} == {
        "title: @string macros expand to more than 4 MiB of text in this file (a macro used inside a macro doubles it)"
    }
    assert sum(len(v) for e in parsed.entries for v in e.fields.values()) <= MAX_EXPANSION_CHARS + MAX_VALUE_CHARS


@pytest.mark.parametrize(
    "tex",
    ["{" * 5000 + "x" + "}" * 5000, "{" * 50_000, "\\'" * 5000 + "e", "\\'{" * 5000 + "e", "\\href{" * 5000, '{\\"' * 5000 + "u"],
)
def test_the_tex_decoder_reads_any_depth_without_recursion(tex):
    text = tex_to_text(tex)
    assert len(text) <= len(tex)


@pytest.mark.parametrize(
    ("value", "text"),
    [("\\url{https://x.org/a_b}", "https://x.org/a_b"), ("\\href{https://x.org}{Link text}", "https://x.org"),
     ("\\url {https://x.org/{a}b}", "https://x.org/ab"), ("https://x.org/\\_a", "https://x.org/_a")],
)  # fmt: skip
def test_verbatim_values_unwrap_url_commands(value, text):
    assert verbatim_text(value) == text


def test_import_field_readers_are_linear_on_values_of_the_largest_size():
    """Two patterns backtracked quadratically: 22 s for one url value, 69 s for one journal value."""
    started = time.perf_counter()
    assert verbatim_text("\\url{" + "}{" * (MAX_VALUE_CHARS // 2 - 3)).startswith("\\url")
    entry = BibEntry("k", "article", {"title": "T", "journal": "arxiv" * (MAX_VALUE_CHARS // 5), "year": "2022"}, 1)
    assert isinstance(entry_to_draft(entry, REGISTRY, "2024-01-01"), str)  # an unknown venue, reported
    assert time.perf_counter() - started < 15
