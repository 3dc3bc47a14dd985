"""Settings and page values as plain data, the same in every build: what the keys of the kept
conversions (mkdocs_page_cache.py) and finished pages (mkdocs_output_cache.py) are made of.

A value that has no such form (an object of unknown kind) raises ``Unkeyable``: what depends on it is
not kept. Naming such an object by its type would key two different settings alike, and a build
would then use pages made with the other one."""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

_DEPTH = 32  # nested deeper than this (a function whose closure holds itself …): unkeyable


class Unkeyable(Exception):
    """A value no digest can stand for (an object of unknown kind)."""


def plain(value: Any, depth: int = 0) -> Any:
    """``value`` as JSON data, the same in every build; raises Unkeyable for what has no such form."""
    if depth > _DEPTH:
        raise Unkeyable(type(value).__qualname__)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, Mapping):
        return {str(key): plain(item, depth + 1) for key, item in value.items() if not str(key).startswith("_")}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [plain(item, depth + 1) for item in value]
        return sorted(items, key=json.dumps) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, functools.partial):  # `!!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}`
        return {"partial": plain(value.func, depth + 1), "args": plain(value.args, depth + 1), "keywords": plain(value.keywords, depth + 1)}
    if callable(value) and hasattr(value, "__qualname__"):
        return _function(value, depth)
    text = repr(value)
    if " at 0x" in text or " object>" in text:
        raise Unkeyable(type(value).__qualname__)
    return f"{type(value).__qualname__}:{text}"


def name_of(value: Any) -> str:
    """A function's or class's module and qualified name."""
    return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__qualname__)}"


def _function(value: Any, depth: int) -> Any:
    """A function or class by its name; with what it holds where it has any (defaults, a closure's
    values: two functions a factory made with other arguments share a name)."""
    name = name_of(value)
    held = [
        plain(getattr(value, "__defaults__", None) or (), depth + 1),
        plain(getattr(value, "__kwdefaults__", None) or {}, depth + 1),
        [plain(cell.cell_contents, depth + 1) for cell in getattr(value, "__closure__", None) or ()],
    ]
    return name if held == [[], {}, []] else [name, *held]


def file_digest(origin: str | None) -> str:
    """The SHA-256 of the file at ``origin`` (a module's source), or "" when there is no such file."""
    if origin and os.path.isfile(origin):
        return hashlib.sha256(Path(origin).read_bytes()).hexdigest()
    return ""
