"""Crash safety: ``decruft run`` and ``decruft publish`` killed with SIGKILL at random points,
then run again, against clean runs of the same inputs.

    .venv/bin/python benchmarks/kill_resume.py [--docs 5000] [--kills 5] [--seed 12]

Builds a corpus of ``--docs`` documents (text files, gzipped HTML pages and JSONL lines made
from samples/, no network), runs ``decruft run`` once to the end (the reference), then runs it
into a second folder ``--kills`` times, each killed (SIGKILL, the CLI process only: its
temporary Prefect server must go with it) at a random moment of the reference's duration,
and once more to the end. It checks and prints:

* every clean text byte-identical to the reference's, and no other file in ``clean/``;
* one manifest row per input, in the same order, equal to the reference's row but for the
  status (``reused`` for documents an earlier, killed run had finished) and its reason;
* no temporary file left anywhere in the output folder, no process left behind.

Then the same for ``decruft publish`` (killed during its copy, its swap or its audit): the
published tree equals a clean publish's, no staging left, every audit line readable.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DECRUFT = str(Path(sys.executable).with_name("decruft"))
TEMPORARY_MARKS = (".tmp", ".partial", ".records-", ".docs-new-", ".docs-old", ".staging")


def make_corpus(folder: Path, docs: int) -> None:
    """Text files, gzipped HTML pages and JSONL lines, in folders of 500."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples").rglob("*.txt"))]
    pages = [p.read_bytes() for p in sorted((ROOT / "samples").rglob("*.html"))]
    feed: list[str] = []
    for i in range(docs):
        sub = folder / f"part{i // 500:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        kind = i % 10
        if kind == 9 and pages:
            (sub / f"page{i:06d}.html.gz").write_bytes(gzip.compress(pages[i % len(pages)]))
        elif kind >= 7:
            feed.append(json.dumps({"id": f"n{i}", "text": texts[i % len(texts)] + f"\n{i}\n"}))
        else:
            (sub / f"doc{i:06d}.txt").write_text(texts[i % len(texts)] + f"\n{i}\n")
    (folder / "feed.jsonl").write_text("\n".join(feed) + "\n", encoding="utf-8")


