"""The docs name files that exist: every ``generator/...`` path, and every module of README's folder table."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]
_PATH = re.compile(r"generator/[\w./-]*\w/?")
_ROW = re.compile(r"^\| `(\w+)/` \| (.*) \|$", re.MULTILINE)
_MODULE = re.compile(r"`(\w+\.py)`")


def test_every_generator_path_in_the_docs_exists() -> None:
    missing = [
        f"{doc.name}: {path}" for doc in DOCS for path in _PATH.findall(doc.read_text(encoding="utf-8")) if not (ROOT / path).exists()
    ]
    assert missing == []


def test_readme_folder_table_names_every_module_where_it_is() -> None:
    rows = _ROW.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    assert len(rows) >= 8, "README's table of generator/ folders"
    for folder, text in rows:
        named = set(_MODULE.findall(text))
        present = {p.name for p in (ROOT / "generator" / folder).glob("*.py")} - {"__init__.py"}
        assert named == present, (folder, sorted(named - present), sorted(present - named))
