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


def test_headline_rule_reads_only_the_head() -> None:
    body = "The harbour bridge reopened on Monday. " * 50_000  # 1.9 MB, one paragraph
    text = f"Harbour bridge reopens\n\nHarbour Bridge Reopens\n\n{body}\n"
    result = clean(text, rules=("edge_headline_v1",))
    assert result.text == f"Harbour bridge reopens\n\n{body.rstrip()}\n"


def test_overlong_first_line_is_not_a_title() -> None:
    first = "A long opening paragraph that repeats. " * 17  # over 600 characters
    text = f"{first}\n\n{first}\n\nThe rest of the story follows here.\n"
    assert clean(text, rules=("edge_headline_v1",)).removals == ()
