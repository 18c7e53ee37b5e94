"""Bylines, author contact lines and author bios: who wrote the piece, not what it says.

Each rule judges a line by its grammar and its place, not by a list of outlets or authors:

- a *name* is 2-4 capitalised tokens (``Olivia B. Waxman``, ``MARY CLARE JALONICK``,
  ``Yousef Al-Helou``); a *name list* joins names with commas and "and";
- a byline block sits in the first lines of the text (``By NAME``, or a name line with the
  outlet or the author's role on the line after it);
- contact lines (``Write to NAME at ADDRESS``, ``Follow NAME on Twitter``) are the whole line,
  or the last sentence of one of the last paragraphs.

The ``source`` hint (the outlet's name) confirms an outlet line: ``Doug Stanglin`` over
``USA TODAY`` in a USA TODAY article. Each rule first makes one cheap test over the text (a
substring search, or only the head of the text) before any work per line.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from cleaners.core import Doc, Finding
from cleaners.edges import first_line_is_title
from cleaners.patterns import TEXT_INDEX, starts_of_lines_holding
from cleaners.registry import register

RULES: tuple[str, ...] = (
    "top_byline_v1",
    "handle_byline_v1",
    "about_org_v1",
    "bio_paragraph_v1",
    "views_disclaimer_v1",
    "author_name_line_v1",
    "outlet_closer_v1",
    "author_contact_v1",
    "column_tagline_v1",
    "outlet_name_line_v1",
)
"""Names this module registers, in the order they run in the default chain: the ``About``
block before the outlet's self-description (which its paragraph also is), bios before the
outlet's self-description (``Asad Hashim is Al Jazeera's correspondent`` is a bio) and before
contact lines (a bio keeps its closing contact sentence)."""

# --- name grammar ---------------------------------------------------------------------------

_UP = "A-ZÀ-ÖØ-Þ"
_LO = "a-zß-öø-ÿ"
_WORD = rf"(?:[{_UP}][’'])?[{_UP}][{_LO}]+(?:[{_UP}][{_LO}]+)?(?:[-'’][{_UP}]?[{_LO}]+)*"
"""``Waxman``, ``McDermott``, ``O’Rourke``, ``Al-Helou``, ``González``."""
_CAPS = rf"[{_UP}]{{2,}}(?:[-'’][{_UP}]+)*"
_INITIALS = rf"(?:[{_UP}]\.){{1,3}}"
_TOKEN = rf"(?:{_WORD}|{_CAPS}|{_INITIALS})"
_PARTICLE = r"(?:de|da|del|der|van|von|la|le|bin|al|di|du|dos|ter)"
_SUFFIX = r"(?:,? (?:Jr\.|Sr\.|II|III|IV))"
NAME = rf"{_TOKEN}(?: (?:{_TOKEN}|{_PARTICLE})){{1,3}}{_SUFFIX}?"
"""A person's name: 2-4 capitalised tokens (initials count), particles, a suffix."""

_HANDLE = r"\( ?@\w{1,30} ?\)"
_NAME_H = rf"{NAME}(?: {_HANDLE})?"
_SEP = r"(?:,? and |, | & )"
NAME_LIST = rf"{NAME}(?:{_SEP}{NAME}){{0,5}}"
_NAME_H_LIST = rf"{_NAME_H}(?:{_SEP}{_NAME_H}){{0,5}}"

_NAME_LIST_LINE = re.compile(NAME_LIST)

# --- shared helpers -------------------------------------------------------------------------


_NOT_ALNUM = re.compile(r"[\W_]+")


def _fold(text: str) -> str:
    """Letters and digits only, case-folded: ``USA TODAY``, ``USATODAY`` and ``usa-today``
    compare equal."""
    return _NOT_ALNUM.sub("", text.casefold())


@functools.lru_cache(maxsize=1024)
def _fold_cached(text: str) -> str:
    """:func:`_fold` of a string every view of a document shares (its title)."""
    return _fold(text)


def _source_forms(doc: Doc) -> frozenset[str]:
    """Folded forms of the outlet's name from ``doc.source`` (cached by source)."""
    return _source_forms_of(doc.source)


@functools.lru_cache(maxsize=1024)
def _source_forms_of(source: str | None) -> frozenset[str]:
    """Folded forms of an outlet's name: ``Fox News (Online News)`` gives ``foxnewsonlinenews``
    and ``foxnews``; ``thehill.com`` gives ``thehill``; ``The Hill`` also ``hill``."""
    source = (source or "").strip()
    if not source:
        return frozenset()
    forms = {_fold(source)}
    head = re.split(r"\s[-(–|]", source, maxsplit=1)[0]
    forms.add(_fold(head))
    if "." in head and " " not in head:
        forms.add(_fold(head.rsplit(".", 1)[0].removeprefix("www.")))
    if head.casefold().startswith("the "):
        forms.add(_fold(head[4:]))
    forms.discard("")
    return frozenset(f for f in forms if len(f) >= 3)


def _is_source_line(line: str, forms: frozenset[str]) -> bool:
    folded = _fold(line)
    return bool(folded) and (folded in forms or folded.removeprefix("the") in forms)


_HEAD_CHARS = 1500
_HEAD_LINES = 5
_PROSE_MIN = 120
"""The head of a text: its first lines up to the first paragraph of prose, a line this long at
least."""


def _head_lines(text: str) -> list[tuple[int, int]]:
    """Spans (without surrounding spaces) of the first non-blank lines, up to and including the
    first line of at least :data:`_PROSE_MIN` characters (the first paragraph of prose)."""
    out: list[tuple[int, int]] = []
    pos = 0
    limit = min(len(text), _HEAD_CHARS)
    while pos < limit and len(out) < _HEAD_LINES:
        end = text.find("\n", pos)
        if end < 0:
            end = len(text)
        line = text[pos:end]
        body = line.strip()
        if body:
            start = pos + line.index(body[0])
            out.append((start, start + len(body)))
            if len(body) >= _PROSE_MIN and not (body[0] == "(" and body[-1] == ")"):
                break  # a parenthesised editor's note (a correction) is no prose
        pos = end + 1
    return out


def _is_title(line: str, title: str | None) -> bool:
    return bool(title) and _fold(line) == _fold_cached(title or "")


# --- top bylines ----------------------------------------------------------------------------

