"""End to end: the project's prefect.yaml on a real Prefect server with a real process worker.

One test walks the path docs/deployments.md describes: start a server (SQLite in a temporary
PREFECT_HOME, on a free 127.0.0.1 port), create the work pool, `prefect deploy --all` from the
checkout, start a worker, trigger `clean-scraped` on a temporary folder, check the schedule
produced upcoming runs, then trigger `publish-approved`. Everything started here is stopped in
the fixtures' teardown, also when a step fails.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest
import yaml

pytestmark = pytest.mark.deploy

ROOT = Path(__file__).resolve().parents[2]
PREFECT_FILE = ROOT / "prefect.yaml"
SEED_INPUTS = ROOT / "tests" / "cases" / "seeds" / "input"
CLEAN_DEPLOYMENT = "clean-scraped/clean-scraped"
PUBLISH_DEPLOYMENT = "publish-approved/publish-approved"

SERVER_START_TIMEOUT = 300.0  # a fresh database migrates slowly on a loaded machine
CLI_TIMEOUT = 180.0
RESUME_ATTEMPTS = 12
RUN_TIMEOUT = 360.0
SCHEDULE_TIMEOUT = 60.0
TERMINAL_STATES = frozenset({"COMPLETED", "FAILED", "CRASHED", "CANCELLED"})
UUID_PATTERN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tail(path: Path, lines: int = 60) -> str:
    if not path.exists():
        return f"({path.name} missing)"
    text = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return f"--- last lines of {path.name} ---\n" + "\n".join(text[-lines:])


def _stop(proc: subprocess.Popen[bytes], grace: float = 15.0) -> None:
    """Stops a process started in its own session, its group and any stray descendants."""
    if proc.poll() is not None:
        return
    try:
        descendants = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        descendants = []
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=grace)
    for child in descendants:
        with contextlib.suppress(psutil.NoSuchProcess):
            child.kill()


@dataclass
class PrefectStack:
    """A running server plus the environment and folders every command of the test shares."""

    base: Path
    api_url: str
    env: dict[str, str]
    logs: Path
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def spawn(self, name: str, *args: str, cwd: Path) -> subprocess.Popen[bytes]:
        """Starts `python -m prefect ARGS` in its own process group, logging to logs/NAME.log."""
        log = (self.logs / f"{name}.log").open("wb")
        proc = subprocess.Popen(
            [sys.executable, "-m", "prefect", *args],
            cwd=cwd,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()
        self.processes.append(proc)
        return proc

    def cli(self, *args: str, cwd: Path = ROOT) -> str:
        """Runs one `prefect` command to completion and returns its output."""
        done = subprocess.run(
            [sys.executable, "-m", "prefect", "--no-prompt", *args],
            cwd=cwd,
            env=self.env,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=CLI_TIMEOUT,
            check=False,
        )
        output = done.stdout + done.stderr
        assert done.returncode == 0, f"prefect {' '.join(args)} failed:\n{output}"
        return output

    def api(self, method: str, path: str, **kwargs: Any) -> Any:
        response = httpx.request(method, f"{self.api_url}{path}", timeout=30.0, **kwargs)
        response.raise_for_status()
        return response.json()

    def cli_env(self, *args: str, env: dict[str, str], cwd: Path = ROOT) -> str:
        """Like :meth:`cli`, with another environment (a deploy with variables unset)."""
        saved, self.env = self.env, env
        try:
            return self.cli(*args, cwd=cwd)
        finally:
            self.env = saved

    def resume(self, run_id: str, answer: dict[str, Any]) -> dict[str, Any]:
        """Answers a paused run the way the UI does, once the run can take the answer.

        Two things can make a resume fail that are not the flow's fault, and both are waited
        out here: Prefect 3.8.8 sets the state PAUSED *before* it stores the input's schema
        (prefect/flow_runs.py, pause_flow_run), so an answer sent in between is rejected with
        "Run input schema not found"; and the server answers 503 for a busy SQLite database
        (server.py, is_client_retryable_exception), which Prefect's own client retries. Any
        other rejection fails the test.
        """
        run = self.api("GET", f"/flow_runs/{run_id}")
        schema_key = run["state"]["state_details"]["run_input_keyset"]["schema"]
        deadline = time.monotonic() + RUN_TIMEOUT
        while (
            httpx.get(
                f"{self.api_url}/flow_runs/{run_id}/input/{schema_key}", timeout=30.0
            ).status_code
            == 404
        ):
            assert time.monotonic() < deadline, f"no input schema\n{self.diagnostics()}"
            time.sleep(0.5)
        for attempt in range(RESUME_ATTEMPTS):
            response = httpx.post(
                f"{self.api_url}/flow_runs/{run_id}/resume",
                json={"run_input": answer},
                timeout=30.0,
            )
            if response.status_code == 503:  # SQLite busy: retry, as Prefect's client does
                time.sleep(min(2.0**attempt, 10.0))
                continue
            response.raise_for_status()
            result = response.json()
            assert result["status"] == "ACCEPT", f"resume refused: {result}"
            return result
        raise AssertionError(f"resume kept answering 503\n{self.diagnostics()}")

    def diagnostics(self) -> str:
        return "\n".join(_tail(log) for log in sorted(self.logs.glob("*.log")))

    def wait_for_run(self, run_id: str, until: frozenset[str] = TERMINAL_STATES) -> dict[str, Any]:
        """Polls a flow run until its state type is one of ``until`` (by default: finished)."""
        deadline = time.monotonic() + RUN_TIMEOUT
        while time.monotonic() < deadline:
            try:
                run = self.api("GET", f"/flow_runs/{run_id}")
            except (httpx.TimeoutException, httpx.HTTPStatusError) as exc:
                # A loaded server answers a poll late, or 503 for a busy SQLite database:
                # polling again is safe; the deadline still bounds the wait.
                if isinstance(exc, httpx.HTTPStatusError) and exc.response.status_code != 503:
                    raise
                time.sleep(1.0)
                continue
            if run["state"] and run["state"]["type"] in until | TERMINAL_STATES:
                return run
            time.sleep(1.0)
        message = f"flow run {run_id} not in {sorted(until)} after {RUN_TIMEOUT}s"
        raise AssertionError(f"{message}\n{self.diagnostics()}")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrefectStack]:
    """A `prefect server start` on a free loopback port with its own PREFECT_HOME."""
    base = tmp_path_factory.mktemp("prefect-e2e")
    logs = base / "logs"
    logs.mkdir()
    port = _free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    env = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")}
    env.update(
        PREFECT_HOME=str(base / "prefect-home"),
        PREFECT_API_URL=api_url,
        PREFECT_CLI_PROMPT="false",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_SERVER_UI_ENABLED="false",
        PREFECT_SERVER_LOGGING_LEVEL="WARNING",
        # Quick turnarounds for a test: the worker polls every second, the scheduler every 2 s.
        PREFECT_WORKER_QUERY_SECONDS="1",
        PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS="2",
        # What prefect.yaml reads at deploy time: everything points into the temporary folder.
        DECRUFT_SOURCE=str(base / "incoming"),
        DECRUFT_OUT=str(base / "scheduled-out"),
        DECRUFT_PUBLISH_TO=str(base / "published-default"),
        PWD=str(ROOT),
    )
    stack = PrefectStack(base=base, api_url=api_url, env=env, logs=logs)
    try:
        server = stack.spawn(
            "server", "server", "start", "--host", "127.0.0.1", "--port", str(port), cwd=base
        )
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            assert server.poll() is None, f"server exited early\n{stack.diagnostics()}"
            try:
                if httpx.get(f"{api_url}/health", timeout=2.0).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, f"server not up\n{stack.diagnostics()}"
            time.sleep(0.5)
        yield stack
    finally:
        # Workers first (they talk to the server on the way out), the server last.
        for proc in reversed(stack.processes):
            _stop(proc)


def _deployment_config() -> dict[str, Any]:
    return yaml.safe_load(PREFECT_FILE.read_text(encoding="utf-8"))


def _manifest(out: Path) -> list[dict[str, Any]]:
    lines = (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _published(dest: Path) -> set[str]:
    """Ids of the texts readers see now: DEST/current/<id>.txt."""
    return {p.stem for p in (dest / "current").glob("*.txt")}


def _trigger(stack: PrefectStack, deployment: str, **params: Any) -> str:
    args = ["deployment", "run", deployment]
    for key, value in params.items():
        args += ["--param", f"{key}={json.dumps(value)}"]
    output = stack.cli(*args)
    match = UUID_PATTERN.search(output)
    assert match, f"no flow run id in:\n{output}"
    return match.group(0)


def _assert_completed(stack: PrefectStack, run: dict[str, Any]) -> None:
    state = run["state"]
    assert state["type"] == "COMPLETED", (
        f"run {run['name']} ended {state['type']}: {state.get('message')}\n{stack.diagnostics()}"
    )


def _review_id(out: Path) -> str:
    return json.loads((out / "report" / "run.json").read_text())["review"]["review_id"]


def _snapshot_names(root: Path) -> set[str]:
    return {p.name for p in root.iterdir()}


def _artifacts_of(stack: PrefectStack, run_id: str) -> dict[str, dict[str, Any]]:
    found = stack.api(
        "POST", "/artifacts/filter", json={"artifacts": {"flow_run_id": {"any_": [run_id]}}}
    )
    return {a["key"]: a for a in found}


def test_scheduled_deployments_end_to_end(stack: PrefectStack) -> None:
    config = _deployment_config()
    pools = {d["work_pool"]["name"] for d in config["deployments"]}
    assert len(pools) == 1, f"both deployments should share one pool, got {pools}"
    pool = pools.pop()

    incoming = Path(stack.env["DECRUFT_SOURCE"])
    shutil.copytree(SEED_INPUTS, incoming)
    inputs = sorted(p.name for p in incoming.iterdir())

    stack.cli("work-pool", "create", pool, "--type", "process")
    stack.spawn("worker", "worker", "start", "--pool", pool, "--type", "process", cwd=stack.base)

    # Deployed with the DECRUFT_* variables unset: Prefect 3.8.8 warns and stores '' ...
    unset = {k: v for k, v in stack.env.items() if not k.startswith("DECRUFT_")}
    output = stack.cli_env("deploy", "--all", env=unset)
    assert "DECRUFT_SOURCE" in output  # its warning names the placeholder
    stored = stack.api("GET", f"/deployments/name/{CLEAN_DEPLOYMENT}")["parameters"]
    assert stored["source"] == stored["out"] == ""
    # ... and the run refuses it in one line instead of cleaning the checkout into itself.
    checkout_before = _snapshot_names(ROOT)
    refused = stack.wait_for_run(_trigger(stack, CLEAN_DEPLOYMENT))
    assert refused["state"]["type"] == "FAILED", f"{refused['state']}\n{stack.diagnostics()}"
    message = refused["state"]["message"]
    assert "source is empty: set DECRUFT_SOURCE before `prefect deploy --all`" in message
    assert _snapshot_names(ROOT) == checkout_before

    stack.cli("deploy", "--all")

    # A run on demand, its output folder overridden at run time.
    run_out = stack.base / "run-1"
    clean_run = stack.wait_for_run(_trigger(stack, CLEAN_DEPLOYMENT, out=str(run_out)))
    _assert_completed(stack, clean_run)
    assert clean_run["parameters"]["source"] == str(incoming)

    manifest = _manifest(run_out)
    assert len(manifest) == len(inputs), f"every input accounted for: {manifest}"
    assert {row["status"] for row in manifest} <= {"cleaned", "unchanged"}, manifest
    ids = [row["id"] for row in manifest]
    for doc_id in ids:
        assert (run_out / "clean" / f"{doc_id}.txt").is_file(), f"no clean text for {doc_id}"
    assert (run_out / "report").is_dir() and any((run_out / "report").iterdir())
    artifacts = _artifacts_of(stack, clean_run["id"])
    reviewed = _review_id(run_out)
    assert reviewed in artifacts["decruft-summary"]["data"]
    assert "http://127.0.0.1:8765/index.html" in artifacts["decruft-report"]["data"]

    # The next run on the same output (what the schedule does) reuses every unchanged input,
    # and the review stays valid.
    rerun = stack.wait_for_run(_trigger(stack, CLEAN_DEPLOYMENT, out=str(run_out)))
    _assert_completed(stack, rerun)
    assert {row["status"] for row in _manifest(run_out)} == {"reused"}
    assert _review_id(run_out) == reviewed

    # The hourly schedule: the server's scheduler has queued upcoming runs.
    deployment = stack.api("GET", f"/deployments/name/{CLEAN_DEPLOYMENT}")
    (schedule,) = deployment["schedules"]
    assert schedule["active"] and schedule["schedule"]["cron"] == "0 * * * *"
    deadline = time.monotonic() + SCHEDULE_TIMEOUT
    upcoming: list[dict[str, Any]] = []
    while not upcoming and time.monotonic() < deadline:
        upcoming = stack.api(
            "POST",
            "/flow_runs/filter",
            json={
                "deployments": {"id": {"any_": [deployment["id"]]}},
                "flow_runs": {"state": {"type": {"any_": ["SCHEDULED"]}}},
                "sort": "EXPECTED_START_TIME_ASC",
            },
        )
        upcoming = [run for run in upcoming if run["auto_scheduled"]]
        if not upcoming:
            time.sleep(1.0)
    assert upcoming, f"no scheduled runs after {SCHEDULE_TIMEOUT}s\n{stack.diagnostics()}"
    starts = [datetime.fromisoformat(run["expected_start_time"]) for run in upcoming]
    assert all(start.minute == 0 and start.second == 0 for start in starts)
    assert starts[-1] > datetime.now(UTC)
    assert all(run["parameters"]["out"] == stack.env["DECRUFT_OUT"] for run in upcoming)

    publish = stack.api("GET", f"/deployments/name/{PUBLISH_DEPLOYMENT}")
    assert publish["schedules"] == []

    # A later run adds a story after the editor reviewed: the old review publishes nothing.
    (incoming / "late-story.txt").write_text(
        "Late story\n\nThe council met again on Tuesday evening to settle the budget.\n",
        encoding="utf-8",
    )
    later = stack.wait_for_run(_trigger(stack, CLEAN_DEPLOYMENT, out=str(run_out)))
    _assert_completed(stack, later)
    assert len(_manifest(run_out)) == len(inputs) + 1
    now_reviewed = _review_id(run_out)
    assert now_reviewed != reviewed
    dest = stack.base / "published"
    stale = stack.wait_for_run(
        _trigger(stack, PUBLISH_DEPLOYMENT, run_dir=str(run_out), to=str(dest), reviewed=reviewed)
    )
    assert stale["state"]["type"] == "FAILED", f"{stale['state']}\n{stack.diagnostics()}"
    assert "the output folder changed since the review" in stale["state"]["message"]
    assert not dest.exists()
    assert "nothing published" in _artifacts_of(stack, stale["id"])["decruft-publication"]["data"]

    # Publish the run as reviewed now, holding one document back.
    ids = [row["id"] for row in _manifest(run_out)]
    held_back, second, *approved = ids
    publish_run = stack.wait_for_run(
        _trigger(
            stack,
            PUBLISH_DEPLOYMENT,
            run_dir=str(run_out),
            to=str(dest),
            reviewed=now_reviewed,
            exclude=[held_back],
            approved_by="e2e-test",
        )
    )
    _assert_completed(stack, publish_run)
    assert _published(dest) == {second, *approved}
    assert (dest / "audit.jsonl").is_file()
    publication = _artifacts_of(stack, publish_run["id"])["decruft-publication"]["data"]
    assert "e2e-test" in publication and now_reviewed in publication

    # Publishing after an editor's answer: the run waits, the answer resumes it.
    waiting_id = _trigger(
        stack, PUBLISH_DEPLOYMENT, run_dir=str(run_out), to=str(dest), wait_for_approval=True
    )
    waiting = stack.wait_for_run(waiting_id, until=frozenset({"PAUSED"}))
    assert waiting["state"]["type"] == "PAUSED", f"{waiting['state']}\n{stack.diagnostics()}"
    # The answer carries the decisions file exported from the report (one document excluded
    # there, one removal kept) beside an exclusion typed into the form.
    from flows import decisions as dm

    report = json.loads((run_out / "report" / "report.json").read_text(encoding="utf-8"))
    kept_doc = next(d for d in report["documents"] if d["id"] in approved and d["removals"])
    kept = kept_doc["removals"][0]
    decisions = dm.signed_file(
        {
            "format": dm.FORMAT,
            "review_id": now_reviewed,
            "decided_by": "editor",
            "decided_at": "2026-12-02T17:00:00.000Z",
            "documents": {
                second: {"action": "exclude"},
                kept_doc["id"]: {
                    "action": "cleaned",
                    "fingerprint": dm.fingerprint(kept_doc["removals"], kept_doc["held_removals"]),
                    "restore": [{k: kept[k] for k in ("start", "end", "rule")}],
                },
            },
        },
        (run_out / ".decruft" / "review.key").read_text(encoding="ascii").strip(),
    )
    answer = {
        "approve": True,
        "reviewed": now_reviewed,
        "exclude": [held_back],
        "decisions": decisions,
        "approved_by": "editor",
    }
    stack.resume(waiting_id, answer)
    _assert_completed(stack, stack.wait_for_run(waiting_id))
    assert _published(dest) == set(approved)
    text = (dest / "current" / f"{kept_doc['id']}.txt").read_text(encoding="utf-8")
    assert kept["text"].strip() in text
    audit = json.loads((dest / "audit.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    assert audit["decisions"]["origin"] == "answer"
    assert audit["restored"] == {kept_doc["id"]: 1}
    assert audit["excluded"] == sorted([held_back, second])
