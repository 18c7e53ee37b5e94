"""Properties of the whole default chain, over arbitrary Unicode and article-like text."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaners import CleanResult, clean, tidy_whitespace
from cleaners.core import splice

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SENTENCES = [
    "The committee met on Tuesday to discuss the budget.",
    "“We will pursue our own policies,” said the official.",
    "Sen. Rand PaulRandal (Rand) Howard PaulTrump signs bill MORE (R-Ky.) objected.",
    "President TrumpDonald John TrumpGOP senators balk at plan MORE's remarks drew fire.",
    "NATO countries must pay MORE, he said.",
    "Shares of McDonald's and JPMorgan rose; DeSantis and LeBron were not reached.",
    "Click here to read the full report, which runs to 400 pages.",
    "WASHINGTON (Reuters) - The Senate voted on Friday.",
    "(FreedomBeacon.com)- The senator said little.",
    "Photo: Public Domain",
    "Advertisement",
    "Story continues below advertisement",
    "RELATED: Senate passes the bill",
    "Get More Trump Secrets in Your Inbox",
    "Follow us on Twitter @example",
    "Author: Jane Doe",
    "Jane Doe is a reporter, follow her on Twitter @janedoe.",
    "The Daily Beast",
    "Sources linked at end of page.",
    "You Might Like",
    "Related Topics",
    "Also On Trump File",
    "Recommended",
    "Trending",
    "Read Next",
    "… [+3896 chars]",
    "MORE",
    "",
]

paragraph = st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=4).map(" ".join)
separator = st.sampled_from(["\n\n", "\n", "\n\n\n", " \n\n", "\r\n\r\n", "\n \n"])


@st.composite
def articles(draw: st.DrawFn) -> str:
    paras = draw(st.lists(paragraph, min_size=1, max_size=12))
    out = []
    for p in paras:
        out.append(p)
        out.append(draw(separator))
    return "".join(out)


def check_contract(raw: str, result: CleanResult) -> None:
    previous_end = 0
    for r in result.removals:
        assert 0 <= previous_end <= r.start < r.end <= len(raw)
        assert raw[r.start : r.end] == r.text
        assert r.rule and r.category and r.reason
        previous_end = r.end
    spans = [(r.start, r.end) for r in result.removals]
    if "over_removal" in result.flags:
        assert result.removals == ()
        assert result.text == tidy_whitespace(raw)
    else:
        assert result.text == tidy_whitespace(splice(raw, spans))


@SETTINGS
@given(st.text())
def test_arbitrary_unicode(raw: str) -> None:
    result = clean(raw)
    check_contract(raw, result)
    assert clean(result.text).text == result.text


@SETTINGS
@given(articles())
def test_article_like_text(raw: str) -> None:
    result = clean(raw)
    check_contract(raw, result)
    assert clean(result.text).text == result.text


@SETTINGS
@given(articles(), st.sampled_from([None, "thehill.com", "Reuters", "x"]))
def test_source_hint_never_breaks_the_contract(raw: str, source: str | None) -> None:
    result = clean(raw, source=source)
    check_contract(raw, result)


ODD_SPACES = st.sampled_from(
    [" ", "\n", "\t", "\r", "\f", "\v", "\u00a0", "\x1c", "\x1f", "\x85", "\u2003", "\u2028"]
)


@SETTINGS
@given(st.lists(st.one_of(ODD_SPACES, st.sampled_from(SENTENCES)), max_size=30).map("".join))
def test_whitespace_lookalikes(raw: str) -> None:
    result = clean(raw)
    check_contract(raw, result)
    assert clean(result.text).text == result.text
