"""The site search (generator/finish/search.py + assets/search.js over Pagefind) in real headless Chromium.

Every test runs on the site as mkdocs-material builds it and as Zensical does (``served``). Covers:
the first page view downloads no search index; a query finds papers by title, short name
(aka), author, tag, a tag's other spelling from tags.yml and a Chinese word, and shows venue + year, tags once and the summary; a facet
narrows the results; the keyboard works (/ ↑ ↓ Enter Esc); listings are not results; the CSP
reports no violation (Pagefind's WebAssembly needs only 'wasm-unsafe-eval'); no request leaves
127.0.0.1; a phone-width window shows the results inside the screen; a typo is corrected (at once
when nothing is found, as "Did you mean" when little is); on a 390 px phone the header shows the
site's whole name and a search icon that opens the box.
"""

from __future__ import annotations

import shutil
import time

import pytest
from browser import chrome, dialogs, external_requests, requested_urls, serve, site_search
from conftest import ENGINES, MKDOCS_YML, note, run_engine, run_mkdocs, write_site

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
PIPESWITCH = "PipeSwitch: Fast Pipelined Context Switching for Deep Learning Applications"
NOTES = {
    "sosp/2023/vllm.md": note(
        VLLM,
        venue="SOSP",
        year=2023,
        aka="[vLLM, PagedAttention]",
        authors="[Woosuk Kwon, Zhuohan Li]",
        tags="[LLM_serving, KV_cache]",
        summary="Pages the KV cache like virtual memory.",
        level="essential",
        body="## Notes\n\nBlock tables map logical blocks to physical ones.\n",
    ),
    "osdi/2022/orca.md": note(
        ORCA,
        aka="[Orca]",
        authors="[Gyeong-In Yu]",
        tags="[LLM_serving, scheduling]",
        summary="'Iteration-level scheduling: a batch changes after every token.'",
        body="## Notes\n\nCompared with vLLM later.\n",
    ),
    "osdi/2022/reef.md": note(
        REEF,
        aka="[REEF]",
        authors="[Mingcong Han]",
        tags="[GPU_sharing, preemption]",
        summary="Preempts best-effort kernels in microseconds.",
        status="read",
    ),
    "eurosys/2024/zh.md": note(
        ZH, venue="EuroSys", year=2024, tags="[显存管理]", body="## 问题\n\n本文提出一种基于时间片的显存共享调度方法，降低了排队时间。\n"
    ),
    "osdi/2020/pipeswitch.md": note(
        PIPESWITCH,
        year=2020,
        tags="[time-sharing]",  # never writes the aliases below
        body="## Notes\n\nSwitches tasks on a GPU in milliseconds.\n",
    ),
    "tags.yml": "aliases:\n  time-sharing: [分时共享, GPU_time_sharing]\n",
}
SITE_NAME_TEXT = "ML Systems Reading Notes"  # the shipped site's name: long enough to be cut off on a phone
DOCS = {"guide.md": "# Reading guide\n\nHow to read a systems paper in three passes. Some write schedulng for scheduling.\n"}


@pytest.fixture(scope="module", params=ENGINES)
def served(request, tmp_path_factory):
    """The fixture site built by each engine (every test below runs on both outputs), served."""
    root = tmp_path_factory.mktemp(f"search-{request.param}")
    write_site(root, NOTES, DOCS, MKDOCS_YML.replace("site_name: Fixture notes", f"site_name: {SITE_NAME_TEXT}"))
    build = run_engine(root, request.param, "--strict")
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
    assert titles(site_search(driver, "分时共享"))[0] == PIPESWITCH  # a tag's other spelling (tags.yml) …
    assert titles(site_search(driver, "GPU time sharing"))[0] == PIPESWITCH  # … also as words
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


def shown_titles(driver):
    """The result titles shown now, read in one step (the list is redrawn as a search runs: element
    handles fetched one by one may go stale in between)."""
    return driver.execute_script("return [...document.querySelectorAll('.rn-search__title')].map((e) => e.textContent)")


