"""The ``publish-approved`` Prefect flow: the same verify, promote and audit as the CLI.

With ``wait_for_approval`` (a deployment run against a server) the flow first pauses for an
editor's :class:`Approval` in the UI; the default answer is *not approved*, and a timeout
publishes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger
from prefect.flow_runs import pause_flow_run
from prefect.input import RunInput
from pydantic import Field

from flows.publish import PublishError, publish


class Approval(RunInput):
    """What an editor answers when a publish waits for approval."""

    approve: bool = False
    exclude: list[str] = Field(default_factory=list)
    approved_by: str | None = None
    note: str = ""


def decide(
    approval: Approval | None, exclude: list[str], approved_by: str | None
) -> tuple[bool, list[str], str | None]:
    """Merge an editor's answer into the options: (publish?, excluded ids, approver)."""
    if approval is None:
        return True, exclude, approved_by
    if not approval.approve:
        return False, exclude, approved_by
    merged = sorted(set(exclude) | set(approval.exclude))
    return True, merged, approval.approved_by or approved_by


@flow(name="publish-approved", log_prints=False)
def publish_flow(
    run_dir: str,
    to: str,
    exclude: list[str] | None = None,
    approved_by: str | None = None,
    wait_for_approval: bool = False,
    approval_timeout: int = 3600,
) -> dict[str, Any]:
    """Verify the staged texts of ``run_dir`` and publish the approved ones into ``to``."""
    logger = get_run_logger()
    approval: Approval | None = None
    if wait_for_approval:
        logger.info("Waiting for approval (open the report, then resume this run)")
        try:
            approval = pause_flow_run(wait_for_input=Approval, timeout=approval_timeout)
        except Exception as exc:  # a timeout fails the pause: publish nothing
            logger.warning("No approval (%s): nothing published", exc)
            return {"published": False, "reason": f"no approval: {exc}"}
    go, excluded, approver = decide(approval, list(exclude or []), approved_by)
    if not go:
        logger.info("Not approved: nothing published")
        return {"published": False, "reason": "not approved", "note": approval and approval.note}
    try:
        record = publish(Path(run_dir), Path(to), exclude=excluded, approved_by=approver)
    except PublishError as exc:
        logger.error("%s", exc)
        raise
    if record["noop"]:
        logger.info("Already published: publication %s is current", record["publication"])
    else:
        logger.info(
            "Published %d texts to %s/current (publication %s)",
            record["counts"]["published"],
            to,
            record["publication"],
        )
    return {"published": True, **record}
