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
import os
import re
import tempfile
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaners.core import Doc, Finding
from cleaners.registry import register

RULES: tuple[str, ...] = ("site_template_v1",)
"""Names this module registers, in the order they run in the default chain."""

# --- normalisation ------------------------------------------------------------------------

MAX_KEY_CHARS = 320
"""Lines whose key is longer are never counted: a template line is a label, a pitch or a
legal line, not a paragraph (the longest abp-dev template, a sign-up form flattened into one
line, normalises to about 250 characters)."""

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_WEEKDAYS = (
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    "|mon|tue|tues|wed|thu|thurs|fri|sat|sun"
)
_DATE_WORD = re.compile(rf"\b(?:{_MONTHS})\b")
_WEEKDAY_WORD = re.compile(rf"\b(?:{_WEEKDAYS})\b")
_DROPPED = re.compile(r"[\u2019'`\u02bc.]")
_PUNCT = re.compile(r"[^\w\s]+|_+")
_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")
_LETTER = re.compile(r"[^\W\d_]")


def normalise(line: str) -> str:
    """The form under which lines count as the same: NFKC, casefolded, apostrophes and full
    stops dropped, other punctuation a space, digit runs ``0``, month names ``<m>``, weekday
    names ``<d>``, whitespace collapsed. ``Updated Jan. 5, 2019, 9:31 a.m.`` -> ``updated <m> 0
    0 0 0 am``."""
    text = unicodedata.normalize("NFKC", line).casefold()
    text = _DROPPED.sub("", text)
    text = _PUNCT.sub(" ", text)
    text = _DIGITS.sub("0", text)
    text = _DATE_WORD.sub("<m>", text)
    text = _WEEKDAY_WORD.sub("<d>", text)
    return _SPACE.sub(" ", text).strip()


def line_key(line: str) -> str | None:
    """The counting key of a line, or None when the line cannot be a template (no letter,
    or longer than :data:`MAX_KEY_CHARS` once normalised)."""
    if len(line) > 4 * MAX_KEY_CHARS:
        return None
    key = normalise(line)
    if not key or len(key) > MAX_KEY_CHARS or not _LETTER.search(key):
        return None
    return key


HEAD_LINES = 3
TAIL_LINES = 3
"""A line among a document's first (last) this many non-blank lines sits at its head (tail)."""


def document_keys(text: str) -> dict[str, tuple[str, str]]:
    """``{key: (position, original line)}`` for the distinct keys of a text, first occurrence
    each; position is ``head``, ``tail`` or ``middle``."""
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in lines if line]
    out: dict[str, tuple[str, str]] = {}
    last = len(lines) - TAIL_LINES
    for index, line in enumerate(lines):
        key = line_key(line)
        if key is None or key in out:
            continue
        where = "head" if index < HEAD_LINES else "tail" if index >= last else "middle"
        out[key] = (where, line)
    return out


# --- counting -------------------------------------------------------------------------------

MAX_KEYS = 6000
"""Keys kept per source. A table that grows past twice this is cut back to the keys carried
by the most documents (ties by key): memory stays bounded, and a template line (carried by a
share of the source's documents) is never among the cut. Until a source reaches the cap the
counts are exact, so merging in any order and batching gives the same table (the largest
abp-dev source, 256 documents, has about 4,000 distinct keys)."""

EXAMPLES = 3
"""Example originals kept per key: the smallest distinct ones (deterministic under merge)."""

MAX_EXAMPLE_CHARS = 400


@dataclass(slots=True)
class LineCount:
    """What a source's documents say about one key."""

    docs: int = 0
    head: int = 0
    tail: int = 0
    examples: tuple[str, ...] = ()

    @property
    def middle(self) -> int:
        return self.docs - self.head - self.tail

    def add(self, other: LineCount) -> None:
        self.docs += other.docs
        self.head += other.head
        self.tail += other.tail
        if other.examples != self.examples:
            self.examples = tuple(sorted(set(self.examples) | set(other.examples))[:EXAMPLES])

    def to_json(self) -> dict[str, Any]:
        return {
            "docs": self.docs,
            "head": self.head,
            "tail": self.tail,
            "middle": self.middle,
            "examples": list(self.examples),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LineCount:
        return cls(
            int(data.get("docs", 0)),
            int(data.get("head", 0)),
            int(data.get("tail", 0)),
            tuple(str(e) for e in data.get("examples", ()))[:EXAMPLES],
        )


@dataclass(slots=True)
class SourceCounts:
    """One source's documents counted, and its keys."""

    documents: int = 0
    lines: dict[str, LineCount] = field(default_factory=dict)

    def add_text(self, text: str) -> None:
        self.documents += 1
        lines = self.lines
        for key, (where, original) in document_keys(text).items():
            count = lines.get(key)
            if count is None:
                count = lines[key] = LineCount()
            count.docs += 1
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
                self.lines[key] = LineCount(count.docs, count.head, count.tail, count.examples)
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
    articles); lines an outlet's articles share as content (a quote, a contributor note, a
    recurring section head of one column) by a few percent at most.
    """

    min_source_docs: int = 30
    """A source with fewer documents learns nothing."""
    min_docs: int = 5
    """Documents that must carry a short label (``Advertisement``, ``ANALYSIS/OPINION:``)."""
    label_share: float = 0.05
    """Share of the source's documents that must carry a short label."""
    label_words: int = 6
    """A key of at most this many words is a label; longer ones are sentences."""
    sentence_docs: int = 10
    edge_sentence_share: float = 0.10
    """Share for a sentence that sits at the head or tail of the documents carrying it (a
    copyright line, a pitch closing the article)."""
    sentence_share: float = 0.25
    """Share for a sentence met anywhere: a quote shared by a quarter of an outlet's articles
    is not a quote."""
    long_words: int = 30
    long_share: float = 0.30
    """A long sentence (over ``long_words`` words) needs this share wherever it sits."""
    edge_ratio: float = 0.8
    """A key sits at the edges when this share of the documents carrying it have it there."""

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


