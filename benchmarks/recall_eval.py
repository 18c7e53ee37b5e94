"""Recall and precision of the default chain on the hand-annotated dev gold, per category.

    .venv/bin/python benchmarks/recall_eval.py --bench ../shared/bench [-v] [--no-source]

Runs ``clean(text, source=..., title=...)`` on every gold article of ``abp-dev-gold.jsonl``
(texts from ``abp-dev.jsonl.gz`` in the same folder), writes the removals (applied and, with
``--with-held``, held by the guard) as predictions, and scores them with the gold's own scorer
``score_spans.py`` from that folder, so the figures are the scorer's, not ours. ``-v`` lists
each removed piece of real text and each missed gold span.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaners import clean  # noqa: E402

DEFAULT_BENCH = ROOT.parent / "shared" / "bench"


def gold_ids(gold: Path) -> set[str]:
    with gold.open(encoding="utf-8") as handle:
        return {json.loads(line)["id"] for line in handle if line.strip()}


def predictions(data: Path, wanted: set[str], *, use_source: bool, with_held: bool):
    """One prediction record per wanted article, in corpus order."""
    with gzip.open(data, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row["id"] not in wanted:
                continue
            result = clean(
                row["text"],
                source=row.get("source") if use_source else None,
                title=row.get("title") if use_source else None,
            )
            removals = list(result.removals)
            if with_held:
                removals += list(result.held_removals)
            yield {
                "id": row["id"],
                "spans": [[r.start, r.end, r.rule, r.category] for r in removals],
                "flags": list(result.flags),
            }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH, help="folder with the gold")
    parser.add_argument("--no-source", action="store_true", help="call clean(text) only")
    parser.add_argument("--with-held", action="store_true", help="count held removals too")
    parser.add_argument("--write-pred", type=Path, help="keep the predictions here")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)

    gold = args.bench / "abp-dev-gold.jsonl"
    data = args.bench / "abp-dev.jsonl.gz"
    scorer = args.bench / "score_spans.py"
    wanted = gold_ids(gold)
    with tempfile.TemporaryDirectory() as tmp:
        pred = args.write_pred or Path(tmp) / "pred.jsonl"
        with pred.open("w", encoding="utf-8") as out:
            for record in predictions(
                data, wanted, use_source=not args.no_source, with_held=args.with_held
            ):
                out.write(json.dumps(record) + "\n")
        command = [sys.executable, str(scorer), "--gold", str(gold), "--data", str(data)]
        command += ["--pred", str(pred)] + (["-v"] if args.verbose else [])
        return subprocess.run(command, check=False).returncode


if __name__ == "__main__":
    raise SystemExit(main())
