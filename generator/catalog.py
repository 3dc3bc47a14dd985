"""Index validated papers: venues → years → papers, tags → papers, ids → papers.

Also finds the problems that only show across notes: duplicate ids, unknown ``related``,
``builds_on`` and ``compares_with`` ids and ``[@id]`` citations, a cycle in ``builds_on`` and two different tags that would
share one page.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from .citations import citation_problems
from .graph import did_you_mean, find_cycles
from .model import VENUE_KINDS, Catalog, Edition, Paper, Problem, Tag, TagIndex, VenueIndex
from .venues import VenueRegistry


def newest_first(paper: Paper) -> tuple[int, str, str]:
    return (-paper.year, paper.venue.key.casefold(), paper.title.casefold())


def build_catalog(papers: list[Paper], registry: VenueRegistry) -> tuple[Catalog, list[Problem]]:
    problems: list[Problem] = []
    papers = sorted(papers, key=lambda p: p.path)
    by_id: dict[str, Paper] = {}
    kept: list[Paper] = []
    for paper in papers:
        first = by_id.get(paper.id)
        if first is not None:
            problems.append(Problem(paper.path, paper.line, "id", f"{paper.id!r} is already the id of {first.path} (ids must be unique: set 'id:' or rename the file)"))
            continue
        by_id[paper.id] = paper
        kept.append(paper)
    for paper in kept:
        for rid, line in zip(paper.related, paper.related_lines):
            if rid not in by_id:
                problems.append(Problem(paper.path, line, "related", f"unknown paper id {rid!r}" + did_you_mean(rid, by_id)))
    problems += _relation_problems(kept, by_id)
    for paper in kept:
        problems += citation_problems(paper, by_id)
    tags, tag_problems = _index_tags(kept)
    problems += tag_problems
    return Catalog(papers=kept, venues=_index_venues(kept, registry), tags=tags, by_id=by_id), problems


def _relation_problems(papers: list[Paper], by_id: dict[str, Paper]) -> list[Problem]:
    """Relations naming no paper of the site, and cycles in ``builds_on`` (a paper cannot extend
    its own descendant); each cycle is reported once, at the paper it is written from."""
    problems: list[Problem] = []
    for paper in papers:
        for name, rid, line in paper.relation_lines:
            if rid not in by_id:
                problems.append(Problem(paper.path, line, name, f"unknown paper id {rid!r}" + did_you_mean(rid, by_id)))
    for cycle in find_cycles({p.id: p.builds_on for p in papers}):
        first = by_id[cycle[0]]
        line = next((ln for name, rid, ln in first.relation_lines if name == "builds_on" and rid == cycle[1]), first.line)
        problems.append(Problem(first.path, line, "builds_on", "cycle: " + " → ".join(cycle) + " (a paper can only build on earlier work)"))
    return problems


def _index_venues(papers: list[Paper], registry: VenueRegistry) -> list[VenueIndex]:
    by_edition: dict[tuple[str, int], list[Paper]] = defaultdict(list)
    for paper in papers:
        by_edition[(paper.venue.key, paper.year)].append(paper)
    venues: dict[str, VenueIndex] = {}
    for (key, year), members in by_edition.items():
        venue = members[0].venue
        index = venues.setdefault(key, VenueIndex(venue, []))
        members.sort(key=lambda p: ((p.topic or "").casefold() == "", (p.topic or "").casefold(), p.title.casefold()))
        index.editions.append(Edition(venue, year, registry.edition_facts(venue, year), members))
    for index in venues.values():
        index.editions.sort(key=lambda e: -e.year)
    kind_order = {k: i for i, k in enumerate(VENUE_KINDS)}
    return sorted(venues.values(), key=lambda v: (kind_order[v.venue.kind], v.venue.key.casefold()))


def _index_tags(papers: list[Paper]) -> tuple[list[TagIndex], list[Problem]]:
    members: dict[str, list[Paper]] = defaultdict(list)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    slug_of: dict[str, str] = {}
    for paper in papers:
        for tag in paper.tags:
            members[tag.key].append(paper)
            spellings[tag.key][tag.name] += 1
            slug_of[tag.key] = tag.slug
    problems: list[Problem] = []
    owner_of_slug: dict[str, str] = {}
    indexes: list[TagIndex] = []
    for key in sorted(members):
        # the most used spelling names the tag; ties go to the alphabetically first, for stable builds
        name = min(spellings[key].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        slug = slug_of[key]
        if slug in owner_of_slug:
            paper = members[key][0]
            problems.append(Problem(paper.path, paper.line, "tags", f"{name!r} and {owner_of_slug[slug]!r} would share the page tags/{slug}/ (use one spelling)"))
            continue
        owner_of_slug[slug] = name
        indexes.append(TagIndex(Tag(key, slug, name), sorted(members[key], key=newest_first)))
    indexes.sort(key=lambda t: (t.tag.name.casefold(), t.tag.key))
    return indexes, problems
