"""Cleaners registered by versioned name, the default chain, and the chain runner.

Prefilter (triggers): a rule that can only find something where one of a few literal strings
occurs says so when it registers, and the runner skips it on a text view holding none of them
(one scan of the view for every rule's literals instead of the rule's own pass)::

    @register("wire_code_v1", category="related", triggers=("[",))
    @register("player_tail_v1", category="nav", folded_triggers=("your browser does",))

``triggers`` are searched in ``doc.text`` as written; ``folded_triggers`` (lower case) in
``doc.folded``, the text lower-cased as ``re.IGNORECASE`` compares, for rules whose patterns
ignore case. Literals of two or more characters are found by one Aho-Corasick scan of the view
for all rules (:data:`~cleaners.patterns.TEXT_INDEX`, :data:`~cleaners.patterns.FOLDED_INDEX`),
single characters by a plain search. The rule runs when ANY literal of either list occurs.
They must be necessary: on a view holding none of them the rule finds nothing
(``tests/test_registry_triggers.py`` checks every registered rule against every case text).
:func:`cleaners.patterns.required_literals` reads such literals from a compiled pattern. A
trigger pays when the rule costs more than a few searches of the text; leave cheap rules
without one. Rules without triggers always run.

``line_starts`` (folded literals) are a third kind: the rule runs when a line of the view, less
its indentation, opens with one of them (``chrome._line_starts``: the leading literals of the
whole-line patterns a family's shared classification tries). They are looked for in the same
folded scan (:func:`~cleaners.patterns.line_starts_present`). Measured on abp-dev, a gate pays
when it lets the runner skip a family's shared per-view pass (the credit lines, the chrome
lines, the call-out candidates); a gate on one rule of a family whose pass another rule still
needs (the promo line rules and ``short_lines``) costs about what it saves.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from cleaners.core import (
    DEFAULT_MAX_SHARE,
    MAX_PASSES,
    CleanResult,
    Doc,
    Finding,
    OffsetMap,
    Removal,
    _merge,
    _tidy_spans_by_line,
    guard_holds,
    splice,
    tidy_spans,
    tidy_whitespace,
)
from cleaners.patterns import (
    FOLDED_INDEX,
    TEXT_INDEX,
    fold,
    has_odd_case,
    lead_refused,
    line_starts_present,
)

if TYPE_CHECKING:
    from cleaners.templates import SiteTemplates

FindFn = Callable[[Doc], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class Cleaner:
    """A registered detection rule: ``find`` returns spans of the text it is shown."""

    name: str
    category: str
    find: FindFn
    triggers: tuple[str, ...] = ()
    """Literals of which one must occur in ``doc.text`` (or one of ``folded_triggers`` in
    ``doc.folded``) for the rule to run; both empty: it always runs."""
    folded_triggers: tuple[str, ...] = ()
    line_starts: tuple[str, ...] = ()
    """Folded literals of which one must open a line of ``doc.text`` (less its indentation),
    as another way for the rule to run (see :func:`~cleaners.patterns.line_starts_present`)."""
    folded_search: tuple[str, ...] = field(init=False, repr=False, compare=False)
    """The literals of ``folded_triggers`` that :meth:`triggered` searches, in that order."""
    line_start_search: tuple[str, ...] = field(init=False, repr=False, compare=False)
    """The literals of ``line_starts`` that :meth:`triggered` tests, less those that start
    with another of them."""
    newline_starts: frozenset[str] = field(init=False, repr=False, compare=False)
    """``"\\n"`` + each literal of ``line_start_search``: searched in ``doc.folded``."""
    always: bool = field(init=False, repr=False, compare=False)
    """No triggers of any kind: the rule always runs."""
    single_characters: tuple[str, ...] = field(init=False, repr=False, compare=False)
    """The one-character literals of ``triggers`` (a memchr-fast ``in`` each)."""
    exact_set: frozenset[str] = field(init=False, repr=False, compare=False)
    """The longer literals of ``triggers``, looked up in what :data:`TEXT_INDEX` found."""
    folded_set: frozenset[str] = field(init=False, repr=False, compare=False)
    """The literals of ``folded_triggers``, looked up in what :data:`FOLDED_INDEX` found."""

    def __post_init__(self) -> None:
        searched = _search_order(self.triggers)
        object.__setattr__(self, "folded_search", _search_order(self.folded_triggers))
        starts = tuple(
            dict.fromkeys(
                lead
                for lead in self.line_starts
                if not any(o != lead and lead.startswith(o) for o in self.line_starts)
            )
        )
        object.__setattr__(self, "line_start_search", starts)
        object.__setattr__(self, "newline_starts", frozenset("\n" + lead for lead in starts))
        always = not self.triggers and not self.folded_triggers and not self.line_starts
        object.__setattr__(self, "always", always)
        object.__setattr__(self, "single_characters", tuple(t for t in searched if len(t) == 1))
        object.__setattr__(self, "exact_set", frozenset(t for t in searched if len(t) > 1))
        object.__setattr__(self, "folded_set", frozenset(self.folded_search))
        # the literals the indexes' scans must find
        TEXT_INDEX.add(sorted(self.exact_set))
        FOLDED_INDEX.add(self.folded_search)
        FOLDED_INDEX.add(sorted(self.newline_starts))

    def triggered(self, doc: Doc) -> bool:
        """Whether the rule may find something in ``doc`` (see the module docstring)."""
        if self.always:
            return True
        text = doc.text
        for literal in self.single_characters:
            if literal in text:
                return True
        # one scan of the view finds every rule's literals (see LiteralIndex)
        if self.exact_set and TEXT_INDEX.any_of(doc, self.exact_set):
            return True
        if self.folded_set and FOLDED_INDEX.any_of(doc, self.folded_set):
            return True
        return bool(self.line_starts) and line_starts_present(
            doc, self.line_start_search, self.newline_starts
        )

    @property
    def description(self) -> str:
        return (self.find.__doc__ or "").strip().split("\n\n")[0]


def _search_order(literals: tuple[str, ...]) -> tuple[str, ...]:
    """The literals a trigger test searches, in the order given (a test stops at the first
    found: list the frequent first), less those holding another of the list (where such a
    literal occurs, the other does: ``members get`` after ``member``)."""
    kept = [lit for lit in literals if not any(o != lit and o in lit for o in literals)]
    return tuple(dict.fromkeys(kept))


REGISTRY: dict[str, Cleaner] = {}

DEFAULT_CHAIN: tuple[str, ...] = ()
"""Rule names in the order they run; filled by :mod:`cleaners` once every module registered."""


def register(
    name: str,
    category: str,
    *,
    triggers: Iterable[str] = (),
    folded_triggers: Iterable[str] = (),
    line_starts: Iterable[str] = (),
) -> Callable[[FindFn], FindFn]:
    """Register ``find`` under a versioned ``name`` such as ``linkdump_v1``, with its optional
    prefilter (``triggers``, ``folded_triggers``, ``line_starts``: see the module docstring)."""
    if not re.fullmatch(r"[a-z][a-z0-9_]*_v\d+", name):
        raise ValueError(f"rule names are versioned, like 'linkdump_v1': {name!r}")
    exact, folded, starts = tuple(triggers), tuple(folded_triggers), tuple(line_starts)
    if not all(exact) or not all(folded) or not all(starts):
        raise ValueError(f"rule {name!r}: an empty trigger would always match")
    if any(fold(t) != t for t in folded + starts):
        raise ValueError(f"rule {name!r}: folded triggers are written folded (lower case)")
    if any(lead_refused(lead) for lead in starts):
        raise ValueError(
            f"rule {name!r}: a line start must not open with whitespace nor hold a cased letter"
            " beyond ASCII or a combining mark"
        )

    def deco(fn: FindFn) -> FindFn:
        if name in REGISTRY:
            raise ValueError(f"rule {name!r} registered twice")
        REGISTRY[name] = Cleaner(name, category, fn, exact, folded, starts)
        return fn

    return deco


def get_chain(rules: Sequence[str] | None = None) -> list[Cleaner]:
    names = DEFAULT_CHAIN if rules is None else tuple(rules)
    unknown = [n for n in names if n not in REGISTRY]
    if unknown:
        raise KeyError(f"unknown rules: {', '.join(unknown)}")
    return [REGISTRY[n] for n in names]


def rule_versions(rules: Sequence[str] | None = None) -> tuple[str, ...]:
    """The versioned names a chain runs: what incremental state records."""
    return tuple(c.name for c in get_chain(rules))


# --- the chain runner -----------------------------------------------------------------------


_TIDY_BLANK = " \t\f\v\u00a0\r\n"
"""What tidying treats as blank (Unicode spaces beyond these are text to it)."""


class _View(Doc):
    """A view of a run: the original minus ``deleted`` (sorted, disjoint original spans).

    Its lower-cased and folded texts are cut from the original's, computed once per run
    (:meth:`_Run.original_lower`), instead of a full pass over every view: ``str.lower`` and
    :func:`~cleaners.patterns.fold` map each character on its own to one character (so
    the view's is the original's with the same spans cut out), except a capital sigma, whose
    lower case depends on its neighbours, and ``İ``, which ``str.lower`` makes two characters;
    with either in the original the view computes its own.
    """

    run: _Run
    deleted: list[tuple[int, int]]

    @cached_property
    def lower(self) -> str:
        base = self.run.original_lower()
        return self.text.lower() if base is None else splice(base, self.deleted)

    @cached_property
    def odd_case(self) -> bool:
        # a view is the original with pieces cut out: it holds no character the original lacks
        return self.run.original_odd_case()

    @cached_property
    def folded(self) -> str:
        base = self.run.original_folded()
        if base is None:
            return Doc.folded.func(self)
        if base is self.run.original_lower():
            return self.lower  # the original's folded text is its lower case: so is the view's
        return splice(base, self.deleted)


class _Run:
    """State of one clean(): reported removals, hidden whitespace deletions, current view."""

    def __init__(
        self,
        original: str,
        source: str | None,
        title: str | None,
        templates: SiteTemplates | None = None,
    ):
        self.original = original
        self.source = source
        self.title = title
        self.templates = templates
        self.reported: list[Removal] = []
        self.hidden: list[tuple[int, int]] = []
        self.flags: list[str] = []
        self._cased: tuple[str | None, str | None] | None = None
        self._odd_case: bool | None = None
        self._rebuild()

    def original_lower(self) -> str | None:
        """``original.lower()`` when every view's lower case is cut from it (see :class:`_View`),
        else None."""
        return (self._cased or self._case_original())[0]

    def original_odd_case(self) -> bool:
        """:func:`~cleaners.patterns.has_odd_case` of the original, computed once."""
        if self._odd_case is None:
            self._odd_case = has_odd_case(self.original)
        return self._odd_case

    def original_folded(self) -> str | None:
        """``fold(original)`` when every view's folded text is cut from it, else None."""
        return (self._cased or self._case_original())[1]

    def _case_original(self) -> tuple[str | None, str | None]:
        text = self.original
        lower: str | None = None
        folded: str | None = None
        if "\u03a3" not in text:
            if "\u0130" in text:
                folded = fold(text)
            else:
                lower = text.lower()
                # what Doc.folded returns (fold's replacements have nothing to replace)
                plain = lower.isascii() or ("\u0131" not in lower and "\u017f" not in lower)
                folded = lower if plain else fold(text)
        self._cased = (lower, folded)
        return self._cased

    def _rebuild(self) -> None:
        deleted = _merge([(r.start, r.end) for r in self.reported] + self.hidden)
        self.omap = OffsetMap(deleted)
        doc = _View(
            splice(self.original, deleted), self.source, self.title, self.flags, self.templates
        )
        doc.run = self
        doc.deleted = deleted
        self.doc = doc

    def _to_original(self, start: int, end: int) -> tuple[int, int]:
        return self.omap.to_original(start), self.omap.to_original(end - 1) + 1

    def tidy(self) -> None:
        """Hide the whitespace that tidying would delete, so cleaners see tidied text."""
        self._tidy(tidy_spans(self.doc.text))

    def tidy_after_commit(self, removed: Sequence[tuple[int, int]]) -> None:
        """:meth:`tidy` after a commit of ``removed`` (original spans) to a tidied view.

        The view before was tidied (but for its final newline, kept on purpose), so what
        tidying deletes now lies in the runs of whitespace where text was cut out: only those
        are looked at (:func:`junction_tidy_spans`), not the whole text again.
        """
        self._tidy(junction_tidy_spans(self.doc.text, self._junctions(removed)))

    def _junctions(self, removed: Sequence[tuple[int, int]]) -> list[int]:
        """Offsets of the view where the original spans ``removed`` were cut out."""
        deleted = self.doc.deleted
        kept_spliced = self.omap._kept_spliced
        out = []
        for start, _ in removed:
            # the deleted run holding ``start``; the view goes on after it
            j = bisect.bisect_right(deleted, (start, len(self.original) + 1)) - 1
            out.append(kept_spliced[j + 1])
        return out

    def _tidy(self, spans: list[tuple[int, int]]) -> None:
        # keep the view's final newline: rules then see what tidy_whitespace returns
        if spans and spans[-1][1] == len(self.doc.text) and self.doc.text.endswith("\n"):
            s, e = spans.pop()
            if e - 1 > s:
                spans.append((s, e - 1))
        if not spans:
            return
        for s, e in spans:
            self.hidden.extend(self.omap.span_to_original(s, e))
        self.hidden = _merge(self.hidden)
        self._rebuild()

    def commit(self, cleaner: Cleaner, findings: Iterable[Finding]) -> bool:
        """Add what ``cleaner`` found on the current view and rebuild it; the original spans
        newly removed are in :attr:`last_removed`."""
        text = self.doc.text
        reported_spans = [(r.start, r.end) for r in self.reported]
        added = False
        self.last_removed: list[tuple[int, int]] = []
        for f in sorted(findings, key=lambda f: (f.start, f.end)):
            start, end = max(f.start, 0), min(f.end, len(text))
            if end <= start:
                continue
            o_start, o_end = self._to_original(start, end)
            for s, e in _subtract((o_start, o_end), reported_spans):
                piece = self.original[s:e]
                if not piece.strip():
                    continue
                self.reported.append(
                    Removal(s, e, cleaner.name, f.category or cleaner.category, f.reason, piece)
                )
                bisect.insort(reported_spans, (s, e))
                self.last_removed.append((s, e))
                added = True
        if added:
            self.reported.sort(key=lambda r: r.start)
            self.hidden = _subtract_all(self.hidden, [(r.start, r.end) for r in self.reported])
            self._rebuild()
        return added


