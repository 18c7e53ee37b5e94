"""Data-driven rule cases: ``tests/cases/<family>/<kind>.jsonl``, one JSON object a line.

Kinds, as in ftfy: ``in_the_wild`` (real residue with its expected text), ``synthetic``,
``must_not_change`` (look-alikes that stay) and ``known_failures`` (run as strict xfail).
"""

from __future__ import annotations

import json
from pathlib import Path

CASES = Path(__file__).parent / "cases"


def load(family: str, kind: str) -> list[dict[str, str]]:
    """The cases of one kind for one family of rules (an empty list when the file is absent)."""
    path = CASES / family / f"{kind}.jsonl"
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def ids(cases: list[dict[str, str]]) -> list[str]:
    return [c["id"] for c in cases]


def all_texts() -> list[str]:
    """Every input text of every case file (``text`` or ``raw``), in file order."""
    texts: list[str] = []
    for path in sorted(CASES.rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                texts.extend(row[k] for k in ("text", "raw") if isinstance(row.get(k), str))
    return texts
