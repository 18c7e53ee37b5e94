"""Learned site templates: lines a source repeats across its documents.

Hand-written rules cannot know every site; most residue left in real articles recurs verbatim,
or nearly so, across one outlet's documents (copyright and reprint lines, sign-up pitches,
ad-slot labels, byline outlet lines). This module is the pure part of learning them:

- :func:`line_key` normalises a line (Unicode compatibility forms, case, apostrophes and
  other punctuation, digit runs, month and weekday names, whitespace), so that
  ``Copyright © 2019 The Washington Times, LLC.`` and ``... 2021 ...`` are one key;
- :class:`TemplateTable` counts, per source, how many documents carry each key, where it
  sits (head, tail or middle), and a few example originals. Tables :meth:`merge
  <TemplateTable.merge>` by addition (commutative and associative: input order and batching
  do not matter) and are bounded (:data:`MAX_KEYS` keys per source);
- :func:`decide` says which keys are a source's templates, from the evidence alone;
- :class:`SiteTemplates` is what one document's clean gets: the decided lines of its source,
  the user's vetoes and pins (``rules.toml``, see :func:`parse_rules` and :func:`add_veto`)
  and the rules vetoed for that source. ``clean(..., templates=...)`` takes it as an input:
  nothing here is global state;
- the ``site_template_v1`` cleaner removes the lines of a document that are its source's
  templates.

No I/O except :func:`add_veto`'s, which the flow and ``rules suggest`` call to edit a rules
file (the cleaners never call it).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import tempfile
import tomllib
import unicodedata
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from cleaners.core import Doc, Finding
from cleaners.patterns import REPORTED_OR_QUOTED
from cleaners.registry import register

RULES: tuple[str, ...] = ("site_template_v1",)
"""Names this module registers, in the order they run in the default chain."""

COUNTS_VERSION = 3
"""The form of the counts (keys, positions, contexts): stored counts of another version are
dropped and the inputs counted again (2: web and e-mail addresses fold to ``<link>``, keys
keep their contexts; 3: line openings are counted, and how often a key's line ends like a
sentence)."""

# --- normalisation ------------------------------------------------------------------------

MAX_KEY_CHARS = 320
"""Lines whose key is longer are never counted: a template line is a label, a pitch or a
legal line, not a paragraph (the longest abp-dev template, a sign-up form flattened into one
line, normalises to about 250 characters)."""

_MONTHS = (
    "january february march april may june july august september october november december"
    " jan feb mar apr jun jul aug sep sept oct nov dec"
)
_WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thurs"
_CALENDAR = (
    {word: "<m>" for word in _MONTHS.split()}
    | {word: "<d>" for word in (_WEEKDAYS + " fri sat sun").split()}
    | {"qqlinkqq": "<link>"}
)
_DROPPED_CHARS = "'`.\u2019\u02bc"
_SPACED_CHARS = (
    "\u2018\u201c\u201d\u2014\u2013\u2022\u00b7\u00ab\u00bb\u00a9\u00ae\u25ba\u25b6\u2192"
)


def _table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for code in range(128):
        char = chr(code)
        if char.isdigit():
            table[code] = "0"
        elif char in _DROPPED_CHARS:
            table[code] = None
        elif not (char.isalpha() or char.isspace()):
            table[code] = " "  # punctuation, symbols and "_"
    table.update({ord(c): None for c in _DROPPED_CHARS})
    table.update({ord(c): " " for c in _SPACED_CHARS})
    return table


_TABLE = _table()
_LINK = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LINK_WORD = "qqlinkqq"
_PUNCT = re.compile(r"[^\w\s]+|_+")
_DIGITS = re.compile(r"\d+")
_ZEROS = re.compile("0{2,}")
_LETTER = re.compile(r"[^\W\d_]")
_NON_ASCII_DROPPED = "".join(c for c in _DROPPED_CHARS if not c.isascii())
_DROPPED = re.compile(f"[{_NON_ASCII_DROPPED}]")
_SPACED = re.compile(f"[{_SPACED_CHARS}]")
_TYPOGRAPHIC = re.compile(f"[{_NON_ASCII_DROPPED}{_SPACED_CHARS}]")
_CALENDAR_WORDS = frozenset(_CALENDAR)


def normalise(line: str) -> str:
    """The form under which lines count as the same: NFKC, casefolded, apostrophes and full
    stops dropped, other punctuation a space, digit runs ``0``, month names ``<m>``, weekday
    names ``<d>``, whitespace collapsed. ``Updated Jan. 5, 2019, 9:31 a.m.`` -> ``updated <m> 0
    0 0 0 am``.

    One ``str.translate`` does the work for ASCII and the common typographic punctuation;
    only what is left outside ASCII goes through regular expressions. A web or e-mail address
    is one word, ``<link>`` (``Read or Share this story: https://usat.ly/2mg8xzQ``)."""
    if "://" in line or "www." in line or "@" in line:
        line = _LINK.sub(f" {_LINK_WORD} ", line)
    if line.isascii():
        text = line.lower().translate(_TABLE)
    else:
        text = unicodedata.normalize("NFKC", line).casefold()
        # the typographic punctuation of _TABLE first (a regular expression each), so that
        # what is left is mostly ASCII, which str.translate maps in its fast path
        if _TYPOGRAPHIC.search(text):
            text = _SPACED.sub(" ", _DROPPED.sub("", text))
        text = text.translate(_TABLE)
        if not text.isascii():
            text = _DIGITS.sub("0", _PUNCT.sub(" ", text))
    while "00" in text:  # runs of zeros to one (a few halvings: faster than _ZEROS)
        text = text.replace("00", "0")
    words = text.split()
    if not _CALENDAR_WORDS.isdisjoint(words):
        words = [_CALENDAR.get(word, word) for word in words]
    return " ".join(words)


MAX_LINE_CHARS = 400
"""Longer lines are not even normalised (they cannot shrink to :data:`MAX_KEY_CHARS`
without being mostly punctuation): most paragraphs are, and counting stays cheap."""


@lru_cache(maxsize=16384)
def line_key(line: str) -> str | None:
    """The counting key of a line, or None when the line cannot be a template (no letter,
    longer than :data:`MAX_LINE_CHARS`, or than :data:`MAX_KEY_CHARS` once normalised).
    Cached: a document's lines are looked up again on each pass of the chain."""
    if len(line) > MAX_LINE_CHARS:
        return None
    key = normalise(line)
    if not key or len(key) > MAX_KEY_CHARS or not _LETTER.search(key):
        return None
    return key


PREFIX_MARK = " …"
"""The end of a key that stands for every line opening with it (``enlarge this image …``):
normalised lines never hold an ellipsis."""

PREFIX_WORDS = 3
"""A line of more words than this and two opens with its first this many words (one of its
prefixes), counted as a key of its own when they say chrome."""
MAX_PREFIX_WORDS = 6

_PREFIX_CHROME = re.compile(
    r"\b(?:captions?|photos?|photographs?|images?|videos?|watch|watched|listen|playback|enlarge|"
    r"slideshow|gallery|related|read more|more on this|see also|sign up|subscribe|newsletters?|"
    r"advertisement|sponsored|copyright|getty|podcasts?|click here|share this)\b"
)
"""Words of a line's opening that make it a caption, a player, a pointer or a pitch whatever
follows (``Enlarge this image toggle caption <credit>``, ``JUST WATCHED <title> Replay More
Videos``, ``FILE PHOTO: <caption>``, ``SEE ALSO: <headline>``): the strong words of chrome only,
not those prose opens with (``Share prices``, ``Support for``, ``Close to``, ``Follow``)."""
_BOUNDARY = re.compile(r":|\||\.\.\.|…")
_CAPS_CHROME = re.compile(r"\b(?:close|replay)\b")
"""Words that make a line's leading capitals a player's label (USA TODAY's ``CLOSE <video
caption>``): in capitals only, so ``Close to 40 percent ...`` is prose."""


def _opening(key: str) -> str:
    """The first :data:`MAX_PREFIX_WORDS` words of a key."""
    words = key.split(" ", MAX_PREFIX_WORDS)
    if len(words) <= MAX_PREFIX_WORDS:
        return key
    return key[: len(key) - len(words[-1]) - 1]


def _first_word(line: str) -> str:
    """The first word of a line's key (:func:`normalise`), from its first 60 characters."""
    head = line[:60]
    if head.isascii():
        words = head.lower().translate(_TABLE).split(None, 1)
        word = words[0] if words else ""
        return _ZEROS.sub("0", word) if "00" in word else _CALENDAR.get(word, word)
    words = normalise(head).split(None, 1)
    return words[0] if words else ""


def line_prefixes(line: str, key: str) -> tuple[str, ...]:
    """The prefix keys of a line (its key ``key``): its first :data:`PREFIX_WORDS` words, its
    words before a colon, bar or ellipsis (``SEE ALSO:``, ``More On This...``) and its leading
    capitals (``JUST WATCHED``, ``CLOSE``), each of at most :data:`MAX_PREFIX_WORDS` words and
    followed by two words more, each holding a strong word of chrome (:data:`_PREFIX_CHROME`).
    Empty for almost every line of prose (one search of its key's first words)."""
    opening = _opening(key)
    if not _PREFIX_CHROME.search(opening) and not (
        line[:1].isupper() and line[1:2].isupper() and _CAPS_CHROME.search(opening)
    ):
        return ()
    words = key.split()
    if len(words) < 3:
        return ()
    found: list[str] = []
    if len(words) >= PREFIX_WORDS + 2:
        found.append(" ".join(words[:PREFIX_WORDS]))
    bound = _BOUNDARY.search(line, 0, 80)
    if bound:
        found.append(normalise(line[: bound.start()]))
    caps = []
    for word in line.split(None, MAX_PREFIX_WORDS + 1)[: MAX_PREFIX_WORDS + 1]:
        if len(word) < 2 or not word.isupper():
            break
        caps.append(word)
    capitals = normalise(" ".join(caps)) if caps else ""
    if capitals:
        found.append(capitals)
    out = []
    for prefix in found:
        n = prefix.count(" ") + 1
        if (
            prefix
            and n <= MAX_PREFIX_WORDS
            and n <= len(words) - 2
            and words[:n] == prefix.split()
            and (
                _PREFIX_CHROME.search(prefix)
                or (prefix == capitals and _CAPS_CHROME.search(prefix))
            )
        ):
            marked = prefix + PREFIX_MARK
            if marked not in out:
                out.append(marked)
    return tuple(out)


def is_prefix(key: str) -> bool:
    return key.endswith(PREFIX_MARK)


LONG_MARK = "¶ "
"""The start of a long paragraph's key (:func:`long_key`): normalised lines never hold it."""
LONG_LINE_CHARS = 2000
_LONG_CHROME = re.compile(
    r"newsletter|sign up|subscrib|donat|contribution|membership|members get|paywall|advertis|"
    r"sponsor|all rights reserved|privacy policy|terms of (?:use|service)|cookie"
)
"""Words of an outlet's long pitch or form (Vox's 'Every day at Vox ... Please consider making
a contribution', the New York Times' flattened newsletter form, National Review's NRPLUS
pitch)."""


def long_key(line: str) -> str | None:
    """The key of a paragraph too long for :func:`line_key` (at most :data:`LONG_LINE_CHARS`
    characters) that pitches, sells or asks (:data:`_LONG_CHROME`) and reports nobody's words:
    a hash of its normalised text, so that it costs a few bytes to count."""
    if not MAX_LINE_CHARS < len(line) <= LONG_LINE_CHARS:
        return None
    if not _LONG_CHROME.search(line.lower()) or REPORTED_OR_QUOTED.search(line):
        return None
    digest = hashlib.blake2b(normalise(line).encode("utf-8"), digest_size=8).hexdigest()
    return LONG_MARK + digest


def is_long(key: str) -> bool:
    return key.startswith(LONG_MARK)


NAME_SLOT = "<n>"
"""The word a name, handle or address stands for in a name key (:func:`name_key`)."""
MAX_NAME_LINE = 160
_NAME_WORDS = re.compile(
    r"\b(?:follow|twitter|facebook|instagram|email|e mail|contact|write to|reach|columnist|"
    r"correspondent|reporter|writer|editor|author)\b|<link>"
)
"""Words of an author's contact, follow or bio line (``Follow <n> on <n>``, ``Write to <n> at
<n>``, ``<n> is <n> senior media writer``)."""
_NAME_STRIP = "\"'“”‘’()[],.:;!?"
_NAME_PLACE = "qqnameqq"
_NAME_VERBS = frozenset(
    ["follow", "write", "contact", "email", "e-mail", "reach", "by", "with", "and", "like"]
)


def name_key(line: str, key: str | None) -> str | None:
    """The key of a short author line with its names as slots: every word after the first
    that opens with a capital, every handle and address is :data:`NAME_SLOT` (runs of them
    one), so ``Follow Daniel González on Twitter: @azdangonzalez`` and ``Follow @JohnKingCNN``
    share the shapes of their outlet's other authors. Only for lines (key ``key``) of at most
    :data:`MAX_NAME_LINE` characters and 20 words holding contact, follow or bio words
    (:data:`_NAME_WORDS`) and a name, never for reported speech or the article's own notes
    (contributor lines)."""
    if key is None or len(line) > MAX_NAME_LINE or not _NAME_WORDS.search(key):
        return None
    if _CONTENT.search(key) or REPORTED_OR_QUOTED.search(line):
        return None
    tokens = line.split()
    if len(tokens) > 20:
        return None
    out: list[str] = []
    slots = 0
    # the first word is a name when a capital follows it and it is no verb of contact
    first = len(tokens) > 1 and tokens[1].strip(_NAME_STRIP)[:1].isupper()
    first = first and tokens[0].strip(_NAME_STRIP).lower() not in _NAME_VERBS
    for index, token in enumerate(tokens):
        core = token.strip(_NAME_STRIP)
        if (
            ((index or first) and core[:1].isupper())
            or "@" in core
            or "://" in core
            or "www." in core
        ):
            slots += 1
            if not out or out[-1] != _NAME_PLACE:
                out.append(_NAME_PLACE)
        else:
            out.append(token)
    if not slots:
        return None
    shaped = normalise(" ".join(out)).replace(_NAME_PLACE, NAME_SLOT)
    if not _NAME_WORDS.search(shaped) or shaped == NAME_SLOT:
        return None
    return shaped


def is_name_key(key: str) -> bool:
    return NAME_SLOT in key


HEAD_LINES = 3
TAIL_LINES = 3
"""A line among a document's first (last) this many non-blank lines sits at its head (tail)."""


def document_keys(text: str) -> dict[str, tuple[str, str, int]]:
    """``{key: (position, original line, context)}`` for the distinct keys of a text, first
    occurrence each; position is ``head``, ``tail`` or ``middle``; context a hash of the
    nearest paragraphs (lines of :data:`CONTEXT_CHARS` or more) before and after the line.

    A template sits between different paragraphs in different documents; a paragraph of an
    article published twice (or updated) sits between the same ones: counting the distinct
    contexts of a key tells the two apart (:attr:`Thresholds.spread`)."""
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in lines if line]
    out: dict[str, tuple[str, str, int]] = {}
    last = len(lines) - TAIL_LINES
    before = 0
    afters = _following_paragraphs(lines)
    for index, line in enumerate(lines):
        key = line_key(line)
        if key is None and len(line) > MAX_LINE_CHARS:
            key = long_key(line)
        if key is not None and key not in out:
            where = "head" if index < HEAD_LINES else "tail" if index >= last else "middle"
            context = (before * 1_000_003 + afters[index]) & 0xFFFFFFFF
            out[key] = (where, line, context)
            for prefix in line_prefixes(line, key):
                if prefix not in out:
                    out[prefix] = (where, line, context)
            named = name_key(line, key)
            if named is not None and named not in out:
                out[named] = (where, line, context)
        if len(line) >= CONTEXT_CHARS:
            before = zlib.crc32(line.encode("utf-8", "surrogatepass")) or 1
    return out


