"""HTML path quality and speed: trafilatura alone vs decruft (extract_html + clean), one run.

    .venv/bin/python benchmarks/html_eval.py [--wcxb PATH] [--data PATH] [--half even|odd]
                                             [--only wcxb|phrases] [--dump FILE] [--show-misses]

Two views, each with both systems run page by page in the same process, alternating which one
goes first on each page (a busy machine slows both alike):

``--wcxb PATH`` (default ``../shared/bench/wcxb-dev``): the WCXB dev split, whole main texts.
Per page, then averaged over the pages of each page type (articles first):
- word F1 as in the benchmark's ``evaluate.py`` (lower-cased ``\\w+`` tokens, bag of words),
  with its precision and recall;
- ``with``: share of the page's ``with`` snippets found (whitespace-normalised, case-sensitive
  substring), over pages that have such a list;
- ``leak``: share of ``without`` snippets found, over pages that have such a list;
- ``pages leaking``: share of those pages where at least one ``without`` snippet is found.
``--half even`` / ``odd`` keeps the pages whose numeric id is even / odd (tune on one half,
check on the other).

``--data PATH`` (default ``../shared/bench/trafilatura-eval-en``): the phrase set, ``cases.jsonl``
(``file``, ``url``, ``with`` and ``without`` phrases) and the gzipped pages it names; prints
the ``with`` share and the ``without`` (not leaked) share.

decruft is scored twice: ``body`` is its text without the title line it emits first by design
(the references are bodies without the headline, and trafilatura emits no title: this is the
row to compare), and ``as output`` is the text as ``decruft run`` writes it. Pages per second
come from process CPU time (robust to other processes on a shared machine) and from wall time;
the timing covers extraction and, for decruft, cleaning; pages are read into memory first.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import trafilatura

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cleaners import clean
from flows.extract import ExtractError, extract_html

BENCH = Path(__file__).resolve().parent.parent / ".." / "shared" / "bench"
DEFAULT_DATA = BENCH / "trafilatura-eval-en"
DEFAULT_WCXB = BENCH / "wcxb-dev"
TYPE_ORDER = ("article", "forum", "product", "collection", "listing", "documentation", "service")

_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


def collapse(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


# --- the two systems --------------------------------------------------------------------------


def run_trafilatura(html: bytes, url: str | None) -> str:
    return trafilatura.extract(html, url=url, include_comments=False) or ""


def run_decruft(html: bytes, url: str | None) -> tuple[str, str]:
    """The cleaned text, and its body: without the title line we emit on purpose."""
    try:
        extracted = extract_html(html, url)
    except ExtractError:
        return "", ""
    text = clean(extracted.text, None, title=extracted.title).text
    head = f"{extracted.title}\n\n" if extracted.title else ""
    return text, text.removeprefix(head) if head else text


@dataclass
class Timing:
    cpu: float = 0.0
    wall: float = 0.0


def run_both(
    pages: Sequence[tuple[bytes, str | None]],
) -> tuple[list[str], list[tuple[str, str]], Timing, Timing]:
    """Both systems on every page; the first to run alternates from page to page."""
    traf_out: list[str] = []
    ours_out: list[tuple[str, str]] = []
    traf_t, ours_t = Timing(), Timing()

    def timed(fn: Callable, timing: Timing, html: bytes, url: str | None):
        c0, w0 = time.process_time(), time.perf_counter()
        out = fn(html, url)
        timing.cpu += time.process_time() - c0
        timing.wall += time.perf_counter() - w0
        return out

    for i, (html, url) in enumerate(pages):
        if i % 2 == 0:
            traf = timed(run_trafilatura, traf_t, html, url)
            ours = timed(run_decruft, ours_t, html, url)
        else:
            ours = timed(run_decruft, ours_t, html, url)
            traf = timed(run_trafilatura, traf_t, html, url)
        traf_out.append(traf)
        ours_out.append(ours)
    return traf_out, ours_out, traf_t, ours_t


def print_speed(n: int, traf: Timing, ours: Timing) -> None:
    print(
        f"pages/s  trafilatura {n / traf.cpu:.1f} cpu, {n / traf.wall:.1f} wall;"
        f"  decruft {n / ours.cpu:.1f} cpu, {n / ours.wall:.1f} wall"
    )
    print(
        f"speed ratio decruft/trafilatura: {traf.cpu / ours.cpu:.2f} (cpu), "
        f"{traf.wall / ours.wall:.2f} (wall)"
    )


# --- WCXB: whole main texts ------------------------------------------------------------------


@dataclass
class WcxbPage:
    id: str
    url: str | None
    page_type: str
    html: bytes
    main: str
    with_: list[str]
    without: list[str]


def load_wcxb(root: Path, half: str | None) -> list[WcxbPage]:
    pages = []
    for gt_path in sorted((root / "dev" / "ground-truth").glob("*.json")):
        if half and int(gt_path.stem) % 2 != (0 if half == "even" else 1):
            continue
        data = json.loads(gt_path.read_text(encoding="utf-8"))
        gt = data.get("ground_truth")
        if not isinstance(gt, dict):
            continue
        kind = ((data.get("_internal") or {}).get("page_type") or {}).get("primary", "article")
        html = gzip.decompress((root / "dev" / "html" / f"{gt_path.stem}.html.gz").read_bytes())
        pages.append(
            WcxbPage(
                gt_path.stem,
                data.get("url"),
                "collection" if kind == "category" else kind,
                html,
                gt.get("main_content") or "",
                gt.get("with") or [],
                gt.get("without") or [],
            )
        )
    return pages


def word_prf(predicted: str, reference: str) -> tuple[float, float, float]:
    """Precision, recall and F1 of lower-cased ``\\w+`` tokens (``evaluate.py``'s word_f1)."""
    pred = Counter(_WORD.findall(predicted.lower()))
    ref = Counter(_WORD.findall(reference.lower()))
    if not ref:
        return (1.0, 1.0, 1.0) if not pred else (0.0, 0.0, 0.0)
    if not pred:
        return 0.0, 0.0, 0.0
    overlap = sum((pred & ref).values())
    p, r = overlap / sum(pred.values()), overlap / sum(ref.values())
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class PageScore:
    p: float
    r: float
    f1: float
    with_share: float | None
    leak_share: float | None
    lost: list[str] = field(default_factory=list)
    leaked: list[str] = field(default_factory=list)


def score_page(output: str, page: WcxbPage) -> PageScore:
    p, r, f1 = word_prf(output, page.main)
    flat = collapse(output)
    lost = [s for s in page.with_ if collapse(s) not in flat]
    leaked = [s for s in page.without if collapse(s) in flat]
    with_share = 1 - len(lost) / len(page.with_) if page.with_ else None
    leak_share = len(leaked) / len(page.without) if page.without else None
    return PageScore(p, r, f1, with_share, leak_share, lost, leaked)


@dataclass
class Summary:
    n: int
    p: float
    r: float
    f1: float
    with_share: float
    leak: float
    pages_leaking: float


def summarise(scores: Sequence[PageScore]) -> Summary:
    n = len(scores)
    withs = [s.with_share for s in scores if s.with_share is not None]
    leaks = [s.leak_share for s in scores if s.leak_share is not None]
    return Summary(
        n,
        sum(s.p for s in scores) / n,
        sum(s.r for s in scores) / n,
        sum(s.f1 for s in scores) / n,
        sum(withs) / max(len(withs), 1),
        sum(leaks) / max(len(leaks), 1),
        sum(1 for x in leaks if x > 0) / max(len(leaks), 1),
    )


def print_summary_table(rows: list[tuple[str, str, Summary]]) -> None:
    print(
        f"{'type':<14}{'system':<20}{'pages':>6}{'F1':>7}{'P':>7}{'R':>7}"
        f"{'with':>7}{'leak':>7}{'leaking':>9}"
    )
    for kind, system, s in rows:
        print(
            f"{kind:<14}{system:<20}{s.n:>6}{s.f1:>7.3f}{s.p:>7.3f}{s.r:>7.3f}"
            f"{s.with_share:>7.3f}{s.leak:>6.1%}{s.pages_leaking:>9.1%}"
        )


def wcxb_view(root: Path, half: str | None, dump: Path | None, show: bool) -> int:
    if not (root / "dev" / "ground-truth").is_dir():
        print(f"no WCXB dev split at {root}", file=sys.stderr)
        return 2
    pages = load_wcxb(root, half)
    pages.sort(key=lambda pg: (TYPE_ORDER.index(pg.page_type), pg.id))
    run_trafilatura(pages[0].html, pages[0].url)  # warm both paths outside the timing
    run_decruft(pages[0].html, pages[0].url)
    traf_out, ours_out, traf_t, ours_t = run_both([(pg.html, pg.url) for pg in pages])

    systems = {
        "trafilatura": traf_out,
        "decruft body": [body for _, body in ours_out],
        "decruft as output": [text for text, _ in ours_out],
    }
    scores = {
        name: [score_page(o, pg) for o, pg in zip(outs, pages, strict=True)]
        for name, outs in systems.items()
    }
    by_type: dict[str, list[int]] = defaultdict(list)
    for i, pg in enumerate(pages):
        by_type[pg.page_type].append(i)
    rows = []
    for kind in [t for t in TYPE_ORDER if t in by_type]:
        for name, page_scores in scores.items():
            rows.append((kind, name, summarise([page_scores[i] for i in by_type[kind]])))
    others = [i for i, pg in enumerate(pages) if pg.page_type != "article"]
    for name, page_scores in scores.items():
        rows.append(("non-article", name, summarise([page_scores[i] for i in others])))
    print(f"WCXB pages: {len(pages)}{f' ({half} ids)' if half else ''}  data: {root}")
    print_summary_table(rows)
    print_speed(len(pages), traf_t, ours_t)
    if show:
        for i, pg in enumerate(pages):
            for name in ("trafilatura", "decruft body"):
                s = scores[name][i]
                for snippet in s.lost:
                    print(f"  [{name}] lost   {pg.id} {pg.page_type}: {snippet[:80]!r}")
                for snippet in s.leaked:
                    print(f"  [{name}] leaked {pg.id} {pg.page_type}: {snippet[:80]!r}")
    if dump:
        with dump.open("w", encoding="utf-8") as handle:
            for i, pg in enumerate(pages):
                row = {"id": pg.id, "type": pg.page_type, "url": pg.url}
                for name, key in (("trafilatura", "traf"), ("decruft body", "ours")):
                    s = scores[name][i]
                    row[key] = {
                        "f1": s.f1,
                        "p": s.p,
                        "r": s.r,
                        "with": s.with_share,
                        "leak": s.leak_share,
                        "lost": s.lost,
                        "leaked": s.leaked,
                    }
                row["traf"]["text"] = traf_out[i]
                row["ours"]["text"] = ours_out[i][1]
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 0


# --- the phrase set ---------------------------------------------------------------------------


def score_phrases(
    cases: list[dict], outputs: list[str], show: str | None = None
) -> tuple[float, float]:
    with_hits = with_total = without_hits = without_total = 0
    for case, output in zip(cases, outputs, strict=True):
        flat = collapse(output)
        for phrase in case["with"]:
            with_total += 1
            if collapse(phrase) in flat:
                with_hits += 1
            elif show:
                print(f"  [{show}] lost     {case['file']}: {phrase[:80]!r}")
        for phrase in case["without"]:
            without_total += 1
            if collapse(phrase) not in flat:
                without_hits += 1
            elif show:
                print(f"  [{show}] kept     {case['file']}: {phrase[:80]!r}")
    return with_hits / max(with_total, 1), without_hits / max(without_total, 1)


def phrase_view(data: Path, show: bool) -> int:
    cases_path = data / "cases.jsonl"
    if not cases_path.is_file():
        print(f"no cases at {cases_path}", file=sys.stderr)
        return 2
    cases = [json.loads(line) for line in cases_path.read_text(encoding="utf-8").splitlines()]
    pages = [(gzip.decompress((data / c["file"]).read_bytes()), c.get("url")) for c in cases]
    run_trafilatura(*pages[0])
    run_decruft(*pages[0])
    traf_out, ours_out, traf_t, ours_t = run_both(pages)
    traf_with, traf_without = score_phrases(cases, traf_out, "trafilatura" if show else None)
    body_with, body_without = score_phrases(
        cases, [b for _, b in ours_out], "decruft" if show else None
    )
    full_with, full_without = score_phrases(cases, [t for t, _ in ours_out])
    print(f"phrase pages: {len(cases)}  data: {data}")
    print(f"{'system':<24}{'with':>8}{'without':>9}")
    print(f"{'trafilatura (no comm.)':<24}{traf_with:>8.3f}{traf_without:>9.3f}")
    print(f"{'decruft body':<24}{body_with:>8.3f}{body_without:>9.3f}")
    print(f"{'decruft as output':<24}{full_with:>8.3f}{full_without:>9.3f}")
    print_speed(len(pages), traf_t, ours_t)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wcxb", type=Path, default=DEFAULT_WCXB, help="WCXB dev folder")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="phrase set folder")
    parser.add_argument("--only", choices=("wcxb", "phrases"), help="run one view only")
    parser.add_argument("--half", choices=("even", "odd"), help="WCXB pages with even/odd ids")
    parser.add_argument("--dump", type=Path, help="write per-page WCXB scores and texts (JSONL)")
    parser.add_argument(
        "--show-misses", action="store_true", help="list lost and leaked snippets per system"
    )
    args = parser.parse_args(argv)
    logging.disable(logging.CRITICAL)  # trafilatura logs every discarded page
    status = 0
    if args.only in (None, "wcxb"):
        status |= wcxb_view(args.wcxb, args.half, args.dump, args.show_misses)
    if args.only is None:
        print()
    if args.only in (None, "phrases"):
        status |= phrase_view(args.data, args.show_misses)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
