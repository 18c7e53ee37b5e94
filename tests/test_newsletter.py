"""Newsletter sign-up forms and pitches: data-driven cases of every kind."""

import json
from pathlib import Path

import pytest

from cleaners import clean
from cleaners.newsletter import RULES

CASES = Path(__file__).parent / "cases" / "newsletter"


def load(name: str) -> list[dict]:
    lines = (CASES / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


REMOVED = load("in_the_wild") + load("synthetic")


@pytest.mark.parametrize("case", REMOVED, ids=lambda c: c["id"])
def test_removed(case: dict) -> None:
    result = clean(case["text"], rules=RULES)
    assert result.text == case["expected"]
    assert {r.rule for r in result.removals} == {case["rule"]}
    assert all(r.category == "promo" for r in result.removals)


@pytest.mark.parametrize("case", load("must_not_change"), ids=lambda c: c["id"])
def test_must_not_change(case: dict) -> None:
    assert clean(case["text"], rules=RULES, max_share=1.0).removals == ()


@pytest.mark.xfail(strict=True, reason="known failure, kept as a target")
@pytest.mark.parametrize("case", load("known_failures"), ids=lambda c: c["id"])
def test_known_failures(case: dict) -> None:
    assert clean(case["text"], rules=RULES).text == case["expected"]


@pytest.mark.parametrize("case", REMOVED, ids=lambda c: c["id"])
def test_idempotent_in_the_default_chain(case: dict) -> None:
    once = clean(case["text"]).text
    assert clean(once).text == once
