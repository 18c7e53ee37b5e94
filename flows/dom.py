"""DOM pre-clean: drop recognisable residue widgets from a parsed page before extraction.

Works on the lxml tree that trafilatura itself would build (``trafilatura.utils.load_html``),
so a page is parsed once: we prune that tree in place and hand it to ``trafilatura.extract``,
which accepts an lxml ``HtmlElement`` (2.3.1 copies it first). lxml rather than BeautifulSoup:
a BeautifulSoup pass (even with the lxml builder) costs about as much as trafilatura's whole
extraction, which would break the speed budget of >= 0.9x trafilatura alone; lxml's ``iter``
and attribute access add a few percent.

Each rule is one small function over one element, named and versioned like the text
cleaners. What is dropped is recorded as a dict (``rule``, ``category``, ``reason``, ``text``)
so the review report can show it; dropped elements have no span in the extracted text.

Deliberately left alone: ``html``, ``head``, ``body``, ``main`` and ``article`` elements, and
any element that holds real prose (several long paragraphs with few links), whatever its
class says; class names lie (``post-share-wrapper`` around a whole article is common).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from copy import deepcopy
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree
from lxml.html import HtmlElement

# --- class and id vocabulary ------------------------------------------------------------------

_CAMEL = re.compile(r"([a-z])([A-Z])")
_NON_ALPHA = re.compile(r"[^a-z]+")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def class_tokens(element: HtmlElement) -> tuple[frozenset[str], str]:
    """Lower-case word tokens of ``class`` and ``id`` (camelCase split), and their run joined."""
    raw = f"{element.get('class') or ''} {element.get('id') or ''}"
    if not raw.strip():
        return frozenset(), ""
    words = [w for w in _NON_ALPHA.split(_CAMEL.sub(r"\1 \2", raw).lower()) if w]
    return frozenset(words), "".join(words)


@dataclass(frozen=True, slots=True)
class WidgetRule:
    """Elements whose class/id carries one of ``tokens`` (whole words) or ``compounds``."""

    name: str
    category: str
    reason: str
    tokens: frozenset[str]
    compounds: tuple[str, ...] = ()
    guard_prose: bool = True
    """False for widgets that are never the main content even when they hold prose."""

    def matches(self, tokens: frozenset[str], joined: str) -> bool:
        if tokens & self.tokens:
            return True
        return any(c in joined for c in self.compounds)


WIDGET_RULES: tuple[WidgetRule, ...] = (
    WidgetRule(
        "dom_newsletter_v1",
        "promo",
        "newsletter or sign-up box",
        frozenset({"newsletter", "newsletters", "signup", "subscribe", "subscription", "optin"}),
        ("newsletter", "signupform"),
    ),
    WidgetRule(
        "dom_related_v1",
        "related",
        "related or recommended stories widget",
        frozenset(
            {"related", "relatedposts", "recommended", "recommendations", "taboola", "outbrain"}
        ),
        (
            "relatedposts",
            "relatedarticles",
            "relatedstories",
            "relatedcontent",
            "nextstory",
            "nextpost",
            "morestories",
            "moreabout",
            "readmore",
            "readalso",
            "alsoread",
            "youmayalso",
            "youmightalso",
            "mostread",
            "mostpopular",
        ),
    ),
    WidgetRule(
        "dom_share_v1",
        "chrome",
        "share or follow bar",
        frozenset({"share", "sharing", "sharebar", "sharethis", "addthis", "social", "socials"}),
        ("sharebuttons", "socialshare", "sharetools", "shareicons", "followus"),
    ),
    WidgetRule(
        "dom_cta_v1",
        "promo",
        "call-to-action box",
        frozenset({"cta", "promo", "promotion", "paywall", "upsell"}),
        ("calltoaction",),
    ),
    WidgetRule(
        "dom_popup_v1",
        "chrome",
        "popup or modal dialog",
        frozenset({"popup", "modal", "popmake"}),
    ),
    WidgetRule(
        "dom_disclosure_v1",
        "ad",
        "advertising or affiliate disclosure",
        frozenset({"disclosure", "disclaimer", "sponsored", "advertisement", "advert"}),
        ("adsbygoogle", "affiliatedisclosure"),
    ),
    WidgetRule(
        "dom_copyright_v1",
        "footer",
        "copyright notice",
        frozenset({"copyright"}),
        ("copyright",),
    ),
    WidgetRule(
        "dom_author_bio_v1",
        "byline",
        "author bio box",
        frozenset({"bio"}),
        ("authorbio", "aboutauthor", "aboutthe author", "authorbox"),
    ),
    WidgetRule(
        "dom_credit_v1",
        "credit",
        "photo or image credit",
        frozenset({"credit", "credits"}),
        ("photocredit", "imagecredit"),
    ),
)

PROTECTED_TAGS = frozenset({"html", "head", "body", "main", "article"})
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "meta", "link"})

# --- guards -----------------------------------------------------------------------------------

PROSE_PARAGRAPH_CHARS = 120
"""A paragraph this long with few links reads as real prose."""

PROSE_GUARD_CHARS = 400
"""An element holding this much real prose is never dropped, whatever its class says."""


def _collapse(text: str) -> str:
    return " ".join(text.split())


def link_chars(element: HtmlElement) -> int:
    return sum(len(_collapse(a.text_content())) for a in element.iter("a"))


PROSE_MAX_LINK_SHARE = 0.3
"""A prose paragraph's link text stays under this share of its characters."""


