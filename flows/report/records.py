"""Building a report record from a cleaning result (the shape :class:`ReportWriter` reads)."""

from __future__ import annotations

from typing import Any

from cleaners import CleanResult


def status_of(result: CleanResult) -> str:
    """``cleaned`` when something was removed, else ``unchanged``."""
    return "cleaned" if result.removals else "unchanged"


def record_from_result(
    doc_id: str,
    text_in: str,
    result: CleanResult,
    *,
    source: str | None = None,
    url: str | None = None,
    title: str | None = None,
    input_ref: str | None = None,
    fmt: str = "txt",
    dom_removals: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """One document's record: identity, status, sizes, the text and every removal."""
    return {
        "id": doc_id,
        "input": input_ref or doc_id,
        "format": fmt,
        "source": source,
        "url": url,
        "title": title,
        "status": status_of(result),
        "reason": None,
        "flags": list(result.flags),
        "chars_in": len(text_in),
        "chars_out": len(result.text),
        "text_in": text_in,
        "removals": [r.to_dict() for r in result.removals],
        "held_removals": [r.to_dict() for r in result.held_removals],
        "dom_removals": list(dom_removals or []),
    }
