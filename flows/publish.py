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

PUBLISHABLE = frozenset({"cleaned", "unchanged", "reused"})
"""Manifest statuses whose staged text can be published."""
CURRENT = "current"
PUBLICATIONS = "publications"
STAGING = ".staging"
AUDIT_LOG = "audit.jsonl"
RECORD = "publication.json"
KEEP_PUBLICATIONS = 3
"""Publications kept in DEST (the current one included); older ones are pruned."""


class PublishError(RuntimeError):
    """The run cannot be published as asked; nothing in DEST was changed."""


@dataclass(frozen=True, slots=True)
class StagedText:
    """One approved document: where its staged text is and what its sha256 must be."""

    doc_id: str
    path: Path
    sha256: str


@dataclass
class Plan:
    """What a publish would do, decided from the manifest alone."""

    run_dir: Path
    texts: list[StagedText]
    excluded: list[str]
    not_publishable: Counter[str] = field(default_factory=Counter)

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
    path = run_dir / "manifest.jsonl"
    if not path.is_file():
        raise PublishError(f"{path} not found: is {run_dir} the output of a decruft run?")
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise PublishError(f"{path}:{n}: not JSON ({exc.msg})") from exc


def plan_publication(run_dir: Path, exclude: Sequence[str] = ()) -> Plan:
    """Decide from the manifest which staged texts to publish (the last row per id wins)."""
    rows: dict[str, dict[str, Any]] = {}
    for row in read_manifest_rows(run_dir):
        rows[str(row.get("id"))] = row
    excluded = sorted(set(exclude))
    unknown = [doc_id for doc_id in excluded if doc_id not in rows]
    if unknown:
        raise PublishError(f"excluded ids not in the manifest: {', '.join(unknown)}")
    plan = Plan(run_dir, [], excluded)
    skip = set(excluded)
    problems: list[str] = []
    for doc_id, row in rows.items():
        status = str(row.get("status"))
        if status not in PUBLISHABLE:
            plan.not_publishable[status] += 1
            continue
        if doc_id in skip:
            continue
        sha = _expected_sha(row)
        if sha is None:
            problems.append(f"{doc_id}: the manifest has no output sha256")
            continue
        _target_name(doc_id)
        plan.texts.append(StagedText(doc_id, _staged_path(run_dir, row), sha))
    if problems:
        raise PublishError("; ".join(problems))
    return plan


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
    data = text.path.read_bytes()
    if hashlib.sha256(data).hexdigest() != text.sha256:
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
    exclude: Sequence[str] = (),
    approved_by: str | None = None,
    keep: int = KEEP_PUBLICATIONS,
) -> dict[str, Any]:
    """Publish the approved texts of ``run_dir`` into ``dest``; returns the audit record.

    Raises :class:`PublishError` (with DEST unchanged) when a staged text is missing or differs
    from the manifest, or an excluded id is unknown. Publishing the same approved set again is
    a no-op: the returned record then has ``"noop": True`` and nothing is written.
    """
    run_dir = Path(run_dir)
    dest = Path(dest)
    plan = plan_publication(run_dir, exclude)
    problems = verify(plan)
    if problems:
        shown = "\n  ".join(problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise PublishError(f"refusing to publish {run_dir}:\n  {shown}{more}")
    dest.mkdir(parents=True, exist_ok=True)
    key = plan.key
    with _locked(dest):
        if current_key(dest) == key and key in _audited_keys(dest):
            record = json.loads((dest / PUBLICATIONS / key / RECORD).read_text(encoding="utf-8"))
            _prune(dest, keep)  # what a killed publish may have left
            return {**record, "noop": True}
        previous = current_key(dest)
        final = dest / PUBLICATIONS / key
        if final.is_dir() and (final / RECORD).is_file():
            # Built before (a crash after the rename, or an earlier publication of the same set).
            record = json.loads((final / RECORD).read_text(encoding="utf-8"))
            record.update(time=_now(), approved_by=approved_by, previous=previous)
        else:
            record = _build(plan, dest, key, approved_by, previous)
        _swap_current(dest, key)
        _append_audit(dest, record)
        _prune(dest, keep)
    return {**record, "noop": False}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


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
        run = _run_info(plan.run_dir)
        record = {
            "event": "publish",
            "publication": key,
            "time": _now(),
            "run_id": run.get("run_id"),
            "run_dir": str(plan.run_dir.resolve()),
            "approved_by": approved_by,
            "excluded": plan.excluded,
            "previous": previous,
            "counts": {
                "published": len(files),
                "excluded": len(plan.excluded),
                "not_publishable": dict(sorted(plan.not_publishable.items())),
            },
        }
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
        description="Verify a reviewed run's staged texts and publish them atomically.",
    )
    p.add_argument("run_dir", metavar="DIR", type=Path, help="output folder of `decruft run`")
    p.add_argument("--to", dest="dest", metavar="DEST", type=Path, required=True)
    p.add_argument(
        "--exclude",
        metavar="ID",
        action="extend",
        nargs="+",
        default=[],
        help="document ids the reviewer did not approve (repeatable)",
    )
    p.add_argument("--approved-by", metavar="NAME", help="who approved (kept in the audit)")
    return p


def cli_main(argv: list[str]) -> int:
    """``decruft publish DIR --to DEST [--exclude ID ...] [--approved-by NAME]``."""
    args = build_parser().parse_args(argv)
    try:
        record = publish(
            args.run_dir, args.dest, exclude=args.exclude, approved_by=args.approved_by
        )
    except PublishError as exc:
        print(f"decruft publish: {exc}", file=sys.stderr)
        return 2
    counts = record["counts"]
    if record["noop"]:
        print(f"already published: {args.dest}/current is publication {record['publication']}")
    else:
        print(
            f"published {counts['published']} texts to {args.dest}/current "
            f"(publication {record['publication']}, {counts['excluded']} excluded)"
        )
    return 0
