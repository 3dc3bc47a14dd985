"""Real headless Chromium for browser tests: a static server on 127.0.0.1 and a Selenium driver.

Uses Debian's /usr/bin/chromium and /usr/bin/chromedriver; nothing is downloaded. Tests skip when
they are missing, unless REQUIRE_BROWSER=1 (as in CI), where they fail instead.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage"]  # fmt: skip
# Records alert/confirm/prompt calls before any page script runs, so injected script is caught.
DIALOG_TRAP = (
    "window.__dialogs = [];"
    "for (const name of ['alert', 'confirm', 'prompt', 'print']) {"
    "  window[name] = (message) => { window.__dialogs.push(name + ':' + String(message)); };"
    "}"
)


def require_browser() -> None:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not (Path(p).exists() or shutil.which(p))]
    if missing:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests need {', '.join(missing)} (apt-get install chromium chromium-driver)")
        pytest.skip(f"no {', '.join(missing)}")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 and yield its base URL ("http://127.0.0.1:PORT/")."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chrome(width: int = 1280, height: int = 1000, dark: bool = False) -> Iterator[object]:
    """A headless Chromium driven by Selenium, with a dialog trap and network logging."""
    require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROME_FLAGS + [f"--window-size={width},{height}"] + (["--force-dark-mode"] if dark else []):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": DIALOG_TRAP})
        yield driver
    finally:
        driver.quit()


def dialogs(driver: object) -> list[str]:
    """The alert/confirm/prompt calls the current page made."""
    return list(driver.execute_script("return window.__dialogs || []"))  # type: ignore[attr-defined]


def requested_urls(driver: object) -> list[str]:
    """Every URL the browser requested since the last call (from Chrome's performance log)."""
    urls = []
    for entry in driver.get_log("performance"):  # type: ignore[attr-defined]
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def external_requests(driver: object) -> list[str]:
    """Requested URLs that did not go to 127.0.0.1 (data: and blob: URLs are local)."""
    out = []
    for url in requested_urls(driver):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme in ("data", "blob", "about", "chrome"):
            continue
        if parts.hostname not in ("127.0.0.1", "localhost"):
            out.append(url)
    return out


def site_search(driver: object, text: str, timeout: float = 20) -> list[tuple[str, str]]:
    """Type ``text`` into the header search box (search.js over Pagefind); the results (title, link), best first."""
    import time

    from selenium.webdriver.common.keys import Keys

    box = driver.find_element("css selector", "input.rn-search__input")  # type: ignore[attr-defined]
    if not box.is_displayed():  # a narrow screen: the box opens from the header's search icon
        driver.find_element("css selector", ".rn-search__toggle").click()  # type: ignore[attr-defined]
    box.click()
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.BACKSPACE)
    box.send_keys(text)
    read = (
        "const status = document.querySelector('.rn-search__status').textContent;"
        "const items = [...document.querySelectorAll('.rn-search__result')];"
        "return [status, items.map(li => [li.querySelector('.rn-search__title').textContent, li.querySelector('a').href])];"
    )
    previous, deadline = None, time.time() + timeout
    while time.time() < deadline:  # results follow the keystrokes: wait until they stop changing
        status, items = driver.execute_script(read)  # type: ignore[attr-defined]
        current = [tuple(item) for item in items]
        settled = status and not status.startswith(("Searching", "Type to search"))
        if settled and current == previous:
            return current
        previous = current if settled else None
        time.sleep(0.25)
    raise AssertionError(f"search results for {text!r} never settled")
