"""Promo rules against data files: in the wild, synthetic, must-not-change, known failures."""

from __future__ import annotations

import time

import pytest
from casefiles import ids, load

from cleaners import REGISTRY, clean, promo


def run(text: str) -> str:
    # max_share=1: short test snippets are mostly chrome; the guard is tested elsewhere.
    return clean(text, rules=promo.RULES, max_share=1.0).text


WILD = load("promo", "in_the_wild")
SYNTHETIC = load("promo", "synthetic")
KEEP = load("promo", "must_not_change")
KNOWN = load("promo", "known_failures")


@pytest.mark.parametrize("case", WILD, ids=ids(WILD))
def test_in_the_wild(case: dict[str, str]) -> None:
    assert run(case["text"]) == case["expected"]


@pytest.mark.parametrize("case", SYNTHETIC, ids=ids(SYNTHETIC))
def test_synthetic(case: dict[str, str]) -> None:
    assert run(case["text"]) == case["expected"]


@pytest.mark.parametrize("case", KEEP, ids=ids(KEEP))
def test_must_not_change(case: dict[str, str]) -> None:
    result = clean(case["text"], rules=promo.RULES, max_share=1.0)
    assert result.removals == (), [r.text for r in result.removals]


@pytest.mark.xfail(strict=True, reason="known limitation, kept as a target")
@pytest.mark.parametrize("case", KNOWN, ids=ids(KNOWN))
def test_known_failures(case: dict[str, str]) -> None:
    assert run(case["text"]) == case["expected"]


@pytest.mark.parametrize("case", WILD + SYNTHETIC, ids=ids(WILD + SYNTHETIC))
def test_idempotent(case: dict[str, str]) -> None:
    once = run(case["text"])
    assert run(once) == once


def test_wild_cases_name_the_rule_that_fires() -> None:
    for case in WILD:
        rule = case["rule"]
        result = clean(case["text"], rules=promo.RULES, max_share=1.0)
        assert rule in {r.rule for r in result.removals}, case["id"]


def test_rules_are_registered_with_docs() -> None:
    for name in promo.RULES:
        cleaner = REGISTRY[name]
        assert cleaner.category in {
            "ad",
            "promo",
            "related",
            "source-tag",
            "byline",
            "credit",
            "nav",
        }
        assert "Leaves alone" in (cleaner.find.__doc__ or ""), name


def test_categories_per_kind() -> None:
    text = (
        "Headline of the story\n\nFirst paragraph of the story, long enough to be real text.\n\n"
        "Advertisement\n\nSecond paragraph of the story, long enough to be real text here.\n\n"
        "Follow us on Twitter\n\nThird paragraph of the story, long enough to be real text.\n\n"
        "RELATED: Another Story Entirely\n\nFourth paragraph of the story, long enough again.\n\n"
        "Photo: Public Domain\n\nFifth paragraph of the story, long enough to be real text.\n"
    )
    result = clean(text, rules=promo.RULES, max_share=1.0)
    assert [r.category for r in result.removals] == ["ad", "promo", "related", "credit"]


PATHOLOGICAL = {
    "1 MB without a newline": "Click here " * 100_000,
    "100k capitalised words": "The Daily Beast " * 100_000,
    "10k chrome lines": "Advertisement\n\n" * 10_000,
    "chrome between paragraphs": "A real paragraph here.\n\nThe Daily Beast\n\n" * 5_000,
    "headlines under a label": "READ MORE:\n\n" + "A Headline Here\n\n" * 20_000,
    "10k MOREs": "MORE " * 10_000,
}


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_inputs_are_fast(name: str) -> None:
    start = time.perf_counter()
    clean(PATHOLOGICAL[name], rules=promo.RULES)
    assert time.perf_counter() - start < 1.0