_SENTENCE_END = frozenset(".!?\"'\u201d\u2019")

CONTEXT_CHARS = 80
"""Lines at least this long are paragraphs: the context of the lines between them."""


def _following_paragraphs(lines: Sequence[str]) -> list[int]:
    """Per line, the hash of the nearest paragraph after it (0 when there is none)."""
    out = [0] * len(lines)
    after = 0
    for index in range(len(lines) - 1, -1, -1):
        out[index] = after
        line = lines[index]
        if len(line) >= CONTEXT_CHARS:
            after = zlib.crc32(line.encode("utf-8", "surrogatepass")) or 1
    return out


# --- counting -------------------------------------------------------------------------------

MAX_KEYS = 10_000
"""Keys kept per source. A table that grows past twice this is cut back to the keys carried
by the most documents (ties by key): memory stays bounded (a few MB a source), and a template
line (carried by a share of the source's documents) is never among the cut. Until a source
passes twice the cap the counts are exact, so merging in any order and batching gives the
same table (the largest abp-dev source, 256 documents, has 6,883 distinct keys). Past it, a
key cut early and seen again later counts only from then on: counts of rare keys are then
approximate and may depend on the order, never those of a source's templates."""

EXAMPLES = 3
"""Example originals kept per key: the smallest distinct ones (deterministic under merge)."""

