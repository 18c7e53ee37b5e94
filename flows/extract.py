"""HTML to text: parse once, DOM pre-clean (:mod:`flows.dom`), trafilatura (comments off), blocks.

Contract used by the flow: :func:`extract_html` returns an :class:`Extracted` or raises
:class:`ExtractError` with a clear, one-line reason.

The page is parsed once with trafilatura's own loader (same encoding detection and repairs as
``trafilatura.extract`` on a string), the title, the page's metadata and the standfirst are
read from that tree, residue widgets are pruned from it when the page declares itself an
article (:func:`declares_article`: product, listing and service pages keep their panels),
blocks of prose that trafilatura's class-name rules would delete are protected
(:mod:`flows.recall`), and the tree goes to trafilatura. Its XML body is rendered one
top-level element at a time (:mod:`flows.blocks`): the same words as its text output, but
paragraphs separated by a blank line as the clean text contract wants, so the text rules see
paragraphs; the rules of :mod:`flows.body_rules` (the headline repeated at the top of the
body) run on those blocks and are recorded with the DOM removals.

The standfirst (the summary shown under the headline, often in the page header) is part of the
article, but trafilatura usually drops it with the header. It is put back as the first body
paragraph only when the page shows it: a visible element whose whole text is the page's
``description``; a description that is only metadata (SEO text nobody sees) is never added.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import trafilatura
from lxml import etree
from lxml.html import (
    HtmlComment,
    HtmlElement,
    HtmlEntity,
    HTMLParser,
    HtmlProcessingInstruction,
    fromstring,
)
from trafilatura import bare_extraction
from trafilatura import core as trafilatura_core
from trafilatura.baseline import _BLOCK_ELEMS, baseline, html2txt
from trafilatura.external import SANITIZED_XPATH, compare_extraction, justext_rescue
from trafilatura.metadata import extract_title
from trafilatura.settings import Extractor
from trafilatura.utils import decode_file, is_dubious_html, load_html, repair_faulty_html, trim

from cleaners.edges import fold
from flows.blocks import Block, body_blocks, join_blocks
from flows.body_rules import PageMeta, apply_body_rules
from flows.dom import preclean, unwrap_page_buttons
from flows.pinned import extract_content, prune_raw_and_comments, prune_unwanted_nodes, recall_retry
from flows.recall import protect_prose

EXTRACTOR_VERSION = "extract_v13"
"""Part of a run's configuration (``flows.clean_flow.run_config``): bump it when the text a page
extracts to changes, so every HTML input is processed again (v2: the DOM pre-clean on declared
articles only; v3: page furniture opening the body and short labels closing it go; v4: the
author box closing the body goes; v5: the links to the previous and next posts go; v6: the
recall body on suspect pages; v7: the block rules for articles run again, the page's article
declaration having stopped reaching them in v6; v8: a button holding the page's article is
unwrapped before extraction; v9: the recall body is tried where the first holds less than 70%
of the page's text, and taken when it adds prose; v10: on declared articles, runs of blocks
repeating the body go; v11: prose hidden by ``style`` or ``aria-hidden`` (a collapsed
accordion panel) is protected from trafilatura's hidden-block rule)."""


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


_PAGE_PARSER = HTMLParser(
    collect_ids=False,
    default_doctype=False,
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
)
"""trafilatura's ``HTML_PARSER`` (same options) with lxml's C-level element class lookup: every
element is an ``HtmlElement`` (form controls are not given lxml.html's form classes, which
nothing here uses). lxml.html's own lookup is a Python method called each time lxml makes a
Python object for a node (thousands of times a page, in trafilatura's XPath callbacks and tree
walks): about 14% of the HTML path's extraction time on WCXB pages."""
_PAGE_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=HtmlElement,
        comment=HtmlComment,
        pi=HtmlProcessingInstruction,
        entity=HtmlEntity,
    )
)


def load_page(html: str | bytes) -> HtmlElement | None:
    """``trafilatura.utils.load_html(html)`` for the pinned trafilatura (the same decoding,
    repairs, fallbacks and rejection of what is not HTML), parsed with :data:`_PAGE_PARSER`;
    any other version goes through ``load_html`` itself."""
    if trafilatura.__version__ != _SEQUENCE_VERSION:
        return load_html(html)
    if not isinstance(html, (bytes, str)):
        raise TypeError("incompatible input type", type(html))
    text = decode_file(html)
    beginning = text[:50].lower()
    dubious = is_dubious_html(beginning)
    text = repair_faulty_html(text, beginning)
    tree = None
    fallback = False
    try:
        tree = fromstring(text, parser=_PAGE_PARSER)
    except ValueError:  # "Unicode strings with encoding declaration are not supported."
        tree = _from_bytes(text)
        fallback = True
    except Exception:  # as load_html: a failed parse is no tree
        tree = None
    if (tree is None or len(tree) < 1) and not fallback:
        tree = _from_bytes(text)
    if tree is not None and dubious and len(tree) < 2:
        return None
    return tree


