"""flows.pinned: trafilatura's extraction with its XPath rules tested in Python, same results."""

from pathlib import Path

import pytest
from lxml import etree
from trafilatura import bare_extraction
from trafilatura.settings import Extractor
from trafilatura.utils import load_html

from flows import pinned
from flows.extract import _extracted, _extracted_body, load_page, recall_candidate

CASES = Path(__file__).parent / "cases" / "html"

SENTENCE = "The council met on Tuesday to review the library wing and its budget once again."
TRICKY = (
    "<html><head><title>Tricky</title></head><body>"
    '<div class="infinite-scroll"><h1>Kept: it holds the h1</h1>'
    f"<p>{SENTENCE}</p></div>"
    f'<section id="infiniteScroll"><p>{SENTENCE} Appended.</p></section>'
    f'<div class="mvp-post-add-box"><h1>Gone</h1><p>{SENTENCE}</p></div>'
    f'<aside class="x elementor-share-buttons"><p>Share</p></aside>'
    f'<div id="comments"><p>{SENTENCE} A comment.</p>'
    f'<ul class="commentlist"><li>{SENTENCE}</li></ul></div>'
    f'<ol id="disqus_thread"><li>{SENTENCE} Kept: an ol needs a comment id.</li></ol>'
    f'<ul id="Comment-list"><li>{SENTENCE} A comment list.</li></ul>'
    f'<div class="commentary"><p>{SENTENCE} Commentary is kept.</p></div>'
    f'<div class="post-comments"><p>{SENTENCE} Gone.</p></div>'
    "<article><h2>Article</h2>"
    + "".join(f"<p>{SENTENCE} Paragraph {i}.</p>" for i in range(6))
    + '<div class="Teaser"><p>Teaser block.</p></div>'
    '<p class="wp-caption">A caption.</p>'
    '<span id="x" style="display:none">Hidden.</span>'
    '<div class="sidebar-related"><p>Related link</p></div>'
    "</article></body></html>"
)


def _pages() -> list[bytes]:
    return [p.read_bytes() for p in sorted(CASES.glob("*.html"))] + [TRICKY.encode()]


def test_rules_are_emulated_for_the_pinned_trafilatura() -> None:
    assert pinned.EMULATED


@pytest.mark.parametrize("html", _pages())
def test_every_emulated_rule_finds_what_its_expression_finds(html: bytes, monkeypatch) -> None:
    """VERIFY runs the expressions beside the emulation at every call and raises on a
    difference: the first extraction and the recall one on every fixture."""
    monkeypatch.setattr(pinned, "VERIFY", True)
    options = Extractor(comments=False, tables=True)
    run = _extracted(load_page(html), options)
    if run is not None and run.tree is not None:
        recall_candidate(run, options)


@pytest.mark.parametrize("html", _pages())
def test_body_is_bare_extractions(html: bytes) -> None:
    options = Extractor(comments=False, tables=True)
    document = bare_extraction(load_html(html), options=options)
    expected = document.body if document is not None else None
    body = _extracted_body(load_page(html), options)
    if expected is None:
        assert body is None
    else:
        assert etree.tostring(body) == etree.tostring(expected)
