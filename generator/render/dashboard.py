"""The home page's dashboard: totals, papers per year, recently added notes, top tags, venues × years.

The home page stays hand-written: its author places markers, each on a line of its own, and
``fill_markers`` replaces them with generated Markdown/HTML. ``<!-- reading-notes:dashboard -->``
gives every part in a default order; ``totals``, ``chart``, ``recent``, ``tags`` and ``grid`` give one
part each. The chart is an SVG drawn here at build time: no script, no library, colours from CSS.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass

from generator import urls
from generator.load.history import recently_added
from generator.model import VENUE_KINDS, Catalog, Edition, Paper, Tag, VenueIndex
from generator.render import pages as render

MARKER = re.compile(r"^[ \t]{0,3}<!--[ \t]*reading-notes:([\w-]*)[ \t]*-->[ \t]*$", re.MULTILINE)
PARTS = ("totals", "chart", "recent", "tags", "grid")
DASHBOARD = "dashboard"  # every part, in the order of PARTS
MARKER_NAMES = (DASHBOARD, *PARTS)
RECENT_COUNT = 8
TOP_TAGS = 40
CLOUD_SIZES = 5


@dataclass(frozen=True)
class Totals:
    papers: int
    notes: int  # papers with a written note (a body)
    venues: int
    tags: int
    read: int
    reading: int

    @property
    def read_percent(self) -> int:
        return round(100 * self.read / self.papers) if self.papers else 0


def count_totals(catalog: Catalog) -> Totals:
    papers = catalog.papers
    return Totals(
        papers=len(papers),
        notes=sum(p.has_body for p in papers),
        venues=len(catalog.venues),
        tags=len(catalog.tags),
        read=sum(p.status == "read" for p in papers),
        reading=sum(p.status == "reading" for p in papers),
    )


def year_counts(catalog: Catalog) -> dict[int, dict[str, int]]:
    """Year → venue kind → papers, for every year from the first to the last (gaps count 0)."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for paper in catalog.papers:
        kinds = counts[paper.year]
        kinds[paper.venue.kind] = kinds.get(paper.venue.kind, 0) + 1
    if not counts:
        return {}
    return {year: dict(counts.get(year, {})) for year in range(min(counts), max(counts) + 1)}


# --- the chart of papers per year --------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    year: int
    kind: str
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class YearColumn:
    year: int
    total: int
    x: float  # centre
    top: float  # y of the top of the stack
    minor: bool  # a label that narrow screens may hide (every other one, keeping the last)
    by_kind: dict[str, int]


@dataclass(frozen=True)
class YearChart:
    width: float
    height: float
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    bars: list[Bar]
    columns: list[YearColumn]
    ticks: list[tuple[int, float]]  # value, y
    kinds: list[tuple[str, int]]  # kinds present, in stacking order, with their totals
    total: int
    peak: YearColumn

    @property
    def first(self) -> int:
        return self.columns[0].year

    @property
    def last(self) -> int:
        return self.columns[-1].year


SLOT = 30.0  # horizontal room per year, in SVG units
BAR = 20.0
LEFT, RIGHT, TOP, PLOT_HEIGHT, BOTTOM = 34.0, 8.0, 18.0, 150.0, 28.0


def year_chart(catalog: Catalog) -> YearChart | None:
    """The geometry of the stacked bar chart (None when there is no paper)."""
    counts = year_counts(catalog)
    if not counts:
        return None
    totals = {year: sum(kinds.values()) for year, kinds in counts.items()}
    peak_value = max(totals.values())
    step = _tick_step(peak_value)
    y_max = step * math.ceil(peak_value / step)
    plot_bottom = TOP + PLOT_HEIGHT

    def y_of(value: float) -> float:
        return round(plot_bottom - value / y_max * PLOT_HEIGHT, 2)

    bars: list[Bar] = []
    columns: list[YearColumn] = []
    years = sorted(counts)
    for i, year in enumerate(years):
        left = LEFT + i * SLOT + (SLOT - BAR) / 2
        stacked = 0
        for kind in VENUE_KINDS:
            count = counts[year].get(kind, 0)
            if not count:
                continue
            top, bottom = y_of(stacked + count), y_of(stacked)
            bars.append(Bar(year, kind, count, round(left, 2), top, BAR, round(bottom - top, 2)))
            stacked += count
        columns.append(YearColumn(year, stacked, round(LEFT + i * SLOT + SLOT / 2, 2), y_of(stacked),
                                  (len(years) - 1 - i) % 2 == 1, dict(counts[year])))  # fmt: skip
    kind_totals = {kind: sum(c.get(kind, 0) for c in counts.values()) for kind in VENUE_KINDS}
    peak = max(columns, key=lambda c: (c.total, c.year))
    return YearChart(
        width=LEFT + len(years) * SLOT + RIGHT,
        height=plot_bottom + BOTTOM,
        plot_left=LEFT,
        plot_right=LEFT + len(years) * SLOT,
        plot_top=TOP,
        plot_bottom=plot_bottom,
        bars=bars,
        columns=columns,
        ticks=[(value, y_of(value)) for value in range(0, y_max + 1, step)],
        kinds=[(kind, n) for kind, n in kind_totals.items() if n],
        total=sum(totals.values()),
        peak=peak,
    )


