"""The ``clean-scraped`` Prefect flow: discover, batch, clean, write, report, artifacts.

The flow stays thin: reading lives in :mod:`flows.sources`, per-document work in
:mod:`flows.process`, writing in :mod:`flows.store`, incremental state in
:mod:`flows.state`, statistics in :mod:`flows.summary`. Documents stream from a generator
into batches; at most ``max_in_flight`` batches are submitted at once and their results are
consumed in submission order, so memory stays bounded and the manifest keeps input order.

Batches carry references (paths, JSONL byte ranges), never texts: the task that runs a
batch (a thread here, or a Dask worker on another machine that mounts the same folders)
reads its inputs, writes the clean texts and a *part* (the batch's report records, texts
included) under ``DIR/.decruft/parts/``, and returns compact outcomes (manifest rows and
removal lists). The driver writes the manifest from those, in input order, and the report
from the parts, in the same order, so outputs do not depend on which worker ran what.

One run at a time per output folder: the flow holds ``DIR/.decruft/run.lock`` and a second
run into the same folder refuses at once.
"""

from __future__ import annotations

import gc
import os
import shutil
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
from cleaners.core import GUARD_VERSION
from cleaners.templates import THRESHOLDS, SiteTemplates, TemplateTable
from flows import progress, review, templates_pass
from flows.artifacts import publish_artifacts
from flows.checks import check_batch_size, check_max_share, check_rules, check_run_paths
from flows.process import DETAIL_KEYS, MAX_CLEAN_CHARS, MAX_HTML_CHARS, Outcome, process_batch
from flows.report import ReportWriter
from flows.report.writer import write_part
from flows.sources import WorkItem, iter_items
from flows.state import RunState
from flows.store import (
    ManifestWriter,
    output_lock,
    parts_dir,
    remove_stale_temporaries,
)
from flows.summary import RunSummary
from flows.templates_pass import TemplateStore, build_templates, count_items, read_extracted

DEFAULT_BATCH_SIZE = 500
"""Documents per task, chosen by measurement (benchmarks/flow_overhead.py, 20,000 news texts,
threads runner, 2 shared cores): warm flow 21.2 s with batches of 100, 21.1 s with 500,
20.1 s with 2,000, against 18.8-19.7 s for the bare loop. Prefect's cost per task is a few ms
(tens under load), so from a few hundred documents per task on it is noise. 500 keeps each
batch small in memory (also capped in bytes, below), the progress bar lively, and enough
batches to keep every Dask worker busy on mid-sized folders."""

MAX_BATCH_BYTES = 8 * 1024 * 1024
"""A batch is also cut when its inputs reach this size: memory stays bounded for big
documents, and a folder of HTML pages (100 KB each, 20-50 a second per core) is cut into
batches of a few seconds, enough of them to keep every Dask worker busy to the end."""

GZIP_RATIO = 4
"""What a compressed file weighs in a batch, per byte on disk (HTML and text inflate 4-6x)."""

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


@task(name="count-lines", cache_policy=NO_CACHE, persist_result=False)
def count_batch(items: Box, counted: dict[str, str], extracted: str) -> Box:
    """Count the lines of one batch's documents per source (the templates pass); returns a
    box of ``[TemplateTable, [(id, sha256, source), ...]]`` for the driver to merge. HTML
    extractions go to ``extracted`` for the same batch's clean."""
    table, newly = count_items(
        items.content, counted, MAX_CLEAN_CHARS, MAX_HTML_CHARS, Path(extracted)
    )
    return Box([table, newly])


@task(name="clean-batch", cache_policy=NO_CACHE, persist_result=False)
def clean_batch(
    items: Box,
    out_dir: str,
    rules: list[str] | None,
    max_share: float,
    part: str,
    templates: Box | None = None,
    extracted: str | None = None,
) -> Box:
    """Read, decode, extract, clean and write one batch (a box of WorkItem references).

    ``templates`` boxes ``[{source: SiteTemplates}]`` for the batch's sources. Writes the
    batch's report records to ``part`` (atomically) and returns a box of compact Outcomes:
    their records without the texts.
    """
    site = templates.content[0] if templates is not None else None
    cache = read_extracted(Path(extracted)) if extracted else None
    outcomes = process_batch(items.content, out_dir, rules, max_share, site, cache)
    write_part(Path(part), [o.record for o in outcomes])
    for outcome in outcomes:
        outcome.record = {k: v for k, v in outcome.record.items() if k != "text_in"}
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


