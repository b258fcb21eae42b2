"""Site benchmark: generation, MkDocs and the whole build for 1,000 to 50,000 papers.

For each size, content is made by ``bench.replicate`` and measured in fresh
subprocesses (so each peak RSS is its own run's):

- stages: ``generate`` (read + merge + tag + render), ``write_files`` (the docs
  folder), ``run_mkdocs`` (with the time of each plugin's and hook's events, so the
  search index shows as ``search``) and ``check_sizes``, called one by one from
  ``generator.build``; repeated ``--repeat`` times, medians printed;
- build: ``generator.build.build()`` once, end to end, wall time;
- stock: plain MkDocs with the stock Material theme on the same generated Markdown
  (``theme: material``, same nav, no custom_dir, no hooks, default search plugin),
  the baseline the ratios are taken against;
- with ``--one-more-day``: what a daily publish costs. The newest digests (``--days``,
  3) are held back, the site built in full, built again with nothing changed, then
  built once per day added back, oldest first: time of each (and of its stages), how
  many of the site's files were added, removed or changed bytes, by kind (paper pages,
  day pages, search fragments...), the medians over the days, and whether the last
  rebuild equals a full build of the same content.

    .venv/bin/python -m bench.site                       # 1,000 and 10,000 papers
    .venv/bin/python -m bench.site --sizes 10000,50000 --repeat 1   # takes many minutes
    .venv/bin/python -m bench.site --sizes 10000 --repeat 0 --profile /tmp/site-10k.prof
    nice -n 10 .venv/bin/python -m bench.site --sizes 10000 --repeat 0 --one-more-day --out /dev/shm/bs
    .venv/bin/python -m bench.site --sizes 50000 --against main --repeat 0   # this checkout vs main

``--against REF`` also builds each size with the code of git revision REF (checked out
beside the scratch folder, run with this checkout's Python environment), one whole
build each, REF's first: site bytes and files, wall and CPU time (this process's
children, Pagefind and the workers included), and the ratios. Author and organisation
pages are counted apart. With ``--repeat 0`` only these two builds run.

Outputs go to a scratch folder (``--out``, default a new folder under the system
temporary folder); sites are deleted after measuring unless ``--keep``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import yaml

from bench.measure import (
    TreePeak,
    children_peak_mb,
    peak_rss_mb,
    print_hotspots,
    run_child_json,
    scratch_write_seconds,
    stock_overrides,
)
from bench.replicate import SHARED_DIR, replicate

ROOT = Path(__file__).resolve().parents[1]
SITE_URL = "https://example.github.io/paper-archive/"
ONCE_FROM = 10_000  # sizes from here on run once: a run takes minutes
LARGE = 50_000
# Targets from the project brief.
TARGET_E2E_PAPERS, TARGET_E2E_SECONDS, TARGET_E2E_MB = 10_000, 60.0, 1024.0
TARGET_GROWTH = 5.5  # 50,000 papers cost at most 5.5x 10,000
TARGET_PAGE_BYTES = 15 * 1024
TARGET_GENERATION_SHARE = 0.10


# --- in the child process --------------------------------------------------------------


def _time_plugin_events(timings: dict[str, float]) -> None:
    """Time every plugin and hook event MkDocs runs, by plugin name ('search', hooks...)."""
    from mkdocs.plugins import PluginCollection

    def run_event(self, name, item=None, **kwargs):  # MkDocs' signature
        pass_item = item is not None
        for method in self.events[name]:
            origin = self._event_origins.get(method, "<unknown>")
            self._current_plugin = origin
            started = time.perf_counter()
            result = method(item, **kwargs) if pass_item else method(**kwargs)
            timings[origin] += time.perf_counter() - started
            if result is not None:
                item = result
        self._current_plugin = None
        return item

    PluginCollection.run_event = run_event  # type: ignore[method-assign]


def _settings(work: Path, name: str):
    from generator.config import load_settings

    settings = load_settings(ROOT / "mkdocs.yml", site_url=SITE_URL, site_dir=work / name / "site")
    return replace(settings, docs_dir=work / name / "docs")


def child_stages(content: Path, work: Path) -> dict:
    """generate -> write_files -> run_mkdocs -> check_sizes, each timed."""
    from generator import build as b
    from generator.errors import ContentErrors

    plugins: dict[str, float] = defaultdict(float)
    _time_plugin_events(plugins)
    settings = _settings(work, "stages")
    for folder in (settings.docs_dir, settings.site_dir):
        shutil.rmtree(folder, ignore_errors=True)
    times: dict[str, float] = {}
    cpu_times: dict[str, float] = {}  # this process and its children (Pagefind)

    def cpu_now() -> float:
        own, children = (resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    gc.collect()
    c0 = cpu_now()
    t0 = time.perf_counter()
    settings.docs_dir.mkdir(parents=True)
    generated = b.generate(settings, content, settings.docs_dir)
    times["generate"] = time.perf_counter() - t0
    cpu_times["generate"], c0 = cpu_now() - c0, cpu_now()
    b.pin_build_time(generated.archive)
    t0 = time.perf_counter()
    b.write_files(settings.docs_dir, generated.files)
    times["write_docs"] = time.perf_counter() - t0
    cpu_times["write_docs"], c0 = cpu_now() - c0, cpu_now()
    rss_generation = peak_rss_mb()
    papers, files = len(generated.archive.papers), sum(len(names) for *_, names in os.walk(settings.docs_dir))
    archive_papers = generated.archive.papers  # build() keeps them through MkDocs too
    del generated
    gc.collect()
    c0, t0 = cpu_now(), time.perf_counter()
    b.run_mkdocs(settings, settings.docs_dir, settings.site_dir)
    times["mkdocs"] = time.perf_counter() - t0
    cpu_times["mkdocs"], c0 = cpu_now() - c0, cpu_now()
    t0 = time.perf_counter()
    b.index_for_search(settings.site_dir, archive_papers)  # Pagefind, a separate process
    times["search_index"] = time.perf_counter() - t0
    cpu_times["search_index"], c0 = cpu_now() - c0, cpu_now()
    t0 = time.perf_counter()
    guard = ""
    try:  # the 200 KB page and 1 GB site guards: a figure here, not the end of the run
        b.check_sizes(settings.site_dir)
    except ContentErrors as e:
        guard = str(e)
    times["check_sizes"] = time.perf_counter() - t0
    cpu_times["check_sizes"] = cpu_now() - c0
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "times": times,
        "cpu_times": cpu_times,
        "guard": guard,
        "plugins": dict(plugins),
        "papers": papers,
        "docs_files": files,
        "cpu": cpu.ru_utime + cpu.ru_stime,
        "rss_generation_mb": rss_generation,
        "rss_peak_mb": peak_rss_mb(),
        "rss_children_mb": children_peak_mb(),
        **site_stats(settings.site_dir),
    }


def child_build(content: Path, work: Path, profile: Path | None) -> dict:
    """The whole ``build()``, as ``paper-archive build`` runs it."""
    from generator.build import build
    from generator.errors import ContentErrors

    settings = _settings(work, "build")
    (content / "permalinks.lock").unlink(missing_ok=True)
    t0 = time.perf_counter()
    guard = ""
    try:
        if profile:
            import cProfile

            with cProfile.Profile() as prof:
                build(settings, content)
            prof.dump_stats(profile)
        else:
            with TreePeak() as tree:
                build(settings, content)
    except ContentErrors as e:  # a size guard: the build stops after MkDocs and Pagefind
        guard = str(e)
    wall = time.perf_counter() - t0
    (content / "permalinks.lock").unlink(missing_ok=True)  # keep the content the same for every run
    return {
        "wall": wall,
        "guard": guard,
        "rss_peak_mb": peak_rss_mb(),
        "rss_children_mb": children_peak_mb(),
        "rss_tree_mb": 0.0 if profile else tree.peak_mb,
        "profiled": bool(profile),
        **site_stats(settings.site_dir),
    }


def child_rebuild(content: Path, work: Path, full: bool) -> dict:
    """``build()`` into ``work/daily``, keeping the permalink lock and the previous site:
    one step of a daily publish. ``full``: ``build(..., full=True)`` where the build
    knows it (an incremental build's cache ignored)."""
    import inspect

    from generator.build import build

    settings = _settings(work, "daily")
    kwargs = {"full": True} if full and "full" in inspect.signature(build).parameters else {}
    stages: dict[str, float] = {}
    started, stage = time.perf_counter(), "generate"

    def progress(message: str) -> None:  # each stage's wall time, up to the next one's start
        nonlocal started, stage
        now = time.perf_counter()
        stages[stage] = stages.get(stage, 0.0) + now - started
        started, stage = now, message.split(" for ")[0].split(" to ")[0]

    t0 = time.perf_counter()
    build(settings, content, progress=progress, **kwargs)
    return {"wall": time.perf_counter() - t0, "rss_peak_mb": peak_rss_mb(), "stages": stages}


def tree_hashes(root: Path) -> dict[str, tuple[str, int]]:
    """Site-relative path -> (SHA-256 of the bytes, size), for every file under ``root``."""
    import hashlib

    hashes = {}
    for folder, _dirs, names in os.walk(root):
        for name in names:
            data = Path(folder, name).read_bytes()
            hashes[Path(folder, name).relative_to(root).as_posix()] = (
                hashlib.sha256(data).hexdigest(),
                len(data),
            )
    return hashes


def file_kind(path: str) -> str:
    """What a site file is, for the breakdown of what a new day changes."""
    parts = path.split("/")
    if path.startswith("pagefind/"):
        for kind in ("fragment", "index", "filter"):
            if f"/{kind}/" in f"/{path}":
                return f"search {kind}"
        return "search metadata/entry" if path.endswith((".pf_meta", ".json")) else "search scripts"
    if parts[0] == "papers":
        return "paper page" if path.endswith(".html") else "paper other"
    if parts[0] == "archive":
        depth = len(parts) - 1  # archive/YYYY/MM/DD/index.html
        kind = {1: "archive index", 2: "year page", 3: "month page", 4: "day page"}.get(depth, "archive file")
        return kind if path.endswith(".html") else f"{kind.split()[0]} {parts[-1]}"
    if parts[0] == "tags":
        return "tag page" if path.endswith(".html") else f"tag {parts[-1]}"
    if parts[0] == "top":
        return f"top {parts[1]} page"
    if parts[0] == "assets":
        return "assets"
    return "other: " + path if len(parts) == 1 else f"other: {parts[0]}/"


def compare_trees(before: dict[str, tuple[str, int]], after: dict[str, tuple[str, int]]) -> dict:
    changed = sorted(p for p in before.keys() & after.keys() if before[p] != after[p])
    added = sorted(after.keys() - before.keys())
    removed = sorted(before.keys() - after.keys())
    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # files, changed, added, removed
    for path in after:
        kinds[file_kind(path)][0] += 1
    for column, paths in ((1, changed), (2, added), (3, removed)):
        for path in paths:
            kinds[file_kind(path)][column] += 1
    return {
        "files": len(after),
        "bytes": sum(size for _, size in after.values()),
        "upload": sum(after[p][1] for p in changed + added),  # what a sync by changed files sends
        "changed": len(changed),
        "added": len(added),
        "removed": len(removed),
        "kinds": dict(kinds),
        "examples": {"changed": changed[:8], "added": added[:8], "removed": removed[:8]},
    }


def hold_back_newest_days(content: Path, days: int) -> list[Path]:
    """Move the ``days`` newest digests out of ``content``; returns where they went, oldest first."""
    held = []
    for newest in sorted((content / "digests").glob("????-??-??.*"))[-days:]:
        target = content.parent / "held-back" / newest.name
        target.parent.mkdir(parents=True, exist_ok=True)
        newest.rename(target)
        held.append(target)
    return held


def digest_papers(path: Path) -> int:
    data = json.loads(path.read_bytes())
    return len(data) if isinstance(data, list) else 0


def measure_daily(
    shared: Path, out: Path, papers: int, days: int = 3, full: bool = True, batch: int = 1, skip: int = 0
) -> dict:
    """Full build without the ``days`` newest days; no-change rebuild; then one rebuild
    per ``batch`` days added back, oldest first: each a daily publish (or, with a batch
    of several days, a publish after a few days without one)."""
    work = out / f"size-{papers}"
    content = replicate(shared, work / "content", papers)
    shutil.rmtree(work / "daily", ignore_errors=True)
    if skip:  # an archive that does not end on a round number of papers (search shards' edges)
        for path in hold_back_newest_days(content, skip):
            path.unlink()
    held = hold_back_newest_days(content, days)
    runs: dict[str, dict] = {}
    runs["full"] = run_child("rebuild-full", content, work)
    before = tree_hashes(work / "daily" / "site")
    runs["no change"] = run_child("rebuild", content, work)
    same = tree_hashes(work / "daily" / "site")
    result: dict = {"papers": papers, "runs": runs, "days": []}
    result["no change"] = compare_trees(before, same)
    for start in range(0, len(held), batch):
        paths = held[start : start + batch]
        count = sum(digest_papers(path) for path in paths)
        name = (
            f"day {paths[0].stem}"
            + (f" to {paths[-1].stem}" if len(paths) > 1 else "")
            + f" ({count} papers)"
        )
        for path in paths:
            path.rename(content / "digests" / path.name)
        runs[name] = run_child("rebuild", content, work)
        after = tree_hashes(work / "daily" / "site")
        result[name] = compare_trees(same, after)
        result["days"].append(name)
        same = after
    if full:  # the same content built from nothing: an incremental build must equal it
        shutil.rmtree(work / "daily" / "site")
        runs["full, same content"] = run_child("rebuild-full", content, work)
        result["equal to full"] = compare_trees(same, tree_hashes(work / "daily" / "site"))
    return result


def report_daily(r: dict) -> None:
    days = len(r["days"])
    print(
        f"\n== a daily publish, {r['papers']:,} papers replicated: the newest days added back, {days} rebuilds"
    )
    full = r["runs"]["full"]["wall"]
    for name, run in r["runs"].items():
        print(
            f"  {name:<32} {run['wall']:8.1f} s wall ({run['wall'] / full:6.1%} of the full build), "
            f"peak RSS {run['rss_peak_mb']:.0f} MB"
        )
        stages = run.get("stages", {})
        print(
            "    "
            + ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in stages.items() if seconds >= 0.05)
        )
    for name in ("no change", *r["days"], "equal to full"):
        if name not in r:
            continue
        c = r[name]
        touched = c["changed"] + c["added"] + c["removed"]
        label = "differs from a full build" if name == "equal to full" else "files touched"
        print(
            f"  {name}: {label} {touched:,} of {c['files']:,} ({touched / max(1, c['files']):.1%}): "
            f"{c['changed']:,} changed, {c['added']:,} added, {c['removed']:,} removed; "
            f"{mb(c['upload'])} of the site's {mb(c['bytes'])} to upload where changed files are synced"
        )
        if touched and name != "no change" or name in r["days"]:
            print(f"    {'kind':<26} {'files':>7} {'changed':>8} {'added':>6} {'removed':>8}")
            for kind, (files, changed, added, removed) in sorted(c["kinds"].items()):
                if changed or added or removed:
                    print(f"    {kind:<26} {files:7,} {changed:8,} {added:6,} {removed:8,}")
        for what, paths in c["examples"].items():
            if paths and name not in r["days"]:
                print(f"    {what}: {', '.join(paths)}")
    if r["days"]:
        ratios = [r["runs"][name]["wall"] / full for name in r["days"]]
        shares = [
            (r[name]["changed"] + r[name]["added"] + r[name]["removed"]) / max(1, r[name]["files"])
            for name in r["days"]
        ]
        print(
            f"  a day added, median of {len(ratios)}: {statistics.median(ratios):.1%} of the full build's time "
            f"(goal at most 33.3%), {statistics.median(shares):.1%} of the site's files touched (goal at most 5%)"
        )


