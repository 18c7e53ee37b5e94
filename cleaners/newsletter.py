"""Newsletter sign-up boxes and pitches left as paragraphs of their own.

Two kinds, both removed only as whole paragraphs:

* ``signup_form_v4``: the text of a sign-up form (``Email Sign Up By signing up you agree to
  receive email newsletters ... You can unsubscribe at any time. This site is protected by
  reCAPTCHA ...``, ``Invalid email address. Please re-enter.``). Its legal and form wording
  never occurs in news prose, so the paragraph goes wherever it stands.
* ``signup_tail_v1``: a sign-up call closing a line after the line's last sentence, with the
  question to the reader that leads it in (``Sally Persons contributed to this report. Want
  FOX News First in your inbox every day? Sign up here.``), or the whole line when every other
  sentence of it speaks to the reader too.
* ``newsletter_pitch_v2``: a short paragraph in which EVERY sentence pitches a newsletter:
  a call (sign up, subscribe, get our) AND an offer (a newsletter, an inbox, news alerts,
  email updates, a tip sheet) in the same sentence (``Get Our Top Investigations Subscribe
  to the Big Story newsletter.``); a question to the reader may lead it in (``Like the
  reporting you see here? Sign up for free news alerts ...``). "Sign up" alone is news
  prose (people sign up for insurance) and never enough.

* ``form_consent_v1``: the consent wording of a form, left when the form is gone (``By
  entering your email, you agree to receive Elementor emails ... and agree to our Terms &
  Conditions and Privacy Policy.``, ``Terms of submitting this form: I agree that Bryan
  University may contact me ...``).

* ``support_pitch_v1``: the outlet asking the reader for money or membership, as a paragraph
  near either end of the text (``Support Progressive Journalism The Nation is reader
  supported: Chip in $10 or more to help us ...``, ``If you enjoyed this article, we have a
  proposition for you: Join NRPLUS. Members get ...``, ``For as little as $3, you can help
  us ... Make a one-time donation ...``).

Deliberately left alone: a paragraph that also carries anything else (an author bio, a
contributor note, a way to reach the newsroom), reported speech (quotes, "said", "told"),
and the same words inside longer paragraphs of the article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from cleaners.core import Doc, Finding
from cleaners.edges import first_line_is_title
from cleaners.patterns import (
    FOLDED_INDEX,
    REPORTED_OR_QUOTED,
    TEXT_INDEX,
    may_match,
    required_literals,
)
from cleaners.registry import register

RULES: tuple[str, ...] = (
    "signup_form_v4",
    "newsletter_pitch_v2",
    "signup_tail_v1",
    "support_pitch_v1",
    "form_consent_v1",
    "newsletter_box_v1",
)
"""Names this module registers, in the order they run in the default chain."""

FORM_MAX = 1200
"""A sign-up form's text is short; a longer paragraph is article text."""

PITCH_MAX = 240
"""A pitch is a line or two."""

_HINTS = ("ewsletter", "ign up")
"""Substrings one of which every paragraph of either kind holds in practice (a newsletter or
a sign-up): a cheap prefilter, computed once per text view for both rules. A box
that says none of them in these letters (``NEWSLETTER``, ``Sign Up`` alone) slips through:
a missed residue, never a wrong removal."""

# Linear: literal alternatives only.
_FORM = re.compile(
    r"by signing up,? you agree|you (?:can|may) unsubscribe (?:from [a-z ]{1,30})?at any time"
    r"|invalid email address|please enter a valid email address|check your spam folder"
    r"|verify you(?:'|’)re not a robot|this site is protected by recaptcha|email \(required\)"
    r"|\bemail sign up\b|you will receive occasional promotional offers",
    re.IGNORECASE,
)
_PICKER = re.compile(r"\b(?:choose|select) your country\b", re.IGNORECASE)
"""A country picker flattened into the form: its option list makes the paragraph long."""

