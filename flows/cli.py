"""``decruft run``, ``publish``, ``serve`` and ``rules``.

``run`` exits 0 when the run completed, i.e. every input has a manifest row (bad inputs are
rows with status skipped or failed, not errors); 1 when the run itself could not complete;
2 on usage errors. Arguments are checked before any server starts; each mistake is one line
on stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from flows.local_server import LocalServer

# A cleaning CLI sends no usage telemetry from its temporary local Prefect server.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

DEFAULT_MAX_SHARE = 0.40
"""Shown in --help without importing the cleaners (checked equal to cleaners' in the tests)."""
DEFAULT_BATCH_SIZE = 500
"""Likewise for flows.clean_flow.DEFAULT_BATCH_SIZE."""
CONSOLE_LEVEL_ENV = "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL"
INPUT_SUFFIXES = ".txt, .html, .htm or .jsonl files (optionally .gz)"


class _Parser(argparse.ArgumentParser):
    """argparse, with one-line errors: ``decruft run: error: ... (decruft run -h)``."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} -h)\n")


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{value:g} is not a share from 0 to 1")
    return value


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is below 1")
    return value


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("decruft")
    except PackageNotFoundError:
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    formatter = argparse.ArgumentDefaultsHelpFormatter
    parser = _Parser(
        prog="decruft",
        description="Remove scraping residue from news text, explainably.",
        formatter_class=formatter,
    )
    parser.add_argument("--version", action="version", version=f"decruft {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    run = commands.add_parser(
        "run",
        help="clean a file or folder of txt, html(.gz), jsonl",
        description="Clean a file or folder into an output folder and write the review report.",
        formatter_class=formatter,
    )
    # Plain strings, checked before they become paths: Path("") would be the working directory.
    run.add_argument("source", help="input file or folder (walked recursively)")
    run.add_argument("--out", required=True, help="output folder (created if missing)")
    run.add_argument(
        "--batch-size", type=_positive, default=DEFAULT_BATCH_SIZE, help="documents per task"
    )
    run.add_argument(
        "--task-runner",
        choices=("threads", "dask"),
        default="threads",
        help="dask: a local cluster of processes (or --dask-address / DECRUFT_DASK_ADDRESS)",
    )
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
        type=_positive,
        default=None,
        help="run the batches on a temporary local Dask cluster of N processes",
    )
    run.add_argument(
        "--max-share",
        type=_share,
        default=DEFAULT_MAX_SHARE,
        help="over-removal guard: hold removals above this share of a document (0 to 1)",
    )
    run.add_argument(
        "--rules",
        default=None,
        help="comma-separated rule chain (default: the default chain; see decruft rules)",
    )
    run.add_argument(
        "--no-templates",
        action="store_true",
        help="do not learn site templates (lines a source repeats across its documents; "
        "see docs/templates.md)",
    )
    run.add_argument("--no-progress", action="store_true", help="no progress bar")
    run.add_argument(
        "-v", "--verbose", action="store_true", help="show Prefect's own log lines on stderr"
    )
    commands.add_parser(
        "publish",
        help="publish a reviewed run (decruft publish -h)",
        add_help=False,
    )
    serve = commands.add_parser(
        "serve",
        help="serve a run's report over http (read-only, loopback by default)",
        description="Serve DIR/report over http so that links from the Prefect UI open.",
        formatter_class=formatter,
    )
    serve.add_argument("run_dir", metavar="DIR", type=Path, help="output folder of a run")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8765, help="port (0: any free port)")
    commands.add_parser(
        "rules",
        help="list the rules (names, categories, descriptions, the default chain)",
        description="List the registered rules and the default chain. `decruft rules suggest "
        "DIR --decisions FILE [--write-veto]`: how often editors restored each rule's removals, "
        "per source (decruft rules suggest -h).",
        formatter_class=formatter,
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    started = time.perf_counter()
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["publish"]:
        from flows.publish import cli_main

        return cli_main(args_list[1:])
    if args_list[:2] == ["rules", "suggest"]:
        from flows.rules_cli import suggest_main

        return suggest_main(args_list[2:])
    args = build_parser().parse_args(args_list)
    if args.command == "serve":
        return serve_command(args)
    if args.command == "rules":
        from flows import rules_cli

        return rules_cli.main(args)
    return run_command(args, started)


def _fail(message: str, code: int = 2) -> int:
    print(f"decruft: {message}", file=sys.stderr)
    return code


def serve_command(args: argparse.Namespace) -> int:
    from flows.checks import UsageError
    from flows.serve import serve

    try:
        return serve(args.run_dir, args.host, args.port)
    except UsageError as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}")


def run_command(args: argparse.Namespace, started: float | None = None) -> int:
    from flows.checks import UsageError, check_rules, check_run_paths

    started = time.perf_counter() if started is None else started
    if args.dask_workers is not None and args.dask_address:
        return _fail("give --dask-address or --dask-workers, not both")
    try:
        args.source, args.out = check_run_paths(args.source, args.out)
        rules = None
        if args.rules is not None:
            rules = check_rules([r for r in args.rules.split(",")])
        if not args.no_templates:
            _check_template_rules(Path(args.out))
    except UsageError as exc:
        return _fail(str(exc))
    args.rule_list = rules
    from flows import local_server

    api = local_server.configured_api()
    if api is not None:
        problem = local_server.unreachable(api[0])
        if problem:
            return _fail(
                f"the Prefect API at {api[0]} ({api[1]}) does not answer ({problem}): start "
                "that server, or `prefect config unset PREFECT_API_URL` to let decruft start "
                "a temporary one",
                1,
            )
    if not args.verbose:
        os.environ.setdefault(CONSOLE_LEVEL_ENV, "ERROR")
    # Boot Prefect's temporary server first: it starts on the other core while this process
    # imports Prefect and the cleaners (see flows/local_server.py).
    # It stops at exit (atexit, registered before Prefect's log and event workers, so it
    # runs after they have drained).
    server = local_server.start()
    print(f"decruft: cleaning {args.source} -> {args.out} (starting)", file=sys.stderr)
    if not _has_inputs(args.source, args.out):
        print(
            f"decruft: warning: no {INPUT_SUFFIXES} under {args.source}: nothing to clean",
            file=sys.stderr,
        )
    return _run(args, server, started)


def _check_template_rules(out: Path) -> None:
    """A malformed ``OUT/templates/rules.toml`` is a usage error (before any server starts)."""
    from cleaners.templates import parse_rules
    from flows.checks import UsageError

    path = out / "templates" / "rules.toml"
    if not path.is_file():
        return
    try:
        parse_rules(path.read_text("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: {exc}") from None


def _has_inputs(source: Path, out: Path) -> bool:
    from flows.sources import discover, split_format

    return any(split_format(p.name)[0] for p in discover(source, out))


def _run(args: argparse.Namespace, server: LocalServer | None, started: float) -> int:
    from flows import progress
    from flows.clean_flow import clean_flow
    from flows.store import OutputInUse

    kwargs = {
        "source": str(args.source),
        "out": str(args.out),
        "batch_size": args.batch_size,
        "max_share": args.max_share,
        "rules": getattr(args, "rule_list", None),
        "task_runner": "dask" if args.dask_workers or args.dask_address else args.task_runner,
        "dask_address": args.dask_address,
        "workers": args.dask_workers,
        "templates": not args.no_templates,
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
        message = f"{type(exc).__name__}: {exc}".splitlines()[0]
        if "Failed to reach API" in message or "ConnectError" in message:
            message += (
                " (is PREFECT_API_URL set by `prefect config set` for a server that is not "
                "running? `prefect config unset PREFECT_API_URL` lets decruft start its own)"
            )
        return _fail(f"the run did not complete: {message}", 1)
    statuses = ", ".join(f"{n} {s}" for s, n in summary["statuses"].items() if n)
    print(
        f"decruft: {summary['documents']} documents ({statuses or 'none'}), "
        f"{summary['removals']} removals in {time.perf_counter() - started:.1f}s -> {args.out} "
        f"(report: {summary['report']['html']}, review id {summary.get('review_id')})"
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
