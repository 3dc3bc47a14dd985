"""The pieces every importer shares (and ``notes new`` too): the one front-matter writer, the one note
writer, the one duplicate finder and the one front-matter fence; and that import-bib and import-list
now find each other's papers through that finder."""

from __future__ import annotations

import pytest
from conftest import note, run_notes, write_site

from generator.authoring.note_file import front_matter_text, write_file
from generator.importers.common import PaperIndex, paper_keys
from generator.load.frontmatter import front_matter_span, opens_front_matter, parse_front_matter

HOSTILE = [
    'Quotes " and \\ backslash',
    "title: injected\nvenue: evil",
    "---\nstatus: read",
    "Emoji 🚀 and CJK 注意力",
    "# not a comment",
    "&anchor *alias !!python/object",
    "  leading and trailing  ",
    "it's single-quoted",
    "ZWJ family 👩\u200d💻 and NBSP\u00a0here",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_front_matter_text_reads_back_exactly_what_was_written(text):
    fields = {"title": text, "venue": "OSDI", "year": 2022, "authors": [text, "B. Author"], "tags": ["ok"],
              "links": {"paper": "https://example.org/a?b=c#d"}, "status": "unread", "added": "2024-03-15"}  # fmt: skip
    fm = parse_front_matter(front_matter_text(fields) + "body\n")
    assert fm.data["title"] == text
    assert fm.data["authors"] == [text, "B. Author"]
    assert fm.data["links"] == {"paper": "https://example.org/a?b=c#d"}
    assert set(fm.data) == set(fields)  # no value added a field
    assert fm.body == "body\n"


def test_front_matter_shows_emoji_and_cjk_as_written():
    """A person reviewing an imported note reads its title as typed, not as ``\\U0001F680`` escapes."""
    text = front_matter_text({"title": "Rocket 🚀 注意力 über", "venue": "OSDI", "year": 2022})
    assert "Rocket 🚀 注意力 über" in text
    assert "\\U" not in text


def test_write_file_never_overwrites_by_accident_and_replaces_in_one_step(tmp_path):
    target = tmp_path / "papers" / "osdi" / "2022" / "a.md"
    write_file(target, "first\n")  # makes the folders
    with pytest.raises(FileExistsError):
        write_file(target, "second\n")
    assert target.read_text(encoding="utf-8") == "first\n"
    write_file(target, "third\r\n", overwrite=True)
    assert target.read_bytes() == b"third\r\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.md"]  # no temporary file left behind
    folder = target.parent / "b.md"  # a replace that fails (a folder of that name is in the way)
    (folder / "x").mkdir(parents=True)
    with pytest.raises(OSError):
        write_file(folder, "fourth\n", overwrite=True)
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.md", "b.md"]  # and no temporary file then either


def test_paper_index_finds_by_doi_in_an_address_by_arxiv_without_version_and_by_folded_title():
    index: PaperIndex[str] = PaperIndex()
    index.add(paper_keys("Über Orca: Serving", {"paper": "https://doi.org/10.1145/1234.5678"}), "orca")
    index.add(paper_keys("Another Paper", {"arxiv": "2309.06180v2"}), "vllm")
    assert index.find(paper_keys("Something else", {"doi": "10.1145/1234.5678"})) == ("orca", "DOI 10.1145/1234.5678")
    assert index.find(paper_keys("x", {"arxiv": "arXiv:2309.06180"})) == ("vllm", "arXiv id arXiv:2309.06180")
    assert index.find(paper_keys("UBER ORCA — serving!", {})) == ("orca", "title")
    assert index.find(paper_keys("Orca 2", {})) is None
    index.drop(lambda known: known == "orca")
    assert index.find(paper_keys("Über Orca: Serving", {"doi": "10.1145/1234.5678"})) is None


def test_paper_index_finds_a_title_cut_short_only_when_one_paper_begins_with_it():
    index: PaperIndex[str] = PaperIndex()
    index.add(paper_keys("Efficient Memory Management for Large Language Model Serving", {}), "a")
    cut = "Efficient Memory Management for Large..."
    assert index.find(paper_keys(cut, {}), cut) == ("a", "title, cut short")
    assert index.find(paper_keys(cut, {})) is None  # without the title, only whole keys match
    index.add(paper_keys("Efficient Memory Management for Large Graphs", {}), "b")
    assert index.find(paper_keys(cut, {}), cut) is None  # two papers begin so: not a duplicate of either


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("---\ntitle: a\n---\nbody", (4, 13, 16)),
        ("--- \ntitle: a\n...\n", (5, 14, 17)),
        ("---\n---\n", (4, 4, 7)),
        ("---\ntitle: a\n", None),  # never closed
        ("title: a\n---\n", None),  # never opened
        ("---", None),
    ],
)
def test_front_matter_span(text, span):
    assert front_matter_span(text) == span
    assert opens_front_matter(text) == (text.startswith("---") and "\n" in text)


