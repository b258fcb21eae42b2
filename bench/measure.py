"""Shared by the benchmarks: a process's peak memory, and a profile's hotspots."""

from __future__ import annotations

import os
import resource
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
