"""Real Chromium against hostile and clean sites: no script runs that the site did not ship, and the
Content-Security-Policy blocks what gets through and breaks nothing.

The "evil" fixture site holds payloads in every field and in note bodies; every page is visited
plainly and with payloads in ``?tag=``, ``?q=`` and ``#``. A page fails on any dialog, ``on*``
attribute, ``javascript:`` URL or CSP violation (collected by a ``securitypolicyviolation`` listener
installed before any page script runs).
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
import time
import urllib.parse

import pytest
from browser import chrome, dialogs, external_requests, require_browser, serve, site_search
from conftest import ENGINES, MKDOCS_YML, ROOT, note, run_engine, write_site

CSP_TRAP = (
    "window.__csp = [];"
    "document.addEventListener('securitypolicyviolation', (e) => {"
    "  window.__csp.push(e.effectiveDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || ''));"
    "});"
)
# every element's on* attributes and javascript: URLs, as the live DOM has them
DOM_AUDIT = """
const bad = [];
for (const el of document.querySelectorAll('*')) {
  for (const attr of el.attributes) {
    const value = attr.value.replace(/[\\u0000-\\u0020]/g, '').toLowerCase();
    if (attr.name.startsWith('on')) bad.push(el.tagName + ' ' + attr.name);
    else if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data'].includes(attr.name) && value.startsWith('javascript:'))
      bad.push(el.tagName + ' ' + attr.name + '=' + attr.value);
  }
}
return bad;
"""
PAYLOAD = '"><img src=x onerror=alert(1)><script>alert(2)</script>javascript:alert(3)'
EVIL_TEXT = "<img src=x onerror=alert(1)><script>alert(2)</script>"
EVIL_BODY = """\
## Problem <script>alert(10)</script>

<img src=x onerror=alert(11)> [click](javascript:alert(12)) <a href="JaVaScRiPt:alert(13)">mixed</a>
<a href="java&#x09;script:alert(14)">tab</a> <iframe src="javascript:alert(15)"></iframe>
<svg onload=alert(16)></svg> <form action="javascript:alert(17)"><button>go</button></form>
<img src="https://evil.example/track.png"> <div style="position:fixed;inset:0;background:red" onclick=alert(18)>x</div>
<details open ontoggle=alert(19)><summary>s</summary></details>
<a href="#" id="__config">config</a> <object data="javascript:alert(20)"></object>
<base href="https://evil.example/"> <meta http-equiv="refresh" content="0;url=javascript:alert(21)">

## __search

| a | b |
|:--|--:|
| <span onmouseover=alert(22)>x</span> | 2 |

```html
<script>alert("shown as code")</script>
```

## URLs a browser reads differently

