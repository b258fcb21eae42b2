"""The daily papers API reader: every real day parses, quirks handled, no crash on junk."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.errors import ContentError, ContentErrors
from generator.readers import parse_digest
from generator.readers.hf_json import featured_days, parse_hf_json
from tests.helpers import api_item


def test_every_shared_day_parses_with_as_many_papers_as_items(shared_data: Path):
    total = 0
    for path in sorted(shared_data.glob("*.json")):
        data = path.read_bytes()
        digest = parse_digest(path, data)
        assert len(digest.records) == len(json.loads(data)), path.name
        assert digest.day == date.fromisoformat(path.stem)
        assert digest.format == "hf-json"
        total += len(digest.records)
    assert total == 5841


def test_fields_readers_value_are_kept(shared_data: Path):
    records = parse_digest(
        shared_data / "2025-12-31.json", (shared_data / "2025-12-31.json").read_bytes()
    ).records
    first = records[0]
    assert first.arxiv_id == "2512.22525"
    assert first.title == "DreamOmni3: Scribble-based Editing and Generation"
    assert first.authors[:2] == ("Bin Xia", "Bohao Peng")
    assert first.upvotes is not None
    assert first.published_on == date(2025, 12, 27)
    everything = [
        r for p in sorted(shared_data.glob("2025-1*.json")) for r in parse_digest(p, p.read_bytes()).records
    ]
    assert any(r.github_repo and r.github_stars is not None for r in everything)
    assert any(r.project_page for r in everything)
    assert any(r.ai_summary and r.ai_keywords for r in everything)
    assert any(r.organization for r in everything)


def test_hard_wrapped_titles_and_abstracts_are_collapsed(shared_data: Path):
    path = shared_data / "2024-05-27.json"
    raw = json.loads(path.read_bytes())
    wrapped = next(i for i in raw if "\n" in i["paper"]["summary"])
    record = next(
        r for r in parse_digest(path, path.read_bytes()).records if r.arxiv_id == wrapped["paper"]["id"]
    )
    assert "\n" not in record.abstract and "  " not in record.abstract
    assert record.abstract == " ".join(wrapped["paper"]["summary"].split())


def test_oldest_files_with_singular_media_url_parse(shared_data: Path):
    olds = [p for p in sorted(shared_data.glob("2024-0*.json")) if b'"mediaUrl"' in p.read_bytes()]
    assert olds
    assert parse_digest(olds[0], olds[0].read_bytes()).records


def test_format_is_told_by_content_not_extension():
    data = json.dumps([api_item("2501.00001", "A Title", "An abstract.")]).encode()
    digest = parse_digest(Path("2025-01-02.txt"), data)
    assert digest.format == "hf-json"
    assert digest.records[0].arxiv_id == "2501.00001"


@pytest.mark.parametrize("name", ["2025-12-31.json", "2025-12-31.JSON"])
def test_json_name_holding_text_is_invalid_json_not_a_text_copy(name: str):
    with pytest.raises(ContentError) as caught:
        parse_digest(Path(name), b"garbage\n: : :\n")
    assert str(caught.value) == (
        f"{name}:1: invalid JSON: a .json digest must hold the daily papers API's JSON array, but this one "
        "starts with 'garbage' (a text copy of the papers page goes in a .txt file)"
    )


def test_json_name_holding_a_real_text_copy_or_nothing_is_refused(shared_data: Path):
    seed = shared_data.parent.parent / "seed" / "000_b842631bec06aad6.txt"
    with pytest.raises(ContentError, match=r"^2025-07-29\.json:1: .* starts with 'new' \(a text copy"):
        parse_digest(Path("2025-07-29.json"), seed.read_bytes())
    assert parse_digest(Path("2025-07-29.txt"), seed.read_bytes()).format == "hf-text"
    with pytest.raises(ContentError, match=r"^2025-07-29\.json:1: .* but this one is empty \("):
        parse_digest(Path("2025-07-29.json"), b" \n\n")


def test_featured_days_are_each_dated_items_line_and_day(shared_data: Path):
    path = shared_data / "2025-12-31.json"
    text = path.read_text(encoding="utf-8")
    days = featured_days(path, text)
    assert len(days) == len(json.loads(text)) and {day for _, day in days} == {date(2025, 12, 31)}
    assert days[0][0] == 2 and all(text.splitlines()[line - 1] == "  {" for line, _ in days)
    assert featured_days(path, json.dumps([api_item("2501.00001", "T", "S")])) == []  # before 2025-03


def test_every_bad_item_is_reported_with_its_line():
    text = json.dumps(
        [api_item("2501.00001", "", "x"), {"paper": {"id": "2"}}, api_item("2501.00003", "T", "S")], indent=1
    )
    item_lines = [number for number, line in enumerate(text.splitlines(), 1) if line == " {"]
    with pytest.raises(ContentErrors) as e:
        parse_hf_json(Path("d.json"), text)
    assert [str(x) for x in e.value.errors] == [
        f"d.json:{item_lines[0]}: paper item without a title",
        f"d.json:{item_lines[1]}: paper item without a title or summary (the abstract)",
    ]


def test_escaped_pairs_read_and_half_pairs_are_refused_at_their_line():
    # json.dumps escapes every non-ASCII character: the emoji becomes "\\ud83d\\ude00".
    whole = json.dumps([api_item("2501.00001", "Faces \U0001f600", "An abstract.")])
    assert parse_hf_json(Path("d.json"), whole)[0].title == "Faces \U0001f600"
    literal = whole.replace("Faces", "A \\\\ud83d backslash")  # the text "\\ud83d", escaped
    assert parse_hf_json(Path("d.json"), literal)[0].title.startswith("A \\ud83d backslash")
    text = json.dumps([api_item("2501.00001", "T", "S"), api_item("2501.00002", "T", "S \udc00.")], indent=1)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "\\udc00" in row)
    with pytest.raises(ContentErrors) as e:
        parse_hf_json(Path("d.json"), text)
    assert [str(x) for x in e.value.errors] == [
        f"d.json:{line}: half of a UTF-16 surrogate pair (\\udc00) is not a character: "
        "remove it or give it its other half"
    ]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_crash_the_reader(data: bytes):
    try:
        parse_digest(Path("2025-01-02.json"), b"[" + data)
    except (ContentError, ContentErrors):
        pass
