"""Writing outputs: clean texts (atomically, never outside DIR), the manifest, batch parts,
and the lock that keeps one run at a time on an output folder."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import IO, Any

CLEAN_DIR = "clean"
MANIFEST = "manifest.jsonl"
WORK_DIR = ".decruft"
LOCK_FILE = "run.lock"
PARTS_DIR = "parts"
"""Under ``DIR/.decruft/``: per-batch parts a run's workers write, assembled and removed by
the run (a killed run's leftovers are removed by the next)."""

MANIFEST_FIELDS = (
    "id",
    "input",
    "line",
    "format",
    "encoding",
    "source",
    "url",
    "title",
    "status",
    "reason",
    "error",
    "chars_in",
    "chars_out",
    "removals",
    "held_removals",
    "dom_removals",
    "flags",
    "sha256_in",
    "sha256_out",
    "output",
)
"""Every manifest row has exactly these keys (null where they do not apply)."""


class UnsafePathError(ValueError):
    """A document id that would write outside the output folder."""


def output_path(out_dir: Path, doc_id: str) -> Path:
    """``out_dir/clean/<id>.txt``, refusing anything that leaves ``clean/``.

    The check is lexical (``..`` and absolute parts, after normalisation), so it costs no
    system calls; ids from :func:`flows.sources.sanitize_id` always pass it.
    """
    clean_dir = os.path.abspath(out_dir / CLEAN_DIR)
    path = os.path.normpath(os.path.join(clean_dir, f"{doc_id}.txt"))
    if not path.startswith(clean_dir + os.sep) or os.path.isabs(doc_id):
        raise UnsafePathError(f"id {doc_id!r} points outside {clean_dir}")
    return Path(path)


@cache
def _umask() -> int:
    """The process umask (read once: reading it means setting it)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def make_publishable(path: Path, is_dir: bool = False) -> None:
    """Give a file or folder made by ``tempfile`` the usual permissions (it starts private)."""
    path.chmod((0o777 if is_dir else 0o666) & ~_umask())


@contextmanager
def atomic_open(path: Path, mode: str = "w") -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path``; on success it gets the usual permissions and is
    renamed over ``path``, on failure it is deleted. A reader never sees a partial file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, mode, encoding=None if "b" in mode else "utf-8") as fh:
            yield fh
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_open`)."""
    with atomic_open(path, "wb") as fh:
        fh.write(data)


def remove_stale_temporaries(out_dir: Path) -> int:
    """Delete what a killed run left half-written in ``out_dir``; returns how many.

    Temporary clean texts (``clean/**/.*.tmp``), the partial manifest, the report's
    temporaries and unassembled batch parts. Call it holding the output's lock.
    """
    removed = 0
    candidates = [
        *(out_dir / CLEAN_DIR).rglob(".*.tmp"),
        *out_dir.glob(".*.tmp"),
        *out_dir.glob(f".{MANIFEST}.partial"),
    ]
    report = out_dir / "report"
    if report.is_dir():
        candidates += [p for p in report.iterdir() if p.name.startswith(".")]
    parts = out_dir / WORK_DIR / PARTS_DIR
    if parts.is_dir():
        candidates += list(parts.iterdir())
    for path in candidates:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed += 1
    return removed


def parts_dir(out_dir: Path) -> Path:
    """Where a run's batch parts go (``DIR/.decruft/parts``)."""
    return Path(out_dir) / WORK_DIR / PARTS_DIR


class OutputInUse(RuntimeError):
    """Another run holds the output folder's lock."""


@contextmanager
def output_lock(out_dir: Path, what: str = "decruft run") -> Iterator[None]:
    """Hold ``DIR/.decruft/run.lock`` (an ``flock``) for the duration, or refuse at once.

    The kernel releases the lock when the holder exits, however it exits (a SIGKILL, a
    crash): there is no stale lock to clear by hand. The file says who holds it.
    """
    path = Path(out_dir) / WORK_DIR / LOCK_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = ""
            with contextlib.suppress(OSError):
                holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
            raise OutputInUse(
                f"{out_dir} is being written by another {what}"
                f"{f' ({holder})' if holder else ''}: wait for it to finish, or choose "
                "another output folder"
            ) from None
        os.ftruncate(fd, 0)
        since = datetime.now(UTC).isoformat(timespec="seconds")
        os.pwrite(fd, f"pid {os.getpid()} on {socket.gethostname()} since {since}\n".encode(), 0)
        yield
    finally:
        os.close(fd)


def manifest_row(**fields: Any) -> dict[str, Any]:
    """A manifest row with every field present, in a fixed order."""
    unknown = set(fields) - set(MANIFEST_FIELDS)
    if unknown:
        raise KeyError(f"not manifest fields: {sorted(unknown)}")
    return {name: fields.get(name) for name in MANIFEST_FIELDS}


class ManifestWriter:
    """Streams rows to ``manifest.jsonl`` (via a temporary file renamed on close)."""

    def __init__(self, out_dir: Path):
        self.path = out_dir / MANIFEST
        self._tmp = out_dir / f".{MANIFEST}.partial"
        self._fh = self._tmp.open("w", encoding="utf-8")
        self.rows = 0

    def add(self, row: dict[str, Any]) -> None:
        self._fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        self.rows += 1

    def close(self) -> Path:
        self._fh.close()
        os.replace(self._tmp, self.path)
        return self.path

    def abort(self) -> None:
        """Close without replacing the previous manifest (the partial one stays for a look)."""
        self._fh.close()


def read_manifest(out_dir: Path) -> list[dict[str, Any]]:
    """All rows of ``out_dir/manifest.jsonl`` (for tests and small tools)."""
    with (out_dir / MANIFEST).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
