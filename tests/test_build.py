"""Build small fixture sites with the real ``mkdocs build`` and read the HTML."""

from __future__ import annotations

import re

from conftest import note

REEF = note(
    "Microsecond-scale Preemption for Concurrent GPU-accelerated DNN Inferences",
    tags="[GPU_sharing, preemption, 算子融合]",
    summary="Preempts best-effort GPU kernels in microseconds.",
    authors="[Mingcong Han, Hanze Zhang]",
    links="{paper: 'https://www.usenix.org/conference/osdi22/presentation/han', doi: 10.1000/xyz}",
    status="read",
    level="essential",
    topic="GPU sharing",
    body="## Problem\n\nGPUs cannot preempt kernels **quickly**.\n",
)
ORCA = note("Orca: A Distributed Serving System", tags="['#gpu-sharing', LLM_serving]", topic="Model serving")
FLEX = note("FlexGen", venue="arXiv", year=2023, tags="['GPU\\_sharing']")


def test_url_contract_and_pages(site):
    build = site({"osdi/2022/reef.md": REEF, "osdi/2022/orca.md": ORCA, "arxiv/2023/flexgen.md": FLEX})
    assert build.returncode == 0, build.log
    for url in [
        "venues",
        "venues/osdi",
        "venues/osdi/2022",
        "venues/arxiv/2023",
        "tags",
        "tags/gpu-sharing",
        "tags/llm-serving",
        "tags/算子融合",
        "papers/osdi/2022/reef",
        "papers/arxiv/2023/flexgen",
    ]:
        assert build.exists(url), url

    edition = build.html("venues/osdi/2022")
    assert '<h2 id="gpu-sharing">GPU sharing' in edition and '<h2 id="model-serving">Model serving' in edition
    assert 'href="../../../papers/osdi/2022/reef/"' in edition
    assert 'href="../../../papers/osdi/2022/orca/"' in edition
    assert "Preempts best-effort GPU kernels in microseconds." in edition
    assert 'title="Essential (must read)"' in edition and "✓ read" in edition
    assert edition.index('id="gpu-sharing"') < edition.index('id="model-serving"')

    tag = build.html("tags/gpu-sharing")
    assert "<h1" in tag and "#GPU_sharing" in tag
    for href in ["papers/osdi/2022/reef/", "papers/osdi/2022/orca/", "papers/arxiv/2023/flexgen/"]:
        assert f'href="../../{href}"' in tag
    assert tag.index("flexgen") < tag.index("reef")  # newest first

    tags = build.html("tags")
    assert re.search(r'<a href="gpu-sharing/">#GPU_sharing<span>3</span></a>', tags)
    assert "%E7%AE%97%E5%AD%90%E8%9E%8D%E5%90%88/" in tags  # the Chinese tag's page, percent-encoded

    paper = build.html("papers/osdi/2022/reef")
    assert "<title>Microsecond-scale Preemption for Concurrent GPU-accelerated DNN Inferences - Fixture notes</title>" in paper
    assert 'href="../../../../venues/osdi/2022/">OSDI 2022</a>' in paper
    assert "Mingcong Han, Hanze Zhang" in paper
    assert 'href="https://doi.org/10.1000/xyz"' in paper
    assert "GPUs cannot preempt kernels <strong>quickly</strong>." in paper  # the body is rendered as written
    assert 'href="../../../../tags/gpu-sharing/">#GPU_sharing</a>' in paper

    venues = build.html("venues")
    assert 'href="osdi/">OSDI</a>' in venues and 'href="osdi/2022/">2022<span class="rn-year__count">2</span>' in venues


def test_nav_shows_sections_not_papers(site):
    build = site({"osdi/2022/reef.md": REEF}, docs={"about.md": "# About us\n"})
    assert build.returncode == 0, build.log
    home = build.html("")
    nav = home[home.index('class="md-nav md-nav--primary"') :]
    for title in ["Home", "Venues", "Tags", "About us"]:
        assert title in nav
    assert "Microsecond-scale" not in nav
    assert nav.index("Venues") < nav.index("Tags") < nav.index("About us")


