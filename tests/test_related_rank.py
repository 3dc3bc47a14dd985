"""The tag neighbours under "Related papers" match a plain sort by (shared tags, newest first)."""

from __future__ import annotations

from collections import Counter

from conftest import ROOT

from generator import pipeline
from generator.model import newest_first
from generator.render import related
from generator.render.pages import RenderContext


def test_tag_neighbours_are_the_most_shared_then_newest_on_the_shipped_notes():
    catalog = pipeline.build(ROOT / "papers", ROOT).catalog
    context = RenderContext(catalog)
    order = sorted(catalog.papers, key=lambda p: (newest_first(p), p.id))
    rank = {p.id: i for i, p in enumerate(order)}
    checked = 0
    for paper in catalog.papers:
        groups = related.related_groups(paper, context)
        shown = {paper.id} | {p.id for g in groups if g.kind != "shared-tags" for p, _ in g.papers}
        shared: Counter[str] = Counter()
        for tag in paper.tags:
            for other in catalog.papers:
                if other.id not in shown and tag.key in {t.key for t in other.tags}:
                    shared[other.id] += 1
        expected = sorted(shared, key=lambda pid: (-shared[pid], rank[pid]))[: related.MAX_SHARED_TAGS]
        got = next((g for g in groups if g.kind == "shared-tags"), None)
        assert ([p.id for p, _ in got.papers] if got else []) == expected, paper.id
        checked += bool(expected)
    assert checked > 100
