"""Lineage drawings: who builds on and compares with whom, drawn at build time as inline SVG.

A paper page shows its paper, what it builds on and compares with, and what builds on or compares
with it, two hops each way: one column per hop (older work on the left), rows sorted by year and
title. A reading path or a tag with relations among its papers gets a lineage page laid out by year
(``paths/<name>/lineage/``, ``tags/<tag>/lineage/``). No script: nodes are SVG links with a
``<title>``; colours come from classes (reading-notes.css) and ``currentColor``, so there is nothing
inline for the CSP to allow and the drawing follows the light/dark palette. ``lineage_section`` is
listed in ``site.PAPER_SECTIONS``, after the reading-path steps.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from markupsafe import Markup

from generator import urls
from generator.index.citations import short_title
from generator.model import RELATIONS, Catalog, Paper
from generator.render import pages as render
from generator.render.pages import RenderContext

HOPS = 2
MAX_PER_COLUMN = 10  # a column with more papers shows these and says how many are left out
MAX_PER_YEAR = 25  # the same on a path's or tag's lineage page
COL_WIDTH, BOX_WIDTH, BOX_HEIGHT, ROW_HEIGHT, PAD = 184, 152, 40, 50, 6
MAX_LABEL = 20  # characters of the short title that fit in a box


@dataclass(frozen=True)
class Node:
    paper: Paper
    x: int
    y: int
    label: str
    current: bool = False


@dataclass(frozen=True)
class Edge:
    kind: str  # "builds_on" or "compares_with"
    source: Paper  # the paper whose note names the relation
    target: Paper
    path: str  # SVG path data


@dataclass(frozen=True)
class Drawing:
    nodes: list[Node]
    edges: list[Edge]
    width: int
    height: int
    columns: list[str]  # a heading per column ("builds on", "2023" …)
    left_out: int  # papers not drawn because a column was full

    @property
    def kinds(self) -> list[str]:
        """The venue kinds drawn, for the legend."""
        return sorted({n.paper.venue.kind for n in self.nodes})


def _sort_key(paper: Paper) -> tuple[int, str, str]:
    return (paper.year, paper.title.casefold(), paper.id)


def _label(paper: Paper) -> str:
    text = short_title(paper)  # as in-note citations name it
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1].rstrip() + "…"


def relation_edges(papers: Iterable[Paper], catalog: Catalog) -> list[tuple[str, Paper, Paper]]:
    """(field, source, target) for every relation between two of ``papers``, in a stable order."""
    members = {p.id for p in papers}
    return [(name, catalog.by_id[src], catalog.by_id[rid])
            for src in sorted(members) for name, rid in catalog.by_id[src].relations()
            if rid in members and rid != src]  # fmt: skip


def layout(columns: list[tuple[str, list[Paper]]], catalog: Catalog, current: Paper | None = None,
           per_column: int = MAX_PER_COLUMN) -> Drawing:  # fmt: skip
    """Columns of papers (left to right, each sorted top to bottom) with every relation among them."""
    nodes: dict[str, Node] = {}
    left_out = 0
    for col, (_, papers) in enumerate(columns):
        left_out += max(0, len(papers) - per_column)
        for row, paper in enumerate(papers[:per_column]):
            nodes[paper.id] = Node(paper, PAD + col * COL_WIDTH, 24 + row * ROW_HEIGHT, _label(paper), paper is current)
    edges: list[Edge] = []
    drawn: dict[tuple[str, str], int] = {}  # a second relation between the same two papers runs beside the first
    for name, src, dst in relation_edges([n.paper for n in nodes.values()], catalog):
        shift = drawn.get((src.id, dst.id), 0)
        drawn[(src.id, dst.id)] = shift + 6
        edges.append(Edge(name, src, dst, _edge_path(nodes[src.id], nodes[dst.id], shift)))
    rows = max((min(len(p), per_column) for _, p in columns), default=1)
    width = PAD * 2 + (len(columns) - 1) * COL_WIDTH + BOX_WIDTH
    return Drawing(list(nodes.values()), edges, width, 24 + rows * ROW_HEIGHT, [title for title, _ in columns], left_out)


def _edge_path(src: Node, dst: Node, shift: int = 0) -> str:
    """A curve from the note's paper to the paper it names: to its right side when that one is
    further left (the usual: older work), to its left side otherwise, around the left when both
    share a column."""
    y1, y2 = src.y + BOX_HEIGHT // 2 + shift, dst.y + BOX_HEIGHT // 2 + shift
    if dst.x < src.x:
        x1, x2 = src.x, dst.x + BOX_WIDTH
    elif dst.x > src.x:
        x1, x2 = src.x + BOX_WIDTH, dst.x
    else:
        x1 = x2 = src.x
        bend = src.x - 26
        return f"M{x1} {y1} C{bend} {y1} {bend} {y2} {x2 - 2} {y2}"
    mid = (x1 + x2) // 2
    return f"M{x1} {y1} C{mid} {y1} {mid} {y2} {x2} {y2}"


Neighbours = dict[str, list[Paper]]


def neighbours(catalog: Catalog) -> tuple[Neighbours, Neighbours]:
    """(outgoing, incoming): paper id → the papers its note names, and those whose notes name it
    (built once per rendering: see ``paper_drawing``)."""
    out: Neighbours = defaultdict(list)
    into: Neighbours = defaultdict(list)
    for paper in catalog.papers:
        for _, rid in paper.relations():
            target = catalog.by_id.get(rid)
            if target is not None and target is not paper and all(t is not target for t in out[paper.id]):
                out[paper.id].append(target)
                into[rid].append(paper)
    return out, into


def paper_drawing(paper: Paper, ctx: RenderContext) -> Drawing | None:
    """The paper's two-hop neighbourhood, or None when it has no relation either way."""
    catalog = ctx.catalog
    out, into = ctx.index(neighbours)
    if not out.get(paper.id) and not into.get(paper.id):
        return None
    seen = {paper.id}
    left: list[list[Paper]] = []
    right: list[list[Paper]] = []
    for side, links in ((left, out), (right, into)):
        frontier = [paper]
        for _ in range(HOPS):
            found = {p.id: p for f in frontier for p in links.get(f.id, []) if p.id not in seen}
            if not found:
                break
            seen.update(found)
            frontier = sorted(found.values(), key=_sort_key)
            side.append(frontier)
    columns = [(("it builds on / compares with" if i == 1 else "two hops back"), ps) for i, ps in reversed(list(enumerate(left, 1)))]
    columns.append(("this paper", [paper]))
    columns += [(("builds on / compares with it" if i == 1 else "two hops on"), ps) for i, ps in enumerate(right, 1)]
    return layout(columns, catalog, current=paper)


