"""compare/ in real headless Chromium: the explorer → Compare flow with the address bar as the state,
the side-by-side table (relations with each other, evaluation facts), CSV export without formulas,
hostile titles shown as text, light/dark and 390 px, and no CSP violation."""

from __future__ import annotations

import pytest
from browser import chrome, dialogs, external_requests, serve
from conftest import MKDOCS_YML, note, run_mkdocs, write_site
from test_browser_explore import CAPTURE_DOWNLOADS, captured, wait
from test_browser_lineage import CSP_TRAP, PALETTE, phone

EVIL = "<img src=x onerror=alert(1)>Evil"
NOTES = {
    "osdi/2022/orca.md": note(
        "Orca: A Distributed Serving System", tags="[serving]", evaluation="{hardware: A100 GPUs, result: up to 36.9x throughput}"
    ),
    "arxiv/2022/ft.md": note("FasterTransformer", venue="arXiv"),
    "sosp/2023/vllm.md": note(
        "vLLM: Efficient Memory Management",
        venue="SOSP",
        year=2023,
        tags="[serving, KV_cache]",
        builds_on="[orca]",
        compares_with="[orca, ft]",
        evaluation="{hardware: '=HYPERLINK(\"http://evil.example\")', workloads: [OPT-13B, ShareGPT], result: 2-4x throughput}",
    ),
    "osdi/2024/evil.md": note(EVIL, year=2024, compares_with="[vllm]"),
}


@pytest.fixture(scope="module")
def compare_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("compare-browser")
    write_site(root, NOTES, mkdocs_yml=MKDOCS_YML.replace("  font: false\n", "  font: false\n" + PALETTE))
    build = run_mkdocs(root, "--strict")
    assert build.returncode == 0, build.log
    return root / "site"


def status(driver) -> str:
    return driver.execute_script("return document.querySelector('.rn-explore-compare__status').textContent")


def table(driver) -> dict[str, list[str]]:
    """Row label → the text of each paper's cell; "papers" → the column headings."""
    return driver.execute_script("""
        const t = document.querySelector('.rn-explore-compare__table');
        if (!t) return {};
        const out = {papers: [...t.querySelectorAll('thead .rn-explore-compare__title')].map(a => a.textContent)};
        for (const tr of t.querySelectorAll('tbody tr')) out[tr.querySelector('th').textContent] = [...tr.querySelectorAll('td')].map(td => td.textContent);
        return out;""")