_BY_LINE = re.compile(
    rf"By:? (?:the )?{_NAME_H_LIST}"
    r"(?:(?:,| //| -| –| —| \|) [^\n.!?]{1,60}|,? (?:for|of) [^\n.!?]{1,50})?"
)
"""``By NAME [and NAME]``, each name perhaps with its handle, then perhaps the author's role,
outlet or a date: ``, Staff writer``, ``, for TheBlaze``, `` // City Journal``, `` - February
7, 2013``. The tail holds no sentence punctuation."""

_ROLE_LINE = re.compile(
    r"(?:[\w.&'’-]+ ){0,3}(?:contributor|correspondent|writer|reporter|columnist|editor|staff)"
    r"|(?:Special )?(?:for|to) (?:the )?[A-Z][\w.&'’ -]{1,40}",
    re.IGNORECASE,
)
"""The line under a name line saying who the author is: ``Opinion contributor``, ``Register
Opinion contributor``, ``Special for USA TODAY``."""

_OUTLET_LINE = re.compile(r"(?:[A-Z][\w.&'’-]*|of|the|and)(?: (?:[A-Z][\w.&'’-]*|of|the|and)){0,3}")
"""A short title-case line (``Cheat Sheet``, ``Religion News Service``) that may name the outlet
of the author when it sits right under the author's name at the very top."""


@register("top_byline_v1", category="byline")
def find_top_byline(doc: Doc) -> Iterable[Finding]:
    """The byline block at the top of the text, before its first paragraph of prose.

    Removes ``By NAME [and NAME]`` (with handles, a role, an outlet or a date after it:
    ``By Ian Ballinger, for TheBlaze``, ``By MICHAEL FALCONE ( @michaelpfalcone ) and ...``), a
    name-list line followed by the author's outlet or role line (``Doug Stanglin`` /
    ``USA TODAY``, ``Tim Wendel`` / ``Opinion contributor``; the outlet line is the source's
    name, a role line, or a short title-case line right before the first paragraph), and a
    line that is only the outlet's name (from ``doc.source``) over the first paragraph.

    Leaves alone: the same lines below the first paragraph of prose (BBC's signed
    correspondent box, the ``Name, Outlet`` attribution lines of a quote round-up), a name line
    with no outlet or role line under it, and a line that is the known title.
    """
    text = doc.text
    head = _head_lines(text)
    if len(head) < 2:
        return
    forms = _source_forms(doc)
    last = len(head) - 1
    prose_follows = head[last][1] - head[last][0] >= _PROSE_MIN
    k = 0
    while k < last:
        s, e = head[k]
        line = text[s:e]
        if _is_title(line, doc.title):
            k += 1
            continue
        if line.startswith("By") and _BY_LINE.fullmatch(line):
            yield Finding(s, e, "byline at the top of the text")
            k += 1
            continue
        ns, ne = head[k + 1]
        below = text[ns:ne]
        if (
            _NAME_LIST_LINE.fullmatch(line)
            and not _is_source_line(line, forms)
            and (
                _is_source_line(below, forms)
                or _ROLE_LINE.fullmatch(below)
                or (
                    k + 2 == last
                    and prose_follows
                    and len(below) <= 40
                    and _OUTLET_LINE.fullmatch(below)
                    and not _NAME_LIST_LINE.fullmatch(below)
                )
            )
        ):
            yield Finding(s, e, "author name line at the top of the text")
            yield Finding(ns, ne, "author's outlet or role under the byline")
            k += 2
            continue
        if k + 1 == last and prose_follows and _is_source_line(line, forms):
            yield Finding(s, e, "outlet name line over the first paragraph")
        k += 1


# --- bylines with handles -------------------------------------------------------------------

_HANDLE_BYLINE = re.compile(
    rf"(?:By|With|with|and) (?:[A-Z][\w.&-]*(?:’s|'s) )?{_NAME_H}(?:{_SEP}{_NAME_H}){{0,5}}"
)


@register("handle_byline_v1", category="byline", triggers=("(@", "( @"))
def find_handle_bylines(doc: Doc) -> Iterable[Finding]:
    """A line that only credits authors with their social handles, anywhere in the text:
    ``with ABC's Elizabeth Hartfield ( @LizHartfield)``, ``By NAME ( @x ) and NAME ( @y )``.

    At least one ``(@handle)`` must be on the line and the line must start with ``By``,
    ``with`` or ``and``. Leaves alone: embedded tweets and their ``— Name (@handle) date``
    tails, handles inside sentences, and a bare ``Name (@handle)`` line (a tweet's header).
    """
    text = doc.text
    if "@" not in text or ("(@" not in text and "( @" not in text):
        return
    for s, e in doc.lines:
        if e - s > 200 or text[s] not in "BWwa":
            continue
        line = text[s:e]
        if "@" in line and _HANDLE_BYLINE.fullmatch(line):
            yield Finding(s, e, "author credit line with social handles")


# --- contact and follow lines ---------------------------------------------------------------

