"""Newsletter sign-up forms and pitches: data-driven cases of every kind."""

import pytest
from casefiles import load

from cleaners import clean
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
