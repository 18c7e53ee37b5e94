"""Dump what the chain does to a corpus, to check a speed-up changed nothing.

    python benchmarks/cleaners_identity.py OUT.jsonl [--bench DIR] [--corpus PATH ...]
        [--no-cases]

One JSON line per document: the clean text, the flags, and the removals and held removals
as (rule, start, end, category, reason), in the order ``clean`` returns them. Corpora are
JSONL files (optionally gzipped) with ``text`` or ``raw`` and optional ``source`` and
``title``, cleaned as ``cleaners_throughput.py`` cleans them: ``--corpus`` PATHs, or else
``abp-dev.jsonl.gz`` and ``hill-dev.jsonl`` of ``--bench DIR`` (default ``/work/shared/bench``;
pass it explicitly from a worktree). The case files under ``tests/cases`` follow unless
``--no-cases``. Dump before and after a change and ``cmp``
the files: any difference, even of a reason or an order, is a change.
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections.abc import Iterator
from pathlib import Path

from cleaners import CleanResult, Removal, clean

DEFAULT_BENCH = Path("/work/shared/bench")
DEFAULT_CORPORA = ("abp-dev.jsonl.gz", "hill-dev.jsonl")
CASES = Path(__file__).resolve().parents[1] / "tests" / "cases"

Row = tuple[str, str, str | None, str | None]
"""(label, text, source, title) of one document."""


def _optional(row: dict[str, object], key: str) -> str | None:
    value = row.get(key)
    return value if isinstance(value, str) else None


def _rows(path: Path) -> Iterator[dict[str, object]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def documents(path: Path) -> Iterator[Row]:
    """Every ``text`` and ``raw`` string of a JSONL file, with its source and title."""
    for index, row in enumerate(_rows(path)):
        for key in ("text", "raw"):
            text = row.get(key)
            if isinstance(text, str) and text:
                label = f"{path.name}:{index}:{key}"
                yield label, text, _optional(row, "source"), _optional(row, "title")


def _removals(removals: tuple[Removal, ...]) -> list[list[object]]:
    return [[r.rule, r.start, r.end, r.category, r.reason] for r in removals]


def record(label: str, result: CleanResult) -> str:
    """One JSON line: everything of ``result`` a change must keep."""
    return json.dumps(
        {
            "doc": label,
            "text": result.text,
            "flags": list(result.flags),
            "removals": _removals(result.removals),
            "held": _removals(result.held_removals),
        },
        ensure_ascii=False,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument(
        "--bench",
        type=Path,
        default=DEFAULT_BENCH,
        help=f"directory of the default corpora (default {DEFAULT_BENCH})",
    )
    parser.add_argument("--corpus", type=Path, action="append", help="instead of the defaults")
    parser.add_argument("--no-cases", action="store_true", help="skip tests/cases/**/*.jsonl")
    args = parser.parse_args()
    paths = list(args.corpus or [args.bench / name for name in DEFAULT_CORPORA])
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        parser.error(f"no such corpus: {', '.join(missing)}")
    if not args.no_cases:
        paths.extend(sorted(CASES.rglob("*.jsonl")))
    count = 0
    with args.out.open("w", encoding="utf-8") as out:
        for path in paths:
            for label, text, source, title in documents(path):
                out.write(record(label, clean(text, source, title=title)) + "\n")
                count += 1
    print(f"{count} documents -> {args.out}")


if __name__ == "__main__":
    main()
