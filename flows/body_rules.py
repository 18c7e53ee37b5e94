"""Rules on the extracted body's blocks that use what the page says about itself.

The page's metadata names its headline (``og:title``, ``<title>``) and its summary
(``description``); trafilatura often keeps the headline (``<h1>``) as the first block of the
body and sometimes the summary shown under it (the deck). The title line of the clean text
already holds the headline, so a repeat at the top of the body is residue.

Each rule is one function over the block list, named and versioned like the text cleaners; what
it drops is recorded as a dict (``rule``, ``category``, ``reason``, ``text``) next to the DOM
pre-clean's records.

Above the headline, trafilatura often keeps the page's chrome: breadcrumbs, a "Back to blog"
link, a section label, a date or a reading time. When the headline is found under nothing but
such short blocks, they go with it (``html_pre_headline_v1``): the article starts under its
headline.

Below the article, trafilatura often keeps the page's pitch box as a last section: a short
heading over a sentence or two addressed to the reader (``Join Our Newsletter`` / ``Sign up now
to get ... to your inbox``); it goes too (``html_tail_box_v1``, :func:`find_tail_box`).

Deliberately left alone: headings further down the body (section headings), a headline under a
real paragraph (a deck or a lede placed first), a first paragraph that only starts like the
headline, and a deck that is a real first paragraph (long, or not the page's description).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from cleaners.edges import fold
from flows.blocks import Block

_TITLE_SEPARATORS = (" - ", " | ", " – ", " — ", " :: ", " · ", " « ", " » ", ": ")

LEAD_BLOCKS = 4
"""Blocks at the top of the body looked at for a headline."""

HEADLINE_MAX_WORDS = 40

PRE_HEADLINE_MAX_WORDS = 12
"""A block above the headline this short is page chrome (a label, a date, breadcrumbs)."""


@dataclass(frozen=True, slots=True)
class PageMeta:
    """What the page says about itself: headline candidates and its description."""

    titles: tuple[str, ...]
    """The title line, ``og:title``/``twitter:title`` and ``<title>``, as the page has them."""
    description: str | None = None
    article: bool = False
    """The page declares itself an article (``flows.extract.declares_article``)."""


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
    return [i for i, rule in find_lead(blocks, meta) if rule == 0]


def find_lead(blocks: Sequence[Block], meta: PageMeta) -> list[tuple[int, int]]:
    """The headline at the top of the body and the chrome above it, as (index, rule index).

    The headline is a heading that says the page's title (:func:`is_headline`) or a block of
    any kind whose whole text is one of the title's variants. It is looked for in the first
    :data:`LEAD_BLOCKS` blocks, under short blocks only (at most
    :data:`PRE_HEADLINE_MAX_WORDS` words each); a longer block above it ends the search. The
    short blocks above a found headline are chrome (rule index 1); without a headline nothing
    above is touched.
    """
    variants = title_variants(meta.titles)
    if not variants:
        return []
    found: list[tuple[int, int]] = []
    above: list[int] = []
    for i, block in enumerate(blocks[:LEAD_BLOCKS]):
        headline = is_headline(block, variants) or (
            block.words <= HEADLINE_MAX_WORDS and fold(block.text) in variants
        )
        if headline:
            found.extend((j, 1) for j in above)
            found.append((i, 0))
            above = []
            continue
        if found and block.tag != "head":
            break
        if block.words > PRE_HEADLINE_MAX_WORDS:
            break
        above.append(i)
    return found


TAIL_BOX_SPAN = 3
"""The closing heading of a tail box is among this many last blocks."""

TAIL_BOX_HEADING_WORDS = 12
TAIL_BOX_MAX_WORDS = 25
"""Words of the one or two short paragraphs under the closing heading of a tail box."""

TAIL_BOX_MIN_BODY_WORDS = 150
"""Words of plain paragraphs the body must hold before a tail box (the article came first)."""

_SECOND_PERSON = frozenset({"you", "your", "you're", "you’re", "you'll", "you’ll", "yours"})


def find_tail_box(blocks: Sequence[Block]) -> list[int]:
    """Indexes of a pitch box closing the body: a short heading over a short call to the reader.

    ``Join Our Newsletter`` / ``Sign up now to get the freshest updates ... to your inbox``,
    ``Get started today`` / ``Ready to grow? Scale your business with ...``, ``This story is
    funded by readers like you`` / ``... Your one-off or monthly donation ...``: the box the
    page places under the article (sign-up, demo, donation) that trafilatura keeps as a last
    section. A heading among the last :data:`TAIL_BOX_SPAN` blocks, of at most
    :data:`TAIL_BOX_HEADING_WORDS` words and not a question, with nothing under it but one or
    two paragraphs of at most :data:`TAIL_BOX_MAX_WORDS` words in all (a sentence or two) that
    address the reader (``you``, ``your``) and do not end with a question, after a body of at
    least :data:`TAIL_BOX_MIN_BODY_WORDS` words of paragraphs.

    Leaves alone a closing section that does not speak to the reader (``What clinical trials
    are open?`` / ``... can be viewed at ClinicalTrials.gov``), a conclusion longer than a
    pitch (``Final Thoughts`` over 34 words), a question with its answer (an FAQ), a heading
    over a question (``Which type of meditation is right for you?``) and closing lists.
    """
    n = len(blocks)
    for i in range(n - 2, max(n - 1 - TAIL_BOX_SPAN, 0) - 1, -1):
        head = blocks[i]
        if head.tag != "head":
            continue
        if head.words > TAIL_BOX_HEADING_WORDS or head.text.rstrip().endswith("?"):
            return []
        under = blocks[i + 1 :]
        if len(under) > 2 or any(b.tag != "p" for b in under):
            return []
        if sum(b.words for b in under) > TAIL_BOX_MAX_WORDS:
            return []
        if any(b.text.rstrip().endswith("?") for b in under):
            return []  # a question under a heading: a teaser or an FAQ, not a call
        words = {w.strip(".,!?:;()\"'").lower() for b in under for w in b.text.split()}
        if not words & _SECOND_PERSON:
            return []
        body = sum(b.words for b in blocks[:i] if b.tag == "p")
        if body < TAIL_BOX_MIN_BODY_WORDS:
            return []
        return list(range(i, n))
    return []


_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE = (
    rf"(?:{_MONTH}\s+{_DAY}(?:,?\s+\d{{4}})?|{_DAY}\s+{_MONTH},?(?:\s+\d{{4}})?"
    rf"|{_MONTH},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}})"
)
_STAMP = r"(?:(?:last\s+)?(?:updated|published|posted|modified)(?:\s+(?:on|at))?:?)"
_PAGE_META = re.compile(
    rf"(?:{_STAMP}\s*)?{_DATE}"
    rf"|{_STAMP}"
    r"|(?:\d{1,3}\s*)?(?:min(?:ute)?s?\.?|mins?)\s+read"
    r"|(?:estimated\s+)?reading\s+time:?(?:\s*\d{1,3}\s*(?:min(?:ute)?s?\.?|mins?))?"
    r"|\d{1,3}\s*(?:min(?:ute)?s?|mins?)"
    r"|table\s+of\s+contents?:?|contents:?|in\s+this\s+(?:article|post|guide|story):?"
    r"|(?:back|return)\s+to\s+(?:the\s+)?(?:blog|top|news|articles|all\s+posts|posts|home)"
    r"|page\s+\d{1,3}\s+of\s+\d{1,3}"
    r"|share(?:\s+this(?:\s+(?:article|post|story|page))?)?:?|tags:?|print",
    re.IGNORECASE,
)
"""One piece of page furniture around an article: a date (``Updated: Jan 31``, ``3 January,
2025``), a reading time (``11 min read``), a table-of-contents label, a link back to the blog,
a pagination label, a share or tags label. Literal alternatives and bounded classes: linear."""

_META_SEPARATORS = re.compile(r"\s+(?:\||//|·|•|-|–|—)\s+")

META_LINE_MAX_WORDS = 8
META_NAME_MAX_WORDS = 3
"""A list item beside dates and reading times this short is the author's name."""


