"""The extracted body as blocks: same words as trafilatura's text, one block per element."""

import re
from collections import Counter
from pathlib import Path

import trafilatura
from trafilatura import bare_extraction
from trafilatura.settings import Extractor
from trafilatura.utils import load_html

from flows.blocks import body_blocks, join_blocks

CASES = Path(__file__).parent / "cases" / "html"
_WORD = re.compile(r"\w+")


def _blocks(html: bytes):
    document = bare_extraction(load_html(html), options=Extractor(comments=False, tables=True))
    return body_blocks(document.body)


def test_same_words_as_trafilatura_text() -> None:
    for path in sorted(CASES.glob("*.html")):
        html = path.read_bytes()
        reference = trafilatura.extract(load_html(html), include_comments=False) or ""
        ours = join_blocks(_blocks(html))
        assert Counter(_WORD.findall(ours)) == Counter(_WORD.findall(reference)), path.name


def test_blocks_keep_tags_levels_and_list_lines_together() -> None:
    html = (
        "<html><body><article><h1>Harbour bridge reopens</h1>"
        + "<p>The bridge reopened to traffic on Monday after two years of repairs. " * 3
        + "</p><ul><li>Cars from 6 am</li><li>Bicycles from 7 am</li></ul>"
        + "<p>Officials said the works came in on budget and ahead of schedule. " * 3
        + "</p></article></body></html>"
    ).encode()
    blocks = _blocks(html)
    assert [b.tag for b in blocks] == ["head", "p", "list", "p"]
    assert blocks[0].level == "h1"
    assert blocks[2].text.count("\n") == 1  # the two items stay one block
    assert "\n\n" in join_blocks(blocks)
