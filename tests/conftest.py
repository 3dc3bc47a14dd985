"""Shared helpers: write a small fixture site and build it with the real ``mkdocs build``."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

MKDOCS_YML = """\
site_name: Fixture notes
site_url: https://example.org/notes/
theme:
  name: material
  font: false
plugins:
  - reading-notes
markdown_extensions:
  - toc:
      permalink: true
  - tables
  - admonition
"""


def search_pages(site: Path) -> dict[str, dict]:
    """The site search's index (Pagefind's fragments in site/pagefind/): page path ("papers/x/") → its
    record, with the indexed ``content`` text, ``meta`` (result fields) and ``filters`` (facets)."""
    pages = {}
    for path in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd"), path
        record = json.loads(data[len(b"pagefind_dcd") :])
        pages[record["url"].lstrip("/")] = record
    return pages


def note(title: str = "A Paper", venue: str = "OSDI", year: int | str = 2022, body: str = "", **fields: str) -> str:
    """A note's text; extra fields are given as raw YAML values."""
    lines = ["---", f'title: "{title}"', f"venue: {venue}", f"year: {year}"]
    lines += [f"{key}: {value}" for key, value in fields.items()]
    lines.append("---")
    return "\n".join(lines) + "\n" + textwrap.dedent(body)


@dataclass
class Build:
    root: Path
    returncode: int
    log: str

    def html(self, url: str) -> str:
        path = self.root / "site" / url / "index.html" if not url.endswith(".html") else self.root / "site" / url
        return path.read_text(encoding="utf-8")

    def exists(self, url: str) -> bool:
        return (self.root / "site" / url / "index.html").is_file()


def write_site(root: Path, notes: dict[str, str], docs: dict[str, str] | None = None, mkdocs_yml: str = MKDOCS_YML) -> Path:
    (root / "mkdocs.yml").write_text(mkdocs_yml, encoding="utf-8")
    docs = {"index.md": "# Home\n\nFixture site.\n", **(docs or {})}
    for rel, text in docs.items():
        path = root / "docs" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "papers").mkdir(exist_ok=True)
    for rel, text in notes.items():
        path = root / "papers" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    return root


def run_mkdocs(root: Path, *args: str) -> Build:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *args, "-f", str(root / "mkdocs.yml")],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    return Build(root, proc.returncode, proc.stdout + proc.stderr)


def zensical_installed() -> bool:
    try:
        import zensical  # noqa: F401
    except ImportError:
        return False
    return True


ENGINES = ["mkdocs", pytest.param("zensical", marks=pytest.mark.skipif(not zensical_installed(), reason="zensical is not installed"))]


def run_engine(root: Path, engine: str, *args: str) -> Build:
    """Build with ``mkdocs build`` or with ``notes build --engine zensical`` (into ``root/site``)."""
    if engine == "mkdocs":
        return run_mkdocs(root, *args)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator.cli",
            "build",
            "--engine",
            engine,
            *args,
            "-f",
            str(root / "mkdocs.yml"),
            "-d",
            str(root / "site"),
        ],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    return Build(root, proc.returncode, proc.stdout + proc.stderr)


@pytest.fixture(params=ENGINES)
def engine(request) -> str:
    """Each engine a site is built with: a test taking it runs once per engine."""
    return request.param


@pytest.fixture
def site(tmp_path: Path):
    """Build a fixture site: ``site(notes, docs=None, strict=True)`` → Build."""

    def make(notes: dict[str, str], docs: dict[str, str] | None = None, strict: bool = True, **kw: str) -> Build:
        write_site(tmp_path, notes, docs, **kw)
        return run_mkdocs(tmp_path, *(["--strict"] if strict else []))

    return make


def run_notes(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    return subprocess.run([sys.executable, "-m", "generator.cli", *args], cwd=cwd, capture_output=True, text=True, env=env)
