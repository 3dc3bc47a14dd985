"""Search and the explorer in real headless Chromium, on a fixture site served from 127.0.0.1.

Covers: the site search (search.js over Pagefind) finds papers by tag (both spellings), title, author, venue + year,
summary and Chinese words; explore/ shows exactly the papers a URL asks for; chips change the URL
and the rows, Back/Forward restore them, the keyboard works; tag pages open the explorer
pre-filtered through instant navigation; CSV and BibTeX downloads hold the selection; injected
titles and URL parameters run no script; no request leaves 127.0.0.1.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from pathlib import Path

import pytest
from browser import chrome, dialogs, external_requests, serve, site_search
from conftest import MKDOCS_YML, note, run_mkdocs, write_site

YML = MKDOCS_YML.replace("theme:\n  name: material\n", "theme:\n  name: material\n  features:\n    - navigation.instant\n")
assert "navigation.instant" in YML

EVIL = "<img src=x onerror=alert(1)><script>alert(2)</script>"
NOTES = {
    "osdi/2022/alpha.md": note(
        "Alpha: Spatial GPU Sharing for Inference",
        tags="[GPU_sharing, co-location]",
        authors="[Mingcong Han, Ada Lovelace]",
        aka="[KernelPack]",
        summary="Packs kernels of many models onto one GPU.",
        level="essential",
        status="read",
        added="2023-05-01",
    ),
    "sosp/2021/beta.md": note(
        "Beta: Temporal Multiplexing",
        venue="SOSP",
        year=2021,
        tags="[GPU_sharing]",
        summary="Time slices for training jobs.",
        status="reading",
        added="2022-01-10",
    ),
    "osdi/2020/gamma.md": note(
        "Gamma: Colocated Batch Jobs",
        year=2020,
        tags="[co-location, cluster_scheduling]",
        summary="Packs batch jobs next to services.",
        level="recommended",
    ),
    "atc/2023/delta.md": note(
        "Delta: Serving LLMs on Shared GPUs",
        venue="ATC",
        year=2023,
        tags="[gpu-sharing, co-location, LLM_serving]",
        summary="Continuous batching on shared GPUs.",
    ),
    "eurosys/2024/zh.md": note(
        "Epsilon: 显存调度",
        venue="EuroSys",
        year=2024,
        tags="[显存管理]",
        summary="在多个训练任务之间按需调度显存。",
        body="## 问题\n\n本文提出一种基于时间片的显存共享调度方法，降低了训练任务的排队时间。\n",
    ),
    "osdi/2019/evil.md": note(EVIL.replace('"', "'"), year=2019, summary=f"'{EVIL}'", authors=f"['{EVIL}']", tags="[security]"),
    "osdi/2018/formula.md": note("=HYPERLINK(1)", year=2018, tags="[security]"),
}
ALPHA, BETA, GAMMA, DELTA = (
    "Alpha: Spatial GPU Sharing for Inference", "Beta: Temporal Multiplexing",
    "Gamma: Colocated Batch Jobs", "Delta: Serving LLMs on Shared GPUs",
)  # fmt: skip
EPSILON = "Epsilon: 显存调度"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The fixture site, built for the address it is served at: mkdocs-material's instant navigation
    only follows links that its sitemap.xml lists, with the same host, port and path."""
    root = tmp_path_factory.mktemp("explore")
    (root / "site").mkdir()
    with serve(root / "site") as base:
        write_site(root, NOTES, mkdocs_yml=YML.replace("https://example.org/notes/", base))
        build = run_mkdocs(root, "--strict")
        assert build.returncode == 0, build.log
        yield root / "site", base


@pytest.fixture(scope="module")
def built(served) -> Path:
    return served[0]


@pytest.fixture(scope="module")
def browser(served):
    with chrome() as driver:
        driver.set_script_timeout(20)
        yield served[1], driver
        assert external_requests(driver) == []


def wait(driver, condition, timeout: float = 15):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(lambda d: condition())


def open_explorer(driver, url: str) -> None:
    driver.get(url)
    wait(driver, lambda: driver.find_elements("css selector", ".rn-explore[data-results]"))


def rows(driver) -> list[str]:
    """The titles in the table, read in one go (the rows are rebuilt on every change)."""
    return driver.execute_script(
        "return [...document.querySelectorAll('.rn-explore__table tbody .rn-explore__title')].map(a => a.textContent)"
    )


def query(driver) -> list[tuple[str, str]]:
    return urllib.parse.parse_qsl(urllib.parse.urlsplit(driver.current_url).query)


