"""The report writer: streams document records to disk, then writes report.json and the pages.

Memory stays constant in the number of documents: :meth:`ReportWriter.add` appends the record
to a spool file and updates counters; :meth:`ReportWriter.add_part` takes a batch's records
as a part file a worker wrote (:func:`write_part`), with the same records minus their texts
for the counters. :meth:`ReportWriter.close` reads spools and parts once, in the order they
were given, and writes ``report.json``, the document pages (``docs/pNNNNN.html``, a few
documents per page) and ``index.html`` (summary, documents worth a look first, a filterable
document table).

Only documents with something to review (removals, or removals the guard held) carry their
text into ``report.json`` and the pages: for the others (unchanged, skipped, failed, HTML
with only widgets dropped) the page says so and links the clean text.
"""

from __future__ import annotations

import heapq
import json
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from cleaners.templates import line_key
from flows.report import render
from flows.report.render import esc
from flows.store import atomic_open, make_publishable

SCHEMA_VERSION = 2
DOCS_PER_PAGE = 25
"""Documents per page of the per-document view (measured: see docs/review.md)."""
ROWS_PER_INDEX_PAGE = 100
ROWS_PER_SHARD = 2000
"""Index rows per ``rows/rNNNNN.js`` file (about 250 KB): the index page itself holds none,
so it stays the same size at a thousand or a million documents."""
RARE_RULE_DOCS = 3
"""A rule that fired in at most this many documents is 'rare': its documents are worth a look."""
ATTENTION_PER_KIND = 25
LARGE_SHARE = 0.05
"""Documents losing at least this share of their characters can be 'worth a look'."""
RARE_RULE_MIN_RUN = 100
"""Rare rules are only singled out in runs of at least this many documents."""
TEMPLATE_RULE = "site_template_v1"
"""The rule that removes learned site templates: its removals are counted per line."""
GUARD_FLAG = "over_removal"
"""The flag the over-removal guard sets when it holds a document's removals."""


def _json_line(value: Any) -> str:
    """One line of JSON: also the Unicode line separators are escaped."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _span_chars(removals: list[dict[str, Any]]) -> int:
    total = 0
    for rm in removals:
        try:
            total += max(int(rm["end"]) - int(rm["start"]), 0)
        except (KeyError, TypeError, ValueError):
            continue
    return total


def write_part(path: Path, records: list[dict[str, Any]]) -> None:
    """A batch's report records, one JSON line each, written atomically (by a worker)."""
    with atomic_open(path) as fh:
        fh.writelines(_json_line(rec) + "\n" for rec in records)


def has_review(rec: dict[str, Any]) -> bool:
    """True when the document's text is needed to review it (spans to show in place)."""
    return bool(rec.get("removals") or rec.get("held_removals"))


def _write_small(path: Path, text: str) -> None:
    """Write a small file atomically with the usual permissions."""
    with atomic_open(path) as fh:
        fh.write(text + "\n")


