"""Bounded regular expressions for untrusted text.

Every pattern that is not proven linear runs through :mod:`regex` with a timeout; a timeout
raises ``TimeoutError``, which the chain runner turns into a ``timeout:<rule>`` flag (the rule
then removes nothing from that document).

Literal prefilters: :func:`required_literals` reads from a pattern the literals one of which
every match holds, and :func:`may_match` tests a span of :func:`fold`-ed text for them (one
``str.find`` each, much faster than most patterns' own scan), so a pattern runs only where it
may match.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

# the parser behind ``re.compile``: what a prefilter reads a pattern's literals from
from re import _constants as _c  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]

import regex

REPORTED_OR_QUOTED = re.compile(
    r"[\"“”]|\b(?:said|says|told|according to|wrote|asked)\b", re.IGNORECASE
)
"""A quotation mark or a reporting verb: the paragraph reports someone's words, so a pitch or
a notice in it is not the outlet's own (shared by the paragraph rules that must stay off
reported speech)."""

TIMEOUT_S = 0.25
"""Wall-clock budget of one scan of one document by one pattern."""


def compile(pattern: str, flags: int = 0) -> regex.Pattern[str]:
    return regex.compile(pattern, flags)


def finditer(pattern: regex.Pattern[str], text: str, pos: int = 0) -> Iterator[regex.Match[str]]:
    return pattern.finditer(text, pos, timeout=TIMEOUT_S)


def search(pattern: regex.Pattern[str], text: str, pos: int = 0) -> regex.Match[str] | None:
    return pattern.search(text, pos, timeout=TIMEOUT_S)


def fullmatch(pattern: regex.Pattern[str], text: str) -> regex.Match[str] | None:
    return pattern.fullmatch(text, timeout=TIMEOUT_S)


# --- literal prefilters ---------------------------------------------------------------------

_FOLD_SPECIAL = ("\u0131", "\u017f")  # dotless i and long s: re's IGNORECASE takes them as i, s


def fold(text: str) -> str:
    """``text`` lower-cased so that a case-insensitive match of an ASCII or uncased literal
    is a plain substring of it: ``str.lower`` plus what ``re.IGNORECASE`` also equates (``İ``,
    ``ı`` with ``i``, ``ſ`` with ``s``). Same length as ``text``: offsets carry over."""
    if "\u0130" in text:
        text = text.replace("\u0130", "i")  # str.lower would make it two characters
    low = text.lower()
    if not low.isascii():
        if "\u0131" in low:
            low = low.replace("\u0131", "i")
        if "\u017f" in low:
            low = low.replace("\u017f", "s")
    return low


_MAX_CLASS = 12
"""A character class of at most this many characters may serve as a set of literals."""

_MAX_EXACT = 8
"""Most strings a run of a pattern is spelled out as (``(?:a|b) (?:c|d)``: four)."""


def required_literals(pattern: str | re.Pattern[str], flags: int = 0) -> tuple[str, ...] | None:
    """Lower-case literals one of which every match of ``pattern`` holds, or None if unknown.

    Sound, not complete: when ``pattern`` matches ``text[start:end]``, one of the literals
    occurs in ``fold(text)[start:end]`` (case-sensitive or not). So a text or a span of it
    holding none of them cannot match, and the pattern need not run there. Read from the
    parsed pattern: the runs of it that are spelled out as a few strings (literal characters,
    small alternations, optional parts, small classes such as ``\\d``; assertions match no
    character), an alternation whose every branch has literals, a group or a repeat of at
    least one; in a sequence, the run with the longest shortest literal (spaces not counted; beyond
    five characters, the one with fewest literals).
    Cased letters beyond ASCII (whose case folding ``fold`` does not model) give no literal.
    """
    if isinstance(pattern, re.Pattern):
        pattern, flags = pattern.pattern, pattern.flags
    found = _required(_parser.parse(pattern, flags))
    if not found:
        return None
    # a literal holding another adds nothing
    kept = [lit for lit in found if not any(o != lit and o in lit for o in found)]
    return tuple(sorted(kept))


_LONG_ENOUGH = 5
"""Literals this long are rare enough in prose: among such sets, the one with fewest wins
(each literal is one search)."""


def _score(literals: set[str]) -> tuple[int, int]:
    return min(_LONG_ENOUGH, *(len(lit.strip()) for lit in literals)), -len(literals)


def _required(items: Iterable[tuple[object, object]]) -> set[str] | None:
    """Literal set of a parsed sequence (see :func:`required_literals`)."""
    candidates: list[set[str]] = []
    run: set[str] | None = None
    for item in items:
        exact = _exact(item)
        if exact is not None:
            if run is None:
                run = exact
            elif len(run) * len(exact) <= _MAX_EXACT:
                if len(exact) > 1:
                    candidates.append(run)  # the run so far: fewer literals, maybe enough
                run = {a + b for a in run for b in exact}
            else:
                candidates.append(run)
                run = exact
            continue
        if run is not None:
            candidates.append(run)
            run = None
        found = _required_of(item)
        if found:
            candidates.append(found)
    if run is not None:
        candidates.append(run)
    candidates = [c for c in candidates if _score(c)[0] > 0]
    return max(candidates, key=_score) if candidates else None


def _exact_seq(items: Iterable[tuple[object, object]]) -> set[str] | None:
    """The strings a parsed sequence matches, when they are few; else None."""
    run = {""}
    for item in items:
        exact = _exact(item)
        if exact is None or len(run) * len(exact) > _MAX_EXACT:
            return None
        run = {a + b for a in run for b in exact}
    return run


def _exact(item: tuple[object, object]) -> set[str] | None:
    op, av = item
    if op is _c.LITERAL:
        ch = chr(av)  # type: ignore[arg-type]
        return {fold(ch)} if _safe(ch) else None
    if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        return {""}  # matches no character
    if op is _c.IN:
        return _class_literals(av)  # type: ignore[arg-type]
    if op is _c.SUBPATTERN:
        return _exact_seq(av[3])  # type: ignore[index]
    if op is _c.BRANCH:
        out: set[str] = set()
        for branch in av[1]:  # type: ignore[index]
            exact = _exact_seq(branch)
            if exact is None:
                return None
            out |= exact
        return out if len(out) <= _MAX_EXACT else None
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        low, high, body = av  # type: ignore[misc]
        if high > 3:
            return None
        exact = _exact_seq(body)
        if exact is None:
            return None
        out, power = ({""} if low == 0 else set()), {""}
        for n in range(1, high + 1):
            power = {a + b for a in power for b in exact}
            if len(power) > _MAX_EXACT:
                return None
            if n >= low:
                out |= power
        return out if len(out) <= _MAX_EXACT else None
    return None


def _required_of(item: tuple[object, object]) -> set[str] | None:
    """Literal set of one item that is not spelled out as a few strings."""
    op, av = item
    if op is _c.SUBPATTERN:
        return _required(av[3])  # type: ignore[index]
    if op is _c.ATOMIC_GROUP:
        return _required(av)  # type: ignore[arg-type]
    if op is _c.BRANCH:
        branches = [_required(b) for b in av[1]]  # type: ignore[index]
        return set().union(*branches) if all(branches) else None  # type: ignore[arg-type]
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        low, _, body = av  # type: ignore[misc]
        return _required(body) if low >= 1 else None
    return None


def _safe(literal: str) -> bool:
    return all(ch.isascii() or ch.lower() == ch.upper() for ch in literal)


def _class_literals(items: list[tuple[object, object]]) -> set[str] | None:
    chars: set[str] = set()
    for op, av in items:
        if op is _c.LITERAL:
            chars.add(chr(av))  # type: ignore[arg-type]
        elif op is _c.RANGE and av[1] - av[0] < _MAX_CLASS:  # type: ignore[index,operator]
            chars.update(chr(c) for c in range(av[0], av[1] + 1))  # type: ignore[index,operator]
        elif op is _c.CATEGORY and av is _c.CATEGORY_DIGIT:
            chars.update("0123456789")
        else:
            return None  # negated, a wide range, another category
        if len(chars) > _MAX_CLASS:
            return None
    if not chars or not all(_safe(ch) for ch in chars):
        return None
    return {fold(ch) for ch in chars}


def may_match(literals: tuple[str, ...] | None, folded: str, start: int = 0, end: int = -1) -> bool:
    """Whether ``folded[start:end]`` (``end`` -1: to the end) holds one of ``literals``
    (None: unknown, so maybe)."""
    if literals is None:
        return True
    if end < 0:
        end = len(folded)
    return any(folded.find(lit, start, end) >= 0 for lit in literals)


# --- one scan for many literals -------------------------------------------------------------

try:
    import ahocorasick_rs
except ImportError:  # pragma: no cover - a declared dependency; plain searches stand in
    ahocorasick_rs = None


class LiteralIndex:
    """Which of many literals occur in a text, found in one scan of it.

    Rules and prefilters ask whether a few literals occur in a view (trigger lists, hint
    words, the literals of :func:`required_literals`); one ``in`` per literal is a full
    search of the text each time the literal is absent (about a microsecond per kilobyte of
    lower-case prose, and dozens of literals are asked about per view). The index knows every
    literal asked about so far and finds them all with one Aho-Corasick automaton (the
    ``ahocorasick_rs`` package), overlapping matches included, so what :meth:`present` says
    is exactly what ``literal in text`` says, literal by literal. Without the package it asks
    ``in`` for each literal asked about, once per text.
    """

    def __init__(self, attribute: str) -> None:
        self.attribute = attribute
        """The view's text it indexes: ``"folded"`` or ``"text"``."""
        self._key = f"_literal_index_{attribute}"
        self._literals: list[str] = []
        self._known: set[str] = set()
        self._lists: set[tuple[str, ...]] = set()
        self._automaton: object | None = None
        self._version = 0

    def add(self, literals: Iterable[str]) -> None:
        """Index these literals too (the automaton is built again at the next scan)."""
        new = [lit for lit in dict.fromkeys(literals) if lit and lit not in self._known]
        if new:
            self._known.update(new)
            self._literals.extend(new)
            self._automaton = None
            self._version += 1

    def _found(self, doc: object) -> frozenset[str] | dict[str, bool]:
        """The indexed literals found in the doc's text (cached on the doc; a memo of ``in``
        tests without the automaton)."""
        cache = doc.__dict__  # type: ignore[attr-defined]
        hit = cache.get(self._key)
        if hit is not None and hit[0] == self._version:
            return hit[1]
        found: frozenset[str] | dict[str, bool]
        if ahocorasick_rs is None:
            found = {}
        else:
            matches = self.scan(getattr(doc, self.attribute))
            literals = self._literals
            found = frozenset({literals[i] for i, _, _ in matches})
        cache[self._key] = (self._version, found)
        return found

    def scan(self, text: str) -> list[tuple[int, int, int]]:
        """Every occurrence of an indexed literal in ``text``, overlapping ones included:
        (literal index, start, end) (needs the automaton)."""
        if self._automaton is None:
            # a DFA: a few hundred literals are a small one, and it scans several times
            # faster than the NFA the package picks by default (26 against 83 us a text)
            self._automaton = ahocorasick_rs.AhoCorasick(
                self._literals, implementation=ahocorasick_rs.Implementation.DFA
            )
        return self._automaton.find_matches_as_indexes(  # type: ignore[attr-defined,no-any-return]
            text, overlapping=True
        )

    def _found_of(self, doc: object, literals: tuple[str, ...]) -> frozenset[str] | dict[str, bool]:
        """:meth:`_found` of the doc, with ``literals`` indexed first."""
        if literals not in self._lists:
            self.add(literals)
            self._lists.add(literals)
        return self._found(doc)

    def present(self, doc: object, literals: tuple[str, ...]) -> tuple[str, ...]:
        """The literals of ``literals`` that occur in the doc's text, in their order."""
        found = self._found_of(doc, literals)
        if isinstance(found, dict):
            text: str = getattr(doc, self.attribute)
            for lit in literals:
                if lit not in found:
                    found[lit] = lit in text
            return tuple(lit for lit in literals if found[lit])
        return tuple(lit for lit in literals if lit in found)

    def any_present(self, doc: object, literals: tuple[str, ...]) -> bool:
        """Whether one of ``literals`` occurs in the doc's text."""
        found = self._found_of(doc, literals)
        if isinstance(found, dict):
            text: str = getattr(doc, self.attribute)
            for lit in literals:
                hit = found.get(lit)
                if hit is None:
                    hit = found[lit] = lit in text
                if hit:
                    return True
            return False
        return any(lit in found for lit in literals)

    def any_of(self, doc: object, literals: frozenset[str]) -> bool:
        """Whether one of ``literals``, indexed already (:meth:`add`), occurs in the doc's
        text: a set test on what the scan found."""
        found = self._found(doc)
        if isinstance(found, dict):
            return any(self.contains(doc, lit) for lit in sorted(literals))
        return not found.isdisjoint(literals)

    def contains(self, doc: object, literal: str) -> bool:
        """Whether ``literal`` occurs in the doc's text (indexed first if new)."""
        if literal not in self._known:
            self.add((literal,))
        found = self._found(doc)
        if isinstance(found, dict):
            hit = found.get(literal)
            if hit is None:
                hit = found[literal] = literal in getattr(doc, self.attribute)
            return hit
        return literal in found


