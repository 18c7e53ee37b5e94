"""Writing outputs: clean texts (atomically, never outside DIR) and the manifest."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

CLEAN_DIR = "clean"
MANIFEST = "manifest.jsonl"

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


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, then rename over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_stale_temporaries(out_dir: Path) -> int:
    """Delete temporary files a killed run left in ``clean/``; returns how many."""
    removed = 0
    for tmp in (out_dir / CLEAN_DIR).rglob(".*.tmp"):
        tmp.unlink(missing_ok=True)
        removed += 1
    return removed


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
