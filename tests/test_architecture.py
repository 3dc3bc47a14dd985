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


def module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(package: Path = PACKAGE) -> dict[str, Path]:
    return {module_name(path, package): path for path in sorted(package.rglob("*.py"))}


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


def graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    found = modules(package)
    known = set(found)
    return {name: imports(path, known) for name, path in found.items()}


def cycles(deps: dict[str, set[str]]) -> list[str]:
    """Each import cycle among the package's modules, as "a → b → a"."""
    edges = {name: {d for d in found if d.startswith("generator.") and d != name} for name, found in deps.items()}
    found_cycles: list[str] = []
    state: dict[str, int] = {}  # 1: on the current walk, 2: done

    def walk(name: str, trail: list[str]) -> None:
        state[name] = 1
        for dep in sorted(edges.get(name, ())):
            if state.get(dep) == 1:
                found_cycles.append(" → ".join(trail[trail.index(dep) :] + [dep]))
            elif dep not in state:
                walk(dep, trail + [dep])
        state[name] = 2

    for name in sorted(edges):
        if name not in state:
            walk(name, [name])
    return found_cycles


def backward_imports(deps: dict[str, set[str]]) -> list[str]:
    """Each import of a later stage by an earlier one."""
    return sorted(f"{name} ({stage(name)}) imports {dep} ({stage(dep)})" for name, found in deps.items() for dep in found
                  if dep.startswith("generator.") and RANKS[stage(dep)] > RANKS[stage(name)])  # fmt: skip


def test_the_package_is_found():
    names = set(modules())
    assert {"generator.model", "generator.render.site", "generator.load.notes", "generator.engines.mkdocs_plugin"} <= names


def test_no_import_cycle():
    assert cycles(graph()) == []


def test_no_stage_imports_a_later_stage():
    assert backward_imports(graph()) == []


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


def test_a_backward_import_and_a_cycle_in_a_package_are_caught(tmp_path):
    package = tmp_path / "generator"
    files = {
        "__init__.py": "",
        "model.py": "",
        "render/__init__.py": "",
        "render/pages.py": "from generator.finish.search import MARK\nfrom generator.render import site\n",
        "render/site.py": "def build():\n    from generator.render.pages import Page\n",
        "finish/__init__.py": "",
        "finish/search.py": "from generator.model import Problem\n",
        "cli.py": "from generator.engines import plugin\n",
        "engines/__init__.py": "",
        "engines/plugin.py": "from generator.finish import search\n",
    }
    for name, text in files.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(text)
    deps = graph(package)
    assert cycles(deps) == ["generator.render.pages → generator.render.site → generator.render.pages"]
    assert backward_imports(deps) == ["generator.render.pages (render) imports generator.finish.search (finish)"]
    assert stage("generator.model") == "shared" and stage("generator.pipeline") == "pipeline"
