"""The home-page dashboard, related papers, Atom feeds and the git fallback for "added" dates."""

from __future__ import annotations

import os
import re
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from conftest import MKDOCS_YML, ROOT, note, run_mkdocs, write_site

from generator import pipeline, urls
from generator.load import history
from generator.render import dashboard, feeds
from generator.render.pages import RenderContext
from generator.render.related import related_groups

ATOM = "{http://www.w3.org/2005/Atom}"
SVG = "{http://www.w3.org/2000/svg}"


# --- pure functions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        ("", {}),
        ("\x012024-03-15T10:00:00+02:00\0\nA\0osdi/2022/reef.md\0", {"osdi/2022/reef.md": "2024-03-15T08:00:00Z"}),
        # a later edit does not change the date; a rename keeps the first version's date
        ("\x012024-01-01T00:00:00Z\0\nA\0a.md\0\x012024-02-01T00:00:00Z\0\nM\0a.md\0"
         "\x012024-03-01T00:00:00Z\0\nR100\0a.md\0osdi/a.md\0", {"osdi/a.md": "2024-01-01T00:00:00Z"}),
        # deleted, then added again: the second addition counts
        ("\x012024-01-01T00:00:00Z\0\nA\0a.md\0\x012024-02-01T00:00:00Z\0\nD\0a.md\0"
         "\x012024-03-01T00:00:00Z\0\nA\0a.md\0", {"a.md": "2024-03-01T00:00:00Z"}),
        # a copy is a new note, added when copied; non-ASCII paths come through as written
        ("\x012024-01-01T00:00:00Z\0\nA\0a.md\0\x012024-05-05T05:05:05-01:00\0\nC090\0a.md\0算子/b.md\0",
         {"a.md": "2024-01-01T00:00:00Z", "算子/b.md": "2024-05-05T06:05:05Z"}),
        ("\x01not a date\0\nA\0a.md\0", {}),
    ],
)  # fmt: skip
def test_parse_git_log(output, expected):
    assert history.parse_git_log(output) == expected


@pytest.mark.parametrize(("peak", "step"), [(1, 1), (5, 1), (6, 2), (10, 2), (11, 5), (25, 5), (26, 10), (51, 20), (120, 50), (501, 200)])
def test_tick_step_gives_at_most_five_gridlines(peak, step):
    assert dashboard._tick_step(peak) == step


def test_marker_lines(tmp_path):
    catalog = _catalog(tmp_path, {"osdi/2022/a.md": note("A", tags="[x]", added="2024-01-01")})
    text = "# Home\n\n<!-- reading-notes:totals -->\n\n  <!--reading-notes:tags-->\n\n<!-- reading-notes:nope -->\n`<!-- reading-notes:grid -->`\n"
    out, unknown = dashboard.fill_markers(text, catalog)
    assert unknown == ["nope"]
    assert 'class="rn-dash-totals"' in out and "## Top tags" in out
    assert "<!-- reading-notes:nope -->" in out  # left as it was, and reported
    assert "`<!-- reading-notes:grid -->`" in out and "## Venues by year" not in out  # not on a line of its own
    assert dashboard.fill_markers("# Home\n", catalog) == ("# Home\n", [])


# --- dates from git --------------------------------------------------------------------------------


def _git(cwd: Path, *args: str, date: str = "2024-01-01T00:00:00+00:00") -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}  # fmt: skip
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def _catalog(root: Path, notes: dict[str, str]):
    write_site(root, notes)
    return pipeline.build(root / "papers", root).catalog