def paragraph_prose(p: HtmlElement, min_chars: int = PROSE_PARAGRAPH_CHARS) -> int:
    """The characters of paragraph ``p`` if it reads as prose (at least ``min_chars`` long,
    mostly not link text), else 0."""
    n = len(_collapse(p.text_content()))
    return n if n >= min_chars and link_chars(p) < PROSE_MAX_LINK_SHARE * n else 0


def prose_chars(element: HtmlElement) -> int:
    """Characters in paragraphs that read as prose: long, and mostly not link text."""
    total = 0
    for p in element.iter("p"):
        if n := paragraph_prose(p):
            total += n
            if total >= PROSE_GUARD_CHARS:
                break
    return total


def holds_prose(element: HtmlElement) -> bool:
    return prose_chars(element) >= PROSE_GUARD_CHARS


# --- paragraph-level rules --------------------------------------------------------------------

LABEL_MAX_CHARS = 30
"""Non-link text allowed around the link of a link line (a label such as ``Read more:``)."""

LABEL_MAX_WORDS = 4


def find_link_line(p: HtmlElement) -> str | None:
    """A paragraph that is a short label and a link: a related-story line.

    ``<p><em>Read more</em>: <a>Some other story headline</a></p>``, in any language: judged
    on structure (the link carries the text, what is not link is a short label before it).
    Leaves alone paragraphs where the link is part of a sentence, links of fewer than three
    words (``<a>PDF</a>``, a name), bare links without a label (often the story's source) and
    lead-ins ending with a colon (``Key features of <a>Azure ML Studio</a>:``, a list follows).
    """
    anchors = list(p.iter("a"))
    if not anchors:
        return None
    text = _collapse(p.text_content())
    if not text or len(text) > 300:
        return None
    linked = " ".join(_collapse(a.text_content()) for a in anchors)
    if len(linked.split()) < 3 or len(linked) < 15:
        return None
    rest = text
    for a in anchors:
        rest = rest.replace(_collapse(a.text_content()), " ", 1)
    rest = _collapse(rest)
    if text.endswith(":"):
        return None  # a lead-in to what follows ("Per <a>this library guide</a>:")
    if not rest or len(rest) > LABEL_MAX_CHARS or rest.endswith((".", "?", "!")):
        return None
    if len(rest.split()) > LABEL_MAX_WORDS or any(ch.isdigit() for ch in rest):
        return None
    # the label comes before the link, not after it ("<a>Smith</a> said the plan ...")
    first_anchor = _collapse(anchors[0].text_content())
    if text.find(first_anchor) > LABEL_MAX_CHARS + 2:
        return None
    return "paragraph is a link to another story with at most a short label"


def find_image_credit(element: HtmlElement) -> str | None:
    """Short emphasised text next to an image inside a paragraph: a caption or photo credit."""
    if element.tag not in ("em", "i", "small", "span", "figcaption"):
        return None
    parent = element.getparent()
    if parent is None or parent.tag not in ("p", "div", "figure"):
        return None
    if parent.find(".//img") is None:
        return None
    text = _collapse(element.text_content())
    if not text or len(text) > 120:
        return None
    if len(_collapse(parent.text_content())) > len(text) + 20:
        return None
    return "short caption or credit beside an image"


EMPHASIS_TAGS = frozenset({"em", "i", "strong", "b"})
EMPHASIS_SHARE = 0.85
TAIL_NOTE_MAX = 3
"""At most this many emphasised paragraphs are dropped from the end of one container."""

