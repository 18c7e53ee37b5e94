"""Hostile inputs: each one ends in the manifest with a status and a reason; the run completes.

One folder holds every kind (bytes, encodings, sizes, names, links, special files); one run
goes through it. Unreadable files: the tests run as root, for whom ``chmod 000`` changes
nothing, so a permission error is injected at the one place inputs are opened.
"""

from __future__ import annotations

import gzip
import json
import os
import unicodedata
from pathlib import Path

import pytest

import flows.sources as sources
from flows.clean_flow import clean_flow
from flows.process import MAX_CLEAN_CHARS
from flows.store import read_manifest

ARTICLE = "The council met on Monday.\n\nIt approved the new bridge.\n"


def _build(root: Path, outside: Path) -> None:
    root.mkdir(parents=True)
    files: dict[str, bytes] = {
        "invalid-utf8.txt": b"Caf\xc3 au lait \xff\xfe and more \xe2\x28\xa1 text.\n" * 3,
        "utf16-bom.txt": ARTICLE.encode("utf-16"),
        "utf16-le.txt": ARTICLE.encode("utf-16-le"),
        "utf16-be.txt": ARTICLE.encode("utf-16-be"),
        "nul.txt": b"Some text\x00with a NUL byte.\n",
        "one-line.txt": b"word " * 200_000,
        "too-long.txt": b"word " * (MAX_CLEAN_CHARS // 5 + 1),
        "deep.html": (b"<html><body>" + b"<div>" * 100_000 + b"<p>Deep.</p>" + b"</div>" * 100_000),
        "bomb.txt.gz": gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9),
        "Case.txt": ARTICLE.encode(),
        "case.txt": ARTICLE.encode(),
        unicodedata.normalize("NFC", "café.txt"): ARTICLE.encode(),
        unicodedata.normalize("NFD", "café.txt"): ARTICLE.encode(),
        "locked.txt": ARTICLE.encode(),
    }
    for name, data in files.items():
        (root / name).write_bytes(data)
    with (root / "feed.jsonl").open("wb") as fh:
        for doc_id in ("../../escape", "/etc/passwd", "nul\x00id", "new\nline", "dup", "dup"):
            fh.write(json.dumps({"id": doc_id, "text": ARTICLE}).encode() + b"\n")
        fh.write(b'{"id": "huge", "text": "' + b"x" * (50 * 1024 * 1024) + b'"}\n')
        fh.write(json.dumps({"id": "after-huge", "text": ARTICLE}).encode() + b"\n")
    (outside / "secret.txt").write_text("outside the source folder\n")
    (root / "link-out.txt").symlink_to(outside / "secret.txt")
    (root / "link-in.txt").symlink_to(root / "Case.txt")
    (root / "loop.txt").symlink_to(root / "loop.txt")
    (root / "dangling.txt").symlink_to(root / "missing.txt")
    (root / "folder-link").symlink_to(outside)
    os.mkfifo(root / "fifo.txt")


EXPECTED = {
    # id: (status, words in the reason or error, or None when the document is cleaned)
    "invalid-utf8": ("unchanged", None),
    "utf16-bom": ("unchanged", None),
    "utf16-le": ("unchanged", None),
    "utf16-be": ("unchanged", None),
    "nul": ("skipped", "NUL"),
    "one-line": ("unchanged", None),
    "too-long": ("skipped", "too long to clean"),
    "deep": ("failed", "HTML extraction"),
    "bomb": ("skipped", "too large after decompression"),
    "Case": ("unchanged", None),
    "case~2": ("unchanged", None),
    "café": ("unchanged", None),  # the NFD name (sorted first), normalised to NFC
    "café~2": ("unchanged", None),
    "locked": ("failed", "Permission denied"),
    "feed/escape": ("unchanged", None),
    "feed/etc/passwd": ("unchanged", None),
    "feed/nul_id": ("unchanged", None),
    "feed/new_line": ("unchanged", None),
    "feed/dup": ("unchanged", None),
    "feed/dup~2": ("unchanged", None),
    "feed/7": ("skipped", "line too large"),
    "feed/after-huge": ("unchanged", None),
    "link-out": ("skipped", "outside the source folder"),
    "link-in": ("unchanged", None),
    "loop": ("failed", "symlink loop"),
    "dangling": ("failed", "unreadable"),
    "folder-link": ("skipped", "symlink to a folder"),
    "fifo": ("skipped", "FIFO"),
}


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "in"
    outside = tmp_path / "outside"
    outside.mkdir()
    _build(root, outside)
    real_open = os.open

    def deny_locked(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if str(path).endswith("locked.txt"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sources.os, "open", deny_locked)
    return root


def test_every_hostile_input_gets_a_row(prefect_harness: None, hostile: Path, tmp_path: Path):
    out = tmp_path / "out"
    summary = clean_flow(str(hostile), str(out), batch_size=4)
    rows = {row["id"]: row for row in read_manifest(out)}
    assert summary["documents"] == len(rows)
    got = {doc_id: (row["status"], row["reason"] or row["error"]) for doc_id, row in rows.items()}
    for doc_id, (status, words) in EXPECTED.items():
        assert doc_id in got, (doc_id, sorted(got))
        assert got[doc_id][0] == status, (doc_id, got[doc_id])
        if words is not None:
            assert words in (got[doc_id][1] or ""), (doc_id, got[doc_id])
    assert set(got) == set(EXPECTED)
    assert rows["utf16-le"]["encoding"] == "utf-16-le"
    assert (out / "clean" / "utf16-be.txt").read_text(encoding="utf-8") == ARTICLE
    written = [p for p in out.rglob("*") if p.is_file()]
    assert all(p.resolve().is_relative_to(out.resolve()) for p in written)
    assert not [p for p in written if p.name.startswith(".") and p.suffix == ".tmp"]
