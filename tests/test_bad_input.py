"""Bad input, case by case: the exact message, exit status 1, and the previous site and
docs folder byte-identical afterwards. (Inputs that are merely unusual, such as a BOM or
Windows line endings, build fine.)"""

from __future__ import annotations

import json

import pytest

from generator.cli import main
from tests.conftest import build_args, make_content, write_config
from tests.test_build import tree_digest

pytestmark = pytest.mark.slow

ABSTRACT = "An abstract that is long enough for the reader to take it as the abstract of a paper."
ITEM = {"paper": {"id": "2512.00001", "title": "A Title", "summary": ABSTRACT}}


def text_digest(*titles: str, date_line: str = "Dec 1") -> bytes:
    return (f"{date_line}\n\n" + "".join(f"{t}\n\n{ABSTRACT}\n\n" for t in titles)).encode()


def json_digest(*papers: dict) -> bytes:
    """Items of the given ``paper`` objects, one field a line (``indent=1``)."""
    return json.dumps([{"paper": paper} for paper in papers], indent=1).encode()


def line_of(data: bytes, needle: bytes) -> int:
    return data.count(b"\n", 0, data.index(needle)) + 1


PAPER = ITEM["paper"]
DUPLICATE_JSON = json_digest(
    PAPER, {**PAPER, "id": "2512.00009", "title": "Other"}, {**PAPER, "title": "Third listing"}
)
# Each is a character XML 1.0 cannot hold: before, every build died in the feeds on it.
CONTROL_JSON = json_digest(
    PAPER,
    {**PAPER, "id": "2512.00002", "title": "A \u0001 Title"},
    {**PAPER, "id": "2512.00003", "title": "T3", "summary": ABSTRACT + " \u0000"},
    {**PAPER, "id": "2512.00004", "title": "T4", "authors": [{"name": "Ann \ufffe"}]},
    {**PAPER, "id": "2512.00005", "title": "T5", "githubRepo": "https://github.com/x/y#\u0000z"},
)
CONTROL_JSON_ERRORS = [
    (line_of(CONTROL_JSON, rb"A \u0001"), "control character U+0001"),
    (line_of(CONTROL_JSON, rb" \u0000"), "control character U+0000"),
    (line_of(CONTROL_JSON, rb"\ufffe"), "noncharacter U+FFFE"),
    (line_of(CONTROL_JSON, rb"y#\u0000z"), "control character U+0000"),  # refused, not merely dropped
]
# DEL and C1 controls, escaped or raw: PyYAML refuses them in a page's front matter, and
# MkDocs then rendered the front matter as Markdown, so that this title became a live
# javascript: link (the first item is the stored script, as the API could send it).
C1_JSON = (
    json_digest(
        {**PAPER, "title": "Read the [PDF](javascript:alert(document.domain))\u007f"},
        {**PAPER, "id": "2512.00002", "title": "T2", "summary": ABSTRACT + " \u0085"},
        {**PAPER, "id": "2512.00003", "title": "T3", "authors": [{"name": "Ann \u009f"}]},
        {**PAPER, "id": "2512.00004", "title": "T4", "ai_summary": "\u0080 \u007f"},
    )
    .replace(b"\\u0085", "\u0085".encode())
    .replace(b"\\u009f", "\u009f".encode())
)  # raw in the file
C1_JSON_ERRORS = [
    (line_of(C1_JSON, rb"\u007f"), "U+007F"),
    (line_of(C1_JSON, "\u0085".encode()), "U+0085"),
    (line_of(C1_JSON, "\u009f".encode()), "U+009F"),
    (line_of(C1_JSON, rb"\u0080"), "U+0080"),
]
LATE_NUL = text_digest(*(f"Title {n}" for n in range(700))) + b"\x00"  # past the first 64 KB
LATE_NUL_LINE = LATE_NUL.count(b"\n") + 1
BIG_NUMBER = (
    b'[\n {"paper": {"id": "2512.00001", "title": "T", "summary": "S",\n  "upvotes": '
    + b"9" * 5000
    + b"}}\n]"
)
LONG_TITLE = "A Title " * 130 + "That Is Too Long"


