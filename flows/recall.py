"""Recall: keep article text that trafilatura's class-name pruning would drop.

trafilatura deletes, before it extracts, every block whose ``class`` or ``id`` contains one of
many substrings (``meta``, ``-icon``, ``bar``, ``slide``, ``button``, ``expand``, ...). The
substrings hit unrelated words too: an accordion wrapper styled ``kt-accodion-icon-style-arrow``
or a column called ``sidebar-layout-main`` goes with all the article text inside it.

:func:`protect_prose` finds the blocks trafilatura's discard rules match and that hold real
prose (long paragraphs with few links), and renames their ``class``, ``id`` and hiding
attributes (to ``data-decruft-class``, ...: :data:`PROTECTED_ATTRIBUTES`) so the rules no
longer match them. Each matched block is judged on its own: a short share bar inside a
protected wrapper still goes.
Leaves alone blocks whose prose is mostly links, and short blocks (labels, bylines, ratings).
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from lxml import etree
from lxml.html import HtmlElement
from trafilatura.xpaths import BODY_XPATH, OVERALL_DISCARD_XPATH

from flows.dom import paragraph_prose

PROSE_PARAGRAPH_CHARS = 80
"""A paragraph at least this long, mostly not link text, reads as prose."""

PROSE_MIN_CHARS = 300
"""A discarded block holding this much prose is protected."""

PROTECTED_ATTRIBUTES = ("class", "id", "style", "aria-hidden")
"""The attributes trafilatura's discard rules read on a block that :func:`protect_prose` moves
aside: its class and id (``sidebar-layout-main``), and the ``style`` and ``aria-hidden`` that
say a block is hidden: a collapsed accordion panel (``style="display:none"``, opened by a
script) holding the steps of a guide goes with its whole text otherwise (wcxb-dev 4193). The
style has no other use here: trafilatura keeps no styling."""


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


# --- trafilatura's XPath rules, one pass in Python --------------------------------------------
#
# trafilatura's discard and body expressions test each element's own tag and attributes only, but
# lxml runs their re:test() calls as Python callbacks (one per element and attribute): running
# them here cost 29 ms a WCXB page, half of trafilatura's own extraction. The predicates below
# say the same thing, for the pinned trafilatura whose expression sources hash to _XPATH_SHA256;
# with any other version the expressions themselves are run (same result, slower).

_XPATH_SHA256 = "ef761454c4984c1f4c4308e63895502f069615a17420c3f236b808580b4ba4a0"
_EMULATED = (
    hashlib.sha256(
        "\n".join(e.path for e in (*OVERALL_DISCARD_XPATH, *BODY_XPATH)).encode()
    ).hexdigest()
    == _XPATH_SHA256
)

_DISCARD_TAGS = frozenset({"div", "item", "list", "p", "section", "span"})
_DISCARD_ID = re.compile(
    "^shar|social|viral|newsletter|syndication|tags|sidebar|banner|bread-?crumb|button|author"
    "|^(?:jp-|dpsp-content)|bmdh|footer|Footer|share|Share|nav|Nav|menu|related"
    "|message-container|premium|^ad-"
)
_DISCARD_CLASS = re.compile(
    "^shar|social|viral|newsletter|syndication|tags|sidebar|banner|bread-?crumb|button|author"
    "|^(?:nav|post-nav|ZendeskForm)|subnav|avigation|navbar|navbox|menu|bar| ad |-ad-|(?:^| )ad-"
    "|dfp[Aa]d|outbrain|taboola|criteo|paid-?content|widget|footer|Footer|byline|Byline|share-"
    "|sociable|embedded|embed|tag-list|consent|modal-content|permission|elated|next-|-stories"
    "|most-popular|more-on|meta|rating|attachment|timestamp|user-info|user-profile|-icon"
    "|article-infos|message-container|slide|viewport|overlay|options|expand|obfuscated|blurred"
    "|mol-factbox|yin|zlylin|nfoline"
)
_HIDE_ID = re.compile("reader-comments|akismet")
_HIDE_CLASS = re.compile(
    "^hide-|comments-title|nocomments|-reply-|message|akismet|suggest-links|-hide-|hide-print"
    "| hidden| hide|noprint|notloaded"
)

_BODY_TAGS = frozenset({"article", "div", "main", "section"})
_BODY_ID_0 = re.compile(
    "(?:entry|article|art)-content|article__content|article(?:-|__)?body|articleBody|body-text"
)
_BODY_CLASS_0 = re.compile(
    "post[-_]text|post-body|post-?entry|post[-_]?content|postContent|post_inner_wrapper"
    "|article-?text|articleText|(?:entry|page|text|article|art)-content|article__content"
    "|article(?:-|__)?body|articleBody|ArticleContent|body-text|article__container"
)
_BODY_ID_2 = re.compile("^primary|story-body")
_BODY_CLASS_2 = re.compile(
    "^article |post-bodycopy|story-?content|(?:theme|blog|section|single)-content|single-post"
    "|main-column|wpb_text_column|story-body|field-body"
)
_BODY_FULLTEXT = re.compile("fulltext", re.IGNORECASE)
_BODY_ID_3 = re.compile("content-main|content-body|contentBody")
_BODY_CLASS_3 = re.compile("content[-_]main|content(?:-|__)body")
_STORY_IDS = frozenset({"article", "story"})
_STORY_CLASSES = frozenset({"postarea", "art-postcontent", "text", "cell", "story"})
_LOWER_CM = str.maketrans("CM", "cm")
_LOWER_CP = str.maketrans("CP", "cp")
_MAIN_PREFIX_TAGS = frozenset({"article", "div", "section"})


def _first_of(attrs: dict[str, str], a: str, b: str) -> str:
    """XPath ``string(@a|@b)``: the value of whichever comes first in the source, else ''."""
    for name, value in attrs.items():
        if name in (a, b):
            return value
    return ""


@lru_cache(maxsize=1 << 14)
def _class_tests(cls: str) -> tuple[bool, bool, bool, bool, bool, bool]:
    """The tests of the expressions on a ``class`` value ('' when there is none; no pattern
    matches ''), cached: a page repeats its classes. In order: the class rules of the first and
    the second discard expression, and of body expressions 0, 2, 3 and 4."""
    return (
        _DISCARD_CLASS.search(cls) is not None,
        cls == "comments-title" or _HIDE_CLASS.search(cls) is not None,
        cls in ("post", "entry") or _BODY_CLASS_0.search(cls) is not None,
        cls in _STORY_CLASSES
        or _BODY_FULLTEXT.search(cls) is not None
        or _BODY_CLASS_2.search(cls) is not None,
        cls == "content"
        or _BODY_CLASS_3.search(cls) is not None
        or "main-content" in cls.translate(_LOWER_CM)
        or "page-content" in cls.translate(_LOWER_CP),
        cls.startswith("main"),
    )


@lru_cache(maxsize=1 << 14)
def _id_tests(ident: str) -> tuple[bool, bool, bool, bool, bool, bool]:
    """The same for an ``id`` value."""
    return (
        _DISCARD_ID.search(ident) is not None,
        _HIDE_ID.search(ident) is not None,
        ident == "articleContent" or _BODY_ID_0.search(ident) is not None,
        ident in _STORY_IDS or _BODY_ID_2.search(ident) is not None,
        ident == "content"
        or _BODY_ID_3.search(ident) is not None
        or "main-content" in ident.translate(_LOWER_CM),
        ident.startswith("main"),
    )


def _discard_hits(tag: str, attrs: dict[str, str]) -> tuple[bool, bool]:
    """Whether each of the two ``OVERALL_DISCARD_XPATH`` expressions matches an element.

    A test on ``string(@a|@b)`` is made only when one of the two values could pass it.
    """
    cls = attrs.get("class", "")
    ident = attrs.get("id", "")
    c = _class_tests(cls)
    i = _id_tests(ident)
    first = tag in _DISCARD_TAGS and (
        c[0]
        or i[0]
        or "data-lp-replacement-content" in attrs
        or "nav" in attrs.get("role", "").replace("N", "n")
        or "MostPopularStories" in attrs.get("data-component", "")
        or (("cookie" in cls or "cookie" in ident) and "cookie" in _first_of(attrs, "id", "class"))
    )
    style = attrs.get("style", "")
    second = (
        c[1]
        or i[1]
        or "display:none" in style
        or "display: none" in style
        or attrs.get("aria-hidden") == "true"
        or (
            (cls.startswith("reply-") or ident.startswith("reply-"))
            and _first_of(attrs, "id", "class").startswith("reply-")
        )
        or (
            ("hidden" in ident or "hidden" in style) and "hidden" in _first_of(attrs, "id", "style")
        )
    )
    return bool(first), bool(second)


def _discard_count(tag: str, attrs: dict[str, str]) -> int:
    """How many of the ``OVERALL_DISCARD_XPATH`` expressions match an element (0, 1 or 2)."""
    first, second = _discard_hits(tag, attrs)
    return first + second


def _body_hits(tag: str, attrs: dict[str, str]) -> tuple[bool, bool, bool, bool, bool]:
    """Whether an element satisfies each ``BODY_XPATH`` expression's test (all of them take
    only ``_BODY_TAGS``)."""
    c = _class_tests(attrs.get("class", ""))
    i = _id_tests(attrs.get("id", ""))
    role = attrs.get("role", "")
    return (
        c[2] or i[2] or attrs.get("itemprop") == "articleBody",
        tag == "article",
        c[3] or i[3] or role == "article",
        c[4] or i[4],
        tag == "main" or (tag in _MAIN_PREFIX_TAGS and (c[5] or i[5] or role.startswith("main"))),
    )


def _element_discard_count(element: HtmlElement) -> int:
    return _discard_count(element.tag, dict(element.items()))


def _scan(root: HtmlElement) -> tuple[dict[HtmlElement, int], list[HtmlElement]]:
    """One pass over the descendants of ``root``: the elements ``OVERALL_DISCARD_XPATH`` matches
    (with how many of its expressions match each), and the candidate main-content subtrees (the
    first hit of each ``BODY_XPATH`` expression, in that order, without repeats)."""
    discarded: dict[HtmlElement, int] = {}
    firsts: list[HtmlElement | None] = [None] * 5
    for element in root.iterdescendants(etree.Element):
        tag = element.tag
        attrs = dict(element.items())
        if attrs and (n := _discard_count(tag, attrs)):
            discarded[element] = n
        if tag in _BODY_TAGS and None in firsts:
            for i, hit in enumerate(_body_hits(tag, attrs)):
                if hit and firsts[i] is None:
                    firsts[i] = element
    return discarded, list(dict.fromkeys(f for f in firsts if f is not None))


def _scan_xpath(root: HtmlElement) -> tuple[dict[HtmlElement, int], list[HtmlElement]]:
    """What :func:`_scan` returns, by running trafilatura's expressions (any version)."""
    discarded: dict[HtmlElement, int] = {}
    for expression in OVERALL_DISCARD_XPATH:
        for element in expression(root):
            discarded[element] = discarded.get(element, 0) + 1
    roots = []
    for expression in BODY_XPATH:
        subtree = next((s for s in expression(root) if s is not None), None)
        if subtree is not None and subtree not in roots:
            roots.append(subtree)
    return discarded, roots


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


