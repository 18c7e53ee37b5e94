"""Removals, their application, whitespace tidying and the over-removal guard.

Everything decruft does to a text is a :class:`Removal`: a span ``[start, end)`` of the
ORIGINAL text with the versioned rule that found it, a category and a reason. Cleaners only
*find* spans; :func:`run_chain` maps what they find back to the original, and
:func:`apply_removals` plus :func:`tidy_whitespace` produce the clean text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cleaners.templates import SiteTemplates

from cleaners.patterns import fold, has_odd_case

CATEGORIES = (
    "linkdump",
    "footer",
    "promo",
    "ad",
    "related",
    "source-tag",
    "byline",
    "credit",
    "nav",
    "chrome",
    "headline",
    "template",
)

DEFAULT_MAX_SHARE = 0.40
"""Guard: removals taking more than this share of a document's visible characters are held."""

MAX_PASSES = 4
"""The chain runs again on its own output until it finds nothing (bounded), for idempotence."""


@dataclass(frozen=True, slots=True)
class Removal:
    """One deleted span of the original text, and why."""

    start: int
    end: int
    rule: str
    category: str
    reason: str
    text: str

    def to_dict(self) -> dict[str, object]:
        return {
            "start": self.start,
            "end": self.end,
            "rule": self.rule,
            "category": self.category,
            "reason": self.reason,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class Finding:
    """What a cleaner reports: a span of the text it was given, and why it should go.

    ``category`` overrides the cleaner's registered category for this one finding.
    """

    start: int
    end: int
    reason: str
    category: str | None = None


@dataclass(frozen=True, slots=True)
class CleanResult:
    """The outcome of :func:`cleaners.clean`.

    ``removals`` are applied; ``held_removals`` are the would-be removals when the
    over-removal guard tripped (then ``text`` is the tidied original and ``flags`` says why).
    """

    text: str
    removals: tuple[Removal, ...]
    flags: tuple[str, ...] = ()
    held_removals: tuple[Removal, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.removals)

    def chars_removed(self) -> int:
        return sum(r.end - r.start for r in self.removals)


@dataclass
class Doc:
    """The text a cleaner looks at, with lazily computed, shared views of it."""

    text: str
    source: str | None = None
    title: str | None = None
    flags: list[str] = field(default_factory=list)
    templates: SiteTemplates | None = None
    """The learned templates of the document's source (:mod:`cleaners.templates`), if any."""

    @cached_property
    def paragraphs(self) -> list[tuple[int, int]]:
        """Spans of blank-line-separated blocks, without their surrounding whitespace.

        One scan for the blank-line runs between blocks (a literal ``\\n`` leads the pattern,
        which ``re`` searches fast), not a loop over lines: several rules use it on every
        document. A blank line holds only whitespace (what ``str.strip`` strips).
        """
        text = self.text
        spans: list[tuple[int, int]] = []
        append = spans.append
        pos = 0
        # each block without its surrounding whitespace, if any (:func:`_block`, inlined: one
        # call per paragraph of every view)
        for gap in _BLANK_RUN.finditer(text):
            kept = text[pos : gap.start()].rstrip()
            if kept:
                if kept[0].isspace():
                    append((pos + len(kept) - len(kept.lstrip()), pos + len(kept)))
                else:
                    append((pos, pos + len(kept)))
            pos = gap.end()
        _block(text, pos, len(text), spans)
        return spans

    @cached_property
    def lower(self) -> str:
        """``text.lower()``, for case-insensitive literal searches (one pass, shared by rules).

        Offsets into it are offsets into ``text`` only where lower-casing keeps lengths (all
        but a few letters such as ``İ``); use it for presence tests first of all.
        """
        return self.text.lower()

    @cached_property
    def folded(self) -> str:
        """:func:`cleaners.patterns.fold` of ``text`` (usually ``lower`` itself): what the
        literals of :func:`cleaners.patterns.required_literals` are searched in. Same length
        as ``text``, so spans carry over."""
        if "\u0130" in self.text:
            return fold(self.text)
        low = self.lower
        if low.isascii() or ("\u0131" not in low and "\u017f" not in low):
            return low
        return fold(self.text)

    @cached_property
    def odd_case(self) -> bool:
        """Whether the text may hold a character whose ``casefold`` or ``lower`` is not its
        :func:`~cleaners.patterns.fold` (see :func:`~cleaners.patterns.has_odd_case`)."""
        return has_odd_case(self.text)

    @cached_property
    def lines(self) -> list[tuple[int, int]]:
        """Spans of non-blank lines, without their line breaks or trailing spaces."""
        return [m.span() for m in _LINE.finditer(self.text)]


_LINE = re.compile(r"[^\n]*\S")
_BLANK_RUN = re.compile(r"\n(?:[^\S\n]*\n)+")
"""A line break and the blank lines after it (each ended by its own line break)."""


def _block(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    """Append the span of ``text[start:end]`` without its surrounding whitespace, if any."""
    block = text[start:end]
    kept = block.rstrip()
    if kept:
        spans.append((start + len(kept) - len(kept.lstrip()), start + len(kept)))


_content_end: tuple[str, int] = ("", 0)


def content_end(text: str) -> int:
    """``len(text.rstrip())``, remembered for the last text asked about: line rules ask it
    for line after line of the same view (``rstrip`` copies a text ending in a newline)."""
    global _content_end
    cached = _content_end  # one reference read: a thread swapping it in between is harmless
    if cached[0] is text:
        return cached[1]
    end = len(text.rstrip())
    _content_end = (text, end)
    return end


# --- whitespace tidying -------------------------------------------------------------------

_LINE_END_SPACE = " \t\f\v\u00a0\r"


def _may_have_trailing_space(text: str) -> bool:
    """Could a line end in removable whitespace? One two-character search, then single
    characters (memchr-fast) before their rarer two-character forms."""
    return (
        " \n" in text
        or text.endswith((" ", "\t", "\u00a0"))
        or "\r" in text
        or "\f" in text
        or "\v" in text
        or ("\t" in text and "\t\n" in text)
        or ("\u00a0" in text and "\u00a0\n" in text)
    )


_NEWLINE_RUN = re.compile("\n\n\n+")  # a literal prefix: re searches it fast


def tidy_spans(text: str) -> list[tuple[int, int]]:
    """The whitespace :func:`tidy_whitespace` deletes, as sorted, disjoint spans of ``text``.

    Trailing spaces (and the ``\r`` of ``\r\n``) on every line, blank lines before the first
    and after the last line with content, and every blank line after the first in a run.
    Runs on every document and after every commit, so it avoids work: when no line ends in a
    space (substring searches), only newline runs are left and a literal search finds them;
    otherwise :func:`_tidy_spans_by_line` scans the lines. Both give the same spans (tested).
    """
    if not text:
        return []
    if _may_have_trailing_space(text):
        return _tidy_spans_by_line(text)
    spans: list[tuple[int, int]] = []
    start = len(text) - len(text.lstrip("\n"))
    if start == len(text):
        return [(0, len(text))]
    if start:
        spans.append((0, start))
    end = len(text.rstrip("\n"))
    spans.extend((m.start() + 2, m.end()) for m in _NEWLINE_RUN.finditer(text, start, end))
    if end < len(text):
        spans.append((end, len(text)))
    return spans


def _tidy_spans_by_line(text: str) -> list[tuple[int, int]]:
    """:func:`tidy_spans` by a scan of every line (the reference implementation)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    blank_run = 0
    content_seen = False
    last_content_end = 0
    for line in text.split("\n"):
        end = pos + len(line)
        kept = len(line.rstrip(_LINE_END_SPACE))
        if kept < len(line):
            spans.append((pos + kept, end))
        if kept == 0:
            blank_run += 1
            if not content_seen or blank_run >= 2:
                # the blank line and the newline that ends it
                spans.append((pos, min(end + 1, len(text))))
        else:
            blank_run = 0
            content_seen = True
            last_content_end = pos + kept
        pos = end + 1
    if last_content_end < len(text):
        spans.append((last_content_end, len(text)))
    return _merge(spans) if spans else spans


def tidy_whitespace(text: str) -> str:
    """Paragraphs separated by one blank line, no trailing spaces, one final newline.

    Leaves alone: spaces inside a line (``"Reportedly,  the"`` keeps both spaces), leading
    indentation, single line breaks inside a paragraph and a lone ``\r`` inside a line.
    """
    body = splice(text, tidy_spans(text))
    return body + "\n" if body else ""


# --- applying removals --------------------------------------------------------------------


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def apply_removals(text: str, removals: Sequence[Removal]) -> str:
    """Delete the (sorted, disjoint) spans from ``text`` and tidy the whitespace."""
    return tidy_whitespace(splice(text, [(r.start, r.end) for r in removals]))


def splice(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` without the given sorted, disjoint spans; nothing else changes."""
    if not spans:
        return text
    parts: list[str] = []
    pos = 0
    for s, e in spans:
        parts.append(text[pos:s])
        pos = e
    parts.append(text[pos:])
    return "".join(parts)


class OffsetMap:
    """Maps offsets of a spliced text back to the original it was cut from.

    ``deleted`` are the sorted, disjoint spans of the original that are gone. A position in the
    spliced text maps to the original position of the same character.
    """

    def __init__(self, deleted: Sequence[tuple[int, int]]):
        self.deleted = list(deleted)
        # kept_starts[i]: spliced offset where the i-th kept segment begins
        self._kept_spliced: list[int] = [0]
        self._kept_orig: list[int] = [0]
        removed = 0
        for s, e in self.deleted:
            removed += e - s
            self._kept_spliced.append(e - removed)
            self._kept_orig.append(e)

    def to_original(self, pos: int) -> int:
        i = bisect.bisect_right(self._kept_spliced, pos) - 1
        return self._kept_orig[i] + (pos - self._kept_spliced[i])

    def span_to_original(self, start: int, end: int) -> list[tuple[int, int]]:
        """Original spans covered by the spliced span, skipping what is already deleted."""
        if end <= start:
            return []
        o_start = self.to_original(start)
        o_end = self.to_original(end - 1) + 1
        pieces: list[tuple[int, int]] = []
        pos = o_start
        i = bisect.bisect_right(self.deleted, (o_start, float("inf")))
        while i < len(self.deleted) and self.deleted[i][0] < o_end:
            s, e = self.deleted[i]
            if s > pos:
                pieces.append((pos, s))
            pos = max(pos, e)
            i += 1
        if pos < o_end:
            pieces.append((pos, o_end))
        return pieces


# --- guard ----------------------------------------------------------------------------------


_RARE_SPACES = "\t\r\f\v\u00a0"


def visible_chars(text: str) -> int:
    """Characters that are not whitespace (the guard's measure; tidying never changes it).

    Counts spaces and newlines, and the rarer whitespace only when present (a presence test
    is a fast single-character search; a count is a full pass).
    """
    blank = text.count(" ") + text.count("\n")
    for char in _RARE_SPACES:
        if char in text:
            blank += text.count(char)
    return len(text) - blank


GUARD_VERSION = "guard_v2"
"""What the guard judges; recorded with a run's configuration (a change reprocesses inputs)."""

GUARD_EXEMPT_CATEGORIES = frozenset({"linkdump"})
"""Inline residue the guard does not count. A hover card glued into a sentence is never article
text, and in a one-paragraph API snippet it is most of the characters by nature; the guard is
there against block rules cutting real paragraphs."""

GUARD_TRUSTED_RULES = frozenset({"gallery_chrome_v1", "video_chrome_v1", "signup_form_v4"})
"""Rule versions whose removals the guard does not count: each takes only blocks anchored on a
widget's own machinery that prose never carries (``Hide Caption 3 of 12`` counters and the
``Photos:`` title of a flattened gallery, CNN's ``JUST WATCHED ... Replay More Videos ... MUST
WATCH`` strip, a sign-up form with its country picker and consent wording). A gallery's captions
are sentences, and on CNN pages a gallery is often most of the text: counted, they held every
such page. Trust is given to a version after its removals were read on the dev corpus; a new
version starts untrusted. :data:`GUARD_MIN_PROSE_LEFT` still catches a trusted rule gone wrong.
"""

GUARD_NON_PROSE_WEIGHT = 0.5
"""How much a visible character of non-prose (labels, credit lines, link lists, counters) weighs
against one of prose: losing prose is what a misfiring rule does."""

GUARD_MIN_PROSE_LEFT = 200
"""When the removals take more than half of a text that has at least
:data:`GUARD_PROSE_FLOOR_FROM` visible characters of prose, the clean text must keep this many,
whatever the rules' trust: a clean text without prose is a misfire, or no article to publish."""

GUARD_PROSE_FLOOR_FROM = 1000

_PROSE_LINE_MIN_WORDS = 6
_SENTENCE_STOP = re.compile(r"[\w)\]%][.!?][\"”’')\]]*(?:\s|$)")


def prose_chars(text: str) -> int:
    """Visible characters of the sentence-like lines of ``text``: lines of at least six words
    with a sentence ending (a letter, digit or bracket, then ``.``, ``!`` or ``?``).

    Headlines, labels, credit lines, counters and link lists are not prose; a caption that is a
    sentence is. One pass over the lines; a line with no sentence stop costs one search.
    """
    total = 0
    search = _SENTENCE_STOP.search
    for line in text.split("\n"):
        if line.count(" ") + 1 >= _PROSE_LINE_MIN_WORDS and search(line) is not None:
            total += visible_chars(line)
    return total


def _weighed(visible: int, prose: int) -> float:
    return prose + GUARD_NON_PROSE_WEIGHT * (visible - prose)


def counted_removals(removals: Sequence[Removal]) -> list[Removal]:
    """The removals the guard weighs: not an exempt category, not a trusted rule."""
    return [
        r
        for r in removals
        if r.category not in GUARD_EXEMPT_CATEGORIES and r.rule not in GUARD_TRUSTED_RULES
    ]


def removed_share(original: str, removals: Sequence[Removal]) -> float:
    """The weighed share of ``original`` the counted removals take (prose weighs double).

    Each visible character weighs 1 when it is on a sentence-like line (:func:`prose_chars`) and
    :data:`GUARD_NON_PROSE_WEIGHT` otherwise, in the removals and in the whole text alike: a text
    of only prose or only chrome gets its plain share of visible characters, a rule cutting
    prose paragraphs weighs more than one cutting labels and credit lines of the same length.
    """
    total = visible_chars(original)
    if not total:
        return 0.0
    counted = counted_removals(removals)
    if not counted:
        return 0.0
    whole = _weighed(total, prose_chars(original))
    return sum(_weighed(visible_chars(r.text), prose_chars(r.text)) for r in counted) / whole


def guard_holds(
    original: str, removals: Sequence[Removal], max_share: float, clean_text: str
) -> bool:
    """Whether the guard holds these removals back (``clean_text``: the text they would leave).

    Held when the counted removals take more than ``max_share`` of the text by
    :func:`removed_share`, or when all removals together take over half of a text with at least
    :data:`GUARD_PROSE_FLOOR_FROM` characters of prose and would leave under
    :data:`GUARD_MIN_PROSE_LEFT`. Cheap for most texts: the weighed share is at most
    ``1 / GUARD_NON_PROSE_WEIGHT`` times the plain one, so the prose pass runs only when the
    plain share is over ``max_share * GUARD_NON_PROSE_WEIGHT`` or half the text goes. A
    ``max_share`` of 1 turns the guard off (the prose floor too).
    """
    if not removals or max_share >= 1:
        return False
    total = visible_chars(original)
    if not total:
        return False
    counted = counted_removals(removals)
    plain = sum(visible_chars(r.text) for r in counted) / total
    if plain > max_share * GUARD_NON_PROSE_WEIGHT and removed_share(original, counted) > max_share:
        return True
    if 2 * sum(visible_chars(r.text) for r in removals) <= total:
        return False
    return (
        prose_chars(clean_text) < GUARD_MIN_PROSE_LEFT
        and prose_chars(original) >= GUARD_PROSE_FLOOR_FROM
    )
