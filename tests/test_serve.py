"""`paper-archive serve` serves the site and rebuilds it when a digest changes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLE, make_content, write_config
from tests.helpers import api_item, write_api_digest

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return False


@dataclass
class Served:
    url: str
    output: str = ""  # all it printed, once it has stopped


@contextmanager
def serving(args: list[str], cwd: Path = ROOT) -> Iterator[Served]:
    """``paper-archive serve ARGS`` on a free port, from when it answers until Ctrl+C
    (SIGINT) on the way out."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", *args, "--port", str(port)],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=os.environ | {"CI": "true"},
    )
    served = Served(f"http://127.0.0.1:{port}/")
    try:
        started = wait_for(lambda: process.poll() is not None or fetch(served.url) is not None, 120)
        assert started and process.poll() is None, (
            f"serve did not start; it printed:\n{_stop(process)[-3000:]}"
        )
        yield served
    finally:
        served.output = _stop(process)


def _stop(process: subprocess.Popen) -> str:
    """Ctrl+C, then all the process printed; it must stop within 30 s."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
    try:
        return process.communicate(timeout=30)[0]
    except subprocess.TimeoutExpired:
        process.kill()
        output = process.communicate()[0]
        raise AssertionError(
            f"serve did not stop within 30 s of Ctrl+C; it printed:\n{output[-3000:]}"
        ) from None


def test_serve_rebuilds_when_a_digest_is_added(tmp_path: Path):
    content = make_content(tmp_path / "content")
    config = write_config(tmp_path)
    with serving(["--content", str(content), "--config", str(config)]) as served:
        url = served.url
        assert "A Paper Added While Serving" not in fetch(url)
        write_api_digest(
            content / "digests",
            "2026-01-02",
            [api_item("2601.00001", "A Paper Added While Serving", "Added to test rebuilds.")],
        )
        assert wait_for(lambda: "A Paper Added While Serving" in (fetch(url) or ""), 120), "no rebuild"
        assert "A Paper Added While Serving" in fetch(url + "papers/2601.00001/")
    assert "Serving" in served.output and "rebuilding" in served.output


def answer(url: str, method: str = "GET") -> tuple[int, bytes]:
    """Status and body of a request, errors included."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method=method), timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def test_serve_answers_as_github_pages_does_with_the_sites_404_page_and_no_listings(tmp_path: Path):
    content = make_content(tmp_path / "content", [SAMPLE / "digests" / "2025-06-30.json"])
    config = write_config(tmp_path)
    with serving(["--content", str(content), "--config", str(config)]) as served:
        url = served.url
        not_found = (tmp_path / "site" / "404.html").read_bytes()
        assert answer(url)[0] == 200
        # a missing page, and folders without an index.html, which are not listed
        for path in ("no/such/page/", "papers/", "assets/", "assets/katex/"):
            assert answer(url + path) == (404, not_found), path
        assert answer(url + "no/such/page/", "HEAD") == (404, b"")
