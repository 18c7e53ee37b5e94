"""Hover-card residue of link dumps glued into sentences.

Some outlets (The Hill above all) put a hover card behind every linked name: the person's full
legal name, up to three headlines about them and a "MORE" link. Scrapers keep the card's text:

    Gen. Mark MilleyMark MilleyRepublicans would need ... dies at 67 MORE, the chairman
    President Trump Donald John TrumpGOP senators balk ... veterans' votes MORE is facing

The rule anchors on the card's shape, never on a list of names: a name (the link text) is
followed, glued or after one space, by a full name (2 to 8 name-like words) that repeats the
link text's surname (or its given name or nickname, when the link text had no surname), and
the card closes with ``MORE`` in the same paragraph. What follows ``MORE`` is kept exactly.
API snippets cut the card short: then it closes at a trailing ``…`` or ``...`` (kept, with its
``[+N chars]``; the cut may fall inside the full name) or, glued to a headline, at the very end
of the text. Between the full name and the closer there is no line break, no other ``MORE``
and no sentence break: prose is never taken for headlines.

Every pattern here is linear (character classes, fixed-width lookarounds, no nested
quantifiers), each closer is examined only within its own stretch of text since the previous
closer, and a text with no ``MORE``, no ellipsis and no camel-case glue near its end is skipped
after three substring tests.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from cleaners import patterns
from cleaners.core import Doc, Finding
from cleaners.patterns import TEXT_INDEX
from cleaners.registry import register

RULES: tuple[str, ...] = ("linkdump_v1",)
"""Names this module registers, in the order they run in the default chain."""

MAX_HEADLINES = 1500
"""Longest run of headline text between the full name and its closing ``MORE``."""

MAX_CUT_HEADLINES = 400
"""Longest run of headline text of a card cut by a trailing ``…``."""

MAX_TAIL_HEADLINES = 200
"""Longest run of headline text of a card cut by the end of the text without a marker."""

MAX_NAME_CHARS = 30
"""Longest single word of a name; longer runs of letters are never names."""

MAX_NAME_WORDS = 8
"""Most words in a hover card's full name ("Reinhold (Reince) Richard Priebus" has 4)."""

_WINDOWS = {
    "MORE": MAX_HEADLINES + 200,
    "…": MAX_CUT_HEADLINES + 200,
    "end": MAX_TAIL_HEADLINES + 200,
}
"""How far before a closer of each kind the link text may start."""

_MORE = re.compile(r"MORE(?![^\W\d_])")
_CUT_TAIL = re.compile(r"(?:[ \u00a0]*\[\+\d{1,7} chars\])?[ \t\u00a0]*(?=\n|\Z)")
"""What may follow a cut-off ``…`` or ``...`` at the end of a line."""
# Linear: single character classes and fixed-width lookbehinds; ``regex`` for \p{..} classes.
_GLUE = patterns.compile(r"(?<=\p{Ll})[\p{Lu}\p{Nd}'\"‘’“”$#@]|(?<=(?<!\p{L})[JS]r\.)\p{Lu}")
_NAME_WORD = patterns.compile(r"\p{Lu}[\p{Lu}'’-]*\p{Ll}[\p{L}\p{M}'’-]*")
_NEXT_WORD = re.compile(r"[ \u00a0]([^\W\d_]+(?:-[^\W\d_]+)*)")
_WORD = re.compile(r"\S+")
_SPACE = " \u00a0"
_OPENERS = "([\"“‘'«"
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_PARTICLES = frozenset(
    {"de", "da", "del", "della", "di", "du", "dos", "das", "van", "von", "der", "den", "la", "le"}
    | {"bin", "al", "el", "ter", "ten", "st.", "y"}
)
_NAME_PREFIXES = frozenset(
    {"mc", "mac", "de", "di", "da", "du", "la", "le", "lo", "van", "von", "st"}
)
"""Camel-case name starts ("McGahn", "DeSantis", "LaHood"): never a link text on their own."""
_SENTENCE_BREAK = re.compile(r"(?<![\w.])(?!vs\.)[a-z]{2,}\.[\"”’']?[ \u00a0]+[A-Z]")
"""Prose inside a would-be card: a lowercase word ending a sentence before a capital."""


