"""The ``publish-approved`` Prefect flow: the same verify, promote and audit as the CLI.

The run names the reviewed run (``reviewed``: the review id shown in the report and in the
clean run's artifacts) and may carry the editor's decisions (``decisions``: the JSON file
exported from the report). With ``wait_for_approval`` (a deployment run against a server) the
flow first pauses for an editor's :class:`Approval` in the UI, which can carry the same; the
default answer is *not approved*.

Every run writes a ``decruft-publication`` artifact (published, excluded, approver,
publication id). A run that publishes nothing (refused, not approved, no answer in time)
ends Failed, with the reason as its state message.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger
from prefect.flow_runs import pause_flow_run
from prefect.input import RunInput
from pydantic import Field

from flows import decisions as decisions_mod
from flows.artifacts import publish_publication_artifact
from flows.checks import UsageError, check_publish_paths
from flows.decisions import Decisions, DecisionsError
from flows.publish import PublishError, publish


class Approval(RunInput):
    """What an editor answers when a publish waits for approval."""

    approve: bool = False
    reviewed: str = Field(
        default="", description="the review id at the top of the report you reviewed"
    )
    exclude: list[str] = Field(default_factory=list)
    accept_held: list[str] = Field(
        default_factory=list, description="held documents to publish with their removals"
    )
    original: list[str] = Field(
        default_factory=list, description="documents to publish as their original text"
    )
    exclude_held: bool = Field(default=False, description="leave out undecided held documents")
    decisions: dict[str, Any] | None = Field(
        default=None, description="the decisions file exported from the report (JSON)"
    )
    approved_by: str | None = None
    note: str = ""


class NotPublished(RuntimeError):
    """The run published nothing; the message says why (it becomes the state message)."""


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


def gather_decisions(
    run_dir: Path,
    *,
    reviewed: str | None,
    decisions: dict[str, Any] | None,
    exclude: list[str],
    accept_held: list[str],
    original: list[str],
    exclude_held: bool,
    origin: str = "file",
) -> Decisions:
    """The decisions of parameters (or an answer): a signed file, then the options on top."""
    options = Decisions.from_options(
        reviewed=reviewed,
        exclude=exclude,
        accept_held=accept_held,
        original=original,
        exclude_held=exclude_held,
    )
    if not decisions:
        return options
    return decisions_mod.load(decisions, run_dir, origin=origin).merged(options)


@flow(name="publish-approved", log_prints=False)
def publish_flow(
    run_dir: str,
    to: str,
    reviewed: str | None = None,
    decisions: dict[str, Any] | None = None,
    exclude: list[str] | None = None,
    accept_held: list[str] | None = None,
    original: list[str] | None = None,
    exclude_held: bool = False,
    approved_by: str | None = None,
    wait_for_approval: bool = False,
    approval_timeout: int = 3600,
) -> dict[str, Any]:
    """Verify the staged texts of ``run_dir`` and publish the approved ones into ``to``."""
    logger = get_run_logger()
    outcome: dict[str, Any] = {"published": False, "run_dir": run_dir, "reviewed": reviewed}
    try:
        run_path, dest = check_publish_paths(run_dir, to)
        chosen = gather_decisions(
            run_path,
            reviewed=reviewed,
            decisions=decisions,
            exclude=list(exclude or []),
            accept_held=list(accept_held or []),
            original=list(original or []),
            exclude_held=exclude_held,
        )
        approver = approved_by
        if wait_for_approval:
            logger.info(
                "Waiting for approval: open the report, then resume this run (name the review "
                "id you reviewed, or paste the decisions exported from the report)"
            )
            try:
                answer = pause_flow_run(wait_for_input=Approval, timeout=approval_timeout)
            except Exception as exc:  # a timeout fails the pause: publish nothing
                raise NotPublished(f"no approval within {approval_timeout}s: {exc}") from None
            if not answer.approve:
                note = f" ({answer.note})" if answer.note else ""
                raise NotPublished(f"not approved by {answer.approved_by or 'the editor'}{note}")
            chosen = chosen.merged(
                gather_decisions(
                    run_path,
                    reviewed=answer.reviewed or None,
                    decisions=answer.decisions,
                    exclude=answer.exclude,
                    accept_held=answer.accept_held,
                    original=answer.original,
                    exclude_held=answer.exclude_held,
                    origin="answer",
                )
            )
            approver = answer.approved_by or approver
        outcome["reviewed"] = chosen.reviewed
        record = publish(run_path, dest, decisions=chosen, approved_by=approver)
    except (PublishError, DecisionsError, UsageError, NotPublished) as exc:
        reason = str(exc).replace("\n", " ")
        outcome["reason"] = reason
        publish_publication_artifact(outcome)
        logger.error("Nothing published: %s", reason)
        raise NotPublished(f"nothing published: {reason}") from None
    outcome = {"published": True, **record, "reviewed": chosen.reviewed}
    publish_publication_artifact(outcome)
    if record["noop"]:
        logger.info("Already published: publication %s is current", record["publication"])
    else:
        logger.info(
            "Published %d texts to %s/current (publication %s, review %s)",
            record["counts"]["published"],
            to,
            record["publication"],
            record["review"]["review_id"],
        )
    return outcome
