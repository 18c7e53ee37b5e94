"""Newsletter sign-up forms and pitches: data-driven cases of every kind."""

import casefiles
import pytest
from casefiles import load
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners import clean, newsletter
from cleaners.core import Doc
from cleaners.newsletter import RULES

REMOVED = load("newsletter", "in_the_wild") + load("newsletter", "synthetic")


@pytest.mark.parametrize("case", REMOVED, ids=lambda c: c["id"])
def test_removed(case: dict) -> None:
    result = clean(case["text"], rules=RULES)
    assert result.text == case["expected"]
    assert {r.rule for r in result.removals} == {case["rule"]}
    assert all(r.category == "promo" for r in result.removals)


@pytest.mark.parametrize("case", load("newsletter", "must_not_change"), ids=lambda c: c["id"])
def test_must_not_change(case: dict) -> None:
    assert clean(case["text"], rules=RULES, max_share=1.0).removals == ()


@pytest.mark.xfail(strict=True, reason="known failure, kept as a target")
@pytest.mark.parametrize("case", load("newsletter", "known_failures"), ids=lambda c: c["id"])
def test_known_failures(case: dict) -> None:
    assert clean(case["text"], rules=RULES).text == case["expected"]


@pytest.mark.parametrize("case", REMOVED, ids=lambda c: c["id"])
def test_idempotent_in_the_default_chain(case: dict) -> None:
    once = clean(case["text"]).text
    assert clean(once).text == once


_ASK_PIECES = [
    "Support ", "support", "ing ", "our journalism", "help ", "US", "us", "keep it going",
    "Chip in ", "$5 or more", "for as little as $", "Join ", "become a member", "members get",
    "one-time gift", "tax-deductible", "make a monthly donation", "reader-funded", "VIP ",
    "membership", "if you enjoyed ", "this story", ". ", "\n", " ", "x", "Member",
]  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_ASK_PIECES), max_size=12))
def test_ask_alternatives_searched_alone_find_what_the_alternation_finds(pieces: list[str]) -> None:
    text = "".join(pieces)
    doc = Doc(text)
    assert newsletter._holds_ask(text, doc.folded, 0) == (
        newsletter._SUPPORT_ASK.search(text) is not None
    )


def test_ask_alternatives_on_every_case_paragraph() -> None:
    for text in casefiles.all_texts():
        doc = Doc(text)
        for start, end in doc.paragraphs:
            paragraph = text[start:end]
            assert newsletter._holds_ask(paragraph, doc.folded, start) == (
                newsletter._SUPPORT_ASK.search(paragraph) is not None
            ), paragraph[:80]
