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


# --- the editor's decisions: mark, export, publish ------------------------------------------


def _downloads(drv: Any, folder: Path) -> None:
    """Chromium saves downloads into ``folder`` without asking (a DevTools command)."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        drv.execute_cdp_cmd(
            "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(folder)}
        )
    except Exception:  # older Chromium: the page-level command
        drv.execute_cdp_cmd(
            "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(folder)}
        )


def _downloaded(folder: Path, before: set[str]) -> Path:
    from selenium.webdriver.support.ui import WebDriverWait

    def done(_drv: Any) -> Path | bool:
        new = [p for p in folder.iterdir() if p.name not in before]
        ready = [p for p in new if not p.name.endswith(".crdownload") and p.stat().st_size]
        return ready[0] if ready else False

    return WebDriverWait(None, 15).until(done)  # type: ignore[arg-type]


def test_mark_export_and_publish_the_decisions(
    prefect_harness: None, driver: Any, tmp_path: Path
) -> None:
    """Keep one removal (r) on page 1, exclude a document (x) on page 2, export, publish."""
    import subprocess
    import sys

    from selenium.webdriver.support.ui import WebDriverWait

    from cleaners import Removal, apply_removals
    from flows import decisions as dm
    from flows.clean_flow import clean_flow

    seeds = Path(__file__).parent / "cases" / "seeds" / "input"
    source = tmp_path / "incoming"
    shutil.copytree(seeds, source)
    for n in range(1, 6):  # 30 documents: two document pages
        shutil.copytree(seeds, source / f"more{n}")
    out, dest = tmp_path / "out", tmp_path / "published"
    summary = clean_flow(str(source), str(out))
    data = json.loads((out / "report" / "report.json").read_text(encoding="utf-8"))
    docs = {d["id"]: d for d in data["documents"]}
    many = docs["004_7802ac3fc612a4d0"]
    assert len(many["removals"]) >= 3 and many["page"].startswith("docs/p00001.html")
    excluded = next(d for d in data["documents"] if d["page"].startswith("docs/p00002.html"))
    kept = many["removals"][1]

    page, anchor = many["page"].split("#")
    driver.get((out / "report" / page).as_uri() + "#" + anchor)
    body = driver.find_element("tag name", "body")
    body.send_keys("j")
    body.send_keys("j")
    assert driver.switch_to.active_element.get_attribute("id") == f"{anchor}-r1"
    body.send_keys("r")
    mark = driver.find_element("id", f"{anchor}-r1")
    assert "kept" in mark.get_attribute("class").split()
    assert mark.find_element("css selector", ".badge").text == "kept"
    button = driver.find_element("css selector", f'button.keep[data-mark="{anchor}-r1"]')
    assert button.get_attribute("aria-pressed") == "true"
    assert "Kept: this text will be published" in driver.find_element("id", "status").text
    assert "1 kept" in driver.find_element("id", "dcount").text
    body.send_keys("c")  # the clean view shows what will be published: the kept text too
    assert mark.is_displayed()
    assert not driver.find_element("id", f"{anchor}-r0").is_displayed()
    assert not mark.find_element("css selector", ".badge").is_displayed()
    body.send_keys("c")

    page2, anchor2 = excluded["page"].split("#")
    driver.get((out / "report" / page2).as_uri() + "#" + anchor2)
    driver.find_element("tag name", "body").send_keys("x")
    article = driver.find_element("id", anchor2)
    assert "excluded" in article.get_attribute("class").split()
    assert article.find_element("css selector", ".dstate").text.startswith("Excluded")
    assert (
        driver.find_element("css selector", f"#{anchor2} button.act").get_attribute("aria-pressed")
        == "true"
    )
    count = driver.find_element("id", "dcount").text  # page 1's decision is remembered
    assert "1 kept · 1 excluded" in count and summary["review_id"] in count
    assert console_errors(driver) == []

    # The index shows them too: a count, and a chip in the document table.
    driver.get((out / "report" / "index.html").as_uri())
    note = driver.find_element("id", "decided-note").text
    assert note.startswith("Your decisions in this browser: 1 kept · 1 excluded")
    chips = driver.execute_script(
        "return Array.from(document.querySelectorAll('#docs-body tr')).filter(tr => "
        "tr.querySelector('.decided')).map(tr => [tr.querySelector('a').textContent, "
        "tr.querySelector('.decided').textContent, tr.className])"
    )
    assert sorted(chips) == sorted(
        [[many["id"], "1 kept", ""], [excluded["id"], "excluded", "excluded"]]
    )

    # Back on page 1 (a new page load): the kept removal is still marked; export from there.
    driver.get((out / "report" / page).as_uri() + "#" + anchor)
    mark = driver.find_element("id", f"{anchor}-r1")
    assert "kept" in mark.get_attribute("class").split()
    driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center'})",
        driver.find_element("css selector", f"#{anchor} ol.removals"),
    )
    screenshot(driver, tmp_path / "review-marked.png")
    folder = tmp_path / "downloads"
    _downloads(driver, folder)
    driver.find_element("id", "export").click()
    status = driver.find_element("id", "status").text
    assert "Type your name" in status  # who decided is required
    assert not list(folder.iterdir())
    driver.find_element("id", "decider").send_keys("Dana Editor")
    driver.find_element("id", "export").click()
    exported = _downloaded(folder, set())
    WebDriverWait(driver, 5).until(lambda d: "Exported" in d.find_element("id", "dsaved").text)
    content = json.loads(exported.read_text(encoding="utf-8"))
    assert content["format"] == "decruft-decisions-v1"
    assert content["review_id"] == summary["review_id"]
    assert content["decided_by"] == "Dana Editor"
    assert content["decided_at"].endswith("Z")
    assert content["documents"] == {
        many["id"]: {
            "action": "cleaned",
            "fingerprint": dm.fingerprint(many["removals"], many["held_removals"]),
            "restore": [{"start": kept["start"], "end": kept["end"], "rule": kept["rule"]}],
        },
        excluded["id"]: {
            "action": "exclude",
            "fingerprint": dm.fingerprint(excluded["removals"], excluded["held_removals"]),
        },
    }
    dm.load(content, out)  # WebCrypto's signature is the one Python computes

    # Where WebCrypto is absent (an http page on another host), the page's own HMAC signs.
    driver.execute_script("Object.defineProperty(window.crypto, 'subtle', {value: undefined})")
    _downloads(driver, tmp_path / "downloads-2")  # (the same name would overwrite the first)
    driver.find_element("id", "export").click()
    again = _downloaded(tmp_path / "downloads-2", set())
    fallback = json.loads(again.read_text(encoding="utf-8"))
    assert fallback["documents"] == content["documents"]
    dm.load(fallback, out)
    assert console_errors(driver) == []

    decruft = Path(sys.executable).with_name("decruft")
    done = subprocess.run(
        [str(decruft), "publish", str(out), "--to", str(dest), "--decisions", str(exported)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "1 excluded, 1 removals restored" in done.stdout
    original = (source / "004_7802ac3fc612a4d0.txt").read_text(encoding="utf-8")
    others = [
        Removal(r["start"], r["end"], r["rule"], r["category"], r["reason"], r["text"])
        for r in many["removals"]
        if r is not kept
    ]
    published = (dest / "current" / f"{many['id']}.txt").read_text(encoding="utf-8")
    assert published == apply_removals(original, others)
    assert kept["text"].strip() in published
    assert not (dest / "current" / f"{excluded['id']}.txt").exists()
    record = json.loads((dest / "current" / "publication.json").read_text(encoding="utf-8"))
    assert record["counts"]["published"] == len(docs) - 1
    assert record["approved_by"] == "Dana Editor"
    assert record["decisions"]["signature"] == content["signature"]


def test_held_documents_are_decided_in_the_page(
    prefect_harness: None, driver: Any, tmp_path: Path
) -> None:
    """a accepts a held document's removals (one of them kept), o publishes another's original,
    x excludes a third; the rest stay undecided, and publishing says so until decided."""
    import subprocess
    import sys

    from selenium.webdriver.support.ui import WebDriverWait

    from cleaners import Removal, apply_removals
    from flows.clean_flow import clean_flow

    source = tmp_path / "incoming"
    shutil.copytree(Path(__file__).parent / "cases" / "seeds" / "input", source)
    out, dest = tmp_path / "out", tmp_path / "published"
    clean_flow(str(source), str(out), max_share=0.001)
    data = json.loads((out / "report" / "report.json").read_text(encoding="utf-8"))
    held = [d for d in data["documents"] if d["held_removals"]]
    assert len(held) >= 4
    accepted = next(d for d in held if len(d["held_removals"]) >= 3)
    original, excluded, *undecided = [d for d in held if d is not accepted]

    def at(doc: dict[str, Any]) -> Any:
        page, anchor = doc["page"].split("#")
        driver.get((out / "report" / page).as_uri() + "#" + anchor)
        return driver.find_element("tag name", "body"), anchor

    body, anchor = at(accepted)
    body.send_keys("a")
    body.send_keys("j")
    body.send_keys("j")
    assert driver.switch_to.active_element.get_attribute("id") == f"{anchor}-h1"
    body.send_keys("r")
    article = driver.find_element("id", anchor)
    assert "accepted" in article.get_attribute("class").split()
    state = article.find_element("css selector", ".dstate").text
    assert state == (
        "Decided: published with the held removals applied, 1 removal(s) kept (their text "
        "goes back)."
    )
    struck = driver.find_element("id", f"{anchor}-h0").value_of_css_property("text-decoration")
    assert "line-through" in struck  # accepted held removals read as removals
    body, anchor = at(original)
    body.send_keys("o")
    assert driver.find_element("css selector", f"#{anchor} .dstate").text.startswith(
        "Decided: the original text"
    )
    body.send_keys("a")  # a second key changes the decision...
    body.send_keys("a")  # ...and the same key again undoes it
    assert driver.find_element("css selector", f"#{anchor} .dstate").text.startswith(
        "Held by the guard: undecided"
    )
    body.send_keys("o")
    body, anchor = at(excluded)
    body.send_keys("x")
    count = driver.find_element("id", "dcount").text
    assert count.endswith("): 1 kept · 1 excluded · 2 held decided")  # the a-a undo left none
    _, anchor = at(undecided[0])
    assert driver.find_element("css selector", f"#{anchor} .dstate").text.startswith(
        "Held by the guard: undecided"
    )
    folder = tmp_path / "downloads"
    _downloads(driver, folder)
    driver.find_element("id", "decider").send_keys("Dana Editor")
    driver.find_element("id", "export").click()
    exported = _downloaded(folder, set())
    WebDriverWait(driver, 5).until(lambda d: "Exported" in d.find_element("id", "dsaved").text)
    content = json.loads(exported.read_text(encoding="utf-8"))
    kept = accepted["held_removals"][1]
    assert {i: d["action"] for i, d in content["documents"].items()} == {
        accepted["id"]: "accept_held",
        original["id"]: "original",
        excluded["id"]: "exclude",
    }
    assert content["documents"][accepted["id"]]["restore"] == [
        {"start": kept["start"], "end": kept["end"], "rule": kept["rule"]}
    ]

    decruft = [str(Path(sys.executable).with_name("decruft")), "publish", str(out)]
    decruft += ["--to", str(dest), "--decisions", str(exported)]
    refused = subprocess.run(decruft, capture_output=True, text=True, check=False, timeout=120)
    assert refused.returncode == 2
    assert refused.stderr.startswith(
        f"decruft publish: {len(undecided)} document(s) held by the over-removal guard are "
        "undecided: "
    )
    assert not dest.exists()
    done = subprocess.run(
        [*decruft, "--exclude-held"], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr

    def text_of(doc: dict[str, Any]) -> str:
        return (source / f"{doc['id']}.txt").read_text(encoding="utf-8")

    rest = [
        Removal(r["start"], r["end"], r["rule"], r["category"], r["reason"], r["text"])
        for r in accepted["held_removals"]
        if r is not kept
    ]
    published = dest / "current"
    assert (published / f"{accepted['id']}.txt").read_text() == apply_removals(
        text_of(accepted), rest
    )
    assert (published / f"{original['id']}.txt").read_text() == apply_removals(
        text_of(original), []
    )
    assert not (published / f"{excluded['id']}.txt").exists()
    assert not any((published / f"{d['id']}.txt").exists() for d in undecided)
