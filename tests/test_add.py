"""``paper-archive add``: every error names the file the user gave, and a JSON
digest's own dates must agree with the day it is added under."""

from __future__ import annotations

import json
import os
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from generator.add import add_digest
from generator.cli import main
from generator.errors import ContentError
from tests.conftest import SEED, make_content
from tests.helpers import api_item

ABSTRACT = "An abstract that is long enough for the reader to take it as the abstract of a paper."


@pytest.fixture()
def content(tmp_path: Path) -> Path:
    return make_content(tmp_path / "content", [])


def add(capsys: pytest.CaptureFixture, content: Path, *args: str) -> tuple[int, str, str]:
    status = main(["add", *args, "--content", str(content)])
    out, err = capsys.readouterr()
    return status, out, err


def first_item_line(path: Path) -> int:
    """The line of the first array item, found without the reader under test."""
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if line.strip() == "{")


# ----------------------------------------------------- errors name the given file


def test_add_wrong_date_line_is_reported_in_the_given_file(capsys, content: Path, tmp_path: Path):
    if not SEED.exists():
        pytest.skip("the shared seed digest is not beside the checkout")
    source = tmp_path / "t.txt"
    source.write_bytes(SEED.read_bytes())  # its date line "Jul 29" is line 11
    status, out, err = add(capsys, content, str(source), "--date", "2025-07-28")
    assert (status, out) == (1, "")
    assert err == (
        f"Error: {source}:11: the page's date line says Jul 29 but --date says 2025-07-28: "
        "give the right --date or fix the date line\n"
    )
    assert not list((content / "digests").iterdir())


def test_add_date_line_disagreeing_with_a_date_name_says_file_name(capsys, content: Path, tmp_path: Path):
    source = tmp_path / "2025-07-28.txt"
    source.write_text(f"Jul 29\n\nA Title\n\n{ABSTRACT}\n")
    status, _, err = add(capsys, content, str(source))
    assert status == 1
    assert err == (
        f"Error: {source}:1: the page's date line says Jul 29 but the file name says 2025-07-28: "
        "rename the file or fix the date line\n"
    )


BAD_SOURCES = [
    ("t.txt", b"Jul 29\n\nA Title\n", "t.txt:3: title without an abstract"),
    ("t.txt", b"Jul 29\n\nCaf\xe9\n", "t.txt:3: not UTF-8 text (byte 0xe9 at offset 11)"),
    ("t.json", b"garbage\n: : :\n", "t.json:1: invalid JSON: a .json digest must hold"),
    ("t.json", b'[\n {"paper": {"id": "2512.00001", "title": "T"}}\n]', "t.json:2: paper item without a"),
    (
        "t.json",
        b'[\n {"paper": {"id": "2512.00001", "title": "T", "summary": "S"}},\n',
        "t.json:3: invalid JSON",
    ),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_SOURCES, ids=[m for *_, m in BAD_SOURCES])
def test_add_bad_file_errors_name_the_given_file(
    capsys, content: Path, tmp_path: Path, name: str, data: bytes, message: str
):
    source = tmp_path / name
    source.write_bytes(data)
    status, _, err = add(capsys, content, str(source), "--date", "2025-07-29")
    assert status == 1
    assert err.startswith(f"Error: {tmp_path}/{message}")
    assert "digests" not in err
    assert not list((content / "digests").iterdir())


def test_add_missing_file_and_too_big_file_name_the_given_file(capsys, content: Path, tmp_path: Path):
    missing = tmp_path / "nowhere.json"
    assert add(capsys, content, str(missing))[2] == (
        f"Error: {missing}: cannot read the file: No such file or directory\n"
    )
    big = tmp_path / "big.txt"
    with big.open("wb") as f:  # sparse: 50 MB on paper, nothing on disk
        f.truncate(50 * 1024 * 1024)
    status, _, err = add(capsys, content, str(big), "--date", "2025-07-29")
    assert status == 1
    assert err == (
        f"Error: {big}:1: digest is 50.0 MB, over the 20 MB limit for one day (a real day's digest is "
        "under 1 MB): is this the right file?\n"
    )


