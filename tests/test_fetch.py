"""``paper-archive fetch`` against a real HTTP server on 127.0.0.1.

The server replays recorded API answers (tests/fixtures/api/, byte copies of two
days of the shared data set) and, per test, a script of faults served first.
Retry waits go to a fake clock, so backoff is asserted exactly and costs no time;
only the timeout tests really wait (a fraction of a second per attempt).
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from generator import fetch, write
from generator.cli import EXIT_NOTHING_NEW, main
from generator.fetch import RetryPolicy, parse_retry_after

API_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "api"
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "hf-daily-papers"
TWO = "2024-09-03"  # two papers
ONE = "2025-07-07"  # one paper
TIMEOUT = 0.3
TRICKLE = 0.05


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering: longer than TIMEOUT is a timeout
    length: int | None = None  # a Content-Length that lies: the body is cut short
    trickle: str = ""  # "headers" or "body": that part comes a byte at a time, never ending


class FakeApi(http.server.ThreadingHTTPServer):
    """Serves ``script`` replies first, then the day named by ``?date=``: from ``days``, else recorded.

    A day neither in ``days`` nor recorded gets ``otherwise``, by default a 404.
    """

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.script: list[Reply] = []
        self.days: dict[str, Reply] = {}
        self.otherwise = Reply(404, b'{"error":"not found"}')
        self.requests: list[tuple[str, str]] = []  # (path with query, User-Agent)
        self.released = threading.Event()  # ends any pending delay at teardown

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/api/daily_papers"

    def next_reply(self, path: str) -> Reply:
        if self.script:
            return self.script.pop(0)
        day = parse_qs(urlsplit(path).query).get("date", [""])[0]
        if day in self.days:
            return self.days[day]
        recorded = API_FIXTURES / f"{day}.json"
        if not recorded.is_file():
            return self.otherwise
        return Reply(body=recorded.read_bytes(), headers={"Content-Type": "application/json; charset=utf-8"})


class _Handler(http.server.BaseHTTPRequestHandler):
    server: FakeApi

    def do_GET(self) -> None:  # the stdlib's name
        self.server.requests.append((self.path, self.headers.get("User-Agent", "")))
        reply = self.server.next_reply(self.path)
        if reply.delay and self.server.released.wait(reply.delay):
            return
        if reply.trickle:
            self._trickle(reply.trickle)
            return
        try:
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(reply.length or len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)
        except OSError:
            pass  # the client gave up first

    def _trickle(self, part: str) -> None:
        """A byte every TRICKLE seconds, well within each read's timeout, until the client
        hangs up (or the test ends)."""
        self.wfile.write(b"HTTP/1.1 200 OK\r\n")
        if part == "body":
            self.wfile.write(b"Content-Type: application/json\r\nContent-Length: 1000000\r\n\r\n[")
        else:
            self.wfile.write(b"X-Slow: ")
        try:
            while not self.server.released.wait(TRICKLE):
                self.wfile.write(b" ")
                self.wfile.flush()
        except OSError:
            pass  # the client gave up: what the test wants

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeApi]:
    monkeypatch.setenv("no_proxy", "127.0.0.1")  # never route the test's requests via a proxy
    server = FakeApi()
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.released.set()
        server.shutdown()
        server.server_close()
        thread.join()


class FakeClock:
    """Time that passes only when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """Fast retries for every fetch: timeouts of TIMEOUT, waits recorded, half-window jitter."""
    fake = FakeClock()
    policy = RetryPolicy(
        attempts=5, total_seconds=120, timeout=TIMEOUT, base_delay=1, max_delay=30,
        sleep=fake.sleep, clock=fake, jitter=lambda: 0.5,
    )  # fmt: skip
    monkeypatch.setattr(fetch, "RETRY", policy)
    return fake


@pytest.fixture
def content(tmp_path: Path) -> Path:
    (tmp_path / "content" / "digests").mkdir(parents=True)
    return tmp_path / "content"


def recorded(day: str) -> bytes:
    return (API_FIXTURES / f"{day}.json").read_bytes()


def only_first_paper(day: str) -> bytes:
    return (json.dumps(json.loads(recorded(day))[:1], indent=2) + "\n").encode()


def fetch_cli(api: FakeApi, content: Path, day: str, *extra: str) -> int:
    return main(["fetch", "--date", day, "--content", str(content), "--api-url", api.url, *extra])


