"""decruft's cleaning library: explainable removals of scraping residue.

    from cleaners import clean
    result = clean(text, source=None)
    result.text, result.removals, result.flags

Pure Python: no Prefect, no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence

from cleaners import registry

# Importing the rule modules registers their cleaners.
from cleaners import rules as _rules
from cleaners.core import (
    CATEGORIES,
    DEFAULT_MAX_SHARE,
    CleanResult,
    Doc,
    Finding,
    Removal,
    apply_removals,
    tidy_whitespace,
)
from cleaners.registry import REGISTRY, get_chain, register, rule_versions
from cleaners.templates import SiteTemplates, TemplateTable

registry.DEFAULT_CHAIN = _rules.DEFAULT_CHAIN

__all__ = [
    "CATEGORIES",
    "DEFAULT_MAX_SHARE",
    "REGISTRY",
    "CleanResult",
    "Doc",
    "Finding",
    "Removal",
    "SiteTemplates",
    "TemplateTable",
    "apply_removals",
    "clean",
    "get_chain",
    "register",
    "rule_versions",
    "tidy_whitespace",
]


def clean(
    text: str,
    source: str | None = None,
    *,
    title: str | None = None,
    rules: Sequence[str] | None = None,
    max_share: float = DEFAULT_MAX_SHARE,
    templates: SiteTemplates | None = None,
) -> CleanResult:
    """Clean one document: find residue, delete it, tidy whitespace.

    ``source`` is an optional site/domain hint, ``title`` the document's known headline,
    ``rules`` a chain of registered rule names (default: the default chain), ``max_share``
    the over-removal guard's threshold on the share of visible characters removed,
    ``templates`` the learned templates of ``source`` (:class:`cleaners.templates.SiteTemplates`,
    built by the flow from a corpus; without them ``site_template_v1`` removes nothing).
    """
    return registry.run_chain(
        text, source=source, title=title, rules=rules, max_share=max_share, templates=templates
    )
