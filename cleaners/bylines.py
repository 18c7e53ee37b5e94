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

import re
from collections.abc import Iterable

from cleaners.core import Doc, Finding
from cleaners.registry import register

RULES: tuple[str, ...] = ("top_byline_v1", "handle_byline_v1", "author_contact_v1")
"""Names this module registers, in the order they run in the default chain."""

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


def _fold(text: str) -> str:
    """Letters and digits only, case-folded: ``USA TODAY``, ``USATODAY`` and ``usa-today``
    compare equal."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _source_forms(doc: Doc) -> set[str]:
    """Folded forms of the outlet's name from ``doc.source`` (computed once per view)."""
    cached: set[str] | None = doc.__dict__.get("_byline_source_forms")
    if cached is None:
        cached = _source_forms_of(doc.source)
        doc.__dict__["_byline_source_forms"] = cached
    return cached


def _source_forms_of(source: str | None) -> set[str]:
    """Folded forms of an outlet's name: ``Fox News (Online News)`` gives ``foxnewsonlinenews``
    and ``foxnews``; ``thehill.com`` gives ``thehill``; ``The Hill`` also ``hill``."""
    source = (source or "").strip()
    if not source:
        return set()
    forms = {_fold(source)}
    head = re.split(r"\s[-(–|]", source, maxsplit=1)[0]
    forms.add(_fold(head))
    if "." in head and " " not in head:
        forms.add(_fold(head.rsplit(".", 1)[0].removeprefix("www.")))
    if head.casefold().startswith("the "):
        forms.add(_fold(head[4:]))
    forms.discard("")
    return {f for f in forms if len(f) >= 3}


def _is_source_line(line: str, forms: set[str]) -> bool:
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
    return bool(title) and _fold(line) == _fold(title or "")


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

_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_NETWORKS = r"(?:Twitter|Facebook|Instagram|Threads|Bluesky|Mastodon|LinkedIn|X)"
_FOLLOWED = rf"(?:{NAME}|[A-Z][\w.]+|@\w+|him|her|them|me|us)"
_CONTACT_SENTENCE = (
    rf"Write to {NAME} at {_EMAIL}(?:{_SEP}{NAME} at {_EMAIL}){{0,5}}"
    rf"|(?:You can )?[Ff]ollow {_FOLLOWED}(?:{_SEP}{_FOLLOWED}){{0,4}} (?:on|at) {_NETWORKS}"
    rf"(?: and {_NETWORKS})?(?::? ?(?:at )?@\w+(?:{_SEP}@\w+){{0,3}})?"
    rf"|(?:You can )?[Ff]ollow (?:@\w+)(?:{_SEP}@\w+){{0,4}} on {_NETWORKS}"
    rf"|(?:{NAME}|He|She|They) can be reached (?:at|via email:?) {_EMAIL}"
    rf"|(?:Email|E-mail|Contact|Reach) (?:{NAME} |him |her |them )?(?:at )?{_EMAIL}"
)
_CONTACT_LINE = re.compile(rf"(?:{_CONTACT_SENTENCE})[.!]?(?: (?:{_CONTACT_SENTENCE})[.!]?){{0,5}}")
_CONTACT_TAIL = re.compile(
    rf"(?<=[.!?”\"]) (?:{_CONTACT_SENTENCE})[.!]?(?: (?:{_CONTACT_SENTENCE})[.!]?){{0,5}}$"
)
"""Contact sentences closing a line after another sentence (the space before them goes)."""

_CONTACT_HINTS = (
    "Write to ",
    "Follow ",
    "follow ",
    " reached ",
    "Email",
    "E-mail",
    "Contact ",
    "Reach ",
)
"""Words one of which every contact sentence holds: the rule looks only at lines with one."""


def _hint_lines(text: str) -> list[int]:
    """Starts of the lines holding a contact hint, in text order: one ``str.find`` per hint and
    line holding it (a scan with one alternation of them costs more than all of them)."""
    starts: set[int] = set()
    for hint in _CONTACT_HINTS:
        pos = text.find(hint)
        while pos >= 0:
            starts.add(text.rfind("\n", 0, pos) + 1)
            newline = text.find("\n", pos)
            if newline < 0:
                break
            pos = text.find(hint, newline + 1)
    return sorted(starts)


TAIL_PARAGRAPHS = 3
"""Contact sentences glued to a line are looked for in this many last paragraphs."""

CONTACT_LINE_MAX = 400


def _tail_start(text: str, paragraphs: int) -> int:
    """Offset where the last ``paragraphs`` blank-line-separated paragraphs begin."""
    end = len(text.rstrip())
    pos = end
    for _ in range(paragraphs):
        gap = text.rfind("\n\n", 0, pos)
        if gap < 0:
            return 0
        pos = gap
        while pos > 0 and text[pos - 1] == "\n":
            pos -= 1
    return pos


@register("author_contact_v1", category="byline")
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
