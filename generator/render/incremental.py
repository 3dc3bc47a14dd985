"""Render again after an edit under `mkdocs serve`, re-rendering only the pages whose inputs changed.

A tag or title edit changes what listings show. A paper page is rendered again only when it may
show a changed paper: the changed papers themselves, the papers sharing a tag with them (the
"Sharing the most tags" block), and the papers linked to them by a relation, a citation or a
reading path. A tag page is rendered again when it lists a changed paper (before or after the
edit); its "Often with" line counts only its own papers' tags. So is an edition's page. The other listings and generated
files (the tags index, venue and path pages, feeds, BibTeX, the explorer's data) are
rendered again, from per-paper fragments carried over from the last render for the papers that
did not change.

Edits that change the site's structure (a note added, removed or moved to another venue or year,
a relation or citation added, reading paths or dates changed) are rendered in full: ``rerender``
returns None. A body-only edit is cheaper still (``site.rerender_bodies``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from generator import urls
from generator.index.citations import cited_ids
from generator.model import Catalog, Edition, Paper, TagIndex
from generator.render import bibtex, related
from generator.render.pages import PAGE_SIZE, Asset, Page, RenderContext, paginate
from generator.render.site import render_site

# The per-paper fragments a render keeps in ``RenderContext.fragments`` (key: (kind, paper id, …)), and
# the venue trees (key: ("venue_tree", venue, …)), which depend only on the venues and their years.
PAPER_FRAGMENTS = frozenset({"paper_item", "related_head", "bibtex"})
SITE_FRAGMENTS = frozenset({"venue_tree"})


@dataclass(frozen=True)
class Plan:
    """What changed between two catalogs of the same papers."""

    changed: frozenset[str]  # ids of papers whose shown fields, tag spellings or citekey changed
    pages: frozenset[str]  # ids of papers whose page may show a changed paper
    tags: frozenset[str]  # keys of the tags on a changed paper, before or after: their pages list it
    editions: frozenset[tuple[str, int]]  # (venue, year) of the changed papers


def _structure(paper: Paper) -> tuple[object, ...]:
    """What places a paper in the site and links it to others: equal before and after, or a full render."""
    return (paper.id, paper.path, paper.venue, paper.year, tuple(paper.related), tuple(paper.relations()),
            paper.published_as, tuple(sorted(cited_ids(paper.body))))  # fmt: skip


def _extras(catalog: Catalog) -> tuple[object, ...]:
    """The dates, the venues and their editions' facts (venues.yml), the tags' other spellings
    (tags.yml: every paper page's search line and the tag pages show them), and the reading paths, but a
    step's title when it is its paper's (a changed paper's path is rendered again: its steps are
    linked to it, see ``_linked``)."""
    paths = [(p.name, p.title, p.description,
              [(s.number, s.key, s.kind, "" if s.paper is not None and s.title == s.paper.title else s.title, s.url, s.level,
                s.why, s.requires, s.unverified, s.note) for s in p.steps])
             for p in catalog.paths]  # fmt: skip
    venues = [(index.venue, [(edition.year, edition.facts) for edition in index.editions]) for index in catalog.venues]
    aliases = sorted((key, tuple(spellings)) for key, spellings in catalog.tag_aliases.items())
    return (sorted(catalog.added_on.items()), sorted(catalog.edited_on.items()), paths, venues, aliases)


def _tag_names(paper: Paper, catalog: Catalog) -> tuple[str, ...]:
    return tuple(catalog.tag_by_key[t.key].name if t.key in catalog.tag_by_key else "" for t in paper.tags)


def plan(old: Catalog, new: Catalog, old_ctx: RenderContext | None = None, new_ctx: RenderContext | None = None) -> Plan | None:
    """The papers whose pages must be rendered again for ``new``, or None when everything must be.

    ``old_ctx`` and ``new_ctx`` (for ``old`` and ``new``) lend their citekeys and related-papers
    indexes, and keep what this computes for the render that follows; by default new ones are made."""
    if old.by_id.keys() != new.by_id.keys() or len(old.papers) != len(new.papers) or _extras(old) != _extras(new):
        return None
    if [p.id for p in old.papers] != [p.id for p in new.papers]:
        return None
    old_ctx, new_ctx = old_ctx or RenderContext(old), new_ctx or RenderContext(new)
    old_keys, new_keys = old_ctx.index(bibtex.citekeys), new_ctx.index(bibtex.citekeys)  # the renders reuse them
    changed: set[str] = set()
    touched_tags: set[str] = set()
    for before, after in zip(old.papers, new.papers, strict=True):
        if before is after and _tag_names(before, old) == _tag_names(after, new):
            if old_keys.get(after.id) != new_keys.get(after.id):
                changed.add(after.id)
            continue
        if _structure(before) != _structure(after):
            return None
        if before != after or _tag_names(before, old) != _tag_names(after, new) or old_keys.get(after.id) != new_keys.get(after.id):
            changed.add(after.id)
            touched_tags.update(t.key for t in before.tags)
            touched_tags.update(t.key for t in after.tags)
    linked = _linked(changed, new)
    sharing = {paper.id for paper in new.papers if any(t.key in touched_tags for t in paper.tags)} - changed - linked
    moved = _related_moved(sharing, frozenset(changed), old_ctx, new_ctx)
    pages = changed | linked | moved
    editions = frozenset((p.venue.key, p.year) for p in new.papers if p.id in changed)
    return Plan(frozenset(changed), frozenset(pages), frozenset(touched_tags), editions)


def _related_moved(candidates: set[str], changed: frozenset[str], old: RenderContext, new: RenderContext) -> set[str]:
    """Of the papers sharing a tag with a changed one, those whose "Related papers" block shows a
    changed paper (before or after the edit) or shows other papers than before: the only part of
    their page a tag or title edit elsewhere can reach."""
    moved = set()
    for pid in candidates:
        before, after = _shown_related(pid, old), _shown_related(pid, new)
        if before != after or any(other in changed for _, other, _ in before + after):
            moved.add(pid)
    return moved


def _shown_related(pid: str, ctx: RenderContext) -> list[tuple[str, str, tuple[str, ...]]]:
    groups = related.related_groups(ctx.catalog.by_id[pid], ctx)
    return [(group.kind, other.id, tuple(t.name for t in tags)) for group in groups for other, tags in group.papers]


def _links(paper: Paper) -> Iterable[str]:
    yield from paper.related
    yield from (rid for _, rid in paper.relations())
    yield from cited_ids(paper.body)
    if paper.published_as:
        yield paper.published_as


def _linked(changed: set[str], catalog: Catalog) -> set[str]:
    """Every paper connected to a changed one by relations, citations, preprint links or a reading
    path, however many hops away (a lineage drawing spans two; a path lists all its steps)."""
    if not changed:
        return set()
    edges: dict[str, set[str]] = {}
    for paper in catalog.papers:
        for rid in _links(paper):
            edges.setdefault(paper.id, set()).add(rid)
            edges.setdefault(rid, set()).add(paper.id)
    for reading_path in catalog.paths:
        ids = [step.key for step in reading_path.steps]
        for a in ids:
            edges.setdefault(a, set()).update(ids)
    seen = set(changed)
    stack = list(changed)
    while stack:
        for other in edges.get(stack.pop(), ()):
            if other not in seen:
                seen.add(other)
                stack.append(other)
    return seen & catalog.by_id.keys()


def _carry_fragments(old: RenderContext, new: RenderContext, changed: frozenset[str]) -> None:
    """Give ``new`` the fragments of ``old`` that it would render the same."""
    for key, text in old.fragments.items():
        if not isinstance(key, tuple) or len(key) < 2:
            continue
        if key[0] in SITE_FRAGMENTS or (key[0] in PAPER_FRAGMENTS and key[1] not in changed):
            new.fragments.setdefault(key, text)


def rerender(outputs: list[Page | Asset], old: RenderContext, new: Catalog, site_url: str = "", site_name: str = "Reading notes",
             page_size: int = PAGE_SIZE) -> tuple[list[Page | Asset], RenderContext] | None:  # fmt: skip
    """``outputs`` (rendered with ``old``) brought up to date for ``new`` with the same settings, the
    same as ``render_site(new, …)`` gives, and the context they were rendered with; None when the
    edit needs a full render."""
    ctx = RenderContext(new)
    found = plan(old.catalog, new, old, ctx)
    if found is None:
        return None
    _carry_fragments(old, ctx, found.changed)
    previous = {out.src_uri: out for out in outputs if isinstance(out, Page)}
    kept = _Kept(found, previous)
    return render_site(new, site_url=site_url, site_name=site_name, page_size=page_size, context=ctx, kept=kept), ctx


@dataclass(frozen=True)
class _Kept:
    """The last render's pages that ``found`` says an edit did not reach (``site.KeptPages``)."""

    found: Plan
    previous: dict[str, Page]

    def paper(self, paper: Paper) -> Page | None:
        return self.previous.get(urls.paper_source(paper)) if paper.id not in self.found.pages else None

    def tag(self, index: TagIndex, page_size: int) -> list[Page] | None:
        # a tag page shows its papers (their listing lines) and the tags found with them: the same
        # while none of its papers changed
        return self._listing(index.papers, urls.tag_url(index.tag), page_size) if index.tag.key not in self.found.tags else None

    def edition(self, edition: Edition, page_size: int) -> list[Page] | None:
        # an edition page shows its papers and the venue tree (the same while no paper moves)
        if (edition.venue.key, edition.year) in self.found.editions:
            return None
        return self._listing(edition.papers, urls.edition_url(edition.venue, edition.year), page_size)

    def _listing(self, papers: list[Paper], first: str, size: int) -> list[Page] | None:
        """The last render's pages of a listing of ``papers`` at ``first`` (the same papers: the same pages)."""
        pages = [self.previous.get(urls.source_uri(pager.url(pager.number))) for pager, _ in paginate(papers, first, size)]
        return [page for page in pages if page is not None] if all(page is not None for page in pages) else None
