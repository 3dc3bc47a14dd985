"""Hostile names (issue 20): user text that becomes a file name, generated front-matter that must
read back as written, notes and tags that squat on established ones, invisible characters and dates
in the future. Each case is reported as `path:line: field: message`, never a traceback."""

from __future__ import annotations

import html
import os
import subprocess
from pathlib import Path

import pytest
from conftest import note, run_mkdocs, run_notes, write_site
from mkdocs.utils.meta import get_data

from generator import pipeline, urls
from generator.load import history
from generator.load.frontmatter import parse_front_matter
from generator.load.venues import load_registry
from generator.model import RawNote
from generator.render.pages import Page
from generator.render.site import render_site
from generator.validate.note import validate_note
from generator.validate.tags import make_tag, tag_problem

REGISTRY, _ = load_registry()
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


# --- squatting: an established id or tag page stays with its owner --------------------------------

NO_GIT = subprocess.run(["git", "--version"], capture_output=True).returncode != 0


def git(cwd: Path, *args: str, date: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}  # fmt: skip
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def commit_all(root: Path, date: str) -> None:
    if not (root / ".git").exists():
        git(root, "init", "-q", "-b", "main", date=date)
    git(root, "add", ".", date=date)
    git(root, "commit", "-q", "-m", "notes", date=date)


ESTABLISHED = {
    "osdi/2022/orca.md": note("Orca", tags="[GPU_sharing]"),
    "osdi/2022/other.md": note("Other", tags="[GPU_sharing]", related="[orca]"),
}


def test_a_new_note_cannot_take_an_established_id(tmp_path):
    """The newcomer's path sorts first ('atc' < 'osdi') and sets `id: orca`: orca.md keeps the id."""
    write_site(tmp_path, {**ESTABLISHED, "atc/2023/squat.md": note("Squatter", venue="ATC", year=2023, id="orca")})
    assert check(tmp_path) == [
        "papers/atc/2023/squat.md:5: id: 'orca' is already the id of papers/osdi/2022/orca.md, which keeps it "
        "(its file is named after the id): set another 'id:' or rename the file; this note is left out",
        "papers/osdi/2022/orca.md:2: id: 'orca' is also claimed by papers/atc/2023/squat.md; this note keeps it "
        "(its file is named after the id) and the other is left out",
    ]
    build = run_mkdocs(tmp_path)
    assert build.returncode == 0, build.log
    assert not (tmp_path / "site/papers/atc/2023/squat/index.html").exists()
    other = build.html("papers/osdi/2022/other")
    assert 'href="../../../../papers/osdi/2022/orca/">Orca' in other and "Squatter" not in other  # the related link: the owner
    assert run_mkdocs(tmp_path, "--strict").returncode != 0


@pytest.mark.skipif(NO_GIT, reason="no git")
def test_between_two_files_named_after_the_id_the_older_one_keeps_it(tmp_path):
    write_site(tmp_path, {"sosp/2023/orca.md": note("Orca", venue="SOSP", year=2023)})
    commit_all(tmp_path, "2023-01-01T00:00:00+00:00")
    (tmp_path / "papers/atc/2023").mkdir(parents=True)
    (tmp_path / "papers/atc/2023/orca.md").write_text(note("Squatter", venue="ATC", year=2023), encoding="utf-8")
    commit_all(tmp_path, "2099-01-01T00:00:00+00:00")  # a forged date in the future does not make it older
    assert check(tmp_path) == [
        "papers/atc/2023/orca.md:2: id: 'orca' is already the id of papers/sosp/2023/orca.md, which keeps it "
        "(it was added first, on 2023-01-01): set another 'id:' or rename the file; this note is left out",
        "papers/sosp/2023/orca.md:2: id: 'orca' is also claimed by papers/atc/2023/orca.md; this note keeps it "
        "(it was added first, on 2023-01-01) and the other is left out",
    ]


