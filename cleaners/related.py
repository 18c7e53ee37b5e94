"""Pointers to other content that carry no marker the line rules know: labelled headline
lines, glued link labels, inline ``(RELATED: ...)`` asides, labelled link tails, wire story
codes and dated headline links.

Every rule here needs two pieces of evidence: a pointer's own shape (a label from
``cleaners/data/link_labels.txt``, a label glued to a link without a space, a story code) AND
a headline after it (no sentence-final period, a capital start, a short line). Prose that uses
the same words ("Related: the two probes share witnesses", "(read: her)", a timeline of dated
sentences) fails one of the two and stays.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources

from cleaners.bylines import _source_forms_of
from cleaners.core import Doc, Finding, content_end
from cleaners.edges import first_line_is_title
from cleaners.patterns import FOLDED_INDEX, starts_of_lines_holding
from cleaners.promo import bounded, short_lines
from cleaners.registry import register

RULES: tuple[str, ...] = (
    "pointer_line_v1",
    "glued_link_line_v1",
    "inline_pointer_v1",
    "paren_pointer_v1",
    "caps_links_v1",
    "pitch_label_line_v1",
    "link_tail_v1",
    "wire_code_v1",
    "dated_links_v1",
    "caps_kicker_link_v1",
    "glued_pointer_v1",
    "related_box_v1",
    "pointer_block_v1",
    "bracket_pointer_v1",
    "outlet_pointer_v1",
)
"""Names this module registers, in the order they run in the default chain."""

HEADLINE_MAX = 200
"""A pointed-to headline is at most this long; a longer tail is a paragraph."""

HEADLINE_MAX_WORDS = 30

_CLOSERS = " \t\"”’')»]"
_NOT_HEADLINE_END = (".", ",", ";", ":")


# --- data -------------------------------------------------------------------------------------


@cache
def labels() -> dict[str, tuple[str, ...]]:
    """Section name -> its labels, as written in the data file."""
    text = resources.files("cleaners.data").joinpath("link_labels.txt").read_text("utf-8")
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
    return {name: tuple(items) for name, items in sections.items()}


@cache
def _pointer_labels() -> tuple[frozenset[str], frozenset[str], tuple[str, ...]]:
    data = labels()
    return (
        frozenset(label.casefold() for label in data["pointer"]),
        frozenset(label.casefold() for label in data["pointer_caps"]),
        tuple(label.casefold() + " " for label in data["pointer_prefix"]),
    )


@cache
def _body_labels() -> frozenset[str]:
    return frozenset(label.casefold() for label in labels()["pointer_body"])


BODY_START = 2
"""Labels of ``[pointer_body]`` point elsewhere only from this paragraph on (0-based)."""


def _alternation(section: str) -> str:
    return "|".join(re.escape(w) for w in sorted(labels()[section], key=len, reverse=True))


# --- shared tests -------------------------------------------------------------------------


def headline_tail(tail: str, min_words: int = 2) -> bool:
    """A headline after a label: capital (or quote, digit) start, no sentence-final period,
    at most :data:`HEADLINE_MAX` characters and :data:`HEADLINE_MAX_WORDS` words."""
    tail = tail.strip()
    if not tail or len(tail) > HEADLINE_MAX:
        return False
    if not min_words <= len(tail.split()) <= HEADLINE_MAX_WORDS:
        return False
    if tail.rstrip(_CLOSERS).endswith(_NOT_HEADLINE_END):
        return False
    first = tail[0]
    return first.isupper() or first.isdigit() or first in "‘'\"“¿¡"


def _stands_alone(text: str, start: int, end: int) -> bool:
    """The line ``text[start:end]`` is a paragraph of its own (a blank line or an edge around)."""
    return (start == 0 or text[max(0, start - 2) : start] == "\n\n") and (
        end >= content_end(text) or text[end : end + 2] == "\n\n"
    )


def _standalone_lines(doc: Doc, needles: tuple[str, ...]) -> Iterator[tuple[int, int, str]]:
    """Short lines holding one of ``needles`` that stand alone, the headline excepted."""
    for s, e, line in _alone(doc):
        for needle in needles:
            if needle in line:
                yield s, e, line
                break


_ALONE_KEY = "_related_alone"


def _alone(doc: Doc) -> list[tuple[int, int, str]]:
    """The short lines of a view that stand alone, the headline excepted: computed once per
    view for the rules that look for a needle in them."""
    cached: list[tuple[int, int, str]] | None = doc.__dict__.get(_ALONE_KEY)
    if cached is None:
        text = doc.text
        last = content_end(text)
        cached = []
        append = cached.append
        for i, s, e, line, _ in short_lines(doc):
            # :func:`_stands_alone`, inlined (one test per short line of every view): a blank
            # line or the start before, a blank line or the end of the content after
            if s and (s < 2 or text[s - 1] != "\n" or text[s - 2] != "\n"):
                continue
            if e < last and text[e : e + 2] != "\n\n":
                continue
            if i == 0 and first_line_is_title(doc):
                continue
            append((s, e, line))
        doc.__dict__[_ALONE_KEY] = cached
    return cached


# --- labelled headline lines -----------------------------------------------------------------

_LABEL_SPLIT = re.compile(r"[ \t]?(?::|\.\.\.|…)[ \t]*")
_LABEL_MAX = 40


def _pointer_label(label: str) -> bool:
    plain, caps, prefixes = _pointer_labels()
    key = label.casefold()
    if key in plain:
        return True
    if key in caps and label.isupper():
        return True
    return key.startswith(prefixes) and len(label.split()) <= 6


@register("pointer_line_v1", category="related")
@bounded
def find_pointer_lines(doc: Doc) -> Iterable[Finding]:
    """A paragraph that is a pointer label and a headline: ``Full Coverage: Election 2020``,
    ``IN THE NEWS: ‘Trump Slams Justice Department’``, ``More On This... Panetta: Pentagon
    to shift warships to Pacific``, ``More: Terror spreads from airports to open spaces``,
    ``SEE RELATED: ...``, ``Read More From Credit.com: How to Decipher Your Pay Stub``.

    Labels come from the ``[pointer]`` sections of ``link_labels.txt`` (``READ``, ``STORY``,
    ``EARLIER``, ``FLASHBACK`` only in capitals; ``Opinion: Election winner faces a dangerous
    world``, ``Read: How the pandemic will end``, ``Podcast: ...``, ``Profile: ...`` only below
    the first two paragraphs). Leaves alone: a label followed by a sentence (a final period, a
    lower-case start: ``More: the senator said ...``), a label inside a longer paragraph,
    section labels of the article (``THE FACTS:``, ``UPDATE:``, speaker names in transcripts),
    the headline line, and an ``Opinion:`` headline or dek over the piece's first paragraphs.
    """
    body_from = -1
    for s, e, line in _standalone_lines(doc, (":", "…", "...")):
        m = _LABEL_SPLIT.search(line, 0, _LABEL_MAX + 4)
        if m is None or m.start() == 0:
            continue
        label, tail = line[: m.start()].strip(), line[m.end() :]
        if not _pointer_label(label):
            if label.casefold() not in _body_labels():
                continue
            if body_from < 0:
                paragraphs = doc.paragraphs
                body_from = paragraphs[min(BODY_START, len(paragraphs) - 1)][0]
            if s < body_from or not tail.strip():
                continue  # may open the piece's own headline or dek
        if not tail.strip():
            yield Finding(s, e, f"pointer label standing alone ({label!r})")
        elif headline_tail(tail, min_words=1):
            yield Finding(s, e, f"pointer to other content ({label!r} + headline)")


_GLUED = re.compile(
    r"([A-Z0-9‘“\"'][^:\n]{0,60}?(?:[^\W\d_)]|(?<=[^\W_])[’'\"”]|\d(?=:[A-Z][a-z]))):{1,2}"
    r"(?=[A-Z0-9‘“\"'¿])"
)
_GLUED_LABEL_WORDS = 8
_GLUED_NEXT = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789‘“\"'¿")
"""What :data:`_GLUED`'s lookahead takes after the colons."""


