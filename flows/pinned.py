"""trafilatura 2.3.1's main extractor with its XPath rules tested in one Python pass.

trafilatura's discard, comment, teaser, caption and main-content rules are XPath expressions
whose ``re:test()`` calls lxml runs as Python callbacks, one per element and attribute: on
WCXB pages they were about a third of trafilatura's extraction time. The functions here are
trafilatura's own (``extract_content``, ``_extract``, ``prune_unwanted_sections``,
``recover_wild_text``, ``_prepare_tree``, ``_extract_and_compare``, ``_recall_retry``): the
same code objects, bound to a copy of their module's globals in which ``prune_unwanted_nodes``
and ``BODY_XPATH`` test the same predicates in Python (:mod:`flows.recall` for the discard and
main-content rules, :func:`_rule_hits` for the others). trafilatura's modules are not changed
(``trafilatura.extract`` elsewhere in the process runs as it always does).

The predicates are written for the pinned trafilatura: where the expressions' sources do not
hash to :data:`_XPATH_SHA256` (another version), :data:`EMULATED` is false and the originals
run. ``benchmarks/html_identity.py`` checks that the output is unchanged on every WCXB page;
``VERIFY = True`` makes every call also run the expressions and compare (slow; for checking).
"""

from __future__ import annotations

import hashlib
import re
import types
from collections.abc import Callable, Iterator
from typing import Any

import trafilatura
from lxml import etree
from lxml.html import HtmlElement
from trafilatura import core as trafilatura_core
from trafilatura import main_extractor
from trafilatura.htmlprocessing import prune_unwanted_nodes as _xpath_prune
from trafilatura.xpaths import (
    BODY_XPATH,
    DISCARD_IMAGE_ELEMENTS,
    OVERALL_DISCARD_XPATH,
    RAW_TREE_PRUNE_XPATH,
    REMOVE_COMMENTS_AND_LISTS_XPATH,
    TEASER_DISCARD_XPATH,
)

from flows import recall

_PINNED_VERSION = "2.3.1"
_XPATH_SHA256 = "b9cdcda75ca601772027d3c5531571b02f37c184c34a80da531f56c4a691e68c"
_RULES = (
    RAW_TREE_PRUNE_XPATH,
    REMOVE_COMMENTS_AND_LISTS_XPATH,
    TEASER_DISCARD_XPATH,
    DISCARD_IMAGE_ELEMENTS,
)


def _sources_hash() -> str:
    paths = [e.path for rules in (*_RULES, OVERALL_DISCARD_XPATH, BODY_XPATH) for e in rules]
    return hashlib.sha256("\n".join(paths).encode()).hexdigest()


EMULATED = (
    trafilatura.__version__ == _PINNED_VERSION
    and recall._EMULATED
    and _sources_hash() == _XPATH_SHA256
)
VERIFY = False

# --- the predicates ---------------------------------------------------------------------------

_COMMENTS_ID = "[Cc]omment(?!ary)|comol"
_COMMENTS_ID_ANY = re.compile(f"^(?:{_COMMENTS_ID}|disqus_thread|dsq-comments)")
_COMMENTS_ID_LIST = re.compile(f"^(?:{_COMMENTS_ID})")
_COMMENTS_CLASS = re.compile("^[Cc]omment(?!ary)|(?:article|post)-comments")
_COMMENT_TAGS = frozenset({"div", "list", "section", "details", "ol", "ul"})
_INFINITE = re.compile("mvp-post-add-(?:box|wrap)|infinite-?scroll")
_POST_ADD = re.compile("mvp-post-add-(?:box|wrap)")
_RAW_TAGS = frozenset({"div", "section", "aside"})
_BLOCK_TAGS = frozenset({"div", "item", "list", "p", "section", "span"})


def _comments_hit(element: HtmlElement, tag: str) -> bool:
    """``REMOVE_COMMENTS_AND_LISTS_XPATH``'s one expression."""
    if tag not in _COMMENT_TAGS:
        return False
    ident = element.get("id", "")
    cls = element.get("class", "")
    if _COMMENTS_CLASS.search(cls):
        return True
    if not _COMMENTS_ID_ANY.search(ident):
        return False
    return tag not in ("ol", "ul") or _COMMENTS_ID_LIST.search(ident) is not None


