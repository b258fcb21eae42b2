"""Forked work: the same results as inline, in the same order, and only where a fork is safe."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from generator import archive, parallel
from generator.build import merge_content
from generator.content import read_content
from tests.conftest import make_content


def _three_cores(monkeypatch: pytest.MonkeyPatch, threads: int = 1) -> None:
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda _pid: {0, 1, 2})
    monkeypatch.setattr(parallel.threading, "active_count", lambda: threads)


def test_workers_start_only_when_the_work_pays_for_them(monkeypatch: pytest.MonkeyPatch):
    _three_cores(monkeypatch)
    assert parallel.fork_workers(147, 1_000) == 1
    assert parallel.fork_workers(2_500, 1_000) == 2
    assert parallel.fork_workers(50_000, 1_000) == 3  # never more than the cores


def test_a_process_with_other_threads_is_never_forked(monkeypatch: pytest.MonkeyPatch):
    _three_cores(monkeypatch, threads=2)  # serve's watcher, say
    assert parallel.fork_workers(50_000, 1_000) == 1


def test_forked_map_returns_results_in_the_items_order(monkeypatch: pytest.MonkeyPatch):
    _three_cores(monkeypatch)  # the suite's test servers are threads; this work touches none
    items = [f"item {i}" for i in range(10)]
    assert parallel.forked_map(str.upper, items, 2) == [item.upper() for item in items]


def test_tagging_on_several_processes_gives_the_same_archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    content = read_content(make_content(tmp_path / "content"))  # the sample: 147 papers
    inline, _lock = merge_content(content)
    _three_cores(monkeypatch)
    monkeypatch.setattr(archive, "PAPERS_PER_TAGGER", 20)
    monkeypatch.setattr(archive, "TAGGED_AT_ONCE", 10)  # 15 batches, 2 a worker at least
    forked, _lock = merge_content(content)
    assert forked == inline
    assert sum(map(bool, (p.tags for p in forked.papers))) > 100  # tagging did run


def test_cores_are_counted_where_there_is_no_affinity(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delattr(parallel.os, "sched_getaffinity")  # macOS, Windows
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 8)
    assert parallel.cores() == 8


def _die(item: str) -> str:
    if item == "item 3":
        os.kill(os.getpid(), signal.SIGKILL)  # as the system's out-of-memory killer would
    return item


def test_a_killed_worker_fails_the_work_instead_of_hanging(monkeypatch: pytest.MonkeyPatch):
    _three_cores(monkeypatch)
    items = [f"item {i}" for i in range(10)]
    with pytest.raises(parallel.WorkerLost, match="died before it finished"):
        parallel.forked_map(_die, items, 2)


def test_a_build_whose_worker_is_killed_says_so_in_one_line(
    tmp_path: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    from generator import build, cli
    from tests.conftest import build_args, write_config

    parent = os.getpid()

    def killed_in_a_worker(papers):
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer would
        return {}

    _three_cores(monkeypatch)
    monkeypatch.setattr(build, "PAGES_PER_WORKER", 10)
    monkeypatch.setattr(build, "find_related", killed_in_a_worker)
    content = make_content(tmp_path / "content", [shared_data / "2025-12-19.json"])
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("the previous site")

    status = cli.main(build_args(content, write_config(tmp_path), site))

    err = capsys.readouterr().err
    assert status == 1
    assert err == (
        "Error: a worker process died before it finished (killed for want of memory?); "
        "the previous site is unchanged\n"
    )
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no staging left
    assert [p.name for p in site.iterdir()] == ["index.html"]
    assert (site / "index.html").read_text() == "the previous site"
