"""Publishing a reviewed run: verify the staged texts, promote them atomically, audit.

``decruft publish DIR --to DEST [--exclude ID ...] [--approved-by NAME]``

Layout of DEST (readers only ever open ``DEST/current/...``)::

    DEST/current -> publications/<key>      symlink, swapped atomically
    DEST/publications/<key>/<id>.txt        one complete, immutable publication
    DEST/publications/<key>/publication.json  its audit record and file list
    DEST/audit.jsonl                        one line per publication, appended
    DEST/.staging/                          publications being built (never read)

A publication is built completely in ``.staging``, renamed into ``publications/`` and only then
made current by renaming a new symlink over ``current``: a reader sees the previous
publication or the new one, never a mix, and a crash at any point leaves ``current`` as it was.
The key is a digest of the published ids and their sha256, so publishing the same approved
set again changes nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flows import decisions as decisions_mod
from flows import review
from flows.decisions import Decisions, DecisionsError, DocDecision
from flows.state import read_details

PUBLISHABLE = review.PUBLISHABLE
"""Manifest statuses whose staged text can be published."""
CURRENT = "current"
PUBLICATIONS = "publications"
STAGING = ".staging"
AUDIT_LOG = "audit.jsonl"
RECORD = "publication.json"
KEEP_PUBLICATIONS = 3
"""Publications kept in DEST (the current one included); older ones are pruned."""
MAX_LISTED = 20


class PublishError(RuntimeError):
    """The run cannot be published as asked; nothing in DEST was changed."""


@dataclass(frozen=True, slots=True)
class StagedText:
    """One approved document: its staged text (or the text its decisions rebuilt) and sha256."""

    doc_id: str
    path: Path | None
    sha256: str
    data: bytes | None = None
    """The published bytes when decisions changed the staged text (restores, held accepted,
    original); already checked against the run when the plan was made."""


@dataclass
class Plan:
    """What a publish would do, decided from the manifest and the decisions."""

    run_dir: Path
    texts: list[StagedText]
    excluded: list[str]
    not_publishable: Counter[str] = field(default_factory=Counter)
    review: dict[str, Any] = field(default_factory=dict)
    decisions: Decisions = field(default_factory=Decisions)
    held: dict[str, list[str]] = field(default_factory=dict)
    restored: dict[str, int] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """Digest of the published (id, sha256) pairs: same approved set, same key."""
        h = hashlib.sha256()
        for t in sorted(self.texts, key=lambda t: t.doc_id):
            h.update(f"{t.doc_id}\t{t.sha256}\n".encode())
        return h.hexdigest()[:24]


def _expected_sha(row: dict[str, Any]) -> str | None:
    sha = row.get("sha256_out")
    if sha is None and isinstance(row.get("sha256"), dict):
        sha = row["sha256"].get("output")
    return sha if isinstance(sha, str) and sha else None


def _staged_path(run_dir: Path, row: dict[str, Any]) -> Path:
    """The staged text of a manifest row, refusing anything outside ``run_dir/clean``."""
    clean_dir = os.path.abspath(run_dir / "clean")
    rel = row.get("output") or f"clean/{row['id']}.txt"
    path = os.path.normpath(os.path.join(os.path.abspath(run_dir), str(rel)))
    if os.path.isabs(str(rel)) or not path.startswith(clean_dir + os.sep):
        raise PublishError(f"{row['id']}: staged path {rel!r} is outside {clean_dir}")
    return Path(path)


def _target_name(doc_id: str) -> str:
    """The file name of a document inside a publication (``<id>.txt``), checked lexically."""
    rel = os.path.normpath(f"{doc_id}.txt")
    if os.path.isabs(rel) or rel.startswith(".."):
        raise PublishError(f"id {doc_id!r} would be published outside DEST")
    return rel


def read_manifest_rows(run_dir: Path) -> Iterator[dict[str, Any]]:
    try:
        yield from review.iter_manifest(run_dir)
    except review.ManifestError as exc:
        raise PublishError(str(exc)) from None


def _listed(ids: Sequence[str]) -> str:
    shown = ", ".join(ids[:MAX_LISTED])
    return shown + (f" and {len(ids) - MAX_LISTED} more" if len(ids) > MAX_LISTED else "")


def _check_reviewed(run_dir: Path, decisions: Decisions, review_id: str, run_id: str | None) -> str:
    """How the named review matches the folder (``review id`` or ``run id``); else refuse."""
    reviewed = decisions.reviewed
    if not reviewed:
        raise PublishError(
            "name the run you reviewed: --reviewed REVIEW_ID (the review id at the top of "
            f"{run_dir}/report/index.html) or --decisions FILE exported from the report"
        )
    if reviewed == review_id:
        return "review id"
    if run_id and reviewed == run_id:
        return "run id"
    for entry in review.history(run_dir):
        if entry.get("run_id") == reviewed and entry.get("review_id") == review_id:
            return "run id (a later run changed nothing)"
    then = review.describe(run_dir, reviewed) or "not a run of this folder"
    now = review.describe(run_dir, review_id) or f"run {run_id}"
    raise PublishError(
        f"the output folder changed since the review: you reviewed {reviewed} ({then}), "
        f"it now holds {review_id} ({now}); nothing was published: open the report again"
    )


def plan_publication(
    run_dir: Path, exclude: Sequence[str] = (), decisions: Decisions | None = None
) -> Plan:
    """Decide from the manifest and the decisions what to publish (the last row per id wins).

    Refuses (:class:`PublishError`) when the decisions name another review than the folder's,
    name ids the manifest does not have, leave a held document undecided, or cannot be
    applied to the run as it is.
    """
    decisions = (decisions or Decisions()).merged(Decisions.from_options(exclude=exclude))
    rows: dict[str, dict[str, Any]] = {}
    digest = review.ReviewDigest()
    for row in read_manifest_rows(run_dir):
        digest.add(row)
        rows[str(row.get("id"))] = row
    run_id = _run_info(run_dir).get("run_id")
    matched = _check_reviewed(run_dir, decisions, digest.review_id, run_id)
    unknown = sorted(set(decisions.documents) - set(rows))
    if unknown:
        raise PublishError(f"decided ids not in the manifest: {_listed(unknown)}")
    plan = Plan(run_dir, [], [], decisions=decisions)
    plan.review = {
        "reviewed": decisions.reviewed,
        "matched": matched,
        "review_id": digest.review_id,
        "run_id": run_id,
        "unchanged_since_review": True,
    }
    plan.held = {"accepted": [], "original": [], "excluded": []}
    problems: list[str] = []
    undecided: list[str] = []
    rebuild: list[tuple[dict[str, Any], DocDecision]] = []
    for doc_id, row in rows.items():
        decision = decisions.documents.get(doc_id, DocDecision())
        action = decision.action or "cleaned"
        status = str(row.get("status"))
        held = review.is_held(row)
        if status not in PUBLISHABLE:
            plan.not_publishable[status] += 1
            if action != "exclude" and doc_id in decisions.documents:
                problems.append(f"{doc_id}: cannot be published ({status})")
            continue
        if held and doc_id not in decisions.documents:
            if decisions.exclude_held:
                action = "exclude"
            else:
                undecided.append(doc_id)
                continue
        if action == "exclude":
            plan.excluded.append(doc_id)
            if held:
                plan.held["excluded"].append(doc_id)
            continue
        if held:
            plan.held["accepted" if action == "accept_held" else "original"].append(doc_id)
        sha = _expected_sha(row)
        if sha is None:
            problems.append(f"{doc_id}: the manifest has no output sha256")
            continue
        _target_name(doc_id)
        if decision.restore or action == "accept_held" or (action == "original" and not held):
            rebuild.append((row, decision))
        elif action == "cleaned" and held:
            problems.append(f"{doc_id}: held by the guard: decide accept_held, original or exclude")
        else:
            plan.texts.append(StagedText(doc_id, _staged_path(run_dir, row), sha))
    if undecided:
        raise PublishError(
            f"{len(undecided)} document(s) held by the over-removal guard are undecided: "
            f"{_listed(undecided)}; decide each in the report (or --accept-held ID, --original "
            "ID, --exclude ID), or leave them all out with --exclude-held"
        )
    if problems:
        raise PublishError("; ".join(problems[:MAX_LISTED]))
    plan.texts += _rebuilt(run_dir, rebuild, plan)
    plan.excluded.sort()
    return plan


def _rebuilt(
    run_dir: Path, todo: list[tuple[dict[str, Any], DocDecision]], plan: Plan
) -> list[StagedText]:
    """The texts decisions change, rebuilt from their inputs and the run's removals."""
    if not todo:
        return []
    found = read_details(run_dir, [str(row["id"]) for row, _ in todo])
    texts, problems = [], []
    for row, decision in todo:
        doc_id = str(row["id"])
        entry = found.get(doc_id)
        if entry is None or entry["sha256_in"] != row.get("sha256_in"):
            problems.append(f"{doc_id}: the run's removals for it are not in {run_dir}/.decruft")
            continue
        try:
            text = decisions_mod.rebuild(
                row, entry["details"], decision, decisions_mod.input_text(row)
            )
        except DecisionsError as exc:
            problems.append(str(exc))
            continue
        data = text.encode("utf-8")
        texts.append(StagedText(doc_id, None, hashlib.sha256(data).hexdigest(), data))
        if decision.restore:
            plan.restored[doc_id] = len(decision.restore)
    if problems:
        raise PublishError("; ".join(problems[:MAX_LISTED]))
    return texts


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def verify(plan: Plan) -> list[str]:
    """Problems with the staged texts: missing files or a sha256 that differs from the manifest."""
    problems = []
    for t in plan.texts:
        if t.path is None:
            continue  # rebuilt from decisions, checked against the run already
        if not t.path.is_file():
            problems.append(f"{t.doc_id}: staged text {t.path} is missing")
        elif _sha256_file(t.path) != t.sha256:
            problems.append(f"{t.doc_id}: staged text differs from the manifest (sha256)")
    return problems


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def copy_verified(text: StagedText, target: Path) -> None:
    """Copy one staged text, checking the bytes actually copied against the manifest."""
    data = text.data if text.path is None else text.path.read_bytes()
    if data is None or hashlib.sha256(data).hexdigest() != text.sha256:
        raise PublishError(f"{text.doc_id}: staged text changed while publishing (sha256)")
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _run_info(run_dir: Path) -> dict[str, Any]:
    """The run's identity from its report, when there is one."""
    path = run_dir / "report" / "run.json"
    try:
        info = json.loads(path.read_text(encoding="utf-8")).get("run") or {}
    except (OSError, ValueError, AttributeError):
        info = {}
    return info if isinstance(info, dict) else {}


