"""The edges a newcomer meets in daily publishing (issue 17): each with its exact message
and exit status 1, never a traceback, never a stray or half-written folder."""

from __future__ import annotations

import os
import re
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.cli import main
from generator.write import exclusive, staging_dir, write_text_atomic
from tests.conftest import FIXTURES, ROOT, SAMPLE, build_args, make_content, write_config
from tests.helpers import run_cli

README_LIKE = FIXTURES / "text" / "not_digests" / "readme.md"
ABSTRACT = "An abstract that is long enough for the reader to take it as the abstract of a paper."


run = run_cli


@pytest.fixture()
def content(tmp_path: Path) -> Path:
    return make_content(tmp_path / "content", [])


# ------------------------------------------------------------------------- add


def test_add_refuses_a_file_that_holds_no_digest(capsys, content: Path):
    status, out, err = run(capsys, "add", str(README_LIKE), "--date", "2025-07-28", "--content", str(content))
    assert (status, out) == (1, "")
    assert err == (
        f"Error: {README_LIKE}:1: empty digest: no papers found (expected a date line such as "
        "'Jul 29' followed by title and abstract paragraphs)\n"
    )
    assert list((content / "digests").iterdir()) == []


def test_add_refuses_a_digest_that_lists_no_papers(capsys, content: Path, tmp_path: Path):
    empty = tmp_path / "e.json"
    empty.write_text("[]\n")
    status, out, err = run(capsys, "add", str(empty), "--date", "2026-01-02", "--content", str(content))
    assert (status, out) == (1, "")
    assert err == f"Error: {empty}:1: this digest lists no papers: there is nothing to add for its day\n"
    assert list((content / "digests").iterdir()) == []


@pytest.mark.parametrize("command", ["add", "fetch"])
def test_add_and_fetch_outside_an_archive_make_no_content_folder(
    capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
):
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "2025-07-29.txt"
    source.write_text(f"Jul 29\n\nA Title\n\n{ABSTRACT}\n")
    args = [str(source)] if command == "add" else ["--date", "2025-07-29", "--api-url", "http://127.0.0.1:9/"]
    status, out, err = run(capsys, command, *args)
    assert (status, out) == (1, "")
    assert err == "Error: content: no content folder here; run from your archive or pass --content\n"
    assert not (tmp_path / "content").exists()


@pytest.mark.parametrize(
    "opening", ["[Skip to content](#main)", "{{ a template }}", "[1]", '"quoted"', "1. A list"]
)
def test_a_file_that_is_not_json_is_read_as_a_text_copy_whatever_it_starts_with(
    capsys, content: Path, tmp_path: Path, opening: str
):
    clip = tmp_path / "clip.md"
    clip.write_text(f"{opening}\n\nJul 29\n\nA Title\n\n{ABSTRACT}\n")
    status, out, err = run(capsys, "add", str(clip), "--date", "2025-07-29", "--content", str(content))
    assert (status, out, err) == (0, f"Added {content / 'digests' / '2025-07-29.txt'}\n", "")


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["add", "x.txt", "--date", "2025-13-01"], "--date"),
        (["add", "x.txt", "--date", "yesterday"], "--date"),
        (["fetch", "--date", "2025-02-30"], "--date"),
        (["fetch", "--missing", "--until", "2025-1-1"], "--until"),
    ],
)
def test_a_bad_date_is_exit_status_1(capsys, content: Path, args: list[str], option: str):
    status, out, err = run(capsys, *args, "--content", str(content))
    value = args[args.index(option) + 1]
    assert (status, out, err) == (1, "", f"Error: {option}: {value!r} is not a date (expected YYYY-MM-DD)\n")


# ----------------------------------------------------------------------- serve


def test_serve_checks_the_port_before_building(tmp_path: Path):
    config = write_config(tmp_path)
    content = make_content(tmp_path / "content", [])
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "generator", "serve", "--config", str(config), "--content", str(content)]
            + ["--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=tmp_path,
        )
    assert (result.returncode, result.stdout) == (1, "")
    match = re.fullmatch(rf"Error: port {port} is in use; try --port (\d+)\n", result.stderr)
    assert match, result.stderr
    assert int(match.group(1)) > port
    assert not (tmp_path / "site").exists()  # nothing was built