CONTEXTS = 8
"""Context hashes kept per key: the smallest distinct ones, so that the number kept is the
number of distinct contexts up to this many, whatever the order and batching."""

MAX_EXAMPLE_CHARS = 400


@dataclass(slots=True)
class LineCount:
    """What a source's documents say about one key."""

    docs: int = 0
    head: int = 0
    tail: int = 0
    examples: tuple[str, ...] = ()
    contexts: tuple[int, ...] = ()
    prose: int = 0
    """Documents whose line ends like a sentence (``.``, ``!`` or ``?``, maybe quoted)."""

    @property
    def middle(self) -> int:
        return self.docs - self.head - self.tail

    @property
    def spread(self) -> int:
        """Distinct contexts the key was seen in (up to :data:`CONTEXTS`)."""
        return len(self.contexts)

    def add(self, other: LineCount) -> None:
        self.docs += other.docs
        self.head += other.head
        self.tail += other.tail
        self.prose += other.prose
        if other.examples != self.examples:
            self.examples = tuple(sorted(set(self.examples) | set(other.examples))[:EXAMPLES])
        if other.contexts != self.contexts:
            self.contexts = tuple(sorted(set(self.contexts) | set(other.contexts))[:CONTEXTS])

    def to_json(self) -> dict[str, Any]:
        return {
            "docs": self.docs,
            "head": self.head,
            "tail": self.tail,
            "middle": self.middle,
            "examples": list(self.examples),
            "contexts": list(self.contexts),
            "prose": self.prose,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LineCount:
        return cls(
            int(data.get("docs", 0)),
            int(data.get("head", 0)),
            int(data.get("tail", 0)),
            tuple(str(e) for e in data.get("examples", ()))[:EXAMPLES],
            tuple(int(c) for c in data.get("contexts", ()))[:CONTEXTS],
            int(data.get("prose", 0)),
        )


@dataclass(slots=True)
class SourceCounts:
    """One source's documents counted, and its keys."""

    documents: int = 0
    lines: dict[str, LineCount] = field(default_factory=dict)

    def add_text(self, text: str) -> None:
        self.documents += 1
        lines = self.lines
        for key, (where, original, context) in document_keys(text).items():
            count = lines.get(key)
            if count is None:  # most keys: what the steps below make of a new count
                lines[key] = LineCount(
                    1,
                    1 if where == "head" else 0,
                    1 if where == "tail" else 0,
                    (original[:MAX_EXAMPLE_CHARS],),
                    (context,),
                    1 if original[-1:] in _SENTENCE_END else 0,
                )
                continue
            count.docs += 1
            if original[-1:] in _SENTENCE_END:
                count.prose += 1
            contexts = count.contexts
            if context not in contexts and (len(contexts) < CONTEXTS or context < contexts[-1]):
                count.contexts = tuple(sorted((*contexts, context))[:CONTEXTS])
            if where == "head":
                count.head += 1
            elif where == "tail":
                count.tail += 1
            if len(count.examples) < EXAMPLES or original < count.examples[-1]:
                example = original[:MAX_EXAMPLE_CHARS]
                if example not in count.examples:
                    count.examples = tuple(sorted((*count.examples, example))[:EXAMPLES])
        self.bound()

    def merge(self, other: SourceCounts) -> None:
        self.documents += other.documents
        for key, count in other.lines.items():
            mine = self.lines.get(key)
            if mine is None:
                self.lines[key] = LineCount(
                    count.docs, count.head, count.tail, count.examples, count.contexts, count.prose
                )
            else:
                mine.add(count)
        self.bound()

    def bound(self, cap: int = MAX_KEYS) -> None:
        """Cut back to ``cap`` keys once past twice that (most documents first, then key)."""
        if len(self.lines) > 2 * cap:
            kept = sorted(self.lines.items(), key=lambda kv: (-kv[1].docs, kv[0]))[:cap]
            self.lines = dict(kept)

    def to_json(self) -> dict[str, Any]:
        ordered = sorted(self.lines.items(), key=lambda kv: (-kv[1].docs, kv[0]))
        return {"documents": self.documents, "lines": {k: c.to_json() for k, c in ordered}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SourceCounts:
        lines = {str(k): LineCount.from_json(v) for k, v in (data.get("lines") or {}).items()}
        return cls(int(data.get("documents", 0)), lines)

    def to_compact(self) -> list[Any]:
        """``[documents, {key: (docs, head, tail, (examples), (contexts), prose)}]``: for
        storage (as JSON, where tuples are lists)."""
        lines = {
            k: (c.docs, c.head, c.tail, c.examples, c.contexts, c.prose)
            for k, c in self.lines.items()
        }
        return [self.documents, lines]

    @classmethod
    def from_compact(cls, data: Sequence[Any]) -> SourceCounts:
        lines = {
            str(k): LineCount(
                int(v[0]),
                int(v[1]),
                int(v[2]),
                tuple(v[3])[:EXAMPLES],
                tuple(int(c) for c in v[4])[:CONTEXTS] if len(v) > 4 else (),
                int(v[5]) if len(v) > 5 else 0,
            )
            for k, v in data[1].items()
        }
        return cls(int(data[0]), lines)


class TemplateTable:
    """Per source: documents counted, and per key the documents that carry it.

    ``add(source, text)`` counts one document; ``merge`` adds another table (in place, and
    returns self). Sources without a name (None or empty) are not counted.
    """

    def __init__(self, sources: dict[str, SourceCounts] | None = None):
        self.sources: dict[str, SourceCounts] = sources or {}

    def add(self, source: str | None, text: str) -> None:
        if not source:
            return
        counts = self.sources.get(source)
        if counts is None:
            counts = self.sources[source] = SourceCounts()
        counts.add_text(text)

    def merge(self, other: TemplateTable) -> TemplateTable:
        for source, counts in other.sources.items():
            mine = self.sources.get(source)
            if mine is None:
                mine = self.sources[source] = SourceCounts()
            mine.merge(counts)
        return self

    def to_json(self) -> dict[str, Any]:
        return {s: self.sources[s].to_json() for s in sorted(self.sources)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TemplateTable:
        return cls({str(s): SourceCounts.from_json(v) for s, v in data.items()})


def merge(tables: Iterable[TemplateTable]) -> TemplateTable:
    """One table adding up ``tables`` (any order gives the same table below the cap)."""
    out = TemplateTable()
    for table in tables:
        out.merge(table)
    return out


# --- deciding --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The evidence a key needs to be a source's template.

    Measured on abp-dev (3,000 articles, 174 outlets): the templates of the big outlets are
    carried by 30-95% of their documents (``Story Continued Below`` 183 of 196 Politico
    articles), their rarer chrome by 3-15% (``Follow @politicalticker``, ``CLICK HERE TO GET
    THE FOX NEWS APP``); lines an outlet's articles share as content (a quote, a contributor
    note, a recurring section head of one column) by a few documents, mostly the same article
    published again. Every template must also say it is chrome (:func:`chrome_evidence`).
    """

    min_source_docs: int = 10
    """A source with fewer documents learns nothing."""
    small_source_docs: int = 30
    small_share: float = 0.25
    """A source with fewer than ``small_source_docs`` documents needs this share for any key."""
    min_docs: int = 3
    """Documents that must carry a short label (``Advertisement``, ``ANALYSIS/OPINION:``)."""
    label_share: float = 0.03
    """Share of the source's documents that must carry a short label."""
    label_words: int = 6
    """A key of at most this many words is a label; longer ones are sentences."""
    sentence_docs: int = 5
    edge_sentence_share: float = 0.03
    """Share for a sentence that sits at the head or tail of the documents carrying it (a
    copyright line, a pitch closing the article)."""
    sentence_share: float = 0.12
    """Share for a sentence met anywhere."""
    long_words: int = 30
    long_share: float = 0.15
    """A long sentence (over ``long_words`` words) needs this share wherever it sits."""
    edge_ratio: float = 0.8
    """A key sits at the edges when this share of the documents carrying it have it there."""
    prefix_share: float = 0.03
    """Share for a line opening (``Enlarge this image …``, :func:`line_prefixes`): lines that
    open with a strong word of chrome, in at least ``sentence_docs`` documents."""
    quoted_share: float = 0.25
    """Share for a sentence that reports or quotes someone's words (a quotation mark or a
    reporting verb, :data:`cleaners.patterns.REPORTED_OR_QUOTED`) wherever it sits: a quote
    that several articles repeat is content until a quarter of the outlet's articles carry it."""
    spread: float = 0.5
    """Share of the documents carrying a key (counted up to :data:`CONTEXTS`) that must show
    it between different paragraphs: a paragraph of one article published several times
    always sits between the same ones."""

    def to_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}  # type: ignore[attr-defined]


THRESHOLDS = Thresholds()

_CONTENT = re.compile(
    r"\b(?:contributed|contributing|contributors?|reporting|reported|editing|edited by|"
    r"wire services?|wire reports|based in part|this report|this story was|"
    r"updated?|updates|correction|corrected|clarification|developing story|breaking)\b"
)
"""Keys that are the article's own notes, whatever their count: contributor and sourcing
notes (``The Associated Press contributed to this report.``), update and correction lines
(``Updated at 5:31 p.m. ET``). The annotation of abp-dev-gold keeps them as content; an
outlet repeats them by design, so counts cannot tell them from chrome."""


_NATURE: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "ad",
        re.compile(
            r"\b(?:advertisements?|advertising|ads?|sponsored|sponsors?|promoted|paid content|"
            r"story continued below)\b"
        ),
    ),
    (
        "nav",
        re.compile(
            r"\b(?:copyright|all rights reserved|reprints?|permission|terms of (?:use|service)|"
            r"privacy|cookies?|skip to|menu|sign in|log in|login|print|loading|toggle|enlarge|"
            r"tagged|filed under|slideshow|share|tweet|whatsapp|facebook|reddit|linkedin|"
            r"pinterest|comments?|close|0 (?:seconds?|minutes?|hours?|days?|weeks?|months?|"
            r"years?) (?:ago|old))\b|^(?:news )?(?:analysis|opinion|commentary|editorial|op ed)"
            r"(?: (?:analysis|opinion|commentary|editorial))?$"
        ),
    ),
    (
        "promo",
        re.compile(
            r"\b(?:sign up|signing up|newsletters?|subscribe|subscribers?|subscription|inbox|"
            r"donate|donations?|support|app|podcasts?|download|membership|members only|exclusive|"
            r"free trial|alerts?)\b"
        ),
    ),
    (
        "credit",
        re.compile(
            r"\b(?:photos?|photograph|images?|getty|caption|credits?|videos?|pictures?|gallery|"
            r"shutterstock|afp|playback)\b"
        ),
    ),
    (
        "related",
        re.compile(
            r"\b(?:read more|more on this|more from|related|see also|watch|watched|listen|"
            r"recommended|you may also like|most popular|trending|top stories|more stories|"
            r"click here|"
            r"(?:next|previous|prev) (?:story|article|image|page))\b|^(?:more|next|previous)$"
        ),
    ),
    (
        "byline",
        re.compile(
            r"\b(?:follow|twitter|email|e mail|contact|columnist|author|staff writer|"
            r"correspondent)\b"
        ),
    ),
)
"""What a line says of itself: the words of page chrome, by category. A recurring line that
says none of this (and neither names its source nor is a bracketed placeholder) is not taken:
a series' section heads (``What's next``, ``From the Right``) recur as much as any chrome."""

