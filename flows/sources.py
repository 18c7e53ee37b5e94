"""Reading inputs: discover files, turn them into work items, decode bytes to text.

A SOURCE is a file or a folder (walked recursively, sorted, hidden entries and the output
folder left out). Formats by suffix: ``.txt``, ``.html``/``.htm`` and ``.jsonl``, each
optionally ``.gz``-compressed. :func:`iter_items` is a generator: one :class:`WorkItem` per
input document, never the whole corpus in memory.

Reading here is cheap and sequential (bytes and a hash); decoding, decompressing and
extraction happen later, in the batch tasks, through :func:`decode_text` and
:func:`decompress`. Anything wrong with an input becomes an item with ``status`` and
``reason`` set, so that every input gets a manifest row.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import os
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

MAX_DOCUMENT_BYTES = 16 * 1024 * 1024
"""Largest document read (a file, a decompressed file or one JSONL line): news pages are KBs."""

FORMATS = {".txt": "txt", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}

_ID_PART_MAX = 120
_UNSAFE_ID_CHARS = re.compile(r"[^\w.\-]+")
_ID_SEPARATORS = re.compile(r"[\\/]+")


class InputError(Exception):
    """An input that cannot become a document; ``status`` is ``skipped`` or ``failed``."""

    def __init__(self, status: str, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(slots=True)
class WorkItem:
    """One input document as read from disk, before decoding and cleaning.

    ``raw`` holds the file's bytes (possibly gzip-compressed) for txt and html files;
    JSONL documents carry their ``text`` or ``html`` field instead. ``sha256`` is the hash
    of the input bytes (the file, or the JSONL line). ``status``/``reason`` are set when the
    input was already found unusable while reading.
    """

    id: str
    input: str
    format: str
    line: int | None = None
    compressed: bool = False
    source: str | None = None
    url: str | None = None
    title: str | None = None
    raw: bytes | None = None
    text: str | None = None
    html: str | None = None
    sha256: str | None = None
    size: int = 0
    status: str | None = None
    reason: str | None = None
    previous: dict | None = None
    """The earlier run's manifest row when this input is unchanged (then it is reused)."""


# --- ids and sources -----------------------------------------------------------------------


def sanitize_id(raw_id: str) -> str:
    """A relative, safe path for ``clean/<id>.txt``: nothing can point outside the folder.

    Drops empty, ``.`` and ``..`` parts and leading slashes (absolute ids become relative),
    replaces characters other than letters, digits, ``.``, ``-`` and ``_`` by ``_``, strips
    leading dots (no hidden files) and shortens very long parts (keeping a hash suffix).
    """
    parts = []
    for part in _ID_SEPARATORS.split(raw_id):
        if part in ("", ".", ".."):
            continue
        safe = _UNSAFE_ID_CHARS.sub("_", part).lstrip(".") or "_"
        if len(safe.encode("utf-8")) > _ID_PART_MAX:
            digest = hashlib.sha256(part.encode("utf-8")).hexdigest()[:12]
            safe = safe.encode("utf-8")[: _ID_PART_MAX - 13].decode("utf-8", "ignore")
            safe = f"{safe}_{digest}"
        parts.append(safe)
    return "/".join(parts) or "_"


def split_format(name: str) -> tuple[str | None, bool, str]:
    """``(format, compressed, stem)`` of a file name; format None when unsupported."""
    lower = name.lower()
    compressed = lower.endswith(".gz")
    base = name[:-3] if compressed else name
    suffix = os.path.splitext(base)[1].lower()
    fmt = FORMATS.get(suffix)
    if fmt is None:
        return None, compressed, name
    return fmt, compressed, base[: -len(suffix)]


def host_of(url: str | None) -> str | None:
    """The URL's host, lower-cased, without a leading ``www.``."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host.removeprefix("www.")


def source_of(field: object, url: str | None, path: Path) -> str:
    """The site of a document: its ``source`` field, else the URL's host, else the folder."""
    if isinstance(field, str) and field.strip():
        return field.strip()
    return host_of(url) or _folder_name(path.parent)


@functools.lru_cache(maxsize=1024)
def _folder_name(folder: Path) -> str:
    return folder.resolve().name or "_"


# --- discovery -----------------------------------------------------------------------------


def discover(source: Path, exclude: Path | None = None) -> Iterator[Path]:
    """Files under ``source`` in a stable order, without hidden entries or ``exclude``."""
    if source.is_file():
        yield source
        return
    excluded = exclude.resolve() if exclude is not None else None
    for root, dirs, files in os.walk(source):
        root_path = Path(root)
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and (root_path / d).resolve() != excluded
        )
        for name in sorted(files):
            if not name.startswith("."):
                yield root_path / name


