"""Hostile names (issue 20): user text that becomes a file name, generated front-matter that must
read back as written, notes and tags that squat on established ones, invisible characters and dates
in the future. Each case is reported as `path:line: field: message`, never a traceback."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from mkdocs.utils.meta import get_data

from conftest import note, run_mkdocs, run_notes, write_site
from generator import pipeline, urls
from generator.render import Page, render_site
from generator.tags import make_tag, tag_problem

LONG_TAG = "ﷺ" * 10  # U+FDFA: NFKC makes each one 18 characters (33 bytes)


def check(root: Path) -> list[str]:
    """The problems `notes check` prints, one per line."""
    proc = run_notes("check", cwd=root)
    return [line for line in (proc.stdout + proc.stderr).splitlines() if line.startswith("papers/")]


# --- a byte cap on every name made from user text -------------------------------------------------


@pytest.mark.parametrize(
    "tag, why",
    [
        (LONG_TAG, "makes a file or folder name of 330 bytes"),
        ("ﷺ" * 3, "makes a file or folder name of 103 bytes"),  # its folder is 99 bytes, its .bib file 103
        ("CON", "makes the file or folder name 'con', which Windows reserves"),
        ("nul", "makes the file or folder name 'nul', which Windows reserves"),
        ("COM¹", "makes the file or folder name 'com1', which Windows reserves"),
        ("LPT9", "makes the file or folder name 'lpt9', which Windows reserves"),
    ],
)
def test_tags_whose_names_no_file_system_takes_are_refused(tag, why):
    assert why in (tag_problem(tag) or "")


@pytest.mark.parametrize("tag", ["ﷺ" * 2, "console", "aux loss", "com10", "a" * 60, "算子" * 15, "𝐀" * 60])
def test_tags_with_writable_names_pass(tag):
    assert tag_problem(tag) is None
    assert urls.name_problem(urls.tag_bib(make_tag(tag))) is None


def test_nfkc_expanding_tag_is_reported_and_the_build_never_crashes(tmp_path):
    notes = {"osdi/2022/a.md": note("A", tags=f'["{LONG_TAG}", ok]'), "osdi/2022/b.md": note("B", tags="[ok]")}
    write_site(tmp_path, notes)
    assert check(tmp_path) == [f"papers/osdi/2022/a.md:5: tags: entry 1 {LONG_TAG!r} makes a file or folder name of 330 bytes "
                               f"('{'صلى-الله-عليه-وسلمصلى-ال'}…'; at most 100 bytes in UTF-8, after Unicode normalization): use another spelling"]  # fmt: skip
    loose = run_mkdocs(tmp_path)
    assert loose.returncode == 0, loose.log
    assert "Traceback" not in loose.log and "papers/osdi/2022/a.md:5: tags:" in loose.log
    assert (tmp_path / "site/papers/osdi/2022/b/index.html").is_file()
    assert (tmp_path / "site/tags/ok/index.html").is_file()
    strict = run_mkdocs(tmp_path, "--strict")
    assert strict.returncode != 0 and "Traceback" not in strict.log


def test_long_venue_key_and_long_note_name_are_reported(tmp_path):
    key = "V" * 95  # venues/vvv…/2022/vvv…-2022.bib: 95 + 9 bytes
    venues = f"venues:\n  {key}: {{name: A long one, kind: workshop}}\n  Ok: {{name: Fine, kind: workshop}}\n"
    name = "n" * 98  # the page's folder papers/osdi/2022/nnn…/ is fine at 98 bytes, and too long at 101
    write_site(tmp_path, {"venues.yml": venues, f"osdi/2022/{name}.md": note("A", id="fine"),
                          f"osdi/2022/{'m' * 101}.md": note("B", id="long")})  # fmt: skip
    problems = check(tmp_path)
    assert problems == [
        f"papers/osdi/2022/{'m' * 101}.md:1: file: its path makes a file or folder name of 101 bytes ('{'m' * 24}…'; "
        "at most 100 bytes in UTF-8, after Unicode normalization): rename it",
        f"papers/venues.yml:2: venues.{key}: the key makes a file or folder name of 104 bytes ('{'v' * 24}…'; "
        "at most 100 bytes in UTF-8, after Unicode normalization): use a shorter key",
    ]


def test_windows_reserved_note_and_venue_names_are_reported(tmp_path):
    write_site(tmp_path, {"venues.yml": "venues:\n  AUX: {name: Aux, kind: workshop}\n", "osdi/2022/nul.md": note("A")})
    assert check(tmp_path) == [
        "papers/osdi/2022/nul.md:1: file: its path makes the file or folder name 'nul', which Windows reserves "
        "(CON, PRN, AUX, NUL, COM0-9, LPT0-9, or a name ending in '.'): rename it",
        "papers/venues.yml:2: venues.AUX: the key makes the file or folder name 'aux', which Windows reserves "
        "(CON, PRN, AUX, NUL, COM0-9, LPT0-9, or a name ending in '.'): use a shorter key",
    ]


# --- generated front-matter reads back through MkDocs' own loader ---------------------------------

NON_BMP = "Rocket 🚀 serving 𠀀𠀁 𝐀𝐁𝐂 👩\u200d💻"


def generated_pages(tmp_path: Path, notes: dict[str, str]) -> list[Page]:
    papers = tmp_path / "papers"
    for rel, text in notes.items():
        (papers / rel).parent.mkdir(parents=True, exist_ok=True)
        (papers / rel).write_text(text, encoding="utf-8")
    result = pipeline.build(papers, tmp_path)
    assert result.problems == []
    return [out for out in render_site(result.catalog) if isinstance(out, Page)]


def test_every_generated_front_matter_reads_back_with_mkdocs_loader(tmp_path):
    notes = {
        "osdi/2022/rocket.md": note(NON_BMP, tags='["𝐀𝐁 𠀀", "C++", "x"]', authors='["Ann 🚀", "𠀀 Lee"]', summary='"On 🚀 and 𝐀."'),
        "osdi/2022/plain.md": note("Plain & <simple>", tags='["x"]'),
        "venues.yml": "venues:\n  W🚀: {name: Rocket workshop, kind: workshop}\n",
    }
    notes["osdi/2022/w.md"] = note("In a workshop", venue='"W🚀"')
    pages = generated_pages(tmp_path, notes)
    seen = 0
    for page in pages:
        markdown = page.full_markdown
        if not markdown.startswith("---\n"):
            continue
        rest, meta = get_data(markdown)
        assert meta, f"{page.src_uri}: MkDocs could not read the front-matter"
        assert not rest.startswith("---")
        assert meta["title"] == html.escape(page.title, quote=False), page.src_uri
        seen += 1
    rocket = next(p for p in pages if p.src_uri == "papers/osdi/2022/rocket.md")
    _, meta = get_data(rocket.full_markdown)
    assert meta == {"title": NON_BMP, "tags": ["𝐀𝐁 𠀀", "C++", "x"]}
    assert seen >= 8


def test_emoji_title_keeps_its_page_title_and_tags(site):
    build = site({"osdi/2022/rocket.md": note("Rocket 🚀 serving", tags='["𝐀𝐁"]', authors='["Ann 🚀"]', summary='"Fast 🚀."')})
    assert build.returncode == 0, build.log
    page = build.html("papers/osdi/2022/rocket")
    assert "<title>Rocket 🚀 serving - Fixture notes</title>" in page
    assert "title:" not in page and "\\ud83d" not in page
    assert "Ann 🚀" in page and "Fast 🚀." in page
