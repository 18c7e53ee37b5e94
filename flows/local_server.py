"""Prefect's temporary local API server, started early by the CLI.

With no ``PREFECT_API_URL``, Prefect 3 starts a temporary API server in a subprocess on the
first flow run of a process, and waits for it: the client first imports the whole server
stack (~3 s of CPU here) only to spawn the subprocess, which then imports it again. A run of
``decruft run`` on a folder paid that as a fixed ~5 s before the first document.

:func:`start` spawns the same temporary server (the same ``uvicorn`` command and settings
Prefect's ``SubprocessASGIServer`` uses, pinned Prefect version) as the very first thing the
CLI does, without importing the server stack in this process, and points this process at it
through ``PREFECT_API_URL``; the server then boots on the other core while the CLI imports
Prefect, the cleaners and the extractor and opens the inputs. The user still starts nothing,
and the server stops with the command. With ``PREFECT_API_URL`` already set (a shared server,
a deployment's worker) nothing is started.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

STARTUP_TIMEOUT_S = 300.0
"""Generous: on a loaded shared machine the server has been seen to take over 90 s to boot."""


@dataclass
class LocalServer:
    """A temporary Prefect API server this process started, and how to reach it."""

    process: subprocess.Popen[bytes]
    api_url: str
    _ready: bool = False

    def wait_ready(self, timeout: float = STARTUP_TIMEOUT_S) -> None:
        """Block until the server answers its health check (raise if it died or timed out)."""
        deadline = time.monotonic() + timeout
        while not self._ready:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"the temporary Prefect server exited with code {self.process.returncode}"
                )
            try:
                with urllib.request.urlopen(f"{self.api_url}/health", timeout=2) as response:
                    self._ready = response.status == 200
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if not self._ready:
                if time.monotonic() > deadline:
                    raise RuntimeError("the temporary Prefect server did not start in time")
                time.sleep(0.05)

    def stop(self) -> None:
        if os.environ.get("PREFECT_API_URL") == self.api_url:
            del os.environ["PREFECT_API_URL"]
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wanted() -> bool:
    """True when Prefect would start its own temporary server (no API URL configured)."""
    if os.environ.get("PREFECT_API_URL"):
        return False
    if "prefect" in sys.modules:  # already configured in this process (a test harness, say)
        from prefect.settings import get_current_settings

        return get_current_settings().api.url is None
    if os.environ.get("PREFECT_SERVER_ALLOW_EPHEMERAL_MODE", "").lower() in ("0", "false"):
        return False
    return not _profile_sets_api_url()


def _profile_sets_api_url() -> bool:
    """A Prefect profile may set the API URL too; read it only when a profiles file exists."""
    home = Path(os.environ.get("PREFECT_HOME", Path.home() / ".prefect"))
    profiles = Path(os.environ.get("PREFECT_PROFILES_PATH", home / "profiles.toml"))
    if not profiles.exists():
        return False
    with contextlib.suppress(Exception):
        return _profile_api_url(profiles) is not None
    return True  # unreadable profile: leave the decision to Prefect


def _die_with_parent() -> None:
    """In the server's process, before it runs: ask Linux for a SIGTERM when the CLI dies.

    ``atexit`` stops the server on any normal exit; a CLI killed with SIGKILL runs no code,
    and its server would otherwise live on, holding a port, until someone notices.
    """
    import ctypes
    import signal

    pr_set_pdeathsig = 1
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, int(signal.SIGTERM))


def _profile_api_url(profiles: Path) -> tuple[str, str] | None:
    import tomllib

    data = tomllib.loads(profiles.read_text(encoding="utf-8"))
    active = os.environ.get("PREFECT_PROFILE") or data.get("active", "ephemeral")
    url = data.get("profiles", {}).get(active, {}).get("PREFECT_API_URL")
    if not url:
        return None
    return str(url), f"set in the Prefect profile {active!r}, e.g. by `prefect config set`"


def configured_api() -> tuple[str, str] | None:
    """``(url, where it is set)`` when an API URL is configured outside a running process.

    Used to fail fast, before a run, when ``prefect config set PREFECT_API_URL=...`` (from the
    deployment guide) points every later local run at a server that is not running.
    """
    url = os.environ.get("PREFECT_API_URL")
    if url:
        return url, "set by PREFECT_API_URL in the environment"
    if "prefect" in sys.modules:
        return None  # configured in this process (a test harness): Prefect knows best
    home = Path(os.environ.get("PREFECT_HOME", Path.home() / ".prefect"))
    profiles = Path(os.environ.get("PREFECT_PROFILES_PATH", home / "profiles.toml"))
    if not profiles.exists():
        return None
    try:
        return _profile_api_url(profiles)
    except Exception:
        return None


def unreachable(api_url: str, timeout: float = 3.0) -> str | None:
    """Why nothing answers at ``api_url``, or None when a server does (any HTTP status:
    a server behind auth may refuse the health check and still be the right one)."""
    try:
        with urllib.request.urlopen(f"{api_url.rstrip('/')}/health", timeout=timeout):
            return None
    except urllib.error.HTTPError:
        return None
    except (urllib.error.URLError, ConnectionError, TimeoutError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return str(reason) or type(exc).__name__


def start() -> LocalServer | None:
    """Spawn the temporary server and point this process at it; None when not wanted."""
    if not wanted():
        return None
    spec = find_spec("prefect")
    if spec is None or not spec.submodule_search_locations:
        return None
    app_dir = str(Path(next(iter(spec.submodule_search_locations))).parent)
    port = _free_port()
    env = {
        **os.environ,
        "PREFECT_UI_ENABLED": "0",
        "PREFECT__SERVER_EPHEMERAL": "1",
        "PREFECT__SERVER_FINAL": "1",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--app-dir",
            app_dir,
            "--factory",
            "prefect.server.api.server:create_app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "error",
            "--lifespan",
            "on",
        ],
        env=env,
        stdin=subprocess.DEVNULL,
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
    )
    server = LocalServer(process, f"http://127.0.0.1:{port}/api")
    atexit.register(server.stop)
    os.environ["PREFECT_API_URL"] = server.api_url
    return server
