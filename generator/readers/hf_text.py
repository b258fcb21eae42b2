"""Reader for text copies of the Hugging Face papers page (minimal version).

Takes the page text and returns the page's own date line, if any, as
``(line, month, day)`` and the ``PaperRecord``s in listing order.
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.errors import ContentError, ContentErrors
from generator.model import PaperRecord, SourceRef
from generator.text import clean_inline

MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
DATE_LINE = re.compile(r"^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+(\d{1,2})$", re.I)


def _blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(lines, 1):
        if line.strip():
            if not current:
                start = number
            current.append(line.strip())
        elif current:
            blocks.append((start, current))
            current = []
    if current:
        blocks.append((start, current))
    return blocks


def parse_hf_text(path: Path, text: str) -> tuple[tuple[int, int, int] | None, list[PaperRecord]]:
    blocks = _blocks(text.split("\n"))
    page_day = None
    body_start = None
    for index, (line, block) in enumerate(blocks):
        match = DATE_LINE.match(" ".join(block))
        if match:
            page_day = (line, MONTHS[match.group(1)[:3].lower()], int(match.group(2)))
            body_start = index + 1
            break
    if body_start is None:
        raise ContentError(SourceRef(path, 1), "no date line (such as 'Jul 29') before the papers")
    body = blocks[body_start:]
    if not body:
        raise ContentError(SourceRef(path, blocks[-1][0]), "header only: no papers after the date line")
    records, errors = [], []
    for i in range(0, len(body), 2):
        line, title = body[i]
        if i + 1 >= len(body):
            errors.append(ContentError(SourceRef(path, line), "title without an abstract (a blank line and a paragraph must follow each title)"))
            break
        records.append(PaperRecord(title=clean_inline(" ".join(title)), abstract=clean_inline(" ".join(body[i + 1][1])), source=SourceRef(path, line)))
    if errors:
        raise ContentErrors(errors)
    return page_day, records
