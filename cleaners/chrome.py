"""Rules of the chrome module (see its helper's docstrings once written)."""

from __future__ import annotations

RULES: tuple[str, ...] = ()
"""Names this module registers, in the order they run in the default chain."""