def files(content: Path) -> list[str]:
    """Everything in the digests folder, hidden temp files included."""
    return sorted(p.name for p in (content / "digests").iterdir())


# --- success and nothing new -------------------------------------------------------------


def test_fetch_writes_the_days_digest_byte_for_byte(api, clock, content, capsys):
    assert fetch_cli(api, content, TWO) == 0
    target = content / "digests" / f"{TWO}.json"
    assert capsys.readouterr().out == f"Wrote {target} (2 papers)\n"
    assert target.read_bytes() == recorded(TWO)
    assert files(content) == [f"{TWO}.json"]
    [(path, agent)] = api.requests
    assert path == f"/api/daily_papers?date={TWO}"
    assert agent.startswith("paper-archive/")
    assert clock.sleeps == []


def test_fetch_creates_the_digests_folder_of_a_content_folder(api, clock, tmp_path, capsys):
    content = tmp_path / "fresh"
    content.mkdir()
    assert fetch_cli(api, content, ONE) == 0
    assert capsys.readouterr().out == f"Wrote {content / 'digests' / ONE}.json (1 paper)\n"
    assert files(content) == [f"{ONE}.json"]


@pytest.mark.parametrize("missing", [False, True])
def test_fetch_without_a_content_folder_makes_none(api, clock, tmp_path, capsys, missing: bool):
    content = tmp_path / "content"
    status = fetch_missing(api, content, ONE) if missing else fetch_cli(api, content, ONE)
    assert (status, capsys.readouterr().err) == (
        1,
        f"Error: {content}: no content folder here; run from your archive or pass --content\n",
    )
    assert not content.exists() and api.requests == []


def test_fetch_same_list_again_is_nothing_new(api, clock, content, capsys):
    assert fetch_cli(api, content, TWO) == 0
    capsys.readouterr()
    assert fetch_cli(api, content, TWO) == EXIT_NOTHING_NEW == 3
    target = content / "digests" / f"{TWO}.json"
    assert capsys.readouterr().out == f"Nothing new: {target} already holds these 2 papers\n"
    assert files(content) == [f"{TWO}.json"]


def test_fetch_same_papers_reformatted_is_nothing_new(api, clock, content, capsys):
    target = content / "digests" / f"{TWO}.json"
    target.write_bytes(recorded(TWO))
    api.script.append(Reply(body=json.dumps(json.loads(recorded(TWO))).encode()))
    assert fetch_cli(api, content, TWO) == EXIT_NOTHING_NEW
    assert target.read_bytes() == recorded(TWO)


def test_fetch_empty_list_writes_nothing(api, clock, content, capsys):
    api.script.append(Reply(body=b"[]"))
    assert fetch_cli(api, content, "2025-07-05") == EXIT_NOTHING_NEW
    assert capsys.readouterr().out == "Nothing new: the API lists no papers for 2025-07-05\n"
    assert files(content) == []


def test_fetch_defaults_to_today_in_utc(api, clock, content, capsys):
    api.script.append(Reply(body=b"[]"))
    before = datetime.now(UTC).date()
    assert main(["fetch", "--content", str(content), "--api-url", api.url]) == EXIT_NOTHING_NEW
    after = datetime.now(UTC).date()
    [(path, _)] = api.requests
    assert path in {f"/api/daily_papers?date={d.isoformat()}" for d in (before, after)}


# --- --missing: back-fill every day since the newest digest -------------------------------


def paper_on(day: str) -> bytes:
    """The recorded one-paper answer of ONE, as the API would list it on ``day``."""
    return recorded(ONE).replace(
        f'"submittedOnDailyAt": "{ONE}'.encode(), f'"submittedOnDailyAt": "{day}'.encode()
    )


def fetch_missing(api: FakeApi, content: Path, until: str, *extra: str) -> int:
    return main(
        ["fetch", "--missing", "--until", until, "--content", str(content), "--api-url", api.url, *extra]
    )


def requested(api: FakeApi) -> list[str]:
    return [parse_qs(urlsplit(path).query)["date"][0] for path, _ in api.requests]


def test_paper_on_moves_the_recorded_paper_to_another_day():
    assert paper_on("2025-07-04") != recorded(ONE)
    assert paper_on(ONE) == recorded(ONE)