<img src="/&#9;/evil.example/tab.png"> <img src="/&#10;/evil.example/newline.png"> <img src="/&#13;/evil.example/cr.png">
<img src="\\/evil.example/backslash1.png"> <img src="/\\evil.example/backslash2.png"> <img src=" //evil.example/space.png">
<img src="&#1;//evil.example/control.png"> <img src="ht&#9;tps://evil.example/scheme-tab.png"> <img src="HTTPS://evil.example/upper.png">
<img src="https:\\\\evil.example/backslash3.png"> <img src="///evil.example/three.png"> <img src="da&#9;ta:image/svg+xml,&lt;svg onload=alert(24)&gt;">
![md](/&#9;/evil.example/markdown.png) <a href="d&#9;ata:text/html,&lt;script&gt;alert(25)&lt;/script&gt;">data</a>
<a href="java&#10;script:alert(26)">newline</a> <a href=" &#1;javascript:alert(27)">control</a>
"""
# a diagram (drawn in the browser by Mermaid, shown as a data: SVG image): markup in labels, click
# callbacks and javascript: links; its class and node styles become a style sheet and style attributes
EVIL_DIAGRAM = """\
## Design

```mermaid
flowchart LR
    A["<img src=x onerror=alert(40)>"] --> B["<script>alert(41)</script>"]
    B --> C["<a href='javascript:alert(42)'>link</a>"]
    C --> D["</text><foreignObject><iframe src=javascript:alert(43)></iframe></foreignObject>"]
    click A call alert(44)
    click B "javascript:alert(45)"
    click C href "javascript:alert(46)"
    classDef far fill:#f00,stroke-width:4px
    class D far
    style A fill:#f9f,stroke:#333
```
"""
# raw HTML in a hand-written page is not sanitized; the CSP hashes only the theme's inline scripts
INJECTED_PAGE = "# Injected\n\n<script>alert(30)</script>\n\nText.\n"
EVIL_NOTES = {
    "osdi/2022/evil.md": note(
        EVIL_TEXT.replace('"', "'"),
        summary=f"'{EVIL_TEXT}'",
        authors=f"['{EVIL_TEXT}']",
        topic="'{: onclick=alert(4) }'",
        tags="['C++', 'C#', 'x_y', '算子融合']",
        links="{code: 'https://example.org/\"><script>alert(5)</script>'}",
        body=EVIL_BODY,
    ),
    "osdi/2022/plain.md": note("A plain paper", tags="[x_y]", body="## Notes\n\nNothing to see.\n"),
    "osdi/2022/diagram.md": note("A diagram", tags="[x_y]", body=EVIL_DIAGRAM),
    "arxiv/2023/pathological.md": note("Refused", venue="arXiv", year=2023, body="[a(" * 27000),
    "venues.yml": f"editions:\n  OSDI:\n    2022: {{location: '{EVIL_TEXT}'}}\n",
}
INSTANT_YML = (
    MKDOCS_YML.replace("theme:\n  name: material\n", "theme:\n  name: material\n  features:\n    - navigation.instant\n")
    + """\
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_div_format
"""
)


def visit(driver, url: str) -> list[str]:
    """Load a page, let its scripts run, and return everything wrong with it."""
    driver.get(url)
    time.sleep(0.3)
    found = [f"dialog {d}" for d in dialogs(driver)]
    found += [f"csp {v}" for v in driver.execute_script("return window.__csp || []")]
    found += [f"dom {a}" for a in driver.execute_script(DOM_AUDIT)]
    return found


@pytest.fixture(scope="module", params=ENGINES)
def evil_site(tmp_path_factory, request):
    """The evil site, built once per engine (every test on it runs against both outputs)."""
    require_browser()
    root = tmp_path_factory.mktemp("evil-" + request.param)
    (root / "site").mkdir()
    with serve(root / "site") as base:
        write_site(
            root, EVIL_NOTES, docs={"injected.md": INJECTED_PAGE}, mkdocs_yml=INSTANT_YML.replace("https://example.org/notes/", base)
        )
        build = run_engine(root, request.param)
        assert build.returncode == 0, build.log
        assert "papers/arxiv/2023/pathological.md:6: body: is 79 KiB" in build.log
        yield root / "site", base


def test_evil_site_runs_no_script_in_chromium(evil_site):
    site, base = evil_site
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if "injected" not in p.parts)
    assert len(pages) >= 10 and "papers/osdi/2022/evil/index.html" in pages
    query = "?" + urllib.parse.urlencode({"tag": PAYLOAD, "q": PAYLOAD}) + "#" + urllib.parse.quote(PAYLOAD, safe="")
    problems = {}
    with chrome() as driver:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_TRAP})
        for page in pages:
            url = base + (page[: -len("index.html")] if page.endswith("index.html") else page)
            for variant in (url, url + query, url + "#" + PAYLOAD):
                if found := visit(driver, variant):
                    problems[variant] = found
        assert external_requests(driver) == []
        driver.get(base + "papers/osdi/2022/evil/")
        heading = driver.find_element("css selector", "h1").text
        assert EVIL_TEXT.replace('"', "'") in heading  # shown as text
        assert driver.find_element("css selector", "article h2").text.startswith("Problem")
        assert driver.execute_script("return document.getElementById('__config').tagName") == "SCRIPT"  # not clobbered
        assert driver.find_elements("css selector", "article iframe, article svg, article form, article object") == []
    assert problems == {}


def test_a_hostile_diagram_is_an_image_that_runs_nothing(evil_site):
    _, base = evil_site
    with chrome() as driver:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_TRAP})
        driver.get(base + "papers/osdi/2022/diagram/")
        for _ in range(150):  # the library is 5.7 MB: wait until it has drawn
            if driver.execute_script("return !!document.querySelector('div.mermaid > img')"):
                break
            time.sleep(0.1)
        time.sleep(0.5)
        image = driver.execute_script(
            "const i = document.querySelector('div.mermaid > img');"
            "return i && [i.naturalWidth, i.naturalHeight, i.alt, i.getAttribute('src')]"
        )
        assert image and image[0] > 100 and image[1] > 20, image  # drawn
        assert "link" in image[2], image[2]
        svg = urllib.parse.unquote(image[3])
        assert "onerror" not in svg and "<script" not in svg and "javascript:" not in svg and "<iframe" not in svg
        assert re.search(r'style="[^"]*(?:#f9f|rgb\(255, 153, 255\))', svg), svg  # node A's style, kept in the image
        driver.find_element("css selector", "div.mermaid > img").click()
        time.sleep(0.3)
        assert dialogs(driver) == []
        assert driver.execute_script(DOM_AUDIT) == []
        assert driver.find_elements("css selector", "article svg, article iframe, article script, div.mermaid a") == []
        assert driver.execute_script("return window.__csp") == []
        assert [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"] == []
        assert external_requests(driver) == []


def test_an_inline_script_on_a_hand_written_page_does_not_run(evil_site):
    site, base = evil_site
    assert "<script>alert(30)</script>" in (site / "injected" / "index.html").read_text(encoding="utf-8")
    with chrome() as driver:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_TRAP})
        found = visit(driver, base + "injected/")
    assert [f for f in found if not f.startswith("csp script-src-elem inline")] == []  # blocked, and nothing else wrong
    assert any(f.startswith("csp script-src-elem inline") for f in found), found


CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>')


def test_no_request_leaves_the_site_even_without_the_csp(evil_site, tmp_path):
    """`mkdocs serve` sends no policy: the sanitizer alone must keep every image on the site."""
    site, _ = evil_site
    bare = tmp_path / "site"
    shutil.copytree(site, bare)
    pages = sorted(p.relative_to(bare).as_posix() for p in bare.rglob("*.html") if "injected" not in p.parts)
    for page in pages:
        path = bare / page
        text, removed = CSP_META.subn("", path.read_text(encoding="utf-8"))
        assert removed == 1, page
        path.write_text(text, encoding="utf-8")
    with serve(bare) as base, chrome() as driver:
        problems: dict[str, list[str]] = {}
        for page in pages:
            url = base + (page[: -len("index.html")] if page.endswith("index.html") else page)
            driver.get(url)
            time.sleep(0.3)
            if found := [f"dialog {d}" for d in dialogs(driver)] + [f"dom {a}" for a in driver.execute_script(DOM_AUDIT)]:
                problems[url] = found
        requests = external_requests(driver)
        driver.get(base + "papers/osdi/2022/evil/")
        images = driver.execute_script("return [...document.querySelectorAll('article img')].map(i => i.src)")
    assert requests == [] and problems == {}
    assert images and not [src for src in images if src and not src.startswith((base, "data:"))]  # "evil.example" only in paths


@pytest.fixture(scope="module")
def shipped_site(tmp_path_factory):
    """The shipped notes, built for the address they are served at (instant navigation needs it)."""
    require_browser()
    root = tmp_path_factory.mktemp("shipped")
    out = root / "site"
    out.mkdir()
    with serve(out) as base:
        config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
        config = config.replace("papers_dir: papers", f"papers_dir: {ROOT / 'papers'}") + f"\ndocs_dir: {ROOT / 'docs'}\n"
        (root / "mkdocs.yml").write_text(config, encoding="utf-8")
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": base}  # mkdocs.yml reads site_url from it
        proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml"), "-d", str(out)],
                              cwd=root, capture_output=True, text=True, env=env)  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        yield out, base


def test_clean_site_has_no_csp_violation_and_everything_works(shipped_site):
    _site, base = shipped_site
    with chrome() as driver:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_TRAP})
        for url in [
            "",
            "venues/",
            "venues/osdi/2022/",
            "tags/",
            "tags/gpu-sharing/",
            "papers/osdi/2022/reef/",
            "explore/",
            "explore/?tag=GPU_sharing",
            "paths/",
            "paths/must-read/",
            "about/",
            "404.html",
        ]:
            assert visit(driver, base + url) == [], url

        # search (Pagefind: WebAssembly in the page, no worker, under the CSP) finds a paper
        driver.get(base + "papers/osdi/2022/reef/")
        found = site_search(driver, "preemption")
        assert any(href.endswith("/papers/osdi/2022/reef/") for _, href in found), found

        # instant navigation between pages of different depths, into a page with a style attribute
        driver.get(base + "papers/osdi/2022/reef/")
        driver.execute_script("document.querySelector('a.rn-venue-chip').click()")
        wait_for(driver, lambda: driver.current_url == base + "venues/osdi/2022/")
        driver.execute_script("document.querySelector('a.md-logo').click()")
        wait_for(driver, lambda: driver.current_url == base)
        assert driver.execute_script("return document.querySelector('meta[http-equiv]') !== null")

        # the explorer shows papers; a reading path counts ticks
        driver.get(base + "explore/?tag=GPU_sharing")
        wait_for(driver, lambda: driver.find_elements("css selector", ".rn-explore[data-results]"))
        driver.get(base + "paths/must-read/")
        before = driver.find_element("css selector", ".rn-path-progress__visitor-text").text
        driver.find_elements("css selector", "input.rn-path-tick__box")[0].click()
        assert driver.find_element("css selector", ".rn-path-progress__visitor-text").text != before
        assert driver.execute_script("return window.__csp") == []
        assert dialogs(driver) == []
        assert external_requests(driver) == []


def test_csp_blocks_injected_script_handler_and_third_party_request(shipped_site):
    _, base = shipped_site
    with chrome() as driver:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_TRAP})
        driver.get(base + "papers/osdi/2022/reef/")
        driver.execute_script(
            "const s = document.createElement('script'); s.textContent = 'window.__ran = 1'; document.body.appendChild(s);"
            "const b = document.createElement('button'); b.setAttribute('onclick', 'window.__clicked = 1'); document.body.appendChild(b); b.click();"
            "const i = document.createElement('img'); i.src = 'https://evil.example/x.png'; document.body.appendChild(i);"
        )
        time.sleep(0.5)
        assert driver.execute_script("return [window.__ran, window.__clicked]") == [None, None]
        directives = [v.split(" ")[0] for v in driver.execute_script("return window.__csp")]
        assert sorted(directives) == ["img-src", "script-src-attr", "script-src-elem"]
        policy = driver.find_element("css selector", "head > meta:first-child").get_attribute("content")
        assert policy.startswith("default-src 'none'; script-src 'self' 'wasm-unsafe-eval' 'sha256-")
        assert "'unsafe-eval'" not in policy  # WebAssembly for the search, and no eval() of JavaScript:
        driver.execute_script("setTimeout('window.__evaled = 1', 0)")  # a string timer: eval, outside the test's own call
        time.sleep(0.3)
        assert driver.execute_script("return window.__evaled") is None


def wait_for(driver, condition, timeout: float = 10) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out at {driver.current_url}")


# pieces of URLs that browsers read differently from how they look (no '"', '<', '>': they stay in the attribute)
URL_PIECES = ["/", "/", "//", "\\", "\t", "\n", "\r", " ", "\x01", "\x1f", "&#9;", "&#10;", "&#13;", "&#x5C;", "&#47;", "&#0;",
              "evil.example", "h", "t", "p", "s", ":", "HTTP", "https:", "hTTps:", "data:", "DaTa:", "image/png,", "image/svg+xml,",
              ";base64,", "javascript:", "java", "script", ".", "x.png", "%2F", "?", "#", "@", "\u00a0", "\uff0f"]  # fmt: skip
RESOLVE = """
const doc = new DOMParser().parseFromString(arguments[0], 'text/html');  // inert: nothing loads
const read = (el, attr) => { try { return new URL(el.getAttribute(attr), document.baseURI).href } catch (e) { return null } };
return {img: [...doc.querySelectorAll('img[src]')].map(el => read(el, 'src')),
        a: [...doc.querySelectorAll('a[href]')].map(el => read(el, 'href'))};
"""


def test_every_url_the_sanitizer_keeps_stays_on_the_site_as_chromium_reads_it(tmp_path):
    """Random mixes of tricky URL pieces: Chromium's own URL parser is the oracle for what is kept."""
    from generator.sanitize import sanitize_html

    rng = random.Random(20)
    urls = sorted({"".join(rng.choices(URL_PIECES, k=rng.randint(1, 7))) for _ in range(3000)})
    clean = sanitize_html("".join(f'<p><img src="{u}"><a href="{u}">x</a></p>' for u in urls)).html
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "index.html").write_text("<!doctype html><title>t</title><p>x</p>", encoding="utf-8")
    with serve(tmp_path) as base, chrome() as driver:
        driver.get(base + "a/b/")
        kept = driver.execute_script(RESOLVE, clean)
        assert external_requests(driver) == []
    origin = base.rstrip("/")
    images = [u for u in kept["img"] if u is not None]
    assert len(urls) > 2000 and 100 < len(images) < len(urls)  # some kept, many removed
    assert [u for u in images if not (u.startswith((origin + "/", "data:image/")))] == []
    assert [u for u in kept["a"] if u is not None and not u.startswith(("http:", "https:", "mailto:"))] == []
