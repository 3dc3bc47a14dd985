"""The lineage drawing in real headless Chromium: visible and readable in light and dark mode and at
390 px, its nodes are links to the papers' pages, and the page breaks no rule of its CSP.

Set RN_SCREENSHOTS=/some/folder to keep a screenshot of each case (to look at, not compared)."""

from __future__ import annotations

import os

import pytest
from browser import chrome, dialogs, external_requests, serve
from conftest import MKDOCS_YML, run_mkdocs, write_site
from test_relations import LINEAGE_NOTES

PALETTE = """  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
"""
CSP_TRAP = (
    "window.__csp = [];"
    "document.addEventListener('securitypolicyviolation', (e) => {"
    "  window.__csp.push(e.effectiveDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || ''));"
    "});"
)
NODES = """
const svg = document.querySelector('svg.rn-lineage__svg');
const frame = svg.getBoundingClientRect();
return {
  frame: {w: frame.width, h: frame.height, left: frame.left, right: frame.right},
  scroll: svg.parentElement.scrollWidth > svg.parentElement.clientWidth,
  page: document.documentElement.scrollWidth, view: window.innerWidth,
  nodes: [...svg.querySelectorAll('a.rn-lineage__node')].map(a => {
    const r = a.querySelector('rect').getBoundingClientRect();
    const t = a.querySelector('text').getBoundingClientRect();
    return {id: a.dataset.rnId, href: a.getAttribute('xlink:href'), w: r.width, h: r.height, left: r.left, right: r.right,
            textW: t.width, textH: t.height, fill: getComputedStyle(a.querySelector('rect')).fill,
            stroke: getComputedStyle(a.querySelector('rect')).stroke, ink: getComputedStyle(a.querySelector('text')).fill};
  }),
  edges: [...svg.querySelectorAll('path.rn-lineage__edge')].map(p => ({stroke: getComputedStyle(p).stroke, dash: getComputedStyle(p).strokeDasharray})),
};
"""


@pytest.fixture(scope="module")
def lineage_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("lineage-browser")
    write_site(root, LINEAGE_NOTES, mkdocs_yml=MKDOCS_YML.replace("  font: false\n", "  font: false\n" + PALETTE))
    build = run_mkdocs(root, "--strict")
    assert build.returncode == 0, build.log
    return root / "site"


def phone(driver, width: int) -> None:
    """A headless window is at least 500 px wide: a narrower width is emulated as a phone's viewport."""
    if width < 500:
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride", {"width": width, "height": 844, "deviceScaleFactor": 1, "mobile": True}
        )


def _shot(driver, name: str) -> None:
    folder = os.environ.get("RN_SCREENSHOTS")
    if folder:
        driver.execute_script("document.querySelector('.rn-lineage').scrollIntoView()")
        driver.save_screenshot(os.path.join(folder, f"{name}.png"))


@pytest.mark.parametrize("width", [1280, 390])
def test_lineage_is_drawn_readable_and_linked_in_both_schemes(lineage_site, width):
    fills = {}
    for dark in (False, True):
        with serve(lineage_site) as base, chrome(width=width, dark=dark) as driver:
            driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_TRAP})
            phone(driver, width)
            driver.get(base + "papers/sosp/2023/vllm/")
            found = driver.execute_script(NODES)
            assert [n["id"] for n in found["nodes"]] == ["base", "ft", "orca", "vllm", "later", "latest"]
            for node in found["nodes"]:
                assert node["w"] > 60 and node["h"] > 16, node  # boxes stay big enough to read and tap
                assert node["textH"] >= 9, node  # label text at least ~9 px high
                assert node["ink"] not in ("rgb(0, 0, 0)", node["fill"]), node  # styled, and not the box colour
            assert found["page"] <= found["view"] == width  # the page never scrolls sideways: the drawing scrolls in its box
            assert found["scroll"] == (width == 390)  # five columns: scrolled sideways on a phone, not squeezed
            assert {e["dash"] for e in found["edges"]} == {"none", "5px, 3px"}  # builds on: solid; compares with: dashed
            fills[dark] = found["nodes"][0]["fill"]
            assert found["nodes"][1]["stroke"] != found["nodes"][0]["stroke"]  # preprint and conference differ
            scheme = driver.execute_script("return document.body.getAttribute('data-md-color-scheme')")
            assert scheme == ("slate" if dark else "default")
            _shot(driver, f"h6-lineage-{width}-{'dark' if dark else 'light'}")
            assert driver.execute_script("return window.__csp") == []
            assert dialogs(driver) == [] and external_requests(driver) == []
            # a node is a link to its paper's page
            driver.execute_script("document.querySelector('a.rn-lineage__node[data-rn-id=\"orca\"]').scrollIntoView()")
            driver.find_element("css selector", 'a.rn-lineage__node[data-rn-id="orca"]').click()
            assert driver.current_url == base + "papers/osdi/2022/orca/"
    assert fills[False] != fills[True]  # the boxes take the page background of each scheme


def test_a_lineage_page_logs_no_error_with_instant_navigation(tmp_path):
    """The theme's instant navigation re-assigns the href of every [href] element of a page it loads; an SVG
    link's href is read-only, so a node written with href threw "Cannot set property href of SVGAElement"."""
    from conftest import ROOT

    shipped = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")  # navigation.instant on, as shipped
    write_site(tmp_path, LINEAGE_NOTES, mkdocs_yml=shipped)
    build = run_mkdocs(tmp_path, "--strict")
    assert build.returncode == 0, build.log
    with serve(tmp_path / "site") as base, chrome() as driver:
        driver.get(base + "papers/sosp/2023/vllm/")
        assert driver.execute_script("return document.querySelectorAll('svg.rn-lineage__svg a').length") == 6
        errors = [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
        assert errors == []
