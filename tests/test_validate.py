"""Every note-level error message, as the user sees it."""

from __future__ import annotations

import pytest
from conftest import note

from generator.load.frontmatter import parse_front_matter
from generator.load.venues import load_registry
from generator.model import RawNote
from generator.validate.note import validate_note

REGISTRY, _ = load_registry()


def check(text: str, rel: str = "osdi/2022/x.md"):
    fm = parse_front_matter(text)
    raw = RawNote(f"papers/{rel}", rel, fm.data, fm.lines, fm.body, fm.body_line)
    return validate_note(raw, REGISTRY)


def test_good_note_becomes_paper():
    paper, problems = check(
        note(
            "T",
            venue="usenix atc",
            tags="['#GPU\\_sharing', gpu-sharing, co-location]",
            links="{arxiv: '2309.06180', doi: 10.1145/3600006.3613165}",
            level="⚡",
            added="2024-03-01",
        )
    )
    assert problems == []
    assert paper.venue.key == "ATC" and paper.id == "x" and paper.level == "essential"
    assert [t.name for t in paper.tags] == ["GPU_sharing", "co-location"]
    assert [link.url for link in paper.links] == ["https://doi.org/10.1145/3600006.3613165", "https://arxiv.org/abs/2309.06180"]
    assert paper.added == "2024-03-01" and paper.status == "unread"


@pytest.mark.parametrize(
    "fields, expected",
    [
        ({"title": None}, "papers/osdi/2022/x.md:2: title: missing (every note needs 'title')"),
        ({"title": "''"}, "papers/osdi/2022/x.md:2: title: is empty"),
        ({"title": "[a, b]"}, "papers/osdi/2022/x.md:2: title: must be text, not a list (put it in quotes)"),
        (
            {"venue": "OSDII"},
            "papers/osdi/2022/x.md:3: venue: unknown venue 'OSDII' (did you mean 'OSDI'? add new venues to papers/venues.yml)",
        ),
        (
            {"venue": "Foo Bar Baz"},
            "papers/osdi/2022/x.md:3: venue: unknown venue 'Foo Bar Baz' (add it to papers/venues.yml, or use a known key such as 'OSDI' or 'arXiv')",
        ),
        ({"year": "'2022'"}, "papers/osdi/2022/x.md:4: year: must be a whole number such as 2022, not '2022' (write it without quotes)"),
        ({"year": "2022.5"}, "papers/osdi/2022/x.md:4: year: must be a whole number such as 2022, not 2022.5"),
        ({"year": "1850"}, "papers/osdi/2022/x.md:4: year: 1850 is not a plausible publication year"),
        ({"tag": "[a]"}, "papers/osdi/2022/x.md:5: tag: unknown field (did you mean 'tags'?)"),
        ({"authors": "Ann and Bob"}, "papers/osdi/2022/x.md:5: authors: must be a list, like authors: [first, second]"),
        (
            {"tags": "[ok, 'a/b']"},
            "papers/osdi/2022/x.md:5: tags: entry 2 'a/b' contains '/' (a tag may use letters, digits, spaces and _ - + # .)",
        ),
        ({"summary": "'" + "s" * 401 + "'"}, "papers/osdi/2022/x.md:5: summary: is 401 characters long (at most 400)"),
        ({"status": "done"}, "papers/osdi/2022/x.md:5: status: 'done' is not allowed (use one of: unread, reading, read)"),
        (
            {"status": "raed"},
            "papers/osdi/2022/x.md:5: status: 'raed' is not allowed (did you mean 'read'? use one of: unread, reading, read)",
        ),
        (
            {"level": "must-read"},
            "papers/osdi/2022/x.md:5: level: 'must-read' is not allowed (use one of: essential, recommended, advanced)",
        ),
        (
            {"links": "{pdf: 'https://x.org'}"},
            "papers/osdi/2022/x.md:5: links.pdf: unknown link kind (use: paper, code, slides, video, artifact, doi, arxiv)",
        ),
        (
            {"links": "{paper: 'ftp://x.org/p.pdf'}"},
            "papers/osdi/2022/x.md:5: links.paper: 'ftp://x.org/p.pdf' is not an http(s) URL (write the full address, https://…)",
        ),
        (
            {"links": "{arxiv: 2309.06180}"},
            'papers/osdi/2022/x.md:5: links.arxiv: 2309.0618 is not a valid arXiv id (like "2309.06180" (in quotes))',
        ),
        (
            {"links": "https://x.org"},
            "papers/osdi/2022/x.md:5: links: must be a mapping, like 'links: {paper: https://…, code: https://…}'",
        ),
        ({"id": "'has space'"}, "papers/osdi/2022/x.md:5: id: must be letters, digits, '-', '_' or '.' (like 'orca' or 'vllm-sosp23')"),
        ({"added": "last week"}, "papers/osdi/2022/x.md:5: added: 'last week' is not a date (write YYYY-MM-DD, like 2024-03-15)"),
        ({"related": "orca"}, "papers/osdi/2022/x.md:5: related: must be a list, like related: [first, second]"),
    ],
)
def test_field_errors(fields, expected):
    base = {"title": '"T"', "venue": "OSDI", "year": "2022"}
    base.update(fields)
    lines = ["---"] + [f"{k}: {v}" for k, v in base.items() if v is not None] + ["---", ""]
    paper, problems = check("\n".join(lines))
    assert paper is None
    assert next(str(p) for p in problems).startswith(expected)