def search(driver, text: str, papers_only: bool = False) -> list[str]:
    """Type into the header search box; the titles of the result pages (or papers), best first."""
    return [title for title, href in site_search(driver, text) if "/papers/" in href or not papers_only]


def test_search_finds_papers_by_tag_title_author_venue_summary_and_chinese(browser):
    base, driver = browser
    driver.get(base)
    papers_for = lambda text: search(driver, text, papers_only=True)  # noqa: E731
    for text in ["GPU_sharing", "gpu sharing", "gpu-sharing"]:
        found = papers_for(text)
        assert set(found[:3]) == {ALPHA, BETA, DELTA}, (text, found)
    assert all("/papers/" in href for _, href in site_search(driver, "GPU_sharing"))  # no listing page: the papers
    assert papers_for("OSDI 2022")[0] == ALPHA
    assert papers_for("Mingcong")[0] == ALPHA
    assert papers_for("Temporal Multiplexing")[0] == BETA
    assert papers_for("continuous batching")[0] == DELTA  # summary
    assert papers_for("cluster_scheduling")[0] == GAMMA
    # Chinese: a word from the middle of a sentence of the body, a tag, a word of the summary
    for text in ["显存共享", "排队时间", "显存管理", "训练任务"]:
        assert EPSILON in papers_for(text)[:2], text
    assert dialogs(driver) == []


def test_search_results_show_injected_text_as_text(browser):
    base, driver = browser
    driver.get(base)
    found = search(driver, "onerror")
    assert any("<img src=x onerror=alert(1)>" in t for t in found), found
    assert driver.find_elements("css selector", ".rn-search img") == []
    assert dialogs(driver) == []


def test_explorer_url_with_two_tags_shows_exactly_the_papers_with_both(browser):
    base, driver = browser
    open_explorer(driver, base + "explore/?tag=GPU_sharing&tag=co-location")
    assert rows(driver) == [DELTA, ALPHA]  # newest first
    chosen = [b.get_attribute("aria-label") for b in driver.find_elements("css selector", ".rn-explore__facets [aria-pressed=true]")]
    assert chosen == ["#GPU_sharing: 2 papers", "#co-location: 2 papers"]
    assert driver.find_element("css selector", ".rn-explore__count").text == "2 of 7 papers"

    open_explorer(driver, base + "explore/?tag=gpu-sharing&tag=%23co_location&match=any")  # other spellings
    assert set(rows(driver)) == {ALPHA, BETA, GAMMA, DELTA}
    open_explorer(driver, base + "explore/?venue=osdi&from=2020&to=2022")
    assert rows(driver) == [ALPHA, GAMMA]
    open_explorer(driver, base + "explore/?level=essential&level=recommended&sort=title")
    assert rows(driver) == [ALPHA, GAMMA]
    open_explorer(driver, base + "explore/?status=reading")
    assert rows(driver) == [BETA]
    open_explorer(driver, base + "explore/?text=lovelace")
    assert rows(driver) == [ALPHA]
    open_explorer(driver, base + "explore/?text=kernelpack")  # a short name (aka)
    assert rows(driver) == [ALPHA]
    assert "rn-search--open" not in driver.find_element("css selector", ".rn-search").get_attribute("class")
    open_explorer(driver, base + "explore/?text=gpu+sharing&sort=year&order=asc")
    assert rows(driver) == [BETA, ALPHA, DELTA]


def test_live_counts_per_tag_and_venue(browser):
    base, driver = browser
    open_explorer(driver, base + "explore/?tag=co-location")
    counts = {
        b.get_attribute("data-tag") or b.get_attribute("data-venue"): int(b.find_element("css selector", ".rn-explore-facet__count").text)
        for b in driver.find_elements("css selector", ".rn-explore__facets button.rn-explore-facet")
    }
    # tags: papers you would get by adding the tag; venues: among papers with the chosen tags
    assert counts["co-location"] == 3 and counts["GPU_sharing"] == 2 and counts["cluster_scheduling"] == 1
    assert "security" not in counts
    assert counts["OSDI"] == 2 and counts["ATC"] == 1 and "SOSP" not in counts


