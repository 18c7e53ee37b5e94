"""End to end: ``decruft run`` on a folder of mixed good and bad inputs, row by row."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pytest

from flows.cli import main
from flows.sources import MAX_DOCUMENT_BYTES
from flows.store import read_manifest

ARTICLE = (
    "Council approves new bridge\n\n"
    "The city council approved the construction of a new footbridge over the river on "
    "Monday, ending two years of debate about the crossing.\n\n"
    "Work is expected to start in the spring and take eighteen months.\n"
)
PAGE = (
    "<html><head><title>Council approves new bridge</title></head><body><article>"
    "<p>The city council approved the construction of a new footbridge over the river on "
    "Monday, ending two years of debate about the crossing that divided the town.</p>"
    "<p>Work is expected to start in the spring and take eighteen months, the council said "
    "in a statement published after the vote.</p></article></body></html>"
)
LATIN1 = "The caf\u00e9 on the Stra\u00dfe reopened on Monday, the owner said.\n"


def _build_inputs(root: Path) -> None:
    files: dict[str, bytes] = {
        "good.txt": ARTICLE.encode(),
        "latin1.txt": LATIN1.encode("latin-1"),
        "empty.txt": b"",
        "blank.txt": b"  \n\n \t\n",
        "binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 40,
        "undecodable.txt": bytes((i * 37) % 128 + 128 for i in range(3000)),
        "site/page.html": PAGE.encode(),
        "site/zipped.htm.gz": gzip.compress(PAGE.encode()),
        "site/broken.html.gz": b"\x1f\x8b\x08\x00garbage that is not deflate",
        "site/cut.html.gz": gzip.compress(PAGE.encode() * 20)[:200],
        "site/malformed.html": b"<<<>>>&&&",
        "site/nomain.html": b"<html><head><title>x</title></head><body></body></html>",
        "notes.md": b"# not an input format",
    }
    lines = [
        json.dumps({"id": "ok", "text": ARTICLE, "url": "https://www.wire.example/ok"}),
        json.dumps({"id": "page", "html": PAGE, "source": "wire"}),
        "{this is not json",
        "",
        json.dumps(["a", "list"]),
        json.dumps({"id": "nothing", "body": "no text field"}),
        json.dumps({"id": "../../../escaped", "text": ARTICLE}),
        json.dumps({"id": "/etc/passwd", "text": ARTICLE}),
        json.dumps({"id": "ok", "text": "Same id again.\n"}),
        json.dumps({"text": "   "}),
    ]
    files["feed.jsonl"] = ("\n".join(lines) + "\n").encode()
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    with (root / "huge.txt").open("wb") as fh:  # sparse: over the limit, no disk used
        fh.truncate(MAX_DOCUMENT_BYTES + 1)


EXPECTED = {
    # id: (status, substring of reason/error or None, format)
    "good": ("unchanged", None, "txt"),
    "latin1": ("unchanged", None, "txt"),
    "empty": ("skipped", "empty", "txt"),
    "blank": ("skipped", "empty", "txt"),
    "binary": ("skipped", "binary", "txt"),
    "undecodable": ("failed", "undecodable", "txt"),
    "huge": ("skipped", "too large", "txt"),
    "notes.md": ("skipped", "unsupported format", "unknown"),
    "site/page": ("unchanged", None, "html"),
    "site/zipped": ("unchanged", None, "html"),
    "site/broken": ("failed", "broken gzip", "html"),
    "site/cut": ("failed", "truncated", "html"),
    "site/malformed": ("failed", "HTML extraction", "html"),
    "site/nomain": ("failed", "HTML extraction", "html"),
    "feed/ok": ("unchanged", None, "jsonl"),
    "feed/page": ("unchanged", None, "jsonl-html"),
    "feed/3": ("failed", "malformed JSON", "jsonl"),
    "feed/5": ("failed", "not an object", "jsonl"),
    "feed/nothing": ("failed", "no string 'text' or 'html'", "jsonl"),
    "feed/escaped": ("unchanged", None, "jsonl"),
    "feed/etc/passwd": ("unchanged", None, "jsonl"),
    "feed/ok~2": ("unchanged", None, "jsonl"),
    "feed/10": ("skipped", "empty", "jsonl"),
}


def _snapshot(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    inputs = tmp_path / "work" / "inputs"
    _build_inputs(inputs)
    return inputs


def test_run_accounts_for_every_input(
    prefect_harness: None, mixed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "work" / "out"
    before = _snapshot(tmp_path)

    code = main(["run", str(mixed), "--out", str(out), "--no-progress"])

    assert code == 0
    line = capsys.readouterr().out.strip().splitlines()[-1]
    assert line.startswith(f"decruft: {len(EXPECTED)} documents")
    rows = {row["id"]: row for row in read_manifest(out)}
    assert set(rows) == set(EXPECTED)
    for doc_id, (status, words, fmt) in EXPECTED.items():
        row = rows[doc_id]
        assert (row["status"], row["format"]) == (status, fmt), doc_id
        message = row["reason"] if status == "skipped" else row["error"]
        if words is None:
            assert message is None, doc_id
            assert (out / row["output"]).is_file(), doc_id
            assert row["sha256_in"] and row["sha256_out"], doc_id
        else:
            assert words in (message or ""), (doc_id, message)
            assert row["output"] is None, doc_id
    assert rows["latin1"]["encoding"] == "cp1252"
    assert (out / "clean" / "latin1.txt").read_text(encoding="utf-8") == LATIN1
    assert rows["feed/ok"]["source"] == "wire.example"
    assert rows["feed/page"]["source"] == "wire"
    assert rows["site/page"]["source"] == "site"
    assert rows["feed/3"]["line"] == 3
    page = (out / "clean" / "site" / "page.txt").read_text(encoding="utf-8")
    assert page.startswith("Council approves new bridge\n\n")

    # Nothing outside DIR changed, originals untouched, every output inside DIR/clean.
    after = _snapshot(tmp_path)
    outside = {k: v for k, v in after.items() if not k.startswith("work/out/")}
    assert outside == before
    written = [p for p in out.rglob("*") if p.is_file()]
    assert all(p.resolve().is_relative_to(out.resolve()) for p in written)
    cleaned = {str(p.relative_to(out / "clean")) for p in (out / "clean").rglob("*.txt")}
    assert cleaned == {rows[i]["output"].removeprefix("clean/") for i in rows if rows[i]["output"]}


def test_run_missing_source_is_a_usage_error(tmp_path: Path) -> None:
    assert main(["run", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out")]) == 2