def set_drawing(papers: list[Paper], catalog: Catalog) -> Drawing | None:
    """The relations among ``papers``, one column per year; None when they have none."""
    edges = relation_edges(papers, catalog)
    related = {p.id: p for _, src, dst in edges for p in (src, dst)}
    if not related:
        return None
    by_year: dict[int, list[Paper]] = defaultdict(list)
    for paper in related.values():
        by_year[paper.year].append(paper)
    columns = [(str(year), sorted(by_year[year], key=_sort_key)) for year in sorted(by_year)]
    return layout(columns, catalog, per_column=MAX_PER_YEAR)


def render_drawing(drawing: Drawing, ctx: RenderContext, page_url: str, caption: str) -> str:
    """The SVG of a lineage drawing, its boxes linking to the papers' pages relative to ``page_url``."""
    href: Callable[[Paper], str] = lambda p: urls.relative(page_url, urls.paper_url(p))  # noqa: E731
    return render.render_template("lineage.svg.j2", page_url, ctx, drawing=drawing, href=href, caption=caption,
                                  relations=RELATIONS, box_width=BOX_WIDTH, box_height=BOX_HEIGHT,
                                  col_width=COL_WIDTH)  # fmt: skip


def lineage_section(paper: Paper, ctx: RenderContext, page_url: str) -> str:
    """The paper-page Lineage block: what the paper builds on and compares with ("" when nothing)."""
    drawing = paper_drawing(paper, ctx)
    if drawing is None:
        return ""
    return "## Lineage\n\n" + render_drawing(drawing, ctx, page_url, "What this paper builds on and compares with, and what came after it")


def set_pages(ctx: RenderContext) -> list[render.Page]:
    """A lineage page for each reading path and each tag whose papers have relations among them."""
    catalog = ctx.catalog
    pages = []
    for reading_path in catalog.paths:
        url = urls.path_lineage_url(reading_path.name)
        page = _set_page(
            reading_path.papers, ctx, url, f"Lineage: {reading_path.title}", reading_path.title, urls.path_url(reading_path.name)
        )
        pages += [page] if page else []
    for index in catalog.tags:
        url = urls.tag_lineage_url(index.tag)
        page = _set_page(index.papers, ctx, url, f"Lineage of #{index.tag.name}", "#" + index.tag.name, urls.tag_url(index.tag))
        pages += [page] if page else []
    return pages


def has_relations(papers: list[Paper], catalog: Catalog) -> bool:
    """Whether a path's or a tag's page gets a lineage page (and links to it)."""
    return bool(relation_edges(papers, catalog))


def _set_page(papers: list[Paper], ctx: RenderContext, url: str, title: str, name: str, back: str) -> render.Page | None:
    catalog = ctx.catalog
    drawing = set_drawing(papers, catalog)
    if drawing is None:
        return None
    caption = f"How the papers of {name} build on and compare with each other, by year"
    markdown = render.render_template("lineage_page.md.j2", url, ctx, title=title, name=name, back=back,
                                      drawing=Markup(render_drawing(drawing, ctx, url, caption)),
                                      edges=relation_edges(papers, catalog), relations=RELATIONS)  # fmt: skip
    return render.listing_page(url, title, markdown)