# ------------------------------------------------- a JSON digest's own day


@pytest.mark.slow
def test_every_shared_day_has_its_items_featured_on_its_own_date(shared_data: Path):
    """The measurement behind the check: submittedOnDailyAt (from 2025-03-17) is the file's date."""
    files_with_dates = items_with_dates = 0
    for path in sorted(shared_data.glob("*.json")):
        papers = [item["paper"] for item in json.loads(path.read_bytes())]
        days = Counter(p["submittedOnDailyAt"][:10] for p in papers if "submittedOnDailyAt" in p)
        assert set(days) <= {path.stem}, path.name
        files_with_dates += bool(days)
        items_with_dates += days.total()
    assert (files_with_dates, items_with_dates) == (207, 3337)


@pytest.mark.slow
def test_every_shared_day_is_accepted_under_its_own_date(shared_data: Path, tmp_path: Path):
    content = make_content(tmp_path / "content", [])
    for path in sorted(shared_data.glob("*.json")):
        day = date.fromisoformat(path.stem)
        assert add_digest(path, content, day) == content / "digests" / path.name
    assert len(list((content / "digests").iterdir())) == 393


def test_add_json_under_another_date_is_refused_at_an_item(capsys, content: Path, shared_data: Path):
    source = shared_data / "2025-12-31.json"
    status, _, err = add(capsys, content, str(source), "--date", "2026-01-05")
    assert status == 1
    items = len(json.loads(source.read_bytes()))
    assert err == (
        f"Error: {source}:{first_item_line(source)}: this item was featured on 2025-12-31 "
        f"(paper.submittedOnDailyAt, as on {items} of the {items} dated items) but --date says 2026-01-05: "
        "add the digest of 2026-01-05 instead or give --date 2025-12-31\n"
    )
    assert not list((content / "digests").iterdir())


def test_add_json_named_for_another_date_is_refused(capsys, content: Path, shared_data: Path, tmp_path: Path):
    source = tmp_path / "2026-01-05.json"
    source.write_bytes((shared_data / "2025-12-31.json").read_bytes())
    status, _, err = add(capsys, content, str(source))
    assert status == 1
    assert err.startswith(f"Error: {source}:2: this item was featured on 2025-12-31 (")
    assert err.endswith("but the file name says 2026-01-05: rename the file or give --date 2025-12-31\n")
    # --date that agrees with the items settles it; the stored name is the items' day
    status, out, _ = add(capsys, content, str(source), "--date", "2025-12-31")
    assert (status, out) == (0, f"Added {content}/digests/2025-12-31.json\n")


def test_add_json_takes_its_day_from_the_items(capsys, content: Path, shared_data: Path, tmp_path: Path):
    source = tmp_path / "daily_papers.json"
    source.write_bytes((shared_data / "2025-12-31.json").read_bytes())
    assert add(capsys, content, str(source))[:2] == (0, f"Added {content}/digests/2025-12-31.json\n")


def test_add_json_without_dates_needs_a_date(capsys, content: Path, shared_data: Path, tmp_path: Path):
    source = tmp_path / "daily_papers.json"
    source.write_bytes((shared_data / "2024-05-27.json").read_bytes())  # before submittedOnDailyAt
    status, _, err = add(capsys, content, str(source))
    assert status == 1
    assert err == (
        f"Error: {source}:1: cannot tell which day this digest is for (its items have no "
        "paper.submittedOnDailyAt, which the API gives from March 2025 on): give --date YYYY-MM-DD\n"
    )
    assert add(capsys, content, str(source), "--date", "2024-05-27")[0] == 0


