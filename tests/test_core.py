"""The removal core: offset mapping, tidying, guard, and the chain runner's contract."""

from collections.abc import Iterable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners import Finding, clean, core, tidy_whitespace
from cleaners.core import Doc, OffsetMap, splice, tidy_spans
from cleaners.registry import REGISTRY, register


def test_tidy_whitespace_normalises_paragraphs_only() -> None:
    raw = "\n\nTitle  \r\n\r\n\r\nA  b.\t\nc\n\n\n\n"
    assert tidy_whitespace(raw) == "Title\n\nA  b.\nc\n"
    assert tidy_whitespace("") == ""
    assert tidy_whitespace(" \n \n") == ""


def test_tidy_is_idempotent() -> None:
    raw = "a \n\n\n b\r\n"
    assert tidy_whitespace(tidy_whitespace(raw)) == tidy_whitespace(raw)


def test_offset_map_round_trip() -> None:
    original = "0123456789"
    deleted = [(2, 4), (6, 7)]
    spliced = splice(original, deleted)
    omap = OffsetMap(deleted)
    assert spliced == "0145789"
    assert [original[omap.to_original(i)] for i in range(len(spliced))] == list(spliced)
    assert omap.span_to_original(1, 4) == [(1, 2), (4, 6)]


def test_doc_views() -> None:
    doc = Doc("Title\n\nPara one\nline two\n\n  \n\nLast")
    assert [doc.text[s:e] for s, e in doc.paragraphs] == ["Title", "Para one\nline two", "Last"]
    assert [doc.text[s:e] for s, e in doc.lines] == ["Title", "Para one", "line two", "Last"]


def _paragraphs_by_line(text: str) -> list[tuple[int, int]]:
    """Reference: blocks of non-blank lines (a blank line holds only what str.strip strips)."""
    spans: list[tuple[int, int]] = []
    pos, start, last = 0, -1, 0
    for line in text.split("\n"):
        body = line.strip()
        if body:
            if start < 0:
                start = pos + line.index(body[0])
            last = pos + len(line.rstrip())
        elif start >= 0:
            spans.append((start, last))
            start = -1
        pos += len(line) + 1
    if start >= 0:
        spans.append((start, last))
    return spans


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="\n\n \t\r\u2028\u00a0\x85ab", max_size=30))
def test_paragraphs_match_the_line_scan(text: str) -> None:
    assert Doc(text).paragraphs == _paragraphs_by_line(text)


@register("test_marker_v1", category="promo")
def _find_marker(doc: Doc) -> Iterable[Finding]:
    """Test rule: removes the word ZAPME and one following space."""
    start = doc.text.find("ZAPME")
    while start != -1:
        end = start + 5 + (doc.text[start + 5 : start + 6] == " ")
        yield Finding(start, end, "test marker")
        start = doc.text.find("ZAPME", end)


def test_removals_point_into_original_and_explain() -> None:
    raw = "Keep these words  \n\n\n\nthis ZAPME longer text ZAPME\n"
    result = clean(raw, rules=["test_marker_v1"])
    assert result.text == "Keep these words\n\nthis longer text\n"
    assert [(r.text, r.rule, r.category) for r in result.removals] == [
        ("ZAPME ", "test_marker_v1", "promo"),
        ("ZAPME", "test_marker_v1", "promo"),
    ]
    for r in result.removals:
        assert raw[r.start : r.end] == r.text


def test_guard_holds_large_removals() -> None:
    raw = "ZAPME ZAPME ZAPME real\n"
    result = clean(raw, rules=["test_marker_v1"])
    assert result.text == raw
    assert result.removals == ()
    assert "over_removal" in result.flags
    assert len(result.held_removals) == 3
    relaxed = clean(raw, rules=["test_marker_v1"], max_share=1.0)
    assert relaxed.text == "real\n"


def test_unknown_rule_is_an_error() -> None:
    with pytest.raises(KeyError):
        clean("x", rules=["nope_v1"])


def test_rule_names_are_versioned() -> None:
    with pytest.raises(ValueError):
        register("unversioned", category="promo")
    assert all(name.rsplit("_v", 1)[1].isdigit() for name in REGISTRY)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.sampled_from(["a", " ", "\n", "\t", "\r", "\u00a0", "\f", "\v"])))
def test_tidy_fast_path_agrees_with_line_scan(text: str) -> None:
    nonempty = [span for span in core._tidy_spans_by_line(text) if span[1] > span[0]]
    assert [span for span in tidy_spans(text) if span[1] > span[0]] == nonempty


def _kept_final_newline(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The runner's reading of tidy spans: non-empty, merged, the final newline kept."""
    spans = core._merge(s for s in spans if s[1] > s[0])
    if spans and spans[-1][1] == len(text) and text.endswith("\n"):
        s, e = spans.pop()
        if e - 1 > s:
            spans.append((s, e - 1))
    return spans


@settings(max_examples=1000, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(["a", "b", " ", "\n", "\t", "\r", "\u00a0", "\u2028"])),
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 12)), max_size=4),
)
def test_junction_tidy_agrees_with_tidy_after_cuts(raw: str, cuts: list[tuple[int, int]]) -> None:
    """After pieces are cut out of a tidied view, tidying around the cuts finds what tidying
    the whole view finds (what the runner does after a commit)."""
    from cleaners.registry import junction_tidy_spans

    view = tidy_whitespace(raw)
    spans = core._merge((min(s, len(view)), min(s + n, len(view))) for s, n in cuts)
    spans = [(s, e) for s, e in spans if e > s]
    cut = splice(view, spans)
    junctions, removed = [], 0
    for s, e in spans:
        junctions.append(s - removed)
        removed += e - s
    expected = _kept_final_newline(cut, tidy_spans(cut))
    assert _kept_final_newline(cut, junction_tidy_spans(cut, junctions)) == expected
