"""Plain data that flows through the pipeline: load → validate → index → render.

Nothing here knows about MkDocs; every stage takes and returns these objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.logline import log_safe

STATUSES = ("unread", "reading", "read")
LEVELS = ("essential", "recommended", "advanced")
LEVEL_MARKS = {"essential": "⚡", "recommended": "💎", "advanced": "💡"}
URL_LINK_KINDS = ("paper", "code", "slides", "video", "artifact")
ID_LINK_KINDS = ("doi", "arxiv")
LINK_KINDS = URL_LINK_KINDS + ID_LINK_KINDS
VENUE_KINDS = ("conference", "journal", "workshop", "preprint", "report")
# Typed relations between papers, as front-matter fields: the field → how a page names the relation
RELATIONS = {"builds_on": "builds on", "compares_with": "compares with"}


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the user's data, shown as ``path:line: field: message``.

    Every part may hold user text (a key, a file name): both ways of printing it go through
    ``log_safe``, so no printer can let a note write a line of its own into a log or a CI job.
    """

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return log_safe(f"{self.path}:{self.line}: {self.field}: {self.message}")

    def annotation(self) -> str:
        """A GitHub workflow command that shows the problem on the pull request's diff."""
        return (
            f"::error file={log_safe(self.path, 'property')},line={self.line},title={log_safe(self.field, 'property')}"
            f"::{log_safe(self.message, 'data')}"
        )


@dataclass
class RawNote:
    """A note file split into its parsed front-matter and its Markdown body."""

    path: str  # relative to the project root, with forward slashes: papers/osdi/2022/reef.md
    rel_path: str  # relative to the papers folder: osdi/2022/reef.md
    data: dict[str, Any]
    lines: dict[tuple[Any, ...], int]  # key path → 1-based file line: ("title",), ("tags", 2)
    body: str
    body_line: int  # 1-based line where the body starts


@dataclass(frozen=True)
class Venue:
    key: str  # "OSDI"
    name: str  # "USENIX Symposium on Operating Systems Design and Implementation"
    kind: str  # one of VENUE_KINDS
    slug: str  # "osdi"
    aliases: tuple[str, ...] = ()
    rank: str | None = None  # "CCF-A"
    homepage: str | None = None


@dataclass(frozen=True)
class EditionFacts:
    """Facts about one year of a venue, from the site's venues.yml."""

    name: str | None = None
    homepage: str | None = None
    papers_url: str | None = None
    location: str | None = None


@dataclass(frozen=True, order=True)
class Tag:
    """A tag; ``key`` is its identity (case, ``#``, ``_``/``-``/space folded), ``name`` how it is shown."""

    key: str
    slug: str = field(compare=False)
    name: str = field(compare=False)


@dataclass(frozen=True)
class Link:
    kind: str  # one of LINK_KINDS
    label: str
    url: str  # always http(s)


@dataclass(frozen=True)
class BibExtra:
    """BibTeX facts kept beside a note in ``<note>.bib`` (written by ``notes import-bib``): the entry
    type and the fields the note format has no place for (pages, publisher …), as plain text."""

    entry_type: str  # "inproceedings"
    fields: tuple[tuple[str, str], ...] = ()  # (("pages", "521--538"), ("publisher", "USENIX Association"))
    key: str | None = None  # the entry's key ("yuOrcaDistributedServing2022"): the paper's citekey
    path: str = ""  # the sidecar, for problems: papers/osdi/2022/orca.bib
    line: int = 1  # where its entry starts


@dataclass(frozen=True)
class Evaluation:
    """What a paper evaluated, as the note's ``evaluation`` mapping says (all optional, plain text)."""

    hardware: str | None = None  # "8x NVIDIA A100 80GB"
    workloads: tuple[str, ...] = ()  # models, traces, benchmarks
    result: str | None = None  # the headline result, in the note's words