TAIL_NOTE_CHARS = (30, 450)
"""Length bounds of a tail note; longer emphasised closings are often real content."""

TAIL_NOTE_MIN_BODY = 3
"""The container must keep this many plain paragraphs before the emphasised tail."""


def emphasis_share(p: HtmlElement) -> float:
    """Share of the paragraph's characters inside emphasis (``em``, ``i``, ``strong``, ``b``)."""
    total = len(_collapse(p.text_content()))
    if not total:
        return 0.0
    emphasised = 0
    for el in p.iter("em", "i", "strong", "b"):
        ancestor = el.getparent()
        nested = False
        while ancestor is not None and ancestor is not p:
            if ancestor.tag in EMPHASIS_TAGS:
                nested = True
                break
            ancestor = ancestor.getparent()
        if not nested:
            emphasised += len(_collapse(el.text_content()))
    return emphasised / total


def _has_text(element: HtmlElement) -> bool:
    return any(not piece.isspace() for piece in element.itertext())


def find_tail_notes(container: HtmlElement) -> list[HtmlElement]:
    """Wholly emphasised paragraphs closing a body of plain ones: notes, bios, calls to action.

    ``<p><i>Do you want to be informed of our actions? <a>Sign up here</a></i></p>`` as the
    last paragraph of an article body, in any language. Only the final run (at most three),
    only paragraphs that carry a link (a call to action, a bio, a follow-us line), only after
    at least three plain paragraphs, and never past a following block with text. Leaves alone
    emphasised closings without a link (a closing quote, an update note), long ones, those
    inside the body (a question in an interview) and partly emphasised ones
    (``<b>Update:</b> the minister said ...``).
    """
    paragraphs = [el for el in container if el.tag == "p"]
    if len(paragraphs) < TAIL_NOTE_MIN_BODY + 1:
        return []
    notes: list[HtmlElement] = []
    for el in reversed(container):
        if not isinstance(el.tag, str) or el.tag in _SKIP_TAGS:
            continue
        if el.tag != "p":
            if _has_text(el):
                break
            continue
        text = _collapse(el.text_content())
        if not text:
            continue
        if len(notes) == TAIL_NOTE_MAX:
            break
        if not TAIL_NOTE_CHARS[0] <= len(text) <= TAIL_NOTE_CHARS[1] or el.find(".//a") is None:
            break
        if emphasis_share(el) < EMPHASIS_SHARE:
            break
        notes.append(el)
    if not notes:
        return []
    plain = sum(
        1
        for p in paragraphs
        if p not in notes and len(_collapse(p.text_content())) >= 60 and emphasis_share(p) < 0.5
    )
    return notes[::-1] if plain >= TAIL_NOTE_MIN_BODY else []


# --- boundaries: what follows them in the same container is not the article ---------------

BOUNDARY_BLOCK_TAGS = frozenset({"div", "section", "aside", "ol", "ul", "iframe", "form"})

COMMENTS_TOKENS = frozenset({"comments", "comment", "disqus", "respond", "commentlist"})
COMMENTS_COMPOUNDS = ("fbcomments", "disqusthread", "commentsarea", "commentlist")

_BOUNDARY_WORDS = (
    "comment",
    "disqus",
    "respond",
    "restrict",
    "paywall",
    "regwall",
    "gate",
    "meter",
)
"""Literal pieces one of which a boundary's class or id must contain (a cheap first test)."""

PAYWALL_COMPOUNDS = ("restrictcontent", "paywall", "regwall", "contentgate", "meteredcontent")

COMMENT_COUNT_MAX_CHARS = 60
"""A comments block with less text than this is a count or a link, not the section."""

AFTER_COMMENTS_MAX_CHARS = 1200
"""Text after a comment section in the article's own container: at most this much goes."""

AFTER_PAYWALL_MAX_CHARS = 2500
"""Text after an empty paywall marker: a subscription pitch is short; an article is not."""

AFTER_COMMENTS = ("dom_after_comments_v1", "footer", "publisher text after the comment section")
AFTER_PAYWALL = ("dom_after_paywall_v1", "promo", "subscription pitch after the paywall marker")


@lru_cache(maxsize=1 << 16)
def boundary_kind_for(value: str) -> str | None:
    """``"paywall"`` or ``"comments"`` when a class or id value names such a boundary."""
    lowered = value.lower()
    if not any(w in lowered for w in _BOUNDARY_WORDS):
        return None
    words = [w for w in _NON_ALPHA.split(_CAMEL.sub(r"\1 \2", value).lower()) if w]
    tokens, joined = frozenset(words), "".join(words)
    if any(c in joined for c in PAYWALL_COMPOUNDS):
        return "paywall"
    if tokens & COMMENTS_TOKENS or any(c in joined for c in COMMENTS_COMPOUNDS):
        return "comments"
    return None


