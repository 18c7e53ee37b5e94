"""The outlet speaking at the end of a text where no call rule knows its words: offers to the
reader (a question about what the reader wants, then the outlet's answer: its show, its group,
itself), the notices of its opinion pages and partners, and its invitations to comment or
write in.

:mod:`cleaners.calls` judges a paragraph by its closing imperative (``Subscribe ...``,
``Tune in ...``); the paragraphs here close with an offer instead (``Host Sean Rameswaram will
guide you through the most important stories``, ``You can also check him out on Facebook``).
What marks them is their opening: a question put to the reader about what they want
(``Looking for ...?``, ``Want more ...?``), and a rest that speaks to the reader or for the
outlet. A notice says how the outlet's opinion pages or partners work, or where to read and
answer them (``USA TODAY's editorial opinions are decided by its Editorial Board``, ``To
respond to this editorial, submit a comment to ...``). Both are only looked for among a
text's last paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from cleaners.bylines import _fold, _source_forms_of
from cleaners.calls import _sentences
from cleaners.core import Doc, Finding
from cleaners.patterns import may_match, required_literals
from cleaners.promo import bounded
from cleaners.registry import register

RULES: tuple[str, ...] = (
    "reader_offer_v2",
    "outlet_notice_v1",
    "reader_invitation_v1",
    "doubled_promo_box_v1",
)
"""Names this module registers, in the order they run in the default chain."""

OFFER_MAX = 400
OFFER_TAIL = 3
"""An offer is one of a text's last this many paragraphs."""
OFFER_QUESTION_WORDS = 14

_OFFER_QUESTION = re.compile(
    r"(?:Looking for|Want(?: more| to)?|Need more|Craving|Missed|Miss|Hungry for|Can['’]t get"
    r" enough of|(?:Like|Enjoy|Enjoyed|Love|Loved) (?:this|what you))\b[^?.!\n]{0,100}\?:?[ \t]*"
)
"""A question about what the reader wants, opening the paragraph (``Looking for a quick way to
keep up with the never-ending news cycle?``, ``Want more Glenn?``, ``Want to talk more about
politics?:``, ``Like what you’re reading?``); bounded class, no nested repeats: linear.
v2: also ``Like what you ...?`` (v1 knew only ``Like this ...?``)."""
_OFFER = re.compile(
    r"(?:^|[.!?:] )(?:Join|Visit|Listen|Subscribe|Watch|Follow|Check out|Sign up|Download|Tune"
    r" in|Catch|Support|Donate|Read more)\b"
    r"|\b(?:[Hh]osts?|[Aa]nchors?) [A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3} will\b"
    r"|\b[Yy]ou can (?:also )?(?:find|follow|listen|watch|check|catch|read|get|subscribe|join)\b"
)
"""The outlet's answer: an imperative opening a sentence, a host who will take the reader
through the show, what the reader can do; alternatives of literal words: linear."""
_TO_THE_READER = re.compile(r"\b(?:you|your|our|us|we)\b", re.IGNORECASE)
_REPORTED = re.compile(r"\b(?:said|says|told|according to|wrote|asked)\b", re.IGNORECASE)
_LONG_QUOTE = re.compile(r"[\"“][^\"“”\n]{0,400}[\"”]")
QUOTED_WORDS_MAX = 8
"""A title in quotation marks (``“The Glenn Beck Radio Program”``) is short; a longer quotation
is someone's words."""


def _quotes_someone(text: str) -> bool:
    if _REPORTED.search(text):
        return True
    return any(len(m.group().split()) > QUOTED_WORDS_MAX for m in _LONG_QUOTE.finditer(text))