class _LenientLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without executing ``!!python/name:`` tags."""


_LenientLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def stock_config(docs_dir: Path, site_dir: Path, path: Path) -> Path:
    """A plain mkdocs.yml: stock Material, the project's nav, no custom_dir, no hooks."""
    project = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_LenientLoader) or {}
    config = {
        "site_name": project.get("site_name", "Paper Archive"),
        "site_url": SITE_URL,
        "docs_dir": str(docs_dir),
        "site_dir": str(site_dir),
        "theme": {"name": "material", "custom_dir": str(stock_overrides(path.parent))},
        "nav": project.get("nav"),
        "not_in_nav": project.get("not_in_nav"),
        "plugins": ["search"],
        "markdown_extensions": project.get("markdown_extensions") or [],
        "validation": project.get("validation"),
    }
    path.write_text(
        yaml.safe_dump({k: v for k, v in config.items() if v is not None}, sort_keys=False), encoding="utf-8"
    )
    return path


def child_stock(work: Path) -> dict:
    import logging

    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    plugins: dict[str, float] = defaultdict(float)
    _time_plugin_events(plugins)
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    docs, site = work / "stages" / "docs", work / "stock" / "site"
    shutil.rmtree(site, ignore_errors=True)
    config_path = stock_config(docs, site, work / "stock.mkdocs.yml")
    c0, t0 = time.process_time(), time.perf_counter()
    mkdocs_build(load_config(str(config_path)))
    wall = time.perf_counter() - t0
    return {
        "wall": wall,
        "plugins": dict(plugins),
        "cpu": time.process_time() - c0,
        "rss_peak_mb": peak_rss_mb(),
        **site_stats(site),
    }


