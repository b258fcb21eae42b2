"""Trends: monthly counts, rising tags against the archive's own latest day, SVG charts."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

from generator.model import Paper, Tag
from generator.trends import (
    add_months,
    archive_months,
    build_trends,
    gaps,
    leading_tags,
    monthly_counts,
    monthly_shares,
    months_between,
    render_chart,
    rising_tags,
)

SVG = "{http://www.w3.org/2000/svg}"


def paper(n: int, day: str, *tags: str) -> Paper:
    return Paper(
        uri=f"papers/p{n}/",
        title=f"Paper {n}",
        abstract="A.",
        featured_on=(date.fromisoformat(day),),
        tags=tags,
    )


def constructed_archive() -> list[Paper]:
    """15 months to 2025-06-20: 'llm' steady, 'agents' new lately, 'robots' fading."""
    papers, n = [], 0
    for month in months_between((2024, 4), (2025, 6)):
        recent = month >= (2025, 4)
        for i in range(4):
            n += 1
            tags = ["llm"] if i < 2 else []
            if recent and i == 2:
                tags.append("agents")
            if not recent and i == 3:
                tags.append("robots")
            papers.append(paper(n, f"{month[0]}-{month[1]:02d}-{10 + i:02d}", *tags))
    return papers


def test_months_between_spans_years():
    assert months_between((2024, 11), (2025, 2)) == [(2024, 11), (2024, 12), (2025, 1), (2025, 2)]
    assert months_between((2025, 2), (2025, 1)) == []


def test_add_months_clamps_the_day():
    assert add_months(date(2025, 5, 31), -3) == date(2025, 2, 28)
    assert add_months(date(2024, 3, 31), -1) == date(2024, 2, 29)
    assert add_months(date(2025, 1, 15), -12) == date(2024, 1, 15)
    assert add_months(date(2024, 12, 1), 1) == date(2025, 1, 1)


def test_monthly_counts_include_empty_months():
    papers = [paper(1, "2025-01-03", "llm"), paper(2, "2025-03-04", "llm"), paper(3, "2025-03-05")]
    months = archive_months(papers)
    assert months == [(2025, 1), (2025, 2), (2025, 3)]
    assert monthly_counts(papers, months) == [1, 0, 2]
    assert monthly_counts(papers, months, "llm") == [1, 0, 1]
    assert monthly_counts(papers, months, "nothing") == [0, 0, 0]


def test_monthly_counts_use_the_first_featured_day():
    moved = Paper(
        uri="papers/x/", title="X", abstract="A.", featured_on=(date(2025, 1, 31), date(2025, 2, 1))
    )
    assert monthly_counts([moved], [(2025, 1), (2025, 2)]) == [1, 0]


def test_leading_tags_most_first_ties_by_slug():
    papers = [paper(1, "2025-01-01", "b", "a"), paper(2, "2025-01-02", "b", "c"), paper(3, "2025-01-03", "a")]
    assert leading_tags(papers) == [("a", 2), ("b", 2), ("c", 1)]
    assert leading_tags(papers, 1) == [("a", 2)]


def test_rising_tags_new_first_then_by_ratio():
    papers = constructed_archive()
    rising = rising_tags(papers, date(2025, 6, 20))
    assert [r.slug for r in rising] == ["agents"]
    agents = rising[0]
    assert (agents.recent, agents.earlier, agents.ratio) == (3, 0, None)
    assert agents.recent_share == 3 / 12


def test_rising_tags_count_back_from_the_latest_day_not_the_clock():
    papers = constructed_archive()
    # Seen from a year earlier, nothing had started rising yet: no paper had 'agents'.
    assert rising_tags(papers, date(2024, 6, 20)) == []
    # Papers after the given latest day do not count.
    assert rising_tags(papers, date(2025, 3, 31)) == []


def test_rising_tags_by_ratio_and_minimum():
    papers = [paper(i, "2024-06-01", *(["a"] if i < 2 else []), *(["b"] if i < 4 else [])) for i in range(20)]
    papers += [
        paper(100 + i, "2025-05-01", *(["a"] if i < 4 else []), *(["b"] if i < 5 else [])) for i in range(10)
    ]
    rising = rising_tags(papers, date(2025, 6, 1))
    assert [(r.slug, round(r.ratio, 2)) for r in rising] == [("a", 4.0), ("b", 2.5)]
    assert rising_tags(papers, date(2025, 6, 1), min_papers=5) == rising[1:]


def test_render_chart_is_well_formed_accessible_svg():
    months = months_between((2024, 1), (2025, 6))
    counts = [i % 5 for i in range(len(months))]
    svg = render_chart(months, counts, "Agents & <tools>: papers per month", chart_id="c1")
    root = ET.fromstring(str(svg).replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-t c1-d"
    assert root.find(f"{SVG}title").text == "Agents & <tools>: papers per month"
    assert "Jan 2024 to Jun 2025" in root.find(f"{SVG}desc").text
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"Month", "Papers", "Jan 24", "4", "0"} <= set(texts)
    points = root.find(f"{SVG}polyline").get("points").split()
    assert len(points) == len(months)
    assert all(len(c.partition(".")[2]) <= 1 for p in points for c in p.split(","))  # rounded
    assert "\n" not in str(svg)  # one line: stays one HTML block in Markdown


def test_render_chart_empty_and_flat():
    assert render_chart([], [], "Nothing") == ""
    svg = render_chart([(2025, 1)], [0], "Flat")
    ET.fromstring(str(svg))


def test_build_trends_page_context():
    papers = constructed_archive()
    tags = [Tag("llm", "LLMs", "d"), Tag("agents", "Agents", "d"), Tag("robots", "Robots", "d")]
    context = build_trends(papers, tags)
    assert context["latest"] == date(2025, 6, 13)
    assert [slug for slug, _, _ in context["leading"]] == ["llm", "robots", "agents"]
    assert all("<title" in str(chart) for _, _, chart in context["leading"])
    assert [r.slug for r in context["rising"]] == ["agents"]
    assert build_trends([], tags)["leading"] == []


def test_monthly_shares_are_of_the_months_papers_and_none_without_papers():
    papers = [paper(1, "2025-01-03", "llm"), paper(2, "2025-01-09"), paper(3, "2025-03-01", "llm")]
    months = months_between((2025, 1), (2025, 3))
    assert monthly_shares(papers, months, "llm") == [0.5, None, 1.0]
    assert monthly_shares(papers, months, "agents") == [0.0, None, 0.0]
    assert gaps(monthly_counts(papers, months)) == [2, None, 1]


def test_render_chart_of_shares_breaks_the_line_where_months_have_no_papers():
    months = months_between((2025, 1), (2025, 6))
    svg = render_chart(months, [0.1, 0.12, None, 0.3, None, 0.2], "Agents: share", chart_id="s", share=True)
    root = ET.fromstring(str(svg).replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))
    lines = [p.get("points").split() for p in root.iter(f"{SVG}polyline")]
    assert [len(points) for points in lines] == [2]  # Jan-Feb; Apr and Jun stand alone
    assert len(list(root.iter(f"{SVG}circle"))) == 2
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"Share of papers", "50%", "0%", "Month"} <= set(texts)  # 30% peak: axis to the next of 1-2-5
    assert root.find(f"{SVG}desc").text == (
        "Share of each month's papers from Jan 2025 to Jun 2025, at most 30%. 2 of 6 months have no papers."
    )


def test_build_trends_charts_shares_of_the_leading_tags():
    papers = constructed_archive()
    tags = [Tag("llm", "LLMs", "d"), Tag("agents", "Agents", "d"), Tag("robots", "Robots", "d")]
    leading = {slug: str(chart) for slug, _, chart in build_trends(papers, tags)["leading"]}
    assert "LLMs: share of each month&#39;s papers" in leading["llm"]
    assert ">50%<" in leading["llm"]  # 2 of 4 papers every month