@register("reader_offer_v2", category="promo", triggers=("?",))
@bounded
def find_reader_offers(doc: Doc) -> Iterable[Finding]:
    """A closing paragraph that asks what the reader wants and answers with the outlet's offer:
    ``Looking for a quick way to keep up with the never-ending news cycle? Host Sean Rameswaram
    will guide you through the most important stories at the end of each day.`` (a podcast's
    blurb), ``Want more Glenn? Visit “The Glenn Beck Radio Program” or listen live ... You can
    also check him out on Facebook, Twitter, and YouTube.``, ``Want to talk more about
    politics? Join our Facebook group: ...``, ``Want more stories like this? The Student Press
    Law Center is a legal and educational nonprofit ...`` (the outlet on itself), ``Like what
    you’re reading? Download the USA TODAY app for more``.

    The paragraph is one of the last :data:`OFFER_TAIL`, one line of at most
    :data:`OFFER_MAX` characters; it opens with a question of at most
    :data:`OFFER_QUESTION_WORDS` words about what the reader wants (looking for, want more,
    craving, missed, liked this ...), and the rest holds an offer (an imperative such as join,
    visit, listen, subscribe; a host who will take the reader through; ``you can also ...``)
    speaking to the reader or for the outlet (you, our, we), or names the outlet. Leaves alone:
    a bare question (a heading: ``Want to Help?``), an answer that is no offer (``Can't get
    enough of the mandate? Get ready for 'mandate plus.'``), reported speech and quotations,
    interview questions, the first paragraph, and the same paragraph higher up in the text.
    """
    paragraphs = doc.paragraphs
    if len(paragraphs) < 2:
        return
    text = doc.text
    forms: frozenset[str] | None = None
    for start, end in paragraphs[max(1, len(paragraphs) - OFFER_TAIL) :]:
        if end - start > OFFER_MAX or text.find("\n", start, end) >= 0:
            continue
        m = _OFFER_QUESTION.match(text, start, end)
        if m is None or len(text[start : m.end()].split()) > OFFER_QUESTION_WORDS:
            continue
        rest = text[m.end() : end]
        if len(rest.split()) < 3 or _quotes_someone(rest):
            continue
        if _OFFER.search(rest) and _TO_THE_READER.search(rest):
            yield Finding(start, end, "the outlet's offer after a question to the reader")
            continue
        if forms is None:
            forms = _source_forms_of(doc.source)
        if forms and any(form in _fold(rest) for form in forms):
            yield Finding(start, end, "the outlet on itself after a question to the reader")


# --- notices of the opinion pages and partners ----------------------------------------------

NOTICE_MAX = 400
NOTICE_TAIL = 3
NOTICE_MAX_SENTENCES = 3

_PAGE_WORDS = re.compile(
    r"\b(?:editorials|this editorial|editorial (?:board|opinions|standards)|opinion (?:front )?page"
    r"|opinion(?: email)? newsletter|board of contributors|content partner|contributor channel"
    r"|submission guidelines|letters? to the editor)\b",
    re.IGNORECASE,
)
"""What the notice is about: the outlet's opinion pages, its standards, its partners
(literal words: linear)."""
_PAGE_LITERALS = required_literals(_PAGE_WORDS)
"""Literals one of which every match of :data:`_PAGE_WORDS` holds: a paragraph holding none is
not searched (the alternation, tried at every position, costs tens of microseconds a
paragraph)."""
_INVITATION = re.compile(
    r"(?:To [a-z]+ [^.]{0,80}?, )?(?:[Gg]o|[Rr]ead|[Ss]ubmit|[Ss]end|[Cc]heck|[Vv]isit|[Ss]ign"
    r" up|[Ff]ollow|[Ee]mail|[Ww]rite)\b|You can (?:also )?[a-z]+\b"
)
"""A sentence that tells the reader where to read or answer: an imperative, after an optional
purpose (``To read more editorials, go to ...``), or ``You can ...``."""
_SELF = re.compile(
    r"\b(?:[Oo]ur|[Ww]e|[Ii]ts (?:content|editorial)|this (?:editorial|column|op-ed|commentary))\b"
)
_PRESENT = re.compile(
    r"\b(?:is|are|supports|provides|offers|shows|reflects|decides|(?:is|are) decided by"
    r"|(?:is|are) produced)\b"
)
"""A standing practice, in the present tense (a news sentence about an editorial board reports
what it did: ``The Post's editorial board endorsed ...``)."""


_BIO = re.compile(r"(?!The )(?:[A-Z][\w.'’-]* ){2,4}(?:is|was)\b")
"""``Brett M. Decker is editorial page editor of The Washington Times``: a bio, the byline
rules'."""


def _notice_sentence(sentence: str, forms: frozenset[str]) -> bool:
    if _INVITATION.match(sentence):
        return True
    names_self = _SELF.search(sentence) is not None or (
        bool(forms) and any(form in _fold(sentence) for form in forms)
    )
    return names_self and _PRESENT.search(sentence) is not None


