"""The five seed documents come out exactly as expected (whole files compared)."""

from pathlib import Path

import pytest

from cleaners import clean

CASES = Path(__file__).parent / "cases" / "seeds"
SEEDS = sorted(p.name for p in (CASES / "input").glob("*.txt"))


@pytest.mark.parametrize("name", SEEDS)
def test_seed_exact(name: str) -> None:
    raw = (CASES / "input" / name).read_text(encoding="utf-8")
    expected = (CASES / "expected" / name).read_text(encoding="utf-8")
    assert clean(raw).text == expected


@pytest.mark.parametrize("name", SEEDS)
def test_seed_idempotent(name: str) -> None:
    once = clean((CASES / "input" / name).read_text(encoding="utf-8")).text
    assert clean(once).text == once