def _may_be_glued(line: str) -> bool:
    """A test every line :data:`_GLUED` matches passes, by string methods: its label holds no
    colon, so its colons are the line's first, after two to 62 characters, and are followed
    (after one or two) by what the lookahead takes."""
    colon = line.find(":")
    if not 2 <= colon <= 62:
        return False
    after = line[colon + 1 : colon + 3]
    return after[:1] in _GLUED_NEXT or (after[:1] == ":" and after[1:] in _GLUED_NEXT)


@register("glued_link_line_v1", category="related")
@bounded
def find_glued_link_lines(doc: Doc) -> Iterable[Finding]:
    """A paragraph that is a label glued to a link without a space: ``More:Supreme Court could
    make sports-betting ban an underdog``, ``Fact check:Ellen, Oprah, many others are not under
    house arrest``, ``The list:Here are the members of Congress retiring``, a quotation as the
    label (``'We would like to get to yes':Lawmakers signal growing concern ...``), a doubled
    colon (``Death rates, bedsores, ER wait times::Where every VA hospital lags ...``), a year
    (``Post-election 2016:Speaker Paul Ryan says ...``).

    The missing space is the trace of two page elements (a kicker and a link) flattened into
    one line; the part after it must read as a headline. Leaves alone: times and scores
    (``10:55``, a digit on both sides of the colon), URLs (``https://``), a tail that ends like
    a sentence (a quote ending ``….”``), lines inside a longer paragraph and the headline line.
    """
    for s, e, line in _standalone_lines(doc, (":",)):
        if not _may_be_glued(line):
            continue
        m = _GLUED.match(line)
        if m is None:
            continue
        label = m.group(1)
        if len(label.split()) > _GLUED_LABEL_WORDS or "http" in label.casefold():
            continue
        if headline_tail(line[m.end() :], min_words=2):
            yield Finding(s, e, f"label glued to a link ({label!r}:...)")


# --- inside paragraphs -----------------------------------------------------------------------


@cache
def _inline_pattern() -> re.Pattern[str]:
    # (?-i) not needed: compiled case-sensitive; a bounded class, no nested repeats: linear
    return re.compile(rf"\((?:{_alternation('inline')})[ \t]?:[ \t]?([^()\n]{{3,200}})\)")


@register("inline_pointer_v1", category="related", triggers=("(",))
@bounded
def find_inline_pointers(doc: Doc) -> Iterable[Finding]:
    """A parenthesised pointer inside a paragraph: `` (RELATED: Media Matters Gave MSNBC Host
    Joy Reid A Pass)``, `` (VIDEO: Obama's softball interviews)``, ``(CHART: ...)``.

    The label must be in capitals (``[inline]`` of ``link_labels.txt``) and what it points to
    read as a headline; the space before it goes too. Leaves alone: asides in prose
    (``(read: her)``, ``(see: the tweet ...)``, ``(Photo: ...)`` credits, which the credit
    rules judge) and a parenthesis holding a sentence.
    """
    text = doc.text
    if "(" not in text:
        return
    # The pattern starts at the bracket (a literal re finds fast); the space before goes too.
    for m in _inline_pattern().finditer(text):
        if headline_tail(m.group(1), min_words=2) or _is_title_case(m.group(1)):
            start = m.start() - (m.start() > 0 and text[m.start() - 1] in " \t")
            yield Finding(start, m.end(), "inline pointer to another story")


_PAREN_POINTER = re.compile(r"\([ \t]?([^():\n]{2,40}?)[ \t]?:[ \t]?([^()\n]{2,200})\)")
"""A whole paragraph ``( LABEL: what it points to)``; bounded classes, one lazy gap: linear."""

_PAREN_LABEL_WORDS = 3
_PAREN_SOURCE_LABEL_WORDS = 5
_PAREN_HERE_LABEL_WORDS = 8
_SENTENCE_END = re.compile(r"[.!?]")
_EDITORIAL_LABEL = re.compile(
    r"NOTE|UPDATE|CORRECT|CLARIF|DISCLOS|PHOTO|IMAGE|CREDIT|SOURCE|AP\b|REUTERS|WARNING",
    re.IGNORECASE,
)
"""Labels of the article's own notes (``(UPDATE: ...)``, ``(EDITOR'S NOTE: ...)``) and of
credits, which the credit rules judge: never a pointer."""