def _infinite_hit(element: HtmlElement, tag: str) -> bool:
    """``RAW_TREE_PRUNE_XPATH[0]``: an infinite-scroll container (unless it holds the h1)."""
    if tag not in _RAW_TAGS:
        return False
    ident = element.get("id", "")
    cls = element.get("class", "")
    if not (_INFINITE.search(ident) or _INFINITE.search(cls)):
        return False
    return (
        element.find(".//h1") is None
        or _POST_ADD.search(ident) is not None
        or _POST_ADD.search(cls) is not None
    )


def _share_buttons_hit(element: HtmlElement, tag: str) -> bool:
    """``RAW_TREE_PRUNE_XPATH[1]``."""
    return tag in _RAW_TAGS and "elementor-share-buttons" in element.get("class", "")


def _teaser_hit(element: HtmlElement, tag: str) -> bool:
    """``TEASER_DISCARD_XPATH``'s one expression."""
    return tag in _BLOCK_TAGS and (
        "teaser" in element.get("id", "").replace("T", "t")
        or "teaser" in element.get("class", "").replace("T", "t")
    )


def _caption_hit(element: HtmlElement, tag: str) -> bool:
    """``DISCARD_IMAGE_ELEMENTS``'s one expression."""
    return tag in _BLOCK_TAGS and (
        "caption" in element.get("id", "") or "caption" in element.get("class", "")
    )


_Hit = Callable[[HtmlElement, str], bool]
_RULE_HITS: dict[int, tuple[_Hit, ...]] = {
    id(RAW_TREE_PRUNE_XPATH): (_infinite_hit, _share_buttons_hit),
    id(REMOVE_COMMENTS_AND_LISTS_XPATH): (_comments_hit,),
    id(TEASER_DISCARD_XPATH): (_teaser_hit,),
    id(DISCARD_IMAGE_ELEMENTS): (_caption_hit,),
}


_MAYBE_RAW_OR_COMMENTS = etree.XPath(
    ".//*[contains(@class, 'omment') or contains(@id, 'omment') or contains(@id, 'comol')"
    " or contains(@id, 'disqus_thread') or contains(@id, 'mvp-post-add-')"
    " or contains(@class, 'mvp-post-add-') or contains(@id, 'infinite')"
    " or contains(@class, 'infinite') or contains(@class, 'elementor-share-buttons')]"
)
"""The elements that may match ``RAW_TREE_PRUNE_XPATH`` or ``REMOVE_COMMENTS_AND_LISTS_XPATH``:
every match of their patterns holds one of these substrings (``[Cc]omment`` and
``dsq-comments`` hold 'omment'). Plain ``contains()`` runs in libxml2, without callbacks."""


def prune_raw_and_comments(tree: HtmlElement, comments: bool) -> HtmlElement:
    """``prune_unwanted_nodes(tree, RAW_TREE_PRUNE_XPATH)``, then, when ``comments``,
    ``prune_unwanted_nodes(tree, REMOVE_COMMENTS_AND_LISTS_XPATH)``, from one selection.

    The three expressions test each element's own tag and attributes only (and, for the first,
    whether it holds an h1, which is tested before anything is deleted), so an element matches
    on the pruned tree exactly when it matches on the whole tree and is still in it; deleting
    a match that already went with a deleted ancestor changes only that detached subtree.
    """
    if not EMULATED:
        tree = _xpath_prune(tree, RAW_TREE_PRUNE_XPATH)
        return _xpath_prune(tree, REMOVE_COMMENTS_AND_LISTS_XPATH) if comments else tree
    maybe = _MAYBE_RAW_OR_COMMENTS(tree)
    if not maybe and not VERIFY:
        return tree
    hits: list[tuple[list[Any], tuple[_Hit, ...]]] = [
        (RAW_TREE_PRUNE_XPATH, (_infinite_hit, _share_buttons_hit))
    ]
    if comments:
        hits.append((REMOVE_COMMENTS_AND_LISTS_XPATH, (_comments_hit,)))
    selected = [[[el for el in maybe if hit(el, el.tag)] for hit in rules] for _, rules in hits]
    for (nodelist, _), lists in zip(hits, selected, strict=True):
        for expression, subtrees in zip(nodelist, lists, strict=True):
            if VERIFY:
                expected = [el for el in expression(tree)]
                if [el for el in subtrees if tree in el.iterancestors()] != expected:
                    raise AssertionError("raw-tree or comment prune: matches differ")
            for subtree in subtrees:
                main_extractor.delete_element(subtree)
    return tree


def _elements(tree: HtmlElement) -> Iterator[HtmlElement]:
    """What ``.//*`` selects: the descendant elements, in document order."""
    return tree.iterdescendants(etree.Element)


