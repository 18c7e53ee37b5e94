"""An editor's decisions on a reviewed run, and what they make of each published text.

Per document, one action:

- ``cleaned`` (the default): the staged clean text; with ``restore``, the removals named there
  are put back ("keep this text"): the original minus the other removals, then the usual
  whitespace tidying (:func:`cleaners.apply_removals`);
- ``accept_held``: for a document the over-removal guard held (nothing was removed), apply the
  held removals after all (minus any restored ones);
- ``original``: the original text, whitespace tidied, whatever the cleaners found;
- ``exclude``: not published.

A document the guard held must be decided (``accept_held``, ``original`` or ``exclude``):
publishing refuses while one is undecided, unless the publisher excludes every undecided one.

Decisions come from the report (a downloaded JSON file, below) or from ``decruft publish``
options; both name the reviewed run (:mod:`flows.review`).

The decisions file::

    {"format": "decruft-decisions-v1", "review_id": "r-…", "run_id": "…",
     "decided_by": "Dana Editor", "decided_at": "2025-05-01T10:00:00Z",
     "documents": {
        "site/a": {"action": "exclude"},
        "site/b": {"action": "cleaned", "fingerprint": "…",
                   "restore": [{"start": 120, "end": 164, "rule": "footer_v1"}]},
        "site/c": {"action": "accept_held", "fingerprint": "…"}},
     "signature": "hmac-sha256:…"}

``signature`` is an HMAC-SHA256, keyed with the output folder's review key, over the rest of
the file serialised compactly in its own key order with non-ASCII characters escaped
(``json.dumps(..., separators=(",", ":"), ensure_ascii=True)``; the report's script writes the
same bytes). What it covers: a file edited after it was exported (a restore added, an exclusion
dropped, another name in ``decided_by``) by anyone who cannot read the run's report, a file
corrupted in transit, and a file from another output folder's report. What it does not cover:
anyone who can open the report can read the key and sign what they like, and ``decided_by``
is what the editor typed, not an authenticated identity; the audit record keeps both as given.

``fingerprint`` (per document) is a digest of the document's removals and held removals as
the report showed them; publishing recomputes it from the run and refuses decisions made on a
different version of the document.
"""

from __future__ import annotations

import gzip
import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from flows import review

FORMAT = "decruft-decisions-v1"
ACTIONS = ("cleaned", "accept_held", "original", "exclude")
SIGNATURE_PREFIX = "hmac-sha256:"
MAX_FILE_BYTES = 64 * 1024 * 1024


class DecisionsError(ValueError):
    """Decisions that cannot be applied as given (one line, says why)."""


@dataclass(frozen=True, slots=True, order=True)
class Restore:
    """A removal to put back, named by its span in the original text and its rule."""

    start: int
    end: int
    rule: str

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "rule": self.rule}


@dataclass(frozen=True, slots=True)
class DocDecision:
    action: str | None = None
    restore: tuple[Restore, ...] = ()
    fingerprint: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"action": self.action or "cleaned"}
        if self.fingerprint:
            out["fingerprint"] = self.fingerprint
        if self.restore:
            out["restore"] = [r.to_json() for r in sorted(self.restore)]
        return out


