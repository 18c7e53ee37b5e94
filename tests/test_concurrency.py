"""Two runs into one output folder: the second refuses with a clear message, nothing changes."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from flows.cli import main

HOLDER = (
    "import sys, time; from pathlib import Path; from flows.store import output_lock\n"
    "with output_lock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(120)"
)


def _snapshot(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != "run.lock"
    }


def test_second_run_refuses_while_another_writes(
    prefect_harness: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "a.txt").write_text("A story.\n\nIts second paragraph.\n")
    assert main(["run", str(src), "--out", str(out), "--no-progress"]) == 0
    before = _snapshot(out)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(out)], stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
        capsys.readouterr()
        code = main(["run", str(src), "--out", str(out), "--no-progress"])
        err = capsys.readouterr().err
    finally:
        holder.kill()
        holder.wait()
    assert code == 1
    assert "is being written by another decruft run (pid" in err and "choose" in err
    assert _snapshot(out) == before
    assert main(["run", str(src), "--out", str(out), "--no-progress"]) == 0
