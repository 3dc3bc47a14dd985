"""The tags index in real Chromium: filter as you type, sort by name or count, tags used once folded;
no CSP violation, no console error."""

from __future__ import annotations

from browser import chrome, serve
from conftest import note, run_mkdocs, write_site

CSP_TRAP = (
    "window.__csp = [];"
    "document.addEventListener('securitypolicyviolation', (e) => {"
    "  window.__csp.push(e.effectiveDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || ''));"
    "});"
)
VISIBLE = "return [...document.querySelectorAll('.rn-tagindex-list > a')].filter(a => a.getClientRects().length > 0 && !a.closest('details:not([open]), [hidden]')).map(a => a.firstChild.nodeValue)"


def test_tags_index_sorts_filters_and_folds(tmp_path):
    notes = {
        "osdi/2022/a.md": note("A", tags="[zeta, beta, only_a]"),
        "osdi/2022/b.md": note("B", tags="[zeta, beta]"),
        "osdi/2022/c.md": note("C", tags="[zeta, '<img src=x onerror=alert(1)>x']".replace("<img src=x onerror=alert(1)>", "img_onerror")),
        "osdi/2022/d.md": note("D", tags="[gamma_x]"),
    }
    write_site(tmp_path, notes)
    build = run_mkdocs(tmp_path, "--strict")
    assert build.returncode == 0, build.log
    with serve(tmp_path / "site") as base, chrome() as driver:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_TRAP})
        driver.get(base + "tags/")
        # by count: zeta (3), beta (2); the tags used once are folded (closed <details>)
        assert driver.execute_script(VISIBLE) == ["#zeta", "#beta"]
        fold = driver.find_element("css selector", "details.rn-tagindex-once")
        assert fold.get_attribute("open") is None and "3 tags used on one paper only" in fold.text
        # filter as you type: the folded tags open when they match
        box = driver.find_element("css selector", "input.rn-tagindex-filter")
        box.send_keys("a")
        assert driver.execute_script(VISIBLE) == ["#zeta", "#beta", "#gamma_x", "#only_a"]
        box.send_keys(" x")  # spaces match '_' and '-'
        assert driver.execute_script(VISIBLE) == ["#gamma_x"]
        assert driver.find_element("css selector", ".rn-tagindex-status").text == "1 of 5 tags"
        box.clear()
        box.send_keys("\b")
        # sort by name: one alphabetical list, the fold gone
        sort = driver.find_element("css selector", "button.rn-tagindex-sort")
        assert sort.text == "Sort by name"
        sort.click()
        assert driver.execute_script(VISIBLE) == ["#beta", "#gamma_x", "#img_onerrorx", "#only_a", "#zeta"]
        assert not fold.is_displayed()
        sort.click()  # back to by count; the fold, opened by the filter, stays open
        assert driver.execute_script(VISIBLE) == ["#zeta", "#beta", "#gamma_x", "#img_onerrorx", "#only_a"]
        assert fold.is_displayed()
        assert driver.execute_script("return window.__csp") == []
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert errors == []