def _from_bytes(text: str) -> HtmlElement | None:
    try:
        return fromstring(text.encode("utf8", "surrogatepass"), parser=_PAGE_PARSER)
    except Exception:
        return None


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


_DESCRIPTION_META = (
    './/head/meta[@property="og:description"]',
    './/head/meta[@name="description"]',
    './/head/meta[@name="twitter:description"]',
    './/head/meta[@property="twitter:description"]',
)

STANDFIRST_CHARS = (40, 600)
"""Length bounds of a standfirst worth restoring (shorter ones are labels, longer ones bodies)."""

STANDFIRST_MIN_WORDS = 6
STANDFIRST_PROBE_CHARS = 24
"""Leading characters of the description searched for among the page's text nodes."""

STANDFIRST_MAX_LIFT = 3
"""How many ancestors above the matching text node may carry the whole standfirst."""

_STANDFIRST_TAGS = frozenset({"p", "div", "h2", "h3", "span", "section", "header", "strong"})
_TEXT_WITH = etree.XPath(".//text()[contains(normalize-space(.), $probe)]")


def page_description(tree: HtmlElement) -> str | None:
    """The page's ``description`` (OpenGraph first), whitespace collapsed."""
    for path in _DESCRIPTION_META:
        for meta in tree.iterfind(path):
            content = " ".join((meta.get("content") or "").split())
            if content:
                return content
    return None


def shown_standfirst(tree: HtmlElement) -> str | None:
    """The description when the page shows it as a block of its own (a standfirst or dek).

    The block must hold the description and nothing else (ignoring whitespace); a description
    that merely starts a longer paragraph, or that appears only in metadata or scripts, does
    not count. Looks at the text nodes that contain its first words, so the cost is one pass.
    """
    description = page_description(tree)
    if description is None:
        return None
    low, high = STANDFIRST_CHARS
    if not low <= len(description) <= high or len(description.split()) < STANDFIRST_MIN_WORDS:
        return None
    body = tree.find("body")
    if body is None:
        return None
    probe = " ".join(description[:STANDFIRST_PROBE_CHARS].split()[:-1])
    if len(probe) < 10:
        return None
    for node in _TEXT_WITH(body, probe=probe):
        element = node.getparent()
        if node.is_tail and element is not None:
            element = element.getparent()
        for _ in range(STANDFIRST_MAX_LIFT):
            if element is None or not isinstance(element.tag, str):
                break
            if element.tag in ("script", "style", "noscript", "template", "a"):
                break
            text = " ".join(element.text_content().split())
            if len(text) > len(description) + 2:
                break
            if text == description and element.tag in _STANDFIRST_TAGS:
                return description
            element = element.getparent()
    return None


def with_standfirst(blocks: list[Block], standfirst: str | None) -> list[Block]:
    """``blocks`` with the standfirst as their first paragraph, unless the body already says it."""
    if not standfirst:
        return blocks
    folded = fold(standfirst)
    if any(folded in fold(b.text) for b in blocks):
        return blocks
    return [Block("p", standfirst), *blocks]


_ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "askpublicnewsarticle",
        "blogposting",
        "liveblogposting",
        "socialmediaposting",
        "techarticle",
        "scholarlyarticle",
        "report",
        "blog",
    }
)
"""schema.org types (lower case) of a page that is an article."""

_LD_TYPE = re.compile(r'"@type"\s*:\s*(\[[^\]]{0,400}\]|"[^"]{1,80}")')
_DATE_PUBLISHED = etree.XPath('//*[@itemprop="datePublished"]')


