"""What an editor reviewed: the review id of an output folder, its key and its run history.

The **review id** (``r-`` and 16 hex digits) is a digest of the folder's manifest: every
document id with what publishing it would mean (publishable or not, the sha256 of its staged
text, held by the guard or not), in manifest order. The report and the run's artifacts show
it; publishing names it, and refuses when the folder's manifest gives another id now (a later
run added, changed or dropped a document). A rerun that changes nothing (every input reused)
keeps the id, so a scheduled run on an unchanged folder does not void a review.

The **review key** is a random secret of the output folder (``DIR/.decruft/review.key``,
readable by its owner only). The report embeds it so that the page can sign the decisions an
editor exports (HMAC-SHA256, see :mod:`flows.decisions`).

``DIR/.decruft/runs.jsonl`` keeps one line per completed run (run id, review id, time,
counts): refusals name the run an old review id belongs to.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

STATE_DIR = ".decruft"
KEY_FILE = "review.key"
HISTORY_FILE = "runs.jsonl"
MANIFEST = "manifest.jsonl"
PUBLISHABLE = frozenset({"cleaned", "unchanged", "reused"})
"""Manifest statuses whose staged text can be published."""
GUARD_FLAG = "over_removal"
"""The flag the over-removal guard sets when it holds a document's removals back."""
PREFIX = "r-"


class ManifestError(RuntimeError):
    """The output folder has no readable manifest."""


def is_held(row: dict[str, Any]) -> bool:
    """True when the over-removal guard held this document's removals (nothing removed)."""
    return any(str(flag).startswith(GUARD_FLAG) for flag in row.get("flags") or ())


def iter_manifest(run_dir: Path) -> Iterator[dict[str, Any]]:
    path = Path(run_dir) / MANIFEST
    if not path.is_file():
        raise ManifestError(f"{path} not found: is {run_dir} the output of a decruft run?")
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ManifestError(f"{path}:{n}: not JSON ({exc.msg})") from exc


class ReviewDigest:
    """Folds manifest rows, in order, into a review id (constant memory)."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256(b"decruft-review-v1\n")
        self.documents = 0
        self.publishable = 0
        self.held = 0

    def add(self, row: dict[str, Any]) -> None:
        status = str(row.get("status"))
        ok = status in PUBLISHABLE
        held = ok and is_held(row)
        kind = ("held" if held else "ok") if ok else status
        sha = (row.get("sha256_out") or "") if ok else ""
        self._hash.update(f"{row.get('id')}\t{kind}\t{sha}\n".encode())
        self.documents += 1
        self.publishable += ok
        self.held += held

    @property
    def review_id(self) -> str:
        return PREFIX + self._hash.hexdigest()[:16]


def review_id_of(rows: Iterable[dict[str, Any]]) -> str:
    digest = ReviewDigest()
    for row in rows:
        digest.add(row)
    return digest.review_id


def review_key(run_dir: Path) -> str:
    """The folder's review key (hex), created on first use with owner-only permissions."""
    path = Path(run_dir) / STATE_DIR / KEY_FILE
    with contextlib.suppress(FileNotFoundError):
        key = path.read_text(encoding="ascii").strip()
        if len(key) >= 32:
            return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    tmp = path.with_name(f".{KEY_FILE}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key + "\n")
    try:
        os.link(tmp, path)  # first writer wins: two runs never end with different keys
    except FileExistsError:
        return review_key(run_dir)
    finally:
        tmp.unlink(missing_ok=True)
    return key


def record_run(run_dir: Path, run_id: str) -> dict[str, Any]:
    """Compute the folder's review id from its (final) manifest and log the run."""
    digest = ReviewDigest()
    for row in iter_manifest(run_dir):
        digest.add(row)
    entry = {
        "review_id": digest.review_id,
        "run_id": run_id,
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "documents": digest.documents,
        "publishable": digest.publishable,
        "held": digest.held,
    }
    path = Path(run_dir) / STATE_DIR / HISTORY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry) + "\n")
    return entry


def history(run_dir: Path) -> list[dict[str, Any]]:
    """The folder's runs, oldest first (empty when none was logged)."""
    path = Path(run_dir) / STATE_DIR / HISTORY_FILE
    entries: list[dict[str, Any]] = []
    with contextlib.suppress(OSError), path.open(encoding="utf-8") as fh:
        for line in fh:
            with contextlib.suppress(ValueError):
                entries.append(json.loads(line))
    return entries


def describe(run_dir: Path, review_or_run: str) -> str | None:
    """'run RUN of TIME (N documents)' for a review id or run id this folder has seen."""
    for entry in reversed(history(run_dir)):
        if review_or_run in (entry.get("review_id"), entry.get("run_id")):
            return (
                f"run {entry.get('run_id')} of {entry.get('time')} "
                f"({entry.get('documents')} documents)"
            )
    return None