PICKER_FORM_MAX = 8000
"""A sign-up form with a country list runs to a few thousand characters."""
_PITCH = re.compile(
    r"\bsign(?:ing)? up\b|\bsubscribe\b|\bnewsletters?\b|\binbox\b|\bnews alerts\b"
    r"|\bemail updates\b",
    re.IGNORECASE,
)
_CALL = re.compile(r"\bsign up\b|\bsubscribe\b|\bget (?:our|the)\b", re.IGNORECASE)
_OFFER = re.compile(
    r"\bnewsletters?\b|\binbox\b|\bnews alerts\b|\bemail updates\b|\btip sheet\b",
    re.IGNORECASE,
)
_REPORTED = re.compile(r"[\"“”]|\b(?:said|says|told|according to)\b", re.IGNORECASE)
_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+|$)")
_TO_READER = re.compile(r"\b(?:you|your)\b", re.IGNORECASE)


_FORM_WORDS = (
    "signing up",
    "unsubscribe",
    "valid email address",
    "spam folder",
    "invalid email",
    "not a robot",
    "recaptcha",
    "email (required)",
    "email sign up",
    "promotional offers",
)
"""Lower-case literals one of which every sign-up form holds (each alternative of _FORM)."""

_OFFER_WORDS = ("newsletter", "inbox", "news alerts", "email updates", "tip sheet")
"""Lower-case literals one of which every pitch holds (each alternative of _OFFER)."""


def _candidates(doc: Doc, max_len: int, words: tuple[str, ...]) -> Iterable[tuple[int, int, str]]:
    """Paragraphs at most ``max_len`` long holding one of ``words`` (not the headline).

    Literal searches on the lower-cased text first: most documents hold none of the words
    and cost one pass of ``str.lower`` and a few substring searches.
    """
    text = doc.text
    low: str | None = doc.__dict__.get("_newsletter_low", "")
    if low == "":
        low = doc.lower if TEXT_INDEX.any_present(doc, _HINTS) else None
        doc.__dict__["_newsletter_low"] = low
    if low is None:
        return
    if doc.folded is low:  # the usual case: the view's folded index answers (one scan for all)
        if not FOLDED_INDEX.any_present(doc, words):
            return
    elif not any(word in low for word in words):
        return
    keep_first = first_line_is_title(doc)
    for index, (start, end) in enumerate(doc.paragraphs):
        if (index == 0 and keep_first) or end - start > max_len:
            continue  # the first paragraph is the headline
        paragraph_low = low[start:end]
        if any(word in paragraph_low for word in words):
            yield start, end, text[start:end]


@register("signup_form_v4", category="promo", triggers=_HINTS)
def find_signup_forms(doc: Doc) -> Iterable[Finding]:
    """A paragraph holding a sign-up form's wording (consent, unsubscribe, reCAPTCHA, "please
    enter a valid email address"), up to :data:`PICKER_FORM_MAX` characters when it holds a
    flattened country picker (``Choose your country United States of America Afghanistan
    ...``) and two distinct form phrases.

    Leaves alone: other paragraphs over :data:`FORM_MAX` characters, and any paragraph without
    the form's own wording, whatever it says about newsletters.
    """
    for start, end, paragraph in _candidates(doc, PICKER_FORM_MAX, _FORM_WORDS):
        if end - start > FORM_MAX and (
            _PICKER.search(paragraph) is None or len(set(_FORM.findall(paragraph))) < 2
        ):
            continue
        form = _FORM.search(paragraph)
        if form is not None and _PITCH.search(paragraph):
            yield Finding(start, end, f"newsletter sign-up form: {form.group(0)!r}")


@register("newsletter_pitch_v2", category="promo", triggers=_HINTS)
def find_newsletter_pitches(doc: Doc) -> Iterable[Finding]:
    """A short paragraph of one line whose every sentence pitches a newsletter or alerts.

    A question to the reader may lead in. Leaves alone: a paragraph with any other sentence
    (a bio, a contributor note, a contact address), reported speech, and paragraphs over
    :data:`PITCH_MAX` characters or of several lines.
    """
    for start, end, paragraph in _candidates(doc, PITCH_MAX, _OFFER_WORDS):
        if "\n" in paragraph or _REPORTED.search(paragraph):
            continue
        sentences = [s.strip() for s in _SENTENCE.findall(paragraph) if s.strip()]
        pitches = [bool(_CALL.search(s) and _OFFER.search(s)) for s in sentences]
        if not any(pitches):
            continue
        if all(
            pitch or (s.endswith("?") and _TO_READER.search(s))
            for s, pitch in zip(sentences, pitches, strict=True)
        ):
            yield Finding(start, end, "newsletter pitch standing alone")


