"""Dump what the HTML path does to every WCXB dev page, to check a speed-up changed nothing.

    python benchmarks/html_identity.py OUT.jsonl [--wcxb PATH] [--limit N] [--check-scan]

One JSON line per page (all page types, in id order): ``extract_html``'s title, text, DOM
removals and flags, or its ``ExtractError`` message; then ``clean``'s text, flags, removals
and held removals (rule, start, end, category, reason) on that text, cleaned as
``html_eval.py`` cleans it. Dump before and after a change and ``cmp`` the files: any
difference, even of a reason or an order, is a change.

``--check-scan`` also checks, on each page as parsed and as pre-cleaned, that
:mod:`flows.recall`'s one-pass Python reading of trafilatura's discard and body XPath
expressions finds what the expressions find (the same elements, counts and candidates).
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import sys
from pathlib import Path

from lxml import etree
from trafilatura.utils import load_html

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cleaners import Removal, clean
from flows import recall
from flows.dom import preclean
from flows.extract import ExtractError, extract_html

DEFAULT_WCXB = Path("/work/shared/bench/wcxb-dev")


def _removals(removals: tuple[Removal, ...]) -> list[list[object]]:
    return [[r.rule, r.start, r.end, r.category, r.reason] for r in removals]


def record(page_id: str, html: bytes, url: str | None) -> str:
    """One JSON line: everything the HTML path returns for one page."""
    row: dict[str, object] = {"id": page_id}
    try:
        extracted = extract_html(html, url)
    except ExtractError as err:
        row["error"] = str(err)
        return json.dumps(row, ensure_ascii=False)
    result = clean(extracted.text, None, title=extracted.title)
    row |= {
        "title": extracted.title,
        "extracted": extracted.text,
        "dom_removals": extracted.dom_removals,
        "extract_flags": extracted.flags,
        "text": result.text,
        "flags": list(result.flags),
        "removals": _removals(result.removals),
        "held": _removals(result.held_removals),
    }
    return json.dumps(row, ensure_ascii=False)


def scan_differences(html: bytes) -> list[str]:
    """Where the one-pass scan and trafilatura's expressions disagree on a page (none: [])."""
    tree = load_html(html)
    if tree is None:
        return []
    problems = []
    for stage in ("parsed", "precleaned"):
        if stage == "precleaned":
            preclean(tree, None)
        body = tree.find("body")
        root = body if body is not None else tree
        fast, slow = recall._scan(root), recall._scan_xpath(root)
        if fast[0] != slow[0]:
            problems.append(f"{stage}: discard matches differ")
        if fast[1] != slow[1]:
            problems.append(f"{stage}: candidates differ")
        for element in root.iterdescendants(etree.Element):
            if recall._element_discard_count(element) != slow[0].get(element, 0):
                problems.append(f"{stage}: discard count of one element differs")
                break
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--wcxb", type=Path, default=DEFAULT_WCXB, help="WCXB dev folder")
    parser.add_argument("--limit", type=int, help="first N pages only")
    parser.add_argument("--check-scan", action="store_true", help="scan vs XPath, every page")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)  # trafilatura logs every discarded page
    truth = sorted((args.wcxb / "dev" / "ground-truth").glob("*.json"))[: args.limit]
    differing = 0
    with args.out.open("w", encoding="utf-8") as out:
        for gt_path in truth:
            url = json.loads(gt_path.read_text(encoding="utf-8")).get("url")
            html_path = args.wcxb / "dev" / "html" / f"{gt_path.stem}.html.gz"
            html = gzip.decompress(html_path.read_bytes())
            out.write(record(gt_path.stem, html, url) + "\n")
            if args.check_scan:
                for problem in scan_differences(html):
                    print(f"{gt_path.stem}: {problem}")
                    differing += 1
    print(f"{len(truth)} pages -> {args.out}")
    if args.check_scan:
        print(f"scan vs XPath: {differing} differences")


if __name__ == "__main__":
    main()