def people_stats(site_dir: Path) -> dict:
    """Bytes and files of the author and organisation pages and feeds (generator/people.py)."""
    figures = {}
    for folder in ("authors", "orgs"):
        files = [p for p in (site_dir / folder).rglob("*") if p.is_file()]
        figures[folder] = {
            "pages": sum(1 for p in files if p.name == "index.html"),
            "bytes": sum(p.stat().st_size for p in files),
        }
    return figures


def site_stats(site_dir: Path) -> dict:
    total, count, largest = 0, 0, ("", 0)
    paper_pages = []
    for path in site_dir.rglob("*"):
        if not path.is_file():
            continue
        size = path.stat().st_size
        total, count = total + size, count + 1
        if path.suffix == ".html" and size > largest[1]:
            largest = (path.relative_to(site_dir).as_posix(), size)
    for path in site_dir.glob("papers/*/index.html"):
        paper_pages.append(path.stat().st_size)
    search = sum(
        p.stat().st_size
        for folder in ("pagefind", "search")
        for p in (site_dir / folder).rglob("*")
        if p.is_file()
    )
    return {
        "site_bytes": total,
        "site_files": count,
        "largest_page": largest,
        "paper_pages": len(paper_pages),
        "paper_median": statistics.median(paper_pages) if paper_pages else 0,
        "paper_max": max(paper_pages, default=0),
        "search_index_bytes": search,
    }