# --- sign-up calls closing a line -------------------------------------------------------------

TAIL_CALL_MAX = 200
"""A sign-up call is one sentence of at most this many characters."""

TAIL_QUESTION_MAX = 150
TAIL_LINE_MAX = 1200
"""Every sentence of a line up to this long may be judged; longer lines give only their tail."""

_TAIL_CALL = re.compile(
    r"(?:Sign up|SIGN UP|Subscribe|SUBSCRIBE)"
    r"(?=[.!]|$|[ \t]+(?i:to|for|here|now|today|and|on|at|free|newsletter)\b)"
    r"(?:[^.!?\n]|[.!?](?=[^\s\"”’]))*[.!]?[\"”’]?"
)
"""One sentence from a capital ``Sign up`` or ``Subscribe`` used as a verb (``to``, ``for``,
``here``... after it, not ``Subscribe buttons``) to the end of the line: a full stop inside a
name (``WND.com``) does not end it. Classes and one repeat of single characters: linear."""
_TAIL_OFFER = re.compile(
    r"\b(?:here|our|newsletters?|inbox|(?:news )?alerts|email updates|free trial|trial"
    r"|roundup|digest)\b",
    re.IGNORECASE,
)
"""What the call offers: the outlet's own product, or the link itself (``here``). A call to
sign up for something else (``Sign up at HealthCare.gov``) offers none of these."""
_TAIL_REPORTED = re.compile(r"\b(?:said|says|told|according to|wrote|asked)\b", re.IGNORECASE)
_QUOTED = re.compile(r"[\"“]([^\"“”\n]{0,80})[\"”]")
_SECOND_PERSON = re.compile(r"\b(?:you|your|yours)\b", re.IGNORECASE)
_OPENS_QUESTION = frozenset(
    (
        "what",
        "who",
        "whom",
        "whose",
        "which",
        "when",
        "where",
        "why",
        "how",
        "is",
        "are",
        "was",
        "were",
        "do",
        "does",
        "did",
        "can",
        "could",
        "will",
        "would",
        "should",
        "shall",
        "has",
        "have",
        "had",
        "may",
        "might",
        "must",
        "isn't",
        "aren't",
        "wasn't",
        "weren't",
        "don't",
        "doesn't",
        "didn't",
        "can't",
        "won't",
    )
)
"""First words of a question that asks about the world; a question to the reader either says
"you" or drops them (``Want more stories like this?``, ``Not a subscriber?``)."""
_SENTENCE_CLOSE = ".!?"
_CLOSERS = '"”’)'


def _sentence_starts(line: str) -> list[int]:
    """Where the sentences of ``line`` start: after ``.``, ``!`` or ``?`` (and closing quotes)
    followed by a space."""
    starts = [0]
    i, n = 0, len(line)
    while i < n:
        if line[i] in _SENTENCE_CLOSE:
            j = i + 1
            while j < n and (line[j] in _CLOSERS or line[j] in _SENTENCE_CLOSE):
                j += 1
            if j < n and line[j] == " ":
                k = j
                while k < n and line[k] == " ":
                    k += 1
                if k < n:
                    starts.append(k)
                i = k
                continue
            i = j
            continue
        i += 1
    return starts


def _quotes_balanced(text: str) -> bool:
    return text.count('"') % 2 == 0 and text.count("“") == text.count("”")


