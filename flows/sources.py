"""Reading inputs: discover files, turn them into work items, decode bytes to text.

A SOURCE is a file or a folder (walked recursively, sorted, hidden entries and the output
folder left out). Formats by suffix: ``.txt``, ``.html``/``.htm`` and ``.jsonl``, each
optionally ``.gz``-compressed. :func:`iter_items` is a generator: one :class:`WorkItem` per
input document, never the whole corpus in memory.

Discovery hands out REFERENCES, not contents: a file item names its path, a JSONL item its
file, byte offset and length. The batch tasks (threads, or Dask workers on other machines
that see the same folders) read the bytes themselves through :func:`read_item`, so the
driver never holds or ships document texts. JSONL files are the exception that proves the
rule: the driver reads each line once to find where it ends and what its id is (ids must be
unique over the run, in input order), but passes on only the range; compressed JSONL (a gzip
stream cannot be entered at an offset) travels as the line's bytes.

Anything wrong with an input becomes an item with ``status`` and ``reason`` set, so that
every input gets a manifest row: unsupported names, symlinks leading out of the source
folder, symlink loops, FIFOs and devices, symlinked folders (not followed), files that are
too large, and, when read, unreadable or vanished files.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import os
import re
import stat
import unicodedata
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
    """One input document by reference: where its bytes are, not the bytes.

    A txt or html file is ``input`` (its path); a JSONL line is ``input`` with ``offset`` and
    ``length`` (bytes of the line in the file), or, for compressed JSONL, the line itself in
    ``raw``. ``raw`` may also be set directly (tests, callers with bytes in hand). ``sha256``
    is the hash of the input bytes (the file or the line): known up front for JSONL lines,
    computed by whoever reads a file. ``status``/``reason`` are set when the input was found
    unusable during discovery.
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
    offset: int | None = None
    length: int | None = None
    sha256: str | None = None
    size: int = 0
    status: str | None = None
    reason: str | None = None
    previous: dict | None = None
    """The earlier run's state for this id (row, output size, details); the reader reuses
    it when the input's sha256 is unchanged and the output is intact."""


# --- ids and sources -----------------------------------------------------------------------


def sanitize_id(raw_id: str) -> str:
    """A relative, safe path for ``clean/<id>.txt``: nothing can point outside the folder.

    Normalises to NFC (a name typed on one system and listed on another keeps its letters),
    drops empty, ``.`` and ``..`` parts and leading slashes (absolute ids become relative),
    replaces characters other than letters, digits, ``.``, ``-`` and ``_`` by ``_``, strips
    leading dots (no hidden files) and shortens very long parts (keeping a hash suffix).
    """
    parts = []
    for part in _ID_SEPARATORS.split(unicodedata.normalize("NFC", raw_id)):
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


@dataclass(frozen=True, slots=True)
class Entry:
    """A name found under the source: a path, and ``problem`` when it cannot be a document."""

    path: Path
    problem: tuple[str, str] | None = None
    """``(status, reason)`` for a symlink out of the source, a loop, a FIFO, a device..."""
    size: int = 0


def discover(source: Path, exclude: Path | None = None) -> Iterator[Path]:
    """Files under ``source`` in a stable order, without hidden entries or ``exclude``."""
    for entry in discover_entries(source, exclude):
        yield entry.path


def discover_entries(source: Path, exclude: Path | None = None) -> Iterator[Entry]:
    """Every non-hidden name under ``source`` (sorted, ``exclude`` left out), with problems.

    Symlinks are followed only when they lead to a regular file inside ``source``; symlinked
    folders are not walked (a loop, or the same files twice) but get an entry of their own,
    so that nothing under the source vanishes without a word.
    """
    if not source.is_dir():
        yield _check(source, None)
        return
    root = source.resolve()
    excluded = exclude.resolve() if exclude is not None else None
    for dirpath, dirs, files in os.walk(source):
        base = Path(dirpath)
        walk, linked = [], []
        for d in sorted(dirs):
            if d.startswith("."):
                continue
            path = base / d
            if path.is_symlink():
                linked.append(d)
            elif path.resolve() != excluded:
                walk.append(d)
        dirs[:] = walk
        names = sorted([*(f for f in files if not f.startswith(".")), *linked])
        for name in names:
            path = base / name
            if name in linked:
                yield Entry(path, ("skipped", "symlink to a folder: not followed"))
            else:
                yield _check(path, root)


