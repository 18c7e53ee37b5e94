"""Promo and page chrome that stands alone on its own line.

Every rule here looks only at short lines (at most :data:`MAX_LINE` characters) and removes a
line only when the WHOLE line is chrome: an advertisement label, a call to action, a
related-story line, a photo credit, a navigation label, an author-bio block, a repeated outlet
name, or a source tag at the very start of the body. The same words inside a sentence of the
article never match. Patterns and phrases live in ``cleaners/data/promo_*.txt``.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources

from cleaners.core import Doc, Finding
from cleaners.edges import first_line_is_title, looks_like_headline
from cleaners.registry import FindFn, register

RULES: tuple[str, ...] = (
    "ad_label_v1",
    "call_to_action_v2",
    "related_line_v3",
    "source_tag_v1",
    "author_bio_v1",
    "photo_credit_v2",
    "nav_label_v2",
    "repeated_source_line_v1",
)
"""Names this module registers, in the order they run in the default chain."""

MAX_LINE = 240
"""Longer lines are article text for every rule of this module."""

MAX_LINES = 5000
"""Only the first lines of a text are looked at: no article has more (bounds huge inputs)."""

RELATED_BLOCK_MAX = 6
"""At most this many headline lines are taken under a "READ MORE:" label."""


# --- data -----------------------------------------------------------------------------------


def _data_lines(name: str) -> list[str]:
    text = resources.files("cleaners.data").joinpath(name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@cache
def line_patterns() -> dict[str, re.Pattern[str]]:
    """Section name -> one compiled alternation of that section's whole-line patterns.

    The patterns are linear (see the data file's header) and only ever see short lines.
    """
    sections: dict[str, list[str]] = {}
    current = ""
    for line in _data_lines("promo_lines.txt"):
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            sections.setdefault(current, [])
        else:
            sections[current].append(line)
    return {
        name: re.compile("|".join(f"(?:{p})" for p in pats), re.IGNORECASE)
        for name, pats in sections.items()
    }


@cache
def nav_labels() -> frozenset[str]:
    return frozenset(label.casefold() for label in _data_lines("promo_nav_labels.txt"))


@cache
def source_words() -> frozenset[str]:
    return frozenset(w.casefold() for w in _data_lines("promo_source_words.txt"))


# --- helpers --------------------------------------------------------------------------------


ShortLine = tuple[int, int, int, str, str]
"""(line index, start, end, stripped text, casefolded text) of one short line."""

_SHORT_LINES_KEY = "_promo_short_lines"


def short_lines(doc: Doc, max_len: int = MAX_LINE) -> list[ShortLine]:
    """Every non-blank line of at most ``max_len`` characters, computed once per view."""
    cached: list[ShortLine] | None = doc.__dict__.get(_SHORT_LINES_KEY)
    if cached is None:
        text = doc.text
        cached = []
        append = cached.append
        spans = doc.lines
        if len(spans) > MAX_LINES:
            spans = spans[:MAX_LINES]
        for i, (s, e) in enumerate(spans):
            if e - s > MAX_LINE:
                continue
            line = text[s:e]  # never empty: a line ends with a non-blank character
            if line[0].isspace():
                line = line.lstrip()
                s = e - len(line)
            append((i, s, e, line, line.casefold()))
        doc.__dict__[_SHORT_LINES_KEY] = cached
    if max_len >= MAX_LINE:
        return cached
    key = f"{_SHORT_LINES_KEY}_{max_len}"
    shorter: list[ShortLine] | None = doc.__dict__.get(key)
    if shorter is None:
        shorter = [sl for sl in cached if sl[2] - sl[1] <= max_len]
        doc.__dict__[key] = shorter
    return shorter


_LEADS: dict[str, tuple[str, ...]] = {
    "ad": ("ad", "story", "continue", "sponsored", "-"),
    "promo": (
        "click",
        "for ",
        "to ",
        "if ",
        "get ",
        "download",
        "*",
        "want",
        "start",
        "save",
        "stay",
        "sign",
        "newsletter",
        "subscribe",
        "enjoying",
        "thank",
        "follow",
        "like us",
        "[",
        "-",
        "support",
        "listen",
        "daily",
        "editor",
        "[editor",
        "urgent",
        "vote",
        "got a tip",
        "catch up",
        "interested in",
        "do you",
        "who should",
        "which",
        "should",
        "will",
        "would",
        "is ",
        "are ",
        "does",
        "did ",
        "can ",
        "has ",
        "have ",
    ),
    "related": ("related", "read", "see", "also", "more", "further", "go deeper", "( ", "photo"),
    "credit": ("photo", "image", "picture", "graphic", "illustration", "(", "enlarge", "toggle"),
}
"""A section's patterns can only match lines that start with one of these (casefolded)."""


def _candidates(doc: Doc, section: str) -> Iterator[ShortLine]:
    leads = _LEADS.get(section)
    for sl in short_lines(doc):
        if leads is None or sl[4].startswith(leads):
            yield sl


def _line_rule(doc: Doc, section: str, reason: str) -> Iterator[Finding]:
    pattern = line_patterns()[section]
    keep_first = section != "ad" and first_line_is_title(doc)
    for i, s, e, line, _ in _candidates(doc, section):
        if i == 0 and keep_first:
            continue  # the first line is the headline
        if pattern.fullmatch(line):
            yield Finding(s, e, reason)


MAX_FINDINGS = 200
"""A text with more chrome lines than this is no article: the rest is left for review."""


def _merge_bounded(text: str, findings: Iterable[Finding]) -> list[Finding]:
    """Join findings separated only by whitespace and keep at most :data:`MAX_FINDINGS`."""
    out: list[Finding] = []
    for f in findings:
        if out and out[-1].reason == f.reason and not text[out[-1].end : f.start].strip():
            prev = out[-1]
            out[-1] = Finding(prev.start, max(prev.end, f.end), prev.reason, prev.category)
            continue
        if len(out) >= MAX_FINDINGS:
            break
        out.append(f)
    return out


def _bounded(find: FindFn) -> FindFn:
    """Wrap a rule so that its findings go through :func:`_merge_bounded`."""

    @functools.wraps(find)
    def wrapper(doc: Doc) -> list[Finding]:
        return _merge_bounded(doc.text, find(doc))

    return wrapper


bounded = _bounded
"""Public name of :func:`_bounded` for the other line-rule modules."""


# --- rules ----------------------------------------------------------------------------------


@register("ad_label_v1", category="ad")
@_bounded
def find_ad_labels(doc: Doc) -> Iterable[Finding]:
    """Advertisement labels standing alone: ``Advertisement``, ``AD``, ``Story continues below
    advertisement``, ``Story Continued Below``, ``Advertisement Continue reading the main story``.

    Leaves alone: sentences about advertising ("the campaign's advertising budget"), and any
    line where the label is glued to other words than the known label phrases.
    """
    return _line_rule(doc, "ad", "advertisement label on its own line")


@register("call_to_action_v2", category="promo")
@_bounded
def find_calls_to_action(doc: Doc) -> Iterable[Finding]:
    """Calls to action on their own line: ``Click here to ...``, newsletter sign-ups
    (``Sign up for Daily Newsletters``, ``Get More Trump Secrets in Your Inbox``), follow-us
    lines (``Follow us on Twitter``, ``Follow @politico``), app and podcast pitches.

    Leaves alone: copyright and licensing lines (even with "Click here for reprint
    permission"), a paragraph whose first sentence is article text before a trailing
    "Click here to see it.", contributor bios ("... Follow him on Twitter @x") and sentences
    that report on sign-ups ("the deadline to sign up for coverage").
    """
    return _line_rule(doc, "promo", "call to action on its own line")


@register("related_line_v3", category="related")
@_bounded
def find_related_lines(doc: Doc) -> Iterable[Finding]:
    """Related-story lines: ``RELATED: <headline>``, ``READ MORE: ...``, ``Related Coverage
    <headline>``, ``( PHOTOS: ...)`` link lines, and a bare ``READ MORE:`` label together with
    the headline lines right under it (at most six).

    Leaves alone: a label's following line when it is a sentence (ends with a period, also
    inside closing quotes or brackets, or runs on after one, or is long), so ``Read more:``
    before a real paragraph loses only the label; "related" inside prose.
    """
    pattern = line_patterns()["related"]
    label = line_patterns()["related_label"]
    text = doc.text
    lines = doc.lines
    taken = -1
    leads = _LEADS["related"]
    keep_first = first_line_is_title(doc)
    for i, s, e, line, folded in short_lines(doc):
        if (i == 0 and keep_first) or i <= taken:
            continue
        if line.endswith(_READ_MORE_CARD) and line[-11] not in ".!?" and len(line) > 20:
            yield Finding(s, e, "related-story card ending in 'Read more'")
            continue
        if not folded.startswith(leads):
            continue
        is_label = label.fullmatch(line) is not None
        if not is_label and (not pattern.fullmatch(line) or _continues_sentence(line)):
            continue
        end = e
        if is_label:
            j = i + 1
            while j < len(lines) and j - i <= RELATED_BLOCK_MAX:
                ls, le = lines[j]
                if not _listed_headline(text[ls:le].strip()):
                    break
                end, taken = le, j
                j += 1
        yield Finding(s, end, "related-story link on its own line")


_QUOTE_CLOSERS = "\"”’')]»"
_SENTENCE_INSIDE = re.compile(r"[a-z]{2}[.!?][\"”’')]*\s+[a-z]")


def _listed_headline(line: str) -> bool:
    """A headline listed under a label: headline-like even without its closing quotes or
    brackets (``He said: “We will not back down.”`` ends a sentence), one title, no sentence
    running on after a full stop."""
    return (
        looks_like_headline(line)
        and not line.rstrip(_QUOTE_CLOSERS).endswith((".", ",", ";", ":"))
        and _SENTENCE_INSIDE.search(line) is None
    )


def _continues_sentence(line: str) -> bool:
    """``Related: the two probes share witnesses`` is prose: headlines start with a capital."""
    head, sep, rest = line.partition(": ")
    return bool(sep) and len(head) <= 25 and rest[:1].islower()


_READ_MORE_CARD = " Read more"
"""Related-story cards flattened into one line: ``<headline> Read more``."""

_SOURCE_TAG = re.compile(
    r"\((?:[A-Za-z0-9-]+\.)+(?:com|org|net|news|info|tv|us|co\.uk)\)[ \t]?[-–—]{1,2}[ \t]*"
)
_SOURCE_TAG_LINES = 3


@register("source_tag_v1", category="source-tag")
@_bounded
def find_source_tags(doc: Doc) -> Iterable[Finding]:
    """A site tag opening the body, such as ``(FreedomBeacon.com)- `` or ``(CNSNews.com) --``.

    Looks only at the start of the first few lines and removes only the tag and its dash.
    Leaves alone: wire datelines (``WASHINGTON (Reuters) -``, ``(CNN) --``): they start with a
    place or name a wire without a domain.
    """
    text = doc.text
    for s, e in doc.lines[:_SOURCE_TAG_LINES]:
        if text[s] != "(":
            continue
        m = _SOURCE_TAG.match(text, s, e)
        if m and m.end() < e:
            yield Finding(s, m.end(), "source tag at the start of the body")


_AUTHOR = re.compile(
    r"(?:Author|Written by|About the author):[ \t]*([A-Z][\w.'’-]*(?: [\w.'’-]+){0,4})"
)


@register("author_bio_v1", category="byline")
@_bounded
def find_author_bios(doc: Doc) -> Iterable[Finding]:
    """An ``Author: <Name>`` line, with the bio line right after it when that line starts with
    the same name (``Dave DeCamp is the news editor ..., follow him on Twitter @decampdave.``).

    Leaves alone: contributor notes and bios without the ``Author:`` label, and the line after
    the label when it does not start with the author's name.
    """
    text = doc.text
    lines = doc.lines
    for i, s, e, line, _ in short_lines(doc, 80):
        if i == 0 or not line.startswith(("Author", "Written", "About")):
            continue
        m = _AUTHOR.fullmatch(line)
        if not m:
            continue
        end = e
        name = m.group(1)
        if i + 1 < len(lines):
            ns, ne = lines[i + 1]
            following = text[ns:ne].strip()
            if ne - ns <= 400 and following.startswith(name + " "):
                end = ne
        yield Finding(s, end, "author bio block")


@register("photo_credit_v2", category="credit")
@_bounded
def find_photo_credits(doc: Doc) -> Iterable[Finding]:
    """Photo credits and detached caption stubs on their own line: ``Photo: Public Domain``,
    ``Image copyright Getty Images``, ``(Photo: Dreamstime)``, a bare ``Photo``, NPR's
    ``Enlarge this image toggle caption <credit>``.

    Leaves alone: captions that are sentences longer than a credit, and photo galleries
    ("Photos: ... Photos: ...", handled with other gallery chrome). A caption line that ends in
    its own credit (``Smoke rises over Gaza City. (Photo: Lefteris Pitarakis, AP)``) goes whole:
    it is a detached caption, not a paragraph of the article.
    """
    yield from _line_rule(doc, "credit", "photo credit or caption stub")
    keep_first = first_line_is_title(doc)
    for i, s, e, line, _ in short_lines(doc):
        if (i > 0 or not keep_first) and line.endswith(")") and _CAPTION_CREDIT.search(line):
            yield Finding(s, e, "detached photo caption ending in its credit")


_CAPTION_CREDIT = re.compile(
    r"\((?:AP |Reuters |AFP |Getty |File )?Photos?(?:: | by |/)[^()\n]{1,80}\)$", re.IGNORECASE
)


_RELATED_TOPICS_TOP = 5
"""A stray "Related Topics" label counts as navigation within this many lines of the top."""


@register("nav_label_v2", category="nav")
@_bounded
def find_nav_labels(doc: Doc) -> Iterable[Finding]:
    """Navigation and section labels on their own line (``The Trump Timeline``, ``Sources
    linked at end of page.``) and a stray ``Related Topics`` label near the top.

    Leaves alone: the first line (the headline), subheadlines, and ``Related Topics`` further
    down (at the tail it starts a footer; mid-article it is left for review).
    """
    labels = nav_labels()
    keep_first = first_line_is_title(doc)
    for i, s, e, _line, key in short_lines(doc, 60):
        if i == 0 and keep_first:
            continue
        if key in labels:
            yield Finding(s, e, "navigation label")
        elif key == "related topics" and i < _RELATED_TOPICS_TOP:
            yield Finding(s, e, "stray related-topics label near the top")


_SOURCE_LINE_MAX = 40
_TITLE_WORD = re.compile(r"[A-Z][\w.&'’-]*|[&-]|of|and|the|for")


def _looks_like_outlet(line: str) -> bool:
    words = line.split()
    if not 1 <= len(words) <= 5 or not all(_TITLE_WORD.fullmatch(w) for w in words):
        return False
    if words[0] == "The" and len(words) >= 2:
        return True
    vocab = source_words()
    return any(w.casefold().strip(".") in vocab for w in words)


@register("repeated_source_line_v1", category="nav")
@_bounded
def find_repeated_source_lines(doc: Doc) -> Iterable[Finding]:
    """An outlet's name (``The Daily Beast``) standing alone as a paragraph twice or more
    between paragraphs of the same text: residue of embedded-link cards.

    Leaves alone: the first line, a name that appears alone only once, speaker names in
    transcripts (they do not read as an outlet: no leading "The" and no press word), and
    subheads, which do not repeat.
    """
    text = doc.text
    candidates: list[tuple[int, int, str]] = []
    for i, s, e, line, _ in short_lines(doc, _SOURCE_LINE_MAX):
        if i > 0 and line[-1] not in '.:?!,;"”' and _looks_like_outlet(line):
            candidates.append((s, e, line))
    if len(candidates) < 2:
        return
    counts = Counter(line for _, _, line in candidates)
    for s, e, line in candidates:
        if counts[line] >= 2 and _stands_alone(text, s, e):
            yield Finding(s, e, f"outlet name standing alone {counts[line]} times")


def _stands_alone(text: str, start: int, end: int) -> bool:
    """The line is a paragraph of its own: blank line (or text edge) before and after."""
    before = text[max(0, start - 2) : start]
    after = text[end : end + 2]
    return (start == 0 or before == "\n\n") and (end == len(text) or after.startswith("\n\n"))
