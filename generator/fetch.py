"""``paper-archive fetch``: days of the daily papers API -> ``content/digests/DATE.json``.

Takes a day (or, with ``--missing``, every day after the newest stored digest up to
yesterday, at most ``MAX_MISSING_DAYS`` of them) and the API endpoint; downloads
``{api_url}?date=DAY`` with bounded retries (each request within one deadline, redirects
followed only to https on the API's host), validates the answer exactly as ``add``
validates a digest (``check_new_digest``), and stores the response bytes atomically. Returns how many digests were
written; what happens on the way is told to a ``say`` callback (the command line
prints it); user-fixable problems raise ``ContentError``. Whatever happens, no
partial file is left behind; the temporary file of a fetch killed mid-write is
git-ignored and removed by the next fetch.
"""

from __future__ import annotations

import http.client
import random
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

from generator.add import DAY_FROM_REQUEST, check_new_digest
from generator.content import digests_dir
from generator.errors import ContentError, ContentErrors, require_content_dir
from generator.model import Digest, DigestFormat, SourceRef
from generator.readers import MAX_DIGEST_BYTES, decode_digest, detect_format, parse_digest, parse_digest_name
from generator.text import counted
from generator.write import remove_temp_files, write_bytes_atomic

USER_AGENT = "paper-archive/0.1 (static archive of the Hugging Face Daily Papers)"
# How far back --missing reaches: a scheduled run missed for a few days heals on the next
# one, while a long-dead archive does not wake up to hundreds of requests.
MAX_MISSING_DAYS = 14


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How hard to try: bounded in attempts and in total time, waits capped."""

    attempts: int = 5
    total_seconds: float = 120.0
    timeout: float = 30.0  # for a whole request: connection, headers, body
    base_delay: float = 1.0  # the first backoff window; doubles each attempt
    max_delay: float = 30.0  # cap on one wait, Retry-After included
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    jitter: Callable[[], float] = random.random  # in [0, 1): full jitter


RETRY = RetryPolicy()


class _Transient(Exception):
    """A failure worth another try; ``retry_after`` is the server's wish, in seconds."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date); None if absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class _Deadline:
    """One deadline for a whole request, redirects included. When it passes, the sockets
    of the request are shut down, which ends whatever step is waiting on one: the TLS
    handshake, the headers or the body. A socket timeout alone bounds each read, and a
    server sending a byte every few seconds kept a request going for minutes."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._fds: list[int] = []  # file descriptors: TLS takes over the socket object
        self._done = False
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:  # before the sockets close: a file descriptor may be reused after
            self._done = True
        self._timer.cancel()

    def connection(self, connection_class: type[http.client.HTTPConnection]) -> Callable:
        """``connection_class``, its sockets opened under this deadline (for ``do_open``)."""

        def connect(host: str, **kwargs: object) -> http.client.HTTPConnection:
            conn = connection_class(host, **kwargs)  # type: ignore[arg-type]
            conn._create_connection = self._create_connection  # type: ignore[attr-defined]
            return conn

        return connect

    def _create_connection(self, *args: object, **kwargs: object) -> socket.socket:
        sock = socket.create_connection(*args, **kwargs)  # type: ignore[arg-type]
        with self._lock:
            self._fds.append(sock.fileno())
            if self.expired:
                _shut_down(sock.fileno())
        return sock

    def _expire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.expired = True
            for fd in self._fds:
                _shut_down(fd)


def _shut_down(fd: int) -> None:
    """shutdown(2) a connected socket by its descriptor, which stays open (its owner closes it)."""
    try:
        sock = socket.socket(fileno=fd)
    except OSError:
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        sock.detach()


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self._deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._deadline.connection(http.client.HTTPConnection), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self._deadline = deadline

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        connection = self._deadline.connection(http.client.HTTPSConnection)
        return self.do_open(connection, req, context=self._context)  # type: ignore[attr-defined]


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to https on the API URL's own host (see SECURITY.md)."""

    max_redirections = 5

    def __init__(self, host: str | None) -> None:
        super().__init__()
        self._host = host

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        target = urllib.parse.urlsplit(newurl)
        if target.scheme != "https" or target.hostname != self._host:
            fp.close()
            raise ContentError(
                req.full_url,
                f"HTTP {code}: the API redirects to {newurl}, which fetch does not follow: only "
                f"https addresses on {self._host} are followed; check --api-url",
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _request_once(url: str, timeout: float) -> bytes:
    """One GET of ``url``, over within ``timeout`` seconds whatever the server does."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "application/json"})
    late = _Transient(f"no answer within {timeout:g} s")
    with _Deadline(timeout) as deadline:
        opener = urllib.request.build_opener(
            _HTTPHandler(deadline), _HTTPSHandler(deadline), _Redirects(urllib.parse.urlsplit(url).hostname)
        )
        try:
            with opener.open(request, timeout=timeout) as response:
                data = response.read(MAX_DIGEST_BYTES + 1)
                declared = response.headers.get("Content-Length", "")
                if deadline.expired:  # the body read so far ended where the socket was shut down
                    raise late
                if declared.isdigit() and len(data) < int(declared) and len(data) <= MAX_DIGEST_BYTES:
                    # read(amt) returns a cut-short body without complaint; the connection broke
                    raise http.client.IncompleteRead(data, int(declared) - len(data))
        except urllib.error.HTTPError as e:
            status = f"HTTP {e.code} {e.reason}"
            e.close()
            if e.code == 429 or e.code >= 500:
                raise _Transient(status, parse_retry_after(e.headers.get("Retry-After"))) from None
            raise ContentError(url, f"{status} (not retried): check --api-url and --date") from None
        except TimeoutError:
            raise late from None
        except urllib.error.URLError as e:
            if deadline.expired or isinstance(e.reason, TimeoutError):
                raise late from None
            raise _Transient(f"cannot connect: {e.reason}") from None
        except http.client.IncompleteRead as e:
            if deadline.expired:
                raise late from None
            raise _Transient(f"the answer was cut short after {len(e.partial)} bytes") from None
        except (http.client.HTTPException, OSError) as e:  # resets, TLS errors mid-answer...
            if deadline.expired:
                raise late from None
            raise _Transient(f"connection broken: {e or type(e).__name__}") from None
    return data


def download(url: str, policy: RetryPolicy) -> bytes:
    """GET ``url``; retry transient failures with exponential backoff and full jitter."""
    start = policy.clock()
    attempt = 0
    while True:
        attempt += 1
        remaining = policy.total_seconds - (policy.clock() - start)
        try:
            return _request_once(url, max(0.1, min(policy.timeout, remaining)))
        except _Transient as e:
            failure = e
        if failure.retry_after is not None:
            delay = min(failure.retry_after, policy.max_delay)
        else:
            delay = policy.jitter() * min(policy.max_delay, policy.base_delay * 2 ** (attempt - 1))
        elapsed = policy.clock() - start
        if attempt >= policy.attempts or elapsed + delay >= policy.total_seconds:
            raise ContentError(
                url, f"gave up after {attempt} attempts in {elapsed:.1f} s: last error: {failure.reason}"
            )
        policy.sleep(delay)


def _located(url: str, error: ContentError) -> ContentError:
    """The same error, placed in the URL's answer rather than the not-yet-written file."""
    line = error.source.line if isinstance(error.source, SourceRef) else 0
    return ContentError(f"{url}:{line}" if line else url, error.message)


def parse_answer(url: str, target: Path, data: bytes, day: date) -> Digest:
    """Validate the API's answer as ``add`` validates a digest (the build's checks, and the
    items' day); errors name the URL, not the file."""
    try:
        text = decode_digest(target, data)
        if detect_format(text) != DigestFormat.HF_JSON:
            start = text.lstrip()[:15]
            kind = "an HTML page" if start.startswith("<") else f"text starting {start!r}"
            raise ContentError(
                SourceRef(target, 1),
                f"the API answered {kind}, not JSON: expected a JSON array of paper items",
            )
        return check_new_digest(target, data, day, DAY_FROM_REQUEST)
    except ContentErrors as e:
        raise ContentErrors(_located(url, error) for error in e.errors) from None
    except ContentError as e:
        raise _located(url, e) from None


def _papers(n: int) -> str:
    return f"{n} paper" if n == 1 else f"{n} papers"


def _silent(message: str) -> None:
    pass


def fetch_day(
    day: date | None,
    content_dir: Path,
    api_url: str,
    force: bool = False,
    policy: RetryPolicy | None = None,
    say: Callable[[str], None] = _silent,
) -> int:
    """Download, validate and store one day's digest (default: today, UTC); 1 when it was
    written, 0 when there was nothing new."""
    day = day or datetime.now(UTC).date()
    api_url = _checked(api_url)
    require_content_dir(content_dir)
    remove_temp_files(digests_dir(content_dir))  # of a fetch killed mid-write
    return int(_fetch_day(day, content_dir, api_url, force, policy or RETRY, say))


def missing_days(stored: Iterable[date], until: date, max_days: int) -> tuple[list[date], list[date]]:
    """Days after the newest of ``stored`` up to ``until``: (the last ``max_days`` of them, older ones).

    With nothing stored, the last ``max_days`` days up to ``until`` are missing.
    """
    newest = max(stored, default=None)
    first = until - timedelta(days=max_days - 1)
    start = max(first, newest + timedelta(days=1)) if newest else first
    days = [start + timedelta(days=n) for n in range((until - start).days + 1)]
    skipped = [] if newest is None else [newest + timedelta(days=n) for n in range(1, (first - newest).days)]
    return days, skipped


def stored_days(content_dir: Path) -> list[date]:
    """The days of the digests stored in ``content_dir``, by file name as the build reads them."""
    folder = digests_dir(content_dir)
    days: set[date] = set()
    for path in folder.iterdir() if folder.is_dir() else ():
        try:
            days.add(parse_digest_name(path))
        except ContentError:
            continue  # not a digest; `paper-archive check` reports it
    return sorted(days)


def fetch_missing(
    content_dir: Path,
    api_url: str,
    until: date | None = None,
    max_days: int = MAX_MISSING_DAYS,
    policy: RetryPolicy | None = None,
    say: Callable[[str], None] = _silent,
) -> int:
    """Fetch every day after the newest stored digest up to ``until`` (default: yesterday,
    UTC); how many digests were written.

    Oldest first; a day the API lists no papers for (a weekend) is nothing new, not an
    error. A day that fails stops the run there: the days before it are stored, so the
    newest digest stays older than it and the next run starts again from it.
    """
    until = until or datetime.now(UTC).date() - timedelta(days=1)
    api_url = _checked(api_url)
    require_content_dir(content_dir)
    policy = policy or RETRY
    remove_temp_files(digests_dir(content_dir))  # of a fetch killed mid-write
    days, skipped = missing_days(stored_days(content_dir), until, max_days)
    if skipped:
        say(
            f"Not fetching {counted(len(skipped), 'day')} from {skipped[0].isoformat()} to {skipped[-1].isoformat()}: "
            f"--missing goes back {counted(max_days, 'day')} at most; fetch them with --date YYYY-MM-DD"
        )
    if not days:
        say(f"Nothing new: no day up to {until.isoformat()} is missing from {digests_dir(content_dir)}")
        return 0
    written = 0
    for day in days:
        try:
            written += _fetch_day(day, content_dir, api_url, False, policy, say)
        except (ContentError, ContentErrors):
            if day != days[-1]:
                say(f"Stopped at {day.isoformat()}: the days after it are left for the next run")
            raise
    return written


def _checked(api_url: str) -> str:
    """``api_url``, refused unless it is http(s)."""
    if urllib.parse.urlsplit(api_url).scheme not in ("http", "https"):
        raise ContentError(api_url, "the API URL must start with http:// or https://")
    return api_url


def _fetch_day(
    day: date, content_dir: Path, api_url: str, force: bool, policy: RetryPolicy, say: Callable[[str], None]
) -> bool:
    """Download, validate and store one day's digest; True when a digest was written."""
    url = f"{api_url}{'&' if '?' in api_url else '?'}date={day.isoformat()}"
    folder = digests_dir(content_dir)
    target = folder / f"{day.isoformat()}.json"
    others = sorted(p for p in folder.glob(f"{day.isoformat()}.*") if p != target) if folder.is_dir() else []
    if others:
        raise ContentError(
            SourceRef(others[0]),
            f"a digest for {day.isoformat()} is already stored (one digest per day): "
            "remove it first to fetch the API's list instead",
        )

    data = download(url, policy)
    new = parse_answer(url, target, data, day)
    if not new.records:
        say(f"Nothing new: the API lists no papers for {day.isoformat()}")
        return False

    if target.exists():
        old_data = target.read_bytes()
        try:
            old_records = parse_digest(target, old_data, day).records
        except (ContentError, ContentErrors):
            old_records = ()  # an unreadable stored digest is replaced by a valid one
        if old_data == data or old_records == new.records:
            say(f"Nothing new: {target} already holds these {_papers(len(new.records))}")
            return False
        if len(new.records) < len(old_records) and not force:
            raise ContentError(
                SourceRef(target),
                f"the API now lists {_papers(len(new.records))} for {day.isoformat()} but the stored digest "
                f"has {len(old_records)}: kept it; use --force to replace it with the shorter list",
            )

    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(target, data)
    except OSError as e:
        raise ContentError(SourceRef(target), f"cannot write the digest: {e.strerror or e}") from None
    say(f"Wrote {target} ({_papers(len(new.records))})")
    return True
