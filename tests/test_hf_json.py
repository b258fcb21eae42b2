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


@pytest.mark.slow
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


@pytest.mark.slow
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


def test_escaped_control_characters_are_refused_at_their_line_and_backslashes_are_not():
    papers = [("Bell \u0007 T", "S"), ("T", "Two \b and \f"), ("T \uffff", "S")]  # \b and \f: one line
    text = json.dumps(
        [{"paper": {"id": "2501.00001", "title": t, "summary": s}} for t, s in papers], indent=1
    )
    lines = [
        n
        for n, row in enumerate(text.splitlines(), 1)
        if any(c in row for c in ("\\u0007", "\\b", "\\uffff"))
    ]
    with pytest.raises(ContentErrors) as e:
        parse_hf_json(Path("d.json"), text)
    assert [str(x) for x in e.value.errors] == [
        f"d.json:{lines[0]}: control character U+0007 is not text: remove it",
        f"d.json:{lines[1]}: control character U+0008 is not text: remove it",
        f"d.json:{lines[2]}: noncharacter U+FFFF is not text: remove it",
    ]
    # an escaped backslash before letters is LaTeX, not an escape: "\\frac", "\\b", "\\u0001"
    latex = json.dumps([api_item("2501.00001", "On \\frac and \\beta", "Text \\u0001 and \\\\b, tab\t.")])
    assert parse_hf_json(Path("d.json"), latex)[0].title == "On \\frac and \\beta"
    # an escaped backslash, then a real escape, is still refused
    odd = json.dumps([api_item("2501.00001", "T", "S")]).replace('"S"', '"S\\\\\\u001b"')
    with pytest.raises(ContentErrors, match=r"^d\.json:1: control character U\+001B is not text: remove it$"):
        parse_hf_json(Path("d.json"), odd)


def test_raw_control_character_is_named_not_just_invalid_json():
    text = '[\n {"paper": {"id": "2501.00001", "title": "A \x1b Title", "summary": "S"}}\n]'
    with pytest.raises(ContentError, match=r"^d\.json:2: control character U\+001B is not text: remove it$"):
        parse_hf_json(Path("d.json"), text)
    # a raw tab inside a string is invalid JSON but is text: the decoder's message stays
    with pytest.raises(ContentError, match=r"^d\.json:2: invalid JSON: Invalid control character at$"):
        parse_hf_json(Path("d.json"), text.replace("\x1b", "\t"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[\n" + "[" * 1500,
            "d.json:2: invalid JSON: arrays or objects nested too deeply (a paper item nests a few levels)",
        ),
        (
            '{"a": ' * 1500,
            "d.json:1: invalid JSON: arrays or objects nested too deeply (a paper item nests a few levels)",
        ),
        (
            '[\n {"paper":\n  {"upvotes": ' + "7" * 5000 + "}}]",
            "d.json:3: invalid JSON: a number with more than 4,300 digits: remove it",
        ),
        ("\n" + "7" * 5000, "d.json:2: invalid JSON: a number with more than 4,300 digits: remove it"),
    ],
    ids=["deep array", "deep object", "long integer in an item", "long integer alone"],
)
def test_json_the_decoder_cannot_take_is_a_located_error(text: str, message: str):
    """Before: RecursionError, and ValueError "Exceeds the limit (4300 digits)"; ``add``
    reads the items' days first, through the same decoder."""
    for read in (parse_hf_json, featured_days):
        with pytest.raises(ContentError) as caught:
            read(Path("d.json"), text)
        assert str(caught.value) == message


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/x/y\u202e",
        "https://github.com/x\u2066/y",
        "https://github.com/x/y\u200e",
        "https://github.com/x/y z",
    ],
    ids=["RLO", "LRI", "LRM", "space"],
)
def test_urls_with_bidi_controls_or_spaces_are_dropped(url: str):
    """Dropped like a non-http URL; control characters (C0, DEL, C1) and U+FFFE never get
    here: they refuse the digest."""
    text = json.dumps([api_item("2501.00001", "T", "S", githubRepo=url, projectPage=url)])
    [record] = parse_hf_json(Path("d.json"), text)
    assert (record.github_repo, record.project_page) == (None, None)
    fine = json.dumps([api_item("2501.00001", "T", "S", githubRepo="https://github.com/x/y#z")])
    assert parse_hf_json(Path("d.json"), fine)[0].github_repo == "https://github.com/x/y#z"