def junction_tidy_spans(text: str, junctions: Iterable[int]) -> list[tuple[int, int]]:
    """``tidy_spans(text)`` for a text that was tidied, then had pieces cut out at the
    offsets ``junctions`` (the final newline excepted, which tidying deletes and the runner
    keeps).

    Tidying deletes only whitespace, judging each run of it between two characters of text
    (or an end) by that run alone: its trailing spaces, its blank lines after the first, or
    all of it at either end. Cutting text out changes only the runs at the cuts, so each is
    judged as :func:`~cleaners.core.tidy_spans` judges it, between stand-ins for its
    neighbours.
    """
    size = len(text)
    runs: set[tuple[int, int]] = set()
    run_start, run_end = -1, -1
    for pos in sorted(min(max(pos, 0), size) for pos in junctions):
        if run_start <= pos <= run_end:
            continue  # in the run of the junction before it (each run is walked once)
        start = end = pos
        while start > 0 and text[start - 1] in _TIDY_BLANK:
            start -= 1
        while end < size and text[end] in _TIDY_BLANK:
            end += 1
        run_start, run_end = start, end
        if start < end:
            runs.add((start, end))
    if size and text[-1] == "\n":
        # the final newline a tidied view keeps: what tidy_spans(text) says of the last run
        start = size
        while start > 0 and text[start - 1] in _TIDY_BLANK:
            start -= 1
        runs.add((start, size))
    spans: list[tuple[int, int]] = []
    for start, end in sorted(runs):
        left = "x" if start > 0 else ""
        right = "x" if end < size else ""
        offset = start - len(left)
        for s, e in _tidy_spans_by_line(left + text[start:end] + right):
            s, e = max(s + offset, start), min(e + offset, end)
            if e > s:
                spans.append((s, e))
    return _merge(spans)


