"""Reading inputs: ids and their sanitising, formats, sources, decoding, bad bytes."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from flows.sources import (
    InputError,
    decode_text,
    decompress,
    estimate_documents,
    iter_items,
    read_input,
    sanitize_id,
    source_of,
    split_format,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a/b", "a/b"),
        ("../../etc/passwd", "etc/passwd"),
        ("/etc/passwd", "etc/passwd"),
        ("..\\..\\windows\\system32", "windows/system32"),
        ("a/./b/../c", "a/b/c"),
        ("..", "_"),
        ("", "_"),
        ("/", "_"),
        (".hidden", "hidden"),
        ("...", "_"),
        ("name with spaces?&*", "name_with_spaces_"),
        ("C:\\Users\\x", "C_/Users/x"),
        ("café/über", "café/über"),
    ],
)
def test_sanitize_id(raw: str, expected: str) -> None:
    assert sanitize_id(raw) == expected


def test_sanitize_id_shortens_long_parts_keeping_them_distinct() -> None:
    a, b = sanitize_id("x" * 300 + "a"), sanitize_id("x" * 300 + "b")
    assert a != b
    assert len(a.encode()) <= 120 and len(b.encode()) <= 120


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.txt", ("txt", False, "a")),
        ("a.HTML", ("html", False, "a")),
        ("a.htm.gz", ("html", True, "a")),
        ("a.b.jsonl", ("jsonl", False, "a.b")),
        ("a.txt.gz", ("txt", True, "a")),
        ("notes.md", (None, False, "notes.md")),
        ("archive.gz", (None, True, "archive.gz")),
    ],
)
def test_split_format(name: str, expected: tuple) -> None:
    assert split_format(name) == expected


def test_source_rules(tmp_path: Path) -> None:
    path = tmp_path / "site-a" / "x.txt"
    assert source_of("given", "https://www.example.org/x", path) == "given"
    assert source_of(None, "https://www.Example.org/x", path) == "example.org"
    assert source_of("", None, path) == "site-a"


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    path.write_bytes(data)
    return path


def test_iter_items_ids_formats_and_order(tmp_path: Path) -> None:
    _write(tmp_path / "b" / "page.html.gz", gzip.compress(b"<p>x</p>"))
    _write(tmp_path / "a.txt", "text")
    _write(tmp_path / ".hidden.txt", "ignored")
    _write(tmp_path / "notes.md", "# not an input format")
    lines = [
        {"id": "one", "text": "t", "url": "https://news.example.com/1"},
        {"html": "<p>h</p>", "source": "wire"},
        {"id": "one", "text": "duplicate id"},
    ]
    _write(tmp_path / "feed.jsonl", "\n".join(json.dumps(x) for x in lines) + "\n\n")
    items = list(iter_items(tmp_path))
    ids = [i.id for i in items]
    assert ids == ["a", "feed/one", "feed/2", "feed/one~2", "notes.md", "b/page"]
    by_id = {i.id: i for i in items}
    assert by_id["b/page"].format == "html" and by_id["b/page"].compressed
    assert by_id["b/page"].source == "b"
    assert by_id["feed/one"].source == "news.example.com"
    assert by_id["feed/one"].line == 1
    assert by_id["feed/2"].format == "jsonl-html" and by_id["feed/2"].source == "wire"
    assert by_id["notes.md"].status == "skipped"
    # JSONL lines are hashed where they are found; files are hashed by whoever reads them.
    assert all(i.sha256 and i.offset is not None for i in items if i.input.endswith(".jsonl"))
    assert all(i.raw is None for i in items)


def test_iter_items_single_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "dir" / "one.txt", "text")
    [item] = iter_items(path)
    assert item.id == "one" and item.raw is None and item.size == 4
    assert read_input(item) == b"text" and item.sha256


def test_iter_items_excludes_output_folder(tmp_path: Path) -> None:
    _write(tmp_path / "in.txt", "text")
    _write(tmp_path / "out" / "clean" / "in.txt", "old output")
    assert [i.id for i in iter_items(tmp_path, exclude=tmp_path / "out")] == ["in"]


def test_jsonl_bad_lines_become_rows(tmp_path: Path) -> None:
    good = json.dumps({"id": "ok", "text": "fine"})
    body = "\n".join(
        [
            good,
            "{not json",
            "[1, 2]",
            json.dumps({"id": "no-text", "body": "x"}),
            json.dumps({"id": "../../escape", "text": "x"}),
            json.dumps({"id": "/abs/path", "text": "x"}),
            json.dumps({"id": "big", "text": "y" * 500}),
        ]
    )
    _write(tmp_path / "f.jsonl", body + "\n")
    items = list(iter_items(tmp_path, max_bytes=200))
    summary = [(i.id, i.line, i.status) for i in items]
    assert summary == [
        ("f/ok", 1, None),
        ("f/2", 2, "failed"),
        ("f/3", 3, "failed"),
        ("f/no-text", 4, "failed"),
        ("f/escape", 5, None),
        ("f/abs/path", 6, None),
        ("f/7", 7, "skipped"),
    ]
    assert "malformed JSON" in items[1].reason
    assert "too large" in items[6].reason


def test_broken_gzip_jsonl_gets_a_row(tmp_path: Path) -> None:
    data = gzip.compress(b'{"id": "a", "text": "x"}\n' * 50)
    _write(tmp_path / "cut.jsonl.gz", data[: len(data) // 2])
    _write(tmp_path / "junk.jsonl.gz", b"not gzip at all")
    items = list(iter_items(tmp_path))
    failed = [i for i in items if i.status == "failed"]
    assert {i.input.rsplit("/", 1)[-1] for i in failed} == {"cut.jsonl.gz", "junk.jsonl.gz"}
    assert all("gzip" in i.reason for i in failed)


def test_too_large_file_is_skipped_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(1000)
    [item] = iter_items(tmp_path, max_bytes=999)
    assert item.status == "skipped" and "too large" in item.reason and item.raw is None


def test_estimate_documents(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt", "x")
    _write(tmp_path / "f.jsonl", "{}\n{}\n{}\n")
    assert estimate_documents(tmp_path) == 4


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("plain ascii", "utf-8"),
        ("caf\u00e9 \u2014 na\u00efve", "utf-8"),
    ],
)
def test_decode_utf8(data: str, encoding: str) -> None:
    assert decode_text(data.encode("utf-8")) == (data, encoding)


def test_decode_latin1_and_cp1252() -> None:
    text = "The mayor said the caf\u00e9 near the Z\u00fcrich station would reopen.\n"
    assert decode_text(text.encode("latin-1")) == (text, "cp1252")


def test_decode_bom_utf16() -> None:
    text = "Hello, world"
    assert decode_text(text.encode("utf-16")) == (text, "utf-16")


def test_decode_other_script_uses_detection() -> None:
    text = (
        "\u041f\u0440\u0438\u0432\u0435\u0442, \u043a\u0430\u043a \u0434\u0435\u043b\u0430? " * 10
    )
    decoded, encoding = decode_text(text.encode("cp1251"))
    assert decoded == text and encoding == "cp1251"


@pytest.mark.parametrize(
    ("data", "status", "words"),
    [
        (b"\x00\x01binary\x00" * 50, "skipped", "binary"),
        (bytes(range(1, 32)) * 50, "skipped", "binary"),
        (bytes((i * 37) % 128 + 128 for i in range(3000)), "failed", "undecodable"),
    ],
)
def test_decode_rejects(data: bytes, status: str, words: str) -> None:
    with pytest.raises(InputError) as info:
        decode_text(data)
    assert info.value.status == status and words in info.value.reason


def test_decompress() -> None:
    assert decompress(gzip.compress(b"hello")) == b"hello"
    with pytest.raises(InputError, match="broken gzip"):
        decompress(b"not gzip")
    with pytest.raises(InputError, match="truncated"):
        decompress(gzip.compress(b"hello world" * 100)[:-12])
    with pytest.raises(InputError, match="too large") as info:
        decompress(gzip.compress(b"0" * 10_000), max_bytes=1000)
    assert info.value.status == "skipped"
