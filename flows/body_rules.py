"""Rules on the extracted body's blocks that use what the page says about itself.

The page's metadata names its headline (``og:title``, ``<title>``) and its summary
(``description``); trafilatura often keeps the headline (``<h1>``) as the first block of the
body and sometimes the summary shown under it (the deck). The title line of the clean text
already holds the headline, so a repeat at the top of the body is residue.

Each rule is one function over the block list, named and versioned like the text cleaners; what
it drops is recorded as a dict (``rule``, ``category``, ``reason``, ``text``) next to the DOM
pre-clean's records.

Deliberately left alone: headings further down the body (section headings), a first paragraph
that only starts like the headline, and a deck that is a real first paragraph (long, or not the
page's description).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cleaners.edges import fold
from flows.blocks import Block

_TITLE_SEPARATORS = (" - ", " | ", " – ", " — ", " :: ", " · ", " « ", " » ", ": ")

LEAD_BLOCKS = 4
"""Blocks at the top of the body looked at for a headline."""

HEADLINE_MAX_WORDS = 40


@dataclass(frozen=True, slots=True)
class PageMeta:
    """What the page says about itself: headline candidates and its description."""

    titles: tuple[str, ...]
    """The title line, ``og:title``/``twitter:title`` and ``<title>``, as the page has them."""
    description: str | None = None


def title_variants(titles: Sequence[str]) -> frozenset[str]:
    """Folded titles and their parts around a site-name separator (``Headline | Site``)."""
    variants: set[str] = set()
    for title in titles:
        if not title:
            continue
        variants.add(fold(title))
        for sep in _TITLE_SEPARATORS:
            if sep in title:
                head, _, tail = title.rpartition(sep)
                first, _, rest = title.partition(sep)
                variants.update(fold(x) for x in (head, tail, first, rest))
    variants.discard("")
    return frozenset(v for v in variants if len(v) >= 8)


def is_headline(block: Block, variants: frozenset[str]) -> bool:
    """A heading that says the page's title (or the page's one ``h1`` at the top)."""
    if block.tag != "head" or block.words > HEADLINE_MAX_WORDS:
        return False
    folded = fold(block.text)
    if not folded:
        return False
    if folded in variants:
        return True
    # the h1 at the very top: the headline, even when the metadata words it differently,
    # as long as it shares most of its words with one of the page's titles
    if block.level == "h1":
        words = set(folded.split())
        for v in variants:
            other = set(v.split())
            if len(words & other) >= 0.6 * max(len(words), 1):
                return True
    return False


def find_headline(blocks: Sequence[Block], meta: PageMeta) -> list[int]:
    """Indexes of headline blocks repeated at the top of the body (before its first paragraph)."""
    variants = title_variants(meta.titles)
    if not variants:
        return []
    found = []
    for i, block in enumerate(blocks[:LEAD_BLOCKS]):
        if block.tag != "head":
            break
        if is_headline(block, variants):
            found.append(i)
    return found


RULES = (("html_headline_v1", "headline", "the page's headline repeated at the top of the body"),)


def apply_body_rules(
    blocks: Sequence[Block], meta: PageMeta
) -> tuple[list[Block], list[dict[str, str]]]:
    """The blocks that stay, and a record of each dropped one."""
    drop: dict[int, tuple[str, str, str]] = {}
    for i in find_headline(blocks, meta):
        drop.setdefault(i, RULES[0])
    kept: list[Block] = []
    records: list[dict[str, str]] = []
    for i, block in enumerate(blocks):
        if i in drop:
            rule, category, reason = drop[i]
            records.append(
                {"rule": rule, "category": category, "reason": reason, "text": block.text}
            )
        else:
            kept.append(block)
    return kept, records