@pytest.mark.skipif(subprocess.run(["git", "--version"], capture_output=True).returncode != 0, reason="no git")
def test_added_dates_from_the_field_then_from_git(tmp_path, monkeypatch):
    write_site(tmp_path, {"osdi/2022/old.md": note("Old"), "osdi/2022/moved.md": note("Moved")})
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "first", date="2024-01-01T12:00:00+02:00")
    (tmp_path / "papers/osdi/2023").mkdir()
    _git(tmp_path, "mv", "papers/osdi/2022/moved.md", "papers/osdi/2023/moved.md")
    (tmp_path / "papers/osdi/2022/new.md").write_text(note("New"), encoding="utf-8")
    (tmp_path / "papers/osdi/2022/dated.md").write_text(note("Dated", added="2020-05-05"), encoding="utf-8")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "second", date="2024-06-01T00:00:00+00:00")
    (tmp_path / "papers/osdi/2022/draft.md").write_text(note("Draft"), encoding="utf-8")  # not committed

    calls = []
    real_run = subprocess.run
    monkeypatch.setattr(history.subprocess, "run", lambda *a, **k: calls.append(a) or real_run(*a, **k))
    catalog = pipeline.build(tmp_path / "papers", tmp_path).catalog
    assert len(calls) == 1  # one git log for the whole build, not one per note
    assert catalog.added_on == {
        "old": "2024-01-01T10:00:00Z",
        "moved": "2024-01-01T10:00:00Z",  # a moved note keeps its date
        "new": "2024-06-01T00:00:00Z",
        "dated": "2020-05-05T00:00:00Z",  # the field wins over git
    }
    recent = history.recently_added(catalog.papers, catalog.added_on)
    assert [p.id for p in recent] == ["new", "moved", "old", "dated"]  # same date: the newer paper first


@pytest.mark.parametrize(
    ("output", "edited"),
    [
        ("\x012024-01-01T00:00:00Z\0\nA\0a.md\0\x012024-02-01T00:00:00Z\0\nM\0a.md\0", {"a.md": "2024-02-01T00:00:00Z"}),
        # a pure move is not an edit; a rename with changes is
        ("\x012024-01-01T00:00:00Z\0\nA\0a.md\0\nA\0b.md\0\x012024-03-01T00:00:00Z\0\nR100\0a.md\0x/a.md\0\nR087\0b.md\0x/b.md\0",
         {"x/a.md": "2024-01-01T00:00:00Z", "x/b.md": "2024-03-01T00:00:00Z"}),
        ("\x012024-01-01T00:00:00Z\0\nA\0a.md\0\x012024-02-01T00:00:00Z\0\nD\0a.md\0", {}),
    ],
)  # fmt: skip
def test_parse_git_history_edits(output, edited):
    assert history.parse_git_history(output).edited == edited


@pytest.mark.skipif(subprocess.run(["git", "--version"], capture_output=True).returncode != 0, reason="no git")
def test_recent_notes_are_the_last_edited_notes_then_entries(tmp_path):
    write_site(tmp_path, {"osdi/2022/old.md": note("Old", body="Notes.\n"), "osdi/2022/new.md": note("New", body="Notes.\n"),
                          "osdi/2022/bare.md": note("Bare")})  # fmt: skip
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "bulk", date="2024-01-01T00:00:00+00:00")
    (tmp_path / "papers/osdi/2022/old.md").write_text(note("Old", body="Notes, longer now.\n"), encoding="utf-8")
    _git(tmp_path, "commit", "-q", "-am", "edit", date="2024-05-01T00:00:00+00:00")
    catalog = pipeline.build(tmp_path / "papers", tmp_path).catalog
    assert catalog.edited_on == {"old": "2024-05-01T00:00:00Z", "new": "2024-01-01T00:00:00Z"}  # not "bare": no notes
    assert catalog.added_on["old"] == "2024-01-01T00:00:00Z"
    items = [(i.paper.id, i.day, i.edited) for i in dashboard.recent_notes(catalog)]
    assert items == [("old", "2024-05-01", True), ("new", "2024-01-01", True), ("bare", "2024-01-01", False)]


def test_no_git_history_means_no_dates(tmp_path, monkeypatch):
    catalog = _catalog(tmp_path, {"osdi/2022/a.md": note("A"), "osdi/2022/b.md": note("B", added="2024-02-02")})
    assert catalog.added_on == {"b": "2024-02-02T00:00:00Z"}  # tmp_path is not a repository
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))  # no git at all
    assert history.git_added_dates(tmp_path / "papers") == {}
    assert history.git_added_dates(tmp_path / "missing") == {}