@pytest.mark.skipif(NO_GIT, reason="no git")
def test_a_new_spelling_cannot_take_an_established_tag_page(tmp_path):
    write_site(tmp_path, ESTABLISHED)
    commit_all(tmp_path, "2023-01-01T00:00:00+00:00")
    # two newcomers outnumber the established spelling, and 'gpu-.sharing' sorts before 'gpu-sharing'
    for name in ("a", "b", "c"):
        (tmp_path / f"papers/osdi/2022/{name}-new.md").write_text(note(name.upper(), tags='[x, "gpu-.sharing"]'), encoding="utf-8")
    assert check(tmp_path) == [
        "papers/osdi/2022/a-new.md:5: tags: 'gpu-.sharing' would take the page tags/gpu-sharing/ of the established tag "
        "'GPU_sharing' (of papers/osdi/2022/orca.md): use that spelling; this tag is left out",
        "papers/osdi/2022/b-new.md:5: tags: 'gpu-.sharing' would take the page tags/gpu-sharing/ of the established tag "
        "'GPU_sharing' (of papers/osdi/2022/orca.md): use that spelling; this tag is left out",
        "papers/osdi/2022/c-new.md:5: tags: 'gpu-.sharing' would take the page tags/gpu-sharing/ of the established tag "
        "'GPU_sharing' (of papers/osdi/2022/orca.md): use that spelling; this tag is left out",
        "papers/osdi/2022/orca.md:5: tags: 'GPU_sharing' keeps its page tags/gpu-sharing/, which 'gpu-.sharing' in "
        "papers/osdi/2022/a-new.md would share (one spelling per tag)",
    ]
    build = run_mkdocs(tmp_path)
    assert build.returncode == 0, build.log
    page = build.html("tags/gpu-sharing")
    assert "Orca" in page and "Other" in page and ">A<" not in page and "#gpu-.sharing" not in page


def test_without_history_the_spelling_most_notes_use_keeps_the_tag_page(tmp_path):
    write_site(tmp_path, {**ESTABLISHED, "osdi/2022/z.md": note("Z", tags='["gpu-.sharing"]')})
    problems = check(tmp_path)
    assert [p.split(": ")[0] for p in problems] == ["papers/osdi/2022/orca.md:5", "papers/osdi/2022/z.md:5"]
    assert "'GPU_sharing' keeps its page tags/gpu-sharing/" in problems[0]


# --- dates in the future --------------------------------------------------------------------------


def test_added_after_the_build_date_is_refused(tmp_path, monkeypatch):
    write_site(tmp_path, {"osdi/2022/a.md": note("A", added="2023-11-15"), "osdi/2022/b.md": note("B", added="2023-11-14")})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14T22:13:20Z
    result = pipeline.build(tmp_path / "papers", tmp_path)
    assert [str(p) for p in result.problems] == [
        "papers/osdi/2022/a.md:5: added: 2023-11-15 is in the future (the build's date is 2023-11-14): write the day the note was added"
    ]
    assert result.catalog.added_on == {"b": "2023-11-14T00:00:00Z"}
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert pipeline.build(tmp_path / "papers", tmp_path).problems == []  # today is later than 2023


def test_commit_dates_in_the_future_sort_below_later_real_ones():
    log = ("\x012024-01-01T00:00:00+00:00\0\nA\0old.md\0"
           "\x012099-01-01T00:00:00+00:00\0\nA\0forged.md\0"
           "\x012099-02-01T00:00:00+00:00\0\nA\0forged2.md\0"
           "\x012024-03-01T00:00:00+00:00\0\nA\0real.md\0")  # fmt: skip
    assert history.parse_git_log(log, now="2025-01-01T00:00:00Z") == {
        "old.md": "2024-01-01T00:00:00Z",
        "forged.md": "2024-01-01T00:00:01Z",  # one second after the commit before it
        "forged2.md": "2024-01-01T00:00:02Z",
        "real.md": "2024-03-01T00:00:00Z",
    }
    assert history.parse_git_log("\x012099-01-01T00:00:00+00:00\0\nA\0first.md\0", now="2025-01-01T00:00:00Z") == {}


