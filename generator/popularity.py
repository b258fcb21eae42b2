"""Popularity: the most upvoted papers of each week and month, and upvotes for search.

Takes the ``Archive``; returns plain data for render.py (``top_pages``) and the small
file search.js sorts by upvotes with (``render_upvote_ranks``). Pure functions.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from generator.model import Archive, Paper
from generator.urls import top_month_uri, top_week_uri

TOP_WEEK = 20  # papers on a week's Top page
TOP_MONTH = 50  # papers on a month's Top page
# Upvotes of each paper in the search index's date order (search.js): [upvotes, ...].
UPVOTES_FILE = "search/upvotes.json"


def upvotes(paper: Paper) -> int:
    """Upvotes as a sort key: unknown counts as none."""
    return paper.upvotes if paper.upvotes is not None else -1


def by_upvotes(papers: Iterable[Paper]) -> list[Paper]:
    """Most upvoted first; ties keep their order (the archive's: newest first, then title)."""
    return sorted(papers, key=lambda p: -upvotes(p))


@dataclass(frozen=True, slots=True)
class TopPeriod:
    """A week or a month, its Top page's address and its papers, most upvoted first."""

    kind: str  # "week" or "month"
    key: tuple[int, int]  # (ISO year, ISO week) or (year, month)
    uri: str
    first: date  # the period's first and last calendar day
    last: date
    papers: tuple[Paper, ...]
    total: int  # papers featured in the period, of which ``papers`` are the top
    # (year, month) of its first featured day, whose month page it links to: a week's Monday
    # may fall in a month without digests (a first digest on Sunday 1 March), which has no page.
    month: tuple[int, int] = (0, 0)


def _week_bounds(year: int, week: int) -> tuple[date, date]:
    monday = date.fromisocalendar(year, week, 1)
    return monday, monday + timedelta(days=6)


def _month_bounds(year: int, month: int) -> tuple[date, date]:
    after = date(year + month // 12, month % 12 + 1, 1)
    return date(year, month, 1), after - timedelta(days=1)


def top_periods(archive: Archive) -> tuple[list[TopPeriod], list[TopPeriod]]:
    """Every week and month with papers, oldest first: (weeks, months). A paper featured on
    two days of a period counts once in it, as on the month pages."""
    papers = archive.by_uri()
    order = {p.uri: n for n, p in enumerate(archive.papers)}
    weeks: dict[tuple[int, int], set[str]] = {}
    months: dict[tuple[int, int], set[str]] = {}
    earliest: dict[tuple[str, tuple[int, int]], date] = {}
    for day, uris in archive.days.items():
        iso = day.isocalendar()
        for kind, key, found in (
            ("week", (iso.year, iso.week), weeks),
            ("month", (day.year, day.month), months),
        ):
            found.setdefault(key, set()).update(uris)
            earliest[kind, key] = min(day, earliest.get((kind, key), day))

    def periods(kind: str, found: dict[tuple[int, int], set[str]], size: int) -> list[TopPeriod]:
        out = []
        for key in sorted(found):
            listed = by_upvotes(papers[u] for u in sorted(found[key], key=order.__getitem__))
            first, last = _week_bounds(*key) if kind == "week" else _month_bounds(*key)
            uri = top_week_uri(*key) if kind == "week" else top_month_uri(*key)
            month = (earliest[kind, key].year, earliest[kind, key].month)
            out.append(TopPeriod(kind, key, uri, first, last, tuple(listed[:size]), len(listed), month))
        return out

    return periods("week", weeks, TOP_WEEK), periods("month", months, TOP_MONTH)


def render_upvote_ranks(archive: Archive) -> dict[str, bytes]:
    """Each paper's upvotes (-1: unknown) in the order the search index numbers them
    (the date rank of ``build_search_index``: the archive's, oldest first), so that
    search.js sorts any results by upvotes from their fragment names alone. About 4 bytes a paper, fetched only when asked for:
    Pagefind's own sort index weighed on every search (see fragments.py)."""
    ranks = [upvotes(p) for p in reversed(archive.papers)]
    return {UPVOTES_FILE: (json.dumps(ranks, separators=(",", ":")) + "\n").encode()}
