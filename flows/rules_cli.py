"""``decruft rules``: the registered rules; ``decruft rules suggest``: feedback from editors.

``decruft rules suggest DIR --decisions FILE`` reads a decisions file exported from DIR's
report and prints, per rule and source, how many of the rule's removals editors restored
("keep this text") out of its removals in the run. ``--write-veto`` writes per-source vetoes
into the templates rules file (``DIR/templates/rules.toml``, docs/templates.md) through
:func:`cleaners.templates.add_veto`.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def list_rules() -> str:
    """One line per registered rule: position in the default chain, name, category, what."""
    from cleaners import REGISTRY, rule_versions

    chain = rule_versions()
    position = {name: i for i, name in enumerate(chain, 1)}
    width = max((len(n) for n in REGISTRY), default=4)
    cat_width = max((len(c.category) for c in REGISTRY.values()), default=8)
    lines = [f"{'#':>3}  {'rule':<{width}}  {'category':<{cat_width}}  description"]
    ordered = sorted(REGISTRY.values(), key=lambda c: (position.get(c.name, 10**6), c.name))
    for cleaner in ordered:
        pos = position.get(cleaner.name)
        lines.append(
            f"{pos if pos else '-':>3}  {cleaner.name:<{width}}  {cleaner.category:<{cat_width}}"
            f"  {cleaner.description.splitlines()[0] if cleaner.description else ''}"
        )
    lines.append("")
    lines.append(f"default chain ({len(chain)} rules, in order): {','.join(chain)}")
    lines.append("'-': registered but not in the default chain (name it in --rules to run it)")
    return "\n".join(lines)


def main(args: argparse.Namespace) -> int:
    try:
        print(list_rules())
    except BrokenPipeError:  # `decruft rules | head`
        sys.stderr.close()
    return 0


# --- decruft rules suggest ----------------------------------------------------------------------

TEMPLATE_RULE = "site_template_v1"
"""The learned-template rule: a restored line of it is vetoed as that line, not the rule."""
MIN_RESTORED = 3
MIN_SHARE = 0.5


@dataclass
class Tally:
    """One rule on one source: its removals in the run and how many editors restored."""

    removals: int = 0
    restored: int = 0
    lines: list[str] = field(default_factory=list)
    """The restored texts (for a learned template: the lines to veto)."""

    @property
    def share(self) -> float:
        return self.restored / self.removals if self.removals else 0.0


@dataclass
class Feedback:
    tallies: dict[tuple[str, str], Tally] = field(default_factory=dict)
    restored_docs: int = 0
    skipped: list[str] = field(default_factory=list)
    """Decided documents whose restores could not be counted, with why."""


def gather(run_dir: Path, chosen: Any) -> Feedback:
    """Count, per (rule, source), the run's removals and the editors' restores of them.

    The removals are the run's as its state keeps them (the held ones for a document the guard
    held); a document whose removals changed since the decisions (fingerprint) is skipped.
    """
    from flows import decisions as dm
    from flows import review
    from flows.state import iter_details

    restores = chosen.restored()
    out = Feedback()
    seen: set[str] = set()
    for doc_id, row, details in iter_details(run_dir):
        source = str(row.get("source") or "")
        removals = list(details.get("removals") or [])
        held = list(details.get("held_removals") or [])
        shown = held if review.is_held(row) else removals
        for rm in shown:
            out.tallies.setdefault((str(rm.get("rule")), source), Tally()).removals += 1
        if doc_id not in restores:
            continue
        seen.add(doc_id)
        decision = chosen.documents[doc_id]
        if decision.fingerprint and decision.fingerprint != dm.fingerprint(removals, held):
            out.skipped.append(f"{doc_id}: its removals changed since the decisions")
            continue
        by_span = {(int(r["start"]), int(r["end"]), str(r["rule"])): r for r in shown}
        counted = False
        for r in restores[doc_id]:
            rm = by_span.get((r.start, r.end, r.rule))
            if rm is None:
                out.skipped.append(f"{doc_id}: [{r.start}, {r.end}) {r.rule} is not a removal")
                continue
            tally = out.tallies[(r.rule, source)]
            tally.restored += 1
            tally.lines.append(str(rm.get("text") or "").strip())
            counted = True
        out.restored_docs += counted
    for doc_id in sorted(set(restores) - seen):
        out.skipped.append(f"{doc_id}: not in the run (its state has no such document)")
    return out


def render_feedback(feedback: Feedback, show_all: bool = False) -> list[str]:
    rows = [
        (rule, source, t)
        for (rule, source), t in feedback.tallies.items()
        if t.restored or show_all
    ]
    rows.sort(key=lambda r: (-r[2].share, -r[2].restored, r[0], r[1]))
    if not rows:
        return ["no removal was restored" + ("" if show_all else " (--all lists every rule)")]
    rw = max(len("rule"), *(len(r[0]) for r in rows))
    sw = max(len("source"), *(len(r[1] or "(none)") for r in rows))
    lines = [f"{'rule':<{rw}}  {'source':<{sw}}  {'restored':>8}  {'removals':>8}  {'share':>6}"]
    for rule, source, t in rows:
        lines.append(
            f"{rule:<{rw}}  {source or '(none)':<{sw}}  {t.restored:>8}  {t.removals:>8}  "
            f"{t.share:>6.1%}"
        )
    return lines


def write_vetoes(
    feedback: Feedback, rules_file: Path, min_restored: int, min_share: float
) -> list[str]:
    """Per-source vetoes from the restores (cleaners.templates.add_veto); what was written.

    A restored learned-template line vetoes that line for its source; any other rule is vetoed
    for a source once editors restored at least ``min_restored`` of its removals there and at
    least ``min_share`` of them. Documents without a source give no veto.
    """
    from cleaners.templates import add_veto

    done = []
    for (rule, source), t in sorted(feedback.tallies.items()):
        if not t.restored or not source:
            continue
        if rule == TEMPLATE_RULE:
            for line in dict.fromkeys(t.lines):
                try:
                    changed = add_veto(rules_file, source, line=line)
                except ValueError as exc:
                    done.append(f"not vetoed for {source!r}: {exc}")
                    continue
                if changed:
                    done.append(f"vetoed line {line!r} for {source!r}")
        elif (
            t.restored >= min_restored
            and t.share >= min_share
            and add_veto(rules_file, source, rule=rule)
        ):
            done.append(
                f"vetoed rule {rule} for {source!r} ({t.restored} of {t.removals} restored)"
            )
    return done


def build_suggest_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="decruft rules suggest",
        description="How often editors restored each rule's removals, per source, from a "
        "decisions file exported from the run's report; --write-veto turns that into "
        "per-source vetoes in the templates rules file.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    p.add_argument("run_dir", metavar="DIR", type=Path, help="output folder of `decruft run`")
    p.add_argument(
        "--decisions",
        metavar="FILE",
        type=Path,
        required=True,
        help="decisions exported from DIR's report",
    )
    p.add_argument(
        "--write-veto",
        action="store_true",
        help="write per-source vetoes into the rules file (restored template lines; rules "
        "restored often enough, see --min-restored and --min-share)",
    )
    p.add_argument(
        "--rules-file",
        metavar="PATH",
        type=Path,
        help="the rules file to write (default: DIR/templates/rules.toml)",
    )
    p.add_argument(
        "--min-restored",
        type=int,
        default=MIN_RESTORED,
        help="restores of a rule on a source before it is vetoed there",
    )
    p.add_argument(
        "--min-share",
        type=float,
        default=MIN_SHARE,
        help="share of a rule's removals on a source restored before it is vetoed there",
    )
    p.add_argument("--all", action="store_true", help="list rules with no restore too")
    return p


def suggest_main(argv: list[str]) -> int:
    """``decruft rules suggest DIR --decisions FILE [--write-veto]``; 2 on a refused file."""
    from flows import decisions as dm

    args = build_suggest_parser().parse_args(argv)
    if not 0 <= args.min_share <= 1:
        print(
            f"decruft rules suggest: --min-share {args.min_share} is not a share from 0 to 1",
            file=sys.stderr,
        )
        return 2
    try:
        chosen = dm.load(dm.read_file(args.decisions), args.run_dir)
    except dm.DecisionsError as exc:
        print(f"decruft rules suggest: {exc}", file=sys.stderr)
        return 2
    feedback = gather(args.run_dir, chosen)
    restored = sum(t.restored for t in feedback.tallies.values())
    who = f", decided by {chosen.decided_by}" if chosen.decided_by else ""
    when = f" at {chosen.decided_at}" if chosen.decided_at else ""
    print(
        f"{args.decisions.name} (review {chosen.reviewed}{who}{when}): {restored} removal(s) "
        f"restored in {feedback.restored_docs} document(s)"
    )
    print("\n".join(render_feedback(feedback, args.all)))
    for why in feedback.skipped[:20]:
        print(f"not counted: {why}")
    if args.write_veto:
        rules_file = args.rules_file or args.run_dir / "templates" / "rules.toml"
        try:
            written = write_vetoes(feedback, rules_file, args.min_restored, args.min_share)
        except (OSError, ValueError) as exc:
            print(f"decruft rules suggest: cannot write {rules_file}: {exc}", file=sys.stderr)
            return 2
        for line in written:
            print(f"{rules_file}: {line}")
        if not written:
            print(
                f"{rules_file}: nothing to veto (thresholds: --min-restored "
                f"{args.min_restored}, --min-share {args.min_share})"
            )
    return 0
