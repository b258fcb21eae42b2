"""Rehearsal of a publish run: a new digest arrives, the publish script rebuilds the site.

In a temporary git repository holding a copy of the project, the same script the
publish workflow calls (.github/publish.sh) fetches a new day from a local API server
and builds; the new papers must show on the home page, their day page, their tag
pages and the feed, and every URL of the previous build must still exist.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT, make_content

pytestmark = pytest.mark.slow
NEW_DAY = "2026-01-05"
SITE_URL = "http://127.0.0.1/paper-archive/"


def copy_project(target: Path) -> Path:
    """The project's tracked files, as a fresh git repository, sharing this checkout's .venv;
    its content folder is the tests' sample, not the live one."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for rel in filter(None, files.decode().split("\0")):
        source = ROOT / rel
        if source.is_file() and not rel.startswith("content/"):
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / rel)
    make_content(target / "content")
    (target / ".venv").symlink_to(ROOT / ".venv")
    os.utime(target / "pyproject.toml", (0, 0))  # the shared .venv is up to date for `make setup`
    git = functools.partial(subprocess.run, cwd=target, check=True, capture_output=True)
    git(["git", "init", "-q", "-b", "main"])
    git(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A"])
    git(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "copy"])
    return target


def api_server(day_file: Path) -> tuple[http.server.HTTPServer, str]:
    body = day_file.read_bytes()

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # http.server's name
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/api/daily_papers"


def publish(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(repo / ".github" / "publish.sh"), "--site-url", SITE_URL, *args],
        cwd=repo,
        capture_output=True,
        text=True,
        env=os.environ | {"CI": "true"},
    )


def site_urls(site: Path) -> set[str]:
    """Every page and file a reader could link to; the search index's hashed chunks aside."""
    return {
        p.relative_to(site).as_posix()
        for p in site.rglob("*")
        if p.is_file() and not p.relative_to(site).as_posix().startswith("pagefind/")
    }


def test_new_digest_is_published_everywhere_and_no_url_is_lost(tmp_path: Path):
    repo = copy_project(tmp_path / "repo")
    first = publish(repo)
    assert first.returncode == 0, first.stderr
    before = site_urls(repo / "site")

    day_file = FIXTURES / "api" / "2024-09-03.json"
    server, api_url = api_server(day_file)
    try:
        second = publish(repo, "--fetch", "--date", NEW_DAY, "--api-url", api_url)
    finally:
        server.shutdown()
    assert second.returncode == 0, second.stderr
    assert (repo / "content" / "digests" / f"{NEW_DAY}.json").read_bytes() == day_file.read_bytes()
    subprocess.run(["git", "add", "content"], cwd=repo, check=True)
    status = subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True).stdout
    assert f"content/digests/{NEW_DAY}.json" in status and "content/permalinks.lock" in status

    site = repo / "site"
    after = site_urls(site)
    assert before <= after, sorted(before - after)[:10]
    items = json.loads(day_file.read_text())
    home = (site / "index.html").read_text(encoding="utf-8")
    day_page = (site / "archive" / "2026" / "01" / "05" / "index.html").read_text(encoding="utf-8")
    feed = site / "feed.xml"
    for item in items:
        arxiv_id = item["paper"]["id"]
        paper_page = site / "papers" / arxiv_id / "index.html"
        assert paper_page.is_file()
        assert f"papers/{arxiv_id}/" in home
        assert f"papers/{arxiv_id}/" in day_page
        tags = [a.split("/")[-2] for a in _tag_links(paper_page.read_text(encoding="utf-8"))]
        assert tags, f"{arxiv_id} has no tag"
        for slug in tags:
            assert f"papers/{arxiv_id}/" in (site / "tags" / slug / "index.html").read_text(encoding="utf-8")
        if feed.exists():
            assert arxiv_id in feed.read_text(encoding="utf-8")


def _tag_links(html: str) -> list[str]:
    import re

    return sorted(set(re.findall(r'href="?(\.\./\.\./tags/[a-z0-9-]+/)', html)))
