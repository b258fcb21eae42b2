"""Shared by the benchmarks: child runs, peak memory, and a profile's hotspots."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def peak_rss_mb() -> float:
    """This process's peak RSS. Not ru_maxrss: Linux carries that over exec from the parent."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def children_peak_mb() -> float:
    """The largest peak RSS among this process's finished children: Pagefind, or a
    forked render worker (whose RSS counts the pages it shares with its parent)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def scratch_write_seconds(folder: Path, files: int = 2_000) -> float:
    """Seconds to write ``files`` folders holding one 10 KB file each under ``folder``, and
    remove them: the file system's own speed, printed beside the figures because a build
    writes tens of thousands of such files (docs, site, Pagefind's links). On one virtual
    disk here this varied tenfold from run to run; tmpfs (``--out /dev/shm/...``) does not."""
    root = Path(tempfile.mkdtemp(prefix="write-check-", dir=folder))
    data = b"x" * 10_240
    started = time.perf_counter()
    for n in range(files):
        (root / str(n)).mkdir()
        (root / str(n) / "index.html").write_bytes(data)
    shutil.rmtree(root)
    return time.perf_counter() - started


def stock_overrides(folder: Path) -> Path:
    """A theme folder for the stock Material baselines: our page templates name lean.html
    (paper, tag and day pages), and here it is plain Material's main.html under that name."""
    overrides = folder / "stock-overrides"
    overrides.mkdir(parents=True, exist_ok=True)
    (overrides / "lean.html").write_text('{% extends "main.html" %}\n', encoding="utf-8")
    return overrides


class TreePeak:
    """The most memory this process and its descendants held at one moment: their
    proportional set sizes (PSS: a page shared by a parent and its forked worker counts
    once) summed every ``interval`` seconds. ``peak_rss_mb`` and ``children_peak_mb``
    are each process's own peak; those never coincide in a build, where Pagefind runs
    after MkDocs. A separate process samples, not a thread: the build forks its render
    workers only when it is the sole thread.

        with TreePeak() as tree:
            build(...)
        tree.peak_mb
    """

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.peak_mb = 0.0
        self._sampler: subprocess.Popen | None = None

    def __enter__(self) -> TreePeak:
        command = [sys.executable, "-m", "bench.measure", "tree-peak", str(os.getpid()), str(self.interval)]
        self._sampler = subprocess.Popen(
            command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        return self

    def __exit__(self, *_exc: object) -> None:
        assert self._sampler is not None
        out, _ = self._sampler.communicate("")  # closing its stdin stops it
        self.peak_mb = float(out.strip() or 0)


def _sample_tree(root: int, interval: float) -> None:
    """Print the peak summed PSS of ``root``'s process tree, this sampler left out, once
    standard input closes."""
    import select

    peak = 0
    while True:
        peak = max(peak, sum(_pss_kb(pid) for pid in _tree(root) if pid != os.getpid()))
        if select.select([sys.stdin], [], [], interval)[0] and not sys.stdin.read():
            break
    print(peak / 1024)


def _tree(root: int) -> list[int]:
    """``root`` and every process below it, from each process's parent in /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue  # it ended
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo += children.get(pid, [])
    return pids


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass  # it ended, or the kernel has no smaps_rollup
    return 0


def run_child_json(args: list[str], failure: str) -> dict:
    """Run ``python -m <args>`` from the repository root in a fresh process (so its peak
    RSS is its own) and return the JSON object on the last line it prints; on a failure,
    exit with ``failure`` and what the child printed."""
    done = subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(f"{failure}:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def print_hotspots(profile: Path, limit: int = 15, orders: tuple[str, ...] = ("cumulative", "own")) -> None:
    """The ``limit`` functions with the most cumulative and/or own time in a cProfile file."""
    import pstats

    stats = pstats.Stats(str(profile))
    total = stats.total_tt  # type: ignore[attr-defined]
    entries = stats.stats  # type: ignore[attr-defined]
    for title in orders:
        column = 3 if title == "cumulative" else 2
        rows = sorted(entries.items(), key=lambda kv: kv[1][column], reverse=True)[:limit]
        print(f"\nTop {limit} by {title} time ({profile}, {total:.1f} s profiled):")
        print(f"  {'cum s':>7} {'share':>6} {'own s':>7} {'calls':>10}  function")
        for (file, line, name), (_cc, calls, own, cum, _callers) in rows:
            where = file
            for prefix in (str(ROOT) + os.sep, sys.prefix + os.sep):
                where = where.removeprefix(prefix)
            print(f"  {cum:7.2f} {cum / total:6.1%} {own:7.2f} {calls:10,}  {where}:{line}({name})")


if __name__ == "__main__" and sys.argv[1:2] == ["tree-peak"]:
    _sample_tree(int(sys.argv[2]), float(sys.argv[3]))
