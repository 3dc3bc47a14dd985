"""The shipped site in real headless Chromium: it renders, runs no injected script, asks nothing of the internet."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from browser import chrome, dialogs, external_requests, serve
from conftest import ROOT, note, run_engine, write_site


@pytest.fixture(scope="module")
def shipped_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("browser") / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(ROOT / "mkdocs.yml"), "-d", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    return out


def test_pages_render_offline_with_no_third_party_request(shipped_site):
    with serve(shipped_site) as base, chrome() as driver:
        for url in ["", "venues/", "venues/osdi/2022/", "tags/gpu-sharing/", "papers/osdi/2022/reef/"]:
            driver.get(base + url)
            assert driver.find_element("css selector", "h1").text
            assert dialogs(driver) == []
        assert external_requests(driver) == []
        driver.get(base + "venues/osdi/2022/")
        titles = [a.text for a in driver.find_elements("css selector", "a.rn-paper__title")]
        assert any("Microsecond-scale Preemption" in t for t in titles)


def test_injected_front_matter_runs_no_script(tmp_path, engine):
    payload = "<img src=x onerror=alert(1)><script>alert(2)</script>"
    write_site(tmp_path, {"osdi/2022/evil.md": note(payload.replace('"', "'"), summary=f"'{payload}'", topic=f"'{payload}'")})
    build = run_engine(tmp_path, engine)
    assert build.returncode == 0, build.log
    with serve(tmp_path / "site") as base, chrome() as driver:
        for url in ["papers/osdi/2022/evil/", "venues/osdi/2022/", "venues/", "tags/", ""]:
            driver.get(base + url)
            assert dialogs(driver) == [], url
        driver.get(base + "papers/osdi/2022/evil/")
        assert payload in driver.find_element("css selector", "h1").text  # shown as text
        assert driver.title.startswith("<img src=x onerror=alert(1)>")
