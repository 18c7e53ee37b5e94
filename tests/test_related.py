"""Pointer rules (cleaners/related.py) against data files: in the wild, synthetic,
must-not-change, known failures."""

from __future__ import annotations

import pytest
from casefiles import family_tests

from cleaners import related
from cleaners.related import headline_tail

(
    test_removes_residue,
    test_idempotent,
    test_must_not_change,
    test_known_failures,
    test_rules_registered_in_default_chain_with_docs,
) = family_tests("related", related.RULES, categories=("related",))


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
