from __future__ import annotations

import json

from conftest import note, run_notes, write_site
from generator.cli import github_annotation
from generator.model import Problem


def test_check_exit_codes_and_format(tmp_path):
    write_site(tmp_path, {"osdi/2022/good.md": note("Good"), "osdi/2022/bad.md": note("Bad", venue="OSDII", year="'x'")})
    proc = run_notes("check", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        "papers/osdi/2022/bad.md:3: venue: unknown venue 'OSDII' (did you mean 'OSDI'? add new venues to papers/venues.yml)",
        "papers/osdi/2022/bad.md:4: year: must be a whole number such as 2022, not 'x'",
    ]
    assert "2 problems found" in proc.stderr

    assert run_notes("check", "papers/osdi/2022/good.md", cwd=tmp_path).returncode == 0
    assert run_notes("check", "papers/osdi/2022/bad.md", cwd=tmp_path).returncode == 1
    assert run_notes("check", "papers/nope.md", cwd=tmp_path).returncode == 2
    assert run_notes("check", "--bogus", cwd=tmp_path).returncode == 2
    assert run_notes("check", "--papers", "missing", cwd=tmp_path).returncode == 2

    data = json.loads(run_notes("check", "--format", "json", cwd=tmp_path).stdout)
    assert data[0] == {"path": "papers/osdi/2022/bad.md", "line": 3, "field": "venue",
                       "message": "unknown venue 'OSDII' (did you mean 'OSDI'? add new venues to papers/venues.yml)"}


def test_check_passes_on_good_notes(tmp_path):
    write_site(tmp_path, {"osdi/2022/good.md": note("Good")})
    proc = run_notes("check", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (0, "")
    assert "1 notes OK" in proc.stderr


def test_github_annotation_escapes():
    problem = Problem("papers/a,b.md", 3, "links.paper", "bad: 100%\nthing")
    assert github_annotation(problem) == "::error file=papers/a%2Cb.md,line=3,title=links.paper::bad: 100%25%0Athing"


def test_notes_init_makes_an_empty_site_that_builds_strict(tmp_path):
    from conftest import run_mkdocs, run_notes

    proc = run_notes("init", "site-src", "--name", "Widget Notes", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    folder = tmp_path / "site-src"
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        "docs/index.md", "mkdocs.yml", "papers/venues.yml"]  # no reading paths that refer to missing notes
    assert run_notes("check", cwd=folder).returncode == 0
    build = run_mkdocs(folder, "--strict")
    assert build.returncode == 0, build.log
    assert "Widget Notes" in (folder / "site" / "index.html").read_text(encoding="utf-8")
    again = run_notes("init", "site-src", cwd=tmp_path)
    assert again.returncode == 2 and "not overwriting what is there: mkdocs.yml, docs/index.md, papers/venues.yml" in again.stderr
    assert run_notes("init", "x", "--site-url", "javascript:alert(1)", cwd=tmp_path).returncode == 2