_EMAIL = r"(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\[email protected\])"
"""An address, or the ``[email protected]`` a page's address obfuscation leaves."""
_NETWORKS = r"(?:Twitter|Facebook|Instagram|Threads|Bluesky|Mastodon|LinkedIn|X)"
_FOLLOWED = rf"(?:(?:[a-z]+ ){{0,3}}{NAME}|[A-Z][\w.]+|@\w+|him|her|them|me|us)"
"""Who to follow: ``Hasson``, ``Amber Athey``, ``investigative reporter Brad Heath``, ``@x``."""
_REACHABLE = r"(?:[\w@.;:,()+-]+ ){0,8}?"
_PROFILE = (
    r"(?:https?://)?(?:www\.)?(?:twitter|x|facebook|instagram)\.com/@?[\w.]{1,40}/?"
    r"(?: (?=[.!]))?"
)
"""A profile address: ``https://twitter.com/sbauerAP``, ``http://twitter.com/@JonLemire`` (AP
writes a space before the final full stop)."""
_CONTACT_SENTENCE = (
    rf"Write to {NAME} at {_EMAIL}(?:{_SEP}{NAME} at {_EMAIL}){{0,5}}"
    rf"|(?:You can )?[Ff]ollow {_FOLLOWED}(?:{_SEP}{_FOLLOWED}){{0,4}} (?:on|at) {_NETWORKS}"
    rf"(?: and {_NETWORKS})?(?::? ?(?:at )?@\w+(?:{_SEP}@\w+){{0,3}})?"
    rf"|(?:You can )?[Ff]ollow (?:@\w+)(?:{_SEP}@\w+){{0,4}} on {_NETWORKS}"
    rf"|(?:You can )?[Ff]ollow {_FOLLOWED}(?: on {_NETWORKS})?(?::? at:?|:) {_PROFILE}"
    rf"|[Ff]ollow @\w+(?:{_SEP}@\w+){{0,4}}"
    rf"|(?:{NAME}|He|She|They) (?:can|may) be reached {_REACHABLE}"
    rf"(?:at |via email:? |by email at )?{_EMAIL}"
    r"(?:[;,]? (?:or |and )?(?:on Twitter )?(?:at )?@\w+(?: on Twitter)?)?"
    rf"|(?:Email|E-mail|Contact|Reach) (?:{NAME} |him |her |them |us |the author |the writer )?"
    rf"(?:at )?{_EMAIL}"
    rf"|{NAME}(?:’s|'s) e-?mail address is {_EMAIL}"
)
"""One contact sentence: ``Write to NAME at ADDRESS``, ``Follow NAME on Twitter @x``, ``NAME can
be reached at ADDRESS`` (a phone number or more before the address: ``may be reached at
546-6421; x@example.com; @x on Twitter``), ``Contact us at ADDRESS``, ``NAME's e-mail address
is ADDRESS``."""
_CONTACT_LINE = re.compile(
    rf"(?:[—–•⦁*-] ?)?(?:{_CONTACT_SENTENCE})[.!]?(?: (?:{_CONTACT_SENTENCE})[.!]?){{0,5}}"
)
_CONTACT_TAIL = re.compile(
    rf"(?<=[.!?”\"]) (?:{_CONTACT_SENTENCE})[.!]?(?: (?:{_CONTACT_SENTENCE})[.!]?){{0,5}}$"
)
"""Contact sentences closing a line after another sentence (the space before them goes)."""

_CONTACT_HINTS = ("ollow ", "@", "[email protected]")
"""Every contact sentence holds an address or a handle (``@``) or says follow: the rule looks
only at lines with one (found by substring searches)."""


def _hint_lines(text: str) -> list[int]:
    """Starts of the lines holding a contact hint, in text order."""
    return sorted(starts_of_lines_holding(text, _CONTACT_HINTS))


TAIL_PARAGRAPHS = 3
"""Contact sentences glued to a line are looked for in this many last paragraphs."""

CONTACT_LINE_MAX = 400


def _tail_start(text: str, paragraphs: int) -> int:
    """Offset where the last ``paragraphs`` blank-line-separated paragraphs begin."""
    tail = last_paragraphs(text, paragraphs)
    return tail[0][0] if tail else 0


_BLANK = " \t\n"


_EDGE_HEAD = 2
_EDGE_TAIL = 6


def _edges(doc: Doc) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The first two and the last six paragraphs of a view, computed once for the rules of
    this module that look only there."""
    cached = doc.__dict__.get("_byline_edges")
    if cached is None:
        cached = (first_paragraphs(doc.text, _EDGE_HEAD), last_paragraphs(doc.text, _EDGE_TAIL))
        doc.__dict__["_byline_edges"] = cached
    return cached


def first_paragraphs(text: str, count: int) -> list[tuple[int, int]]:
    """Spans of the first ``count`` paragraphs (blocks separated by a blank line), without
    surrounding whitespace. Rules see tidied text, where a blank line is ``\\n\\n``; the scan
    reads only the paragraphs it returns."""
    out: list[tuple[int, int]] = []
    pos = 0
    size = len(text)
    while pos < size and text[pos] in _BLANK:
        pos += 1
    while pos < size and len(out) < count:
        gap = text.find("\n\n", pos)
        end = size if gap < 0 else gap
        stop = end
        while stop > pos and text[stop - 1] in _BLANK:
            stop -= 1
        if stop > pos:
            out.append((pos, stop))
        if gap < 0:
            break
        pos = gap
        while pos < size and text[pos] in _BLANK:
            pos += 1
    return out


def last_paragraphs(text: str, count: int) -> list[tuple[int, int]]:
    """Spans of the last ``count`` paragraphs, in text order (reads only those)."""
    out: list[tuple[int, int]] = []
    end = len(text)
    while end > 0 and text[end - 1] in _BLANK:
        end -= 1
    while end > 0 and len(out) < count:
        gap = text.rfind("\n\n", 0, end)
        start = 0 if gap < 0 else gap + 2
        while start < end and text[start] in _BLANK:
            start += 1
        out.append((start, end))
        if gap < 0:
            break
        end = gap
        while end > 0 and text[end - 1] in _BLANK:
            end -= 1
    out.reverse()
    return out


@register("author_contact_v1", category="byline", triggers=_CONTACT_HINTS)
def find_author_contact(doc: Doc) -> Iterable[Finding]:
    """Author contact and follow lines: ``Write to Olivia B. Waxman at olivia.waxman@time.com.``,
    ``Follow Hasson on Twitter @PeterJHasson``, ``Follow @gregorykorte and @djusatoday on
    Twitter.``, ``Bob Egelko can be reached at ...``, ``Email: name@example.com``, as a whole line
    anywhere, or as the last sentence of one of the last paragraphs (``Contributing: The
    Associated Press. Follow Daniel González on Twitter: @azdangonzalez``: only the follow
    sentence goes, with the space before it).

    Leaves alone: the sentence before a glued contact sentence (contributor notes stay),
    contact sentences inside the body's paragraphs, addresses inside reported speech, and
    invitations to follow a topic ("follow the hearings live").
    """
    text = doc.text
    tail = -1
    for start in _hint_lines(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line = text[start:end]
        body = line.strip()
        if not body:
            continue
        s = start + line.index(body[0])
        e = s + len(body)
        if len(body) <= CONTACT_LINE_MAX and _CONTACT_LINE.fullmatch(text, s, e):
            yield Finding(s, e, "author contact or follow line")
            continue
        if tail < 0:
            tail = _tail_start(text, TAIL_PARAGRAPHS)
        if s < tail or (text.startswith("\n", e) and text[e + 1 : e + 2] not in ("", "\n")):
            continue  # not in the last paragraphs, or not the end of its paragraph
        m = _CONTACT_TAIL.search(text, max(s, e - CONTACT_LINE_MAX), e)
        if m is not None:
            yield Finding(m.start(), m.end(), "author follow or contact sentence closing a line")


# --- author bios ----------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?]+[\"”’')\]]*(?=\s|$)")
_NOT_END = re.compile(
    r"(?:[A-Z][a-z]{0,2}|(?:[A-Z]\.)+[A-Z]?|[A-Z]-[A-Z][a-z]?|[a-z]\.[a-z]|St|Sr|Jr|Mt|No|vs)\.?"
)
"""The word before a full stop that does not end a sentence: ``Sen.``, ``U.S.``, ``R-Ky.``."""


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the sentences of ``text[start:end]``, not split after abbreviations."""
    out: list[tuple[int, int]] = []
    pos = start
    for m in _SENTENCE_END.finditer(text, start, end):
        if m.group()[0] == ".":
            word = text.rfind(" ", pos, m.start()) + 1
            word = max(word, pos)
            if _NOT_END.fullmatch(text, word, m.start() + 1):
                continue
        if text[pos : m.end()].strip():
            s = pos + len(text[pos : m.end()]) - len(text[pos : m.end()].lstrip())
            out.append((s, m.end()))
        pos = m.end()
    if text[pos:end].strip():
        s = pos + len(text[pos:end]) - len(text[pos:end].lstrip())
        out.append((s, end))
    return out


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_FUNCTION_WORDS = _word_set(
    "The This That These Those It Its There Here He She They We You I But And Or So Yet If When "
    "While Then Now Today Yesterday Tonight Still Also Even Just Only Why How What Who Whether "
    "After Before Since Because Although Though In On At For From With Without As Of By To "
    "Mr Mrs Ms Sen Rep Gov President Secretary Senator Speaker Vice Former Democratic Republican "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May "
    "June July August September October November December"
)
"""Capitalised words that open sentences or name offices, never a bio's name: ``But Trump
is``, ``President Obama was``, ``Sen. Smith is``."""

