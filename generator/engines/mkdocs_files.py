"""What the MkDocs plugin keeps between `mkdocs serve` rebuilds: the ``File`` objects of generated
pages and assets (with ``--dirty``, a file counts as modified only when its content changed, so
MkDocs rebuilds only those pages) and the theme's compiled templates."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jinja2
import jinja2.bccache
from mkdocs.structure.files import File

from generator.render.pages import Asset, Page


@dataclass
class _Kept:
    """A generated file as the last `mkdocs serve` build made it."""

    output: Any  # the Page or Asset (the same object while its inputs are unchanged)
    content: str
    settings: tuple[Any, ...]
    file: File
    digest: str  # of the content, under --dirty


class KeptFiles:
    """The ``File`` of each generated page or asset, made once per `mkdocs serve` while it is unchanged.

    Under `mkdocs serve` the very output of the last build (the render cache) gets the File made then
    (thousands per rebuild); ``keep=False`` (one build) keeps nothing.
    """

    def __init__(self, keep: bool = False, dirty: bool = False) -> None:
        self.keep, self.dirty = keep, dirty
        self.kept: dict[str, _Kept] = {}  # generated file → what the last build made of it

    def file(self, uri: str, output: Page | Asset, content: str, settings: tuple[Any, ...], make: Callable[[], File]) -> File:
        """The File of a generated page or asset; ``make()`` creates it. ``settings``: what its paths depend on."""
        kept = self.kept.get(uri)
        if kept is not None and kept.output is output and kept.content is content and kept.settings == settings:
            kept.file.page = None  # MkDocs makes a new Page for it in this build
            file, digest, changed = kept.file, kept.digest, False
        else:
            file, digest = make(), ""
            if self.dirty:
                blocks = output.slots.blocks if isinstance(output, Page) else ()
                digest = hashlib.sha256("\x00".join((content, *blocks)).encode("utf-8")).hexdigest()
            changed = kept is None or kept.digest != digest
        if self.keep:
            self.kept[uri] = _Kept(output, content, settings, file, digest)
        if self.dirty:
            file.is_modified = lambda: changed  # type: ignore[method-assign]  # MkDocs asks each File this under --dirty
        return file


class TemplateBytecode(jinja2.BytecodeCache):
    """Compiled theme templates kept in memory between `mkdocs serve` rebuilds (Jinja checks each
    template's source checksum, so an edited template is compiled again)."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()
