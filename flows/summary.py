"""Run statistics folded from manifest rows and report records, in constant memory."""

from __future__ import annotations

import heapq
from collections import Counter
from typing import Any

STATUSES = ("cleaned", "unchanged", "reused", "skipped", "failed")
TOP_FLAGGED = 10


class RunSummary:
    """Counts per status, removals per rule, category and source, the most flagged docs."""

    def __init__(self) -> None:
        self.statuses: Counter[str] = Counter({s: 0 for s in STATUSES})
        self.per_rule: Counter[str] = Counter()
        self.per_category: Counter[str] = Counter()
        self.per_source: Counter[str] = Counter()
        self.docs_per_source: Counter[str] = Counter()
        self.chars_in = 0
        self.chars_out = 0
        self.removals = 0
        self._flagged: list[tuple[int, str, list[str]]] = []

    def add(self, row: dict[str, Any], record: dict[str, Any]) -> None:
        self.statuses[row["status"]] += 1
        source = row.get("source") or "_"
        self.docs_per_source[source] += 1
        self.chars_in += row.get("chars_in") or 0
        self.chars_out += row.get("chars_out") or 0
        self.removals += row.get("removals") or 0
        for removal in record.get("removals", ()):
            self.per_rule[removal["rule"]] += 1
            self.per_category[removal["category"]] += 1
            self.per_source[source] += 1
        for removal in record.get("dom_removals", ()):
            self.per_rule[removal.get("rule", "dom")] += 1
            self.per_category[removal.get("category", "chrome")] += 1
            self.per_source[source] += 1
        flags = row.get("flags") or []
        if flags:
            entry = (len(flags), row["id"], list(flags))
            if len(self._flagged) < TOP_FLAGGED:
                heapq.heappush(self._flagged, entry)
            else:
                heapq.heappushpop(self._flagged, entry)

    @property
    def documents(self) -> int:
        return sum(self.statuses.values())

    def top_flagged(self) -> list[dict[str, Any]]:
        return [
            {"id": doc_id, "flags": flags}
            for _, doc_id, flags in sorted(self._flagged, reverse=True)
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "statuses": dict(self.statuses),
            "removals": self.removals,
            "chars_in": self.chars_in,
            "chars_out": self.chars_out,
            "removals_per_rule": dict(self.per_rule.most_common()),
            "removals_per_category": dict(self.per_category.most_common()),
            "removals_per_source": dict(self.per_source.most_common()),
            "documents_per_source": dict(self.docs_per_source.most_common()),
            "top_flagged": self.top_flagged(),
        }

    def one_line(self) -> str:
        parts = ", ".join(f"{n} {s}" for s, n in self.statuses.items() if n)
        return f"{self.documents} documents: {parts or 'none'}; {self.removals} removals"
