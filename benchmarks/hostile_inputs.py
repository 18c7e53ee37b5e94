"""Hostile inputs through ``decruft run``: the manifest row of each, the run's time and memory.

    .venv/bin/python benchmarks/hostile_inputs.py

Builds the folder tests/test_hostile.py uses (invalid UTF-8, UTF-16 with and without BOM,
NUL bytes, a 1 MB line, a 10 MB text, HTML nested 100,000 deep, a gzip bomb of 64 MB of
zeros, a JSONL line of 50 MB, ids with ``../``, absolute, NUL and newline, duplicate ids,
symlinks out of the folder, to a folder, looping and dangling, a FIFO, an unreadable file,
names differing by case or Unicode normalisation) and runs ``decruft run`` on it in this
process, then prints every row and the peak resident memory. Running as root, ``chmod 000``
does not make a file unreadable: the permission error is injected where inputs are opened.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# The test module imports Prefect before the CLI could point it at its own server: Prefect
# then starts its temporary server itself, with a 30 s limit a loaded machine exceeds.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "600")


def main() -> int:
    from test_hostile import _build  # the same folder as the test

    import flows.sources as sources
    from flows.cli import main as decruft

    work = Path(tempfile.mkdtemp(prefix="decruft-hostile-"))
    try:
        (work / "outside").mkdir()
        _build(work / "in", work / "outside")
        real_open = os.open

        def deny_locked(path: object, flags: int, *args: object, **kwargs: object) -> int:
            if str(path).endswith("locked.txt"):
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

        sources.os.open = deny_locked  # type: ignore[assignment]
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.perf_counter()
        code = decruft(["run", str(work / "in"), "--out", str(work / "out"), "--no-progress"])
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        with (work / "out" / "manifest.jsonl").open(encoding="utf-8") as fh:
            rows = [json.loads(line) for line in fh]
        print(f"{'id':28} {'status':10} reason")
        for row in rows:
            print(f"{row['id']!r:28} {row['status']:10} {row['reason'] or row['error'] or ''}")
        print(
            f"exit {code}; {len(rows)} rows; {seconds:.1f} s; peak resident memory {peak:.0f} MB "
            f"({before:.0f} MB before the run)"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
