"""Dask: a real cluster (a ``dask scheduler`` and two ``dask worker`` processes started
here, on 127.0.0.1) and a temporary local one give exactly the threads' outputs."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from flows.clean_flow import clean_flow
from flows.store import read_manifest

ROOT = Path(__file__).resolve().parent.parent
DASK = [sys.executable, "-m", "distributed.cli.dask_scheduler"]
WORKER = [sys.executable, "-m", "distributed.cli.dask_worker"]

pytestmark = pytest.mark.dask


def _outputs(out: Path) -> dict[str, bytes]:
    clean = out / "clean"
    return {str(p.relative_to(clean)): p.read_bytes() for p in sorted(clean.rglob("*.txt"))}


def _documents(out: Path) -> list[dict]:
    return json.loads((out / "report" / "report.json").read_text(encoding="utf-8"))["documents"]


def _stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[str]:
    """A scheduler and two single-threaded workers, each its own process (group), always
    torn down; yields the scheduler's address."""
    scheduler_file = tmp_path / "scheduler.json"
    logs = tmp_path / "dask-logs"
    logs.mkdir()
    procs: list[subprocess.Popen[bytes]] = []

    def spawn(args: list[str], name: str) -> None:
        with (logs / f"{name}.log").open("wb") as log:
            procs.append(
                subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            )

    try:
        spawn(
            [*DASK, "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
             "--scheduler-file", str(scheduler_file)],
            "scheduler",
        )  # fmt: skip
        deadline = time.monotonic() + 120
        address = ""
        while not address:  # the scheduler creates the file first, then writes it
            assert procs[0].poll() is None, (logs / "scheduler.log").read_text()
            assert time.monotonic() < deadline, "the scheduler did not start"
            time.sleep(0.2)
            try:
                address = json.loads(scheduler_file.read_text())["address"]
            except (FileNotFoundError, ValueError, KeyError):
                address = ""
        for n in range(2):
            spawn(
                [*WORKER, address, "--nthreads", "1", "--no-nanny", "--no-dashboard",
                 "--host", "127.0.0.1", "--name", f"w{n}"],
                f"worker{n}",
            )  # fmt: skip
        from distributed import Client

        with Client(address, timeout=120) as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        _stop(procs)


def _inputs(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    shutil.copytree(ROOT / "samples", src)
    (src / "bad.txt").write_bytes(b"\x00\x01binary")
    feed = src / "more.jsonl"
    lines = [json.dumps({"id": f"n{i}", "text": f"Story {i}.\n\nAdvertisement\n\nEnd.\n"})
             for i in range(30)]  # fmt: skip
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return src


def test_real_cluster_matches_threads(prefect_harness: None, tmp_path: Path, cluster: str) -> None:
    pytest.importorskip("prefect_dask")
    src = _inputs(tmp_path)
    threads = clean_flow(str(src), str(tmp_path / "threads"), batch_size=3)
    dask = clean_flow(str(src), str(tmp_path / "dask"), batch_size=3, dask_address=cluster)

    assert dask["statuses"] == threads["statuses"]
    assert _outputs(tmp_path / "dask") == _outputs(tmp_path / "threads")
    assert read_manifest(tmp_path / "dask") == read_manifest(tmp_path / "threads")
    assert _documents(tmp_path / "dask") == _documents(tmp_path / "threads")
    from distributed import Client

    with Client(cluster, timeout=60) as client:  # both workers ran batches
        executed = client.run(lambda dask_worker: dask_worker.state.executed_count)
    assert len(executed) == 2 and all(n > 0 for n in executed.values()), executed


def test_local_cluster_matches_threads(prefect_harness: None, tmp_path: Path) -> None:
    pytest.importorskip("prefect_dask")
    src = _inputs(tmp_path)
    threads = clean_flow(str(src), str(tmp_path / "threads"), batch_size=3)
    dask = clean_flow(str(src), str(tmp_path / "dask"), batch_size=3, task_runner="dask", workers=2)

    assert dask["statuses"] == threads["statuses"]
    assert _outputs(tmp_path / "dask") == _outputs(tmp_path / "threads")
    assert read_manifest(tmp_path / "dask") == read_manifest(tmp_path / "threads")