@contextlib.contextmanager
def _locked(dest: Path) -> Iterator[None]:
    """One publisher at a time per DEST: a second one refuses at once (PublishError).

    An ``flock``: the kernel drops it when its holder exits, a SIGKILL included.
    """
    with (dest / ".lock").open("a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PublishError(
                f"{dest} is being published to by another decruft publish: wait for it to "
                "finish, then publish again"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def current_key(dest: Path) -> str | None:
    """The key of the publication DEST/current points at, if any."""
    link = dest / CURRENT
    if not link.is_symlink():
        return None
    return Path(os.readlink(link)).name


def _swap_current(dest: Path, key: str) -> None:
    tmp = dest / f".{CURRENT}.{os.getpid()}.tmp"
    tmp.unlink(missing_ok=True)
    os.symlink(f"{PUBLICATIONS}/{key}", tmp)
    os.replace(tmp, dest / CURRENT)
    _fsync_dir(dest)


def _append_audit(dest: Path, record: dict[str, Any]) -> None:
    """Append one line; a line cut short by a crash is ended first (it stays unreadable and
    is skipped by readers, and does not swallow this one)."""
    path = dest / AUDIT_LOG
    with path.open("ab") as fh:
        if fh.tell() > 0:
            with path.open("rb") as tail:
                tail.seek(-1, os.SEEK_END)
                if tail.read(1) != b"\n":
                    fh.write(b"\n")
        fh.write((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
        fh.flush()
        os.fsync(fh.fileno())


def _audited_keys(dest: Path) -> set[str]:
    path = dest / AUDIT_LOG
    if not path.exists():
        return set()
    keys = set()
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            with contextlib.suppress(ValueError, AttributeError):
                keys.add(json.loads(line).get("publication"))
    return keys


def _prune(dest: Path, keep: int) -> None:
    """Remove stale staging dirs and all but the newest ``keep`` publications (never current)."""
    shutil.rmtree(dest / STAGING, ignore_errors=True)
    for tmp in dest.glob(f".{CURRENT}.*.tmp"):  # a symlink a killed publish did not swap in
        tmp.unlink(missing_ok=True)
    pubs = dest / PUBLICATIONS
    if not pubs.is_dir():
        return
    current = current_key(dest)
    others = sorted(
        (p for p in pubs.iterdir() if p.is_dir() and p.name != current),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in others[max(keep - 1, 0) :]:
        shutil.rmtree(old, ignore_errors=True)


def publish(
    run_dir: Path,
    dest: Path,
    *,
    reviewed: str | None = None,
    decisions: Decisions | None = None,
    exclude: Sequence[str] = (),
    approved_by: str | None = None,
    keep: int = KEEP_PUBLICATIONS,
) -> dict[str, Any]:
    """Publish the approved texts of ``run_dir`` into ``dest``; returns the audit record.

    ``reviewed`` (or ``decisions.reviewed``) names the run the editor reviewed: its review id
    or run id. Raises :class:`PublishError` (with DEST unchanged) when the folder changed since
    that review, a held document is undecided, a staged text is missing or differs from the
    manifest, or a decided id is unknown. Publishing the same approved set again is a no-op:
    the returned record then has ``"noop": True`` and nothing is written.
    """
    run_dir = Path(run_dir)
    dest = Path(dest)
    options = Decisions.from_options(reviewed=reviewed, exclude=exclude)
    try:
        chosen = (decisions or Decisions()).merged(options)
    except DecisionsError as exc:
        raise PublishError(str(exc)) from None
    approved_by = approved_by or chosen.decided_by
    plan = plan_publication(run_dir, decisions=chosen)
    problems = verify(plan)
    if problems:
        shown = "\n  ".join(problems[:MAX_LISTED])
        extra = len(problems) - MAX_LISTED
        more = f"\n  ... and {extra} more" if extra > 0 else ""
        raise PublishError(f"refusing to publish {run_dir}:\n  {shown}{more}")
    dest.mkdir(parents=True, exist_ok=True)
    key = plan.key
    with _locked(dest):
        if current_key(dest) == key and key in _audited_keys(dest):
            record = json.loads((dest / PUBLICATIONS / key / RECORD).read_text(encoding="utf-8"))
            _prune(dest, keep)  # what a killed publish may have left
            record.pop("files", None)
            return {**record, "noop": True}
        previous = current_key(dest)
        final = dest / PUBLICATIONS / key
        if final.is_dir() and (final / RECORD).is_file():
            # Built before (a crash after the rename, or an earlier publication of the same set).
            record = _record(plan, key, approved_by, previous)
        else:
            record = _build(plan, dest, key, approved_by, previous)
        _swap_current(dest, key)
        _append_audit(dest, record)
        _prune(dest, keep)
    return {**record, "noop": False}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _record(plan: Plan, key: str, approved_by: str | None, previous: str | None) -> dict[str, Any]:
    """The audit record of a publication: who, what, from which review, with which decisions."""
    return {
        "event": "publish",
        "publication": key,
        "time": _now(),
        "run_id": plan.review.get("run_id"),
        "review": plan.review,
        "run_dir": str(plan.run_dir.resolve()),
        "approved_by": approved_by,
        "excluded": plan.excluded,
        "held": plan.held,
        "restored": plan.restored,
        "previous": previous,
        "counts": {
            "published": len(plan.texts),
            "excluded": len(plan.excluded),
            "held_accepted": len(plan.held.get("accepted", [])),
            "held_original": len(plan.held.get("original", [])),
            "restored_spans": sum(plan.restored.values()),
            "not_publishable": dict(sorted(plan.not_publishable.items())),
        },
        "decisions": plan.decisions.audit(),
    }


def _build(
    plan: Plan, dest: Path, key: str, approved_by: str | None, previous: str | None
) -> dict[str, Any]:
    """Copy every approved text into a staging dir, then rename it into publications/."""
    staging_root = dest / STAGING
    staging_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=staging_root, prefix=f"{key}."))
    try:
        files = []
        for text in sorted(plan.texts, key=lambda t: t.doc_id):
            name = _target_name(text.doc_id)
            copy_verified(text, staging / name)
            files.append({"id": text.doc_id, "file": name, "sha256": text.sha256})
        record = _record(plan, key, approved_by, previous)
        with (staging / RECORD).open("w", encoding="utf-8") as fh:
            json.dump({**record, "files": files}, fh, ensure_ascii=False, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        staging.chmod(0o755)
        (dest / PUBLICATIONS).mkdir(exist_ok=True)
        final = dest / PUBLICATIONS / key
        shutil.rmtree(final, ignore_errors=True)  # an incomplete leftover: never current
        os.rename(staging, final)
        _fsync_dir(dest / PUBLICATIONS)
        return record
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="decruft publish",
        description="Verify a reviewed run's staged texts and publish them atomically. "
        "Name the run you reviewed (--reviewed, or --decisions exported from its report); "
        "documents held by the over-removal guard must be decided.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    p.add_argument("run_dir", metavar="DIR", type=Path, help="output folder of `decruft run`")
    p.add_argument(
        "--to",
        dest="dest",
        metavar="DEST",
        type=Path,
        required=True,
        help="publication folder (readers open DEST/current/<id>.txt)",
    )
    p.add_argument(
        "--reviewed",
        metavar="ID",
        help="the review id at the top of the report you reviewed (or that run's id)",
    )
    p.add_argument(
        "--decisions",
        metavar="FILE",
        type=Path,
        help="decisions exported from the report (exclusions, kept text, held documents)",
    )
    p.add_argument(
        "--exclude",
        metavar="ID",
        action="extend",
        nargs="+",
        default=[],
        help="document ids the reviewer did not approve (repeatable)",
    )
    p.add_argument(
        "--accept-held",
        metavar="ID",
        action="extend",
        nargs="+",
        default=[],
        help="held documents to publish with the held removals applied",
    )
    p.add_argument(
        "--original",
        metavar="ID",
        action="extend",
        nargs="+",
        default=[],
        help="documents to publish as their original text (whitespace tidied)",
    )
    p.add_argument(
        "--exclude-held",
        action="store_true",
        help="leave out every held document that has no decision",
    )
    p.add_argument(
        "--approved-by",
        metavar="NAME",
        help="who approved (kept in the audit; default: the decisions' decided_by)",
    )
    return p


def decisions_from_args(args: argparse.Namespace) -> Decisions:
    """The decisions a publish command line gives: the file (checked), then the options."""
    options = Decisions.from_options(
        reviewed=args.reviewed,
        exclude=args.exclude,
        accept_held=args.accept_held,
        original=args.original,
        exclude_held=args.exclude_held,
    )
    if args.decisions is None:
        return options
    loaded = decisions_mod.load(decisions_mod.read_file(args.decisions), args.run_dir)
    return loaded.merged(options)


def cli_main(argv: list[str]) -> int:
    """``decruft publish DIR --to DEST --reviewed ID | --decisions FILE [...]``; 2 on refusal."""
    from flows.checks import UsageError, check_publish_paths

    args = build_parser().parse_args(argv)
    try:
        check_publish_paths(args.run_dir, args.dest)
        chosen = decisions_from_args(args)
        record = publish(args.run_dir, args.dest, decisions=chosen, approved_by=args.approved_by)
    except (PublishError, DecisionsError, UsageError) as exc:
        print(f"decruft publish: {exc}", file=sys.stderr)
        return 2
    counts = record["counts"]
    if record["noop"]:
        print(f"already published: {args.dest}/current is publication {record['publication']}")
    else:
        extra = ""
        if counts.get("restored_spans"):
            extra += f", {counts['restored_spans']} removals restored"
        held = counts.get("held_accepted", 0) + counts.get("held_original", 0)
        if held:
            extra += f", {held} held decided"
        print(
            f"published {counts['published']} texts to {args.dest}/current "
            f"(publication {record['publication']}, review {record['review']['review_id']}, "
            f"{counts['excluded']} excluded{extra})"
        )
    return 0
