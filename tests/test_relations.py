"""Typed relations between papers (``builds_on``, ``compares_with``): every error, as the user sees it."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from conftest import MKDOCS_YML, note, write_site

from generator import pipeline
from generator.validate.graph import find_cycles


def build(tmp_path: Path, notes: dict[str, str]) -> pipeline.Result:
    write_site(tmp_path, notes)
    return pipeline.build(tmp_path / "papers", tmp_path)


def messages(result: pipeline.Result) -> list[str]:
    return [str(p) for p in result.problems]


def test_relations_are_read_in_file_order_each_once(tmp_path):
    result = build(
        tmp_path,
        {
            "osdi/2022/orca.md": note("Orca"),
            "osdi/2022/ft.md": note("FT"),
            "osdi/2023/vllm.md": note("vLLM", year=2023, builds_on="[orca]", compares_with="[orca, ft, orca]"),
        },
    )
    assert messages(result) == []
    vllm = result.catalog.by_id["vllm"]
    assert vllm.builds_on == ("orca",) and vllm.compares_with == ("orca", "ft")
    assert vllm.relations() == [("builds_on", "orca"), ("compares_with", "orca"), ("compares_with", "ft")]
    assert [line for _, _, line in vllm.relation_lines] == [5, 6, 6]


@pytest.mark.parametrize("field", ["builds_on", "compares_with"])
def test_unknown_id_is_an_error_with_did_you_mean(tmp_path, field):
    result = build(tmp_path, {"osdi/2022/orca.md": note("Orca"), "osdi/2023/vllm.md": note("vLLM", year=2023, **{field: "[orcaa, zzz]"})})
    assert messages(result) == [
        f"papers/osdi/2023/vllm.md:5: {field}: unknown paper id 'orcaa' (did you mean 'orca'?)",
        f"papers/osdi/2023/vllm.md:5: {field}: unknown paper id 'zzz'",
    ]


def test_unknown_id_line_is_the_entry_line(tmp_path):
    result = build(
        tmp_path, {"osdi/2022/orca.md": note("Orca"), "osdi/2023/vllm.md": note("vLLM", year=2023, builds_on="\n  - orca\n  - vlm")}
    )
    assert messages(result) == ["papers/osdi/2023/vllm.md:7: builds_on: unknown paper id 'vlm' (did you mean 'vllm'?)"]


@pytest.mark.parametrize("field", ["builds_on", "compares_with"])
def test_relation_to_itself_is_an_error(tmp_path, field):
    result = build(tmp_path, {"osdi/2022/orca.md": note("Orca", **{field: "[orca]"})})
    assert messages(result) == [
        f"papers/osdi/2022/orca.md:5: {field}: entry 1 is this paper's own id 'orca' (a paper cannot build on or compare with itself)"
    ]
    assert "orca" not in result.catalog.by_id  # a note with a note-level problem is left out, like any other


def test_relation_to_itself_by_explicit_id(tmp_path):
    result = build(tmp_path, {"osdi/2022/x.md": note("Orca", id="orca", compares_with="[a, orca]"), "osdi/2022/a.md": note("A")})
    assert messages(result) == [
        "papers/osdi/2022/x.md:6: compares_with: entry 2 is this paper's own id 'orca' (a paper cannot build on or compare with itself)"
    ]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("orca", "builds_on: must be a list, like builds_on: [first, second]"),
        ("['has space']", "builds_on: entry 1 is not a paper id (letters, digits, '-', '_' or '.', like 'orca')"),
        ("['<b>x</b>']", "builds_on: entry 1 is not a paper id (letters, digits, '-', '_' or '.', like 'orca')"),
        ("[{a: 1}]", "builds_on: entry 1 must be text, not a mapping"),
        ("[true]", "builds_on: entry 1 must be text, not true/false"),
        ("['']", "builds_on: entry 1 is empty"),
    ],
)
def test_malformed_relation_entries(tmp_path, value, expected):
    result = build(tmp_path, {"osdi/2022/a.md": note("A", builds_on=value)})
    assert messages(result) == [f"papers/osdi/2022/a.md:5: {expected}"]


def test_builds_on_cycle_prints_the_cycle(tmp_path):
    result = build(
        tmp_path,
        {
            "osdi/2022/a.md": note("A", builds_on="[b]"),
            "osdi/2022/b.md": note("B", builds_on="[c]"),
            "osdi/2022/c.md": note("C", builds_on="[x, a]"),
            "osdi/2022/x.md": note("X"),
        },
    )
    assert messages(result) == ["papers/osdi/2022/a.md:5: builds_on: cycle: a → b → c → a (a paper can only build on earlier work)"]


def test_two_paper_cycle_and_compares_with_cycles_are_fine(tmp_path):
    result = build(
        tmp_path,
        {
            "osdi/2022/a.md": note("A", builds_on="[b]", compares_with="[b]"),
            "osdi/2022/b.md": note("B", builds_on="[a]", compares_with="[a]"),  # comparing both ways is normal
        },
    )
    assert messages(result) == ["papers/osdi/2022/a.md:5: builds_on: cycle: a → b → a (a paper can only build on earlier work)"]


def test_find_cycles_reports_each_cycle_and_survives_long_chains():
    assert find_cycles({"a": ["b"], "b": ["a"], "c": ["d", "zz"], "d": ["c"], "e": []}) == [["a", "b", "a"], ["c", "d", "c"]]
    chain = {str(i): [str(i + 1)] for i in range(5000)}
    assert find_cycles(chain) == []
    chain["5000"] = ["0"]
    assert find_cycles(chain) == [[str(i) for i in range(5001)] + ["0"]]


# ---- in-note citations and "Referenced by" -------------------------------------------------------

from generator.index.citations import find_citations  # noqa: E402

CITING_BODY = """
Orca batches per iteration [@orca]; see [@orca, p. 3] for the scheduler.
`[@nope]` in a code span stays as written, and so does this:

```
[@nope2]
```
"""


def test_find_citations_skips_code():
    found = find_citations(CITING_BODY)
    assert [(c.paper_id, c.locator, c.line) for c in found] == [("orca", "", 1), ("orca", "p. 3", 1)]
    assert find_citations("a [@x](http://e.org) link and [@y]: a definition, [@z][ref]") == []


def test_unknown_citation_is_a_problem_at_its_line(tmp_path):
    result = build(
        tmp_path,
        {
            "osdi/2022/orca.md": note("Orca"),
            "osdi/2023/vllm.md": note("vLLM", year=2023, body="\nText.\n\nAs [@orcaa] showed, and [@orca].\n"),
        },
    )
    assert messages(result) == ["papers/osdi/2023/vllm.md:9: body: unknown paper id 'orcaa' in [@orcaa] (did you mean 'orca'?)"]


def test_citations_link_and_referenced_by_lists_every_kind(site):
    build = site(
        {
            "osdi/2022/orca.md": note("Orca: A Distributed Serving System"),
            "osdi/2022/ft.md": note("FasterTransformer"),
            "sosp/2023/vllm.md": note(
                "vLLM: Efficient Memory Management",
                venue="SOSP",
                year=2023,
                builds_on="[orca]",
                compares_with="[orca, ft]",
                body=CITING_BODY,
            ),
            "osdi/2024/later.md": note("Later", year=2024, body="\nBuilt after [@vllm].\n"),
        },
        mkdocs_yml=MKDOCS_YML + "validation:\n  unrecognized_links: warn\n",
    )  # as the shipped site: links are checked
    assert build.returncode == 0, build.log
    vllm = build.html("papers/sosp/2023/vllm/")
    assert '<a href="../../../osdi/2022/orca/">Orca</a>' in vllm
    assert '<a href="../../../osdi/2022/orca/">Orca, p&#46; 3</a>' in vllm or '<a href="../../../osdi/2022/orca/">Orca, p. 3</a>' in vllm
    assert "<code>[@nope]</code>" in vllm and "[@nope2]" in vllm
    orca = build.html("papers/osdi/2022/orca/")
    refby = orca[orca.index('id="referenced-by"') : orca.index("</ul>", orca.index('class="rn-refby"'))]
    items = refby.split("<li ")[1:]
    assert len(items) == 1 and 'data-rn-id="vllm"' in items[0]
    kinds = [k.split(">")[1].split("<")[0] for k in items[0].split('class="rn-refby__kind ')[1:]]
    assert kinds == ["cites", "builds on", "compares with"]
    ft = build.html("papers/osdi/2022/ft/")
    assert 'class="rn-refby__kind rn-refby__kind--compares-with">compares with<' in ft
    assert "Referenced by" not in build.html("papers/osdi/2024/later/")
    assert 'rn-refby__kind--cites">cites<' in build.html("papers/sosp/2023/vllm/")  # cited by "later"


HOSTILE_TITLE = "<img src=x onerror=alert(1)>*x*`c`: [y](javascript:alert(2)) &amp;"


def test_hostile_titles_in_citations_and_relations_come_out_escaped(site):
    build = site(
        {
            "osdi/2022/evil.md": note(HOSTILE_TITLE.replace('"', "'")),
            "osdi/2023/b.md": note("B", year=2023, builds_on="[evil]", body="\nSee [@evil, <script>alert(3)</script>] and [@evil].\n"),
        }
    )
    assert build.returncode == 0, build.log
    page = build.html("papers/osdi/2023/b/")
    content = page[page.index("<article") : page.index("</article>")]
    for raw in ["<img src=x", "<script>alert", 'href="javascript', "<em>x</em>", "<code>c</code>"]:
        assert raw not in content, raw
    links = re.findall(r'<a href="../../2022/evil/">(.*?)</a>', content)
    assert [html.unescape(text) for text in links] == [  # the short title shows as text, inside the link
        "<img src=x onerror=alert(1)>*x*`c`, <script>alert(3)</script>",
        "<img src=x onerror=alert(1)>*x*`c`",
    ]
    evil = build.html("papers/osdi/2022/evil/")
    refby = evil[evil.index('class="rn-refby"') :]
    assert 'data-rn-id="b"' in refby and "<img" not in refby.split("</div>")[0]
    for end in (evil, page):  # the lineage drawing of both ends of the relation
        start = end.index('<svg class="rn-lineage__svg"')
        svg = end[start : end.index("</svg>", start)]
        assert "<img" not in svg and "<script" not in svg and "&lt;img src=x onerror=alert(1)&gt;" in svg


# ---- lineage drawings ------------------------------------------------------------------------------

LINEAGE_NOTES = {
    "osdi/2020/base.md": note("Base: The Ancestor", year=2020),
    "osdi/2022/orca.md": note("Orca: A Distributed Serving System", builds_on="[base]"),
    "osdi/2022/ft.md": note("FasterTransformer", venue="arXiv"),
    "sosp/2023/vllm.md": note("vLLM: Efficient Memory Management", venue="SOSP", year=2023, builds_on="[orca]", compares_with="[orca, ft]"),
    "osdi/2024/later.md": note("Later: After vLLM", year=2024, builds_on="[vllm]"),
    "osdi/2025/latest.md": note("Latest", year=2025, compares_with="[later]"),
    "osdi/2025/far.md": note("Far: Three hops on", year=2025, builds_on="[latest]"),
    "osdi/2021/alone.md": note("Alone"),
}


def svg_graph(page: str) -> tuple[list[str], list[tuple[str, str, str]], list[str]]:
    """(node ids in document order, (kind, from, to) edges, column headings) of the page's lineage SVG."""
    start = page.index('<svg class="rn-lineage__svg"')
    svg = page[start : page.index("</svg>", start)]
    nodes = re.findall(r'<a class="rn-lineage__node[^"]*" xlink:href="[^"]*" data-rn-id="([^"]+)"', svg)
    edges = re.findall(r'rn-lineage__edge--(\w+)" d="[^"]+" marker-end="[^"]+" data-rn-from="([^"]+)" data-rn-to="([^"]+)"', svg)
    heads = re.findall(r'<text class="rn-lineage__colhead"[^>]*>([^<]*)</text>', svg)
    return nodes, edges, heads


