"""What a reader sees in real Chromium: the progress boxes are whole, and walking every page type by
in-site (instant) navigation logs no console error and no Content-Security-Policy violation."""

from __future__ import annotations

import time

import pytest
from browser import chrome, serve
from conftest import ROOT, note, run_mkdocs, write_site

# The shipped configuration (instant navigation, both colour schemes), on a small fixture corpus.
SHIPPED_YML = (
    (ROOT / "mkdocs.yml")
    .read_text(encoding="utf-8")
    .replace('edit_uri: !ENV [EDIT_URI, ""]', "edit_uri: https://github.com/example/notes/edit/main/docs/")
)  # as the deploy workflow sets it
assert "edit_uri: https://github.com/example/" in SHIPPED_YML

NOTES = {
    "osdi/2022/orca.md": note(
        "Orca",
        tags="[LLM_serving, batching]",
        status="read",
        added="2024-01-01",
        level="essential",
        summary="Schedules per iteration.",
        body="## Problem\n\nIteration-level scheduling.\n",
    ),
    "sosp/2023/vllm.md": note("vLLM", venue="SOSP", year=2023, tags="[LLM_serving]", added="2024-02-01", level="advanced"),
    "osdi/2024/distserve.md": note("DistServe", year=2024, tags="[disaggregation]", added="2024-03-01"),
    "paths/must-read.yml": (
        "title: Must read\nsections:\n  - title: Serving\n    steps:\n      - orca\n      - vllm\n"
        "      - {title: A lost paper, id: lost, unverified: true, note: Not found.}\n      - distserve\n"
    ),
}

# Records every CSP violation, from before the first script of each document runs.
CSP_TRAP = (
    "window.__csp = [];"
    "document.addEventListener('securitypolicyviolation', (e) => {"
    "  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || ''));"
    "});"
)


@pytest.fixture(scope="module")
def shipped_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("reader-site")
    write_site(root, NOTES, docs={"index.md": "# Home\n\n<!-- reading-notes:dashboard -->\n"}, mkdocs_yml=SHIPPED_YML)
    build = run_mkdocs(root, "--strict")
    assert build.returncode == 0, build.log
    return root / "site"


def _box(driver, selector: str) -> dict:
    return driver.execute_script(
        "const el = document.querySelector(arguments[0]); if (!el) return null;"
        "const r = el.getBoundingClientRect(); const s = getComputedStyle(el);"
        "return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height, width: r.width,"
        "        overflow: s.overflow, display: s.display};",
        selector,
    )


def _visible_inside(inner: dict, outer: dict) -> bool:
    return inner["height"] > 8 and inner["width"] > 20 and inner["top"] >= outer["top"] - 0.5 and inner["bottom"] <= outer["bottom"] + 0.5


@pytest.mark.parametrize("dark,width", [(False, 1280), (True, 1280), (False, 390)])
def test_path_progress_box_is_whole_and_readable(shipped_site, dark, width):
    with serve(shipped_site) as base, chrome(width=width, dark=dark) as driver:
        driver.get(base + "must-read/")
        box = _box(driver, ".rn-path-progress")
        text = _box(driver, ".rn-path-progress__text")
        bar = _box(driver, ".rn-path-progress progress")
        assert box["height"] >= 16, box  # was 7 px: the dashboard's bar rule won on the shared class name
        assert _visible_inside(text, box), (text, box)
        assert bar["height"] > 4 and bar["width"] > 40 and bar["bottom"] <= box["bottom"] + 0.5, (bar, box)
        assert driver.find_element("css selector", ".rn-path-progress__text").text == "1 of 3 steps read"
        # the unverified placeholder cannot be ticked and counts nowhere: both counters say "of 3"
        assert driver.find_element("css selector", ".rn-path-progress__visitor-text").text == "0 of 3 steps"
        assert len(driver.find_elements("css selector", "input.rn-path-tick__box")) == 3
        assert not driver.find_elements("css selector", "#step-lost input")
        assert driver.execute_script("return getComputedStyle(document.getElementById('step-lost')).listStyleType") == "none"
        visitor = _box(driver, ".rn-path-progress--visitor")
        assert visitor["height"] >= 16 and _visible_inside(_box(driver, ".rn-path-progress__visitor-text"), visitor)