def _subtract(span: tuple[int, int], taken: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Parts of ``span`` not covered by the sorted, disjoint ``taken`` spans."""
    start, end = span
    out: list[tuple[int, int]] = []
    pos = start
    # disjoint and sorted, so ends are sorted too: skip straight to the first span near ``start``
    first = max(0, bisect.bisect_right(taken, (start, start)) - 1)
    for s, e in itertools.islice(taken, first, None):
        if e <= pos:
            continue
        if s >= end:
            break
        if s > pos:
            out.append((pos, s))
        pos = max(pos, e)
    if pos < end:
        out.append((pos, end))
    return out


def _subtract_all(
    spans: Sequence[tuple[int, int]], taken: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    taken = _merge(taken)
    out: list[tuple[int, int]] = []
    for span in spans:
        out.extend(_subtract(span, taken))
    return out


def run_chain(
    text: str,
    *,
    source: str | None = None,
    title: str | None = None,
    rules: Sequence[str] | None = None,
    max_share: float = DEFAULT_MAX_SHARE,
    templates: SiteTemplates | None = None,
) -> CleanResult:
    """Run the chain to a fixpoint, map every finding to the original, apply the guard.

    ``templates`` (the learned templates of the text's source) are what ``site_template_v1``
    removes; the rules they veto for the source do not run.
    """
    chain = get_chain(rules)
    if templates is not None and templates.veto_rules:
        chain = [c for c in chain if c.name not in templates.veto_rules]
    run = _Run(text, source, title, templates)
    run.tidy()
    # Worklist fixpoint: every rule must have run on the final view and found nothing. A rule
    # is re-run only when the view changed after its last run (a commit bumps the version).
    ran_on = [-1] * len(chain)
    version = 0
    for _ in range(MAX_PASSES):
        progressed = False
        for index, cleaner in enumerate(chain):
            if ran_on[index] == version:
                continue
            ran_on[index] = version
            if not cleaner.always and not cleaner.triggered(run.doc):
                continue  # none of its trigger literals: it cannot find anything here
            try:
                findings = list(cleaner.find(run.doc))
            except TimeoutError:
                run.flags.append(f"timeout:{cleaner.name}")
                continue
            if findings and run.commit(cleaner, findings):
                run.tidy_after_commit(run.last_removed)
                version += 1
                progressed = True
        if not progressed:
            break
    else:
        run.flags.append("max_passes")
    removals = tuple(run.reported)
    flags = tuple(dict.fromkeys(run.flags))
    # The final view is the original minus removals and tidied whitespace: the clean text.
    # The run tidied the view after every change, so only the final newline may be missing.
    clean_text = run.doc.text
    if removals and guard_holds(text, removals, max_share, clean_text):
        return CleanResult(tidy_whitespace(text), (), (*flags, "over_removal"), removals)
    if not clean_text.strip(_TIDY_BLANK):
        clean_text = ""
    elif not clean_text.endswith("\n"):
        clean_text += "\n"
    return CleanResult(clean_text, removals, flags)
