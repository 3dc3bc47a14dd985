"""Ticking papers on a reading path in real Chromium: the progress bar moves and survives a reload."""

from __future__ import annotations

import json

import yaml
from browser import chrome, dialogs, external_requests, serve
from conftest import note, run_mkdocs, write_site


def test_ticks_update_progress_and_survive_reload(tmp_path):
    notes = {
        "osdi/2022/orca.md": note("Orca", level="essential"),
        "sosp/2023/vllm.md": note("vLLM", venue="SOSP", year=2023),
        "paths/must-read.yml": (
            "title: Must read\nsections:\n  - title: S\n    steps:\n      - orca\n      - vllm\n"
            "      - {title: A course, url: 'https://example.org/c', kind: course, level: recommended}\n"
        ),
    }
    write_site(tmp_path, notes)
    build = run_mkdocs(tmp_path, "--strict")
    assert build.returncode == 0, build.log
    with serve(tmp_path / "site") as base, chrome() as driver:
        driver.get(base + "must-read/")
        text = driver.find_element("css selector", ".rn-path-progress__visitor-text")
        assert text.text == "0 of 3 steps"
        boxes = driver.find_elements("css selector", "input.rn-path-tick__box")
        assert len(boxes) == 3 and all(box.is_displayed() for box in boxes)
        boxes[0].click()
        boxes[2].click()
        assert text.text == "2 of 3 steps"
        # the ticked papers the maintainers have not read yet, as YAML for a pull request (a course has no note)
        export = driver.find_element("css selector", ".rn-path-export")
        assert export.is_displayed()
        yaml_text = driver.execute_script("return document.querySelector('.rn-path-export__yaml').textContent")
        assert yaml_text == '"papers/osdi/2022/orca.md": {status: read}\n'
        assert yaml.safe_load(yaml_text) == {"papers/osdi/2022/orca.md": {"status": "read"}}
        assert driver.find_element("css selector", ".rn-path-progress__visitor").get_attribute("value") == "2"
        stored = driver.execute_script("return Object.entries(localStorage)")
        assert len(stored) == 1 and json.loads(stored[0][1]) == {"orca": True, "course-a-course": True}

        driver.refresh()
        assert driver.find_element("css selector", ".rn-path-progress__visitor-text").text == "2 of 3 steps"
        boxes = driver.find_elements("css selector", "input.rn-path-tick__box")
        assert [b.is_selected() for b in boxes] == [True, False, True]
        boxes[0].click()
        assert driver.find_element("css selector", ".rn-path-progress__visitor-text").text == "1 of 3 steps"

        # the level filter hides what is not essential
        driver.find_element("css selector", "button[data-rn-level='essential']").click()
        visible = [li.get_attribute("id") for li in driver.find_elements("css selector", "li.rn-path-step") if li.is_displayed()]
        assert visible == ["step-1"]
        driver.find_element("css selector", "button[data-rn-level='all']").click()
        assert all(li.is_displayed() for li in driver.find_elements("css selector", "li.rn-path-step"))
        # a paper page has the same tick: unticking Orca there unticks it on the path
        driver.get(base + "papers/osdi/2022/orca/")
        box = driver.find_element("css selector", ".rn-path-tick-line input.rn-path-tick__box")
        assert box.is_displayed() and box.is_selected() is False  # Orca was unticked above
        box.click()
        driver.get(base + "must-read/")
        assert [b.is_selected() for b in driver.find_elements("css selector", "input.rn-path-tick__box")] == [True, False, True]
        driver.get(base + "papers/osdi/2022/orca/")
        driver.find_element("css selector", ".rn-path-tick-line input.rn-path-tick__box").click()  # untick again
        # the path cards show this visitor's ticks too (1 of 3 is still ticked)
        driver.get(base + "paths/")
        ticks = driver.find_element("css selector", ".rn-path-card__ticks")
        assert ticks.is_displayed() and ticks.text == "Ticked by you: 1 of 3"
        assert dialogs(driver) == []
        assert external_requests(driver) == []
