"""extract_html: title line, blank line, body; DOM removals recorded; clear errors."""

from pathlib import Path

import pytest

from flows.extract import Extracted, ExtractError, extract_html

CASES = Path(__file__).parent / "cases" / "html"


def test_title_then_body_without_widgets() -> None:
    html = (CASES / "article_with_widgets.html").read_bytes()
    result = extract_html(html, "https://example.org/bridge")
    assert isinstance(result, Extracted)
    assert result.title == "Harbour bridge reopens after repairs"
    assert result.text.startswith("Harbour bridge reopens after repairs\n\n")
    assert "harbour bridge reopened to traffic" in result.text
    assert "Sign up for the newsletter" not in result.text
    assert "City council approves" not in result.text
    assert result.dom_removals
    assert result.text.endswith("\n")


def test_str_input_same_as_bytes() -> None:
    path = CASES / "article_with_widgets.html"
    assert (
        extract_html(path.read_text(encoding="utf-8")).text == extract_html(path.read_bytes()).text
    )


@pytest.mark.parametrize("html", ["", "   ", b"", b"\n\n"])
def test_empty_input_raises(html: str | bytes) -> None:
    with pytest.raises(ExtractError, match="empty"):
        extract_html(html)


def test_no_main_text_raises_one_line_reason() -> None:
    with pytest.raises(ExtractError) as err:
        extract_html("<html><head></head><body><div> </div><div></div></body></html>")
    assert "\n" not in str(err.value)


def test_standfirst_shown_on_the_page_is_restored() -> None:
    result = extract_html((CASES / "tail_boundaries.html").read_bytes())
    title, _, body = result.text.partition("\n\n")
    assert title == "Ferry service expands to the islands"
    assert body.startswith(
        "Two new routes will link the northern islands with the mainland from next spring.\n"
    )
    assert body.count("Two new routes") == 1


def test_description_only_in_metadata_is_not_added() -> None:
    result = extract_html((CASES / "paywall_and_hidden_slides.html").read_bytes())
    assert "Only in the page metadata" not in result.text
    assert "To view the full story" not in result.text


def test_extracted_body_is_bare_extractions_without_the_copy() -> None:
    """flows.extract repeats bare_extraction's steps on the tree itself: same body."""
    from lxml import etree
    from trafilatura import bare_extraction
    from trafilatura.settings import Extractor
    from trafilatura.utils import load_html

    from flows.extract import _extracted_body

    para = "<p>The council met on Tuesday to review the library wing and its budget again.</p>"
    menu = "".join(
        f'<li><a href="/s{i}">Section number {i} of the site</a></li>' for i in range(80)
    )
    pages = [
        f"<html><body><article><h1>Wing</h1>{para * 6}</article><footer>f</footer></body></html>",
        "<html><body><div><p>x</p></div></body></html>",
        f"<html><body><ul>{menu}</ul><div><p>{para * 2}</p></div><ul>{menu}</ul></body></html>",
        (CASES / "article_with_widgets.html").read_text(encoding="utf-8"),
    ]
    for html in pages:
        options = Extractor(comments=False, tables=True, url="https://example.org/a")
        document = bare_extraction(load_html(html), options=options)
        expected = None if document is None else etree.tostring(document.body)
        body = _extracted_body(load_html(html), options)
        assert (None if body is None else etree.tostring(body)) == expected


