"""Rules of cleaners/credits.py (photo captions and credits) against data files: in the wild,
synthetic, must-not-change, known failures; and the credit grammar itself."""

from __future__ import annotations

import pytest
from casefiles import family_tests

from cleaners import clean, credits

(
    test_removes_residue,
    test_idempotent,
    test_must_not_change,
    test_known_failures,
    test_rules_registered_in_default_chain_with_docs,
) = family_tests("credits", credits.RULES, categories=("credit",))


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


def test_long_text_is_linear() -> None:
    """A long text of credit lines between sentences is cleaned in one pass over its lines."""
    prose = "The council met on Tuesday and approved the budget."
    body = f"Jane Roe/Getty Images\n\n{prose}\n\n" * 20_000
    result = clean(body, rules=credits.RULES, max_share=1.0)
    assert result.text == f"{prose}\n\n" * 19_999 + f"{prose}\n"


def test_source_name_is_whole() -> None:
    text = "Jane Roe/Getty Images at the council\n\nThe council met on Tuesday.\n"
    assert clean(text, rules=credits.RULES, max_share=1.0).removals == ()