def _tick_step(peak: int) -> int:
    """A round step giving at most five gridlines above zero."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if math.ceil(peak / step) <= 5:
                return step
        magnitude *= 10


# --- the venue × year grid, the tag cloud, the recent notes ---------------------------------------


@dataclass(frozen=True)
class GridRow:
    index: VenueIndex
    cells: list[tuple[Edition | None, int]]  # per column year: the edition (if any) and its shade 0–4


@dataclass(frozen=True)
class Grid:
    years: list[int]  # years with at least one paper, oldest first
    groups: list[tuple[str, list[GridRow]]]  # venue kind → rows, most papers first


def venue_grid(catalog: Catalog) -> Grid:
    years = sorted({e.year for v in catalog.venues for e in v.editions})
    most = max((len(e.papers) for v in catalog.venues for e in v.editions), default=1)
    groups = []
    for kind in VENUE_KINDS:
        indexes = [v for v in catalog.venues if v.venue.kind == kind]
        indexes.sort(key=lambda v: (-v.paper_count, v.venue.key.casefold()))
        rows = []
        for index in indexes:
            by_year = {e.year: e for e in index.editions}
            cells: list[tuple[Edition | None, int]] = [
                (e, math.ceil(4 * len(e.papers) / most)) if (e := by_year.get(y)) else (None, 0) for y in years
            ]
            rows.append(GridRow(index, cells))
        if rows:
            groups.append((kind, rows))
    return Grid(years, groups)


@dataclass(frozen=True)
class CloudTag:
    tag: Tag
    count: int
    size: int  # 1 (smallest) … CLOUD_SIZES


def tag_cloud(catalog: Catalog, limit: int = TOP_TAGS) -> list[CloudTag]:
    """The most used tags (ties: by name), shown in alphabetical order, sized on a log scale."""
    top = sorted(catalog.tags, key=lambda t: (-len(t.papers), t.tag.name.casefold(), t.tag.key))[:limit]
    if not top:
        return []
    low, high = math.log(min(len(t.papers) for t in top)), math.log(max(len(t.papers) for t in top))
    cloud = []
    for index in sorted(top, key=lambda t: (t.tag.name.casefold(), t.tag.key)):
        share = (math.log(len(index.papers)) - low) / (high - low) if high > low else 0.5
        cloud.append(CloudTag(index.tag, len(index.papers), 1 + round(share * (CLOUD_SIZES - 1))))
    return cloud


@dataclass(frozen=True)
class RecentItem:
    paper: Paper
    day: str  # YYYY-MM-DD
    edited: bool  # True: the day its written notes were last edited; False: the day the entry was added


def recent_notes(catalog: Catalog, limit: int = RECENT_COUNT) -> list[RecentItem]:
    """Papers with written notes, last edited first; entries without notes fill the rest, newest first."""
    noted = [p for p in catalog.papers if p.id in catalog.edited_on]
    items = [RecentItem(p, catalog.edited_on[p.id][:10], True) for p in recently_added(noted, catalog.edited_on, limit)]
    if len(items) < limit:
        entries = [p for p in catalog.papers if not p.has_body]
        items += [RecentItem(p, catalog.added_on[p.id][:10], False)
                  for p in recently_added(entries, catalog.added_on, limit - len(items))]  # fmt: skip
    return items


# --- markers ----------------------------------------------------------------------------------------


def fill_markers(markdown: str, catalog: Catalog, page_url: str = urls.HOME) -> tuple[str, list[str]]:
    """Replace each marker line with its part; returns the Markdown and the unknown marker names."""
    unknown: list[str] = []
    rendered: dict[str, str] = {}

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name != DASHBOARD and name not in PARTS:
            unknown.append(name)
            return match.group(0)
        if name not in rendered:
            rendered[name] = render_parts(catalog, PARTS if name == DASHBOARD else (name,), page_url)
        return "\n" + rendered[name] + "\n"

    return MARKER.sub(replace, markdown), unknown


def render_parts(catalog: Catalog, parts: tuple[str, ...], page_url: str = urls.HOME) -> str:
    """The Markdown (with HTML blocks) of the dashboard parts, for the page at ``page_url``."""
    return render.render_template(
        "dashboard.md.j2",
        page_url,
        render.RenderContext(catalog),  # the home page is rendered on its own, after the site
        parts=parts,
        totals=count_totals(catalog),
        chart=year_chart(catalog) if "chart" in parts else None,
        recent=recent_notes(catalog) if "recent" in parts else [],
        cloud=tag_cloud(catalog) if "tags" in parts else [],
        grid=venue_grid(catalog) if "grid" in parts else None,
        feed=urls.relative(page_url, urls.HOME) + urls.FEED,
    )