def declares_article(tree: HtmlElement, source: str | bytes | None = None) -> bool:
    """Whether the page says it is an article: ``og:type`` ``article``, an
    ``article:published_time``, a ``datePublished`` item, or a schema.org JSON-LD type of the
    article family (:data:`_ARTICLE_TYPES`). ``source`` (the page as read) spares the walk over
    every element for ``datePublished`` when it does not say the word.

    The DOM pre-clean is for articles: on product, listing and service pages its widget rules
    take accordions, dialogs and panels that hold the page's content (a product's details
    behind a tab): ``benchmarks/html_eval.py`` on wcxb-dev, product pages ``with`` 0.623
    against trafilatura's 0.661 with the pre-clean on every page, 0.664 with it only on pages
    that declare an article.
    """
    for element in tree.iter("meta", "script"):
        if element.tag == "script":
            if element.get("type") != "application/ld+json":
                continue
            for m in _LD_TYPE.finditer(element.text or ""):
                names = re.findall(r'"([^"]{1,80})"', m.group(1))
                if any(n.strip().lower().rsplit("/", 1)[-1] in _ARTICLE_TYPES for n in names):
                    return True
            continue
        kind = element.get("property") or element.get("name")
        if kind == "og:type":
            if (element.get("content") or "").strip().lower().startswith("article"):
                return True
        elif kind == "article:published_time" or element.get("itemprop") == "datePublished":
            return True
    if source is not None:
        word: str | bytes = b"datePublished" if isinstance(source, bytes) else "datePublished"
        if word not in source:  # type: ignore[operator]
            return False
    return bool(_DATE_PUBLISHED(tree))


def document_title(tree: HtmlElement) -> str | None:
    """The ``<title>`` element's text, whitespace collapsed."""
    element = tree.find(".//head/title")
    if element is None:
        return None
    return " ".join((element.text_content() or "").split()) or None


_SEQUENCE_VERSION = "2.3.1"
"""The trafilatura whose ``bare_extraction`` :func:`_extracted_body` repeats."""


def _extracted_body(tree: HtmlElement, options: Extractor) -> etree._Element | None:
    """``bare_extraction(tree, options=options).body``, on ``tree`` itself (:func:`_extracted`)."""
    run = _extracted(tree, options)
    return run.body if run is not None else None


def _extracted(tree: HtmlElement, options: Extractor) -> _Run | None:
    """``bare_extraction(tree, options=options).body``, on ``tree`` itself, as a :class:`_Run`
    whose ``body`` is None where ``bare_extraction`` finds none; other versions of trafilatura
    go through ``bare_extraction`` and leave no ``tree`` (so no recall candidate).

    ``bare_extraction`` first copies a tree it is handed (5 ms a WCXB page, about 8% of the
    HTML path) so that the caller's stays intact; ``extract_html`` has no use for its tree
    afterwards. With the options used here (no metadata, language, prune expressions or
    deduplication, comments off) the rest of ``bare_extraction`` is the steps of trafilatura
    2.3.1 that :func:`_sequence` repeats; any other version goes through ``bare_extraction``.
    """
    if (
        trafilatura.__version__ != _SEQUENCE_VERSION
        or options.lang
        or options.dedup
        or options.comments
    ):
        document = bare_extraction(tree, options=options)
        return _Run(document.body if document is not None else None, "", None)
    try:
        run = _sequence(tree, options, options.url)
    except (TypeError, ValueError):
        return None
    postbody = run.body
    if options.max_tree_size and postbody is not None:
        if len(postbody) > options.max_tree_size:
            etree.strip_tags(postbody, "hi")
        if len(postbody) > options.max_tree_size:
            run.body = None
    if len(run.text) < options.min_output_size:
        run.body = None
    return run


_READABILITY_SLACK = 16
"""Characters added to the bound on what readability can return (joins of text nodes)."""


def text_bound(tree: HtmlElement) -> int:
    """An upper bound on the characters of whitespace-collapsed text any extractor can draw
    from ``tree``: its whole text, scripts and styles left out (readability drops them)."""
    total = len(trim(tree.xpath("string()")))
    for element in tree.iter("script", "style", "fencedframe"):
        total -= max(len(trim(element.text_content())) - 2, 0)
    return total + _READABILITY_SLACK


def html2txt_bound(tree: HtmlElement) -> int:
    """An upper bound on ``len(html2txt(tree))`` at a tenth of its cost: the body's words
    joined by single spaces, with room for the spaces ``html2txt`` puts around each block
    element (which can split a word in two); its cleaning only removes text."""
    body = tree.find(".//body")
    words = (tree if body is None else body).xpath("string()").split()
    blocks = sum(1 for _ in (tree if body is None else body).iter(*_BLOCK_ELEMS))
    return sum(map(len, words)) + len(words) + 2 * blocks