def boundary_kind(element: HtmlElement) -> str | None:
    """The boundary a block marks: ``"paywall"`` (an empty marker) or ``"comments"``."""
    if element.tag not in BOUNDARY_BLOCK_TAGS:
        return None
    kind = boundary_kind_for(element.get("class") or "") or boundary_kind_for(
        element.get("id") or ""
    )
    text = _collapse(visible_text(element))
    if kind == "paywall" and text:
        return None  # a paywall box with text is a widget (dom_cta_v1), not a marker
    if kind == "comments" and 0 < len(text) < COMMENT_COUNT_MAX_CHARS:
        return None  # "3 comments": a link in the byline bar, not the section
    return kind


def _text_chars(elements: Iterable[HtmlElement], stop: float) -> tuple[list[HtmlElement], int]:
    """Blocks with visible text among ``elements`` and their characters, until ``stop``."""
    found: list[HtmlElement] = []
    total = 0
    for el in elements:
        if not isinstance(el.tag, str) or el.tag in _SKIP_TAGS:
            continue
        n = len(_collapse(visible_text(el)))
        if n:
            found.append(el)
            total += n
            if total > stop:
                break
    return found, total


def find_after_boundary(
    boundary: HtmlElement, max_chars: int, before_ratio: float
) -> list[HtmlElement]:
    """The blocks with text that follow ``boundary`` to the end of its container.

    Only when they are short in all (at most ``max_chars``) and the container holds at least
    ``before_ratio`` times as much text before the boundary (the article came first). Leaves
    alone a boundary near the top (a comment count in the byline bar) and long runs (real
    article text revealed past a marker).
    """
    following, after = _text_chars(boundary.itersiblings(), max_chars)
    if not following or after > max_chars:
        return []
    if before_ratio:
        wanted = before_ratio * after
        _, before = _text_chars(boundary.itersiblings(preceding=True), wanted)
        if before < wanted:
            return []
    return following


# --- hidden elements ----------------------------------------------------------------------

_TEXT_BLOCK_TAGS = ("p", "li", "h1", "h2", "h3", "h4", "blockquote", "table")
HIDDEN_MAX_CHARS = 500
_DISPLAY_NONE = re.compile(r"display\s*:\s*none")


def hidden_reason(element: HtmlElement) -> tuple[str, bool] | None:
    """Why the element is never shown, and whether its prose still protects it.

    A dialog hidden until opened (``role="dialog"`` or ``aria-modal`` with
    ``aria-hidden="true"``) is dropped even with prose: it is another page's text. Elements
    hidden outright (the ``hidden`` attribute, the ``hidden`` class, ``display: none``) go
    only when they hold no text blocks (no paragraph, list item or heading) and little text:
    template residue, not content; scripts reveal hidden article text on many sites (slides,
    "read more" remainders), so a hidden paragraph stays. Leaves alone responsive classes
    (``hidden-xs``: hidden on small screens only) and ``aria-hidden`` alone (decorative
    icons, duplicates for screen readers).
    """
    if element.get("aria-hidden") == "true" and (
        element.get("role") in ("dialog", "alertdialog") or element.get("aria-modal") == "true"
    ):
        return "dialog hidden until opened", False
    style = (element.get("style") or "").lower()
    if not (
        element.get("hidden") is not None
        or "hidden" in (element.get("class") or "").split()
        or ("none" in style and _DISPLAY_NONE.search(style))
    ):
        return None
    if element.tag in _TEXT_BLOCK_TAGS or any(
        element.find(f".//{tag}") is not None for tag in _TEXT_BLOCK_TAGS
    ):
        return None
    if len(_collapse(visible_text(element))) > HIDDEN_MAX_CHARS:
        return None
    return "hidden element without text blocks (template residue)", True


# --- calls to install the site's own app --------------------------------------------------

_APP_STORE_LINKS = etree.XPath(
    ".//a[contains(@href, 'apps.apple.com') or contains(@href, 'itunes.apple.com')"
    " or contains(@href, 'play.google.com')]"
)
APP_CTA_MAX_CHARS = 300
_HOST = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//([^/:?#]+)", re.IGNORECASE)