_PERSON_TITLE = r"(?:(?:Dr|Prof|Rev|Judge|Rabbi|Father|Sister|Imam)\.? )?"
_LEAD = r"(?:[—–•⦁*-] ?|Editor['’]s [Nn]ote: )?"
"""What may open a bio line: a dash or bullet, or CNN's ``Editor's note:``."""
_ROLE_WORDS = (
    "author editor founder co-founder cofounder president professor director chief senior former "
    "executive managing associate assistant deputy contributing research host co-host chair "
    "chairman chairwoman publisher correspondent columnist writer reporter fellow partner vice "
    "head dean lecturer principal owner coordinator manager analyst counsel attorney "
    "commentator contributor producer scholar economist historian member"
)
_ROLE_START = (
    r"(?:also |now |currently )?(?:a|an|the|[A-Z][\w&.’'-]*"
    r"|(?:(?![a-z]+(?:ed|ing)\b)(?!(?:to|be|not|now|still|also|about|set|likely|due)\b)"
    rf"[a-z-]+ ){{0,2}}(?:{'|'.join(_ROLE_WORDS.split())})\b)"
)
"""What follows ``is``: an article, a possessive or capitalised word, or a role noun after at
most two modifiers (``digital politics editor``), never a verb form (``is expected to``)."""
_BIO_OPEN = re.compile(
    rf"{_LEAD}(?P<name>{_PERSON_TITLE}{NAME})(?:, [^,\n]{{3,120}},)?"
    rf" (?:is|was|has been|serves as|served as|had been|writes|hosts) {_ROLE_START}"
    rf"|{_LEAD}(?P<name3>{_PERSON_TITLE}{NAME}) (?=(?:served|covers|covered|writes|wrote|hosts|"
    r"teaches|reports|edits|blogs)\b[^\n]{0,400}?(?:\b(?:writer|columnist|editor|contributor|"
    r"reporter|correspondent|author|fellow|professor|host)\b|can be reached|may be reached))"
)
"""A bio's first sentence: ``Emily Miller is senior editor of opinion for ...``, ``— George
Will is a ...``, ``• Wesley Pruden is editor ...``, ``Raul A. Reyes, an attorney ..., writes``."""

_ROLE_FIRST = re.compile(
    rf"{_LEAD}(?:A|An) [^,\n]{{3,80}} (?:for|at|of|with) [^,\n]{{2,60}}, (?P<name>{NAME})"
    r" (?:is|was|hosts|writes|teaches|covers|serves|served|represented|directs|leads)\b"
)
"""``A guest columnist for POLITICO, Joe Scarborough hosts ...``."""

_BIO_MORE = re.compile(
    rf"(?:He|She|They|{NAME}|[A-Z][\w’'-]+) (?:is|was|has|had|also|previously|currently|"
    r"formerly|served|serves|hosts|writes|wrote|tweets|can be|lives|holds|teaches|taught|covers|"
    r"co-?founded|founded|worked|works|blogs|edits|edited|received|earned|won|led|leads|directs|runs|joined|"
    r"spent|reports|contributes|co-?authored|authored|appears)\b"
    r"|(?:His|Her|Their) (?:(?:latest|new|newest|most recent|forthcoming|next|upcoming|first) )?"
    r"(?:book|novel|e-book|memoir|work|writing|column|podcast|research|show|album|film)"
    r"|(?:The |Any )?(?:views|opinions) (?:expressed )?(?:in this [a-z-]+ )?(?:are|is|belong) "
    r"|This (?:article|column|piece|essay|op-ed|commentary|post) (?:was |is |first |originally )"
    r"|(?:©|Copyright\b)"
    r"|(?:You can )?(?:[Ff]ollow|[Ee]-?mail|[Cc]ontact|[Rr]each) (?:him|her|them)\b"
)
"""Later sentences of a bio: about the same person (``He is the author of ...``, ``His latest
book is ...``), a views disclaimer, a republication or copyright note, a follow line."""

_CONTRIBUTOR_WORDS = (
    "contributed",
    "contributing",
    "additional reporting",
    "research by",
    "reporting by",
    "edited by",
    "with reporting",
    "edited this",
    "produced by",
    "produced this",
)
TRAILER_MAX = 300


