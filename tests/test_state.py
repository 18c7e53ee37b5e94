"""Incremental runs: unchanged inputs are reused, changed ones redone, rule bumps redo all."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import flows.clean_flow as clean_flow_module
from flows.clean_flow import clean_flow
from flows.state import STATE_DIR, STATE_FILE, RunState
from flows.store import manifest_row, read_manifest, write_atomic

CONFIG = {"rules": ["a_v1"], "max_share": 0.4}


def _row(doc_id: str, sha: str, status: str = "cleaned") -> dict:
    return manifest_row(id=doc_id, status=status, sha256_in=sha, output=f"clean/{doc_id}.txt")


def test_state_lookup_record_finish(tmp_path: Path) -> None:
    write_atomic(tmp_path / "clean" / "a.txt", b"out")
    state = RunState(tmp_path, CONFIG, "run1")
    state.record([(_row("a", "h1"), 3, {}), (_row("b", "h2", status="failed"), None, {})])
    state.close()

    state = RunState(tmp_path, CONFIG, "run2")
    assert state.lookup("a", "h1")["row"]["id"] == "a"
    assert state.lookup("a", "changed") is None
    assert state.lookup("b", "h2") is None  # failures are retried
    assert state.finish() == 1  # run2 saw nothing: "a" is forgotten
    assert state.lookup("a", "h1") is None
    state.close()


def test_state_ignores_missing_or_altered_output(tmp_path: Path) -> None:
    write_atomic(tmp_path / "clean" / "a.txt", b"out")
    state = RunState(tmp_path, CONFIG, "run1")
    state.record([(_row("a", "h1"), 3, {})])
    state.close()
    state = RunState(tmp_path, CONFIG, "run2")
    assert state.lookup("a", "h1") is not None
    (tmp_path / "clean" / "a.txt").write_bytes(b"edited by hand")
    assert state.lookup("a", "h1") is None
    (tmp_path / "clean" / "a.txt").unlink()
    assert state.lookup("a", "h1") is None
    state.close()


def test_state_config_change_forgets_everything(tmp_path: Path) -> None:
    write_atomic(tmp_path / "clean" / "a.txt", b"out")
    state = RunState(tmp_path, CONFIG, "run1")
    state.record([(_row("a", "h1"), 3, {})])
    state.close()
    state = RunState(tmp_path, {**CONFIG, "rules": ["a_v2"]}, "run2")
    assert state.config_changed
    assert state.lookup("a", "h1") is None
    state.close()


# --- through the flow ----------------------------------------------------------------------


def _corpus(root: Path, n: int = 6) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (root / f"doc{i}.txt").write_text(f"Story number {i}.\n\nIt has a second paragraph.\n")
    return root


def _statuses(out: Path) -> dict[str, str]:
    return {row["id"]: row["status"] for row in read_manifest(out)}


def test_rerun_reuses_and_redoes_only_changes(prefect_harness: None, tmp_path: Path) -> None:
    src, out = _corpus(tmp_path / "in"), tmp_path / "out"
    first = clean_flow(str(src), str(out))
    assert first["statuses"]["reused"] == 0
    outputs = {p.name: p.read_bytes() for p in (out / "clean").iterdir()}

    second = clean_flow(str(src), str(out))
    assert set(_statuses(out).values()) == {"reused"}
    assert second["statuses"]["reused"] == 6
    assert {p.name: p.read_bytes() for p in (out / "clean").iterdir()} == outputs

    (src / "doc3.txt").write_text("Story three, rewritten.\n")
    (src / "doc6.txt").write_text("A new story.\n")
    clean_flow(str(src), str(out))
    statuses = _statuses(out)
    assert {k for k, v in statuses.items() if v != "reused"} == {"doc3", "doc6"}
    assert (out / "clean" / "doc3.txt").read_text() == "Story three, rewritten.\n"


def test_rule_version_bump_redoes_everything(
    prefect_harness: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src, out = _corpus(tmp_path / "in"), tmp_path / "out"
    clean_flow(str(src), str(out))
    clean_flow(str(src), str(out))
    assert set(_statuses(out).values()) == {"reused"}

    bumped = clean_flow_module.rule_versions
    monkeypatch.setattr(
        clean_flow_module, "rule_versions", lambda rules=None: (*bumped(rules), "extra_v2")
    )
    clean_flow(str(src), str(out))
    assert "reused" not in set(_statuses(out).values())


def test_run_killed_half_way_is_completed_by_the_next(
    prefect_harness: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src, out = _corpus(tmp_path / "in", n=20), tmp_path / "out"
    real_iter_items = clean_flow_module.iter_items

    def dies_after_15(*args: object, **kwargs: object) -> Iterator:
        for n, item in enumerate(real_iter_items(*args, **kwargs)):
            if n == 15:
                raise KeyboardInterrupt("killed")
            yield item

    monkeypatch.setattr(clean_flow_module, "iter_items", dies_after_15)
    with pytest.raises(BaseException, match="killed"):
        clean_flow(str(src), str(out), batch_size=2)
    monkeypatch.undo()

    summary = clean_flow(str(src), str(out), batch_size=2)
    statuses = _statuses(out)
    assert len(statuses) == 20
    reused = summary["statuses"]["reused"]
    assert 0 < reused < 20
    assert reused + summary["statuses"]["unchanged"] == 20
    for i in range(20):
        text = (out / "clean" / f"doc{i}.txt").read_text()
        assert text == f"Story number {i}.\n\nIt has a second paragraph.\n"
    assert not list(out.glob("clean/.*.tmp"))


def test_run_killed_with_sigkill_is_completed_by_the_next(
    prefect_harness: None, tmp_path: Path
) -> None:
    """A real ``decruft run`` process group killed mid-run; the next run completes it."""
    src, out = _corpus(tmp_path / "in", n=1500), tmp_path / "out"
    state_db = out / STATE_DIR / STATE_FILE
    command = [sys.executable, "-m", "flows.cli", "run", str(src), "--out", str(out)]
    proc = subprocess.Popen(
        [*command, "--batch-size", "20", "--no-progress"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and proc.poll() is None:
            if state_db.exists() and _state_rows(state_db) >= 40:
                break
            time.sleep(0.2)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    if proc.returncode == 0:
        pytest.skip("the run finished before it could be killed")

    summary = clean_flow(str(src), str(out))
    assert summary["documents"] == 1500
    assert 0 < summary["statuses"]["reused"] < 1500
    assert summary["statuses"]["reused"] + summary["statuses"]["unchanged"] == 1500
    for i in (0, 749, 1499):
        text = (out / "clean" / f"doc{i}.txt").read_text()
        assert text == f"Story number {i}.\n\nIt has a second paragraph.\n"
    assert not list((out / "clean").glob(".*.tmp"))


def _state_rows(path: Path) -> int:
    try:
        with sqlite3.connect(path, timeout=1) as db:
            return db.execute("SELECT count(*) FROM docs").fetchone()[0]
    except sqlite3.Error:
        return 0
