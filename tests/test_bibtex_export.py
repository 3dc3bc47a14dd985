"""BibTeX out: entries, citekeys, escaping, the Cite block and the site's .bib files."""

from __future__ import annotations

import html
import re
from pathlib import Path

import bibtexparser
import pytest
from conftest import ROOT, note, run_notes

from generator import pipeline
from generator.index.catalog import build_catalog
from generator.links import doi_url
from generator.load.venues import load_registry
from generator.model import BibExtra, Link, Paper
from generator.render.bibtex import base_citekey, citekeys, format_entry, listed_authors, paper_entry, plain_keywords

REGISTRY, _ = load_registry()


def paper(pid: str = "orca", title: str = "Orca: A Distributed Serving System", authors=("Gyeong-In Yu", "Byung-Gon Chun"),
          venue: str = "OSDI", year: int = 2022, **kw) -> Paper:  # fmt: skip
    return Paper(id=pid, title=title, venue=REGISTRY.resolve(venue), year=year, path=f"papers/{pid}.md",
                 rel_path=f"{pid}.md", authors=tuple(authors), **kw)  # fmt: skip


@pytest.mark.parametrize(
    ("title", "authors", "venue", "key"),
    [
        ("Orca: A Distributed Serving System", ["Gyeong-In Yu"], "OSDI", "yu2022orca"),
        ("The Case for Learned Index Structures", ["Tim Kraska"], "OSDI", "kraska2022case"),
        ("Towards Efficient Serving", ["Jörg Müller"], "OSDI", "muller2022efficient"),
        ("A Paper", ["Martin Luther King Jr."], "OSDI", "king2022paper"),
        ("大模型推理", ["王 小明"], "arXiv", "arxiv2022"),
        ("GPT-4 Technical Report", [], "arXiv", "arxiv2022gpt"),
    ],
)
def test_base_citekey(title, authors, venue, key):
    assert base_citekey(paper(title=title, authors=authors, venue=venue)) == key


def test_citekeys_are_unique_and_deterministic():
    papers = [paper("orca-b", title="Orca Again"), paper("orca"), paper("orca-a", title="Orca: Other")]
    catalog, _ = build_catalog(papers, REGISTRY)
    keys = citekeys(catalog)
    assert keys == {"orca": "yu2022orca", "orca-a": "yu2022orca_2", "orca-b": "yu2022orca_3"}
    catalog2, _ = build_catalog(list(reversed(papers)), REGISTRY)
    assert citekeys(catalog2) == keys


def test_entry_from_metadata_by_venue_kind():
    conf = paper(links=(Link("doi", "DOI", doi_url("10.1145/1.2")), Link("paper", "Paper", "https://x.org/a_b%20c#d")))
    assert paper_entry(conf, "k", ["LLM_serving"]) == (
        "@inproceedings{k,\n"
        "  title = {{Orca: A Distributed Serving System}},\n"
        "  author = {Yu, Gyeong-In and Chun, Byung-Gon},\n"
        "  booktitle = {USENIX Symposium on Operating Systems Design and Implementation},\n"
        "  year = {2022},\n"
        "  doi = {10.1145/1.2},\n"
        "  url = {https://x.org/a_b%20c#d},\n"
        "  keywords = {LLM_serving},\n"
        "}\n"
    )
    journal = paper(venue="TPDS")
    assert "@article{k,\n" in paper_entry(
        journal, "k"
    ) and "  journal = {IEEE Transactions on Parallel and Distributed Systems},\n" in paper_entry(journal, "k")
    preprint = paper(venue="arXiv", links=(Link("arxiv", "arXiv", "https://arxiv.org/abs/2309.06180"),))
    text = paper_entry(preprint, "k")
    assert text.startswith("@misc{k,\n")
    assert (
        "  howpublished = {arXiv preprint arXiv:2309.06180},\n  year = {2022},\n  eprint = {2309.06180},\n  archiveprefix = {arXiv},\n"
        in text
    )
    assert paper_entry(paper(venue="MSR-TR"), "k").startswith("@techreport{k,\n")


@pytest.mark.parametrize(
    ("authors", "field"),
    [
        (("Gyeong-In Yu", "Byung-Gon Chun", "et al."), "Yu, Gyeong-In and Chun, Byung-Gon and others"),
        (("Gyeong-In Yu", "Byung-Gon Chun et al"), "Yu, Gyeong-In and Chun, Byung-Gon and others"),
        (("Gyeong-In Yu", "Others"), "Yu, Gyeong-In and others"),
        (("Gyeong-In Yu", "Byung-Gon Chun"), "Yu, Gyeong-In and Chun, Byung-Gon"),
    ],
)
def test_a_list_cut_short_ends_with_and_others(authors, field):
    """A note's "et al." is not an author: BibTeX says the list goes on with "and others"."""
    entry = paper_entry(paper(authors=authors), "k")
    assert f"  author = {{{field}}},\n" in entry
    parsed = bibtexparser.parse_string(entry).entries[0]["author"]
    assert "et al" not in parsed.casefold()


