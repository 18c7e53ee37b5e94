"""Literal prefilters (cleaners/patterns.py): ``fold`` models ``re.IGNORECASE`` for ASCII
letters, and ``required_literals`` never rules out a text a pattern matches."""

from __future__ import annotations

import re
import sys

import casefiles
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaners import calls, labels, patterns, promo
from cleaners.core import Doc
from cleaners.patterns import fold, may_match, required_literals


def test_fold_equates_what_ignorecase_equates_with_ascii_letters() -> None:
    letter = re.compile("[a-z]", re.IGNORECASE)
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if letter.fullmatch(char):
            folded = fold(char)
            assert len(folded) == 1 and re.fullmatch(folded, char, re.IGNORECASE), hex(code)


@pytest.mark.parametrize("text", ["İstanbul Tıp ſhow", "ΣΑΣ Straße", "plain ascii", ""])
def test_fold_keeps_offsets(text: str) -> None:
    assert len(fold(text)) == len(text)
    assert Doc(text).folded == fold(text)


@pytest.mark.parametrize(
    ("pattern", "flags", "expected"),
    [
        (r"\bclick here\b", re.I, ("click here",)),
        (
            r"(?:send|email) (?:us )?tips\b",
            0,
            ("email tips", "email us tips", "send tips", "send us tips"),
        ),
        (r"MORE(?![^\W\d_])", 0, ("more",)),
        (r"[^\n]*\S", 0, None),
        (r"(?:a|b)|\w+", 0, None),
        (r"x{0,3}", 0, None),
        (r"\d{1,2} of \d{1,2}", 0, (" of ",)),
        (r"(?:É|Ü)", re.I, None),  # cased letters beyond ASCII give no literal ...
        (r"(?:Straße|Tür)", re.I, ("t",)),  # ... but the ASCII letters around them do
    ],
)
def test_required_literals(pattern: str, flags: int, expected: tuple[str, ...] | None) -> None:
    assert required_literals(pattern, flags) == expected


def _data_patterns() -> list[re.Pattern[str]]:
    out = list(calls.patterns().values()) + list(promo.line_patterns().values())
    out += [labels._label_pattern(), labels._prefix_pattern(), labels._tail_pattern()]
    out += [calls._EMAIL, calls._REPORTED, calls._QUESTION_TO_READER]
    return out


def test_every_match_in_the_case_texts_holds_a_literal() -> None:
    texts = casefiles.all_texts()
    assert len(texts) > 100
    checked = 0
    for pattern in _data_patterns():
        literals = required_literals(pattern)
        for text in texts:
            folded = fold(text)
            for m in pattern.finditer(text):
                if m.end() > m.start():
                    checked += 1
                    assert may_match(literals, folded, m.start(), m.end()), (pattern, m)
    assert checked > 100


_GENERATED = [
    r"\b(?:send|email|e-mail) (?:us )?(?:your )?(?:news )?tips\b",
    r"(?:^|[,:;—–”-] |^[\[*]+ ?)please (?:consider )?(?:making a (?:contribution|gift)|donating)",
    r"\b\d{1,2}(?::\d\d)? ?(?:a\.m\.|p\.m\.|am|pm) (?:ET|PT|CT|EST|EDT)\b",
    r"story continues below(?: (?:this )?(?:advertisement|ad))?\.?",
    r"(?:photo|image)(?: credit| source)?: [^\n]{1,60}",
    r"\d{1,3} of \d{1,3} (?:show|hide) caption",
]


@pytest.mark.parametrize("pattern", _GENERATED)
@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_generated_matches_hold_a_literal(pattern: str, data: st.DataObject) -> None:
    compiled = re.compile(pattern, re.IGNORECASE)
    text = data.draw(st.from_regex(compiled, fullmatch=True))
    m = compiled.search(text)
    assert m is not None
    assert may_match(required_literals(compiled), fold(text), m.start(), m.end())


_INDEX_TEXTS = [
    "if you are members get it",
    "Members GET: one-time gift, or more. İstanbul tıp ſhow",
    "",
    "member",
    "you you you if yo",
]


@pytest.mark.parametrize("automaton", [True, False])
def test_literal_index_answers_like_plain_searches(
    automaton: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``LiteralIndex`` says of each literal what ``literal in doc.folded`` says, overlapping
    and nested literals included, with the automaton and without it (plain searches)."""
    if not automaton:
        monkeypatch.setattr(patterns, "ahocorasick_rs", None)
    index = patterns.LiteralIndex("folded")
    lists = [
        ("member", "members get", "you", "if you", "one-time", " or more"),
        ("you", "zzq", "tıp"),
        ("get", "tip", "show"),
    ]
    texts = [*_INDEX_TEXTS, *casefiles.all_texts()[:200]]
    for text in texts:
        doc = Doc(text)
        for literals in lists:
            plain = tuple(lit for lit in literals if lit in doc.folded)
            assert index.present(doc, literals) == plain, (literals, text[:80])
            assert index.any_present(doc, literals) == bool(plain)


def test_literal_index_learns_new_literals_after_a_scan() -> None:
    index = patterns.LiteralIndex("folded")
    doc = Doc("Support our journalism")
    assert index.present(doc, ("support",)) == ("support",)
    assert index.present(doc, ("journalism", "donate")) == ("journalism",)
    assert index.present(doc, ("support", "donate")) == ("support",)


@pytest.mark.parametrize("automaton", [True, False])
def test_literal_index_contains_answers_like_in(
    automaton: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``contains`` of a text index says what ``literal in doc.text`` says (case kept), for
    literals indexed before and after a scan."""
    if not automaton:
        monkeypatch.setattr(patterns, "ahocorasick_rs", None)
    index = patterns.LiteralIndex("text")
    index.add(("Sign up", ": ", "www."))
    for text in [*_INDEX_TEXTS, "SIGN UP: www.x", *casefiles.all_texts()[:100]]:
        doc = Doc(text)
        for literal in ("Sign up", ": ", "www.", "ewsletter", "SIGN UP"):
            assert index.contains(doc, literal) == (literal in text), (literal, text[:80])


def test_odd_case_class_is_every_odd_character() -> None:
    odd = patterns._odd_case_characters()
    assert {c for c in map(chr, range(0x80, 0x110000)) if patterns._ODD_CASE.fullmatch(c)} == set(
        odd
    ) - {c for c in odd if 0xD800 <= ord(c) <= 0xDFFF}
    assert not patterns.has_odd_case("plain ascii") and patterns.has_odd_case("Straße")