def test_import_list_finds_a_paper_import_bib_wrote(tmp_path):
    write_site(tmp_path, {})
    (tmp_path / "refs.bib").write_text(
        "@inproceedings{orca,\n  title = {Orca: A Distributed Serving System for Transformer-Based Generative Models},\n"
        "  booktitle = {OSDI}, year = 2022, doi = {10.5555/3570000.3570001}\n}\n", encoding="utf-8")  # fmt: skip
    bib = run_notes("import-bib", "refs.bib", cwd=tmp_path)
    assert bib.returncode == 0, bib.stdout + bib.stderr
    (tmp_path / "list.md").write_text(
        "# Papers\n\n## OSDI 2022\n\n- [Orca](https://doi.org/10.5555/3570000.3570001)\n"
        "- [Über-Serving: A Paper That Is Not There Yet](https://example.org/u.pdf)\n", encoding="utf-8")  # fmt: skip
    lst = run_notes("import-list", "list.md", cwd=tmp_path)
    assert lst.returncode == 0, lst.stdout + lst.stderr
    assert "list.md:5: duplicate: of papers/osdi/2022/orca.md (same DOI 10.5555/3570000.3570001)" in lst.stdout
    assert "list.md:6: imported: papers/osdi/2022/" in lst.stdout
    # and back: the bib entry of the paper the list added is its duplicate, found by its title without the accent
    (tmp_path / "more.bib").write_text(
        "@inproceedings{uber,\n  title = {Uber-Serving: A Paper That Is Not There Yet},\n  booktitle = {OSDI}, year = 2022\n}\n",
        encoding="utf-8")  # fmt: skip
    again = run_notes("import-bib", "more.bib", cwd=tmp_path)
    assert "more.bib:1: uber: duplicate of papers/osdi/2022/" in again.stdout and "(same title)" in again.stdout
    assert run_notes("check", cwd=tmp_path).returncode == 0


def test_notes_new_and_imported_notes_pass_check_together(tmp_path):
    write_site(tmp_path, {"osdi/2022/orca.md": note("Orca")})
    new = run_notes("new", "--title", 'Émoji 🚀 "quoted" paper', "--venue", "OSDI", "--year", "2023", cwd=tmp_path)
    assert new.returncode == 0, new.stderr
    text = (tmp_path / new.stdout.strip()).read_text(encoding="utf-8")
    assert parse_front_matter(text).data["title"] == 'Émoji 🚀 "quoted" paper'
    assert run_notes("check", cwd=tmp_path).returncode == 0


def test_importers_never_name_a_note_what_notes_check_refuses(tmp_path):
    """A title that slugifies to index, readme or a Windows name gets the next free name."""
    write_site(tmp_path, {})
    (tmp_path / "list.md").write_text("# Papers\n\n## OSDI 2022\n\n- [Index: A Learned Index](https://example.org/i.pdf)\n"
                                      "- [Readme: Docs as Code](https://example.org/r.pdf)\n", encoding="utf-8")  # fmt: skip
    lst = run_notes("import-list", "list.md", cwd=tmp_path)
    assert lst.returncode == 0, lst.stdout + lst.stderr
    (tmp_path / "refs.bib").write_text("@inproceedings{k,\n  title = {NUL: Nothing Under Load},\n  booktitle = {OSDI}, year = 2022\n}\n",
                                       encoding="utf-8")  # fmt: skip
    bib = run_notes("import-bib", "refs.bib", cwd=tmp_path)
    assert bib.returncode == 0, bib.stdout + bib.stderr
    names = sorted(p.name for p in (tmp_path / "papers" / "osdi" / "2022").glob("*.md"))
    assert names == ["index-osdi22.md", "nul-osdi22.md", "readme-osdi22.md"], names
    check = run_notes("check", cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