DASK_MESSAGE_LOG_LENGTH = 16
"""Messages a Dask client (and an in-process scheduler) keeps of what it sent, for debugging.

Dask's default (``distributed.admin.low-level-log-length``: 1,000) made the driver keep the
last thousand messages it sent the scheduler, each task's pickled parameters among them
(~100 KB for a batch of 500 references): its memory grew with the run until a thousand
batches had gone (``benchmarks/scale.py --only memory``, 2 workers: 143 MB at 4,000 texts,
171 MB at 40,000)."""


def cap_dask_message_log(length: int = DASK_MESSAGE_LOG_LENGTH) -> None:
    """Cap Dask's debugging logs of sent messages in this process (a lower setting stays)."""
    import dask

    key = "distributed.admin.low-level-log-length"
    dask.config.set({key: min(int(dask.config.get(key, length)), length)})


def make_task_runner(
    name: str, workers: int | None = None, address: str | None = None
) -> TaskRunner[Any]:
    """``threads`` (default) or ``dask``: the scheduler at ``address`` (or
    DECRUFT_DASK_ADDRESS) when given, else a temporary local cluster of ``workers``
    processes."""
    if name == "threads":
        return ThreadPoolTaskRunner(max_workers=workers or default_workers("threads"))
    if name == "dask":
        from prefect_dask import DaskTaskRunner

        cap_dask_message_log()
        address = address or os.environ.get(DASK_ADDRESS_ENV)
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
        stored = item.size or item.length or len(item.raw or b"")
        weight += stored * GZIP_RATIO if item.compressed and item.raw is None else stored
        if len(batch) >= size or weight >= max_bytes:
            yield batch
            batch, weight = [], 0
    if batch:
        yield batch


def with_reuse(items: Iterable[WorkItem], state: RunState) -> Iterator[WorkItem]:
    """Attach what the state remembers of each id; the reader decides if it still holds."""
    for item in items:
        if item.status is None:
            previous = state.entry(item.id)
            if previous is not None and item.sha256 in (None, previous["sha256_in"]):
                item.previous = previous
        yield item


def in_flight_limit(runner: TaskRunner[Any], name: str) -> int:
    """Batches to keep submitted: two per thread, four per Dask worker.

    Results are consumed in submission order, so a worker that finishes early must find
    batches queued behind the one the driver waits for; references and compact outcomes
    are small, so the deeper queue costs the driver little memory.
    """
    if name == "dask":
        try:
            threads = sum(runner.client.nthreads().values())  # type: ignore[attr-defined]
        except Exception:  # an old or odd scheduler: fall back to the default
            threads = 0
        return 4 * (threads or default_workers(name))
    return 2 * default_workers(name)


GC_INTERVAL_S = 5.0
"""The driver's full garbage collections: at most one per this many seconds of wall time."""


class GarbageCollector:
    """A full collection after a consumed batch, at most once every :data:`GC_INTERVAL_S`.

    Each batch leaves reference cycles behind (Prefect's task run states, contexts and
    futures). CPython collects the oldest generation only once its survivors reach a quarter
    of all long-lived objects, and an imported Prefect holds about a million: the garbage of
    hundreds of batches piled up first, and the arenas it filled stayed with the process. The
    driver's peak then grew with the length of the run (``benchmarks/scale.py --only memory``,
    threads runner: 140 MB at 4,000 documents, 170 MB at 40,000; collected every few seconds,
    139 and 160 MB). A full collection costs tens of milliseconds. One instance serves a run's
    passes, so the interval holds across them.
    """

    def __init__(self, interval_s: float = GC_INTERVAL_S):
        self.interval_s = interval_s
        self._last = time.monotonic()

    def __call__(self) -> None:
        now = time.monotonic()
        if now - self._last >= self.interval_s:
            gc.collect()
            self._last = time.monotonic()


def _details(record: dict[str, Any]) -> dict[str, Any]:
    return {key: record[key] for key in DETAIL_KEYS}


def _batch_templates(batch: Sequence[WorkItem], site: dict[str, SiteTemplates]) -> Box | None:
    """The templates of the sources a batch holds (a box: Prefect leaves it alone)."""
    if not site:
        return None
    wanted = {item.source for item in batch if item.source in site}
    return Box([{s: site[s] for s in sorted(wanted)}]) if wanted else None