_STOP_WORDS = "the news online web com www net org and of an on in co uk edu gov info html htm txt"
_SOURCE_STOP = frozenset(_STOP_WORDS.split())
"""Words of a source's name that say nothing of it (and folder names of a format)."""
_BRACKETED = re.compile(r"^\s*[\[{<(].{1,40}[\]}>)]\s*$")
_COPYRIGHT_SIGN = re.compile(r"©|\([cC]\) ?(?:19|20)\d\d")
"""A copyright sign (``© 2018 Tribune Content Agency, LLC``): normalising drops it."""


def _names_source(key: str, source: str | None) -> bool:
    if not source:
        return False
    words = set(key.split())
    tokens = re.split(r"[\W_]+", unicodedata.normalize("NFKC", source).casefold())
    return any(t in words for t in tokens if len(t) > 2 and t not in _SOURCE_STOP and t.isalpha())


def chrome_evidence(key: str, count: LineCount, source: str | None = None) -> bool:
    """Does a recurring line show it is chrome: chrome words (:data:`_NATURE`), the name of
    its source (``USA TODAY`` under every byline), a bracketed placeholder (``[pullquote]``)
    or a copyright sign?"""
    if template_category(key) != "template" or _names_source(key, source):
        return True
    return any(_BRACKETED.match(e) or _COPYRIGHT_SIGN.search(e) for e in count.examples)