def test_chips_change_url_and_rows_and_back_forward_restore_them(browser):
    base, driver = browser
    open_explorer(driver, base + "explore/")
    assert len(rows(driver)) == 7

    def click(selector: str) -> None:
        driver.find_element("css selector", selector).click()

    click('.rn-explore-facet[data-tag="GPU_sharing"]')
    assert query(driver) == [("tag", "GPU_sharing")]
    assert rows(driver) == [DELTA, ALPHA, BETA]
    click('.rn-explore-facet[data-tag="co-location"]')
    assert query(driver) == [("tag", "GPU_sharing"), ("tag", "co-location")]
    assert rows(driver) == [DELTA, ALPHA]
    click('.rn-explore__table a[data-add-venue="OSDI"]')  # a venue in a row adds that filter
    assert query(driver) == [("tag", "GPU_sharing"), ("tag", "co-location"), ("venue", "OSDI")]
    assert rows(driver) == [ALPHA]
    click('.rn-explore__sort[data-sort="title"]')
    assert ("sort", "title") in query(driver)

    driver.back()
    wait(driver, lambda: rows(driver) == [ALPHA] and ("sort", "title") not in query(driver))
    driver.back()
    wait(driver, lambda: rows(driver) == [DELTA, ALPHA])
    assert query(driver) == [("tag", "GPU_sharing"), ("tag", "co-location")]
    driver.back()
    wait(driver, lambda: rows(driver) == [DELTA, ALPHA, BETA])
    driver.back()
    wait(driver, lambda: len(rows(driver)) == 7)
    assert query(driver) == []
    driver.forward()
    wait(driver, lambda: rows(driver) == [DELTA, ALPHA, BETA])
    assert driver.find_element("css selector", '.rn-explore-facet[data-tag="GPU_sharing"]').get_attribute("aria-pressed") == "true"

    click('.rn-explore__table a[data-add-tag="LLM_serving"]')  # a tag chip in a row adds that tag
    assert query(driver) == [("tag", "GPU_sharing"), ("tag", "LLM_serving")]
    assert rows(driver) == [DELTA]
    click('.rn-explore-chosen[data-remove="all"]')
    assert query(driver) == [] and len(rows(driver)) == 7
    assert dialogs(driver) == []


def test_has_notes_facet_and_mark(browser):
    """Which papers have written notes is derived from the body: a facet, a URL, and a mark per row."""
    base, driver = browser
    open_explorer(driver, base + "explore/")
    driver.find_element("css selector", '.rn-explore-facet[data-notes="with"]').click()
    assert query(driver) == [("notes", "with")]
    assert rows(driver) == [EPSILON]
    marks = driver.execute_script(
        "return [...document.querySelectorAll('.rn-explore__table tbody tr')].map(tr =>"
        "  [tr.querySelector('.rn-explore__title').textContent, !!tr.querySelector('.rn-notes')])"
    )
    assert marks == [[EPSILON, True]]
    chosen = [b.text for b in driver.find_elements("css selector", ".rn-explore-chosen")]
    assert chosen[0].startswith("✎ has notes")
    open_explorer(driver, base + "explore/?notes=without&tag=GPU_sharing")
    assert rows(driver) == [DELTA, ALPHA, BETA]
    assert not driver.find_elements("css selector", ".rn-explore__table tbody .rn-notes")
    assert dialogs(driver) == []


def test_keyboard_alone_filters_and_keeps_focus(browser):
    from selenium.webdriver.common.keys import Keys

    base, driver = browser
    open_explorer(driver, base + "explore/")
    driver.find_element("css selector", ".rn-explore__text").send_keys("colocated")
    wait(driver, lambda: rows(driver) == [GAMMA])
    assert query(driver) == [("text", "colocated")]
    driver.find_element("css selector", ".rn-explore__text").send_keys(Keys.TAB)  # to the "all" radio
    active = driver.switch_to.active_element
    assert active.get_attribute("name") == "rn-explore-match"
    driver.find_element("css selector", ".rn-explore__text").clear()
    open_explorer(driver, base + "explore/")
    button = driver.find_element("css selector", '.rn-explore-facet[data-tag="co-location"]')
    driver.execute_script("arguments[0].focus()", button)
    driver.switch_to.active_element.send_keys(Keys.SPACE)
    wait(driver, lambda: query(driver) == [("tag", "co-location")])
    focused = driver.switch_to.active_element
    assert focused.get_attribute("data-tag") == "co-location" and focused.get_attribute("aria-pressed") == "true"
    focused.send_keys(Keys.ENTER)  # again: off
    wait(driver, lambda: query(driver) == [])


def test_tag_page_opens_the_explorer_prefiltered_with_instant_navigation(browser):
    base, driver = browser
    driver.get(base + "tags/co-location/")
    driver.execute_script("window.__same_document = true")
    driver.find_element("css selector", "a.rn-explore-link").click()
    wait(driver, lambda: driver.find_elements("css selector", ".rn-explore[data-results]"))
    assert driver.execute_script("return window.__same_document === true")  # instant navigation, no reload
    assert query(driver) == [("tag", "co-location")]
    assert rows(driver) == [DELTA, ALPHA, GAMMA]
    # a paper, then Back: the explorer comes back with its filters
    driver.find_element("css selector", '.rn-explore-facet[data-tag="LLM_serving"]').click()
    assert rows(driver) == [DELTA]
    driver.find_element("css selector", ".rn-explore__title").click()
    wait(
        driver, lambda: "papers/atc/2023/delta/" in driver.current_url and driver.find_elements("css selector", "h1.rn-paper-header__title")
    )
    driver.back()
    wait(driver, lambda: rows(driver) == [DELTA] and driver.find_elements("css selector", ".rn-explore[data-results]"))
    assert driver.execute_script("return window.__same_document === true")
    assert dialogs(driver) == []


