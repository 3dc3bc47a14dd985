"""The render outputs kept between builds: of one process (a watch loop such as `mkdocs serve`), or
saved in a file for the next build (``save``/``load``: the next deploy, when the cache is kept).

A rebuild whose notes did not change (the pipeline's cache hands back the very same result) reuses
the last outputs as they are; one where only note bodies changed (the usual edit while writing)
re-renders just those notes' pages (``rerender_bodies``); a tag or title edit re-renders the pages
that show the edited papers (``incremental.rerender``); any other change renders the site again.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import generator
from generator.render import incremental
from generator.render.pages import Asset, Page, RenderContext
from generator.render.site import render_site, rerender_bodies
from generator.replace_file import replace_file
from generator.versions import package_version

if TYPE_CHECKING:
    from generator.pipeline import Result


RENDERED_ALL = "all pages"  # RenderCache.how when nothing was reused


@dataclass(frozen=True)
class _Rendered:
    result: Result  # what the pipeline gave (the same object while no note changed)
    settings: tuple[Any, ...]  # site_url, site_name, page_size
    outputs: list[Page | Asset]
    context: RenderContext  # what the outputs were rendered with (its catalog and indexes)


class RenderCache:
    """``render`` = ``render_site``, reusing the last build's outputs where its inputs allow.

    ``keep=False`` (a one-off build) keeps nothing: every call renders the site.
    """

    def __init__(self, keep: bool = True) -> None:
        self.keep = keep
        self.last: _Rendered | None = None
        self.how = ""  # what the last ``render`` call rendered, for the log

    def render(self, result: Result, *, site_url: str, site_name: str, page_size: int) -> list[Page | Asset]:
        """The pages and assets of ``result``'s catalog (see the module's docstring for the reuse)."""
        settings = (site_url, site_name, page_size)
        last, outputs, rendered_with = self.last, None, None
        self.how = RENDERED_ALL
        if last is not None and last.settings == settings:
            if last.result is result:  # no note changed
                self.how = "the last outputs"
                return last.outputs
            outputs = rerender_bodies(last.outputs, last.context, result.catalog)  # None unless only bodies changed
            rendered_with, self.how = last.context, "the changed bodies"
            if outputs is None and (changed := incremental.rerender(last.outputs, last.context, result.catalog, *settings)) is not None:
                (outputs, rendered_with), self.how = changed, "the pages that show what changed"
        if outputs is None or rendered_with is None:
            self.how = RENDERED_ALL
            rendered_with = RenderContext(result.catalog)
            outputs = render_site(result.catalog, site_url=site_url, site_name=site_name, page_size=page_size, context=rendered_with)
        if self.keep:
            self.last = _Rendered(result, settings, outputs, rendered_with)
        return outputs

    def save(self, path: Path) -> bool:
        """The last rendering, for the next process (``load``); whether it was written (True if none)."""
        if self.last is None:
            return True
        last = self.last

        def write(out: BinaryIO) -> None:
            out.write(code_digest().encode("ascii") + b"\n")
            pickle.dump(last, out, protocol=pickle.HIGHEST_PROTOCOL)

        try:
            replace_file(path, write)
        except (OSError, pickle.PicklingError, AttributeError, TypeError):  # a full disk, an object pickle refuses
            return False
        return True

    def load(self, path: Path) -> bool:
        """The rendering ``save`` left in ``path``, if the same code made it; whether there was one.

        The file is this builder's own (a build folder, or a CI cache of the default branch), never
        contributed text: it holds objects, and loading one runs the code it names."""
        try:
            with path.open("rb") as data:
                if data.readline().rstrip(b"\n") != code_digest().encode("ascii"):
                    return False
                last = pickle.load(data)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return False  # none yet, cut short, or from other code: render from scratch
        if not isinstance(last, _Rendered):
            return False
        self.last = last
        return True


_RENDER_LIBRARIES = ("jinja2", "markupsafe", "pyyaml", "bibtexparser", "latex2mathml", "nh3")


def code_digest() -> str:
    """The generator's code and templates, Python's version and the render libraries' versions: a
    saved rendering is used only by the code that made it."""
    digest = hashlib.sha256(sys.version.encode())
    for name in _RENDER_LIBRARIES:
        installed = package_version(name)
        digest.update((f"{name}={installed}" if installed else name).encode())
    package = Path(generator.__file__).parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix not in (".pyc", ".tmp") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