def site_name(tree: HtmlElement, url: str | None) -> str | None:
    """The site's name as its host says it (``www.nationnews.com`` -> ``nationnews``)."""
    candidates = [url] if url else []
    for path in ('.//head/meta[@property="og:url"]', './/head/link[@rel="canonical"]'):
        for el in tree.iterfind(path):
            candidates.append(el.get("content") or el.get("href") or "")
    for candidate in candidates:
        m = _HOST.match(candidate or "")
        if not m:
            continue
        labels = [lab for lab in m.group(1).lower().split(".") if lab not in ("www", "m", "amp")]
        if len(labels) >= 2:
            name = max(labels[:-1], key=len)
            name = _NON_ALPHA.sub("", name)
            if len(name) >= 4:
                return name
    return None


def find_app_cta(anchor: HtmlElement, site: str) -> HtmlElement | None:
    """The short paragraph around a link to the site's own app in an app store.

    The store link must name the site (``play.google.com/...?id=com.nationnews.android``), so
    a review that links to the app it reviews is left alone, as is any paragraph longer than
    a call to action.
    """
    href = (anchor.get("href") or "").lower()
    host = _HOST.match(href)
    if site not in _NON_ALPHA.sub("", href[host.end() :] if host else href):
        return None
    block = anchor.getparent()
    while block is not None and block.tag not in ("p", "li", "div", "section", "body"):
        block = block.getparent()
    if block is None or block.tag in ("div", "section", "body"):
        return None
    if len(_collapse(block.text_content())) > APP_CTA_MAX_CHARS:
        return None
    return block


# --- sign-up boxes, found by their e-mail field ----------------------------------------------

_EMAIL_INPUTS = etree.XPath(
    ".//input[@type='email' or contains(@name, 'email') or contains(@placeholder, 'mail')]"
)
SIGNUP_BOX_MAX_CHARS = 300
"""Text a sign-up box holds around its e-mail field: a heading, a pitch, a consent line."""

SIGNUP_BOX_MAX_LIFT = 6


def find_signup_box(field: HtmlElement) -> HtmlElement | None:
    """The widest block around an e-mail field that holds only a short text: the sign-up box.

    ``<div><p>Get the best of Creative Boom delivered to your inbox weekly</p><form><input
    type="email">...</form></div>``: trafilatura drops the form, but the pitch and the consent
    line beside it (``By entering your email, you agree to ... Terms & Conditions``) sit outside
    it. Climbs from the field while the block's visible text stays within
    :data:`SIGNUP_BOX_MAX_CHARS` and holds no prose paragraph; a field inside the article's
    text (a contact page, a comment form beside the body) stops the climb at once.
    """
    found = None
    element = field.getparent()
    for _ in range(SIGNUP_BOX_MAX_LIFT):
        if element is None or element.tag in PROTECTED_TAGS or not isinstance(element.tag, str):
            break
        if len(_collapse(visible_text(element))) > SIGNUP_BOX_MAX_CHARS:
            break
        if any(paragraph_prose(p) for p in element.iter("p")):
            break
        found = element
        element = element.getparent()
    if found is None or not _collapse(visible_text(found)):
        return None
    return found


# --- call-to-action boxes, found by their button ---------------------------------------------

CTA_BUTTON_TOKENS = frozenset({"btn", "button"})
"""Class words of a link styled as a button (``wp-block-button__link``, ``elementor-button``,
``btn-primary``)."""

CTA_BUTTON_MAX_WORDS = 6
"""Words of a button's label (``Book a demo``, ``Get Started for Free``, ``Donate now``)."""

CTA_BOX_MAX_CHARS = 400
"""Text a call-to-action box holds around its button: a heading, a line or two of pitch."""

CTA_BOX_MAX_LIFT = 8


def is_button_link(anchor: HtmlElement) -> bool:
    """A link styled as a button (:data:`CTA_BUTTON_TOKENS` among its class words, or
    ``role="button"``) that leads to another page, with a short label. Leaves alone links to
    the page itself (``#...``, scripts: tabs, accordions, ``Jump to recipe``)."""
    href = (anchor.get("href") or "").strip().lower()
    if not href or href.startswith(("#", "javascript:")):
        return False
    if anchor.get("role") != "button" and not class_tokens(anchor)[0] & CTA_BUTTON_TOKENS:
        return False
    words = _collapse(anchor.text_content()).split()
    return 0 < len(words) <= CTA_BUTTON_MAX_WORDS


