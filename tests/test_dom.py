"""DOM pre-clean: residue widgets go, recorded; real prose stays whatever its class says."""

from pathlib import Path

from lxml.html import fromstring

from flows.dom import find_link_line, preclean

CASES = Path(__file__).parent / "cases" / "html"


def _tree(name: str):
    return fromstring((CASES / name).read_text(encoding="utf-8"))


def test_widgets_dropped_and_recorded() -> None:
    tree = _tree("article_with_widgets.html")
    removals = preclean(tree)
    rules = {r["rule"] for r in removals}
    assert {
        "dom_newsletter_v1",
        "dom_related_v1",
        "dom_link_line_v1",
        "dom_image_credit_v1",
        "dom_tail_note_v1",
    } <= rules
    for r in removals:
        assert set(r) == {"rule", "category", "reason", "text"}
        assert r["rule"].endswith("_v1") and r["text"]
    text = tree.text_content()
    assert "Sign up for the newsletter" not in text
    assert "Ferry prices" not in text
    assert "City council approves" not in text
    assert "Photo: City archive" not in text
    assert "Subscribe to our daily edition" not in text
    assert "harbour bridge reopened to traffic" in text
    assert "Traffic counts will be published monthly" in text


def test_prose_guard_keeps_article_in_share_wrapper() -> None:
    tree = _tree("prose_in_share_wrapper.html")
    assert preclean(tree) == []
    assert "weekend schedule remains unchanged" in tree.text_content()


def test_link_inside_sentence_is_not_a_link_line() -> None:
    p = fromstring('<p>The minister told <a href="/x">the national broadcaster</a> on Monday.</p>')
    assert find_link_line(p) is None


def test_bare_link_without_label_is_kept() -> None:
    p = fromstring('<p><a href="/x">The generation we love to dump on</a></p>')
    assert find_link_line(p) is None


def test_labelled_link_in_other_language() -> None:
    p = fromstring(
        '<p><strong>Lea también: <a href="/x">Impiden ingreso a reportero</a></strong></p>'
    )
    assert find_link_line(p) is not None


def test_tail_boundaries_hidden_dialog_and_app_call() -> None:
    tree = _tree("tail_boundaries.html")
    removals = preclean(tree, "https://www.examplenews.com/2024/ferry-service-expands")
    by_rule: dict[str, list[str]] = {}
    for r in removals:
        by_rule.setdefault(r["rule"], []).append(r["text"])
    assert len(by_rule["dom_after_comments_v1"]) == 2
    assert any("copyrighted property" in t for t in by_rule["dom_after_comments_v1"])
    assert by_rule["dom_app_cta_v1"] == [
        "For the latest stories download the Example News apps for iOS and Android."
    ]
    assert len(by_rule["dom_hidden_v1"]) == 2  # the dialog with prose, the template residue
    text = tree.text_content()
    assert "Officer Training Programme" not in text
    assert "FI name" not in text
    assert "Advertise with" not in text
    for kept in ("two new ferry routes", "Residents had campaigned", "reduced fare"):
        assert kept in text


def test_paywall_marker_and_what_stays() -> None:
    tree = _tree("paywall_and_hidden_slides.html")
    removals = preclean(tree, "https://www.exampletimes.com/2024/player")
    assert [r["rule"] for r in removals] == ["dom_after_paywall_v1", "dom_after_paywall_v1"]
    text = tree.text_content()
    assert "To view the full story" not in text
    assert "First-time subscribers" not in text
    # a comment count in the body is not the comment section: what follows it stays
    assert "Doctors told the family" in text
    # a hidden slide holds a paragraph: scripts reveal it, so it stays
    assert "A laundry bag that tells the truth" in text
    # store links that do not name the site: a review's links to the app it reviews
    assert "The app is free on" in text


def test_records_leave_out_script_text() -> None:
    tree = fromstring(
        "<html><body><article><p>Body text.</p></article><div class='share-bar'>"
        "<script>var share = 1;</script><style>.x{}</style>Share this</div></body></html>"
    )
    removals = preclean(tree)
    assert [r["text"] for r in removals] == ["Share this"]


def test_lead_in_ending_with_colon_is_not_a_link_line() -> None:
    p = fromstring('<p>Per <a href="/guide">this Walden University Library guide</a>:</p>')
    assert find_link_line(p) is None
    p = fromstring('<p>Key features of <a href="/x">Azure Machine Learning Studio</a>:</p>')
    assert find_link_line(p) is None


def test_heading_slug_id_is_not_a_widget_name() -> None:
    tree = fromstring(
        "<html><body><div><p>Body text.</p>"
        "<h2 id='what-share-of-teens-use-social-media'>What share of teens use social media?</h2>"
        "<p>Most of them.</p><div id='social-share'>Share on Facebook</div></div></body></html>"
    )
    removals = preclean(tree)
    assert [r["text"] for r in removals] == ["Share on Facebook"]
    assert "What share of teens" in tree.text_content()


