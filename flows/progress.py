"""A progress hook between the flow and whoever displays progress (the CLI's rich bar).

The flow reports documents done; a listener, when one is set, turns that into a display.
Kept out of the flow's parameters so that they stay plain, serialisable values.
"""

from __future__ import annotations

from collections.abc import Callable

Listener = Callable[[int], None]
_listener: Listener | None = None


def set_listener(listener: Listener | None) -> None:
    """``listener(documents)`` is called after each batch; None to stop."""
    global _listener
    _listener = listener


def advance(documents: int) -> None:
    if _listener is not None:
        _listener(documents)
