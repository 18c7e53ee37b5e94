"""Trailing blocks of story links: a marker line near the end and the list under it.

``footer_v1`` only ever looks at the last :data:`TAIL_LINES` lines of a text. Marker phrases
live in ``cleaners/data/footer_markers.txt``.
"""

from __future__ import annotations

import bisect
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

TAIL_CHARS = 8000
"""Only this many characters at the end are looked at."""

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
    text = doc.text
    tail_start = max(0, len(text) - TAIL_CHARS)
    # The first line found is either cut by the window or the text's headline: never a cut.
    # (doc.lines from the first line ending after the window's start: the same spans as a
    # scan of the window, where only that first one may be cut, and it is dropped)
    all_lines = doc.lines
    lines = all_lines[bisect.bisect_right(all_lines, tail_start, key=lambda span: span[1]) + 1 :]
    markers = marker_pattern()
    cut: int | None = None
    for s, e in reversed(lines[-TAIL_LINES:]):
        line = text[s:e].strip()
        if len(line) <= MARKER_MAX and markers.fullmatch(line):
            cut = s
        elif not is_story_item(line):
            break
    if cut is not None:
        yield Finding(cut, len(text.rstrip()), "trailing related-stories block")
