"""The templates pass of a run: count lines per source, keep the counts, build the templates.

Pure of Prefect (the flow submits :func:`count_items` per batch and merges in the driver).

Everything lives in ``DIR/templates/``:

- ``.counts.sqlite``: the count table per source (:class:`cleaners.templates.SourceCounts`
  as JSON) and the documents already counted (id and input sha256), committed together at
  the end of the pass, so a killed run counts nothing twice and a later run adds only what it
  has not seen: a small hourly run decides with everything earlier runs counted;
- ``<slug>.json`` per source, for people: documents counted, the decided templates with their
  counts, position and examples, the lines the rules file vetoed, and the nearest misses with
  the reason they are not templates. Rewritten by every run from the counts;
- ``rules.toml``: the user's vetoes and pins (created with a header on the first run; see
  docs/templates.md).

A document whose input changed under the same id is counted again (its earlier version's
lines stay counted); documents that left the inputs stay counted. Both only move counts.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from cleaners.templates import (
    COUNTS_VERSION,
    PREFIX_MARK,
    THRESHOLDS,
    SiteTemplates,
    SourceCounts,
    SourceRules,
    TemplateTable,
    decide,
    is_name_key,
    is_prefix,
    normalise,
    parse_rules,
    template_category,
    why_not,
)
from flows.extract import ExtractError, extract_html
from flows.sources import InputError, WorkItem, document_text, iter_items, read_input
from flows.store import atomic_open

try:  # a dependency of Prefect's: several times faster on the stored counts (tens of MB)
    import orjson
except ImportError:  # pragma: no cover
    orjson = None

TEMPLATES_DIR = "templates"
RULES_FILE = "rules.toml"
COUNTS_FILE = ".counts.sqlite"
NEAR_MISSES = 15
"""Undecided keys shown per source file (the most documents first)."""

RULES_HEADER = """\
# decruft per-source rules (docs/templates.md). Lines match after normalisation: case,
# punctuation, digits and dates do not matter. For example:
#
# [source."Politico"]
# veto = ["Story Continued Below"]   # never remove these learned lines
# pin = ["Follow Politico"]          # always remove these lines for this source
# veto_rules = ["tip_line_v2"]       # rules not to run for this source
"""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS counted (id TEXT PRIMARY KEY, sha256 TEXT NOT NULL, source TEXT);
CREATE TABLE IF NOT EXISTS sources (source TEXT PRIMARY KEY, counts TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def _dumps(value: Any) -> str:
    """JSON of the stored counts (the same values as ``json.dumps``; UTF-8 as is)."""
    if orjson is not None:
        try:
            return orjson.dumps(value).decode("utf-8")
        except TypeError:  # what orjson refuses (a lone surrogate): the standard library
            pass
    return json.dumps(value, ensure_ascii=False)


def _loads(text: str) -> Any:
    return orjson.loads(text) if orjson is not None else json.loads(text)


class RulesError(ValueError):
    """``rules.toml`` does not parse; the message says where and why."""


def count_items(
    items: Sequence[WorkItem],
    counted: Mapping[str, str],
    max_chars: int,
    max_html: int,
    extracted_path: Path | None = None,
) -> tuple[TemplateTable, list[tuple[str, str, str]]]:
    """Count a batch's documents (a worker's part): ``(table, [(id, sha256, source)])``.

    Skips documents already counted with the same input (``counted``: id -> sha256), inputs
    without a source, and anything that cannot be read or is too long (its clean says why).
    HTML is extracted as the clean pass extracts it; with ``extracted_path`` the extractions
    (or their errors) are written there for the clean pass of the same batch
    (:func:`read_extracted`), so a page is extracted once per run.
    """
    table = TemplateTable()
    newly: list[tuple[str, str, str]] = []
    cache: list[dict[str, Any]] = []
    for item in items:
        if item.status is not None or not item.source:
            continue
        try:
            data = read_input(item)
            if item.sha256 is None or counted.get(item.id) == item.sha256:
                continue
            text = document_text(item, data)[0]
            del data
            if item.format in ("html", "jsonl-html"):
                if len(text) > max_html:
                    continue
                try:
                    extracted = extract_html(text, item.url)
                except ExtractError as exc:
                    cache.append({"id": item.id, "sha256": item.sha256, "error": str(exc)})
                    continue
                text = extracted.text
                cache.append(
                    {
                        "id": item.id,
                        "sha256": item.sha256,
                        "title": extracted.title,
                        "text": extracted.text,
                        "dom_removals": extracted.dom_removals,
                        "flags": extracted.flags,
                    }
                )
        except (InputError, ExtractError, RecursionError, MemoryError):
            continue
        except Exception:  # the clean pass reports it; counting goes on
            continue
        if not text.strip() or len(text) > max_chars:
            continue
        table.add(item.source, text)
        newly.append((item.id, item.sha256, item.source))
    if extracted_path is not None and cache:
        with atomic_open(extracted_path) as fh:
            fh.writelines(json.dumps(entry, ensure_ascii=False) + "\n" for entry in cache)
    return table, newly


def inputs(source: str, exclude: Path) -> Iterator[WorkItem]:
    """The templates pass's own walk of the inputs (the clean pass walks them again): the
    same items in the same order."""
    return iter_items(source, exclude=exclude)


def read_extracted(path: Path | None) -> dict[str, dict[str, Any]]:
    """``{id: extraction}`` a count pass wrote for a batch (empty when there is none)."""
    if path is None:
        return {}
    try:
        with path.open(encoding="utf-8") as fh:
            entries = [json.loads(line) for line in fh if line.strip()]
    except (OSError, ValueError):
        return {}
    return {entry["id"]: entry for entry in entries}


def slug(source: str) -> str:
    """A file name for a source: lower-case letters, digits and dashes, and a short hash
    of the exact name (``Politico`` -> ``politico-6a2ad4b1``)."""
    base = re.sub(r"[^a-z0-9]+", "-", source.casefold()).strip("-")[:60] or "source"
    return f"{base}-{hashlib.sha1(source.encode('utf-8')).hexdigest()[:8]}"


class TemplateStore:
    """``DIR/templates``: the counts, the counted documents, the rules, the readable files."""

    def __init__(self, out_dir: Path):
        self.dir = Path(out_dir) / TEMPLATES_DIR
        self.dir.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.dir / COUNTS_FILE)
        self.db.executescript(_SCHEMA)
        row = self.db.execute("SELECT value FROM meta WHERE name = 'version'").fetchone()
        if row is None or row[0] != str(COUNTS_VERSION):
            # counts of another form cannot be added to: count every input again
            with self.db:
                self.db.execute("DELETE FROM sources")
                self.db.execute("DELETE FROM counted")
                self.db.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('version', ?)", (str(COUNTS_VERSION),)
                )
        # Ids counted by this pass wait on disk, not in the driver's memory, until add() commits
        # them with the counts (a temporary table: gone with the connection, never half-saved).
        self.db.execute("PRAGMA temp_store = FILE")
        self.db.execute(
            "CREATE TEMP TABLE IF NOT EXISTS staged (id TEXT PRIMARY KEY, sha256 TEXT, source TEXT)"
        )
        self.staged = 0

    @property
    def rules_path(self) -> Path:
        return self.dir / RULES_FILE

    def counted(self, ids: Iterable[str]) -> dict[str, str]:
        """``{id: sha256}`` of the given ids already counted."""
        found: dict[str, str] = {}
        for doc_id in ids:
            row = self.db.execute("SELECT sha256 FROM counted WHERE id = ?", (doc_id,)).fetchone()
            if row is not None:
                found[doc_id] = row[0]
        return found

    def load(self) -> TemplateTable:
        table = TemplateTable()
        for source, counts in self.db.execute("SELECT source, counts FROM sources"):
            table.sources[source] = SourceCounts.from_compact(_loads(counts))
        return table

    def stage(self, newly: Sequence[tuple[str, str, str]]) -> None:
        """Set aside ``(id, sha256, source)`` of documents a batch counted, for :meth:`add`."""
        self.db.executemany("INSERT OR REPLACE INTO temp.staged VALUES (?, ?, ?)", newly)
        self.staged += len(newly)

    def add(self, table: TemplateTable) -> TemplateTable:
        """Add a pass's counts to the stored ones and commit them with the staged ids, at
        once; returns the whole table (``table`` itself becomes part of it)."""
        whole = self.load()
        if not self.staged:
            return whole
        for source, counts in table.sources.items():
            stored = whole.sources.get(source)
            if stored is None:
                whole.sources[source] = counts
            else:
                stored.merge(counts)
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO sources VALUES (?, ?)",
                ((s, _dumps(whole.sources[s].to_compact())) for s in sorted(table.sources)),
            )
            self.db.execute("INSERT OR REPLACE INTO counted SELECT id, sha256, source FROM staged")
            self.db.execute("DELETE FROM temp.staged")
        self.staged = 0
        return whole

    def rules(self) -> dict[str, SourceRules]:
        """The rules file (written with a header when missing); raises :class:`RulesError`."""
        path = self.rules_path
        if not path.exists():
            with atomic_open(path) as fh:
                fh.write(RULES_HEADER)
            return {}
        try:
            return parse_rules(path.read_text("utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise RulesError(f"{path}: {exc}") from None

    def close(self) -> None:
        self.db.close()

    def write_files(
        self, table: TemplateTable, site: Mapping[str, SiteTemplates], rules: Mapping[str, Any]
    ) -> dict[str, dict[str, Any]]:
        """Write ``<slug>.json`` per source; returns the report's view of every source that
        has templates: ``{source: {file, documents, digest, templates: [...]}}``."""
        summary: dict[str, dict[str, Any]] = {}
        for source in sorted(set(table.sources) | set(site)):
            counts = table.sources.get(source) or SourceCounts()
            templates = site.get(source) or SiteTemplates(source)
            body = source_file(source, counts, templates, rules.get(source) or SourceRules())
            name = f"{slug(source)}.json"
            text = json.dumps(body, ensure_ascii=False, indent=1) + "\n"
            path = self.dir / name
            try:
                same = path.read_text("utf-8") == text
            except OSError:
                same = False
            if not same:
                with atomic_open(path) as fh:
                    fh.write(text)
            if templates:
                summary[source] = {
                    "file": f"{TEMPLATES_DIR}/{name}",
                    "documents": counts.documents,
                    "digest": templates.digest(),
                    "veto_rules": list(templates.veto_rules),
                    "templates": body["templates"],
                }
        return summary


def display(key: str, count: Any) -> str:
    """How a template reads to people: its first example; an opening as the example's first
    words and ``…`` (``Enlarge this image …``); a name key as itself (``follow <n> on <n>``)."""
    if is_name_key(key) or count is None or not count.examples:
        return key
    example = count.examples[0]
    if not is_prefix(key):
        return example
    wanted = key[: -len(PREFIX_MARK)].count(" ") + 1
    taken: list[str] = []
    words = 0
    for token in example.split():
        if words >= wanted:
            break
        taken.append(token)
        words += len(normalise(token).split())
    return " ".join(taken) + PREFIX_MARK


def source_file(
    source: str, counts: SourceCounts, templates: SiteTemplates, rules: SourceRules
) -> dict[str, Any]:
    """The readable record of one source's templates (``DIR/templates/<slug>.json``)."""
    documents = counts.documents
    decided = decide(counts, source=source)
    rows = []
    for key, line in templates.lines.items():
        count = counts.lines.get(key)
        rows.append(
            {
                "line": display(key, count),
                "key": key,
                "docs": line.docs,
                "share": round(line.docs / documents, 4) if documents else 0.0,
                "head": count.head if count else 0,
                "tail": count.tail if count else 0,
                "middle": count.middle if count else 0,
                "category": template_category(key),
                "opening": is_prefix(key),
                "pinned": line.pinned,
                "examples": list(count.examples) if count else [],
            }
        )
    rows.sort(key=lambda r: (-r["docs"], r["key"]))
    vetoed = [
        {"key": key, "docs": decided[key].docs, "examples": list(decided[key].examples)}
        for key in sorted(decided)
        if key in rules.veto
    ]
    misses = sorted(
        ((k, c) for k, c in counts.lines.items() if k not in decided and c.docs >= 2),
        key=lambda kv: (-kv[1].docs, kv[0]),
    )[:NEAR_MISSES]
    return {
        "source": source,
        "documents": documents,
        "learns": documents >= THRESHOLDS.min_source_docs,
        "digest": templates.digest(),
        "thresholds": THRESHOLDS.to_json(),
        "veto_rules": list(templates.veto_rules),
        "templates": rows,
        "vetoed": vetoed,
        "not_templates": [
            {
                "line": c.examples[0] if c.examples else k,
                "key": k,
                "docs": c.docs,
                "share": round(c.docs / documents, 4) if documents else 0.0,
                "why_not": why_not(k, c, documents, source=source),
            }
            for k, c in misses
        ],
        "keys_counted": len(counts.lines),
    }


def build_templates(
    table: TemplateTable, rules: Mapping[str, SourceRules]
) -> dict[str, SiteTemplates]:
    """Every source's :class:`SiteTemplates` (counted sources and sources the rules name)."""
    out: dict[str, SiteTemplates] = {}
    for source in sorted(set(table.sources) | set(rules)):
        templates = SiteTemplates.build(source, table.sources.get(source), rules.get(source))
        if templates:
            out[source] = templates
    return out


def document_digest(item: WorkItem, data: bytes | None, text: str | None, site: Any) -> str | None:
    """What a document's output depends on in its source's templates, for reuse: the matched
    lines of its text (``d:``) for text inputs, the source's whole digest (``s:``) for HTML
    (its text is known only after extraction). None without templates."""
    if not site:
        return None
    if item.format in ("txt", "jsonl"):
        if text is None:
            if data is None:
                return None
            text = document_text(item, data)[0]
        return "d:" + site.document_digest(text)
    return "s:" + site.digest()


__all__ = [
    "TemplateStore",
    "build_templates",
    "count_items",
    "document_digest",
    "inputs",
    "read_extracted",
    "slug",
]
