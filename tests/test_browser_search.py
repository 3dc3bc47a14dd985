"""The site search (generator/finish/search.py + assets/search.js over Pagefind) in real headless Chromium.

Covers: the first page view downloads no search index; a query finds papers by title, short name
(aka), author, tag and a Chinese word, and shows venue + year, tags once and the summary; a facet
narrows the results; the keyboard works (/ ↑ ↓ Enter Esc); listings are not results; the CSP
reports no violation (Pagefind's WebAssembly needs only 'wasm-unsafe-eval'); no request leaves
127.0.0.1; a phone-width window shows the results inside the screen.
"""

from __future__ import annotations

import time

import pytest
from browser import chrome, dialogs, external_requests, requested_urls, serve, site_search
from conftest import note, run_mkdocs, write_site

CSP_TRAP = (
    "window.__csp = [];"
    "document.addEventListener('securitypolicyviolation', (e) => {"
    "  window.__csp.push(e.effectiveDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || ''));"
    "});"
)
VLLM = "Efficient Memory Management for Large Language Model Serving with PagedAttention"
ORCA = "Orca: A Distributed Serving System for Transformer-Based Generative Models"
REEF = "Microsecond-scale Preemption for Concurrent GPU-accelerated DNN Inferences"
ZH = "显存调度: 训练任务之间"
NOTES = {
    "sosp/2023/vllm.md": note(VLLM, venue="SOSP", year=2023, aka="[vLLM, PagedAttention]",
                              authors="[Woosuk Kwon, Zhuohan Li]", tags="[LLM_serving, KV_cache]",
                              summary="Pages the KV cache like virtual memory.", level="essential",
                              body="## Notes\n\nBlock tables map logical blocks to physical ones.\n"),
    "osdi/2022/orca.md": note(ORCA, aka="[Orca]", authors="[Gyeong-In Yu]", tags="[LLM_serving, scheduling]",
                              summary="'Iteration-level scheduling: a batch changes after every token.'",
                              body="## Notes\n\nCompared with vLLM later.\n"),
    "osdi/2022/reef.md": note(REEF, aka="[REEF]", authors="[Mingcong Han]", tags="[GPU_sharing, preemption]",
                              summary="Preempts best-effort kernels in microseconds.", status="read"),
    "eurosys/2024/zh.md": note(ZH, venue="EuroSys", year=2024, tags="[显存管理]",
                               body="## 问题\n\n本文提出一种基于时间片的显存共享调度方法，降低了排队时间。\n"),
}
DOCS = {"guide.md": "# Reading guide\n\nHow to read a systems paper in three passes.\n"}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("search")
    write_site(root, NOTES, DOCS)
    build = run_mkdocs(root, "--strict")
    assert build.returncode == 0, build.log
    assert "search: indexed" in build.log
    with serve(root / "site") as base:
        yield root / "site", base


@pytest.fixture(scope="module")
def browser(served):
    with chrome() as driver:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_TRAP})
        yield served[1], driver
        assert external_requests(driver) == []


def titles(found: list[tuple[str, str]]) -> list[str]:
    return [title for title, _ in found]


def test_first_view_downloads_no_index_and_a_query_finds_by_every_field(browser):
    base, driver = browser
    driver.get(base + "papers/osdi/2022/reef/")
    assert driver.find_elements("css selector", ".md-header__inner .rn-search input.rn-search__input")
    time.sleep(0.5)
    first_view = requested_urls(driver)
    assert [u for u in first_view if "/pagefind/" in u or "search_index" in u] == []  # nothing until the reader searches

    assert titles(site_search(driver, "Distributed Serving System"))[0] == ORCA  # title
    assert titles(site_search(driver, "vLLM"))[0] == VLLM  # a short name the title does not hold
    assert titles(site_search(driver, "PagedAttention"))[0] == VLLM
    assert titles(site_search(driver, "Mingcong Han"))[0] == REEF  # author
    assert set(titles(site_search(driver, "LLM_serving"))[:2]) == {VLLM, ORCA}  # tag as written …
    assert set(titles(site_search(driver, "llm serving"))[:2]) == {VLLM, ORCA}  # … and as words
    assert titles(site_search(driver, "显存"))[0] == ZH  # Chinese: a word from the middle of a sentence
    assert titles(site_search(driver, "排队时间"))[0] == ZH
    assert titles(site_search(driver, "Block tables"))[0] == VLLM  # the note's body
    assert "Reading guide" in titles(site_search(driver, "three passes"))  # a hand-written page
    assert all("/tags/" not in href and "/venues/" not in href for _, href in site_search(driver, "preemption"))
    assert [u for u in requested_urls(driver) if "/pagefind/" in u]  # the index came on the first query

    site_search(driver, "vLLM")
    first = driver.find_element("css selector", ".rn-search__result")
    assert first.find_element("css selector", ".rn-search__venue").text == "SOSP 2023"
    assert [t.text for t in first.find_elements("css selector", ".rn-search__tag")] == ["#LLM_serving", "#KV_cache"]  # once
    assert first.find_element("css selector", ".rn-search__summary").text == "Pages the KV cache like virtual memory."
    assert "vLLM, PagedAttention" in first.find_element("css selector", ".rn-search__aka").text
    assert driver.execute_script("return window.__csp") == []
    assert dialogs(driver) == []


