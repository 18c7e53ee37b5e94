"""Newsletter sign-up boxes and pitches left as paragraphs of their own.

Two kinds, both removed only as whole paragraphs:

* ``signup_form_v3``: the text of a sign-up form (``Email Sign Up By signing up you agree to
  receive email newsletters ... You can unsubscribe at any time. This site is protected by
  reCAPTCHA ...``, ``Invalid email address. Please re-enter.``). Its legal and form wording
  never occurs in news prose, so the paragraph goes wherever it stands.
* ``newsletter_pitch_v2``: a short paragraph in which EVERY sentence pitches a newsletter:
  a call (sign up, subscribe, get our) AND an offer (a newsletter, an inbox, news alerts,
  email updates, a tip sheet) in the same sentence (``Get Our Top Investigations Subscribe
  to the Big Story newsletter.``); a question to the reader may lead it in (``Like the
  reporting you see here? Sign up for free news alerts ...``). "Sign up" alone is news
  prose (people sign up for insurance) and never enough.

Deliberately left alone: a paragraph that also carries anything else (an author bio, a
contributor note, a way to reach the newsroom), reported speech (quotes, "said", "told"),
and the same words inside longer paragraphs of the article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from cleaners.core import Doc, Finding
from cleaners.edges import first_line_is_title
from cleaners.registry import register

RULES: tuple[str, ...] = ("signup_form_v3", "newsletter_pitch_v2")
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
    r"|\bemail sign up\b",
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
        low = doc.lower if any(hint in text for hint in _HINTS) else None
        doc.__dict__["_newsletter_low"] = low
    if low is None or not any(word in low for word in words):
        return
    keep_first = first_line_is_title(doc)
    for index, (start, end) in enumerate(doc.paragraphs):
        if (index == 0 and keep_first) or end - start > max_len:
            continue  # the first paragraph is the headline
        paragraph_low = low[start:end]
        if any(word in paragraph_low for word in words):
            yield start, end, text[start:end]


@register("signup_form_v3", category="promo", triggers=_HINTS)
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
