"""Prefect artifacts for a run: summaries only, never whole documents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect.artifacts import (
    create_link_artifact,
    create_markdown_artifact,
    create_table_artifact,
)

MAX_TABLE_ROWS = 20


def summary_markdown(summary: dict[str, Any], out_dir: Path, report_html: Path) -> str:
    """The run's summary as markdown, ending with how to publish it."""
    lines = [
        "# decruft run",
        "",
        f"Output: `{out_dir}`; report: [{report_html.name}]({report_html.resolve().as_uri()})",
        "",
        "| status | documents |",
        "|---|---:|",
        *(f"| {status} | {n} |" for status, n in summary["statuses"].items()),
        f"| **total** | **{summary['documents']}** |",
        "",
        f"Removals: {summary['removals']}; characters in {summary['chars_in']}, "
        f"out {summary['chars_out']}.",
        "",
    ]
    if summary["removals_per_rule"]:
        lines += ["| rule | removals |", "|---|---:|"]
        lines += [
            f"| {rule} | {n} |"
            for rule, n in list(summary["removals_per_rule"].items())[:MAX_TABLE_ROWS]
        ]
        lines.append("")
    if summary["top_flagged"]:
        lines.append("Most flagged documents:")
        lines += [f"- `{d['id']}`: {', '.join(d['flags'])}" for d in summary["top_flagged"]]
        lines.append("")
    lines += [
        "Review the report, then publish the approved texts with:",
        "",
        f"    decruft publish {out_dir} --to DEST",
    ]
    return "\n".join(lines)


def summary_table(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per (kind, name): statuses, removals per rule, per category and per source."""
    rows: list[dict[str, Any]] = [
        {"kind": "status", "name": status, "count": n} for status, n in summary["statuses"].items()
    ]
    for kind, key in (
        ("rule", "removals_per_rule"),
        ("category", "removals_per_category"),
        ("source", "removals_per_source"),
    ):
        rows += [
            {"kind": kind, "name": name, "count": n}
            for name, n in list(summary[key].items())[:MAX_TABLE_ROWS]
        ]
    rows += [
        {"kind": "flagged", "name": d["id"], "count": len(d["flags"])}
        for d in summary["top_flagged"]
    ]
    return rows


def publish_artifacts(summary: dict[str, Any], out_dir: Path, report_html: Path) -> None:
    """Attach the summary, the table and a link to the report to the current flow run."""
    create_markdown_artifact(
        summary_markdown(summary, out_dir, report_html),
        key="decruft-summary",
        description="Documents per status, removals per rule, how to publish",
    )
    create_table_artifact(
        summary_table(summary),
        key="decruft-counts",
        description="Documents per status; removals per rule, category and source",
    )
    create_link_artifact(
        report_html.resolve().as_uri(),
        link_text="decruft review report",
        key="decruft-report",
        description=f"Review, then: decruft publish {out_dir} --to DEST",
    )