def _rule_hits(tree: HtmlElement, hit: _Hit) -> list[HtmlElement]:
    return [el for el in _elements(tree) if hit(el, el.tag)]


def _discard_matches(tree: HtmlElement) -> list[HtmlElement]:
    """``dict.fromkeys`` of the matches of ``OVERALL_DISCARD_XPATH``'s two expressions: the
    first's in document order, then those of the second not already in."""
    first: list[HtmlElement] = []
    second: list[HtmlElement] = []
    hits = recall._discard_hits
    for el in _elements(tree):
        items = el.items()
        if items:
            a, b = hits(el.tag, dict(items))
            if a:
                first.append(el)
            if b and not a:
                second.append(el)
    return first + second


def _xpath_matches(tree: HtmlElement, nodelist: list[Any]) -> list[HtmlElement]:
    return list(dict.fromkeys(e for expression in nodelist for e in expression(tree)))


def prune_unwanted_nodes(
    tree: HtmlElement, nodelist: list[Any], with_backup: bool = False
) -> HtmlElement:
    """trafilatura's ``prune_unwanted_nodes``, the emulated rules tested in Python."""
    if not EMULATED:
        return _xpath_prune(tree, nodelist, with_backup)
    if nodelist is OVERALL_DISCARD_XPATH and with_backup:
        matches = _discard_matches(tree)
        if VERIFY and matches != _xpath_matches(tree, nodelist):
            raise AssertionError("OVERALL_DISCARD_XPATH: matches differ")
        kept = set(matches)
        outer = [el for el in matches if not any(a in kept for a in el.iterancestors())]
        old_len = len(tree.text_content())
        if old_len - sum(len(el.text_content()) for el in outer) > old_len / 7:
            for el in outer:
                main_extractor.delete_element(el)
        return tree
    rules = _RULE_HITS.get(id(nodelist))
    if rules is None or with_backup:
        return _xpath_prune(tree, nodelist, with_backup)
    for expression, hit in zip(nodelist, rules, strict=True):
        subtrees = _rule_hits(tree, hit)
        if VERIFY and subtrees != expression(tree):
            raise AssertionError(f"{hit.__name__}: matches differ")
        for subtree in subtrees:
            main_extractor.delete_element(subtree)
    return tree


class _BodyRule:
    """One ``BODY_XPATH`` expression as ``_extract`` uses it: called on a tree, a list whose
    first item is the expression's first match (the only one ``_extract`` reads)."""

    __slots__ = ("expression", "index")

    def __init__(self, index: int, expression: Any) -> None:
        self.index = index
        self.expression = expression

    def __call__(self, tree: HtmlElement) -> list[HtmlElement]:
        found: list[HtmlElement] = []
        index = self.index
        for el in tree.iterdescendants(*recall._BODY_TAGS):
            if recall._body_hits(el.tag, dict(el.items()))[index]:
                found.append(el)
                break
        if VERIFY:
            expected = next((s for s in self.expression(tree) if s is not None), None)
            if (found[0] if found else None) is not expected:
                raise AssertionError(f"BODY_XPATH[{index}]: first match differs")
        return found

    def __str__(self) -> str:
        return str(self.expression)


def _rebound(module: types.ModuleType, names: tuple[str, ...], overrides: dict[str, Any]) -> dict:
    """Copies of ``module``'s functions ``names``, bound to a copy of its globals updated with
    ``overrides`` and with the copies themselves (so they call each other)."""
    namespace = dict(vars(module))
    namespace.update(overrides)
    for name in names:
        f = getattr(module, name)
        clone = types.FunctionType(f.__code__, namespace, f.__name__, f.__defaults__, f.__closure__)
        clone.__kwdefaults__ = f.__kwdefaults__
        clone.__doc__ = f.__doc__
        namespace[name] = clone
    return namespace


if EMULATED:
    _MAIN = _rebound(
        main_extractor,
        ("extract_content", "_extract", "prune_unwanted_sections", "recover_wild_text"),
        {
            "prune_unwanted_nodes": prune_unwanted_nodes,
            "BODY_XPATH": [_BodyRule(i, e) for i, e in enumerate(BODY_XPATH)],
        },
    )
    extract_content = _MAIN["extract_content"]
    _CORE = _rebound(
        trafilatura_core,
        ("_prepare_tree", "_extract_and_compare", "_recall_retry"),
        {"extract_content": extract_content, "prune_unwanted_nodes": prune_unwanted_nodes},
    )
    recall_retry = _CORE["_recall_retry"]
else:
    extract_content = main_extractor.extract_content
    recall_retry = trafilatura_core._recall_retry
