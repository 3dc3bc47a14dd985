"""Chromium draws a note's Mermaid diagram from the shipped library (loaded only on that page) and
its MathML formulas, with no CSP violation, and a hostile diagram runs nothing."""

from __future__ import annotations

import contextlib
import time
import urllib.parse

import pytest
from browser import chrome, dialogs, external_requests, requested_urls, require_browser, serve
from conftest import note, run_mkdocs, write_site
from test_browser_security import CSP_TRAP, DOM_AUDIT, INSTANT_YML

DIAGRAM_YML = INSTANT_YML + "  - generator.render.mathml\n"  # the evil site's setup (instant navigation, Mermaid fences), and math
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

# long labels, which Mermaid wraps to fit a box of fixed width (Orca's note)
LOOP = """\
## Design

```mermaid
flowchart LR
    Q[Request pool] --> S[Scheduler picks a batch, first come first served]
    S --> E[Engine runs one iteration: one token per request]
    E --> D{Request finished?}
    D -- yes --> R[Return the result at once]
    D -- no --> Q
    R --> S
```
"""
BROKEN = "## Design\n\n```mermaid\nflowchart LR\n    A[Start] --> (((\n```\n"


@pytest.fixture(scope="module")
def diagram_site(tmp_path_factory):
    require_browser()
    root = tmp_path_factory.mktemp("diagrams")
    notes = {"osdi/2022/flow.md": note("Flow", body=FLOW), "osdi/2022/evil.md": note("Evil", body=HOSTILE),
             "osdi/2022/plain.md": note("Plain", body="## Problem\n\nNo diagram here.\n"),
             "osdi/2022/broken.md": note("Broken", body=BROKEN), "osdi/2022/loop.md": note("Loop", body=LOOP)}  # fmt: skip
    (root / "site").mkdir()
    with serve(root / "site") as base:  # site_url is the server's: instant navigation works only within it
        write_site(root, notes, mkdocs_yml=DIAGRAM_YML.replace("https://example.org/notes/", base))
        build = run_mkdocs(root, "--strict")
        assert build.returncode == 0, build.log
        yield base


def open_page(driver, url: str) -> None:
    driver.get(url)
    wait_for_images(driver)


def wait_for_images(driver, count: int = 1) -> None:
    for _ in range(150):  # the library is 5.7 MB: wait until it has drawn (or given up)
        if driver.execute_script("return document.querySelectorAll('div.mermaid > img').length") >= count:
            break
        time.sleep(0.1)
    time.sleep(0.3)


def console_errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def page_policy(driver) -> str:
    return driver.execute_script("return document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]').content")


# the diagram's <img>: decoded, its size on the page, and how many of its pixels are drawn (not transparent)
IMAGE_STATE = """
const done = arguments[arguments.length - 1];
const img = document.querySelector('div.mermaid > img');
if (!img) { done(null); return; }
img.decode().then(() => {
  const canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
  const context = canvas.getContext('2d');
  context.drawImage(img, 0, 0);
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
  let drawn = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) drawn++;
  const box = img.getBoundingClientRect();
  done({decoded: img.complete, natural: [img.naturalWidth, img.naturalHeight], shown: [box.width, box.height],
        drawn: drawn, alt: img.alt, src: img.getAttribute('src'), total: pixels.length / 4});
}, (error) => done({error: String(error)}));
"""


def image_svg(src: str) -> str:
    prefix = "data:image/svg+xml;charset=utf-8,"
    assert src.startswith(prefix), src[:60]
    return urllib.parse.unquote(src[len(prefix) :])


# what mermaid-init.js replaces while one diagram is drawn, and must give back however the draw ends
OVERRIDDEN = ("Node.prototype.insertBefore", "Node.prototype.appendChild", "Element.prototype.setAttribute",
              "DOMParser.prototype.parseFromString")  # fmt: skip
NATIVE = "return {" + ", ".join(f"'{name}': /\\[native code\\]/.test(String({name}))" for name in OVERRIDDEN) + "}"


