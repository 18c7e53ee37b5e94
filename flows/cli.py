"""``decruft run SOURCE --out DIR`` and ``decruft publish DIR --to DEST``.

``run`` exits 0 when the run completed, i.e. every input has a manifest row (bad inputs are
rows with status skipped or failed, not errors); 1 when the run itself could not complete;
2 on usage errors.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flows.local_server import LocalServer

# A cleaning CLI sends no usage telemetry from its temporary local Prefect server.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


def build_parser() -> argparse.ArgumentParser:
    from cleaners import DEFAULT_MAX_SHARE

    parser = argparse.ArgumentParser(
        prog="decruft", description="Remove scraping residue from news text, explainably."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="clean a file or folder of txt, html(.gz), jsonl")
    run.add_argument("source", type=Path, help="input file or folder (walked recursively)")
    run.add_argument("--out", type=Path, required=True, help="output folder")
    run.add_argument("--batch-size", type=int, default=None, help="documents per task")
    run.add_argument("--task-runner", choices=("threads", "dask"), default="threads")
    run.add_argument(
        "--dask-address",
        metavar="tcp://HOST:PORT",
        default=None,
        help="run the batches on this Dask scheduler's workers (they need the same code and "
        "the input and output folders at the same paths)",
    )
    run.add_argument(
        "--dask-workers",
        metavar="N",
        type=int,
        default=None,
        help="run the batches on a temporary local Dask cluster of N processes",
    )
    run.add_argument(
        "--max-share",
        type=float,
        default=DEFAULT_MAX_SHARE,
        help="over-removal guard: hold removals above this share of a document",
    )
    run.add_argument(
        "--rules", default=None, help="comma-separated rule chain (default: the default chain)"
    )
    run.add_argument("--no-progress", action="store_true", help="no progress bar")
    commands.add_parser("publish", help="publish a reviewed run (decruft publish -h)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["publish"]:
        from flows.publish import cli_main

        return cli_main(args_list[1:])
    args = build_parser().parse_args(args_list)
    return run_command(args)


def run_command(args: argparse.Namespace) -> int:
    if not args.source.exists():
        print(f"decruft: source not found: {args.source}", file=sys.stderr)
        return 2
    if args.batch_size is not None and args.batch_size < 1:
        print("decruft: --batch-size must be at least 1", file=sys.stderr)
        return 2
    if args.dask_workers is not None and args.dask_workers < 1:
        print("decruft: --dask-workers must be at least 1", file=sys.stderr)
        return 2
    if args.dask_workers is not None and args.dask_address:
        print("decruft: give --dask-address or --dask-workers, not both", file=sys.stderr)
        return 2
    from flows import local_server

    # Boot Prefect's temporary server first: it starts on the other core while this process
    # imports Prefect and the cleaners (see flows/local_server.py).
    # It stops at exit (atexit, registered before Prefect's log and event workers, so it
    # runs after they have drained).
    return _run(args, local_server.start())


def _run(args: argparse.Namespace, server: LocalServer | None) -> int:
    from flows import progress
    from flows.clean_flow import DEFAULT_BATCH_SIZE, clean_flow
    from flows.store import OutputInUse

    rules = [r.strip() for r in args.rules.split(",") if r.strip()] if args.rules else None
    kwargs = {
        "source": str(args.source),
        "out": str(args.out),
        "batch_size": args.batch_size or DEFAULT_BATCH_SIZE,
        "max_share": args.max_share,
        "rules": rules,
        "task_runner": "dask" if args.dask_workers or args.dask_address else args.task_runner,
        "dask_address": args.dask_address,
        "workers": args.dask_workers,
    }
    try:
        if server is not None:
            server.wait_ready()
        with _ProgressBar(args) as advance:
            progress.set_listener(advance)
            try:
                summary = clean_flow(**kwargs)
            finally:
                progress.set_listener(None)
    except OutputInUse as exc:
        print(f"decruft: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:
        print(f"decruft: the run did not complete: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    statuses = ", ".join(f"{n} {s}" for s, n in summary["statuses"].items() if n)
    print(
        f"decruft: {summary['documents']} documents ({statuses or 'none'}), "
        f"{summary['removals']} removals in {summary['seconds']:.1f}s -> {args.out} "
        f"(report: {summary['report']['html']})"
    )
    return 0


class _ProgressBar:
    """A rich progress bar on stderr while the flow runs (a no-op with --no-progress)."""

    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.bar = None

    def __enter__(self):
        if self.args.no_progress:
            return lambda n: None
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        from flows.sources import estimate_documents

        total = estimate_documents(self.args.source, self.args.out) or None
        self.bar = Progress(
            TextColumn("cleaning"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.bar.start()
        task_id = self.bar.add_task("clean", total=total)
        return lambda n: self.bar.advance(task_id, n)

    def __exit__(self, *exc_info: object) -> None:
        if self.bar is not None:
            self.bar.stop()


if __name__ == "__main__":
    raise SystemExit(main())
