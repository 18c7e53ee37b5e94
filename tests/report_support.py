"""Records for the report and publish tests: seed and hostile documents with real removals.

The default chain may find nothing in a given document, so these tests add a few small rules of
their own (registered once, run after the default chain); every removal is a real span that
``cleaners.clean`` reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from cleaners import REGISTRY, clean, get_chain
from cleaners.core import Doc, Finding
from cleaners.registry import register
from flows.report.records import record_from_result

CASES = Path(__file__).parent / "cases"
SEEDS = CASES / "seeds" / "input"
HOSTILE = CASES / "report"

_MARKER_LINES = {
    "Advertisement": "ad",
    "You Might Like": "footer",
    "Related Topics": "related",
    "The Trump Timeline": "nav",
    "Sources linked at end of page.": "nav",
    "The Daily Beast": "source-tag",
}
_SCRIPT_LINE = re.compile(r"^[^\n]*<script[^\n]*$", re.MULTILINE)
_CLICK = re.compile(r"^Click here[^\n]*$", re.MULTILINE)
_MORE = re.compile(r"[^\n]{1,60}?MORE\b")
_TAG = re.compile(r"^\([A-Za-z.]{3,40}\)- ", re.MULTILINE)
_AUTHOR = re.compile(r"^Author: [^\n]*$", re.MULTILINE)


def _register_test_rules() -> tuple[str, ...]:
    names = ("reporttest_lines_v1", "reporttest_script_v1", "reporttest_inline_v1")
    if names[0] in REGISTRY:
        return names

    @register("reporttest_lines_v1", category="nav")
    def marker_lines(doc: Doc) -> Iterable[Finding]:
        """Whole lines that are known residue markers (test rule)."""
        for start, end in doc.lines:
            category = _MARKER_LINES.get(doc.text[start:end])
            if category:
                yield Finding(start, end, f"marker line ({category})", category=category)
        for m in _AUTHOR.finditer(doc.text):
            yield Finding(m.start(), m.end(), "author line", category="byline")

    @register("reporttest_script_v1", category="ad")
    def script_lines(doc: Doc) -> Iterable[Finding]:
        """Lines carrying a <script> tag or a click-here pitch (test rule)."""
        for m in _SCRIPT_LINE.finditer(doc.text):
            yield Finding(m.start(), m.end(), "line with <script> markup <b>kept as text</b>")
        for m in _CLICK.finditer(doc.text):
            yield Finding(m.start(), m.end(), "call to action", category="promo")

    @register("reporttest_inline_v1", category="linkdump")
    def inline_bits(doc: Doc) -> Iterable[Finding]:
        """Link-dump-like runs ending in MORE, and source tags (test rule)."""
        for m in _MORE.finditer(doc.text):
            yield Finding(m.start(), m.end(), "hover-card residue")
        for m in _TAG.finditer(doc.text):
            yield Finding(m.start(), m.end(), "source tag", category="source-tag")

    return names


TEST_RULES = _register_test_rules()


def chain() -> list[str]:
    """The default chain followed by the test rules."""
    return [c.name for c in get_chain()] + list(TEST_RULES)


def record(doc_id: str, text: str, **fields: Any) -> dict[str, Any]:
    """A report record for ``text``, cleaned with :func:`chain`."""
    result = clean(text, source=fields.get("source"), rules=chain())
    return record_from_result(doc_id, text, result, **fields)


def hostile_fields(name: str) -> dict[str, Any]:
    """Hostile metadata to go with a hostile text."""
    return {
        "source": '"><img src=x onerror="window.__pwned=\'source\'">',
        "url": "javascript:window.__pwned='url'",
        "title": f"</title><script>window.__pwned='title'</script> {name} \u2028 &amp;",
    }


def sample_records() -> Iterator[dict[str, Any]]:
    """Seeds, hostile documents, a skipped and a failed document."""
    for path in sorted(SEEDS.glob("*.txt")):
        yield record(
            f"seeds/{path.stem}",
            path.read_text(encoding="utf-8"),
            source="seeds.example",
            url=f"https://seeds.example/{path.stem}",
            title=path.read_text(encoding="utf-8").split("\n", 1)[0],
        )
    for path in sorted(HOSTILE.glob("*.txt")):
        rec = record(
            f"hostile/<b>{path.stem}</b>",
            path.read_text(encoding="utf-8"),
            **hostile_fields(path.stem),
        )
        rec["dom_removals"] = [
            {
                "rule": "reporttest_dom_v1",
                "category": "related",
                "reason": "related-stories widget <script>window.__pwned='dom'</script>",
                "text": "<a href=\"javascript:window.__pwned='dom-a'\">More stories</a>",
            }
        ]
        yield rec
    yield {
        "id": "broken/empty",
        "input": "broken/empty.txt",
        "format": "txt",
        "source": "x",
        "url": None,
        "title": None,
        "status": "skipped",
        "reason": "empty file",
        "flags": [],
        "chars_in": 0,
        "chars_out": 0,
        "text_in": "",
        "removals": [],
        "held_removals": [],
        "dom_removals": [],
    }
    yield {
        "id": "broken/<i>bad</i>.html",
        "input": "broken/bad.html",
        "format": "html",
        "source": "x",
        "url": None,
        "title": None,
        "status": "failed",
        "reason": "no main content <script>window.__pwned='reason'</script>",
        "flags": [],
        "chars_in": 0,
        "chars_out": 0,
        "text_in": None,
        "removals": [],
        "held_removals": [],
        "dom_removals": [],
    }