def _readability_cannot_win(
    body: etree._Element, text: str, page_chars: int, options: Extractor
) -> bool:
    """Whether trafilatura's ``compare_extraction`` (balanced focus, comments off) is certain to
    keep its own ``body``, so that running readability on the page can be skipped.

    Its readability branch replaces the own text only when that text is empty, when
    readability's is more than twice as long, or when the own body has no paragraph text or
    more tables than paragraphs; its justext branch runs only when the own text is short or
    holds a sanitised tag. Readability's text is drawn from the page, so a body holding more
    than half of ``page_chars`` (:func:`text_bound` of the tree) and passing the other tests is
    kept whatever it finds.
    """
    if len(text) < options.min_extracted_size:
        return False
    if body.xpath(SANITIZED_XPATH):
        return False
    if not body.xpath(".//p//text()") or len(body.findall(".//table")) > len(body.findall(".//p")):
        return False
    return 2 * len(text) >= page_chars


@dataclass(slots=True)
class _Run:
    """What :func:`_sequence` leaves: the body and its text, the page tree as the extractors
    saw it (pruned of trafilatura's raw-tree and comment expressions, otherwise intact), the
    recall-mode body when the sequence computed one, and :func:`text_bound` of the tree
    (computed once: the steps after the prune work on copies and leave the tree as it is)."""

    body: etree._Element | None
    text: str
    tree: HtmlElement | None
    recall_body: etree._Element | None = None
    page_chars: int = 0


def _sequence(tree: HtmlElement, options: Extractor, url: str | None) -> _Run:
    """trafilatura 2.3.1's ``trafilatura_sequence`` with comments off, the body and its text.

    The same steps in the same order, with one saving: the comparison with readability and
    justext is skipped when it is certain to keep the own extraction
    (:func:`_readability_cannot_win`), about 10 ms a page where the article is most of the
    page. ``benchmarks/html_identity.py`` checks the output is unchanged on every WCXB page.
    """
    focus = options.focus
    is_forum = trafilatura_core._forum_thread_page(tree)
    tree = prune_raw_and_comments(tree, focus == "precision" or not is_forum)
    page_chars = text_bound(tree)
    cleaned_tree, cleaned_tree_backup = trafilatura_core._prepare_tree(tree, options, url)
    if focus == "precision" and not is_forum:
        cleaned_tree = prune_unwanted_nodes(cleaned_tree, trafilatura_core.REMOVE_COMMENTS_XPATH)
    postbody, temp_text = extract_content(cleaned_tree, options)
    recall_body = None
    if not options.fast and not (
        focus == "balanced" and _readability_cannot_win(postbody, temp_text, page_chars, options)
    ):
        postbody, temp_text = compare_extraction(
            cleaned_tree_backup, trafilatura_core.copy(tree), postbody, temp_text, options
        )
    if len(temp_text) < options.min_extracted_size and focus != "precision":
        b_body, b_text, b_len = baseline(tree)
        if b_len > len(temp_text):
            postbody, temp_text = b_body, b_text
    if (
        focus == "balanced"
        and 0 < len(temp_text) < trafilatura_core.ESCALATION_MAX_LENGTH
        and len(temp_text) < trafilatura_core.ESCALATION_PAGE_SHARE * html2txt_bound(tree)
        and len(temp_text) < trafilatura_core.ESCALATION_PAGE_SHARE * len(html2txt(tree))
    ):
        r_options = trafilatura_core.copy(options)
        r_options.focus = "recall"
        r_text = ""
        try:
            r_body, r_text = recall_retry(tree, r_options, url)
        except Exception:  # as trafilatura: a failed retry keeps the first extraction
            r_text = ""
        j_text = ""
        if not options.fast:
            try:
                j_body, j_text = justext_rescue(trafilatura_core.copy(tree), options)
            except Exception:
                j_text = ""
        if r_text:
            recall_body = r_body
        len_text, r_len, j_len = len(temp_text), len(r_text), len(j_text)
        if j_len > r_len and j_len > trafilatura_core.ESCALATION_JUSTEXT_RATIO * len_text:
            postbody, temp_text = j_body, j_text
        elif (
            r_len >= options.min_extracted_size
            and r_len > trafilatura_core.ESCALATION_ACCEPT_RATIO * len_text
        ):
            postbody, temp_text = r_body, r_text
    return _Run(postbody, temp_text, tree, recall_body, page_chars)


