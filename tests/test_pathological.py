"""Every pattern is bounded: adversarial inputs finish within a second of CPU time each."""

import time

import pytest

from cleaners import clean

INPUTS = {
    "100k capitalised words": " ".join(["Word"] * 100_000),
    "100k glued capitalised words": "Word" * 100_000 + " MORE",
    "1 MB without a newline": ("abc Def, ghi. " * 75_000)[:1_000_000],
    "10k MOREs": " MORE" * 10_000,
    "10k glued MOREs": "Donald TrumpMORE" * 10_000,
    "100k short lines": "Advertisement\n" * 50_000 + "Related Topics\n" * 50_000,
    "100k blank lines": "\n" * 100_000 + "x",
    "long line of brackets": "(" * 200_000 + ")" * 200_000,
}


@pytest.mark.parametrize("name", list(INPUTS))
def test_pathological_input_is_bounded(name: str) -> None:
    raw = INPUTS[name]
    start = time.process_time()
    result = clean(raw)
    elapsed = time.process_time() - start
    assert result.text is not None
    assert elapsed < 1.0, f"{name}: {elapsed:.2f}s of CPU"