def _paren_label(label: str, doc: Doc) -> str | None:
    """Why ``label`` (of a ``( LABEL: ...)`` paragraph) points elsewhere, or None."""
    if _EDITORIAL_LABEL.search(label) or not label[:1].isalpha():
        return None
    words = label.split()
    if label.isupper() and len(words) <= _PAREN_LABEL_WORDS:
        return "label in capitals"
    if _pointer_label(label):
        return "pointer label"
    if len(words) <= _PAREN_SOURCE_LABEL_WORDS and doc.source:
        # "Earlier on POLITICO", "On POLITICO Magazine": the label names the outlet itself
        forms = _source_forms_of(doc.source)
        folded = "".join(ch for ch in label.casefold() if ch.isalnum())
        if any(form in folded for form in forms):
            return "label naming the outlet"
    return None


@register("paren_pointer_v1", category="related", triggers=("\n(",))
@bounded
def find_paren_pointers(doc: Doc) -> Iterable[Finding]:
    """A paragraph that is only a parenthesised pointer: ``( WATCH: Obama blasts Congress on
    sequestration)``, ``( QUIZ: Do you know Ted Cruz?)``, ``( Earlier on POLITICO: Big donors
    fear shakedown)``, ``(GRAPHIC - Tracking the novel coronavirus: here)``: a flattened link
    box between paragraphs.

    The label is in capitals (at most three words), a pointer label of ``link_labels.txt``, or
    names the outlet (the ``source`` hint); what follows reads as a headline, or is the bare
    link word ``here``. Leaves alone: the article's own notes (``(UPDATE: ...)``,
    ``(EDITOR'S NOTE: ...)``, corrections), credits (``(Photo: ...)``, ``(AP Photo: ...)``),
    a parenthesis holding a sentence (``(Most recent update: 2:50 p.m ET.)``), transcript cues
    without a label (``(SOUNDBITE OF ...)``), parentheses inside a paragraph, and the first
    paragraph of a text.
    """
    text = doc.text
    for start, end in doc.paragraphs:
        if text[start] != "(" or text[end - 1] != ")" or end - start > 250:
            continue
        if start == 0 or text[start - 1] != "\n":
            continue  # what the trigger needs: the paragraph opens a line after the first
        m = _PAREN_POINTER.fullmatch(text, start, end)
        if m is None:
            continue
        label, tail = m.group(1).strip(), m.group(2).strip()
        if tail == "here":
            # "(For all Reuters election coverage, click: here)": the link word itself
            if len(label.split()) <= _PAREN_HERE_LABEL_WORDS and not _SENTENCE_END.search(label):
                yield Finding(start, end, f"parenthesised link ({label!r}: here)")
            continue
        why = _paren_label(label, doc)
        if why is not None and headline_tail(tail, min_words=2):
            yield Finding(start, end, f"parenthesised pointer ({why}: {label!r} + headline)")


# --- runs of all-caps headlines -----------------------------------------------------------

CAPS_LINK_MIN_WORDS = 7
"""An all-caps headline of another story is a full headline: shorter caps lines are subheads
(``REGULATORY ROLLBACK``, ``A BLUEPRINT FOR BROADER SURVEILLANCE``)."""
CAPS_LINK_MAX = 220
CAPS_LINKS_MIN = 2
"""At least this many such lines: one alone may be a chart title or a pull quote."""
CAPS_LINES_MAX = 4
"""A text with more all-caps lines than this is built on caps subheads (a newsletter's
sections): none of its lines is taken."""
_CAPS_NOT_END = (".", "?", "!", ":", ";", ",", "…", "-", "—", "–")


def _caps_line(text: str, start: int, end: int) -> bool:
    """A one-line paragraph in capitals: at least 12 cased letters, at most one in ten in lower
    case (``McCONNELL``)."""
    if end - start > CAPS_LINK_MAX or text.find("\n", start, end) >= 0:
        return False
    upper = lower = 0
    for ch in text[start:end]:
        if ch.isupper():
            upper += 1
        elif ch.islower():
            lower += 1
            if lower > 3:
                return False
    return upper >= 12 and lower * 10 <= upper


_CAPS_HEAD = re.compile(r"\n\n[^a-z\n]{12}")
"""A paragraph opening with twelve characters none of them lower case: where a caps line may
start after the first paragraph (a literal start, which ``re`` searches fast; rules see tidied
text, where paragraphs are separated by one blank line)."""


@register("caps_links_v1", category="related")
@bounded
def find_caps_links(doc: Doc) -> Iterable[Finding]:
    """Headlines of other stories left in capitals between paragraphs, when there are two or
    more: ``DECLASSIFIED SUSAN RICE EMAIL SHOWS COMEY SUGGESTED 'SENSITIVE' INFO ON RUSSIA NOT BE
    SHARED WITH FLYNN`` and ``BRENNAN SAYS HE'S WILLING TO BE INTERVIEWED BY DURHAM, SAYS HE HAS
    'NOTHING TO HIDE'`` inside one story: a related-links box flattened into the body.

    Each is a paragraph of one line in capitals with at least :data:`CAPS_LINK_MIN_WORDS` words
    and no closing punctuation (a question, a colon, an ellipsis), not the first paragraph and
    not wrapped in quotes or brackets; the text holds at least :data:`CAPS_LINKS_MIN` of them
    and at most :data:`CAPS_LINES_MAX` all-caps paragraphs in all. Leaves alone: short caps
    subheads (``DECIMATING ISIS``), questions and quoted subheads (``‘WE DON’T WANT A NEW ARMS
    RACE’``), a single caps line (a chart title or pull quote: the known failure
    ``all-caps-link``), texts built on caps section heads (a newsletter with a dozen), and
    the headline.
    """
    text = doc.text
    caps: list[tuple[int, int]] = []
    starts = [m.start() + 2 for m in _CAPS_HEAD.finditer(text)]
    if len(starts) < CAPS_LINKS_MIN:
        return
    head = text[:12]
    if head == head.upper():
        starts.insert(0, len(text) - len(text.lstrip()))  # the first paragraph counts too
    for start in starts:
        end = text.find("\n", start)
        if end < 0:
            end = len(text)
        while end > start and text[end - 1] in " \t\r":
            end -= 1
        if not _stands_alone(text, start, end) or not _caps_line(text, start, end):
            continue
        if len(text[start:end].split()) < 2:
            continue
        if len(caps) >= CAPS_LINES_MAX:
            return
        caps.append((start, end))
    if len(caps) < CAPS_LINKS_MIN:
        return
    first = doc.paragraphs[0][0] if doc.paragraphs else -1
    links = []
    for start, end in caps:
        if start == first:
            continue  # the first paragraph: the headline
        line = text[start:end]
        if line.endswith(_CAPS_NOT_END) or line.endswith("..."):
            continue
        if line[0] in "‘'\"“([" and line[-1] in "’'\"”)]":
            continue
        if len(line.split()) >= CAPS_LINK_MIN_WORDS:
            links.append((start, end))
    if len(links) >= CAPS_LINKS_MIN:
        for start, end in links:
            yield Finding(start, end, "headline of another story in capitals (one of a run)")


