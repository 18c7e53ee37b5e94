"""Incremental state: what an output folder already holds, so reruns redo only what changed.

The state lives in ``DIR/.decruft/state-v2.sqlite``: one row per document id with the
input's sha256, the manifest row it produced and its removals (for the report of later runs),
plus the configuration that produced them (rule versions, guard threshold, extractor version).
SQLite gives atomic commits: the flow commits after each batch whose outputs are on disk, so a
run killed half-way leaves a consistent state and the next run completes from it. Lookups go
to disk, so memory does not grow with the corpus.

Only ``cleaned`` and ``unchanged`` documents are remembered: skipped and failed inputs are
retried on every run (they are cheap, and a failure may have been transient).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

STATE_DIR = ".decruft"
STATE_FILE = "state-v2.sqlite"
REUSABLE = ("cleaned", "unchanged")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (
    id TEXT PRIMARY KEY,
    sha256_in TEXT NOT NULL,
    bytes_out INTEGER NOT NULL,
    row TEXT NOT NULL,
    details TEXT NOT NULL,
    run_id TEXT NOT NULL
);
"""


class RunState:
    """The state of one output folder during a run (use from one thread)."""

    def __init__(self, out_dir: Path, config: dict[str, Any], run_id: str):
        self.out_dir = Path(out_dir)
        self.run_id = run_id
        path = self.out_dir / STATE_DIR / STATE_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path)
        self.db.executescript(_SCHEMA)
        self.config = json.dumps(config, sort_keys=True)
        stored = self.db.execute("SELECT value FROM meta WHERE key = 'config'").fetchone()
        self.config_changed = stored is not None and stored[0] != self.config
        with self.db:
            if stored is None or self.config_changed:
                self.db.execute("DELETE FROM docs")
                self.db.execute("INSERT OR REPLACE INTO meta VALUES ('config', ?)", (self.config,))
        # Nothing to reuse (first run, or settings changed): lookups are skipped.
        self.empty = self.db.execute("SELECT 1 FROM docs LIMIT 1").fetchone() is None

    def entry(self, doc_id: str) -> dict[str, Any] | None:
        """What the run that produced ``doc_id``'s output remembered: ``sha256_in``,
        ``bytes_out``, ``row``, ``details``; None if nothing. Whoever reads the input decides
        whether it is unchanged (same sha256) and the output intact (same size)."""
        if self.empty:
            return None
        found = self.db.execute(
            "SELECT sha256_in, bytes_out, row, details FROM docs WHERE id = ?", (doc_id,)
        ).fetchone()
        if found is None:
            return None
        return {
            "sha256_in": found[0],
            "bytes_out": found[1],
            "row": json.loads(found[2]),
            "details": json.loads(found[3]),
        }

    def lookup(self, doc_id: str, sha256_in: str | None) -> dict[str, Any] | None:
        """:meth:`entry` when its input had the hash ``sha256_in`` and its output is still
        the size it was written; else None."""
        found = self.entry(doc_id) if sha256_in is not None else None
        if found is None or found["sha256_in"] != sha256_in:
            return None
        try:
            if (self.out_dir / found["row"]["output"]).stat().st_size != found["bytes_out"]:
                return None
        except (OSError, KeyError, TypeError):
            return None
        return found

    def record(self, entries: Iterable[tuple[dict[str, Any], int | None, dict[str, Any]]]) -> None:
        """Remember a batch's ``(manifest row, output size, details)`` and commit.

        ``details`` holds the report's removal lists. Call once the batch's outputs are on
        disk. Reused rows only get this run's id.
        """
        fresh, reused = [], []
        for row, bytes_out, details in entries:
            status = row["status"]
            if status in REUSABLE and row["sha256_in"] and bytes_out is not None:
                row_json = json.dumps(row, ensure_ascii=False)
                details_json = json.dumps(details, ensure_ascii=False)
                fresh.append(
                    (row["id"], row["sha256_in"], bytes_out, row_json, details_json, self.run_id)
                )
            elif status == "reused":
                reused.append((self.run_id, row["id"]))
        if not fresh and not reused:
            return
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO docs VALUES (?, ?, ?, ?, ?, ?)", fresh)
            self.db.executemany("UPDATE docs SET run_id = ? WHERE id = ?", reused)

    def finish(self) -> int:
        """Forget documents this (complete) run did not see; returns how many."""
        with self.db:
            cursor = self.db.execute("DELETE FROM docs WHERE run_id != ?", (self.run_id,))
        return cursor.rowcount

    def close(self) -> None:
        self.db.close()


def read_details(out_dir: Path, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """``{id: {"sha256_in": ..., "details": ...}}`` from a folder's state, read-only.

    For publishing with decisions: the removals the run found for each named document.
    Ids the state does not hold (or a folder without state) are simply absent.
    """
    path = Path(out_dir) / STATE_DIR / STATE_FILE
    if not path.is_file():
        return {}
    found: dict[str, dict[str, Any]] = {}
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        for doc_id in ids:
            hit = db.execute(
                "SELECT sha256_in, details FROM docs WHERE id = ?", (doc_id,)
            ).fetchone()
            if hit is not None:
                found[doc_id] = {"sha256_in": hit[0], "details": json.loads(hit[1])}
    finally:
        db.close()
    return found


def iter_details(out_dir: Path) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """``(id, manifest row, details)`` of every document the folder's state remembers, read
    only and streamed (for ``decruft rules suggest``: the removals per rule and source)."""
    path = Path(out_dir) / STATE_DIR / STATE_FILE
    if not path.is_file():
        return
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        for doc_id, row, details in db.execute("SELECT id, row, details FROM docs ORDER BY id"):
            yield doc_id, json.loads(row), json.loads(details)
    finally:
        db.close()
