"""The shape of generator/: no import cycle, and each stage imports only the stages before it.

Stages run load → validate → index → render → finish; the engines (the MkDocs plugin, the Zensical
build) drive them. Shared vocabulary (model.py, urls.py …) sits at the package top and imports no
stage. The core never imports an engine, MkDocs or Zensical. Every import counts, also one inside a
function or under ``TYPE_CHECKING``: a hidden dependency is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"

# rank of each stage: a module may import modules of its own rank or lower
RANKS = {"shared": 0, "load": 1, "validate": 2, "index": 3, "pipeline": 4, "render": 5, "finish": 6, "engines": 7,
         "authoring": 8, "importers": 8, "cli": 9}  # fmt: skip
CORE = ("shared", "load", "validate", "index", "pipeline", "render", "finish")
ENGINE_LIBRARIES = ("mkdocs", "material", "zensical")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def stage(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 2 and parts[1] in RANKS:  # generator.pipeline, generator.cli
        return parts[1]
    if len(parts) >= 3 and parts[1] in RANKS:  # generator.load.notes
        return parts[1]
    return "shared"  # generator.model, generator.urls, generator (the package)


def imports(path: Path, known: set[str]) -> set[str]:
    """Every module ``path`` imports (anywhere in the file), as dotted names; a name inside
    ``generator`` resolves to the module it names (``from generator.render import pages``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            assert node.level == 0, f"{path}: relative import (write it from generator.)"
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in known else node.module)
    return found


def graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: imports(path, known) for name, path in found.items()}


def test_the_package_is_found():
    names = set(modules())
    assert {"generator.model", "generator.render.site", "generator.load.notes", "generator.engines.mkdocs_plugin"} <= names


def test_no_import_cycle():
    edges = {name: {d for d in deps if d.startswith("generator.") and d != name} for name, deps in graph().items()}
    cycles = []
    state: dict[str, int] = {}  # 1: on the current walk, 2: done

    def walk(name: str, trail: list[str]) -> None:
        state[name] = 1
        for dep in sorted(edges.get(name, ())):
            if state.get(dep) == 1:
                cycles.append(" → ".join(trail[trail.index(dep):] + [dep]))
            elif dep not in state:
                walk(dep, trail + [dep])
        state[name] = 2

    for name in sorted(edges):
        if name not in state:
            walk(name, [name])
    assert cycles == []


def test_no_stage_imports_a_later_stage():
    backwards = []
    for name, deps in graph().items():
        for dep in deps:
            if dep.startswith("generator.") and RANKS[stage(dep)] > RANKS[stage(name)]:
                backwards.append(f"{name} ({stage(name)}) imports {dep} ({stage(dep)})")
    assert sorted(backwards) == []


def test_the_core_imports_no_engine():
    found = []
    for name, deps in graph().items():
        if stage(name) not in CORE:
            continue
        for dep in deps:
            if dep.split(".")[0] in ENGINE_LIBRARIES or (stage(dep) == "engines" and dep.startswith("generator.")):
                found.append(f"{name} imports {dep}")
    assert found == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from generator.render import pages\n", {"generator.render.pages"}),
        ("from generator.render.pages import Page\n", {"generator.render.pages"}),
        ("import mkdocs.plugins\n", {"mkdocs.plugins"}),
        ("def f():\n    from generator import urls\n", {"generator.urls"}),
    ],
)
def test_imports_are_read_wherever_they_are(tmp_path, source, expected):
    path = tmp_path / "m.py"
    path.write_text(source)
    assert imports(path, {"generator.render.pages", "generator.urls"}) == expected


def test_a_backward_import_and_a_cycle_would_be_caught():
    assert RANKS[stage("generator.finish.search")] > RANKS[stage("generator.render.pages")]
    assert stage("generator.model") == "shared" and stage("generator.pipeline") == "pipeline"
    assert stage("generator.cli") == "cli" and stage("generator.engines.mkdocs_plugin") == "engines"
