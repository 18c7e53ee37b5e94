"""Publishing a reviewed run (placeholder until the review issue lands)."""

from __future__ import annotations


def cli_main(argv: list[str]) -> int:
    """``decruft publish DIR --to DEST [--exclude ID ...] [--approved-by NAME]``."""
    raise SystemExit("decruft publish: not implemented yet")
