"""Scale-out and flat memory: documents/s with 1 and 2 Dask workers, driver memory at 4,000
and 40,000 documents.

    .venv/bin/python benchmarks/scale.py [--wcxb ../shared/bench/wcxb-dev] [--rounds 1]
        [--texts 4000 40000] [--only throughput|memory]

Throughput: the HTML pages of the WCXB dev set (``dev/html/*.html.gz``), cleaned by
``decruft run --dask-address`` against a real cluster started here for each size (a
``dask scheduler`` and N ``dask worker`` processes of one thread each, on 127.0.0.1): the
team setup, without the cluster's start-up in the figure. Rounds alternate 1 and 2 workers.
documents/s is over the time ``decruft run`` reports (its wall time, start-up included).

Memory: ``decruft run`` on N text files (copies of samples/text), the driver's peak resident
memory (``ru_maxrss`` of the CLI process itself, not of its children), once with the default
threads runner (the driver also cleans) and once against a 2-worker cluster (the driver only
reads references, assembles and reports).

The machine's load average is printed before and after: on a shared 2-core machine, 2
workers can only beat 1 by what the other processes leave them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WCXB = ROOT.parent / "shared" / "bench" / "wcxb-dev"
RSS_WRAPPER = (
    "import resource, sys\n"
    "from flows.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print('maxrss_kb', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)\n"
    "sys.exit(code)\n"
)


@contextlib.contextmanager
def cluster(workers: int, logs: Path) -> Iterator[str]:
    """A scheduler and ``workers`` one-thread workers, each its own process; the address."""
    logs.mkdir(parents=True, exist_ok=True)
    scheduler_file = logs / "scheduler.json"
    procs: list[subprocess.Popen[bytes]] = []

    def spawn(args: list[str], name: str) -> None:
        with (logs / f"{name}.log").open("wb") as log:
            procs.append(
                subprocess.Popen(
                    [sys.executable, "-m", *args],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )

    try:
        spawn(
            ["distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0",
             "--no-dashboard", "--scheduler-file", str(scheduler_file)],
            "scheduler",
        )  # fmt: skip
        while not scheduler_file.exists():
            if procs[0].poll() is not None:
                raise RuntimeError((logs / "scheduler.log").read_text())
            time.sleep(0.2)
        address = json.loads(scheduler_file.read_text())["address"]
        for n in range(workers):
            spawn(
                ["distributed.cli.dask_worker", address, "--nthreads", "1", "--no-nanny",
                 "--no-dashboard", "--host", "127.0.0.1"],
                f"worker{n}",
            )  # fmt: skip
        from distributed import Client

        with Client(address, timeout=120) as client:
            client.wait_for_workers(workers, timeout=180)
        yield address
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def decruft_run(source: Path, out: Path, *extra: str) -> dict[str, float]:
    """``decruft run`` in a fresh process: documents, in-flow seconds, the CLI's peak RSS."""
    args = [sys.executable, "-c", RSS_WRAPPER, "run", str(source), "--out", str(out)]
    done = subprocess.run(
        [*args, "--no-progress", *extra], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"decruft run failed: {done.stderr[-2000:]}")
    line = [x for x in done.stdout.splitlines() if x.startswith("decruft: ")][-1]
    docs = int(re.search(r"decruft: (\d+) documents", line).group(1))  # type: ignore[union-attr]
    seconds = float(re.search(r" in ([\d.]+)s ->", line).group(1))  # type: ignore[union-attr]
    rss = int(re.search(r"maxrss_kb (\d+)", done.stdout).group(1))  # type: ignore[union-attr]
    return {"documents": docs, "seconds": seconds, "rss_mb": rss / 1024}


def make_texts(folder: Path, docs: int) -> None:
    texts = [p.read_bytes() for p in sorted((ROOT / "samples" / "text").rglob("*.txt"))]
    for i in range(docs):
        sub = folder / f"part{i // 1000:03d}"
        if i % 1000 == 0:
            sub.mkdir(parents=True, exist_ok=True)
        (sub / f"doc{i:06d}.txt").write_bytes(texts[i % len(texts)] + f"\n{i}\n".encode())


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f} / {five:.1f} / {fifteen:.1f} on {os.cpu_count()} cores"


def throughput(wcxb: Path, work: Path, rounds: int) -> None:
    pages = wcxb / "dev" / "html" if (wcxb / "dev" / "html").is_dir() else wcxb
    count = len(list(pages.glob("*.htm*")))
    print(f"throughput: {count} HTML pages from {pages}", flush=True)
    rates: dict[int, list[float]] = {1: [], 2: []}
    order = ([1, 2, 2, 1] * rounds)[: 2 * rounds]
    for i, workers in enumerate(order):
        with cluster(workers, work / f"logs-{i}") as address:
            out = work / f"html-{i}-{workers}"
            got = decruft_run(pages, out, "--dask-address", address)
            shutil.rmtree(out, ignore_errors=True)
        rate = got["documents"] / got["seconds"]
        rates[workers].append(rate)
        print(
            f"  {workers} worker(s): {got['documents']} documents in {got['seconds']:.1f} s, "
            f"{rate:.1f} documents/s (driver peak {got['rss_mb']:.0f} MB; {load()})",
            flush=True,
        )
    one, two = max(rates[1]), max(rates[2])
    print(f"2 workers against 1 (best of each): {two / one:.2f}x (goal >= 1.7x)")


def memory(sizes: list[int], work: Path) -> None:
    results: dict[str, list[float]] = {"threads": [], "dask": []}
    for n in sizes:
        corpus = work / f"texts-{n}"
        make_texts(corpus, n)
        got = decruft_run(corpus, work / f"out-threads-{n}")
        results["threads"].append(got["rss_mb"])
        print(
            f"memory: {n} texts, threads runner: driver peak {got['rss_mb']:.0f} MB "
            f"({got['documents'] / got['seconds']:.0f} documents/s)",
            flush=True,
        )
        with cluster(2, work / f"logs-mem-{n}") as address:
            got = decruft_run(corpus, work / f"out-dask-{n}", "--dask-address", address)
        results["dask"].append(got["rss_mb"])
        print(
            f"memory: {n} texts, 2 Dask workers: driver peak {got['rss_mb']:.0f} MB "
            f"({got['documents'] / got['seconds']:.0f} documents/s)",
            flush=True,
        )
        shutil.rmtree(corpus, ignore_errors=True)
        for out in work.glob(f"out-*-{n}"):
            shutil.rmtree(out, ignore_errors=True)
    for runner, peaks in results.items():
        print(
            f"driver peak, {sizes[-1]} against {sizes[0]} documents ({runner}): "
            f"{peaks[-1] / peaks[0]:.2f}x (goal <= 1.2x)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wcxb", type=Path, default=DEFAULT_WCXB)
    parser.add_argument("--rounds", type=int, default=1, help="1: 1 then 2 workers; 2: 1,2,2,1")
    parser.add_argument("--texts", type=int, nargs=2, default=[4000, 40000])
    parser.add_argument("--only", choices=("throughput", "memory"))
    args = parser.parse_args()
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    print(f"start: {load()}", flush=True)
    work = Path(tempfile.mkdtemp(prefix="decruft-scale-"))
    try:
        if args.only in (None, "throughput"):
            throughput(args.wcxb, work, args.rounds)
        if args.only in (None, "memory"):
            memory(list(args.texts), work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"end: {load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