def test_explorer_ticks_lead_to_compare_and_the_address_is_the_state(compare_site):
    with serve(compare_site) as base, chrome() as driver:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_TRAP})
        driver.get(base + "explore/")
        wait(driver, lambda: driver.find_elements("css selector", ".rn-explore[data-results]"))
        link = driver.find_element("css selector", ".rn-explore__compare")
        assert not link.is_displayed()
        for pid in ("vllm", "orca"):
            driver.find_element("css selector", f'input.rn-explore__pick[data-pick="{pid}"]').click()
        assert link.is_displayed() and link.text == "Compare 2 papers"
        link.click()
        wait(driver, lambda: "side by side" in status(driver))
        assert driver.current_url == base + "compare/?id=vllm&id=orca"
        rows = table(driver)
        assert rows["papers"] == ["vLLM: Efficient Memory Management", "Orca: A Distributed Serving System"]
        assert rows["Venue"] == ["SOSP", "OSDI"] and rows["Year"] == ["2023", "2022"]
        assert rows["Tags"] == ["#serving#KV_cache", "#serving"]
        assert (
            driver.find_element("css selector", ".rn-explore-compare__cell--tags a.rn-tag").get_attribute("href") == base + "tags/serving/"
        )
        assert rows["Builds on"] == ["Orca: A Distributed Serving System", ""]
        assert rows["Compares with"] == ["Orca: A Distributed Serving SystemFasterTransformer", ""]
        assert rows["With each other"] == [
            "builds on Orca: A Distributed Serving Systemcompares with Orca: A Distributed Serving System",
            "built on by vLLM: Efficient Memory Managementcompared with by vLLM: Efficient Memory Management",
        ]
        assert rows["Hardware"] == ['=HYPERLINK("http://evil.example")', "A100 GPUs"]
        assert rows["Workloads"] == ["OPT-13B; ShareGPT", ""] and rows["Result"] == ["2-4x throughput", "up to 36.9x throughput"]

        # CSV of the comparison: formulas neutralised as in the explorer's export
        driver.execute_script(CAPTURE_DOWNLOADS)
        driver.find_element("css selector", ".rn-explore-compare__export").click()
        [(name, text)] = wait(driver, lambda: captured(driver) or None)
        lines = text.split("\r\n")
        assert name == "compare.csv"
        assert lines[0] == "id,title,venue,year,tags,builds_on,compares_with,with_each_other,hardware,workloads,result,url"
        assert lines[1] == (
            '"vllm","vLLM: Efficient Memory Management","SOSP","2023","serving; KV_cache","orca","orca; ft",'
            '"builds on orca; compares with orca","\'=HYPERLINK(""http://evil.example"")","OPT-13B; ShareGPT",'
            f'"2-4x throughput","{base}papers/sosp/2023/vllm/"'
        )
        assert len(lines) == 4 and lines[3] == ""

        # remove a paper: a new address; Back brings the old one (and its table) back
        driver.find_element("css selector", '.rn-explore-compare__remove[data-remove="orca"]').click()
        wait(driver, lambda: status(driver).startswith("1 paper"))
        assert driver.current_url == base + "compare/?id=vllm"
        driver.back()
        wait(driver, lambda: status(driver).startswith("2 papers"))
        assert driver.current_url == base + "compare/?id=vllm&id=orca"
        # add one by id
        box = driver.find_element("css selector", ".rn-explore-compare__add-input")
        box.send_keys("evil\n")
        driver.execute_script("arguments[0].dispatchEvent(new Event('change', {bubbles: true}))", box)
        wait(driver, lambda: status(driver).startswith("3 papers"))
        assert driver.current_url == base + "compare/?id=vllm&id=orca&id=evil"
        assert table(driver)["papers"][2] == EVIL  # a hostile title is text
        assert dialogs(driver) == [] and external_requests(driver) == []
        assert driver.execute_script("return window.__csp") == []


def test_unknown_and_hostile_ids_in_the_address(compare_site):
    with serve(compare_site) as base, chrome() as driver:
        driver.get(base + "compare/?id=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&id=orca&id=orca")
        wait(driver, lambda: "side by side" in status(driver))
        assert status(driver) == "1 paper side by side. Not found: <img src=x onerror=alert(1)>."
        assert driver.execute_script("return document.querySelectorAll('.rn-explore-compare img').length") == 0
        driver.get(base + "compare/")
        wait(driver, lambda: "No paper chosen" in status(driver))
        assert table(driver) == {}
        assert dialogs(driver) == []


@pytest.mark.parametrize("width", [1280, 390])
def test_compare_reads_in_both_schemes(compare_site, width):
    import os

    for dark in (False, True):
        with serve(compare_site) as base, chrome(width=width, dark=dark) as driver:
            driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_TRAP})
            phone(driver, width)
            driver.get(base + "compare/?id=vllm&id=orca&id=ft")
            wait(driver, lambda: "side by side" in status(driver))
            found = driver.execute_script("""
                const t = document.querySelector('.rn-explore-compare__table'); const box = t.getBoundingClientRect();
                const cell = t.querySelector('tbody td'); const style = getComputedStyle(cell);
                return {page: document.documentElement.scrollWidth, view: window.innerWidth, h: box.height,
                        ink: style.color, bg: getComputedStyle(document.body).backgroundColor};""")
            assert found["page"] <= found["view"] == width  # the table scrolls in its box, not the page
            assert found["h"] > 200 and found["ink"] != found["bg"]
            assert driver.execute_script("return document.body.getAttribute('data-md-color-scheme')") == ("slate" if dark else "default")
            if os.environ.get("RN_SCREENSHOTS"):
                driver.save_screenshot(
                    os.path.join(os.environ["RN_SCREENSHOTS"], f"h6-compare-test-{width}-{'dark' if dark else 'light'}.png")
                )
            assert driver.execute_script("return window.__csp") == [] and dialogs(driver) == []
