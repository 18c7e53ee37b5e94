"""Rules that know where they are: the top and the tail of a text.

Residue sits at the edges: a headline repeated under the title, a run of related-story
headlines or bare links after the last sentence. These rules look only there, and judge on
structure (position, shortness, repetition, missing sentence punctuation), not on words of
one language. The same lines inside the body are left alone: other rules need much stronger
evidence there.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from functools import lru_cache

from cleaners.core import Doc, Finding
from cleaners.registry import register

RULES: tuple[str, ...] = ("edge_headline_v1", "edge_tail_links_v2", "head_promo_repeat_v1")
"""Names this module registers, in the order they run in the default chain."""

# --- shared helpers ---------------------------------------------------------------------------

_NOT_WORD = re.compile(r"[\W_]+")
_TITLE_SEPARATORS = (" - ", " | ", " – ", " — ", " :: ", " · ", " « ", " » ")


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Case-folded words joined by single spaces: what two headlines are compared on.

    Cached: the first lines and titles of a text are folded again on every view of it."""
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


def _site_suffix_trimmed(title: str) -> list[str]:
    """The title, and the title without a trailing or leading ``- Site Name`` part."""
    variants = [title]
    for sep in _TITLE_SEPARATORS:
        if sep in title:
            head, _, _ = title.rpartition(sep)
            variants.append(head)
            first, _, rest = title.partition(sep)
            variants.append(rest)
            variants.append(first)
    return variants


_WORD = re.compile(r"[^\W_]+")


def _first_word(text: str) -> str:
    """The first word, case-folded (``""`` when there is none)."""
    m = _WORD.search(text)
    return m.group().casefold() if m else ""


_HEADLINE_END = re.compile(r"[.,;:]$")


def looks_like_headline(line: str) -> bool:
    """A short title-like line: 2-20 words, capitalised start, no sentence-final period."""
    if len(line) > 140 or _HEADLINE_END.search(line):
        return False
    words = line.split()
    if not 2 <= len(words) <= 20:
        return False
    first = line[0]
    return first.isupper() or first.isdigit() or first in "‘'\"“"


TITLE_OVERLAP = 0.5
"""Share of a first line's words found in the known title for the line to count as a form of
the headline (a display headline beside an SEO title)."""

_FIRST_LINE_KEY = "_first_line_is_title"


def first_line_is_title(doc: Doc) -> bool:
    """Whether the text's first line is (or may be) its headline, which line rules leave alone.

    With a known ``doc.title``: the first line says the same (ignoring case and punctuation,
    a ``- Site Name`` part, or one being the start of the other), or shares at least
    :data:`TITLE_OVERLAP` of its words with it. Without a title: the first line reads like a
    headline (:func:`looks_like_headline`). So a label heading the text (``Photo``, ``Urgent:``,
    ``Image copyright AFP`` above another title) is judged like the same label further down.
    Computed once per text view.
    """
    cached = doc.__dict__.get(_FIRST_LINE_KEY)
    if cached is not None:
        return cached
    text = doc.text
    newline = text.find("\n")
    first = (text if newline < 0 else text[:newline]).strip()
    result = bool(first) and _says_the_title(first, doc.title)
    doc.__dict__[_FIRST_LINE_KEY] = result
    return result


@lru_cache(maxsize=4096)
def _says_the_title(first: str, title: str | None) -> bool:
    """Cached: every view of a text after a removal asks again, most often with the same
    first line."""
    if not title or not title.strip():
        return looks_like_headline(first)
    folded = fold(first)
    if not folded:
        return False
    titles = {fold(t) for t in _site_suffix_trimmed(title)}
    titles.discard("")
    for t in titles:
        if folded == t:
            return True
        if min(len(folded), len(t)) >= HEADLINE_MIN_CHARS and (
            t.startswith(folded) or folded.startswith(t)
        ):
            return True
    words = folded.split()
    title_words = set(" ".join(titles).split())
    return len(words) >= 2 and sum(w in title_words for w in words) >= TITLE_OVERLAP * len(words)


