"""What the build's HTML sanitizer would remove from each note's body, found without MkDocs.

``notes check`` renders every body with Python-Markdown and the ``markdown_extensions`` of the
site's ``mkdocs.yml`` (MkDocs' built-in ``toc``, ``tables`` and ``fenced_code`` included), sanitizes
the HTML and reports what was removed with the build's own message (``sanitize.removal_problem``),
at the note's body line, and each formula that could not be converted to MathML (mathml.py). The build sanitizes the HTML MkDocs makes of the note's page; both use
the same allow-list and the same message, so a note that passes ``notes check`` passes the build.

``mkdocs.yml`` is read with a safe YAML loader: ``!ENV`` and ``!relative`` work as in MkDocs,
``!!python/name:module.attr`` (how extension settings name functions, e.g. custom fences) is
resolved only inside ``markdown_extensions``, by importing the module and taking the attribute,
never calling anything; any other tag reads as null. Extensions that read files are left out, and
a build refuses them (``INCLUDE_EXTENSIONS``, checked by validate/setup.py for both engines): a note
can never copy a file of the repository.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
import yaml_env_tag

from generator.model import Paper, Problem
from generator.render.mathml import math_problems
from generator.sanitize import removal_problem, sanitize_html

CONFIG_FILE = "mkdocs.yml"
BUILTIN_EXTENSIONS = ("toc", "tables", "fenced_code")  # MkDocs adds these to every site's list
# Markdown extensions that read files: they would apply to contributed notes too
INCLUDE_EXTENSIONS = frozenset({"pymdownx.snippets", "pymdownx.b64", "markdown_include.include", "mdx_include"})
MAX_INHERIT = 10  # INHERIT: chains longer than this are a loop


@dataclass
class MarkdownSettings:
    """The Markdown extensions a site renders pages with, and their settings."""

    extensions: list[str] = field(default_factory=lambda: list(BUILTIN_EXTENSIONS))
    configs: dict[str, dict[str, Any]] = field(default_factory=dict)


class _PythonName(str):
    """A ``!!python/name:`` value, resolved only where an extension's settings need it."""


class _Loader(yaml.SafeLoader):
    pass


def _relative(loader: _Loader, node: yaml.Node) -> str:
    return str(getattr(loader, "config_dir", "."))


_Loader.add_constructor("!ENV", yaml_env_tag.construct_env_tag)
_Loader.add_constructor("!relative", _relative)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/name:", lambda loader, suffix, node: _PythonName(suffix))
_Loader.add_multi_constructor("", lambda loader, suffix, node: None)  # any other tag: not ours to run


def read_settings(config_file: Path, shown: str = CONFIG_FILE) -> tuple[MarkdownSettings | None, list[Problem]]:
    """The Markdown settings of the site configured by ``config_file`` (``shown`` names it in messages)."""
    try:
        raw = _markdown_extensions(config_file)
        settings = _settings(raw)
    except (OSError, yaml.YAMLError, ValueError, ImportError, AttributeError) as error:
        message = " ".join(str(error).split())
        return None, [Problem(shown, 1, "markdown_extensions", f"cannot be read ({message}); the note bodies were not checked")]
    return settings, []


def _markdown_extensions(config_file: Path, depth: int = 0) -> Any:
    """The ``markdown_extensions`` value of ``config_file``, following ``INHERIT``."""
    loader = _Loader(config_file.read_text(encoding="utf-8-sig"))
    loader.config_dir = config_file.parent  # type: ignore[attr-defined]
    try:
        data = loader.get_single_data() or {}
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise ValueError(f"{config_file.name} is not a mapping")
    if "markdown_extensions" in data or "INHERIT" not in data:
        return data.get("markdown_extensions")
    if depth >= MAX_INHERIT or not isinstance(data["INHERIT"], str):
        raise ValueError("INHERIT must name one file, without a loop")
    return _markdown_extensions(config_file.parent / data["INHERIT"], depth + 1)


def _settings(raw: Any) -> MarkdownSettings:
    """MkDocs' reading of ``markdown_extensions``: a list of names and {name: settings}, or one mapping."""
    if raw is None:
        raw = []
    items: Iterable[Any] = raw.items() if isinstance(raw, dict) else raw
    if not isinstance(raw, (dict, list)):
        raise ValueError("markdown_extensions must be a list")
    settings = MarkdownSettings()
    for item in items:
        if isinstance(item, dict) and len(item) == 1:
            item = next(iter(item.items()))
        name, config = item if isinstance(item, tuple) else (item, None)
        if not isinstance(name, str) or not isinstance(config, (dict, type(None))):
            raise ValueError(f"unexpected entry {item!r}")
        if name in INCLUDE_EXTENSIONS:
            continue
        if name not in settings.extensions:
            settings.extensions.append(name)
        if config:
            settings.configs[name] = _resolve(config)
    return settings


def _resolve(value: Any) -> Any:
    """``value`` with every ``!!python/name:module.attr`` replaced by that attribute."""
    if isinstance(value, _PythonName):
        module, _, attr = value.rpartition(".")
        return getattr(importlib.import_module(module), attr)
    if isinstance(value, dict):
        return {k: _resolve(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v) for v in value]
    return value


class BodyChecker:
    """Renders note bodies as the site does and reports what the sanitizer would remove."""

    def __init__(self, settings: MarkdownSettings) -> None:
        import markdown  # here: notes check loads it (and Pygments) only when a body is checked

        self.markdown = markdown.Markdown(extensions=settings.extensions, extension_configs=settings.configs)

    def check(self, paper: Paper) -> list[Problem]:
        if not paper.has_body:
            return []
        self.markdown.reset()
        try:
            html = self.markdown.convert(paper.body)
        except Exception as error:  # the body limits (body.py) keep Markdown from failing; if it does, say where
            message = " ".join(f"{type(error).__name__}: {error}".split())[:200]
            return [Problem(paper.path, paper.body_line, "body", f"cannot be rendered as Markdown ({message})")]
        sanitized = sanitize_html(html)
        removed = removal_problem(paper.path, paper.body_line, sanitized.removed)
        return ([removed] if removed else []) + math_problems(paper.path, paper.body, paper.body_line, sanitized.html)


def check_bodies(papers: Iterable[Paper], config_file: Path, shown: str = CONFIG_FILE) -> list[Problem]:
    """What the sanitizer would remove from each of ``papers``, as the build reports it.

    Without ``config_file``, the bodies are rendered with MkDocs' built-in extensions only.
    """
    papers = [p for p in papers if p.has_body]
    if not papers:
        return []
    settings, problems = read_settings(config_file, shown) if os.path.isfile(config_file) else (MarkdownSettings(), [])
    if settings is None:
        return problems
    try:
        checker = BodyChecker(settings)
    except Exception as error:  # an extension that does not load or rejects its settings: the build fails on it too
        message = " ".join(f"{type(error).__name__}: {error}".split())
        return [Problem(shown, 1, "markdown_extensions", f"cannot be loaded ({message}); the note bodies were not checked")]
    return [problem for paper in papers for problem in checker.check(paper)]