def run_config(
    rules: Sequence[str] | None, max_share: float, templates: bool = True
) -> dict[str, Any]:
    """What makes outputs differ: a change here reprocesses every input. (A change of a
    source's learned templates reprocesses only the documents it may change: see
    :func:`flows.templates_pass.document_digest`.)"""
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
        "guard": GUARD_VERSION,
        "dom_rules": dom_rules,
        "extractor": getattr(extract, "EXTRACTOR_VERSION", None),
        "trafilatura": trafilatura.__version__,
        "templates": THRESHOLDS.to_json() if templates else False,
    }


@flow(name="clean-scraped", log_prints=False)
def clean_flow(
    source: str,
    out: str,
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_share: float = DEFAULT_MAX_SHARE,
    rules: list[str] | None = None,
    task_runner: str = "threads",
    dask_address: str | None = None,
    workers: int | None = None,
    templates: bool = True,
) -> dict[str, Any]:
    """Clean every document under ``source`` into ``out``; returns the run summary.

    ``task_runner`` is ``threads`` or ``dask``; ``dask_address`` (a scheduler,
    ``tcp://host:8786``) implies ``dask``; ``workers`` sizes the thread pool or the
    temporary local Dask cluster. ``templates``: first count the lines of every source's
    documents and remove the lines each source repeats (docs/templates.md); the counts are
    kept under ``out/templates/`` for later runs.

    Refuses (:class:`flows.checks.UsageError`, one line) an empty or unfilled ``source`` or
    ``out``, overlapping folders, the project checkout as source, unknown rules, before it
    reads or writes anything.
    """
    check_run_paths(
        source,
        out,
        source_hint="set DECRUFT_SOURCE before `prefect deploy --all` (an unset variable is "
        "stored as '') or pass --param source=PATH",
        out_hint="set DECRUFT_OUT before `prefect deploy --all` (an unset variable is stored "
        "as '') or pass --param out=PATH",
    )
    rules = check_rules(rules)
    max_share = check_max_share(max_share)
    batch_size = check_batch_size(batch_size)
    # Absolute paths: workers elsewhere (another machine, another working folder) read the
    # inputs and write the outputs by the paths they are given.
    out_dir = Path(os.path.abspath(out))
    out_dir.mkdir(parents=True, exist_ok=True)
    source = os.path.abspath(source)
    if dask_address:
        task_runner = "dask"
    with output_lock(out_dir):
        return _run(
            source,
            out_dir,
            batch_size,
            max_share,
            rules,
            task_runner,
            dask_address,
            workers,
            templates,
        )


def extracted_path(out_dir: Path, number: int) -> Path:
    """Where the templates pass leaves batch ``number``'s HTML extractions for its clean."""
    return parts_dir(out_dir) / f"x{number:07d}.jsonl"


def learn_templates(
    runner: TaskRunner[Any],
    max_in_flight: int,
    source: str,
    out_dir: Path,
    batch_size: int,
    store: TemplateStore,
    collect_garbage: GarbageCollector,
) -> tuple[dict[str, SiteTemplates], dict[str, Any]]:
    """The templates pass: count the inputs not counted before, in batches on the runner,
    merged in input order in the driver; add them to the stored counts; decide. Returns the
    templates per source and the report's view of them."""
    rules = store.rules()  # a malformed rules file stops the run before any counting
    table = TemplateTable()
    pending: deque[Any] = deque()

    def consume(future: Any) -> None:
        part_table, part_new = future.result().content
        table.merge(part_table)
        store.stage(part_new)  # on disk until the counts commit: the driver keeps no id list
        collect_garbage()

    items = templates_pass.inputs(source, out_dir)
    for number, batch in enumerate(batches(items, batch_size)):
        counted = store.counted(item.id for item in batch if item.status is None)
        extracted = str(extracted_path(out_dir, number))
        parameters = {"items": Box(batch), "counted": counted, "extracted": extracted}
        pending.append(runner.submit(count_batch, parameters=parameters))
        while len(pending) >= max_in_flight:
            consume(pending.popleft())
    while pending:
        consume(pending.popleft())
    counted_now = store.staged
    whole = store.add(table)
    site = build_templates(whole, rules)
    summary = store.write_files(whole, site, rules)
    return site, {"counted_now": counted_now, "sources": summary}