def why_not(key: str, count: LineCount, documents: int, t: Thresholds = THRESHOLDS) -> str | None:
    """None when ``key`` is a template of a source of ``documents`` documents, else why not."""
    if documents < t.min_source_docs:
        return f"source has {documents} documents (< {t.min_source_docs})"
    if _CONTENT.search(key):
        return "reads as the article's own note (contributor, update or correction line)"
    share = count.docs / documents
    words = key.count(" ") + 1
    if words <= t.label_words:
        need_docs, need_share, shape = t.min_docs, t.label_share, "short label"
    elif words > t.long_words:
        need_docs, need_share, shape = t.sentence_docs, t.long_share, "long sentence"
    elif (count.head + count.tail) >= t.edge_ratio * count.docs:
        need_docs, need_share, shape = t.sentence_docs, t.edge_sentence_share, "edge sentence"
    else:
        need_docs, need_share, shape = t.sentence_docs, t.sentence_share, "sentence"
    if count.docs < need_docs:
        return f"{shape} in {count.docs} documents (< {need_docs})"
    if share < need_share:
        return f"{shape} in {share:.1%} of the source's documents (< {need_share:.0%})"
    return None


def decide(counts: SourceCounts, t: Thresholds = THRESHOLDS) -> dict[str, LineCount]:
    """The keys of one source that are its templates (empty for a small source)."""
    if counts.documents < t.min_source_docs:
        return {}
    return {
        key: count
        for key, count in counts.lines.items()
        if count.docs >= t.min_docs and why_not(key, count, counts.documents, t) is None
    }


# --- the user's rules file ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SourceRules:
    """What ``rules.toml`` says about one source (lines as keys, see :func:`line_key`)."""

    veto: frozenset[str] = frozenset()
    pin: frozenset[str] = frozenset()
    veto_rules: tuple[str, ...] = ()


def _keys(values: Iterable[object]) -> frozenset[str]:
    keys = (line_key(str(v)) for v in values)
    return frozenset(k for k in keys if k)


def parse_rules(text: str) -> dict[str, SourceRules]:
    """``{source: SourceRules}`` from the text of a ``rules.toml`` (raises ``ValueError``
    with the reason on a malformed file). Format (docs/templates.md)::

        [source."Politico"]
        veto = ["Story Continued Below"]   # never remove these learned lines
        pin = ["Follow Politico"]          # always remove these lines for this source
        veto_rules = ["tip_line_v1"]       # rules not to run for this source
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
        key = line_key(line)
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
            for key, count in decide(counts, thresholds).items():
                if key not in rules.veto:
                    lines[key] = TemplateLine(count.docs, documents)
        for key in sorted(rules.pin):
            if key not in rules.veto:
                found = counts.lines.get(key) if counts else None
                lines[key] = TemplateLine(found.docs if found else 0, documents, pinned=True)
        return cls(source, dict(sorted(lines.items())), rules.veto_rules)

    def __bool__(self) -> bool:
        return bool(self.lines or self.veto_rules)

    def digest(self) -> str:
        """Changes exactly when what this source's documents lose may change (the lines,
        not their counts, and the vetoed rules)."""
        body = json.dumps([sorted(self.lines), list(self.veto_rules)], ensure_ascii=False)
        return hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]

    def document_digest(self, text: str) -> str:
        """Changes exactly when the templates a text's lines may match change: the matched
        keys of its lines and the vetoed rules. Documents whose digest is unchanged need not
        be cleaned again after the source's templates changed."""
        keys = sorted(k for k in document_keys(text) if k in self.lines)
        body = json.dumps([keys, list(self.veto_rules)], ensure_ascii=False)
        return hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]


# --- the cleaner ------------------------------------------------------------------------------

_NATURE: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ad", re.compile(r"\b(?:advertisements?|ad|sponsored|story continued below)\b")),
    ("nav", re.compile(r"\b(?:copyright|all rights reserved|reprint|permission|terms of)\b")),
    (
        "promo",
        re.compile(
            r"\b(?:sign up|newsletters?|subscribe|subscription|inbox|donate|support|app|"
            r"podcasts?|download|membership|members?)\b"
        ),
    ),
    ("credit", re.compile(r"\b(?:photos?|images?|getty|caption|credit|video|pictures?)\b")),
    ("related", re.compile(r"\b(?:read more|more on this|related|see also|watch|listen)\b")),
    ("byline", re.compile(r"\b(?:follow|twitter|email|e mail|contact|columnist|author)\b")),
)


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
    text = doc.text
    lines = templates.lines
    for start, end in doc.lines:
        line = text[start:end].strip()
        key = line_key(line)
        if key is None:
            continue
        found = lines.get(key)
        if found is None:
            continue
        lead = len(text[start:end]) - len(text[start:end].lstrip())
        if found.pinned:
            reason = f"line pinned for {templates.source!r} in rules.toml"
        else:
            reason = (
                f"line seen in {found.docs} of {found.documents} {templates.source!r} documents"
            )
        yield Finding(start + lead, end, reason, template_category(key))
