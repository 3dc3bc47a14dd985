"""A tag page shows the tags its papers also carry and the reading paths that read them; the tags
index lists tags on several papers by count and folds the tags used once (no script needed)."""

from __future__ import annotations

import re

from conftest import note


def _chips(html: str, cls: str) -> list[str]:
    block = re.search(rf'<p class="[^"]*{cls}[^"]*">(.*?)</p>', html, re.DOTALL)
    return re.findall(r">#([^<]+)<span>(\d+)</span>", block.group(1)) if block else []


def test_tag_page_shows_related_tags_and_paths(site):
    notes = {
        "osdi/2022/a.md": note("A", tags="[serving, batching, gpu]"),
        "osdi/2022/b.md": note("B", tags="[serving, batching]"),
        "osdi/2022/c.md": note("C", tags="[serving, '<b>x']".replace("<b>", "b")),
        "osdi/2022/d.md": note("D", tags="[other]"),
        "paths/serve.yml": "title: Serving path\nsections:\n  - title: S\n    steps:\n      - a\n      - d\n",
        "paths/other.yml": "title: Other path\nsections:\n  - title: S\n    steps:\n      - d\n",
    }
    build = site(notes)
    assert build.returncode == 0, build.log
    html = build.html("tags/serving")
    assert _chips(html, "rn-tagindex-related") == [("batching", "2"), ("bx", "1"), ("gpu", "1")]
    paths = re.search(r'<p class="rn-tagindex-paths">(.*?)</p>', html, re.DOTALL).group(1)
    assert "Serving path</a> (1 paper)" in paths and "Other path" not in paths
    assert 'paths/serve/"' in paths
    other = re.search(r'<p class="rn-tagindex-paths">(.*?)</p>', build.html("tags/other"), re.DOTALL).group(1)
    assert "Serving path</a> (1 paper)" in other and "Other path</a> (1 paper)" in other


def test_tags_index_orders_by_count_and_folds_singletons(site):
    notes = {
        "osdi/2022/a.md": note("A", tags="[zeta, beta, only]"),
        "osdi/2022/b.md": note("B", tags="[zeta, beta]"),
        "osdi/2022/c.md": note("C", tags="[zeta]"),
    }
    build = site(notes)
    assert build.returncode == 0, build.log
    html = build.html("tags")
    main, folded = html.split('<details class="rn-tagindex-once"', 1)
    assert re.findall(r">#([^<]+)<span>", main) == ["zeta", "beta"]
    assert re.findall(r">#([^<]+)<span>", folded) == ["only"]
    assert "1 tag used on one paper only" in folded
