"""The flow's wiring (under the session's Prefect harness) and its plain helpers."""

from __future__ import annotations

import shutil
from pathlib import Path
from uuid import UUID

import pytest

from flows.clean_flow import DASK_MESSAGE_LOG_LENGTH, batches, clean_flow, make_task_runner
from flows.process import process_item
from flows.sources import WorkItem, iter_items
from flows.store import MANIFEST_FIELDS, read_manifest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path(__file__).parent / "cases" / "seeds"


def _item(doc_id: str, **fields: object) -> WorkItem:
    return WorkItem(id=doc_id, input=f"{doc_id}.txt", format="txt", **fields)


def test_batches_by_count_and_bytes() -> None:
    items = [_item(str(i), raw=b"x" * 10) for i in range(7)]
    assert [len(b) for b in batches(items, 3)] == [3, 3, 1]
    assert [len(b) for b in batches(items, 100, max_bytes=25)] == [3, 3, 1]
    files = [_item(str(i), size=10, compressed=True) for i in range(7)]  # by reference
    assert [len(b) for b in batches(files, 100, max_bytes=80)] == [2, 2, 2, 1]  # 40 each


def test_unknown_task_runner() -> None:
    with pytest.raises(ValueError, match="unknown task runner"):
        make_task_runner("carrier-pigeon")


def test_dask_runner_caps_the_sent_message_log() -> None:
    """The driver must not keep its last thousand sent messages (pickled batches)."""
    import dask

    key = "distributed.admin.low-level-log-length"
    with dask.config.set({key: 1000}):
        make_task_runner("dask", address="tcp://127.0.0.1:1")  # not started: nothing connects
        assert dask.config.get(key) == DASK_MESSAGE_LOG_LENGTH
    with dask.config.set({key: 3}):  # a lower setting of the user's stays
        make_task_runner("dask", address="tcp://127.0.0.1:1")
        assert dask.config.get(key) == 3


def test_process_item_cleans_and_writes(tmp_path: Path) -> None:
    outcome = process_item(_item("a/b", raw=b"Some text.\n\n\n\nMore text.  \n"), tmp_path)
    assert outcome.row["status"] == "unchanged"
    assert (tmp_path / "clean" / "a" / "b.txt").read_text() == "Some text.\n\nMore text.\n"
    assert outcome.row["sha256_out"] and outcome.record["text_in"].startswith("Some text.")


def test_process_item_passes_read_problems_through(tmp_path: Path) -> None:
    outcome = process_item(_item("x", status="skipped", reason="too large"), tmp_path)
    assert (outcome.row["status"], outcome.row["reason"]) == ("skipped", "too large")
    assert not (tmp_path / "clean").exists()


def test_process_item_reports_unexpected_errors(tmp_path: Path) -> None:
    outcome = process_item(_item("x", raw=b"text"), tmp_path, rules=["no_such_rule_v1"])
    assert outcome.row["status"] == "failed" and "no_such_rule_v1" in outcome.row["error"]


def test_process_item_reused_keeps_earlier_row(tmp_path: Path) -> None:
    first = process_item(_item("r", raw=b"Words.\n"), tmp_path)
    earlier = {
        "sha256_in": first.row["sha256_in"],
        "bytes_out": first.bytes_out,
        "row": first.row,
        "details": {"removals": [], "dom_removals": []},
    }
    outcome = process_item(_item("r", raw=b"Words.\n", previous=earlier), tmp_path)
    assert outcome.row["status"] == "reused"
    assert outcome.row["sha256_out"] == first.row["sha256_out"]
    assert outcome.record["text_in"] == "Words.\n"
    changed = process_item(_item("r", raw=b"Other words.\n", previous=earlier), tmp_path)
    assert changed.row["status"] == "unchanged"  # a new input is cleaned again


def test_process_item_reads_references(tmp_path: Path) -> None:
    """A file or a JSONL byte range is read by whoever runs the item."""
    (tmp_path / "in.txt").write_bytes(b"A file.\n")
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(b'{"id": "a", "text": "First."}\n{"id": "b", "text": "Second."}\n')
    [file_item] = iter_items(tmp_path / "in.txt")
    _first, second = iter_items(feed)
    assert file_item.raw is None and second.raw is None and second.offset == 30
    out = tmp_path / "out"
    assert process_item(file_item, out).row["sha256_in"] is not None
    assert (out / "clean" / "in.txt").read_text() == "A file.\n"
    assert process_item(second, out).record["text_in"] == "Second."
    feed.write_bytes(b'{"id": "a", "text": "First."}\n{"id": "b", "text": "Changed"}\n')
    changed = process_item(second, out)
    assert changed.row["status"] == "failed" and "changed" in changed.row["error"]


def test_flow_on_samples(prefect_harness: None, tmp_path: Path) -> None:
    out = tmp_path / "out"
    summary = clean_flow(str(ROOT / "samples"), str(out))
    rows = read_manifest(out)
    assert summary["documents"] == len(rows) >= 8
    assert all(tuple(row) == MANIFEST_FIELDS for row in rows)
    assert summary["statuses"]["failed"] == summary["statuses"]["skipped"] == 0
    formats = {row["format"] for row in rows}
    assert {"txt", "html", "jsonl", "jsonl-html"} <= formats
    for row in rows:
        assert (out / row["output"]).is_file()
    assert (out / "report" / "report.json").is_file()
    assert (out / "report" / "index.html").is_file()
    _assert_artifacts(summary["run_id"])


def test_flow_seeds_exact(prefect_harness: None, tmp_path: Path) -> None:
    shutil.copytree(SEEDS / "input", tmp_path / "seeds")
    clean_flow(str(tmp_path / "seeds"), str(tmp_path / "out"))
    for expected in sorted((SEEDS / "expected").glob("*.txt")):
        got = (tmp_path / "out" / "clean" / expected.name).read_text(encoding="utf-8")
        assert got == expected.read_text(encoding="utf-8"), expected.name


def _assert_artifacts(run_id: str) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[UUID(run_id)]))
        )
    by_key = {a.key: a for a in artifacts}
    assert {"decruft-summary", "decruft-counts", "decruft-report"} <= set(by_key)
    assert set(by_key) <= {"decruft-summary", "decruft-counts", "decruft-report", "decruft-triage"}
    assert by_key["decruft-counts"].type == "table"
    assert "decruft publish" in str(by_key["decruft-summary"].data)
    assert "index.html" in str(by_key["decruft-report"].data)


def test_garbage_collector_collects_at_most_once_per_interval(monkeypatch) -> None:
    """The driver's full collections are throttled: none before the interval, one after."""
    import gc

    from flows import clean_flow

    calls: list[int] = []
    monkeypatch.setattr(gc, "collect", lambda *a: calls.append(1) or 0)
    now = [100.0]
    monkeypatch.setattr(clean_flow.time, "monotonic", lambda: now[0])
    collect = clean_flow.GarbageCollector(interval_s=5.0)
    collect()
    now[0] = 104.0
    collect()
    assert calls == []
    now[0] = 105.5
    collect()
    collect()
    assert calls == [1]