def test_diagram_is_an_image_and_formula_renders_with_no_csp_violation(diagram_site):
    with chrome() as driver:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_TRAP})
        open_page(driver, diagram_site + "papers/osdi/2022/flow/")
        assert "unsafe-inline" not in page_policy(driver)
        image = driver.execute_async_script(IMAGE_STATE)
        assert image and image["decoded"], image
        assert image["natural"][0] > 200 and image["natural"][1] > 20, image
        assert image["shown"][0] > 200 and image["shown"][1] > 20, image
        assert image["drawn"] > image["total"] // 50, image  # boxes, arrows and text, not an empty frame
        assert all(label in image["alt"] for label in ("Request pool", "Scheduler", "One iteration")), image["alt"]
        svg = image_svg(image["src"])
        assert "<style" in svg, svg[:3000]  # its own stylesheet travels inside the image
        assert all(word in svg for word in ("Request", "pool", "Scheduler", "iteration")), svg  # labels are SVG text
        assert driver.execute_script("return document.querySelectorAll('div.mermaid svg, div.mermaid foreignObject').length") == 0
        assert driver.execute_script("return document.adoptedStyleSheets.length") == 0  # the layout's styles are gone again
        assert driver.execute_script(NATIVE) == dict.fromkeys(OVERRIDDEN, True)  # given back after the draw
        frac = driver.execute_script("const f = document.querySelector('math mfrac'); return f && f.getBoundingClientRect().height")
        assert frac and frac > 20  # drawn as a fraction (two rows), not as raw TeX
        assert driver.execute_script("return window.__csp") == []
        assert console_errors(driver) == []
        assert any(u.endswith("/vendor/mermaid.min.js") for u in requested_urls(driver))
        assert external_requests(driver) == []


def test_wrapped_labels_fit_their_boxes(diagram_site):
    """Mermaid measured the labels in the font the image draws them in: each wrapped label keeps a
    margin inside its box (at 16 px the widest line takes 78% of it; measured at 16 px and drawn
    at 18 px it would take 88%)."""
    with chrome() as driver:
        open_page(driver, diagram_site + "papers/osdi/2022/loop/")
        src = driver.execute_script("return document.querySelector('div.mermaid > img').getAttribute('src')")
        driver.get("about:blank")
        shares = driver.execute_script(
            "const svg = new DOMParser().parseFromString(arguments[0], 'image/svg+xml').documentElement;"
            "document.body.append(svg);"  # about:blank has no policy: the image's own <style> applies, as in the image
            "return [...svg.querySelectorAll('.node')].map(n => n.querySelector('text').getBBox().width"
            " / n.querySelector('rect, polygon').getBBox().width);",
            image_svg(src),
        )
        assert len(shares) == 5 and all(0.2 < share < 0.85 for share in shares), shares


def test_library_is_loaded_only_on_pages_with_a_diagram(diagram_site):
    with chrome() as driver:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_TRAP})
        requested_urls(driver)
        driver.get(diagram_site + "papers/osdi/2022/plain/")
        time.sleep(0.5)
        assert not any("mermaid.min.js" in u for u in requested_urls(driver))
        assert driver.execute_script("return typeof window.mermaid") == "undefined"
        assert driver.execute_script("return window.__csp") == []


def test_hostile_diagram_runs_nothing(diagram_site):
    with chrome() as driver:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_TRAP})
        open_page(driver, diagram_site + "papers/osdi/2022/evil/")
        assert "unsafe-inline" not in page_policy(driver)
        image = driver.execute_async_script(IMAGE_STATE)
        assert image and image["decoded"] and image["drawn"] > 0, image  # drawn
        assert "<img" in image["alt"] and "link" in image["alt"], image["alt"]  # the labels as text, in a property
        svg = image_svg(image["src"])
        assert "onerror" not in svg and "<script" not in svg and "javascript:" not in svg
        from selenium.webdriver.common.action_chains import ActionChains

        img = driver.find_element("css selector", "div.mermaid > img")
        for x, y in ((-0.4, 0), (0, 0), (0.4, 0)):  # where the three nodes are: an image has nothing to click
            with contextlib.suppress(Exception):
                driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", img)
                ActionChains(driver).move_to_element_with_offset(img, int(x * img.size["width"]), y).click().perform()
        time.sleep(0.5)
        assert dialogs(driver) == []
        assert driver.execute_script(DOM_AUDIT) == []
        assert driver.execute_script("return document.querySelectorAll('div.mermaid svg, div.mermaid script, div.mermaid a').length") == 0
        assert driver.execute_script("return window.__csp") == []
        assert console_errors(driver) == []


