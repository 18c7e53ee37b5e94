"""Bounded regular expressions for untrusted text.

Every pattern that is not proven linear runs through :mod:`regex` with a timeout; a timeout
raises ``TimeoutError``, which the chain runner turns into a ``timeout:<rule>`` flag (the rule
then removes nothing from that document).
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

TIMEOUT_S = 0.25
"""Wall-clock budget of one scan of one document by one pattern."""


def compile(pattern: str, flags: int = 0) -> regex.Pattern[str]:
    return regex.compile(pattern, flags)


def finditer(pattern: regex.Pattern[str], text: str, pos: int = 0) -> Iterator[regex.Match[str]]:
    return pattern.finditer(text, pos, timeout=TIMEOUT_S)


def search(pattern: regex.Pattern[str], text: str, pos: int = 0) -> regex.Match[str] | None:
    return pattern.search(text, pos, timeout=TIMEOUT_S)


def fullmatch(pattern: regex.Pattern[str], text: str) -> regex.Match[str] | None:
    return pattern.fullmatch(text, timeout=TIMEOUT_S)