class _Stats:
    """Counters over all records: small, bounded by the number of rules, categories, sources."""

    def __init__(self) -> None:
        self.documents = 0
        self.by_status: Counter[str] = Counter()
        self.chars_in = 0
        self.chars_out = 0
        self.chars_removed = 0
        self.removals = 0
        self.held_removals = 0
        self.dom_removals = 0
        self.held_documents = 0
        self.by_rule: dict[str, dict[str, Any]] = {}
        self.by_category: dict[str, dict[str, int]] = {}
        self.by_source: dict[str, dict[str, int]] = {}
        self.rule_examples: dict[str, list[dict[str, Any]]] = {}
        self.guard: list[dict[str, Any]] = []
        self.failed: list[dict[str, Any]] = []
        self.largest: list[tuple[float, int, dict[str, Any]]] = []
        self.template_removals: Counter[tuple[str, str]] = Counter()
        """(source, template key) -> removals (and held removals) in this run."""

    def add(self, seq: int, rec: dict[str, Any]) -> None:
        status = str(rec.get("status") or "unknown")
        removals = rec.get("removals") or []
        held = rec.get("held_removals") or []
        dom = rec.get("dom_removals") or []
        chars_in = int(rec.get("chars_in") or 0)
        removed = _span_chars(removals)
        self.documents += 1
        self.by_status[status] += 1
        self.chars_in += chars_in
        self.chars_out += int(rec.get("chars_out") or 0)
        self.chars_removed += removed
        self.removals += len(removals)
        self.held_removals += len(held)
        self.dom_removals += len(dom)
        ref = {
            "seq": seq,
            "id": rec.get("id"),
            "title": rec.get("title"),
            "status": status,
            "source": rec.get("source"),
        }
        source = self.by_source.setdefault(
            str(rec.get("source") or ""),
            {"documents": 0, "removals": 0, "chars_in": 0, "chars_removed": 0},
        )
        source["documents"] += 1
        source["removals"] += len(removals)
        source["chars_in"] += chars_in
        source["chars_removed"] += removed
        seen_rules: set[str] = set()
        seen_cats: set[str] = set()
        for rm, is_held in (
            [(r, False) for r in removals] + [(r, True) for r in held] + [(r, False) for r in dom]
        ):
            rule, cat = str(rm.get("rule")), str(rm.get("category"))
            if rule == TEMPLATE_RULE:
                key = line_key(str(rm.get("text") or "").strip())
                if key:
                    self.template_removals[(str(rec.get("source") or ""), key)] += 1
            chars = _span_chars([rm]) if "start" in rm else len(str(rm.get("text") or ""))
            entry = self.by_rule.setdefault(
                rule,
                {"category": cat, "removals": 0, "held": 0, "documents": 0, "chars": 0},
            )
            entry["held" if is_held else "removals"] += 1
            entry["chars"] += chars
            cat_entry = self.by_category.setdefault(
                cat, {"removals": 0, "held": 0, "documents": 0, "chars": 0}
            )
            cat_entry["held" if is_held else "removals"] += 1
            cat_entry["chars"] += chars
            if rule not in seen_rules:
                seen_rules.add(rule)
                entry["documents"] += 1
                examples = self.rule_examples.setdefault(rule, [])
                if len(examples) < RARE_RULE_DOCS:
                    examples.append(ref)
            if cat not in seen_cats:
                seen_cats.add(cat)
                cat_entry["documents"] += 1
        if held or any(str(f).startswith(GUARD_FLAG) for f in rec.get("flags") or []):
            self.held_documents += 1
            if len(self.guard) < ATTENTION_PER_KIND:
                self.guard.append({**ref, "share": _span_chars(held) / max(chars_in, 1)})
        if status == "failed" and len(self.failed) < ATTENTION_PER_KIND:
            self.failed.append({**ref, "reason": rec.get("reason")})
        if removed and removed / max(chars_in, 1) >= LARGE_SHARE:
            item = (removed / max(chars_in, 1), -seq, {**ref, "share": removed / max(chars_in, 1)})
            if len(self.largest) < ATTENTION_PER_KIND:
                heapq.heappush(self.largest, item)
            elif item > self.largest[0]:
                heapq.heapreplace(self.largest, item)

    def attention(self) -> list[dict[str, Any]]:
        """Documents worth a look first, one entry per document with every reason why."""
        rare_max = min(RARE_RULE_DOCS, self.documents // 100)
        reasons: list[tuple[dict[str, Any], str]] = [
            (d, "over-removal guard held its removals") for d in self.guard
        ]
        reasons += [
            (d, f"large share removed ({d['share']:.0%})")
            for _share, _seq, d in sorted(self.largest, reverse=True)
        ]
        for rule, entry in sorted(self.by_rule.items()):
            if self.documents >= RARE_RULE_MIN_RUN and entry["documents"] <= rare_max:
                reasons += [
                    (d, f"rare rule {rule} ({entry['documents']} document(s))")
                    for d in self.rule_examples.get(rule, [])
                ]
        reasons += [(d, f"failed: {d.get('reason') or ''}") for d in self.failed]
        merged: dict[int, dict[str, Any]] = {}
        for ref, why in reasons:
            entry = merged.setdefault(ref["seq"], {**ref, "why": []})
            entry["why"].append(why)
        return [{**e, "why": "; ".join(e["why"])} for e in merged.values()]

    def to_json(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "by_status": dict(sorted(self.by_status.items())),
            "chars_in": self.chars_in,
            "chars_out": self.chars_out,
            "chars_removed": self.chars_removed,
            "removals": self.removals,
            "held_removals": self.held_removals,
            "held_documents": self.held_documents,
            "dom_removals": self.dom_removals,
            "by_rule": dict(sorted(self.by_rule.items())),
            "by_category": dict(sorted(self.by_category.items())),
            "by_source": dict(sorted(self.by_source.items())),
        }


class _Shards:
    """Index rows written to ``rows/rNNNNN.js`` files as they come, with a summary of each
    (which statuses, rules and categories it holds) for the index page to skip by."""

    def __init__(self, folder: Path, statuses: list[str], size: int = ROWS_PER_SHARD):
        self.folder = folder
        self.size = size
        self.statuses = statuses
        self._status_ix = {s: i for i, s in enumerate(statuses)}
        self.summaries: list[dict[str, Any]] = []
        self._rows: list[list[Any]] = []

    def add(self, row: list[Any]) -> None:
        row[4] = self._status_ix.get(row[4], -1)
        self._rows.append(row)
        if len(self._rows) >= self.size:
            self._flush()

    def _flush(self) -> None:
        if not self._rows:
            return
        number = len(self.summaries)
        rows, self._rows = self._rows, []
        self.summaries.append(
            {
                "n": len(rows),
                "st": sorted({r[4] for r in rows}),
                "ru": sorted({i for r in rows for i in r[8]}),
                "ca": sorted({i for r in rows for i in r[9]}),
                "held": 1 if any(r[10] for r in rows) else 0,
            }
        )
        with (self.folder / f"r{number + 1:05d}.js").open("w", encoding="utf-8") as fh:
            fh.write(f"decruftRows({number},[")
            fh.write(",".join(render.json_for_html(r) for r in rows))
            fh.write("]);\n")

    def close(self) -> None:
        self._flush()


class ReportWriter:
    """Streams document records to disk, then writes report.json, index.html and the pages."""

    def __init__(
        self,
        report_dir: Path,
        run_info: dict[str, Any],
        *,
        docs_per_page: int = DOCS_PER_PAGE,
    ):
        self.dir = Path(report_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.run_info = dict(run_info)
        self.docs_per_page = max(1, int(docs_per_page))
        self._stats = _Stats()
        self._segments: list[Path] = []
        """Spools and parts, in order: their lines are the documents, in run order."""
        self._spools: list[Path] = []
        self._spool: TextIO | None = None
        self.review: dict[str, Any] | None = None
        """Set before :meth:`close`: the run's review id, run id and review key (see
        :mod:`flows.review`); the pages show the id and sign exported decisions with the key."""
        self.attention: list[dict[str, Any]] = []
        """After :meth:`close`: the documents worth a look first (for the run's artifacts)."""
        self.templates: dict[str, Any] | None = None
        """Set before :meth:`close` by a run that learned site templates: ``{"counted_now",
        "sources": {source: {file, documents, digest, veto_rules, templates: [...]}}}``."""

    def add(self, record: dict[str, Any]) -> None:
        """Record one document (any order; written to disk at once, not kept in memory)."""
        seq = self._stats.documents
        self._stats.add(seq, record)
        if self._spool is None:
            path = self.dir / f".records-{len(self._segments):07d}.jsonl"
            self._spool = path.open("w", encoding="utf-8")
            self._spools.append(path)
            self._segments.append(path)
        self._spool.write(_json_line(record) + "\n")

    def add_part(self, part: Path, records: list[dict[str, Any]]) -> None:
        """Record a batch: ``part`` holds its records (:func:`write_part`), ``records`` the
        same in the same order, their texts left out (for the counters)."""
        self._end_spool()
        for record in records:
            self._stats.add(self._stats.documents, record)
        self._segments.append(Path(part))

    def _end_spool(self) -> None:
        if self._spool is not None:
            self._spool.close()
            self._spool = None

    def abort(self) -> None:
        """Stop without writing anything (the previous report stays as it was)."""
        self._end_spool()
        for path in self._spools:
            path.unlink(missing_ok=True)

    def _records(self) -> Iterator[str]:
        for segment in self._segments:
            with segment.open(encoding="utf-8") as fh:
                yield from fh

    def _page_href(self, seq: int) -> str:
        return f"p{seq // self.docs_per_page + 1:05d}.html"

    def close(self, summary: dict[str, Any]) -> dict[str, Path]:
        """Write everything; returns the paths of report.json and index.html."""
        self._end_spool()
        stats = self._stats
        rules = sorted(stats.by_rule)
        categories = sorted(stats.by_category)
        sources = sorted(stats.by_source)
        rule_ix = {r: i for i, r in enumerate(rules)}
        cat_ix = {c: i for i, c in enumerate(categories)}
        source_ix = {s: i for i, s in enumerate(sources)}
        attention = [
            {**a, "page": "docs/" + self._page_href(a["seq"]) + f"#d{a['seq']}"}
            for a in stats.attention()
        ]
        pages = max(1, -(-stats.documents // self.docs_per_page))
        self.attention = attention

        report_json = self.dir / "report.json"
        index_html = self.dir / "index.html"
        docs_new = Path(tempfile.mkdtemp(dir=self.dir, prefix=".docs-new-"))
        rows_new = Path(tempfile.mkdtemp(dir=self.dir, prefix=".rows-new-"))
        shards = _Shards(rows_new, statuses=sorted(stats.by_status))
        fd, json_tmp = tempfile.mkstemp(dir=self.dir, prefix=".report.json.", suffix=".tmp")
        page_out: TextIO | None = None
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                head = {
                    "schema_version": SCHEMA_VERSION,
                    "generator": "decruft",
                    "run": self.run_info,
                    "review": self._review_public(),
                    "summary": summary,
                    "stats": stats.to_json(),
                    "attention": attention,
                    "layout": {"docs_per_page": self.docs_per_page, "pages": pages},
                    "templates": self._templates_json(),
                }
                out.write(_json_line(head)[:-1] + ', "documents": [\n')
                for seq, line in enumerate(self._records()):
                    rec = json.loads(line)
                    if not has_review(rec):
                        rec["text_in"] = None
                    page_no = seq // self.docs_per_page + 1
                    href = self._page_href(seq)
                    if seq % self.docs_per_page == 0:
                        if page_out is not None:
                            page_out.write("</main>")
                            page_out.writelines(render.page_tail("doc.js"))
                            page_out.close()
                        page_out = (docs_new / href).open("w", encoding="utf-8")
                        page_out.writelines(self._doc_page_head(page_no, pages))
                    assert page_out is not None
                    page_out.write(render.document_article(rec, seq, f"d{seq}"))
                    doc = {"seq": seq, "page": f"docs/{href}#d{seq}", **rec}
                    out.write(("," if seq else "") + _json_line(doc) + "\n")
                    shards.add(self._index_row(rec, seq, href, rule_ix, cat_ix, source_ix))
                if page_out is not None:
                    page_out.write("</main>")
                    page_out.writelines(render.page_tail("doc.js"))
                    page_out.close()
                    page_out = None
                out.write("]}\n")
            shards.close()
            make_publishable(Path(json_tmp))
            os.replace(json_tmp, report_json)
            run_json = {k: v for k, v in head.items() if k != "attention"}
            _write_small(self.dir / "run.json", json.dumps(run_json, ensure_ascii=False, indent=1))
            self._swap_dir(docs_new, "docs")
            self._swap_dir(rows_new, "rows")
            self._write_index(index_html, shards, summary, attention, rules, categories, sources)
        finally:
            if page_out is not None:
                page_out.close()
            shards.close()
            Path(json_tmp).unlink(missing_ok=True)
            shutil.rmtree(docs_new, ignore_errors=True)
            shutil.rmtree(rows_new, ignore_errors=True)
            for spool in self._spools:
                spool.unlink(missing_ok=True)
        return {"json": report_json, "html": index_html}

    # --- pieces -----------------------------------------------------------------------------

    def _templates_json(self) -> dict[str, Any] | None:
        """The learned templates per source, each line with the removals it caused here."""
        if self.templates is None:
            return None
        counts = self._stats.template_removals
        sources = {}
        for source, info in sorted(self.templates.get("sources", {}).items()):
            lines = [
                {**line, "removals": counts.get((source, line["key"]), 0)}
                for line in info.get("templates", [])
            ]
            sources[source] = {**info, "templates": lines}
        return {"counted_now": self.templates.get("counted_now", 0), "sources": sources}

    def _templates_section(self) -> str:
        data = self._templates_json()
        if data is None:
            return ""
        parts = [
            "<section aria-labelledby=tpl-h><h2 id=tpl-h>Learned site templates</h2>",
            "<p class=note>Lines each source repeats across its documents, learned from every "
            "document counted so far (this run counted "
            f"{esc(data['counted_now'])} new ones). Removals are this run's; the document "
            f"table's rule filter <code>{TEMPLATE_RULE}</code> lists every document they "
            "touched. Veto or pin lines in <code>templates/rules.toml</code> "
            "(docs/templates.md).</p>",
        ]
        if not data["sources"]:
            parts.append("<p class=note>No source has templates yet.</p></section>\n")
            return "".join(parts)
        rows = []
        for source, info in data["sources"].items():
            documents = info.get("documents") or 0
            for line in info["templates"]:
                shown = f"{line['docs']} of {documents}" if not line.get("pinned") else "pinned"
                rows.append(
                    (
                        source or "(none)",
                        line.get("line") or line["key"],
                        shown,
                        (render.chip(line.get("category")), "cat"),
                        line["removals"],
                    )
                )
            if info.get("veto_rules"):
                rows.append((source, "rules not run: " + ", ".join(info["veto_rules"]), "", "", ""))
        parts.append(
            render.table(
                ["source", "line", "documents", "category", "removals"],
                rows,
                "Learned site templates per source",
            )
        )
        parts.append("</section>\n")
        return "".join(parts)

    def _review_public(self) -> dict[str, Any] | None:
        """The review's identity without its key (the key is only in the pages)."""
        if not self.review:
            return None
        return {k: v for k, v in self.review.items() if k != "key"}

    def _index_row(
        self,
        rec: dict[str, Any],
        seq: int,
        href: str,
        rule_ix: dict[str, int],
        cat_ix: dict[str, int],
        source_ix: dict[str, int],
    ) -> list[Any]:
        removals = rec.get("removals") or []
        held = rec.get("held_removals") or []
        every = [*removals, *held, *(rec.get("dom_removals") or [])]
        title = str(rec.get("title") or "")
        return [
            seq,
            str(rec.get("id")),
            title[:140],
            source_ix[str(rec.get("source") or "")],
            str(rec.get("status") or "unknown"),  # an index once in a shard
            len(removals),
            _span_chars(removals),
            int(rec.get("chars_in") or 0),
            sorted({rule_ix[str(r.get("rule"))] for r in every}),
            sorted({cat_ix[str(r.get("category"))] for r in every}),
            1 if held else 0,
            f"docs/{href}#d{seq}",
        ]

    def _doc_page_head(self, page_no: int, pages: int) -> Iterator[str]:
        prev_href = f"p{page_no - 1:05d}.html" if page_no > 1 else ""
        next_href = f"p{page_no + 1:05d}.html" if page_no < pages else ""
        attrs = f' data-prev="{prev_href}" data-next="{next_href}"'
        title = f"decruft report · documents page {page_no} of {pages}"
        yield from render.page_head(title, "doc.js", attrs)
        prev_link = f'<a href="{prev_href}" rel=prev>← previous page</a>' if prev_href else ""
        next_link = f'<a href="{next_href}" rel=next>next page →</a>' if next_href else ""
        yield (
            '<nav class=pages aria-label="Report navigation"><a href="../index.html">'
            f"↑ index</a> {prev_link} <span>page {page_no} of {pages}</span> {next_link}"
            " <button id=toggle type=button aria-pressed=false>Show clean text</button>"
            " <span class=keys><kbd>j</kbd>/<kbd>k</kbd> next/previous removal · "
            "<kbd>n</kbd>/<kbd>p</kbd> next/previous document · <kbd>c</kbd> clean text · "
            "<kbd>r</kbd> keep this text · <kbd>x</kbd> exclude · <kbd>a</kbd>/<kbd>o</kbd> "
            "held: accept/original</span>"
            " <span id=status class=status role=status aria-live=polite></span>"
            + self._decisions_panel()
            + "</nav>\n<main>\n"
        )

    def _decisions_panel(self) -> str:
        """The editor's decisions on the document pages: a count, who decides, the export.

        The review's id and key ride along as page data: doc.js keeps the decisions in the
        browser (per review id) and signs the exported file with the key (flows/decisions.py).
        """
        if not self.review or not self.review.get("key"):
            return (
                "<span class=note id=decisions-off>Decisions need a review id: this report "
                "was not written by decruft run.</span>"
            )
        data = {
            "format": "decruft-decisions-v1",
            "review_id": self.review.get("review_id"),
            "run_id": self.review.get("run_id"),
            "key": self.review.get("key"),
        }
        return (
            "<div class=decisions id=decisions role=region aria-label=Decisions>"
            "<span id=dcount aria-live=polite>Decisions: none yet</span>"
            " <label>decided by <input id=decider type=text autocomplete=name "
            'placeholder="your name" size=14></label>'
            " <button id=export type=button>Export decisions</button>"
            " <span id=dsaved class=note></span></div>"
            "<script type=application/json id=review-data>"
            + render.json_for_html(data)
            + "</script>"
        )

    def _swap_dir(self, new: Path, name: str) -> None:
        current = self.dir / name
        old = self.dir / f".{name}-old"
        shutil.rmtree(old, ignore_errors=True)
        if current.exists():
            current.rename(old)
        make_publishable(new, is_dir=True)
        new.rename(current)
        shutil.rmtree(old, ignore_errors=True)

    def _write_index(
        self,
        path: Path,
        shards: _Shards,
        summary: dict[str, Any],
        attention: list[dict[str, Any]],
        rules: list[str],
        categories: list[str],
        sources: list[str],
    ) -> None:
        with atomic_open(path) as out:
            out.writelines(render.page_head("decruft review report", "index.js", load_scripts=True))
            out.write(self._index_top(summary, attention, rules, categories, sources))
            meta = {
                "per_page": ROWS_PER_INDEX_PAGE,
                "shard_size": shards.size,
                "statuses": shards.statuses,
                "rules": rules,
                "categories": categories,
                "category_classes": [render.category_class(c) for c in categories],
                "sources": sources,
                "shards": shards.summaries,
            }
            out.write(
                "<script type=application/json id=docs-data>"
                + render.json_for_html(meta)
                + "</script>"
            )
            out.writelines(render.page_tail("index.js"))

    def _index_top(
        self,
        summary: dict[str, Any],
        attention: list[dict[str, Any]],
        rules: list[str],
        categories: list[str],
        sources: list[str],
    ) -> str:
        s = self._stats
        run_bits = "".join(
            f"<span>{esc(k)}: {esc(v)}</span>"
            for k, v in self.run_info.items()
            if isinstance(v, str | int | float | bool) or v is None
        )
        share = s.chars_removed / s.chars_in if s.chars_in else 0.0
        cards = [
            (s.documents, "documents"),
            *((n, st) for st, n in sorted(s.by_status.items())),
            (s.removals, "removals"),
            (f"{s.chars_removed:,}", f"chars removed ({share:.2%} of {s.chars_in:,})"),
            (s.held_documents, "held by the guard"),
            (s.dom_removals, "HTML widgets dropped"),
        ]
        review_id = (self.review or {}).get("review_id")
        review_line = (
            f"<p class=review>Review id <code id=review-id>{esc(review_id)}</code>: name it "
            "when you publish (<code>decruft publish DIR --to DEST --reviewed "
            f"{esc(review_id)}</code>); a later run that changes the folder gives a new id.</p>"
            if review_id
            else ""
        )
        parts = [
            '<header class=top><h1>decruft review report</h1><p class="meta">',
            run_bits,
            "</p>",
            review_line,
            "</header>\n<main>\n<section aria-labelledby=glance-h><h2 id=glance-h>"
            "The run at a glance</h2><ul class=cards>",
            "".join(f"<li><b>{esc(n)}</b><small>{esc(label)}</small></li>" for n, label in cards),
            "</ul>",
        ]
        extra = {k: v for k, v in summary.items() if not isinstance(v, dict | list)}
        if extra:
            parts.append(
                "<p class=note>"
                + " · ".join(f"{esc(k)}: {esc(v)}" for k, v in extra.items())
                + "</p>"
            )
        parts.append(
            "</section>\n<section aria-labelledby=look-h><h2 id=look-h>Worth a look first</h2>"
        )
        if attention:
            parts.append(
                render.table(
                    ["document", "why", "source", "status"],
                    (
                        (
                            (
                                f'<a href="{esc(a["page"])}">'
                                f"{esc(a.get('title') or a.get('id'))}</a>",
                                "doc",
                            ),
                            a["why"],
                            a.get("source") or "",
                            a.get("status") or "",
                        )
                        for a in attention
                    ),
                    "Documents worth a look first",
                )
            )
        else:
            parts.append("<p class=note>Nothing stands out: no guard trips, no rare rules.</p>")
        parts.append(
            "</section>\n<section aria-labelledby=stats-h>"
            "<h2 id=stats-h>Removals</h2><div class=grid>"
        )
        parts.append(
            render.table(
                ["rule", "category", "removals", "held", "documents", "chars"],
                (
                    (
                        r,
                        (
                            f'<span class="chip c-{render.category_class(e["category"])}">'
                            f"{esc(e['category'])}</span>",
                            "cat",
                        ),
                        e["removals"],
                        e["held"],
                        e["documents"],
                        e["chars"],
                    )
                    for r, e in sorted(s.by_rule.items(), key=lambda kv: -kv[1]["removals"])
                ),
                "Removals per rule",
            )
        )
        parts.append(
            render.table(
                ["category", "removals", "held", "documents", "chars"],
                (
                    (
                        (
                            f'<span class="chip c-{render.category_class(c)}">{esc(c)}</span>',
                            "cat",
                        ),
                        e["removals"],
                        e["held"],
                        e["documents"],
                        e["chars"],
                    )
                    for c, e in sorted(s.by_category.items(), key=lambda kv: -kv[1]["removals"])
                ),
                "Removals per category",
            )
        )
        top_sources = sorted(s.by_source.items(), key=lambda kv: -kv[1]["removals"])[:30]
        parts.append(
            render.table(
                ["source", "documents", "removals", "chars removed", "share"],
                (
                    (
                        src or "(none)",
                        e["documents"],
                        e["removals"],
                        e["chars_removed"],
                        f"{e['chars_removed'] / e['chars_in']:.1%}" if e["chars_in"] else "0%",
                    )
                    for src, e in top_sources
                ),
                "Removals per source (top 30)",
            )
        )
        parts.append("</div></section>\n")
        parts.append(self._templates_section())

        def options(values: list[str], labels: list[str] | None = None) -> str:
            shown = labels or values
            return "".join(
                f'<option value="{i}">{esc(label or "(none)")}</option>'
                for i, label in enumerate(shown)
            )

        statuses = sorted(s.by_status)
        parts.append(
            "<section aria-labelledby=docs-h><h2 id=docs-h>Documents</h2>"
            "<noscript><p>The document table needs JavaScript; every document is also on the "
            '<a href="docs/p00001.html">document pages</a>.</p></noscript>'
            "<div class=filters role=search>"
            '<label>status<select id=f-status><option value="">any</option>'
            + "".join(f'<option value="{esc(st)}">{esc(st)}</option>' for st in statuses)
            + '<option value="held">held by the guard</option></select></label>'
            '<label>rule<select id=f-rule><option value="">any</option>'
            + options(rules)
            + '</select></label><label>category<select id=f-category><option value="">any</option>'
            + options(categories)
            + '</select></label><label>source<select id=f-source><option value="">any</option>'
            + options(sources)
            + "</select></label>"
            '<label>id or title<input id=f-text type=search placeholder="/ to search"></label>'
            '<label>sort<select id=f-sort><option value="">run order</option>'
            '<option value="share">share removed</option><option value="removals">removals'
            '</option><option value="id">id</option></select></label></div>'
            "<div class=pager><button id=prev-page type=button>← previous</button>"
            "<span id=docs-info role=status aria-live=polite></span>"
            "<button id=next-page type=button>next →</button>"
            "<span class=keys><kbd>/</kbd> search · <kbd>[</kbd>/<kbd>]</kbd> page</span></div>"
            "<table><thead><tr><th>id</th><th>title</th><th>source</th><th>status</th>"
            "<th class=n>removals</th><th class=n>chars removed</th><th class=n>share</th>"
            "<th>categories</th></tr></thead><tbody id=docs-body></tbody></table>"
            "</section>\n</main>\n"
        )
        return "".join(parts)