def test_readability_runs_only_where_it_can_change_the_body(monkeypatch) -> None:
    """The comparison with readability is skipped when the own body holds more than half of
    the page's text (readability, drawing from the page, cannot return twice as much); it
    runs when the page around the body is large."""
    from trafilatura.settings import Extractor
    from trafilatura.utils import load_html

    import flows.extract as extract

    calls: list[int] = []
    real = extract.compare_extraction

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(extract, "compare_extraction", counting)
    para = "<p>The council met on Tuesday to review the library wing and its budget again.</p>"
    options = Extractor(comments=False, tables=True)
    article = f"<html><body><article><h1>Wing</h1>{para * 8}</article></body></html>"
    assert extract._extracted_body(load_html(article), options) is not None
    assert calls == []
    menu = "".join(
        f'<li><a href="/s{i}">Section number {i} of the site</a></li>' for i in range(80)
    )
    crowded = (
        f"<html><body><ul>{menu}</ul><article>{para * 8}</article><ul>{menu}</ul></body></html>"
    )
    assert extract._extracted_body(load_html(crowded), options) is not None
    assert calls == [1]


def test_text_bound_holds_the_page_text_without_scripts() -> None:
    from lxml.html import fromstring

    from flows.extract import text_bound

    page = fromstring(
        "<html><head><title>T</title><script>var x = 'a long script body here';</script>"
        "</head><body><p>Some words   here.</p><style>p { color: red }</style></body></html>"
    )
    assert len("T Some words here.") <= text_bound(page) < len("T Some words here.") + 20


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ('<meta property="og:type" content="article">', True),
        ('<meta property="og:type" content="product">', False),
        ('<meta property="article:published_time" content="2024-05-01T10:00:00Z">', True),
        (
            '<script type="application/ld+json">{"@context": "https://schema.org", '
            '"@type": ["NewsArticle"], "headline": "x"}</script>',
            True,
        ),
        (
            '<script type="application/ld+json">{"@type": "Product", "name": "Shelf"}</script>',
            False,
        ),
        ("<title>Shelf unit</title>", False),
    ],
)
def test_declares_article(head: str, expected: bool) -> None:
    from lxml.html import fromstring

    from flows.extract import declares_article

    tree = fromstring(f"<html><head>{head}</head><body><p>x</p></body></html>")
    assert declares_article(tree) is expected


def test_page_not_declaring_an_article_keeps_its_panels() -> None:
    """The DOM pre-clean runs on articles only: a product page's dialogs and panels hold its
    content (wcxb-dev product pages: `with` 0.623 with the pre-clean on every page, 0.664
    with it on declared articles only, trafilatura alone 0.661)."""
    html = (CASES / "article_with_widgets.html").read_text(encoding="utf-8")
    declared = extract_html(html, "https://example.org/bridge")
    undeclared = extract_html(
        html.replace('<meta property="og:type" content="article">', ""),
        "https://example.org/bridge",
    )
    assert any(r["rule"].startswith("dom_") for r in declared.dom_removals)
    assert not any(r["rule"].startswith("dom_") for r in undeclared.dom_removals)
    assert "harbour bridge reopened to traffic" in undeclared.text


def test_prose_words_count_sentences_not_chrome() -> None:
    from flows.extract import prose_words

    sentence = "The council met on Tuesday to review the library wing and its budget."
    menu = "\n".join(["Home", "News", "Sport", "Contact us", "Read more about the council"])
    assert prose_words(sentence) == (13, 0)
    assert prose_words(menu) == (0, 10)
    assert prose_words(f"{sentence}\n{menu}") == (13, 10)
    assert prose_words("Many people dream of becoming entrepreneurs, and often the...")[0] == 9
    assert prose_words("A list item of eight words with no stop") == (0, 9)


def test_suspect_body_and_better_body() -> None:
    from flows.blocks import Block
    from flows.extract import RETRY_PAGE_SHARE, better_body, suspect_body

    body = [Block("p", "x" * 100)]
    assert suspect_body([], 1000)
    assert suspect_body(body, int(100 / RETRY_PAGE_SHARE) + 10)
    assert not suspect_body(body, int(100 / RETRY_PAGE_SHARE) - 10)
    sentence = "The council met on Tuesday to review the library wing and its budget."
    first = [Block("p", sentence)] * 10
    assert better_body([Block("p", sentence)] * 12, first)
    assert not better_body([Block("p", sentence)] * 11, first)  # within the margin
    assert not better_body([*first, Block("list", "Home\nNews\nSport\nContact")], first)
    assert better_body(first, [])
    assert not better_body([], first)