@register(
    "outlet_notice_v1",
    category="nav",
    folded_triggers=("editorial", "opinion", "contribut", "partner", "letter"),
)
@bounded
def find_outlet_notices(doc: Doc) -> Iterable[Finding]:
    """A closing paragraph that is a notice of the outlet's opinion pages or partners:
    ``USA TODAY's editorial opinions are decided by its Editorial Board, separate from the news
    staff. Most editorials are coupled with an opposing view — a unique USA TODAY feature.``,
    ``To read more editorials, go to the Opinion front page or sign up for the daily Opinion
    email newsletter. To respond to this editorial, submit a comment to ...``, ``You can read
    diverse opinions from our Board of Contributors ...``, ``OZY is a USA TODAY content partner
    ... Its content is produced independently of USA TODAY.``, ``TheBlaze contributor channel
    supports an open discourse on a range of views.``, ``We are committed to truth and
    accuracy in all of our journalism. Read our editorial standards.``

    The paragraph is one of the last :data:`NOTICE_TAIL`, one line of at most
    :data:`NOTICE_MAX` characters and :data:`NOTICE_MAX_SENTENCES` sentences; it names one of
    the outlet's pages or practices (editorials, the editorial board or standards, the opinion
    page or newsletter, contributors, a content partner, submission guidelines, letters to the
    editor), and every sentence is an invitation (an imperative, ``You can ...``) or says in
    the present tense how the outlet (named, or we, our, its content, this editorial) works.
    Invitations are promo, statements nav. Leaves alone: news about editorials and editorial
    boards (past tense: ``The Post's editorial board endorsed ...``), reported speech and
    quotations, an author's bio (``Brett M. Decker is editorial page editor of ...``: the byline
    rules'), sentences of another kind in the paragraph, anything higher up.
    """
    paragraphs = doc.paragraphs
    if len(paragraphs) < 2:
        return
    text = doc.text
    folded = doc.folded
    forms: frozenset[str] | None = None
    for start, end in paragraphs[max(1, len(paragraphs) - NOTICE_TAIL) :]:
        if end - start > NOTICE_MAX or text.find("\n", start, end) >= 0:
            continue
        if not may_match(_PAGE_LITERALS, folded, start, end):
            continue  # no page word can match (literal searches, not the pattern)
        paragraph = text[start:end]
        if not _PAGE_WORDS.search(paragraph) or _quotes_someone(paragraph):
            continue
        if _BIO.match(paragraph):
            continue
        sentences = _sentences(paragraph)
        if not 1 <= len(sentences) <= NOTICE_MAX_SENTENCES:
            continue
        if forms is None:
            forms = _source_forms_of(doc.source)
        if not all(_notice_sentence(s, forms) for s in sentences):
            continue
        if any(_INVITATION.match(s) for s in sentences):
            yield Finding(start, end, "where to read or answer the opinion pages", "promo")
        else:
            yield Finding(start, end, "notice of the outlet's opinion pages or partners")


# --- the outlet inviting readers to comment or write in -------------------------------------

INVITATION_MAX = 400
INVITATION_MAX_SENTENCES = 3

_WE_INVITE = re.compile(
    r"We (?:encourage|invite|welcome|ask|urge) (?:our )?(?:readers|you|viewers|listeners)\b"
    r"(?:[^.!?\n]|\.(?=\S)){0,200}?\b(?:comment|contact|write|email|e-mail|reach|share|send"
    r"|tell|respond)(?:[^.!?\n]|\.(?=\S)){0,200}?\b(?:our|us)\b"
)
"""The outlet's own invitation: ``We encourage readers who wish to comment on our material to do
so through our Facebook ...``, ``We encourage you to contact the Monitor ... if you can improve
our chart!``: we + an inviting verb + the readers, a way to reach the outlet, and the outlet as
the channel (our, us); bounded lazy gaps without sentence ends (a full stop inside an address
is none): linear."""