_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _head_paragraphs(text: str, count: int) -> list[tuple[int, int]]:
    """Spans of the first ``count`` blank-line-separated paragraphs of ``text``.

    Callers pass only the head of a document: the scan is linear in what it is given.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    while pos < len(text) and text[pos] in " \t\n":
        pos += 1
    while pos < len(text) and len(spans) < count:
        gap = _BLANK_LINE.search(text, pos)
        end = gap.start() if gap else len(text)
        chunk = text[pos:end]
        if chunk.strip():
            spans.append((pos, pos + len(chunk.rstrip())))
        if gap is None:
            break
        pos = gap.end()
        while pos < len(text) and text[pos] in " \t\n":
            pos += 1
    return spans


def _tail_lines(doc: Doc, count: int) -> list[tuple[int, int]]:
    """Spans of the last ``count`` non-blank lines found in the tail that holds ``2 * count +
    2`` line breaks (``doc.lines`` from the tail's start: the lines are computed once)."""
    text = doc.text
    start = len(text)
    for _ in range(2 * count + 2):  # a blank line between lines costs two line breaks
        start = text.rfind("\n", 0, start)
        if start < 0:
            start = 0
            break
    lines = doc.lines
    first = bisect.bisect_left(lines, start, key=lambda span: span[0])
    return lines[max(first, len(lines) - count) :]


HEADLINE_MIN_CHARS = 12
"""A repeated "headline" shorter than this is too weak a match (``News``, ``Home``)."""

TITLE_MAX_CHARS = 600
"""A first line longer than this is a paragraph, not a title line (captions reach 500)."""

HEAD_WINDOW = 4 * TITLE_MAX_CHARS
"""Characters of the text looked at: a title line, a repeat of at most twice its length
(plus 20), the gaps, and the start of the paragraph after them."""


@register("edge_headline_v1", category="headline")
def find_repeated_headline(doc: Doc) -> Iterable[Finding]:
    """The headline repeated as the first paragraph under the title line.

    The title is ``doc.title`` when known, else the text's first line. The title line itself
    stays; only a following paragraph that says the same (ignoring case and punctuation, or
    the title without its ``- Site Name`` part) goes. Leaves alone a first paragraph that
    merely starts like the title (a lede that repeats its words in a sentence) and
    repetitions further down. Looks only at the first ``HEAD_WINDOW`` characters.
    """
    head = doc.text[:HEAD_WINDOW]
    newline = head.find("\n")
    if newline < 0 or newline > TITLE_MAX_CHARS + 2:
        return
    paragraphs = _head_paragraphs(head, 3)
    if len(paragraphs) < 3:
        return
    first_start, first_end = paragraphs[0]
    first = head[first_start:first_end]
    if "\n" in first or len(first) > TITLE_MAX_CHARS:
        return
    title = doc.title or first
    start, end = paragraphs[1]
    second = head[start:end]
    if len(second) > 2 * len(title) + 20 or len(second) < HEADLINE_MIN_CHARS or "\n" in second:
        return
    variants = _site_suffix_trimmed(title)
    if _first_word(second) not in {_first_word(v) for v in (*variants, first)}:
        return  # cheap test before folding: a repeat starts with the same word
    folded = fold(second)
    if len(folded) < HEADLINE_MIN_CHARS:
        return
    folded_first = fold(first)
    titles = {fold(t) for t in variants}
    titles.discard("")
    if folded_first not in titles and fold(title) != folded_first:
        return
    if folded in titles or folded == folded_first:
        yield Finding(start, end, "headline repeated under the title line")


# --- the tail ---------------------------------------------------------------------------------

_URLISH = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+")
_CLOSERS = " \"”’')»]"
_SENTENCE_END = (".", "!", ";", ",", ":", "…", "。", "!", ";")

TAIL_RUN_MIN = 3
"""A run of link-like lines at the end must be at least this long."""

TAIL_SCAN_LINES = 30
"""Only this many last lines are looked at."""


_CONTRIBUTOR_NOTE = re.compile(
    r"(?:contribut\w*|additional reporting|reporting|writing|editing|compiled)\b[^\n]*",
    re.IGNORECASE,
)
"""``Contributing: A, B`` and its kin: a contributor note is content, never a link or label."""


def link_like(line: str) -> bool:
    """A line that reads like a link: a bare URL or address, or a headline without a period.

    Headline-like: 4 to 20 words, at most 160 characters, not ending like a sentence, and at
    least half of its words capitalised or the line starting with a capital.
    """
    stripped = line.strip(" \t-•*·>|")
    if not stripped or _CONTRIBUTOR_NOTE.match(stripped):
        return False
    if _URLISH.fullmatch(stripped):
        return True
    if len(stripped) > 160 or stripped.rstrip(_CLOSERS).endswith(_SENTENCE_END):
        return False
    words = stripped.split()
    if not 4 <= len(words) <= 20:
        return False
    first = stripped[1] if stripped[0] in _OPEN_QUOTES and len(stripped) > 1 else stripped[0]
    return first.isupper() or first.isdigit()


_OPEN_QUOTES = "‘'\"“"
"""A headline may open with a quotation: ``'Slow-motion constitutional car crash': Trump,
Congress battle over investigations``."""

_POINTER_LEAD = re.compile(
    r"(?:More|Read more|Related|See also|Also read|Further reading|Recommended)\b[^.!?\n]{0,100}:",
    re.IGNORECASE,
)
"""A lead-in naming what follows as more reading: ``More on President Donald Trump's legal
battles with Congress:``."""


def label_like(line: str) -> bool:
    """A short section label: at most five words, no sentence ending but perhaps a final colon.

    Not a label: a line with text after a colon (``Contributing: A, B``), a contributor note.
    """
    stripped = line.strip()
    words = stripped.split()
    if not 1 <= len(words) <= 5 or len(stripped) > 50 or ":" in stripped.rstrip(":"):
        return False
    if _CONTRIBUTOR_NOTE.match(stripped):
        return False
    return not stripped.rstrip(":").endswith(_SENTENCE_END)


_SIGNATURE = re.compile(r"[-•*·]?[ \t]*[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){1,3}(?:,| \()[ \t]+\S")
"""``Jane Doe, Professor of Law, Harvard University`` or ``Jane Doe (Harvard)``: a name, then
who the person is."""


def signature_block(lines: list[str]) -> bool:
    """Most lines of a run are a person's name then an affiliation: the signatories of a letter
    or a list of contributors, which is content, not a list of links."""
    named = sum(1 for line in lines if _SIGNATURE.match(line.strip()))
    return named >= 2 and 2 * named >= len(lines)


def sentence_like(line: str) -> bool:
    stripped = line.rstrip(_CLOSERS)
    return stripped.endswith((".", "!", "?", "…", "。")) and len(line.split()) >= 6


@register("edge_tail_links_v2", category="related")
def find_tail_links(doc: Doc) -> Iterable[Finding]:
    """A run of link-like lines after the last sentence: a related-stories list or links.

    At least three consecutive lines at the very end that read like headlines (no sentence
    punctuation, 4-20 words, a capital or a quotation opening them) or bare URLs, optionally led
    by a short label line or a pointer lead-in (``More on ...:``), and preceded
    by a line that ends like a sentence (so the body ended before the run). Leaves alone runs
    in the body, runs of fewer than three lines, lists whose items end with periods, and
    signature blocks (most lines a name then an affiliation: the signatories of a letter).
    """
    lines = _tail_lines(doc, TAIL_SCAN_LINES + 5)
    if len(lines) < TAIL_RUN_MIN + 3:
        return
    text = doc.text
    first_tail = max(1, len(lines) - TAIL_SCAN_LINES)
    i = len(lines)
    while i > first_tail and link_like(text[lines[i - 1][0] : lines[i - 1][1]]):
        i -= 1
    run = len(lines) - i
    if run < TAIL_RUN_MIN or i < 3:
        return
    before = text[lines[i - 1][0] : lines[i - 1][1]]
    if (label_like(before) or _POINTER_LEAD.fullmatch(before.strip())) and i - 1 >= 3:
        i -= 1
        before = text[lines[i - 1][0] : lines[i - 1][1]]
    if _CONTRIBUTOR_NOTE.match(before.strip()) and i >= 2:
        # the body ends with its contributor note; the note stays, the list after it goes
        before = text[lines[i - 2][0] : lines[i - 2][1]]
    if not sentence_like(before):
        return
    if signature_block([text[s:e] for s, e in lines[i:]]):
        return
    yield Finding(
        lines[i][0],
        lines[-1][1],
        f"{run} headline-like or link lines after the last sentence",
    )


# --- a promo block repeated at the head ---------------------------------------------------

HEAD_RUN_MAX_LINES = 8
"""Short lines looked at before the first sentence of the text."""

HEAD_UNIT_MAX_LINES = 3
"""A repeated promo block is a label and a headline, or one line."""

_SHORT_LINE_MAX = 140
_SENTENCE_LINE_END = (".", "!", '"', "”", "’", "'", ")")


def _head_short_lines(doc: Doc) -> list[tuple[int, int]]:
    """The text's first lines up to the first that reads as a sentence (long, or closing on a
    full stop or a quotation), at most :data:`HEAD_RUN_MAX_LINES`."""
    text = doc.text
    run: list[tuple[int, int]] = []
    for start, end in doc.lines:
        line = text[start:end].strip()
        if not line:
            continue
        if len(line) > _SHORT_LINE_MAX or line.endswith(_SENTENCE_LINE_END) or line[0].islower():
            break
        run.append((start, end))
        if len(run) >= HEAD_RUN_MAX_LINES:
            break
    return run


@register("head_promo_repeat_v1", category="promo", triggers=(":", "?"))
def find_head_promo_repeats(doc: Doc) -> Iterable[Finding]:
    """A block of short lines at the head of the text, printed twice in a row, with a label or
    a question in it: a promo box scraped twice (``Obamacare Alert:`` / ``Massive Rule Changes
    to Affect Your Medicare``, then the same again; ``Do You Approve Or Disapprove of ...?``
    twice; ``Latest:`` twice). Both copies go.

    Leaves alone: a block with a line that says the known title (``doc.title``: the
    headline repeated, which ``edge_headline_v1`` judges), repeats that are not next to each
    other, blocks without a line closing on ``:`` or ``?``, and anything after the first line
    that reads as a sentence.
    """
    run = _head_short_lines(doc)
    if len(run) < 2:
        return
    text = doc.text
    lines = [text[a:b].strip() for a, b in run]
    for size in range(1, HEAD_UNIT_MAX_LINES + 1):
        for i in range(len(lines) - 2 * size + 1):
            unit = lines[i : i + size]
            if unit != lines[i + size : i + 2 * size]:
                continue
            if not any(line.endswith((":", "?")) for line in unit):
                continue
            if doc.title and any(_says_the_title(line, doc.title) for line in unit):
                continue
            yield Finding(
                run[i][0],
                run[i + 2 * size - 1][1],
                f"promo block of {size} line(s) printed twice at the head",
            )
            return