# --- the chart's numbers -------------------------------------------------------------------------


def _bars(svg: ET.Element) -> Counter[tuple[int, str]]:
    counts: Counter[tuple[int, str]] = Counter()
    for rect in svg.iter(f"{SVG}rect"):
        counts[(int(rect.get("data-year")), rect.get("data-kind"))] += int(rect.get("data-count"))
    return counts


def _chart_svg(markdown: str) -> ET.Element:
    match = re.search(r"<svg .*?</svg>", markdown, re.DOTALL)
    assert match, "no chart"
    return ET.fromstring(match.group(0))  # the SVG is well-formed XML


def test_chart_numbers_match_the_shipped_catalog():
    catalog = pipeline.build(ROOT / "papers", ROOT).catalog
    svg = _chart_svg(dashboard.render_parts(catalog, ("chart",)))
    expected = Counter((p.year, p.venue.kind) for p in catalog.papers)
    assert _bars(svg) == expected
    assert sum(expected.values()) == len(catalog.papers) >= 150
    # bar heights are proportional to the counts, and each year's stack is labelled with its total
    rects = list(svg.iter(f"{SVG}rect"))
    unit = {round(float(r.get("height")) / int(r.get("data-count")), 1) for r in rects}
    assert len(unit) == 1, unit
    totals = {int(t.get("data-year")): int(t.text) for t in svg.iter(f"{SVG}text") if t.get("data-year")}
    assert totals == dict(Counter(p.year for p in catalog.papers))
    desc = svg.find(f"{SVG}desc").text
    assert f"{len(catalog.papers)} papers from {min(totals)} to {max(totals)}" in desc
    assert svg.get("role") == "img" and svg.find(f"{SVG}title").text == "Papers per year, by kind of venue"


# --- a fixture site, built for real ----------------------------------------------------------------

VENUES_YML = """\
venues:
  EvilConf: {name: "<b>Evil</b> Conference", kind: workshop}
"""
NOTES = {
    "osdi/2022/reef.md": note("REEF", tags="[GPU_sharing, preemption]", status="read", added="2024-01-10",
                              related="[orca]", body="## Problem\n\nNotes.\n"),
    "osdi/2022/orca.md": note("Orca", tags="[LLM_serving, GPU_sharing]", added="2024-03-01"),
    "sosp/2023/vllm.md": note("vLLM", venue="SOSP", year=2023, tags="[LLM_serving, GPU_sharing, preemption]",
                              related="[orca]", added="2024-02-01"),
    "arxiv/2023/flex.md": note("FlexGen", venue="arXiv", year=2023, tags="[LLM_serving]", added="2024-02-01"),
    "arxiv/2021/old.md": note("Old", venue="arXiv", year=2021, tags="[GPU_sharing]", status="reading"),
    "tpds/2021/j.md": note("A Journal Paper", venue="TPDS", year=2021, tags="[preemption]", added="2023-12-31"),
    "evilconf/2021/x.md": note("</title><script>alert(1)</script> & co", venue="EvilConf", year=2021,
                               tags="[GPU_sharing]", summary="'<img src=x onerror=alert(2)>'", added="2024-04-01"),
}  # fmt: skip
HOME = "# Home\n\nIntro text.\n\n<!-- reading-notes:dashboard -->\n\n## After\n\nThe author's own text.\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("dash")
    write_site(root, NOTES, docs={"index.md": HOME, "about.md": "# About\n\n<!-- reading-notes:dashboard -->\n"})
    (root / "papers" / "venues.yml").write_text(VENUES_YML, encoding="utf-8")
    build = run_mkdocs(root, "--strict")
    assert build.returncode == 0, build.log
    assert "WARNING" not in build.log
    return build


