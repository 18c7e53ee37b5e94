"""Trailing blocks of story links: a marker line near the end and the list under it.

``footer_v1`` only ever looks at the last :data:`TAIL_LINES` lines of a text. Marker phrases
live in ``cleaners/data/footer_markers.txt``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from importlib import resources

from cleaners.core import Doc, Finding
from cleaners.registry import register

RULES: tuple[str, ...] = ("footer_v1",)
"""Names this module registers, in the order they run in the default chain."""

TAIL_LINES = 40
"""How many lines from the end a footer may span."""

MARKER_MAX = 60
ITEM_MAX = 160
"""Longest marker line and longest story-list item under a marker."""

_SITE = r"[A-Z0-9][\w.&'’-]*(?: [A-Z0-9&][\w.&'’-]*){0,4}"


@cache
def marker_pattern() -> re.Pattern[str]:
    """One alternation of the marker lines; ``<Site>`` becomes a short capitalised name."""
    text = resources.files("cleaners.data").joinpath("footer_markers.txt").read_text("utf-8")
    pats = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    body = "|".join(f"(?:{p})" for p in pats).replace("<Site>", f"(?-i:{_SITE})")
    return re.compile(rf"(?:{body})\s?:?", re.IGNORECASE)


_SENTENCE_END = re.compile(r"[.,;:]$|[.!?][\"”’']?\s+[A-Z]")


def is_story_item(line: str) -> bool:
    """A headline-like line of a story list: short, one title, no sentence-final period."""
    return len(line) <= ITEM_MAX and not _SENTENCE_END.search(line)


@register("footer_v1", category="footer")
def find_footer(doc: Doc) -> Iterable[Finding]:
    """A trailing block that starts at a marker line (``You Might Like``, ``Related Topics``,
    ``Also On <Site>``, ``More From <Site>``, ``Recommended``, ``Trending``, ``Read Next``,
    ``Related Stories``...) and runs to the end, with the story headlines under it.

    Cuts only at the tail: every line from the marker to the end must be another marker or a
    short headline-like item. Leaves alone: the same words mid-article or inside a sentence,
    a marker followed by a real paragraph (a sentence with a period, or a long line), and a
    marker line that is the document's only line.
    """
    lines = doc.lines
    if len(lines) < 2:
        return
    text = doc.text
    markers = marker_pattern()
    cut: int | None = None
    items_since_marker = 0
    first_tail = max(1, len(lines) - TAIL_LINES)
    for i in range(len(lines) - 1, first_tail - 1, -1):
        s, e = lines[i]
        line = text[s:e].strip()
        if len(line) <= MARKER_MAX and markers.fullmatch(line):
            cut = s
            items_since_marker = 0
        elif is_story_item(line):
            items_since_marker += 1
        else:
            break
    if cut is not None:
        yield Finding(cut, len(text.rstrip()), "trailing related-stories block")
