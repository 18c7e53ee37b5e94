"""Calls to action that fill a paragraph: pitches for the outlet's shows, podcasts and
subscriptions, appeals for money, reader call-outs and tip lines.

The line rules of :mod:`cleaners.promo` know fixed phrasings on a line of their own; these
rules judge a whole short paragraph by what EVERY sentence of it does: a call to the reader
(subscribe, donate, tune in, email us, get in touch) and nothing that reports news (no quotes,
no "said"). A news paragraph that mentions a podcast, a newsletter or a way to reach someone
carries a sentence of another kind and stays. Phrases live in ``cleaners/data/calls.txt``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources

from cleaners.core import Doc, Finding
from cleaners.edges import first_line_is_title
from cleaners.patterns import FOLDED_INDEX, may_match, required_literals
from cleaners.promo import bounded
from cleaners.registry import register

RULES: tuple[str, ...] = ("pitch_paragraph_v2", "reader_callout_v2", "tip_line_v2")
"""Names this module registers, in the order they run in the default chain."""

PITCH_MAX = 900
"""A pitch paragraph is at most this long (a donation appeal runs to five sentences)."""

PITCH_MAX_SENTENCES = 6

CALLOUT_MAX = 500
TIP_MAX = 200

_SENTENCE_END = re.compile(r"[.!?]+[\"”’')\]]*(?=\s|$)")
"""Where a sentence may end: ``.``, ``!`` or ``?`` (and closing quotes) before a space or the
end, so not inside an address or a number. One pass, no backtracking."""
_ABBREVIATION = re.compile(
    r"(?:[A-Z][a-z]{0,2}|(?:[A-Z]\.)+[A-Z]?|[A-Z]-[A-Z][a-z]?|[a-z]\.[a-z])\.?"
)
"""The word before a full stop that does not end a sentence: ``Sen.``, ``U.S.``, ``R-Ky.``,
``a.m.``."""
_REPORTED = re.compile(r"\b(?:said|says|told|according to|asked|urged|wrote)\b", re.IGNORECASE)
_SPEECH = re.compile(r"[\"“”]\s*[A-Za-z][^\"“”]{0,400}[,.!?]\s*[\"”]")
"""A quoted utterance (``“We will win,”``): reported speech, not the site's own pitch. Titles
in quotes (``“Fox News Sunday with Chris Wallace”``) carry no inner punctuation."""
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\[email protected\]", re.IGNORECASE)


def _data() -> dict[str, list[str]]:
    text = resources.files("cleaners.data").joinpath("calls.txt").read_text("utf-8")
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
        elif current is not None:
            current.append(line)
    return sections


@cache
def patterns() -> dict[str, re.Pattern[str]]:
    """Section -> one case-insensitive alternation (linear: literal words and bounded gaps)."""
    return {
        name: re.compile("|".join(f"(?:{p})" for p in pats), re.IGNORECASE)
        for name, pats in _data().items()
    }


@cache
def _literals(section: str) -> tuple[str, ...] | None:
    """Literals one of which every match of a section holds (a cheap test before it runs)."""
    return required_literals(patterns()[section])


_EMAIL_LITERALS = required_literals(_EMAIL)


@cache
def _hints() -> tuple[str, ...]:
    """The hint words, less those holding another hint ("tune into" after "tune in"): where
    the longer occurs, the shorter does, in the same paragraph."""
    hints = tuple(h.lower() for h in _data()["hint"])
    return tuple(h for h in hints if not any(o != h and o in h for o in hints))


def _sentences(paragraph: str) -> list[str]:
    """The sentences of a paragraph, not split after abbreviations (``Sen. Rand Paul``)."""
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(paragraph):
        if m.group()[0] == ".":
            word_start = paragraph.rfind(" ", start, m.start()) + 1
            if _ABBREVIATION.fullmatch(paragraph, word_start, m.start() + 1):
                continue
        piece = paragraph[start : m.end()].strip()
        if piece:
            out.append(piece)
        start = m.end()
    rest = paragraph[start:].strip()
    if rest:
        out.append(rest)
    return out


_CANDIDATES_KEY = "_calls_candidates"
_CANDIDATE_MAX = max(PITCH_MAX, CALLOUT_MAX, TIP_MAX)


def _all_candidates(doc: Doc) -> list[tuple[int, int]]:
    """Spans of the one-line paragraphs of at most :data:`_CANDIDATE_MAX` characters holding
    a hint word, the headline excepted; computed once per text view for the three rules.

    Literal searches on the lower-cased text: one ``find`` per hint and paragraph holding it
    (most texts hold none), not a test of every hint in every paragraph.
    """
    cached: list[tuple[int, int]] | None = doc.__dict__.get(_CANDIDATES_KEY)
    if cached is not None:
        return cached
    low = doc.lower
    if doc.folded is low:  # the usual case: one scan finds them (see LiteralIndex)
        hints = FOLDED_INDEX.present(doc, _hints())
    else:
        hints = tuple(h for h in _hints() if h in low)
    out: list[tuple[int, int]] = []
    if hints:
        text = doc.text
        paragraphs = doc.paragraphs
        starts = [s for s, _ in paragraphs]
        hit = bytearray(len(paragraphs))
        for h in hints:
            pos = low.find(h)
            while pos >= 0:
                i = bisect.bisect_right(starts, pos) - 1
                if i >= 0 and pos + len(h) <= paragraphs[i][1]:
                    hit[i] = 1
                    if i + 1 >= len(starts):
                        break
                    pos = low.find(h, starts[i + 1])  # one hit per paragraph is enough
                else:
                    pos = low.find(h, pos + 1)
        keep_first = first_line_is_title(doc)
        for index, (start, end) in enumerate(paragraphs):
            if not hit[index] or end - start > _CANDIDATE_MAX or (index == 0 and keep_first):
                continue
            if text.find("\n", start, end) < 0:
                out.append((start, end))
    doc.__dict__[_CANDIDATES_KEY] = out
    return out


def _candidates(doc: Doc, max_len: int) -> Iterator[tuple[int, int, str]]:
    """One-line paragraphs of at most ``max_len`` characters holding a hint word."""
    text = doc.text
    for start, end in _all_candidates(doc):
        if end - start <= max_len:
            yield start, end, text[start:end]


def _present(doc: Doc, literals: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """The literals of a prefilter that occur in ``doc.folded`` (None: no prefilter): a
    paragraph of the text can only hold these."""
    return None if literals is None else FOLDED_INDEX.present(doc, literals)


def _reports(paragraph: str) -> bool:
    return _REPORTED.search(paragraph) is not None or _SPEECH.search(paragraph) is not None


# --- pitches --------------------------------------------------------------------------------


@register("pitch_paragraph_v2", category="promo", folded_triggers=_hints())
@bounded
def find_pitch_paragraphs(doc: Doc) -> Iterable[Finding]:
    """A short paragraph pitching the outlet's own product and ending with the call:
    ``In each episode of his weekly YouTube show, Chris Cillizza will delve a little deeper
    into the surreal world of politics. Click to subscribe!``, a donation appeal (``Every day
    at Vox, we aim to answer ... Please consider making a contribution to Vox today.``),
    ``Subscribe to support our journalism. Start your free trial.``, a tune-in note ending
    ``Check local listings for airtimes in your area.``

    The last sentence must be a call from ``[call]`` of ``calls.txt`` (an imperative at the
    start of a sentence or after a comma or dash), the paragraph must name a product
    (``[product]``: show, episode, podcast, journalism, listings, membership ...), and half
    of its sentences must be calls or speak to the reader (you, your, we, our). Leaves alone:
    reported speech (quotes, "said", "urged"), a paragraph carrying a sourcing note
    (``[sourcing]``: "co-produced with", "originally published"), a news paragraph ending
    with a call about something else, paragraphs of several lines and anything over
    :data:`PITCH_MAX`.
    """
    pats = patterns()
    call, product, reader = pats["call"], pats["product"], pats["reader"]
    sourcing = pats["sourcing"]
    call_literals, folded = _present(doc, _literals("call")), doc.folded
    if call_literals == ():
        return  # no call in the text
    for start, end, paragraph in _candidates(doc, PITCH_MAX):
        # cheap tests first: the last sentence's call needs one of its literals in the
        # paragraph (most candidates hold none); then the paragraph's tests; sentences last
        if not may_match(call_literals, folded, start, end):
            continue
        if not product.search(paragraph) or _reports(paragraph) or sourcing.search(paragraph):
            continue
        sentences = _sentences(paragraph)
        if not 1 <= len(sentences) <= PITCH_MAX_SENTENCES or not call.search(sentences[-1]):
            continue
        addressed = sum(1 for s in sentences if call.search(s) or reader.search(s))
        if 2 * addressed >= len(sentences):
            yield Finding(start, end, "pitch for the outlet's own show, podcast or subscription")


# --- reader call-outs -----------------------------------------------------------------------

_QUESTION_TO_READER = re.compile(
    r"(?:are|were|have|do|did|is|would|could|will|can)\b[^?\n]{0,40}\byou(?:r)?\b[^?\n]{0,120}\?",
    re.IGNORECASE,
)
_CALLOUT_LABEL = re.compile(r"(?:[A-Z][\w&]*[ \t]){1,2}(?=(?-i:[A-Z]))")
"""A short label before the call-out's question (``Q&A Have you been affected ...?``)."""