# ------------------------------------------------------------ what the build writes


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_folders_and_files_follow_the_users_umask(tmp_path: Path, umask: int):
    old = os.umask(umask)
    try:
        folder = staging_dir(tmp_path / "site")
        write_text_atomic(tmp_path / "permalinks.lock", "x\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o777 & ~umask
    assert stat.S_IMODE((tmp_path / "permalinks.lock").stat().st_mode) == 0o666 & ~umask


def test_added_digest_is_readable_by_others(capsys, content: Path, tmp_path: Path):
    old = os.umask(0o022)
    try:
        source = tmp_path / "2025-07-29.txt"
        source.write_text(f"Jul 29\n\nA Title\n\n{ABSTRACT}\n")
        assert run(capsys, "add", str(source), "--content", str(content))[0] == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((content / "digests" / "2025-07-29.txt").stat().st_mode) == 0o644


def test_a_second_build_of_the_same_site_is_refused(capsys, tmp_path: Path):
    config = write_config(tmp_path)
    content = make_content(tmp_path / "content", [])
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("the first build's site\n")
    with exclusive(site):  # as a build running in another process holds it
        status, out, err = run(capsys, *build_args(content, config, site))
    assert (status, out) == (1, "")
    assert err == f"Error: another build is writing {site} (pid {os.getpid()})\n"
    assert [p.name for p in site.iterdir()] == ["index.html"]
    assert sorted(p.name for p in tmp_path.iterdir() if ".new-" in p.name) == []


# ------------------------------------------------------------ builds (slow)


@pytest.mark.slow
def test_an_empty_archive_builds_a_valid_site_that_says_so(capsys, tmp_path: Path):
    config = write_config(tmp_path)
    content = make_content(tmp_path / "content", [])
    site = tmp_path / "site"
    old = os.umask(0o022)
    try:
        status, out, err = run(capsys, *build_args(content, config, site))
    finally:
        os.umask(old)
    assert (status, err) == (0, "")
    assert "No digests yet: add one to <code>content/digests/</code>." in (site / "index.html").read_text()
    for folder in (site, site / "archive", site / "assets"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o755
    assert stat.S_IMODE((site / "index.html").stat().st_mode) == 0o644
    status, out, err = run(capsys, "check", "--site", str(site), "--content", str(content))
    assert (status, err) == (0, "")
    assert out.endswith("no problems found.\n")


@pytest.mark.slow
def test_two_builds_at_once_one_waits_for_nothing_and_neither_breaks(tmp_path: Path):
    config = write_config(tmp_path)
    content = make_content(tmp_path / "content", [SAMPLE / "digests" / "2025-12-31.json"])
    site = tmp_path / "site"
    command = [sys.executable, "-m", "generator", *build_args(content, config, site)]
    env = os.environ | {"CI": "true"}
    first = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    lock = tmp_path / ".site.lock"
    deadline = time.monotonic() + 60
    while not (lock.exists() and lock.read_text().strip() == str(first.pid)):
        assert time.monotonic() < deadline and first.poll() is None, "the first build never took the lock"
        time.sleep(0.05)
    second = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert (second.returncode, second.stdout) == (1, "")
    assert second.stderr == f"Error: another build is writing {site} (pid {first.pid})\n"
    _, first_err = first.communicate(timeout=300)
    assert (first.returncode, first_err) == (0, "")
    assert main(["check", "--site", str(site), "--content", str(content)]) == 0


def test_the_readme_quotes_these_messages_as_they_are():
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    for message in (
        "Not fetching 22 days from 2025-06-02 to 2025-06-23: --missing goes back 14 days at most; "
        "fetch them with --date YYYY-MM-DD",  # test_fetch's long gap prints it
        "no content folder here; run from your archive or pass --content",
        "this digest lists no papers",
        "another build is writing SITE (pid N)",
        "port 8000 is in use; try --port 8001",
    ):
        assert message in readme
