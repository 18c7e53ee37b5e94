"""``decruft run`` boots Prefect's temporary server itself and leaves nothing running."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from flows import local_server


def test_not_wanted_with_an_api_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:1/api")
    assert local_server.start() is None


def test_cli_run_starts_and_stops_its_server(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "a.txt").write_text("Title\n\nA short real paragraph.\n\nAdvertisement\n\n" * 3)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    decruft = Path(sys.executable).with_name("decruft")
    done = subprocess.run(
        [str(decruft), "run", str(source), "--out", str(tmp_path / "out"), "--no-progress"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        start_new_session=True,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "out" / "clean" / "a.txt").exists()
    assert "Error logging to API" not in done.stderr
    assert _processes_with_env(f"PREFECT_HOME={tmp_path / 'prefect-home'}") == []


def _processes_with_env(entry: str) -> list[int]:
    """Pids of live processes whose environment holds ``entry`` (read from /proc)."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if entry.encode() in environ.read_bytes().split(b"\0"):
                found.append(int(environ.parent.name))
        except OSError:
            continue
    return found