@pytest.mark.parametrize("dark", [False, True])
def test_home_progress_bar_is_a_thin_bar_as_wide_as_the_share_read(shipped_site, dark):
    with serve(shipped_site) as base, chrome(dark=dark) as driver:
        driver.get(base)
        track = _box(driver, ".rn-dash-progress")
        fill = _box(driver, ".rn-dash-progress__bar")
        assert 4 <= track["height"] <= 10 and track["width"] > 60, track
        assert fill["width"] == pytest.approx(track["width"] * 33 / 100, abs=1.5), (fill, track)  # 1 of 3 read
        stat = _box(driver, ".rn-dash-stat--read .rn-dash-stat__label")
        assert stat["height"] > 8


def _go(driver, href: str) -> None:
    """Follow an in-site link the way a reader does, so the theme's instant navigation handles it."""
    before = driver.execute_script("return location.href")
    driver.execute_script(
        "const a = document.createElement('a'); a.href = arguments[0]; a.textContent = 'go';document.body.appendChild(a); a.click();", href
    )
    for _ in range(50):
        if driver.execute_script("return location.href") != before and driver.execute_script("return document.readyState") == "complete":
            break
        time.sleep(0.1)
    time.sleep(0.4)  # let the page's scripts (document$ subscribers) run


def _problems(driver) -> list[str]:
    logged = [entry["message"] for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]
    return logged + list(driver.execute_script("return window.__csp || []"))


@pytest.mark.parametrize("start", ["must-read/", "tags/llm-serving/", "papers/osdi/2022/orca/"])
def test_walking_every_page_type_by_instant_navigation_is_clean(shipped_site, start):
    pages = [
        "",
        "tags/",
        "tags/llm-serving/",
        "venues/",
        "venues/osdi/",
        "venues/osdi/2022/",
        "papers/osdi/2022/orca/",
        "papers/sosp/2023/vllm/",
        "explore/",
        "paths/",
        "must-read/",
        "",
    ]
    with serve(shipped_site) as base, chrome() as driver:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_TRAP})
        driver.get(base + start)
        time.sleep(0.5)
        problems = [f"{start}: {p}" for p in _problems(driver)]
        for page in pages:
            _go(driver, base + page)
            assert driver.execute_script("return location.href") == base + page
            problems += [f"{page or 'home'}: {p}" for p in _problems(driver)]
        assert problems == []
        # instant navigation ended on the home page: its bar is drawn, the path page's ticks were set up
        assert _box(driver, ".rn-dash-progress__bar")["width"] > 10
    with serve(shipped_site) as base, chrome() as driver:
        driver.get(base)
        _go(driver, base + "must-read/")
        assert driver.find_element("css selector", ".rn-path-progress__visitor-text").is_displayed()


def test_level_marks_and_step_kinds_are_icons_not_emoji(shipped_site):
    """Without a colour-emoji font 💎 and 💡 were empty boxes: they are drawn as CSS-masked SVG icons."""
    with serve(shipped_site) as base, chrome() as driver:
        for page in ("must-read/", "tags/llm-serving/", "explore/"):
            driver.get(base + page)
            time.sleep(0.5)
            marks = driver.execute_script(
                "return [...document.querySelectorAll('.md-typeset .rn-level, .md-typeset .rn-kind')].map(e => {"
                "  const s = getComputedStyle(e), r = e.getBoundingClientRect();"
                "  return [e.className, s.maskImage || s.webkitMaskImage, r.width, r.height, e.scrollWidth > e.clientWidth];"
                "})"
            )
            assert len(marks) >= 2, page
            for name, mask, width, height, text_pushed_out in marks:
                assert mask.startswith('url("data:image/svg+xml'), (page, name, mask)
                assert 8 < width < 25 and 8 < height < 25 and text_pushed_out, (page, name, width, height)