def test_keywords_are_plain_text_and_still_safe():
    entry = paper_entry(paper(), "k", ["LLM_serving", "C#", "显存管理", "K.V-cache+"])
    assert "  keywords = {LLM_serving, C#, 显存管理, K.V-cache+},\n" in entry
    assert bibtexparser.parse_string(entry).entries[0]["keywords"] == "LLM_serving, C#, 显存管理, K.V-cache+"
    # anything a tag cannot hold is escaped as before: no field can be closed or added
    assert plain_keywords("a}, title = {x") == "a\\textbraceright{}, title = \\textbraceleft{}x"
    evil = bibtexparser.parse_string(format_entry("misc", "k", [("title", "T"), ("keywords", "a}, title = {x")]))
    assert evil.failed_blocks == [] and [f.key for f in evil.entries[0].fields] == ["title", "keywords"]
    assert listed_authors(("A", "B")) == (["A", "B"], False)


def test_sidecar_fields_complete_the_entry_and_the_note_wins():
    extra = BibExtra("inproceedings", (("booktitle", "16th USENIX Symposium on OSDI (OSDI 22)"), ("pages", "521–538"),
                                       ("month", "July"), ("publisher", "USENIX Association")))  # fmt: skip
    text = paper_entry(paper(bibtex=extra), "yu2022orca")
    assert (
        "  booktitle = {16th USENIX Symposium on OSDI (OSDI 22)},\n  pages = {521--538},\n  month = jul,\n  publisher = {USENIX Association},\n"
        in text
    )
    assert "title = {{Orca: A Distributed Serving System}}" in text


INJECTIONS = [
    "Foo}, author={Mallory",
    "Foo\\}, author = {Mallory",
    "Line one\n@misc{evil, title = {pwned}}",
    "50% of @GPUs & $5 #1 a_b ^ ~ \\ {",
    "\u202eevil\u200b",
]


@pytest.mark.parametrize("title", INJECTIONS)
def test_no_note_value_can_add_a_field_or_an_entry(title):
    catalog, _ = build_catalog([paper(title=title, authors=[title, "Mallory"], tags=())], REGISTRY)
    text = paper_entry(catalog.papers[0], "k", [])
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    (entry,) = library.entries
    assert entry.key == "k"
    assert [f.key for f in entry.fields] == ["title", "author", "booktitle", "year"]
    assert [line for line in text.splitlines() if line.startswith("@")] == ["@inproceedings{k,"]


def test_cli_check_reports_a_broken_sidecar(tmp_path):
    from conftest import write_site

    write_site(tmp_path, {"osdi/2022/orca.md": note("Orca"), "osdi/2022/orca.bib": "@inproceedings{x,\n  pages = {1--2\n"})
    proc = run_notes("check", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        "papers/osdi/2022/orca.bib:1: bibtex: x: unbalanced braces or quotes: the entry is still open at the end of the file"
    ]


