"""Staged site -> the same site plus ``pagefind/``, indexed in shards.

Large archives are indexed in shards of at most ``SHARD_PAGES`` papers (``plan_shards``),
each a Pagefind run over a folder of hard links to its pages. The browser merges
them into one search (Pagefind's ``mergeIndex``): ranking there costs the square of
a shard's size instead of the whole archive's (see ``SHARD_PAGES``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from generator.errors import ContentError, ContentErrors
from generator.model import Paper
from generator.search.bundle import canonicalize_bundle
from generator.search.vocabulary import VOCABULARY_DIR

BUNDLE_DIR = "pagefind"
SHARDS_FILE = "shards.json"  # read by site_templates/assets/search.js
VIEW_DIR = ".pagefind-view"  # shard N's pages in N/, while Pagefind reads them; removed after
# Papers per index shard. Pagefind 1.5 ranks a query in time that grows with the pages
# it matches times its words' postings, so a query of common words slows as the square
# of the archive: in the browser, "video generation" took 1.8 s to rank at 50,000
# papers in one index, 0.45 s in 5 shards and 0.32 s in 10. Fewer, larger shards mean
# fewer bytes a query (metadata and a chunk per word, per shard): 10 shards keep a
# 50,000-paper query under 800 KB. Pagefind's memory while indexing follows the pages
# of one run (about 130 KB a page): 0.7 GB for 5,000.
SHARD_PAGES = 5_000
# The papers past the last full shard are cut once more, so that a new day re-indexes
# the newest few hundred, not up to 5,000: a shard of whole TAIL_PAGES of them and one
# of the rest, fewer than TAIL_PAGES. At 15 papers a day (the shared data's average),
# the first of the two is indexed again one day in 33, and a full shard formed one day
# in 333; a query pays for one shard more (its metadata and a chunk per word). A
# smaller tail is cheaper on most days: at 10,000 papers the newest shard's ~1,000
# pages took 2-3 s of Pagefind and 700 files a day (60% of the files a day changed).
TAIL_PAGES = 500


def search_pages(papers: Iterable[Paper]) -> list[str]:
    """The paper pages Pagefind indexes, as site-relative paths, in the archive's order
    (``Archive.papers``: newest first)."""
    return [f"{paper.uri}index.html" for paper in papers]


def plan_shards(
    pages: Sequence[str], shard_pages: int = SHARD_PAGES, tail_pages: int = TAIL_PAGES
) -> list[Sequence[str]]:
    """``pages`` (newest first) cut by date into shards of ``shard_pages``, counted from
    the oldest: shard 0 holds the oldest papers. The rest, newer than the last full
    shard, is one shard of its whole ``tail_pages`` and one of what remains, the newest.
    A new day so changes the newest shard (and, when it completes a tail, the one
    before), and the others keep their bytes: a daily publish re-indexes and re-uploads
    a few hundred pages, not the whole index. The price: Pagefind weighs a word by how
    rare it is in its own shard, and a shard of one period weighs that period's
    fashionable words ("reasoning" in 2025) a little lower than a like sample of the
    whole archive would; the newest shards are small."""
    oldest_first = list(reversed(pages))
    full = len(pages) - len(pages) % shard_pages
    cuts = [*range(0, full, shard_pages), full, full + (len(pages) - full) // tail_pages * tail_pages]
    cuts.append(len(pages))
    return [oldest_first[a:b][::-1] for a, b in zip(cuts, cuts[1:], strict=False) if b > a] or [[]]


def shard_dir(shard: int) -> str:
    """Where shard ``shard`` lives in the bundle: the first is the bundle itself."""
    return "" if shard == 0 else f"shard-{shard}/"


def build_search_index(
    site_dir: Path,
    pages: Sequence[str],
    shard_pages: int = SHARD_PAGES,
    resplit: bool = True,
    reuse: Callable[[int, Sequence[str]], bool] | None = None,
    *,
    tail_pages: int = TAIL_PAGES,
) -> list[Sequence[str]]:
    """Index the paper ``pages`` of ``site_dir`` (newest first) in place, in shards
    (``plan_shards``).

    Shard 0 is a whole Pagefind bundle in ``pagefind/``; the others keep only their
    index in ``pagefind/shard-N/``, merged into it in the browser (``mergeIndex``),
    and ``pagefind/shards.json`` lists them. Each page's fragment is named after its
    place in ``pages`` counted from the oldest (0), which is how search.js sorts by
    date; so a new day renames no fragment of an older paper. A Pagefind failure
    becomes a user error.

    One Pagefind runs at a time (its memory follows its pages), and while it does,
    this process rewrites the previous shard's bundle and links the next shard's
    pages: Pagefind keeps about one core and a third busy, and the Python around it
    was a third of the time.

    ``reuse(shard, its pages)``, asked for each shard once the old bundle is gone, may
    put that shard's files in place (``shard_files``) from an earlier index of the same
    pages and say so: Pagefind then skips it. Returns the shards' pages.
    """
    bundle_dir = site_dir / BUNDLE_DIR
    # Pagefind leaves a hashed file alone if it exists, so a stale bundle would linger.
    shutil.rmtree(bundle_dir, ignore_errors=True)
    views = site_dir / VIEW_DIR
    shutil.rmtree(views, ignore_errors=True)
    shards = plan_shards(pages, shard_pages, tail_pages)
    date_rank = {"/" + page.removesuffix("index.html"): n for n, page in enumerate(reversed(pages))}
    todo = [n for n in range(len(shards)) if reuse is None or not reuse(n, shards[n])]
    try:
        if todo:
            link_pages(site_dir, views / str(todo[0]), shards[todo[0]])
        for i, shard in enumerate(todo):
            running = start_pagefind(views / str(shard), bundle_dir / shard_dir(shard), site_dir)
            try:
                if i + 1 < len(todo):
                    link_pages(site_dir, views / str(todo[i + 1]), shards[todo[i + 1]])
                if i:
                    finish_shard(bundle_dir, todo[i - 1], views, date_rank, resplit)
            except BaseException:
                stop_pagefind(running)
                raise
            wait_pagefind(running, site_dir)
        if todo:
            finish_shard(bundle_dir, todo[-1], views, date_rank, resplit)
    finally:
        shutil.rmtree(views, ignore_errors=True)
    shards_json = {"shards": [shard_dir(n) for n in range(len(shards))]}
    (bundle_dir / SHARDS_FILE).write_text(json.dumps(shards_json) + "\n", encoding="utf-8")
    return shards


def shard_files(bundle_dir: Path, shard: int) -> list[str]:
    """The files of one shard's bundle, relative to ``bundle_dir``, sorted: shard 0's are
    the bundle's own but the other shards' folders, ``SHARDS_FILE`` and the vocabulary
    (written by the build for the whole archive)."""
    root = bundle_dir / shard_dir(shard)
    files = []
    for folder, dirs, names in os.walk(root):
        if shard == 0 and Path(folder) == root:
            dirs[:] = [d for d in dirs if not d.startswith("shard-") and d != VOCABULARY_DIR]
            names = [n for n in names if n != SHARDS_FILE]
        files += [Path(folder, name).relative_to(bundle_dir).as_posix() for name in names]
    return sorted(files)


def finish_shard(
    bundle_dir: Path, shard: int, views: Path, date_rank: Mapping[str, int], resplit: bool = True
) -> None:
    """A shard's bundle, as Pagefind left it, made canonical; its folder of links removed."""
    out = bundle_dir / shard_dir(shard)
    canonicalize_bundle(out, date_rank, resplit)
    if shard:
        keep_index_only(out)
    shutil.rmtree(views / str(shard), ignore_errors=True)


