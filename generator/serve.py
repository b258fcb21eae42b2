"""``paper-archive serve``: build, serve on 127.0.0.1, rebuild when inputs change.

Watching is by polling modification times (no extra dependency, works on every
file system); a failed rebuild reports its errors and keeps serving the last good site.
The site is served as GitHub Pages serves it: a missing page gets the site's own
``404.html``, and a folder without an ``index.html`` is not listed.
"""

from __future__ import annotations

import errno
import functools
import http.server
import os
import signal
import socket
import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from pathlib import Path

from generator.build import build
from generator.config import load_settings
from generator.errors import ContentError, ContentErrors, UsageError

TEMPLATES = Path(__file__).resolve().parent.parent / "site_templates"


def _snapshot(paths: list[Path]) -> dict[Path, float]:
    seen = {}
    for root in paths:
        files = [root] if root.is_file() else (p for p in root.rglob("*") if p.is_file())
        for path in files:
            if path.name != "permalinks.lock":
                seen[path] = path.stat().st_mtime
    return seen


def _try_build(
    config: Path, content: Path, site_url: str, on_error: Callable[[ContentError | ContentErrors], None]
) -> bool:
    try:
        build(load_settings(config, site_url=site_url), content)
        return True
    except (ContentError, ContentErrors) as e:
        on_error(e)
        return False


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files from ``directory``, with GitHub Pages' answers where they differ."""

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        """A folder without an ``index.html`` is not found, never listed."""
        self.send_error(HTTPStatus.NOT_FOUND)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = self._not_found_page() if code == HTTPStatus.NOT_FOUND else None
        if page is None:  # another error, or a site without a 404.html: the standard page
            super().send_error(code, message, explain)
            return
        self.log_error("code %d, message %s", code, message)
        self.send_response(code, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(page)

    def _not_found_page(self) -> bytes | None:
        # Read for each request: a rebuild swaps a new site in under the same name.
        try:
            return (Path(self.directory) / "404.html").read_bytes()
        except OSError:
            return None


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def open_server(
    port: int, handler: Callable[..., http.server.BaseHTTPRequestHandler]
) -> http.server.ThreadingHTTPServer:
    """The server, bound to 127.0.0.1:``port``; a port in use is a user error that names a
    free one to try."""
    try:
        return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as e:
        if e.errno != errno.EADDRINUSE:
            raise UsageError(f"cannot serve on port {port}: {e.strerror or e}") from None
        free = next((p for p in range(port + 1, min(port + 100, 65536)) if _port_free(p)), port + 1)
        raise UsageError(f"port {port} is in use; try --port {free}") from None


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve(
    config: Path,
    content: Path,
    on_error: Callable[[ContentError | ContentErrors], None],
    say: Callable[[str], None],
    port: int = 8000,
    interval: float = 1.0,
) -> None:
    """Build, then serve and rebuild until interrupted. The first build's errors are
    raised; a later build's go to ``on_error``, and serving goes on with the last good site."""
    # Ctrl+C and a process manager's SIGTERM both stop serving cleanly, also when serve
    # was started from a script in the background: there SIGINT comes in ignored, and
    # Python then leaves it ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _stop)
    url = f"http://127.0.0.1:{port}/"
    settings = load_settings(config, site_url=url)
    handler = functools.partial(SiteHandler, directory=str(settings.site_dir))
    server = open_server(port, handler)  # before building: a busy port is known at once
    try:
        build(settings, content)
    except BaseException:
        server.server_close()
        raise
    threading.Thread(target=server.serve_forever, daemon=True).start()
    say(
        f"Serving {settings.site_dir} on {url} (Ctrl+C to stop); watching {content}, {TEMPLATES.name}/ and {config}"
    )
    watched = [content, TEMPLATES, config]
    state = _snapshot(watched)
    try:
        while True:
            time.sleep(interval)
            current = _snapshot(watched)
            if current != state:
                state = current
                say("Change detected, rebuilding...")
                if _try_build(config, content, url, on_error):
                    say(f"Rebuilt; reload {url}")
    except KeyboardInterrupt:
        return
    finally:
        server.shutdown()
