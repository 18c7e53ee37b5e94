"""Report generation at scale: time and size for 10,000 and 100,000 documents, projected to a
million, and how fast the index (and a document page) opens in headless Chromium.

    .venv/bin/python benchmarks/report_scale.py [--corpus ../shared/bench/abp-dev.jsonl.gz]
        [--sizes 10000 100000] [--project 1000000] [--single-page] [--no-browser]

Documents are real articles from the corpus (cycled to reach each size, with distinct ids),
cleaned once with the default chain; only report writing is timed. The projection is linear
from the largest size (generation is one streaming pass; everything but index.html grows with
the documents), index.html's size does not grow with them. ``--single-page`` also measures the
alternative layout (every document on one page with anchors) at the largest size.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cleaners import clean
from flows.report import HEADLESS_CHROMIUM_FLAGS, ReportWriter
from flows.report.records import record_from_result

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "bench" / "abp-dev.jsonl.gz"
SEEDS = ROOT / "tests" / "cases" / "seeds" / "input"


def load_texts(corpus: Path, limit: int) -> list[dict[str, Any]]:
    """Up to ``limit`` documents (text, source, url, title) from a JSONL(.gz), else the seeds."""
    if corpus.is_file():
        opener = gzip.open if corpus.suffix == ".gz" else open
        docs = []
        with opener(corpus, "rt", encoding="utf-8") as fh:
            for line in itertools.islice(fh, limit):
                row = json.loads(line)
                if row.get("text"):
                    docs.append(row)
        return docs
    print(f"{corpus} not found: using the seed documents", file=sys.stderr)
    return [
        {"id": p.stem, "text": p.read_text(encoding="utf-8"), "source": "seeds"}
        for p in sorted(SEEDS.glob("*.txt"))
    ]


def base_records(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for doc in docs:
        result = clean(doc["text"], source=doc.get("source"), title=doc.get("title"))
        out.append(
            record_from_result(
                str(doc.get("id")),
                doc["text"],
                result,
                source=doc.get("source"),
                url=doc.get("url"),
                title=doc.get("title"),
            )
        )
    return out


def records(base: list[dict[str, Any]], n: int) -> Iterator[dict[str, Any]]:
    for i, rec in zip(range(n), itertools.cycle(base), strict=False):
        yield {**rec, "id": f"{rec['id']}-{i}"}


def dir_size(path: Path) -> tuple[int, int]:
    files = [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def write(report_dir: Path, base: list[dict[str, Any]], n: int, **kwargs: Any) -> float:
    started = time.perf_counter()
    writer = ReportWriter(report_dir, {"run_id": f"bench-{n}"}, **kwargs)
    for rec in records(base, n):
        writer.add(rec)
    writer.close({"documents": n})
    return time.perf_counter() - started


def browser() -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in (
        *HEADLESS_CHROMIUM_FLAGS,
        f"--user-data-dir={tempfile.mkdtemp(prefix='decruft-bench-chromium-')}",
    ):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


def open_time(drv: Any, path: Path, ready_js: str, runs: int = 3) -> float:
    """Best of ``runs``: from navigation start until the page is loaded and ``ready_js`` holds."""
    best = float("inf")
    for _ in range(runs):
        drv.get("about:blank")
        started = time.perf_counter()
        drv.get(path.as_uri())
        while not drv.execute_script(ready_js):
            time.sleep(0.01)
        best = min(best, time.perf_counter() - started)
    return best


INDEX_READY = "return document.querySelectorAll('#docs-body tr').length > 0"
PAGE_READY = "return document.body.classList.contains('js')"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--distinct", type=int, default=3000, help="distinct documents to cycle")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--project", type=int, default=1_000_000, help="documents to project to")
    parser.add_argument("--single-page", action="store_true", help="also time one page of all")
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()

    base = base_records(load_texts(args.corpus, args.distinct))
    removals = sum(len(r["removals"]) for r in base)
    reviewable = sum(1 for r in base if r["removals"] or r["held_removals"])
    print(
        f"{len(base)} distinct documents, {removals} removals among them; "
        f"{reviewable} ({reviewable / max(len(base), 1):.0%}) have something to review "
        "(their text is kept in report.json and the pages)"
    )
    drv = None if args.no_browser else browser()
    tmp = Path(tempfile.mkdtemp(prefix="decruft-report-scale-"))
    try:
        per_doc: list[float] = []
        last: dict[str, float] = {}
        for n in args.sizes:
            report_dir = tmp / f"n{n}" / "report"
            seconds = write(report_dir, base, n)
            per_doc.append(seconds / n)
            size, files = dir_size(report_dir)
            index = (report_dir / "index.html").stat().st_size
            rjson = (report_dir / "report.json").stat().st_size
            last = {
                "n": n,
                "s": seconds,
                "size": size,
                "files": files,
                "index": index,
                "json": rjson,
            }
            line = (
                f"n={n:>6}: generate {seconds:6.2f} s ({n / seconds:7.0f} docs/s), "
                f"{size / 1e6:7.1f} MB in {files} files "
                f"(index.html {index / 1e6:.2f} MB, report.json {rjson / 1e6:.1f} MB)"
            )
            if drv is not None:
                idx = open_time(drv, report_dir / "index.html", INDEX_READY)
                page = open_time(drv, report_dir / "docs" / "p00001.html", PAGE_READY)
                line += f"; Chromium: index {idx:.2f} s, a document page {page:.2f} s"
            print(line, flush=True)
        if len(per_doc) > 1:
            print(f"cost per document, largest vs smallest size: {per_doc[-1] / per_doc[0]:.2f}x")
        if last and args.project > last["n"]:
            k = args.project / last["n"]
            print(
                f"projected to n={args.project}: generate {last['s'] * k / 60:.1f} min, "
                f"{last['size'] * k / 1e9:.1f} GB in {last['files'] * k:,.0f} files "
                f"(report.json {last['json'] * k / 1e9:.1f} GB; index.html stays about "
                f"{last['index'] / 1e6:.2f} MB plus {32 * k * last['n'] / 2000 / 1e6:.2f} MB "
                "of shard summaries)"
            )
        if args.single_page:
            n = max(args.sizes)
            report_dir = tmp / f"single{n}" / "report"
            seconds = write(report_dir, base, n, docs_per_page=n)
            page_path = report_dir / "docs" / "p00001.html"
            line = (
                f"one page with anchors, n={n}: generate {seconds:.2f} s, "
                f"page {page_path.stat().st_size / 1e6:.1f} MB"
            )
            if drv is not None:
                line += f"; Chromium opens it in {open_time(drv, page_path, PAGE_READY, 1):.2f} s"
            print(line, flush=True)
    finally:
        if drv is not None:
            drv.quit()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
