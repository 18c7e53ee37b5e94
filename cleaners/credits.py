"""Photo captions and credits that sit apart from the prose.

A credit has a grammar: a short chain of capitalised names joined by ``/``, ``—``, `` via `` or
`` for `` with a picture source among them (``Carlo Allegri/Reuters``, ``Saul Loeb/AFP/Getty
Images``, ``Kevin Lamarque/Pool Photo via AP``, ``REUTERS/Mike Segar - RC2SVE9REWAA/File
Photo``), or a credit label and names (``Photograph: Marko Mumm/AFP/Getty Images``, ``(Photo:
Reed Saxon, AP)``, ``Photo : Shutterstock``). The picture sources are a small closed class in
``cleaners/data/credit_agencies.txt``; a news agency alone (``Reuters/Ipsos``, ``AP/NORC``) is
not enough, it needs a person's name beside it. A line is taken only when it is a paragraph of
its own and the credit is all of it, ends it (the caption before it goes too), or opens it
(Monitor-style ``Name/Reuters <caption>``); the first line also loses a caption glued to the
headline (``<caption> | Name/AFP/Getty Images <headline>``). USA TODAY's video blurbs
(``CLOSE <caption> AP``) standing between paragraphs go as well.

Prose never matches: a sentence ends with its own punctuation, not a credit, and names joined
by a slash need a picture source to count. Speed: one compiled search for a credit's trigger
(a slash before a capital, ``Photo``, ``Getty``, ``Image``, `` via ``...) finds the few lines
worth a look; texts without one cost that search only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache
from importlib import resources
from typing import NamedTuple

from cleaners.bylines import _fold as _fold_name
from cleaners.bylines import _source_forms_of
from cleaners.core import Doc, Finding, content_end
from cleaners.edges import first_line_is_title, fold
from cleaners.patterns import TEXT_INDEX
from cleaners.registry import register

RULES: tuple[str, ...] = (
    "credit_line_v2",
    "caption_credit_v2",
    "lead_caption_v1",
    "video_caption_v1",
)
"""Names this module registers, in the order they run in the default chain."""

CAPTION_MAX = 1000
"""A caption line is at most this long; a longer line is a paragraph of the article."""

CREDIT_MAX = 160
"""A credit (names and sources) is at most this long."""

LEAD_MAX = 700
"""The first line is looked at for a glued caption only up to this length."""


# --- the credit grammar -------------------------------------------------------------------------


@cache
def agencies() -> tuple[frozenset[str], frozenset[str]]:
    """(picture sources, news agencies) from ``cleaners/data/credit_agencies.txt``."""
    text = resources.files("cleaners.data").joinpath("credit_agencies.txt").read_text("utf-8")
    sections: dict[str, set[str]] = {"photo": set(), "wire": set()}
    current: set[str] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections[line[1:-1]]
        elif current is not None:
            current.add(line)
    return frozenset(sections["photo"]), frozenset(sections["wire"])


@cache
def _agency_alternation() -> str:
    photo, wire = agencies()
    return "|".join(re.escape(a) for a in sorted(photo | wire, key=len, reverse=True))


_PARTICLES = "via|for|of|the|and|de|da|del|der|van|von|den|le|la|du|dos|di|bin|ibn|y"
_WORD = (
    rf"(?:[A-Z0-9][\w'’.&-]*|\([A-Z][\w'’.&-]*\)|iStock\w*|dpa|(?:al|el)-[\w'’-]+|&|{_PARTICLES})"
)
_CREDIT_TEXT = re.compile(rf"{_WORD}(?:(?: ?/ ?| ?— ?|, | ){_WORD}){{0,15}}")
"""Capitalised names and connectors: no lowercase word of a sentence fits."""

_LINKS = re.compile(r" ?/ ?| ?— ?| via | for ")
_FILE_TAIL = re.compile(
    r"(?:(?:, ?(?:File|FILE)|/(?:File|FILE)(?: Photos?)?)(?: \d{4})?"
    r"| - [A-Z0-9]{6,20}(?:/File Photo)?)$"
)
_COUNT_TAIL = re.compile(r" ?\(\d{1,2}\)$")
_MARKER = re.compile(
    rf"(?:(?:AP|Reuters|REUTERS|AFP|Getty|EPA|Staff|Pool|File|FILE|{_agency_alternation()})"
    r" (?:[Ff]ile )?)?"
    r"(?:[Pp]hoto(?:graph(?:er)?)?|PHOTO(?:GRAPH)?|[Pp]icture|[Ii]mage|IMAGE|[Ii]llustration"
    r"|[Pp]hoto [Ii]llustration|[Pp]hoto [Cc]redit|[Ii]mage [Cc]redit|[Cc]redit|File|FILE)"
    r"(?: by | ?: ?)"
)
_PERSON_WORD = re.compile(rf"[A-Z][\w'’.-]*|(?:al|el)-[\w'’-]+|{_PARTICLES}")


def _person(link: str) -> bool:
    """Two or more capitalised words: a person's (or an office's) name."""
    words = link.split()
    return len(words) >= 2 and all(_PERSON_WORD.fullmatch(w) for w in words)


def _chain_is_credit(
    chain: str, *, bracketed: bool = False, own: frozenset[str] = frozenset()
) -> bool:
    """Names joined by ``/``, ``—``, ``via``, ``for``: a picture source among them, or a news
    agency beside a person's name. The agency then closes the chain (``Brian Snyder/Reuters``)
    or opens it in capitals (``REUTERS/Jim Bourg``) or in brackets (``(Reuters/Yuri Gripas)``):
    ``The Washington Post/ABC News Poll`` is a heading, not a credit. The outlet itself
    (``own``: folded forms of the ``source`` hint) closing the chain after a person's name
    credits its own photographer: ``[Sabrina Toppa/Al Jazeera]`` in Al Jazeera."""
    links = [link.strip() for link in _LINKS.split(chain)]
    if len(links) < 2 or not all(links):
        return False
    photo, wire = agencies()
    if any(link in photo for link in links):
        return True
    first, last = links[0], links[-1]
    if own and len(links) == 2 and _person(first) and _is_own(last, own):
        return True
    placed = last in wire or (first in wire and (first.isupper() or bracketed))
    return placed and any(link not in wire and _person(link) for link in links)


def _is_own(link: str, own: frozenset[str]) -> bool:
    """Whether ``link`` names the outlet (``Al Jazeera``, ``The Epoch Times``)."""
    folded = _fold_name(link)
    return len(folded) >= 3 and (folded in own or folded.removeprefix("the") in own)


def is_credit(
    candidate: str,
    *,
    labelled_only: bool = False,
    bracketed: bool = False,
    own: frozenset[str] = frozenset(),
) -> bool:
    """Whether ``candidate`` is a whole credit: a label and names (``Photo: Jane Doe``,
    ``Photograph: Jane Doe/AP``), or a chain of names with a picture source in it.

    ``labelled_only``: a label needs more behind it (a chain, or at most four words), as a
    caption's unbracketed end where a title-case headline could look alike (the caller lets a
    label after a full stop pass with :func:`is_credit` alone). ``bracketed``: the candidate
    stood in parentheses or brackets, which lets a news agency open a chain. ``own``: folded
    forms of the outlet's name, which may close a chain after a person's name.
    """
    text = candidate.strip()
    if not text or len(text) > CREDIT_MAX:
        return False
    text = _FILE_TAIL.sub("", text)
    marker = _MARKER.match(text)
    if marker is not None:
        rest = text[marker.end() :]
        if not rest or not (rest[0].isupper() or rest[0].isdigit() or rest.startswith("iStock")):
            return False
        if _CREDIT_TEXT.fullmatch(rest) is None:
            return False
        if labelled_only:
            return _chain_is_credit(rest, own=own) or len(rest.split()) <= 4
        return len(rest.split()) <= 12
    return _CREDIT_TEXT.fullmatch(text) is not None and _chain_is_credit(
        text, bracketed=bracketed, own=own
    )


def _bare_source(candidate: str) -> bool:
    """A picture agency standing alone that only ever credits a picture (``Getty Images``)."""
    photo, _ = agencies()
    return candidate in photo and ("Getty" in candidate or "Images" in candidate)


# --- lines worth a look -------------------------------------------------------------------------

_PROSE_END = frozenset(".!?”\"’':;,")
"""A line ending in one of these is prose, unless a credit opens it or a labelled credit closes
it with a full stop."""

_TAIL_LOOK = CREDIT_MAX + 2
_HEAD_LOOK = 64


def _lines_worth_a_look(doc: Doc) -> list[tuple[int, int]]:
    """Lines of ``doc`` where a credit could stand: a trigger in the tail of a line that does not
    end like a sentence, a slash in a line's head (a credit opening a caption), a slash,
    ``Photo`` or ``Getty`` in the tail of a line ending with a full stop, share buttons opening
    a line. Most lines end like a sentence and are skipped by one comprehension; the others
    cost a few substring tests, and slashes and words are found by fast substring searches.
    """
    text = doc.text
    ends = _PROSE_END
    trigger = _TRIGGER.search
    # a text holding no trigger (the longer ones asked of the view's literal index, one scan
    # for every rule's literals) has no line the comprehension below picks: not run
    picked = (
        {
            s: e
            for s, e in doc.lines
            if text[e - 1] not in ends
            and e - s <= CAPTION_MAX
            and (
                trigger(text, max(s, e - _TAIL_LOOK), e) is not None
                or text.find("/", s, s + _HEAD_LOOK) >= 0
            )
        }
        if "/" in text or TEXT_INDEX.any_present(doc, _WORD_TRIGGERS)
        else {}
    )
    size = len(text)
    hits = [m.start() for m in _CREDIT_SLASH.finditer(text)]
    # only the needles the view holds (its literal index: one scan for every rule's literals)
    for needle in TEXT_INDEX.present(doc, _LOOK_NEEDLES):
        pos = text.find(needle)
        while pos != -1:
            hits.append(pos)
            pos = text.find(needle, pos + 1)
    skip_to = -1
    for pos in sorted(hits):
        if pos < skip_to:
            continue
        s = text.rfind("\n", 0, pos) + 1
        e = text.find("\n", pos)
        e = size if e < 0 else e
        if e - s > CAPTION_MAX:
            skip_to = e  # a paragraph, not a caption: skip the rest of it
            continue
        if s not in picked and (
            pos - s < _HEAD_LOOK or (text[e - 1] == "." and e - pos <= _TAIL_LOOK)
        ):
            picked[s] = e
    return sorted(picked.items())


_LOOK_NEEDLES = ("Photo", "Getty", "Facebook ")
"""Words whose every occurrence :func:`_lines_worth_a_look` looks at, as it does the credit
slashes (near a line's start, or in the tail of a line ending with a full stop)."""

_CREDIT_SLASH = re.compile(r"/[A-Z ]")
"""A credit's slash, before a capitalised name or a space (not a URL's or a date's); a literal
first character, so the scan is a fast search."""


_TRIGGERS = (
    "/",
    "Photo",
    "photo",
    "image:",
    "PHOTO",
    "Getty",
    "Image",
    "Picture",
    "Illustration",
    "Credit",
    "via AP",
    "Pinterest",
    "Shutterstock",
    "iStock",
)
"""Literals one of which every credit holds, looked for in the tail of a line that does not end
like a sentence."""

_TRIGGER = re.compile("|".join(re.escape(t) for t in _TRIGGERS))
_WORD_TRIGGERS = tuple(t for t in _TRIGGERS if t != "/")

_TOKEN = re.compile(
    rf"(?:{_WORD}|[Pp]hoto(?:graph(?:er)?)?:|PHOTO:|[Ii]mage:|[Pp]icture:|[Cc]redit:|:|/|—|-|–|by)"
    rf"(?:(?:/|—)(?:{_WORD})?)*,?"
)
"""A word that can be part of a credit: a name, a connector, a label, names joined by ``/``."""

_SHARE_PREFIX = re.compile(
    r"(?:(?:Facebook|Twitter|Pinterest|Email|WhatsApp|LinkedIn|Reddit|Messenger|Share) ){2,8}"
    r"(?=[A-Z‘“'\"])"
)
_SENTENCE_END = (".", "!", "?", ".”", '."', "?”", "!”", ".’")


class _Found(NamedTuple):
    kind: str
    start: int
    end: int
    reason: str


def _stands_alone(text: str, start: int, end: int) -> bool:
    """The line ``text[start:end]`` is a paragraph of its own (a blank line or an edge around)."""
    return (start == 0 or text[max(0, start - 2) : start] == "\n\n") and (
        end >= content_end(text) or text[end : end + 2] == "\n\n"
    )


def _ends_with_credit(
    line: str, *, headline_possible: bool, own: frozenset[str] = frozenset()
) -> str | None:
    """The credit closing a caption line, or None: ``(Name/Agency)``, ``[File: Name/AP]``, or
    an unbracketed credit after the caption (``... on Thursday. Alex Edelman/Getty Images``)."""
    body = line.rstrip()
    counted = _COUNT_TAIL.search(body)
    if body.endswith((")", "]")) and counted is None:
        return _bracketed_credit(body, own)
    if counted is not None:
        body = body[: counted.start()]
    dotted = body.endswith(".") and not body.endswith(("..", " .")) and len(body) > 1
    if dotted:
        body = body[:-1]  # "Photo: Jane Doe/Getty Images." (a labelled credit or a chain only)
    if body.endswith(_SENTENCE_END) or body.endswith((",", ";", ":")):
        return None
    # the credit is among the last words that could be part of one (names, labels, sources)
    floor = max(0, len(body) - CREDIT_MAX)
    words = body[floor:].split(" ")
    if floor:
        words[0] = ""  # a word cut by the floor is no start
    k = len(words)
    while k > 1 and _TOKEN.fullmatch(words[k - 1]):
        k -= 1
    offset = len(body) - len(" ".join(words[k:]))
    for j in range(k, len(words)):
        tail = body[offset:]
        before = body[:offset].rstrip()
        offset += len(words[j]) + 1
        if not tail[:1].isupper() and not tail.startswith("iStock"):
            continue
        if len(before.split()) < 2:
            continue
        labelled = _MARKER.match(tail) is not None
        chained = _LINKS.search(tail) is not None
        # no label and no chain: only a source standing alone can still be a credit
        if not (labelled or chained) and (dotted or not (_agency(tail) or _bare_source(tail))):
            continue
        after_stop = before.endswith((".", "|", "—")) or before.endswith(_SENTENCE_END)
        # a label may open a headline ("Photo: A Day Out"), not follow a caption's full stop
        if is_credit(tail, labelled_only=not (labelled and after_stop), own=own) and not (
            headline_possible and labelled and not before.endswith(".")
        ):
            return tail
        if not dotted and before.endswith("|") and _agency(tail):
            return tail  # "<caption> | AP Photo"
        if (
            not dotted
            and _bare_source(tail)
            and (counted is not None or before.endswith((".", "—")))
        ):
            return tail
    return None


def _bracketed_credit(body: str, own: frozenset[str] = frozenset()) -> str | None:
    """``<caption> (Name/Agency)`` or ``[File: Name/AP Photo]``: the bracketed credit, or None.
    Tries the last few openers from the right (a credit may hold ``The (Nashville) Tennessean``).
    """
    opener = "(" if body.endswith(")") else "["
    i = len(body)
    for _ in range(3):
        i = body.rfind(opener, 0, i)
        if i <= 0 or len(body) - i > CREDIT_MAX + 2:
            return None
        inner = body[i + 1 : -1]
        if len(body[:i].split()) >= 2 and (
            is_credit(inner, bracketed=True, own=own) or _bare_source(inner)
        ):
            return body[i:]
    return None


_PICTURE_WORDS = ("Photo", "Getty", "Images", "Shutterstock", "iStock")


def _agency(candidate: str) -> bool:
    """A source by its name alone after a caption's `` | ``: a picture source that says so
    (``AP Photo``, ``Getty Images``, ``Getty``) or a news agency in capitals (``REUTERS``).
    Not a short name that is also a word or an office (``EPA``, ``AP``, ``Pool``)."""
    photo, wire = agencies()
    if candidate not in photo and candidate not in wire:
        return False
    return any(word in candidate for word in _PICTURE_WORDS) or (
        candidate.isupper() and len(candidate) >= 6
    )


@cache
def _lead_credit() -> re.Pattern[str]:
    """A credit opening a caption line: names, a slash, and a known source ending the chain (the
    whole source: ``Getty Images at ...`` is no ``Getty`` credit before ``Images``)."""
    return re.compile(
        rf"(?:[^/\n|]{{2,40}}/ ?){{1,4}}(?>{_agency_alternation()})(?:/File|/FILE)?"
        r"(?= [A-Z‘“'\"])"
    )


@cache
def _glued_credit() -> re.Pattern[str]:
    """The credit of a caption glued to the headline: after `` | ``, up to its last source, or
    a source and the photographer's first and last name (``AP Photo/Alex Brandon``)."""
    alt = _agency_alternation()
    return re.compile(
        rf"(?:[^|/\n]{{1,40}}/){{0,4}}(?:[^|/\n]{{0,60}}? via )?(?>{alt})"
        r"(?:/[A-Z][\w.'’-]*(?: [A-Z]\.)? [A-Z][\w'’-]*)?(?:, File)?(?=\s|$)"
    )


def _classified(doc: Doc) -> list[_Found]:
    """The caption and credit lines of a text view, computed once per view."""
    cached: list[_Found] | None = doc.__dict__.get("_credit_lines")
    if cached is not None:
        return cached
    found: list[_Found] = []
    text = doc.text
    first_is_title: bool | None = None
    own = _source_forms_of(doc.source)
    for start, end in _lines_worth_a_look(doc):
        line = text[start:end]
        body = line.lstrip()
        start += len(line) - len(body)
        if start == 0 and first_is_title is None:
            first_is_title = first_line_is_title(doc)
        hit = _classify_line(
            body, start, end, text, headline=start == 0 and bool(first_is_title), own=own
        )
        if hit is not None:
            found.append(hit)
    doc.__dict__["_credit_lines"] = found
    return found


def _classify_line(
    body: str, start: int, end: int, text: str, *, headline: bool, own: frozenset[str]
) -> _Found | None:
    if not _stands_alone(text, start, end):
        return None
    verdict = _judge(body, headline, own)
    if verdict is None:
        return None
    kind, length, reason = verdict
    return _Found(kind, start, start + length, reason)


@lru_cache(maxsize=4096)
def _judge(body: str, headline: bool, own: frozenset[str]) -> tuple[str, int, str] | None:
    """What a standalone line is: (kind, length of the span from its start, reason), or None.
    A pure function of the line, cached: the chain shows a text again after each change, and
    its caption lines come back unchanged."""
    bracketed = body[0] in "([" and body[-1] in ")]" and body.count("(") + body.count("[") == 1
    inner = body[1:-1] if bracketed else body
    # a bare label on the first line could be a title-case headline ("Photo: A Day Out")
    label_as_title = headline and not bracketed and _MARKER.match(inner) is not None
    if len(inner) <= CREDIT_MAX and (
        (is_credit(inner, bracketed=bracketed, own=own) and not label_as_title)
        or _bare_source(inner)
    ):
        return "line", len(body), f"photo credit on its own line: {body[:60]!r}"
    credit = _ends_with_credit(body, headline_possible=headline, own=own)
    if credit is not None:
        return "caption", len(body), f"photo caption ending in its credit {credit[:50]!r}"
    lead = _lead_credit().match(body)
    if lead is not None and is_credit(lead.group()) and len(body[lead.end() :].split()) >= 4:
        return "caption", len(body), f"photo caption opening with its credit {lead.group()!r}"
    share = _SHARE_PREFIX.match(body)
    if share is not None:
        return "share", share.end(), "share buttons glued to a caption"
    return None


def _of_kind(doc: Doc, *kinds: str) -> Iterator[Finding]:
    for found in _classified(doc):
        if found.kind in kinds:
            category = "chrome" if found.kind == "share" else None
            yield Finding(found.start, found.end, found.reason, category)


# --- rules ------------------------------------------------------------------------------------


@register("credit_line_v2", category="credit", triggers=(*_TRIGGERS, "Facebook "))
def find_credit_lines(doc: Doc) -> Iterable[Finding]:
    """A paragraph that is only a photo credit: ``Getty Images/Glowimages``, ``Drew
    Angerer/Getty Images``, ``(Dado Ruvic/Reuters)``, ``Photo : Shutterstock``,
    ``Photograph: Allen G. Breed/AP``, ``(Reuters file photo: Jane Doe)``, ``(Dreamstime image:
    Jane Doe)`` (a picture source or wire before the label), also as the first line of a text.

    Leaves alone: names joined by a slash without a picture source (``Reuters/Ipsos``, a news
    agency with no person's name), a label heading the text that could be its headline
    (``Photo: <title-case words>``), and credits inside a paragraph of prose.
    """
    return _of_kind(doc, "line")


@register("caption_credit_v2", category="credit", triggers=(*_TRIGGERS, "Facebook "))
def find_caption_credits(doc: Doc) -> Iterable[Finding]:
    """A caption paragraph that ends or opens with its credit, whole: ``<caption> (Carlo
    Allegri/Reuters)``, ``<caption>. REUTERS/Jonathan Ernst``, ``FILE PHOTO: <caption>.
    REUTERS/Name - CODE/File Photo``, ``<caption> Photograph: Name/AFP/Getty Images``,
    ``<caption> Getty Images (4)``, ``Name/Reuters <caption>``, ``(Photo: Name, AP)``,
    ``(Photo: Name, The (Nashville) Tennessean)``; a first line ``<caption>. Photo: Name`` even
    when it shares words with the title (a headline may open with a label, not follow a full
    stop with one); and share-button words glued before a caption without a credit (only the
    words go).

    Leaves alone: paragraphs that end like a sentence, lines inside a paragraph, lines over
    :data:`CAPTION_MAX` characters, and poll or source names (``a Reuters/Ipsos poll``).
    """
    return _of_kind(doc, "caption", "share")


_GLUED_PARENTHESIS = re.compile(r"\(([^()\n]{3,160})\) (?=[A-Z])")
"""``<caption> (Photo: Jane Doe, AP) Story Highlights ...``: a credit closing a caption that runs
on into the text's next block on the first line."""

_LEAD_SENTENCE = re.compile(r"[.!?][\"”’')]*$")


@register("lead_caption_v1", category="credit")
def find_lead_caption(doc: Doc) -> Iterable[Finding]:
    """A caption glued to the headline on the first line: ``<caption> | Saul Loeb/AFP/Getty
    Images <headline>`` and ``<caption> (Photo: Jane Doe, AP) Story Highlights ...`` lose the
    caption and its credit; ``<one caption sentence> <the known title>`` loses the sentence.

    Leaves alone: the headline after it, a first line with no credit after `` | `` and no known
    title at its end, and a first line of more than one sentence before the title.
    """
    text = doc.text
    newline = text.find("\n")
    first_end = len(text) if newline < 0 else newline
    if first_end > LEAD_MAX:
        return
    line = text[:first_end]
    bar = line.find(" | ")  # the first bar only: after a caption, its credit
    if bar > 0:
        m = _glued_credit().match(line, bar + 3)
        if (
            m is not None
            and len(line[:bar].split()) >= 3
            and (is_credit(m.group()) or _agency(m.group()))
        ):
            end = m.end() + (1 if line[m.end() : m.end() + 1] == " " else 0)
            yield Finding(0, end, f"caption and credit glued to the headline: {m.group()!r}")
            return
    for m in _GLUED_PARENTHESIS.finditer(line) if "(" in line else ():
        if (
            line[m.start() - 1 : m.start()] == " "
            and len(line[: m.start()].split()) >= 3
            and is_credit(m.group(1), bracketed=True)
        ):
            yield Finding(0, m.end(), f"caption and credit opening the text: {m.group(1)!r}")
            return
    title = (doc.title or "").strip()
    if not title or len(title.split()) < 3:
        return
    title_words = title.split()
    if fold(title_words[-1]) != fold(line[line.rfind(" ") + 1 :]):
        return  # cheap test first: the line ends with the title's last word
    # the line ends with the title (or its last words, at least three and most of them)
    for cut in range(0, max(1, len(title_words) - 2)):
        if len(title_words) - cut < max(3, 0.6 * len(title_words)):
            break
        tail = _tail_with_words(line, len(title_words) - cut)
        if tail is None or fold(line[tail:]) != fold(" ".join(title_words[cut:])):
            continue
        caption = line[:tail].rstrip()
        if (
            len(caption.split()) >= 5
            and _LEAD_SENTENCE.search(caption)
            and len(re.findall(r"[.!?][\"”’')]*\s", caption + " ")) == 1
        ):
            yield Finding(0, tail, "caption sentence glued before the headline")
        return


def _tail_with_words(line: str, count: int) -> int | None:
    """Where the last ``count`` space-separated words of ``line`` start."""
    pos = len(line)
    for _ in range(count):
        pos = line.rfind(" ", 0, pos)
        if pos < 0:
            return None
    return pos + 1


_CLOSE_BLURB = re.compile(r"CLOSE (?:[A-Z][a-z’'][^\n]*|(?:A|I) [^\n]+)")


@register("video_caption_v1", category="credit")
def find_video_captions(doc: Doc) -> Iterable[Finding]:
    """A video player's caption standing between paragraphs: ``CLOSE <caption> AP`` (USA
    TODAY's flattened player; its credit or outlet ends the line).

    Leaves alone: ``CLOSE`` in capitals before another capitalised word (``CLOSE CALL: ...``),
    lines inside a paragraph, and blurbs over :data:`CAPTION_MAX` characters.
    """
    if not TEXT_INDEX.contains(doc, "CLOSE "):
        return  # the view's literal index (one scan for every rule's literals) says none
    text = doc.text
    pos = text.find("CLOSE ")
    while pos != -1:
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        body_end = len(text[pos:end].rstrip()) + pos
        at_line_start = pos == 0 or text[pos - 1] == "\n"
        if (
            at_line_start
            and body_end - pos <= CAPTION_MAX
            and _CLOSE_BLURB.fullmatch(text, pos, body_end)
            and _stands_alone(text, pos, body_end)
        ):
            yield Finding(pos, body_end, "video player caption ('CLOSE ...')")
        pos = text.find("CLOSE ", end)
