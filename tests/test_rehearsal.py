"""Rehearsal of a month of daily publishing: 30 days, run as the publish workflow runs them.

A copy of the project (its content: the tests' taxonomy and no digest yet) is pushed to a
local bare repository, ``origin``. A local stand-in of the daily papers API serves 30
consecutive days of a few papers each. For each day, the workflow's scheduled run is
replayed in a checkout of origin's tip: ``paper-archive fetch --missing --until DAY``, then
``.github/publish.sh --site-url URL`` (build, then ``check --site``), then the commit of
``content/`` and ``.github/push-rebased.sh origin main``. On the way:

- the API answers one day first with 429 (fetch waits as told, then gets it);
- one day is not published yet when its run asks (404): that run fails and pushes nothing,
  and the next run's ``--missing`` fetches both days;
- one day lists no papers: ``publish.sh --fetch --date DAY`` says nothing new (exit 3),
  builds nothing, and the next run gets past it;
- one day's items carry hostile text (markup, scripts, javascript: links);
- someone pushes a digest by hand while a run builds: push-rebased.sh rebases onto it;
- the last day goes through ``publish.sh --fetch --date DAY --api-url URL`` (a manual run).

After each run: the site was built and checked, every file published before is still
there, ``permalinks.lock`` only grew, every paper served so far has its page. At the end,
every address ever published answers over HTTP, and origin holds every digest.
"""

from __future__ import annotations

import http.server
import json
import os
import re
import shutil
import subprocess
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import FIXTURES, ROOT, make_content, serve

pytestmark = pytest.mark.slow
SITE_URL = "http://127.0.0.1/paper-archive/"
DAYS = [date(2026, 3, 1) + timedelta(days=n) for n in range(30)]
THROTTLED = DAYS[2]  # answered 429 (Retry-After: 0) first
LATE = DAYS[6]  # not published yet when its own run asks: 404 once
EMPTY = DAYS[11]  # a day without papers
BY_HAND = DAYS[14]  # a digest pushed by hand while this day's run builds
HOSTILE = DAYS[19]  # items carrying hostile text
HAND_DIGEST = "content/digests/2026-02-14.txt"
HAND_TITLE = "A Paper Added By Hand While The Scheduled Run Was Building"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.org",
    "PUSH_RETRY_DELAY": "0",
}
ABSTRACT = (
    "We study {topic} for day {n} of the rehearsal and report what a month of daily publishing "
    "does to an archive: every page stays where it was published."
)
TOPICS = ("video generation with diffusion models", "robot manipulation policies", "code generation agents")


# ------------------------------------------------------------------ the API's days


def day_items(day: date) -> list[dict]:
    """A small day: one to three papers, ids unique to the day; none outside the month."""
    if day == EMPTY or day not in DAYS:
        return []
    if day == HOSTILE:
        return hostile_items(day)
    n = DAYS.index(day)
    return [
        {
            "paper": {
                "id": f"2603.{n:03d}{k:02d}",
                "title": f"Day {n} Paper {k}: {TOPICS[(n + k) % len(TOPICS)].title()}",
                "summary": ABSTRACT.format(topic=TOPICS[(n + k) % len(TOPICS)], n=n),
                "authors": [{"name": f"Author {n}-{k}"}],
                "upvotes": n + k,
                "submittedOnDailyAt": f"{day.isoformat()}T00:00:00.000Z",
            },
            "title": f"Day {n} Paper {k}",
            "publishedAt": f"{day.isoformat()}T00:00:00.000Z",
        }
        for k in range(1 + n % 3)
    ]


def hostile_items(day: date) -> list[dict]:
    """The hostile fixture's first items, with ids of this month."""
    items = json.loads((FIXTURES / "hostile" / "2025-01-06.json").read_text(encoding="utf-8"))[:4]
    for k, item in enumerate(items):
        item["paper"]["id"] = f"2603.{DAYS.index(day):03d}{k:02d}"
        item["paper"]["submittedOnDailyAt"] = f"{day.isoformat()}T00:00:00.000Z"
    return items


