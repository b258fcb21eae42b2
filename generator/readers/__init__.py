"""Readers: one digest file -> ``Digest``.

The format is told from the content (a JSON array, or a text copy of the papers
page), so that a JSON answer saved as .txt still reads; only a ``.json`` name is
binding, since text under that name is a mistake, not a text copy. The day comes
from the file name.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from generator.errors import ContentError, ContentErrors
from generator.model import Digest, SourceRef
from generator.readers import hf_json, hf_text

DIGEST_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\.[A-Za-z0-9]+$")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def parse_digest_name(path: Path) -> date:
    """The featured day named by ``YYYY-MM-DD.<ext>``."""
    match = DIGEST_NAME.match(path.name)
    if not match:
        raise ContentError(
            SourceRef(path, 1),
            "file name is not a date: digests are named YYYY-MM-DD.txt or YYYY-MM-DD.json",
        )
    try:
        return date(*map(int, match.groups()))
    except ValueError:
        raise ContentError(
            SourceRef(path, 1), f"file name {path.name!r} is not a real calendar date"
        ) from None


def decode_digest(path: Path, data: bytes) -> str:
    """Bytes -> text; a digest is UTF-8 text (a BOM is allowed), never binary."""
    if b"\x00" in data[:65536]:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise ContentError(
            SourceRef(path, line), "binary data (a NUL byte): a digest is a UTF-8 text or JSON file"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise ContentError(
            SourceRef(path, line),
            f"not UTF-8 text (byte 0x{data[e.start]:02x} at offset {e.start}): save the digest as UTF-8",
        ) from None
    if "\r" not in text:  # the common case: skip two passes over a large file
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def detect_format(text: str) -> str:
    """The format the content looks like, whatever the file is called."""
    return "hf-json" if text.lstrip()[:1] in ("[", "{") else "hf-text"


def digest_format(path: Path, text: str) -> str:
    """A ``.json`` name (any case) must hold JSON; any other name is told by its content."""
    return "hf-json" if path.suffix.lower() == ".json" else detect_format(text)


DAY_FROM_NAME = "the file name"


def parse_digest(path: Path, data: bytes, day: date | None = None, day_from: str = DAY_FROM_NAME) -> Digest:
    """Parse one digest file's bytes; ``day`` defaults to the one in its name.

    ``day_from`` says where a given ``day`` came from (``"--date"``), for the message
    when a text copy's date line disagrees with it.
    """
    if day is None:
        day = parse_digest_name(path)
    text = decode_digest(path, data)
    fmt = digest_format(path, text)
    if fmt == "hf-json":
        records = hf_json.parse_hf_json(path, text)
    else:
        page_day, records = hf_text.parse_hf_text(path, text)
        if page_day is not None:
            (line, month, dom) = page_day
            if (month, dom) != (day.month, day.day):
                fix = "rename the file" if day_from == DAY_FROM_NAME else f"give the right {day_from}"
                raise ContentError(
                    SourceRef(path, line),
                    f"the page's date line says {MONTHS[month - 1]} {dom} but {day_from} says "
                    f"{day.isoformat()}: {fix} or fix the date line",
                )
    return Digest(day=day, path=path, format=fmt, records=tuple(records))


def future_day_error(path: Path, day: date) -> ContentError | None:
    """The error for a digest dated after tomorrow (UTC: somewhere it is tomorrow already)."""
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)  # validation only; never in the output
    if day <= tomorrow:
        return None
    return ContentError(
        SourceRef(path, 1),
        f"the date {day.isoformat()} is in the future: name the digest after the day it was featured",
    )


MAX_DIGEST_BYTES = 20 * 1024 * 1024  # a real day is well under 1 MB


def check_digest_size(path: Path) -> None:
    """Refuse a file too big to be one day's digest before reading it into memory."""
    size = path.stat().st_size
    if size > MAX_DIGEST_BYTES:
        raise ContentError(
            SourceRef(path, 1),
            f"digest is {size / 1024**2:.1f} MB, over the {MAX_DIGEST_BYTES // 1024**2} MB limit for one day "
            "(a real day's digest is under 1 MB): is this the right file?",
        )


def read_digest(path: Path) -> Digest:
    check_digest_size(path)
    return parse_digest(path, path.read_bytes())


__all__ = ["ContentError", "ContentErrors", "parse_digest", "parse_digest_name", "read_digest"]
