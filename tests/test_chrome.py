"""Chrome rules (video players, galleries, age banners, CMS tags, share bars, licensing).

Cases are data files under ``tests/cases/chrome``:

* ``in_the_wild.jsonl``: real lines from scraped articles with their neighbours; the chrome
  rules turn ``text`` into ``expected`` and every removal is by ``rule``.
* ``synthetic.jsonl``: made-up variants of the same kinds, same fields.
* ``must_not_change.jsonl``: look-alikes (real and synthetic) the chrome rules leave alone.
* ``known_failures.jsonl``: what the rules get wrong today (strict xfail: a fix must move the
  case to the files above).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from cleaners import clean, get_chain
from cleaners.chrome import RULES, _leading_literals, _markers, _read_sections

CASES = Path(__file__).parent / "cases" / "chrome"


def _load(name: str) -> list[dict[str, object]]:
    with (CASES / name).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _chrome(text: str):
    return clean(text, rules=RULES, max_share=1.0)


def _case_id(case: dict[str, object]) -> str:
    return f"{case.get('rule', '')}:{str(case['text'])[:40]!r}"


WILD = _load("in_the_wild.jsonl")
SYNTHETIC = _load("synthetic.jsonl")
KEEP = _load("must_not_change.jsonl")
KNOWN = _load("known_failures.jsonl")


@pytest.mark.parametrize("case", WILD + SYNTHETIC, ids=_case_id)
def test_removes_chrome(case: dict[str, object]) -> None:
    result = _chrome(str(case["text"]))
    assert result.text == case["expected"]
    assert result.removals, "expected at least one removal"
    assert case["rule"] in {r.rule for r in result.removals}
    for removal in result.removals:
        assert removal.rule in RULES
        assert str(case["text"])[removal.start : removal.end] == removal.text


@pytest.mark.parametrize("case", WILD + SYNTHETIC, ids=_case_id)
def test_idempotent(case: dict[str, object]) -> None:
    once = _chrome(str(case["text"])).text
    assert _chrome(once).text == once


@pytest.mark.parametrize("case", KEEP, ids=lambda c: str(c["text"])[:50])
def test_must_not_change(case: dict[str, object]) -> None:
    result = _chrome(str(case["text"]))
    assert result.removals == (), case.get("note")


@pytest.mark.parametrize("case", KNOWN, ids=lambda c: str(c["note"])[:60])
@pytest.mark.xfail(strict=True, reason="known failure of the chrome rules")
def test_known_failures(case: dict[str, object]) -> None:
    result = _chrome(str(case["text"]))
    assert result.text == case["expected"]
    if case["kind"] == "keep":
        assert result.removals == ()


def test_rules_registered_in_default_chain() -> None:
    names = [c.name for c in get_chain()]
    for rule in RULES:
        assert rule in names
    for cleaner in get_chain(RULES):
        assert cleaner.description, f"{cleaner.name} needs a docstring"
        assert "Leaves alone" in (cleaner.find.__doc__ or ""), cleaner.name


def test_every_line_pattern_has_a_literal_beginning() -> None:
    """The prefilter needs each whole-line pattern to start with known text."""
    sections = _read_sections()
    for kind in ("video", "gallery", "image_block", "age", "share", "licensing"):
        for pattern in sections[kind]:
            assert _leading_literals(pattern), pattern
    assert _markers().starts


@pytest.mark.parametrize(
    "text",
    [
        "[caption " * 50_000,
        "[" * 200_000 + "]",
        ("Share\n\n" * 5_000),
        ("Copyright © 2019 " + "word " * 60 + "\n\n") * 2_000,
        "JUST WATCHED " + "x Replay More Videos ... " * 20_000,
        "a" * 1_000_000,
        "){" * 100_000,
    ],
    ids=["caption", "brackets", "share-lines", "copyright", "just-watched", "1MB", "braces"],
)
def test_pathological_inputs_are_fast(text: str) -> None:
    started = time.perf_counter()
    _chrome(text)
    assert time.perf_counter() - started < 2.0
