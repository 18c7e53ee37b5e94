"""Recall: keep article text that trafilatura's class-name pruning would drop.

trafilatura deletes, before it extracts, every block whose ``class`` or ``id`` contains one of
many substrings (``meta``, ``-icon``, ``bar``, ``slide``, ``button``, ``expand``, ...). The
substrings hit unrelated words too: an accordion wrapper styled ``kt-accodion-icon-style-arrow``
or a column called ``sidebar-layout-main`` goes with all the article text inside it.

:func:`protect_prose` finds the blocks trafilatura's discard rules match and that hold real
prose (long paragraphs with few links), and renames their ``class`` and ``id`` attributes
(to ``data-decruft-class`` / ``data-decruft-id``) so the rules no longer match them. Each
matched block is judged on its own: a short share bar inside a protected wrapper still goes.
Leaves alone blocks whose prose is mostly links, and short blocks (labels, bylines, ratings).
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement
from trafilatura.xpaths import BODY_XPATH, OVERALL_DISCARD_XPATH

from flows.dom import paragraph_prose

PROSE_PARAGRAPH_CHARS = 80
"""A paragraph at least this long, mostly not link text, reads as prose."""

PROSE_MIN_CHARS = 300
"""A discarded block holding this much prose is protected."""


BOILERPLATE_WORDS = (
    "relat",
    "comment",
    "share",
    "sharing",
    "social",
    "newsletter",
    "footer",
    "nav",
    "menu",
    "author",
    "byline",
    "sidebar",
    "promo",
    "advert",
    "ad",
    "ads",
    "sponsor",
    "tag",
    "cookie",
    "consent",
    "subscri",
    "popular",
    "recommend",
    "teaser",
    "more",
    "next",
)
_CAMEL = re.compile(r"([a-z])([A-Z])")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
SLUG_SHARE = 0.8
DOMINANT_SHARE = 0.8


def _words(value: str) -> list[str]:
    return [w for w in _NON_ALNUM.split(_CAMEL.sub(r"\1 \2", value).lower()) if w]


def _outermost(elements: list[HtmlElement]) -> list[HtmlElement]:
    chosen = set(elements)
    return [el for el in elements if not any(a in chosen for a in el.iterancestors())]


def _heading_words(element: HtmlElement) -> set[str]:
    for heading in element.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        return set(_words(heading.text_content()))
    return set()


def names_boilerplate(element: HtmlElement) -> bool:
    """Whether a word of the class or id names a boilerplate widget.

    An id that spells the block's own heading (``menu-innovation-strategies``, an anchor made
    from the title "Menu innovation strategies") is a slug, not a name, and is not read.
    """
    words = _words(element.get("class") or "")
    id_words = _words(element.get("id") or "")
    if id_words:
        heading = _heading_words(element)
        if sum(w in heading for w in id_words) < SLUG_SHARE * len(id_words):
            words += id_words
    return any(w.startswith(BOILERPLATE_WORDS) for w in words)


def _candidate_roots(root: HtmlElement) -> list[HtmlElement]:
    """The subtrees trafilatura tries in turn as the main content (first hit of each BODY_XPATH)."""
    roots = []
    for expression in BODY_XPATH:
        subtree = next((s for s in expression(root) if s is not None), None)
        if subtree is not None and subtree not in roots:
            roots.append(subtree)
    return roots


def _prose_by_element(root: HtmlElement) -> dict[HtmlElement, int]:
    """Prose characters under every element of ``root`` (one pass over its paragraphs)."""
    totals: dict[HtmlElement, int] = {}
    for p in root.iter("p"):
        n = paragraph_prose(p, PROSE_PARAGRAPH_CHARS)
        if not n:
            continue
        element: HtmlElement | None = p
        while element is not None:
            totals[element] = totals.get(element, 0) + n
            if element is root:
                break
            element = element.getparent()
    return totals


def protect_prose(tree: HtmlElement) -> int:
    """Rename the class/id of discard-matched blocks that hold prose; how many were renamed.

    Mirrors trafilatura: the rules run on each subtree it may take as the main content, and
    where its own guard would keep everything (the rules match nearly all of the subtree) no
    block is protected, since protecting one would let the rules delete the rest. A block is
    protected when it holds at least ``PROSE_MIN_CHARS`` of prose and either most of the
    subtree's prose (it is the article, whatever its name) or a class and id that name no
    boilerplate widget (``related``, ``comments``, ``author``, ``sidebar``, ...).
    """
    body = tree.find("body")
    root = body if body is not None else tree
    candidates = _candidate_roots(root)
    if not candidates:
        return 0
    prose = _prose_by_element(root)
    matches = [
        el
        for el in dict.fromkeys(
            el for expression in OVERALL_DISCARD_XPATH for el in expression(root)
        )
        if prose.get(el, 0) >= PROSE_MIN_CHARS
    ]
    if not matches:
        return 0
    protected: dict[HtmlElement, None] = {}
    for candidate in candidates:
        inside = [el for el in matches if el is not candidate and candidate in el.iterancestors()]
        if not inside:
            continue
        every = [el for expression in OVERALL_DISCARD_XPATH for el in expression(candidate)]
        total = len(candidate.text_content())
        if total - sum(len(el.text_content()) for el in _outermost(every)) <= total / 7:
            continue  # trafilatura's own guard keeps everything here: nothing to protect
        subtree_prose = prose.get(candidate, 0)
        for el in inside:
            if prose[el] >= DOMINANT_SHARE * subtree_prose or not names_boilerplate(el):
                protected[el] = None
    for el in protected:
        for name in ("class", "id"):
            value = el.attrib.pop(name, None)
            if value is not None:
                el.set(f"data-decruft-{name}", value)
    return len(protected)