FOLDED_INDEX = LiteralIndex("folded")
"""Literals of ``doc.folded`` (lower-case literals of case-insensitive tests)."""

TEXT_INDEX = LiteralIndex("text")
"""Literals of ``doc.text`` as written (the case-sensitive trigger literals of rules)."""


# --- line starts ------------------------------------------------------------------------------


def _odd_case_characters() -> str:
    """Characters whose ``str.casefold`` or ``str.lower`` is not their :func:`fold`: on a text
    with none of them, a line's casefolded or lower-cased text starts with a literal exactly
    when its folded text does."""
    odd = []
    for code in range(0x80, 0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        ch = chr(code)
        folded = fold(ch)
        if ch.casefold() != folded or ch.lower() != folded:
            odd.append(ch)
    return "".join(odd)


_ODD_CASE_CLASS = (
    "\u00b5\u00df\u0130-\u0131\u0149\u017f\u01f0\u0345\u0390\u03b0\u03c2\u03d0-\u03d1"
    "\u03d5-\u03d6\u03f0-\u03f1\u03f5\u0587\u13a0-\u13f5\u13f8-\u13fd\u1c80-\u1c88"
    "\u1e96-\u1e9b\u1e9e\u1f50\u1f52\u1f54\u1f56\u1f80-\u1faf\u1fb2-\u1fb4"
    "\u1fb6-\u1fb7\u1fbc\u1fbe\u1fc2-\u1fc4\u1fc6-\u1fc7\u1fcc\u1fd2-\u1fd3"
    "\u1fd6-\u1fd7\u1fe2-\u1fe4\u1fe6-\u1fe7\u1ff2-\u1ff4\u1ff6-\u1ff7\u1ffc"
    "\uab70-\uabbf\ufb00-\ufb06\ufb13-\ufb17"
)
"""A regular-expression class of :func:`_odd_case_characters` (``tests/test_patterns.py``
checks it against that function, which takes seconds to run)."""

_ODD_CASE = re.compile(f"[{_ODD_CASE_CLASS}]")


def _odd_folded() -> frozenset[str]:
    """What :func:`fold` makes of the characters of :data:`_ODD_CASE_CLASS`, but those it
    makes ASCII (``İ``, ``ı``, ``ſ``: there the folded text starts with a literal wherever the
    casefolded or lower-cased one does, as no literal holds a cased letter beyond ASCII or a
    combining mark): one character each, searched in the folded text."""
    chars, spec, i = set(), _ODD_CASE_CLASS, 0
    while i < len(spec):
        if spec[i + 1 : i + 2] == "-":
            chars.update(map(chr, range(ord(spec[i]), ord(spec[i + 2]) + 1)))
            i += 3
        else:
            chars.add(spec[i])
            i += 1
    out = {fold(ch) for ch in chars} - {fold(ch) for ch in chars if fold(ch).isascii()}
    assert all(len(c) == 1 for c in out)
    return frozenset(out)


def lead_refused(lead: str) -> bool:
    """A line-start literal must hold no cased letter beyond ASCII and no combining mark (see
    :func:`_odd_folded`), and open with no whitespace."""
    return lead[:1].isspace() or any(
        not ch.isascii() and (ch.lower() != ch.upper() or unicodedata.combining(ch)) for ch in lead
    )


def has_odd_case(text: str) -> bool:
    """Whether ``text`` holds a character of :func:`_odd_case_characters` (``ß``, ``İ``,
    ligatures, Greek and Cherokee letters of irregular case): one fast test on ASCII texts, one
    scan on others."""
    return not text.isascii() and _ODD_CASE.search(text) is not None


_INDENTED = re.compile(r"\n[^\S\n]+")
"""A line opening with whitespace (``[^\\S\\n]`` is what ``str.lstrip`` strips, but ``\\n``)."""


def indented_starts(text: str) -> list[int]:
    """Where the text of each line that opens with whitespace begins (past the whitespace)."""
    out = [m.end() for m in _INDENTED.finditer(text)]
    if text[:1].isspace() and text[0] != "\n":
        first_end = text.find("\n")
        first = text if first_end < 0 else text[:first_end]
        out.insert(0, len(first) - len(first.lstrip()))
    return out


def starts_of_lines_holding(text: str, needles: Iterable[str]) -> set[int]:
    """Starts of the lines (split at ``\\n``) of ``text`` holding one of ``needles``: one
    ``str.find`` per needle and line holding it (cheaper than one scan with an alternation of
    them). Needles must not hold ``\\n``."""
    starts: set[int] = set()
    for needle in needles:
        pos = text.find(needle)
        while pos >= 0:
            starts.add(text.rfind("\n", 0, pos) + 1)
            newline = text.find("\n", pos)
            if newline < 0:
                break
            pos = text.find(needle, newline + 1)
    return starts


def line_starts_present(doc: object, leads: tuple[str, ...], newline_leads: frozenset[str]) -> bool:
    """Whether a line of the doc (split at ``\\n``), less its leading whitespace, starts with
    one of ``leads`` (folded literals), ignoring case as ``str.casefold``, ``str.lower`` and
    :func:`fold` do; ``newline_leads`` are the leads after a ``\\n``, indexed in
    :data:`FOLDED_INDEX`. Sound, not exact: may say yes for a line that does not start so (a
    text with a character of irregular case says yes)."""
    folded: str = doc.folded  # type: ignore[attr-defined]
    if folded.startswith(leads):
        return True
    found = FOLDED_INDEX._found(doc)
    if isinstance(found, frozenset):
        # the scan also looks for the characters of irregular case
        if not found.isdisjoint(newline_leads) or not found.isdisjoint(_ODD_FOLDED):
            return True
    elif any(lead in folded for lead in newline_leads) or doc.odd_case:  # type: ignore[attr-defined]
        return True
    cache = doc.__dict__  # type: ignore[attr-defined]
    starts = cache.get("_indented_starts")
    if starts is None:
        starts = cache["_indented_starts"] = indented_starts(doc.text)  # type: ignore[attr-defined]
    return any(folded.startswith(leads, pos) for pos in starts)


_ODD_FOLDED = _odd_folded()
FOLDED_INDEX.add(sorted(_ODD_FOLDED))
