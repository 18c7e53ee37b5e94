"""Rules of cleaners/credits.py (photo captions and credits) against data files: in the wild,
synthetic, must-not-change, known failures; and the credit grammar itself."""

from __future__ import annotations

import pytest
from casefiles import ids, load

from cleaners import REGISTRY, clean, credits, get_chain


def run(case: dict[str, str]):
    # max_share=1: short snippets are mostly residue; the guard is tested elsewhere.
    return clean(
        case["text"],
        source=case.get("source"),
        title=case.get("title"),
        rules=credits.RULES,
        max_share=1.0,
    )


WILD = load("credits", "in_the_wild")
SYNTHETIC = load("credits", "synthetic")
KEEP = load("credits", "must_not_change")
KNOWN = load("credits", "known_failures")


@pytest.mark.parametrize("case", WILD + SYNTHETIC, ids=ids(WILD + SYNTHETIC))
def test_removes_captions_and_credits(case: dict[str, str]) -> None:
    result = run(case)
    assert result.text == case["expected"]
    assert case["rule"] in {r.rule for r in result.removals}
    for removal in result.removals:
        assert case["text"][removal.start : removal.end] == removal.text
        assert removal.rule in credits.RULES


@pytest.mark.parametrize("case", WILD + SYNTHETIC, ids=ids(WILD + SYNTHETIC))
def test_idempotent_in_default_chain(case: dict[str, str]) -> None:
    once = clean(case["text"], source=case.get("source"), title=case.get("title")).text
    assert clean(once, source=case.get("source"), title=case.get("title")).text == once


@pytest.mark.parametrize("case", KEEP, ids=ids(KEEP))
def test_must_not_change(case: dict[str, str]) -> None:
    result = run(case)
    assert result.removals == (), [r.text for r in result.removals]


@pytest.mark.xfail(strict=True, reason="known limitation, kept as a target")
@pytest.mark.parametrize("case", KNOWN, ids=ids(KNOWN))
def test_known_failures(case: dict[str, str]) -> None:
    assert run(case).text == case["expected"]


@pytest.mark.parametrize(
    ("candidate", "expected"),
    [
        ("Carlo Allegri/Reuters", True),
        ("Saul Loeb/AFP/Getty Images", True),
        ("Kevin Lamarque/Pool Photo via AP", True),
        ("AP Photo/Charles Krupa, File", True),
        ("REUTERS/Mike Segar - RC2SVE9REWAA/File Photo", True),
        ("Photo: Reed Saxon, AP", True),
        ("Photograph: Marko Mumm/AFP/Getty Images", True),
        ("Getty Images/Glowimages", True),
        ("Hulton Archive—Getty Images", True),
        ("Reuters/Ipsos", False),  # a news agency needs a person's name beside it
        ("ABC News/Washington Post", False),  # no picture source
        ("Jane Roe, USA TODAY", False),  # a comma joins no chain: a contributor note
        ("the picture by Jane Roe/Getty Images", False),  # lowercase words of a sentence
        ("Getty Images", False),  # one name is no chain
        ("The Washington Post/ABC News Poll", False),  # an agency opening a chain: a heading
        ("REUTERS/Jim Bourg", True),  # ... unless in capitals, as wire credits are written
    ],
)
def test_credit_grammar(candidate: str, expected: bool) -> None:
    assert credits.is_credit(candidate) is expected


def test_rules_registered_in_default_chain_with_docs() -> None:
    names = [c.name for c in get_chain()]
    for name in credits.RULES:
        assert name in names
        assert REGISTRY[name].category == "credit"
        assert "Leaves alone" in (REGISTRY[name].find.__doc__ or ""), name


def test_long_text_is_linear() -> None:
    """A long text of credit lines between sentences is cleaned in one pass over its lines."""
    prose = "The council met on Tuesday and approved the budget."
    body = f"Jane Roe/Getty Images\n\n{prose}\n\n" * 20_000
    result = clean(body, rules=credits.RULES, max_share=1.0)
    assert result.text == f"{prose}\n\n" * 19_999 + f"{prose}\n"


def test_source_name_is_whole() -> None:
    text = "Jane Roe/Getty Images at the council\n\nThe council met on Tuesday.\n"
    assert clean(text, rules=credits.RULES, max_share=1.0).removals == ()