def find_cta_box(button: HtmlElement) -> HtmlElement | None:
    """The widest block around a button link that holds only a short pitch: the CTA box.

    ``<div><p>Get the cash you need with a low-interest personal loan today</p><a
    class="elementor-button">Apply now</a></div>``, ``<div><h2>Struggling With Sourdough?</h2>
    <p>Join my FREE workshop ...</p><a class="wp-block-button__link">Save Your Spot</a></div>``:
    the promotion a site places inside or beside its article. Climbs from the button while the
    block's visible text stays within :data:`CTA_BOX_MAX_CHARS`, holds no prose paragraph and
    no ``h1``. A button alone (its wrapper holds nothing else) is left to trafilatura, as is a
    button beside the article's text (the climb stops at once).
    """
    label = len(_collapse(button.text_content()))
    found = None
    element = button.getparent()
    for _ in range(CTA_BOX_MAX_LIFT):
        if element is None or element.tag in PROTECTED_TAGS or not isinstance(element.tag, str):
            break
        if len(_collapse(visible_text(element))) > CTA_BOX_MAX_CHARS:
            break
        if element.find(".//h1") is not None or any(paragraph_prose(p) for p in element.iter("p")):
            break
        found = element
        element = element.getparent()
    if found is None or len(_collapse(visible_text(found))) <= label + 2:
        return None
    return found


CTA_BOX_MAX_REPEATS = 2
"""Blocks of the page shaped like a box (same tag and class, same parent's) beyond which the
boxes are a list's cards (products, courses, recipes, forum posts), not a pitch."""

_CARD_TEXT = re.compile(
    r"^\d+\.?\s|[$\u00a3\u20ac]\s?\d|\d\s?[$\u00a3\u20ac]|\b\d+(?:\.\d)?\s?/\s?(?:5|10)\b"
)
"""A rank opening the box, a price, a score out of 5 or 10: a list's card or a product."""


def _box_shape(element: HtmlElement) -> tuple[str, str, str, str]:
    parent = element.getparent()
    if parent is None:
        return (element.tag, element.get("class") or "", "", "")
    return (element.tag, element.get("class") or "", parent.tag, parent.get("class") or "")


def find_cta_boxes(root: HtmlElement) -> list[HtmlElement]:
    """The call-to-action boxes of a page (:func:`find_cta_box` around each button link), less
    the cards of a list: boxes shaped like more than :data:`CTA_BOX_MAX_REPEATS` blocks of the
    page, or whose button's label more than that many buttons carry (``Get the Recipe``,
    ``View on Amazon``, ``Read More``), or that open with a rank (``1 ...``, ``2. ...``), quote
    a price or a score (a product's offer is the page's content)."""
    found: list[tuple[str, HtmlElement]] = []
    labels: dict[str, int] = {}
    for anchor in root.iter("a"):
        if not is_button_link(anchor):
            continue
        label = _collapse(anchor.text_content()).casefold()
        labels[label] = labels.get(label, 0) + 1
        if (box := find_cta_box(anchor)) is not None:
            found.append((label, box))
    if not found:
        return []
    shapes: dict[tuple[str, str, str, str], int] = {}
    for element in root.iter():
        if isinstance(element.tag, str):
            shape = _box_shape(element)
            shapes[shape] = shapes.get(shape, 0) + 1
    boxes: dict[HtmlElement, None] = {}
    for label, box in found:
        text = _collapse(visible_text(box))
        if (
            labels[label] <= CTA_BOX_MAX_REPEATS
            and shapes[_box_shape(box)] <= CTA_BOX_MAX_REPEATS
            and not _CARD_TEXT.search(text)
        ):
            boxes[box] = None
    return list(boxes)


# --- the pass ---------------------------------------------------------------------------------

RECORD_TEXT_MAX = 2000
"""Recorded text of a dropped element is cut to this many characters."""

_CREDIT_TAGS = frozenset({"em", "i", "small", "span", "figcaption"})


def _prefilter_words() -> list[str]:
    """Literal pieces one of which any matching class/id must contain (a cheap first test)."""
    words: set[str] = set()
    for rule in WIDGET_RULES:
        words.update(rule.tokens)
        words.update(c[:4] for c in rule.compounds)
    return sorted(words, key=len, reverse=True)


# literal alternatives only: linear, bounded
_CLASS_PREFILTER = re.compile("|".join(re.escape(w) for w in _prefilter_words()))


