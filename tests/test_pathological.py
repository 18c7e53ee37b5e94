"""Every pattern is bounded: cost grows linearly on adversarial inputs, never quadratically.

Each input is built at a quarter size and at full size; the full one may cost at most 8 times
the quarter (linear is 4x, quadratic 16x). A ratio, measured side by side, holds on a loaded
machine where an absolute CPU budget does not; a generous absolute cap still catches a hang.
"""

import time
from collections.abc import Callable

import pytest

from cleaners import clean

INPUTS: dict[str, Callable[[int], str]] = {
    "capitalised words": lambda n: " ".join(["Word"] * n),
    "glued capitalised words": lambda n: "Word" * n + " MORE",
    "one line without a newline": lambda n: ("abc Def, ghi. " * n)[: n * 13],
    "MOREs": lambda n: " MORE" * (n // 10),
    "glued MOREs": lambda n: "Donald TrumpMORE" * (n // 10),
    "short lines": lambda n: "Advertisement\n" * (n // 2) + "Related Topics\n" * (n // 2),
    "blank lines": lambda n: "\n" * n + "x",
    "brackets": lambda n: "(" * (2 * n) + ")" * (2 * n),
    "glued colons": lambda n: "More:" * (n // 5),
    "pointer asides": lambda n: "(RELATED: " * (n // 10),
    "wire codes": lambda n: "[nL1N2AB3CD" * (n // 11),
    "dated headline lines": lambda n: "Jan. 5: Council passes budget\n\n" * (n // 30),
    "labelled link tails": lambda n: "Done. WATCH: http://x.co/a\n" * (n // 27),
    "glued link lines": lambda n: "The list:Here are roads\n\n" * (n // 25),
}

FULL = 100_000
MAX_GROWTH = 8.0
"""Cost ratio allowed between a 4x larger input and the smaller one."""
ABSOLUTE_CAP = 20.0
"""Seconds of CPU for the full-size input: only a runaway pattern comes near this."""


def _cpu_seconds(text: str) -> float:
    best = float("inf")
    for _ in range(2):
        start = time.process_time()
        result = clean(text)
        best = min(best, time.process_time() - start)
        assert result.text is not None
    return best


@pytest.mark.parametrize("name", list(INPUTS))
def test_pathological_input_grows_linearly(name: str) -> None:
    build = INPUTS[name]
    small = _cpu_seconds(build(FULL // 4))
    full = _cpu_seconds(build(FULL))
    assert full < ABSOLUTE_CAP, f"{name}: {full:.2f}s of CPU"
    # below a few milliseconds the ratio is timer noise
    assert full < max(small, 0.005) * MAX_GROWTH, f"{name}: {small:.3f}s -> {full:.3f}s for 4x"