def _reports_speech(key: str, count: LineCount) -> bool:
    return bool(REPORTED_OR_QUOTED.search(key)) or any(
        REPORTED_OR_QUOTED.search(example) for example in count.examples
    )


def why_not(
    key: str,
    count: LineCount,
    documents: int,
    t: Thresholds = THRESHOLDS,
    source: str | None = None,
) -> str | None:
    """None when ``key`` is a template of ``source`` (``documents`` documents), else why not."""
    if documents < t.min_source_docs:
        return f"source has {documents} documents (< {t.min_source_docs})"
    if _CONTENT.search(key):
        return "reads as the article's own note (contributor, update or correction line)"
    share = count.docs / documents
    words = key.count(" ") + 1
    if is_prefix(key):
        need_docs, need_share, shape = t.sentence_docs, t.prefix_share, "line opening"
    elif is_name_key(key):
        need_docs, need_share, shape = t.min_docs, t.label_share, "author line"
    elif is_long(key) and (count.head + count.tail) >= t.edge_ratio * count.docs:
        need_docs, need_share, shape = t.sentence_docs, t.edge_sentence_share, "edge paragraph"
    elif is_long(key):
        need_docs, need_share, shape = t.sentence_docs, t.long_share, "long paragraph"
    elif words <= t.label_words:
        need_docs, need_share, shape = t.min_docs, t.label_share, "short label"
    elif words > t.long_words:
        need_docs, need_share, shape = t.sentence_docs, t.long_share, "long sentence"
    elif (count.head + count.tail) >= t.edge_ratio * count.docs:
        need_docs, need_share, shape = t.sentence_docs, t.edge_sentence_share, "edge sentence"
    else:
        need_docs, need_share, shape = t.sentence_docs, t.sentence_share, "sentence"
    if (
        words > t.label_words
        and not is_prefix(key)
        and not is_name_key(key)
        and _reports_speech(key, count)
    ):
        need_share, shape = max(need_share, t.quoted_share), f"quoted {shape}"
    if documents < t.small_source_docs:
        need_share, shape = max(need_share, t.small_share), f"{shape} of a small source"
    if count.docs < need_docs:
        return f"{shape} in {count.docs} documents (< {need_docs})"
    if share < need_share:
        return f"{shape} in {share:.1%} of the source's documents (< {need_share:.0%})"
    need_spread = math.ceil(t.spread * min(count.docs, CONTEXTS))
    if count.spread < need_spread:
        return (
            f"between the same paragraphs in most of its documents ({count.spread} distinct "
            f"contexts < {need_spread}): one article published again"
        )
    if is_long(key):
        return None  # pitch or form words, no reported speech (long_key keeps no other)
    if is_name_key(key):
        if len(count.examples) < 2:
            return "one author's line: its whole line decides"
        return None  # contact, follow or bio words (name_key keeps no other)
    if is_prefix(key):
        if count.prose * 2 > count.docs:
            return (
                f"the lines opening so end like sentences in {count.prose} of {count.docs} "
                "documents: prose"
            )
        return None  # its words are chrome (line_prefixes keeps no other)
    if not chrome_evidence(key, count, source):
        return "says nothing of chrome (no chrome words, source name or brackets): a heading"
    return None


