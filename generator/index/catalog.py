"""Index validated papers: venues → years → papers, tags → papers, ids → papers.

Also finds the problems that only show across notes: duplicate ids, unknown ``related``,
``builds_on`` and ``compares_with`` ids and ``[@id]`` citations, a cycle in ``builds_on`` and two
different tags that would share one page.

When two notes claim one id, or two tags one page, the established one keeps it and the clash is
reported on both (so a newcomer cannot take over an id or a tag page, nor put its error on someone
else's note). Established means, in this order:

- for an id: the note whose file is named after the id (``orca.md`` for ``orca``) over one that sets
  ``id:``; then the note added earlier by git history; then the first path;
- for a tag page: the spelling of the note added earliest by git history; then the spelling used by
  more notes; then the first spelling in code-point order.

Git history is what ``history.git_added_dates`` reads (dates in the future clamped); a note that is
not committed counts as the newest. The ``added:`` field does not count: a newcomer writes it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator.index.citations import citation_problems
from generator.index.paths import load_paths
from generator.index.tag_twins import twin_warnings
from generator.load.history import GitHistory, note_dates
from generator.load.notes import shown_path
from generator.load.venues import VenueRegistry
from generator.model import VENUE_KINDS, Catalog, Edition, Paper, Problem, ReadingPath, Tag, TagIndex, VenueIndex, newest_first
from generator.validate.graph import did_you_mean, find_cycles
from generator.validate.tag_aliases import TAGS_FILE, TagAliases

History = Callable[[], Mapping[str, str]]  # note path under papers/ → when git first saw it (UTC stamp)
_NOT_COMMITTED = "~"  # sorts after every UTC stamp


@dataclass(frozen=True)
class SiteFiles:
    """What the catalog needs besides the notes: the papers folder (its reading paths), what paths
    in problems are relative to, the tag aliases of ``tags.yml`` and the notes' git history."""

    papers_dir: Path
    root: Path
    aliases: TagAliases = field(default_factory=TagAliases)
    history: Callable[[], GitHistory] | None = None  # asked at most once, and only if needed


def build_catalog(papers: list[Paper], registry: VenueRegistry, site: SiteFiles | None = None) -> tuple[Catalog, list[Problem]]:
    """Stage 3 (index): the catalog of ``papers``, with every cross-note problem.

    With ``site``, the catalog also holds the reading paths, the dates notes were added and edited
    and warnings about likely twin tags; its git history is asked (once) only when it is needed:
    two notes or tags clash, or a note has no ``added`` date."""
    history = site.history if site is not None else None
    seniority = _Seniority((lambda: history().added) if history is not None else None)
    papers = sorted(papers, key=lambda p: p.path)
    by_id, problems = _index_ids(papers, seniority)
    kept = [paper for paper in papers if by_id[paper.id] is paper]
    for paper in kept:
        for rid, line in zip(paper.related, paper.related_lines, strict=True):
            if rid not in by_id:
                problems.append(Problem(paper.path, line, "related", f"unknown paper id {rid!r}" + did_you_mean(rid, by_id)))
    problems += _relation_problems(kept, by_id)
    for paper in kept:
        problems += citation_problems(paper, by_id)
    preprint_of, version_problems = _link_versions(kept, by_id)
    problems += version_problems
    tags, tag_problems = _index_tags(kept, seniority)
    problems += tag_problems
    warnings = _split_versions(kept, preprint_of)
    paths: list[ReadingPath] = []
    added_on: dict[str, str] = {}
    edited_on: dict[str, str] = {}
    tag_aliases: dict[str, tuple[str, ...]] = {}
    if site is not None:
        shown_tags = {t.tag.key for t in tags}
        tag_aliases = {key: names for key, names in site.aliases.by_tag().items() if key in shown_tags}
        warnings += twin_warnings(tags, site.aliases.distinct, shown_path(site.papers_dir / TAGS_FILE, site.root))
        added_on, edited_on = note_dates(kept, site.papers_dir, history)
        paths, path_problems = load_paths(site.papers_dir, by_id, site.root)
        problems += path_problems
    catalog = Catalog(papers=kept, venues=_index_venues(kept, registry), tags=tags, by_id=by_id, added_on=added_on,
                      edited_on=edited_on, paths=paths, preprint_of=preprint_of, warnings=sorted(warnings),
                      tag_aliases=tag_aliases)  # fmt: skip
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
            problems.append(Problem(*where, f"unknown paper id {target_id!r}" + did_you_mean(target_id, by_id)))
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
    """A title reduced to its lowercase letters and digits, to find one work filed twice."""
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
            warnings.append(
                Problem(
                    paper.path,
                    paper.line,
                    "venue",
                    f"the same {same} as {match.path} ({match.venue.key} {match.year}): "
                    f"keep one note (with links.arxiv), or set 'published_as: {match.id}'",
                )
            )
    return warnings


def _arxiv_urls(paper: Paper) -> set[str]:
    return {link.url.rstrip("/").casefold() for link in paper.links if link.kind == "arxiv"}