def test_home_page_shows_the_dashboard_where_the_marker_is(built):
    home = built.html("")
    assert home.index("Intro text.") < home.index('class="rn-dash-totals"') < home.index("own text.")
    labels = {label.strip(): int(value) for value, label in re.findall(
        r'rn-dash-stat__value">(\d+)(?:<span class="rn-dash-stat__of"> / \d+</span>)?</span><span class="rn-dash-stat__label">([^<·]+)', home)}  # fmt: skip
    assert labels == {"papers": 7, "✎ with notes": 1, "venues": 5, "tags": 3, "✓ read by the maintainers": 1}
    assert "1 in progress" in home and 'aria-valuenow="1"' in home and '<rect class="rn-dash-progress__bar" width="14" height="1"/>' in home

    svg = _chart_svg(home[home.index('<figure class="rn-dash-chart">') :])
    assert _bars(svg) == Counter({(2022, "conference"): 2, (2023, "conference"): 1, (2023, "preprint"): 1,
                                  (2021, "preprint"): 1, (2021, "journal"): 1, (2021, "workshop"): 1})  # fmt: skip
    assert [t.text for t in svg.iter(f"{SVG}text") if "rn-dash-chart__year" in (t.get("class") or "")] == ["2021", "2022", "2023"]

    # the grid: one linked cell per edition, with its paper count
    cells = re.findall(r'<a class="rn-dash-grid__cell rn-dash-grid__cell--\d" href="([^"]+)" title="[^"]*">(\d+)</a>', home)
    assert sorted(cells) == sorted([("venues/osdi/2022/", "2"), ("venues/sosp/2023/", "1"), ("venues/arxiv/2023/", "1"),
                                    ("venues/arxiv/2021/", "1"), ("venues/tpds/2021/", "1"), ("venues/evilconf/2021/", "1")])  # fmt: skip
    assert "&lt;b&gt;Evil&lt;/b&gt; Conference" in home and "<b>Evil</b>" not in home

    # the tag cloud: the most used tag is the biggest
    cloud = {slug: int(size) for size, slug in re.findall(r'rn-dash-cloud__size-(\d)" href="tags/([^/]+)/"', home)}
    assert cloud == {"gpu-sharing": 5, "llm-serving": 1, "preemption": 1}  # 5, 3 and 3 papers

    # recently added: papers with written notes first (by their last edit; not in git here: `added`),
    # then entries by `added`, newest first; a note without a date is left out
    recent = re.findall(
        r'<time class="rn-dash-recent__date" datetime="([\d-]+)" title="([^"]+)">[\d-]+</time> <a class="rn-dash-recent__title" href="([^"]+)"',
        home,
    )
    assert recent == [("2024-01-10", "Notes last edited", "papers/osdi/2022/reef/"),
                      ("2024-04-01", "Entry added", "papers/evilconf/2021/x/"), ("2024-03-01", "Entry added", "papers/osdi/2022/orca/"),
                      ("2024-02-01", "Entry added", "papers/arxiv/2023/flex/"), ("2024-02-01", "Entry added", "papers/sosp/2023/vllm/"),
                      ("2023-12-31", "Entry added", "papers/tpds/2021/j/")]  # fmt: skip
    # "has notes" is counted and links to the explorer's facet; the marks say what they mean
    assert '<a class="rn-dash-stat rn-dash-stat--notes" href="explore/?notes=with"><span class="rn-dash-stat__value">1</span>' in home
    assert "✓ read by the maintainers" in home
    assert "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in home and "<script>alert(1)" not in home

    # the markers work on the home page only
    assert "<!-- reading-notes:dashboard -->" in built.html("about") and "rn-dash-totals" not in built.html("about")