def test_a_facet_narrows_the_results(browser):
    base, driver = browser
    driver.get(base)
    assert set(titles(site_search(driver, "serving"))) >= {VLLM, ORCA}
    from selenium.webdriver.support.ui import Select, WebDriverWait

    assert driver.find_elements("css selector", ".rn-search__facet") == []  # not fetched until asked for
    driver.find_element("css selector", ".rn-search__more").click()
    WebDriverWait(driver, 15).until(lambda d: d.find_elements("css selector", ".rn-search__facet[name=venue]"))
    Select(driver.find_element("css selector", ".rn-search__facet[name=venue]")).select_by_value("OSDI")
    WebDriverWait(driver, 15).until(lambda d: VLLM not in shown_titles(d))
    assert titles(site_search(driver, "serving")) == [ORCA]
    Select(driver.find_element("css selector", ".rn-search__facet[name=venue]")).select_by_value("")
    notes = Select(driver.find_element("css selector", ".rn-search__facet[name=notes]"))
    assert sorted(o.get_attribute("value") for o in notes.options) == ["", "has notes", "no notes yet"]
    notes.select_by_value("no notes yet")
    WebDriverWait(driver, 15).until(lambda d: shown_titles(d) == [])
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
        "const a = document.querySelector('.rn-search__result--active'); return a && a.querySelector('.rn-search__title').textContent"
    )
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
        rect = driver.execute_script(
            "const r = document.querySelector('.rn-search__panel').getBoundingClientRect();"
            "return [r.left, r.right, r.width, window.innerWidth]"
        )
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


def suggestion(driver) -> str | None:
    """The "Did you mean" offer's word, once it has come (the word list is fetched first), or None."""
    deadline = time.time() + 5
    while time.time() < deadline:
        offers = driver.find_elements("css selector", ".rn-search__suggest .rn-search__suggestion")
        if offers:
            assert offers[0].tag_name == "button"
            return offers[0].text
        time.sleep(0.2)
    return None


def test_a_typo_finds_the_paper_through_the_site_words(browser):
    base, driver = browser
    from selenium.webdriver.support.ui import WebDriverWait

    requested_urls(driver)  # the earlier tests' requests
    driver.get(base)
    assert [u for u in requested_urls(driver) if "rn-words" in u] == []  # not on the page view
    # nothing found: the search runs again at once with the nearest word of a title or short name
    assert titles(site_search(driver, "Ocra"))[0] == ORCA
    status = driver.find_element("css selector", ".rn-search__status").text.lower()
    assert "no results for “ocra”" in status and "showing results for “orca”" in status, status
    # found only by its first letters (Pagefind's prefix search): the nearest word is offered
    site_search(driver, "Preemptoin")
    assert suggestion(driver) == "Preemption"
    driver.find_element("css selector", ".rn-search__suggestion").click()
    WebDriverWait(driver, 15).until(lambda d: d.find_element("css selector", ".rn-search__input").get_attribute("value") == "Preemption")
    assert titles(site_search(driver, "Preemption"))[0] == REEF
    assert suggestion(driver) is None
    for typo, word in [("PagedAtention", "PagedAttention"), ("Kwoon", "Kwon")]:  # a short name; an author's surname
        found = site_search(driver, typo)
        assert suggestion(driver) == word or (
            found and found[0][0] == VLLM and "showing results" in driver.find_element("css selector", ".rn-search__status").text.lower()
        )
    # a word the results hold, a body's misspelling or a prefix, is not "corrected"
    assert "Reading guide" in titles(site_search(driver, "schedulng"))
    assert suggestion(driver) is None
    assert titles(site_search(driver, "preempt"))[0] == REEF
    assert suggestion(driver) is None
    assert len([u for u in requested_urls(driver) if "rn-words" in u]) == 1  # fetched once for all these queries
    assert driver.execute_script("return window.__csp") == []
    assert dialogs(driver) == []