# --- a label and a call to the reader -------------------------------------------------------

_PITCH_VERBS = (
    "Learn|Watch|See|Read|Find out|Discover|Explore|Meet|Listen(?: to)?|Take|Test|Follow|Share"
    "|Sign up|Subscribe|Join|Get|Download|Check out|Vote|Tell us|Send|Try|Play|Hear|Visit"
    "|Browse|Catch"
)
_PITCH_LABEL_LINE = re.compile(rf"([A-Z][^:\n]{{1,40}}?\??): ((?:{_PITCH_VERBS})\b[^\n]{{3,150}})")
"""``Label: <imperative>``: a short label and a call opening with a verb to the reader; bounded
classes and one lazy gap: linear."""
_PITCH_LABEL_WORDS = 4
_LABELLED_LINE = re.compile(r"[A-Z][^:\n]{1,40}: [^\n]{1,150}$")
"""A short line opening with a label: beside one, the line is an item of a list."""
_PITCH_NOT_END = (".", ",", ";", ":", "!", "?")


def _pitch_label(line: str) -> re.Match[str] | None:
    m = _PITCH_LABEL_LINE.fullmatch(line)
    if m is None or line.endswith(_PITCH_NOT_END):
        return None
    label = m.group(1)
    if len(label.split()) > _PITCH_LABEL_WORDS or any(ch.isdigit() for ch in label):
        return None
    return m


@register("pitch_label_line_v1", category="related", triggers=(": ",))
@bounded
def find_pitch_label_lines(doc: Doc) -> Iterable[Finding]:
    """A paragraph that is a short label and a call to the reader, with no sentence
    punctuation: ``Step Into History: Learn how to experience the 1963 March on Washington in
    virtual reality``, ``On the ground: Follow updates from CNN's reporters``, ``QUIZZES: Test
    your knowledge on US citizenship``, ``Like what you’re reading?: Download the USA TODAY app
    for more``: a box pointing to the outlet's other content, flattened between paragraphs.

    The label has at most four words and no digit; the call opens with a verb to the reader
    (learn, watch, follow, share, test, download ...) and does not end like a sentence.
    Leaves alone: transcript lines (``OFFICER 2: Watch the flag.``: a digit, a full stop), numbered
    steps and tips (``Step 1: ...``), a line beside another short labelled line (a list of
    tips, a run of section labels), questions, labels inside a paragraph, and the headline.
    """
    text = doc.text
    hits = [(s, e) for s, e, line in _standalone_lines(doc, (": ",)) if _pitch_label(line)]
    for s, e in hits:
        before = text[:s].rstrip()
        after = text[e:].lstrip()
        prev_line = before[before.rfind("\n") + 1 :]
        next_line = after[: after.find("\n")] if "\n" in after else after
        if _LABELLED_LINE.match(prev_line) or _LABELLED_LINE.match(next_line):
            continue  # a list of tips or steps, or a run of section labels: not a box
        yield Finding(s, e, "a label and a call to the reader between paragraphs")


def _is_title_case(text: str) -> bool:
    """``House Gun Control Bill Advances Out Of Committee. Here Are The Details``."""
    words = [w for w in text.split() if w[:1].isalpha()]
    return len(words) >= 3 and all(w[0].isupper() for w in words)


@cache
def _tail_pattern() -> re.Pattern[str]:
    return re.compile(
        rf"[.!?\"”’)]([ \t]+(?:(?:{_alternation('tail')}):[ \t]?(?:https?://|www\.)[^\s]{{3,200}}"
        r"|here)[ \t]*)$",
        re.MULTILINE,
    )


_LINK_NEEDLES = ("://", "www.")
"""What the link branch of the tail pattern needs (no cased letter but ``w``: absent from the
folded text, absent from the text)."""

_HERE_AT_LINE_END = re.compile(r"here[ \t]*$", re.MULTILINE)
"""What the stray-link branch of the tail pattern needs (a literal start: a fast search)."""


@register("link_tail_v1", category="related", triggers=("here", "://", "www."))
@bounded
def find_link_tails(doc: Doc) -> Iterable[Finding]:
    """A labelled link closing a paragraph after its last sentence: `` WATCH:
    http://abcn.ws/Tl43l1``, `` POLL: http://...``, and a stray link word `` here`` dangling
    after the final full stop (the text of a link whose sentence was cut away).

    Labels in capitals from ``[tail]`` of ``link_labels.txt``. Leaves alone: a bare URL ending a
    paragraph (an author's citation), a URL inside an embedded tweet (a ``— Name (@handle)``
    line follows it on the same line), ``here`` inside a sentence ("Read it here.") and labels
    in lower case.
    """
    text = doc.text
    # A match lies within one line and ends it, so each line holds at most one, the leftmost
    # match of that line (what ``finditer`` over the text yields): only the lines holding
    # ``://`` or ``www.`` (the link branch) or ending in ``here`` (the stray word) are
    # searched, not every sentence end of the text.
    # where the folded text lacks a literal the text does (one scan for all: LiteralIndex)
    starts = starts_of_lines_holding(text, FOLDED_INDEX.present(doc, _LINK_NEEDLES))
    for m in _HERE_AT_LINE_END.finditer(text):
        starts.add(text.rfind("\n", 0, m.start()) + 1)
    if not starts:
        return
    search = _tail_pattern().search
    size = len(text)
    for line_start in sorted(starts):
        line_end = text.find("\n", line_start)
        # group 1: what follows the sentence's last character (a class re scans for fast,
        # where a lookbehind would make it try every position)
        m = search(text, line_start, size if line_end < 0 else line_end)
        if m is not None:
            yield Finding(
                m.start(1), m.end(1), f"link left after the last sentence: {m.group(1).strip()!r}"
            )


