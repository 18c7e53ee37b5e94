"""The default chain: which rule modules exist and the order their rules run in.

Each rule module registers its cleaners on import. Inline rules run first, then line and
block rules, then rules that look at the tail of the text.
"""

from __future__ import annotations

DEFAULT_CHAIN: tuple[str, ...] = ()
