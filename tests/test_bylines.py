"""Rules of cleaners/bylines.py against data files: in the wild, synthetic,
must-not-change, known failures. Cases may carry the ``source`` and ``title`` hints."""

from __future__ import annotations

import pytest
from casefiles import ids, load

from cleaners import REGISTRY, bylines, clean, get_chain


def run(case: dict[str, str]):
    # max_share=1: short snippets are mostly residue; the guard is tested elsewhere.
    return clean(
        case["text"],
        source=case.get("source"),
        title=case.get("title"),
        rules=bylines.RULES,
        max_share=1.0,
    )


WILD = load("bylines", "in_the_wild")
SYNTHETIC = load("bylines", "synthetic")
KEEP = load("bylines", "must_not_change")
KNOWN = load("bylines", "known_failures")


@pytest.mark.parametrize("case", WILD + SYNTHETIC, ids=ids(WILD + SYNTHETIC))
def test_removes_byline(case: dict[str, str]) -> None:
    result = run(case)
    assert result.text == case["expected"]
    assert case["rule"] in {r.rule for r in result.removals}
    for removal in result.removals:
        assert case["text"][removal.start : removal.end] == removal.text
        assert removal.category == "byline"


@pytest.mark.parametrize("case", WILD + SYNTHETIC, ids=ids(WILD + SYNTHETIC))
def test_idempotent(case: dict[str, str]) -> None:
    once = clean(case["text"], source=case.get("source"), title=case.get("title")).text
    assert clean(once, source=case.get("source"), title=case.get("title")).text == once


@pytest.mark.parametrize("case", KEEP, ids=ids(KEEP))
def test_must_not_change(case: dict[str, str]) -> None:
    result = run(case)
    assert result.removals == (), [r.text for r in result.removals]


@pytest.mark.parametrize("case", KEEP, ids=ids(KEEP))
def test_must_not_change_in_default_chain(case: dict[str, str]) -> None:
    result = clean(case["text"], source=case.get("source"), title=case.get("title"))
    assert not [r for r in result.removals if r.rule in bylines.RULES]


@pytest.mark.xfail(strict=True, reason="known limitation, kept as a target")
@pytest.mark.parametrize("case", KNOWN, ids=ids(KNOWN))
def test_known_failures(case: dict[str, str]) -> None:
    assert run(case).text == case["expected"]


def test_source_forms() -> None:
    assert bylines._is_source_line("USATODAY", bylines._source_forms_of("USA TODAY"))
    assert bylines._is_source_line("The Hill", bylines._source_forms_of("thehill.com"))
    assert bylines._is_source_line("Fox News", bylines._source_forms_of("Fox News (Online)"))
    assert not bylines._source_forms_of(None)


def test_without_source_an_outlet_line_alone_stays() -> None:
    text = "USA TODAY\n\n" + "The council approved the budget on Tuesday after a long debate. " * 3
    assert clean(text, rules=bylines.RULES).removals == ()
    assert clean(text, source="USA TODAY", rules=bylines.RULES).removals


def test_rules_registered_in_default_chain_with_docs() -> None:
    names = [c.name for c in get_chain()]
    for name in bylines.RULES:
        assert name in names
        assert REGISTRY[name].category == "byline"
        assert "Leaves alone" in (REGISTRY[name].find.__doc__ or ""), name