def test_recall_body_where_the_first_extraction_drops_the_list() -> None:
    """In the wild (wcxb-dev 4519): trafilatura's balanced extraction drops the list of
    findings from a page whose menus outweigh the article; the recall body keeps it and has
    more prose, so it is taken."""
    import trafilatura

    html = (CASES / "recall_list_in_the_wild.html").read_text(encoding="utf-8")
    assert "Support for education" not in (trafilatura.extract(html) or "")
    result = extract_html(html)
    assert "recall_body" in result.flags
    assert "- Support for education and training should supplement research funding." in (
        result.text
    )
    assert "Section 3 of the site index" not in result.text


def test_recall_body_not_taken_when_it_only_adds_chrome(monkeypatch) -> None:
    """A suspect body is extracted again, but a recall body that adds only menu items (no
    prose) to the first is not taken."""
    from copy import deepcopy

    from lxml import etree

    import flows.extract as extract

    def chrome_only(run, options):
        body = deepcopy(run.body)
        menu = etree.SubElement(body, "list")
        for i in range(40):
            etree.SubElement(menu, "item").text = f"Menu entry {i}"
        return body

    monkeypatch.setattr(extract, "recall_candidate", chrome_only)
    result = extract_html((CASES / "recall_list_in_the_wild.html").read_text(encoding="utf-8"))
    assert "recall_body" not in result.flags
    assert "Menu entry" not in result.text
    assert "The Pew Center commissioned this report" in result.text


def test_html2txt_bound_is_an_upper_bound() -> None:
    """The escalation test compares with html2txt's length; the bound spares computing it
    where even the bound says the body is not short (block spacing splits words: room for it)."""
    from trafilatura.baseline import html2txt
    from trafilatura.utils import load_html

    from flows.extract import html2txt_bound

    pages = [path.read_text(encoding="utf-8") for path in sorted(CASES.glob("*.html"))]
    pages.append("<html><body><div>one</div><div>two</div><p>three<br>four</p></body></html>")
    pages.append("<html><body><ul><li>a</li><li>b</li></ul><span>glued</span>text</body></html>")
    for html in pages:
        tree = load_html(html)
        assert len(html2txt(tree)) <= html2txt_bound(tree)


def test_better_body_never_drops_prose() -> None:
    """A candidate with less chrome but fewer or the same prose words is not taken: real
    content first (the body rules and the cleaners remove chrome)."""
    from flows.blocks import Block
    from flows.extract import better_body

    sentence = "The council met on Tuesday to review the library wing and its budget."
    menu = Block("list", "\n".join(f"Menu entry {i}" for i in range(200)))
    first = [*[Block("p", sentence)] * 10, menu]
    assert not better_body([Block("p", sentence)] * 9, first)
    assert not better_body([Block("p", sentence)] * 10, first)


def test_block_rules_for_articles_see_the_declaration() -> None:
    """The tail rules of :mod:`flows.body_rules` that run on declared articles only
    (``html_tail_labels_v1``, ``html_tail_author_v1``) get the page's declaration: from v6 to
    v7 it stopped reaching them and 'PIN FOR LATER', 'Written by ...' boxes leaked (wcxb-dev
    4662, 4095)."""
    sentence = "The harbour ferry will run twice a day from the first of May until late autumn."
    paragraphs = "".join(f"<p>{sentence} Route {i} serves the islands.</p>" for i in range(8))
    html = (
        "<html><head><title>Ferry timetable</title>{meta}</head><body><article>"
        f"<h1>Ferry timetable</h1>{paragraphs}<p>PIN FOR LATER</p></article></body></html>"
    )
    declared = extract_html(html.format(meta='<meta property="og:type" content="article">'))
    undeclared = extract_html(html.format(meta=""))
    assert "PIN FOR LATER" not in declared.text
    assert [r["rule"] for r in declared.dom_removals if r["text"] == "PIN FOR LATER"] == [
        "html_tail_labels_v1"
    ]
    assert "PIN FOR LATER" in undeclared.text


