"""The report in a real headless Chromium: every removal shown, no hostile script runs.

Skipped when Chromium or chromedriver is missing, unless ``DECRUFT_REQUIRE_BROWSER=1`` (CI),
where a missing browser fails the test. ``DECRUFT_SCREENSHOT_DIR`` keeps copies of the
screenshots for a person to look at.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import report_support as support

from flows.report import HEADLESS_CHROMIUM_FLAGS, ReportWriter

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = (*HEADLESS_CHROMIUM_FLAGS, "--window-size=1280,1400")


def _find(*names: str) -> str | None:
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    chromium = _find("chromium", "chromium-browser")
    chromedriver = _find("chromedriver")
    if not chromium or not chromedriver:
        message = "Debian's chromium and chromium-driver are needed for the browser test"
        if os.environ.get("DECRUFT_REQUIRE_BROWSER") == "1":
            pytest.fail(message + " (DECRUFT_REQUIRE_BROWSER=1)")
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in CHROMIUM_ARGS:
        options.add_argument(arg)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drv = webdriver.Chrome(service=Service(chromedriver), options=options)
    try:
        yield drv
    finally:
        drv.quit()


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    report_dir = tmp_path_factory.mktemp("browser-run") / "report"
    writer = ReportWriter(report_dir, {"run_id": "browser-test"}, docs_per_page=4)
    for rec in support.sample_records():
        writer.add(rec)
    paths = writer.close({})
    return report_dir, json.loads(paths["json"].read_text(encoding="utf-8"))


def screenshot(drv: Any, path: Path) -> None:
    assert drv.save_screenshot(str(path))
    assert path.stat().st_size > 10_000
    keep = os.environ.get("DECRUFT_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(keep) / path.name)


def assert_nothing_hostile_ran(drv: Any, title: str) -> None:
    assert drv.execute_script("return typeof window.__pwned") == "undefined"
    assert drv.title == title
    assert (
        drv.execute_script("return document.querySelectorAll('img,svg,iframe,object').length") == 0
    )
    scripts = drv.execute_script(
        "return Array.from(document.scripts).filter(s => s.type !== 'application/json').length"
    )
    assert scripts == 1


def console_errors(drv: Any) -> list[str]:
    return [e["message"] for e in drv.get_log("browser") if e["level"] == "SEVERE"]


def test_index_renders_and_filters(driver: Any, report: Any, tmp_path: Path) -> None:
    report_dir, data = report
    driver.get((report_dir / "index.html").as_uri())
    rows = driver.find_elements("css selector", "#docs-body tr")
    assert len(rows) == len(data["documents"])  # our script ran under the CSP
    assert_nothing_hostile_ran(driver, "decruft review report")
    screenshot(driver, tmp_path / "report-index.png")
    texts = [r.text for r in rows]
    assert any("<b>hostile-script</b>" in t for t in texts)  # ids shown as text
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element("id", "f-status")).select_by_value("failed")
    rows = driver.find_elements("css selector", "#docs-body tr")
    assert len(rows) == 1
    assert "bad" in rows[0].text
    Select(driver.find_element("id", "f-status")).select_by_value("held")
    assert len(driver.find_elements("css selector", "#docs-body tr")) == 1
    assert console_errors(driver) == []


def test_every_removal_is_shown_and_no_script_runs(
    driver: Any, report: Any, tmp_path: Path
) -> None:
    report_dir, data = report
    checked = 0
    by_page: dict[str, list[dict[str, Any]]] = {}
    for doc in data["documents"]:
        by_page.setdefault(doc["page"].split("#")[0], []).append(doc)
    for page, docs in by_page.items():
        driver.get((report_dir / page).as_uri())
        title = driver.title
        assert title.startswith("decruft report")
        assert_nothing_hostile_ran(driver, title)
        shown = driver.execute_script(
            "return Array.from(document.querySelectorAll('mark.rm')).map(m => "
            "[m.id, m.querySelector('.t').textContent, m.title, "
            "m.getBoundingClientRect().height > 0])"
        )
        marks = {mark_id: (text, label, visible) for mark_id, text, label, visible in shown}
        for doc in docs:
            anchor = doc["page"].split("#")[1]
            for kind, items in (("r", doc["removals"]), ("h", doc["held_removals"])):
                for i, rm in enumerate(items):
                    text, label, visible = marks.pop(f"{anchor}-{kind}{i}")
                    assert text == rm["text"]
                    assert rm["rule"] in label and rm["reason"] in label
                    assert visible
                    checked += 1
            if doc["dom_removals"]:
                items = driver.find_elements("css selector", f"#{anchor} li.dom-removal")
                assert len(items) == len(doc["dom_removals"])
        assert marks == {}  # and nothing marked that is not in report.json
        hostile = [d for d in docs if "hostile-script" in d["id"]]
        if hostile:
            target = hostile[0]["page"].split("#")[1]
            driver.execute_script(f"document.getElementById('{target}').scrollIntoView()")
            screenshot(driver, tmp_path / "report-hostile-page.png")
            body = driver.find_element("tag name", "body").text
            assert "<script>window.__pwned" in body
            assert "<img src=x onerror=" in body
        assert console_errors(driver) == []
    assert checked == sum(len(d["removals"]) + len(d["held_removals"]) for d in data["documents"])
    assert checked > 10


def test_keyboard_navigation_and_clean_view(driver: Any, report: Any) -> None:
    report_dir, data = report
    first = data["documents"][0]
    page, anchor = first["page"].split("#")
    driver.get((report_dir / page).as_uri() + "#" + anchor)
    mark_ids = driver.execute_script(
        "return Array.from(document.querySelectorAll('mark.rm')).map(m => m.id)"
    )
    body = driver.find_element("tag name", "body")
    body.send_keys("j")
    assert driver.switch_to.active_element.get_attribute("id") == anchor + "-r0" == mark_ids[0]
    assert "Removal 1 of" in driver.find_element("id", "status").text
    body.send_keys("j")
    assert driver.switch_to.active_element.get_attribute("id") == mark_ids[1]
    body.send_keys("k")
    assert driver.switch_to.active_element.get_attribute("id") == mark_ids[0]
    body.send_keys("c")
    assert "clean" in body.get_attribute("class")
    assert not driver.find_element("css selector", "mark.rm:not(.held)").is_displayed()
    assert driver.find_element("id", "toggle").get_attribute("aria-pressed") == "true"
    body.send_keys("c")
    assert driver.find_element("css selector", "mark.rm").is_displayed()
    body.send_keys("n")
    assert driver.switch_to.active_element.get_attribute("id") == "d1"
    for _ in range(3):  # d2, d3, then across to the next page
        body.send_keys("n")
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 5).until(lambda d: d.current_url.endswith("p00002.html"))
    assert driver.find_element("css selector", "article.doc.current").get_attribute("id") == "d4"
