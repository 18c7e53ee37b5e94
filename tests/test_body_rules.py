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
    # a short block with no headline under it (a section label, not page furniture such as
    # "Back to blog", which html_head_meta_v1 takes anywhere at the top), and a headline
    # under a real paragraph
    label = Block("p", "Harbour news")
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


LONG_BODY = [
    Block("p", " ".join(["The council voted on the new harbour plan on Tuesday evening."] * 8)),
    Block("p", " ".join(["Residents who spoke at the meeting were divided on the cost."] * 8)),
]


def test_page_furniture_opening_the_body_goes() -> None:
    from flows.body_rules import find_head_meta, is_page_meta

    blocks = [
        Block("p", "Back to blog"),
        Block("p", "13 MIN READ"),
        Block("p", "PUBLISHED"),
        Block("p", "3 January, 2025"),
        *LONG_BODY,
    ]
    assert find_head_meta(blocks) == [0, 1, 2, 3]
    assert is_page_meta(Block("list", "- Gabo\n- Jan 23\n- 11 min read"))
    assert is_page_meta(Block("p", "December 15, 2025 // 8 min read"))
    assert is_page_meta(Block("p", "Table of Contents"))
    assert is_page_meta(Block("p", "Page 1 of 8"))
    kept, records = apply_body_rules(blocks, PageMeta(("Harbour plan approved",)))
    assert kept == LONG_BODY
    assert {r["rule"] for r in records} == {"html_head_meta_v1"}


def test_must_not_change_lines_that_say_more_than_furniture() -> None:
    from flows.body_rules import find_head_meta, is_page_meta

    for text in (
        "Originally published in March 2022. Last updated on December 20, 2024.",
        "By Lizzie Streit, MS, RDN, LD",
        "Key Takeaways",
        "QUICK SUMMARY:",
        "The best film of 2025 has been revealed.",
    ):
        assert not is_page_meta(Block("p", text)), text
    assert not is_page_meta(Block("list", "- Semaglutide\n- Tirzepatide\n- Liraglutide"))
    # furniture below the first paragraph is not the opening strip
    assert find_head_meta([LONG_BODY[0], Block("p", "Updated: Jan 31"), LONG_BODY[1]]) == []
    # a body that is nothing but furniture is left as it is
    assert find_head_meta([Block("p", "Jan 23"), Block("p", "11 min read")]) == []


def test_short_labels_closing_the_body_go() -> None:
    from flows.body_rules import find_tail_labels

    follow = [Block("p", "Follow Hardtail Canada"), Block("p", "Favourite on Google News")]
    blocks = [*LONG_BODY, *follow]
    assert find_tail_labels(blocks) == [2, 3]
    assert find_tail_labels([*LONG_BODY, Block("p", "Tags")]) == [2]
    kept, records = apply_body_rules(
        [*LONG_BODY, Block("p", "PIN FOR LATER")], PageMeta((), article=True)
    )
    assert kept == LONG_BODY and [r["rule"] for r in records] == ["html_tail_labels_v1"]


def test_must_not_change_sign_offs_and_closing_lines() -> None:
    from flows.body_rules import find_tail_labels

    for closing in (
        [Block("p", "Happy Planting!"), Block("p", "Annette xxx")],  # a name under a greeting
        [Block("p", "Best wishes, Andrew")],
        [Block("p", "Where to watch: Netflix")],
        [Block("p", "Until next time…")],
        [Block("p", "— JS")],
        [Block("p", "Try it out.")],
        [Block("head", "Bells of Steel", "h6")],
        [Block("p", "https://github.com/example/tool")],
    ):
        assert find_tail_labels([*LONG_BODY, *closing]) == [], closing
    # a short text is not trimmed: the labels need a body above them
    assert find_tail_labels([Block("p", "A short note."), Block("p", "Tags")]) == []


def test_must_not_change_the_last_items_of_a_page_that_is_not_an_article() -> None:
    blocks = [*LONG_BODY, Block("p", "Deepfakes Software For All")]
    assert apply_body_rules(blocks, PageMeta(())) == (blocks, [])


def test_author_box_closing_the_body_goes_with_its_label() -> None:
    from flows.body_rules import find_tail_author_box

    box = [
        Block("head", "Written by Cassidy Horton", "h3"),
        Block("p", "Cassidy Horton is a finance writer who is passionate about money habits."),
        Block("p", "All personal loans made by WebBank."),
    ]
    assert find_tail_author_box([*LONG_BODY, *box]) == [2, 3, 4]
    kept, records = apply_body_rules([*LONG_BODY, *box], PageMeta((), article=True))
    assert kept == LONG_BODY
    assert {r["rule"] for r in records} == {"html_tail_author_v1"}
    about = [Block("p", "About the Author:"), Block("p", "Juliette writes about cities.")]
    assert find_tail_author_box([*LONG_BODY, *about]) == [2, 3]


def test_must_not_change_author_labels_over_more_than_a_box() -> None:
    from flows.body_rules import find_tail_author_box

    profile = [Block("head", "About the Author", "h2"), *LONG_BODY, *LONG_BODY]  # a profile
    assert find_tail_author_box([*LONG_BODY, *profile]) == []
    byline = [Block("p", "Written by Emily Walker"), *LONG_BODY]  # a byline over the article
    assert find_tail_author_box(byline) == []
    sentence = Block("p", "The report, written by the council's auditors, is due in May.")
    assert find_tail_author_box([*LONG_BODY, sentence]) == []
    blocks = [*LONG_BODY, Block("p", "Written by Emily Walker")]
    assert apply_body_rules(blocks, PageMeta(())) == (blocks, [])  # not a declared article


def test_links_to_the_neighbouring_posts_closing_the_body_go() -> None:
    from flows.body_rules import find_prev_next

    links = Block(
        "p",
        "Next article: Go Wins 2010 Bossie Award\n"
        "Previous article: Share Memory By Communicating\nBlog Index",
    )
    assert find_prev_next([*LONG_BODY, links]) == [2]
    assert find_prev_next([*LONG_BODY, Block("list", "- « Previous Post\n- Next Post »")]) == [2]
    kept, records = apply_body_rules([*LONG_BODY, links], PageMeta(()))
    assert kept == LONG_BODY and [r["rule"] for r in records] == ["html_prev_next_v1"]


def test_must_not_change_sentences_that_open_with_next_or_previous() -> None:
    from flows.body_rules import find_prev_next

    for text in (
        "Next, the council will vote on the plan.",
        "Previous studies found that the drug works.",
        "Next week the council meets again",
        "Next article: the council's plan\nThe vote is due in May, officials said on Monday.",
    ):
        assert find_prev_next([*LONG_BODY, Block("p", text)]) == [], text
    # links higher up the page are not the closing navigation
    high = [Block("p", "Next article: Harbour plan"), *LONG_BODY, *LONG_BODY]
    assert find_prev_next(high) == []
