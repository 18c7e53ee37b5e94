"""Edge rules on data cases: synthetic and in-the-wild removals, must-not-change texts."""

import json
from pathlib import Path

import pytest

from cleaners import clean
from cleaners.edges import RULES, fold, link_like

CASES = [
    json.loads(line)
    for line in (Path(__file__).parent / "cases" / "edges" / "cases.jsonl")
    .read_text(encoding="utf-8")
    .splitlines()
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['kind']}:{c['note'][:40]}")
def test_edge_case(case: dict) -> None:
    result = clean(case["text"], title=case.get("title"), rules=RULES)
    expected = case.get("expected", case["text"])
    assert result.text == expected
    if "expected" in case:
        assert {r.rule for r in result.removals} == {case["rule"]}
        for r in result.removals:
            assert case["text"][r.start : r.end] == r.text
    else:
        assert result.removals == ()


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['kind']}:{c['note'][:40]}")
def test_edge_idempotent_in_default_chain(case: dict) -> None:
    once = clean(case["text"], title=case.get("title")).text
    assert clean(once, title=case.get("title")).text == once


def test_fold_ignores_case_and_punctuation() -> None:
    assert fold("Harbour Bridge: Reopens!") == fold("harbour bridge reopens")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("https://example.org/story/123", True),
        ("City council approves new budget for roads", True),
        ("The council approved the budget on Monday.", False),
        ('He said: "We will see."', False),
        ("Short line", False),
    ],
)
def test_link_like(line: str, expected: bool) -> None:
    assert link_like(line) is expected
