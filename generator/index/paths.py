"""Reading paths: ordered, sectioned lists of steps in ``papers/paths/<name>.yml``.

A step is a paper of the site (``paper: orca``), an outside resource (``title`` + ``url`` + ``kind``),
or a paper that could not be verified (``title`` + ``unverified: true``), which is shown as such
instead of inventing metadata. Steps may name prerequisites (``requires``); a cycle is an error.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from generator.links import safe_http_url
from generator.load.frontmatter import FrontMatterError, Lines, decode, load_yaml
from generator.load.notes import link_problem, shown_path
from generator.model import LEVEL_MARKS, LEVELS, RESOURCE_KINDS, Paper, PathSection, Problem, ReadingPath, Step
from generator.validate.graph import did_you_mean, find_cycles

PATHS_DIR = "paths"
DEFAULT_PATH = "must-read"
_PATH_FIELDS = ("title", "description", "sections", "order")
_SECTION_FIELDS = ("title", "description", "steps")
_STEP_FIELDS = ("paper", "title", "url", "kind", "level", "why", "id", "requires", "unverified", "note")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,60}$")
_LEVEL_ALIASES = {mark: level for level, mark in LEVEL_MARKS.items()}


@dataclass
class _Reader:
    shown: str
    lines: Lines
    by_id: Mapping[str, Paper]  # the catalog's papers, which steps name
    problems: list[Problem] = field(default_factory=list)

    def report(self, at: tuple[Any, ...], fld: str, message: str) -> None:
        while at and at not in self.lines:
            at = at[:-1]
        self.problems.append(Problem(self.shown, self.lines.get(at, 1), fld, message))


def load_paths(papers_dir: Path, by_id: Mapping[str, Paper], root: Path) -> tuple[list[ReadingPath], list[Problem]]:
    """Load the reading paths in ``papers/paths/`` (one YAML file each), their steps naming papers of ``by_id``.

    Returns the paths that loaded and the problems of those that did not (or of their steps)."""
    folder = papers_dir / PATHS_DIR
    if os.path.lexists(folder) and (refused := link_problem(folder, papers_dir, root)) is not None:
        return [], [refused]
    if not folder.is_dir():
        return [], []
    paths: list[ReadingPath] = []
    problems: list[Problem] = []
    for file in sorted(folder.glob("*.yml")):
        reading_path, found = load_path(file, by_id, root)
        problems += found
        if reading_path is not None:
            paths.append(reading_path)
    paths.sort(key=lambda p: (p.name != DEFAULT_PATH, p.order, p.name))
    return paths, problems


def load_path(file: Path, by_id: Mapping[str, Paper], root: Path) -> tuple[ReadingPath | None, list[Problem]]:
    """Load one reading path file; None and its problems when it cannot be used."""
    shown = shown_path(file, root)
    name = file.stem
    if not _NAME.match(name):
        return None, [Problem(shown, 1, "file", "a path's file name must be lowercase letters, digits and '-' (like must-read.yml)")]
    if (refused := link_problem(file, file.parent, root)) is not None:
        return None, [refused]
    try:
        data, lines = load_yaml(decode(file.read_bytes()), what="path")
    except FrontMatterError as exc:
        return None, [Problem(shown, exc.line, exc.field, exc.message)]
    reader = _Reader(shown, lines, by_id)
    reading_path = _read_path(reader, name, data)
    return (reading_path if not reader.problems else None), reader.problems


def _read_path(r: _Reader, name: str, data: Any) -> ReadingPath | None:
    if not isinstance(data, dict):
        r.report((), "path", "must be a mapping with title, description and sections")
        return None
    for key in data:
        if key not in _PATH_FIELDS:
            r.report((key,), str(key), "unknown field" + did_you_mean(str(key), _PATH_FIELDS))
    title = _text(r, data, "title", (), required=True)
    description = _text(r, data, "description", ()) or ""
    order = data.get("order", 100)
    if not isinstance(order, int) or isinstance(order, bool):
        r.report(("order",), "order", "must be a whole number (paths are listed by it, lowest first)")
        order = 100
    raw_sections = data.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        r.report(("sections",), "sections", "must be a list of sections, each with a title and steps")
        return None
    sections: list[PathSection] = []
    seen: dict[str, int] = {}
    number = 0
    for i, raw in enumerate(raw_sections):
        at = ("sections", i)
        if not isinstance(raw, dict):
            r.report(at, "sections", f"section {i + 1} must be a mapping with title and steps")
            continue
        for key in raw:
            if key not in _SECTION_FIELDS:
                r.report(at + (key,), str(key), "unknown field" + did_you_mean(str(key), _SECTION_FIELDS))
        section_title = _text(r, raw, "title", at, required=True)
        steps_raw = raw.get("steps")
        if not isinstance(steps_raw, list) or not steps_raw:
            r.report(at + ("steps",), "steps", f"section {i + 1} needs a list of steps")
            continue
        steps: list[Step] = []
        for j, step_raw in enumerate(steps_raw):
            step = _read_step(r, step_raw, at + ("steps", j), number + 1)
            if step is None:
                continue
            if step.key in seen:
                r.report(at + ("steps", j), "steps", f"duplicate step {step.key!r} (already step {seen[step.key]})")
                continue
            seen[step.key] = len(seen) + 1
            if step.unverified:
                step = replace(step, number=0)
            else:
                number += 1
            steps.append(step)
        sections.append(PathSection(section_title or "", _text(r, raw, "description", at) or "", tuple(steps)))
    _check_requires(r, sections)
    if title is None:
        return None
    return ReadingPath(name, title, description, tuple(sections), order)


def _read_step(r: _Reader, raw: Any, at: tuple[Any, ...], number: int) -> Step | None:
    if isinstance(raw, str):  # shorthand: a bare paper id
        raw = {"paper": raw}
    if not isinstance(raw, dict):
        r.report(at, "steps", "a step is a paper id or a mapping (paper: id, or title + url + kind)")
        return None
    for key in raw:
        if key not in _STEP_FIELDS:
            r.report(at + (key,), "steps", f"unknown step field {key!r}" + did_you_mean(str(key), _STEP_FIELDS))
            return None
    level = _level(r, raw, at)
    why = _text(r, raw, "why", at) or ""
    requires = raw.get("requires") or []
    if not isinstance(requires, list) or not all(isinstance(x, str) for x in requires):
        r.report(at + ("requires",), "requires", "must be a list of step ids")
        requires = []
    if "paper" in raw:
        paper_id = raw["paper"]
        paper = r.by_id.get(paper_id) if isinstance(paper_id, str) else None
        if paper is None:
            hint = did_you_mean(str(paper_id), list(r.by_id))
            r.report(at + ("paper",), "steps", f"unknown paper {paper_id!r}{hint}")
            return None
        return Step(number, paper.id, "paper", paper.title, paper=paper, level=level or paper.level, why=why,
                    requires=tuple(requires))  # fmt: skip
    title = _text(r, raw, "title", at)
    if not title:
        r.report(at, "steps", "a step needs either 'paper: <id>' or a 'title' with a 'url' (or 'unverified: true')")
        return None
    kind = raw.get("kind", "paper")
    if kind not in RESOURCE_KINDS:
        r.report(at + ("kind",), "kind", f"{kind!r} is not a kind (use one of: {', '.join(RESOURCE_KINDS)})")
        return None
    # "tool-megatron-lm" stays apart from the paper id "megatron-lm"
    key = raw["id"] if isinstance(raw.get("id"), str) else f"{kind}-{_slug(title)}"
    if raw.get("unverified") is True:
        return Step(number, key, kind, title, level=level, why=why, requires=tuple(requires), unverified=True,
                    note=_text(r, raw, "note", at) or "")  # fmt: skip
    if "url" not in raw:
        r.report(at, "steps", f"step {title!r} is neither a paper of the site nor a resource with a url")
        return None
    url = safe_http_url(raw["url"])
    if url is None:
        r.report(at + ("url",), "url", f"{raw['url']!r} is not an http(s) URL")
        return None
    return Step(number, key, kind, title, url=url, level=level, why=why, requires=tuple(requires))


def _check_requires(r: _Reader, sections: list[PathSection]) -> None:
    steps = {step.key: step for section in sections for step in section.steps}
    for step in steps.values():
        for req in step.requires:
            if req not in steps:
                r.report((), "requires", f"step {step.key!r} requires unknown step {req!r}" + did_you_mean(req, list(steps)))
    cycles = find_cycles({key: step.requires for key, step in steps.items()})  # in file order: a stable message
    if cycles:
        r.report((), "requires", "prerequisite cycle: " + " → ".join(cycles[0]))


def _level(r: _Reader, raw: dict[str, Any], at: tuple[Any, ...]) -> str | None:
    value = raw.get("level")
    if value is None:
        return None
    if isinstance(value, str) and value.strip() in LEVELS:
        return value.strip()
    if isinstance(value, str) and value.strip() in _LEVEL_ALIASES:
        return _LEVEL_ALIASES[value.strip()]
    r.report(at + ("level",), "level", f"{value!r} is not a level (use one of: {', '.join(LEVELS)}, or ⚡ 💎 💡)")
    return None


def _text(r: _Reader, data: dict[str, Any], key: str, at: tuple[Any, ...], required: bool = False) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            r.report(at, key, f"missing (needs a {key!r})")
        return None
    if not isinstance(value, str) or ("\n" in value.strip() and key == "title"):
        r.report(at + (key,), key, "must be one line of text")
        return None
    value = " ".join(value.split())
    if len(value) > 600:
        r.report(at + (key,), key, "is longer than 600 characters")
        return None
    return value


def _slug(title: str) -> str:
    return re.sub(r"[^\w]+", "-", title.casefold()).strip("-")


def steps_of_paper(paths: list[ReadingPath], paper: Paper) -> list[tuple[ReadingPath, Step, Step | None, Step | None]]:
    """(path, step, previous step, next step) for every path the paper is on; unverified steps skipped."""
    out = []
    for reading_path in paths:
        steps = reading_path.counted_steps
        for i, step in enumerate(steps):
            if step.paper is not None and step.paper.id == paper.id:
                out.append((reading_path, step, steps[i - 1] if i else None, steps[i + 1] if i + 1 < len(steps) else None))
    return out