def is_page_meta(block: Block) -> bool:
    """A block made only of page furniture (:data:`_PAGE_META`).

    A paragraph or heading is one line of such pieces, joined by separators (``December 15,
    2025 // 8 min read``); a list is a byline strip (``- Gabo`` / ``- Jan 23`` / ``- 11 min
    read``): each item such a piece or a short name, at least one a piece.
    """
    if block.tag in ("p", "head"):
        text = " ".join(block.text.split())
        if not text or len(text.split()) > META_LINE_MAX_WORDS:
            return False
        return all(_PAGE_META.fullmatch(part) for part in _META_SEPARATORS.split(text))
    if block.tag == "list":
        items = [" ".join(line.lstrip("-•* ").split()) for line in block.text.splitlines()]
        items = [item for item in items if item]
        if not items or len(items) > 6:
            return False
        meta = sum(1 for item in items if _PAGE_META.fullmatch(item))
        names = sum(
            1
            for item in items
            if not _PAGE_META.fullmatch(item)
            and len(item.split()) <= META_NAME_MAX_WORDS
            and not any(ch in item for ch in ".!?:;,")
        )
        return meta >= 1 and meta + names == len(items) and meta >= names
    return False


HEAD_META_BLOCKS = 6
"""Blocks at the top of the body looked at for page furniture."""


