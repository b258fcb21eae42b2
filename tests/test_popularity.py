"""Top pages of weeks and months, and the upvotes file search sorts with."""

from __future__ import annotations

import json
from datetime import date

from generator.archive import build_archive
from generator.popularity import UPVOTES_FILE, by_upvotes, render_upvote_ranks, top_periods
from tests.helpers import digest, record


def _archive():
    monday = digest(
        "2025-07-28",
        record("Few", arxiv_id="2507.00001", upvotes=3),
        record("Many", arxiv_id="2507.00002", upvotes=30),
        record("Unknown", arxiv_id="2507.00003"),
    )
    thursday = digest("2025-07-31", record("Many", arxiv_id="2507.00002", upvotes=31))
    next_month = digest("2025-08-01", record("August", arxiv_id="2508.00001", upvotes=7))
    archive, _ = build_archive([monday, thursday, next_month], {})
    return archive


def test_top_periods_rank_each_week_and_month_once_a_paper() -> None:
    weeks, months = top_periods(_archive())
    assert [w.uri for w in weeks] == ["top/week/2025-W31/"]
    assert [p.title for p in weeks[0].papers] == ["Many", "August", "Few", "Unknown"]
    assert (weeks[0].first, weeks[0].last) == (date(2025, 7, 28), date(2025, 8, 3))
    assert [m.uri for m in months] == ["top/month/2025-07/", "top/month/2025-08/"]
    assert [p.title for p in months[0].papers] == ["Many", "Few", "Unknown"]
    assert months[0].total == 3 and months[0].last == date(2025, 7, 31)


def test_a_week_links_the_month_of_its_first_featured_day() -> None:
    """A week from Monday 23 February whose first digest is Sunday 1 March links March:
    February has no digest, so no month page (check --site found the broken link)."""
    archive, _ = build_archive([digest("2026-03-01", record("Sunday", arxiv_id="2603.00001"))], {})
    weeks, months = top_periods(archive)
    assert (weeks[0].first, weeks[0].month) == (date(2026, 2, 23), (2026, 3))
    assert months[0].month == (2026, 3)
    assert top_periods(_archive())[0][0].month == (2025, 7)


def test_by_upvotes_keeps_ties_in_the_archive_order() -> None:
    archive = _archive()
    assert [p.title for p in by_upvotes(archive.papers)][-1] == "Unknown"


def test_upvotes_file_follows_the_search_order() -> None:
    archive = _archive()
    ranks = json.loads(render_upvote_ranks(archive)[UPVOTES_FILE])
    assert ranks == [-1 if p.upvotes is None else p.upvotes for p in reversed(archive.papers)]