@pytest.mark.slow
def test_field_limits_are_far_above_the_shared_data(shared_data: Path):
    """The measurement behind the limits: every real field is at most a third of its limit."""
    from generator.readers import FIELD_LIMITS, LIST_LIMITS

    seed = shared_data.parent.parent / "seed" / "000_b842631bec06aad6.txt"
    records = [r for p in sorted(shared_data.glob("*.json")) for r in parse_digest(p, p.read_bytes()).records]
    records += parse_digest(Path("2025-07-29.txt"), seed.read_bytes()).records
    longest = {name: max(len(getattr(r, name) or "") for r in records) for name in FIELD_LIMITS}
    assert longest == {
        "title": 168,
        "abstract": 1923,
        "ai_summary": 355,
        "organization": 79,
        "github_repo": 110,
        "project_page": 247,
    }
    assert all(3 * longest[name] <= limit for name, limit in FIELD_LIMITS.items())
    for name, (most, limit) in LIST_LIMITS.items():
        assert 3 * max(len(getattr(r, name)) for r in records) <= most
        assert 3 * max((len(v) for r in records for v in getattr(r, name)), default=0) <= limit


def test_each_oversized_field_is_refused_at_its_item():
    big = {
        "id": "2501.00002",
        "title": "T" * 1_001,
        "summary": "S" * 20_001,
        "ai_summary": "A" * 4_001,
        "organization": {"fullname": "O" * 301},
        "githubRepo": "https://github.com/" + "x" * 2_000,
        "authors": [{"name": "N"}] * 5_001 + [{"name": "M" * 301}],
        "ai_keywords": ["k"] * 201,
    }
    text = json.dumps([api_item("2501.00001", "T", "S"), {"paper": big}], indent=1)
    line = [n for n, row in enumerate(text.splitlines(), 1) if row == " {"][1]
    with pytest.raises(ContentErrors) as e:
        parse_digest(Path("2025-01-02.json"), text.encode())
    assert [str(x).removeprefix(f"2025-01-02.json:{line}: ") for x in e.value.errors] == [
        "the title is 1,001 characters long, over the limit of 1,000: is the digest broken here?",
        "the abstract is 20,001 characters long, over the limit of 20,000: is the digest broken here?",
        "the AI summary is 4,001 characters long, over the limit of 4,000: is the digest broken here?",
        "the organization is 301 characters long, over the limit of 300: is the digest broken here?",
        "the GitHub URL is 2,019 characters long, over the limit of 2,000: is the digest broken here?",
        "the paper has 5,002 authors, over the limit of 5,000: is the digest broken here?",
        "the author name is 301 characters long, over the limit of 300: is the digest broken here?",
        "the paper has 201 keywords, over the limit of 200: is the digest broken here?",
    ]


@pytest.mark.parametrize("char", ["\x7f", "\x80", "\x85", "\x9f", "\ufffe", "\uffff"])
@pytest.mark.parametrize("rest", ["plain ASCII", "caf\u00e9 \u00b0 \u00a0 \u03b1 \u4e2d"])
def test_a_raw_character_that_is_not_text_is_found_in_any_file(char: str, rest: str):
    """The quick test that spares the full scan must never miss one (ASCII files and
    others take different paths)."""
    items = [{"paper": {"id": "2512.00001", "title": rest, "summary": "S"}}]
    items.append({"paper": {"id": "2512.00002", "title": f"T {char}", "summary": rest}})
    text = json.dumps(items, indent=1, ensure_ascii=False)
    line = text[: text.index(char)].count("\n") + 1
    kind = "noncharacter" if char in "\ufffe\uffff" else "control character"
    with pytest.raises(ContentErrors) as e:
        parse_hf_json(Path("d.json"), text)
    assert [(err.source.line, err.message) for err in e.value.errors] == [
        (line, f"{kind} U+{ord(char):04X} is not text: remove it")
    ]
