"""Chromium draws a note's Mermaid diagram from the shipped library (loaded only on that page) and
its MathML formulas, with no CSP violation, and a hostile diagram runs nothing."""

from __future__ import annotations

import contextlib
import time

import pytest
from browser import chrome, dialogs, external_requests, requested_urls, require_browser, serve
from conftest import MKDOCS_YML, note, run_mkdocs, write_site
from test_browser_security import CSP_TRAP, DOM_AUDIT

DIAGRAM_YML = MKDOCS_YML.replace("theme:\n  name: material\n", "theme:\n  name: material\n  features: [navigation.instant]\n") + """\
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_div_format
  - generator.render.mathml
"""
FLOW = """\
## Design

Per GPU: $\\frac{(2+2+K)\\Psi}{N_d}$.

```mermaid
flowchart LR
    Pool[Request pool] --> Sched[Scheduler]
    Sched --> Engine[One iteration]
    Engine --> Pool
```
"""
HOSTILE = """\
## Design

```mermaid
flowchart LR
    A["<img src=x onerror=alert(1)>"] --> B["<script>alert(2)</script>"]
    B --> C["link"]
    click A call alert(3)
    click B "javascript:alert(4)"
    click C href "javascript:alert(5)"
```
"""


@pytest.fixture(scope="module")
def diagram_site(tmp_path_factory):
    require_browser()
    root = tmp_path_factory.mktemp("diagrams")
    notes = {"osdi/2022/flow.md": note("Flow", body=FLOW), "osdi/2022/evil.md": note("Evil", body=HOSTILE),
             "osdi/2022/plain.md": note("Plain", body="## Problem\n\nNo diagram here.\n")}  # fmt: skip
    (root / "site").mkdir()
    with serve(root / "site") as base:  # site_url is the server's: instant navigation works only within it
        write_site(root, notes, mkdocs_yml=DIAGRAM_YML.replace("https://example.org/notes/", base))
        build = run_mkdocs(root, "--strict")
        assert build.returncode == 0, build.log
        yield base


def open_page(driver, url: str) -> None:
    driver.get(url)
    for _ in range(100):  # the library is 5.7 MB: wait until it has drawn (or given up)
        if driver.execute_script("return !document.querySelector('div.mermaid:not([data-processed])')"):
            break
        time.sleep(0.1)
    time.sleep(0.3)


def test_diagram_and_formula_render_with_no_csp_violation(diagram_site):
    with chrome() as driver:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_TRAP})
        open_page(driver, diagram_site + "papers/osdi/2022/flow/")
        labels = driver.execute_script("return [...document.querySelectorAll('div.mermaid svg text')].map(t => t.textContent.trim())")
        assert {"Request pool", "Scheduler", "One iteration"} <= set(labels), labels
        assert driver.execute_script("return document.querySelectorAll('div.mermaid svg .node').length") == 3
        assert driver.execute_script("return document.querySelectorAll('div.mermaid foreignObject').length") == 0  # htmlLabels off
        frac = driver.execute_script("const f = document.querySelector('math mfrac'); return f && f.getBoundingClientRect().height")
        assert frac and frac > 20  # drawn as a fraction (two rows), not as raw TeX
        assert driver.execute_script("return window.__csp") == []
        assert any(u.endswith("/vendor/mermaid.min.js") for u in requested_urls(driver))
        assert external_requests(driver) == []


def test_library_is_loaded_only_on_pages_with_a_diagram(diagram_site):
    with chrome() as driver:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_TRAP})
        requested_urls(driver)
        open_page(driver, diagram_site + "papers/osdi/2022/plain/")
        assert not any("mermaid.min.js" in u for u in requested_urls(driver))
        assert driver.execute_script("return typeof window.mermaid") == "undefined"
        assert driver.execute_script("return window.__csp") == []


def test_hostile_diagram_runs_nothing(diagram_site):
    with chrome() as driver:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_TRAP})
        open_page(driver, diagram_site + "papers/osdi/2022/evil/")
        assert driver.execute_script("return document.querySelectorAll('div.mermaid svg .node').length") == 3  # drawn
        for node in driver.find_elements("css selector", "div.mermaid svg .node"):
            with contextlib.suppress(Exception):  # a node under another one: the click is what matters, not which
                node.click()
        time.sleep(0.5)
        assert dialogs(driver) == []
        assert driver.execute_script(DOM_AUDIT) == []
        assert driver.execute_script("return document.querySelectorAll('div.mermaid img, div.mermaid script').length") == 0
        # Mermaid (strict) still puts the label's <img onerror> into the live DOM for a moment while it
        # measures text; the page's policy refuses the handler, so the one violation is that refusal
        assert set(driver.execute_script("return window.__csp")) <= {"script-src-attr inline "}


def test_instant_navigation_to_a_diagram_page_draws_it(diagram_site):
    with chrome() as driver:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_TRAP})
        open_page(driver, diagram_site + "papers/osdi/2022/plain/")
        assert "'unsafe-inline'" not in driver.execute_script(
            "return document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]').content")
        driver.execute_script("window.__same_document = true;"  # gone once the page is loaded afresh
                              "const a = document.createElement('a'); a.href = '../flow/'; a.textContent = 'go';"
                              "document.querySelector('article').append(a); a.click();")
        for _ in range(150):
            if driver.execute_script("return document.querySelectorAll('div.mermaid svg .node').length") == 3:
                break
            time.sleep(0.1)
        assert driver.current_url.endswith("/papers/osdi/2022/flow/")
        assert driver.execute_script("return window.__same_document") is None  # loaded afresh, with its own policy
        assert driver.execute_script("return document.querySelectorAll('div.mermaid svg .node').length") == 3
        assert driver.execute_script("return window.__csp") == []