def find_head_meta(blocks: Sequence[Block], skip: Sequence[int] = ()) -> list[int]:
    """Indexes of the page furniture opening the body, before its first other block.

    ``Back to blog`` / ``13 MIN READ`` / ``PUBLISHED`` / ``3 January, 2025``, ``Table of
    Contents``, ``Page 1 of 8``, a byline strip of name, date and reading time: the strip
    over the article that trafilatura keeps. Only the run of such blocks (:func:`is_page_meta`)
    at the very top (indexes in ``skip``, the headline and what other rules drop, are passed
    over) and within the first :data:`HEAD_META_BLOCKS` blocks; the first other block ends it.

    Leaves alone: dates and labels further down, a line that says anything else (``Originally
    published in March 2022.``, ``By Lizzie Streit, MS, RDN``), and headings of the article.
    """
    found: list[int] = []
    for i, block in enumerate(blocks[:HEAD_META_BLOCKS]):
        if i in skip:
            continue
        if not is_page_meta(block):
            break
        found.append(i)
    if len(found) == len([i for i in range(len(blocks)) if i not in skip]):
        return []  # nothing but furniture: not a body to trim
    return found


TAIL_LABEL_MAX = 3
TAIL_LABEL_MAX_WORDS = 4
TAIL_LABEL_MIN_BODY_WORDS = 150
SIGN_OFF_MAX_WORDS = 6


def _is_tail_label(block: Block) -> bool:
    """A short label paragraph: ``Tags``, ``PIN FOR LATER``, ``Follow Hardtail Canada``."""
    if block.tag != "p":
        return False
    text = " ".join(block.text.split())
    if is_page_meta(block):
        return True
    if not text or len(text.split()) > TAIL_LABEL_MAX_WORDS or not text[0].isalnum():
        return False
    # not a sentence, a sign-off (``Best wishes, Andrew``), a value or an address
    return text[-1] not in ".!?:;,)" and not any(ch in text for ch in ",:…—–/@<>#")


def _is_sign_off(block: Block) -> bool:
    """A closing greeting (``Happy Planting!``, ``See you next week,``): a name may follow."""
    text = block.text.strip()
    return block.tag == "p" and block.words <= SIGN_OFF_MAX_WORDS and text[-1:] in ",!"