def estimate_documents(source: Path, exclude: Path | None = None) -> int:
    """About how many documents ``source`` holds (JSONL lines counted), for a progress bar."""
    if not source.exists():
        return 0
    total = 0
    for path in discover(source, exclude):
        fmt, compressed, _ = split_format(path.name)
        if fmt != "jsonl" or compressed:
            total += 1
            continue
        try:
            with path.open("rb") as fh:
                total += sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
        except OSError:
            total += 1
    return total


class _UniqueIds:
    """Makes document ids unique within a run (``a``, then ``a~2``, ``a~3``...)."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def __call__(self, doc_id: str) -> str:
        candidate, n = doc_id, 1
        while candidate in self.seen:
            n += 1
            candidate = f"{doc_id}~{n}"
        self.seen.add(candidate)
        return candidate


def iter_items(
    source: str | Path,
    exclude: Path | None = None,
    max_bytes: int = MAX_DOCUMENT_BYTES,
) -> Iterator[WorkItem]:
    """Every input document under ``source``, one :class:`WorkItem` each, streamed."""
    root = Path(source)
    if not root.exists():
        raise FileNotFoundError(f"source not found: {root}")
    base = root.parent if root.is_file() else root
    unique = _UniqueIds()
    for path in discover(root, exclude):
        rel = path.relative_to(base).as_posix()
        fmt, compressed, stem = split_format(path.name)
        rel_stem = path.parent.relative_to(base).joinpath(stem).as_posix()
        if fmt == "jsonl":
            yield from _jsonl_items(path, rel, rel_stem, compressed, unique, max_bytes)
        else:
            yield _file_item(path, rel, rel_stem, fmt, compressed, unique, max_bytes)


def _file_item(
    path: Path,
    rel: str,
    rel_stem: str,
    fmt: str | None,
    compressed: bool,
    unique: _UniqueIds,
    max_bytes: int,
) -> WorkItem:
    item = WorkItem(
        id=unique(sanitize_id(rel_stem if fmt else rel)),
        input=str(path),
        format=fmt or "unknown",
        compressed=compressed,
        source=source_of(None, None, path),
    )
    if fmt is None:
        return _mark(item, "skipped", f"unsupported format (suffix of {path.name!r})")
    try:
        with open(path, "rb") as fh:
            item.size = os.fstat(fh.fileno()).st_size
            if item.size > max_bytes:
                limit = f"{_mb(item.size)} > {_mb(max_bytes)} limit"
                return _mark(item, "skipped", f"too large: {limit}")
            item.raw = fh.read(max_bytes + 1)
    except OSError as exc:
        return _mark(item, "failed", f"unreadable: {exc.strerror or exc}")
    if len(item.raw) > max_bytes:  # grew while we looked
        item.raw = None
        return _mark(item, "skipped", f"too large: over the {_mb(max_bytes)} limit")
    item.sha256 = hashlib.sha256(item.raw).hexdigest()
    return item


def _jsonl_items(
    path: Path,
    rel: str,
    rel_stem: str,
    compressed: bool,
    unique: _UniqueIds,
    max_bytes: int,
) -> Iterator[WorkItem]:
    lineno = 0

    def error_item(status: str, reason: str, line: int | None) -> WorkItem:
        suffix = f"/{line}" if line is not None else ""
        return WorkItem(
            id=unique(sanitize_id(rel_stem + suffix)),
            input=str(path),
            format="jsonl",
            line=line,
            compressed=compressed,
            source=source_of(None, None, path),
            status=status,
            reason=reason,
        )

    opener = gzip.open if compressed else open
    try:
        with opener(path, "rb") as fh:
            try:
                for lineno, line, too_long in _bounded_lines(fh, max_bytes):
                    if too_long:
                        reason = f"line too large: over the {_mb(max_bytes)} limit"
                        yield error_item("skipped", reason, lineno)
                    elif line.strip():
                        yield _jsonl_item(path, rel_stem, lineno, line, compressed, unique)
            except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
                reason = f"broken gzip after line {lineno}: {exc}"
                yield error_item("failed", reason, lineno + 1)
    except OSError as exc:
        if lineno:
            yield error_item("failed", f"read error after line {lineno}: {exc}", lineno + 1)
        else:
            yield error_item("failed", f"unreadable: {exc.strerror or exc}", None)


def _bounded_lines(fh: BinaryIO, max_bytes: int) -> Iterator[tuple[int, bytes, bool]]:
    """``(line number, line, too long)``; a too-long line is consumed, never held."""
    lineno = 0
    while True:
        line = fh.readline(max_bytes + 1)
        if not line:
            return
        lineno += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = fh.readline(1 << 20)
            yield lineno, b"", True
        else:
            yield lineno, line, False


def _jsonl_item(
    path: Path,
    rel_stem: str,
    lineno: int,
    line: bytes,
    compressed: bool,
    unique: _UniqueIds,
) -> WorkItem:
    item = WorkItem(
        id="",
        input=str(path),
        format="jsonl",
        line=lineno,
        compressed=compressed,
        size=len(line),
        sha256=hashlib.sha256(line).hexdigest(),
        source=source_of(None, None, path),
    )
    try:
        obj = json.loads(line)
    except (ValueError, UnicodeDecodeError) as exc:
        item.id = unique(sanitize_id(f"{rel_stem}/{lineno}"))
        return _mark(item, "failed", f"malformed JSON on line {lineno}: {exc}")
    if not isinstance(obj, dict):
        item.id = unique(sanitize_id(f"{rel_stem}/{lineno}"))
        return _mark(item, "failed", f"line {lineno} is JSON but not an object")
    raw_id = obj.get("id")
    raw_id = str(raw_id) if raw_id not in (None, "") else str(lineno)
    item.id = unique(sanitize_id(f"{rel_stem}/{sanitize_id(raw_id)}"))
    url = obj.get("url")
    item.url = url if isinstance(url, str) and url else None
    item.source = source_of(obj.get("source"), item.url, path)
    title = obj.get("title")
    item.title = (title.strip() or None) if isinstance(title, str) else None
    text, html = obj.get("text"), obj.get("html")
    if isinstance(text, str):
        item.text = text
    elif isinstance(html, str):
        item.html = html
        item.format = "jsonl-html"
    else:
        return _mark(item, "failed", "no string 'text' or 'html' field")
    return item


def _mark(item: WorkItem, status: str, reason: str) -> WorkItem:
    item.status, item.reason = status, reason
    return item


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


# --- decoding (runs in the batch tasks) ---------------------------------------------------

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def decompress(raw: bytes, max_bytes: int = MAX_DOCUMENT_BYTES) -> bytes:
    """Gunzip at most ``max_bytes``; raises :class:`InputError` on a broken or huge file."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(raw, max_bytes + 1)
    except zlib.error as exc:
        raise InputError("failed", f"broken gzip: {exc}") from None
    if len(data) > max_bytes:
        raise InputError("skipped", f"too large after decompression: over {_mb(max_bytes)}")
    if not inflater.eof:
        raise InputError("failed", "broken gzip: truncated stream")
    return data