def _hidden_and_named(root: HtmlElement) -> tuple[list[HtmlElement], list[HtmlElement]]:
    """One pass over the descendants of ``root``, in document order: the elements that may be
    hidden (a ``hidden`` attribute, ``aria-hidden="true"``, ``none`` in the style, ``hidden``
    in the class), and the elements with a class or an id (two XPath scans cost twice this)."""
    hidden: list[HtmlElement] = []
    named: list[HtmlElement] = []
    for element in root.iterdescendants(etree.Element):
        get = element.get
        cls = get("class")
        if cls is not None or get("id") is not None:
            named.append(element)
        if (
            get("hidden") is not None
            or get("aria-hidden") == "true"
            or "none" in (get("style") or "")
            or (cls is not None and "hidden" in cls)
        ):
            hidden.append(element)
    return hidden, named


@lru_cache(maxsize=1 << 16)
def widget_rule_for(value: str) -> WidgetRule | None:
    """The widget rule a class or id value matches (cached: pages repeat their classes)."""
    if not _CLASS_PREFILTER.search(value.lower()):
        return None
    words = [w for w in _NON_ALPHA.split(_CAMEL.sub(r"\1 \2", value).lower()) if w]
    tokens, joined = frozenset(words), "".join(words)
    for rule in WIDGET_RULES:
        if rule.matches(tokens, joined):
            return rule
    return None


def visible_text(element: HtmlElement) -> str:
    """The element's text without what its ``script``, ``style`` and similar children hold."""
    if all(element.find(f".//{tag}") is None for tag in ("script", "style", "noscript")):
        return element.text_content()
    copy = deepcopy(element)
    copy.tail = None
    etree.strip_elements(copy, *_SKIP_TAGS, with_tail=False)
    return copy.text_content()


def _removal(rule: str, category: str, reason: str, element: HtmlElement) -> dict[str, str]:
    text = _collapse(visible_text(element))
    if len(text) > RECORD_TEXT_MAX:
        text = text[: RECORD_TEXT_MAX - 1] + "…"
    return {"rule": rule, "category": category, "reason": reason, "text": text}


def _inside(element: HtmlElement, dropped: set[HtmlElement]) -> bool:
    parent = element.getparent()
    while parent is not None:
        if parent in dropped:
            return True
        parent = parent.getparent()
    return False


@lru_cache(maxsize=1 << 16)
def classify(value: str) -> WidgetRule | str | None:
    """What a class or id value names: a widget rule, a boundary kind, or nothing (cached)."""
    return widget_rule_for(value) or boundary_kind_for(value)


SLUG_SHARE = 0.8
"""An id whose words are this share of its element's own heading words is a slug, not a name."""


def _slug_words(value: str) -> list[str]:
    return [w for w in _NON_ALNUM.split(_CAMEL.sub(r"\1 \2", value).lower()) if w]


def is_text_slug(element: HtmlElement, ident: str) -> bool:
    """Whether ``ident`` spells the element's own heading (``id="what-share-of-teens-use-social-
    media"`` on that ``h2``, or on the section it heads): an anchor made from the text, not the
    name of a widget."""
    id_words = _slug_words(ident)
    if len(id_words) < 2:
        return False
    heading = element
    if element.tag not in ("h1", "h2", "h3", "h4", "h5", "h6"):
        heading = next(element.iter("h1", "h2", "h3", "h4", "h5", "h6"), None)
        if heading is None:
            return False
    words = set(_slug_words(heading.text_content()))
    return sum(w in words for w in id_words) >= SLUG_SHARE * len(id_words)


def _widget_hits(
    named: list[HtmlElement],
) -> tuple[list[tuple[HtmlElement, str, str, str, bool]], list[tuple[HtmlElement, str]]]:
    """Elements a widget rule matches, and boundary blocks, among ``named`` (elements with a
    class or id). An id that is a slug of the element's heading is not read as a name."""
    hits = []
    boundaries = []
    for element in named:
        cls = element.get("class")
        found = classify(cls) if cls else None
        if found is None and (ident := element.get("id")):
            found = classify(ident)
            if found is not None and is_text_slug(element, ident):
                continue
        if found is None:
            continue
        tag = element.tag
        if not isinstance(tag, str) or tag in _SKIP_TAGS or tag in PROTECTED_TAGS:
            continue
        if isinstance(found, WidgetRule):
            rule = found
            hits.append((element, rule.name, rule.category, rule.reason, rule.guard_prose))
        elif (kind := boundary_kind(element)) is not None:
            boundaries.append((element, kind))
    return hits, boundaries


