"""Papers -> topic trends: papers per month per tag, rising tags, and SVG charts.

Pure functions of the archive: every window is counted back from the archive's
latest digest day, never from the clock, so the same content renders the same
page on any day. Charts are small static SVG strings (one polyline, rounded
coordinates, a ``<title>`` and ``<desc>`` for screen readers), so they need no
script and cost little page weight.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

from generator.model import Paper, Tag
from generator.text import month_abbr

Month = tuple[int, int]  # (year, month)
LEADING_TAGS = 10
RECENT_MONTHS = 3
EARLIER_MONTHS = 12


@dataclass(frozen=True, slots=True)
class Rising:
    """A tag whose share of papers grew: recent window against the one before it."""

    slug: str
    recent: int  # tagged papers in the recent window
    earlier: int  # tagged papers in the earlier window
    recent_share: float  # of all papers in the recent window
    earlier_share: float

    @property
    def ratio(self) -> float | None:
        """How many times its earlier share; None when it had no paper before."""
        return self.recent_share / self.earlier_share if self.earlier_share else None


def month_of(day: date) -> Month:
    return (day.year, day.month)


def months_between(first: Month, last: Month) -> list[Month]:
    """Every month from ``first`` to ``last``, both included."""
    out, (year, month) = [], first
    while (year, month) <= last:
        out.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, the day clamped to the target month's length."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    following = date(year + (month == 12), month % 12 + 1, 1)
    return date(year, month, min(day.day, (following - date(year, month, 1)).days))


def monthly_counts(papers: Iterable[Paper], months: Sequence[Month], slug: str | None = None) -> list[int]:
    """Papers per month (only those tagged ``slug`` if given), zeros included, in ``months`` order."""
    counts = Counter(month_of(p.day) for p in papers if slug is None or slug in p.tags)
    return [counts.get(m, 0) for m in months]


def archive_months(papers: Sequence[Paper]) -> list[Month]:
    if not papers:
        return []
    days = [p.day for p in papers]
    return months_between(month_of(min(days)), month_of(max(days)))


def leading_tags(papers: Iterable[Paper], count: int = 10) -> list[tuple[str, int]]:
    """The ``count`` tags with the most papers, most first (ties by slug)."""
    totals = Counter(slug for p in papers for slug in p.tags)
    return sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:count]


def rising_tags(
    papers: Sequence[Paper],
    latest: date,
    recent_months: int = 3,
    earlier_months: int = 12,
    min_papers: int = 3,
    limit: int = 10,
) -> list[Rising]:
    """Tags whose share of papers in the ``recent_months`` up to ``latest`` beats their
    share in the ``earlier_months`` before, highest ratio first (new tags first of all)."""
    split = add_months(latest, -recent_months)
    begin = add_months(split, -earlier_months)
    recent = [p for p in papers if split < p.day <= latest]
    earlier = [p for p in papers if begin < p.day <= split]
    if not recent or not earlier:
        return []
    now = Counter(s for p in recent for s in p.tags)
    before = Counter(s for p in earlier for s in p.tags)
    out = [
        Rising(slug, n, before[slug], n / len(recent), before[slug] / len(earlier))
        for slug, n in now.items()
        if n >= min_papers and n / len(recent) > before[slug] / len(earlier)
    ]
    out.sort(key=lambda r: (r.ratio is not None, -(r.ratio or 0.0), -r.recent, r.slug))
    return out[:limit]


def render_chart(
    months: Sequence[Month],
    counts: Sequence[int],
    title: str,
    chart_id: str = "chart",
    width: int = 640,
    height: int = 180,
) -> Markup:
    """A line chart of papers per month as one line of SVG markup (the title escaped).

    ``chart_id`` must be unique on the page: it names the title and description.
    """
    if not months:
        return Markup("")
    left, right, top, bottom = 34, 28, 10, 34  # room for the last month label, centred on its point
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max(max(counts, default=0), 1)
    step = plot_w / max(len(months) - 1, 1)

    def x(i: int) -> str:
        return _num(left + i * step)

    def y(value: int) -> str:
        return _num(top + plot_h - value * plot_h / peak)

    base = top + plot_h
    label_every = max(1, -(-len(months) // 8))  # at most about 8 month labels
    ticks = "".join(f"M{x(i)} {base}v4" for i in range(len(months)))
    labels = "".join(
        f'<text x="{x(i)}" y="{base + 15}" text-anchor="middle">{month_abbr(m)} {yr % 100:02d}</text>'
        for i, (yr, m) in enumerate(months)
        if i % label_every == 0
    )
    points = " ".join(f"{x(i)},{y(c)}" for i, c in enumerate(counts))
    (y0, m0), (y1, m1) = months[0], months[-1]
    summary = (
        f"{sum(counts)} papers from {month_abbr(m0)} {y0} to {month_abbr(m1)} {y1}, "
        f"at most {max(counts, default=0)} in one month."
    )
    middle = f"{top + plot_h / 2:.0f}"
    cid = escape(chart_id)
    return Markup(
        f'<svg class="pa-chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{cid}-t {cid}-d">'
        f'<title id="{cid}-t">{escape(title)}</title><desc id="{cid}-d">{summary}</desc>'
        f'<path class="pa-axis" d="M{left} {top}V{base}H{width - right}{ticks}"/>'
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end">{peak}</text>'
        f'<text x="{left - 4}" y="{base}" text-anchor="end">0</text>{labels}'
        f'<text class="pa-label" x="{left + plot_w / 2:.0f}" y="{height - 2}" text-anchor="middle">Month</text>'
        f'<text class="pa-label" x="10" y="{middle}" text-anchor="middle" transform="rotate(-90 10 {middle})">'
        f'Papers</text><polyline points="{points}"/></svg>'
    )


def tag_chart(tag: Tag, tagged: Sequence[Paper], months: Sequence[Month]) -> Markup:
    """The small chart at the top of a tag page."""
    return render_chart(
        months,
        monthly_counts(tagged, months),
        f"{tag.name}: papers per month",
        chart_id="tag-chart",
        height=150,
    )


def build_trends(papers: Sequence[Paper], tags: Sequence[Tag]) -> dict:
    """What the Trends page shows: charts of the leading tags and the rising tags."""
    names = {t.slug: t.name for t in tags}
    months = archive_months(papers)
    if not months:
        return {
            "months": [],
            "overall": Markup(""),
            "leading": [],
            "rising": [],
            "latest": None,
            "split": None,
            "begin": None,
            "recent_months": RECENT_MONTHS,
            "earlier_months": EARLIER_MONTHS,
        }
    latest = max(p.day for p in papers)
    split = add_months(latest, -RECENT_MONTHS)
    leading = [
        (
            slug,
            count,
            render_chart(
                months,
                monthly_counts(papers, months, slug),
                f"{names.get(slug, slug)}: papers per month",
                chart_id=f"t-{slug}",
                height=150,
            ),
        )
        for slug, count in leading_tags(papers, LEADING_TAGS)
    ]
    return {
        "months": months,
        "overall": render_chart(
            months, monthly_counts(papers, months), "All papers per month", chart_id="t-all"
        ),
        "leading": leading,
        "rising": rising_tags(papers, latest, RECENT_MONTHS, EARLIER_MONTHS),
        "latest": latest,
        "split": split,
        "begin": add_months(split, -EARLIER_MONTHS),
        "recent_months": RECENT_MONTHS,
        "earlier_months": EARLIER_MONTHS,
    }


def _num(value: float) -> str:
    """A coordinate with at most one decimal, no trailing zero."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


__all__ = [
    "Rising",
    "add_months",
    "archive_months",
    "build_trends",
    "leading_tags",
    "monthly_counts",
    "months_between",
    "render_chart",
    "rising_tags",
    "tag_chart",
]