def test_fetch_missing_fills_every_day_since_the_newest_digest(api, clock, content, capsys):
    """Thursday is stored; Friday has papers, the weekend none, Monday is the recorded day."""
    (content / "digests" / "2025-07-02.txt").write_text("older digests do not matter\n")
    (content / "digests" / "2025-07-03.json").write_bytes(paper_on("2025-07-03"))
    api.days = {"2025-07-04": Reply(body=paper_on("2025-07-04")), "2025-07-05": Reply(body=b"[]")}
    api.otherwise = Reply(body=b"[]")
    assert fetch_missing(api, content, ONE) == 0
    folder = content / "digests"
    assert capsys.readouterr().out == (
        f"Wrote {folder / '2025-07-04.json'} (1 paper)\n"
        "Nothing new: the API lists no papers for 2025-07-05\n"
        "Nothing new: the API lists no papers for 2025-07-06\n"
        f"Wrote {folder / '2025-07-07.json'} (1 paper)\n"
    )
    assert requested(api) == ["2025-07-04", "2025-07-05", "2025-07-06", ONE]  # oldest first
    assert files(content) == ["2025-07-02.txt", "2025-07-03.json", "2025-07-04.json", f"{ONE}.json"]
    assert (folder / f"{ONE}.json").read_bytes() == recorded(ONE)
    assert clock.sleeps == []


def test_fetch_missing_only_an_empty_weekend_is_nothing_new(api, clock, content, capsys):
    (content / "digests" / "2025-07-04.json").write_bytes(paper_on("2025-07-04"))
    api.otherwise = Reply(body=b"[]")
    assert fetch_missing(api, content, "2025-07-06") == EXIT_NOTHING_NEW
    assert capsys.readouterr().out == (
        "Nothing new: the API lists no papers for 2025-07-05\n"
        "Nothing new: the API lists no papers for 2025-07-06\n"
    )
    assert files(content) == ["2025-07-04.json"]


def test_fetch_missing_with_every_day_stored_asks_nothing(api, clock, content, capsys):
    (content / "digests" / f"{ONE}.json").write_bytes(recorded(ONE))
    for until in ("2025-07-06", ONE):  # a digest newer than --until is fine too
        assert fetch_missing(api, content, until) == EXIT_NOTHING_NEW
        assert capsys.readouterr().out == (
            f"Nothing new: no day up to {until} is missing from {content / 'digests'}\n"
        )
    assert api.requests == []


def test_fetch_missing_goes_back_14_days_at_most(api, clock, content, capsys):
    (content / "digests" / "2025-06-01.json").write_bytes(b"[]")
    api.otherwise = Reply(body=b"[]")
    assert fetch_missing(api, content, ONE) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        "Not fetching 22 days from 2025-06-02 to 2025-06-23: --missing goes back 14 days at most; "
        "fetch them with --date YYYY-MM-DD"
    )
    assert requested(api) == [f"2025-06-{d}" for d in range(24, 31)] + [f"2025-07-0{d}" for d in range(1, 8)]
    assert len(out) == 1 + 14
    assert files(content) == ["2025-06-01.json", f"{ONE}.json"]


def test_a_gap_longer_than_14_days_is_filled_by_fetch_date_and_stays_filled(api, clock, content, capsys):
    """The README's long gap: --missing fetches the last 14 days and names the older ones;
    each of those fetched with --date takes its place, and --missing asks for none again."""
    (content / "digests" / "2025-06-01.json").write_bytes(paper_on("2025-06-01"))
    api.otherwise = Reply(body=b"[]")
    api.days = {"2025-06-10": Reply(body=paper_on("2025-06-10"))}
    assert fetch_missing(api, content, ONE) == 0  # ONE is recorded: the newest digest now
    assert (
        capsys.readouterr()
        .out.splitlines()[0]
        .startswith("Not fetching 22 days from 2025-06-02 to 2025-06-23")
    )
    assert fetch_cli(api, content, "2025-06-10") == 0
    assert capsys.readouterr().out == f"Wrote {content / 'digests' / '2025-06-10'}.json (1 paper)\n"
    api.requests.clear()
    assert fetch_missing(api, content, ONE) == EXIT_NOTHING_NEW
    assert api.requests == []
    assert files(content) == ["2025-06-01.json", "2025-06-10.json", f"{ONE}.json"]