def _paragraph_hits(root: HtmlElement) -> list[tuple[HtmlElement, str, str, str]]:
    hits = []
    for p in root.iter("p"):
        if p.find(".//a") is not None and (reason := find_link_line(p)):
            hits.append((p, "dom_link_line_v1", "related", reason))
    for img in root.iter("img"):
        parent = img.getparent()
        if parent is None:
            continue
        for sibling in parent:
            if sibling.tag in _CREDIT_TAGS and (reason := find_image_credit(sibling)):
                hits.append((sibling, "dom_image_credit_v1", "credit", reason))
    return hits


def preclean(tree: HtmlElement, url: str | None = None) -> list[dict[str, str]]:
    """Drop residue widgets from ``tree`` in place; return what was dropped.

    ``url`` (else the page's canonical address) names the site, for calls to install its app.
    Elements without visible text (icon-only share bars) are dropped but not recorded.
    """
    body = tree.find("body")
    root = body if body is not None else tree
    chosen: list[tuple[HtmlElement, dict[str, str] | None]] = []
    dropped: set[HtmlElement] = set()

    def choose(
        element: HtmlElement, rule: str, category: str, reason: str, guard: bool = True
    ) -> None:
        if element in dropped or _inside(element, dropped):
            return
        if element.find(".//article") is not None or element.find(".//main") is not None:
            return
        if guard and holds_prose(element):
            return
        dropped.add(element)
        record = _removal(rule, category, reason, element)
        chosen.append((element, record if record["text"] else None))

    hidden_candidates, named = _hidden_and_named(root)
    for element in hidden_candidates:
        if element.tag in PROTECTED_TAGS or not isinstance(element.tag, str):
            continue
        if (hidden := hidden_reason(element)) is not None:
            reason, guard = hidden
            if element.find(".//h1") is None:
                choose(element, "dom_hidden_v1", "chrome", reason, guard)
    widget_hits, boundaries = _widget_hits(named)
    for hit in widget_hits:
        choose(*hit)
    for element, kind in boundaries:
        if kind == "paywall":
            for following in find_after_boundary(element, AFTER_PAYWALL_MAX_CHARS, 0):
                choose(following, *AFTER_PAYWALL, False)
        else:
            for following in find_after_boundary(element, AFTER_COMMENTS_MAX_CHARS, 2):
                choose(following, *AFTER_COMMENTS, False)
    site = site_name(tree, url)
    if site is not None:
        for anchor in _APP_STORE_LINKS(root):
            if (block := find_app_cta(anchor, site)) is not None:
                choose(block, "dom_app_cta_v1", "promo", "call to install the site's own app")
    for hit in _paragraph_hits(root):
        choose(*hit)
    for field in _EMAIL_INPUTS(root):
        if (box := find_signup_box(field)) is not None:
            choose(box, "dom_signup_box_v1", "promo", "sign-up box around an e-mail field")
    for box in find_cta_boxes(root):
        choose(box, "dom_cta_box_v1", "promo", "short pitch around a button link")
    # in document order (a set of elements iterates in memory order, which varies run to run)
    containers = dict.fromkeys(p.getparent() for p in root.iter("p"))
    containers.pop(None, None)
    for container in containers:
        if len(container.findall("p")) <= TAIL_NOTE_MIN_BODY:
            continue
        for note in find_tail_notes(container):
            choose(
                note,
                "dom_tail_note_v1",
                "promo",
                "wholly emphasised paragraph with a link closing the body (call to action, bio)",
            )
    removals: list[dict[str, str]] = []
    for element, record in chosen:
        if not _inside(element, dropped):
            element.drop_tree()
        if record is not None:
            removals.append(record)
    return removals


# --- parse repairs ----------------------------------------------------------------------------


def unwrap_page_buttons(tree: HtmlElement) -> int:
    """Unwrap the ``button`` elements that hold the page's ``main`` or ``article``; return how
    many.

    A menu button left open in the markup (``<button class="mntl-header__menu-button">`` on
    Dotdash Meredith sites) makes the parser nest the rest of the page inside it, and
    trafilatura deletes every ``button`` with what it holds: the article is lost and a
    fallback takes the whole page's text as one paragraph, menus and all (wcxb-dev 0044,
    4007, 4708, 4833). A real button never holds an article, so the tag goes and its children
    stay where they are. Adds no text and removes none.
    """
    found = [
        b
        for b in tree.iter("button")
        if b.find(".//main") is not None or b.find(".//article") is not None
    ]
    for button in found:
        if button.getparent() is not None:
            button.drop_tag()
    return len(found)