def decide(
    counts: SourceCounts, t: Thresholds = THRESHOLDS, source: str | None = None
) -> dict[str, LineCount]:
    """The keys of ``source`` that are its templates (empty for a small source)."""
    if counts.documents < t.min_source_docs:
        return {}
    decided = {
        key: count
        for key, count in counts.lines.items()
        if count.docs >= t.min_docs and why_not(key, count, counts.documents, t, source) is None
    }
    prefixes = [key[: -len(PREFIX_MARK)] for key in decided if is_prefix(key)]
    for prefix in prefixes:  # a longer opening of a decided one says nothing more
        words = prefix.split()
        for n in range(1, len(words)):
            if " ".join(words[:n]) + PREFIX_MARK in decided:
                del decided[prefix + PREFIX_MARK]
                break
    return decided


# --- the user's rules file ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SourceRules:
    """What ``rules.toml`` says about one source (lines as keys, see :func:`line_key`)."""

    veto: frozenset[str] = frozenset()
    pin: frozenset[str] = frozenset()
    veto_rules: tuple[str, ...] = ()


def rule_key(value: str) -> str | None:
    """The key of a line in ``rules.toml``; a line ending with ``...`` or ``…`` stands for
    every line opening with it (``"Enlarge this image ..."``)."""
    text = value.strip()
    for mark in ("...", "…"):
        if text.endswith(mark):
            key = line_key(text[: -len(mark)])
            return key + PREFIX_MARK if key else None
    return line_key(text)


def _keys(values: Iterable[object]) -> frozenset[str]:
    keys = (rule_key(str(v)) for v in values)
    return frozenset(k for k in keys if k)


