"""The over-removal guard: it weighs the prose that would go, trusts rules anchored on widget
machinery, and still holds a rule misfiring on prose paragraphs."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

import pytest

from cleaners import Finding, clean, core
from cleaners.core import Doc, prose_chars, visible_chars
from cleaners.registry import REGISTRY, register

PAGES = [
    json.loads(line)
    for line in (Path(__file__).parent / "cases" / "guard" / "cnn_gallery_pages.jsonl")
    .read_text(encoding="utf-8")
    .splitlines()
    if line.strip()
]

PROSE = (
    "The council approved the budget on Tuesday after a long debate over road repairs.\n\n"
    "The mayor said the vote showed the city could still agree on the basics of spending.\n\n"
    "Opponents argued that the plan left too little for parks, libraries and bus routes.\n\n"
    "A final vote on the remaining items is expected next month, officials said on Monday.\n"
)


def _rule(name: str, pattern: str) -> None:
    """Register a test rule removing every match of ``pattern`` (once per test session)."""
    if name in REGISTRY:
        return
    compiled = re.compile(pattern, re.MULTILINE)

    @register(name, category="promo")
    def _find(doc: Doc) -> Iterable[Finding]:
        for m in compiled.finditer(doc.text):
            yield Finding(m.start(), m.end(), "test rule")


_rule("test_cut_prose_v1", r"^[^\n]* the [^\n]+$")  # misfires on prose paragraphs
_rule("test_cut_credit_v1", r"^[A-Z][a-z]+ [A-Z][a-z]+/[A-Z][A-Za-z ]+$")  # credit lines
_rule("test_cut_all_v1", r"^[^\n]+$")  # every line


@pytest.mark.parametrize("page", PAGES, ids=[p["id"] for p in PAGES])
def test_cnn_gallery_page_is_cleaned(page: dict[str, str]) -> None:
    """Real CNN pages whose flattened galleries are most of the text: the old guard held them."""
    result = clean(page["text"], source=page["source"], title=page["title"])
    assert "over_removal" not in result.flags
    assert "Hide Caption" not in result.text
    rules = {r.rule for r in result.removals}
    assert "gallery_chrome_v1" in rules
    removed = sum(visible_chars(r.text) for r in result.removals)
    assert removed > 0.4 * visible_chars(page["text"])  # more than the old guard let through
    assert prose_chars(result.text) > 2000  # the article stays


@pytest.mark.parametrize("page", PAGES, ids=[p["id"] for p in PAGES])
def test_rule_misfiring_on_prose_of_a_real_page_is_held(page: dict[str, str]) -> None:
    result = clean(page["text"], rules=["test_cut_prose_v1", "gallery_chrome_v1"])
    assert "over_removal" in result.flags
    assert result.removals == ()
    assert any(r.rule == "test_cut_prose_v1" for r in result.held_removals)


def test_prose_weighs_more_than_credit_lines_of_the_same_size() -> None:
    credits = "\n\n".join(["Jane Doe/Associated Press Images"] * 8)
    text = PROSE + "\n" + credits + "\n"
    cut_credits = clean(text, rules=["test_cut_credit_v1"])
    cut_prose = clean(text, rules=["test_cut_prose_v1"])
    share = {
        name: sum(visible_chars(r.text) for r in (res.removals or res.held_removals))
        / visible_chars(text)
        for name, res in (("credits", cut_credits), ("prose", cut_prose))
    }
    # the same plain share of characters, about 45% each, above the 40% default
    assert 0.41 < share["credits"] < 0.5 and 0.41 < share["prose"] < 0.6
    assert "over_removal" not in cut_credits.flags and cut_credits.text == PROSE
    assert "over_removal" in cut_prose.flags and cut_prose.text == text


def test_prose_chars_counts_sentence_lines_only() -> None:
    assert prose_chars("The mayor said the vote showed the city could agree.") == 43
    assert prose_chars("Photos: Week in Politics") == 0
    assert prose_chars("Jane Doe/Associated Press") == 0
    assert prose_chars("Advertisement\n\nREAD MORE:") == 0


def test_text_without_prose_is_judged_by_its_characters() -> None:
    """A list (no sentence in it) cut by a rule is held like any share over 40%."""
    raw = "Signed\n\n" + "\n".join(["Jane Doe/Associated Press Images"] * 6) + "\n"
    result = clean(raw, rules=["test_cut_credit_v1"])
    assert "over_removal" in result.flags


def test_trusted_rule_leaving_no_prose_is_held(monkeypatch: pytest.MonkeyPatch) -> None:
    """Trust does not let a rule empty an article: the prose floor holds it."""
    monkeypatch.setattr(core, "GUARD_TRUSTED_RULES", frozenset({"test_cut_all_v1"}))
    text = PROSE * 4
    result = clean(text, rules=["test_cut_all_v1"])
    assert "over_removal" in result.flags and result.text == core.tidy_whitespace(text)
    short = clean(PROSE, rules=["test_cut_all_v1"])  # under the floor's threshold: trusted
    assert "over_removal" not in short.flags and short.text == ""


def test_trusted_rules_are_registered() -> None:
    for name in core.GUARD_TRUSTED_RULES:
        assert name in REGISTRY, name
