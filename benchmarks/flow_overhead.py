"""What the Prefect flow costs over the bare library loop, on the same documents.

    .venv/bin/python benchmarks/flow_overhead.py [--docs 20000] [--samples samples/text]

Writes ``--docs`` text files (copies of the sample texts, no network) to a temporary folder,
then times, in one process:

* the loop: read each file, decode, ``cleaners.clean``, write ``clean/<id>.txt`` atomically,
  write the manifest and the report (the same reading and writing the flow does, through the
  same functions, without Prefect);
* the flow, cold: ``clean_flow`` as ``decruft run`` calls it, including the start of Prefect's
  temporary local server (the first flow run in a process starts it);
* the flow, warm: the same again in the same process (server already up), into a fresh folder.

Prints the three wall times, the ratios to the loop, and the flow's own in-flow time.

Measured on 2 shared cores, 20,000 texts (59.5 MB), four runs: loop 17.5-23.3 s; flow warm
1.07-1.25x; flow cold 1.23-1.46x. The cold extra is fixed, about 5-6 s: Prefect 3 starts a
temporary API server in a subprocess on the first flow run of a process (importing the
server stack alone takes ~5 s here), whatever the corpus size. A long-running server
(PREFECT_API_URL, as scheduled deployments use) removes it: a trivial flow then takes 1.2-1.7
s instead of 6.2 s. Inside the flow, Prefect costs little once batches are opaque to it (no
per-document traversal) and tasks neither cache nor persist results.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
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
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="decruft-bench-"))
    try:
        corpus = work / "corpus"
        size = make_corpus(args.samples, corpus, args.docs)
        print(f"corpus: {args.docs} documents, {size / 1e6:.1f} MB in {corpus}")

        loop_s = bare_loop(corpus, work / "out-loop")
        print(f"bare loop:  {loop_s:7.2f} s  ({size / 1e6 / loop_s:.1f} MB/s)")

        cold_s, summary = flow_run(corpus, work / "out-flow-cold", args.batch_size)
        assert summary["documents"] == args.docs, summary["statuses"]
        print(
            f"flow, cold: {cold_s:7.2f} s  ratio {cold_s / loop_s:.2f}x "
            f"(in-flow {summary['seconds']:.2f} s; the rest is Prefect's server start and "
            "flow run bookkeeping)"
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
