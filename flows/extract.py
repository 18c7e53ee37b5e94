"""HTML to text: DOM pre-clean with BeautifulSoup, then trafilatura (comments off).

Contract used by the flow: :func:`extract_html` returns an :class:`Extracted` or raises
:class:`ExtractError` with a clear, one-line reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import trafilatura


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


def extract_html(html: str | bytes, url: str | None = None) -> Extracted:
    """Extract the main text of a page; raises :class:`ExtractError` when there is none."""
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    if not html.strip():
        raise ExtractError("empty HTML")
    body = trafilatura.extract(
        html, url=url, include_comments=False, include_tables=True, favor_precision=False
    )
    if not body or not body.strip():
        raise ExtractError("no main text found in HTML")
    meta = trafilatura.extract_metadata(html, default_url=url)
    title = (meta.title or "").strip() if meta is not None else ""
    text = f"{title}\n\n{body.strip()}\n" if title else f"{body.strip()}\n"
    return Extracted(title or None, text)