# --- in the parent ---------------------------------------------------------------------


def run_child(mode: str, content: Path, work: Path, profile: Path | None = None) -> dict:
    args = ["bench.site", "--child", mode, str(content), str(work)]
    if profile:
        args += ["--profile", str(profile)]
    return run_child_json(args, f"bench.site: the {mode} run failed for {content}")


def median_of(runs: list[dict], get) -> float:
    return statistics.median(get(r) for r in runs)


def mb(n: float) -> str:
    return f"{n / 1024**2:.1f} MB"


def measure_size(shared: Path, out: Path, papers: int, repeat: int) -> dict:
    work = out / f"size-{papers}"
    content = replicate(shared, work / "content", papers)
    runs = max(1, repeat if papers < ONCE_FROM else 1)
    stages = [run_child("stages", content, work) for _ in range(runs)]
    build_run = run_child("build", content, work)
    stock = [run_child("stock", content, work) for _ in range(runs)]
    return {"papers": papers, "stages": stages, "build": build_run, "stock": stock}


def _search_plugin(plugins: dict[str, float]) -> float:
    return sum(v for k, v in plugins.items() if "search" in k)


def report_size(r: dict) -> dict:
    """Print one size's figures; return the medians the targets are checked on."""
    stages, stock, full = r["stages"], r["stock"], r["build"]
    names = list(stages[0]["times"])
    wall = {k: median_of(stages, lambda s, k=k: s["times"][k]) for k in names}
    cpu = {k: median_of(stages, lambda s, k=k: s.get("cpu_times", {}).get(k, 0.0)) for k in names}
    wall["generation"] = wall.pop("generate") + wall.pop("write_docs")
    cpu["generation"] = cpu.pop("generate") + cpu.pop("write_docs")
    total, total_cpu = sum(wall.values()), sum(cpu.values())
    hooks = median_of(stages, lambda s: sum(v for k, v in s["plugins"].items() if k.endswith(".py")))
    plugin_search = median_of(stages, lambda s: _search_plugin(s["plugins"]))
    stock_wall = median_of(stock, lambda s: s["wall"])
    stock_cpu = median_of(stock, lambda s: s["cpu"])
    stock_search = median_of(stock, lambda s: _search_plugin(s["plugins"]))
    s0, k0 = stages[0], stock[0]
    print(
        f"\n== {r['papers']:,} papers ({s0['papers']:,} merged; {s0['docs_files']:,} docs files; "
        f"{len(stages)} staged run(s): medians)"
    )
    print(f"  {'stage':<22} {'wall s':>8} {'CPU s':>8} {'share':>7}")
    labels = {
        "generation": "generation (gen+write)",
        "mkdocs": "MkDocs",
        "search_index": "search index",
        "check_sizes": "check sizes",
    }
    for name in labels:
        if name in wall:
            print(f"  {labels[name]:<22} {wall[name]:8.2f} {cpu[name]:8.2f} {wall[name] / total:7.1%}")
    runs = ", ".join(format(sum(s["times"].values()), ".1f") for s in stages)
    print(f"  {'total':<22} {total:8.2f} {total_cpu:8.2f}   runs: {runs}")
    # Above 2,000 pages the hook hands pages to minify workers: its time is then the
    # wait when they fall behind (generator/minify.py).
    print(
        f"  in MkDocs: hooks (minify, or waiting on its workers) {hooks:.2f} s, search plugin {plugin_search:.2f} s"
    )
    for guard in {s0.get("guard", ""), full.get("guard", "")} - {""}:
        print(f"  size guard failed   {guard}")
    print(
        f"  build() once       {full['wall']:8.2f} s wall, peak RSS {full['rss_peak_mb']:.0f} MB"
        + ("  (under cProfile: slower)" if full.get("profiled") else "")
        + (
            f"; with its children at once {full['rss_tree_mb']:.0f} MB (PSS, sampled)"
            if full.get("rss_tree_mb")
            else ""
        )
    )
    print(
        f"  peak RSS (staged)  {max(s['rss_peak_mb'] for s in stages):8.0f} MB, "
        f"{max(s['rss_generation_mb'] for s in stages):.0f} MB after generation "
        "(this process only)"
    )
    print(
        f"  largest child      {max(s['rss_children_mb'] for s in stages):8.0f} MB peak RSS "
        "(Pagefind's process, or a render worker)"
    )
    print(
        f"  site               {mb(s0['site_bytes'])} in {s0['site_files']:,} files; search index "
        f"{mb(s0['search_index_bytes'])}"
    )
    print(
        f"  paper pages        {s0['paper_pages']:,}: median {s0['paper_median'] / 1024:.1f} KB, "
        f"max {s0['paper_max'] / 1024:.1f} KB"
    )
    print(f"  largest page       {s0['largest_page'][0]} ({s0['largest_page'][1] / 1024:.1f} KB)")
    print(
        f"  stock Material     {stock_wall:8.2f} s wall, {stock_cpu:.2f} s CPU (search plugin "
        f"{stock_search:.2f} s), peak RSS {max(s['rss_peak_mb'] for s in stock):.0f} MB, site "
        f"{mb(k0['site_bytes'])} in {k0['site_files']:,} files, paper page median "
        f"{k0['paper_median'] / 1024:.1f} KB, max {k0['paper_max'] / 1024:.1f} KB"
    )
    print(
        f"  ratio to stock     MkDocs {wall['mkdocs'] / stock_wall:.2f}x wall, "
        f"{cpu['mkdocs'] / stock_cpu:.2f}x CPU; total {total / stock_wall:.2f}x wall, "
        f"{total_cpu / stock_cpu:.2f}x CPU; build() {full['wall'] / stock_wall:.2f}x wall; "
        f"site bytes {s0['site_bytes'] / k0['site_bytes']:.2f}x; "
        f"paper page {s0['paper_median'] / max(1, k0['paper_median']):.2f}x"
    )
    return {
        "total": total,
        "cpu": total_cpu,
        "build": full["wall"],
        "rss": max(full["rss_peak_mb"], *(s["rss_peak_mb"] for s in stages)),
        "rss_children": max(full["rss_children_mb"], *(s["rss_children_mb"] for s in stages)),
        "rss_tree": full.get("rss_tree_mb", 0.0),
        "site_bytes": s0["site_bytes"],
        "paper_max": s0["paper_max"],
        "share": wall["generation"] / total,
        "share_cpu": cpu["generation"] / total_cpu if total_cpu else 0.0,
        "share_of_stock": wall["generation"] / stock_wall,
    }


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def report_targets(figures: dict[int, dict]) -> None:
    print("\n== targets")
    if TARGET_E2E_PAPERS in figures:
        f = figures[TARGET_E2E_PAPERS]
        print(
            f"  {TARGET_E2E_PAPERS:,} papers end to end <= {TARGET_E2E_SECONDS:.0f} s: "
            f"{verdict(f['build'] <= TARGET_E2E_SECONDS)} (build() {f['build']:.1f} s, staged {f['total']:.1f} s)"
        )
        print(
            f"  {TARGET_E2E_PAPERS:,} papers peak memory <= 1 GB: {verdict(f['rss'] <= TARGET_E2E_MB)} "
            f"({f['rss']:.0f} MB, the build process); with its children (Pagefind, render and minify workers): "
            + (
                f"{verdict(f['rss_tree'] <= TARGET_E2E_MB)} ({f['rss_tree']:.0f} MB at once, sampled; "
                if f["rss_tree"]
                else "not sampled ("
            )
            + f"{f['rss'] + f['rss_children']:.0f} MB if the largest child had peaked with it)"
        )
    else:
        print(f"  {TARGET_E2E_PAPERS:,} papers end to end: not measured (add it to --sizes)")
    if 10_000 in figures and LARGE in figures:
        a, b = figures[10_000], figures[LARGE]
        print(
            f"  growth 10,000 -> 50,000 <= {TARGET_GROWTH}x: time {verdict(b['total'] / a['total'] <= TARGET_GROWTH)} "
            f"({b['total'] / a['total']:.2f}x wall, {b['cpu'] / max(a['cpu'], 1e-9):.2f}x CPU), size {verdict(b['site_bytes'] / a['site_bytes'] <= TARGET_GROWTH)} "
            f"({b['site_bytes'] / a['site_bytes']:.2f}x)"
        )
    else:
        print("  growth 10,000 -> 50,000: not measured (run --sizes 10000,50000)")
    sizes = sorted(figures)
    for small, big in zip(sizes, sizes[1:], strict=False):
        a, b = figures[small], figures[big]
        print(
            f"  growth {small:,} -> {big:,} (papers x{big / small:g}): time x{b['total'] / a['total']:.2f} wall, "
            f"x{b['cpu'] / max(a['cpu'], 1e-9):.2f} CPU, "
            f"site bytes x{b['site_bytes'] / a['site_bytes']:.2f}"
        )
    for n, f in sorted(figures.items()):
        print(
            f"  {n:,} papers: paper page <= 15 KB {verdict(f['paper_max'] <= TARGET_PAGE_BYTES)} "
            f"(max {f['paper_max'] / 1024:.1f} KB); generation <= 10% of total "
            f"{verdict(f['share'] <= TARGET_GENERATION_SHARE)} ({f['share']:.1%} of wall, {f['share_cpu']:.1%} of CPU; "
            f"{f['share_of_stock']:.1%} of stock Material's build of the same pages)"
        )