_WIRE_CODE = re.compile(r"\[(?:ID:)?(n?[A-Z0-9]{8,11}|[A-Z]{2,8}/[A-Z]{2,8})\](?=[ \t\n]|$|[A-Z])")
"""A story or topic code from its bracket (a literal ``re`` finds fast); the rule takes the
space before it itself."""


@register("wire_code_v1", category="related", triggers=("[",))
@bounded
def find_wire_codes(doc: Doc) -> Iterable[Finding]:
    """Wire-service story and topic codes left in the text: `` [nL1N2DH13L]``,
    `` [L1N2DO1NW]``, ``[MKTS/GLOB]``: links to other wire stories.

    A story code mixes capitals and digits (at least two of each); a topic code is two
    capital words joined by a slash. Leaves alone: editorial brackets (``[Moammar]``,
    ``[NSC]``, ``[APPLAUSE]``: words, no digits), ``[pdf]`` and bracketed numbers.
    """
    text = doc.text
    if "[" not in text:
        return
    for m in _WIRE_CODE.finditer(text):
        code = m.group(1)
        if "/" not in code:
            digits = sum(c.isdigit() for c in code)
            if digits < 2 or len(code) - digits < 2:
                continue
        start = m.start()
        if start > 0 and text[start - 1] in " \t":
            start -= 1  # the space before goes too ...
            if m.end() < len(text) and not text[m.end()].isspace():
                start += 1  # ... unless glued to the next word: it stays as the separator
        yield Finding(start, m.end(), f"wire story code [{code}]")


# --- dated headline links ---------------------------------------------------------------------

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_DATED = re.compile(
    r"(Jan|Feb|Mar|Apr|May|June?|July?|Aug|Sept?|Oct|Nov|Dec)[a-z]{0,6}\.? (\d{1,2})"
    r"(?:, (\d{4}))?: (.+)"
)
DATED_RUN_MIN = 2


@register("dated_links_v1", category="related", triggers=(": ",))
@bounded
def find_dated_links(doc: Doc) -> Iterable[Finding]:
    """Two or more adjacent paragraphs that are dated headlines, newest first: ``Jan. 9: In
    extraordinary public negotiation with Congress, Trump promises to sign DACA bill`` then
    ``Jan. 8: How Trump's wall pledge is complicating a DACA bill``: links to earlier stories.

    Leaves alone: timelines (dates in ascending order, as a chronology is told), dated lines
    that end like sentences, a single dated line, and dates inside paragraphs.
    """
    text = doc.text
    if ": " not in text:
        return
    run: list[tuple[int, int, int]] = []  # (start, end, ordinal)
    last_index = -2

    def flush() -> Iterator[Finding]:
        if len(run) >= DATED_RUN_MIN:
            for s, e, _ in run:
                yield Finding(s, e, "dated headline link (a list of earlier stories)")

    for index, (s, e) in enumerate(doc.paragraphs):
        if e - s > HEADLINE_MAX + 20 or text[s] not in "JFMASOND":
            if run:
                yield from flush()
                run = []
            continue
        m = _DATED.fullmatch(text, s, e)
        if m is None or not headline_tail(m.group(4)) or (index == 0 and first_line_is_title(doc)):
            if run:
                yield from flush()
                run = []
            continue
        month = _MONTHS[m.group(1)[:3].lower()]
        year = int(m.group(3)) if m.group(3) else 0
        ordinal = year * 400 + month * 32 + int(m.group(2))
        if run and (index != last_index + 1 or not _not_later(ordinal, run[-1][2], year)):
            yield from flush()
            run = []
        run.append((s, e, ordinal))
        last_index = index
    yield from flush()


def _not_later(ordinal: int, previous: int, year: int) -> bool:
    """Newest first: this date is not after the previous one (a December may follow a
    January across the turn of a year when no year is written)."""
    if ordinal <= previous:
        return True
    return not year and ordinal // 32 % 400 == 12 and previous // 32 % 400 == 1


# --- a kicker in capitals over a headline in lower case ------------------------------------

_KICKER_LINE = re.compile(r"([A-Z][A-Z0-9&'’. -]{0,30}[A-Z0-9]):[ \t]+(\S[^\n]*)")
"""``LABEL: rest`` on one line: a label of capitals, digits and a few joining characters, a
colon, the rest (bounded classes: linear)."""
KICKER_LABEL_WORDS = 4
KICKER_MIN_WORDS = 4
"""A pointed-to headline has a few words: ``WHEN: Saturday at noon`` is a field of a list."""
KICKER_MAX_WORDS = 20
KICKER_MAX = 170
_KICKER_NOTES = frozenset(
    (
        "update",
        "updated",
        "correction",
        "clarification",
        "note",
        "editor's note",
        "editor’s note",
        "source",
        "sources",
        "photo",
        "file photo",
        "credit",
        "who",
        "what",
        "when",
        "where",
        "why",
        "how",
        "watch",
        "just watched",
        "must watch",
    )
)
"""Labels of the article's own notes and credits, and the fields of a who-what-when box: the
rest after them is the article's (an update line, a caption) even when it reads as a headline.
And a video's labels: a flattened player is ``video_chrome_v1``'s."""
_SPEECH_WORDS = re.compile(
    r"\b(?:I|I['’]m|[Ww]e|[Ww]e['’](?:re|ll)|us|[Oo]ur|[Mm]y|me|[Yy]ou|[Yy]our)\b"
)
"""A speaker's words after a label (``MAYOR SMITH: We will fix the roads first``): a headline
names its people in the third person."""
_SECTION_BYLINE = re.compile(r"By [A-Z]|\d{1,2}[.)] |[•*-] ")
"""What opens the paragraph after a section's heading: its byline or a list."""
_KICKER_SENTENCE_END = (".", "?", "!", ",", ";", ":", "…", "—", "–", "-")
_KICKER_ELSEWHERE = ("http", "www.", "@", "pic.twitter", " — ", "|", "...", "…")
"""An embedded tweet (``BREAKING: ... pic.twitter.com/... — Name (@handle)``), a link, a credit
separator, an ellipsis (a flattened player: ``JUST WATCHED 2011: ... Replay More Videos ...``):
not a headline the page points to."""


