"""Throughput of the whole cleaning chain on one core, beside a bare ``re`` scan.

    python benchmarks/cleaners_throughput.py [--corpus PATH] [--source NAME] [--repeat N]
        [--per-rule]

The corpus is a JSONL file (optionally gzipped) with a ``text`` field per line (and optional
``source`` and ``title``); the default is the 3,000-article development corpus. Texts are
loaded first, so only cleaning is timed. Prints MB/s (UTF-8 bytes) and documents/s by wall
time and MB/s by CPU time (the figure to trust on a loaded machine), and the
same for a bare ``re`` scan of the same texts in the same run, as the floor to compare against:
on a shared machine the ratio to that scan is the figure to compare between runs.

Each document is cleaned with its source and title, as the flow passes them.

``--source NAME`` (default ``The Hill``, the outlet whose hover cards cost most) also times
the documents of that source alone, in the same run; ``--source ''`` turns it off. Each
repeat times the bare scan and the chain one after the other, and the best of ``--repeat``
is kept for each, so a burst of load on the machine hits both alike. ``--per-rule`` also
times each rule inside the whole chain (its ``find`` calls, on every view it runs on) and
alone (the chain of that one rule, plus tidying and the guard).
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import re
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from cleaners import REGISTRY, Doc, Finding, clean, get_chain

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared/bench/abp-dev.jsonl.gz"
DEFAULT_SOURCE = "The Hill"
BARE_SCAN = re.compile(r"MORE|Advertisement|Click here|Related", re.IGNORECASE)

Row = tuple[str, str | None, str | None]
"""(text, source, title) of one document."""


def load(path: Path) -> list[Row]:
    """(text, source, title) of every row with a text, from a JSONL file (gzipped or not)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        rows = (json.loads(line) for line in fh if line.strip())
        return [(r["text"], r.get("source"), r.get("title")) for r in rows if r.get("text")]


def load_texts(path: Path) -> list[str]:
    return [text for text, _, _ in load(path)]


def timed(fn: Callable[[], object], repeat: int) -> float:
    """Best wall time of ``repeat`` calls of ``fn``."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def timed_pair(
    first: Callable[[], object], second: Callable[[], object], repeat: int
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Best (wall, CPU) times of ``first`` and ``second``, run alternately ``repeat`` times.

    CPU time (of this process) is what to compare when other jobs share the cores: waiting
    for a core counts in wall time only.
    """
    wall = [float("inf"), float("inf")]
    cpu = [float("inf"), float("inf")]
    for _ in range(repeat):
        for i, fn in enumerate((first, second)):
            start, start_cpu = time.perf_counter(), time.process_time()
            fn()
            cpu[i] = min(cpu[i], time.process_time() - start_cpu)
            wall[i] = min(wall[i], time.perf_counter() - start)
    return (wall[0], cpu[0]), (wall[1], cpu[1])


def megabytes(docs: list[Row]) -> float:
    return sum(len(t.encode("utf-8")) for t, _, _ in docs) / 1e6


def bare_scan(docs: list[Row]) -> Callable[[], None]:
    def run() -> None:
        for text, _, _ in docs:
            sum(1 for _ in BARE_SCAN.finditer(text))

    return run


def chain_of(docs: list[Row], rules: list[str] | None = None) -> Callable[[], None]:
    def run() -> None:
        for text, source, title in docs:
            clean(text, source, title=title, rules=rules)

    return run


def in_chain(docs: list[Row], repeat: int) -> dict[str, float]:
    """Seconds each rule's ``find`` takes inside whole-chain runs (the best of ``repeat``)."""
    spent: dict[str, float] = {}
    saved = dict(REGISTRY)

    def timed_find(
        name: str, find: Callable[[Doc], Iterable[Finding]]
    ) -> Callable[[Doc], list[Finding]]:
        def run(doc: Doc) -> list[Finding]:
            start = time.perf_counter()
            try:
                return list(find(doc))
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - start

        return run

    best: tuple[float, dict[str, float]] | None = None
    try:
        for name, cleaner in saved.items():
            REGISTRY[name] = dataclasses.replace(cleaner, find=timed_find(name, cleaner.find))
        for _ in range(repeat):
            spent.clear()
            start = time.perf_counter()
            chain_of(docs)()
            total = time.perf_counter() - start
            if best is None or total < best[0]:
                best = (total, dict(spent))
    finally:
        REGISTRY.update(saved)
    assert best is not None
    return best[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument(
        "--source", default=DEFAULT_SOURCE, help="also time this source's documents alone"
    )
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs")
    parser.add_argument("--per-rule", action="store_true", help="also time each rule alone")
    args = parser.parse_args()

    sets: list[tuple[str, list[Row]]] = [("all", load(args.corpus))]
    if args.source:
        subset = [d for d in sets[0][1] if d[1] == args.source]
        if not subset:
            parser.error(f"no document of source {args.source!r} in {args.corpus}")
        sets.append((args.source, subset))
    print(f"corpus: {args.corpus}")
    for label, docs in sets:
        print(f"  {label}: {len(docs)} documents, {megabytes(docs):.2f} MB")

    print(
        f"\n{'set':10} {'what':16} {'seconds':>8} {'MB/s':>8} {'docs/s':>9} {'x bare':>7}"
        f" {'CPU s':>8} {'CPU MB/s':>9}"
    )
    for label, docs in sets:
        mb = megabytes(docs)
        (bare, bare_cpu), (chain, chain_cpu) = timed_pair(
            bare_scan(docs), chain_of(docs), args.repeat
        )
        for what, seconds, cpu in (
            ("bare re scan", bare, bare_cpu),
            ("decruft chain", chain, chain_cpu),
        ):
            print(
                f"{label[:10]:10} {what:16} {seconds:8.3f} {mb / seconds:8.1f} "
                f"{len(docs) / seconds:9.0f} {seconds / bare:6.1f}x {cpu:8.3f} {mb / cpu:9.1f}"
            )
        print(
            f"{label[:10]:10} chain MB/s / bare MB/s: {bare / chain:.3f} (CPU time: "
            f"{bare_cpu / chain_cpu:.3f})"
        )

    if args.per_rule:
        print(
            f"\nper rule, seconds: inside the whole chain (best of {args.repeat}; a view's shared"
            "\nlines, paragraphs and lower-cased text are charged to the first rule that asks),"
            "\nand alone (the chain of that rule only, tidying and guard included); sorted by"
            "\nthe cost inside the chain on all"
        )
        header = "".join(
            f" {label[:10] + ' in':>13} {label[:10] + ' alone':>16}" for label, _ in sets
        )
        print(f"{'rule':32}{header}")
        inside = [in_chain(docs, args.repeat) for _, docs in sets]
        rows: list[tuple[str, list[float]]] = []
        for name in [c.name for c in get_chain()] + [None]:
            rules = [] if name is None else [name]
            times: list[float] = []
            for k, (_, docs) in enumerate(sets):
                times.append(inside[k].get(name or "", 0.0))
                times.append(timed(chain_of(docs, rules), args.repeat))
            rows.append((name or "(empty chain: tidy + guard)", times))
        for name, times in sorted(rows, key=lambda r: -r[1][0]):
            print(
                f"{name:32}"
                + "".join(
                    f" {t:13.3f}" if i % 2 == 0 else f" {t:16.3f}" for i, t in enumerate(times)
                )
            )


if __name__ == "__main__":
    main()
