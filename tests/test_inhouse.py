"""Rules of cleaners/inhouse.py against data files: in the wild, synthetic, must-not-change,
known failures."""

from __future__ import annotations

import pytest
from casefiles import ids, load

from cleaners import REGISTRY, clean, get_chain, inhouse


def run(text: str, source: str | None = None):
    # max_share=1: short snippets are mostly residue; the guard is tested elsewhere.
    return clean(text, source=source, rules=inhouse.RULES, max_share=1.0)


WILD = load("inhouse", "in_the_wild")
SYNTHETIC = load("inhouse", "synthetic")
KEEP = load("inhouse", "must_not_change")
KNOWN = load("inhouse", "known_failures")


@pytest.mark.parametrize("case", WILD + SYNTHETIC, ids=ids(WILD + SYNTHETIC))
def test_removes_residue(case: dict[str, str]) -> None:
    result = run(case["text"], case.get("source"))
    assert result.text == case["expected"]
    assert case["rule"] in {r.rule for r in result.removals}
    for removal in result.removals:
        assert case["text"][removal.start : removal.end] == removal.text


@pytest.mark.parametrize("case", WILD + SYNTHETIC, ids=ids(WILD + SYNTHETIC))
def test_idempotent(case: dict[str, str]) -> None:
    once = clean(case["text"], case.get("source")).text
    assert clean(once, case.get("source")).text == once


@pytest.mark.parametrize("case", KEEP, ids=ids(KEEP))
def test_must_not_change(case: dict[str, str]) -> None:
    result = run(case["text"], case.get("source"))
    assert result.removals == (), [r.text for r in result.removals]


@pytest.mark.xfail(strict=True, reason="known limitation, kept as a target")
@pytest.mark.parametrize("case", KNOWN, ids=ids(KNOWN))
def test_known_failures(case: dict[str, str]) -> None:
    assert run(case["text"], case.get("source")).text == case["expected"]


def test_rules_registered_in_default_chain_with_docs() -> None:
    names = [c.name for c in get_chain()]
    for name in inhouse.RULES:
        assert name in names
        assert REGISTRY[name].category == "credit"
        assert "Leaves alone" in (REGISTRY[name].find.__doc__ or ""), name
