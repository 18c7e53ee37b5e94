"""Rules on the extracted blocks that use the page's own metadata."""

from pathlib import Path

from flows.blocks import Block
from flows.body_rules import PageMeta, apply_body_rules, find_headline, title_variants
from flows.extract import extract_html

CASES = Path(__file__).parent / "cases" / "html"

BODY = Block(
    "p", "The bridge reopened to traffic on Monday after two years of repairs, officials said."
)


def test_headline_repeated_in_a_real_page_goes() -> None:
    result = extract_html((CASES / "headline_in_hero.html").read_bytes())
    title, _, body = result.text.partition("\n\n")
    assert title == "Best Identity Theft Protection Services of 2026"
    assert not body.startswith("Best Identity Theft")
    assert "How We Chose the Best Identity Theft Protection Services" in body  # a section heading
    assert [r["rule"] for r in result.dom_removals] == ["html_headline_v1"]


def test_site_suffix_and_h1_worded_a_little_differently() -> None:
    meta = PageMeta(("Harbour bridge reopens after repairs | Example News",))
    assert "harbour bridge reopens after repairs" in title_variants(meta.titles)
    blocks = [Block("head", "Harbour bridge reopens after long repairs", "h1"), BODY]
    assert find_headline(blocks, meta) == [0]


def test_must_not_change_headings_that_are_not_the_headline() -> None:
    meta = PageMeta(("Harbour bridge reopens after repairs",))
    # a section heading at the top that is not the title, a heading after the first paragraph,
    # and a first paragraph that merely starts like the title
    assert find_headline([Block("head", "What changes for commuters", "h2"), BODY], meta) == []
    later = [BODY, Block("head", "Harbour bridge reopens after repairs", "h2")]
    assert find_headline(later, meta) == []
    lede = Block("p", "Harbour bridge reopens after repairs, and commuters are relieved.")
    assert find_headline([lede, BODY], meta) == []
    kept, records = apply_body_rules([lede, BODY], meta)
    assert kept == [lede, BODY] and records == []


def test_chrome_above_the_headline_goes_with_it() -> None:
    meta = PageMeta(("Harbour bridge reopens after repairs - Example News",))
    blocks = [
        Block("p", "Back to blog"),
        Block("list", "- Home\n- Transport"),
        Block("p", "Harbour bridge reopens after repairs"),
        BODY,
    ]
    kept, records = apply_body_rules(blocks, meta)
    assert kept == [BODY]
    assert [r["rule"] for r in records] == [
        "html_pre_headline_v1",
        "html_pre_headline_v1",
        "html_headline_v1",
    ]


def test_must_not_change_what_sits_above_a_headline_under_a_paragraph() -> None:
    meta = PageMeta(("Harbour bridge reopens after repairs",))
    # a short block with no headline under it, and a headline under a real paragraph
    label = Block("p", "Back to blog")
    assert apply_body_rules([label, BODY], meta) == ([label, BODY], [])
    title = Block("p", "Harbour bridge reopens after repairs")
    assert apply_body_rules([BODY, title, BODY], meta)[1] == []


_ARTICLE = [
    Block("p", " ".join(["The council approved the new ferry timetable on Monday."] * 10)),
    Block("head", "What changes for commuters", "h2"),
    Block("p", " ".join(["Boats will leave every twenty minutes at peak hours."] * 10)),
]


def test_tail_box_under_the_article_goes() -> None:
    blocks = [
        *_ARTICLE,
        Block("head", "Join Our Newsletter", "h3"),
        Block("p", "Sign up now to get the freshest updates delivered straight to your inbox!"),
    ]
    kept, records = apply_body_rules(blocks, PageMeta(("Ferry timetable",)))
    assert kept == _ARTICLE
    assert [r["rule"] for r in records] == ["html_tail_box_v1", "html_tail_box_v1"]


def test_must_not_change_closing_sections() -> None:
    meta = PageMeta(("Ferry timetable",))
    closings = [
        # a conclusion longer than a pitch
        [
            Block("head", "Final Thoughts", "h2"),
            Block("p", " ".join(["Whether you commute daily or weekly, plan ahead."] * 4)),
        ],
        # a closing section that does not speak to the reader
        [
            Block("head", "What trips are open?", "h3"),
            Block("p", "Open trips can be viewed at the harbour office."),
        ],
        [
            Block("head", "Timetable", "h3"),
            Block("p", "The timetable is posted at every pier and on the council site."),
        ],
        # a heading over a question: a teaser
        [Block("head", "Resources", "h2"), Block("p", "Which ferry pass is right for you?")],
        # a closing list
        [Block("head", "Get started", "h2"), Block("list", "- Buy your pass\n- Board")],
    ]
    for closing in closings:
        blocks = [*_ARTICLE, *closing]
        assert apply_body_rules(blocks, meta) == (blocks, [])
    # a short page: nothing before the box reads as an article
    short = [
        Block("p", "Ferry news."),
        Block("head", "Get started", "h2"),
        Block("p", "Book your trip today and save."),
    ]
    assert apply_body_rules(short, meta) == (short, [])