def test_palette_switch_draws_the_diagram_again_in_the_dark_theme(diagram_site):
    with chrome() as driver:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_TRAP})
        open_page(driver, diagram_site + "papers/osdi/2022/flow/")
        light = driver.execute_script("return document.querySelector('div.mermaid > img').getAttribute('src')")
        driver.execute_script("document.body.setAttribute('data-md-color-scheme', 'slate')")
        for _ in range(100):
            dark = driver.execute_script("return document.querySelector('div.mermaid > img').getAttribute('src')")
            if dark != light:
                break
            time.sleep(0.1)
        assert dark != light
        assert "#333" in image_svg(light) and "#ccc" in image_svg(dark)  # Mermaid's default and dark themes' text colours
        assert driver.execute_script("return document.querySelectorAll('div.mermaid > img').length") == 1
        assert driver.execute_script("return window.__csp") == []


def test_instant_navigation_to_a_diagram_page_draws_it(diagram_site):
    with chrome() as driver:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_TRAP})
        driver.get(diagram_site + "papers/osdi/2022/plain/")
        time.sleep(0.5)
        driver.execute_script(
            "window.__same_document = true;"
            "const a = document.createElement('a'); a.href = '../flow/'; a.textContent = 'go';"
            "document.querySelector('article').append(a); a.click();"
        )
        wait_for_images(driver)
        assert driver.current_url.endswith("/papers/osdi/2022/flow/")
        assert driver.execute_script("return document.querySelectorAll('div.mermaid > img').length") == 1
        assert driver.execute_script("return document.querySelector('div.mermaid > img').naturalWidth") > 200
        assert driver.execute_script("return window.__csp") == []


def test_on_a_phone_the_diagram_keeps_readable_labels_and_scrolls_sideways(diagram_site):
    with chrome(width=500, height=844) as driver:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
        open_page(driver, diagram_site + "papers/osdi/2022/evil/")  # the wider of the two fixture diagrams: 432 px
        shown, natural, page_width, box = driver.execute_script(
            "const i = document.querySelector('div.mermaid > img'), d = i.parentElement;"
            "return [i.getBoundingClientRect().width, i.naturalWidth, document.documentElement.scrollWidth, [d.clientWidth, d.scrollWidth]];"
        )
        assert shown == natural == 432  # not shrunk to the 358 px column
        assert page_width == 390  # the diagram scrolls inside its box; the page does not
        assert box[1] > box[0]


def test_a_diagram_mermaid_cannot_read_stays_as_its_source(diagram_site):
    with chrome() as driver:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_TRAP})
        driver.get(diagram_site + "papers/osdi/2022/broken/")
        for _ in range(100):
            if driver.execute_script("return typeof window.mermaid") == "object":
                break
            time.sleep(0.1)
        time.sleep(1.5)  # time to fail
        assert driver.execute_script("return typeof window.mermaid") == "object"  # it was tried
        assert "A[Start] --> (((" in driver.find_element("css selector", "div.mermaid").text
        assert driver.execute_script("return document.querySelectorAll('div.mermaid img, body > div > svg').length") == 0
        assert driver.execute_script("return document.adoptedStyleSheets.length") == 0  # nothing left behind
        assert driver.execute_script(NATIVE) == dict.fromkeys(OVERRIDDEN, True)  # the failed draw gave them back
        assert driver.execute_script("return window.__csp") == []