def is_trailer(text: str) -> bool:
    """Text that may follow a closing bio: a contributor note (``Li Wei contributed to this
    report.``), a copyright line, a contact or follow line. Substring tests first."""
    if len(text) > TRAILER_MAX:
        return False
    low = text.lower()
    if any(w in low for w in _CONTRIBUTOR_WORDS):
        return True
    if text.startswith(("©", "Copyright")):
        return True
    return ("@" in text or "ollow" in text) and _CONTACT_LINE.fullmatch(text) is not None


_AUTHOR_HEADING = re.compile(
    r"(?:About|Meet) (?:the|our) (?:authors?|writers?|columnists?|contributors?):?|"
    r"(?:The )?[Aa]uthors?:?|(?:Author|Contributor) (?:bio|information):?"
)
"""A heading right over a closing bio: ``About the author``, ``The author``."""

_PROMO_REST = re.compile(r"(?:Want|Sign up|Click|Subscribe|Get|Read more|For more)\b")

BIO_MAX = 1200
BIO_TAIL_PARAGRAPHS = 4
MENTIONS_WITH_SOURCE = 3
"""A closing bio naming the outlet itself (``digital politics editor for Fox News`` in Fox
News) may share its surname with this many mentions in the text (the author's own column
naming them), none of them in the first two paragraphs."""


def _bio_name(paragraph: str) -> tuple[str, int] | None:
    """The person a paragraph opens a bio of, and where that first sentence's match ends."""
    m = _BIO_OPEN.match(paragraph) or _ROLE_FIRST.match(paragraph)
    if m is None:
        return None
    found = m.groupdict()
    name = found.get("name") or found["name3"]
    tokens = [t.rstrip(".,") for t in name.split()]
    if tokens[0] in _FUNCTION_WORDS or tokens[1] in _FUNCTION_WORDS:
        return None
    return name, m.end()


def _surname(name: str) -> str:
    tokens = [
        t for t in name.replace(",", " ").split() if t not in ("Jr.", "Sr.", "II", "III", "IV")
    ]
    return tokens[-1]


def _bio_extent(text: str, start: int, end: int) -> int:
    """End of the leading run of bio sentences of the paragraph ``text[start:end]``."""
    spans = sentence_spans(text, start, end)
    if not spans or len(spans) > 8:
        return start
    reach = spans[0][1]
    for s, e in spans[1:]:
        sentence = text[s:e]
        if _BIO_MORE.match(sentence) or _bio_name(sentence) or _CONTACT_LINE.fullmatch(sentence):
            reach = e
        else:
            break
    return reach


def _mentions(text: str, surname: str, skip: list[tuple[int, int]]) -> int:
    """Matches of ``\\b<surname>\\b`` in ``text`` starting outside the ``skip`` spans.

    What ``re.finditer`` of that pattern finds, found by literal searches and one anchored
    match at each (the pattern opens with ``\\b``, so re tried it at every position): the
    leftmost match from a position starts at the first occurrence of the surname from there
    that the boundaries hold at (``match`` sees the character before it), and the next search
    starts after a match, as finditer's does."""
    if not surname:
        return sum(
            1 for m in re.finditer(r"\b\b", text) if not any(s <= m.start() < e for s, e in skip)
        )
    bounded = re.compile(rf"\b{re.escape(surname)}\b").match
    count = 0
    pos = text.find(surname)
    while pos >= 0:
        if bounded(text, pos) is None:
            pos = text.find(surname, pos + 1)
            continue
        if not any(s <= pos < e for s, e in skip):
            count += 1
        pos = text.find(surname, pos + len(surname))
    return count


def _names_source(text: str, start: int, end: int, forms: frozenset[str]) -> bool:
    """Whether ``text[start:end]`` names the outlet: a folded form of four letters or more
    anywhere (``FoxNews.com``), a shorter one (``CNN``, ``NPR``) only as a word of its own."""
    folded = _fold(text[start:end])
    for form in forms:
        if len(form) >= 4:
            if form in folded:
                return True
        elif re.search(rf"\b{re.escape(form)}\b", text[start:end], re.IGNORECASE):
            return True
    return False


@register("bio_paragraph_v1", category="byline")
def find_bio_paragraphs(doc: Doc) -> Iterable[Finding]:
    """An author bio closing or opening the text: ``Emily Miller is senior editor of opinion for
    The Washington Times and author of ...``, ``— Kevin D. Williamson is National Review’s
    roving correspondent.``, ``• Wesley Pruden is editor emeritus of The Times.``, ``Jack
    Shafer is Politico's senior media writer.`` over the first paragraph, ``A guest columnist
    for POLITICO, Joe Scarborough hosts ...``.

    The first sentence is a name (2-4 capitalised tokens, not an office or a sentence opener:
    ``President Obama``, ``But Trump``), ``is``/``was``/``has been`` and a role (an article, a
    possessive, a capitalised word or a role word: ``senior``, ``editor``, ``professor``);
    later sentences must stay about the person (``He is ...``, ``His latest book ...``,
    follow and contact sentences, a views disclaimer, a copyright note). The paragraph closes
    the text (only contributor notes, copyright or contact lines after it) or opens it (the
    first paragraph, or the one under the title line). And the person is not in the story:
    their surname appears nowhere else in the text (the top byline is gone by then; a closing
    bio naming the outlet from ``doc.source`` may share it with up to
    :data:`MENTIONS_WITH_SOURCE` mentions outside the first two paragraphs). A
    bio sentence followed by a contributor note or a sign-up pitch in the same paragraph
    goes alone.

    Leaves alone: a last paragraph about someone the story is about (``Ann Romney is the
    granddaughter of ...`` in a story naming her), one that reports (``Smith is expected
    to ...``, ``Kate Brown is there, too.``), bios between sections of a multi-author piece,
    and contributor notes.
    """
    text = doc.text
    head, tail = _edges(doc)
    if len(head) < 2:
        return
    tail = tail[-BIO_TAIL_PARAGRAPHS:]
    text_end = tail[-1][1]

    def judge(start: int, end: int, whole: bool) -> int | None:
        """End of the bio run of the paragraph ``text[start:end]`` if it is a bio of an
        outsider."""
        if end - start > BIO_MAX:
            return None
        found = _bio_name(text[start : min(end, start + 300)])
        if found is None:
            return None
        name, _ = found
        reach = _bio_extent(text, start, end)
        if reach < end:
            rest = text[reach:end].lstrip()
            if whole or not (is_trailer(rest) or _PROMO_REST.match(rest)):
                return None
        block_end = end if whole else text_end
        count = _mentions(text, _surname(name), [(start, block_end)])
        if count == 0:
            return reach
        if whole or count > MENTIONS_WITH_SOURCE:
            return None
        # a staff bio naming the outlet: the author may be named inside the column, never in
        # its lede (a person named there is what the story is about)
        lede_end = head[-1][1]
        if _mentions(text[:lede_end], _surname(name), []) or not _names_source(
            text, start, reach, _source_forms(doc)
        ):
            return None
        return reach

    # closing bios: from the end back over trailers and bios (never the first paragraph)
    closing: list[tuple[int, int]] = []
    for s, e in reversed(tail):
        if s == head[0][0]:
            break
        reach = judge(s, e, whole=False)
        if reach is not None:
            closing.append((s, reach))
        elif closing:
            if _AUTHOR_HEADING.fullmatch(text, s, e):
                closing.append((s, e))  # ``About the author`` over the bio
            break
        elif not is_trailer(text[s:e]):
            break
    for s, e in closing:
        if text.startswith(" ", e):
            e += 1  # the rest of the paragraph (a contributor note) starts without a space
        yield Finding(s, e, "author bio closing the text")

    # opening bio: the first paragraph, or the one under the title line
    for index, (start, end) in enumerate(head):
        if end >= text_end or any(s == start for s, _ in closing):
            break
        if _bio_name(text[start : min(end, start + 300)]) is not None:
            s0, e0 = head[0]
            if index == 1 and not (first_line_is_title(doc) and "\n" not in text[s0:e0]):
                break
            reach = judge(start, end, whole=True)
            if reach is not None:
                yield Finding(start, reach, "author bio opening the text")
            break


