"""The files a contributor meets: CONTRIBUTING.md and its site page, the pull-request and issue
templates, CODEOWNERS and the pre-commit hook."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib
from conftest import ROOT, note, write_site

from generator.load.frontmatter import load_yaml
from generator.model import LEVEL_MARKS, LEVELS, LINK_KINDS, STATUSES
from generator.validate.note import FIELDS, MAX_LIST, MAX_SUMMARY, MAX_TITLE, MAX_TOPIC

GUIDES = [ROOT / "CONTRIBUTING.md", ROOT / "docs" / "contributing.md"]
MODELINE = "# yaml-language-server: $schema=../../../schema/note.schema.json"


def fields_table(text: str) -> dict[str, str]:
    rows = re.findall(r"^\| `(\w+)` \| (.*) \|$", text, re.M)
    return dict(rows)


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_guide_lists_every_field_value_and_step(guide: Path):
    text = guide.read_text(encoding="utf-8")
    table = fields_table(text)
    assert list(table) == list(FIELDS), "the fields table follows validate.FIELDS"
    for value in (*STATUSES, *LEVELS):
        assert f"`{value}`" in text
    for level in LEVELS:
        assert LEVEL_MARKS[level] in table["level"]
    for kind in LINK_KINDS:
        assert f"`{kind}`" in table["links"]
    assert f"at most {MAX_TITLE} characters" in table["title"]
    assert f"at most {MAX_SUMMARY} characters" in table["summary"]
    assert f"at most {MAX_TOPIC} characters" in table["topic"]
    assert f"at most {MAX_LIST} entries" in text
    steps = re.findall(r"^\d\. \*\*(.+?)\*\*", text, re.M)
    assert steps == ["Create the file", "Check it", "Open a pull request."]
    for needed in ("notes new", "notes check", "mkdocs serve", "mkdocs build --strict", MODELINE, "## Tags", "## Venues"):
        assert needed in text, needed


def test_the_guides_say_the_same_thing():
    """docs/contributing.md is the site's copy of CONTRIBUTING.md, without the maintainers' part."""
    top, site = (g.read_text(encoding="utf-8") for g in GUIDES)
    assert fields_table(top) == fields_table(site)
    for heading in ("## Add a note in three steps", "## The fields", "## Tags", "## Venues", "## Preview the site",
                    "## Editor support (VS Code)"):  # fmt: skip
        assert heading in top and heading in site


def test_the_example_note_in_the_guide_passes_notes_check(tmp_path):
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    example = re.search(r"```markdown\n(.*?)```", text, re.S).group(1)
    example = "\n".join(line[3:] for line in example.splitlines()) + "\n"  # the block sits in a list item
    write_site(tmp_path, {"osdi/2022/orca.md": example})
    env = {"PATH": str(Path(sys.executable).parent)}
    proc = subprocess.run([sys.executable, "-m", "generator.cli", "check"], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert (proc.returncode, proc.stdout) == (0, ""), proc.stdout
    assert example.startswith("---\ntitle:")


def codeowners() -> list[tuple[str, list[str]]]:
    rules = []
    for line in (ROOT / ".github" / "CODEOWNERS").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            pattern, *owners = line.split()
            rules.append((pattern, owners))
    return rules


def owners_of(path: str) -> list[str]:
    """The owners of a repository path, for the anchored patterns used here (`/file`, `/folder/`); last match wins."""
    found: list[str] = []
    for pattern, owners in codeowners():
        assert pattern.startswith("/"), f"anchor {pattern} at the repository root"
        rel = pattern[1:]
        if (rel.endswith("/") and path.startswith(rel)) or path == rel:
            found = owners
    return found


def test_codeowners_cover_the_build_code():
    for path in ("mkdocs.yml", "generator/engines/mkdocs_plugin.py", "generator/templates/paper.md.j2", ".github/workflows/deploy.yml",
                 ".github/CODEOWNERS", "pyproject.toml"):  # fmt: skip
        assert owners_of(path), path
    assert owners_of("papers/osdi/2022/orca.md") == []  # notes: anyone may propose, CI checks them
    for _, owners in codeowners():
        assert owners and all(re.fullmatch(r"@[\w-]+(/[\w-]+)?", o) for o in owners), owners


def test_pull_request_template_has_the_new_note_checklist():
    text = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    items = re.findall(r"^- \[ \] (.+)$", text, re.M)
    assert len(items) >= 6
    for needed in ("papers/<venue>/<year>/<short-name>.md", "`notes check`", "`mkdocs serve`", "`venue`", "`tags`", "`links`"):
        assert any(needed in item for item in items), needed


def test_suggest_a_paper_issue_form():
    form, _ = load_yaml((ROOT / ".github" / "ISSUE_TEMPLATE" / "suggest-paper.yml").read_text(encoding="utf-8"))
    assert form["name"] == "Suggest a paper" and form["description"]
    assert set(form) <= {"name", "description", "title", "labels", "assignees", "body", "projects", "type"}
    fields = [item for item in form["body"] if item["type"] != "markdown"]
    assert all(item["type"] in ("input", "textarea", "dropdown", "checkboxes") for item in fields)
    assert [item["id"] for item in fields] == ["title", "venue", "year", "link", "why"]
    for item in fields:
        assert item["attributes"]["label"]
        assert item["validations"]["required"] is True
    assert next(i for i in fields if i["id"] == "why")["type"] == "textarea"


def test_pre_commit_hook_runs_notes_check(tmp_path):
    hooks, _ = load_yaml((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks
    assert hook["id"] == "notes-check" and hook["language"] == "python"
    assert set(hook) <= {"id", "name", "entry", "language", "files", "exclude", "types", "types_or", "exclude_types",
                         "always_run", "fail_fast", "verbose", "pass_filenames", "require_serial", "description",
                         "language_version", "minimum_pre_commit_version", "args", "stages"}  # fmt: skip
    command, *args = hook["entry"].split()
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert command in scripts and args == ["check"]
    files = re.compile(hook["files"])
    assert files.search("papers/osdi/2022/orca.md") and files.search("papers/venues.yml")
    assert not files.search("generator/cli.py") and not files.search("docs/papers.md")
    assert hook["pass_filenames"] is False

    # what pre-commit runs: the entry, in the repository's folder
    binary = Path(sys.executable).parent / command
    write_site(tmp_path, {"osdi/2022/good.md": note("Good")})
    assert subprocess.run([str(binary), *args], cwd=tmp_path, capture_output=True).returncode == 0
    write_site(tmp_path, {"osdi/2022/bad.md": note("Bad", venue="OSDII")})
    proc = subprocess.run([str(binary), *args], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 1 and "papers/osdi/2022/bad.md:3: venue: unknown venue 'OSDII'" in proc.stdout
