"""``paper-archive fetch`` against a real HTTP server on 127.0.0.1.

The server replays recorded API answers (tests/fixtures/api/, byte copies of two
days of the shared data set) and, per test, a script of faults served first.
Retry waits go to a fake clock, so backoff is asserted exactly and costs no time;
only the timeout tests really wait (a fraction of a second per attempt).
"""

from __future__ import annotations

import http.server
import json
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


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering: longer than TIMEOUT is a timeout
    length: int | None = None  # a Content-Length that lies: the body is cut short


class FakeApi(http.server.ThreadingHTTPServer):
    """Serves ``script`` replies first, then the recorded day named by ``?date=``."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.script: list[Reply] = []
        self.requests: list[tuple[str, str]] = []  # (path with query, User-Agent)
        self.released = threading.Event()  # ends any pending delay at teardown

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/api/daily_papers"

    def next_reply(self, path: str) -> Reply:
        if self.script:
            return self.script.pop(0)
        day = parse_qs(urlsplit(path).query).get("date", [""])[0]
        recorded = API_FIXTURES / f"{day}.json"
        if not recorded.is_file():
            return Reply(404, b'{"error":"not found"}')
        return Reply(body=recorded.read_bytes(), headers={"Content-Type": "application/json; charset=utf-8"})


class _Handler(http.server.BaseHTTPRequestHandler):
    server: FakeApi

    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        self.server.requests.append((self.path, self.headers.get("User-Agent", "")))
        reply = self.server.next_reply(self.path)
        if reply.delay and self.server.released.wait(reply.delay):
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


def test_fetch_creates_the_digests_folder(api, clock, tmp_path, capsys):
    content = tmp_path / "fresh"
    assert fetch_cli(api, content, ONE) == 0
    assert capsys.readouterr().out == f"Wrote {content / 'digests' / ONE}.json (1 paper)\n"
    assert files(content) == [f"{ONE}.json"]


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
