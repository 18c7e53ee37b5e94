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