def test_fetch_missing_max_days_sets_the_bound(api, clock, content, capsys):
    (content / "digests" / "2025-07-01.json").write_bytes(b"[]")
    api.otherwise = Reply(body=b"[]")
    assert fetch_missing(api, content, ONE, "--max-days", "1") == 0
    assert capsys.readouterr().out == (
        "Not fetching 5 days from 2025-07-02 to 2025-07-06: --missing goes back 1 day at most; "
        "fetch them with --date YYYY-MM-DD\n"
        f"Wrote {content / 'digests' / ONE}.json (1 paper)\n"
    )
    assert requested(api) == [ONE]


def test_fetch_missing_with_no_digest_fetches_the_last_14_days(api, clock, tmp_path, capsys):
    content = tmp_path / "fresh"
    content.mkdir()
    api.otherwise = Reply(body=b"[]")
    assert fetch_missing(api, content, ONE) == 0
    assert requested(api)[0] == "2025-06-24"
    assert len(api.requests) == 14
    assert files(content) == [f"{ONE}.json"]


def test_fetch_missing_defaults_to_yesterday_in_utc(api, clock, content, capsys):
    api.otherwise = Reply(body=b"[]")
    before = datetime.now(UTC).date()
    assert (
        main(["fetch", "--missing", "--max-days", "1", "--content", str(content), "--api-url", api.url]) == 3
    )
    after = datetime.now(UTC).date()
    assert requested(api)[0] in {(d - timedelta(days=1)).isoformat() for d in (before, after)}


def test_fetch_missing_stops_at_a_failed_day_so_the_next_run_retries_it(api, clock, content, capsys):
    """The days before the failure are stored; none after it, or the next run would skip it."""
    (content / "digests" / "2025-07-03.json").write_bytes(paper_on("2025-07-03"))
    api.days = {"2025-07-04": Reply(body=paper_on("2025-07-04")), "2025-07-05": Reply(403, b"no")}
    api.otherwise = Reply(body=b"[]")
    assert fetch_missing(api, content, ONE) == 1
    captured = capsys.readouterr()
    assert captured.out == (
        f"Wrote {content / 'digests' / '2025-07-04.json'} (1 paper)\n"
        "Stopped at 2025-07-05: the days after it are left for the next run\n"
    )
    assert captured.err == (
        f"Error: {api.url}?date=2025-07-05: HTTP 403 Forbidden (not retried): check --api-url and --date\n"
    )
    assert requested(api) == ["2025-07-04", "2025-07-05"]
    assert files(content) == ["2025-07-03.json", "2025-07-04.json"]

    api.days["2025-07-05"] = Reply(body=b"[]")  # the API is back: the next run heals
    assert fetch_missing(api, content, ONE) == 0
    assert requested(api)[2:] == ["2025-07-05", "2025-07-06", ONE]
    assert files(content) == ["2025-07-03.json", "2025-07-04.json", f"{ONE}.json"]


def test_fetch_missing_retries_a_transient_failure_like_one_day(api, clock, content, capsys):
    (content / "digests" / "2025-07-06.json").write_bytes(b"[]")
    api.script.append(Reply(503))
    assert fetch_missing(api, content, ONE) == 0
    assert clock.sleeps == [0.5]
    assert requested(api) == [ONE, ONE]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--until", ONE], "Error: --until: only makes sense with --missing\n"),
        (["--date", ONE, "--max-days", "3"], "Error: --max-days: only makes sense with --missing\n"),
        (
            ["--missing", "--force"],
            "Error: --force: only makes sense with --date: --missing never replaces a stored digest\n",
        ),
        (["--missing", "--max-days", "0"], "Error: --max-days: must be 1 or more, not 0\n"),
    ],
)
def test_fetch_missing_option_misuse_is_a_clean_error(api, clock, content, capsys, args, message):
    assert main(["fetch", *args, "--content", str(content), "--api-url", api.url]) == 1
    assert capsys.readouterr().err == message
    assert api.requests == []


