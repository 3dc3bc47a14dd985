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
    assert data[0] == {"path": "papers/osdi/2022/bad.md", "line": 3, "field": "venue",
                       "message": "unknown venue 'OSDII' (did you mean 'OSDI'? add new venues to papers/venues.yml)"}


def test_check_passes_on_good_notes(tmp_path):
    write_site(tmp_path, {"osdi/2022/good.md": note("Good")})
    proc = run_notes("check", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (0, "")
    assert "1 notes OK" in proc.stderr


def test_github_annotation_escapes():
    problem = Problem("papers/a,b.md", 3, "links.paper", "bad: 100%\nthing")
    assert problem.annotation() == "::error file=papers/a%2Cb.md,line=3,title=links.paper::bad: 100%25\\nthing"  # one line, as in the plain output


SANITIZED_BODY = """\
## __config

Text <script>alert(1)</script> and ![x](/&#9;/evil.example/p.png).

```python
x = 1  # a code block with Pygments spans: nothing to remove
```
"""
SANITIZER_MESSAGE = ('papers/osdi/2022/evil.md:6: body: the HTML sanitizer removed <script>, id "__config", '
                     'src "/ /evil.example/p.png" (images must come from the site itself) '
                     "(notes may use Markdown and plain HTML: no scripts, styles, forms or frames)")


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
    body = "## __x\n\n```mermaid\ngraph TD\n```\n\n<b onclick=\"x()\">b</b>\n"
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
    assert run_notes("check", cwd=tmp_path).stdout.startswith('papers/osdi/2022/a.md:6: body: the HTML sanitizer removed the onclick attribute, id "__x" (')
    assert run_notes("check", "-f", "missing.yml", cwd=tmp_path).returncode == 2
