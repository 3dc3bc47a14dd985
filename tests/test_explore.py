"""papers.json, the explore/ page and the search helpers of paper pages (build level; the browser
side is in test_browser_explore.py)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MKDOCS_YML, ROOT, note, search_pages, write_site

from generator import pipeline, urls
from generator.render import explore
from generator.render.pages import Asset, RenderContext
from generator.render.site import render_site
from generator.validate.tags import make_tag

EVIL = "<img src=x onerror=alert(1)>"
NOTES = {
    "osdi/2022/reef.md": note(
        "REEF: Microsecond-scale Preemption",
        tags="[GPU_sharing, preemption]",
        authors="[Mingcong Han, Hanze Zhang]",
        summary="Preempts kernels.",
        level="essential",
        status="read",
        added="2023-02-01",
    ),
    "atc/2023/orca.md": note("Orca", venue="ATC", year=2023, tags="['#gpu-sharing', LLM_serving]", aka="[ORCA-S, Iteration batching]"),
    "arxiv/2024/bare.md": note("A Bare Entry", venue="arXiv", year=2024),
    "eurosys/2024/zh.md": note(
        "显存调度", venue="EuroSys", year=2024, tags="[显存管理]", body="## 问题\n\n本文提出一种显存共享调度方法。\n"
    ),
    "osdi/2019/evil.md": note(EVIL, year=2019, summary=f"'{EVIL}'", tags="[security]"),
}
SEARCH_YML = MKDOCS_YML  # the search is the plugin's own (Pagefind, search.py)


def catalog_of(tmp_path: Path, notes: dict[str, str] = NOTES):
    papers = tmp_path / "papers"
    for rel, text in notes.items():
        (papers / rel).parent.mkdir(parents=True, exist_ok=True)
        (papers / rel).write_text(text, encoding="utf-8")
    result = pipeline.build(papers, tmp_path)
    assert result.problems == []
    return result.catalog


def build(root: Path, seed: str = "0", yml: str = SEARCH_YML) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": seed}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml")],
                          cwd=root, capture_output=True, text=True, env=env, timeout=600)  # fmt: skip


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("explore-build")
    write_site(root, NOTES, mkdocs_yml=SEARCH_YML)
    proc = build(root)
    assert proc.returncode == 0, proc.stderr
    assert "WARNING" not in proc.stderr
    return root / "site"


# ------------------------------------------------------------------------------ papers.json


def test_papers_json_lists_every_note_compactly_sorted_by_path(tmp_path):
    data = json.loads(explore.papers_json(RenderContext(catalog_of(tmp_path))))  # no extras: no "citekey"
    assert data["version"] == 1
    papers = data["papers"]
    assert [p["id"] for p in papers] == ["bare", "orca", "zh", "evil", "reef"]  # arxiv/, atc/, eurosys/, osdi/2019, osdi/2022
    reef = papers[-1]
    assert list(reef) == ["id", "title", "url", "venue", "year", "tags", "authors", "level", "status", "summary", "added"]
    assert reef == {
        "id": "reef", "title": "REEF: Microsecond-scale Preemption", "url": "papers/osdi/2022/reef/", "venue": "OSDI",
        "year": 2022, "tags": ["GPU_sharing", "preemption"], "authors": ["Mingcong Han", "Hanze Zhang"],
        "level": "essential", "status": "read", "summary": "Preempts kernels.", "added": "2023-02-01",
    }  # fmt: skip
    assert papers[0] == {"id": "bare", "title": "A Bare Entry", "url": "papers/arxiv/2024/bare/", "venue": "arXiv", "year": 2024}
    assert papers[1]["tags"] == ["GPU_sharing", "LLM_serving"]  # the site's spelling of each tag
    assert papers[1]["aka"] == ["ORCA-S", "Iteration batching"] and all("aka" not in p for p in papers[2:] + papers[:1])
    assert papers[2]["notes"] is True and all("notes" not in p for i, p in enumerate(papers) if i != 2)  # has a body
    assert {"key": "gpu-sharing", "name": "GPU_sharing", "url": "tags/gpu-sharing/"} in data["tags"]
    assert [v["key"] for v in data["venues"]] == ["arXiv", "ATC", "EuroSys", "OSDI"]
    text = explore.papers_json(RenderContext(catalog_of(tmp_path)))
    assert text.count("\n") == 1 and '": ' not in text and '", "' not in text  # one line, no spaces
    assert "显存管理" in text  # UTF-8, not \\u escapes: smaller


def test_record_extras_hook_adds_fields(tmp_path):
    extras = [lambda paper, ctx: {"citekey": "k-" + paper.id}]
    papers = json.loads(explore.papers_json(RenderContext(catalog_of(tmp_path)), extras))["papers"]
    assert [p["citekey"] for p in papers] == ["k-bare", "k-orca", "k-zh", "k-evil", "k-reef"]


def test_explore_page_offers_bibtex_only_when_papers_bib_is_built(tmp_path):
    catalog = catalog_of(tmp_path)
    without = {o.path if isinstance(o, Asset) else o.url: o for o in explore.render_explore(RenderContext(catalog), [])}
    assert 'data-bibtex=""' in without["explore/"].full_markdown
    with_bib = explore.render_explore(RenderContext(catalog), [Asset(explore.BIBTEX_PATH, "@misc{x,}\n")])
    assert 'data-bibtex="../papers.bib"' in with_bib[1].full_markdown
    assert with_bib[1].in_nav and with_bib[1].title == "Explore"
    outputs = render_site(catalog)
    assert [o.path for o in outputs if isinstance(o, Asset) and o.path == "papers.json"] == ["papers.json"]


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        ([], ""),
        (["GPU_sharing"], "?tag=GPU_sharing"),
        (["GPU_sharing", "co-location"], "?tag=GPU_sharing&tag=co-location"),
        (["C++"], "?tag=C%2B%2B"),
        (["C#"], "?tag=C%23"),
        (["GPU sharing"], "?tag=GPU%20sharing"),
        (["显存管理"], "?tag=%E6%98%BE%E5%AD%98%E7%AE%A1%E7%90%86"),
    ],
)
def test_explore_query(tags, expected):
    assert urls.explore_query([make_tag(t) for t in tags]) == expected


# ------------------------------------------------------------------------------ the build


def test_build_writes_papers_json_byte_identical_across_builds(built, tmp_path):
    first = (built / "papers.json").read_bytes()
    assert [p["id"] for p in json.loads(first)["papers"]] == ["bare", "orca", "zh", "evil", "reef"]
    write_site(tmp_path, dict(reversed(list(NOTES.items()))), mkdocs_yml=SEARCH_YML)  # other order, other hash seed
    proc = build(tmp_path, seed="12345")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "site" / "papers.json").read_bytes() == first
    for paper in json.loads(first)["papers"]:
        assert (built / paper["url"] / "index.html").is_file()


def test_explore_page_is_in_the_nav_and_passes_its_settings_in_data_attributes(built):
    page = (built / "explore" / "index.html").read_text(encoding="utf-8")
    root = re.search(r'<div class="rn-explore"[^>]*>', page).group(0)
    assert 'data-papers="../papers.json"' in root and 'data-root="../"' in root
    article = page[page.index("<article") : page.index("</article>")]
    assert "<script" not in article  # a CSP may forbid inline scripts: none here
    assert '<script src="../assets/reading-notes/explore.js"></script>' in page
    nav = page[page.index('class="md-nav md-nav--primary"') :]
    titles = [t.strip() for t in re.findall(r'class="md-nav__link[^"]*"[^>]*>\s*(?:<span[^>]*>)?([^<]+)', nav)]
    assert titles.index("Tags") < titles.index("Explore"), titles
    assert not [url for url in search_pages(built) if url.startswith("explore/")]  # not a search result


def test_tag_pages_link_to_the_explorer_prefiltered(built):
    tag = (built / "tags" / "gpu-sharing" / "index.html").read_text(encoding="utf-8")
    assert '<a class="rn-explore-link" href="../../explore/?tag=GPU_sharing">' in tag
    chinese = (built / "tags" / "显存管理" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../explore/?tag=%E6%98%BE%E5%AD%98%E7%AE%A1%E7%90%86"' in chinese
    assert 'href="../explore/"' in (built / "tags" / "index.html").read_text(encoding="utf-8")


def doc(built: Path, location: str) -> dict:
    return search_pages(built)[location]


def test_paper_pages_give_search_their_tags_and_venue_words_hidden(built):
    reef = doc(built, "papers/osdi/2022/reef/")
    assert reef["filters"]["tag"] == ["GPU_sharing", "preemption"]  # a facet …
    assert reef["meta"]["tags"] == "GPU_sharing, preemption"  # … and shown once in the result
    assert reef["filters"]["venue"] == ["OSDI"] and reef["filters"]["year"] == ["2022"] and reef["meta"]["venue"] == "OSDI 2022"
    assert "GPU_sharing GPU sharing preemption OSDI 2022 USENIX OSDI" in reef["content"]
    assert "#GPU_sharing" not in reef["content"]  # the chips (one run-together word) stay out of the index
    page = (built / "papers" / "osdi" / "2022" / "reef" / "index.html").read_text(encoding="utf-8")
    assert '<p class="rn-index-terms" hidden>GPU_sharing GPU sharing preemption OSDI 2022 USENIX OSDI</p>' in page
    assert 'class="md-tags"' not in page  # the theme shows no second row of tags
    assert "tags/gpu-sharing/" not in search_pages(built)  # a listing: its papers are found on their own pages


def test_search_index_holds_injected_titles_as_text(built):
    evil = doc(built, "papers/osdi/2019/evil/")
    assert evil["meta"]["title"] == EVIL  # text, which search.js puts in the page with textContent only
    assert "<img" not in evil["content"].replace(EVIL, "")
    page = (built / "papers" / "osdi" / "2019" / "evil" / "index.html").read_text(encoding="utf-8")
    assert "<img src=x" not in page


def test_chinese_is_cut_into_words_for_search(built):
    zh = doc(built, "papers/eurosys/2024/zh/")
    assert "显存 共享 调度" in zh["content"]  # jieba's cuts: Pagefind finds each word
    assert zh["meta"]["title"] == "显存调度" and zh["filters"]["tag"] == ["显存管理"]  # shown as written


def test_shipped_site_uses_the_pagefind_search_not_materials():
    yml = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert not re.search(r"^  - search\b", yml, re.MULTILINE)  # no lunr index for the reader to download
    import jieba  # noqa: F401  (a pinned dependency: search.py cuts Chinese text into words with it)
    import pagefind  # noqa: F401


def test_explore_js_never_parses_data_as_html():
    script = (ROOT / "generator" / "assets" / "explore.js").read_text(encoding="utf-8")
    code = re.sub(r"/\*.*?\*/", "", script, flags=re.DOTALL)
    for api in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function",
                "createContextualFragment", "DOMParser", "srcdoc", "javascript:"]:  # fmt: skip
        assert api not in code, api


def test_short_names_show_on_the_paper_page_and_in_listings_and_weigh_high_in_search(built):
    page = (built / "papers" / "atc" / "2023" / "orca" / "index.html").read_text(encoding="utf-8")
    assert (
        '<p class="rn-paper-header__aka"><span class="rn-aka__label" data-pagefind-ignore>Also known as</span> '
        '<span class="rn-aka" data-pagefind-weight="10" data-pagefind-meta="aka">ORCA-S, Iteration batching</span></p>'
    ) in page
    listing = (built / "tags" / "gpu-sharing" / "index.html").read_text(encoding="utf-8")
    assert '<span class="rn-paper__aka">(ORCA-S, Iteration batching)</span>' in listing
    assert doc(built, "papers/atc/2023/orca/")["meta"]["aka"] == "ORCA-S, Iteration batching"
    assert "rn-paper-header__aka" not in (built / "papers" / "osdi" / "2022" / "reef" / "index.html").read_text(encoding="utf-8")