@register("reader_callout_v2", category="promo", folded_triggers=_hints())
@bounded
def find_reader_callouts(doc: Doc) -> Iterable[Finding]:
    """A call-out asking readers for their stories, and its contact paragraph: ``Are you
    affected by Tropical Storm Harvey? Let us know about your experiences. Email
    haveyoursay@bbc.co.uk with your stories.`` then ``Please include a contact number if you
    are willing to speak to a BBC journalist. You can also contact us in the following
    ways:``; ``Have you corresponded with a member of Congress ...? ... Please fill out our
    short form.``

    The paragraph opens with a question to the reader (after at most a two-word label: ``Q&A
    Have you been affected by ...?``) or with the way to reach the newsroom itself (``Share
    your thoughts with USA TODAY``, ``Fill out the form below ...``), and holds a way to
    reach the newsroom (``[contact]`` of ``calls.txt``: an address, "get in touch", "share
    your experience", "fill out our form"). The paragraph right after one, if it only gives contact
    instructions (``[contact_detail]``), goes with it. Leaves alone: rhetorical questions in
    columns (no contact), interview questions, reported speech, longer paragraphs.
    """
    pats = patterns()
    contact, detail = pats["contact"], pats["contact_detail"]
    if _present(doc, _literals("contact")) == () and _present(doc, _EMAIL_LITERALS) == ():
        return  # no way to reach the newsroom in the text: no call-out (and so no details)
    text = doc.text
    found_end = -1
    for start, end, paragraph in _candidates(doc, CALLOUT_MAX):
        opens = _QUESTION_TO_READER.match(paragraph) or contact.match(paragraph)
        if opens is None and (label := _CALLOUT_LABEL.match(paragraph)) is not None:
            opens = _QUESTION_TO_READER.match(paragraph, label.end())
        if (
            opens is not None
            and (contact.search(paragraph) or _EMAIL.search(paragraph))
            and not _reports(paragraph)
        ):
            found_end = end
            yield Finding(start, end, "reader call-out (tell us your story)")
        elif (
            found_end >= 0
            and not text[found_end:start].strip()
            and detail.match(paragraph)
            and not _reports(paragraph)
        ):
            yield Finding(start, end, "contact instructions of a reader call-out")


