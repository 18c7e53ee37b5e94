"""``decruft rules``: the registered rules; ``decruft rules suggest``: feedback from editors."""

from __future__ import annotations

import argparse
import sys


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