def recall_candidate(run: _Run, options: Extractor) -> etree._Element | None:
    """The page extracted again in recall mode (trafilatura's ``favor_recall``: lists in table
    cells, bare ``div`` text and teaser-class blocks kept) from the tree ``run`` left, without
    parsing or pre-cleaning again; the one the sequence computed when it did."""
    if run.recall_body is not None:
        return run.recall_body
    if run.tree is None:
        return None
    r_options = trafilatura_core.copy(options)
    r_options.focus = "recall"
    r_options.fast = True  # readability and justext were weighed in the first extraction
    body, text = recall_retry(run.tree, r_options, options.url)
    return body if len(text) >= options.min_output_size else None


def extract_blocks(tree: HtmlElement, url: str | None) -> list[Block]:
    """trafilatura on the (pre-cleaned) tree, comments off, its body as blocks.

    trafilatura works on ``tree`` itself (not on a copy): it is changed.
    """
    options = Extractor(comments=False, tables=True, url=url)
    return body_blocks(_extracted_body(tree, options))


# --- a second extraction for the pages the first one covered badly ---------------------------

RETRY_PAGE_SHARE = 0.7
"""The body is suspect when it holds less than this share of the page's text
(:func:`text_bound`). wcxb-dev articles (word F1, even/odd ids): 0.15 0.950/0.946 (a third
of a percent of the pages tried again), 0.5 0.953/0.949 (11%), 0.7 0.955/0.950 (32%), every
page 0.955/0.950."""

RETRY_GAIN = (20, 1.05)
"""The recall body replaces the first when it holds at least this many more prose words
(:func:`prose_words`) and this factor of its characters: text the first run cut or dropped
(lists, a section it took for boilerplate), not a reshuffle of the same text."""

PROSE_LINE_WORDS = 8
"""A line of at least this many words that ends like a sentence counts as prose."""

_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?:;)\"\u201d\u2019']\s*$")


def prose_words(text: str) -> tuple[int, int]:
    """Words in prose lines and words in other lines of ``text``.

    A line is prose when it has at least :data:`PROSE_LINE_WORDS` words and ends like a
    sentence. Menus, link lists, labels, cookie buttons and teaser stubs ('Read more...') are
    short lines or lines that stop without punctuation.
    """
    prose = other = 0
    for line in text.splitlines():
        n = len(_WORD.findall(line))
        if n >= PROSE_LINE_WORDS and _SENTENCE_END.search(line):
            prose += n
        else:
            other += n
    return prose, other


def suspect_body(blocks: list[Block], page_chars: int) -> bool:
    """Whether the extraction may have missed the article: nothing found, or less than
    :data:`RETRY_PAGE_SHARE` of the page's text."""
    chars = sum(len(b.text) for b in blocks)
    return chars == 0 or chars < RETRY_PAGE_SHARE * page_chars


def better_body(candidate: list[Block], first: list[Block]) -> bool:
    """Whether ``candidate`` is clearly the better body: it adds prose to ``first``
    (:data:`RETRY_GAIN`). A candidate that only sheds chrome, or drops prose, is not taken (real
    content first; the body rules and the cleaners remove chrome)."""
    if not candidate:
        return False
    if not first:
        return True
    words, factor = RETRY_GAIN
    new_text, old_text = join_blocks(candidate), join_blocks(first)
    if len(new_text) < factor * len(old_text):
        return False
    return prose_words(new_text)[0] >= prose_words(old_text)[0] + words


def extract_body(tree: HtmlElement, url: str | None) -> tuple[list[Block], bool]:
    """:func:`extract_blocks`, and where the body is suspect (:func:`suspect_body`) the recall
    candidate (:func:`recall_candidate`) when it is the better body (:func:`better_body`).
    Also says whether the recall body was taken."""
    options = Extractor(comments=False, tables=True, url=url)
    run = _extracted(tree, options)
    if run is None:
        return [], False
    blocks = body_blocks(run.body)
    if run.tree is None or not suspect_body(blocks, run.page_chars):
        return blocks, False
    try:
        candidate = body_blocks(recall_candidate(run, options))
    except Exception:  # the second extraction is an improvement, never a reason to fail
        return blocks, False
    if better_body(candidate, blocks):
        return candidate, True
    return blocks, False


REPEAT_RUN = (3, 100)
"""A repeated run is at least this many consecutive blocks that each say again what an
earlier block of the body said, one of them at least this many characters long (a paragraph,
not a run of labels). On declared articles only: documentation repeats its steps in each
language's tab, and the reference keeps them. wcxb-dev articles: 5 pages change (0355 0.51 ->
0.99, 0151 0.66 -> 0.99, three gain under 0.01), word F1 even 0.9548 -> 0.9548, odd 0.9501 ->
0.9522; a single repeated block (a pull quote, a chorus) is left alone: dropping those too
lost on 5 pages (-0.004 to -0.025)."""