@pytest.mark.skipif(NO_GIT, reason="no git")
def test_a_forged_commit_date_does_not_pin_a_note_on_top_of_recent(tmp_path, monkeypatch):
    write_site(tmp_path, {"osdi/2022/old.md": note("Old")})
    commit_all(tmp_path, "2023-01-01T00:00:00+00:00")
    (tmp_path / "papers/osdi/2022/forged.md").write_text(note("Forged"), encoding="utf-8")
    commit_all(tmp_path, "2099-01-01T00:00:00+00:00")
    (tmp_path / "papers/osdi/2022/real.md").write_text(note("Real"), encoding="utf-8")
    commit_all(tmp_path, "2023-06-01T00:00:00+00:00")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    catalog = pipeline.build(tmp_path / "papers", tmp_path).catalog
    assert [p.id for p in history.recently_added(catalog.papers, catalog.added_on)] == ["real", "forged", "old"]


# --- invisible characters ---------------------------------------------------------------------------


def note_problems(text: str) -> list[str]:
    fm = parse_front_matter(text)
    raw = RawNote("papers/osdi/2022/x.md", "osdi/2022/x.md", fm.data, fm.lines, fm.body, fm.body_line)
    return [str(p) for p in validate_note(raw, REGISTRY)[1]]


INVISIBLE = {
    "\u200b": "U+200B (ZERO WIDTH SPACE)", "\u200c": "U+200C (ZERO WIDTH NON-JOINER)", "\u200d": "U+200D (ZERO WIDTH JOINER)",
    "\u2060": "U+2060 (WORD JOINER)", "\u200e": "U+200E (LEFT-TO-RIGHT MARK)", "\u200f": "U+200F (RIGHT-TO-LEFT MARK)",
    "\u061c": "U+061C (ARABIC LETTER MARK)", "\U000e0041": "U+E0041 (TAG LATIN CAPITAL LETTER A)", "\u3164": "U+3164 (HANGUL FILLER)",
    "\u115f": "U+115F (HANGUL CHOSEONG FILLER)", "\u1160": "U+1160 (HANGUL JUNGSEONG FILLER)", "\u2800": "U+2800 (BRAILLE PATTERN BLANK)",
    "\uffa0": "U+FFA0 (HALFWIDTH HANGUL FILLER)", "\ufe0f": "U+FE0F (VARIATION SELECTOR-16)", "\u00ad": "U+00AD (SOFT HYPHEN)",
    "\u034f": "U+034F (COMBINING GRAPHEME JOINER)",
}  # fmt: skip


@pytest.mark.parametrize("ch", list(INVISIBLE))
def test_invisible_characters_are_refused_in_tags_authors_and_titles(ch):
    name = INVISIBLE[ch]
    text = note(f"Se{ch}rving", authors=f'["Ann{ch}Lee"]', tags=f'["GPU{ch}sharing"]')
    assert note_problems(text) == [
        f"papers/osdi/2022/x.md:2: title: contains the invisible character {name}: remove it (only emoji sequences may hold one)",
        f"papers/osdi/2022/x.md:5: authors: entry 1 contains the invisible character {name}: remove it",
        f"papers/osdi/2022/x.md:6: tags: entry 1 {'GPU' + ch + 'sharing'!r} contains the invisible character {name}: remove it",
    ]


@pytest.mark.parametrize("title", ["\u3164", "\u2800\u2800", " \u200b ", "\ufe0f"])
def test_blank_looking_titles_are_refused(title):
    problems = note_problems(note(title))
    assert len(problems) == 1 and problems[0].startswith("papers/osdi/2022/x.md:2: title: contains the invisible character")


@pytest.mark.parametrize("title", [
    "Dev 👩\u200d💻 work", "Love ❤\ufe0f", "Team 👩🏽\u200d💻", "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f rules",
    "Keycap 1\ufe0f\u20e3", "Pirates 🏴\u200d☠\ufe0f", NON_BMP,
])  # fmt: skip
def test_emoji_sequences_stay_allowed_in_titles(title):
    assert note_problems(note(title)) == []