# --- "about the organisation" closers -------------------------------------------------------

_ORG = r"[A-Z][\w&.’'-]*(?: (?:[A-Z][\w&.’'-]*|of|the|for|and|&|on|in)){0,7}"
_ABOUT_HEADING = re.compile(rf"About (?:the |The )?(?P<org>{_ORG}):?")
_MORE_INFO = re.compile(
    r"(?:For more information|More information|To learn more|Learn more|Media contact|Contact|"
    r"Visit|###|-30-|www\.)",
    re.IGNORECASE,
)
ABOUT_PARAGRAPH_MAX = 1200
ABOUT_TAIL_PARAGRAPHS = 6


@register("about_org_v1", category="byline", triggers=("About ",))
def find_about_org(doc: Doc) -> Iterable[Finding]:
    """A press release's closing ``About <Organisation>`` heading and its boilerplate: ``About
    Reason Foundation`` then ``Reason Foundation is a nonprofit think tank ... For more
    information please visit www.reason.org.``

    The heading is a paragraph of its own, the paragraph under it opens with the
    organisation's name (or ``The`` and the name), and the block runs to the end of the text
    (more paragraphs about the organisation, contact or more-information lines, other
    ``About`` blocks, contributor notes). Leaves alone: ``About`` headings in the body
    (``About the author`` sections are left to the bio rules), a heading whose next paragraph
    is about something else, and sentences that start with "About".
    """
    text = doc.text
    if "About " not in text:
        return
    head, paragraphs = _edges(doc)
    paragraphs = paragraphs[-ABOUT_TAIL_PARAGRAPHS:]
    n = len(paragraphs)
    i = 1 if head and paragraphs[0][0] == head[0][0] else 0  # never the text's first paragraph
    while i < n - 1:
        s, e = paragraphs[i]
        m = _ABOUT_HEADING.fullmatch(text, s, e) if e - s <= 80 else None
        if m is None:
            i += 1
            continue
        org = m.group("org")
        j = i + 1
        block_end = -1
        while j < n:
            ps, pe = paragraphs[j]
            body = text[ps:pe]
            if pe - ps > ABOUT_PARAGRAPH_MAX:
                break
            if body.startswith((org, "The " + org, "the " + org)) or (
                j > i + 1 and (_MORE_INFO.match(body) or is_trailer(body))
            ):
                block_end = pe
                j += 1
                continue
            if _ABOUT_HEADING.fullmatch(body) and pe - ps <= 80:
                break  # another About block: judged on its own
            block_end = -1
            break
        if block_end > 0 and (j == n or _ABOUT_HEADING.fullmatch(text, *paragraphs[j])):
            yield Finding(s, e, f"'About {org}' heading closing the text")
            yield Finding(paragraphs[i + 1][0], block_end, f"boilerplate about {org}")
            i = j
        else:
            i += 1


# --- column taglines ------------------------------------------------------------------------

_TAGLINE = re.compile(
    r"Welcome to [^,.\n]{2,60}, our [^.\n]{3,120}[.!]"
    rf"|(?:The )?{_ORG} is (?:[A-Z][\w.&-]*(?: [A-Z][\w.&-]*){{0,3}}(?:’s|'s) |a |an |the |our )"
    r"(?:[\w-]+ ){0,4}(?:column|series|roundup|round-up|newsletter|podcast|blog)"
    r"(?:[.!]| (?:by|on|about|from|written|that|for|in|featuring|where|of|covering)\b[^\n]{0,200})"
    r"|(?:A|An|Our) (?:daily|weekly|monthly|regular|twice-weekly|biweekly) [\w -]{1,40}"
    r" (?:of|on|about|from) [^.!?\n]{1,100}\.?"
)
"""A recurring feature introducing itself: ``Welcome to Pollapalooza, our weekly polling
roundup.``, ``High Wire is Maia Szalavitz's reported opinion column on drugs ...``, ``Capitol
Attitude is a weekly column written by ...``, ``A daily roundup of terrorism and security
issues.``"""

TAGLINE_MAX = 400
_TAGLINE_WORDS = (
    "Welcome to",
    "column",
    "series",
    "roundup",
    "round-up",
    "newsletter",
    "podcast",
    "blog",
    "daily",
    "weekly",
    "monthly",
    "regular",
)
"""One of these is in every tagline (a substring test before any pattern)."""