_REPEAT_RULE = (
    "html_repeated_run_v1",
    "chrome",
    "a run of blocks repeating the body (the page renders its content twice)",
)


def drop_repeated_runs(blocks: list[Block]) -> tuple[list[Block], list[dict[str, str]]]:
    """``blocks`` without the runs that repeat earlier blocks (:data:`REPEAT_RUN`), and a record
    of each dropped block. Pages that render their article twice (a mobile and a desktop copy,
    tabs holding the same panels) give trafilatura the text twice; the first copy stays, so no
    text is lost."""
    least, long_chars = REPEAT_RUN
    seen: set[str] = set()
    repeated: list[bool] = []
    for block in blocks:
        key = " ".join(block.text.split()).casefold()
        repeated.append(key in seen)
        seen.add(key)
    drop: set[int] = set()
    i = 0
    while i < len(blocks):
        if not repeated[i]:
            i += 1
            continue
        j = i
        while j < len(blocks) and repeated[j]:
            j += 1
        if j - i >= least and any(len(blocks[k].text) >= long_chars for k in range(i, j)):
            drop.update(range(i, j))
        i = j
    if not drop:
        return blocks, []
    rule, category, reason = _REPEAT_RULE
    records = [
        {"rule": rule, "category": category, "reason": reason, "text": blocks[k].text}
        for k in sorted(drop)
    ]
    return [b for k, b in enumerate(blocks) if k not in drop], records


def extract_html(html: str | bytes, url: str | None = None) -> Extracted:
    """Extract the main text of a page; raises :class:`ExtractError` when there is none.

    Where the body is suspect (empty, or short of the page's text), the page is extracted
    again in recall mode and that body kept when it adds prose (:func:`extract_body`, flag
    ``recall_body``).
    """
    if isinstance(html, str) and not html.strip():
        raise ExtractError("empty HTML")
    if isinstance(html, bytes) and not html.strip():
        raise ExtractError("empty HTML")
    try:
        tree = load_page(html)
    except Exception as err:  # lxml and trafilatura raise many types on broken input
        raise ExtractError(f"unparseable HTML: {type(err).__name__}") from None
    if tree is None:
        raise ExtractError("not parseable as an HTML document")
    flags: list[str] = []
    title = page_title(tree)
    try:
        standfirst = shown_standfirst(tree)
    except Exception as err:  # optional, like the title
        flags.append(f"standfirst_failed:{type(err).__name__}")
        standfirst = None
    try:
        article = declares_article(tree, html)
    except Exception as err:  # like the title: optional
        flags.append(f"declares_article_failed:{type(err).__name__}")
        article = False
    meta = PageMeta(
        tuple(t for t in (title, document_title(tree)) if t), page_description(tree), article
    )
    dom_removals: list[dict[str, str]] = []
    try:
        if unwrap_page_buttons(tree):
            flags.append("page_buttons_unwrapped")
    except Exception as err:  # a repair, never a reason to fail
        flags.append(f"unwrap_buttons_failed:{type(err).__name__}")
    try:
        if article:
            dom_removals = preclean(tree, url)
    except Exception as err:  # the pre-clean is an improvement, never a reason to fail
        flags.append(f"dom_preclean_failed:{type(err).__name__}")
    try:
        protect_prose(tree)
    except Exception as err:  # like the pre-clean: an improvement, never a reason to fail
        flags.append(f"protect_prose_failed:{type(err).__name__}")
    try:
        blocks, recalled = extract_body(tree, url)
    except Exception as err:
        raise ExtractError(f"extraction failed: {type(err).__name__}") from None
    if not blocks:
        raise ExtractError("no main text found in HTML")
    if recalled:
        flags.append("recall_body")
    if article:  # documentation repeats its steps in each language's tab: real content
        blocks, repeats = drop_repeated_runs(blocks)
        dom_removals.extend(repeats)
    kept, body_removals = apply_body_rules(blocks, meta)
    if kept:
        blocks = kept
        dom_removals.extend(body_removals)
    body = join_blocks(with_standfirst(blocks, standfirst))
    text = f"{title}\n\n{body}\n" if title else f"{body}\n"
    return Extracted(title, text, dom_removals, flags)
