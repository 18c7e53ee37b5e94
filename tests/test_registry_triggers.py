"""Rule prefilters (``register(..., triggers=..., folded_triggers=...)``): a rule is skipped
on a view holding none of its trigger literals, so the literals must be necessary."""

from __future__ import annotations

import casefiles
import pytest

from cleaners import REGISTRY, clean, register
from cleaners.core import Doc, Finding, tidy_whitespace
from cleaners.patterns import FOLDED_INDEX, fold, has_odd_case, line_starts_present
from cleaners.registry import Cleaner

TRIGGERED = sorted(
    n for n, c in REGISTRY.items() if c.triggers or c.folded_triggers or c.line_starts
)


def test_some_rules_have_triggers() -> None:
    assert "wire_code_v1" in TRIGGERED and "player_tail_v1" in TRIGGERED


@pytest.mark.parametrize("name", TRIGGERED)
def test_triggers_are_necessary_on_every_case_text(name: str) -> None:
    cleaner = REGISTRY[name]
    found = 0
    for text in casefiles.all_texts():
        for view in (text, tidy_whitespace(text)):
            doc = Doc(view)
            if list(cleaner.find(doc)):
                found += 1
                assert cleaner.triggered(doc), (name, view[:200])
    assert found, f"no case text exercises {name}"


def test_a_rule_without_its_triggers_is_not_called() -> None:
    calls: list[str] = []

    def find(doc: Doc) -> list[Finding]:
        calls.append(doc.text)
        start = doc.text.find("ZQX")
        return [Finding(start, start + 3, "test")] if start >= 0 else []

    register("trigger_probe_v1", "chrome", triggers=("ZQX",), folded_triggers=("qqj",))(find)
    try:
        assert clean("Plain text.\n", rules=["trigger_probe_v1"]).text == "Plain text.\n"
        assert calls == []
        assert clean("Plain QQJ text.\n", rules=["trigger_probe_v1"]).removals == ()
        assert calls  # a folded trigger (any case) lets it run
        result = clean("Plain ZQX text.\n", rules=["trigger_probe_v1"], max_share=1.0)
        assert [r.text for r in result.removals] == ["ZQX"]
    finally:
        del REGISTRY["trigger_probe_v1"]


@pytest.mark.parametrize(("triggers", "folded"), [(("",), ()), ((), ("",)), ((), ("Upper",))])
def test_bad_triggers_are_refused(triggers: tuple[str, ...], folded: tuple[str, ...]) -> None:
    with pytest.raises(ValueError):
        register("bad_trigger_v1", "chrome", triggers=triggers, folded_triggers=folded)
    assert "bad_trigger_v1" not in REGISTRY


def test_no_triggers_always_runs() -> None:
    assert Cleaner("x_v1", "chrome", lambda doc: []).triggered(Doc("anything"))


def test_trigger_tests_answer_like_plain_searches() -> None:
    """The searches a trigger test makes (one-character literals by ``in``, longer ones in
    what one scan of the view found, none holding another) never change what it says."""
    assert any(c.single_characters and c.exact_set for c in REGISTRY.values())
    texts = [*casefiles.all_texts(), "a (@x", "a ( @x", "(\n(", "x://y", "no guard here"]
    for cleaner in (REGISTRY[name] for name in TRIGGERED):
        searched = [*cleaner.single_characters, *sorted(cleaner.exact_set)]
        for literals, kept in ((cleaner.triggers, searched), (cleaner.folded_triggers, None)):
            kept = list(cleaner.folded_search) if kept is None else kept
            assert set(kept) <= set(literals)
            assert all(any(k in lit for k in kept) for lit in literals)  # each holds a kept one
        leads = cleaner.line_starts
        for text in texts:
            doc = Doc(text)
            plain = (
                any(lit in text for lit in cleaner.triggers)
                or any(lit in doc.folded for lit in cleaner.folded_triggers)
                or (bool(leads) and _opens_a_line(text, leads))
            )
            if leads and has_odd_case(text):
                assert cleaner.triggered(doc) or not plain, (cleaner.name, text[:80])
            else:
                assert cleaner.triggered(doc) == plain, (cleaner.name, text[:80])


def _opens_a_line(text: str, leads: tuple[str, ...]) -> bool:
    """The reference of a line-start test: a line, less its indentation, opens with a lead,
    compared casefolded, lower-cased or folded."""
    return any(
        form(line.lstrip()).startswith(leads)
        for line in text.split("\n")
        for form in (str.casefold, str.lower, fold)
    )


_LINE_TEXTS = [
    "",
    "Advertisement",
    "Body.\n\nADVERTISEMENT\n\nMore.",
    "Body.\n  \tAdvertisement\n",
    " \u00a0Advertisement",
    "\nAdvertisement",
    "Body ad\nnot ad here",
    "Straße\nSSomething",
    "\ufb01le\nx",
    "\u0130s it?\nno",
    "x\n\u2003Photo: AP",
    "x\r\nPhoto",
]


@pytest.mark.parametrize("leads", [("ad",), ("photo", "image", "("), ("fi", "ss"), ("is ",)])
def test_line_starts_present_is_sound(leads: tuple[str, ...]) -> None:
    """``line_starts_present`` says yes wherever a line opens with a lead as the rules compare
    (casefolded, lower-cased or folded, after ``lstrip``), and is exact on texts without
    characters of irregular case."""
    newline = frozenset("\n" + lead for lead in leads)
    FOLDED_INDEX.add(sorted(newline))
    for text in [*_LINE_TEXTS, *casefiles.all_texts()]:
        for view in (text, tidy_whitespace(text)):
            said = line_starts_present(Doc(view), leads, newline)
            expected = _opens_a_line(view, leads)
            if has_odd_case(view):
                assert said or not expected, (leads, view[:80])
            else:
                assert said == expected, (leads, view[:80])