def phone(driver, width: int = 390, height: int = 844) -> None:
    """A phone's viewport (headless Chromium's window is at least 500 px wide)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 2, "mobile": True})  # fmt: skip


SITE_NAME = (
    "const e = document.querySelector('.md-header__title .md-header__topic .md-ellipsis');"
    "const r = e.getBoundingClientRect();"
    "return [e.textContent.trim(), e.scrollWidth, e.clientWidth, r.left, r.right, window.innerWidth];"
)


def test_the_phone_header_shows_the_site_name_and_a_search_icon(served):
    _, base = served
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    with chrome(width=500, height=844) as driver:
        phone(driver)
        driver.get(base + "papers/osdi/2022/orca/")
        assert driver.execute_script("return window.innerWidth") == 390
        name, scroll_width, client_width, left, right, inner = driver.execute_script(SITE_NAME)
        assert name == SITE_NAME_TEXT
        assert scroll_width <= client_width and 0 <= left < right <= inner, (name, scroll_width, client_width, left, right)
        box = driver.find_element("css selector", ".rn-search__input")
        toggle = driver.find_element("css selector", ".rn-search__toggle")
        assert not box.is_displayed() and toggle.is_displayed()
        assert toggle.get_attribute("aria-label") == "Search" and toggle.get_attribute("aria-expanded") == "false"
        toggle.click()  # a tap: the box covers the header, focused
        assert box.is_displayed() and not toggle.is_displayed()
        assert toggle.get_attribute("aria-expanded") == "true"
        assert driver.execute_script("return document.activeElement.classList.contains('rn-search__input')")
        width = driver.execute_script("return document.querySelector('.rn-search__input').getBoundingClientRect().width")
        assert width > 390 * 0.7, width
        found = site_search(driver, "vLLM")
        assert titles(found)[0] == VLLM
        panel = driver.execute_script(
            "const r = document.querySelector('.rn-search__panel').getBoundingClientRect(); return [r.left, r.right]"
        )
        assert panel[0] >= 0 and panel[1] <= 390, panel
        box.send_keys(Keys.ESCAPE)  # closed: the header is back, with the whole name
        assert not box.is_displayed() and toggle.is_displayed()
        assert driver.execute_script(SITE_NAME)[1] <= driver.execute_script(SITE_NAME)[2]
        driver.execute_script("document.activeElement.blur()")
        ActionChains(driver).send_keys("/").perform()  # the keyboard opens it too
        assert box.is_displayed()
        assert driver.execute_script("return document.activeElement.classList.contains('rn-search__input')")
        driver.find_element("css selector", ".rn-search__close").click()
        assert not box.is_displayed() and toggle.is_displayed()
        assert external_requests(driver) == []


def test_a_wide_screen_shows_the_box_and_no_icon(served):
    _, base = served
    with chrome(width=1280, height=900) as driver:
        driver.get(base)
        assert driver.find_element("css selector", ".rn-search__input").is_displayed()
        assert not driver.find_element("css selector", ".rn-search__toggle").is_displayed()
        assert not driver.find_element("css selector", ".rn-search__close").is_displayed()
        name = driver.execute_script(SITE_NAME)
        assert name[1] <= name[2]


def test_a_query_finds_words_in_every_piece_of_a_finely_cut_index(tmp_path, monkeypatch):
    from generator.finish import search

    notes = {f"osdi/2020/c{i}.md": note(f"Common {i}", body=f"## Notes\n\n{'memory ' * 40}unique{i}word zeta{i} more text\n")
             for i in range(20)}  # fmt: skip
    write_site(tmp_path, notes)
    assert run_mkdocs(tmp_path, "--strict").returncode == 0
    monkeypatch.setattr(search, "CHUNK_BYTES", 200)  # many pieces, "memory" alone in one
    shutil.rmtree(tmp_path / "site" / search.OUTPUT)
    search.index_site(tmp_path / "site")
    assert len(list((tmp_path / "site" / search.OUTPUT / "index").glob("*.pf_index"))) > 5
    with serve(tmp_path / "site") as base, chrome() as driver:
        driver.get(base)
        assert len(site_search(driver, "memory")) == 8  # the first page of 20 results
        assert "20 results" in driver.find_element("css selector", ".rn-search__status").text
        for i in (0, 7, 13, 19):
            assert titles(site_search(driver, f"unique{i}word")) == [f"Common {i}"]
            assert titles(site_search(driver, f"memory zeta{i}")) == [f"Common {i}"]  # two words, two pieces
        site_search(driver, "memory")
        driver.find_element("css selector", ".rn-search__next").click()  # the next page of results
        from selenium.webdriver.support.ui import WebDriverWait

        WebDriverWait(driver, 15).until(lambda d: len(d.find_elements("css selector", ".rn-search__result")) == 16)
        assert "the first 16 shown" in driver.find_element("css selector", ".rn-search__status").text
        assert external_requests(driver) == []