def test_injected_titles_tags_and_url_parameters_run_no_script(browser):
    base, driver = browser
    params = urllib.parse.urlencode(
        [
            ("tag", "<script>alert(3)</script>"),
            ("tag", '"><img src=x onerror=alert(4)>'),
            ("venue", "<svg onload=alert(5)>"),
            ("text", EVIL),
            ("sort", "<b>"),
            ("from", "<i>"),
        ]
    )
    open_explorer(driver, base + "explore/?" + params)
    assert rows(driver) == []
    chosen = [b.text for b in driver.find_elements("css selector", ".rn-explore-chosen")]
    assert "#<script>alert(3)</script>\n×" in chosen or any("<script>alert(3)</script>" in c for c in chosen)
    assert any('"><img src=x onerror=alert(4)>' in c for c in chosen)
    open_explorer(driver, base + "explore/?tag=security")
    assert EVIL.replace('"', "'") in rows(driver)
    assert "=HYPERLINK(1)" in rows(driver)
    for selector in [".rn-explore img", ".rn-explore script", ".rn-explore svg", ".rn-explore b"]:
        assert driver.find_elements("css selector", selector) == [], selector
    open_explorer(driver, base + "explore/?text=" + urllib.parse.quote(EVIL))
    driver.get(base + "papers/osdi/2019/evil/")
    assert dialogs(driver) == []


CAPTURE_DOWNLOADS = """
window.__downloads = [];
URL.createObjectURL = function (blob) { window.__downloads.push(blob); return "blob:captured"; };
HTMLAnchorElement.prototype.click = function () { window.__downloads.push({name: this.download}); };
"""


def captured(driver) -> list[tuple[str, str]]:
    """[(file name, text)] of the downloads the page started since CAPTURE_DOWNLOADS ran."""
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1]; const out = []; const items = window.__downloads;"
        "(async () => { for (let i = 0; i < items.length; i += 2) out.push([items[i + 1].name, await items[i].text()]);"
        " done(out); })();"
    )


def test_csv_download_holds_the_current_selection(browser):
    base, driver = browser
    open_explorer(driver, base + "explore/?tag=security&sort=title")
    driver.execute_script(CAPTURE_DOWNLOADS)
    driver.find_element("css selector", ".rn-explore__export").click()
    [(name, text)] = wait(driver, lambda: captured(driver) or None)
    assert name == "papers.csv"
    lines = text.split("\r\n")
    assert lines[0] == "id,title,venue,year,tags,authors,level,status,notes,added,summary,url"
    assert lines[1].startswith('"evil","<img src=x onerror=alert(1)><script>alert(2)</script>","OSDI","2019","security",')
    assert lines[2].startswith('"formula","\'=HYPERLINK(1)",')  # no formula when a spreadsheet opens it
    assert lines[2].endswith(f',"{base}papers/osdi/2018/formula/"')
    assert lines[3:] == [""]


def test_bibtex_download_picks_the_selected_entries(built, browser):
    """The build publishes papers.bib and a citekey per paper: the button downloads the selection."""
    base, driver = browser
    keys = {p["id"]: p["citekey"] for p in json.loads((built / "papers.json").read_text(encoding="utf-8"))["papers"]}
    assert 'data-bibtex="../papers.bib"' in (built / "explore" / "index.html").read_text(encoding="utf-8")
    open_explorer(driver, base + "explore/?tag=GPU_sharing")
    driver.execute_script(CAPTURE_DOWNLOADS)
    buttons = driver.find_elements("css selector", ".rn-explore__export")
    assert [b.text for b in buttons] == ["Download CSV", "Download BibTeX"]
    buttons[1].click()
    [(name, text)] = wait(driver, lambda: captured(driver) or None)
    assert name == "papers.bib"
    picked = re.findall(r"^@\w+\{([^,\s]+),", text, re.MULTILINE)
    assert sorted(picked) == sorted([keys["alpha"], keys["beta"], keys["delta"]])
    assert "Temporal Multiplexing" in text and "Colocated" not in text