def _kicker(line: str) -> tuple[str, str] | None:
    """``(label, headline)`` when ``line`` is a capitals label and a headline in lower case."""
    m = _KICKER_LINE.fullmatch(line)
    if m is None:
        return None
    label, tail = m.group(1), m.group(2).rstrip()
    if not label.isupper() or len(label.split()) > KICKER_LABEL_WORDS:
        return None
    return label, tail


def _kicker_headline(label: str, tail: str) -> bool:
    if label.casefold() in _KICKER_NOTES or len(tail) > KICKER_MAX:
        return False
    if not KICKER_MIN_WORDS <= len(tail.split()) <= KICKER_MAX_WORDS:
        return False
    if tail.rstrip("\"”’')").endswith(_KICKER_SENTENCE_END) or tail.endswith("..."):
        return False
    if any(mark in tail for mark in _KICKER_ELSEWHERE) or _SPEECH_WORDS.search(tail):
        return False
    first = tail[0]
    if not (first.isupper() or first.isdigit() or first in "‘'\"“"):
        return False
    # in lower case, not capitals: the contrast of a kicker and a link (a caps subhead such as
    # ``WINNER: JOE BIDEN`` is the article's own)
    return sum(ch.islower() for ch in tail) >= 3


@register("caps_kicker_link_v1", category="related", triggers=(": ",))
@bounded
def find_caps_kicker_links(doc: Doc) -> Iterable[Finding]:
    """A paragraph that is a kicker in capitals and a headline in lower case:
    ``EDITORIAL: Transparency Can Resolve the Wiretap Controversy``, ``FAITHWIRE: Sy Rogers,
    Famous Leader in Christian Sexuality, Dies at 63``, ``POLICING THE USA: A look at race,
    justice, media``, ``TOP 10: Celebrity Attacks on Trump’s Handling of the Pandemic``: a
    teaser for another story (the kicker names its section or series), flattened between
    paragraphs.

    The kicker has at most :data:`KICKER_LABEL_WORDS` words, all in capitals; the headline
    :data:`KICKER_MIN_WORDS` to :data:`KICKER_MAX_WORDS` words, a capital start, at least a few
    lower-case letters, no sentence-final punctuation, no link, handle or tweet signature.
    Leaves alone: transcripts and Q&As (speaker labels: a text where any such line ends like
    a sentence, ``AMY GOODMAN: And so?``, keeps them all; words in the first or second person,
    ``MAYOR SMITH: We will fix the roads first``), update and correction lines,
    credits and sources, who-what-when fields, subheads in capitals (``WINNER: JOE BIDEN``),
    embedded tweets (``BREAKING: ... — Name (@handle)``), the headings of a page's sections (after
    a separator such as ``• • •``, or over a byline or a list: ``BRIEFING: Where 'Obamacare'
    stands in 2016`` then ``By Francine Kiefer, Staff writer``), video labels (``WATCH:``,
    ``video_chrome_v1``'s), labels inside a paragraph, the first paragraph and the headline.
    """
    lines = list(_standalone_lines(doc, (": ",)))
    if not lines:
        return
    kickers = []
    for s, e, line in lines:
        parsed = _kicker(line)
        if parsed is None:
            continue
        label, tail = parsed
        if tail.rstrip("\"”’')").endswith((".", "?", "!")):
            return  # a speaker's line: a transcript or an interview
        kickers.append((s, e, label, tail))
    text = doc.text
    first = doc.paragraphs[0][0] if doc.paragraphs else -1
    for s, e, label, tail in kickers:
        if s == first or not _kicker_headline(label, tail):
            continue
        before = text[:s].rstrip()
        previous = before[before.rfind("\n") + 1 :]
        if previous and not any(ch.isalnum() for ch in previous):
            continue  # after a separator (``• • •``): the heading of the page's next section
        if _SECTION_BYLINE.match(text, e + 2):
            continue  # a byline or a list follows: the heading of a section of the page
        yield Finding(s, e, f"kicker in capitals and a headline ({label!r}: another story)")


# --- a pointer label glued to its link, whatever the link's end ---------------------------

_GLUED_POINTER = re.compile(r"[►▶»›•]?[ \t]*([A-Za-z][A-Za-z ’']{1,30}?):(?=[A-Z0-9‘“\"'])")
"""A label, a colon, and the link's first character with no space between: bounded class and
lazy gap: linear."""
GLUED_POINTER_MAX = 220
GLUED_POINTER_MIN_WORDS = 3


@register("glued_pointer_v1", category="related", triggers=(":",))
@bounded
def find_glued_pointers(doc: Doc) -> Iterable[Finding]:
    """A paragraph that is a pointer label glued to its link, even where the link's headline
    ends like a sentence or was cut: ``More:Donald Trump accepts Nancy Pelosi's offer to deliver
    State of the Union at the Capitol on Feb. 5.``, ``More:Trump Asia tour: The president is
    winning. Too bad it's Chinese President Xi Jinping.``, ``More:Post Pittsburgh shooting,
    Trump again blames media for 'anger,'`` (USA TODAY's ``More:`` links).

    ``glued_link_line_v1`` takes any label glued to a headline that does not end like a
    sentence; here the label must be a known pointer label (``[pointer]`` of
    ``link_labels.txt``: More, Related, Read more ...), and then the missing space alone is
    the evidence: prose never glues ``More:`` to the next word. The link has at least
    :data:`GLUED_POINTER_MIN_WORDS` words; one line of at most :data:`GLUED_POINTER_MAX`
    characters. Leaves alone: other glued labels (``glued_link_line_v1``'s), labels with a
    space after the colon (``pointer_line_v1``'s), times (``10:55``), lines inside a longer
    paragraph, and the headline.
    """
    plain, caps, _ = _pointer_labels()
    for s, e, line in _standalone_lines(doc, (":",)):
        if e - s > GLUED_POINTER_MAX:
            continue
        m = _GLUED_POINTER.match(line)
        if m is None:
            continue
        label = m.group(1).strip()
        key = label.casefold()
        if key not in plain and not (key in caps and label.isupper()):
            continue
        if len(line[m.end() :].split()) >= GLUED_POINTER_MIN_WORDS:
            yield Finding(s, e, f"pointer label glued to a link ({label!r}:...)")


