"""Time and memory of ``build_related`` on a large archive.

Reads the shared Hugging Face Daily Papers data once (through the real readers,
merge and tagging), then grows it in memory to N papers: copy k >= 1 of each paper
gets its own URI and arXiv id and a title told apart by a Roman-numeral-like
suffix, with the abstract and tags unchanged. Each run builds the related lists
in a fresh process, so the peak RSS printed is that run's alone (data included).

    python -m bench.related 50000 --runs 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from bench.measure import peak_rss_mb

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data" / "hf-daily-papers"
LIMIT_SECONDS = 20.0
LIMIT_RSS_MB = 2048


def load_papers(data_dir: Path) -> list:
    """The shared data as archive papers (tags included), via the real pipeline."""
    from generator.build import merge_content
    from generator.content import read_content

    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp)
        (content / "digests").mkdir()
        for name in ("taxonomy.yml", "tag-overrides.yml"):
            if (ROOT / "content" / name).exists():
                (content / name).write_bytes((ROOT / "content" / name).read_bytes())
        for path in sorted(data_dir.glob("????-??-??.json")):
            (content / "digests" / path.name).write_bytes(path.read_bytes())
        archive, _ = merge_content(read_content(content))
    return list(archive.papers)


def grow(papers: list, total: int) -> list:
    """``total`` papers: the originals, then copies with distinct URIs, ids and titles."""
    out = []
    copy = 0
    while len(out) < total:
        for paper in papers:
            if len(out) == total:
                break
            if copy == 0:
                out.append(paper)
                continue
            key = f"c{copy}-{paper.uri.strip('/').rsplit('/', 1)[-1]}"
            out.append(
                replace(
                    paper,
                    uri=f"papers/{key}/",
                    arxiv_id=key,
                    title=f"{paper.title} (part {copy + 1})",
                )
            )
        copy += 1
    return out


def run_once(total: int, data_dir: Path) -> dict:
    from generator.related import build_related

    papers = grow(load_papers(data_dir), total)
    started, cpu = time.perf_counter(), time.process_time()
    related = build_related(papers)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak_mb = peak_rss_mb()
    full = sum(len(v) == 5 for v in related.values())
    return {"papers": len(papers), "seconds": seconds, "cpu": cpu, "peak_mb": peak_mb, "with_5": full}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("papers", type=int, nargs="?", default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--data", type=Path, default=SHARED_DATA, help="folder of YYYY-MM-DD.json (default: %(default)s)"
    )
    parser.add_argument("--once", action="store_true", help=argparse.SUPPRESS)  # one run, JSON out
    args = parser.parse_args(argv)
    if args.once:
        print(json.dumps(run_once(args.papers, args.data)))
        return 0
    results = []
    for number in range(1, args.runs + 1):
        out = subprocess.run(
            [sys.executable, "-m", "bench.related", str(args.papers), "--data", str(args.data), "--once"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        result = json.loads(out.stdout.strip().splitlines()[-1])
        results.append(result)
        print(
            f"run {number}: {result['papers']:,} papers, {result['seconds']:.2f} s ({result['cpu']:.2f} s CPU), "
            f"peak RSS {result['peak_mb']:.0f} MB, {result['with_5']:,} with 5 related",
            flush=True,
        )
    seconds = statistics.median(r["seconds"] for r in results)
    peak = max(r["peak_mb"] for r in results)
    ok = seconds <= LIMIT_SECONDS and peak <= LIMIT_RSS_MB
    print(
        f"build_related: median {seconds:.2f} s over {len(results)} runs, peak RSS {peak:.0f} MB "
        f"(limits {LIMIT_SECONDS:.0f} s, {LIMIT_RSS_MB} MB): {'ok' if ok else 'OVER'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