def _check(path: Path, root: Path | None) -> Entry:
    """An entry for ``path``: fine when it is (or links to) a regular file inside ``root``."""
    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            target = path.resolve(strict=True)
            if root is not None and not target.is_relative_to(root):
                return Entry(path, ("skipped", "symlink leading outside the source folder"))
            info = target.stat()
    except RuntimeError:  # symlink loop (Path.resolve)
        return Entry(path, ("failed", "unreadable: symlink loop"))
    except OSError as exc:
        return Entry(path, ("failed", f"unreadable: {exc.strerror or exc}"))
    if not stat.S_ISREG(info.st_mode):
        return Entry(path, ("skipped", f"not a regular file ({_file_kind(info.st_mode)})"))
    return Entry(path, size=info.st_size)


def _file_kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISDIR, "a folder"),
    ):
        if test(mode):
            return name
    return "not a file"


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


def id_key(doc_id: str) -> str:
    """What two ids must not share: equal after Unicode normalisation and case folding.

    ``Café`` and ``cafe\u0301``, or ``A`` and ``a``, are different ids but the same file on a
    case-insensitive or normalising file system (macOS, Windows, many shares): a publication
    copied there would silently keep only one of them.
    """
    return unicodedata.normalize("NFC", doc_id).casefold()


class _UniqueIds:
    """Makes document ids unique within a run (``a``, then ``a~2``, ``a~3``...).

    Uniqueness is up to :func:`id_key`. Memory grows with the number of ids (a set of
    strings: about 100 bytes per document, 100 MB for a million).
    """

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def __call__(self, doc_id: str) -> str:
        candidate, n = doc_id, 1
        while id_key(candidate) in self.seen:
            n += 1
            candidate = f"{doc_id}~{n}"
        self.seen.add(id_key(candidate))
        return candidate


def iter_items(
    source: str | Path,
    exclude: Path | None = None,
    max_bytes: int = MAX_DOCUMENT_BYTES,
) -> Iterator[WorkItem]:
    """Every input document under ``source``, one :class:`WorkItem` (a reference) each."""
    root = Path(source)
    if not root.exists() and not root.is_symlink():
        raise FileNotFoundError(f"source not found: {root}")
    base = root.parent if not root.is_dir() else root
    unique = _UniqueIds()
    for entry in discover_entries(root, exclude):
        path = entry.path
        rel = path.relative_to(base).as_posix()
        fmt, compressed, stem = split_format(path.name)
        rel_stem = path.parent.relative_to(base).joinpath(stem).as_posix()
        if fmt == "jsonl" and entry.problem is None:
            yield from _jsonl_items(path, rel, rel_stem, compressed, unique, max_bytes)
            continue
        item = WorkItem(
            id=unique(sanitize_id(rel_stem if fmt else rel)),
            input=str(path),
            format=fmt or "unknown",
            compressed=compressed,
            source=source_of(None, None, path),
            size=entry.size,
        )
        if entry.problem is not None:
            yield _mark(item, *entry.problem)
        elif fmt is None:
            yield _mark(item, "skipped", f"unsupported format (suffix of {path.name!r})")
        elif entry.size > max_bytes:
            yield _mark(item, "skipped", f"too large: {_mb(entry.size)} > {_mb(max_bytes)} limit")
        else:
            yield item


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
                for lineno, offset, line, too_long in _bounded_lines(fh, max_bytes):
                    if too_long:
                        reason = f"line too large: over the {_mb(max_bytes)} limit"
                        yield error_item("skipped", reason, lineno)
                    elif line.strip():
                        item = _jsonl_item(path, rel_stem, lineno, line, compressed, unique)
                        if compressed:
                            item.raw = line
                        else:
                            item.offset, item.length = offset, len(line)
                        yield item
            except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
                reason = f"broken gzip after line {lineno}: {exc}"
                yield error_item("failed", reason, lineno + 1)
    except OSError as exc:
        if lineno:
            yield error_item("failed", f"read error after line {lineno}: {exc}", lineno + 1)
        else:
            yield error_item("failed", f"unreadable: {exc.strerror or exc}", None)