def test_hand_written_page_sits_above_generated_one(site):
    intro = "---\ntitle: OSDI 2022 in Carlsbad\n---\nThe sixteenth OSDI, with **our** favourite papers.\n"
    build = site({"osdi/2022/reef.md": REEF}, docs={"venues/osdi/2022/index.md": intro})
    assert build.returncode == 0, build.log
    page = build.html("venues/osdi/2022")
    assert "<title>OSDI 2022 in Carlsbad - Fixture notes</title>" in page
    assert page.index("<strong>our</strong> favourite") < page.index("papers/osdi/2022/reef/")
    assert page.count("<h1") == 1


def test_edition_facts_from_site_venues_file(site):
    venues = (
        "editions:\n  OSDI:\n    2022:\n      name: 16th USENIX Symposium on Operating Systems Design and Implementation\n"
        "      homepage: https://www.usenix.org/conference/osdi22\n      location: Carlsbad, CA\n"
    )
    build = site({"osdi/2022/reef.md": REEF, "venues.yml": venues})
    assert build.returncode == 0, build.log
    page = build.html("venues/osdi/2022")
    assert "16th USENIX Symposium on Operating Systems Design and Implementation" in page
    assert 'href="https://www.usenix.org/conference/osdi22"' in page and "Carlsbad, CA" in page


BAD = {
    "osdi/2022/broken.md": "---\ntitle: [unclosed\nvenue: OSDI\n---\n",
    "osdi/2022/venue.md": note("V", venue="OSDII"),
    "osdi/2022/year.md": note("Y", year="'twenty'"),
    "osdi/2022/field.md": note("F", tag="[x]"),
}
BAD_MESSAGES = [
    "papers/osdi/2022/broken.md:3: front-matter: invalid YAML: did not find expected ',' or ']'",
    "papers/osdi/2022/field.md:5: tag: unknown field (did you mean 'tags'?)",
    "papers/osdi/2022/venue.md:3: venue: unknown venue 'OSDII' (did you mean 'OSDI'? add new venues to papers/venues.yml)",
    "papers/osdi/2022/year.md:4: year: must be a whole number such as 2022, not 'twenty'",
]


def test_bad_notes_fail_strict_build_with_every_problem(site):
    build = site({**BAD, "osdi/2022/reef.md": REEF})
    assert build.returncode != 0
    for message in BAD_MESSAGES:
        assert message in build.log
    assert "Traceback" not in build.log


def test_bad_notes_left_out_of_normal_build(site):
    build = site({**BAD, "osdi/2022/reef.md": REEF}, strict=False)
    assert build.returncode == 0, build.log
    assert build.exists("papers/osdi/2022/reef")
    assert not build.exists("papers/osdi/2022/venue")
    assert "reef/" in build.html("venues/osdi/2022") and "field/" not in build.html("venues/osdi/2022")
    assert "Traceback" not in build.log


PAYLOAD = "<img src=x onerror=alert(1)>"


def test_front_matter_text_is_escaped_everywhere(site):
    evil = note(
        PAYLOAD,
        tags="['C++', 'x_y']",
        summary="'<script>alert(2)</script>'",
        authors="['<b onmouseover=alert(3)>Mallory</b>']",
        topic="'{: onclick=alert(4) } <i>t</i>'",
        links="{code: 'https://example.org/\"><script>alert(5)</script>'}",
    )
    build = site({"osdi/2022/evil.md": evil, "osdi/2022/reef.md": REEF})
    assert build.returncode == 0, build.log
    pages = list((build.root / "site").rglob("*.html"))
    assert len(pages) > 8
    for path in pages:
        text = path.read_text(encoding="utf-8")
        for raw in ["<img src=x", "<script>alert", "<b onmouseover", 'onclick=alert(4)"', "<i>t</i>", '"><script>']:
            assert raw not in text, (path, raw)
    paper = build.html("papers/osdi/2022/evil")
    assert "&lt;img src=x onerror=alert(1)&gt;" in paper
    assert "<title>&lt;img src=x onerror=alert(1)&gt; - Fixture notes</title>" in paper
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in paper
    edition = build.html("venues/osdi/2022")
    assert "&#123;&#58; onclick&#61;alert&#40;4&#41; &#125; &lt;i&gt;t&lt;/i&gt;" in edition  # shown as text


