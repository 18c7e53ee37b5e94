"""The default chain: which rule modules exist and the order their rules run in.

Each rule module registers its cleaners on import and lists them in ``RULES``. Inline rules
run first, then line and block rules, then rules about the start and the tail of the text.
"""

from __future__ import annotations

from cleaners import chrome, edges, footers, linkdump, promo

DEFAULT_CHAIN: tuple[str, ...] = (
    *linkdump.RULES,
    *promo.RULES,
    *chrome.RULES,
    *edges.RULES,
    *footers.RULES,
)