def find_tail_labels(blocks: Sequence[Block]) -> list[int]:
    """Indexes of short labels closing the body: the page's buttons and section labels.

    ``Tags``, ``PIN FOR LATER``, ``Follow Hardtail Canada`` / ``Favourite on Google News``,
    ``Proudly supporting``: at most :data:`TAIL_LABEL_MAX` paragraphs of at most
    :data:`TAIL_LABEL_MAX_WORDS` words closing the body, with no sentence punctuation (or page
    furniture, :func:`is_page_meta`), after at least :data:`TAIL_LABEL_MIN_BODY_WORDS` words of
    paragraphs. :func:`apply_body_rules` looks for them on pages that declare an article only:
    on listings and shops the last short blocks are items (``Deepfakes Software For All``,
    ``See Price in Bag``).

    Leaves alone: sign-offs (``Best wishes, Andrew``; a name under a closing greeting such as
    ``Happy Planting!``), closing sentences and questions, values (``Where to watch:
    Netflix``), links and addresses, closing headings, and anything above a longer block.
    """
    found: list[int] = []
    for i in range(len(blocks) - 1, -1, -1):
        if len(found) == TAIL_LABEL_MAX or not _is_tail_label(blocks[i]):
            break
        if i > 0 and _is_sign_off(blocks[i - 1]):
            break
        found.append(i)
    if not found:
        return []
    body = sum(b.words for b in blocks[: found[-1]] if b.tag == "p")
    return found[::-1] if body >= TAIL_LABEL_MIN_BODY_WORDS else []


_AUTHOR_LABEL = re.compile(
    r"(?:(?:written|posted|authored|reviewed|edited|curated) by\b"
    r"|(?:about|meet) the authors?\b|authors?\b:?$|author:)",
    re.IGNORECASE,
)
"""The label opening an author box: ``Written by Cassidy Horton``, ``About the Author``,
``AUTHOR``, ``Reviewed by,``. Literal alternatives: linear."""

AUTHOR_LABEL_MAX_WORDS = 10
AUTHOR_BOX_MAX_WORDS = 200
"""Words from the author label to the end of the body: a bio, a photo credit, a legal line."""

AUTHOR_BOX_SPAN = 8
"""The author label is among this many last blocks."""


def find_tail_author_box(blocks: Sequence[Block]) -> list[int]:
    """Indexes of the author box closing the body: its label and everything under it.

    ``Written by Cassidy Horton`` / ``Cassidy Horton is a finance writer who ...`` / ``All
    personal loans made by WebBank.``, ``About the Author:`` / ``Juliette Carreiro is a
    skilled content creator ...``, ``Written by Paulinho Giovannini`` over the cards of the
    writer's other posts: a short block opening with an author label (:data:`_AUTHOR_LABEL`)
    among the last :data:`AUTHOR_BOX_SPAN` blocks, with at most :data:`AUTHOR_BOX_MAX_WORDS`
    words from it to the end, after at least :data:`TAIL_LABEL_MIN_BODY_WORDS` words of
    paragraphs. :func:`apply_body_rules` looks for it on pages that declare an article.

    Leaves alone: a byline at the top (``Written by`` over the article), an author label over
    more than a short box (``About the Author`` over a 268-word profile that is the page's
    own text), labels inside a sentence (``The report, written by ...``) and anything above.
    """
    n = len(blocks)
    for i in range(max(n - AUTHOR_BOX_SPAN, 0), n):
        block = blocks[i]
        if block.tag not in ("p", "head") or block.words > AUTHOR_LABEL_MAX_WORDS:
            continue
        if not _AUTHOR_LABEL.match(" ".join(block.text.split())):
            continue
        if sum(b.words for b in blocks[i:]) > AUTHOR_BOX_MAX_WORDS:
            continue
        if sum(b.words for b in blocks[:i] if b.tag == "p") < TAIL_LABEL_MIN_BODY_WORDS:
            return []
        return list(range(i, n))
    return []