def _discarded_chars(
    candidate: HtmlElement, discarded: dict[HtmlElement, int], lengths: dict[HtmlElement, int]
) -> int:
    """Text characters trafilatura's discard rules would delete from ``candidate``.

    The outermost matched blocks under it, each counted once per expression that matches it
    (as the guard in trafilatura's ``prune_unwanted_nodes`` sums them).
    """
    total = 0
    for element, count in discarded.items():
        parent = element.getparent()
        while parent is not None and parent is not candidate and parent not in discarded:
            parent = parent.getparent()
        if parent is candidate:
            if (n := lengths.get(element)) is None:
                n = lengths[element] = len(element.text_content())
            total += count * n
    return total


def protect_prose(tree: HtmlElement) -> int:
    """Rename the class/id of discard-matched blocks that hold prose; how many were renamed.

    Mirrors trafilatura: the rules run on each subtree it may take as the main content, and
    where its own guard would keep everything (the rules match nearly all of the subtree) no
    block is protected, since protecting one would let the rules delete the rest. A block is
    protected when it holds at least ``PROSE_MIN_CHARS`` of prose and either most of the
    subtree's prose (it is the article, whatever its name) or a class and id that name no
    boilerplate widget (``related``, ``comments``, ``author``, ``sidebar``, ...).

    Cheap on most pages: the blocks holding that much prose are found first from the
    paragraphs, and only when a discard rule matches one of them is the tree scanned (once).
    """
    body = tree.find("body")
    root = body if body is not None else tree
    prose = _prose_by_element(root)
    held = [el for el, n in prose.items() if n >= PROSE_MIN_CHARS and el is not root]
    if not held:
        return 0
    if _EMULATED:
        matches = [el for el in held if _element_discard_count(el)]
        if not matches:
            return 0
        discarded, candidates = _scan(root)
    else:
        discarded, candidates = _scan_xpath(root)
        matches = [el for el in held if el in discarded]
    if not matches or not candidates:
        return 0
    ancestors = {el: set(el.iterancestors()) for el in matches}
    lengths: dict[HtmlElement, int] = {}
    protected: dict[HtmlElement, None] = {}
    for candidate in candidates:
        inside = [el for el in matches if candidate in ancestors[el]]
        if not inside:
            continue
        total = len(candidate.text_content())
        if total - _discarded_chars(candidate, discarded, lengths) <= total / 7:
            continue  # trafilatura's own guard keeps everything here: nothing to protect
        subtree_prose = prose.get(candidate, 0)
        for el in inside:
            if prose[el] >= DOMINANT_SHARE * subtree_prose or not names_boilerplate(el):
                protected[el] = None
    for el in protected:
        for name in PROTECTED_ATTRIBUTES:
            value = el.attrib.pop(name, None)
            if value is not None:
                el.set(f"data-decruft-{name}", value)
    return len(protected)
