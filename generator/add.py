"""``paper-archive add``: validate a digest and store it under its day's name.

The day comes from ``--date``, else from the file's own name (``YYYY-MM-DD.*``),
else from a JSON digest's ``submittedOnDailyAt``; a text copy's date line has no
year, so it needs one of the first two. A JSON digest's items must agree with the
day however it was given. Errors name the file the user gave, never the name it
would be stored under.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

from generator.content import digests_dir
from generator.errors import ContentError, require_content_dir
from generator.model import Digest, DigestFormat, SourceRef
from generator.readers import (
    DAY_FROM_NAME,
    DIGEST_NAME,
    decode_digest,
    digest_format,
    future_day_error,
    parse_digest,
    parse_digest_name,
    read_digest_bytes,
    reader_for,
)
from generator.readers.hf_json import featured_days
from generator.write import write_text_atomic

DAY_FROM_OPTION = "--date"
DAY_FROM_REQUEST = "the request"  # fetch: the day asked of the API
_FIXES = {DAY_FROM_NAME: "rename the file", DAY_FROM_REQUEST: "check --api-url"}


def _items_day(days: list[tuple[int, date]]) -> date | None:
    """The day most items say they were featured on; None if no item says.

    The most common day rather than every item's: in the 207 shared API answers that
    carry the field, all 3,337 items name their file's day, and a stray item should
    not make a real answer impossible to add.
    """
    counts = Counter(day for _, day in days)
    return counts.most_common(1)[0][0] if counts else None


def check_items_day(source: Path, days: list[tuple[int, date]], day: date, day_from: str) -> None:
    """Refuse a day that the JSON digest's own items contradict, at the first item that says so."""
    said = _items_day(days)
    counts = Counter(d for _, d in days)
    if said is None or counts[day] == counts[said]:  # ``day`` is (one of) the most common
        return
    line = next(line for line, d in days if d == said)
    fix = _FIXES.get(day_from, f"add the digest of {day.isoformat()} instead")
    raise ContentError(
        SourceRef(source, line),
        f"this item was featured on {said.isoformat()} (paper.submittedOnDailyAt, as on "
        f"{counts[said]} of the {len(days)} dated items) but {day_from} says {day.isoformat()}: "
        f"{fix} or give --date {said.isoformat()}",
    )


def infer_day(source: Path, fmt: DigestFormat, days: list[tuple[int, date]]) -> tuple[date, str]:
    """The day a file tells without ``--date``, and what told it (for messages)."""
    if DIGEST_NAME.match(source.name):
        return parse_digest_name(source), DAY_FROM_NAME
    said = _items_day(days)
    if said is not None:
        return said, "the items"
    why = (
        "its items have no paper.submittedOnDailyAt, which the API gives from March 2025 on"
        if fmt == DigestFormat.HF_JSON
        else "its date line has no year"
    )
    raise ContentError(
        SourceRef(source, 1), f"cannot tell which day this digest is for ({why}): give --date YYYY-MM-DD"
    )


def _stored_bytes(path: Path) -> bytes | None:
    """A stored digest's bytes; None if it cannot be read as one (a link to a device...)."""
    try:
        return read_digest_bytes(path)
    except ContentError:
        return None


def check_new_digest(source: Path, data: bytes, day: date | None, day_from: str = DAY_FROM_OPTION) -> Digest:
    """What ``add`` and ``fetch`` ask of a digest before they store it: what the build asks
    (``parse_digest``: the size limit, the records; a day not in the future), and that a
    JSON digest's items agree with the day. ``day`` None: the day the file tells."""
    text = decode_digest(source, data)
    fmt = digest_format(source, text)
    days = featured_days(source, text) if fmt == DigestFormat.HF_JSON else []
    day, day_from = (day, day_from) if day else infer_day(source, fmt, days)
    if (late := future_day_error(source, day)) is not None:
        raise late  # build would refuse it
    digest = parse_digest(source, data, day, day_from)
    check_items_day(source, days, day, day_from)
    return digest


def add_digest(source: Path, content_dir: Path, day: date | None = None) -> Path:
    """Validate ``source`` and copy it to ``content/digests/DAY.<ext>``; returns the new path."""
    require_content_dir(content_dir)
    data = read_digest_bytes(source)  # a regular file, read no further than the size limit
    digest = check_new_digest(source, data, day)
    if not digest.records:  # fetch calls such a day nothing new; stored, it would lead the home page
        raise ContentError(
            SourceRef(source, 1), "this digest lists no papers: there is nothing to add for its day"
        )
    day, fmt = digest.day, digest.format
    folder = digests_dir(content_dir)
    target = folder / f"{day.isoformat()}{reader_for(fmt).EXTENSION}"
    for existing in sorted(folder.glob(f"{day.isoformat()}.*")) if folder.is_dir() else []:
        if existing == target and _stored_bytes(existing) == data:
            return target
        raise ContentError(
            SourceRef(existing),
            f"a different digest for {day.isoformat()} is already stored: remove it first to replace it",
        )
    text = decode_digest(source, data)  # line endings made \n
    write_text_atomic(target, text if fmt == DigestFormat.HF_TEXT else data.decode("utf-8-sig"))
    return target
