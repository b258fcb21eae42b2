"""Time, memory, stability and quality of ``build_related`` on a large archive.

Reads the shared Hugging Face Daily Papers data once (through the real readers,
merge and tagging), then grows it in memory to N papers as ``bench.replicate`` grows
a content folder: copy k >= 1 of each paper gets its own URI and arXiv id, a title
told apart by a Roman numeral and its days moved 104·k weeks back, with the abstract
and tags unchanged. Each run builds the related lists in a fresh process, so the peak
RSS printed is that run's alone (data included).

    python -m bench.related 50000 --runs 3
    python -m bench.related 50000 --one-more-day   # older lists a new day changes
    python -m bench.related --quality              # the shared data's lists, by tags
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from bench.measure import peak_rss_mb
from bench.replicate import copy_day, copy_title

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data" / "hf-daily-papers"
LIMIT_SECONDS = 20.0
LIMIT_RSS_MB = 2048
DAY_PAPERS = 50  # a day's papers, as issue #24 counts them


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
    """``total`` papers: the originals, then copies with distinct URIs, ids and titles,
    each copy earlier than the one before, so the newest day is the data's own."""
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
                    title=copy_title(paper.title, copy),
                    featured_on=tuple(copy_day(day, copy) for day in paper.featured_on),
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


def one_more_day(papers: Sequence, size: int = DAY_PAPERS) -> dict:
    """The related lists of the archive without its newest ``size`` papers or more
    (whole days: the data's days have 15 papers on average, the newest 4), against
    those of the whole archive: the older papers whose list changed, because a new
    paper entered it or otherwise."""
    from generator.related import build_related

    days = sorted({p.day for p in papers}, reverse=True)
    held = 0
    while sum(p.day >= days[held] for p in papers) < size:
        held += 1
    new = {p.uri for p in papers if p.day >= days[held]}
    before = build_related([p for p in papers if p.uri not in new])
    after = build_related(papers)
    changed = [uri for uri, others in before.items() if after[uri] != others]
    entered = [uri for uri in changed if new.intersection(after[uri])]
    otherwise = sorted(set(changed) - set(entered))
    return {
        "papers": len(papers),
        "new": len(new),
        "changed": len(changed),
        "entered": len(entered),
        "otherwise": len(otherwise),
        "examples": otherwise[:5],
    }


def tag_agreement(papers: Sequence, related: Mapping[str, Sequence[str]]) -> tuple[float, float]:
    """Of all (paper, related paper) pairs: the share that share a tag, and the mean
    number of tags they share."""
    tags = {p.uri: set(p.tags) for p in papers}
    shared = [len(tags[uri] & tags[other]) for uri, others in related.items() for other in others]
    return sum(s > 0 for s in shared) / len(shared), sum(shared) / len(shared)


def quality(papers: Sequence, save: Path | None, against: Path | None) -> str:
    """One line on the lists of ``papers``; saves them, or compares them with saved ones."""
    from generator.related import build_related

    related = build_related(papers)
    share, mean = tag_agreement(papers, related)
    pairs = sum(map(len, related.values()))
    line = (
        f"{len(papers):,} papers, {pairs:,} pairs: {share:.1%} share a tag, {mean:.3f} tags shared on average"
    )
    if save:
        save.write_text(json.dumps(related, indent=0, sort_keys=True), encoding="utf-8")
    if against:
        old = json.loads(against.read_text(encoding="utf-8"))
        kept = sum(len(set(old.get(uri, ())) & set(others)) for uri, others in related.items())
        same = sum(tuple(old.get(uri, ())) == others for uri, others in related.items())
        line += (
            f"; against {against.name}: {kept / pairs:.1%} of pairs kept, "
            f"{same / len(related):.1%} of lists identical"
        )
        old_share, old_mean = tag_agreement(papers, old)
        line += f" (saved lists: {old_share:.1%} share a tag, {old_mean:.3f} tags)"
    return line


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
    parser.add_argument(
        "--one-more-day",
        action="store_true",
        help="count the older papers whose list changes when the newest day is added",
    )
    parser.add_argument(
        "--quality", action="store_true", help="tag agreement of the lists of the shared data as it is"
    )
    parser.add_argument("--save", type=Path, help="with --quality: write the lists to this JSON file")
    parser.add_argument("--against", type=Path, help="with --quality: compare with lists saved by --save")
    args = parser.parse_args(argv)
    if args.quality:
        print(quality(load_papers(args.data), args.save, args.against))
        return 0
    if args.one_more_day:
        result = one_more_day(grow(load_papers(args.data), args.papers))
        old = result["papers"] - result["new"]
        print(
            f"{old:,} papers + {result['new']} of one more day (the newest): {result['changed']:,} older lists changed "
            f"({result['changed'] / old:.2%}): {result['entered']:,} because a new paper entered, "
            f"{result['otherwise']:,} otherwise {result['examples']}"
        )
        return 0
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
