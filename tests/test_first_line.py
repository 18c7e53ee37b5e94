"""The first line of a text: protected only when it is (or may be) the headline.

Cases under ``tests/cases/first_line`` carry an optional ``title``; the default chain runs on
them (a label heading the text is judged like the same label further down).
"""

from __future__ import annotations

import pytest
from casefiles import ids, load

from cleaners import clean
from cleaners.core import Doc
from cleaners.edges import first_line_is_title

WILD = load("first_line", "in_the_wild")
SYNTHETIC = load("first_line", "synthetic")
KEEP = load("first_line", "must_not_change")


def _clean(case: dict[str, str]):
    return clean(case["text"], title=case.get("title"), max_share=1.0)


@pytest.mark.parametrize("case", WILD + SYNTHETIC, ids=ids(WILD + SYNTHETIC))
def test_label_heading_the_text_goes(case: dict[str, str]) -> None:
    result = _clean(case)
    assert result.text == case["expected"]
    assert case["rule"] in {r.rule for r in result.removals}
    again = clean(result.text, title=case.get("title"), max_share=1.0)
    assert again.text == result.text


@pytest.mark.parametrize("case", KEEP, ids=ids(KEEP))
def test_headline_stays(case: dict[str, str]) -> None:
    result = _clean(case)
    assert result.removals == (), [r.text for r in result.removals]


@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        ("Senate passes budget\n\nBody.", "Senate passes budget - Example News", True),
        ("SENATE PASSES BUDGET!\n\nBody.", "Senate passes budget", True),
        ("Senate passes budget\n\nBody.", None, True),
        ("Image copyright AFP\n\nBody.", "Senate passes budget", False),
        ("Image copyright AFP\n\nBody.", None, True),  # reads like a headline: kept unknown
        ("Urgent:\n\nBody.", None, False),
        ("Photo\n\nBody.", None, False),
        ("", None, False),
    ],
)
def test_first_line_is_title(text: str, title: str | None, expected: bool) -> None:
    assert first_line_is_title(Doc(text, title=title)) is expected