def parse_rules(text: str) -> dict[str, SourceRules]:
    """``{source: SourceRules}`` from the text of a ``rules.toml`` (raises ``ValueError``
    with the reason on a malformed file). Format (docs/templates.md)::

        [source."Politico"]
        veto = ["Story Continued Below"]   # never remove these learned lines
        pin = ["Follow Politico"]          # always remove these lines for this source
        veto_rules = ["tip_line_v2"]       # rules not to run for this source
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"not valid TOML: {exc}") from None
    sources = data.get("source", {})
    if not isinstance(sources, dict):
        raise ValueError('[source] must be a table of sources: [source."Name"]')
    out: dict[str, SourceRules] = {}
    for name, entry in sources.items():
        if not isinstance(entry, dict):
            raise ValueError(f"[source.{name!r}] must be a table")
        lists: dict[str, list[str]] = {}
        for field_name in ("veto", "pin", "veto_rules"):
            value = entry.get(field_name, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValueError(f"[source.{name!r}] {field_name} must be a list of strings")
            lists[field_name] = value
        unknown = set(entry) - {"veto", "pin", "veto_rules"}
        if unknown:
            raise ValueError(f"[source.{name!r}] unknown keys: {', '.join(sorted(unknown))}")
        out[str(name)] = SourceRules(
            _keys(lists["veto"]), _keys(lists["pin"]), tuple(dict.fromkeys(lists["veto_rules"]))
        )
    return out


def _toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _render_rules(data: Mapping[str, Mapping[str, list[str]]]) -> str:
    parts = [
        "# decruft per-source rules: edit freely (docs/templates.md).\n"
        "# veto: learned template lines never to remove; pin: lines always to remove for the\n"
        "# source; veto_rules: rules not to run for the source. Lines match after\n"
        "# normalisation (case, punctuation, digits and dates do not matter).\n"
    ]
    for source in data:
        entry = data[source]
        parts.append(f"\n[source.{_toml_string(source)}]\n")
        for field_name in ("veto", "pin", "veto_rules"):
            values = entry.get(field_name) or []
            if values:
                body = ", ".join(_toml_string(v) for v in values)
                parts.append(f"{field_name} = [{body}]\n")
    return "".join(parts)


def add_veto(
    path: str | Path, source: str, rule: str | None = None, line: str | None = None
) -> bool:
    """Add a vetoed rule and/or line for ``source`` to the rules file at ``path`` (created if
    missing); returns True when the file changed.

    For tools such as ``rules suggest``: the file is read with tomllib, the entry added
    (once: an entry already there, or a line already vetoed under another spelling, is left
    as it is) and the file written back atomically in the format of :func:`parse_rules`.
    Comments in a file rewritten this way are not kept, except the header.
    """
    if rule is None and line is None:
        raise ValueError("give a rule, a line or both")
    target = Path(path)
    text = target.read_text("utf-8") if target.exists() else ""
    parse_rules(text)  # refuse to rewrite a file that does not parse
    raw = tomllib.loads(text).get("source", {}) if text else {}
    data: dict[str, dict[str, list[str]]] = {
        name: {k: list(v) for k, v in entry.items()} for name, entry in raw.items()
    }
    entry = data.setdefault(source, {})
    changed = False
    if rule is not None and rule not in entry.get("veto_rules", []):
        entry.setdefault("veto_rules", []).append(rule)
        changed = True
    if line is not None:
        key = rule_key(line)
        if key is None:
            raise ValueError(f"not a line a template can match: {line!r}")
        if key not in _keys(entry.get("veto", [])):
            entry.setdefault("veto", []).append(line)
            changed = True
    if not changed:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(_render_rules(data))
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return True


# --- what one document's clean gets ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TemplateLine:
    """A line the cleaner removes for a source: counted evidence or a pin."""

    docs: int
    documents: int
    pinned: bool = False


MEMO_LINES = 20_000
"""Most lines :meth:`SiteTemplates.match` remembers (a document's lines, see
:meth:`SiteTemplates.begin`)."""
_UNSEEN = object()


class _Memo:
    """What :meth:`SiteTemplates.match` found for the lines of one document (``owner``)."""

    __slots__ = ("lines", "owner")

    def __init__(self) -> None:
        self.owner = 0
        self.lines: dict[str, object] = {}


@dataclass(frozen=True)
class SiteTemplates:
    """The templates of one source, as ``clean(..., templates=...)`` takes them.

    ``lines`` maps keys to their evidence (vetoed keys left out, pins in);
    ``veto_rules`` names rules not to run on this source's documents.
    """

    source: str
    lines: Mapping[str, TemplateLine] = field(default_factory=dict)
    veto_rules: tuple[str, ...] = ()

    @classmethod
    def build(
        cls,
        source: str,
        counts: SourceCounts | None,
        rules: SourceRules | None = None,
        thresholds: Thresholds = THRESHOLDS,
    ) -> SiteTemplates:
        """Decide ``counts`` and apply the user's ``rules`` for ``source``."""
        rules = rules or SourceRules()
        documents = counts.documents if counts else 0
        lines: dict[str, TemplateLine] = {}
        if counts is not None:
            for key, count in decide(counts, thresholds, source).items():
                if key not in rules.veto:
                    lines[key] = TemplateLine(count.docs, documents)
        for key in sorted(rules.pin):
            if key not in rules.veto:
                found = counts.lines.get(key) if counts else None
                lines[key] = TemplateLine(found.docs if found else 0, documents, pinned=True)
        return cls(source, dict(sorted(lines.items())), rules.veto_rules)

    def __bool__(self) -> bool:
        return bool(self.lines or self.veto_rules)

    @cached_property
    def longest_line(self) -> int:
        """Lines longer than this cannot match (a key is at least a quarter of its line,
        bar lines that are mostly digits or dot runs): the cleaner skips them unread."""
        if self.has_long:
            return LONG_LINE_CHARS
        if self.has_prefixes:
            return MAX_LINE_CHARS
        if self.has_names:
            return max(MAX_NAME_LINE, self.whole_longest)
        return self.whole_longest

    @cached_property
    def whole_longest(self) -> int:
        """The longest line a whole-line key may match."""
        longest = max(
            (len(k) for k in self.lines if not (is_prefix(k) or is_name_key(k) or is_long(k))),
            default=0,
        )
        return min(MAX_LINE_CHARS, 4 * longest + 40)

    @cached_property
    def has_prefixes(self) -> bool:
        return any(is_prefix(key) for key in self.lines)

    @cached_property
    def has_long(self) -> bool:
        return any(is_long(key) for key in self.lines)

    @cached_property
    def has_names(self) -> bool:
        return any(is_name_key(key) for key in self.lines)

    @cached_property
    def opening_words(self) -> frozenset[str]:
        """The first words of the openings: a line whose first word is none of them opens
        with none (a set look-up spares prose the search for its openings)."""
        return frozenset(key.split(" ", 1)[0] for key in self.lines if is_prefix(key))

    @cached_property
    def pinned_openings(self) -> tuple[str, ...]:
        """Openings the rules file pins (any words: not only those :func:`line_prefixes`
        counts), as key prefixes."""
        return tuple(
            key[: -len(PREFIX_MARK)] + " "
            for key, line in self.lines.items()
            if line.pinned and is_prefix(key)
        )

    @cached_property
    def _memo(self) -> _Memo:
        return _Memo()

    def __getstate__(self) -> dict[str, Any]:
        # what pickles (to a Dask worker) is the fields; the memo and cached properties are
        # computed again where they are needed
        return {name: self.__dict__[name] for name in ("source", "lines", "veto_rules")}

    def begin(self, owner: object) -> None:
        """Forget the memo of :meth:`match` unless it holds the lines of ``owner`` (the
        document being cleaned): a memo holds one document's lines."""
        memo = self._memo
        if memo.owner != id(owner):  # an id: the memo keeps no document alive
            memo.owner = id(owner)
            memo.lines.clear()

    def match(self, line: str) -> tuple[str, TemplateLine] | None:
        """The template a (stripped) line is, as ``(key, evidence)``: its whole line, else
        one of its openings (:func:`line_prefixes`); None when it is none.

        Memoised (a pure function of the line): the chain's fixpoint looks at a document's
        lines again on every view, and the state's digest once more."""
        lines = self._memo.lines
        found = lines.get(line, _UNSEEN)
        if found is _UNSEEN:
            if len(lines) >= MEMO_LINES:
                lines.clear()
            found = lines[line] = self._match(line)
        return found  # type: ignore[return-value]

    def _match(self, line: str) -> tuple[str, TemplateLine] | None:
        if len(line) > MAX_LINE_CHARS:
            long = long_key(line) if self.has_long else None
            found = self.lines.get(long) if long is not None else None
            return (long, found) if long is not None and found is not None else None
        key = None
        if len(line) <= self.whole_longest:
            key = line_key(line)
            if key is None:
                return None
            found = self.lines.get(key)
            if found is not None:
                return key, found
        if self.has_names and len(line) <= MAX_NAME_LINE:
            key = key or line_key(line)
            named = name_key(line, key)
            if named is not None and named in self.lines:
                return named, self.lines[named]
        if not self.has_prefixes:
            return None
        if self.pinned_openings or _first_word(line) in self.opening_words:
            key = key or line_key(line)
            if key is None:
                return None
            for prefix in line_prefixes(line, key):
                found = self.lines.get(prefix)
                if found is not None:
                    return prefix, found
            for opening in self.pinned_openings:
                if key.startswith(opening):
                    prefix = opening[:-1] + PREFIX_MARK
                    return prefix, self.lines[prefix]
        return None

    def digest(self) -> str:
        """Changes exactly when what this source's documents lose may change (the lines,
        not their counts, and the vetoed rules)."""
        body = json.dumps([sorted(self.lines), list(self.veto_rules)], ensure_ascii=False)
        return hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]

    def document_digest(self, text: str) -> str:
        """Changes exactly when the templates a text's lines may match change: the matched
        keys of its lines and the vetoed rules. Documents whose digest is unchanged need not
        be cleaned again after the source's templates changed."""
        longest = self.longest_line
        keys = set()
        for raw in text.split("\n"):
            if len(raw) <= longest + 2 * 40:  # some slack for indentation
                matched = self.match(raw.strip())
                if matched is not None:
                    keys.add(matched[0])
        body = json.dumps([sorted(keys), list(self.veto_rules)], ensure_ascii=False)
        return hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]


