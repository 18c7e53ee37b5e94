"""Throughput of the link-dump rule alone on one core, beside a bare ``re`` scan for MORE.

    python benchmarks/linkdump_throughput.py [--corpus PATH] [--repeat N]

The corpus is a JSONL file (optionally gzipped) with a ``text`` field per line; the default is
the 3,000-article development corpus. Texts are loaded first, so only detection is timed.
Prints MB/s (UTF-8 bytes) and documents/s of ``find_linkdump`` (detection only), of
``clean(text, rules=["linkdump_v1"])`` (detection, application and tidying), and of a bare
``re`` scan for "MORE" over the same texts, plus how many documents and cards were found.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from cleaners_throughput import load_texts as load
from cleaners_throughput import timed as best_of

from cleaners import clean
from cleaners.core import Doc
from cleaners.linkdump import find_linkdump

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared/bench/abp-dev.jsonl.gz"
BARE_SCAN = re.compile(r"MORE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    texts = load(args.corpus)
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    findings = [list(find_linkdump(Doc(t))) for t in texts]
    print(f"corpus: {args.corpus} ({len(texts)} documents, {megabytes:.1f} MB)")
    print(
        f"found: {sum(1 for f in findings if f)} documents with link dumps, "
        f"{sum(len(f) for f in findings)} cards"
    )

    runs = {
        "find_linkdump (detection)": lambda: [list(find_linkdump(Doc(t))) for t in texts],
        "clean(rules=[linkdump_v1])": lambda: [clean(t, rules=["linkdump_v1"]) for t in texts],
        "bare re scan for MORE": lambda: [BARE_SCAN.findall(t) for t in texts],
    }
    for name, fn in runs.items():
        seconds = best_of(fn, args.repeat)
        print(
            f"{name:28} {megabytes / seconds:8.1f} MB/s {len(texts) / seconds:10.0f} docs/s "
            f"({seconds:.3f} s)"
        )


if __name__ == "__main__":
    main()