@dataclass(frozen=True)
class Decisions:
    """Everything a publish applies; ``reviewed`` is a review id or a run id."""

    reviewed: str | None = None
    documents: Mapping[str, DocDecision] = field(default_factory=dict)
    decided_by: str | None = None
    decided_at: str | None = None
    exclude_held: bool = False
    origin: str = "options"
    """``options`` (publish arguments), or ``file`` / ``answer`` for a signed decisions file."""
    signed: Mapping[str, Any] | None = None
    """The decisions file as given (kept in the audit record)."""

    @classmethod
    def from_options(
        cls,
        *,
        reviewed: str | None = None,
        exclude: Iterable[str] = (),
        accept_held: Iterable[str] = (),
        original: Iterable[str] = (),
        exclude_held: bool = False,
    ) -> Decisions:
        docs: dict[str, DocDecision] = {}
        chosen = (("exclude", exclude), ("accept_held", accept_held), ("original", original))
        for action, ids in chosen:
            for doc_id in ids:
                earlier = docs.get(doc_id)
                if earlier is not None and earlier.action != action:
                    raise DecisionsError(f"{doc_id}: both {earlier.action} and {action}")
                docs[doc_id] = DocDecision(action)
        reviewed = reviewed.strip() if isinstance(reviewed, str) and reviewed.strip() else None
        return cls(reviewed=reviewed, documents=docs, exclude_held=bool(exclude_held))

    def merged(self, other: Decisions) -> Decisions:
        """These decisions plus ``other``'s (publish options on top of a file)."""
        if self.reviewed and other.reviewed and self.reviewed != other.reviewed:
            raise DecisionsError(
                f"the decisions are for review {self.reviewed}, the options name {other.reviewed}"
            )
        docs = dict(self.documents)
        for doc_id, decision in other.documents.items():
            earlier = docs.get(doc_id)
            if earlier is not None and (earlier.action or "cleaned") != decision.action:
                if decision.action == "exclude":  # holding back more is always allowed
                    docs[doc_id] = decision
                    continue
                raise DecisionsError(
                    f"{doc_id}: the decisions say {earlier.action or 'cleaned'}, "
                    f"the options {decision.action}"
                )
            docs.setdefault(doc_id, decision)
        # The signed file (and where it came from) is kept whichever side brought it: options
        # merged onto an editor's answer must not drop the file from the audit record.
        signer = self if self.signed is not None or other.signed is None else other
        return replace(
            self,
            reviewed=self.reviewed or other.reviewed,
            documents=docs,
            exclude_held=self.exclude_held or other.exclude_held,
            decided_by=self.decided_by or other.decided_by,
            decided_at=self.decided_at or other.decided_at,
            origin=signer.origin,
            signed=signer.signed,
        )

    def ids(self, action: str) -> list[str]:
        return sorted(i for i, d in self.documents.items() if (d.action or "cleaned") == action)

    def restored(self) -> dict[str, list[Restore]]:
        return {i: sorted(d.restore) for i, d in sorted(self.documents.items()) if d.restore}

    def audit(self) -> dict[str, Any]:
        """What the audit record keeps: the decisions in full, and the file as signed."""
        out: dict[str, Any] = {
            "origin": self.origin,
            "reviewed": self.reviewed,
            "decided_by": self.decided_by,
            "decided_at": self.decided_at,
            "exclude_held": self.exclude_held,
            "documents": {i: d.to_json() for i, d in sorted(self.documents.items())},
        }
        if self.signed is not None:
            out["signature"] = self.signed.get("signature")
        return out


# --- the decisions file ------------------------------------------------------------------------