@register("reader_invitation_v1", category="promo", triggers=("We ",))
@bounded
def find_reader_invitations(doc: Doc) -> Iterable[Finding]:
    """A paragraph that opens with the outlet inviting readers to comment or write in:
    ``We encourage readers who wish to comment on our material to do so through our Facebook,
    Twitter, YouTube, and Instagram accounts. God bless you and keep you in His truth.`` (CBN's
    comment policy), ``We encourage you to contact the Monitor on Twitter @csm_politics or by
    email ... if you can improve our chart!``.

    The first sentence is we + encourage, invite, welcome, ask or urge + readers or you, then a
    way to reach (comment, contact, write, email, share, respond) and the outlet as the channel
    (our, us); the paragraph is one line of at most :data:`INVITATION_MAX` characters and
    :data:`INVITATION_MAX_SENTENCES` sentences, not the first. Leaves alone: invitations of
    other people (``We encourage faith leaders to look to the CDC ...``, ``We invite all
    leaders to ...``), readers sent elsewhere (``We encourage readers to contact their
    senators.``), reported speech and quotations, and the first paragraph.
    """
    paragraphs = doc.paragraphs
    text = doc.text
    for start, end in paragraphs[1:]:
        if end - start > INVITATION_MAX or not text.startswith("We ", start):
            continue
        if text.find("\n", start, end) >= 0:
            continue
        paragraph = text[start:end]
        sentences = _sentences(paragraph)
        if not 1 <= len(sentences) <= INVITATION_MAX_SENTENCES:
            continue
        if not _WE_INVITE.match(sentences[0]) or _quotes_someone(paragraph):
            continue
        yield Finding(start, end, "the outlet inviting readers to comment or write in")


# --- a flattened promo box at the head, its copy doubled ---------------------------------

BOX_MAX = 600
BOX_COPY_MIN = 30
BOX_TITLE_WORDS = 8
_BOX_READER = re.compile(
    r"^(?:Be|Get|Join|Sign|Subscribe|Discover|Explore|Find|Learn|Read|Watch|Listen|Follow|Try"
    r"|Support|Donate|Shop|Travel|Meet|See)\b|\b(?:you|your)\b",
    re.IGNORECASE,
)
"""The box's copy speaks to the reader: an imperative opening it, or you and your."""


def _doubled_tail(paragraph: str) -> int:
    """Length of ``copy`` when ``paragraph`` ends with ``copy + " " + copy`` (a widget's two
    renderings, flattened), else 0. Only the sentence starts of the second half are tried (a
    capital after a sentence stop and a space), each with one comparison in place."""
    n = len(paragraph)
    if n < 2 * BOX_COPY_MIN + 1 or paragraph[-1] not in ".!?":
        return 0
    pos = paragraph.find(". ", n // 2 - 1)
    while pos >= 0:
        size = n - pos - 2
        if size < BOX_COPY_MIN:
            break
        start = n - 2 * size - 1
        if start >= 0 and paragraph.startswith(paragraph[pos + 2 :], start):
            return size
        pos = paragraph.find(". ", pos + 1)
    return 0


@register("doubled_promo_box_v1", category="promo")
@bounded
def find_doubled_promo_boxes(doc: Doc) -> Iterable[Finding]:
    """The first paragraph when it is a flattened promo box of the outlet: a short title naming
    the outlet, then the box's copy twice (the widget's two renderings): ``Travel With The
    Nation Be the first to hear about Nation Travels destinations, and explore the world with
    kindred spirits. Be the first to hear about ...`` (the same sentence again).

    The title has at most :data:`BOX_TITLE_WORDS` words and names the outlet (the source hint);
    the copy, at least :data:`BOX_COPY_MIN` characters, is repeated word for word at the end of
    the paragraph and speaks to the reader (an imperative opening it, or you, your); one line of
    at most :data:`BOX_MAX` characters, the text's first paragraph (or the second, under the
    headline). Leaves alone: a repeated sentence of the story (scraper damage that deletion
    cannot repair: no title naming the outlet before it, or copy that does not speak to the
    reader), and any paragraph further down.
    """
    paragraphs = doc.paragraphs
    if len(paragraphs) < 2:
        return
    text = doc.text
    forms: frozenset[str] | None = None
    for start, end in paragraphs[:2]:
        if end - start > BOX_MAX or text.find("\n", start, end) >= 0:
            continue
        paragraph = text[start:end]
        size = _doubled_tail(paragraph)
        if not size:
            continue
        title = paragraph[: len(paragraph) - 2 * size - 1].strip()
        copy = paragraph[len(paragraph) - size :]
        if not title or len(title.split()) > BOX_TITLE_WORDS or not _BOX_READER.search(copy):
            continue
        if forms is None:
            forms = _source_forms_of(doc.source)
        if forms and any(form in _fold(title) for form in forms):
            yield Finding(start, end, "the outlet's promo box, its copy doubled")
