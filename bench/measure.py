"""Shared by the benchmarks: child runs, peak memory, and a profile's hotspots."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
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
