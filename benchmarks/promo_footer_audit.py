"""Run the footer and promo rules over a JSONL(.gz) corpus and print what they remove.

    python benchmarks/promo_footer_audit.py [PATH] [--sample N] [--seed S] [--rule NAME]

Prints removals per rule and category, documents touched, the time taken, and a random
sample of removals with a line of context each side, for a precision read-through.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cleaners import clean, footers, promo

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "shared" / "bench" / "abp-dev.jsonl.gz"
RULES = (*promo.RULES, *footers.RULES)


def read_jsonl(path: Path) -> Iterator[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def context(text: str, start: int, end: int, width: int = 100) -> str:
    before = text[max(0, start - width) : start].replace("\n", "⏎")
    after = text[end : end + width].replace("\n", "⏎")
    removed = text[start:end].replace("\n", "⏎")
    return f"…{before}[[{removed}]]{after}…"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH)
    ap.add_argument("--sample", type=int, default=60)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--rule", action="append", help="only sample removals of these rules")
    args = ap.parse_args()

    per_rule: Counter[str] = Counter()
    per_category: Counter[str] = Counter()
    docs_per_rule: Counter[str] = Counter()
    removals: list[tuple[str, str, int, int, str]] = []
    n_docs = n_bytes = held = 0
    t0 = time.perf_counter()
    for doc in read_jsonl(args.path):
        text = doc.get("text") or ""
        n_docs += 1
        n_bytes += len(text.encode("utf-8"))
        result = clean(text, doc.get("source"), title=doc.get("title"), rules=RULES)
        if "over_removal" in result.flags:
            held += 1
        for r in result.removals:
            per_rule[r.rule] += 1
            per_category[r.category] += 1
            removals.append((r.rule, doc.get("id", "?"), r.start, r.end, text))
        for rule in {r.rule for r in result.removals}:
            docs_per_rule[rule] += 1
    elapsed = time.perf_counter() - t0

    print(
        f"{n_docs} documents, {n_bytes / 1e6:.1f} MB in {elapsed:.2f} s "
        f"({n_bytes / 1e6 / elapsed:.1f} MB/s), {held} held by the guard"
    )
    print(f"{'rule':28} {'removals':>9} {'docs':>6}")
    for rule in RULES:
        print(f"{rule:28} {per_rule[rule]:>9} {docs_per_rule[rule]:>6}")
    print("per category:", dict(per_category.most_common()))

    pool = [r for r in removals if not args.rule or r[0] in args.rule]
    rng = random.Random(args.seed)
    for rule, doc_id, start, end, text in rng.sample(pool, min(args.sample, len(pool))):
        print(f"\n-- {rule} {doc_id} {start}:{end}\n{context(text, start, end)}")


if __name__ == "__main__":
    main()
