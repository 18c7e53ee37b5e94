"""A/B of the cleaning chain against an earlier commit, in one process, interleaved per document.

    python benchmarks/cleaners_ab.py REV [--corpus PATH] [--source NAME] [--rules A,B]
        [--repeat N]

``REV``'s ``cleaners`` package is copied out of git into a temporary folder under the name
``cleaners_base`` (every ``cleaners`` word in its Python files renamed), so both versions load
side by side with their own registries and caches. Each document is cleaned by both, in
alternating order, and the CPU time of each call is added to its side: a burst of load on a
shared machine hits both alike, which two benchmark runs one after the other cannot promise. Every
result of the first repeat is compared (text, flags, removals, held removals): any difference
stops the run. Prints the best total of ``--repeat`` for each side and their ratio.
``--rules`` runs a chain of those rules only (``clean(..., rules=...)``), e.g. one rule and the
runner's tidying and guard. ``--changed`` times a change that is meant to change results (a new
rule): differences are counted and printed at the end instead of stopping the run.
"""

from __future__ import annotations

import argparse
import io
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from cleaners_throughput import DEFAULT_CORPUS, load

import cleaners

ROOT = Path(__file__).resolve().parents[1]


def _base_package(rev: str, folder: Path) -> None:
    """Extract ``rev``'s cleaners/ into ``folder/cleaners_base``, renamed."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, "cleaners"], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    (folder / "cleaners").rename(folder / "cleaners_base")
    for path in (folder / "cleaners_base").rglob("*.py"):
        path.write_text(re.sub(r"\bcleaners\b", "cleaners_base", path.read_text("utf-8")), "utf-8")


def _same(a: cleaners.CleanResult, b: cleaners.CleanResult) -> bool:
    def removals(rs: tuple[cleaners.Removal, ...]) -> list[tuple[object, ...]]:
        return [(r.start, r.end, r.rule, r.category, r.reason, r.text) for r in rs]

    return (a.text, a.flags, removals(a.removals), removals(a.held_removals)) == (
        b.text,
        b.flags,
        removals(b.removals),
        removals(b.held_removals),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev", help="the commit to compare the working tree's cleaners with")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--source", default="", help="only this source's documents")
    parser.add_argument("--rules", help="comma-separated rule names (default: the chain)")
    parser.add_argument("--repeat", type=int, default=3, help="best of N")
    parser.add_argument(
        "--changed", action="store_true", help="count differing results instead of stopping"
    )
    args = parser.parse_args()
    docs = load(args.corpus)
    if args.source:
        docs = [d for d in docs if d[1] == args.source]
    rules = args.rules.split(",") if args.rules else None
    megabytes = sum(len(t.encode("utf-8")) for t, _, _ in docs) / 1e6
    with tempfile.TemporaryDirectory() as folder:
        _base_package(args.rev, Path(folder))
        sys.path.insert(0, folder)
        import cleaners_base  # type: ignore[import-not-found]

        sides = (cleaners_base.clean, cleaners.clean)
        best = [float("inf"), float("inf")]
        differ = 0
        for rep in range(args.repeat):
            spent = [0.0, 0.0]
            for i, (text, source, title) in enumerate(docs):
                results = [None, None]
                for k in (0, 1) if i % 2 == 0 else (1, 0):
                    start = time.process_time()
                    results[k] = sides[k](text, source, title=title, rules=rules)
                    spent[k] += time.process_time() - start
                if rep == 0 and not _same(*results):  # type: ignore[arg-type]
                    if not args.changed:
                        raise SystemExit(f"document {i}: the two versions differ")
                    differ += 1
            best = [min(b, s) for b, s in zip(best, spent, strict=True)]
            print(f"repeat {rep + 1}: {args.rev} {spent[0]:.3f} s, working tree {spent[1]:.3f} s")
    label = (args.source or "all") + (f", rules {args.rules}" if args.rules else "")
    print(
        f"{label} ({len(docs)} documents, {megabytes:.2f} MB), best of {args.repeat}: "
        f"{args.rev} {best[0]:.3f} s ({megabytes / best[0]:.1f} MB/s), working tree "
        f"{best[1]:.3f} s ({megabytes / best[1]:.1f} MB/s), ratio {best[1] / best[0]:.3f}"
    )
    if args.changed:
        print(f"documents whose results differ: {differ}")


if __name__ == "__main__":
    main()
