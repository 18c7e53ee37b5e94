"""The default chain: which rule modules exist and the order their rules run in.

Each rule module registers its cleaners on import and lists them in ``RULES``. The chain runs
to a fixpoint (every rule runs again on a view that changed after its last run), so the order
decides cost, not outcome on the corpus: a removal makes every rule before it run again, so
rules that fire often run first. The inline link-dump rule runs first of all: on the pages it
fires on (The Hill: nearly every one) a late run made the whole chain before it run a second
time, while a first run makes only itself run again (on a text without cards left, a few
searches); its cards sit inside lines and paragraphs, which no line or block rule's removal
creates. The newsletter rules, which rarely fire, run late (they then see most documents only
once).
The learned site templates run last, so a line a written rule knows keeps that rule's name.
"""

from __future__ import annotations

from cleaners import (
    bylines,
    calls,
    chrome,
    credits,
    edges,
    footers,
    inhouse,
    labels,
    linkdump,
    newsletter,
    offers,
    promo,
    related,
    templates,
)

DEFAULT_CHAIN: tuple[str, ...] = (
    *linkdump.RULES,
    *promo.RULES,
    *credits.RULES,
    *inhouse.RULES,
    *related.RULES,
    *labels.RULES,
    *chrome.RULES,
    *edges.RULES,
    *footers.RULES,
    *newsletter.RULES,
    *calls.RULES,
    *offers.RULES,
    *bylines.RULES,
    *templates.RULES,
)
