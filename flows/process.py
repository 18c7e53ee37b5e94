"""One document from work item to outcome: read, decode, extract, clean, write, describe.

Pure of Prefect: the batch task calls :func:`process_batch`; tests call it directly.
Every item yields exactly one :class:`Outcome`, whatever goes wrong with it. Items are
references: this is where the input's bytes are read (by the worker that runs the batch).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleaners import DEFAULT_MAX_SHARE, SiteTemplates, clean
from flows.extract import Extracted, ExtractError, extract_html
from flows.sources import InputError, WorkItem, document_text, read_input
from flows.store import CLEAN_DIR, manifest_row, output_path, write_atomic
from flows.templates_pass import document_digest

MAX_CLEAN_CHARS = 2_000_000
"""Largest text given to the cleaners (after HTML extraction), in characters.

News articles are tens of KB; the chain costs about 2 us and 40 bytes of memory per
character (a 15 MB text took 32 s and 561 MB), so a bigger "document" (a log, a dump, a
whole site in one file) is skipped with a reason rather than left to hold up its batch:
at this size a document costs at most a few seconds and under 100 MB."""

MAX_HTML_CHARS = 8_000_000
"""Largest HTML page given to the extractor, in characters (pages with inline scripts and
styles reach a few MB; the DOM of a bigger one costs hundreds of MB)."""


@dataclass(slots=True)
class Outcome:
    """What the flow needs back from a document: its manifest row and its report record."""

    row: dict[str, Any]
    record: dict[str, Any]
    bytes_out: int | None = None
    """Size of the written output, when one was written (saves a stat per document)."""
    templates: str | None = None
    """What the output depends on in the source's learned templates (a digest, see
    :func:`flows.templates_pass.document_digest`), kept in the state for reuse."""


def process_batch(
    items: Sequence[WorkItem],
    out_dir: str | Path,
    rules: Sequence[str] | None = None,
    max_share: float = DEFAULT_MAX_SHARE,
    templates: Mapping[str, SiteTemplates] | None = None,
    extracted: Mapping[str, dict[str, Any]] | None = None,
) -> list[Outcome]:
    """Process a batch in order; one outcome per item. ``templates``: the learned templates
    of the batch's sources (by source name); ``extracted``: HTML extractions the templates
    pass already made, by id (used when the input's sha256 is the same)."""
    out = Path(out_dir)
    templates = templates or {}
    extracted = extracted or {}
    return [
        process_item(
            item, out, rules, max_share, templates.get(item.source or ""), extracted.get(item.id)
        )
        for item in items
    ]


def process_item(
    item: WorkItem,
    out_dir: Path,
    rules: Sequence[str] | None = None,
    max_share: float = DEFAULT_MAX_SHARE,
    templates: SiteTemplates | None = None,
    extracted: dict[str, Any] | None = None,
) -> Outcome:
    """Turn one work item into an outcome; never raises for bad input. ``templates`` are
    the learned templates of the item's source, if any; ``extracted`` an extraction of it
    made earlier in the run."""
    if item.status is not None:
        return _not_processed(item, item.status, item.reason or "")
    try:
        data = read_input(item)
        if _reusable(item, out_dir, data, templates):
            return _reused(item, data)
        return _clean_item(item, data, out_dir, rules, max_share, templates, extracted)
    except InputError as exc:
        return _not_processed(item, exc.status, exc.reason)
    except ExtractError as exc:
        return _not_processed(item, "failed", f"HTML extraction: {exc}")
    except RecursionError:
        return _not_processed(item, "failed", "too deeply nested to process")
    except MemoryError:
        return _not_processed(item, "failed", "out of memory while processing")
    except Exception as exc:  # a bug or an OS error must not stop the run
        return _not_processed(item, "failed", f"{type(exc).__name__}: {exc}")


def _reusable(item: WorkItem, out_dir: Path, data: bytes, templates: SiteTemplates | None) -> bool:
    """The earlier run's output stands: same input bytes, output still the size it wrote, and
    the same learned templates apply to it (:func:`document_digest`)."""
    previous = item.previous
    if not previous or previous.get("sha256_in") != item.sha256:
        return False
    try:
        output = previous["row"]["output"]
        if (out_dir / output).stat().st_size != previous["bytes_out"]:
            return False
    except (OSError, KeyError, TypeError):
        return False
    earlier = (previous.get("details") or {}).get("templates")
    return earlier == document_digest(item, data, None, templates)


def _clean_item(
    item: WorkItem,
    data: bytes,
    out_dir: Path,
    rules: Sequence[str] | None,
    max_share: float,
    templates: SiteTemplates | None = None,
    cached: dict[str, Any] | None = None,
) -> Outcome:
    title = item.title
    dom_removals: list[dict[str, str]] = []
    extract_flags: list[str] = []
    decoded, encoding = document_text(item, data)
    del data
    if not decoded.strip():
        raise InputError("skipped", "empty document")
    if item.format in ("html", "jsonl-html"):
        if len(decoded) > MAX_HTML_CHARS:
            raise InputError("skipped", _too_long("HTML", len(decoded), MAX_HTML_CHARS))
        if cached is not None and cached.get("sha256") == item.sha256:
            if "error" in cached:
                raise ExtractError(cached["error"])
            extracted = Extracted(
                cached["title"], cached["text"], cached["dom_removals"], cached["flags"]
            )
        else:
            extracted = extract_html(decoded, item.url)
        text_in = extracted.text
        title = extracted.title or title
        dom_removals = list(extracted.dom_removals)
        extract_flags = list(extracted.flags)
    else:
        text_in = decoded
    del decoded
    if len(text_in) > MAX_CLEAN_CHARS:
        raise InputError("skipped", _too_long("text", len(text_in), MAX_CLEAN_CHARS))
    result = clean(
        text_in, item.source, title=title, rules=rules, max_share=max_share, templates=templates
    )
    out_bytes = result.text.encode("utf-8")
    path = output_path(out_dir, item.id)
    write_atomic(path, out_bytes)
    status = "cleaned" if result.removals or dom_removals else "unchanged"
    flags = [*extract_flags, *result.flags]
    row = manifest_row(
        id=item.id,
        input=item.input,
        line=item.line,
        format=item.format,
        encoding=encoding,
        source=item.source,
        url=item.url,
        title=title,
        status=status,
        chars_in=len(text_in),
        chars_out=len(result.text),
        removals=len(result.removals),
        held_removals=len(result.held_removals),
        dom_removals=len(dom_removals),
        flags=flags,
        sha256_in=item.sha256,
        sha256_out=hashlib.sha256(out_bytes).hexdigest(),
        output=f"{CLEAN_DIR}/{item.id}.txt",
    )
    record = _record(row, text_in)
    record["removals"] = [r.to_dict() for r in result.removals]
    record["held_removals"] = [r.to_dict() for r in result.held_removals]
    record["dom_removals"] = dom_removals
    digest = document_digest(item, None, text_in, templates)
    return Outcome(row, record, len(out_bytes), digest)


def _too_long(what: str, chars: int, limit: int) -> str:
    million = 1_000_000
    return (
        f"too long to clean: {chars / million:.1f} M characters of {what}"
        f" > {limit / million:.0f} M limit"
    )


def _not_processed(item: WorkItem, status: str, reason: str) -> Outcome:
    row = manifest_row(
        id=item.id,
        input=item.input,
        line=item.line,
        format=item.format,
        source=item.source,
        url=item.url,
        title=item.title,
        status=status,
        reason=reason if status == "skipped" else None,
        error=reason if status == "failed" else None,
        chars_in=0,
        chars_out=0,
        removals=0,
        held_removals=0,
        dom_removals=0,
        flags=[],
        sha256_in=item.sha256,
    )
    return Outcome(row, _record(row, ""))


DETAIL_KEYS = ("removals", "held_removals", "dom_removals")
"""Parts of a report record the state keeps, so that reruns report reused documents fully."""


def _reused(item: WorkItem, data: bytes) -> Outcome:
    """The earlier row and removals; the text is decoded again for the report (cheap), but
    HTML is not extracted again: its record keeps only the DOM removals (no spans)."""
    previous = item.previous or {}
    earlier = previous.get("row", {})
    details = previous.get("details", {})
    row = manifest_row(**{k: v for k, v in earlier.items() if k != "id"}, id=item.id)
    row["status"] = "reused"
    row["reason"] = f"input unchanged since an earlier run ({earlier.get('status')}); output kept"
    row["input"], row["line"] = item.input, item.line
    text_in = ""
    if item.format in ("txt", "jsonl"):
        try:
            text_in = document_text(item, data)[0]
        except InputError:
            text_in = ""
    record = _record(row, text_in)
    if text_in and len(text_in) == row["chars_in"]:
        record["removals"] = details.get("removals", [])
        record["held_removals"] = details.get("held_removals", [])
    record["dom_removals"] = details.get("dom_removals", [])
    return Outcome(row, record, previous.get("bytes_out"), details.get("templates"))


def _record(row: dict[str, Any], text_in: str) -> dict[str, Any]:
    """The report record for a row (removal lists empty unless the caller fills them)."""
    return {
        "id": row["id"],
        "input": row["input"] if row["line"] is None else f"{row['input']}:{row['line']}",
        "format": row["format"],
        "source": row["source"],
        "url": row["url"],
        "title": row["title"],
        "status": row["status"],
        "reason": row["reason"] or row["error"],
        "flags": row["flags"],
        "chars_in": row["chars_in"],
        "chars_out": row["chars_out"],
        "output": row["output"],
        "text_in": text_in,
        "removals": [],
        "held_removals": [],
        "dom_removals": [],
    }
