"""Ingest benchmark: read + merge + tag the shared data and a replicated 50,000-paper archive.

Each size runs in a fresh subprocess, so its peak RSS is its own. Inside, every
stage runs ``--repeat`` times and the median is printed, beside the CPU time (less
sensitive than wall time to other work on the machine) and a baseline measured in
the same process: plain ``json.loads`` of every digest file, the least any reader
of these files must do.

    .venv/bin/python -m bench.ingest                      # shared data + 50,000 papers
    .venv/bin/python -m bench.ingest --sizes 10000 --profile /tmp/ingest.prof

Target: 50,000 papers in at most 10 s and 500 MB on a 2-core machine.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

from bench.measure import peak_rss_mb, print_hotspots, run_child_json
from bench.replicate import SHARED_DIR, replicate, source_files

ROOT = Path(__file__).resolve().parents[1]
TARGET_PAPERS = 50_000
TARGET_SECONDS = 10.0
TARGET_MB = 500.0


def measure(content_dir: Path, repeat: int, trace: bool, profile: Path | None) -> dict:
    """Runs in the child: the figures of one content folder, as a dict."""
    from generator import tagging
    from generator.build import merge_content
    from generator.content import read_content

    rss_start = peak_rss_mb()
    files = sorted((content_dir / "digests").iterdir())
    raw, read, merge, tag, cpu = [], [], [], [], []
    counts: dict[str, int] = {}
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        for path in files:
            json.loads(path.read_bytes())
        raw.append(time.perf_counter() - t0)

        gc.collect()
        c0, t0 = time.process_time(), time.perf_counter()
        content = read_content(content_dir)
        t1 = time.perf_counter()
        archive, _lock = merge_content(content)
        t2 = time.perf_counter()
        cpu.append(time.process_time() - c0)
        read.append(t1 - t0)
        merge.append(t2 - t1)

        # Tagging happens inside merge_content; tag every paper again to see its share.
        tagger = tagging.build_tagger(content.taxonomy)
        t0 = time.perf_counter()
        for paper in archive.papers:
            tagger.tags_for(paper.title, paper.abstract, paper.ai_keywords)
        tag.append(time.perf_counter() - t0)
        counts = {
            "records": sum(len(d.records) for d in content.digests),
            "papers": len(archive.papers),
            "days": len(archive.days),
            "tagged": sum(1 for p in archive.papers if p.tags),
        }
        del content, archive, _lock, tagger
    result = {
        **counts,
        "raw_json": statistics.median(raw),
        "read": statistics.median(read),
        "merge_tag": statistics.median(merge),
        "tag": statistics.median(tag),
        "total": statistics.median(r + m for r, m in zip(read, merge, strict=True)),
        "cpu": statistics.median(cpu),
        "runs": [round(r + m, 2) for r, m in zip(read, merge, strict=True)],
        "rss_start_mb": rss_start,
        "rss_peak_mb": peak_rss_mb(),
    }
    if trace:
        gc.collect()
        tracemalloc.start()
        content = read_content(content_dir)
        merge_content(content)
        result["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 1024**2
        tracemalloc.stop()
        del content
    if profile:
        import cProfile

        gc.collect()
        with cProfile.Profile() as prof:
            merge_content(read_content(content_dir))
        prof.dump_stats(profile)
        result["profile"] = str(profile)
    return result


def run_child(content_dir: Path, repeat: int, trace: bool, profile: Path | None) -> dict:
    args = ["bench.ingest", "--child", str(content_dir), "--repeat", str(repeat)]
    if trace:
        args.append("--tracemalloc")
    if profile:
        args += ["--profile", str(profile)]
    return run_child_json(args, f"the benchmark child failed for {content_dir}")


def prepare(shared_dir: Path, out_dir: Path, size: str) -> Path:
    """``shared``: the data as it is; a number: that many papers from ``replicate``."""
    if size == "shared":
        papers = sum(len(json.loads(p.read_bytes())) for p in source_files(shared_dir))
    else:
        papers = int(size)
    return replicate(shared_dir, out_dir / f"content-{size}", papers)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes",
        default=f"shared,{TARGET_PAPERS}",
        help="comma-separated: 'shared' (the data as is) or numbers of papers (default: %(default)s)",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per size; medians are printed (default: 3)"
    )
    parser.add_argument(
        "--shared", type=Path, default=SHARED_DIR, help="the shared folder (default: %(default)s)"
    )
    parser.add_argument("--out", type=Path, help="scratch folder for content (default: a temporary folder)")
    parser.add_argument("--tracemalloc", action="store_true", help="one more run under tracemalloc (slow)")
    parser.add_argument("--profile", type=Path, help="cProfile one run of the last size into this .prof file")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        print(json.dumps(measure(args.child, args.repeat, args.tracemalloc, args.profile)))
        return 0

    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    out = args.out or Path(tempfile.mkdtemp(prefix="paper-archive-ingest-"))
    print(
        f"ingest: {len(sizes)} sizes, {args.repeat} runs each, load average {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} CPUs, scratch {out}"
    )
    rows = []
    for n, size in enumerate(sizes):
        content = prepare(args.shared, out, size)
        profile = args.profile if args.profile and n == len(sizes) - 1 else None
        rows.append((size, run_child(content, args.repeat, args.tracemalloc, profile)))

    print(
        f"\n{'size':>8} {'records':>8} {'papers':>7} {'days':>5} {'read s':>7} {'merge+tag s':>11} "
        f"{'of it tag s':>11} {'total s':>8} {'cpu s':>6} {'json s':>7} {'x json':>7} {'peak MB':>8}"
        + (f" {'traced MB':>9}" if args.tracemalloc else "")
    )
    for size, r in rows:
        print(
            f"{size:>8} {r['records']:>8,} {r['papers']:>7,} {r['days']:>5,} {r['read']:>7.2f} {r['merge_tag']:>11.2f} "
            f"{r['tag']:>11.2f} {r['total']:>8.2f} {r['cpu']:>6.2f} {r['raw_json']:>7.2f} "
            f"{r['total'] / r['raw_json']:>7.1f} {r['rss_peak_mb']:>8.0f}"
            + (f" {r['traced_peak_mb']:>9.0f}" if "traced_peak_mb" in r else "")
        )
    print(
        "  total = read + merge+tag (median of runs: " + "; ".join(f"{s}: {r['runs']}" for s, r in rows) + ")"
    )
    print(
        f"  x json = total / json.loads of the same files; peak MB = the process's own peak RSS (VmHWM) "
        f"(imports alone: {rows[0][1]['rss_start_mb']:.0f} MB)"
    )
    for size, r in rows:
        if size.isdigit() and int(size) == TARGET_PAPERS:
            ok_t, ok_m = r["total"] <= TARGET_SECONDS, r["rss_peak_mb"] <= TARGET_MB
            print(
                f"target {TARGET_PAPERS:,} papers <= {TARGET_SECONDS:.0f} s: {'PASS' if ok_t else 'FAIL'} "
                f"({r['total']:.2f} s wall, {r['cpu']:.2f} s CPU); <= {TARGET_MB:.0f} MB: "
                f"{'PASS' if ok_m else 'FAIL'} ({r['rss_peak_mb']:.0f} MB)"
            )
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    if args.profile:
        print_hotspots(args.profile, orders=("own",))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
