"""``decruft serve DIR``: the review report over http, read-only, on the loopback by default.

Browsers open ``file://`` pages from disk but refuse ``file://`` links from an http(s) page
such as the Prefect UI; a report served on ``http://127.0.0.1:8765/`` opens from the run's
artifact link. Only ``DIR/report/`` is served (never the clean texts, the state or the review
key file), only GET and HEAD are answered, there are no directory listings or dot files, and
the pages keep their own strict Content-Security-Policy. Binding to another address
than the loopback (``--host 0.0.0.0``) shows the report, and the review key embedded in it, to
the network: put a proper web server in front for that.
"""

from __future__ import annotations

import functools
import http.server
import os
import sys
from pathlib import Path
from typing import Any

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
REPORT_DIR = "report"
_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "Cross-Origin-Resource-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


class ReportHandler(http.server.SimpleHTTPRequestHandler):
    """Files of one report folder; GET and HEAD only; no listings, no dot files."""

    server_version = "decruft-serve"
    sys_version = ""

    def list_directory(self, path: str | os.PathLike[str]) -> None:  # type: ignore[override]
        self.send_error(404, "Not found")
        return None

    def send_head(self) -> Any:
        parts = self.path.split("?", 1)[0].split("#", 1)[0].split("/")
        if any(p.startswith(".") for p in parts if p):
            self.send_error(404, "Not found")
            return None
        path = Path(self.translate_path(self.path))
        if path.is_dir() and not (path / "index.html").is_file():
            self.send_error(404, "Not found")
            return None
        root = Path(self.directory).resolve()
        try:
            path.resolve().relative_to(root)
        except ValueError:  # a symlink out of the report folder
            self.send_error(404, "Not found")
            return None
        return super().send_head()

    def end_headers(self) -> None:
        for name, value in _HEADERS.items():
            self.send_header(name, value)
        super().end_headers()

    def do_POST(self) -> None:
        self.send_error(405, "Read-only")

    do_PUT = do_DELETE = do_PATCH = do_POST

    def log_message(self, format: str, *args: Any) -> None:
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)


def make_server(
    run_dir: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT
) -> http.server.ThreadingHTTPServer:
    """A server for ``run_dir/report`` (not started); ``port=0`` picks a free port."""
    report = Path(run_dir) / REPORT_DIR
    if not (report / "index.html").is_file():
        from flows.checks import UsageError

        raise UsageError(f"no report in {run_dir} ({report}/index.html is missing)")
    handler = functools.partial(ReportHandler, directory=str(report.resolve()))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def url_of(server: http.server.ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    shown = f"[{host}]" if ":" in str(host) else str(host)
    return f"http://{shown}:{port}/"


def serve(run_dir: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> int:
    """Serve until interrupted; prints the URL to open."""
    server = make_server(run_dir, host, port)
    print(f"decruft: serving {Path(run_dir) / REPORT_DIR} at {url_of(server)} (Ctrl-C stops)")
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