def print_scratch_speed(out: Path) -> None:
    """At the start and the end of a run: a slow or noisy disk weighs on every figure."""
    seconds = scratch_write_seconds(out)
    print(f"scratch file system: 2,000 one-file folders written and removed in {seconds:.2f} s")


def build_at(root: Path, content: Path, work: Path) -> dict:
    """One whole build (``--child build``) with the code at ``root``: its figures, the CPU
    of the process tree (from this process's children) and this checkout's site stats."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [sys.executable, "-m", "bench.site", "--child", "build", str(content), str(work)],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"bench.site: the build at {root} failed:\n{done.stdout}\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    site = work / "build" / "site"
    result["cpu_tree"] = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    result.update(site_stats(site), people=people_stats(site))
    over = re.search(r"site is ([\d,]+) bytes", result["guard"])
    if over:  # the 1 GB guard stopped the build and took the site away: its size is in the message
        result["site_bytes"] = int(over[1].replace(",", ""))
    shutil.rmtree(work, ignore_errors=True)
    return result


def checkout(ref: str, out: Path) -> Path:
    """The code of git revision ``ref``, checked out (detached) under ``out``."""
    sha = subprocess.run(
        ["git", "rev-parse", "--verify", ref + "^{commit}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    target = out / f"code-{sha[:12]}"
    if not target.exists():
        subprocess.run(["git", "worktree", "add", "--detach", str(target), sha], cwd=ROOT, check=True)
    vendor = ROOT / "build" / "vendor"  # the pinned KaTeX wheel (generator/katex.py), not in git
    if vendor.is_dir():
        shutil.copytree(vendor, target / "build" / "vendor", dirs_exist_ok=True)
    return target


def compare_builds(shared: Path, out: Path, papers: int, ref: str) -> None:
    """This checkout's build of ``papers`` papers against ``ref``'s, in one run."""
    work = out / f"size-{papers}"
    content = replicate(shared, work / "content", papers)
    theirs_root = checkout(ref, out)
    try:
        theirs = build_at(theirs_root, content, work / "theirs")
        ours = build_at(ROOT, content, work / "ours")
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(theirs_root)], cwd=ROOT, check=False)
    print(f"\n== {papers:,} papers: this checkout against {ref} (one build each, {ref} first)")
    print(f"  {'':<26} {ref:>16} {'this checkout':>16} {'ratio':>8}")
    rows = [
        ("site bytes", theirs["site_bytes"], ours["site_bytes"], "{:,}"),
        ("site files", theirs["site_files"], ours["site_files"], "{:,}"),
        ("build wall s", theirs["wall"], ours["wall"], "{:.1f}"),
        ("build CPU s (whole tree)", theirs["cpu_tree"], ours["cpu_tree"], "{:.1f}"),
        ("build process peak MB", theirs["rss_peak_mb"], ours["rss_peak_mb"], "{:.0f}"),
    ]
    for label, a, b, fmt in rows:
        print(f"  {label:<26} {fmt.format(a):>16} {fmt.format(b):>16} {b / a if a else 0:>7.3f}x")
    for folder, kind in (("authors", "author"), ("orgs", "organisation")):
        figures = ours["people"][folder]
        print(f"  {kind} pages: {figures['pages']:,}, with their feeds {figures['bytes']:,} bytes")
    limit = 10**9
    print(
        f"  GitHub Pages' 1 GB (10^9 bytes): {verdict(ours['site_bytes'] <= limit)} "
        f"({ours['site_bytes'] / limit:.1%} of it); build time within +15% of {ref}: "
        f"{verdict(ours['wall'] <= 1.15 * theirs['wall'])} wall, {verdict(ours['cpu_tree'] <= 1.15 * theirs['cpu_tree'])} CPU"
    )
    if ours["guard"] or theirs["guard"]:
        print(f"  size guard: {ref}: {theirs['guard'] or 'ok'}; this checkout: {ours['guard'] or 'ok'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes",
        default="1000,10000",
        help="comma-separated numbers of papers (default: %(default)s; 50000 takes minutes)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help=f"staged and stock runs per size below {ONCE_FROM:,}; medians are printed (default: 3; "
        "0 with --profile: profile only)",
    )
    parser.add_argument(
        "--shared", type=Path, default=SHARED_DIR, help="the shared folder (default: %(default)s)"
    )
    parser.add_argument("--out", type=Path, help="scratch folder (default: a new temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the generated content, docs and sites")
    parser.add_argument(
        "--profile",
        type=Path,
        help="also cProfile one build() of the last size into this .prof file and print hotspots",
    )
    parser.add_argument(
        "--one-more-day",
        action="store_true",
        help="also measure a daily publish: full build, no-change rebuild, the newest day added",
    )
    parser.add_argument(
        "--days", type=int, default=3, help="with --one-more-day: days added back one by one (default 3)"
    )
    parser.add_argument(
        "--skip",
        type=int,
        default=0,
        help="with --one-more-day: leave out the newest SKIP days first, so that the archive does not end on "
        "exactly N papers (a round N is where search shards fill)",
    )
    parser.add_argument(
        "--batch",
        type=int,
        default=1,
        help="with --one-more-day: days added back by each rebuild (default 1)",
    )
    parser.add_argument(
        "--against", metavar="REF", help="also build each size with git revision REF's code and compare"
    )
    parser.add_argument("--child", nargs=3, metavar=("MODE", "CONTENT", "WORK"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        mode, content, work = args.child[0], Path(args.child[1]), Path(args.child[2])
        if mode == "stages":
            result = child_stages(content, work)
        elif mode == "build":
            result = child_build(content, work, args.profile)
        elif mode in ("rebuild", "rebuild-full"):
            result = child_rebuild(content, work, full=mode == "rebuild-full")
        else:
            result = child_stock(work)
        print(json.dumps(result))
        return 0

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    out = args.out or Path(tempfile.mkdtemp(prefix="paper-archive-site-"))
    out.mkdir(parents=True, exist_ok=True)
    print(
        f"site: sizes {', '.join(f'{n:,}' for n in sizes)}; load average {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} CPUs; scratch {out}",
        flush=True,
    )
    print_scratch_speed(out)
    figures = {}
    for n in sizes:
        if args.repeat > 0:
            figures[n] = report_size(measure_size(args.shared, out, n, args.repeat))
            sys.stdout.flush()
        if args.one_more_day:
            report_daily(measure_daily(args.shared, out, n, args.days, batch=args.batch, skip=args.skip))
            sys.stdout.flush()
        if args.against:
            compare_builds(args.shared, out, n, args.against)
            sys.stdout.flush()
        if args.profile and n == sizes[-1]:
            work = out / f"size-{n}"
            content = replicate(args.shared, work / "content", n)
            r = run_child("build", content, work, args.profile)
            print(f"\nbuild() of {n:,} papers under cProfile: {r['wall']:.1f} s")
            print_hotspots(args.profile)
        if not args.keep:
            shutil.rmtree(out / f"size-{n}", ignore_errors=True)
    if figures:
        report_targets(figures)
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")
    print_scratch_speed(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