def test_paper_page_lineage_svg_matches_the_front_matter(site):
    build = site(LINEAGE_NOTES)
    assert build.returncode == 0, build.log
    vllm = build.html("papers/sosp/2023/vllm/")
    nodes, edges, heads = svg_graph(vllm)
    # two hops back (base), one back (ft, orca by year), the paper, one on (later), two on (latest); "far" is three hops away
    assert nodes == ["base", "ft", "orca", "vllm", "later", "latest"]
    assert heads == ["two hops back", "it builds on / compares with", "this paper", "builds on / compares with it", "two hops on"]
    assert sorted(edges) == sorted(
        [
            ("builds_on", "orca", "base"),
            ("builds_on", "vllm", "orca"),
            ("compares_with", "vllm", "orca"),
            ("compares_with", "vllm", "ft"),
            ("builds_on", "later", "vllm"),
            ("compares_with", "latest", "later"),
        ]
    )
    start = vllm.index('<svg class="rn-lineage__svg"')
    svg = vllm[start : vllm.index("</svg>", start)]
    assert 'xlink:href="../../../osdi/2022/orca/"' in svg and "<title>Orca: A Distributed Serving System (OSDI 2022)</title>" in svg
    assert "rn-lineage__node--preprint" in svg and "rn-lineage__node--current" in svg and "style=" not in svg
    assert "<script" not in svg and 'viewBox="0 0 ' in svg
    assert "Lineage" in vllm and "Alone" not in svg
    assert "rn-lineage" not in build.html("papers/osdi/2021/alone/")  # no relation: no drawing
    far_nodes, _, _ = svg_graph(build.html("papers/osdi/2025/far/"))
    assert far_nodes == ["later", "latest", "far"]
    # the drawing and "Referenced by" repeat other pages: the site search does not index them
    from conftest import search_pages

    pages = search_pages(build.root / "site")
    vllm_text = pages["papers/sosp/2023/vllm/"]["content"]
    assert "vLLM" in vllm_text and "two hops" not in vllm_text and "Later" not in vllm_text and "Base" not in vllm_text
    assert not [url for url in pages if url.startswith("compare/")]