def _bounded_lines(fh: BinaryIO, max_bytes: int) -> Iterator[tuple[int, int, bytes, bool]]:
    """``(line number, byte offset, line, too long)``; a too-long line is consumed, never held."""
    lineno = 0
    offset = 0
    while True:
        line = fh.readline(max_bytes + 1)
        if not line:
            return
        lineno += 1
        start = offset
        offset += len(line)
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = fh.readline(1 << 20)
                offset += len(line)
            yield lineno, start, b"", True
        else:
            yield lineno, start, line, False


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
    if not isinstance(text, str):
        if not isinstance(html, str):
            return _mark(item, "failed", "no string 'text' or 'html' field")
        item.format = "jsonl-html"
    return item


def _mark(item: WorkItem, status: str, reason: str) -> WorkItem:
    item.status, item.reason = status, reason
    return item


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


# --- reading and decoding (runs in the batch tasks, wherever they run) -------------------


def read_input(item: WorkItem, max_bytes: int = MAX_DOCUMENT_BYTES) -> bytes:
    """The item's input bytes as stored (a ``.gz`` file still compressed); sets ``sha256``.

    Opens without blocking (a FIFO swapped in after discovery must not hang the run), reads
    only regular files and at most ``max_bytes``. Raises :class:`InputError`: unreadable or
    vanished files, too large, or a JSONL line that changed since discovery.
    """
    if item.raw is not None:
        data = item.raw
    else:
        data = _read_bytes(Path(item.input), item.offset, item.length, max_bytes)
    digest = hashlib.sha256(data).hexdigest()
    if item.sha256 is not None and item.sha256 != digest:
        raise InputError("failed", "input changed while the run was reading it")
    item.sha256 = digest
    item.size = len(data)
    return data


def _read_bytes(path: Path, offset: int | None, length: int | None, max_bytes: int) -> bytes:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InputError("failed", f"unreadable: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError("skipped", f"not a regular file ({_file_kind(info.st_mode)})")
        if offset is not None and length is not None:
            data = os.pread(fd, length, offset)
            if len(data) != length:
                raise InputError("failed", "input changed while the run was reading it")
            return data
        if info.st_size > max_bytes:
            raise InputError("skipped", f"too large: {_mb(info.st_size)} > {_mb(max_bytes)} limit")
        chunks, total = [], 0
        while total <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > max_bytes:  # grew since it was measured
            raise InputError("skipped", f"too large: over the {_mb(max_bytes)} limit")
        return b"".join(chunks)
    except OSError as exc:
        raise InputError("failed", f"unreadable: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def document_text(item: WorkItem, data: bytes) -> tuple[str, str | None]:
    """``(text or HTML, encoding)`` of an item's input bytes (from :func:`read_input`).

    A file is decompressed (bounded) and decoded; a JSONL line gives its ``text`` or ``html``
    field (JSON is UTF-8: no encoding to report). Raises :class:`InputError`.
    """
    if item.format in ("jsonl", "jsonl-html"):
        try:
            obj = json.loads(data)
        except (ValueError, UnicodeDecodeError) as exc:
            raise InputError("failed", f"malformed JSON on line {item.line}: {exc}") from None
        field = obj.get("html" if item.format == "jsonl-html" else "text")
        if not isinstance(field, str):
            raise InputError("failed", "no string 'text' or 'html' field")
        return field, None
    if item.compressed:
        data = decompress(data)
    if not data.strip():
        raise InputError("skipped", "empty file")
    return decode_text(data)


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
        utf16 = _utf16_without_bom(raw)
        if utf16 is None:
            raise InputError("skipped", "binary content (NUL bytes)")
        text, encoding = utf16
        if _CONTROL.search(text[:65536]):
            raise InputError("skipped", f"binary content (control characters, read as {encoding})")
        return text, encoding
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


def _utf16_without_bom(raw: bytes) -> tuple[str, str] | None:
    """``(text, encoding)`` when ``raw`` is UTF-16 without a byte order mark, else None.

    Text in a Latin script saved as UTF-16 has a NUL in every other byte (the high byte of
    each code unit) and almost none in between; binary data has NULs anywhere. Only that
    pattern is decoded: other NUL-bearing bytes stay binary.
    """
    sample = raw[:65536]
    if len(raw) % 2 or len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    for zeros, other, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros.count(0) >= 0.9 * len(zeros) and other.count(0) == 0:
            try:
                return raw.decode(encoding), encoding
            except UnicodeDecodeError:
                return None
    return None


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
