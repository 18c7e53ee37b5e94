"""Pointer rules (cleaners/related.py) against data files: in the wild, synthetic,
must-not-change, known failures."""

from __future__ import annotations

import pytest
from casefiles import ids, load

from cleaners import REGISTRY, clean, get_chain, related
from cleaners.related import headline_tail


def run(text: str, source: str | None = None):
    # max_share=1: short snippets are mostly residue; the guard is tested elsewhere.
    return clean(text, source=source, rules=related.RULES, max_share=1.0)


WILD = load("related", "in_the_wild")
SYNTHETIC = load("related", "synthetic")
KEEP = load("related", "must_not_change")
KNOWN = load("related", "known_failures")


@pytest.mark.parametrize("case", WILD + SYNTHETIC, ids=ids(WILD + SYNTHETIC))
def test_removes_pointer(case: dict[str, str]) -> None:
    result = run(case["text"], case.get("source"))
    assert result.text == case["expected"]
    assert case["rule"] in {r.rule for r in result.removals}
    for removal in result.removals:
        assert case["text"][removal.start : removal.end] == removal.text


@pytest.mark.parametrize("case", WILD + SYNTHETIC, ids=ids(WILD + SYNTHETIC))
def test_idempotent(case: dict[str, str]) -> None:
    once = clean(case["text"]).text
    assert clean(once).text == once


@pytest.mark.parametrize("case", KEEP, ids=ids(KEEP))
def test_must_not_change(case: dict[str, str]) -> None:
    result = run(case["text"], case.get("source"))
    assert result.removals == (), [r.text for r in result.removals]


@pytest.mark.xfail(strict=True, reason="known limitation, kept as a target")
@pytest.mark.parametrize("case", KNOWN, ids=ids(KNOWN))
def test_known_failures(case: dict[str, str]) -> None:
    assert run(case["text"]).text == case["expected"]


def test_rules_registered_in_default_chain_with_docs() -> None:
    names = [c.name for c in get_chain()]
    for name in related.RULES:
        assert name in names
        assert REGISTRY[name].category == "related"
        assert "Leaves alone" in (REGISTRY[name].find.__doc__ or ""), name


@pytest.mark.parametrize(
    ("tail", "expected"),
    [
        ("Council passes budget after marathon session", True),
        ("‘Trump Slams Justice Department’", True),
        ("The council passed the budget.", False),
        ("“We will not back down.”", False),
        ("the senator said he would run", False),
        ("x" * 250, False),
    ],
)
def test_headline_tail(tail: str, expected: bool) -> None:
    assert headline_tail(tail) is expected
