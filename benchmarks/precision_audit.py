"""Precision audit: run the whole default chain over a corpus and sample removals for review.

    .venv/bin/python benchmarks/precision_audit.py --corpus ../shared/bench/abp-dev.jsonl.gz \
        [--sample 100] [--seed 1] [--rule NAME ...] [--category NAME ...] [--context 160]

The corpus is JSON lines (optionally gzipped) with ``text`` and optional ``id``, ``source``,
``title``; it is read line by line. Prints documents, documents changed, guard flags, removals
and characters per rule and per category (applied and held by the guard), then a reproducible
random sample (reservoir, seeded) of removals with context before and after each, so a human can
judge real content against residue. ``--rule``/``--category`` restrict the sample, not the
counts.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaners import clean  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "bench" / "abp-dev.jsonl.gz"


@dataclass(frozen=True, slots=True)
class Sampled:
    """One removal picked for review, with its surroundings in the original text."""

    doc_id: str
    source: str
    rule: str
    category: str
    reason: str
    before: str
    removed: str
    after: str


def open_corpus(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8", errors="replace")
    return path.open(encoding="utf-8", errors="replace")


def read_documents(path: Path, stats: Counter[str]) -> Iterator[dict[str, object]]:
    """Documents of a JSON-lines corpus, one at a time; bad lines are counted, not fatal."""
    with open_corpus(path) as handle:
        for line in handle:
            if not line.strip():
                continue
            try:
                doc = json.loads(line)
            except json.JSONDecodeError:
                stats["bad_lines"] += 1
                continue
            if not isinstance(doc, dict) or not isinstance(doc.get("text"), str):
                stats["bad_lines"] += 1
                continue
            yield doc


def _one_line(text: str) -> str:
    return text.replace("\n", "⏎")


class Reservoir:
    """Uniform sample of at most ``size`` items from a stream (Algorithm R), seeded."""

    def __init__(self, size: int, seed: int):
        self.size = size
        self.rng = random.Random(seed)
        self.seen = 0
        self.items: list[Sampled] = []

    def offer(self, item_factory: Callable[[], Sampled]) -> None:
        """Count one item; build it (``item_factory``) only when it enters the sample."""
        self.seen += 1
        if len(self.items) < self.size:
            self.items.append(item_factory())
            return
        j = self.rng.randrange(self.seen)
        if j < self.size:
            self.items[j] = item_factory()  # type: ignore[operator]


def audit(args: argparse.Namespace) -> int:
    stats: Counter[str] = Counter()
    flags: Counter[str] = Counter()
    per_rule: Counter[str] = Counter()
    chars_rule: Counter[str] = Counter()
    per_cat: Counter[str] = Counter()
    chars_cat: Counter[str] = Counter()
    held_rule: Counter[str] = Counter()
    docs_rule: Counter[str] = Counter()
    reservoir = Reservoir(args.sample, args.seed)
    rules = set(args.rule or ())
    categories = set(args.category or ())
    width = args.context
    started = time.perf_counter()
    for doc in read_documents(args.corpus, stats):
        text = str(doc["text"])
        stats["documents"] += 1
        stats["chars"] += len(text)
        source = doc.get("source")
        title = doc.get("title")
        try:
            result = clean(
                text,
                source=source if isinstance(source, str) else None,
                title=title if isinstance(title, str) else None,
            )
        except Exception as exc:  # an audit reports failures, it does not stop on them
            stats["errors"] += 1
            flags[f"error:{type(exc).__name__}"] += 1
            continue
        flags.update(result.flags)
        for removal in result.held_removals:
            held_rule[removal.rule] += 1
        if result.removals:
            stats["changed"] += 1
        for rule in {r.rule for r in result.removals}:
            docs_rule[rule] += 1
        for removal in result.removals:
            size = removal.end - removal.start
            per_rule[removal.rule] += 1
            chars_rule[removal.rule] += size
            per_cat[removal.category] += 1
            chars_cat[removal.category] += size
            if (rules and removal.rule not in rules) or (
                categories and removal.category not in categories
            ):
                continue

            def make(removal=removal, doc=doc, text=text) -> Sampled:
                return Sampled(
                    str(doc.get("id", "?")),
                    str(doc.get("source", "?")),
                    removal.rule,
                    removal.category,
                    removal.reason,
                    text[max(0, removal.start - width) : removal.start],
                    removal.text,
                    text[removal.end : removal.end + width],
                )

            reservoir.offer(make)
    elapsed = time.perf_counter() - started

    print(f"corpus: {args.corpus}")
    print(
        f"documents: {stats['documents']}  changed: {stats['changed']}  "
        f"errors: {stats['errors']}  bad lines: {stats['bad_lines']}  "
        f"chars: {stats['chars']:,}  time: {elapsed:.1f}s "
        f"({stats['chars'] / 1e6 / max(elapsed, 1e-9):.2f} MB/s incl. reading)"
    )
    print("flags:", dict(flags.most_common()) or "none")
    print(f"\n{'rule':28} {'removals':>9} {'docs':>6} {'chars':>9} {'held':>6}")
    for rule in sorted(set(per_rule) | set(held_rule), key=lambda r: -per_rule[r]):
        print(
            f"{rule:28} {per_rule[rule]:9} {docs_rule[rule]:6} {chars_rule[rule]:9} "
            f"{held_rule[rule]:6}"
        )
    print(f"\n{'category':28} {'removals':>9} {'chars':>9}")
    for cat, count in per_cat.most_common():
        print(f"{cat:28} {count:9} {chars_cat[cat]:9}")
    scope = ", ".join(sorted(rules | categories)) or "all rules"
    print(
        f"\nsample: {len(reservoir.items)} of {reservoir.seen} removals ({scope}), "
        f"seed {args.seed}\n"
    )
    order = sorted(reservoir.items, key=lambda s: (s.rule, s.doc_id))
    for number, item in enumerate(order, 1):
        print(f"--- {number}. {item.rule} [{item.category}] {item.source} {item.doc_id}")
        print(f"    reason: {item.reason}")
        print(f"    …{_one_line(item.before)}⟦{_one_line(item.removed)}⟧{_one_line(item.after)}…")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--sample", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rule", action="append", help="sample only this rule (repeatable)")
    parser.add_argument("--category", action="append", help="sample only this category")
    parser.add_argument("--context", type=int, default=160, help="characters either side")
    return audit(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