@dataclass(frozen=True, slots=True)
class _Card:
    start: int  # first character removed (the space before the full name, if any)
    name_end: int  # end of the full name
    link_text: str
    full_name: str


# --- names ----------------------------------------------------------------------------------


@lru_cache(maxsize=16384)
def _fold(word: str) -> str:
    """Lowercase letters without accents, quotes, parentheses or hyphens."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if c.isalpha()).casefold()


def _is_name_word(word: str) -> bool:
    """A capitalised word with a lowercase letter ("Trump", "McGahn", "Ocasio-Cortez")."""
    return 2 <= len(word) <= MAX_NAME_CHARS and _name_word(word)


@lru_cache(maxsize=16384)
def _name_word(word: str) -> bool:
    """:data:`_NAME_WORD` fullmatches ``word`` (at most :data:`MAX_NAME_CHARS` long): cached, a
    card's names come back in every card window and every view."""
    return _NAME_WORD.fullmatch(word) is not None


def _is_initial(word: str) -> bool:
    """ "F." or "J.D." """
    return (
        len(word) >= 2
        and len(word) % 2 == 0
        and all((c.isupper() if i % 2 == 0 else c == ".") for i, c in enumerate(word))
    )


def _is_suffix(word: str) -> bool:
    return _fold(word) in _SUFFIXES and (word[-1] == "." or word.isupper() or word == "Jr")


def _strip_nickname(word: str) -> str:
    """ "(Bob)" -> "Bob", "“Bob”" -> "Bob"; anything else unchanged."""
    if len(word) > 2 and word[0] in "(“\"'‘" and word[-1] in ")”\"'’":
        return word[1:-1]
    return word


def _is_name_token(word: str) -> bool:
    """One word of a full name: name word, initial, nickname, particle or suffix."""
    if len(word) > _CACHED_TOKEN:
        return _name_token(word)
    return _cached_name_token(word)


_CACHED_TOKEN = 2 * MAX_NAME_CHARS
"""Tokens up to this long are judged once (a longer one is no name part: not worth a slot)."""


@lru_cache(maxsize=16384)
def _cached_name_token(word: str) -> bool:
    return _name_token(word)


def _name_token(word: str) -> bool:
    """:func:`_is_name_token`, uncached."""
    core = _strip_nickname(word)
    return (
        _is_name_word(core)
        or _is_initial(core)
        or _is_suffix(core)
        or (core is word and word in _PARTICLES)
    )


