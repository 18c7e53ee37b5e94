"""Where the HTML path's leaks come from: each leaked WCXB ``without`` snippet with its context.

    .venv/bin/python benchmarks/html_leaks.py [--wcxb PATH] [--types article,...] [--ids ID,...]

For every page of the chosen types (articles by default) whose decruft body (as scored by
``html_eval.py``) still holds a ``without`` snippet, one line per leaked snippet: the page id,
the snippet, the extracted block it sits in (its index, how far from the end, its tag and
heading level, its words) and the smallest element of the page's DOM holding it, with up to six
ancestors as ``tag[class|id]``. Groups of leaks (pitch boxes, bylines, menus, footnotes, ...)
and the structure around them show which rule to write and where (DOM pre-clean or block rule).
Decruft only (no trafilatura run, no timing): about a minute for the articles.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from trafilatura.utils import load_html

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import html_eval as he

import flows.extract as fx

DEFAULT_WCXB = Path("/work/shared/bench/wcxb-dev")
_SKIP = frozenset({"script", "style", "head", "title", "noscript", "template"})


def dom_context(html: bytes, snippet: str, depth: int = 7) -> str:
    """The smallest element whose text holds ``snippet``, and its ancestors."""
    tree = load_html(html)
    if tree is None:
        return "unparseable"
    wanted = he.collapse(snippet)
    best = None
    best_len = None
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in _SKIP:
            continue
        text = he.collapse(element.text_content())
        if wanted in text and (best_len is None or len(text) < best_len):
            best, best_len = element, len(text)
    if best is None:
        return "not in the DOM"
    chain = []
    while best is not None and len(chain) < depth:
        cls = " ".join((best.get("class") or "").split())[:30]
        chain.append(f"{best.tag}[{cls}|{(best.get('id') or '')[:20]}]")
        best = best.getparent()
    return " < ".join(chain)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wcxb", type=Path, default=DEFAULT_WCXB, help="WCXB dev folder")
    parser.add_argument("--types", default="article", help="page types, comma-separated")
    parser.add_argument("--ids", help="only these page ids, comma-separated")
    args = parser.parse_args(argv)
    logging.disable(logging.CRITICAL)
    types = set(args.types.split(","))
    ids = set(args.ids.split(",")) if args.ids else None
    blocks_seen: list[fx.Block] = []
    apply_rules = fx.apply_body_rules

    def spy(blocks, meta):  # the blocks the body is made of, after the block rules
        kept, records = apply_rules(blocks, meta)
        blocks_seen[:] = kept or list(blocks)
        return kept, records

    fx.apply_body_rules = spy
    leaks = pages = 0
    for page in he.load_wcxb(args.wcxb, None):
        if page.page_type not in types or (ids and page.id not in ids) or not page.without:
            continue
        blocks_seen.clear()
        _, body = he.run_decruft(page.html, page.url)
        leaked = he.score_page(body, page).leaked
        pages += 1
        for snippet in leaked:
            leaks += 1
            wanted = he.collapse(snippet)
            where = "not in one block"
            for i, block in enumerate(blocks_seen):
                if wanted in he.collapse(block.text):
                    n = len(blocks_seen)
                    level = f" {block.level}" if block.level else ""
                    where = f"block {i}/{n} (end-{n - 1 - i}) {block.tag}{level} {block.words}w"
                    break
            print(f"{page.id} {snippet[:60]!r}\n    {where}\n    {dom_context(page.html, snippet)}")
    print(f"{leaks} leaked snippets on {pages} pages with a without list")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