# (files to add, the messages expected on stderr, in order; {d} is the digests folder)
CASES = {
    "empty": (
        {"2025-12-01.txt": b""},
        [
            "{d}/2025-12-01.txt:1: empty digest: no papers found (expected a date line "
            "such as 'Jul 29' followed by title and abstract paragraphs)"
        ],
    ),
    "header only": (
        {"2025-12-01.txt": b"Daily Papers\n\nDec 1\n"},
        ["{d}/2025-12-01.txt:3: header only: no papers after the date line"],
    ),
    "title without abstract": (
        {"2025-12-01.txt": b"Dec 1\n\nA Title Without Abstract\n"},
        [
            "{d}/2025-12-01.txt:3: title without an abstract (a blank line and a paragraph must "
            "follow each title)"
        ],
    ),
    "binary": (
        {"2025-12-01.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"},
        ["{d}/2025-12-01.txt:3: binary data (a NUL byte): a digest is a UTF-8 text or JSON file"],
    ),
    "non-UTF-8": (
        {"2025-12-01.txt": "Dec 1\n\nCafé Models\n\n".encode("latin-1") + ABSTRACT.encode()},
        ["{d}/2025-12-01.txt:3: not UTF-8 text (byte 0xe9 at offset 10): save the digest as UTF-8"],
    ),
    "50 MB": (
        {"2025-12-01.txt": text_digest("A Title") + b"x" * (50 * 1024 * 1024)},
        [
            "{d}/2025-12-01.txt:1: digest is 50.0 MB, over the 20 MB limit for one day (a real day's digest is "
            "under 1 MB): is this the right file?"
        ],
    ),
    # A text copy that repeats a paper (title and abstract) lists it once (the trending page's
    # mobile and desktop lists); an API answer that repeats an id is refused.
    "duplicate ids": (
        {"2025-12-01.json": DUPLICATE_JSON},
        [
            "{d}/2025-12-01.json:16: the same paper is listed twice in this digest (first at line 2): "
            "remove one"
        ],
    ),
    "future date": (
        {"2031-12-31.txt": text_digest("A Title", date_line="Dec 31")},
        [
            "{d}/2031-12-31.txt:1: the date 2031-12-31 is in the future: name the digest after the day it "
            "was featured"
        ],
    ),
    "name not a date": (
        {"papers.txt": text_digest("A Title")},
        ["{d}/papers.txt:1: file name is not a date: digests are named YYYY-MM-DD.txt or YYYY-MM-DD.json"],
    ),
    "text under a .json name": (
        {"2025-12-01.json": b"garbage\n: : :\n"},
        [
            "{d}/2025-12-01.json:1: invalid JSON: a .json digest must hold the daily papers API's JSON array, "
            "but this one starts with 'garbage' (a text copy of the papers page goes in a .txt file)"
        ],
    ),
    "junk with no paper in it": (
        {"2025-12-01.txt": b"garbage\n: : :\n"},
        [
            "{d}/2025-12-01.txt:1: empty digest: no papers found (expected a date line such as 'Jul 29' "
            "followed by title and abstract paragraphs)"
        ],
    ),
    "object not array": (
        {"2025-12-01.json": json.dumps({"papers": [ITEM]}).encode()},
        [
            "{d}/2025-12-01.json:1: expected a JSON array of paper items (the daily papers API's "
            "answer), found an object"
        ],
    ),
    "items missing fields": (
        {
            "2025-12-01.json": json.dumps(
                [{"paper": {"id": "2512.00001", "title": "T"}}, {"paper": {"summary": "S"}}], indent=1
            ).encode()
        },
        [
            "{d}/2025-12-01.json:2: paper item without a summary (the abstract)",
            "{d}/2025-12-01.json:8: paper item without a title",
        ],
    ),
    "half a surrogate pair": (
        {
            "2025-12-01.json": json.dumps(
                [ITEM, {"paper": {"id": "2512.00002", "title": "Cut \ud83d", "summary": ABSTRACT}}], indent=1
            ).encode()
        },
        [
            "{d}/2025-12-01.json:12: half of a UTF-16 surrogate pair (\\ud83d) is not a character: "
            "remove it or give it its other half"
        ],
    ),
    "control character in a text copy's title": (
        {"2025-12-01.txt": b"Dec 1\n\nA \x1b[1mBold\x1b[0m Title\n\n" + ABSTRACT.encode() + b"\n"},
        ["{d}/2025-12-01.txt:3: control character U+001B is not text: remove it"],
    ),
    "information separator (white space to str.split)": (
        {"2025-12-01.txt": text_digest("A \x1f Title")},
        ["{d}/2025-12-01.txt:3: control character U+001F is not text: remove it"],
    ),
    "escaped control characters and a noncharacter in JSON": (
        {"2025-12-01.json": CONTROL_JSON},
        [
            f"{{d}}/2025-12-01.json:{line}: {message} is not text: remove it"
            for line, message in CONTROL_JSON_ERRORS
        ],
    ),
    "DEL and C1 controls in JSON, escaped or raw": (
        {"2025-12-01.json": C1_JSON},
        [
            f"{{d}}/2025-12-01.json:{line}: control character {char} is not text: remove it"
            for line, char in C1_JSON_ERRORS
        ],
    ),
    "DEL and C1 controls in a text copy": (
        {
            "2025-12-01.txt": text_digest(
                "Read the [PDF](javascript:alert(document.domain))\x7f", "A \x85 Title"
            )
        },
        [
            "{d}/2025-12-01.txt:3: control character U+007F is not text: remove it",
            "{d}/2025-12-01.txt:7: control character U+0085 is not text: remove it",
        ],
    ),
    "NUL byte after the first 64 KB": (
        {"2025-12-01.txt": LATE_NUL},
        [
            f"{{d}}/2025-12-01.txt:{LATE_NUL_LINE}: binary data (a NUL byte): a digest is a UTF-8 "
            "text or JSON file"
        ],
    ),
    "JSON nested 1,500 levels deep": (
        {"2025-12-01.json": b"[\n " + b"[" * 1500 + b"]" * 1500 + b"\n]"},
        [
            "{d}/2025-12-01.json:2: invalid JSON: arrays or objects nested too deeply (a paper item nests a few levels)"
        ],
    ),
    "integer of 5,000 digits": (
        {"2025-12-01.json": BIG_NUMBER},
        ["{d}/2025-12-01.json:3: invalid JSON: a number with more than 4,300 digits: remove it"],
    ),
    "oversized abstract and title": (
        {
            "2025-12-01.json": json_digest(
                PAPER, {**PAPER, "id": "2512.00002", "summary": "An abstract. " * 25_000, "title": LONG_TITLE}
            )
        },
        [
            f"{{d}}/2025-12-01.json:9: the title is {len(LONG_TITLE):,} characters long, over the limit of 1,000: "
            "is the digest broken here?",
            "{d}/2025-12-01.json:9: the abstract is 324,999 characters long, over the limit of 20,000: "
            "is the digest broken here?",
        ],
    ),
    "same day in two formats": (
        {"2025-12-01.json": json.dumps([ITEM]).encode(), "2025-12-01.txt": text_digest("Another Title")},
        [
            "{d}/2025-12-01.txt:1: a second digest for 2025-12-01 (the first is "
            "{d}/2025-12-01.json): keep one file per day"
        ],
    ),
}


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("bad-input")
    content = make_content(work / "content")
    config = write_config(work)
    args = build_args(content, config, work / "site")
    assert main(args) == 0
    return work, content, args, tree_digest(work / "site"), tree_digest(work / "docs")


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_refused_and_nothing_changes(published, capsys: pytest.CaptureFixture, case: str):
    work, content, args, site_before, docs_before = published
    files, messages = CASES[case]
    digests = content / "digests"
    lock_before = (content / "permalinks.lock").read_bytes()
    for name, data in files.items():
        (digests / name).write_bytes(data)
    capsys.readouterr()
    try:
        status = main(args)
        err = capsys.readouterr().err
    finally:
        for name in files:
            (digests / name).unlink()
    assert status == 1
    assert err.splitlines() == [f"Error: {m.format(d=digests)}" for m in messages]
    assert tree_digest(work / "site") == site_before
    assert tree_digest(work / "docs") == docs_before
    assert (content / "permalinks.lock").read_bytes() == lock_before
    assert not [p for p in work.iterdir() if p.name.startswith(".")]