def test_path_and_tag_lineage_pages(site):
    notes = {
        "osdi/2022/orca.md": note("Orca: A Distributed Serving System", tags="[serving]"),
        "sosp/2023/vllm.md": note(
            "vLLM: Efficient Memory", venue="SOSP", year=2023, tags="[serving]", builds_on="[orca]", compares_with="[orca]"
        ),
        "osdi/2024/other.md": note("Other", year=2024, tags="[serving, lonely]", compares_with="[outside]"),
        "osdi/2021/outside.md": note("Outside"),
        "paths/serving.yml": "title: Serving\nsections:\n  - title: One\n    steps: [orca, vllm, other]\n",
        "paths/lonely.yml": "title: Lonely\nsections:\n  - title: One\n    steps: [other]\n",
    }
    build = site(notes)
    assert build.returncode == 0, build.log
    for url, back in (("paths/serving/lineage/", "../"), ("tags/serving/lineage/", "../")):
        page = build.html(url)
        nodes, edges, heads = svg_graph(page)
        assert nodes == ["orca", "vllm"] and heads == ["2022", "2023"]  # "other" relates only to a paper outside the set
        assert sorted(edges) == [("builds_on", "vllm", "orca"), ("compares_with", "vllm", "orca")]
        assert f'<a href="{back}">Back to ' in page and "2 relations among its papers" in page
        assert 'compares with</span> <a href="../../../papers/osdi/2022/orca/">Orca: A Distributed Serving System</a>' in page
    assert 'class="rn-lineage-link" href="lineage/"' in build.html("paths/serving/")
    assert 'class="rn-lineage-link" href="lineage/"' in build.html("tags/serving/")
    # no relation inside the set: no lineage page, no link
    assert not build.exists("paths/lonely/lineage") and not build.exists("tags/lonely/lineage")
    assert "rn-lineage-link" not in build.html("paths/lonely/") and "rn-lineage-link" not in build.html("tags/lonely/")


