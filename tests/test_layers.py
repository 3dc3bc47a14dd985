"""The core imports nothing from MkDocs or Zensical: only generator/engines/ does (README, Engines)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENGINE_PACKAGES = {"mkdocs", "material", "zensical"}


def imported_packages(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
    return found


def test_only_the_engine_adapters_import_an_engine() -> None:
    core = [p for p in sorted((ROOT / "generator").rglob("*.py")) if "engines" not in p.relative_to(ROOT / "generator").parts]
    assert len(core) > 40
    offenders = {p.relative_to(ROOT).as_posix(): sorted(imported_packages(p) & ENGINE_PACKAGES) for p in core}
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_check_sees_an_engine_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from mkdocs.structure.files import File\n    import zensical.config\n", encoding="utf-8")
    assert imported_packages(module) >= {"mkdocs", "zensical"}
