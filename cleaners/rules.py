"""The default chain: which rule modules exist and the order their rules run in.

Each rule module registers its cleaners on import and lists them in ``RULES``. The chain runs
to a fixpoint (every rule runs again on a view that changed after its last run), so the order
decides cost, not outcome on the corpus: rules that fire often run first, and the inline
link-dump rule, the most expensive and rarely enabled by another rule's removal, runs late;
the newsletter rules, which rarely fire, run late (they then see most documents only once).
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
    labels,
    linkdump,
    newsletter,
    promo,
    related,
    templates,
)

DEFAULT_CHAIN: tuple[str, ...] = (
    *promo.RULES,
    *credits.RULES,
    *related.RULES,
    *labels.RULES,
    *chrome.RULES,
    *edges.RULES,
    *footers.RULES,
    *linkdump.RULES,
    *newsletter.RULES,
    *calls.RULES,
    *bylines.RULES,
    *templates.RULES,
)
