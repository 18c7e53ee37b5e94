"""Photo credits that the credit grammar of :mod:`cleaners.credits` (names and a known picture
agency or wire) does not know: the outlet's own staff (``Melanie Stetson Freeman/Staff`` before
a caption, ``Jacob Turcotte and Story Hinckley/Staff`` under a chart) and courtesy credits
(``Courtesy of Erik McRitchie`` before a caption).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from cleaners.bylines import _fold, _source_forms_of
from cleaners.core import Doc, Finding
from cleaners.promo import bounded
from cleaners.registry import register

RULES: tuple[str, ...] = ("staff_credit_v1", "courtesy_credit_v1", "caption_more_v1")
"""Names this module registers, in the order they run in the default chain."""

STAFF_CAPTION_MAX = 700
"""A caption under an opening credit is at most this long; a longer line is a paragraph."""
STAFF_LINE_MAX = 160
"""A line that ends with the credit (a chart's) is at most this long."""

_NAME = r"(?:[A-Z][\w'’-]*\.? ){1,3}[A-Z][\w'’-]+"
_NAMES = rf"{_NAME}(?:(?:, | and | & ){_NAME}){{0,3}}"
_STAFF_HEAD = re.compile(rf"({_NAMES})/(Staff(?: [Pp]hotographer| [Ww]riter)?)(?=[ \t]|$)")
"""``Name Name/Staff`` (and more names): a credit of the outlet's staff opening a line; names
of capitalised words, bounded repeats: linear."""
_STAFF_TAIL = re.compile(rf"(?:^|[ \t])({_NAMES})/Staff$")
_OUTLET_HEAD = re.compile(rf"({_NAMES})/([A-Z][^\s/]*(?: [A-Z&][^\s/]*){{0,5}})")
_SENTENCE_END = (".", "!", "?", ",", ";", ":")


def _outlet_credit_end(text: str, start: int, forms: frozenset[str]) -> int:
    """End of ``Name/<the outlet's name>`` opening ``text[start:]``, or -1: the longest run of
    capitalised words after the slash whose letters are the outlet's name."""
    m = _OUTLET_HEAD.match(text, start)
    if m is None or not forms:
        return -1
    words = m.group(2).split(" ")
    for n in range(len(words), 0, -1):
        org = " ".join(words[:n])
        if _fold(org) in forms or _fold(org).removeprefix("the") in forms:
            return m.start(2) + len(org)
    return -1


def _caption_follows(text: str, pos: int, end: int) -> bool:
    """Nothing after the credit, or a caption opening like a sentence (``ABC News/Washington
    Post poll finds ...`` runs on in lower case: a poll's name in prose)."""
    rest = text[pos:end].lstrip()
    return not rest or rest[0].isupper() or rest[0].isdigit() or rest[0] in "“\"‘'("


@register("staff_credit_v1", category="credit", triggers=("/",))
@bounded
def find_staff_credits(doc: Doc) -> Iterable[Finding]:
    """A paragraph opening with a photo credit of the outlet's staff, whole with its caption:
    ``Melanie Stetson Freeman/Staff May Deng, the manager of the New Golden Gate restaurant in
    Boston's Chinatown, says business is down 90% ...``, ``Linda Feldmann/Staff Brenda Williams
    is a volunteer for Clinton. Photo taken at ...``, ``Story Hinckley/Staff`` alone, ``Name/<the
    outlet's name> <caption>``; and a short line ending with such a credit (``SOURCE: Atlas of
    U.S. Elections | Jacob Turcotte and Story Hinckley/Staff``, a chart's).

    The credit is one to four names of capitalised words, a slash and ``Staff`` (``Staff
    photographer``) or the outlet's own name (the source hint). The paragraph is one line, at
    most :data:`STAFF_CAPTION_MAX` characters (:data:`STAFF_LINE_MAX` when the credit closes
    it, then without a sentence-final stop), and what follows an opening credit opens like a
    sentence. Leaves alone: staff credits inside a paragraph of prose (``... Smith/Staff
    reported``), a poll's name opening prose (``ABC News/Washington Post poll finds ...``: runs
    on in lower case), other slashes (``Reuters/Ipsos``, ``and/or``), lines over the limits, and
    an outlet credit on the first line (it may be the headline's).
    """
    text = doc.text
    forms: frozenset[str] | None = None
    for index, (start, end) in enumerate(doc.paragraphs):
        if end - start > STAFF_CAPTION_MAX or text.find("/", start, end) < 0:
            continue
        if text.find("\n", start, end) >= 0:
            continue
        head = _STAFF_HEAD.match(text, start)
        if head is not None and _caption_follows(text, head.end(), end):
            yield Finding(start, end, "photo credit of the outlet's staff and its caption")
            continue
        line = text[start:end]
        closing = end - start <= STAFF_LINE_MAX and not line.endswith(_SENTENCE_END)
        if closing and _STAFF_TAIL.search(line) is not None:
            yield Finding(start, end, "line closing with a credit of the outlet's staff")
            continue
        if forms is None:
            forms = _source_forms_of(doc.source)
        credit_end = _outlet_credit_end(text, start, forms) if index else -1
        if credit_end > 0 and _caption_follows(text, credit_end, end):
            yield Finding(start, end, "photo credit of the outlet and its caption")


# --- courtesy credits -----------------------------------------------------------------------

COURTESY_MAX = 600
COURTESY_ALONE_WORDS = 8
COURTESY_NAME_WORDS = 8
_COURTESY = re.compile(
    r"(?:(?:Photo|Image|Photos|Video) )?(?:[Cc]ourtesy of|COURTESY OF) (?=[A-Z0-9])"
)
_JOINERS = frozenset(("&", "of", "the", "and", "OF", "THE", "AND"))


def _name_run(words: list[str]) -> int:
    """How many of ``words`` make the credited name: capitalised words (joining words between),
    at most :data:`COURTESY_NAME_WORDS`, ending with a capitalised word."""
    n = 0
    for word in words[:COURTESY_NAME_WORDS]:
        if word in _JOINERS or word[:1].isupper() or word[:1].isdigit():
            n += 1
            if word[-1] in ",;:":
                break
        else:
            break
    while n and words[n - 1] in _JOINERS:
        n -= 1
    return n


@register("courtesy_credit_v1", category="credit", folded_triggers=("courtesy of",))
@bounded
def find_courtesy_credits(doc: Doc) -> Iterable[Finding]:
    """A paragraph opening with a courtesy credit, whole with its caption: ``Courtesy of Erik
    McRitchie A little girl celebrates her fifth birthday on her porch ...``, ``COURTESY OF
    RONALD REAGAN PRESIDENTIAL LIBRARY George Shultz dances with Ginger Rogers ...``, and the
    credit alone (``Courtesy of Simon & Schuster, Inc.``).

    After ``Courtesy of`` comes a name of capitalised words; then either nothing (the whole
    line at most :data:`COURTESY_ALONE_WORDS` words, no lower-case word: ``Simon & Schuster,
    Inc.``) or, with no punctuation after the name, the caption (the trace of a credit glued
    to its caption). One line of at most :data:`COURTESY_MAX` characters. Leaves alone: prose
    that opens with the words (``Courtesy of Congress, the bill ...``: punctuation after the
    name; ``Courtesy of the pandemic, ...``: lower case after ``of``), the words inside a
    paragraph, and the headline.
    """
    text = doc.text
    for index, (start, end) in enumerate(doc.paragraphs):
        if end - start > COURTESY_MAX or text[start] not in "CcPIV":
            continue
        m = _COURTESY.match(text, start, end)
        if m is None or text.find("\n", start, end) >= 0:
            continue
        if index == 0 and doc.title and text[start:end].strip() == doc.title.strip():
            continue
        words = text[m.end() : end].split()
        run = _name_run(words)
        if not run:
            continue
        rest = words[run:]
        if not rest or (
            len(words) <= COURTESY_ALONE_WORDS and not any(w[:1].islower() for w in words)
        ):
            yield Finding(start, end, "courtesy credit")
        elif run >= 2 and words[run - 1][-1] not in ",;:.":
            yield Finding(start, end, "courtesy credit glued to its caption")


# --- a caption and its expand button ----------------------------------------------------------

CAPTION_MORE_MAX = 300
_CAPTION_MORE = re.compile(r"[A-Z][^\n]{15,290}?[a-z0-9)\]’'”\"][.!?] More")
"""One sentence and the expander's ``More``: bounded lazy gap: linear."""
_MORE_ENDS = (". More", "? More", "! More")


@register("caption_more_v1", category="credit", triggers=_MORE_ENDS)
@bounded
def find_caption_more(doc: Doc) -> Iterable[Finding]:
    """A one-sentence paragraph closed by a viewer's ``More`` button: a photo or chart caption
    (``A person holding cannabis leaves in their cupped hands. More``, ``Nonfarm payroll
    additions missed expectations in September. More``: Yahoo's slideshow captions).

    The paragraph is one line of at most :data:`CAPTION_MORE_MAX` characters, a single sentence
    (no sentence stop before the last one), then `` More``. Leaves alone: ``More`` inside a
    sentence (``... and More``), paragraphs of several sentences, and the first line.
    """
    text = doc.text
    for index, (start, end) in enumerate(doc.paragraphs):
        if not index or end - start > CAPTION_MORE_MAX or not text.endswith(_MORE_ENDS, start, end):
            continue
        m = _CAPTION_MORE.fullmatch(text, start, end)
        if m is None or text.find("\n", start, end) >= 0:
            continue
        body = text[start : end - len(" More")].rstrip()
        if re.search(r"[a-z0-9][.!?][\"”’']?\s+[A-Z]", body[:-1]):
            continue  # two sentences: a paragraph of the story
        yield Finding(start, end, "caption closed by the viewer's More button")
