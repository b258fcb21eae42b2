"""Small builders for tests: digests and records made in memory."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from generator.model import Digest, DigestFormat, PaperRecord, SourceRef


def record(title: str, abstract: str = "An abstract.", arxiv_id: str | None = None, **fields) -> PaperRecord:
    return PaperRecord(
        title=title, abstract=abstract, source=SourceRef(Path("x"), 1), arxiv_id=arxiv_id, **fields
    )


def digest(day: str, *records: PaperRecord, fmt: str = "hf-json") -> Digest:
    d = date.fromisoformat(day)
    path = Path(f"content/digests/{day}.{'json' if fmt == 'hf-json' else 'txt'}")
    return Digest(day=d, path=path, format=DigestFormat(fmt), records=tuple(records))


def api_item(arxiv_id: str, title: str, summary: str, **paper_fields) -> dict:
    """One item in the shape of the daily papers API."""
    return {
        "paper": {
            "id": arxiv_id,
            "title": title,
            "summary": summary,
            "authors": [],
            "upvotes": 1,
            **paper_fields,
        },
        "title": title,
        "publishedAt": "2025-01-01T00:00:00.000Z",
    }


def write_api_digest(folder: Path, day: str, items: list[dict]) -> Path:
    path = folder / f"{day}.json"
    path.write_text(json.dumps(items, indent=2), encoding="utf-8")
    return path


def write_text_digest(
    folder: Path, day: str, papers: list[tuple[str, str]], header: str | None = None
) -> Path:
    d = date.fromisoformat(day)
    head = header if header is not None else f"Daily Papers\n\n{d:%b} {d.day}\n\n"
    body = "".join(f"{title}\n\n{abstract}\n\n" for title, abstract in papers)
    path = folder / f"{day}.txt"
    path.write_text(head + body, encoding="utf-8")
    return path


def run_cli(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    """``paper-archive ARGS`` in this process: its exit status, standard output and error."""
    from generator.cli import main

    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err