# ---- evaluation facts and the data behind compare/ --------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("fast", "evaluation: must be a mapping, like 'evaluation: {hardware: 8x A100, workloads: [OPT-13B], result: …}'"),
        ("{gpu: A100}", "evaluation.gpu: unknown field (use: hardware, workloads, result)"),
        ("{hardwares: A100}", "evaluation.hardwares: unknown field (did you mean 'hardware'?) (use: hardware, workloads, result)"),
        ("{hardware: 8}", "evaluation.hardware: must be text"),
        ("{result: ''}", "evaluation.result: is empty"),
        ("{result: '" + "r" * 301 + "'}", "evaluation.result: is longer than 300 characters"),
        ("{workloads: {a: 1}}", "evaluation.workloads: must be a list, like workloads: [OPT-13B, ShareGPT]"),
        ("{workloads: [" + ", ".join(["w"] * 21) + "]}", "evaluation.workloads: has 21 entries (at most 20)"),
    ],
)
def test_evaluation_errors(tmp_path, value, expected):
    result = build(tmp_path, {"osdi/2022/a.md": note("A", evaluation=value)})
    assert messages(result) == [f"papers/osdi/2022/a.md:5: {expected}"]


def test_evaluation_on_the_paper_page_and_relations_in_papers_json(site):
    import json

    build = site(
        {
            "osdi/2022/orca.md": note("Orca"),
            "sosp/2023/vllm.md": note(
                "vLLM",
                venue="SOSP",
                year=2023,
                builds_on="[orca]",
                compares_with="[orca]",
                evaluation="{hardware: 8x A100, workloads: [OPT-13B, '<b>x</b>'], result: 2-4x}",
            ),
        }
    )
    assert build.returncode == 0, build.log
    page = build.html("papers/sosp/2023/vllm/")
    assert (
        '<dl class="rn-eval"><dt>Hardware</dt><dd>8x A100</dd><dt>Workloads</dt><dd>OPT-13B; &lt;b&gt;x&lt;/b&gt;</dd>'
        "<dt>Result</dt><dd>2-4x</dd></dl>"
    ) in page
    records = {p["id"]: p for p in json.loads((build.root / "site" / "papers.json").read_text())["papers"]}
    assert records["vllm"]["builds_on"] == ["orca"] and records["vllm"]["compares_with"] == ["orca"]
    assert records["vllm"]["evaluation"] == {"hardware": "8x A100", "workloads": ["OPT-13B", "<b>x</b>"], "result": "2-4x"}
    assert "builds_on" not in records["orca"] and "evaluation" not in records["orca"]
    assert 'class="rn-explore-compare" data-papers="../papers.json" data-root="../"' in build.html("compare/")


def test_a_body_edit_that_changes_citations_renders_the_site_again(tmp_path):
    from generator.load.cache import BuildCache
    from generator.render.pages import RenderContext
    from generator.render.site import render_site, rerender_bodies

    notes = {"osdi/2022/a.md": note("A", body="Text.\n"), "osdi/2022/b.md": note("B", body="See [@a].\n")}
    write_site(tmp_path, notes)
    cache = BuildCache()
    old = pipeline.build(tmp_path / "papers", tmp_path, cache)
    rendered = RenderContext(old.catalog)
    out = render_site(old.catalog, context=rendered)
    (tmp_path / "papers/osdi/2022/b.md").write_text(note("B", body="See [@a] again.\n"))  # the same citations
    new = pipeline.build(tmp_path / "papers", tmp_path, cache)
    assert rerender_bodies(out, rendered, new.catalog) == render_site(new.catalog)
    (tmp_path / "papers/osdi/2022/b.md").write_text(note("B", body="No citation now.\n"))  # a's "Referenced by" changes
    newer = pipeline.build(tmp_path / "papers", tmp_path, cache)
    assert rerender_bodies(out, rendered, newer.catalog) is None
