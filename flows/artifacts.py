"""Prefect artifacts for a run: summaries only, never whole documents.

The report link must open from the Prefect UI, an http(s) page, where browsers block
``file://`` links: it points at ``DECRUFT_REPORT_URL`` (where the output folder's ``report/``
is served, such as a web root the report is synced to) or, by default, at
``decruft serve DIR`` on its default loopback address.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from prefect.artifacts import (
    create_link_artifact,
    create_markdown_artifact,
    create_table_artifact,
)

MAX_TABLE_ROWS = 20
REPORT_URL_ENV = "DECRUFT_REPORT_URL"
"""Base URL at which the output folder's ``report/`` is served (ends with ``/``)."""


def report_url(page: str = "index.html") -> str:
    """The URL of a report page: under DECRUFT_REPORT_URL, else ``decruft serve``'s default."""
    from flows.serve import DEFAULT_HOST, DEFAULT_PORT

    base = os.environ.get(REPORT_URL_ENV, "").strip() or f"http://{DEFAULT_HOST}:{DEFAULT_PORT}/"
    return base.rstrip("/") + "/" + page.lstrip("/")


def _how_to_open(out_dir: Path) -> str:
    if os.environ.get(REPORT_URL_ENV, "").strip():
        return f"served under {REPORT_URL_ENV}"
    return f"run `decruft serve {out_dir}` on the machine that holds it first"


def summary_markdown(summary: dict[str, Any], out_dir: Path, report_html: Path) -> str:
    """The run's summary as markdown, ending with how to publish it."""
    review_id = summary.get("review_id")
    lines = [
        "# decruft run",
        "",
        f"Output: `{out_dir}`; report: [{report_url()}]({report_url()}) "
        f"({_how_to_open(out_dir)}); on disk: `{report_html}`",
        "",
        f"Review id: `{review_id}`",
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
        f"    decruft publish {out_dir} --to DEST --reviewed {review_id}",
        "",
        "or with the decisions exported from the report: `--decisions FILE`.",
    ]
    return "\n".join(lines)


def triage_table(attention: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The report's "worth a look first" list, one row per document with a link to it."""
    return [
        {
            "document": a.get("id"),
            "title": (a.get("title") or "")[:120],
            "why": a.get("why"),
            "source": a.get("source"),
            "status": a.get("status"),
            "link": report_url(str(a.get("page") or "")),
        }
        for a in attention
    ]


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


def publish_artifacts(
    summary: dict[str, Any],
    out_dir: Path,
    report_html: Path,
    attention: list[dict[str, Any]] | None = None,
) -> None:
    """Attach the summary, the tables and a link to the report to the current flow run."""
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
    if attention:
        create_table_artifact(
            triage_table(attention),
            key="decruft-triage",
            description="Worth a look first: held by the guard, large shares, rare rules, failed",
        )
    create_link_artifact(
        report_url(),
        link_text="decruft review report",
        key="decruft-report",
        description=f"Open it ({_how_to_open(out_dir)}); review id {summary.get('review_id')}",
    )


def publication_markdown(outcome: dict[str, Any]) -> str:
    """What a publish-approved run did (or why it published nothing)."""
    if not outcome.get("published"):
        return "\n".join(
            [
                "# decruft publication: nothing published",
                "",
                f"Reason: {outcome.get('reason')}",
                "",
                f"Run folder: `{outcome.get('run_dir')}`; reviewed: `{outcome.get('reviewed')}`",
            ]
        )
    counts = outcome.get("counts", {})
    review = outcome.get("review", {})
    held = outcome.get("held", {})
    lines = [
        "# decruft publication" + (" (already current)" if outcome.get("noop") else ""),
        "",
        f"Publication `{outcome.get('publication')}`, approved by "
        f"**{outcome.get('approved_by') or 'unnamed'}**, from review `{review.get('review_id')}` "
        f"(run `{review.get('run_id')}`).",
        "",
        "| | documents |",
        "|---|---:|",
        f"| published | {counts.get('published', 0)} |",
        f"| excluded | {counts.get('excluded', 0)} |",
        f"| held: removals accepted | {counts.get('held_accepted', 0)} |",
        f"| held: original published | {counts.get('held_original', 0)} |",
        f"| removals restored (spans) | {counts.get('restored_spans', 0)} |",
        "",
    ]
    excluded = outcome.get("excluded") or []
    if excluded:
        shown = ", ".join(f"`{i}`" for i in excluded[:MAX_TABLE_ROWS])
        extra = len(excluded) - MAX_TABLE_ROWS
        more = f" and {extra} more" if extra > 0 else ""
        lines += [f"Excluded: {shown}{more}", ""]
    if held.get("excluded"):
        lines += [f"Held documents excluded: {len(held['excluded'])}", ""]
    return "\n".join(lines)


def publish_publication_artifact(outcome: dict[str, Any]) -> None:
    create_markdown_artifact(
        publication_markdown(outcome),
        key="decruft-publication",
        description="Published, excluded, approver, publication id (or why nothing was)",
    )