class Api(http.server.ThreadingHTTPServer):
    """The daily papers endpoint: ``?date=DAY`` -> that day's items; ``scripted`` replies
    (status, headers) go first, once each, for their day."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _ApiHandler)
        self.scripted: dict[str, list[tuple[int, dict[str, str]]]] = {
            THROTTLED.isoformat(): [(429, {"Retry-After": "0"})],
            LATE.isoformat(): [(404, {})],
        }
        self.asked: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/api/daily_papers"


class _ApiHandler(http.server.BaseHTTPRequestHandler):
    server: Api

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # the stdlib's name
        day = parse_qs(urlsplit(self.path).query).get("date", [""])[0]
        self.server.asked.append(day)
        status, headers, body = 200, {"Content-Type": "application/json"}, b""
        if self.server.scripted.get(day):
            status, headers = self.server.scripted[day].pop(0)
            body = b'{"error": "not now"}'
        else:
            body = json.dumps(day_items(date.fromisoformat(day)), indent=1).encode()
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture()
def api() -> Iterator[Api]:
    server = Api()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


# ------------------------------------------------------------------ the repositories


def run(cwd: Path, *command: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        command,
        cwd=cwd,
        capture_output=True,
        text=True,
        env=os.environ | GIT_ENV | {"CI": "true"},
        timeout=600,
    )


def git(cwd: Path, *args: str) -> str:
    result = run(cwd, "git", *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def copy_project(target: Path) -> Path:
    """The project's tracked files but its tests; its content folder the tests' taxonomy
    and overrides, and no digest yet (tests never read the live one)."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for rel in filter(None, files.decode().split("\0")):
        source = ROOT / rel
        if source.is_file() and not rel.startswith(("content/", "tests/", "bench/")):
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / rel)
    make_content(target / "content", [])
    (target / "content" / "digests" / ".gitkeep").touch()
    return target


def make_origin(tmp_path: Path) -> tuple[Path, Path]:
    """A bare ``origin`` holding the project, and the runner's checkout of it."""
    seed = copy_project(tmp_path / "seed")
    git(seed, "init", "--quiet", "--initial-branch=main")
    git(seed, "add", "-A")
    git(seed, "commit", "--quiet", "-m", "the project")
    bare = tmp_path / "origin.git"
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(bare))
    git(seed, "push", "--quiet", str(bare), "HEAD:refs/heads/main")
    runner = tmp_path / "runner"
    git(tmp_path, "clone", "--quiet", str(bare), str(runner))
    (runner / ".venv").symlink_to(ROOT / ".venv")
    os.utime(runner / "pyproject.toml", (0, 0))  # the shared .venv is up to date for `make setup`
    return bare, runner


def push_by_hand(bare: Path, tmp_path: Path) -> None:
    """Someone adds a digest of an older day and pushes it."""
    person = tmp_path / "person"
    git(tmp_path, "clone", "--quiet", str(bare), str(person))
    path = person / HAND_DIGEST
    path.write_text(f"Feb 14\n\n{HAND_TITLE}\n\n{ABSTRACT.format(topic='manual edits', n=-1)}\n")
    git(person, "add", HAND_DIGEST)
    git(person, "commit", "--quiet", "-m", "A digest added by hand")
    git(person, "push", "--quiet", "origin", "HEAD:refs/heads/main")


# ------------------------------------------------------------------ what a run leaves


def site_files(site: Path) -> set[str]:
    """Every file a reader could link to; the search index's content-named files aside."""
    return {
        rel
        for p in site.rglob("*")
        if p.is_file() and not (rel := p.relative_to(site).as_posix()).startswith("pagefind/")
    }


def lock_lines(repo: Path) -> set[str]:
    path = repo / "content" / "permalinks.lock"
    return {line for line in path.read_text().splitlines() if line and not line.startswith("#")}


