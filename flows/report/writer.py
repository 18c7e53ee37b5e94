"""A first, plain report writer (the review issue builds the real one)."""

from __future__ import annotations

import html
import json
import os
import tempfile
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1


def _atomic_write(path: Path, data: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(data)
    os.replace(tmp, path)


class ReportWriter:
    """Streams document records to disk, then writes report.json and index.html."""

    def __init__(self, report_dir: Path, run_info: dict[str, Any]):
        self.dir = Path(report_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.run_info = run_info
        self._spool_path = self.dir / ".records.jsonl"
        self._spool = self._spool_path.open("w", encoding="utf-8")

    def add(self, record: dict[str, Any]) -> None:
        self._spool.write(json.dumps(record, ensure_ascii=False) + "\n")

    def close(self, summary: dict[str, Any]) -> dict[str, Path]:
        self._spool.close()
        report_json = self.dir / "report.json"
        index_html = self.dir / "index.html"
        tmp_json = self.dir / ".report.json.tmp"
        with tmp_json.open("w", encoding="utf-8") as out, self._spool_path.open() as spool:
            head = {"schema_version": SCHEMA_VERSION, "run": self.run_info, "summary": summary}
            out.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "documents": [')
            for i, line in enumerate(spool):
                rec = json.loads(line)
                rec.pop("text_in", None)
                out.write(("," if i else "") + json.dumps(rec, ensure_ascii=False))
            out.write("]}\n")
        os.replace(tmp_json, report_json)
        rows = "".join(
            f"<tr><td>{html.escape(str(k))}</td><td>{html.escape(str(v))}</td></tr>"
            for k, v in summary.items()
        )
        _atomic_write(
            index_html,
            "<!doctype html><meta charset=utf-8><title>decruft report</title>"
            f"<h1>decruft report</h1><table>{rows}</table>",
        )
        self._spool_path.unlink(missing_ok=True)
        return {"json": report_json, "html": index_html}