def _edit_distance_at_most_one(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


@lru_cache(maxsize=16384)
def _same_name(a: str, b: str) -> bool:
    """Same name up to accents, case, one typo ("Costello"/"Costelllo") or a hyphen part."""
    fa, fb = _fold(a), _fold(b)
    if len(fa) < 2 or len(fb) < 2:
        return False
    if fa == fb:
        return True
    if min(len(fa), len(fb)) >= 5 and _edit_distance_at_most_one(fa, fb):
        return True
    parts_a = {_fold(p) for p in re.split(r"[-‐]", a) if len(p) >= 4}
    parts_b = {_fold(p) for p in re.split(r"[-‐]", b) if len(p) >= 4}
    return bool((parts_a & {fb}) or (parts_b & {fa}))


def _glue_points(word: str) -> tuple[int, ...]:
    """Offsets in ``word`` where a glued name, headline or MORE begins ("Trump|GOP").

    Only the first :data:`MAX_NAME_CHARS` characters are looked at: what is glued there
    follows a name, and no name is longer. A pure function of those characters, cached (one
    ``regex`` scan per distinct word start, not per word of every card window of every view).
    """
    return _glue_points_of(word[: MAX_NAME_CHARS + 1])


@lru_cache(maxsize=16384)
def _glue_points_of(head: str) -> tuple[int, ...]:
    return tuple(m.start() for m in _GLUE.finditer(head, 1, MAX_NAME_CHARS + 1))


# --- anchors ----------------------------------------------------------------------------------


def _link_surnames(text: str, words: list[tuple[int, int]], i: int, left: str) -> list[str]:
    """Surname candidates of the link text ending just before a full name."""
    word = left.lstrip(_OPENERS)
    if _is_suffix(word) and i > 0:
        word = text[words[i - 1][0] : words[i - 1][1]].lstrip(_OPENERS)
    if not _is_name_word(word) or _fold(word) in _NAME_PREFIXES:
        return []
    return [word]


def _preceding_words(text: str, words: list[tuple[int, int]], i: int, n: int) -> list[str]:
    out = [text[s:e] for s, e in words[max(0, i - n) : i]]
    if out:
        out[0] = out[0].lstrip(_OPENERS)
    return out


def _parse_card(
    text: str,
    words: list[tuple[int, int]],
    i: int,
    f_start: int,
    surnames: list[str],
    link_glued: bool,
    hi: int,
) -> tuple[int, bool, bool, list[str]] | None:
    """Parse a full name starting at ``f_start`` inside word ``i``.

    Returns (end of the full name, glued to what follows, matched by the given name only,
    the full name's words) for the first plausible end, or None.
    """
    tokens: list[str] = []
    given_match: tuple[int, bool, bool, list[str]] | None = None
    # whether the given name or a nickname among ``tokens`` is a surname: a function of the
    # tokens alone, so asked once per token read, and only for a glued piece that needs it
    given_says: bool | None = None
    k = i
    pos = f_start
    while k < len(words) and len(tokens) < MAX_NAME_WORDS:
        w_start, w_end = words[k]
        if k > i and (w_start - words[k - 1][1] != 1 or text[w_start - 1] not in _SPACE):
            break
        token = text[pos:w_end]
        for g in _glue_points(token):
            piece = token[:g]
            if not tokens or not _is_name_token(piece):
                continue
            name = [*tokens, piece]
            last = tokens[-1] if _is_suffix(piece) else piece
            if _same_as_one(last, surnames):
                return pos + g, True, False, name
            if given_match is None:
                if given_says is None:
                    given_says = any(
                        _same_name(_strip_nickname(t), s)
                        for t in (tokens[0], *(t for t in tokens[1:] if t != _strip_nickname(t)))
                        for s in surnames
                    )
                if given_says:
                    given_match = (pos + g, True, True, name)
        if not _is_name_token(token):
            break
        if tokens and _same_as_one(token, surnames):
            name = [*tokens, token]
            repeated = [_fold(t) for t in _preceding_words(text, words, i, len(name))] == [
                _fold(t) for t in name
            ]
            glued_to_more = hi - w_end <= 1 and text.startswith("MORE", hi)
            if link_glued or repeated or glued_to_more or _given_repeated(text, words, i, name):
                return w_end, glued_to_more, False, name
        tokens.append(token)
        given_says = None
        k += 1
        if k < len(words):
            pos = words[k][0]
    return given_match


def _same_as_one(word: str, surnames: list[str]) -> bool:
    """``any(_same_name(word, s) for s in surnames)``; without a generator for the one surname
    :func:`_link_surnames` gives (a hot path)."""
    if len(surnames) == 1:
        return _same_name(word, surnames[0])
    return any(_same_name(word, s) for s in surnames)


def _given_repeated(text: str, words: list[tuple[int, int]], i: int, name: list[str]) -> bool:
    """The link text's given name opens the full name too ("Paul Ryan Paul Davis Ryan")."""
    if len(name) < 3 or i < 2:
        return False
    given = text[words[i - 2][0] : words[i - 2][1]].lstrip(_OPENERS)
    if not _is_name_word(given):
        return False
    nicknames = [_strip_nickname(t) for t in name[1:-1] if t != _strip_nickname(t)]
    return any(_same_name(given, t) for t in (name[0], *nicknames))


def _find_card(text: str, lo: int, hi: int, closer: str) -> _Card | None:
    """The earliest hover card in ``text[lo:hi]`` that runs up to ``hi`` (the closer).

    ``text[lo:hi]`` holds no line break and no other closer; prose (a sentence break) may
    precede the card but never sit inside it.
    """
    if closer != "MORE" and _GLUE.search(text, lo, hi) is None:
        return None  # a cut card is always glued to its link text or to a headline
    last_break = _last_break(text, lo, hi + 1)  # the closer may start the sentence
    # The words of text[lo:hi] are split off as the scan needs them, a chunk at a time: the
    # earliest card is most often near the window's start, its headlines (the rest) need none.
    # A chunk ends at a space, which no word spans, so the chunks' words are the window's.
    cut = _space_at(text, max(lo + _WORD_CHUNK, last_break + 1), hi)
    words = [m.span() for m in _WORD.finditer(text, lo, cut)]
    first = 0
    if closer != "…" and last_break >= 0:
        # A full name starting in word i ends by the end of word i + MAX_NAME_WORDS - 1, and
        # one ending by the last sentence break is refused: words before cannot start a card
        # (only a card cut inside its name, closed by "…", is not held to the break).
        first = max(0, bisect.bisect_right(words, last_break, key=_end) - MAX_NAME_WORDS + 1)
    i = first - 1
    while True:
        i += 1
        # a full name read from word i takes at most MAX_NAME_WORDS words and looks one past
        while cut < hi and len(words) < i + MAX_NAME_WORDS + 2:
            more = _space_at(text, cut + _WORD_CHUNK, hi)
            words.extend(m.span() for m in _WORD.finditer(text, cut, more))
            cut = more
        if i >= len(words):
            break
        w_start, w_end = words[i]
        word = text[w_start:w_end]
        if not word.lstrip(_OPENERS)[:1].isupper():
            continue  # neither a full name nor a link text glued to one starts here
        candidates: list[tuple[int, str, bool]] = []  # (full name start, link word, glued)
        points = _glue_points(word)  # once per word: both tests below use them
        if (
            i > 0
            and w_start - words[i - 1][1] == 1
            and text[w_start - 1] in _SPACE
            and _is_name_word(word[: points[0]] if points else word)  # its first piece
        ):
            candidates.append((w_start, text[words[i - 1][0] : words[i - 1][1]], False))
        for g in points:
            if word[g].isupper():
                candidates.append((w_start + g, word[:g], True))
        for f_start, left, glued in candidates:
            surnames = _link_surnames(text, words, i - (0 if glued else 1), left)
            if not surnames:
                continue
            parsed = _parse_card(text, words, i, f_start, surnames, glued, hi)
            if parsed is None:
                if glued and closer == "…" and _name_cut_short(text, f_start, hi, surnames):
                    return _Card(f_start, hi, left.lstrip(_OPENERS), text[f_start:hi].strip())
                continue
            name_end, name_glued, by_given, name = parsed
            if _fold(name[0]) == _fold(name[-1]):
                continue  # "Word Word", not a full name
            if by_given and not _surname_follows(text, hi, closer, name):
                continue
            if name_end <= last_break or not _headlines_plausible(
                text, name_end, hi, closer, glued, name_glued
            ):
                continue
            start = f_start if glued else f_start - 1
            return _Card(start, name_end, left.lstrip(_OPENERS), " ".join(name))
    return None


def _end(span: tuple[int, int]) -> int:
    return span[1]


_WORD_CHUNK = 200
"""Characters of a card window split into words at a time (:func:`_find_card`)."""


def _space_at(text: str, pos: int, hi: int) -> int:
    """The first space at or after ``pos`` before ``hi``, else ``hi``."""
    if pos >= hi:
        return hi
    found = text.find(" ", pos, hi)
    return hi if found < 0 else found


_BREAK_QUOTES = "\"”’'"


def _last_break(text: str, lo: int, end: int) -> int:
    """Start of the last :data:`_SENTENCE_BREAK` match in ``text[lo:end]`` (-1: none).

    The same as the last ``m.start()`` of ``_SENTENCE_BREAK.finditer(text, lo, end)``, found
    from the right by its full stop (a literal search) instead of a scan trying the pattern at
    every position: a match is ``[a-z]{2,}`` starting after neither a word character nor a
    full stop (before ``lo`` too: a lookbehind sees there), not ``vs.``, then the full stop, an
    optional quote, spaces and a capital before ``end``. Its lower-case run is the whole run
    before the full stop (the lookbehind refuses a start inside one), so each full stop has one
    possible start, later full stops later starts, and matches never overlap: the first full
    stop from the right that passes is the last match.
    """
    end = min(end, len(text))
    dot = text.rfind(".", lo, end)
    while dot >= 0:
        after = dot + 1
        if after < end and text[after] in _BREAK_QUOTES:
            after += 1
        cap = after
        while cap < end and text[cap] in _SPACE:
            cap += 1
        if cap > after and cap < end and "A" <= text[cap] <= "Z":
            start = dot
            while start > 0 and "a" <= text[start - 1] <= "z":
                start -= 1
            if (
                dot - start >= 2
                and start >= lo
                and not text.startswith("vs.", start)
                and (start == 0 or not (text[start - 1].isalnum() or text[start - 1] in "_."))
            ):
                return start
        dot = text.rfind(".", lo, dot)
    return -1


def _surname_follows(text: str, hi: int, closer: str, name: list[str]) -> bool:
    """A link text without the surname: the article's own surname follows ``MORE``."""
    if closer != "MORE" or len(name) < 3 or _same_name(name[0], name[-1]):
        return False
    after = _NEXT_WORD.match(text, hi + 4)
    return after is not None and _same_name(after.group(1), name[-1])


def _first_piece(word: str) -> str:
    """``word`` up to its first glue point ("TrumpGOP" -> "Trump")."""
    for g in _glue_points(word):
        return word[:g]
    return word


def _headlines_plausible(
    text: str, start: int, end: int, closer: str, link_glued: bool, name_glued: bool
) -> bool:
    """Is ``text[start:end]``, between a full name and the closer, right for its kind?

    A card cut by ``…`` must be glued to its link text or headline; a card cut by the end of
    the text is either a full name glued to its link text and nothing more, or has a glued
    headline that does not end like a sentence.
    """
    if closer == "MORE":
        return end - start <= MAX_HEADLINES
    if closer == "…":
        return (link_glued or name_glued) and end - start <= MAX_CUT_HEADLINES
    if start == end:
        return link_glued
    return (
        end - start <= MAX_TAIL_HEADLINES
        and text[start] not in _SPACE
        and text[end - 1] not in '.!?"”’'
    )


def _name_cut_short(text: str, start: int, end: int, surnames: list[str]) -> bool:
    """A card cut inside its full name: "President BidenJoe Bi… [+2134 chars]"."""
    if end - start > MAX_NAME_CHARS * 2:
        return False
    words = text[start:end].split()
    if not 2 <= len(words) <= MAX_NAME_WORDS or not _is_name_word(words[0]):
        return False
    if not all(_is_name_token(w) for w in words[1:-1]):
        return False
    cut = words[-1]
    return (
        cut[0].isupper()
        and cut.isalpha()
        and any(_fold(s).startswith(_fold(cut)) for s in surnames)
    )


# --- the rule ---------------------------------------------------------------------------------


def _cut_positions(text: str, marks: tuple[str, ...] = ("…", "...")) -> list[int]:
    """Offsets of every ``…`` or ``...`` that ends its line (a truncated snippet or card);
    ``marks``: those of the two the text holds.

    Literal searches, then one anchored match per hit: no scan of every character.
    """
    found: list[int] = []
    for mark in marks:
        pos = text.find(mark)
        while pos != -1:
            if _CUT_TAIL.match(text, pos + len(mark)):
                found.append(pos)
                pos = text.find(mark, pos + len(mark))
            else:
                pos = text.find(mark, pos + 1)
    return sorted(found)


def _closers(
    text: str, more: bool, marks: tuple[str, ...], tail: bool | None
) -> list[tuple[int, int, str]]:
    """(start, end of removal, kind) of every possible card end, in text order: ``more``,
    whether the text holds ``MORE``, ``marks`` the cut marks it holds, ``tail`` what
    :func:`_tail_may_be_cut` says of it (None: not asked yet)."""
    out: list[tuple[int, int, str]] = []
    if more:
        out.extend((m.start(), m.end(), "MORE") for m in _MORE.finditer(text))
    if marks:
        out.extend((pos, pos, "…") for pos in _cut_positions(text, marks))
    end = len(text.rstrip())
    if end and text[end - 1] not in "…]" and (_tail_may_be_cut(text) if tail is None else tail):
        out.append((end, end, "end"))
    out.sort()
    return out


_CLOSER_LITERALS = ("MORE", "...")
"""Closers looked up in the view's literal index (one scan of the text for every rule's
literals, see :data:`cleaners.patterns.TEXT_INDEX`) instead of a search each; ``…``, one
character, is a memchr-fast ``in``."""


@register("linkdump_v1", category="linkdump")
def find_linkdump(doc: Doc) -> Iterable[Finding]:
    """Hover-card residue: full name, headlines and MORE glued after a linked name.

    Removes the card from the full name (with the one space before it) through ``MORE``, or
    through the headline cut by a trailing ``…`` or by the end of an API snippet. Leaves alone:
    what follows ``MORE`` (", the chairman", "'s", " (R-Ky.)", " Jr."), names merely glued
    together ("Donald TrumpDonald Trump Jr., Jared Kushner") with no card closing them,
    camel-case names and brands (McDonald, DeSantis, iPhone, JPMorgan, PhD), and "MORE" in
    capitals ("NATO countries must pay MORE", "MORE FROM ...") with no repeated name before it.
    """
    text = doc.text
    held = TEXT_INDEX.present(doc, _CLOSER_LITERALS)
    more = "MORE" in held
    marks = (*(("…",) if "…" in text else ()), *(("...",) if "..." in held else ()))
    tail = None
    if not more and not marks:
        tail = _tail_may_be_cut(text)
        if not tail:
            return
    consumed = 0
    for start, end, kind in _closers(text, more, marks, tail):
        if start < consumed:
            continue
        previous_end, consumed = consumed, end
        window = _WINDOWS[kind]
        para = text.rfind("\n", max(previous_end, start - window), start) + 1
        lo = max(previous_end, para, start - window)
        found = _find_card(text, lo, start, kind)
        if found is None:
            continue
        card = found
        closing = "MORE" if kind == "MORE" else ("a cut-off '…'" if kind == "…" else "text end")
        yield Finding(
            card.start,
            end if kind != "end" else len(text),
            f"hover card after '{card.link_text}': full name '{card.full_name}', "
            f"{start - card.name_end} chars of headlines, closed by {closing}",
        )


_CAMEL_GLUE = patterns.compile(r"(?<=\p{Ll})\p{Lu}")


def _tail_may_be_cut(text: str) -> bool:
    """Cheap test: is there a camel-case glue ("TrumpGOP") in the last stretch of the text?

    Only a capital glued to a lower-case letter: an apostrophe or quote after a word (the
    wider glue of :data:`_GLUE`) ends most texts and says nothing about a card.
    """
    return _CAMEL_GLUE.search(text, max(0, len(text) - MAX_TAIL_HEADLINES - 120)) is not None