def _quotes_are_titles(text: str) -> bool:
    """Quotation marks in a pitch only name things (``The Week's "Today's best articles"``):
    no sentence inside them."""
    if not any(q in text for q in '"“”'):
        return True
    inner = _QUOTED.findall(text)
    if len(inner) * 2 != sum(text.count(q) for q in '"“”'):
        return False
    return all(not any(ch in piece for ch in ".!?,") for piece in inner)


def _to_reader(sentence: str) -> bool:
    """A short question to the reader, or a sentence speaking to them."""
    if len(sentence) > TAIL_QUESTION_MAX or _TAIL_REPORTED.search(sentence):
        return False
    if _SECOND_PERSON.search(sentence):
        return True
    first = sentence.split(maxsplit=1)[0].casefold().strip("“\"'‘")
    return sentence.endswith("?") and first not in _OPENS_QUESTION


@register(
    "signup_tail_v1", category="promo", triggers=("Sign up", "SIGN UP", "Subscribe", "SUBSCRIBE")
)
def find_signup_tails(doc: Doc) -> Iterable[Finding]:
    """A sign-up call closing a line after its last sentence, with the question to the reader
    that leads it in: `` Want FOX News First in your inbox every day? Sign up here.`` after a
    contributor note, `` Not a subscriber? Sign up for a FREE trial here.``, ``Want more
    essential commentary ... delivered straight to your inbox? Sign up for The Week's "Today's
    best articles" newsletter here.``, ``Like the reporting you see here? Sign up for free news
    alerts from WND.com, ...``.

    The call is one sentence opening with a capital ``Sign up`` or ``Subscribe`` and running to
    the end of the line, offering the outlet's product or the link (``our``, ``here``, a
    newsletter, alerts, a trial). A question before it goes with it when it speaks to the reader
    (says "you", or drops the subject: ``Want ...?``, ``Not a subscriber?``). When every other
    sentence of the line speaks to the reader as well, the whole line goes; otherwise only the
    call and its question, from the space before them. Leaves alone: "sign up" inside a
    sentence (people sign up for insurance), a call to sign up for something else (``Sign up at
    HealthCare.gov``), reported speech (an open quotation before the call, "said"), a quotation
    inside the call, and the headline line.
    """
    text = doc.text
    keep_first: bool | None = None
    seen_lines: set[int] = set()
    for word in ("Sign up", "SIGN UP", "Subscribe", "SUBSCRIBE"):
        pos = text.find(word)
        while pos >= 0:
            line_start = text.rfind("\n", 0, pos) + 1
            line_end = text.find("\n", pos)
            if line_end < 0:
                line_end = len(text)
            nxt = text.find(word, line_end)
            pos_here, pos = pos, nxt
            if line_start in seen_lines:
                continue
            m = _TAIL_CALL.match(text, pos_here)
            if m is None or text[m.end() : line_end].strip():
                continue  # not one sentence running to the end of the line
            call = m.group()
            if len(call) > TAIL_CALL_MAX or not _TAIL_OFFER.search(call):
                continue
            if _TAIL_REPORTED.search(call) or not _quotes_are_titles(call):
                continue
            line = text[line_start:line_end]
            offset = pos_here - line_start
            starts = _sentence_starts(line[:offset])
            if offset and not line[:offset].strip():
                starts = [offset]
            elif offset and line[:offset].rstrip()[-1:] not in _SENTENCE_CLOSE + _CLOSERS:
                continue  # "sign up" does not open a sentence
            sentences = [
                line[a:b].strip() for a, b in zip(starts, [*starts[1:], offset], strict=True)
            ]
            sentences = [s for s in sentences if s]
            begin = offset
            if sentences and sentences[-1].endswith("?") and _to_reader(sentences[-1]):
                begin = line.rfind(sentences[-1], 0, offset)
            if len(line) <= TAIL_LINE_MAX and all(
                _to_reader(s) or _TAIL_CALL.fullmatch(s) for s in sentences
            ):
                begin = len(line) - len(line.lstrip())  # every sentence is part of the pitch
            before = line[:begin]
            if not _quotes_balanced(before):
                continue  # inside a quotation
            if line_start == 0 and before.strip() == "" and keep_first is None:
                keep_first = first_line_is_title(doc)
            if line_start == 0 and not before.strip() and keep_first:
                continue  # the headline
            seen_lines.add(line_start)
            if before.strip():
                start = line_start + len(before.rstrip())  # from the space before the pitch
                reason = "sign-up call closing a line"
            else:
                start = line_start + begin
                reason = "sign-up pitch filling a line"
            yield Finding(start, line_start + len(line.rstrip()), reason)


