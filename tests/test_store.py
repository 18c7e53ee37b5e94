"""Writing outputs: paths stay inside DIR, writes are atomic, manifest rows are complete."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from flows.store import (
    MANIFEST_FIELDS,
    ManifestWriter,
    UnsafePathError,
    manifest_row,
    output_path,
    read_manifest,
    write_atomic,
)


def test_output_path_inside_clean(tmp_path: Path) -> None:
    assert output_path(tmp_path, "a/b") == tmp_path.absolute() / "clean" / "a" / "b.txt"


@pytest.mark.parametrize(
    "doc_id", ["../escape", "../../etc/passwd", "/etc/passwd", "a/../../x", "a/../../clean2/x"]
)
def test_output_path_refuses_escape(tmp_path: Path, doc_id: str) -> None:
    with pytest.raises(UnsafePathError):
        output_path(tmp_path, doc_id)


def test_write_atomic_replaces_and_leaves_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "x.txt"
    write_atomic(path, b"one")
    write_atomic(path, b"two")
    assert path.read_bytes() == b"two"
    assert [p.name for p in path.parent.iterdir()] == ["x.txt"]


def test_manifest_row_has_every_field() -> None:
    row = manifest_row(id="a", status="cleaned")
    assert tuple(row) == MANIFEST_FIELDS
    assert row["reason"] is None
    with pytest.raises(KeyError):
        manifest_row(id="a", surprise=1)


def test_manifest_writer_replaces_only_on_close(tmp_path: Path) -> None:
    first = ManifestWriter(tmp_path)
    first.add(manifest_row(id="old"))
    first.close()
    second = ManifestWriter(tmp_path)
    second.add(manifest_row(id="new"))
    assert [r["id"] for r in read_manifest(tmp_path)] == ["old"]
    second.abort()
    assert [r["id"] for r in read_manifest(tmp_path)] == ["old"]
    third = ManifestWriter(tmp_path)
    third.add(manifest_row(id="new"))
    third.close()
    assert [r["id"] for r in read_manifest(tmp_path)] == ["new"]


def test_atomic_files_get_the_usual_permissions(tmp_path: Path) -> None:
    """Files start private in ``tempfile``; outputs for editors must not stay that way."""
    path = tmp_path / "clean" / "a.txt"
    write_atomic(path, b"text")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask
    assert not list(path.parent.glob(".*.tmp"))
