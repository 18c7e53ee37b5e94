"""The ``clean-scraped`` Prefect flow: discover, batch, clean, write, report, artifacts.

The flow stays thin: reading lives in :mod:`flows.sources`, per-document work in
:mod:`flows.process`, writing in :mod:`flows.store`, incremental state in
:mod:`flows.state`, statistics in :mod:`flows.summary`. Documents stream from a generator
into batches; at most ``max_in_flight`` batches are submitted at once and their results are
consumed in submission order, so memory stays bounded and the manifest keeps input order.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from cleaners import DEFAULT_MAX_SHARE, rule_versions
from flows import progress
from flows.artifacts import publish_artifacts
from flows.process import DETAIL_KEYS, Outcome, process_batch
from flows.report import ReportWriter
from flows.sources import WorkItem, iter_items
from flows.state import RunState
from flows.store import ManifestWriter, remove_stale_temporaries
from flows.summary import RunSummary

DEFAULT_BATCH_SIZE = 500
"""Documents per task, chosen by measurement (benchmarks/flow_overhead.py, 20,000 news texts,
threads runner, 2 shared cores): warm flow 21.2 s with batches of 100, 21.1 s with 500,
20.1 s with 2,000, against 18.8-19.7 s for the bare loop. Prefect's cost per task is a few ms
(tens under load), so from a few hundred documents per task on it is noise. 500 keeps each
batch small in memory (also capped in bytes, below), the progress bar lively, and enough
batches to keep every Dask worker busy on mid-sized folders."""

MAX_BATCH_BYTES = 32 * 1024 * 1024
"""A batch is also cut when its inputs reach this size, bounding memory for huge documents."""

WORKERS_ENV = "DECRUFT_WORKERS"
"""Worker threads, or local Dask worker processes, to use (see :func:`default_workers`)."""

DASK_ADDRESS_ENV = "DECRUFT_DASK_ADDRESS"
"""Set to a scheduler address (``tcp://host:8786``) to run the Dask runner on a real cluster."""

MAX_LOGGED_PROBLEMS = 20


class Box:
    """A plain (non-collection) container for a batch's items or outcomes.

    Prefect walks task parameters (rebuilding every item) looking for futures, and links
    every element of a returned list to the task's state for the whole flow run: costs per
    document that are pure overhead here. A box is opaque to both, and pickles for Dask.
    """

    __slots__ = ("content",)

    def __init__(self, content: list[Any]):
        self.content = content


@task(name="clean-batch", cache_policy=NO_CACHE, persist_result=False)
def clean_batch(
    items: Box,
    out_dir: str,
    rules: list[str] | None,
    max_share: float,
) -> Box:
    """Decode, extract, clean and write one batch (a box of WorkItems); box of Outcomes."""
    outcomes = process_batch(items.content, out_dir, rules, max_share)
    problems = sum(1 for o in outcomes if o.row["status"] in ("skipped", "failed"))
    get_run_logger().debug("%d documents, %d skipped or failed", len(outcomes), problems)
    return Box(outcomes)


def default_workers(runner: str = "threads") -> int:
    """Workers for a runner: DECRUFT_WORKERS, else 1 thread, or one Dask process per core.

    Cleaning is pure-Python CPU work, so threads do not run it in parallel (the GIL): one
    worker thread, overlapped with the flow's own thread reading the next batch, measured
    faster than two (8,000 texts: 10.1 s against 11.1 s; two threads only add contention).
    Parallel cleaning is what the Dask runner's processes are for.
    """
    configured = os.environ.get(WORKERS_ENV, "")
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    if runner == "threads":
        return 1
    return max(1, min(8, os.cpu_count() or 1))


def make_task_runner(name: str, workers: int | None = None) -> TaskRunner[Any]:
    """``threads`` (default) or ``dask`` (local processes, or DECRUFT_DASK_ADDRESS)."""
    if name == "threads":
        return ThreadPoolTaskRunner(max_workers=workers or default_workers("threads"))
    if name == "dask":
        from prefect_dask import DaskTaskRunner

        address = os.environ.get(DASK_ADDRESS_ENV)
        if address:
            return DaskTaskRunner(address=address)
        return DaskTaskRunner(
            cluster_class="distributed.LocalCluster",
            cluster_kwargs={
                "n_workers": workers or default_workers("dask"),
                "threads_per_worker": 1,
                "processes": True,
                "dashboard_address": None,
            },
        )
    raise ValueError(f"unknown task runner {name!r} (threads or dask)")


def batches(
    items: Iterable[WorkItem], size: int, max_bytes: int = MAX_BATCH_BYTES
) -> Iterator[list[WorkItem]]:
    """Consecutive batches of at most ``size`` items and about ``max_bytes`` of input."""
    batch: list[WorkItem] = []
    weight = 0
    for item in items:
        batch.append(item)
        weight += len(item.raw or b"") + len(item.text or "") + len(item.html or "")
        if len(batch) >= size or weight >= max_bytes:
            yield batch
            batch, weight = [], 0
    if batch:
        yield batch


def with_reuse(items: Iterable[WorkItem], state: RunState) -> Iterator[WorkItem]:
    """Mark unchanged inputs as reused (HTML payloads dropped: they are not extracted again)."""
    for item in items:
        if item.status is None:
            previous = state.lookup(item.id, item.sha256)
            if previous is not None:
                item.previous = previous
                if item.format != "txt" and item.format != "jsonl":
                    item.raw = item.html = None
        yield item


def _details(record: dict[str, Any]) -> dict[str, Any]:
    return {key: record[key] for key in DETAIL_KEYS}


def run_config(rules: Sequence[str] | None, max_share: float) -> dict[str, Any]:
    """What makes outputs differ: a change here reprocesses every input."""
    import trafilatura

    from flows import extract

    try:
        from flows import dom

        dom_rules = [rule.name for rule in getattr(dom, "WIDGET_RULES", ())]
    except ImportError:
        dom_rules = []
    return {
        "rules": list(rule_versions(rules)),
        "max_share": max_share,
        "dom_rules": dom_rules,
        "extractor": getattr(extract, "EXTRACTOR_VERSION", None),
        "trafilatura": trafilatura.__version__,
    }


@flow(name="clean-scraped", log_prints=False)
def clean_flow(
    source: str,
    out: str,
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_share: float = DEFAULT_MAX_SHARE,
    rules: list[str] | None = None,
    task_runner: str = "threads",
) -> dict[str, Any]:
    """Clean every document under ``source`` into ``out``; returns the run summary."""
    logger = get_run_logger()
    started = time.perf_counter()
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    flow_run = FlowRunContext.get()
    run_id = str(flow_run.flow_run.id) if flow_run and flow_run.flow_run else "local"
    config = run_config(rules, max_share)
    state = RunState(out_dir, config, run_id)
    if stale := remove_stale_temporaries(out_dir):
        logger.info("Removed %d temporary files left by an interrupted run", stale)
    if state.config_changed:
        logger.info("Rule versions or settings changed: every input is processed again")
    run_info = {
        "run_id": run_id,
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "source": str(source),
        "out": str(out_dir),
        "batch_size": batch_size,
        "task_runner": task_runner,
        **config,
    }
    report = ReportWriter(out_dir / "report", run_info)
    manifest = ManifestWriter(out_dir)
    summary = RunSummary()
    problems = 0

    def consume(outcomes: list[Outcome]) -> None:
        nonlocal problems
        for outcome in outcomes:
            manifest.add(outcome.row)
            report.add(outcome.record)
            summary.add(outcome.row, outcome.record)
            if outcome.row["status"] == "failed":
                problems += 1
                if problems <= MAX_LOGGED_PROBLEMS:
                    logger.warning("%s: %s", outcome.row["id"], outcome.row["error"])
        state.record((o.row, o.bytes_out, _details(o.record)) for o in outcomes)
        progress.advance(len(outcomes))

    runner = make_task_runner(task_runner)
    max_in_flight = 2 * default_workers(task_runner)
    items = with_reuse(iter_items(source, exclude=out_dir), state)
    try:
        with runner:
            pending: deque[Any] = deque()
            for batch in batches(items, batch_size):
                parameters = {
                    "items": Box(batch),
                    "out_dir": str(out_dir),
                    "rules": rules,
                    "max_share": max_share,
                }
                pending.append(runner.submit(clean_batch, parameters=parameters))
                while len(pending) >= max_in_flight:
                    consume(pending.popleft().result().content)
            while pending:
                consume(pending.popleft().result().content)
    except BaseException:
        manifest.abort()
        state.close()
        raise
    manifest_path = manifest.close()
    forgotten = state.finish()
    state.close()
    result = summary.to_dict()
    paths = report.close(result)
    publish_artifacts(result, out_dir, Path(paths["html"]))
    if problems > MAX_LOGGED_PROBLEMS:
        logger.warning("%d failed documents in all (see the manifest)", problems)
    result.update(
        run_id=run_id,
        out=str(out_dir),
        manifest=str(manifest_path),
        report={k: str(v) for k, v in paths.items()},
        forgotten_state_entries=forgotten,
        seconds=round(time.perf_counter() - started, 3),
    )
    logger.info(summary.one_line())
    return result