def _run(
    source: str,
    out_dir: Path,
    batch_size: int,
    max_share: float,
    rules: list[str] | None,
    task_runner: str,
    dask_address: str | None,
    workers: int | None,
    templates: bool = True,
) -> dict[str, Any]:
    logger = get_run_logger()
    started = time.perf_counter()
    flow_run = FlowRunContext.get()
    run_id = str(flow_run.flow_run.id) if flow_run and flow_run.flow_run else "local"
    if stale := remove_stale_temporaries(out_dir):
        logger.info("Removed %d temporary files left by an interrupted run", stale)
    store = TemplateStore(out_dir) if templates else None
    if store is not None:
        store.rules()  # a malformed rules file stops the run before anything is written
    config = run_config(rules, max_share, templates)
    state = RunState(out_dir, config, run_id)
    if state.config_changed:
        logger.info("Rule versions or settings changed: every input is processed again")
    run_info = {
        "run_id": run_id,
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "source": str(source),
        "out": str(out_dir),
        "batch_size": batch_size,
        "task_runner": task_runner,
        **{k: v for k, v in config.items() if k != "templates"},
        "templates": templates,
    }
    report = ReportWriter(out_dir / "report", run_info)
    manifest = ManifestWriter(out_dir)
    summary = RunSummary()
    parts = parts_dir(out_dir)
    parts.mkdir(parents=True, exist_ok=True)
    problems = 0
    collect_garbage = GarbageCollector()

    def consume(part: Path, outcomes: list[Outcome]) -> None:
        nonlocal problems
        for outcome in outcomes:
            manifest.add(outcome.row)
            summary.add(outcome.row, outcome.record)
            if outcome.row["status"] == "failed":
                problems += 1
                if problems <= MAX_LOGGED_PROBLEMS:
                    logger.warning("%s: %s", outcome.row["id"], outcome.row["error"])
        report.add_part(part, [o.record for o in outcomes])
        state.record(
            (o.row, o.bytes_out, {**_details(o.record), "templates": o.templates}) for o in outcomes
        )
        progress.advance(len(outcomes))
        collect_garbage()

    runner = make_task_runner(task_runner, workers, dask_address)
    site: dict[str, SiteTemplates] = {}
    try:
        with runner:
            max_in_flight = in_flight_limit(runner, task_runner)
            if store is not None:
                learned_at = time.perf_counter()
                site, report.templates = learn_templates(
                    runner, max_in_flight, source, out_dir, batch_size, store, collect_garbage
                )
                logger.info(
                    "Templates: %d documents counted, %d sources with templates (%.1f s)",
                    report.templates["counted_now"],
                    len(site),
                    time.perf_counter() - learned_at,
                )
            items = with_reuse(iter_items(source, exclude=out_dir), state)
            pending: deque[tuple[Path, Any]] = deque()
            for number, batch in enumerate(batches(items, batch_size)):
                part = parts / f"b{number:07d}.jsonl"
                parameters = {
                    "items": Box(batch),
                    "out_dir": str(out_dir),
                    "rules": rules,
                    "max_share": max_share,
                    "part": str(part),
                    "templates": _batch_templates(batch, site),
                    "extracted": str(extracted_path(out_dir, number)) if store else None,
                }
                pending.append((part, runner.submit(clean_batch, parameters=parameters)))
                while len(pending) >= max_in_flight:
                    done_part, future = pending.popleft()
                    consume(done_part, future.result().content)
            while pending:
                done_part, future = pending.popleft()
                consume(done_part, future.result().content)
    except BaseException:
        manifest.abort()
        report.abort()
        state.close()
        raise
    finally:
        if store is not None:
            store.close()
    manifest_path = manifest.close()
    forgotten = state.finish()
    state.close()
    reviewed = review.record_run(out_dir, run_id)
    result = summary.to_dict()
    result["review_id"] = reviewed["review_id"]
    report.review = {**reviewed, "key": review.review_key(out_dir)}
    paths = report.close(result)
    shutil.rmtree(parts, ignore_errors=True)
    publish_artifacts(result, out_dir, Path(paths["html"]), getattr(report, "attention", []))
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
    logger.info("%s; review id %s", summary.one_line(), reviewed["review_id"])
    return result