@register("column_tagline_v1", category="byline")
def find_column_taglines(doc: Doc) -> Iterable[Finding]:
    """A column's or series' tagline as the first paragraph (or the one under the title line)
    or the last one: ``Welcome to Pollapalooza, our weekly polling roundup.``, ``High Wire is
    Maia Szalavitz's reported opinion column on drugs and drug policy.``, ``Capitol Attitude is
    a weekly column written by members of the Fox News Capitol Hill team. Their articles take
    you inside ...``.

    The paragraph's first sentence names the feature and what it is (``our`` feature, or
    ``is a/an/X's ... column|series|roundup|newsletter|podcast|blog``); at most two more
    sentences follow. Leaves alone: the same sentences inside the body, welcomes to anything
    not the outlet's own (``Welcome to National School Choice Week, an annual event``), and
    sentences about someone else's column ("In a column for Foreign Policy, ...").
    """
    text = doc.text
    head, tail = _edges(doc)
    if len(head) < 2:
        return
    s0, e0 = head[0]
    title_line: bool | None = None  # computed only when a candidate holds a tagline word
    checked: set[int] = set()
    words: tuple[str, ...] | None = None
    for index, (s, e) in enumerate((head[0], head[1], tail[-1])):
        if s in checked or e - s > TAGLINE_MAX or "\n" in text[s:e]:
            continue
        chunk = text[s:e]
        if words is None:
            # the tagline words the view holds (its literal index: one scan for every rule's
            # literals); a paragraph can hold only these
            words = TEXT_INDEX.present(doc, _TAGLINE_WORDS)
        if not any(w in chunk for w in words):
            continue
        if index < 2:
            if title_line is None:
                title_line = first_line_is_title(doc) and "\n" not in text[s0:e0]
            if title_line != (index == 1):
                continue  # the first paragraph, or the one under the title line
        checked.add(s)
        spans = sentence_spans(text, s, e)
        if not spans or len(spans) > 3:
            continue  # blank to ``str.strip`` (other Unicode spaces), or too long
        first_end = spans[0][1]
        if _TAGLINE.fullmatch(text, s, first_end):
            yield Finding(s, e, "column or series tagline")


# --- the outlet describing itself -----------------------------------------------------------

_OUTLET_SELF = re.compile(
    rf"(?:The )?(?P<org>{_ORG})(?:, [^,\n]{{3,150}},)? is "
    r"(?:(?P<poss>[A-Z][\w.&'-]*(?: [A-Z][\w.&'-]*){0,3})(?:’s|'s) |a |an |the )"
)
OUTLET_CLOSER_MAX = 700


@register("outlet_closer_v1", category="byline")
def find_outlet_closer(doc: Doc) -> Iterable[Finding]:
    """The outlet's description of itself or of one of its sections closing the text, named
    by the ``source`` hint: ``The Daily Wire, headed by ..., is a leading provider of
    conservative news ...`` in The Daily Wire, ``The Big Idea is Vox’s home for smart
    discussion ... pitch us at ...`` in Vox.

    The last paragraph (at most four sentences) opens with ``X is a/an/the`` where X is the
    source's name, or ``X is <Outlet>'s`` where the possessive is and X is named nowhere else
    in the text. Leaves alone: anything
    without a source hint, descriptions of other organisations (the bio and ``About`` rules
    judge those), and the same sentence anywhere but the last paragraph.
    """
    if not doc.source:
        return
    text = doc.text
    head, tail = _edges(doc)
    if not head or not tail or tail[-1][0] == head[0][0]:
        return
    s, e = tail[-1]
    if e - s > OUTLET_CLOSER_MAX or " is " not in text[s : min(e, s + 250)]:
        return
    forms = _source_forms(doc)
    if not forms:
        return
    m = _OUTLET_SELF.match(text, s, e)
    if m is None or len(sentence_spans(text, s, e)) > 4:
        return
    named = _is_source_line(m.group("org"), forms)
    if not named and m.group("poss") and _is_source_line(m.group("poss"), forms):
        # a section or feature of the outlet, named nowhere else in the text
        named = _mentions(text, m.group("org"), [(s, e)]) == 0
    if named:
        yield Finding(s, e, "the outlet describing itself at the end")


# --- views disclaimers ----------------------------------------------------------------------

_DISCLAIMER_OPEN = re.compile(r"(?:(?:The|Any|All) )?(?:claims and )?(?:views|opinions)\b")
_DISCLAIMER_WHOSE = re.compile(
    r"\b(?:this|these|columnists?|contributors?|authors?|writers?|commentators?)\b"
    r"|\bthe (?:video|article|column|commentary|op-ed|essay|post|blog|podcast|program|show)\b"
)
"""Whose piece the views are in: this one, or the outlet's columnists."""
_DISCLAIMER_OWNED = re.compile(
    r"\b(?:are|is) (?:solely |entirely |strictly |only )?"
    r"(?:(?:those|the views?|the opinions?) of|(?:his|her|their|my) own|his|hers|theirs|mine"
    r"|the author|the writer|not necessarily)\b"
    r"|\bdo(?:es)? not (?:necessarily )?(?:reflect|represent)\b"
)
_DISCLAIMER_REPORTED = re.compile(
    r"\b(?:said|says|say|told|according to|argued|argues|wrote|writes|insisted)\b"
)
DISCLAIMER_MAX = 300
"""A views disclaimer is a sentence or two; a bio with one at most :data:`BIO_MAX`."""


def _is_disclaimer(sentence: str) -> bool:
    """``The opinions expressed in this commentary are his.``, ``The views expressed in this
    video are solely those of ...``, ``The opinions expressed by columnists are their own and
    do not necessarily represent the views of ...``."""
    return (
        len(sentence) <= DISCLAIMER_MAX
        and _DISCLAIMER_OPEN.match(sentence) is not None
        and ("expressed" in sentence or "set forth" in sentence)
        and _DISCLAIMER_WHOSE.search(sentence) is not None
        and _DISCLAIMER_OWNED.search(sentence) is not None
        and _DISCLAIMER_REPORTED.search(sentence) is None
        and not any(q in sentence for q in '"“”')
    )


