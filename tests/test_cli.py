from __future__ import annotations

import json

from conftest import note, run_notes, write_site

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
    assert data[0] == {
        "path": "papers/osdi/2022/bad.md",
        "line": 3,
        "field": "venue",
        "message": "unknown venue 'OSDII' (did you mean 'OSDI'? add new venues to papers/venues.yml)",
    }


def test_check_passes_on_good_notes(tmp_path):
    write_site(tmp_path, {"osdi/2022/good.md": note("Good")})
    proc = run_notes("check", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (0, "")
    assert "1 notes OK" in proc.stderr


def test_github_annotation_escapes():
    problem = Problem("papers/a,b.md", 3, "links.paper", "bad: 100%\nthing")
    assert (
        problem.annotation() == "::error file=papers/a%2Cb.md,line=3,title=links.paper::bad: 100%25\\nthing"
    )  # one line, as in the plain output


SANITIZED_BODY = """\
## __config

Text <script>alert(1)</script> and ![x](/&#9;/evil.example/p.png).

```python
x = 1  # a code block with Pygments spans: nothing to remove
```
"""
SANITIZER_MESSAGE = (
    'papers/osdi/2022/evil.md:6: body: the HTML sanitizer removed <script>, id "__config", '
    'src "/ /evil.example/p.png" (images must come from the site itself) '
    "(notes may use Markdown and plain HTML: no scripts, styles, forms or frames)"
)


def test_check_reports_what_the_sanitizer_removes_with_the_builds_message(tmp_path):
    from conftest import run_mkdocs
    from test_sanitize import SHIPPED_YML

    write_site(tmp_path, {"osdi/2022/evil.md": note("Evil", body=SANITIZED_BODY), "osdi/2022/good.md": note("Good", body="## Notes\n\nFine.\n")},
               mkdocs_yml=SHIPPED_YML)  # fmt: skip
    proc = run_notes("check", cwd=tmp_path)
    assert (proc.returncode, proc.stdout.splitlines()) == (1, [SANITIZER_MESSAGE])
    assert "Traceback" not in proc.stderr
    assert json.loads(run_notes("check", "--format", "json", cwd=tmp_path).stdout)[0]["line"] == 6
    assert run_notes("check", "papers/osdi/2022/good.md", cwd=tmp_path).returncode == 0  # only the notes asked about
    build = run_mkdocs(tmp_path)
    assert f"WARNING -  generator: {SANITIZER_MESSAGE}\n" in build.log  # the build says the very same


def test_check_renders_bodies_with_the_sites_extensions(tmp_path):
    # without toc's ids (no mkdocs.yml: MkDocs' built-ins still include toc) and with a config that has
    # the tags MkDocs configs use; a !!python/object/apply must never run
    config = """\
site_name: x
extra:
  version: !ENV [NOTES_VERSION, "dev"]
  other: !!python/object/apply:os.system ["touch pwned"]
markdown_extensions:
  - toc:
      permalink: true
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
"""
    body = '## __x\n\n```mermaid\ngraph TD\n```\n\n<b onclick="x()">b</b>\n'
    write_site(tmp_path, {"osdi/2022/a.md": note("A", body=body)}, mkdocs_yml=config)
    proc = run_notes("check", cwd=tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stdout.startswith('papers/osdi/2022/a.md:6: body: the HTML sanitizer removed the onclick attribute, id "__x" (')
    assert not (tmp_path / "pwned").exists()

    (tmp_path / "mkdocs.yml").write_text("markdown_extensions:\n  - no_such_extension_here\n", encoding="utf-8")
    proc = run_notes("check", cwd=tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stdout.startswith("mkdocs.yml:1: markdown_extensions: cannot be loaded (ModuleNotFoundError: ")
    (tmp_path / "mkdocs.yml").write_text("markdown_extensions: [\n", encoding="utf-8")
    assert run_notes("check", cwd=tmp_path).stdout.startswith("mkdocs.yml:1: markdown_extensions: cannot be read (")
    (tmp_path / "mkdocs.yml").unlink()  # no site configuration: MkDocs' built-in extensions
    assert run_notes("check", cwd=tmp_path).stdout.startswith(
        'papers/osdi/2022/a.md:6: body: the HTML sanitizer removed the onclick attribute, id "__x" ('
    )
    assert run_notes("check", "-f", "missing.yml", cwd=tmp_path).returncode == 2


def test_version_is_printed_from_the_one_place_it_is_written(tmp_path):
    import tomllib
    from conftest import ROOT

    from generator import __version__

    proc = run_notes("--version", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (0, f"notes {__version__}\n")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"] and project["project"]["dynamic"] == ["version"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "generator.__version__"}
    assert f"## [{__version__}]" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def _git(cwd, *args: str) -> None:
    import subprocess

    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=cwd, check=True,
                   capture_output=True)  # fmt: skip


def test_summary_lists_the_notes_a_branch_adds_or_changes_with_their_problems(tmp_path):
    write_site(tmp_path, {"osdi/2022/orca.md": note("Orca", tags="[llm_serving]"), "osdi/2022/old.md": note("Old", venue="OSDII")})
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "base")
    _git(tmp_path, "checkout", "-qb", "pr")
    papers = tmp_path / "papers" / "osdi" / "2022"
    (papers / "evil.md").write_text(note("Evil | <script>alert(1)</script> **x** [a](javascript:y)", tags="[a, b]"))
    (papers / "bad.md").write_text(note("Bad", year="'x'"))
    (papers / "orca.md").write_text(note("Orca", tags="[llm_serving, kv]", year=2023))
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "pr")
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    proc = run_notes("check", "--summary", "summary.md", "--changed-since", "main", cwd=tmp_path)
    assert proc.returncode == 1  # the problems still fail the check
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## Notes check\n")  # appended, as GitHub's summary file wants
    assert "❌ 2 problems; 2 valid notes" in text
    rows = [line for line in text.splitlines() if line.startswith(("| papers", "| Evil", "| Orca"))]
    assert rows == [
        "| papers/osdi/2022/bad&#46;md | — | — | — | line 4&#58; year&#58; must be a whole number such as 2022, not 'x' |",
        "| Evil &#124; &lt;script&gt;alert&#40;1&#41;&lt;/script&gt; &#42;&#42;x&#42;&#42; &#91;a&#93;&#40;javascript&#58;y&#41;<br>"
        "papers/osdi/2022/evil&#46;md | OSDI | 2022 | a, b | none |",
        "| Orca<br>papers/osdi/2022/orca&#46;md | OSDI | 2023 | llm&#95;serving, kv | none |",
    ]
    assert "### Other problems (1)\n\n- papers/osdi/2022/old&#46;md&#58;3&#58; venue&#58;" in text
    assert "<script>" not in text


def test_summary_usage_errors(tmp_path):
    write_site(tmp_path, {"osdi/2022/orca.md": note("Orca")})
    assert run_notes("check", "--changed-since", "main", cwd=tmp_path).returncode == 2  # needs --summary
    proc = run_notes("check", "--summary", "s.md", "--changed-since", "main", cwd=tmp_path)  # not a git repository
    assert proc.returncode == 2 and "notes: --changed-since main:" in proc.stderr
    proc = run_notes("check", "--summary", "s.md", cwd=tmp_path)  # no base: totals and problems only
    assert proc.returncode == 0
    assert (tmp_path / "s.md").read_text(encoding="utf-8") == "## Notes check\n\n✅ 1 note, no problem\n\n"


def test_unfilled_templates_fail_the_check_in_ci_until_the_documented_step_fills_them(tmp_path):
    import os
    import re
    import shutil
    import subprocess
    import sys

    from conftest import ROOT

    write_site(tmp_path, {"osdi/2022/orca.md": note("Orca")})
    for name in (".github/CODEOWNERS", ".pre-commit-hooks.yaml", "CONTRIBUTING.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    assert run_notes("check", cwd=tmp_path).returncode == 0  # locally, by default, notes only
    proc = run_notes("check", "--templates", cwd=tmp_path)
    assert proc.returncode == 1
    assert [line.split(": template: ")[0] for line in proc.stdout.splitlines()] == [
        ".github/CODEOWNERS:"
        + str(next(i for i, text in enumerate((ROOT / ".github/CODEOWNERS").read_text().splitlines(), 1) if "@FILL-IN" in text)),
        ".pre-commit-hooks.yaml:2",
        "CONTRIBUTING.md:"
        + str(next(i for i, text in enumerate((ROOT / "CONTRIBUTING.md").read_text().splitlines(), 1) if "FILL-IN" in text)),
    ]
    assert "/tests/" in (ROOT / ".github/CODEOWNERS").read_text()
    ci = subprocess.run([sys.executable, "-m", "generator.cli", "check"], cwd=tmp_path, capture_output=True, text=True,
                        env={**os.environ, "GITHUB_ACTIONS": "true"})  # fmt: skip
    assert ci.returncode == 1 and "::error file=.github/CODEOWNERS," in ci.stdout
    # the one step README.md documents fills every placeholder
    (step,) = [line.strip() for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines() if line.strip().startswith("sed -i ")]
    assert subprocess.run(step, shell=True, cwd=tmp_path).returncode == 0
    assert run_notes("check", "--templates", cwd=tmp_path).returncode == 0
    owners = (tmp_path / ".github/CODEOWNERS").read_text()
    assert re.search(r"^/generator/\s+@your-org/your-team$", owners, re.M)
    assert "https://github.com/your-org/your-repo" in (tmp_path / ".pre-commit-hooks.yaml").read_text()


def test_notes_init_makes_an_empty_site_that_builds_strict(tmp_path):
    from conftest import run_mkdocs, run_notes

    proc = run_notes("init", "site-src", "--name", "Widget Notes", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    folder = tmp_path / "site-src"
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        "docs/index.md",
        "mkdocs.yml",
        "papers/venues.yml",
    ]  # no reading paths that refer to missing notes
    assert run_notes("check", cwd=folder).returncode == 0
    build = run_mkdocs(folder, "--strict")
    assert build.returncode == 0, build.log
    assert "Widget Notes" in (folder / "site" / "index.html").read_text(encoding="utf-8")
    again = run_notes("init", "site-src", cwd=tmp_path)
    assert again.returncode == 2 and "not overwriting what is there: mkdocs.yml, docs/index.md, papers/venues.yml" in again.stderr
    assert run_notes("init", "x", "--site-url", "javascript:alert(1)", cwd=tmp_path).returncode == 2