def test_site_bib_files_cite_block_and_links(site):
    """The sidecar's key (a Better BibTeX key here) is the paper's citekey everywhere."""
    build = site({
        "osdi/2022/orca.md": note("Orca: A Distributed Serving System", authors="[Gyeong-In Yu, Byung-Gon Chun]",
                                  tags="[LLM_serving, '算子融合']", links="{doi: 10.1145/1.2}"),
        "osdi/2022/orca.bib": "@comment{notes-import ...}\n@inproceedings{yuOrcaDistributedServing2022,\n  pages = {521--538},\n  publisher = {USENIX Association}\n}\n",
        "osdi/2023/evil.md": note("Foo}, author={Mallory <script>alert(1)</script>", year=2023, authors="['Mallory}, title={x']", tags="[LLM_serving]"),
        "arxiv/2023/vllm.md": note("Efficient Memory Management", venue="arXiv", year=2023, authors="[Woosuk Kwon]", links="{arxiv: '2309.06180'}"),
    })  # fmt: skip
    assert build.returncode == 0, build.log
    site_dir = build.root / "site"
    bib_files = sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.bib"))
    assert bib_files == [
        "papers.bib",
        "tags/llm-serving/llm-serving.bib",
        "tags/算子融合/算子融合.bib",
        "venues/arxiv/2023/arxiv-2023.bib",
        "venues/arxiv/arxiv.bib",
        "venues/osdi/2022/osdi-2022.bib",
        "venues/osdi/2023/osdi-2023.bib",
        "venues/osdi/osdi.bib",
    ]
    counts = {}
    for rel in bib_files:
        library = bibtexparser.parse_file(str(site_dir / rel))
        assert library.failed_blocks == [], rel
        counts[rel] = sorted(e.key for e in library.entries)
    assert counts["papers.bib"] == ["kwon2023efficient", "titlex2023foo", "yuOrcaDistributedServing2022"]
    assert counts["venues/osdi/osdi.bib"] == ["titlex2023foo", "yuOrcaDistributedServing2022"]
    assert counts["venues/osdi/2022/osdi-2022.bib"] == ["yuOrcaDistributedServing2022"]
    assert counts["tags/llm-serving/llm-serving.bib"] == ["titlex2023foo", "yuOrcaDistributedServing2022"]
    evil = bibtexparser.parse_file(str(site_dir / "papers.bib")).entries_dict["titlex2023foo"]
    assert [f.key for f in evil.fields] == ["title", "author", "booktitle", "year", "keywords"]

    page = build.html("papers/osdi/2022/orca/")
    block = re.search(
        r'<div class="rn-cite" data-citekey="yuOrcaDistributedServing2022">\s*<pre class="rn-cite__bibtex"><code>(.*?)</code></pre>',
        page,
        re.S,
    )
    assert block, page
    shown = html.unescape(block.group(1))
    assert shown.startswith("@inproceedings{yuOrcaDistributedServing2022,\n  title = {{Orca: A Distributed Serving System}},")
    assert "  pages = {521--538},\n  publisher = {USENIX Association},\n" in shown
    assert 'id="cite"' in page
    evil_page = build.html("papers/osdi/2023/evil/")
    assert "<script>alert" not in evil_page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in evil_page

    assert '<a class="rn-bib-link" href="osdi.bib" download>BibTeX</a>' in build.html("venues/osdi/")
    assert '<a class="rn-bib-link" href="osdi-2022.bib" download>BibTeX</a>' in build.html("venues/osdi/2022/")
    assert '<a class="rn-bib-link" href="%E7%AE%97%E5%AD%90%E8%9E%8D%E5%90%88.bib" download>BibTeX</a>' in build.html("tags/算子融合/")
    assert '<a class="rn-bib-link" href="../papers.bib" download>All papers as BibTeX</a>' in build.html("venues/")
    assert "assets/reading-notes/cite.js" in page


def test_the_shipped_corpus_exports_cleanly():
    result = pipeline.build(ROOT / "papers", ROOT)
    from generator.render.bibtex import bib_assets
    from generator.render.pages import RenderContext

    assets = bib_assets(RenderContext(result.catalog))
    assert assets[0].path == "papers.bib"
    for asset in assets:
        library = bibtexparser.parse_string(asset.content)
        assert library.failed_blocks == [], asset.path
    keys = [e.key for e in bibtexparser.parse_string(assets[0].content).entries]
    assert len(keys) == len(set(keys)) == len(result.catalog.papers)


def test_cite_js_builds_dom_without_html_parsing():
    js = (Path(__file__).parent.parent / "generator" / "assets" / "cite.js").read_text()
    for banned in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert banned not in js
    assert "document$.subscribe" in js and "navigator.clipboard" in js and 'execCommand("copy")' in js


def test_a_kept_citekey_used_by_two_notes_is_a_problem_naming_both(tmp_path):
    from conftest import write_site

    write_site(tmp_path, {
        "osdi/2022/orca.md": note("Orca", authors="[Gyeong-In Yu]"), "osdi/2022/orca.bib": "@inproceedings{yu2022,\n  pages = {1--2}\n}\n",
        "osdi/2022/reef.md": note("REEF"), "osdi/2022/reef.bib": "@comment{x}\n\n@inproceedings{YU2022,\n  pages = {3--4}\n}\n",
        "osdi/2023/bad.md": note("Bad", year=2023), "osdi/2023/bad.bib": "@misc{has~tilde,\n  pages = {5}\n}\n",
    })  # fmt: skip
    proc = run_notes("check", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        "papers/osdi/2022/reef.bib:3: citekey: 'YU2022' is also the citekey of papers/osdi/2022/orca.md (papers/osdi/2022/orca.bib): "
        "each paper needs its own key; change the key of one of the two .bib entries",
        "papers/osdi/2023/bad.bib:1: citekey: 'has~tilde' cannot be a citekey (no spaces or any of , { } ( ) \" # % ' = \\ ~; "
        "at most 100 characters): change it, or the site uses a generated key",
    ]


def test_generated_keys_never_take_a_kept_one():
    orca = paper(title="Orca", authors=("Gyeong-In Yu",))
    keeper = paper("other", title="Other", bibtex=BibExtra("misc", (), "yu2022orca"))
    catalog, _ = build_catalog([orca, keeper], REGISTRY)
    assert citekeys(catalog) == {"other": "yu2022orca", orca.id: "yu2022orca_2"}
