"""The extracted body as blocks: trafilatura's XML body rendered one top-level element at a time.

trafilatura's own text output is one line per element, so a paragraph, a heading and the items
of a list all look alike. Rendering each top-level element of its XML body (``head``, ``p``,
``list``, ``table``, ``quote``, ``code``, ...) on its own keeps what the page said a block was:
the text is the same as trafilatura's (the same renderer, element by element), the blocks are
joined by a blank line (the paragraph separator of the clean text contract), and the lines of
one list or table stay together.

Each block keeps its tag and, for headings, the level trafilatura recorded (``rend="h1"``), and
how much of its text was link text (``ref`` elements, present when links are kept), so the
rules of :mod:`flows.body_rules` can judge blocks by structure rather than by wording.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml.etree import _Element
from trafilatura.utils import normalize_unicode
from trafilatura.xml import xmltotxt


@dataclass(frozen=True, slots=True)
class Block:
    """One top-level element of the extracted body."""

    tag: str
    """trafilatura's element name: ``p``, ``head``, ``list``, ``table``, ``quote``, ``code``..."""
    text: str
    level: str | None = None
    """For a heading, the HTML level it came from (``h1``..``h6``) when trafilatura kept it."""
    link_chars: int = 0
    """Characters of the block's text inside links (0 when links were not kept)."""

    @property
    def words(self) -> int:
        return len(self.text.split())


def _link_chars(element: _Element) -> int:
    total = 0
    for ref in element.iter("ref"):
        total += len(" ".join("".join(ref.itertext()).split()))
    return total


def body_blocks(body: _Element | None) -> list[Block]:
    """The non-empty blocks of trafilatura's XML ``body``, in order."""
    if body is None:
        return []
    blocks: list[Block] = []
    for child in body:
        if not isinstance(child.tag, str):
            continue
        tail, child.tail = child.tail, None
        try:
            text = normalize_unicode(xmltotxt(child, False)).strip()
        finally:
            child.tail = tail
        if text:
            rend = child.get("rend") if child.tag == "head" else None
            blocks.append(Block(child.tag, text, rend, _link_chars(child)))
        if tail and tail.strip():
            blocks.append(Block("p", " ".join(tail.split())))
    return blocks


def join_blocks(blocks: list[Block]) -> str:
    return "\n\n".join(b.text for b in blocks)
