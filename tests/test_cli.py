"""The command line: exit statuses and exact messages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import ROOT, build_args, make_content, sample_digests, write_config
from tests.helpers import api_item, run_cli, write_api_digest

SAMPLE_DAYS = [p.name for p in sample_digests()]


run = run_cli


@pytest.fixture()
def content(tmp_path: Path) -> Path:
    return make_content(tmp_path / "content", [])


def test_check_json_reports_the_sample_content(capsys, tmp_path):
    content = make_content(tmp_path / "content")
    status, out, err = run(capsys, "check", "--content", str(content), "--json")
    assert status == 0, err
    report = json.loads(out)
    assert report["errors"] == []
    assert report["digests"] == len(SAMPLE_DAYS)
    assert report["per_digest"]["2025-07-29"] == {"papers": 57, "format": "hf-text"}
    assert report["featured"] == sum(v["papers"] for v in report["per_digest"].values())
    assert report["papers"] < report["featured"]  # a seed paper is also in a JSON day
    assert set(report) >= {"digests", "papers", "featured", "untagged", "errors", "per_digest"}


def test_check_counts_no_papers_it_could_not_merge(capsys, tmp_path):
    """With errors, the content is not merged: check says so instead of '0 papers'."""
    content = make_content(tmp_path / "content")
    (content / "digests" / "2025-12-26.json").write_text("x", encoding="utf-8")
    status, out, err = run(capsys, "check", "--content", str(content))
    assert status == 1 and err.startswith(f"Error: {content / 'digests' / '2025-12-26.json'}:1: invalid JSON")
    assert out == (
        f"{len(SAMPLE_DAYS)} digests (148 featured entries) and 47 tags read; "
        "1 problem to fix before the papers can be merged and counted.\n"
    )
    status, out, _ = run(capsys, "check", "--content", str(content), "--json")
    report = json.loads(out)
    assert status == 1 and report["papers"] is None and report["untagged"] is None


def test_check_counts_the_merged_papers(capsys, tmp_path):
    status, out, err = run(capsys, "check", "--content", str(make_content(tmp_path / "content")))
    assert (status, err) == (0, "")
    assert (
        out
        == f"{len(SAMPLE_DAYS)} digests (148 featured entries): 147 papers, 0 without a tag; 47 tags.\nNo problems found.\n"
    )


def test_check_warns_at_the_item_about_each_field_left_out_for_its_type(capsys, content):
    """Before, these built with exit 0 and no word: the fields were silently dropped."""
    items = [
        api_item("2501.00001", "A Fine Paper", "An abstract."),
        api_item("2501.00002", "Odd Types", "An abstract.", authors=None, githubRepo=7, upvotes="12"),
        api_item(
            "2501.00003",
            "More Odd Types",
            "An abstract.",
            authors=[{"name": "Ann"}, {"name": 3}, "Bob"],
            projectPage="javascript:alert(1)",
            githubStars=2.5,
            ai_keywords=["ok", None],
            ai_summary=["x"],
            organization="ACME",
            publishedAt=True,
        ),
    ]
    path = write_api_digest(content / "digests", "2025-01-06", items)
    lines = [n + 1 for n, line in enumerate(path.read_text().splitlines()) if line == "  {"]
    status, out, err = run(capsys, "check", "--content", str(content))
    assert status == 0
    assert err.splitlines() == [
        f"Warning: {path}:{lines[1]}: paper.authors is null, not a list of authors: left out",
        f"Warning: {path}:{lines[1]}: paper.upvotes is text, not a whole number: left out",
        f"Warning: {path}:{lines[1]}: paper.githubRepo is a number, not a URL: left out",
        f"Warning: {path}:{lines[2]}: paper.authors[1] has no name (text): left out",
        f"Warning: {path}:{lines[2]}: paper.authors[2] has no name (text): left out",
        f"Warning: {path}:{lines[2]}: paper.organization is text, not an object: left out",
        f"Warning: {path}:{lines[2]}: paper.githubStars is a number, not a whole number: left out",
        f"Warning: {path}:{lines[2]}: paper.projectPage is not an http(s) URL without spaces or controls: left out",
        f"Warning: {path}:{lines[2]}: paper.ai_summary is a list, not text: left out",
        f"Warning: {path}:{lines[2]}: paper.ai_keywords[1] is null, not text: left out",
        f"Warning: {path}:{lines[2]}: paper.publishedAt is true, not a date (YYYY-MM-DD...): left out",
    ]
    assert out.endswith("No problems found; 11 fields left out (warnings above).\n")
    status, out, _ = run(capsys, "check", "--content", str(content), "--json")
    assert (status, len(json.loads(out)["warnings"])) == (0, 11)


BAD_DIGESTS = [
    ("2025-01-06.txt", b"", "2025-01-06.txt:1: empty digest"),
    (
        "2025-01-06.json",
        b'{"papers": []}',
        "2025-01-06.json:1: expected a JSON array of paper items (the daily "
        "papers API's answer), found an object",
    ),
    ("2025-01-06.json", b'["a", "b"]', '2025-01-06.json:1: expected a paper item (a JSON object), found "a"'),
    (
        "2025-01-06.json",
        b'[\n {"paper": {"id": "2501.00001", "title": "T"}}\n]',
        "2025-01-06.json:2: paper item without a summary (the abstract)",
    ),
    (
        "2025-01-06.json",
        b'[\n {"paper": {"id": "2501.00001", "summary": "S"}}\n]',
        "2025-01-06.json:2: paper item without a title",
    ),
    (
        "2025-01-06.json",
        b'[\n {"paper": {"id": "2501.00001", "title": "T", "summary": "S"}},\n {"paper":',
        "2025-01-06.json:3: invalid JSON: Expecting value",
    ),
    (
        "2025-01-06.txt",
        b"Jan 6\n\nTitle\n\nAbstract caf\xe9.\n",
        "2025-01-06.txt:5: not UTF-8 text (byte 0xe9 at offset 26): save the digest as UTF-8",
    ),
    (
        "2025-01-06.txt",
        b"\x7fELF\x02\x01\x01\x00\x00\x00junk",
        "2025-01-06.txt:1: binary data (a NUL byte): a digest is a UTF-8 text or JSON file",
    ),
    (
        "papers.json",
        b"[]",
        "papers.json:1: file name is not a date: digests are named YYYY-MM-DD.txt or YYYY-MM-DD.json",
    ),
    ("2025-02-30.json", b"[]", "2025-02-30.json:1: file name '2025-02-30.json' is not a real calendar date"),
    (
        "2025-12-31.json",
        b"garbage\n: : :\n",
        "2025-12-31.json:1: invalid JSON: a .json digest must hold the daily papers API's JSON array, but this "
        "one starts with 'garbage' (a text copy of the papers page goes in a .txt file)",
    ),
    (
        "2025-12-31.txt",
        b"garbage\n: : :\n",
        "2025-12-31.txt:1: empty digest: no papers found (expected a date line such as 'Jul 29' followed by "
        "title and abstract paragraphs)",
    ),
    (
        "2025-01-06.txt",
        b"Jan 7\n\nA Title\n\nAn abstract that is long enough to be one.\n",
        "2025-01-06.txt:1: the page's date line says Jan 7 but the file name says 2025-01-06: rename the file or fix "
        "the date line",
    ),
]


@pytest.mark.parametrize(
    ("name", "data", "message"), BAD_DIGESTS, ids=[m.split(": ", 1)[1][:40] for *_, m in BAD_DIGESTS]
)
def test_bad_digest_gives_located_error_and_status_1(
    capsys, content: Path, name: str, data: bytes, message: str
):
    (content / "digests" / name).write_bytes(data)
    status, out, err = run(capsys, "check", "--content", str(content))
    assert status == 1
    assert err.startswith(f"Error: {content}/digests/{message}")
    assert "Traceback" not in err


def test_every_problem_of_a_run_is_reported(capsys, content: Path):
    (content / "digests" / "2025-01-06.json").write_bytes(b'{"x": 1}')
    (content / "digests" / "notes.txt").write_bytes(b"hello")
    (content / "digests" / "2025-01-07.json").write_bytes(b"[1]")
    status, _, err = run(capsys, "check", "--content", str(content))
    assert status == 1
    assert len([line for line in err.splitlines() if line.startswith("Error: ")]) == 3


def test_two_digests_for_one_day(capsys, content: Path, tmp_path: Path):
    write_api_digest(content / "digests", "2025-01-06", [api_item("2501.00001", "A Title", "An abstract.")])
    (content / "digests" / "2025-01-06.txt").write_text("Jan 6\n\nOther Title\n\nAn abstract.\n")
    status, _, err = run(capsys, "check", "--content", str(content))
    assert status == 1
    assert err.splitlines()[0] == (
        f"Error: {content}/digests/2025-01-06.txt:1: a second digest for 2025-01-06 "
        f"(the first is {content}/digests/2025-01-06.json): keep one file per day"
    )


def test_add_stores_a_json_digest_under_its_day(capsys, content: Path, shared_data: Path, tmp_path: Path):
    source = shared_data / "2025-12-31.json"
    status, out, err = run(capsys, "add", str(source), "--content", str(content))
    assert (status, err) == (0, "")
    assert out == f"Added {content}/digests/2025-12-31.json\n"
    assert (content / "digests" / "2025-12-31.json").read_bytes() == source.read_bytes()
    # the same file again is fine; a different one for that day is refused
    assert run(capsys, "add", str(source), "--content", str(content))[0] == 0
    other = tmp_path / "first paper only.json"  # another answer for the same day
    other.write_text(json.dumps(json.loads(source.read_bytes())[:1]))
    status, _, err = run(capsys, "add", str(other), "--content", str(content))
    assert status == 1
    assert err == (
        f"Error: {content}/digests/2025-12-31.json: a different digest for 2025-12-31 is already stored: "
        "remove it first to replace it\n"
    )


def test_add_text_copy_needs_a_date(capsys, content: Path, tmp_path: Path):
    source = tmp_path / "papers page.txt"
    source.write_text("Jul 29\n\nA Title\n\nAn abstract long enough to be an abstract of a paper.\n")
    status, _, err = run(capsys, "add", str(source), "--content", str(content))
    assert status == 1
    assert err == (
        f"Error: {source}:1: cannot tell which day this digest is for (its date line has no year): "
        "give --date YYYY-MM-DD\n"
    )
    status, out, _ = run(capsys, "add", str(source), "--date", "2025-07-29", "--content", str(content))
    assert status == 0
    assert (content / "digests" / "2025-07-29.txt").exists()
    status, _, err = run(capsys, "add", str(source), "--date", "2025-07-30", "--content", str(content))
    assert status == 1
    assert err == (
        f"Error: {source}:1: the page's date line says Jul 29 but --date says 2025-07-30: "
        "give the right --date or fix the date line\n"
    )
    assert not (content / "digests" / "2025-07-30.txt").exists()


def test_help_names_every_command_with_an_example(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--help"])
    out = capsys.readouterr().out
    assert e.value.code == 0
    for command in ("build", "serve", "check", "add", "fetch"):
        assert command in out
        with pytest.raises(SystemExit):
            main([command, "--help"])
        assert "Example: paper-archive" in capsys.readouterr().out


def test_add_help_explains_the_file_argument(capsys):
    with pytest.raises(SystemExit):
        main(["add", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert (
        "positional arguments: FILE the digest: the API's JSON for one day (any name), or a text copy" in out
    )


def test_python_dash_m_generator_runs(tmp_path: Path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "generator", "--help"], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0
    assert "paper-archive" in result.stdout


@pytest.mark.parametrize("url", ["notaurl", "ftp://x/", "http://[::1"])
def test_an_invalid_site_url_is_named_as_the_option_and_nothing_is_built(
    capsys, content: Path, tmp_path: Path, url
):
    config = write_config(tmp_path)
    status, out, err = run(capsys, *build_args(content, config, tmp_path / "site"), "--site-url", url)
    assert (status, out) == (1, "")
    assert err == f"Error: --site-url: {url!r} is not an http(s) URL such as https://user.github.io/repo/\n"
    assert not (tmp_path / "site").exists() and not (tmp_path / "docs").exists()


def test_a_site_url_with_bytes_that_are_not_utf8_is_refused_cleanly(content: Path, tmp_path: Path):
    config = write_config(tmp_path)
    args = [os.fsencode(a) for a in build_args(content, config, tmp_path / "site")]
    result = subprocess.run(
        [sys.executable, "-m", "generator", *args, "--site-url", b"https://x/\xff/"],
        capture_output=True,
        cwd=tmp_path,
    )
    assert (result.returncode, result.stdout) == (1, b"")
    assert result.stderr == (
        b"Error: --site-url: not UTF-8 text (byte 0xff): type it in UTF-8, or percent-encode the byte as %FF\n"
    )
    assert not (tmp_path / "site").exists()