# --- the outlet asking for money or membership ------------------------------------------------

SUPPORT_MAX = 1500
"""A support box is a few sentences; a longer paragraph is article text."""

SUPPORT_EDGE = 3
"""Support boxes sit among the first or the last paragraphs of a text."""

SUPPORT_SHARE = 0.6
"""Of a box's sentences (short questions and buttons aside), at least this share pitch."""

_SUPPORT_ASKS = (
    r"\$\s?\d+ or more",
    r"for as little as \$",
    r"\bchip in\b",
    r"\bone-time (?:donation|gift)",
    r"\btax[- ]deductible\b",
    r"\bmake a (?:one-time |monthly )?(?:donation|contribution|gift)\b",
    r"\breader[- ](?:supported|funded)\b",
    r"\b(?:help|support) (?:(?-i:us)|keep \w+ going)\b",
    r"\bsupport(?:ing)?\b[^.!?\n]{0,60}\bjournalism\b",
    r"\bmembers get\b",
    r"\b(?:become|join)\b[^.!?\n]{0,30}\b(?:member|subscriber|supporter|patron)s?\b",
    r"\b(?:vip|premium|digital) (?:membership|subscription)\b",
    r"\bif you (?:enjoyed|liked|like|value|valued|appreciate|appreciated|found value in)\b"
    r"[^.!?\n]{0,40}\b(?:this|our) (?:article|story|piece|journalism|reporting|work|content)\b",
)
_SUPPORT_ASK = re.compile("(?:" + "|".join(_SUPPORT_ASKS) + ")", re.IGNORECASE)
"""The outlet's own ask: money to it (``Chip in $10 or more``, ``a one-time donation``, ``help
us``, ``support ... journalism``, ``reader supported``), its membership (``Join ... member``,
``Members get``, ``VIP membership``), or the reader's liking of this very article. Bounded
gaps of one class: linear."""
_SUPPORT_ASK_LITERALS = required_literals(_SUPPORT_ASK)
"""Literals one of which every ask holds: a paragraph holding none is not searched (the
pattern has no literal to start from and is tried at every position)."""
_SUPPORT_ASK_PARTS = tuple(
    (required_literals(part), part)
    for part in (re.compile(ask, re.IGNORECASE) for ask in _SUPPORT_ASKS)
)
"""Each alternative of :data:`_SUPPORT_ASK` alone, with the literals every match of it holds."""


def _holds_ask(
    paragraph: str,
    folded: str,
    start: int,
    parts: tuple[tuple[tuple[str, ...] | None, re.Pattern[str]], ...] = _SUPPORT_ASK_PARTS,
) -> bool:
    """``_SUPPORT_ASK.search(paragraph)`` is not None, ``paragraph`` being the view's text from
    ``start`` (``folded``: the view's folded text). The alternation matches where one of its
    alternatives does: each alternative is searched alone, and only in a paragraph holding one
    of its literals (most hold one alternative's, if any: the whole alternation, tried at
    every position, cost 94 us a paragraph on abp-dev). Each literal is looked for in the
    paragraph once, however many alternatives share it (loops, not generators: a hot path)."""
    end = start + len(paragraph)
    seen: dict[str, bool] = {}
    for literals, part in parts:
        if literals is not None:
            for literal in literals:
                hit = seen.get(literal)
                if hit is None:
                    hit = seen[literal] = folded.find(literal, start, end) >= 0
                if hit:
                    break
            else:
                continue  # none of the alternative's literals: it cannot match here
        if part.search(paragraph) is not None:
            return True
    return False