def test_unsafe_links_are_problems(site):
    links = "\n  paper: 'JaVaScRiPt:alert(1)'\n  code: \"java\\tscript:alert(1)\"\n  video: '//evil.example/x'"
    build = site({"osdi/2022/x.md": note("X", links=links)})
    assert build.returncode != 0
    assert (
        "papers/osdi/2022/x.md:6: links.paper: 'JaVaScRiPt:alert(1)' is not an http(s) URL (write the full address, https://…)" in build.log
    )
    assert "papers/osdi/2022/x.md:7: links.code: 'java\\tscript:alert(1)' is not an http(s) URL" in build.log
    assert "papers/osdi/2022/x.md:8: links.video: '//evil.example/x' is not an http(s) URL" in build.log


def test_long_listings_are_compact(site):
    notes = {
        f"osdi/{2000 + i % 20}/p{i}.md": note(f"Paper {i}", year=2000 + i % 20, tags="[big]", summary="'Summary text.'", topic=f"T{i % 7}")
        for i in range(70)
    }
    notes["osdi/2022/solo.md"] = note("Solo", tags="[small]", summary="'Solo summary.'")
    build = site(notes)
    assert build.returncode == 0, build.log
    big = build.html("tags/big")
    assert "rn-papers--compact" in big and "Summary text." not in big and big.count('class="rn-paper__title"') == 70
    small = build.html("tags/small")
    assert "rn-papers--compact" not in small and "Solo summary." in small
    assert "Summary text." not in build.html("venues/osdi")  # a venue page is an overview
    edition = build.html("venues/osdi/2001")  # 4 papers: full items, although the venue is long
    assert "rn-papers--compact" not in edition and "Summary text." in edition


def _build_with_shipped_config(tmp_path, env_extra: dict[str, str]):
    """The repository's own mkdocs.yml (site_url and edit_uri from the environment) on a one-note site."""
    import os
    import subprocess
    import sys

    from conftest import ROOT, write_site

    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    write_site(tmp_path, {"osdi/2022/a.md": note("A", tags="[x]", added="2024-01-01", body="## Notes\n\nText.\n")},
               docs={"about.md": "# About\n"}, mkdocs_yml=config)  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "EDIT_URI")}
    env.update(NO_MKDOCS_2_WARNING="1", **env_extra)
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(tmp_path / "mkdocs.yml")],
                          cwd=tmp_path, capture_output=True, text=True, env=env, timeout=600)  # fmt: skip
    return proc


def test_shipped_config_builds_strict_with_no_site_url(tmp_path):
    """A fork builds as it is: no address of someone else's site, no warning, relative feed links."""
    from conftest import ROOT

    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "example.github.io" not in config and "github.com/example" not in config
    proc = _build_with_shipped_config(tmp_path, {})
    assert proc.returncode == 0, proc.stderr
    assert "WARNING" not in proc.stderr
    site = tmp_path / "site"
    assert 'href="feed.xml"' in (site / "feed.xml").read_text(encoding="utf-8")
    assert "<loc>" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert 'rel="canonical"' not in (site / "index.html").read_text(encoding="utf-8")
    assert 'title="Edit this page"' not in (site / "papers/osdi/2022/a/index.html").read_text(encoding="utf-8")


def test_shipped_config_takes_the_address_and_edit_links_from_the_environment(tmp_path):
    """What the deploy workflow passes (configure-pages' base_url has no trailing slash)."""
    proc = _build_with_shipped_config(tmp_path, {"SITE_URL": "https://me.github.io/fork",
                                                 "EDIT_URI": "https://github.com/me/fork/edit/main/docs/"})  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    site = tmp_path / "site"
    assert '<link rel="canonical" href="https://me.github.io/fork/">' in (site / "index.html").read_text(encoding="utf-8")
    assert 'href="https://me.github.io/fork/feed.xml"' in (site / "feed.xml").read_text(encoding="utf-8")
    paper = (site / "papers/osdi/2022/a/index.html").read_text(encoding="utf-8")
    assert '<a href="https://github.com/me/fork/edit/main/papers/osdi/2022/a.md" title="Edit this page"' in paper
    about = (site / "about/index.html").read_text(encoding="utf-8")
    assert '<a href="https://github.com/me/fork/edit/main/docs/about.md" title="Edit this page"' in about
