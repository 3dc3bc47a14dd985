"""The "Cite" block in real headless Chromium: the copy button copies the entry, with and without
the async clipboard API, survives instant navigation, and shows injected titles as text."""

from __future__ import annotations

import time

import pytest
from browser import chrome, dialogs, external_requests, serve
from conftest import MKDOCS_YML, note, run_mkdocs, write_site

INSTANT_YML = MKDOCS_YML.replace("  font: false\n", "  font: false\n  features:\n    - navigation.instant\n")
EVIL = "Foo}, author={Mallory <img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The site built for the address it is served at: instant navigation only follows links that
    sitemap.xml lists with the same host, port and path."""
    root = tmp_path_factory.mktemp("cite")
    (root / "site").mkdir()
    with serve(root / "site") as base:
        write_site(root, {
            "osdi/2022/orca.md": note("Orca: A Distributed Serving System", authors="[Gyeong-In Yu, Byung-Gon Chun]", tags="[LLM_serving]"),
            "osdi/2022/orca.bib": "@inproceedings{yuOrcaDistributed2022,\n  pages = {521--538}\n}\n",  # its key is the citekey
            "osdi/2022/evil.md": note(EVIL, authors="['Mallory}, title={x']"),
        }, mkdocs_yml=INSTANT_YML.replace("https://example.org/notes/", base))  # fmt: skip
        build = run_mkdocs(root, "--strict")
        assert build.returncode == 0, build.log
        yield base


def _wait(driver, script: str, timeout: float = 10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = driver.execute_script(script)
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for: {script}")


def _entry(driver) -> str:
    return driver.execute_script("return document.querySelector('.rn-cite pre').textContent")


def test_copy_button_uses_the_clipboard_api(served):
    base = served
    with chrome() as driver:
        driver.get(base + "papers/osdi/2022/orca/")
        buttons = driver.find_elements("css selector", ".rn-cite .rn-cite__copy")
        assert [b.text for b in buttons] == ["Copy BibTeX"]
        entry = _entry(driver)
        assert entry.startswith("@inproceedings{yuOrcaDistributed2022,\n  title = {{Orca: A Distributed Serving System}},")
        assert "  pages = {521--538},\n" in entry
        driver.execute_script(
            "window.__copied = null;navigator.clipboard.writeText = function (t) { window.__copied = t; return Promise.resolve(); };"
        )
        buttons[0].click()
        assert _wait(driver, "return window.__copied") == entry
        assert _wait(driver, "return document.querySelector('.rn-cite__status').textContent") == "Copied"
        assert dialogs(driver) == []
        assert external_requests(driver) == []


def test_copy_button_falls_back_to_a_hidden_textarea(served):
    base = served
    with chrome() as driver:
        driver.get(base + "papers/osdi/2022/orca/")
        driver.execute_script(
            "window.__copied = null;"
            "Object.defineProperty(navigator, 'clipboard', {value: undefined, configurable: true});"
            "document.addEventListener('copy', function (e) { window.__copied = e.target.value; });"
        )
        driver.find_element("css selector", ".rn-cite__copy").click()
        assert _wait(driver, "return window.__copied") == _entry(driver)
        assert driver.execute_script("return document.querySelectorAll('textarea').length") == 0  # cleaned up


def test_cite_block_survives_instant_navigation_and_shows_injections_as_text(served):
    base = served
    with chrome() as driver:
        driver.get(base + "venues/osdi/2022/")
        _wait(driver, "return typeof document$ !== 'undefined'")
        driver.execute_script("window.__sameDocument = true")
        link = next(a for a in driver.find_elements("css selector", "a.rn-paper__title") if a.text.startswith("Foo}"))
        link.click()
        _wait(driver, "return location.pathname.endsWith('/papers/osdi/2022/evil/')")
        _wait(driver, "return document.querySelectorAll('.rn-cite__copy').length === 1")
        assert driver.execute_script("return window.__sameDocument") is True  # instant navigation, no reload
        entry = _entry(driver)
        assert "title = {{Foo\\textbraceright{}, author=\\textbraceleft{}Mallory <img src=x onerror=alert(1)>}}" in entry
        assert driver.find_elements("css selector", ".rn-cite img") == []
        driver.back()
        _wait(driver, "return location.pathname.endsWith('/venues/osdi/2022/')")
        driver.forward()
        _wait(driver, "return location.pathname.endsWith('/papers/osdi/2022/evil/')")
        _wait(driver, "return document.querySelectorAll('.rn-cite__copy').length === 1")
        assert dialogs(driver) == []