class _Markup(HTMLParser):
    """What a browser would run or follow: scripts' text, on* handlers, javascript: links."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script"
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value}>")

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert" in data:
            self.found.append(f"<script>{data[:60]}")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False


def hostile_markup(page: str) -> list[str]:
    parser = _Markup()
    # A title's content is text to a browser; Python's parser would read tags in it.
    parser.feed(re.sub(r"<title>.*?</title>", "<title></title>", page, flags=re.DOTALL))
    return parser.found


def answers(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as e:
        return e.code


def test_a_month_of_daily_publishing(api: Api, tmp_path: Path):
    bare, runner = make_origin(tmp_path)
    site = runner / "site"
    published: set[str] = set()
    lock: set[str] = set()
    served: set[str] = set()  # ids of the papers of every fetched day
    outcomes: dict[date, str] = {}

    for day in DAYS:
        git(runner, "fetch", "--quiet", "origin")
        git(runner, "reset", "--quiet", "--hard", "origin/main")  # a run checks out the tip
        os.utime(runner / "pyproject.toml", (0, 0))  # which the reset may touch
        if day in (EMPTY, DAYS[-1]):  # a manual run for the day
            step = run(
                runner, ".github/publish.sh", "--fetch", "--date", day.isoformat(), "--api-url", api.url
            )
            fetched = step.returncode
            if fetched == 3:
                assert "publish.sh: nothing new; not building" in step.stdout, step.stdout + step.stderr
                outcomes[day] = "nothing new"
                continue
            assert fetched == 0, step.stdout + step.stderr
        else:  # the scheduled run: every missing day up to this one, then publish.sh
            step = run(
                runner, ".venv/bin/paper-archive", "fetch", "--missing", "--until", day.isoformat(),
                "--api-url", api.url,
            )  # fmt: skip
            if day == LATE:
                assert step.returncode == 1, step.stdout + step.stderr
                assert f"date={LATE.isoformat()}: HTTP 404 Not Found (not retried)" in step.stderr
                outcomes[day] = "failed"
                continue
            assert step.returncode == 0, step.stdout + step.stderr
            step = run(runner, ".github/publish.sh", "--site-url", SITE_URL)
            assert step.returncode == 0, step.stdout + step.stderr
        assert "no problems found" in step.stdout, step.stdout  # check --site ran and passed
        outcomes[day] = "published"

        # The workflow's commit step, with a push by hand in between on one day.
        git(runner, "add", "--", "content/digests", "content/permalinks.lock")
        git(runner, "commit", "--quiet", "-m", f"Publish: {day.isoformat()}")
        if day == BY_HAND:
            push_by_hand(bare, tmp_path)
        pushed = run(runner, "bash", ".github/push-rebased.sh", "origin", "main")
        assert pushed.returncode == 0, pushed.stdout + pushed.stderr

        # Nothing published before is gone; the lock only grows; every paper has its page.
        files = site_files(site)
        assert published <= files, sorted(published - files)[:10]
        published = files
        now = lock_lines(runner)
        assert lock <= now, sorted(lock - now)[:5]
        lock = now
        served |= {item["paper"]["id"] for d in DAYS[: DAYS.index(day) + 1] for item in day_items(d)}
        missing = sorted(i for i in served if not (site / "papers" / i / "index.html").is_file())
        assert missing == [], f"{day}: no page for {missing[:5]}"

    assert outcomes[LATE] == "failed" and outcomes[LATE + timedelta(days=1)] == "published"
    assert outcomes[EMPTY] == "nothing new"
    assert sum(o == "published" for o in outcomes.values()) == 28
    assert api.asked.count(THROTTLED.isoformat()) == 2  # the 429, then the day
    assert api.asked.count(LATE.isoformat()) == 2  # the 404, then on the next run

    # origin holds every day with papers, and the digest pushed by hand
    tree = git(runner, "ls-tree", "--name-only", "origin/main", "content/digests/").split()
    expected = {f"content/digests/{d.isoformat()}.json" for d in DAYS if d != EMPTY} | {HAND_DIGEST}
    assert expected <= set(tree), sorted(expected - set(tree))
    # the hand-pushed digest was built by the run after it
    hand_pages = [p for p in (site / "papers").iterdir() if p.name.startswith("a-paper-added-by-hand")]
    assert len(hand_pages) == 1 and (site / "archive" / "2026" / "02" / "14" / "index.html").is_file()

    # hostile text is shown, never run: no element, handler or link of its own
    for item in hostile_items(HOSTILE):
        page = (site / "papers" / item["paper"]["id"] / "index.html").read_text(encoding="utf-8")
        assert "Hostile" in page
        assert hostile_markup(page) == []

    # the last (manual) day is on the home page, its day page, its tag pages and the feed
    last = day_items(DAYS[-1])
    home = (site / "index.html").read_text(encoding="utf-8")
    day_page = (site / "archive" / "2026" / "03" / "30" / "index.html").read_text(encoding="utf-8")
    for item in last:
        assert f"papers/{item['paper']['id']}/" in home and f"papers/{item['paper']['id']}/" in day_page
        assert item["paper"]["id"] in (site / "feed.xml").read_text(encoding="utf-8")

    # every address ever published answers over HTTP, under the site's subpath
    server, url = serve(site)
    try:
        urls = sorted(
            url + (rel.removesuffix("index.html") if rel.endswith("index.html") else rel) for rel in published
        )
        failing = [u for u in urls if answers(u) != 200]
    finally:
        server.shutdown()
    assert failing == [], failing[:10]