# --- Vox's "Related" box --------------------------------------------------------------------

_RELATED_BOX = re.compile(r"Related ([A-Z0-9‘“\"'][^\n]{10,200})")
RELATED_BOX_MIN_WORDS = 4
_LABEL_COLON = re.compile(r"[^\s:]+(?: [^\s:]+)?:")
"""A tail that opens with one or two words and a colon: ``Related`` ends a label there."""


@register("related_box_v1", category="related", triggers=("Related ",))
@bounded
def find_related_boxes(doc: Doc) -> Iterable[Finding]:
    """A paragraph that is the word ``Related`` and a headline with no colon between, a related
    box flattened into one line: ``Related 9 winners and one really big loser from the 2020
    Golden Globes``, ``Related A syllabus for the end of the world`` (Vox).

    The headline opens with a capital, a digit or a quotation mark, has at least
    :data:`RELATED_BOX_MIN_WORDS` words and does not end like a sentence. Leaves alone: subheads
    that open with the word (``Related by marriage``: lower case after it), ``Related`` in a
    sentence, lines inside a longer paragraph, the headline, and a label with its colon
    (``Related Videos: Scarlett 4i4 4th Gen USB Audio Interface``, a product page's heading;
    ``Related:`` lines are ``related_line_v3``'s).
    """
    for s, e, line in _standalone_lines(doc, ("Related ",)):
        m = _RELATED_BOX.fullmatch(line)
        if m is None:
            continue
        tail = m.group(1)
        if _LABEL_COLON.match(tail):
            continue  # 'Related Videos: ...': a label and its colon, a heading of the page
        if len(tail.split()) >= RELATED_BOX_MIN_WORDS and headline_tail(tail, min_words=4):
            yield Finding(s, e, "a related box: 'Related' and a headline")


# --- a pointer label over a list of links -------------------------------------------------

_BLOCK_LABEL = re.compile(
    r"[►▶»•][ \t]*(?:READ MORE|Read more|Read More|MORE|More|RELATED|Related|SEE ALSO|See also)"
    r"(?: (?:about|on) [^:\n]{2,60}?)?(?: here)?:"
    r"|(?:READ MORE|Read more|Read More) (?:about|on) [^:\n]{2,60}?(?: here)?:"
)
"""A pointer label over a list: bulleted (``►READ MORE:``), or naming its topic (``Read more
about America's November elections:``); unbulleted bare labels are ``related_line_v3``'s.
Literal words and one bounded lazy gap: linear."""
POINTER_BLOCK_MAX = 6
_BLOCK_END = re.compile(
    r"(?:Contributing|Contributors?|Reporting|Additional reporting|Read or Share|Follow|E-?mail"
    r"|Copyright|©|Photo|Credit)\b|[^\n]*(?:://|@|www\.)"
)
"""What ends a list of links: a contributor or sourcing note, a share or follow line, a
copyright or credit, a link or handle (other rules' lines, or the article's own notes)."""


@register("pointer_block_v1", category="related", folded_triggers=("read more", "►", "▶", "»"))
@bounded
def find_pointer_blocks(doc: Doc) -> Iterable[Finding]:
    """A pointer label on a line of its own and the headline lines right under it (at most
    :data:`POINTER_BLOCK_MAX`): ``►READ MORE:`` over ``French election: What you should know``,
    ``The reasons the French election is a big deal`` ... (USA TODAY), ``Read more about
    America's November elections:`` whose links were stripped (BBC: the label alone).

    The label is bulleted (►, ▶, », •) or names its topic (``Read more about ...:``,
    ``... here:``); a headline line stands alone, reads as a headline (capital start, no
    sentence-final stop, at most 30 words) and is not a question (BBC's question subheads open
    the next section). Leaves alone: bare ``READ MORE:`` labels (``related_line_v3``'s), a
    label inside a paragraph, and the paragraph after the block when it is a sentence.
    """
    text = doc.text
    paragraphs = doc.paragraphs
    for index, (start, end) in enumerate(paragraphs):
        if end - start > 90 or text[start] not in "►▶»•R":
            continue
        if text.find("\n", start, end) >= 0 or _BLOCK_LABEL.fullmatch(text, start, end) is None:
            continue
        yield Finding(start, end, "pointer label over a list of links")
        for s, e in paragraphs[index + 1 : index + 1 + POINTER_BLOCK_MAX]:
            line = text[s:e]
            if "\n" in line or line.rstrip().endswith("?") or not headline_tail(line, 2):
                break
            if _BLOCK_END.match(line):
                break
            yield Finding(s, e, "headline of the list under a pointer label")


# --- bracketed pointers between paragraphs --------------------------------------------------

BRACKET_POINTER_MAX = 400
_BRACKET_POINTER = re.compile(
    r"\[(?:"
    r"(?:Click|Tap) (?:here|to)\b[^\[\]\n]{0,380}"
    r"|Watch(?: [A-Z][\w.&'’-]*){1,3}: [^\[\]\n]{3,380}"
    r"|[A-Z][^\[\]\n]{10,380}?[.!?] (?:Watch|Click|Listen)(?: it| more| the (?:full )?"
    r"(?:video|interview|clip|segment))? here\.?"
    r")\][ \t]*"
)
"""A bracketed line that points elsewhere: it opens with ``Click here``/``Click to``, or with
``Watch <Outlet>:`` (a capitalised name of 1-3 words and a colon), or it is a blurb whose last
sentence is only ``Watch here.``/``Click here.``; no nested brackets, bounded classes: linear."""


