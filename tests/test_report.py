"""The report writer: report.json content and schema, escaping, CSP, marks, streaming."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import tracemalloc
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import report_support as support

from flows.report import SCHEMA_VERSION, ReportWriter
from flows.report.render import json_for_html, safe_href


def write_report(report_dir: Path, per_page: int = 4) -> tuple[dict[str, Any], list[dict]]:
    records = list(support.sample_records())
    writer = ReportWriter(
        report_dir, {"run_id": "test-run", "source": "<tests>"}, docs_per_page=per_page
    )
    for rec in records:
        writer.add(rec)
    paths = writer.close({"documents": len(records)})
    assert paths == {"json": report_dir / "report.json", "html": report_dir / "index.html"}
    return json.loads(paths["json"].read_text(encoding="utf-8")), records


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], list[dict]]:
    report_dir = tmp_path_factory.mktemp("run") / "report"
    data, records = write_report(report_dir)
    return report_dir, data, records


class Elements(HTMLParser):
    """Collects every start tag with its attributes, and the text of script elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.marks: list[dict[str, str | None]] = []
        self._in_script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = dict(attrs)
        if tag == "mark":
            self.marks.append(dict(attrs))

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            self.scripts.append((self._in_script, data))
            self._in_script = None


def parse(path: Path) -> Elements:
    parser = Elements()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def html_files(report_dir: Path) -> list[Path]:
    return [report_dir / "index.html", *sorted((report_dir / "docs").glob("*.html"))]


def test_report_json_has_schema_and_every_record(report: Any) -> None:
    _dir, data, records = report
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["run"]["run_id"] == "test-run"
    assert [d["id"] for d in data["documents"]] == [r["id"] for r in records]
    stats = data["stats"]
    assert stats["documents"] == len(records)
    assert stats["removals"] == sum(len(r["removals"]) for r in records)
    assert stats["held_removals"] == sum(len(r["held_removals"]) for r in records)
    assert stats["by_status"]["failed"] == 1
    assert sum(e["removals"] for e in stats["by_category"].values()) == stats["removals"] + sum(
        len(r["dom_removals"]) for r in records
    )
    for doc in data["documents"]:
        for rm in doc["removals"] + doc["held_removals"]:
            assert doc["text_in"][rm["start"] : rm["end"]] == rm["text"]
        assert doc["page"].startswith("docs/p")


def test_report_records_include_real_removals(report: Any) -> None:
    _dir, data, _records = report
    docs = {d["id"]: d for d in data["documents"]}
    assert docs["hostile/<b>hostile-script</b>"]["removals"]
    assert docs["hostile/<b>hostile-guard</b>"]["held_removals"]
    assert "over_removal" in docs["hostile/<b>hostile-guard</b>"]["flags"]


def test_attention_lists_guard_trips_first(report: Any) -> None:
    _dir, data, _records = report
    first = data["attention"][0]
    assert first["id"] == "hostile/<b>hostile-guard</b>"
    assert "guard" in first["why"]
    assert any(a["status"] == "failed" for a in data["attention"])


def test_run_json_is_small_and_names_the_run(report: Any) -> None:
    report_dir, _data, _records = report
    run = json.loads((report_dir / "run.json").read_text())
    assert run["run"]["run_id"] == "test-run"
    assert run["schema_version"] == SCHEMA_VERSION


def test_no_hostile_markup_survives(report: Any) -> None:
    report_dir, _data, _records = report
    for path in html_files(report_dir):
        doc = parse(path)
        allowed = {"html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "p",
                   "span", "main", "section", "ul", "li", "b", "small", "table", "caption",
                   "thead", "tbody", "tr", "th", "td", "a", "div", "label", "select", "option",
                   "input", "button", "noscript", "script", "nav", "kbd", "article", "dl", "dt",
                   "dd", "ol", "q", "mark", "pre", "details", "summary"}  # fmt: skip
        assert {tag for tag, _ in doc.tags} <= allowed, path
        for tag, attrs in doc.tags:
            assert not any(name.startswith("on") for name in attrs), (path, tag, attrs)
            href = attrs.get("href") or ""
            assert not href.lower().startswith("javascript"), (path, href)
        assert "</script><script>window.__pwned" not in path.read_text()
    pages = "".join(p.read_text() for p in html_files(report_dir)[1:])
    assert "&lt;script&gt;window.__pwned" in pages
    assert "&lt;img src=x onerror=" in pages


