"""Index validated papers: venues → years → papers, tags → papers, ids → papers.

Also finds the problems that only show across notes: duplicate ids, unknown ``related`` ids and
two different tags that would share one page.
"""

from __future__ import annotations

from collections import Counter, defaultdict

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
                problems.append(Problem(paper.path, line, "related", f"unknown paper id {rid!r}" + _did_you_mean(rid, by_id)))
    preprint_of, version_problems = _link_versions(kept, by_id)
    problems += version_problems
    tags, tag_problems = _index_tags(kept)
    problems += tag_problems
    catalog = Catalog(papers=kept, venues=_index_venues(kept, registry), tags=tags, by_id=by_id)
    catalog.preprint_of, catalog.warnings = preprint_of, _split_versions(kept, preprint_of)
    return catalog, problems


def _link_versions(papers: list[Paper], by_id: dict[str, Paper]) -> tuple[dict[str, Paper], list[Problem]]:
    """``published_as`` ids that exist and name another, published note: published id → preprint."""
    preprint_of: dict[str, Paper] = {}
    problems: list[Problem] = []
    for paper in papers:
        target_id = paper.published_as
        if target_id is None:
            continue
        target = by_id.get(target_id)
        where = (paper.path, paper.published_as_line, "published_as")
        if target is None:
            problems.append(Problem(*where, f"unknown paper id {target_id!r}" + _did_you_mean(target_id, by_id)))
        elif target is paper:
            problems.append(Problem(*where, "a note cannot be its own published version"))
        elif target.published_as is not None or target.venue.kind == "preprint":
            problems.append(Problem(*where, f"{target_id!r} is a preprint too: give the id of the published version"))
        elif target_id in preprint_of:
            problems.append(Problem(*where, f"{preprint_of[target_id].path} is already the preprint of {target_id!r}"))
        else:
            preprint_of[target_id] = paper
    return preprint_of, problems


def title_key(title: str) -> str:
    return "".join(ch for ch in title.casefold() if ch.isalnum())


def _split_versions(papers: list[Paper], preprint_of: dict[str, Paper]) -> list[Problem]:
    """A preprint-only note with the title of a published note, not linked to it: one work filed twice."""
    published: dict[str, Paper] = {}
    for paper in papers:
        if paper.venue.kind != "preprint":
            for key in _version_keys(paper):
                published.setdefault(key, paper)
    linked = {p.id for p in preprint_of.values()}
    warnings = []
    for paper in papers:
        if paper.venue.kind != "preprint" or paper.id in linked or paper.published_as is not None:
            continue
        match = next((published[key] for key in _version_keys(paper) if key in published), None)
        if match is not None:
            same = "arXiv id" if _arxiv_urls(paper) & _arxiv_urls(match) else "title"
            warnings.append(Problem(paper.path, paper.line, "venue", f"the same {same} as {match.path} ({match.venue.key} {match.year}): "
                                    f"keep one note (with links.arxiv), or set 'published_as: {match.id}'"))
    return warnings


def _arxiv_urls(paper: Paper) -> set[str]:
    return {link.url.rstrip("/").casefold() for link in paper.links if link.kind == "arxiv"}


def _version_keys(paper: Paper) -> list[str]:
    """What two versions of one work share: the title (as letters and digits) or the arXiv id."""
    return ["title:" + title_key(paper.title), *("arxiv:" + url for url in sorted(_arxiv_urls(paper)))]


def _did_you_mean(word: str, choices: dict[str, Paper]) -> str:
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


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
