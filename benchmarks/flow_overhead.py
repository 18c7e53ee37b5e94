"""What the Prefect flow costs over the bare library loop, on the same documents.

    .venv/bin/python benchmarks/flow_overhead.py [--docs 20000] [--rounds 2] [--samples DIR]

Writes ``--docs`` text files (copies of the sample texts, no network) to a temporary folder,
then times, in the same run:

* as a user runs them, each in its own process, alternated ``--rounds`` times (the disk here
  is noisy): the bare loop (read each file, decode, ``cleaners.clean``, write
  ``clean/<id>.txt`` atomically, write the manifest and the report, through the same
  functions as the flow, without Prefect) and ``decruft run`` (the flow on Prefect's
  temporary local server, which the CLI boots in parallel with its imports). Both include
  interpreter start and imports. This is the ratio the goal (<= 1.3x) is about.
* in this process: the loop, and the flow called twice (the first call waits for the
  temporary server, the second finds it up), with the flow's own in-flow time.

A Prefect 3 flow run with no API URL first starts a temporary API server in a subprocess
(the client imports the whole server stack just to spawn it, ~3 s of CPU here, then the
subprocess imports it again): a fixed ~5 s whatever the corpus size. ``decruft run`` starts
that server itself as its first action (``flows/local_server.py``), so it boots on the other
core while the CLI imports Prefect and the cleaners. Inside the flow, Prefect costs little
once batches are opaque to it (no per-document traversal) and tasks neither cache nor
persist results.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

ROOT = Path(__file__).resolve().parent.parent


def make_corpus(samples: Path, folder: Path, docs: int) -> int:
    """``docs`` text files spread over folders of 1,000; returns total bytes."""
    texts = [p.read_bytes() for p in sorted(samples.rglob("*.txt"))]
    if not texts:
        raise SystemExit(f"no .txt samples under {samples}")
    total = 0
    for i in range(docs):
        sub = folder / f"part{i // 1000:03d}"
        if i % 1000 == 0:
            sub.mkdir(parents=True, exist_ok=True)
        data = texts[i % len(texts)]
        (sub / f"doc{i:06d}.txt").write_bytes(data)
        total += len(data)
    return total


def bare_loop(source: Path, out: Path) -> float:
    """The library loop with the flow's reading and writing, no Prefect."""
    from flows.process import process_item
    from flows.report import ReportWriter
    from flows.sources import iter_items
    from flows.store import ManifestWriter
    from flows.summary import RunSummary

    start = time.perf_counter()
    out.mkdir(parents=True)
    manifest = ManifestWriter(out)
    report = ReportWriter(out / "report", {"run": "bare loop"})
    summary = RunSummary()
    for item in iter_items(source, exclude=out):
        outcome = process_item(item, out)
        manifest.add(outcome.row)
        report.add(outcome.record)
        summary.add(outcome.row, outcome.record)
    manifest.close()
    report.close(summary.to_dict())
    return time.perf_counter() - start


def timed_process(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def process_rounds(corpus: Path, work: Path, rounds: int) -> tuple[list[float], list[float]]:
    """Wall times of the loop and of ``decruft run``, each in a fresh process, alternated."""
    env_python = sys.executable
    decruft = str(Path(env_python).with_name("decruft"))
    loops: list[float] = []
    runs: list[float] = []
    for i in range(rounds):
        loop_out, cli_out = work / f"proc-loop-{i}", work / f"proc-cli-{i}"
        loops.append(
            timed_process([env_python, __file__, "--loop-only", str(corpus), str(loop_out)])
        )
        runs.append(
            timed_process([decruft, "run", str(corpus), "--out", str(cli_out), "--no-progress"])
        )
        shutil.rmtree(loop_out, ignore_errors=True)
        shutil.rmtree(cli_out, ignore_errors=True)
    return loops, runs


def flow_run(source: Path, out: Path, batch_size: int | None) -> tuple[float, dict]:
    from flows.clean_flow import DEFAULT_BATCH_SIZE, clean_flow

    start = time.perf_counter()
    summary = clean_flow(str(source), str(out), batch_size=batch_size or DEFAULT_BATCH_SIZE)
    return time.perf_counter() - start, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--samples", type=Path, default=ROOT / "samples" / "text")
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument(
        "--sweep",
        default="",
        help="comma-separated batch sizes to time as extra warm runs (e.g. 50,200,500,2000)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--rounds", type=int, default=2, help="alternated process rounds")
    parser.add_argument("--loop-only", nargs=2, metavar=("SOURCE", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.loop_only:
        bare_loop(Path(args.loop_only[0]), Path(args.loop_only[1]))
        return

    work = Path(tempfile.mkdtemp(prefix="decruft-bench-"))
    try:
        corpus = work / "corpus"
        size = make_corpus(args.samples, corpus, args.docs)
        print(f"corpus: {args.docs} documents, {size / 1e6:.1f} MB in {corpus}")

        loops, runs = process_rounds(corpus, work, args.rounds)
        for i, (loop_p, run_p) in enumerate(zip(loops, runs, strict=True)):
            print(f"round {i + 1}: loop process {loop_p:6.2f} s, decruft run {run_p:6.2f} s")
        loop_med, run_med = statistics.median(loops), statistics.median(runs)
        print(
            f"as a user runs them (median of {args.rounds}): loop {loop_med:.2f} s, "
            f"decruft run {run_med:.2f} s, ratio {run_med / loop_med:.2f}x "
            f"(best against best {min(runs) / min(loops):.2f}x)"
        )

        loop_s = bare_loop(corpus, work / "out-loop")
        print(f"bare loop:  {loop_s:7.2f} s  ({size / 1e6 / loop_s:.1f} MB/s)")

        cold_s, summary = flow_run(corpus, work / "out-flow-cold", args.batch_size)
        assert summary["documents"] == args.docs, summary["statuses"]
        print(
            f"flow, first call in process (Prefect starts its server): {cold_s:7.2f} s  "
            f"ratio {cold_s / loop_s:.2f}x "
            f"(in-flow {summary['seconds']:.2f} s; the rest is the wait for Prefect's temporary "
            "server and flow run bookkeeping)"
        )
        warm_s, summary = flow_run(corpus, work / "out-flow-warm", args.batch_size)
        print(
            f"flow, warm: {warm_s:7.2f} s  ratio {warm_s / loop_s:.2f}x "
            f"(in-flow {summary['seconds']:.2f} s)"
        )
        for size_text in filter(None, args.sweep.split(",")):
            batch = int(size_text)
            swept_s, _ = flow_run(corpus, work / f"out-flow-{batch}", batch)
            print(f"flow, warm, batch {batch:5d}: {swept_s:7.2f} s  ratio {swept_s / loop_s:.2f}x")
        again_s = bare_loop(corpus, work / "out-loop-again")
        best_loop = min(loop_s, again_s)
        print(
            f"bare loop again: {again_s:7.2f} s; against the faster loop: "
            f"cold {cold_s / best_loop:.2f}x, warm {warm_s / best_loop:.2f}x"
        )
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak resident memory of this process: {peak_mb:.0f} MB")
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