_PREV_NEXT = re.compile(
    r"(?:[«‹<←]\s*)?(?:next|previous|prev|older|newer)"
    r"(?:\s+(?:article|post|story|entry|page|chapter|episode)s?)?"
    r"(?:\s*(?:[»›>→])|\s*(?::|[»›>→«‹<←])\s*\S.{0,150})?",
    re.IGNORECASE,
)
"""A line of the links to the neighbouring posts: ``Next article: Go Wins 2010 Bossie Award``,
``« Previous Post``, ``Older post``. Bounded classes: linear."""

PREV_NEXT_SPAN = 3
"""The links to the neighbouring posts are among this many last blocks."""

PREV_NEXT_LABEL_WORDS = 3


def _is_prev_next(block: Block) -> bool:
    """A block of prev/next lines, with at most one short label (``Blog Index``) beside them."""
    if block.tag not in ("p", "list"):
        return False
    lines = [" ".join(line.lstrip("-•* ").split()) for line in block.text.splitlines()]
    lines = [line for line in lines if line]
    if not lines or len(lines) > 5:
        return False
    links = [line for line in lines if _PREV_NEXT.fullmatch(line)]
    rest = [line for line in lines if line not in links]
    if not links or len(rest) > 1:
        return False
    return all(len(r.split()) <= PREV_NEXT_LABEL_WORDS and r[-1] not in ".!?" for r in rest)


def find_prev_next(blocks: Sequence[Block]) -> list[int]:
    """Indexes of the links to the previous and next posts among the last blocks.

    ``Next article: Go Wins 2010 Bossie Award`` / ``Previous article: Share Memory By
    Communicating`` / ``Blog Index``: a paragraph or list among the last
    :data:`PREV_NEXT_SPAN` blocks whose every line is such a link (:data:`_PREV_NEXT`), with at
    most one short label beside them, after at least :data:`TAIL_LABEL_MIN_BODY_WORDS` words of
    paragraphs.

    Leaves alone: sentences that start with these words (``Next, the council will vote ...``,
    ``Previous studies found ...``, ``Next week the council meets again``: a title needs a
    colon or an arrow before it), such lines beside other text, and anything higher up.
    """
    n = len(blocks)
    found = [i for i in range(max(n - PREV_NEXT_SPAN, 0), n) if _is_prev_next(blocks[i])]
    if not found:
        return []
    body = sum(b.words for b in blocks[: found[0]] if b.tag == "p")
    return found if body >= TAIL_LABEL_MIN_BODY_WORDS else []


RULES = (
    ("html_headline_v1", "headline", "the page's headline repeated at the top of the body"),
    ("html_pre_headline_v1", "chrome", "short page chrome above the headline in the body"),
    ("html_tail_box_v1", "promo", "a pitch box closing the body: short heading, short call"),
    ("html_head_meta_v1", "chrome", "page furniture opening the body (date, reading time)"),
    ("html_tail_labels_v1", "chrome", "short labels closing the body (buttons, tags)"),
    ("html_tail_author_v1", "byline", "the author box closing the body, under its label"),
    ("html_prev_next_v1", "related", "links to the previous and next posts closing the body"),
)


def apply_body_rules(
    blocks: Sequence[Block], meta: PageMeta
) -> tuple[list[Block], list[dict[str, str]]]:
    """The blocks that stay, and a record of each dropped one."""
    drop: dict[int, tuple[str, str, str]] = {}
    for i, rule in find_lead(blocks, meta):
        drop.setdefault(i, RULES[rule])
    for i in find_head_meta(blocks, tuple(drop)):
        drop.setdefault(i, RULES[3])
    for i in find_tail_box(blocks):
        drop.setdefault(i, RULES[2])
    for i in find_prev_next(blocks):
        drop.setdefault(i, RULES[6])
    if meta.article:  # on listings and shops the last short blocks are items, not buttons
        kept_index = [i for i in range(len(blocks)) if i not in drop]
        for j in find_tail_author_box([blocks[i] for i in kept_index]):
            drop.setdefault(kept_index[j], RULES[5])
        kept_index = [i for i in range(len(blocks)) if i not in drop]
        for j in find_tail_labels([blocks[i] for i in kept_index]):
            drop.setdefault(kept_index[j], RULES[4])
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
