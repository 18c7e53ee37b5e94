"""Data-driven rule cases: ``tests/cases/<family>/<kind>.jsonl``, one JSON object a line.

Kinds, as in ftfy: ``in_the_wild`` (real residue with its expected text), ``synthetic``,
``must_not_change`` (look-alikes that stay) and ``known_failures`` (run as strict xfail).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from cleaners import REGISTRY, CleanResult, clean, get_chain

CASES = Path(__file__).parent / "cases"


def load(family: str, kind: str) -> list[dict[str, str]]:
    """The cases of one kind for one family of rules (an empty list when the file is absent)."""
    path = CASES / family / f"{kind}.jsonl"
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def ids(cases: list[dict[str, str]]) -> list[str]:
    return [c["id"] for c in cases]


def all_texts() -> list[str]:
    """Every input text of every case file (``text`` or ``raw``), in file order."""
    texts: list[str] = []
    for path in sorted(CASES.rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                texts.extend(row[k] for k in ("text", "raw") if isinstance(row.get(k), str))
    return texts


RuleTest = Callable[..., None]


def family_tests(
    family: str, rules: Sequence[str], categories: Sequence[str]
) -> tuple[RuleTest, RuleTest, RuleTest, RuleTest, RuleTest]:
    """The five data-driven tests of one family of rules, to bind in its test module::

        (test_removes_residue, test_idempotent, test_must_not_change, test_known_failures,
         test_rules_registered_in_default_chain_with_docs) = family_tests("offers", ...)

    Residue cases (in the wild and synthetic) must come out as expected, name one of the
    family's rules and map every removal onto the original; they are idempotent in the default
    chain; must-not-change cases lose nothing; known failures stay strict xfails; every rule is
    in the default chain with a ``category`` of ``categories`` and a docstring saying what it
    ``Leaves alone``. Each case is cleaned with its own ``source`` and ``title`` (none when it
    has none).
    """
    wild = load(family, "in_the_wild") + load(family, "synthetic")
    keep = load(family, "must_not_change")
    known = load(family, "known_failures")

    def run(case: dict[str, str]) -> CleanResult:
        # max_share=1: short snippets are mostly residue; the guard is tested elsewhere.
        return clean(
            case["text"],
            source=case.get("source"),
            title=case.get("title"),
            rules=rules,
            max_share=1.0,
        )

    @pytest.mark.parametrize("case", wild, ids=ids(wild))
    def removes_residue(case: dict[str, str]) -> None:
        result = run(case)
        assert result.text == case["expected"]
        assert case["rule"] in {r.rule for r in result.removals}
        for removal in result.removals:
            assert case["text"][removal.start : removal.end] == removal.text
            assert removal.rule in rules

    @pytest.mark.parametrize("case", wild, ids=ids(wild))
    def idempotent(case: dict[str, str]) -> None:
        once = clean(case["text"], case.get("source"), title=case.get("title")).text
        assert clean(once, case.get("source"), title=case.get("title")).text == once

    @pytest.mark.parametrize("case", keep, ids=ids(keep))
    def must_not_change(case: dict[str, str]) -> None:
        result = run(case)
        assert result.removals == (), [r.text for r in result.removals]

    @pytest.mark.xfail(strict=True, reason="known limitation, kept as a target")
    @pytest.mark.parametrize("case", known, ids=ids(known))
    def known_failure(case: dict[str, str]) -> None:
        assert run(case).text == case["expected"]

    def registered_with_docs() -> None:
        names = [c.name for c in get_chain()]
        for name in rules:
            assert name in names
            assert REGISTRY[name].category in categories, name
            assert "Leaves alone" in (REGISTRY[name].find.__doc__ or ""), name

    return removes_residue, idempotent, must_not_change, known_failure, registered_with_docs