def test_signup_box_found_by_its_email_field() -> None:
    tree = fromstring(
        "<html><body><article><p>"
        + "The harbour bridge reopened to traffic on Monday after two years of repairs. " * 3
        + "</p></article><div><p>Get the best of Example News delivered to your inbox weekly</p>"
        "<form><input type='email' name='email'><button>Sign up</button></form>"
        "<p>By entering your email, you agree to our Terms &amp; Conditions.</p></div>"
        "</body></html>"
    )
    removals = preclean(tree)
    assert [r["rule"] for r in removals] == ["dom_signup_box_v1"]
    text = tree.text_content()
    assert "delivered to your inbox" not in text and "Terms" not in text
    assert "harbour bridge reopened" in text


_BODY = (
    "<article><p>"
    + "The harbour bridge reopened to traffic on Monday after repairs. " * 3
    + "</p></article>"
)


def test_cta_box_found_by_its_button() -> None:
    tree = fromstring(
        "<html><body>" + _BODY + "<div class='wp-block-group'><h3>Struggling with sourdough?</h3>"
        "<p>Join my free workshop and bake a better loaf</p>"
        "<a class='wp-block-button__link' href='/workshop'>Save your spot</a></div></body></html>"
    )
    removals = preclean(tree)
    assert [r["rule"] for r in removals] == ["dom_cta_box_v1"]
    text = tree.text_content()
    assert "sourdough" not in text and "harbour bridge reopened" in text


def test_cta_boxes_of_a_list_stay() -> None:
    """Cards of a list (the same button label three times, a rank, a price, a score) and a
    button beside the article's prose are the page's content, not a pitch."""
    cards = "".join(
        f"<div class='card-{n}'><h3>Recipe {n}</h3><p>Quick and easy salmon bites</p>"
        f"<a class='btn' href='/r{n}'>Get the Recipe</a></div>"
        for n in range(3)
    )
    ranked = (
        "<div class='top'><h3>1. Ring doorbell</h3><p>Best for DIY installation</p>"
        "<a class='btn' href='/ring'>See deal</a></div>"
    )
    priced = (
        "<div class='offer'><h3>Vitality serum</h3><p>30ml bottle, $130</p>"
        "<a class='btn' href='/cart'>Add to cart</a></div>"
        "<div class='lease'><h3>City SUV</h3><p>Inkl. Extras ab 115 € im Monat</p>"
        "<a class='btn' href='/lease'>Jetzt konfigurieren</a></div>"
    )
    beside = (
        "<div><p>"
        + "Readers can write to the council about the ferry timetable until June. " * 3
        + "</p><a class='button' href='/write'>Write to us</a></div>"
    )
    tree = fromstring("<html><body>" + _BODY + cards + ranked + priced + beside + "</body></html>")
    assert [r for r in preclean(tree) if r["rule"] == "dom_cta_box_v1"] == []
    text = tree.text_content()
    for kept in ("Recipe 2", "Ring doorbell", "Vitality serum", "City SUV", "Write to us"):
        assert kept in text


def test_email_field_beside_prose_stays() -> None:
    # a contact form inside the article's text: the climb stops at the prose
    tree = fromstring(
        "<html><body><div><p>"
        + "Readers can write to the council about the new ferry timetable until June. " * 3
        + "</p><form><input type='email'></form></div></body></html>"
    )
    assert preclean(tree) == []
    assert "ferry timetable" in tree.text_content()


def test_button_holding_the_article_is_unwrapped() -> None:
    """A menu button left open nests the page inside it (Dotdash Meredith, wcxb-dev 0044):
    the tag goes, its children stay; real buttons (a label, an accordion heading with a
    paragraph, a share icon) are left alone."""
    from flows.dom import unwrap_page_buttons

    tree = fromstring(
        "<html><body><div><button class='mntl-header__menu-button'><span>Menu</span>"
        "<main><article><h1>Ferry</h1><p>The harbour ferry runs twice a day.</p></article>"
        "</main></button></div><button class='accordion'><p>How do I book?</p></button>"
        "<button>Share</button></body></html>"
    )
    before = " ".join(tree.text_content().split())
    assert unwrap_page_buttons(tree) == 1
    assert " ".join(tree.text_content().split()) == before
    assert tree.find(".//main").getparent().tag == "div"
    assert [b.text_content() for b in tree.iter("button")] == ["How do I book?", "Share"]
    assert unwrap_page_buttons(tree) == 0


def test_page_inside_a_button_is_extracted_as_an_article() -> None:
    from flows.extract import extract_html

    paragraphs = "".join(
        f"<p>The harbour ferry will run twice a day from May, route {i} to the islands.</p>"
        for i in range(8)
    )
    html = (
        "<html><head><title>Ferry</title></head><body><header><button class='menu-button'>"
        "<nav><a href='/a'>Home &amp; Garden</a> <a href='/b'>Travel</a></nav>"
        f"<main><article><h1>Ferry</h1>{paragraphs}</article></main></button></header>"
        "</body></html>"
    )
    result = extract_html(html)
    assert "page_buttons_unwrapped" in result.flags
    # without the repair a fallback returns the page as one paragraph
    assert "route 0 to the islands.\n\nThe harbour ferry" in result.text
    assert "Home & Garden" not in result.text