# The worst text/background contrast of the elements each selector matches (WCAG formula; colours
# with alpha and element opacity blended over the nearest opaque background).
CONTRAST_JS = r"""
function parse(c){const k=c.match(/color\(srgb ([^)]+)\)/); if(k){const p=k[1].split(/[ \/]+/).filter(Boolean).map(Number); return [p[0]*255,p[1]*255,p[2]*255,p.length>3?p[3]:1];} const m=c.match(/rgba?\(([^)]+)\)/); if(!m) return null; const p=m[1].split(/[ ,\/]+/).filter(Boolean).map(Number); return [p[0],p[1],p[2],p.length>3?p[3]:1];}
function blend(top,bottom){const a=top[3]; return [top[0]*a+bottom[0]*(1-a),top[1]*a+bottom[1]*(1-a),top[2]*a+bottom[2]*(1-a),1];}
function bgOf(el){const layers=[]; for(let e=el;e;e=e.parentElement){const c=parse(getComputedStyle(e).backgroundColor); if(c&&c[3]>0){layers.push(c); if(c[3]>=1) break;}} let base=[255,255,255,1]; if(!layers.length||layers[layers.length-1][3]<1){} for(let i=layers.length-1;i>=0;i--) base=blend(layers[i],base); return base;}
function lum(c){const f=v=>{v/=255;return v<=0.03928?v/12.92:Math.pow((v+0.055)/1.055,2.4)}; return 0.2126*f(c[0])+0.7152*f(c[1])+0.0722*f(c[2]);}
function ratio(a,b){const l1=lum(a),l2=lum(b); return (Math.max(l1,l2)+0.05)/(Math.min(l1,l2)+0.05);}
const out={};
for (const sel of arguments[0]) { let worst=null; for (const el of document.querySelectorAll(sel)) { if (!el.getClientRects().length) continue; const bg=bgOf(el); let fg=parse(getComputedStyle(el).color); let op=1; for(let e=el;e;e=e.parentElement){op*=Number(getComputedStyle(e).opacity);} fg=[fg[0],fg[1],fg[2],fg[3]*op]; fg=blend(fg,bg); const r=ratio(fg,bg); if(worst===null||r<worst) worst=r; } out[sel]=worst===null?null:Math.round(worst*100)/100; }
return out;
"""
CONTRAST_CHECKS = {
    "": [".rn-dash-stat__label", "a.rn-tag", ".rn-tag__count", ".rn-notes", ".rn-dash-recent__date", ".rn-venue-chip", ".rn-crumbs"],
    "explore/": [".rn-explore__export", ".rn-explore-facet__name", ".rn-explore-facet__count", "a.rn-tag", ".rn-explore__label",
                 ".rn-explore__summary", ".rn-notes"],
    "papers/sosp/2023/vllm/": [".rn-empty__edit", ".rn-empty__how", ".rn-status", ".rn-tags > a", ".rn-notes", ".rn-related__shared"],
    "must-read/": [".rn-path-progress__label", ".rn-path-badge--unverified", ".rn-path-step__summary", ".rn-status", ".rn-notes",
                   ".rn-path-filter button"],
}  # fmt: skip


@pytest.mark.parametrize("dark", [False, True])
def test_text_contrast_is_at_least_4_5_to_1(shipped_site, dark):
    with serve(shipped_site) as base, chrome(dark=dark) as driver:
        low = {}
        for page, selectors in CONTRAST_CHECKS.items():
            driver.get(base + page)
            time.sleep(0.8)  # the explorer builds its facets from papers.json
            ratios = driver.execute_script(CONTRAST_JS, selectors)
            assert [s for s in selectors if ratios[s] is None] == [], (page, ratios)
            low.update({f"{page or 'home'} {s}": r for s, r in ratios.items() if r < 4.5})
        assert low == {}