def _ask_parts(doc: Doc) -> tuple[tuple[tuple[str, ...] | None, re.Pattern[str]], ...]:
    """:data:`_SUPPORT_ASK_PARTS` less the alternatives none of whose literals the text
    holds, each with only the literals it holds."""
    # the literals of every part the text holds, asked of the index once (not once a part)
    return _parts_holding(frozenset(FOLDED_INDEX.present(doc, _SUPPORT_PART_LITERALS)))


@lru_cache(maxsize=1024)
def _parts_holding(
    held: frozenset[str],
) -> tuple[tuple[tuple[str, ...] | None, re.Pattern[str]], ...]:
    """:func:`_ask_parts` of a text holding the literals ``held`` (cached: few sets recur)."""
    out = []
    for literals, part in _SUPPORT_ASK_PARTS:
        if literals is not None:
            literals = tuple(lit for lit in literals if lit in held)
            if not literals:
                continue
        out.append((literals, part))
    return tuple(out)


_SUPPORT_PART_LITERALS = tuple(
    dict.fromkeys(lit for literals, _ in _SUPPORT_ASK_PARTS for lit in literals or ())
)
"""Every literal of :data:`_SUPPORT_ASK_PARTS`, once."""


_SUPPORT_WORD = re.compile(
    r"\b(?:support\w*|donat\w*|contribut\w*|members?|membership|subscri\w*|help us|join)\b",
    re.IGNORECASE,
)
_OUTLET_VOICE = re.compile(r"\b(?:we|us|our|we['’]re|you|your)\b", re.IGNORECASE)
_IMPERATIVE_ASK = frozenset(("support", "donate", "join", "subscribe", "become", "make", "chip"))
_CAPS_BUTTON = re.compile(r"[A-Z][A-Z ]{1,24}[A-Z]!?")


def _support_sentence(sentence: str, source: str | None) -> bool | None:
    """True: the sentence pitches; None: neutral (a short question, a button); False: other."""
    if _SUPPORT_ASK.search(sentence):
        return True
    if (len(sentence) <= 40 and sentence.endswith("?")) or _CAPS_BUTTON.fullmatch(sentence):
        return None
    if not _SUPPORT_WORD.search(sentence):
        return False
    first = sentence.split(maxsplit=1)[0].casefold()
    return bool(
        first in _IMPERATIVE_ASK
        or _OUTLET_VOICE.search(sentence)
        or (source and source in sentence)
    )