@register("bracket_pointer_v1", category="related", triggers=("[",))
@bounded
def find_bracket_pointers(doc: Doc) -> Iterable[Finding]:
    """A paragraph wholly in square brackets that points the reader to a video, a channel or
    a page: ``[Watch Fox: Sen. Jack Reed, D-R.I., discusses his unemployment bill in the 11 a.m.
    ET hour]`` (a TV listing of the outlet's channel), ``[Click here to see an expanded view of
    the data: tmsnrt.rs/2vkyX7C]`` (Reuters), ``[Liberal filmmaker Michael Moore joined Megyn
    Kelly Thursday ... Watch here.]`` (a video blurb whose link was stripped).

    The bracket is the whole line (at most :data:`BRACKET_POINTER_MAX` characters) and stands
    alone; inside, it opens with ``Click here``/``Click to``/``Tap here``, or with ``Watch`` and
    a capitalised name before a colon, or its last sentence is only ``Watch here.``, ``Click
    here.`` or ``Listen here.``. Leaves alone: bracketed news items, notes and asides of the
    article (``[Fiscal Cliff countdown: ...]``, ``[Warning: some strong language]``, ``[A reader
    responds: ...]``, ``[I wrote about this here.]``, ``[music]``, ``[Watchdog groups ...]``),
    brackets inside a paragraph, and the headline.
    """
    for s, e, line in _standalone_lines(doc, ("[",)):
        if e - s > BRACKET_POINTER_MAX or line[0] != "[":
            continue
        if _BRACKET_POINTER.fullmatch(line):
            yield Finding(s, e, f"bracketed pointer {line[:40]!r}")


# --- pointers to the outlet's own pages -----------------------------------------------------

OUTLET_POINTER_MAX = 200
OUTLET_POINTER_SENTENCES = 2
_OUTLET_POINTER_OPEN = re.compile(
    r"(?:And )?(?:Read|See|Visit|Find|Check out|Get|Watch|Full|More)\b", re.IGNORECASE
)
"""A pointer sentence opens with an imperative to go and read (``Read more at ...``, ``Visit
...``), or with ``Full``/``More`` before what is pointed to (``Full Reuters election coverage
here``, ``More from POLITICO's ...``)."""
_OUTLET_POINTER_TARGET = re.compile(
    r"\b(?:here|home ?page|coverage|(?:more )?stories|more from)\b", re.IGNORECASE
)
"""What a pointer points to: a link word (``here``), the outlet's pages or its coverage."""
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[ \t]+(?=[A-Z])")
_FIRST_PERSON = re.compile(r"\b(?:I|my|me|I['’]ve|I['’]m)\b")
"""The author's own pointer (``See my column on it here.``) is an aside of the article."""
_NAME_WORD = re.compile(r"[^\W_][\w&.!'’-]*")


def _names_outlet(line: str, forms: frozenset[str]) -> bool:
    """Whether a run of whole words of ``line`` folds to the outlet's name, the run opening
    with a capital and not glued to a capitalised word before it other than the line's first
    (``Capitol Hill`` does not name The Hill; ``The Hill's``, ``POLITICO's`` and ``Full
    Reuters`` do)."""
    words = [(m.group(), m.start()) for m in _NAME_WORD.finditer(line)]
    folded = [_fold_word(w) for w, _ in words]
    for i, (word, _) in enumerate(words):
        if not word[0].isupper():
            continue
        if i > 1 and words[i - 1][0][0].isupper() and folded[i - 1] != "the":
            continue
        joined = ""
        for j in range(i, min(len(words), i + 6)):
            joined += folded[j]
            if joined in forms or (joined.endswith("s") and joined[:-1] in forms):
                return True
    return False


def _fold_word(word: str) -> str:
    return "".join(c for c in word.casefold() if c.isalnum())


@register("outlet_pointer_v1", category="related")
@bounded
def find_outlet_pointers(doc: Doc) -> Iterable[Finding]:
    """A paragraph that only points the reader to more of the outlet itself, named by the
    ``source`` hint: ``Read more at Breitbart News here.``, ``Full Reuters election coverage
    here``, ``Visit Business Insider's homepage for more stories.``, ``See more Democracy Now!
    coverage of resistance to the Dakota Access pipeline.``, ``( More from POLITICO's Lessons
    from Leaders)``, ``Read more about the coronavirus outbreak from Scientific American here.
    And read coverage from our international network of magazines here.``

    One standalone line of at most :data:`OUTLET_POINTER_MAX` characters (parentheses around
    it allowed) of at most :data:`OUTLET_POINTER_SENTENCES` sentences, each opening as a
    pointer (read, see, visit, find, check out, get, watch; ``Full``/``More`` before what is
    pointed to) and naming what it points to (``here``, the homepage, coverage, stories); the
    line names the outlet as whole words. Leaves alone: pointers to other outlets or
    documents (``Read the full memo here.``, ``More here.``: the author's own asides),
    lead-ins (``Here is how The Washington Times saw it:``, ``You can read The Hill's complete
    coverage below.``), the author's own pointers (``See my Breitbart column here.``: first
    person), a sentence before the pointer (``CBN's David Brody interviewed ...
    Click here to see it.``), quotations, lines inside a paragraph, and the headline.
    """
    forms = _source_forms_of(doc.source)
    if not forms:
        return
    for s, e, line in _alone(doc):
        if e - s > OUTLET_POINTER_MAX or _OUTLET_POINTER_OPEN.match(line.lstrip("( ")) is None:
            continue
        body = line.strip()
        if body.startswith("(") and body.endswith(")"):
            body = body[1:-1].strip()
        if any(q in body for q in '"“”') or _FIRST_PERSON.search(body):
            continue
        sentences = _SENTENCE_BREAK.split(body)
        if len(sentences) > OUTLET_POINTER_SENTENCES:
            continue
        if all(
            _OUTLET_POINTER_OPEN.match(x) and _OUTLET_POINTER_TARGET.search(x) for x in sentences
        ) and _names_outlet(body, forms):
            yield Finding(s, e, f"pointer to more of the outlet {body[:40]!r}")