@register("views_disclaimer_v1", category="byline", triggers=("expressed", "set forth"))
def find_views_disclaimers(doc: Doc) -> Iterable[Finding]:
    """A views disclaimer closing a paragraph, wherever it stands: ``The opinions expressed in
    this commentary are his.`` closing a CNN op-ed's author bio (the whole bio goes: ``Mark
    O'Mara is a CNN legal analyst. He is ... The opinions expressed in this commentary are
    solely those of the author.``), ``The opinions expressed by columnists are their own and do
    not necessarily represent the views of Townhall.com.`` standing alone, ``The views expressed
    in this video are solely those of John Stossel ...`` at the end.

    A disclaimer sentence opens with "views" or "opinions", says they were expressed (or set
    forth) in this piece or by its columnists, and whose they are (``are his``, ``are solely
    those of``, ``do not necessarily reflect``). The paragraph goes whole when nothing else is
    in it, or when the rest is an author bio (a name, ``is`` and a role, then sentences about
    the person, as :func:`find_bio_paragraphs` reads them); otherwise only the disclaimer goes,
    from the space before it (``(CNN) Hillary Clinton has become ... The opinions expressed in
    these commentaries are theirs.``: the lede stays). Leaves alone: views in the news (``the
    views expressed by the protesters are their own``: nobody's piece), reported speech and
    quotations, a disclaimer followed by more text in its paragraph.
    """
    text = doc.text
    for start, end in doc.paragraphs:
        if end - start > BIO_MAX:
            continue
        if text.find("expressed", start, end) < 0 and text.find("set forth", start, end) < 0:
            continue
        spans = sentence_spans(text, start, end)
        first = len(spans)
        while first > 0 and _is_disclaimer(text[spans[first - 1][0] : spans[first - 1][1]]):
            first -= 1
        if first == len(spans):
            continue  # the paragraph does not end with a disclaimer
        if first == 0:
            yield Finding(start, end, "views disclaimer standing alone")
            continue
        cut = spans[first][0]
        if _bio_name(text[start : min(cut, start + 300)]) is not None and (
            _bio_extent(text, start, cut) >= cut - 1
        ):
            yield Finding(start, end, "author bio closed by a views disclaimer")
            continue
        gap = cut
        while gap > start and text[gap - 1] in " \t":
            gap -= 1
        if text[gap - 1 : gap] != "\n":
            yield Finding(gap, end, "views disclaimer closing a paragraph")


# --- the author's name standing alone inside the text --------------------------------------

AUTHOR_LINE_MAX = 60
AUTHOR_HEAD_PARAGRAPHS = 6
"""The highlights naming the author are among the first paragraphs."""
AUTHOR_LINES_MAX = 2
"""A text with more lines that are only a name lists people (a roundup's sections, a cast)."""
_NAME_ONLY = re.compile(rf"{_PERSON_TITLE}{NAME}")


@register("author_name_line_v1", category="byline")
def find_author_name_lines(doc: Doc) -> Iterable[Finding]:
    """The author's name on a line of its own inside the text, where the page showed the
    author's photo or box: ``Peter Bergen`` between two paragraphs of a CNN op-ed whose
    highlights open ``Bergen: Authorities should pay more attention to ...``, ``Howard Kurtz``
    under ``Howard Kurtz: We've seen media seize on ...`` and ``Kurtz says coverage ...``.

    The line is only a person's name (2-4 capitalised tokens, not in capitals, not an office or
    a sentence opener), once, not the first paragraph; and a line among the first
    :data:`AUTHOR_HEAD_PARAGRAPHS` paragraphs before it opens with that name or surname and a
    colon or ``says`` (the highlights speak for the author). Leaves alone: a name line without
    such highlights (a person the story is about, a subhead: ``Mark Anthony Conditt``), names in
    capitals (a list of candidates), speaker lines of an interview (a name that recurs), and
    texts with more than :data:`AUTHOR_LINES_MAX` name lines (a roundup's authors, a cast).
    """
    text = doc.text
    paragraphs = doc.paragraphs
    found: list[tuple[int, int, int, str]] = []
    for index, (start, end) in enumerate(paragraphs):
        if index == 0 or end - start > AUTHOR_LINE_MAX or not text[start].isupper():
            continue
        line = text[start:end]
        if "\n" in line or line.isupper() or _NAME_ONLY.fullmatch(line) is None:
            continue
        if len(found) >= AUTHOR_LINES_MAX:
            return
        found.append((index, start, end, line))
    lines = [line for _, _, _, line in found]
    for index, start, end, line in found:
        if lines.count(line) > 1:
            continue  # a speaker's name that recurs: an interview
        tokens = [t.rstrip(".,") for t in line.split()]
        if tokens[0] in _FUNCTION_WORDS or tokens[1] in _FUNCTION_WORDS:
            continue
        surname = _surname(line)
        head_end = paragraphs[min(index, AUTHOR_HEAD_PARAGRAPHS) - 1][1]
        said = re.compile(
            rf"^(?:{re.escape(line)}|{re.escape(surname)})(?::| says\b)", re.MULTILINE
        )
        if said.search(text, 0, head_end) is not None:
            yield Finding(start, end, "the author's name on a line of its own")


# --- the outlet's name alone at an edge -----------------------------------------------------

OUTLET_NAME_MAX = 60


@register("outlet_name_line_v1", category="byline")
def find_outlet_name_lines(doc: Doc) -> Iterable[Finding]:
    """A first or last paragraph that is only the outlet's name, from the ``source`` hint: a
    masthead left over the text (``USA TODAY`` over ``J.K. Rowling has cast a spell of
    controversy.``) or a sign-off under it (``The Washington Times`` closing a Washington Times
    editorial). ``top_byline_v1`` takes the name only right over the first paragraph of prose
    (a long line); here the line is the very first or very last paragraph, whatever follows.

    The paragraph is one line of at most :data:`OUTLET_NAME_MAX` characters whose folded
    words are the source's name (``The`` optional). Leaves alone: texts without a source hint
    or of one paragraph, the name inside a sentence or with anything else on the line
    (``USA TODAY reported ...``, ``USA TODAY Network``), the same line between paragraphs (a
    subhead or a quote round-up's attribution), and a first line that says the known headline.
    """
    forms = _source_forms(doc)
    if not forms:
        return
    text = doc.text
    head, tail = _edges(doc)
    if not head or not tail or tail[-1][0] == head[0][0]:
        return
    s, e = head[0]
    # without a known title a short first line may look like a headline; the source's name
    # alone is none
    if (
        e - s <= OUTLET_NAME_MAX
        and "\n" not in text[s:e]
        and _is_source_line(text[s:e], forms)
        and not (doc.title and first_line_is_title(doc))
    ):
        yield Finding(s, e, "the source's name (outlet or author) alone on the first line")
    s, e = tail[-1]
    if e - s <= OUTLET_NAME_MAX and "\n" not in text[s:e] and _is_source_line(text[s:e], forms):
        yield Finding(s, e, "the source's name (outlet or author) alone on the last line")