@pytest.mark.parametrize(
    "html",
    [
        *(p.read_bytes() for p in sorted(CASES.glob("*.html"))),
        '<?xml version="1.0" encoding="utf-8"?><html><body><p>Declared encoding.</p></body></html>',
        "<p>A fragment alone is not a page.</p>",
        b"\xff\xfe<\x00h\x00t\x00m\x00l\x00>\x00",
        "<!DOCTYPE html>\n<html/>\n<body><p>Self-closing html tag.</p></body>",
    ],
)
def test_load_page_builds_load_htmls_tree(html: str | bytes) -> None:
    """Same tree as trafilatura's load_html (or the same rejection), every element an
    HtmlElement."""
    from lxml import etree
    from lxml.html import HtmlElement
    from trafilatura.utils import load_html

    from flows.extract import load_page

    ours, theirs = load_page(html), load_html(html)
    assert (ours is None) == (theirs is None)
    if ours is not None:
        assert etree.tostring(ours) == etree.tostring(theirs)
        assert all(isinstance(el, HtmlElement) for el in ours.iter(etree.Element))


def test_repeated_run_of_the_body_goes_on_articles() -> None:
    """A declared article rendering its text twice (a desktop and a mobile copy) gives
    trafilatura the paragraphs twice; the second copy goes, recorded, and no text is lost. A
    page that does not declare an article keeps both (documentation repeats its steps in each
    language's tab)."""
    sentences = [
        "The harbour ferry will run twice a day from the first of May until late autumn, the"
        " council said on Tuesday evening.",
        "Tickets go on sale next week at the harbour office and online, with discounts.",
        "The service was suspended last year after the old boat failed its inspection.",
    ]
    copy = "".join(f"<p>{s}</p>" for s in sentences)
    html = (
        "<html><head><title>Ferry</title>{meta}</head><body><article><h1>Ferry returns</h1>"
        f"<div class='desktop'>{copy}</div><div class='mobile'>{copy}</div>"
        "</article></body></html>"
    )
    result = extract_html(html.format(meta='<meta property="og:type" content="article">'))
    for sentence in sentences:
        assert result.text.count(sentence) == 1
    repeats = [r for r in result.dom_removals if r["rule"] == "html_repeated_run_v1"]
    assert [r["text"] for r in repeats] == sentences
    undeclared = extract_html(html.format(meta=""))
    for sentence in sentences:
        assert undeclared.text.count(sentence) == 2
    assert not [r for r in undeclared.dom_removals if r["rule"] == "html_repeated_run_v1"]


def test_repeated_block_alone_or_short_run_stays() -> None:
    """A single repeated paragraph (a pull quote, a chorus) and runs of short repeated blocks
    (labels, table rows) are not a second copy of the page: they stay."""
    from flows.blocks import Block
    from flows.extract import drop_repeated_runs

    quote = Block(
        "p", "We will not stop until every island has a boat twice a day, the mayor said. " * 2
    )
    body = [
        Block("p", f"Paragraph {i} of the story, which is long enough to read.") for i in range(4)
    ]
    single = [*body[:2], quote, *body[2:], quote]
    assert drop_repeated_runs(single) == (single, [])
    labels = [Block("p", "Share"), Block("p", "Print"), Block("p", "Email")]
    short_runs = [*labels, *body, *labels]
    assert drop_repeated_runs(short_runs) == (short_runs, [])
    pair = [*body, quote, *body[:2], quote]  # a run of 3 with a long block goes
    kept, records = drop_repeated_runs(pair)
    assert kept == [*body, quote] and len(records) == 3
