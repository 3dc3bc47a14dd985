"""The home-page chart in real headless Chromium: drawn without script, coloured by the palette."""

from __future__ import annotations

import pytest

from browser import chrome, dialogs, external_requests, serve
from conftest import MKDOCS_YML, note, run_mkdocs, write_site

# light and dark schemes, chosen by the browser's preference (as in the shipped mkdocs.yml)
PALETTE = """  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
"""

NOTES = {
    "osdi/2022/a.md": note("A", tags="[x]", added="2024-01-01"),
    "osdi/2023/b.md": note("B", year=2023, tags="[x, y]", added="2024-02-01"),
    "arxiv/2023/c.md": note("C", venue="arXiv", year=2023, tags="[y]", added="2024-03-01"),
}


@pytest.fixture(scope="module")
def dashboard_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("dash-browser")
    yml = MKDOCS_YML.replace("  font: false\n", "  font: false\n" + PALETTE)
    write_site(root, NOTES, docs={"index.md": "# Home\n\n<!-- reading-notes:dashboard -->\n"}, mkdocs_yml=yml)
    build = run_mkdocs(root, "--strict")
    assert build.returncode == 0, build.log
    return root / "site"


def _bars(driver) -> list[dict]:
    return driver.execute_script(
        "return [...document.querySelectorAll('svg.rn-dash-chart__svg rect')].map(r => {"
        "  const box = r.getBoundingClientRect();"
        "  return {kind: r.dataset.kind, count: +r.dataset.count, w: box.width, h: box.height, fill: getComputedStyle(r).fill};"
        "})"
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_chart_is_drawn_and_follows_the_colour_scheme(dashboard_site, width):
    fills = {}
    for dark in (False, True):
        with serve(dashboard_site) as base, chrome(width=width, dark=dark) as driver:
            driver.get(base)
            bars = _bars(driver)
            assert sorted((b["kind"], b["count"]) for b in bars) == [("conference", 1), ("conference", 1), ("preprint", 1)]
            for bar in bars:
                assert bar["w"] > 4 and bar["h"] > 4, bar  # visible, at every width
            # an equal count gives an equal height
            assert len({round(b["h"]) for b in bars}) == 1
            fills[dark] = {b["kind"]: b["fill"] for b in bars}
            assert fills[dark]["conference"] != fills[dark]["preprint"]
            assert "rgb(0, 0, 0)" not in fills[dark].values()  # coloured by the stylesheet, not the fallback
            scheme = driver.execute_script("return document.body.getAttribute('data-md-color-scheme')")
            assert scheme == ("slate" if dark else "default")
            labels = driver.execute_script(
                "return [...document.querySelectorAll('.rn-dash-chart__year')]"
                ".filter(t => getComputedStyle(t).display !== 'none').map(t => t.textContent)"
            )
            assert labels[-1] == "2023"
            assert dialogs(driver) == [] and external_requests(driver) == []
    assert fills[False]["conference"] != fills[True]["conference"]  # the dark palette has its own colours
