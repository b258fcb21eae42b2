"""Readers: one digest file -> ``Digest``.

One module per format (``hf_json``, ``hf_text``), registered in ``READERS``; each
returns the same ``Parsed`` shape (``readers/base.py``). The format is told from the
content (JSON, or a text copy of the papers page, which may begin with "[" or "{" too),
so that a JSON answer saved as .txt still reads; only a ``.json`` name is binding, since
text under that name is a mistake, not a text copy. The day comes from the file name.
"""

from __future__ import annotations

import os
import re
import stat
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from generator.errors import ContentError, ContentErrors
from generator.model import Digest, DigestFormat, PaperRecord, SourceRef
from generator.readers import hf_json, hf_text
from generator.readers.base import Reader
from generator.text import month_abbr

DIGEST_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\.[A-Za-z0-9]+$")


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
    """Bytes -> text; a digest is UTF-8 text (a BOM is allowed), never binary, and at most
    ``MAX_DIGEST_BYTES`` (``read_digest_bytes`` reads no further; a download may)."""
    if len(data) > MAX_DIGEST_BYTES:
        raise _size_error(path, None)
    nul = data.find(b"\x00")  # the whole file: memchr costs about 0.05 ms a MB
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
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


# One reader per format, tried in this order: the first that claims a file's content reads
# it. The last claims anything, so a file of no other format reads as a text copy.
READERS: tuple[Reader, ...] = (hf_json, hf_text)
_BY_FORMAT: dict[DigestFormat, Reader] = {reader.FORMAT: reader for reader in READERS}


def reader_for(fmt: DigestFormat) -> Reader:
    return _BY_FORMAT[fmt]


def detect_format(text: str) -> DigestFormat:
    """The format the content is in, whatever the file is called."""
    return next(reader.FORMAT for reader in READERS if reader.claims(text))


def digest_format(path: Path, text: str) -> DigestFormat:
    """A name with a reader's extension (any case) binds the file to that reader, but for the
    last reader's: a JSON answer saved as .txt still reads. Any other name is told by content."""
    suffix = path.suffix.lower()
    bound = next((reader.FORMAT for reader in READERS[:-1] if reader.EXTENSION == suffix), None)
    return bound or detect_format(text)


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
    parsed = reader_for(fmt).parse(path, text)
    records = parsed.records
    if parsed.page_day is not None and parsed.page_day[1:] != (day.month, day.day):
        line, month, dom = parsed.page_day
        fix = "rename the file" if day_from == DAY_FROM_NAME else f"give the right {day_from}"
        raise ContentError(
            SourceRef(path, line),
            f"the page's date line says {month_abbr(month)} {dom} but {day_from} says "
            f"{day.isoformat()}: {fix} or fix the date line",
        )
    if errors := record_size_errors(records):
        raise ContentErrors(errors)
    return Digest(day=day, path=path, format=fmt, records=tuple(records), notes=parsed.notes)


def future_day_error(path: Path, day: date) -> ContentError | None:
    """The error for a digest dated after tomorrow (UTC: somewhere it is tomorrow already)."""
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)  # validation only; never in the output
    if day <= tomorrow:
        return None
    return ContentError(
        SourceRef(path, 1),
        f"the date {day.isoformat()} is in the future: name the digest after the day it was featured",
    )


# Per-field limits, far above the real data so that only a broken digest meets them: the
# longest in the 393 shared API days and the seed text copy are a 168-character title, a
# 1,923-character abstract, a 355-character AI summary, a 79-character organisation, a
# 38-character author name, 664 authors, 33 keywords of at most 73 characters and a
# 247-character URL. A field far over them breaks pages that list many papers.
FIELD_LIMITS = {
    "title": 1_000,
    "abstract": 20_000,
    "ai_summary": 4_000,
    "organization": 300,
    "github_repo": 2_000,
    "project_page": 2_000,
}
LIST_LIMITS = {"authors": (5_000, 300), "ai_keywords": (200, 300)}  # (how many, characters in one)
_FIELD_NAMES = {
    "title": "title",
    "abstract": "abstract",
    "ai_summary": "AI summary",
    "organization": "organization",
    "github_repo": "GitHub URL",
    "project_page": "project page URL",
    "authors": "author name",
    "ai_keywords": "keyword",
}


def _too_long(record: PaperRecord, name: str, length: int, limit: int) -> ContentError:
    return ContentError(
        record.source,
        f"the {_FIELD_NAMES[name]} is {length:,} characters long, over the limit of {limit:,}: "
        "is the digest broken here?",
    )


def record_size_errors(records: list[PaperRecord] | tuple[PaperRecord, ...]) -> list[ContentError]:
    """A located error for each field too long to be real, at its paper's first line."""
    errors = []
    for record in records:
        for name, limit in FIELD_LIMITS.items():
            value = getattr(record, name)
            if value is not None and len(value) > limit:
                errors.append(_too_long(record, name, len(value), limit))
        for name, (most, limit) in LIST_LIMITS.items():
            values = getattr(record, name)
            if len(values) > most:
                noun = "authors" if name == "authors" else "keywords"
                errors.append(
                    ContentError(
                        record.source,
                        f"the paper has {len(values):,} {noun}, over the limit of {most:,}: "
                        "is the digest broken here?",
                    )
                )
            longest = max(values, key=len, default="")
            if len(longest) > limit:
                errors.append(_too_long(record, name, len(longest), limit))
    return errors


MAX_DIGEST_BYTES = 20 * 1024 * 1024  # a real day is well under 1 MB


def _size_error(path: Path, size: int | None) -> ContentError:
    found = f"{size / 1024**2:.1f} MB, over" if size is not None else "over"
    return ContentError(
        SourceRef(path, 1),
        f"digest is {found} the {MAX_DIGEST_BYTES // 1024**2} MB limit for one day "
        "(a real day's digest is under 1 MB): is this the right file?",
    )


def _file_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a special file"


def read_digest_bytes(path: Path) -> bytes:
    """A digest file's bytes, never more than ``MAX_DIGEST_BYTES + 1`` of them.

    Only a regular file is read: a device (/dev/zero) or a pipe has no size to check
    first and may never end. Non-blocking, so that opening a pipe does not wait for a writer.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as e:
        raise ContentError(SourceRef(path), f"cannot read the file: {e.strerror}") from None
    try:
        info = os.fstat(fd)
        mode, size = info.st_mode, info.st_size
        if not stat.S_ISREG(mode):
            raise ContentError(
                SourceRef(path),
                f"cannot read the file: it is {_file_kind(mode)}, not a regular file: "
                "give a digest saved as a .json or .txt file",
            )
        if size > MAX_DIGEST_BYTES:
            raise _size_error(path, size)
        with open(fd, "rb", closefd=False) as f:
            data = f.read(MAX_DIGEST_BYTES + 1)  # the file may have grown since fstat
    except OSError as e:
        raise ContentError(SourceRef(path), f"cannot read the file: {e.strerror}") from None
    finally:
        os.close(fd)
    if len(data) > MAX_DIGEST_BYTES:
        raise _size_error(path, None)
    return data


def read_digest(path: Path) -> Digest:
    return parse_digest(path, read_digest_bytes(path))


__all__ = ["ContentError", "ContentErrors", "parse_digest", "parse_digest_name", "read_digest"]
