"""Checks of a run's or a publish's arguments, before anything is read or written.

Shared by the CLI (which runs them before it starts any server) and the flows (a deployment's
parameters come from ``prefect.yaml``, the UI or ``--param`` and are never seen by the CLI).
Each problem is a :class:`UsageError` with a one-line message that says what to do.

What is refused, and why:

- an empty ``source`` or ``out``: ``Path("")`` is the working directory, and a deployment's
  working directory is the checkout (``prefect deploy`` stores an unset ``{{ $DECRUFT_OUT }}``
  as ``''``), so an empty value would clean the project into itself;
- a ``{{ placeholder }}`` left in a value (a template nobody filled);
- ``out`` equal to ``source`` or inside it, or ``source`` inside ``out``: outputs and inputs
  would mix;
- ``source`` equal to the project checkout or a folder that contains it;
- ``out`` that is an existing file, or the checkout itself;
- unknown rule names (with the closest known name), a guard share outside 0..1, a batch size
  below 1.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Sequence
from pathlib import Path

PROJECT_DIR_ENV = "DECRUFT_PROJECT_DIR"
"""Set by the deployments (prefect.yaml) to the checkout `prefect deploy` ran in."""


class UsageError(ValueError):
    """An argument that cannot work; the message is one line and says what to do."""


def project_dirs() -> list[Path]:
    """The project checkout(s): this package's parent, and the deployment's checkout."""
    dirs = [Path(__file__).resolve().parents[1]]
    configured = os.environ.get(PROJECT_DIR_ENV, "").strip()
    if configured and "{{" not in configured:
        dirs.append(Path(configured).expanduser().resolve())
    # Only a real checkout counts (an installed package's parent is site-packages).
    return [d for d in dict.fromkeys(dirs) if (d / "pyproject.toml").is_file()]


def _text(name: str, value: object, hint: str) -> str:
    if value is None or not str(value).strip():
        raise UsageError(f"{name} is empty: {hint}")
    text = str(value).strip()
    if "{{" in text or "}}" in text:
        raise UsageError(f"{name} is an unfilled template ({text}): {hint}")
    return text


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


def check_run_paths(
    source: object, out: object, *, source_hint: str = "", out_hint: str = ""
) -> tuple[Path, Path]:
    """``(source, out)`` as paths when a run may read the one and write the other."""
    src = Path(_text("source", source, source_hint or "name the folder of scraped files"))
    dst = Path(_text("out", out, out_hint or "name the output folder"))
    if not src.exists():
        raise UsageError(f"source not found: {src}")
    src_real, out_real = src.resolve(), dst.resolve()
    if dst.exists() and not dst.is_dir():
        raise UsageError(f"out {dst} is a file: give a folder (it is created when missing)")
    if _inside(out_real, src_real):
        where = "the source folder itself" if out_real == src_real else f"inside source {src}"
        raise UsageError(f"out {dst} is {where}: put the output folder beside the inputs")
    if src_real.is_dir() and _inside(src_real, out_real):
        raise UsageError(f"source {src} is inside out {dst}: keep inputs and outputs apart")
    for project in project_dirs():
        if _inside(project, src_real):
            what = "is" if project == src_real else "contains"
            raise UsageError(
                f"source {src} {what} the decruft checkout {project}: "
                "name the folder of scraped files"
            )
        if project == out_real:
            raise UsageError(f"out {dst} is the decruft checkout: name an output folder")
    return src, dst


def check_rules(rules: Sequence[str] | None) -> list[str] | None:
    """The rule chain as given (None: the default chain); unknown names are refused."""
    if rules is None:
        return None
    from cleaners import REGISTRY

    names = [str(r).strip() for r in rules if str(r).strip()]
    if not names:
        raise UsageError("rules is empty: give rule names (decruft rules lists them) or none")
    for name in names:
        if name not in REGISTRY:
            close = difflib.get_close_matches(name, sorted(REGISTRY), n=1, cutoff=0.5)
            if not close:
                close = [n for n in sorted(REGISTRY) if n.startswith(name.rstrip("_v0123456789"))]
            hint = f" (did you mean {close[0]}?)" if close else " (decruft rules lists them)"
            raise UsageError(f"unknown rule {name!r}{hint}")
    return names


def check_max_share(value: object) -> float:
    """The over-removal guard's share: a number from 0 to 1."""
    try:
        share = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise UsageError(f"max_share must be a number from 0 to 1, not {value!r}") from None
    if not 0.0 <= share <= 1.0:
        raise UsageError(f"max_share must be from 0 to 1 (a share of the text), not {share:g}")
    return share


def check_batch_size(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise UsageError(f"batch_size must be a whole number of at least 1, not {value!r}")
    return value


def check_publish_paths(run_dir: object, dest: object) -> tuple[Path, Path]:
    """``(run_dir, dest)`` when DEST can receive a publication of RUN_DIR."""
    run = Path(_text("run_dir", run_dir, "name the output folder of the reviewed run"))
    to = Path(_text("to", dest, "name the publication folder"))
    if not run.is_dir():
        raise UsageError(f"run folder not found: {run}")
    if to.exists() and not to.is_dir():
        raise UsageError(f"--to {to} is a file: give a folder (it is created when missing)")
    run_real, to_real = run.resolve(), to.resolve()
    if _inside(to_real, run_real) or _inside(run_real, to_real):
        raise UsageError(f"--to {to} and the run folder {run} overlap: keep them apart")
    return run, to