@register(
    "support_pitch_v1",
    category="promo",
    # the most frequent first (texts of abp-dev holding each): the test stops at the first found
    folded_triggers=(
        "going",  # 1475
        "member",  # 1175
        "supporter",  # 531
        "if you",  # 524
        "make a",  # 350
        "or more",  # 332
        "journalism",  # 77
        "reader",  # 69
        "membership",  # 39
        "help us",  # 32
        "one-time",  # 28
        "patron",  # 22
        "deductible",  # 20
        "as little as",  # 16
        "subscription",  # 11
        "subscriber",  # 8
        "chip in",  # 7
        "members get",  # 5
        "support us",  # 4
    ),
)
def find_support_pitches(doc: Doc) -> Iterable[Finding]:
    """A paragraph near either end of the text in which the outlet asks for money or
    membership (``pitch_paragraph_v2`` takes pitches anywhere that END with the call; these
    boxes carry it anywhere and end on a button or a self-description): one of its sentences
    holds the outlet's own ask (:data:`_SUPPORT_ASK`), and at least :data:`SUPPORT_SHARE` of
    its sentences pitch (the ask, or support, membership or
    donation words in the outlet's or the reader's voice, or an imperative ``Join``,
    ``Donate``...); short questions (``Consider it?``) and buttons (``LEARN MORE``) count for
    neither side.

    Leaves alone: the headline, paragraphs beyond the first or last :data:`SUPPORT_EDGE`, over
    :data:`SUPPORT_MAX` characters or of several lines, reported speech and quotations (a
    campaign's appeal quoted in a story), a writer's own call to support a cause (``Join me
    ... could use your support``: no ask to the outlet), and articles about donations and
    memberships (their sentences do not pitch).
    """
    paragraphs = doc.paragraphs
    count = len(paragraphs)
    text = doc.text
    folded = doc.folded
    edges = (range(min(SUPPORT_EDGE, count)), range(max(SUPPORT_EDGE, count - SUPPORT_EDGE), count))
    # the ask's literals the text holds (one scan for all: see LiteralIndex), then those each
    # run of edge paragraphs holds: most paragraphs need a search or two, not 17
    held = _SUPPORT_ASK_LITERALS
    if held is not None:
        held = FOLDED_INDEX.present(doc, held)
        if not held:
            return
    parts = None
    for edge in (e for e in edges if e):
        literals = held
        if literals is not None:
            low, high = paragraphs[edge[0]][0], paragraphs[edge[-1]][1]
            literals = tuple(lit for lit in literals if folded.find(lit, low, high) >= 0)
        for index in edge:
            start, end = paragraphs[index]
            if end - start > SUPPORT_MAX or not may_match(literals, folded, start, end):
                continue  # too long, or no ask can match (literal searches, not the pattern)
            paragraph = text[start:end]
            if parts is None:
                parts = _ask_parts(doc)
            if "\n" in paragraph.strip() or not _holds_ask(paragraph, folded, start, parts):
                continue
            if REPORTED_OR_QUOTED.search(paragraph):
                continue
            if index == 0 and first_line_is_title(doc):
                continue  # the headline
            starts = _sentence_starts(paragraph)
            sentences = [
                paragraph[a:b].strip()
                for a, b in zip(starts, [*starts[1:], len(paragraph)], strict=True)
            ]
            verdicts = [_support_sentence(x, doc.source) for x in sentences if x]
            judged = [v for v in verdicts if v is not None]
            if judged and sum(judged) >= SUPPORT_SHARE * len(judged):
                lead = len(paragraph) - len(paragraph.lstrip())
                yield Finding(
                    start + lead, start + len(paragraph.rstrip()), "the outlet asking for support"
                )


# --- a form's consent wording ----------------------------------------------------------------

CONSENT_MAX = 800
"""A form's consent wording is a few sentences."""

CONSENT_MAX_LINES = 3

_CONSENT_OPENING = re.compile(
    r"[ \t]*(?:by (?:entering|submitting|providing|sharing) (?:your|my) "
    r"(?:e-?mail(?: address)?|(?:contact |personal )?(?:information|details)|phone number)"
    r"|by (?:clicking|submitting|completing) (?:this|the|our) (?:form|button)"
    r"|by clicking (?:submit|send|subscribe|sign up|register)\b"
    r"|terms of submitting this form\b)"
    r"[^.!?\n]{0,80}?\b(?:you|i) (?:agree|consent|acknowledge|accept)\b"
    r"|[ \t]*terms of submitting this form:",
    re.IGNORECASE,
)
"""The consent's first words: what the reader does to the form (enters an e-mail address,
submits it) and what that means they agree to. Literal alternatives and bounded classes:
linear."""

_CONSENT_OBJECT = re.compile(
    r"\b(?:privacy (?:policy|notice|statement)|terms|e-?mails?|contact (?:me|you)"
    r"|unsubscribe|marketing|text messages?|sms)\b",
    re.IGNORECASE,
)
"""What a form's consent is about: the site's policies, its e-mails or calls."""