@dataclass(frozen=True)
class Paper:
    id: str
    title: str
    venue: Venue
    year: int
    path: str  # papers/osdi/2022/reef.md
    rel_path: str  # osdi/2022/reef.md
    authors: tuple[str, ...] = ()
    aka: tuple[str, ...] = ()  # short names of the system: vLLM, PagedAttention
    tags: tuple[Tag, ...] = ()
    summary: str = ""
    links: tuple[Link, ...] = ()
    status: str = "unread"
    level: str | None = None
    topic: str | None = None
    related: tuple[str, ...] = ()
    added: str | None = None  # ISO date
    body: str = ""
    line: int = 1  # where the front-matter starts, for cross-note problems
    related_lines: tuple[int, ...] = ()
    tag_lines: tuple[int, ...] = ()  # the line of each of ``tags``
    id_line: int | None = None  # the line of ``id:``, when the note sets one
    published_as: str | None = None  # on a preprint's note: the id of the note of its published version
    published_as_line: int = 1
    body_line: int = 1  # where the body starts, for problems found when it is rendered
    bibtex: BibExtra | None = None  # from the note's .bib sidecar, if it has one (see load/sidecar.py)
    builds_on: tuple[str, ...] = ()  # ids of the papers whose design this one extends
    compares_with: tuple[str, ...] = ()  # ids of the papers it evaluates against (its baselines)
    relation_lines: tuple[tuple[str, str, int], ...] = ()  # (field, id, file line) of every relation entry
    evaluation: Evaluation | None = None

    def relations(self) -> list[tuple[str, str]]:
        """(field, id) for each relation entry, ``builds_on`` first, in file order."""
        return [("builds_on", rid) for rid in self.builds_on] + [("compares_with", rid) for rid in self.compares_with]

    @property
    def has_body(self) -> bool:
        return bool(self.body.strip())


def newest_first(paper: Paper) -> tuple[int, str, str]:
    """Sort key: newest year first, then venue, then title (case-insensitive)."""
    return (-paper.year, paper.venue.key.casefold(), paper.title.casefold())


@dataclass
class Edition:
    venue: Venue
    year: int
    facts: EditionFacts
    papers: list[Paper]


@dataclass
class VenueIndex:
    venue: Venue
    editions: list[Edition]  # newest first

    @property
    def paper_count(self) -> int:
        return sum(len(e.papers) for e in self.editions)


@dataclass
class TagIndex:
    tag: Tag
    papers: list[Paper]  # newest first


# What a reading path's step may be, and its icon
RESOURCE_KINDS = {"paper": "📄", "course": "🎓", "book": "📔", "tool": "🛠️", "material": "📦", "article": "📝", "video": "🎬"}


@dataclass(frozen=True)
class Step:
    number: int  # 1-based across the whole path, counting only verified steps; 0 for an unverified one
    key: str  # what other steps' `requires` name: the paper id, or the step's `id`
    kind: str  # one of RESOURCE_KINDS
    title: str
    paper: Paper | None = None
    url: str | None = None
    level: str | None = None
    why: str = ""
    requires: tuple[str, ...] = ()
    unverified: bool = False
    note: str = ""

    @property
    def icon(self) -> str:
        return RESOURCE_KINDS[self.kind]


@dataclass(frozen=True)
class PathSection:
    title: str
    description: str
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class ReadingPath:
    name: str  # file name without .yml: "must-read"
    title: str
    description: str
    sections: tuple[PathSection, ...]
    order: int = 100
    source: str = ""

    @property
    def steps(self) -> list[Step]:
        return [step for section in self.sections for step in section.steps]

    @property
    def counted_steps(self) -> list[Step]:
        """The steps a reader can take: an unverified placeholder counts nowhere (no number, no
        tick, not in any counter, skipped by previous/next)."""
        return [step for step in self.steps if not step.unverified]

    @property
    def papers(self) -> list[Paper]:
        return [step.paper for step in self.steps if step.paper is not None]

    @property
    def read_count(self) -> int:
        return sum(1 for paper in self.papers if paper.status == "read")


@dataclass(frozen=True)
class Catalog:
    """Everything the renderers need, indexed once: built in one step (index/catalog.py's
    ``build_catalog``), never changed after. Render-time caches live in render's ``RenderContext``."""

    papers: list[Paper]  # sorted by path
    venues: list[VenueIndex]  # sorted by kind, then key
    tags: list[TagIndex]  # sorted by name
    by_id: dict[str, Paper]
    added_on: dict[str, str]  # paper id → when its note was added (UTC, see load/history.py)
    edited_on: dict[str, str]  # paper id → last edit of its written notes (UTC)
    paths: list[ReadingPath]  # the reading paths, default path first
    preprint_of: dict[str, Paper]  # published note id → its preprint's note
    warnings: list[Problem]  # shown by `notes check`, never fail it
    tag_aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # tag key → its other spellings merged in by tags.yml
    tag_by_key: dict[str, Tag] = field(init=False, repr=False, compare=False)  # tag key → the site's spelling

    def __post_init__(self) -> None:
        object.__setattr__(self, "tag_by_key", {t.tag.key: t.tag for t in self.tags})  # derived: a frozen dataclass sets it so

    def edition(self, venue_key: str, year: int) -> Edition | None:
        for vi in self.venues:
            if vi.venue.key == venue_key:
                for e in vi.editions:
                    if e.year == year:
                        return e
        return None