def test_all_problems_of_a_note_are_reported():
    paper, problems = check('---\ntitle: "T"\nvenue: OSDII\nyear: x\nstatus: done\nfoo: 1\n---\n')
    assert paper is None
    assert [p.field for p in problems] == ["foo", "venue", "year", "status"]


def test_aka_short_names():
    paper, problems = check(note("T", aka="[vLLM, ' PagedAttention ', vLLM]"))
    assert problems == [] and paper.aka == ("vLLM", "PagedAttention")  # trimmed; a repeat is shown once
    assert check(note("T"))[0].aka == ()


@pytest.mark.parametrize(
    "value, expected",
    [
        ("vLLM", "papers/osdi/2022/x.md:5: aka: must be a list, like aka: [first, second]"),
        ("[[a]]", "papers/osdi/2022/x.md:5: aka: entry 1 must be text, not a list"),
        ("['']", "papers/osdi/2022/x.md:5: aka: entry 1 is empty"),
        ("[" + "x" * 61 + "]", "papers/osdi/2022/x.md:5: aka: entry 1 is longer than 60 characters"),
        ("[ok, 'v\u200bLLM']", "papers/osdi/2022/x.md:5: aka: entry 2 contains the invisible character"),
    ],
)
def test_aka_problems(value, expected):
    paper, problems = check(note("T", aka=value))
    assert paper is None and len(problems) == 1
    assert str(problems[0]).startswith(expected), str(problems[0])


# ---------------------------------------------------------------- versions of one paper (published_as)


def test_published_as_links_a_preprint_and_its_published_version(site):
    from conftest import run_notes

    build = site({
        "arxiv/2022/aryl.md": note("Aryl: An Elastic Cluster Scheduler", venue="arXiv", year=2022, published_as="lyra"),
        "eurosys/2023/lyra.md": note("Lyra: Elastic Scheduling for Deep Learning Clusters", venue="EuroSys", year=2023),
    })  # fmt: skip
    assert build.returncode == 0, build.log
    preprint_page, published_page = build.html("papers/arxiv/2022/aryl/"), build.html("papers/eurosys/2023/lyra/")
    assert 'Published as <a href="../../../eurosys/2023/lyra/">Lyra: Elastic Scheduling for Deep Learning Clusters</a>' in preprint_page
    assert 'Preprint: <a href="../../../arxiv/2022/aryl/">Aryl: An Elastic Cluster Scheduler</a>' in published_page
    assert run_notes("check", cwd=build.root).returncode == 0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("lyr", "papers/arxiv/2022/aryl.md:5: published_as: unknown paper id 'lyr' (did you mean 'lyra'?)"),
        ("aryl", "papers/arxiv/2022/aryl.md:5: published_as: a note cannot be its own published version"),
        ("other", "papers/arxiv/2022/aryl.md:5: published_as: 'other' is a preprint too: give the id of the published version"),
        (
            "'a b'",
            "papers/arxiv/2022/aryl.md:5: published_as: must be the id of the published version's note (letters, digits, '-', '_' or '.', like 'lyra')",
        ),
    ],
)
def test_published_as_problems(tmp_path, value, expected):
    from conftest import run_notes, write_site

    write_site(tmp_path, {
        "arxiv/2022/aryl.md": note("Aryl", venue="arXiv", year=2022, published_as=value),
        "arxiv/2022/other.md": note("Other", venue="arXiv", year=2022),
        "eurosys/2023/lyra.md": note("Lyra", venue="EuroSys", year=2023),
    })  # fmt: skip
    proc = run_notes("check", cwd=tmp_path)
    assert proc.returncode == 1 and proc.stdout.splitlines() == [expected], proc.stdout


def test_check_warns_about_a_preprint_filed_apart_from_its_published_version(tmp_path):
    from conftest import run_notes, write_site

    write_site(tmp_path, {
        "arxiv/2024/mooncake.md": note("Mooncake: A KVCache-centric Architecture", venue="arXiv", year=2024),
        "fast/2025/mooncake-fast.md": note("Mooncake: a KVCache-Centric Architecture", venue="FAST", year=2025),
        "arxiv/2022/x.md": note("Something", venue="arXiv", year=2022, links="{arxiv: '2202.07896'}"),
        "eurosys/2023/y.md": note("Something Else", venue="EuroSys", year=2023, links="{arxiv: '2202.07896'}"),
    })  # fmt: skip
    proc = run_notes("check", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout  # a warning, not a problem
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [
        "warning: papers/arxiv/2022/x.md:2: venue: the same arXiv id as papers/eurosys/2023/y.md (EuroSys 2023): keep one note (with links.arxiv), or set 'published_as: y'",
        "warning: papers/arxiv/2024/mooncake.md:2: venue: the same title as papers/fast/2025/mooncake-fast.md (FAST 2025): keep one note (with links.arxiv), or set 'published_as: mooncake-fast'",
    ]
