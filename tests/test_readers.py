"""The readers' registry: one module per format, each reading into the one ``Parsed`` shape."""

from __future__ import annotations

from pathlib import Path

from generator.model import DigestFormat, PaperRecord
from generator.readers import READERS, detect_format, digest_format, reader_for
from generator.readers.base import PageDay, Parsed
from tests.conftest import ROOT

API_DAY = ROOT / "tests" / "fixtures" / "api" / "2025-07-07.json"
TEXT_COPY = """Jul 29

A Paper on Readers

One abstract, in a paragraph of its own.
"""


def test_every_format_has_one_registered_reader():
    assert sorted(reader.FORMAT for reader in READERS) == sorted(DigestFormat)
    assert {reader_for(fmt).FORMAT for fmt in DigestFormat} == set(DigestFormat)
    assert READERS[-1].claims("anything at all")  # the last reader takes what no other claims


def test_each_reader_returns_the_one_shape():
    for path, text in ((API_DAY, API_DAY.read_text(encoding="utf-8")), (Path("2025-07-29.txt"), TEXT_COPY)):
        parsed = reader_for(detect_format(text)).parse(path, text)
        assert isinstance(parsed, Parsed) and parsed.records
        assert all(isinstance(record, PaperRecord) for record in parsed.records)
    assert reader_for(DigestFormat.HF_TEXT).parse(Path("2025-07-29.txt"), TEXT_COPY).page_day == PageDay(
        1, 7, 29
    )


def test_a_name_binds_a_file_to_its_reader_but_the_last():
    assert digest_format(Path("2025-07-29.json"), TEXT_COPY) == DigestFormat.HF_JSON  # then refused as JSON
    assert digest_format(Path("2025-07-07.txt"), API_DAY.read_text(encoding="utf-8")) == DigestFormat.HF_JSON
