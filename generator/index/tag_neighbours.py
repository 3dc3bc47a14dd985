"""What a tag page shows beside its papers: the tags its papers also carry, and the reading paths
that read them; and how the tags index groups tags (used more than once, by count; used once, folded)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from generator.model import Catalog, ReadingPath, Tag, TagIndex

RELATED_TAGS = 8


@dataclass(frozen=True)
class TagCount:
    tag: Tag
    count: int  # papers of the page's tag that also carry this one


@dataclass(frozen=True)
class PathUse:
    path: ReadingPath
    count: int  # its steps that are papers with the tag


def related_tags(index: TagIndex, catalog: Catalog, limit: int = RELATED_TAGS) -> list[TagCount]:
    """The tags most often found on the same papers, most shared first (ties by name)."""
    counts: Counter[str] = Counter(t.key for paper in index.papers for t in paper.tags if t.key != index.tag.key)
    found = [TagCount(catalog.tag_by_key[key], n) for key, n in counts.items() if key in catalog.tag_by_key]
    return sorted(found, key=lambda tc: (-tc.count, tc.tag.name.casefold(), tc.tag.key))[:limit]


def paths_using(index: TagIndex, catalog: Catalog) -> list[PathUse]:
    """The reading paths with a verified step that is one of the tag's papers, in the paths' order."""
    ids = {paper.id for paper in index.papers}
    uses = []
    for path in catalog.paths:
        steps = {step.paper.id for section in path.sections for step in section.steps
                 if step.paper is not None and step.number and step.paper.id in ids}  # fmt: skip
        if steps:
            uses.append(PathUse(path, len(steps)))
    return uses


def by_count(tags: list[TagIndex]) -> tuple[list[TagIndex], list[TagIndex]]:
    """Tags used more than once (most used first, ties by name), and the tags used once (by name)."""
    several = sorted((t for t in tags if len(t.papers) > 1), key=lambda t: (-len(t.papers), t.tag.name.casefold(), t.tag.key))
    once = [t for t in tags if len(t.papers) <= 1]
    return several, once
