"""Page labels left in the text: section and access labels, tag lines, player chrome and
unrendered template tags.

A label is removed only when it is the whole line (``ANALYSIS/OPINION:``, ``Loading...``,
``This article tagged under: EPA``), or when it is glued to the start of a line whose rest is
kept (``Story highlights`` before the first highlight, ``#related#`` before a paragraph), or
when player chrome closes a line (``Your browser doesn't support HTML5 audio. ... Loading...``),
or when an embed's fallback notice opens one (``Please upgrade your browser to view this
content.``, ``If you can't see this reader poll, please refresh your page.``).
Labels of the article itself (``THE FACTS:``, ``Update at 11:20 a.m. ET:``, ``From the
Right``) are not in ``cleaners/data/page_labels.txt`` and stay.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from importlib import resources

from cleaners.core import Doc, Finding
from cleaners.patterns import FOLDED_INDEX, REPORTED_OR_QUOTED, may_match, required_literals
from cleaners.promo import bounded, short_lines
from cleaners.registry import register

RULES: tuple[str, ...] = (
    "page_label_v1",
    "glued_label_v1",
    "player_tail_v1",
    "browser_fallback_v1",
    "affiliate_disclosure_v2",
    "form_message_v1",
    "player_title_v1",
    "continue_label_v1",
)
"""Names this module registers, in the order they run in the default chain."""


@cache
def _sections() -> dict[str, tuple[str, ...]]:
    text = resources.files("cleaners.data").joinpath("page_labels.txt").read_text("utf-8")
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
def _labels() -> frozenset[str]:
    return frozenset(label.casefold() for label in _sections()["label"])


@cache
def _label_pattern() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in _sections()["label_pattern"]), re.IGNORECASE)


@cache
def _label_literals() -> tuple[str, ...] | None:
    """Literals one of which every match of :func:`_label_pattern` holds."""
    return required_literals(_label_pattern())


@register("page_label_v1", category="nav")
@bounded
def find_page_labels(doc: Doc) -> Iterable[Finding]:
    """A line that is only a page label: ``ANALYSIS/OPINION:``, ``Loading...``, a members-only
    label, ``This article tagged under: Scarborough Opinion``, ``3 of 12 Show Caption``,
    NPR's audio player ``<title> Listen · 4:04 4:04``.

    Leaves alone: the same words inside a sentence, section labels of the article (not in
    the data file), and lines that carry anything else.
    """
    labels = _labels()
    pattern = _label_pattern()
    # the pattern only where one of its literals is (most texts hold none: one scan for all,
    # see LiteralIndex), not on every short line
    literals = _label_literals()
    if literals is not None:
        literals = FOLDED_INDEX.present(doc, literals)
    folded_text = doc.folded
    for _, start, end, line, folded in short_lines(doc):
        if folded.rstrip() in labels or (
            literals != ()
            and may_match(literals, folded_text, start, end)
            and pattern.fullmatch(line.rstrip())
        ):
            yield Finding(start, end, f"page label {line.strip()[:50]!r}")


_CMS_TAG = re.compile(r"#[a-z]{2,20}#(?=\S)")


@cache
def _prefix_pattern() -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in _sections()["prefix"])
    return re.compile(rf"(?:{words})[ \t]+(?=\S)", re.IGNORECASE)


@register("glued_label_v1", category="nav")
@bounded
def find_glued_labels(doc: Doc) -> Iterable[Finding]:
    """A label glued to the start of a line whose rest is kept: ``Story highlights `` before
    the first highlight, an unrendered template tag ``#related#`` or ``#share#`` before a
    paragraph. Only the label (and the space after a word label) goes.

    Leaves alone: hashtags (``#NextNarrative``: no closing ``#``), a label that is the whole
    line (:func:`find_page_labels` judges those) and the same words later in a line.
    """
    text = doc.text
    has_tag = "#" in text
    prefix = _prefix_pattern()
    for start, end in doc.lines:
        if has_tag and text[start] == "#":
            m = _CMS_TAG.match(text, start, end)
            if m is not None:
                yield Finding(start, m.end(), f"unrendered template tag {m.group()!r}")
                continue
        m = prefix.match(text, start, end)
        if m is not None and m.end() < end:
            yield Finding(start, m.end(), f"label glued to the line it heads {m.group().strip()!r}")


@cache
def _tail_pattern() -> re.Pattern[str]:
    body = "|".join(f"(?:{p})" for p in _sections()["tail"])
    # group 1: after the sentence's last character (a class re scans for fast, unlike a lookbehind)
    return re.compile(rf"[.!?\"”’)]([ \t]+(?:{body})[ \t]*)$", re.IGNORECASE | re.MULTILINE)


@register("player_tail_v1", category="nav", folded_triggers=("your browser does",))
@bounded
def find_player_tails(doc: Doc) -> Iterable[Finding]:
    """Player chrome closing a line after its last sentence: `` Your browser doesn't support
    HTML5 audio. Here is a link to the audio instead. Play Pause Loading...``.

    Leaves alone: the sentence before it, and the same words inside a sentence.
    """
    text = doc.text
    if "support" not in text:
        return
    for m in _tail_pattern().finditer(text):
        yield Finding(m.start(1), m.end(1), "media player chrome closing a line")


FALLBACK_WIDGET_MAX = 240
"""A flattened widget after a fallback notice (button and field labels) is short."""

_FALLBACK = re.compile(
    r"^[ \t]*(?:please (?:upgrade|update) your browser"
    r"(?: to (?:view|see|use) (?:this|the|our) [\w -]{1,40})?"
    r"|(?:please )?enable javascript(?: (?:in your browser )?to (?:view|see|use) [^.!?\n]{1,60})?"
    r"|if you (?:can(?:'|’)t|cannot|are unable to) see (?:this|the) [^.!?,\n]{1,40},? "
    r"(?:please )?(?:refresh|reload|click|tap|try)[^.!?\n]{0,60})[.!]?",
    re.IGNORECASE | re.MULTILINE,
)
"""An embed's notice to a reader whose browser did not render it, opening a line. Bounded
classes and literal alternatives: linear."""


@register(
    "browser_fallback_v1",
    category="nav",
    folded_triggers=("your browser", "javascript", "t see th", "unable to see", "cannot see"),
)
@bounded
def find_browser_fallbacks(doc: Doc) -> Iterable[Finding]:
    """An embed's fallback notice opening a line (``Please upgrade your browser``, ``Please
    enable Javascript to view our poll of polls chart.``, ``If you can't see this reader poll,
    please refresh your page.``): the notice goes, and the whole line when the rest of it is a
    flattened widget (``Your guide to Brexit jargon Enter the word or phrase you are looking
    for Search``: no sentence punctuation, at most :data:`FALLBACK_WIDGET_MAX` characters).

    Leaves alone: the same words inside a sentence (a story about browsers), and whatever
    sentences follow the notice on its line (``About the polling average line The polling
    average line looks at ...``).
    """
    text = doc.text
    for m in _FALLBACK.finditer(text):
        line_end = text.find("\n", m.end())
        if line_end < 0:
            line_end = len(text)
        rest = text[m.end() : line_end].strip()
        start = m.start() + len(m.group()) - len(m.group().lstrip())
        if m.group()[-1:] not in ".!" and rest[:1].islower():
            continue  # the notice runs on as a sentence: not the fallback's own words
        if not rest or (len(rest) <= FALLBACK_WIDGET_MAX and not re.search(r"[.!?]", rest)):
            yield Finding(start, line_end, "embed fallback notice and its widget's labels")
        else:
            end = m.end()
            while end < line_end and text[end] in " \t":
                end += 1
            yield Finding(start, end, "embed fallback notice opening a line")


DISCLOSURE_MAX = 600
"""An affiliate disclosure is a few short sentences."""

_DISCLOSURE_OPENING = re.compile(
    r"[ \t]*(?:(?:affiliate[ \t]+)?(?:disclosure|disclaimer)[ \t]*:[ \t]*)?"
    r"(?:(?:this|the|our) (?:article|post|story|page|piece|guide|review|list)"
    r" (?:contains|includes|may contain) affiliate links\b"
    r"|(?:we|i) (?:may|might) (?:earn|receive|get) (?:a )?(?:small )?"
    r"(?:commission|compensation|share of (?:the )?(?:sales|revenue))\b"
    r"|if you (?:buy|purchase|shop|click)[^.!?\n]{0,60}\blinks?\b[^.!?\n]{0,40}?,? "
    r"(?:we|i) (?:may |might |will )?(?:earn|receive|get)\b"
    r"|as an? (?:amazon associate|affiliate(?: marketer| partner)?)\b[^.!?\n]{0,60}?,? "
    r"(?:we|i) earn\b)",
    re.IGNORECASE,
)
"""The disclosure's first words, after an optional ``Disclosure:`` label: the text says it holds
affiliate links, the outlet or the writer that it may earn a commission (``We may earn``,
``I may earn``: only the outlet speaks so at a paragraph's start), that buying through its
links earns it one (``If you buy through affiliate links, I may earn ...``), or that it earns
as an affiliate (``As an Amazon Associate we earn from qualifying purchases``). Literal
alternatives and bounded classes: linear."""


@register(
    "affiliate_disclosure_v2",
    category="nav",
    folded_triggers=(
        "affiliate link",
        "commission",
        "compensation",
        "share of",
        "qualifying purchases",
    ),
)
def find_affiliate_disclosures(doc: Doc) -> Iterable[Finding]:
    """A paragraph opening with an affiliate-link disclosure (``This article contains
    affiliate links, which means we may earn a small commission if a reader clicks through
    and makes a purchase. All our journalism is independent ... More information.``): legal
    furniture of the page, at most :data:`DISCLOSURE_MAX` characters, removed whole.

    Leaves alone: a paragraph that only mentions commissions further in, reported speech and
    quotations (a story about a company's commissions), paragraphs of several lines and longer
    paragraphs.
    """
    text = doc.text
    for start, end in doc.paragraphs:
        if end - start > DISCLOSURE_MAX:
            continue
        paragraph = text[start:end]
        if "\n" in paragraph.strip() or not _DISCLOSURE_OPENING.match(paragraph):
            continue
        if REPORTED_OR_QUOTED.search(paragraph):
            continue
        lead = len(paragraph) - len(paragraph.lstrip())
        yield Finding(start + lead, start + len(paragraph.rstrip()), "affiliate-link disclosure")


_FORM_MESSAGE = re.compile(
    r"(?:your (?:message|comment|submission|e-?mail|request) (?:has been|was) (?:sent|submitted"
    r"|received)(?: successfully)?"
    r"|thanks? (?:you )?for (?:signing up|subscribing|registering|your submission)"
    r"|you(?:['’]re| are) (?:all set|now subscribed|subscribed)"
    r"|please (?:enter|provide) a valid e-?mail(?: address)?)[ \t]*[.!]*[ \t]*",
    re.IGNORECASE,
)
"""What a form says after (or instead of) its fields: literal words, no nested repeats:
linear."""


@register(
    "form_message_v1",
    category="nav",
    folded_triggers=("sent", "submi", "thank", "all set", "subscribed", "valid e", "received"),
)
@bounded
def find_form_messages(doc: Doc) -> Iterable[Finding]:
    """A line that is only a web form's state message, left where the form was: ``Your message
    has been sent successfully`` (Salon's share-by-email box), ``Thank you for signing up!``,
    ``You're all set``, ``Please enter a valid email address``.

    The whole line must be the message (with at most closing ``.`` or ``!``). Leaves alone: the
    same words in a sentence (``Your message has been sent to the committee, the clerk wrote``),
    quoted, or with anything else on the line.
    """
    for _, start, end, line, _folded in short_lines(doc, 80):
        if _FORM_MESSAGE.fullmatch(line) and not REPORTED_OR_QUOTED.search(line):
            yield Finding(start, end, f"web form message {line.strip()[:50]!r}")


PLAYER_TITLE_MAX = 120
_PLAYER_TITLE = re.compile(
    r"(?P<title>[A-Z0-9‘'][^\n]{2,110}?)[ \t]+(?:Listen|(?P<duration>\d{1,2}:[0-5]\d))[ \t]*"
)
"""A clip's title and the player's button or running time: ``June 6 TOTN Junkie segment
Listen``, ``Carter Speaking to John Paul II in 1979 0:07``; bounded lazy gap: linear."""
_TIME_WORDS = frozenset(
    {
        *("at", "by", "until", "till", "from", "to", "before", "after", "around", "since"),
        *("about", "near", "and", "or", "than", "past", "@", "–", "-"),
    }
)
"""Words before a clock time in prose or a schedule (``Polls close at 8:00``)."""
_NOT_TITLE_END = (".", ",", ";", ":", "!", "?", "…")


@register("player_title_v1", category="nav", triggers=("Listen", ":"))
@bounded
def find_player_titles(doc: Doc) -> Iterable[Finding]:
    """A line that is an audio or video clip's title with the player's button or running time
    after it, left where the player was: ``June 6 TOTN Junkie segment Listen``, ``From Amanda
    Berry's 911 Call Listen``, ``Listen to Kennedy's Speech 0:11``, ``Reagan Welcoming John
    Paul II in 1987 0:17`` (NPR).

    The line stands alone (not the first line), at most :data:`PLAYER_TITLE_MAX` characters:
    a title of at least two words (three before a running time) opening with a capital or a
    digit, without sentence punctuation, quotation marks or dashes, then ``Listen`` or an
    ``M:SS`` time. Leaves alone: clock times (``Polls close at 8:00``: a word such as at, by,
    until before the time), scripture and quotations (``... — Matthew 7:17``), sentences
    (``We sat down to listen``: no capital title, or a full stop), a flattened video strip
    with ellipses (``JUST WATCHED ... Replay More Videos ... 02:40``: ``video_chrome_v1``'s,
    which the guard trusts), and the headline.
    """
    first = doc.paragraphs[0][0] if doc.paragraphs else -1
    for _, start, end, line, _folded in short_lines(doc, PLAYER_TITLE_MAX):
        if start == first or not line.endswith(
            ("Listen", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9")
        ):
            continue
        m = _PLAYER_TITLE.fullmatch(line)
        if m is None:
            continue
        title = m.group("title")
        words = title.split()
        if len(words) < (3 if m.group("duration") else 2) or title.endswith(_NOT_TITLE_END):
            continue
        if words[-1].casefold() in _TIME_WORDS or any(c in title for c in '"“”—…'):
            continue
        if "..." in title:
            continue  # CNN's JUST WATCHED ... Replay More Videos ... strip: video_chrome_v1's
        yield Finding(start, end, "a clip's title and its player button or running time")


_CONTINUE_LABEL = re.compile(
    r"(?:story|article) continues(?: below)?(?: (?:the )?(?:advertisement|ad))?"
    r"|continue reading(?: (?:the )?(?:main story|below|article|story))?"
    r"|advertisement - story continues below",
    re.IGNORECASE,
)
"""A page's read-on button or the label over an ad slot in the body: literal words: linear."""


@register(
    "continue_label_v1",
    category="nav",
    folded_triggers=("story continues", "article continues", "continue reading"),
)
@bounded
def find_continue_labels(doc: Doc) -> Iterable[Finding]:
    """A line that is only a read-on button or an ad slot's continuation label: ``Story
    continues`` (Yahoo's expander), ``Continue reading the main story``, ``Article continues
    below advertisement``.

    The whole line must be the label (closing ``.``, ``:``, ``…`` or ``»`` at most).
    Leaves alone: the words in a sentence (``The story continues below the fold of
    history.``), and lines with anything else on them.
    """
    for _, start, end, line, _folded in short_lines(doc, 60):
        if _CONTINUE_LABEL.fullmatch(line.rstrip(" .:…»›>")):
            yield Finding(start, end, f"continuation label {line.strip()[:40]!r}")