def run(args: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{args[1]} exited {done.returncode}: {done.stderr[-1000:]}")
    return time.perf_counter() - started


def killed_at(args: list[str], delay: float) -> tuple[str, list[int]]:
    """Start ``args``, SIGKILL the process after ``delay`` s: what happened, and which of
    its child processes were still alive 10 s after."""
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        proc.wait(timeout=delay)
        return f"finished before {delay:.1f} s (exit {proc.returncode})", []
    except subprocess.TimeoutExpired:
        children = children_of(proc.pid)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    deadline = time.monotonic() + 10
    alive = children
    while alive and time.monotonic() < deadline:
        time.sleep(0.2)
        alive = [pid for pid in children if Path(f"/proc/{pid}").exists()]
    for pid in alive:  # report them, then do not leave them running
        os.kill(pid, signal.SIGKILL)
    return f"killed at {delay:.1f} s", alive


def children_of(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (orphans of a killed CLI are re-parented to 1)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def leftovers(folder: Path) -> list[str]:
    """Temporary files or folders anywhere under ``folder``."""
    found = []
    for path in folder.rglob("*"):
        if any(mark in path.name for mark in TEMPORARY_MARKS):
            found.append(str(path.relative_to(folder)))
    parts = folder / ".decruft" / "parts"
    if parts.exists():
        found.append(str(parts.relative_to(folder)))
    return found


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.txt"))}


def manifest(out: Path) -> list[dict]:
    with (out / "manifest.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def compare_runs(ref: Path, out: Path) -> list[str]:
    problems = []
    if files(ref / "clean") != files(out / "clean"):
        problems.append("clean texts differ")
    ref_rows, rows = manifest(ref), manifest(out)
    if [r["id"] for r in rows] != [r["id"] for r in ref_rows]:
        problems.append(f"manifest ids differ ({len(rows)} rows against {len(ref_rows)})")
    for got, want in zip(rows, ref_rows, strict=False):
        if got["status"] == "reused":
            got = {**got, "status": want["status"], "reason": want["reason"]}
        if got != want:
            problems.append(f"row {want['id']} differs")
            break
    problems += [f"left behind: {p}" for p in leftovers(out)]
    return problems


def published(dest: Path) -> dict[str, bytes]:
    current = dest / "current"
    return {
        str(p.relative_to(current)): p.read_bytes()
        for p in sorted(current.rglob("*.txt"))
        if p.is_file()
    }


def two_at_once(command: list[str], ref: Path, target: Path, what: str) -> int:
    """Start ``command`` into ``target``, and a second one once the first holds the lock:
    the second must refuse at once, the first must finish as if alone. 1 on failure."""
    first = subprocess.Popen([*command, str(target)], stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)  # fmt: skip
    lock = target / (".decruft/run.lock" if what == "run" else ".lock")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and first.poll() is None:
        if lock.exists() and (what != "run" or lock.stat().st_size > 0):
            break
        time.sleep(0.05)
    time.sleep(0.5 if what == "run" else 0.1)
    started = time.perf_counter()
    second = subprocess.run([*command, str(target)], capture_output=True, text=True, check=False)
    refused_in = time.perf_counter() - started
    first.wait()
    message = (second.stderr.strip().splitlines() or [""])[-1]
    same = not compare_runs(ref, target) if what == "run" else published(target) == published(ref)
    ok = second.returncode != 0 and "another decruft" in message and first.returncode == 0 and same
    print(
        f"two {what}s at once: the second exited {second.returncode} after {refused_in:.1f} s "
        f"({message!r}); the first exited {first.returncode}, outputs "
        f"{'identical to a clean one' if same else 'DIFFERENT'}"
    )
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="decruft-kill-"))
    failures = 0
    try:
        corpus = work / "corpus"
        make_corpus(corpus, args.docs)
        ref, out = work / "ref", work / "out"
        command = [DECRUFT, "run", str(corpus), "--no-progress", "--out"]
        duration = run([*command, str(ref)])
        rows = len(manifest(ref))
        print(f"corpus: {rows} documents; a clean run takes {duration:.1f} s")
        survivors: list[int] = []
        kills = attempts = 0
        while kills < args.kills and attempts < 4 * args.kills:
            # Each restart resumes the last one, so it has less left to do: a run that
            # finishes before its kill time is no kill; start that folder afresh.
            attempts += 1
            delay = rng.uniform(0.5, duration)
            what, alive = killed_at([*command, str(out)], delay)
            survivors += alive
            if what.startswith("killed"):
                kills += 1
                print(f"run kill {kills}: {what}", flush=True)
            else:
                print(f"  (attempt {attempts} {what}: output folder started afresh)", flush=True)
                shutil.rmtree(out)
        rerun = run([*command, str(out)])
        reused = sum(1 for r in manifest(out) if r["status"] == "reused")
        problems = compare_runs(ref, out)
        print(
            f"rerun: {rerun:.1f} s, {reused} of {rows} documents reused from killed runs; "
            + ("outputs identical to the clean run's" if not problems else "; ".join(problems))
        )
        failures += bool(problems)

        dest_ref, dest = work / "dest-ref", work / "dest"
        reviewed = json.loads((ref / "report" / "run.json").read_text())["review"]["review_id"]
        publish = [DECRUFT, "publish", str(ref), "--approved-by", "bench", "--reviewed", reviewed]
        publish += ["--exclude-held", "--to"]
        pub_duration = run([*publish, str(dest_ref)])
        print(f"a clean publish takes {pub_duration:.2f} s")
        kills = attempts = 0
        while kills < args.kills and attempts < 4 * args.kills:
            attempts += 1
            delay = rng.uniform(0.05, pub_duration)
            what, alive = killed_at([*publish, str(dest)], delay)
            survivors += alive
            if what.startswith("killed"):
                kills += 1
                print(f"publish kill {kills}: {what}", flush=True)
            else:
                print(f"  (attempt {attempts} {what}: destination started afresh)", flush=True)
                shutil.rmtree(dest)
        run([*publish, str(dest)])
        pub_problems = []
        if published(dest) != published(dest_ref):
            pub_problems.append("published texts differ")
        pub_problems += [f"left behind: {p}" for p in leftovers(dest)]
        audit = (dest / "audit.jsonl").read_text(encoding="utf-8").splitlines()
        unreadable = 0
        for line in audit:
            try:
                json.loads(line)
            except ValueError:
                unreadable += 1
        print(
            f"publish rerun: {len(published(dest))} texts, {len(audit)} audit lines "
            f"({unreadable} cut short by a kill); "
            + ("identical to a clean publish" if not pub_problems else "; ".join(pub_problems))
        )
        failures += bool(pub_problems)
        print(f"child processes that outlived their killed run by 10 s: {len(survivors)}")
        failures += two_at_once(command, ref, work / "together", "run")
        failures += two_at_once(publish, dest_ref, work / "dest-together", "publish")
        failures += bool(survivors)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print("PASS" if not failures else f"FAIL ({failures})")
    return 1 if failures else 0


if __name__ == "__main__":
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    raise SystemExit(main())
