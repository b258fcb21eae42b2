"""Papers -> topic trends: each tag's share of the month's papers, rising tags, SVG charts.

Pure functions of the archive: every window is counted back from the archive's
latest digest day, never from the clock, so the same content renders the same
page on any day. Charts are small static SVG strings (one polyline, rounded
coordinates, a ``<title>`` and ``<desc>`` for screen readers), so they need no
script and cost little page weight. Topics are charted as shares of each month's
papers, not counts, which would repeat the archive's own volume; a month without
papers (no digest) is a gap in the line, not a zero.
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


def monthly_shares(
    papers: Iterable[Paper], months: Sequence[Month], slug: str, totals: Sequence[int] | None = None
) -> list[float | None]:
    """Per month, the share (0 to 1) of that month's papers tagged ``slug``; None for a
    month without papers (no digest), which a chart shows as a gap, not as a zero."""
    papers = list(papers)
    totals = monthly_counts(papers, months) if totals is None else totals
    tagged = monthly_counts(papers, months, slug)
    return [t / n if n else None for t, n in zip(tagged, totals, strict=True)]


def gaps(counts: Sequence[int]) -> list[int | None]:
    """Counts with the months that have no paper (no digest) as None: gaps in a chart."""
    return [c if c else None for c in counts]


def render_chart(
    months: Sequence[Month],
    values: Sequence[float | None],
    title: str,
    chart_id: str = "chart",
    width: int = 640,
    height: int = 180,
    share: bool = False,
) -> Markup:
    """A line chart per month as one line of SVG markup (the title escaped): paper counts,
    or with ``share`` shares of the month's papers (0 to 1), drawn in percent. A None
    value is a month without data: the line breaks there (a lone month is a dot).

    ``chart_id`` must be unique on the page: it names the title and description.
    """
    if not months:
        return Markup("")
    left, right, top, bottom = 40, 28, 10, 34  # room for the last month label, centred on its point
    plot_w, plot_h = width - left - right, height - top - bottom
    known = [v for v in values if v is not None]
    top_value = max(known, default=0)
    peak = _nice_peak(top_value * 100) / 100 if share else max(int(top_value), 1)
    step = plot_w / max(len(months) - 1, 1)

    def x(i: int) -> str:
        return _num(left + i * step)

    def y(value: float) -> str:
        return _num(top + plot_h - value * plot_h / peak)

    def tick(value: float) -> str:
        return f"{value * 100:.0f}%" if share else f"{value:.0f}"

    base = top + plot_h
    label_every = max(1, -(-len(months) // 8))  # at most about 8 month labels
    ticks = "".join(f"M{x(i)} {base}v4" for i in range(len(months)))
    labels = "".join(
        f'<text x="{x(i)}" y="{base + 15}" text-anchor="middle">{month_abbr(m)} {yr % 100:02d}</text>'
        for i, (yr, m) in enumerate(months)
        if i % label_every == 0
    )
    lines = []
    for run in _runs(values):
        ys = {i: y(value) for i in run if (value := values[i]) is not None}  # all of them: a run is known
        if len(run) == 1:
            i = run[0]
            lines.append(f'<circle cx="{x(i)}" cy="{ys[i]}" r="2.5"/>')
        else:
            lines.append(f'<polyline points="{" ".join(f"{x(i)},{ys[i]}" for i in run)}"/>')
    (y0, m0), (y1, m1) = months[0], months[-1]
    span = f"from {month_abbr(m0)} {y0} to {month_abbr(m1)} {y1}"
    missing = len(values) - len(known)
    without = f" {missing} of {len(values)} months have no papers." if missing else ""
    if share:
        summary = f"Share of each month's papers {span}, at most {tick(top_value)}.{without}"
    else:
        summary = f"{sum(known):.0f} papers {span}, at most {top_value:.0f} in one month.{without}"
    middle = f"{top + plot_h / 2:.0f}"
    cid = escape(chart_id)
    axis = "Share of papers" if share else "Papers"
    return Markup(
        f'<svg class="pa-chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{cid}-t {cid}-d">'
        f'<title id="{cid}-t">{escape(title)}</title><desc id="{cid}-d">{summary}</desc>'
        f'<path class="pa-axis" d="M{left} {top}V{base}H{width - right}{ticks}"/>'
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end">{tick(peak)}</text>'
        f'<text x="{left - 4}" y="{base}" text-anchor="end">{tick(0)}</text>{labels}'
        f'<text class="pa-label" x="{left + plot_w / 2:.0f}" y="{height - 2}" text-anchor="middle">Month</text>'
        f'<text class="pa-label" x="10" y="{middle}" text-anchor="middle" transform="rotate(-90 10 {middle})">'
        f"{axis}</text>{''.join(lines)}</svg>"
    )


def _runs(values: Sequence[float | None]) -> list[list[int]]:
    """Indices of the runs of consecutive known values."""
    runs: list[list[int]] = []
    for i, value in enumerate(values):
        if value is None:
            continue
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _nice_peak(percent: float) -> float:
    """The top of a share axis, in percent: the next of 1, 2, 5, 10, 20, 25, 50, 100 at or above."""
    for nice in (1, 2, 5, 10, 20, 25, 50, 100):
        if percent <= nice:
            return nice
    return 100


def tag_chart(tag: Tag, tagged: Sequence[Paper], months: Sequence[Month], totals: Sequence[int]) -> Markup:
    """The small chart at the top of a tag page: the tag's share of each month's papers
    (``totals``: all papers per month)."""
    return render_chart(
        months,
        monthly_shares(tagged, months, tag.slug, totals),
        f"{tag.name}: share of each month's papers",
        chart_id="tag-chart",
        height=150,
        share=True,
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
    totals = monthly_counts(papers, months)
    leading = [
        (
            slug,
            count,
            render_chart(
                months,
                monthly_shares(papers, months, slug, totals),
                f"{names.get(slug, slug)}: share of each month's papers",
                chart_id=f"t-{slug}",
                height=150,
                share=True,
            ),
        )
        for slug, count in leading_tags(papers, LEADING_TAGS)
    ]
    return {
        "months": months,
        "overall": render_chart(months, gaps(totals), "All papers per month", chart_id="t-all"),
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
    "gaps",
    "leading_tags",
    "monthly_counts",
    "monthly_shares",
    "months_between",
    "render_chart",
    "rising_tags",
    "tag_chart",
]
