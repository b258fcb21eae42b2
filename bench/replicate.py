"""Grow the shared data set into a content folder of any number of papers.

Takes the shared Hugging Face Daily Papers files (5,841 papers over 393 weekdays) and
writes a content folder of exactly N paper items: copy 0 is the data as it is, copy k
(k >= 1) is the whole data set again, moved 104·k weeks back (about 2k years, same
weekdays), with its own arXiv ids (the year digits moved back 2k years too) and titles
told apart by a Roman numeral ("ConvLLaVA II: Hierarchical ..."). Only the fields that
change are rewritten, in the file's own JSON layout, so the parser sees real data.
The output is a pure function of the inputs: same data and N, same bytes.

    python -m bench.replicate 50000 /tmp/bench/content-50000
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = Path(__file__).resolve().parents[2] / "shared"
CONTENT_FILES = ("taxonomy.yml", "tag-overrides.yml", "tag-examples.jsonl")
WEEKS_PER_COPY = 104  # 728 days: about two years back, and every day keeps its weekday
ARXIV_ID = re.compile(r"^(\d{2})(\d{2})\.(\d{4,5})$")
TIMESTAMP = re.compile(r"^(\d{4}-\d{2}-\d{2})(.*)$", re.DOTALL)
NUMERALS = (
    "",
    "II",
    "III",
    "IV",
    "V",
    "VI",
    "VII",
    "VIII",
    "IX",
    "X",
    "XI",
    "XII",
    "XIII",
    "XIV",
    "XV",
    "XVI",
    "XVII",
    "XVIII",
    "XIX",
    "XX",
)


def data_dir(shared_dir: Path) -> Path:
    """The folder of ``YYYY-MM-DD.json`` files inside the shared folder."""
    return shared_dir / "data" / "hf-daily-papers"


def source_files(shared_dir: Path) -> list[Path]:
    files = sorted(data_dir(shared_dir).glob("????-??-??.json"))
    if not files:
        raise FileNotFoundError(f"no YYYY-MM-DD.json files in {data_dir(shared_dir)}")
    return files


def copy_title(title: str, copy: int) -> str:
    """The title of copy ``copy``: a numeral after the name before the colon, else at the end."""
    if copy == 0:
        return title
    numeral = NUMERALS[copy] if copy < len(NUMERALS) else f"(copy {copy})"
    head, colon, tail = title.partition(":")
    if colon and head.strip():
        return f"{head.rstrip()} {numeral}:{tail}"
    return f"{title.rstrip()} {numeral}"


def copy_day(day: date, copy: int) -> date:
    return day - timedelta(weeks=WEEKS_PER_COPY * copy)


def _copy_timestamp(value: object, copy: int) -> object:
    """``2025-12-27T09:07:12.000Z`` moved back with its copy; anything else unchanged."""
    match = TIMESTAMP.match(value) if isinstance(value, str) else None
    if not match:
        return value
    try:
        day = date.fromisoformat(match.group(1))
    except ValueError:
        return value
    return copy_day(day, copy).isoformat() + match.group(2)


class IdMap:
    """A new arXiv id for each (copy, id): the year moved back 2·copy years, unique overall."""

    def __init__(self, originals: set[str]) -> None:
        self.used = set(originals)
        self.assigned: dict[tuple[int, str], str] = {}

    def __call__(self, arxiv_id: str, copy: int) -> str:
        key = (copy, arxiv_id)
        if key in self.assigned:
            return self.assigned[key]
        match = ARXIV_ID.match(arxiv_id)
        if copy == 0 or not match:
            return arxiv_id
        year, month, number = match.groups()
        prefix = f"{(int(year) - 2 * copy) % 100:02d}{month}."
        width, value = len(number), int(number)
        candidate = f"{prefix}{number}"
        while candidate in self.used:  # never with the shared data; kept for other inputs
            value = (value + 1) % 10**width
            candidate = f"{prefix}{value:0{width}d}"
        self.used.add(candidate)
        self.assigned[key] = candidate
        return candidate


def copy_item(item: object, copy: int, ids: IdMap) -> object:
    """One API item of copy ``copy``: only id, titles and dates are rewritten."""
    if copy == 0 or not isinstance(item, dict):
        return item
    item = dict(item)
    paper = item.get("paper")
    if isinstance(paper, dict):
        paper = dict(paper)
        if isinstance(paper.get("id"), str):
            paper["id"] = ids(paper["id"], copy)
        if isinstance(paper.get("title"), str):
            paper["title"] = copy_title(paper["title"], copy)
        for key in ("publishedAt", "submittedOnDailyAt"):
            if key in paper:
                paper[key] = _copy_timestamp(paper[key], copy)
        item["paper"] = paper
    if isinstance(item.get("title"), str):
        item["title"] = copy_title(item["title"], copy)
    if "publishedAt" in item:
        item["publishedAt"] = _copy_timestamp(item["publishedAt"], copy)
    return item


def _indent(text: str) -> int:
    """The file's own indentation (the API answers come with 2 or 4 spaces)."""
    match = re.search(r"\n( +)\S", text)
    return len(match.group(1)) if match else 2


def replicate(shared_dir: Path, target_content_dir: Path, papers: int) -> Path:
    """Write a content folder of exactly ``papers`` paper items; returns it.

    ``target_content_dir/digests`` and any permalink lock there are replaced; the
    repository's taxonomy and tag overrides are copied beside them.
    """
    if papers < 1:
        raise ValueError("papers must be at least 1")
    files = source_files(shared_dir)
    loaded = [(date.fromisoformat(p.stem), p, p.read_text(encoding="utf-8")) for p in files]
    items_of = [json.loads(text) for _, _, text in loaded]
    originals = {
        it["paper"]["id"]
        for items in items_of
        for it in items
        if isinstance(it, dict)
        and isinstance(it.get("paper"), dict)
        and isinstance(it["paper"].get("id"), str)
    }
    ids = IdMap(originals)

    target = Path(target_content_dir)
    digests = target / "digests"
    if digests.exists():
        shutil.rmtree(digests)
    digests.mkdir(parents=True)
    (target / "permalinks.lock").unlink(missing_ok=True)
    for name in CONTENT_FILES:
        if (ROOT / "content" / name).exists():
            shutil.copyfile(ROOT / "content" / name, target / name)

    left, copy = papers, 0
    while left > 0:
        for (day, path, text), items in zip(loaded, items_of, strict=True):
            if left <= 0:
                break
            out = digests / f"{copy_day(day, copy).isoformat()}.json"
            if copy == 0 and len(items) <= left:
                shutil.copyfile(path, out)
            else:
                chosen = [copy_item(it, copy, ids) for it in items[:left]]
                out.write_text(json.dumps(chosen, indent=_indent(text), ensure_ascii=False), encoding="utf-8")
            left -= min(len(items), left)
        copy += 1
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("papers", type=int, help="number of paper items to write")
    parser.add_argument("target", type=Path, help="content folder to (re)write")
    parser.add_argument(
        "--shared", type=Path, default=SHARED_DIR, help="the shared folder (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    replicate(args.shared, args.target, args.papers)
    count = len(list((args.target / "digests").iterdir()))
    print(f"{args.papers:,} papers in {count:,} digests under {args.target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
