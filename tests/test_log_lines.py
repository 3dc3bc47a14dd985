"""A note cannot write a line of its own into a log or run a GitHub workflow command.

GitHub's runner reads a job's output line by line (LF, CR or CR LF) and runs ``::cmd props::data``
at the start of a line and ``##[cmd]data`` anywhere in one (actions/runner, ActionCommand.cs).
``workflow_commands`` below does what the runner does, so the tests see what a CI job would run.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import note, run_mkdocs, write_site

from generator.logline import json_dump, log_safe
from generator.model import Problem
from generator.validate.note import FIELDS

HOSTILE_FIELDS = ["x\n::error file=x::pwned", "y\n::stop-commands::tok", "z\r::warning::cr", "w ##[error]v1 command"]
HOSTILE_NOTE = note("Hostile", **{json.dumps(key): "1" for key in HOSTILE_FIELDS}, links='{"k\\n::error::link": "https://example.org/"}')
HOSTILE_VENUES = 'venues:\n  "K\\n::error::venue": {name: Workshop, kind: workshop, bogus: 1}\n'
NEWLINE_NAME = "osdi/2022/a\n::error file=y::name.md"


def workflow_commands(output: str) -> list[tuple[str, dict[str, str], str]]:
    """(command, properties, data) of every workflow command the runner would find in ``output``."""
    found = []
    for line in re.split(r"\r\n|\r|\n", output):
        v2 = line.lstrip()
        if v2.startswith("::") and (end := v2.find("::", 2)) >= 0:
            name, _, props = v2[2:end].partition(" ")
            pairs = (p.split("=", 1) for p in props.split(",") if "=" in p)
            found.append((name, {k: _unescape(v, ",:") for k, v in pairs}, _unescape(v2[end + 2 :], "")))
        elif (start := line.find("##[")) >= 0 and (close := line.find("]", start)) >= 0:
            found.append((line[start + 3 : close].partition(" ")[0], {}, line[close + 1 :]))
    return found


def _unescape(text: str, extra: str) -> str:
    for ch in "\r\n" + extra:
        text = text.replace(f"%{ord(ch):02X}", ch)
    return text.replace("%25", "%")


def hostile_site(root: Path) -> Path:
    write_site(root, {"osdi/2022/hostile.md": HOSTILE_NOTE, "venues.yml": HOSTILE_VENUES, NEWLINE_NAME: note("Named")})
    return root


def run_check(root: Path, *args: str, github: bool = False) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    if github:
        env["GITHUB_ACTIONS"] = "true"
    return subprocess.run([sys.executable, "-m", "generator.cli", "check", *args], cwd=root, capture_output=True, text=True, env=env)


def test_log_safe_keeps_one_line_and_no_command():
    assert log_safe("a\nb\r\tc\x1b[31m\u2028d\x85") == "a\\nb\\r\\tc\\x1b[31m\\u2028d\\x85"
    assert log_safe("::error::x") == "\\x3a:error::x"
    assert log_safe("  ::x") == "  \\x3a:x"
    assert log_safe("a ##[error]b") == "a ##\\x5berror]b"
    assert log_safe("plain: text, 100%") == "plain: text, 100%"
    assert log_safe("a:b,c%\n", "property") == "a%3Ab%2Cc%25\\n"
    assert log_safe("a:b,c%\n", "data") == "a:b,c%25\\n"


def test_problem_lines_and_annotations_are_safe():
    problem = Problem("papers/a,b.md", 3, "x\n::error file=x::pwned", "bad: 100%\nthing ##[warning]w")
    assert str(problem) == "papers/a,b.md:3: x\\n::error file=x::pwned: bad: 100%\\nthing ##\\x5bwarning]w"
    assert (
        problem.annotation()
        == "::error file=papers/a%2Cb.md,line=3,title=x\\n%3A%3Aerror file=x%3A%3Apwned::bad: 100%25\\nthing ##\\x5bwarning]w"
    )
    assert workflow_commands(str(problem)) == []
    assert workflow_commands(problem.annotation()) == [
        ("error", {"file": "papers/a,b.md", "line": "3", "title": "x\\n::error file=x::pwned"}, "bad: 100%\\nthing ##\\x5bwarning]w")
    ]


def test_notes_check_prints_hostile_names_on_their_own_line(tmp_path):
    proc = run_check(hostile_site(tmp_path))
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert len(lines) == 7 and all(line.startswith("papers/") for line in lines)  # one line per problem
    assert workflow_commands(proc.stdout + proc.stderr) == []
    assert "papers/osdi/2022/hostile.md:5: x\\n::error file=x::pwned: unknown field" in proc.stdout
    assert any(line.startswith("papers/venues.yml:2: venues.K\\n::error::venue: ") for line in lines)
    assert any(line.startswith("papers/osdi/2022/a\\n::error file=y::name.md:1: file: ") for line in lines)


def test_notes_check_annotations_are_the_only_commands(tmp_path):
    proc = run_check(hostile_site(tmp_path), github=True)
    commands = workflow_commands(proc.stdout + proc.stderr)
    assert [name for name, _, _ in commands] == ["error"] * 7  # one per problem; no stop-commands, no forged file
    assert {props["file"] for _, props, _ in commands} == {
        "papers/osdi/2022/hostile.md",
        "papers/venues.yml",
        "papers/osdi/2022/a\\n::error file=y::name.md",
    }
    assert (
        "error",
        {"file": "papers/osdi/2022/hostile.md", "line": "5", "title": "x\\n::error file=x::pwned"},
        "unknown field (fields: " + ", ".join(FIELDS) + ")",
    ) in commands


def test_json_output_is_exact_and_holds_no_command(tmp_path):
    proc = run_check(hostile_site(tmp_path), "--format", "json")
    assert workflow_commands(proc.stdout) == []
    fields = [p["field"] for p in json.loads(proc.stdout)]
    assert set(HOSTILE_FIELDS) <= set(fields) and "links.k\n::error::link" in fields
    assert json.loads(json_dump(["##[error]x", "\u2028\x85"])) == ["##[error]x", "\u2028\x85"]


def test_build_warnings_are_one_line_each(tmp_path):
    build = run_mkdocs(hostile_site(tmp_path))
    assert build.returncode == 0
    assert workflow_commands(build.log) == []
    warnings = [line for line in build.log.splitlines() if line.startswith("WARNING")]
    assert len(warnings) == 7 + 0, build.log
    assert any("papers/osdi/2022/hostile.md:6: y\\n::stop-commands::tok: unknown field" in w for w in warnings)
