"""Learned site templates on a corpus run: cost, what was learned, a removal audit, the gold.

    .venv/bin/python benchmarks/templates_eval.py --corpus PATH/abp-dev.jsonl.gz
        [--gold PATH/abp-dev-gold.jsonl] [--rounds 2] [--sample 100] [--seed 1] [--keep]
    .venv/bin/python benchmarks/templates_eval.py --wcxb PATH/wcxb-dev

Runs the ``clean-scraped`` flow on the corpus (one corpus, sources from its ``source`` field)
in this process, with and without the templates pass, alternated ``--rounds`` times into fresh
output folders (Prefect's temporary server is started once, before the first timed run).
Prints:

- the cost: in-flow seconds of each run, the median ratio with/without (the goal: <= 1.5x),
  and the peak memory of this process;
- the templates learned for the 10 largest outlets (lines, documents carrying them,
  category, removals in the run), from the run's ``report.json``;
- ``--sample`` random ``site_template_v1`` removals (seeded) with 100 characters of context
  each side, the removal in ``[[...]]``, to be read by a person: those of the default chain,
  then those of a run of the template rule alone (``--rules site_template_v1``: what the
  learned templates take where no written rule knows the line, as on unseen outlets);
- abp-dev-gold scored from each run's ``report.json`` removals with the gold's own scorer
  (``score_spans.py`` beside the gold), so recall and precision are the scorer's.

``--wcxb PATH`` instead runs the flow on the WCXB dev pages (``PATH/dev/html``: one folder, so
one source for all of them) with and without templates, and prints the time ratio, the
template removals, and every ``with`` snippet of a page that the run without templates keeps
and the run with templates loses (the goal: none).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TEMPLATE_RULE = "site_template_v1"


def run_flow(
    corpus: Path, out: Path, templates: bool, rules: list[str] | None = None
) -> tuple[float, dict[str, Any]]:
    """Run the flow; returns its CPU seconds in this process (the flow's threads: robust to
    other load on a shared machine) and its summary (``seconds``: in-flow wall time)."""
    from flows.clean_flow import clean_flow

    start = time.process_time()
    summary = clean_flow(str(corpus), str(out), templates=templates, rules=rules)
    return time.process_time() - start, summary


def documents(report_json: Path) -> list[dict[str, Any]]:
    with report_json.open(encoding="utf-8") as fh:
        return json.load(fh)["documents"]


def short_id(doc_id: str) -> str:
    """The corpus id of a flow id (``abp-dev/<id>`` -> ``<id>``)."""
    return doc_id.rsplit("/", 1)[-1]


def print_templates(report: dict[str, Any], top: int = 10) -> None:
    by_source = report["stats"]["by_source"]
    largest = sorted(by_source.items(), key=lambda kv: (-kv[1]["documents"], kv[0]))[:top]
    learned = (report.get("templates") or {}).get("sources", {})
    print(f"\n== templates of the {top} largest outlets ==")
    for source, stats in largest:
        info = learned.get(source)
        lines = info["templates"] if info else []
        print(f"{source} ({stats['documents']} documents): {len(lines)} template line(s)")
        for line in lines:
            shown = line["line"] if len(line["line"]) <= 90 else line["line"][:87] + "..."
            print(
                f"   {line['docs']:4d} docs ({line['share']:.0%}) {line['category']:8s} "
                f"removed {line['removals']:4d}x  {shown!r}"
            )


def audit(docs: list[dict[str, Any]], sample: int, seed: int) -> None:
    found = []
    for doc in docs:
        for removal in doc.get("removals") or []:
            if removal["rule"] == TEMPLATE_RULE:
                found.append((doc, removal))
    by_line: dict[str, int] = {}
    for _doc, removal in found:
        by_line[removal["text"].strip()] = by_line.get(removal["text"].strip(), 0) + 1
    print(f"\n== {TEMPLATE_RULE}: {len(found)} removals, {len(by_line)} distinct lines ==")
    for text, n in sorted(by_line.items(), key=lambda kv: (-kv[1], kv[0]))[:40]:
        print(f"   {n:4d}x {text[:100]!r}")
    picked = random.Random(seed).sample(found, min(sample, len(found)))
    print(f"\n== {len(picked)} random template removals with context (seed {seed}) ==")
    for number, (doc, removal) in enumerate(picked, 1):
        text = doc.get("text_in") or ""
        start, end = removal["start"], removal["end"]
        before = text[max(0, start - 100) : start].replace("\n", "⏎")
        after = text[end : end + 100].replace("\n", "⏎")
        print(f"{number:3d}. {doc['source']} {short_id(doc['id'])}: {removal['reason']}")
        print(f"     …{before}[[{text[start:end]}]]{after}…")


def score(docs: list[dict[str, Any]], gold: Path, data: Path, label: str, work: Path) -> None:
    wanted = {json.loads(line)["id"] for line in gold.open(encoding="utf-8") if line.strip()}
    pred = work / f"pred-{label}.jsonl"
    with pred.open("w", encoding="utf-8") as out:
        for doc in docs:
            doc_id = short_id(doc["id"])
            if doc_id in wanted:
                spans = [[r["start"], r["end"], r["rule"], r["category"]] for r in doc["removals"]]
                out.write(json.dumps({"id": doc_id, "spans": spans}) + "\n")
    scorer = gold.parent / "score_spans.py"
    print(f"\n== abp-dev-gold, {label} (scored by {scorer.name}) ==", flush=True)
    command = [sys.executable, str(scorer), "--gold", str(gold), "--data", str(data)]
    subprocess.run([*command, "--pred", str(pred)], check=False)


def wcxb_check(root: Path, work: Path) -> int:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from html_eval import collapse, load_wcxb

    pages = {page.id: page for page in load_wcxb(root, None)}
    outs = {}
    for templates in (False, True):
        out = work / f"wcxb-{'with' if templates else 'without'}"
        cpu_s, summary = run_flow(root / "dev" / "html", out, templates)
        outs[templates] = out
        print(
            f"wcxb, templates {'on ' if templates else 'off'}: {summary['seconds']:.2f} s in "
            f"flow, {cpu_s:.2f} s CPU, {summary['documents']} pages, "
            f"{summary['removals']} removals",
            flush=True,
        )
    docs = documents(outs[True] / "report" / "report.json")
    removed = [(d, r) for d in docs for r in d.get("removals") or [] if r["rule"] == TEMPLATE_RULE]
    print(f"{TEMPLATE_RULE} removals on WCXB: {len(removed)}")
    for doc, removal in removed[:50]:
        print(f"   {short_id(doc['id'])}: {removal['text'][:90]!r} ({removal['reason']})")
    lost = 0
    for page_id, page in sorted(pages.items()):
        texts = {}
        for templates, out in outs.items():
            path = out / "clean" / f"{page_id}.txt"
            texts[templates] = collapse(path.read_text("utf-8")) if path.exists() else ""
        for snippet in page.with_:
            wanted = collapse(snippet)
            if wanted in texts[False] and wanted not in texts[True]:
                lost += 1
                print(f"   LOST {page_id}: {snippet[:90]!r}")
    print(f"with snippets kept without templates and lost with them: {lost}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, help="abp-dev.jsonl.gz")
    parser.add_argument("--wcxb", type=Path, help="the WCXB dev folder (instead of --corpus)")
    parser.add_argument("--gold", type=Path, default=None, help="default: beside the corpus")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--sample", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the output folders")
    args = parser.parse_args(argv)
    if (args.corpus is None) == (args.wcxb is None):
        parser.error("give --corpus or --wcxb")

    from flows import local_server

    server = local_server.start()
    if server is not None:
        server.wait_ready()
    work = Path(tempfile.mkdtemp(prefix="decruft-templates-"))
    try:
        if args.wcxb is not None:
            return wcxb_check(args.wcxb.resolve(), work)
        gold = args.gold or args.corpus.parent / "abp-dev-gold.jsonl"
        source = args.corpus.resolve()
        times: dict[bool, list[float]] = {True: [], False: []}
        cpu: dict[bool, list[float]] = {True: [], False: []}
        last: dict[bool, Path] = {}
        for round_no in range(args.rounds):
            order = (False, True) if round_no % 2 == 0 else (True, False)
            for templates in order:
                out = work / f"out-{'with' if templates else 'without'}-{round_no}"
                cpu_s, summary = run_flow(source, out, templates)
                times[templates].append(summary["seconds"])
                cpu[templates].append(cpu_s)
                print(
                    f"round {round_no + 1}, templates {'on ' if templates else 'off'}: "
                    f"{summary['seconds']:6.2f} s in flow, {cpu_s:6.2f} s CPU, "
                    f"{summary['documents']} documents, "
                    f"{summary['removals']} removals",
                    flush=True,
                )
                if templates in last:
                    shutil.rmtree(last[templates], ignore_errors=True)
                last[templates] = out
        on, off = statistics.median(times[True]), statistics.median(times[False])
        print(f"median in-flow: with {on:.2f} s, without {off:.2f} s, ratio {on / off:.2f}x")
        on_cpu, off_cpu = statistics.median(cpu[True]), statistics.median(cpu[False])
        print(
            f"median CPU of the run: with {on_cpu:.2f} s, without {off_cpu:.2f} s, "
            f"ratio {on_cpu / off_cpu:.2f}x"
        )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak resident memory of this process: {peak:.0f} MB")

        with (last[True] / "report" / "report.json").open(encoding="utf-8") as fh:
            report = json.load(fh)
        print_templates(report)
        docs_with = report["documents"]
        print("\n== the default chain with templates ==")
        audit(docs_with, args.sample, args.seed)
        # On a corpus the written rules already know, they take most template lines first
        # (the template rule runs last). The learned templates on their own show what they
        # would take from outlets no written rule knows: that is the audit to read.
        alone = work / "out-alone"
        run_flow(source, alone, True, rules=[TEMPLATE_RULE])
        print(f"\n== {TEMPLATE_RULE} alone (--rules {TEMPLATE_RULE}) ==")
        docs_alone = documents(alone / "report" / "report.json")
        audit(docs_alone, args.sample, args.seed)
        if gold.is_file():
            score(documents(last[False] / "report" / "report.json"), gold, args.corpus,
                  "without templates", work)  # fmt: skip
            score(docs_with, gold, args.corpus, "with templates", work)
            score(docs_alone, gold, args.corpus, f"{TEMPLATE_RULE} alone", work)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0  # the temporary server stops at exit, after Prefect's log workers drained


if __name__ == "__main__":
    raise SystemExit(main())
