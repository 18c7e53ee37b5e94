"""Writing outputs: paths stay inside DIR, writes are atomic, manifest rows are complete."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from flows.store import (
    MANIFEST_FIELDS,
    ManifestWriter,
    OutputInUse,
    UnsafePathError,
    manifest_row,
    output_lock,
    output_path,
    parts_dir,
    read_manifest,
    remove_stale_temporaries,
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


def test_output_lock_refuses_a_second_holder(tmp_path: Path) -> None:
    refused = pytest.raises(OutputInUse, match=r"another decruft run \(pid \d+")
    with output_lock(tmp_path), refused, output_lock(tmp_path):
        pass
    with output_lock(tmp_path):  # released on exit
        pass


def test_output_lock_is_released_when_the_holder_is_killed(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; from flows.store import output_lock\n"
         "with output_lock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(60)",
         str(tmp_path)],
        stdout=subprocess.PIPE,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
        with pytest.raises(OutputInUse), output_lock(tmp_path):
            pass
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    deadline = time.monotonic() + 10
    while True:
        try:
            with output_lock(tmp_path):
                break
        except OutputInUse:
            assert time.monotonic() < deadline
            time.sleep(0.05)


def test_stale_temporaries_are_removed(tmp_path: Path) -> None:
    (tmp_path / "clean" / "a").mkdir(parents=True)
    (tmp_path / "clean" / "a" / ".x.txt.abc.tmp").write_text("half")
    (tmp_path / ".manifest.jsonl.partial").write_text("half")
    (tmp_path / "report" / ".docs-new-abc").mkdir(parents=True)
    (tmp_path / "report" / ".records-0000000.jsonl").write_text("half")
    (tmp_path / "report" / "index.html").write_text("kept")
    parts = parts_dir(tmp_path)
    parts.mkdir(parents=True)
    (parts / "b0000001.jsonl").write_text("half")
    assert remove_stale_temporaries(tmp_path) == 5
    left = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert left == ["report/index.html"]
