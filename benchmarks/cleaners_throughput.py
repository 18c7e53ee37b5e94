"""Throughput of the whole cleaning chain on one core, beside a bare ``re`` scan.

    python benchmarks/cleaners_throughput.py [--corpus PATH] [--repeat N] [--per-rule]

The corpus is a JSONL file (optionally gzipped) with a ``text`` field per line (and an
optional ``source``); the default is the 3,000-article development corpus. Texts are loaded
first, so only cleaning is timed. Prints MB/s (UTF-8 bytes) and documents/s, and the same for
a bare ``re`` scan of the same texts in the same run, as the floor to compare against.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import time
from collections.abc import Callable
from pathlib import Path

from cleaners import clean, get_chain

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared/bench/abp-dev.jsonl.gz"
BARE_SCAN = re.compile(r"MORE|Advertisement|Click here|Related", re.IGNORECASE)


def load(path: Path) -> list[tuple[str, str | None]]:
    """(text, source) of every row with a text, from a JSONL file (gzipped or not)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        rows = (json.loads(line) for line in fh if line.strip())
        return [(r["text"], r.get("source")) for r in rows if r.get("text")]


def load_texts(path: Path) -> list[str]:
    return [text for text, _ in load(path)]


def timed(fn: Callable[[], object], repeat: int) -> float:
    """Best wall time of ``repeat`` calls of ``fn``."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs")
    parser.add_argument("--per-rule", action="store_true", help="also time each rule alone")
    args = parser.parse_args()

    docs = load(args.corpus)
    mb = sum(len(t.encode("utf-8")) for t, _ in docs) / 1e6
    print(f"corpus: {args.corpus} ({len(docs)} documents, {mb:.1f} MB)")

    def bare() -> None:
        for text, _ in docs:
            sum(1 for _ in BARE_SCAN.finditer(text))

    def chain(rules: list[str] | None = None) -> None:
        for text, source in docs:
            clean(text, source, rules=rules)

    rows = [
        ("bare re scan", timed(bare, args.repeat)),
        ("decruft chain", timed(chain, args.repeat)),
    ]
    if args.per_rule:
        for c in get_chain():
            rows.append((f"  {c.name} alone", timed(lambda c=c: chain([c.name]), args.repeat)))
        rows.append(("  empty chain (tidy + guard)", timed(lambda: chain([]), args.repeat)))
    print(f"{'what':32} {'seconds':>8} {'MB/s':>8} {'docs/s':>9}")
    for name, seconds in rows:
        print(f"{name:32} {seconds:8.3f} {mb / seconds:8.1f} {len(docs) / seconds:9.0f}")
    ratio = rows[1][1] / rows[0][1]
    print(f"chain / bare scan time ratio: {ratio:.1f}x")


if __name__ == "__main__":
    main()
