"""``paper-archive add``: validate a digest and store it under its day's name.

The day comes from ``--date``, else from the file's own name (``YYYY-MM-DD.*``),
else from a JSON digest's ``submittedOnDailyAt``; a text copy's date line has no
year, so it needs one of the first two.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

from generator.content import digests_dir
from generator.errors import ContentError
from generator.model import SourceRef
from generator.readers import DIGEST_NAME, decode_digest, detect_format, parse_digest, parse_digest_name
from generator.write import write_text_atomic

EXTENSIONS = {"hf-json": ".json", "hf-text": ".txt"}


def _day_from_json(text: str) -> date | None:
    """The most common ``submittedOnDailyAt`` day, if the items carry one."""
    days = Counter(re.findall(r'"submittedOnDailyAt"\s*:\s*"(\d{4}-\d{2}-\d{2})', text))
    return date.fromisoformat(days.most_common(1)[0][0]) if days else None


def infer_day(path: Path, data: bytes) -> date:
    if DIGEST_NAME.match(path.name):
        return parse_digest_name(path)
    text = decode_digest(path, data)
    day = _day_from_json(text) if detect_format(text) == "hf-json" else None
    if day is None:
        raise ContentError(
            SourceRef(path, 1),
            "cannot tell which day this digest is for (its date line has no year): give --date YYYY-MM-DD",
        )
    return day


def add_digest(source: Path, content_dir: Path, day: date | None = None) -> Path:
    """Validate ``source`` and copy it to ``content/digests/DAY.<ext>``; returns the new path."""
    try:
        data = source.read_bytes()
    except OSError as e:
        raise ContentError(SourceRef(source), f"cannot read the file: {e.strerror}") from None
    day = day or infer_day(source, data)
    fmt = detect_format(decode_digest(source, data))
    folder = digests_dir(content_dir)
    target = folder / f"{day.isoformat()}{EXTENSIONS[fmt]}"
    parse_digest(target, data, day)  # validates, with messages naming the stored name
    for existing in sorted(folder.glob(f"{day.isoformat()}.*")) if folder.is_dir() else []:
        if existing == target and existing.read_bytes() == data:
            return target
        raise ContentError(
            SourceRef(existing),
            f"a different digest for {day.isoformat()} is already stored: remove it first to replace it",
        )
    write_text_atomic(target, decode_digest(source, data) if fmt == "hf-text" else data.decode("utf-8-sig"))
    return target