def canonical(content: Mapping[str, Any]) -> bytes:
    """The bytes the signature covers: compact JSON in the content's own key order, ASCII."""
    body = {k: v for k, v in content.items() if k != "signature"}
    return json.dumps(body, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def sign(content: Mapping[str, Any], key: str) -> str:
    mac = hmac.new(bytes.fromhex(key), canonical(content), hashlib.sha256).hexdigest()
    return SIGNATURE_PREFIX + mac


def signed_file(content: Mapping[str, Any], key: str) -> dict[str, Any]:
    """``content`` with its signature (what the report's export writes; used by tests and tools)."""
    body = {k: v for k, v in content.items() if k != "signature"}
    return {**body, "signature": sign(body, key)}


def read_file(path: Path) -> dict[str, Any]:
    path = Path(path)
    if not path.is_file():
        raise DecisionsError(f"decisions file not found: {path}")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise DecisionsError(f"{path} is too large for a decisions file")
    try:
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        content = json.loads(data)
    except (OSError, ValueError, EOFError) as exc:
        raise DecisionsError(f"{path} is not a decisions file (not JSON: {exc})") from None
    if not isinstance(content, dict):
        raise DecisionsError(f"{path} is not a decisions file (not a JSON object)")
    return content


def load(content: Mapping[str, Any], run_dir: Path, *, origin: str = "file") -> Decisions:
    """Check a decisions file's form and signature against ``run_dir``'s review key."""
    if content.get("format") != FORMAT:
        raise DecisionsError(
            f"not a decruft decisions file (format {content.get('format')!r}, "
            f"expected {FORMAT!r}): export it from the report"
        )
    signature = content.get("signature")
    if not isinstance(signature, str) or not signature.startswith(SIGNATURE_PREFIX):
        raise DecisionsError("the decisions file is not signed: export it from the report")
    key = read_key(run_dir)
    if key is None:
        raise DecisionsError(
            f"{run_dir} has no review key, so no decisions file can come from its report"
        )
    if not hmac.compare_digest(sign(content, key), signature):
        raise DecisionsError(
            "the decisions file was changed after it was exported, or it comes from another "
            "output folder's report (its signature does not match): export it again"
        )
    reviewed = content.get("review_id")
    if not isinstance(reviewed, str) or not reviewed:
        raise DecisionsError("the decisions file names no review_id")
    raw_docs = content.get("documents") or {}
    if not isinstance(raw_docs, dict):
        raise DecisionsError("decisions: 'documents' must be an object of id -> decision")
    docs = {str(doc_id): _doc_decision(str(doc_id), d) for doc_id, d in raw_docs.items()}
    decided_by = content.get("decided_by")
    decided_at = content.get("decided_at")
    return Decisions(
        reviewed=reviewed,
        documents=docs,
        decided_by=str(decided_by).strip() or None if decided_by else None,
        decided_at=str(decided_at) if decided_at else None,
        origin=origin,
        signed=dict(content),
    )


def _doc_decision(doc_id: str, raw: object) -> DocDecision:
    if not isinstance(raw, dict):
        raise DecisionsError(f"decisions for {doc_id}: not an object")
    action = raw.get("action") or "cleaned"
    if action not in ACTIONS:
        raise DecisionsError(
            f"decisions for {doc_id}: unknown action {action!r} (one of {', '.join(ACTIONS)})"
        )
    restores = []
    for item in raw.get("restore") or []:
        try:
            start, end, rule = int(item["start"]), int(item["end"]), str(item["rule"])
        except (KeyError, TypeError, ValueError):
            raise DecisionsError(
                f"decisions for {doc_id}: a restore needs start, end, rule"
            ) from None
        if not 0 <= start < end:
            raise DecisionsError(f"decisions for {doc_id}: restore [{start}, {end}) is empty")
        restores.append(Restore(start, end, rule))
    if restores and action in ("original", "exclude"):
        raise DecisionsError(f"decisions for {doc_id}: restores make no sense with {action}")
    fp = raw.get("fingerprint")
    return DocDecision(action, tuple(sorted(set(restores))), str(fp) if fp else None)


def read_key(run_dir: Path) -> str | None:
    try:
        key = (Path(run_dir) / review.STATE_DIR / review.KEY_FILE).read_text("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    try:
        bytes.fromhex(key)
    except ValueError:
        return None
    return key or None


# --- what a decision makes of one document ------------------------------------------------------


def fingerprint(removals: Sequence[Mapping[str, Any]], held: Sequence[Mapping[str, Any]]) -> str:
    """A digest of a document's removals and held removals (spans, rules, removed texts)."""
    h = hashlib.sha256(b"decruft-doc-v1\n")
    for kind, items in (("r", removals), ("h", held)):
        for rm in items:
            head = f"{kind}\t{rm.get('start')}\t{rm.get('end')}\t{rm.get('rule')}\t"
            h.update(head.encode() + str(rm.get("text") or "").encode() + b"\n")
    return h.hexdigest()[:16]


def input_text(row: Mapping[str, Any]) -> str:
    """The text the cleaners saw for a manifest row, read again from its input.

    Raises :class:`DecisionsError` when the input is gone or changed since the run (its sha256
    differs from the manifest's).
    """
    from flows.extract import ExtractError, extract_html
    from flows.sources import InputError, decode_text, decompress

    doc_id, path, fmt = row.get("id"), Path(str(row.get("input"))), str(row.get("format"))
    try:
        if fmt in ("jsonl", "jsonl-html"):
            raw = _jsonl_line(path, int(row.get("line") or 0))
        else:
            raw = path.read_bytes()
    except OSError as exc:
        raise DecisionsError(
            f"{doc_id}: its input {path} cannot be read ({exc.strerror})"
        ) from None
    if hashlib.sha256(raw).hexdigest() != row.get("sha256_in"):
        raise DecisionsError(f"{doc_id}: its input {path} changed since the run (sha256 differs)")
    try:
        if fmt in ("jsonl", "jsonl-html"):
            obj = json.loads(raw)
            decoded = obj.get("text") if fmt == "jsonl" else obj.get("html")
            if not isinstance(decoded, str):
                raise DecisionsError(f"{doc_id}: its JSONL line has no text")
        else:
            data = decompress(raw) if path.name.lower().endswith(".gz") else raw
            decoded = decode_text(data)[0]
        if fmt in ("html", "jsonl-html"):
            return extract_html(decoded, row.get("url")).text
        return decoded
    except (InputError, ExtractError, ValueError) as exc:
        raise DecisionsError(f"{doc_id}: its input cannot be read again ({exc})") from None


def _jsonl_line(path: Path, line: int) -> bytes:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rb") as fh:
        for n, raw in enumerate(fh, 1):
            if n == line:
                return raw
    raise FileNotFoundError(2, f"line {line} is gone", str(path))


def rebuild(
    row: Mapping[str, Any],
    details: Mapping[str, Any],
    decision: DocDecision,
    text_in: str,
) -> str:
    """The published text of one document under ``decision``, checked against the run.

    The run's removals (``details``) applied to ``text_in`` must give the staged text's
    sha256 (the manifest's): proof that the input and the removals are the ones reviewed.
    """
    from cleaners import apply_removals

    doc_id = row.get("id")
    removals = list(details.get("removals") or [])
    held = list(details.get("held_removals") or [])
    if decision.fingerprint and decision.fingerprint != fingerprint(removals, held):
        raise DecisionsError(
            f"{doc_id}: the decisions were made on another version of this document "
            "(its removals changed since the report was made)"
        )
    spans = {(int(r["start"]), int(r["end"]), str(r["rule"])): r for r in removals + held}
    held_doc = review.is_held(row)
    applied = held if held_doc else removals
    staged = apply_removals(text_in, [] if held_doc else _removals(removals))
    if hashlib.sha256(staged.encode("utf-8")).hexdigest() != row.get("sha256_out"):
        raise DecisionsError(
            f"{doc_id}: its text cannot be rebuilt as the run made it (the input or the "
            "extractor changed since the run)"
        )
    action = decision.action or "cleaned"
    if action == "original":
        return apply_removals(text_in, [])
    if action == "accept_held" and not held_doc:
        raise DecisionsError(f"{doc_id}: accept_held, but the guard did not hold this document")
    if action == "cleaned" and held_doc:
        raise DecisionsError(
            f"{doc_id}: the guard held this document: decide accept_held, original or exclude"
        )
    restored = set()
    for r in decision.restore:
        key = (r.start, r.end, r.rule)
        if key not in spans or spans[key] not in applied:
            raise DecisionsError(
                f"{doc_id}: restore [{r.start}, {r.end}) {r.rule} is not one of its removals"
            )
        restored.add(key)
    kept = [r for r in applied if (int(r["start"]), int(r["end"]), str(r["rule"])) not in restored]
    return apply_removals(text_in, _removals(kept))


def _removals(items: Iterable[Mapping[str, Any]]) -> list[Any]:
    """Removal dicts (as the report and the state keep them) as sorted Removals."""
    from cleaners import Removal

    out = [
        Removal(
            int(r["start"]),
            int(r["end"]),
            str(r["rule"]),
            str(r.get("category") or ""),
            str(r.get("reason") or ""),
            str(r.get("text") or ""),
        )
        for r in items
    ]
    return sorted(out, key=lambda r: (r.start, r.end))
