"""The Dask task runner: a real local cluster of 2 worker processes gives the threads' output."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flows.clean_flow import clean_flow
from flows.store import read_manifest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.dask


def _outputs(out: Path) -> dict[str, bytes]:
    clean = out / "clean"
    return {str(p.relative_to(clean)): p.read_bytes() for p in sorted(clean.rglob("*.txt"))}


def test_dask_matches_threads(
    prefect_harness: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("prefect_dask")
    src = tmp_path / "in"
    shutil.copytree(ROOT / "samples", src)
    (src / "bad.txt").write_bytes(b"\x00\x01binary")
    monkeypatch.setenv("DECRUFT_WORKERS", "2")

    threads = clean_flow(str(src), str(tmp_path / "threads"), batch_size=3)
    dask = clean_flow(str(src), str(tmp_path / "dask"), batch_size=3, task_runner="dask")

    assert dask["statuses"] == threads["statuses"]
    assert _outputs(tmp_path / "dask") == _outputs(tmp_path / "threads")
    assert read_manifest(tmp_path / "dask") == read_manifest(tmp_path / "threads")