# --- tip lines ------------------------------------------------------------------------------


@register("tip_line_v2", category="promo", folded_triggers=_hints())
@bounded
def find_tip_lines(doc: Doc) -> Iterable[Finding]:
    """A line asking for news tips or letters at an address: ``Send tips to
    will@example.org.``, ``Have a tip we should know? [email protected]``, ``Flag on the
    play? - Email us at TIPS@EXAMPLE.COM with your tips, comments or questions``, ``Send
    letters to: letters@example.com.``

    Every sentence of the line must be a tip request (``[tip]`` of ``calls.txt``) or a short
    question, and an address must be given. Leaves alone: a bio with a tip request after it
    (the byline rules judge those), sentences about tips in the news ("got a tip from a
    friend"), reported speech.
    """
    tip = patterns()["tip"]
    tip_literals, folded = _present(doc, _literals("tip")), doc.folded
    email_literals = _present(doc, _EMAIL_LITERALS)
    if tip_literals == () or email_literals == ():
        return  # no tip request, or no address, in the text
    for start, end, paragraph in _candidates(doc, TIP_MAX):
        if not may_match(email_literals, folded, start, end):
            continue  # no address (one search)
        if not may_match(tip_literals, folded, start, end):
            continue  # no sentence can be a tip request
        if not _EMAIL.search(paragraph) or _reports(paragraph):
            continue
        sentences = _sentences(paragraph)
        if not any(tip.search(s) for s in sentences):
            continue
        if all(
            tip.search(s) or (s.endswith("?") and len(s) <= 60) or _EMAIL.fullmatch(s.strip(". "))
            for s in sentences
        ):
            yield Finding(start, end, "request for news tips")
