"""The render outputs kept between the builds of one process (a watch loop such as `mkdocs serve`).

A rebuild whose notes did not change (the pipeline's cache hands back the very same result) reuses
the last outputs as they are; one where only note bodies changed (the usual edit while writing)
re-renders just those notes' pages (``rerender_bodies``); a tag or title edit re-renders the pages
that show the edited papers (``incremental.rerender``); any other change renders the site again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from generator.render import incremental
from generator.render.pages import Asset, Page, RenderContext
from generator.render.site import render_site, rerender_bodies

if TYPE_CHECKING:
    from generator.pipeline import Result


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

    def render(self, result: Result, *, site_url: str, site_name: str, page_size: int) -> list[Page | Asset]:
        """The pages and assets of ``result``'s catalog (see the module's docstring for the reuse)."""
        settings = (site_url, site_name, page_size)
        last, outputs, rendered_with = self.last, None, None
        if last is not None and last.settings == settings:
            if last.result is result:  # no note changed
                return last.outputs
            outputs = rerender_bodies(last.outputs, last.context, result.catalog)  # None unless only bodies changed
            rendered_with = last.context
            if outputs is None and (changed := incremental.rerender(last.outputs, last.context, result.catalog, *settings)) is not None:
                outputs, rendered_with = changed
        if outputs is None or rendered_with is None:
            rendered_with = RenderContext(result.catalog)
            outputs = render_site(result.catalog, site_url=site_url, site_name=site_name, page_size=page_size, context=rendered_with)
        if self.keep:
            self.last = _Rendered(result, settings, outputs, rendered_with)
        return outputs