def test_a_facet_narrows_the_results(browser):
    base, driver = browser
    driver.get(base)
    assert set(titles(site_search(driver, "serving"))) >= {VLLM, ORCA}
    from selenium.webdriver.support.ui import Select, WebDriverWait

    assert driver.find_elements("css selector", ".rn-search__facet") == []  # not fetched until asked for
    driver.find_element("css selector", ".rn-search__more").click()
    WebDriverWait(driver, 15).until(lambda d: d.find_elements("css selector", ".rn-search__facet[name=venue]"))
    Select(driver.find_element("css selector", ".rn-search__facet[name=venue]")).select_by_value("OSDI")
    WebDriverWait(driver, 15).until(lambda d: VLLM not in [e.text for e in d.find_elements("css selector", ".rn-search__title")])
    assert titles(site_search(driver, "serving")) == [ORCA]
    Select(driver.find_element("css selector", ".rn-search__facet[name=venue]")).select_by_value("")
    notes = Select(driver.find_element("css selector", ".rn-search__facet[name=notes]"))
    assert sorted(o.get_attribute("value") for o in notes.options) == ["", "has notes", "no notes yet"]
    notes.select_by_value("no notes yet")
    WebDriverWait(driver, 15).until(lambda d: [e.text for e in d.find_elements("css selector", ".rn-search__title")] == [])
    assert titles(site_search(driver, "preemption")) == [REEF]  # REEF has no note body
    notes.select_by_value("")
    assert driver.execute_script("return window.__csp") == []


def test_keyboard_slash_arrows_enter_and_escape(browser):
    base, driver = browser
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    driver.get(base + "guide/")
    driver.find_element("css selector", "body").click()
    ActionChains(driver).send_keys("/").perform()
    assert driver.execute_script("return document.activeElement.classList.contains('rn-search__input')")
    found = site_search(driver, "serving")
    assert len(found) >= 2
    box = driver.find_element("css selector", ".rn-search__input")
    active = lambda: driver.execute_script(  # noqa: E731
        "const a = document.querySelector('.rn-search__result--active'); return a && a.querySelector('.rn-search__title').textContent")
    assert active() == found[0][0]
    box.send_keys(Keys.ARROW_DOWN)
    assert active() == found[1][0]
    box.send_keys(Keys.ARROW_UP)
    box.send_keys(Keys.ARROW_UP)  # wraps to the last
    assert active() == found[-1][0]
    box.send_keys(Keys.ESCAPE)
    assert "rn-search--open" not in driver.find_element("css selector", ".rn-search").get_attribute("class")
    assert not driver.execute_script("return document.activeElement.classList.contains('rn-search__input')")
    found = site_search(driver, "vLLM")
    driver.find_element("css selector", ".rn-search__input").send_keys(Keys.ENTER)
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 15).until(lambda d: d.current_url == found[0][1])
    assert driver.current_url.endswith("/papers/sosp/2023/vllm/")
    assert driver.execute_script("return window.__csp") == []


def test_results_fit_a_phone_screen(served):
    _, base = served
    with chrome(width=390, height=844) as driver:
        driver.get(base)
        site_search(driver, "serving")
        rect = driver.execute_script("const r = document.querySelector('.rn-search__panel').getBoundingClientRect();"
                                     "return [r.left, r.right, r.width, window.innerWidth]")
        left, right, width, inner = rect
        assert left >= 0 and right <= inner and width > inner * 0.8, rect
        assert external_requests(driver) == []


def test_facets_are_built_once_however_often_the_box_opens(browser):
    base, driver = browser
    driver.get(base)
    box = driver.find_element("css selector", ".rn-search__input")
    box.click()
    driver.execute_script("const b = document.querySelector('.rn-search__more'); b.click(); b.click(); b.click();")
    site_search(driver, "serving")
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 15).until(lambda d: len(d.find_elements("css selector", ".rn-search__facet")) >= 6)
    names = [s.get_attribute("name") for s in driver.find_elements("css selector", ".rn-search__facet")]
    assert names == ["venue", "year", "tag", "level", "status", "notes"]