def test_fetch_help_explains_missing(capsys):
    with pytest.raises(SystemExit):
        main(["fetch", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "with --missing, every day after the newest stored digest up to yesterday (UTC)" in out
    assert "Example: paper-archive fetch --date 2025-12-31, or paper-archive fetch --missing" in out


def test_fetch_missing_and_date_are_exclusive(content, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["fetch", "--missing", "--date", ONE, "--content", str(content)])
    assert exit_.value.code == 2
    assert "argument --date: not allowed with argument --missing" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("stored", "until", "max_days", "days", "skipped"),
    [
        ([], "2025-07-07", 2, ["2025-07-06", "2025-07-07"], []),
        (["2025-07-01", "2025-07-05"], "2025-07-07", 14, ["2025-07-06", "2025-07-07"], []),
        (["2025-07-07"], "2025-07-07", 14, [], []),
        (["2025-07-09"], "2025-07-07", 14, [], []),
        (["2025-07-03"], "2025-07-07", 2, ["2025-07-06", "2025-07-07"], ["2025-07-04", "2025-07-05"]),
        (["2025-07-05"], "2025-07-07", 2, ["2025-07-06", "2025-07-07"], []),
    ],
)
def test_missing_days_bounded_window(stored, until, max_days, days, skipped):
    def as_days(texts: list[str]) -> list[date]:
        return [date.fromisoformat(t) for t in texts]

    assert fetch.missing_days(as_days(stored), date.fromisoformat(until), max_days) == (
        as_days(days),
        as_days(skipped),
    )


# --- replacing a stored digest -----------------------------------------------------------


def test_fetch_shorter_list_is_refused_without_force(api, clock, content, capsys):
    target = content / "digests" / f"{TWO}.json"
    target.write_bytes(recorded(TWO))
    api.script.append(Reply(body=only_first_paper(TWO)))
    assert fetch_cli(api, content, TWO) == 1
    assert capsys.readouterr().err == (
        f"Error: {target}: the API now lists 1 paper for {TWO} but the stored digest has 2: "
        "kept it; use --force to replace it with the shorter list\n"
    )
    assert target.read_bytes() == recorded(TWO)
    assert files(content) == [f"{TWO}.json"]


def test_fetch_shorter_list_replaces_with_force(api, clock, content, capsys):
    target = content / "digests" / f"{TWO}.json"
    target.write_bytes(recorded(TWO))
    api.script.append(Reply(body=only_first_paper(TWO)))
    assert fetch_cli(api, content, TWO, "--force") == 0
    assert capsys.readouterr().out == f"Wrote {target} (1 paper)\n"
    assert target.read_bytes() == only_first_paper(TWO)
    assert files(content) == [f"{TWO}.json"]


def test_fetch_longer_list_replaces_the_stored_one(api, clock, content, capsys):
    target = content / "digests" / f"{TWO}.json"
    target.write_bytes(only_first_paper(TWO))
    assert fetch_cli(api, content, TWO) == 0
    assert capsys.readouterr().out == f"Wrote {target} (2 papers)\n"
    assert target.read_bytes() == recorded(TWO)


def test_fetch_same_size_different_list_replaces_the_stored_one(api, clock, content, capsys):
    target = content / "digests" / f"{TWO}.json"
    items = json.loads(recorded(TWO))
    items[0]["paper"]["upvotes"] = 1
    target.write_bytes(json.dumps(items).encode())
    assert fetch_cli(api, content, TWO) == 0
    assert target.read_bytes() == recorded(TWO)


def test_fetch_refuses_a_day_with_a_text_digest(api, clock, content, capsys):
    text_digest = content / "digests" / f"{ONE}.txt"
    text_digest.write_text("a text copy of the papers page\n")
    assert fetch_cli(api, content, ONE) == 1
    assert capsys.readouterr().err == (
        f"Error: {text_digest}: a digest for {ONE} is already stored (one digest per day): "
        "remove it first to fetch the API's list instead\n"
    )
    assert api.requests == []
    assert files(content) == [f"{ONE}.txt"]


# --- invalid answers: located, naming the URL, nothing written -------------------------


def test_fetch_truncated_json_is_a_located_error(api, clock, content, capsys):
    body = recorded(ONE)
    api.script.append(Reply(body=body[: len(body) // 2]))
    assert fetch_cli(api, content, ONE) == 1
    assert capsys.readouterr().err == (
        f"Error: {api.url}?date={ONE}:41: invalid JSON: Unterminated string starting at\n"
    )
    assert files(content) == []
    assert clock.sleeps == []  # a broken answer is reported, not retried


def test_fetch_html_error_page_is_a_located_error(api, clock, content, capsys):
    page = b"<!DOCTYPE html>\n<html><head><title>Hugging Face</title></head><body>Oops</body></html>\n"
    api.script.append(Reply(body=page, headers={"Content-Type": "text/html"}))
    assert fetch_cli(api, content, ONE) == 1
    assert capsys.readouterr().err == (
        f"Error: {api.url}?date={ONE}:1: the API answered an HTML page, not JSON: "
        "expected a JSON array of paper items\n"
    )
    assert files(content) == []


def test_fetch_json_object_is_a_located_error(api, clock, content, capsys):
    api.script.append(Reply(body=b'{"error": "Invalid date"}'))
    assert fetch_cli(api, content, ONE) == 1
    assert capsys.readouterr().err == (
        f"Error: {api.url}?date={ONE}:1: expected a JSON array of paper items "
        "(the daily papers API's answer), found an object\n"
    )
    assert files(content) == []


def test_fetch_reports_every_bad_item(api, clock, content, capsys):
    api.script.append(Reply(body=b'[\n1,\n{"paper": {}}\n]'))
    assert fetch_cli(api, content, ONE) == 1
    assert capsys.readouterr().err == (
        f"Error: {api.url}?date={ONE}:2: expected a paper item (a JSON object), found 1\n"
        f"Error: {api.url}?date={ONE}:3: paper item without a title or summary (the abstract)\n"
    )
    assert files(content) == []


def test_fetch_client_error_is_not_retried(api, clock, content, capsys):
    assert fetch_cli(api, content, "2025-07-06") == 1  # no recorded day: 404
    assert capsys.readouterr().err == (
        f"Error: {api.url}?date=2025-07-06: HTTP 404 Not Found (not retried): check --api-url and --date\n"
    )
    assert len(api.requests) == 1
    assert files(content) == []


def test_fetch_rejects_a_non_http_api_url(clock, content, capsys):
    assert main(["fetch", "--date", ONE, "--content", str(content), "--api-url", "file:///etc/passwd"]) == 1
    assert (
        capsys.readouterr().err
        == "Error: file:///etc/passwd: the API URL must start with http:// or https://\n"
    )


# --- transient faults: retried with backoff, bounded -------------------------------------


def test_fetch_429_waits_as_retry_after_says(api, clock, content, capsys):
    api.script.append(Reply(429, b"slow down", {"Retry-After": "7"}))
    assert fetch_cli(api, content, ONE) == 0
    assert clock.sleeps == [7]
    assert len(api.requests) == 2
    assert files(content) == [f"{ONE}.json"]


def test_fetch_429_retry_after_date_is_capped(api, clock, content, capsys):
    later = format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True)
    api.script.append(Reply(429, b"slow down", {"Retry-After": later}))
    assert fetch_cli(api, content, ONE) == 0
    assert clock.sleeps == [30]  # max_delay, not an hour


def test_fetch_500_then_success(api, clock, content, capsys):
    api.script.append(Reply(500, b"<html>Internal Server Error</html>", {"Content-Type": "text/html"}))
    assert fetch_cli(api, content, ONE) == 0
    assert capsys.readouterr().out == f"Wrote {content / 'digests' / ONE}.json (1 paper)\n"
    assert clock.sleeps == [0.5]  # jitter 0.5 of the first 1 s window
    assert files(content) == [f"{ONE}.json"]


def test_fetch_gives_up_after_the_attempt_limit(api, clock, content, capsys):
    api.script.extend(Reply(503, b"busy") for _ in range(5))
    assert fetch_cli(api, content, ONE) == 1
    assert capsys.readouterr().err == (
        f"Error: {api.url}?date={ONE}: gave up after 5 attempts in 7.5 s: "
        "last error: HTTP 503 Service Unavailable\n"
    )
    assert clock.sleeps == [0.5, 1, 2, 4]  # exponential windows, full jitter
    assert len(api.requests) == 5
    assert files(content) == []


def test_fetch_gives_up_at_the_time_limit(api, clock, content, capsys, monkeypatch):
    monkeypatch.setattr(fetch, "RETRY", replace(fetch.RETRY, total_seconds=3))
    api.script.extend(Reply(502, b"bad gateway") for _ in range(5))
    assert fetch_cli(api, content, ONE) == 1
    assert capsys.readouterr().err == (
        f"Error: {api.url}?date={ONE}: gave up after 3 attempts in 1.5 s: last error: HTTP 502 Bad Gateway\n"
    )
    assert files(content) == []


def test_fetch_connection_cut_mid_answer_is_retried(api, clock, content, capsys):
    body = recorded(ONE)
    api.script.append(Reply(body=body[:100], length=len(body)))
    assert fetch_cli(api, content, ONE) == 0
    assert len(api.requests) == 2
    assert (content / "digests" / f"{ONE}.json").read_bytes() == body


def test_fetch_timeout_then_success(api, clock, content, capsys):
    api.script.append(Reply(delay=5))
    assert fetch_cli(api, content, ONE) == 0
    assert len(api.requests) == 2
    assert files(content) == [f"{ONE}.json"]


def test_fetch_gives_up_on_repeated_timeouts(api, clock, content, capsys, monkeypatch):
    monkeypatch.setattr(fetch, "RETRY", replace(fetch.RETRY, attempts=2))
    api.script.extend(Reply(delay=5) for _ in range(2))
    assert fetch_cli(api, content, ONE) == 1
    assert capsys.readouterr().err == (
        f"Error: {api.url}?date={ONE}: gave up after 2 attempts in 0.5 s: "
        f"last error: no answer within {TIMEOUT} s\n"
    )
    assert files(content) == []


def test_fetch_gives_up_when_nothing_listens(clock, content, capsys, monkeypatch):
    monkeypatch.setattr(fetch, "RETRY", replace(fetch.RETRY, attempts=2))
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    closed = FakeApi()
    url = closed.url
    closed.server_close()
    assert main(["fetch", "--date", ONE, "--content", str(content), "--api-url", url]) == 1
    err = capsys.readouterr().err
    expected = f"Error: {url}?date={ONE}: gave up after 2 attempts in 0.5 s: last error: cannot connect: "
    assert err.startswith(expected)
    assert files(content) == []


# --- nothing half-written ----------------------------------------------------------------


def test_fetch_failed_write_leaves_the_old_digest_and_no_temp_file(api, clock, content, capsys, monkeypatch):
    target = content / "digests" / f"{TWO}.json"
    target.write_bytes(only_first_paper(TWO))

    def full_disk(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(write.os, "replace", full_disk)
    assert fetch_cli(api, content, TWO) == 1
    assert capsys.readouterr().err == f"Error: {target}: cannot write the digest: No space left on device\n"
    assert target.read_bytes() == only_first_paper(TWO)
    assert files(content) == [f"{TWO}.json"]


# --- units ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        (None, None),
        ("", None),
        ("12", 12.0),
        (" 0 ", 0.0),
        ("Wed, 21 Oct 2015 07:28:30 GMT", 30.0),
        ("Wed, 21 Oct 2015 07:27:00 GMT", 0.0),  # already past
        ("soon", None),
        ("-5", None),
    ],
)
def test_parse_retry_after_seconds_or_http_date(header, seconds):
    now = datetime(2015, 10, 21, 7, 28, tzinfo=UTC)
    assert parse_retry_after(header, now) == seconds


def test_api_fixtures_are_byte_copies_of_the_shared_data():
    if not SHARED_DATA.is_dir():
        pytest.skip(f"the shared data set is not beside the checkout ({SHARED_DATA})")
    for day in (ONE, TWO):
        assert recorded(day) == (SHARED_DATA / f"{day}.json").read_bytes()
        assert len(json.loads(recorded(day))) == {ONE: 1, TWO: 2}[day]
        assert date.fromisoformat(day)


# --- hostile servers and answers (issue: hangs, limits) --------------------------------------


def fetch_within(seconds: float, *args: object) -> int:
    """``fetch_cli(*args)`` in a thread: its status, or a failure if it is still running
    after ``seconds`` (a bound far above the deadline, so that a hang fails the test)."""
    result: list[int] = []
    thread = threading.Thread(target=lambda: result.append(fetch_cli(*args)), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"fetch still running after {seconds} s"
    return result[0]


@pytest.mark.parametrize("part", ["headers", "body"])
def test_fetch_a_server_trickling_bytes_meets_one_deadline_per_request(api, clock, content, capsys, part):
    """A byte every 0.05 s never lets a 0.3 s read time out; before, the whole answer had
    no deadline and fetch ran past 240 s against a server sending a byte every 5 s."""
    api.script.extend(Reply(trickle=part) for _ in range(2))
    assert fetch_within(30, api, content, ONE) == 0  # the third request gets the answer
    assert len(api.requests) == 3
    assert clock.sleeps == [0.5, 1]
    assert files(content) == [f"{ONE}.json"]


def test_fetch_gives_up_on_a_trickling_server_with_the_deadline_named(
    api, clock, content, capsys, monkeypatch
):
    monkeypatch.setattr(fetch, "RETRY", replace(fetch.RETRY, attempts=2))
    api.script.extend(Reply(trickle="body") for _ in range(2))
    assert fetch_within(30, api, content, ONE) == 1
    assert capsys.readouterr().err == (
        f"Error: {api.url}?date={ONE}: gave up after 2 attempts in 0.5 s: last error: no answer within {TIMEOUT} s\n"
    )
    assert files(content) == []


def test_fetch_refuses_an_answer_over_the_digest_limit_as_the_build_would(api, clock, content, capsys):
    """Before, a valid 24 MB answer was stored with exit 0, and every build then failed on
    the 20 MB limit for one digest."""
    from generator.readers import MAX_DIGEST_BYTES

    body = recorded(ONE).rstrip()
    api.days[ONE] = Reply(body=body[:-1] + b" " * MAX_DIGEST_BYTES + b"]")  # valid JSON, padded
    assert fetch_cli(api, content, ONE) == 1
    assert capsys.readouterr().err == (
        f"Error: {api.url}?date={ONE}:1: digest is over the 20 MB limit for one day "
        "(a real day's digest is under 1 MB): is this the right file?\n"
    )
    assert files(content) == []


def test_fetch_refuses_items_of_another_day_as_add_does(api, clock, content, capsys):
    api.days["2025-07-08"] = Reply(body=recorded(ONE))  # its item says 2025-07-07
    assert fetch_cli(api, content, "2025-07-08") == 1
    line = recorded(ONE)[: recorded(ONE).index(b'"paper"')].count(b"\n")  # the item's first line
    assert capsys.readouterr().err == (
        f"Error: {api.url}?date=2025-07-08:{line}: this item was featured on 2025-07-07 "
        "(paper.submittedOnDailyAt, as on 1 of the 1 dated items) but the request says 2025-07-08: "
        "check --api-url or give --date 2025-07-07\n"
    )
    assert files(content) == []


def test_fetch_removes_a_killed_fetchs_temp_file_which_git_ignores(api, clock, content, capsys, tmp_path):
    """A fetch killed while writing leaves its temporary file in the digests folder (as a
    killed ``write_bytes_atomic`` does): git ignores it, and the next fetch removes it."""
    import subprocess
    import tempfile

    from tests.conftest import ROOT

    fd, name = tempfile.mkstemp(prefix=f".{ONE}.json.", suffix=".tmp", dir=content / "digests")
    os.write(fd, recorded(ONE)[:100])
    os.close(fd)
    shutil.copy(ROOT / ".gitignore", tmp_path / ".gitignore")
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "content/digests"], check=True)
    assert subprocess.run(
        [*git, "status", "--porcelain"], check=True, capture_output=True, text=True
    ).stdout == ("?? .gitignore\n")
    assert files(content) == [Path(name).name]

    assert fetch_cli(api, content, ONE) == 0
    assert files(content) == [f"{ONE}.json"]


@pytest.mark.parametrize(
    "location",
    [
        "http://127.0.0.1:{port}/api/daily_papers?date={day}",
        "https://example.org/api/daily_papers?date={day}",
    ],
    ids=["to http", "to another host"],
)
def test_fetch_follows_redirects_only_to_https_on_the_api_host(api, clock, content, capsys, location):
    """Before, any redirect was followed, to plain http too."""
    target = location.format(port=api.server_address[1], day=ONE)
    api.script.append(Reply(302, headers={"Location": target}))
    assert fetch_cli(api, content, ONE) == 1
    assert capsys.readouterr().err == (
        f"Error: {api.url}?date={ONE}: HTTP 302: the API redirects to {target}, which fetch does not "
        "follow: only https addresses on 127.0.0.1 are followed; check --api-url\n"
    )
    assert len(api.requests) == 1
    assert files(content) == []


def test_redirects_to_https_on_the_same_host_are_followed():
    import io
    import urllib.request

    from generator.fetch import _Redirects

    request = urllib.request.Request("https://huggingface.co/api/daily_papers?date=2025-07-07")
    followed = _Redirects("huggingface.co").redirect_request(
        request, io.BytesIO(), 301, "Moved", {}, "https://huggingface.co/api/v2/daily_papers?date=2025-07-07"
    )
    assert followed.full_url == "https://huggingface.co/api/v2/daily_papers?date=2025-07-07"