def test_only_our_scripts_and_csp_allows_them_by_hash(report: Any) -> None:
    report_dir, _data, _records = report
    for path in html_files(report_dir):
        doc = parse(path)
        text = path.read_text(encoding="utf-8")
        csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', text)
        assert csp, path
        policy = csp.group(1).replace("&#x27;", "'")
        assert "default-src 'none'" in policy
        assert "unsafe-inline" not in policy
        executable = [body for attrs, body in doc.scripts if attrs.get("type") is None]
        assert len(executable) == 1, path
        digest = base64.b64encode(hashlib.sha256(executable[0].encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
        data = [body for attrs, body in doc.scripts if attrs.get("type") == "application/json"]
        for body in data:
            assert "<" not in body
            json.loads(body)
        # nothing is loaded from anywhere: no src attributes, no <link>, no @import or url()
        assert not any("src" in attrs for _tag, attrs in doc.tags), path
        assert "@import" not in text and "url(" not in text


def test_every_removal_has_a_mark_with_its_text(report: Any) -> None:
    report_dir, data, _records = report
    for doc in data["documents"]:
        page, anchor = doc["page"].split("#")
        marks = {m["id"]: m for m in parse(report_dir / page).marks}
        for kind, items in (("r", doc["removals"]), ("h", doc["held_removals"])):
            for i, rm in enumerate(items):
                mark = marks[f"{anchor}-{kind}{i}"]
                assert mark["data-rule"] == rm["rule"]
                assert rm["reason"] in (mark["title"] or "")
                assert ("held" in (mark["class"] or "")) == (kind == "h")
        html = (report_dir / page).read_text(encoding="utf-8")
        for rm in doc["removals"]:
            escaped = (
                (rm["text"].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
                .replace('"', "&quot;")
                .replace("'", "&#x27;")
            )
            assert f"<span class=t>{escaped}</span>" in html


def test_pages_split_and_link(report: Any) -> None:
    report_dir, data, _records = report
    pages = sorted(p.name for p in (report_dir / "docs").glob("*.html"))
    assert len(pages) == -(-len(data["documents"]) // 4)
    first = (report_dir / "docs" / pages[0]).read_text()
    assert 'data-next="p00002.html"' in first
    assert 'href="../index.html"' in first


def test_rewriting_replaces_old_pages(tmp_path: Path) -> None:
    report_dir = tmp_path / "report"
    write_report(report_dir, per_page=1)
    many = len(list((report_dir / "docs").glob("*.html")))
    write_report(report_dir, per_page=100)
    assert many > 1
    assert [p.name for p in (report_dir / "docs").iterdir()] == ["p00001.html"]
    assert not [p for p in report_dir.iterdir() if p.name.startswith(".")]


def test_add_keeps_no_records_in_memory(tmp_path: Path) -> None:
    text = (support.SEEDS / "000_316b20ac4a5bee0c.txt").read_text(encoding="utf-8")
    writer = ReportWriter(tmp_path / "report", {"run_id": "mem"})
    rec = support.record("x", text, source="s.example")
    tracemalloc.start()
    try:
        for i in range(3000):  # ~12 MB of text in all
            writer.add({**rec, "id": f"doc-{i}", "text_in": text + str(i)})
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2_000_000
    writer.close({})


def test_json_for_html_and_safe_href() -> None:
    assert "<" not in json_for_html({"t": "</script><script>x</script>\u2028"})
    assert json.loads(json_for_html({"t": "</script>&"})) == {"t": "</script>&"}
    assert safe_href("javascript:alert(1)") is None
    assert safe_href(" JaVaScRiPt:alert(1)") is None
    assert safe_href("data:text/html,x") is None
    assert safe_href("https://example.com/a?b=<c>") == "https://example.com/a?b=<c>"


def test_rare_rules_are_worth_a_look_in_large_runs(tmp_path: Path) -> None:
    writer = ReportWriter(tmp_path / "report", {"run_id": "rare"})
    plain = support.record("plain", "A short real paragraph.\n\nAnother one.\n")
    for i in range(150):
        writer.add({**plain, "id": f"plain-{i}"})
    writer.add(support.record("odd", "Real text here.\n\nAdvertisement\n\nMore real text here.\n"))
    data = json.loads(writer.close({})["json"].read_text())
    why = {a["id"]: a["why"] for a in data["attention"]}
    assert "rare rule" in why["odd"]
    assert not any(doc_id.startswith("plain") for doc_id in why)


def test_report_json_streams_one_document_per_line(report: Any) -> None:
    report_dir, data, _records = report
    lines = (report_dir / "report.json").read_text(encoding="utf-8").splitlines()
    assert lines[0].endswith('"documents": [')
    assert json.loads(lines[0] + "]}")["schema_version"] == SCHEMA_VERSION
    docs = [json.loads(line.lstrip(",")) for line in lines[1:-1]]
    assert docs == data["documents"]
    assert lines[-1] == "]}"