def test_feeds_are_valid_atom_newest_first(built):
    root = ET.parse(built.root / "site" / "feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert (root.findtext(f"{ATOM}{name}") or "").strip(), name
    assert root.find(f"{ATOM}author/{ATOM}name").text == "Fixture notes"
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == "https://example.org/notes/feed.xml"
    assert root.findtext(f"{ATOM}updated") == "2024-04-01T00:00:00Z"
    entries = root.findall(f"{ATOM}entry")
    for entry in entries:
        for name in ("id", "title", "updated", "published"):
            assert (entry.findtext(f"{ATOM}{name}") or "").strip(), name
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", entry.findtext(f"{ATOM}updated"))
        assert entry.find(f"{ATOM}link[@rel='alternate']").get("href").startswith("https://example.org/notes/papers/")
        assert entry.find(f"{ATOM}content").get("type") == "html"
    assert [e.findtext(f"{ATOM}updated")[:10] for e in entries] == [
        "2024-04-01",
        "2024-03-01",
        "2024-02-01",
        "2024-02-01",
        "2024-01-10",
        "2023-12-31",
    ]
    first = entries[0]
    assert first.findtext(f"{ATOM}title") == "</title><script>alert(1)</script> & co"  # text, round-tripped
    assert first.findtext(f"{ATOM}summary") == "<img src=x onerror=alert(2)>"
    assert "&lt;img" in first.findtext(f"{ATOM}content")  # escaped inside the HTML content
    assert [c.get("term") for c in first.findall(f"{ATOM}category")] == ["gpu-sharing"]
    assert len({e.findtext(f"{ATOM}id") for e in entries}) == len(entries)

    tag_feed = ET.parse(built.root / "site" / "tags" / "llm-serving" / "feed.xml").getroot()
    assert tag_feed.tag == f"{ATOM}feed" and tag_feed.findtext(f"{ATOM}title").startswith("#LLM_serving")
    assert [e.findtext(f"{ATOM}title") for e in tag_feed.findall(f"{ATOM}entry")] == ["Orca", "FlexGen", "vLLM"]  # same day: by venue


def test_pages_link_their_feeds(built):
    home = built.html("")
    assert '<link rel="alternate feed" type="application/atom+xml" title="Fixture notes: recently added notes" href="feed.xml">' in home
    assert 'class="rn-feed-link" href="./feed.xml"' in home
    tag = built.html("tags/gpu-sharing")
    assert 'type="application/atom+xml" title="Fixture notes: recently added notes" href="../../feed.xml"' in tag
    assert '<link rel="alternate feed" type="application/atom+xml" title="Fixture notes: #GPU_sharing" href="feed.xml">' in tag
    assert '<a class="rn-feed-link" href="./feed.xml" type="application/atom+xml">Atom feed</a>' in tag


def test_paper_pages_show_related_papers_and_backlinks(built):
    orca = built.html("papers/osdi/2022/orca")
    block = orca[orca.index('id="related-papers"') :]
    backlinks = block[block.index("rn-related__group--backlinks") : block.index("rn-related__group--shared-tags")]
    assert re.findall(r'rn-related__title" href="([^"]+)"', backlinks) == [
        "../../../../papers/sosp/2023/vllm/",
        "../../../../papers/osdi/2022/reef/",
    ]
    assert ">SOSP 2023</a>" in backlinks and ">OSDI 2022</a>" in backlinks
    reef = built.html("papers/osdi/2022/reef")
    named = reef[reef.index("rn-related__group--related") : reef.index("rn-related__group--shared-tags")]
    assert "../../../../papers/osdi/2022/orca/" in named and "rn-related__group--backlinks" not in reef
    shared = reef[reef.index("rn-related__group--shared-tags") :]
    # vLLM shares two tags; the others one each: newest first, then by venue; orca is listed above, not again
    assert re.findall(r'rn-related__title" href="([^"]+)"', shared) == [
        "../../../../papers/sosp/2023/vllm/",
        "../../../../papers/arxiv/2021/old/",
        "../../../../papers/evilconf/2021/x/",
        "../../../../papers/tpds/2021/j/",
    ]
    assert "/orca/" not in shared


def test_venue_pages_keep_the_rank_badge(built):
    assert '<span class="rn-rank" title="CCF rank">CCF-A</span>' in built.html("venues/osdi/2022")
    assert '<span class="rn-rank" title="CCF rank">CCF-A</span>' in built.html("venues/osdi")


def test_related_papers_tie_break_is_stable(tmp_path):
    notes = {f"osdi/2022/p{i}.md": note(f"Paper {i}", tags="[a, b]" if i % 2 else "[a]") for i in range(8)}
    notes["osdi/2023/me.md"] = note("Me", year=2023, tags="[a, b]", related="[p3, p3]")
    catalog = _catalog(tmp_path, notes)
    groups = related_groups(catalog.by_id["me"], RenderContext(catalog))
    assert [(g.kind, [p.id for p, _ in g.papers]) for g in groups] == [
        ("related", ["p3"]),
        ("shared-tags", ["p1", "p5", "p7", "p0", "p2"]),  # two shared tags first, then by title
    ]
    assert [t.name for t in groups[1].papers[0][1]] == ["a", "b"]
    assert related_groups(catalog.by_id["p0"], RenderContext(catalog))[0].kind == "shared-tags"  # no related, no backlink


def test_without_site_url_feeds_are_relative_and_strict_builds_pass(tmp_path):
    """A fork or a local build has no site_url: the feeds link relative to themselves, no warning."""
    yml = MKDOCS_YML.replace("site_url: https://example.org/notes/\n", "")
    write_site(tmp_path, {"osdi/2022/a.md": note("A", tags="[x]", added="2024-01-01")}, mkdocs_yml=yml)
    build = run_mkdocs(tmp_path, "--strict")
    assert build.returncode == 0, build.log
    assert "WARNING" not in build.log
    feed = ET.parse(tmp_path / "site" / "feed.xml").getroot()
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "feed.xml"
    assert feed.find(f"{ATOM}entry/{ATOM}link").get("href") == "papers/osdi/2022/a/"
    assert feed.findtext(f"{ATOM}entry/{ATOM}id").startswith("urn:uuid:")
    tag = ET.parse(tmp_path / "site" / "tags" / "x" / "feed.xml").getroot()
    assert tag.find(f"{ATOM}entry/{ATOM}link").get("href") == "../../papers/osdi/2022/a/"
    assert tag.find(f"{ATOM}link[@rel='alternate']").get("href") == "./"


def test_feeds_are_deterministic_and_valid_with_no_dates(tmp_path):
    catalog = _catalog(tmp_path, {"osdi/2022/a.md": note("A", tags="[x]"), "osdi/2022/b.md": note("B", tags="[x]")})
    outputs = feeds.render_feeds(catalog, "https://example.org/", "Site")
    assert [a.path for a in outputs] == [urls.FEED, "tags/x/feed.xml"]
    again = feeds.render_feeds(_catalog(tmp_path, {}), "https://example.org/", "Site")
    assert outputs == again
    feed = ET.fromstring(outputs[0].content.encode("utf-8"))
    assert feed.findall(f"{ATOM}entry") == [] and feed.findtext(f"{ATOM}updated") == feeds.NO_DATE
    assert dashboard.recent_notes(catalog) == []
    assert "## Recently added" not in dashboard.render_parts(catalog, dashboard.PARTS)
    assert feeds._clean("a\x00b\x0bc\ufffed\U0001f600") == "abcd\U0001f600"  # what XML 1.0 cannot hold


def test_home_page_legend_says_what_each_mark_means():
    home = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    legend = home[home.index("What the marks on every list mean") :]
    for mark in ("⚡", "💎", "💡", "✎ notes", "✓ read", "◐ reading"):
        assert mark in legend
    assert "does not say whether notes are written" in legend
    assert "read the paper and written notes" not in home  # the old, untrue legend


def test_listings_mark_the_papers_with_notes(built):
    tag = built.html("tags/gpu-sharing")
    items = re.findall(r'<li class="rn-paper[^"]*">(.*?)</li>', tag, re.DOTALL)
    marked = {re.search(r'class="rn-paper__title" href="[^"]*">([^<]*)<', item).group(1): 'class="rn-notes"' in item for item in items}
    assert marked["REEF"] is True and marked["Orca"] is False and list(marked.values()).count(True) == 1
    reef = built.html("papers/osdi/2022/reef")
    assert "✓ read by the maintainers" in reef
    orca = built.html("papers/osdi/2022/orca")
    assert "not yet read by the maintainers" in orca
    related = orca[orca.index('class="rn-related"') :]
    assert re.search(r'rn-related__title" href="[^"]*reef/">REEF</a> <span class="rn-notes"', related)
