"""Related papers below a paper's notes: the ones it names, the ones that name it, the ones sharing tags.

Listed in ``site.PAPER_SECTIONS``. The index of backlinks and tag neighbours is built once per
rendering (kept in its ``RenderContext``), not once per paper.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import chain

from generator.model import Catalog, Paper, Tag, newest_first
from generator.render import pages as render
from generator.render.pages import RenderContext

MAX_SHARED_TAGS = 5  # how many tag neighbours a paper page shows


@dataclass(frozen=True)
class RelatedGroup:
    kind: str  # "related", "backlinks" or "shared-tags"
    label: str
    papers: list[tuple[Paper, list[Tag]]]  # each paper with the tags it shares (for "shared-tags")


@dataclass
class _Index:
    backlinks: dict[str, list[Paper]]
    tagged: dict[str, list[int]]  # tag key → the ranks of its papers, ascending
    rank: dict[str, int]  # paper id → place in newest-first order (the tie-break)
    order: list[Paper]  # rank → paper


def _index(catalog: Catalog) -> _Index:
    backlinks: dict[str, list[Paper]] = defaultdict(list)
    for paper in catalog.papers:
        for rid in dict.fromkeys(paper.related):
            if rid != paper.id:
                backlinks[rid].append(paper)
    for found in backlinks.values():
        found.sort(key=newest_first)
    order = sorted(catalog.papers, key=lambda p: (newest_first(p), p.id))
    rank = {p.id: i for i, p in enumerate(order)}
    tagged = {t.tag.key: sorted(rank[p.id] for p in t.papers) for t in catalog.tags}
    return _Index(backlinks, tagged, rank, order)


def related_groups(paper: Paper, ctx: RenderContext, limit: int = MAX_SHARED_TAGS) -> list[RelatedGroup]:
    """What a paper page shows under "Related papers"; every paper appears once, empty groups are left out."""
    catalog = ctx.catalog
    index = ctx.index(_index)
    shown = {paper.id}
    named = [catalog.by_id[rid] for rid in dict.fromkeys(paper.related) if rid in catalog.by_id and rid not in shown]
    shown.update(p.id for p in named)
    pointing = [p for p in index.backlinks.get(paper.id, []) if p.id not in shown]
    shown.update(p.id for p in pointing)
    # Most shared tags first; ties: newest paper, then venue, then title, then id (stable across
    # builds). Counting ranks in ascending order and sorting stably by count does both at C speed.
    shared = Counter(sorted(chain.from_iterable(index.tagged.get(tag.key, ()) for tag in paper.tags)))
    hidden = {index.rank[pid] for pid in shown if pid in index.rank}
    best = [index.order[r] for r in sorted(shared, key=shared.__getitem__, reverse=True) if r not in hidden][:limit]
    own_keys = {t.key for t in paper.tags}
    neighbours = [(other, [t for t in render.paper_tags(other, catalog) if t.key in own_keys]) for other in best]
    groups = [
        RelatedGroup("related", "Listed as related in this note", [(p, []) for p in named]),
        RelatedGroup("backlinks", "Notes that list this paper as related", [(p, []) for p in pointing]),
        RelatedGroup("shared-tags", "Sharing the most tags", neighbours),
    ]
    return [g for g in groups if g.papers]


def related_section(paper: Paper, ctx: RenderContext, page_url: str) -> str:
    """The paper-page block of related papers ("" when there are none)."""
    groups = related_groups(paper, ctx)
    if not groups:
        return ""
    return render.render_template(
        "related.md.j2", page_url, ctx, groups=groups,
        related_head=lambda other: render.site_fragment(ctx, ("related_head", other.id), "related_head.j2", page_url, paper=other),
    )  # fmt: skip