def link_pages(site_dir: Path, view: Path, pages: Sequence[str]) -> None:
    """A folder holding just ``pages``, at their own paths: hard links, copies where links fail."""
    for page in pages:
        target = view / page
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(site_dir / page, target)
        except OSError:
            shutil.copyfile(site_dir / page, target)


@dataclass
class Running:
    """A Pagefind run under way: its process, where it writes, what it prints."""

    process: subprocess.Popen
    out: Path
    log: IO[bytes]


def start_pagefind(view: Path, out: Path, site_dir: Path) -> Running:
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(view),
        "--output-path",
        str(out),
        "--glob",
        "**/*.html",
        "--quiet",
    ]
    log = tempfile.TemporaryFile()  # a file, not a pipe: nobody reads while it runs
    try:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    except OSError as e:
        log.close()
        raise ContentErrors([ContentError(str(site_dir), f"could not run Pagefind: {e}")]) from None
    return Running(process, out, log)


def stop_pagefind(running: Running) -> None:
    running.process.kill()
    running.process.wait()
    running.log.close()


def wait_pagefind(running: Running, site_dir: Path) -> None:
    with running.log:
        status = running.process.wait()
        running.log.seek(0)
        printed = running.log.read().decode("utf-8", "replace").strip()
    if status != 0 or not (running.out / "pagefind-entry.json").is_file():
        message = (printed or f"exit status {status}").splitlines()
        raise ContentErrors(
            [
                ContentError(
                    str(site_dir), f"Pagefind could not build the search index: {' '.join(message[-3:])}"
                )
            ]
        )


def keep_index_only(shard_bundle: Path) -> None:
    """Drop a merged shard's copy of Pagefind's scripts, styles and WebAssembly: the
    browser loads those once, from shard 0."""
    for path in shard_bundle.iterdir():
        if path.is_file() and path.name != "pagefind-entry.json" and path.suffix != ".pf_meta":
            path.unlink()