@register(
    "form_consent_v1",
    category="promo",
    folded_triggers=(
        "by entering",
        "by submitting",
        "by providing",
        "by sharing",
        "by clicking",
        "by completing",
        "submitting this form",
    ),
)
def find_form_consents(doc: Doc) -> Iterable[Finding]:
    """A paragraph opening with a form's consent wording (``By entering your email, you agree
    to receive Elementor emails, including marketing emails, and agree to our Terms &
    Conditions and Privacy Policy.``, ``Terms of submitting this form: I agree that ... may
    contact me regarding educational services via email, telephone, SMS ...``): the form is
    gone (trafilatura drops it), its small print stays. At most :data:`CONSENT_MAX`
    characters and :data:`CONSENT_MAX_LINES` lines, about the site's policies, e-mails or
    calls (:data:`_CONSENT_OBJECT`); removed whole.

    Leaves alone: the same words further into a paragraph, reported speech and quotations (a
    story about consent forms: ``By submitting your data, you agree to far more than you
    think, the regulator said.``), consent to anything else, longer paragraphs.
    """
    text = doc.text
    for start, end in doc.paragraphs:
        if end - start > CONSENT_MAX:
            continue
        paragraph = text[start:end]
        if paragraph.strip().count("\n") >= CONSENT_MAX_LINES:
            continue
        if not _CONSENT_OPENING.match(paragraph) or not _CONSENT_OBJECT.search(paragraph):
            continue
        if REPORTED_OR_QUOTED.search(paragraph):
            continue
        lead = len(paragraph) - len(paragraph.lstrip())
        yield Finding(start + lead, start + len(paragraph.rstrip()), "a form's consent wording")


# --- a flattened newsletter box: its title glued to its copy ----------------------------------

BOX_MAX = 400
_BOX_TITLE = re.compile(
    r"(?:Get (?:our|the|[A-Z][\w.&-]*(?: [A-Z][\w.&-]*){0,3}['’]s)"
    r"(?: (?:free|daily|weekly|morning|evening|new|latest))* (?:newsletter|digest|briefing)"
    r"|Stay Informed"
    r"|[A-Z][\w&-]*(?: [A-Z][\w&-]*){0,4} (?:Newsletter|Digest|Briefing)(?: [A-Z×])?)"
    r" (?=(?:Sign up|Subscribe|Get|Join|Receive)\b)"
)
"""A sign-up box's title (``Get our weekly newsletter``, ``Get CNN Health's weekly
newsletter``, ``Stay Informed``, ``Diplomat Brief Weekly Newsletter``, a stray icon letter
after it) glued without punctuation to the box's copy opening with a capital call; bounded
repeats of literal words: linear."""


@register(
    "newsletter_box_v1",
    category="promo",
    folded_triggers=("newsletter", "digest", "briefing", "stay informed"),
)
def find_newsletter_boxes(doc: Doc) -> Iterable[Finding]:
    """A paragraph that is a newsletter sign-up box flattened into one line: the box's title
    glued to its copy with no punctuation between: ``Get our weekly newsletter Sign up for CNN
    Opinion's new newsletter. Join us on Twitter and Facebook``, ``Get CNN Health's weekly
    newsletter Sign up here to get The Results Are In with Dr. Sanjay Gupta every Tuesday ...``,
    ``Stay Informed Get ProPublica’s Daily Digest.``, ``Diplomat Brief Weekly Newsletter N Get
    first-read access to major articles yet to be released ...``.

    ``newsletter_pitch_v2`` needs every sentence to pitch; a box's copy may hold a sentence
    that does not (``Join us on Twitter and Facebook``) or be split at an abbreviation. Here
    the glued title is the evidence: a title (``Get our/<Name>'s ... newsletter``, ``Stay
    Informed``, title-case words ending ``Newsletter``/``Digest``/``Briefing``) then, with no
    punctuation, a capital call (Sign up, Subscribe, Get, Join, Receive). One line of at most
    :data:`BOX_MAX` characters. Leaves alone: the title words in a sentence (``Stay informed
    about ...``, ``Readers get our newsletter ...``), a title ending in punctuation, reported
    speech and quotations, longer paragraphs, and the headline.
    """
    text = doc.text
    keep_first = first_line_is_title(doc)
    for index, (start, end) in enumerate(doc.paragraphs):
        if (index == 0 and keep_first) or end - start > BOX_MAX:
            continue
        if text[start] not in "GSABCDEFHIJKLMNOPQRTUVWXYZ":
            continue
        if text.find("\n", start, end) >= 0 or _BOX_TITLE.match(text, start, end) is None:
            continue
        if _REPORTED.search(text, start, end):
            continue
        yield Finding(start, end, "newsletter sign-up box flattened into a line")