def decode_text(raw: bytes) -> tuple[str, str]:
    """``(text, encoding)``: UTF-8 first, else the encoding charset-normalizer detects.

    Raises :class:`InputError` for binary content (NUL bytes or many control characters)
    and for bytes no text encoding fits.
    """
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding), encoding
            except UnicodeDecodeError:
                break
    if b"\x00" in raw[:65536]:
        raise InputError("skipped", "binary content (NUL bytes)")
    try:
        text, encoding = raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        western = _mostly_ascii_cp1252(raw)
        if western is not None:
            text, encoding = western, "cp1252"
        else:
            from charset_normalizer import from_bytes

            best = from_bytes(raw).best()
            if best is None:
                raise InputError("failed", "undecodable: no text encoding fits the bytes") from None
            text, encoding = str(best), best.encoding
    sample = text[:65536]
    if sample and len(_CONTROL.findall(sample)) > 0.05 * len(sample):
        raise InputError("skipped", f"binary content (control characters, read as {encoding})")
    return text, encoding


def _mostly_ascii_cp1252(raw: bytes) -> str | None:
    """The text when ``raw`` reads as mostly-ASCII Windows-1252/Latin-1, else None.

    Western news in a legacy encoding is ASCII with a few accented letters and typographic
    quotes; on such short, sparse samples charset-normalizer often picks a Baltic or DOS code
    page. Texts in other scripts (Cyrillic in cp1251, Greek...) are mostly non-ASCII bytes
    and are left to charset-normalizer.
    """
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:  # bytes cp1252 leaves undefined
        return None
    high = sum(1 for b in raw if b >= 0x80)
    letters = sum(1 for c in text if c.isalpha())
    if letters and high <= 0.3 * letters and not _CONTROL.search(text):
        return text
    return None
