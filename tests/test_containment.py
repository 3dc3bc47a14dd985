"""Everything the generator reads from ``papers/`` is a real file inside it, and nothing there is skipped
silently: symbolic links (venues.yml, paths/, a path file, a sub-folder, a .bib sidecar) are refused and
named; names that differ only in case, and notes not named ``*.md``, are reported."""

from __future__ import annotations

from pathlib import Path

from conftest import note, run_mkdocs, write_site

from generator import pipeline
from generator.load.notes import LINK_REFUSED, link_problem

OUTSIDE_VENUES = "venues:\n  SecretConf: {name: Secret Conference From Outside, kind: workshop}\n"
OUTSIDE_PATH = "title: Outside Path Title\nsections:\n  - title: S\n    steps: [orca]\n"
OUTSIDE_BIB = "@inproceedings{x, title = {T}, note = {Outside bib note}}\n"


def problems(root: Path) -> list[str]:
    return [str(p) for p in pipeline.build(root / "papers", root).problems]


def outside(root: Path, rel: str, text: str) -> Path:
    path = root / "outside" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def link(at: Path, target: Path) -> None:
    at.parent.mkdir(parents=True, exist_ok=True)
    at.symlink_to(target, target_is_directory=target.is_dir())


def refused(rel: str) -> str:
    return f"papers/{rel}:1: file: {LINK_REFUSED}"


def test_symlinked_venues_file_is_refused_and_not_read(tmp_path):
    write_site(tmp_path, {"osdi/2022/orca.md": note("Orca"), "ws/2023/x.md": note("X", venue="SecretConf", year=2023)})
    link(tmp_path / "papers" / "venues.yml", outside(tmp_path, "venues.yml", OUTSIDE_VENUES))
    found = problems(tmp_path)
    assert refused("venues.yml") in found
    assert any(p.startswith("papers/ws/2023/x.md:3: venue: unknown venue 'SecretConf'") for p in found)


def test_dangling_venues_link_is_reported(tmp_path):
    write_site(tmp_path, {"osdi/2022/orca.md": note("Orca")})
    link(tmp_path / "papers" / "venues.yml", tmp_path / "nowhere.yml")
    assert problems(tmp_path) == [refused("venues.yml")]


def test_symlinked_paths_folder_and_path_file_are_refused(tmp_path):
    write_site(tmp_path, {"osdi/2022/orca.md": note("Orca")})
    link(tmp_path / "papers" / "paths", outside(tmp_path, "paths/must-read.yml", OUTSIDE_PATH).parent)
    result = pipeline.build(tmp_path / "papers", tmp_path)
    assert ([str(p) for p in result.problems], result.catalog.paths) == ([refused("paths")], [])

    (tmp_path / "papers" / "paths").unlink()
    (tmp_path / "papers" / "paths").mkdir()
    link(tmp_path / "papers" / "paths" / "must-read.yml", tmp_path / "outside" / "paths" / "must-read.yml")
    result = pipeline.build(tmp_path / "papers", tmp_path)
    assert ([str(p) for p in result.problems], result.catalog.paths) == ([refused("paths/must-read.yml")], [])


def test_symlinked_sub_folder_is_reported_not_skipped(tmp_path):
    write_site(tmp_path, {"osdi/2022/orca.md": note("Orca")})
    link(tmp_path / "papers" / "sosp", outside(tmp_path, "sosp/2023/y.md", note("Y", venue="SOSP", year=2023)).parent.parent)
    result = pipeline.build(tmp_path / "papers", tmp_path)
    assert [str(p) for p in result.problems] == [refused("sosp")]
    assert [p.title for p in result.catalog.papers] == ["Orca"]


def test_symlinked_bib_sidecar_is_reported_not_skipped(tmp_path):
    write_site(tmp_path, {"osdi/2022/orca.md": note("Orca")})
    link(tmp_path / "papers" / "osdi" / "2022" / "orca.bib", outside(tmp_path, "orca.bib", OUTSIDE_BIB))
    result = pipeline.build(tmp_path / "papers", tmp_path)
    assert [str(p) for p in result.problems] == [refused("osdi/2022/orca.bib")]  # named once, by the reader and the walk
    assert result.catalog.papers[0].bibtex is None


def test_link_problem_names_the_link_on_the_way(tmp_path):
    papers = tmp_path / "papers"
    (papers / "real").mkdir(parents=True)
    (papers / "real" / "a.yml").write_text("x", encoding="utf-8")
    link(papers / "via", papers / "real")  # a link inside, to a folder inside: still refused
    assert link_problem(papers / "real" / "a.yml", papers, tmp_path) is None
    assert str(link_problem(papers / "via" / "a.yml", papers, tmp_path)) == refused("via")
    assert "outside the papers folder" in str(link_problem(tmp_path / "x.yml", papers, tmp_path))


def test_case_only_collisions_are_reported(tmp_path):
    write_site(
        tmp_path,
        {
            "osdi/2022/Orca.md": note("Orca", id="orca-a"),
            "osdi/2022/orca.md": note("Orca 2", id="orca-b"),
            "OSDI/2023/x.md": note("X", year=2023),
            "osdi/2023/y.md": note("Y", year=2023),
        },
    )
    found = problems(tmp_path)
    assert (
        "papers/osdi/2022/orca.md:1: file: differs from papers/osdi/2022/Orca.md only in case: the two are one file on "
        "macOS and Windows, where a checkout loses one (rename one of them)"
    ) in found
    assert any(p.startswith("papers/osdi:1: file: differs from papers/OSDI only in case") for p in found)


def test_notes_not_named_dot_md_are_reported(tmp_path):
    write_site(
        tmp_path,
        {
            "osdi/2022/a.MD": note("A"),
            "osdi/2022/b.Md": note("B"),
            "osdi/2022/c.markdown": note("C"),
            "osdi/2022/ok.md": note("Ok"),
            "README.MD": "# about\n",
        },
    )
    assert problems(tmp_path) == [
        "papers/osdi/2022/a.MD:1: file: a note's name must end in '.md' (this one would be skipped): rename it to a.md",
        "papers/osdi/2022/b.Md:1: file: a note's name must end in '.md' (this one would be skipped): rename it to b.md",
        "papers/osdi/2022/c.markdown:1: file: a note's name must end in '.md' (this one would be skipped): rename it to c.md",
    ]


def test_build_fails_and_publishes_nothing_from_outside(tmp_path):
    write_site(tmp_path, {"osdi/2022/orca.md": note("Orca"), "ws/2023/x.md": note("X", venue="SecretConf", year=2023)})
    link(tmp_path / "papers" / "venues.yml", outside(tmp_path, "venues.yml", OUTSIDE_VENUES))
    link(tmp_path / "papers" / "paths", outside(tmp_path, "paths/must-read.yml", OUTSIDE_PATH).parent)
    link(tmp_path / "papers" / "osdi" / "2022" / "orca.bib", outside(tmp_path, "orca.bib", OUTSIDE_BIB))
    strict = run_mkdocs(tmp_path, "--strict")
    assert strict.returncode == 1
    for rel in ("venues.yml", "paths", "osdi/2022/orca.bib"):
        assert f"papers/{rel}:1: file: is a symbolic link" in strict.log
    build = run_mkdocs(tmp_path)
    assert build.returncode == 0
    site = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in (tmp_path / "site").rglob("*") if p.is_file())
    for secret in ("Secret Conference From Outside", "Outside Path Title", "Outside bib note"):
        assert secret not in site
