"""HTML to text: parse once, DOM pre-clean (:mod:`flows.dom`), then trafilatura (comments off).

Contract used by the flow: :func:`extract_html` returns an :class:`Extracted` or raises
:class:`ExtractError` with a clear, one-line reason.

The page is parsed once with trafilatura's own loader (same encoding detection and repairs as
``trafilatura.extract`` on a string), the title is read from that tree, residue widgets are
pruned from it, and the pruned tree goes to ``trafilatura.extract``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import trafilatura
from lxml.html import HtmlElement
from trafilatura.metadata import extract_title
from trafilatura.utils import load_html

from flows.dom import preclean


class ExtractError(ValueError):
    """The HTML could not be turned into text (malformed, empty, no main content)."""


@dataclass(frozen=True, slots=True)
class Extracted:
    """Text extracted from one HTML page.

    ``text`` starts with the title line when there is one, then a blank line, then the body.
    ``dom_removals`` are residue widgets dropped before extraction, each a dict with
    ``rule``, ``category``, ``reason`` and ``text`` (they have no span in ``text``).
    """

    title: str | None
    text: str
    dom_removals: list[dict[str, str]] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


_TITLE_META = (
    './/head/meta[@property="og:title"]',
    './/head/meta[@name="twitter:title"]',
    './/head/meta[@property="twitter:title"]',
)

TITLE_MAX_CHARS = 300


def page_title(tree: HtmlElement) -> str | None:
    """The headline: OpenGraph/Twitter title, else trafilatura's title heuristics."""
    for path in _TITLE_META:
        for meta in tree.iterfind(path):
            content = " ".join((meta.get("content") or "").split())
            if content:
                return content[:TITLE_MAX_CHARS]
    try:
        title = extract_title(tree)
    except Exception:  # trafilatura's heuristics on odd trees; the title is optional
        return None
    title = " ".join((title or "").split())
    return title[:TITLE_MAX_CHARS] or None


def extract_html(html: str | bytes, url: str | None = None) -> Extracted:
    """Extract the main text of a page; raises :class:`ExtractError` when there is none."""
    if isinstance(html, str) and not html.strip():
        raise ExtractError("empty HTML")
    if isinstance(html, bytes) and not html.strip():
        raise ExtractError("empty HTML")
    try:
        tree = load_html(html)
    except Exception as err:  # lxml and trafilatura raise many types on broken input
        raise ExtractError(f"unparseable HTML: {type(err).__name__}") from None
    if tree is None:
        raise ExtractError("not parseable as an HTML document")
    flags: list[str] = []
    title = page_title(tree)
    try:
        dom_removals = preclean(tree)
    except Exception as err:  # the pre-clean is an improvement, never a reason to fail
        flags.append(f"dom_preclean_failed:{type(err).__name__}")
        dom_removals = []
    try:
        body = trafilatura.extract(
            tree, url=url, include_comments=False, include_tables=True, favor_precision=False
        )
    except Exception as err:
        raise ExtractError(f"extraction failed: {type(err).__name__}") from None
    if not body or not body.strip():
        raise ExtractError("no main text found in HTML")
    body = body.strip()
    text = f"{title}\n\n{body}\n" if title else f"{body}\n"
    return Extracted(title, text, dom_removals, flags)