def _version_keys(paper: Paper) -> list[str]:
    """What two versions of one work share: the title (as letters and digits) or the arXiv id."""
    return ["title:" + title_key(paper.title), *("arxiv:" + url for url in sorted(_arxiv_urls(paper)))]


class _Seniority:
    """Which of two clashing notes or tags is the established one (see the module's docstring)."""

    def __init__(self, history: History | None) -> None:
        self._history = history
        self._added: Mapping[str, str] | None = None

    def added(self, paper: Paper) -> str:
        if self._added is None:
            self._added = self._history() if self._history is not None else {}
        return self._added.get(paper.rel_path) or _NOT_COMMITTED

    def of_id(self, paper: Paper) -> tuple[bool, str, str]:
        return (not _named_after_id(paper), self.added(paper), paper.path)

    def of_tag(self, members: list[Paper], key: str) -> tuple[str, int, str]:
        return (min(self.added(p) for p in members), -len(members), key)

    def why_id(self, keeper: Paper, other: Paper) -> str:
        if _named_after_id(keeper) and not _named_after_id(other):
            return "its file is named after the id"
        if self.added(keeper) < self.added(other):
            return f"it was added first, on {self.added(keeper)[:10]}"
        return "its path sorts first"


def _named_after_id(paper: Paper) -> bool:
    return paper.rel_path.rsplit("/", 1)[-1] == paper.id + ".md"


def _index_ids(papers: list[Paper], seniority: _Seniority) -> tuple[dict[str, Paper], list[Problem]]:
    claims: dict[str, list[Paper]] = defaultdict(list)
    for paper in papers:
        claims[paper.id].append(paper)
    by_id: dict[str, Paper] = {}
    problems: list[Problem] = []
    for pid, claimants in claims.items():
        keeper, *others = sorted(claimants, key=seniority.of_id) if len(claimants) > 1 else claimants
        by_id[pid] = keeper
        for other in others:
            problems.append(Problem(other.path, other.id_line or other.line, "id", f"{pid!r} is already the id of {keeper.path}, which keeps it "
                                    f"({seniority.why_id(keeper, other)}): set another 'id:' or rename the file; this note is left out"))  # fmt: skip
        if others:
            names = ", ".join(other.path for other in others)
            left_out = "the other is left out" if len(others) == 1 else "the others are left out"
            problems.append(Problem(keeper.path, keeper.id_line or keeper.line, "id", f"{pid!r} is also claimed by {names}; this note keeps it "
                                    f"({seniority.why_id(keeper, others[0])}) and {left_out}"))  # fmt: skip
    return by_id, problems


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


def _index_tags(papers: list[Paper], seniority: _Seniority) -> tuple[list[TagIndex], list[Problem]]:
    members: dict[str, list[Paper]] = defaultdict(list)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    slug_of: dict[str, str] = {}
    for paper in papers:
        for tag in paper.tags:
            members[tag.key].append(paper)
            spellings[tag.key][tag.name] += 1
            slug_of[tag.key] = tag.slug
    # the most used spelling names the tag; ties go to the alphabetically first, for stable builds
    names = {key: min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0] for key, counts in spellings.items()}
    keys_of_slug: dict[str, list[str]] = defaultdict(list)
    for key in sorted(members):
        keys_of_slug[slug_of[key]].append(key)
    problems: list[Problem] = []
    indexes: list[TagIndex] = []
    for slug, keys in keys_of_slug.items():
        keeper, *others = sorted(keys, key=lambda k: seniority.of_tag(members[k], k)) if len(keys) > 1 else keys
        indexes.append(TagIndex(Tag(keeper, slug, names[keeper]), sorted(members[keeper], key=newest_first)))
        if others:
            problems += _tag_clash(slug, keeper, others, members, names, seniority)
    indexes.sort(key=lambda t: (t.tag.name.casefold(), t.tag.key))
    return indexes, problems


def _tag_clash(slug: str, keeper: str, others: list[str], members: dict[str, list[Paper]], names: dict[str, str],
               seniority: _Seniority) -> list[Problem]:  # fmt: skip
    """The clash of tags that would share the page tags/<slug>/: on every note of the newcomers, and
    on the established tag's first note."""
    first = min(members[keeper], key=lambda p: (seniority.added(p), p.path))
    problems = []
    for key in others:
        for paper in members[key]:
            line = next((ln for tag, ln in zip(paper.tags, paper.tag_lines, strict=False) if tag.key == key), paper.line)
            problems.append(Problem(paper.path, line, "tags", f"{names[key]!r} would take the page tags/{slug}/ of the established "
                                    f"tag {names[keeper]!r} (of {first.path}): use that spelling; this tag is left out"))  # fmt: skip
    newcomers = ", ".join(f"{names[key]!r} in {members[key][0].path}" for key in others)
    line = next((ln for tag, ln in zip(first.tags, first.tag_lines, strict=False) if tag.key == keeper), first.line)
    problems.append(Problem(first.path, line, "tags", f"{names[keeper]!r} keeps its page tags/{slug}/, which {newcomers} "
                            "would share (one spelling per tag)"))  # fmt: skip
    return problems
