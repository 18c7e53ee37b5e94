"""footer_v1 against data files: in the wild, synthetic, must-not-change, known failures."""

from __future__ import annotations

import time

import pytest
from casefiles import ids, load

from cleaners import REGISTRY, clean, footers, promo

RULES = (*promo.RULES, *footers.RULES)
"""In the default chain the promo rules run before the footer; the cases assume that."""


def run(text: str) -> str:
    return clean(text, rules=RULES, max_share=1.0).text


WILD = load("footers", "in_the_wild")
SYNTHETIC = load("footers", "synthetic")
KEEP = load("footers", "must_not_change")
KNOWN = load("footers", "known_failures")


@pytest.mark.parametrize("case", WILD + SYNTHETIC, ids=ids(WILD + SYNTHETIC))
def test_removes_trailing_block(case: dict[str, str]) -> None:
    assert run(case["text"]) == case["expected"]
    once = run(case["text"])
    assert run(once) == once


@pytest.mark.parametrize("case", KEEP, ids=ids(KEEP))
def test_must_not_change(case: dict[str, str]) -> None:
    result = clean(case["text"], rules=footers.RULES, max_share=1.0)
    assert result.removals == (), [r.text for r in result.removals]


@pytest.mark.xfail(strict=True, reason="known limitation, kept as a target")
@pytest.mark.parametrize("case", KNOWN, ids=ids(KNOWN))
def test_known_failures(case: dict[str, str]) -> None:
    assert run(case["text"]) == case["expected"]


def test_footer_is_one_removal_to_the_end() -> None:
    text = "Headline\n\nA paragraph of the story.\n\nRead Next\n\nOne Story\n\nTwo Story\n"
    result = clean(text, rules=footers.RULES, max_share=1.0)
    (removal,) = result.removals
    assert removal.rule == "footer_v1" and removal.category == "footer"
    assert text[removal.start :].strip() == removal.text.strip()


def test_rule_is_documented() -> None:
    assert "Leaves alone" in (REGISTRY["footer_v1"].find.__doc__ or "")


@pytest.mark.parametrize(
    "text",
    [
        "x\n" + "You Might Like\n" * 100_000,
        "x\n" + "A Headline Line\n" * 100_000,
        "Trending " * 200_000,
    ],
)
def test_pathological_tails_are_fast(text: str) -> None:
    start = time.perf_counter()
    clean(text, rules=footers.RULES)
    assert time.perf_counter() - start < 1.0
