"""Pages for reading paths: must-read/ (the default path), paths/ and paths/<name>/,
and the "Step 3 of 10" block with previous/next links on paper pages."""

from __future__ import annotations

from generator import urls
from generator.index.paths import DEFAULT_PATH, steps_of_paper
from generator.model import Paper, ReadingPath, Step
from generator.render import lineage
from generator.render.pages import Page, RenderContext, listing_page, render_template


def render_path_pages(ctx: RenderContext) -> list[Page]:
    """The Reading paths page and one page per path (none when the site has no paths)."""
    paths: list[ReadingPath] = ctx.catalog.paths
    if not paths:
        return []
    # a path's steps (with why to read each) are worth finding in the site search: search_blocks
    pages = [listing_page(urls.PATHS, "Reading paths", render_template("paths.md.j2", urls.PATHS, ctx, paths=paths),
                          in_nav=True, search_blocks=True)]  # fmt: skip
    for reading_path in paths:
        url = urls.path_url(reading_path.name)
        pages.append(listing_page(url, reading_path.title, _path_markdown(reading_path, url, ctx), search_blocks=True))
    default = next((p for p in paths if p.name == DEFAULT_PATH), None)
    if default is not None:
        pages.insert(0, listing_page(urls.MUST_READ, "Must-read", _path_markdown(default, urls.MUST_READ, ctx, canonical=True),
                                     in_nav=True, search_blocks=True))  # fmt: skip
    return pages


def step_href(step: Step, from_url: str, path_url: str) -> str:
    """Where a step links: the paper's page, the outside resource, or the step on its path page."""
    if step.paper is not None:
        return urls.relative(from_url, urls.paper_url(step.paper))
    if step.url:
        return step.url
    return urls.relative(from_url, path_url) + f"#step-{step.number}"


def _path_markdown(reading_path: ReadingPath, url: str, ctx: RenderContext, canonical: bool = False) -> str:
    # the default path is published twice (must-read/ and paths/must-read/): search shows one
    duplicate = reading_path.name == DEFAULT_PATH and not canonical
    lineage_page = urls.path_lineage_url(reading_path.name) if lineage.has_relations(reading_path.papers, ctx.catalog) else None
    return render_template("path.md.j2", url, ctx, path=reading_path, duplicate=duplicate, lineage=lineage_page,
                           href=lambda step: step_href(step, url, url))  # fmt: skip


def path_steps_section(paper: Paper, ctx: RenderContext, page_url: str) -> str:
    """The paper-page block naming the reading paths this paper is a step of ("" when none)."""
    found = steps_of_paper(ctx.catalog.paths, paper)
    if not found:
        return ""

    def path_page(reading_path: ReadingPath) -> str:
        return urls.MUST_READ if reading_path.name == DEFAULT_PATH else urls.path_url(reading_path.name)

    return render_template("path_steps.j2", page_url, ctx, found=found, path_page=path_page,
                           href=lambda step, rp: step_href(step, page_url, path_page(rp)))  # fmt: skip