def test_add_json_day_is_the_most_common_one(tmp_path: Path, content: Path):
    """A stray item does not make a real answer impossible to add; the majority decides."""
    items = [
        api_item(f"2512.0000{n}", f"Title {n}", ABSTRACT, submittedOnDailyAt=f"{day}T01:00:00.000Z")
        for n, day in enumerate(["2025-12-30", "2025-12-31", "2025-12-31"], 1)
    ]
    source = tmp_path / "answer.json"
    source.write_text(json.dumps(items, indent=1))
    assert add_digest(source, content).name == "2025-12-31.json"
    os.remove(content / "digests" / "2025-12-31.json")
    second_item = [n for n, line in enumerate(source.read_text().splitlines(), 1) if line == " {"][1]
    with pytest.raises(ContentError) as caught:
        add_digest(source, content, date(2025, 12, 30))
    assert str(caught.value).startswith(f"{source}:{second_item}: this item was featured on 2025-12-31 (")


def test_add_refuses_a_future_day_as_build_would(capsys, content: Path, tmp_path: Path):
    source = tmp_path / "t.txt"
    source.write_text(f"A Title\n\n{ABSTRACT}\n")
    status, out, err = add(capsys, content, str(source), "--date", "2031-12-31")
    assert (status, out) == (1, "")
    assert err == (
        f"Error: {source}:1: the date 2031-12-31 is in the future: name the digest after the day it was featured\n"
    )
    assert not list((content / "digests").iterdir())


# ------------------------------------------------- only a regular file, read within bounds


def test_add_refuses_a_device_a_pipe_and_a_folder_without_reading_them(capsys, content: Path, tmp_path: Path):
    """Before, /dev/zero (st_size 0) was read until MemoryError and a pipe got past the 20 MB limit."""
    pipe = tmp_path / "papers.txt"
    os.mkfifo(pipe)  # no writer: opening it must not wait, and reading it would
    folder = tmp_path / "2025-12-26.json"
    folder.mkdir()
    for source, kind in ((Path("/dev/zero"), "a device"), (pipe, "a pipe"), (folder, "a folder")):
        status, out, err = add(capsys, content, str(source), "--date", "2025-12-26")
        assert (status, out) == (1, "")
        assert err == (
            f"Error: {source}: cannot read the file: it is {kind}, not a regular file: "
            "give a digest saved as a .json or .txt file\n"
        )
    assert not list((content / "digests").iterdir())


def test_a_file_growing_past_the_limit_is_not_read_beyond_it(tmp_path: Path, monkeypatch):
    from generator import readers

    source = tmp_path / "t.txt"
    with source.open("wb") as f:  # sparse: 21 MB on paper
        f.truncate(21 * 1024 * 1024)
    # as if it had grown since fstat said 10 bytes: the read stops at the limit + 1 all the same
    monkeypatch.setattr(os, "fstat", lambda fd: os.stat_result((0o100644, 0, 0, 1, 0, 0, 10, 0, 0, 0)))
    with pytest.raises(ContentError) as caught:
        readers.read_digest_bytes(source)
    assert str(caught.value) == (
        f"{source}:1: digest is over the 20 MB limit for one day (a real day's digest is under 1 MB): "
        "is this the right file?"
    )


def test_add_refuses_a_control_character_as_build_would(capsys, content: Path, tmp_path: Path):
    """Before, ``add`` (and ``check``) took a digest that every build then died on."""
    source = tmp_path / "t.txt"
    source.write_bytes(f"Dec 26\n\nA \x1b[1mBold\x1b[0m Title\n\n{ABSTRACT}\n".encode())
    status, out, err = add(capsys, content, str(source), "--date", "2025-12-26")
    assert (status, out) == (1, "")
    assert err == f"Error: {source}:3: control character U+001B is not text: remove it\n"
    items = tmp_path / "items.json"
    items.write_text(
        json.dumps([api_item("2512.00001", "T", ABSTRACT, githubRepo="https://x.y/#\x00")], indent=1)
    )
    line = next(n for n, row in enumerate(items.read_text().splitlines(), 1) if "\\u0000" in row)
    status, _, err = add(capsys, content, str(items), "--date", "2025-12-26")
    assert (status, err) == (1, f"Error: {items}:{line}: control character U+0000 is not text: remove it\n")
    assert not list((content / "digests").iterdir())