def test_bom_crlf_and_mixed_line_endings_build(published, capsys: pytest.CaptureFixture):
    work, content, args, _, _ = published
    lf = text_digest("A Paper With Windows Line Endings", "A Second Paper With Mixed Endings")
    crlf = b"\xef\xbb\xbf" + lf.replace(b"\n", b"\r\n")
    mixed = crlf[: len(crlf) // 2] + lf[len(lf) // 2 :]
    for data in (crlf, mixed):
        path = content / "digests" / "2025-12-01.txt"
        path.write_bytes(data)
        try:
            assert main(args) == 0, capsys.readouterr().err
        finally:
            path.unlink()
        day = (work / "site" / "archive" / "2025" / "12" / "01" / "index.html").read_text(encoding="utf-8")
        assert "A Paper With Windows Line Endings" in day and "A Second Paper With Mixed Endings" in day
        assert "\r" not in (work / "docs" / "archive" / "2025" / "12" / "01.md").read_text(encoding="utf-8")


def test_links_and_folders_among_digests_are_named_not_skipped(
    published, capsys: pytest.CaptureFixture, tmp_path
):
    """Before, a link out of the content folder was published, and a broken link or a folder
    named like a digest was skipped, so that ``check`` said "No problems found"."""
    work, content, args, _, _ = published
    site_before, docs_before = tree_digest(work / "site"), tree_digest(work / "docs")  # after other builds
    digests = content / "digests"
    outside = tmp_path / "2025-12-02.txt"
    outside.write_bytes(text_digest("A Title From Outside", date_line="Dec 2"))
    made = [digests / "2025-12-02.txt", digests / "2025-12-03.txt", digests / "2025-12-04.json"]
    made[0].symlink_to(outside)
    made[1].symlink_to(digests / "gone.txt")
    made[2].mkdir()
    capsys.readouterr()
    try:
        status = main(args)
        err = capsys.readouterr().err
        check_status = main(["check", "--content", str(content)])
        check_out, check_err = capsys.readouterr()
    finally:
        made[2].rmdir()
        for link in made[:2]:
            link.unlink()
    assert status == 1
    assert err.splitlines() == [
        f"Error: {made[0]}: link to {outside.resolve()}, outside the content folder: copy the digest into "
        f"{digests} instead of linking to it",
        f"Error: {made[1]}: broken link to {digests / 'gone.txt'}: restore the file it points to or remove the link",
        f"Error: {made[2]}: not a file: a digest is one file per day, named YYYY-MM-DD.json or YYYY-MM-DD.txt",
    ]
    assert (check_status, check_err) == (1, err)
    assert "No problems found" not in check_out
    assert tree_digest(work / "site") == site_before
    assert tree_digest(work / "docs") == docs_before


def test_links_inside_the_content_folder_and_other_subfolders_still_read(published, capsys):
    _, content, _, _, _ = published
    kept = content / "kept"
    kept.mkdir()
    (kept / "2025-12-02.txt").write_bytes(text_digest("A Title Kept Beside", date_line="Dec 2"))
    link, other = content / "digests" / "2025-12-02.txt", content / "digests" / "old"
    link.symlink_to(kept / "2025-12-02.txt")
    other.mkdir()
    try:
        status = main(["check", "--content", str(content)])
        out, err = capsys.readouterr()
    finally:
        link.unlink()
        other.rmdir()
        (kept / "2025-12-02.txt").unlink()
        kept.rmdir()
    assert (status, err) == (0, "")
    assert "No problems found" in out