# --- the cleaner ------------------------------------------------------------------------------


def template_category(key: str) -> str:
    """The category of a template line, from what it says; ``template`` when it says none."""
    for category, pattern in _NATURE:
        if pattern.search(key):
            return category
    return "template"


@register("site_template_v1", category="template")
def find_site_templates(doc: Doc) -> Iterable[Finding]:
    """A whole line that its source's documents repeat: the learned templates of the source
    (``doc.templates``, given to ``clean``), with the user's pins and vetoes applied. The
    reason names the evidence (``line seen in 212 of 240 'Politico' documents``).

    Leaves alone: every document when no templates are given; lines that only contain a
    template line; the article's own notes (contributor, update and correction lines are
    never learned); lines the rules file vetoes.
    """
    templates = doc.templates
    if not templates or not templates.lines:
        return
    yield from _findings(doc, templates)


def _findings(doc: Doc, templates: SiteTemplates) -> Iterator[Finding]:
    templates.begin(getattr(doc, "run", doc))  # the chain's views of one text share a run
    text = doc.text
    longest = templates.longest_line
    for start, end in doc.lines:
        if end - start > longest:
            continue
        line = text[start:end].strip()
        matched = templates.match(line)
        if matched is None:
            continue
        key, found = matched
        lead = len(text[start:end]) - len(text[start:end].lstrip())
        opening = is_prefix(key)
        what = f"line opening {key[: -len(PREFIX_MARK)]!r}" if opening else "line"
        if found.pinned:
            reason = f"{what} pinned for {templates.source!r} in rules.toml"
        else:
            reason = (
                f"{what} seen in {found.docs} of {found.documents} {templates.source!r} documents"
            )
        category = template_category(normalise(line) if is_long(key) else key)
        yield Finding(start + lead, end, reason, category)
