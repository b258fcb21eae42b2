"""Popularity and search filters in a real Chromium (issue 21, items 1 and 3): upvotes on
listing entries, day, month and tag pages ordered by them, Top pages of each week and
month reached from home, and the search page sorting by upvotes and filtering by code and
organisation.

Runs against the sample site served under /paper-archive/.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.browser


def assert_clean(page) -> None:
    assert page.errors == []
    assert page.outside_requests() == []


def votes(p, selector: str) -> list[int]:
    return p.eval_on_selector_all(
        selector,
        "lis => lis.map(li => parseInt(li.querySelector('.pa-votes')?.textContent.replace(/,/g, '') ?? '-1', 10))",
    )


def shown(p, selector: str) -> list[str]:
    return p.eval_on_selector_all(
        selector, "lis => lis.filter(li => li.offsetParent).map(li => li.dataset.paper)"
    )


def papers_json(sample_site: Path) -> dict[str, dict]:
    data = json.loads((sample_site / "papers.json").read_text(encoding="utf-8"))
    return {p["uri"]: p for p in data["papers"]}


def test_entries_show_upvotes_and_stars(page, sample_url: str, sample_site: Path) -> None:
    p = page.page
    known = papers_json(sample_site)
    p.goto(sample_url + "latest/")
    entries = p.eval_on_selector_all(
        ".pa-list .pa-entry",
        "lis => lis.map(li => ({uri: li.dataset.paper, meta: li.querySelector('.pa-entry__meta').textContent}))",
    )
    assert entries
    for entry in entries:
        paper = known[entry["uri"]]
        if paper["upvotes"] is not None:
            noun = "upvote" if paper["upvotes"] == 1 else "upvotes"
            assert f"{paper['upvotes']:,} {noun}" in entry["meta"]
        if paper["github_stars"] is not None and "code" in paper["links"]:
            assert f"{paper['github_stars']:,} GitHub star" in entry["meta"]
    assert any("GitHub star" in e["meta"] for e in entries)
    assert_clean(page)


def test_day_page_orders_by_upvotes_and_back(page, sample_url: str) -> None:
    p = page.page
    p.goto(sample_url + "archive/2025/12/31/")
    listed = shown(p, ".pa-sortable li.pa-entry")
    p.select_option("select[data-pa-sort]", "upvotes")
    p.wait_for_url(re.compile(r"sort=upvotes"))
    ordered = shown(p, ".pa-sortable li.pa-entry")
    assert sorted(ordered) == sorted(listed)  # the API lists a day by upvotes already
    assert p.locator(".pa-sorted").count() == 1
    counts = votes(p, ".pa-sorted li.pa-entry")
    assert counts == sorted(counts, reverse=True)
    p.reload()  # the order is in the address
    assert shown(p, ".pa-sortable li.pa-entry") == ordered
    p.select_option("select[data-pa-sort]", "")
    assert shown(p, ".pa-sortable li.pa-entry") == listed
    assert p.locator(".pa-sorted").count() == 0
    assert_clean(page)


def test_month_and_tag_pages_order_by_upvotes(page, sample_url: str) -> None:
    p = page.page
    p.goto(sample_url + "archive/2025/12/?sort=upvotes")
    month = votes(p, ".pa-sorted li")
    assert len(month) > 20 and month == sorted(month, reverse=True)
    assert len(set(shown(p, ".pa-sorted li"))) == len(month)  # each paper once
    p.select_option("select[data-pa-sort]", "")
    assert votes(p, ".pa-sortable ul li") != month  # the days' order, day after day
    p.goto(sample_url + "tags/")
    p.locator(".md-content a[href*='tags/']").first.click()
    p.wait_for_selector("select[data-pa-sort]")
    p.select_option("select[data-pa-sort]", "upvotes")
    tag = votes(p, ".pa-sorted li.pa-entry")
    assert tag == sorted(tag, reverse=True)
    link = p.get_attribute(".pa-sort a", "href")
    assert "sort=upvotes" in link and "tag=" in link
    assert_clean(page)


def test_top_pages_of_the_week_and_month_from_home(page, sample_url: str) -> None:
    p = page.page
    p.goto(sample_url)
    p.get_by_role("link", name="Top of the week").click()
    p.wait_for_url(re.compile(r"top/week/\d{4}-W\d{2}/$"))
    week = votes(p, ".pa-top-list li")
    assert week and week == sorted(week, reverse=True)
    assert p.inner_text("h1").startswith("Top of the week of ")
    p.get_by_role("link", name="← Previous week").click()
    p.wait_for_url(re.compile(r"top/week/"))
    assert votes(p, ".pa-top-list li")
    p.goto(sample_url)
    p.get_by_role("link", name="Top of the month").click()
    p.wait_for_url(re.compile(r"top/month/\d{4}-\d{2}/$"))
    month = votes(p, ".pa-top-list li")
    assert 20 < len(month) <= 50 and month == sorted(month, reverse=True)
    ARTIFACTS.mkdir(exist_ok=True)
    p.screenshot(path=str(ARTIFACTS / "top.png"))  # the README's
    p.locator(".pa-top-list a").first.click()
    p.wait_for_selector(".pa-paper h1")
    assert_clean(page)


def search_results(p) -> list[dict]:
    p.wait_for_function(
        "() => /matching|No matching/.test(document.querySelector('[data-pa-search-status]').textContent)"
    )
    return p.eval_on_selector_all(
        "[data-pa-search-results] li",
        "lis => lis.map(li => ({uri: li.dataset.paper, votes: li.querySelector('.pa-votes')?.textContent}))",
    )


def result_count(p) -> int:
    search_results(p)
    text = p.inner_text("[data-pa-search-status]")
    return 0 if text.startswith("No") else int(text.split()[0].replace(",", ""))


def test_search_sorts_by_upvotes(page, sample_url: str, sample_site: Path) -> None:
    p = page.page
    known = papers_json(sample_site)
    p.goto(sample_url + "search/?q=model&sort=upvotes")
    results = search_results(p)
    counts = [known[r["uri"]]["upvotes"] for r in results]
    assert len(counts) > 5 and counts == sorted(counts, key=lambda n: -1 if n is None else n, reverse=True)
    assert results[0]["votes"] == f"{counts[0]:,} upvotes"
    assert_clean(page)


def test_search_filters_by_code_and_organisation(page, sample_url: str, sample_site: Path) -> None:
    p = page.page
    known = papers_json(sample_site)
    p.goto(sample_url + "search/?q=model")
    everything = result_count(p)
    p.check("input[name=code]")
    p.wait_for_url(re.compile(r"code=yes"))
    p.wait_for_function(
        "n => !document.querySelector('[data-pa-search-status]').textContent.startsWith(n)",
        arg=f"{everything} ",
    )
    with_code = search_results(p)
    assert 0 < result_count(p) < everything
    assert all("code" in known[r["uri"]]["links"] for r in with_code)
    p.uncheck("input[name=code]")
    org = next(paper["organization"] for paper in known.values() if paper["organization"])
    p.select_option("select[name=org]", org)
    p.wait_for_url(re.compile(r"org="))
    by_org = search_results(p)
    expected = {uri for uri, paper in known.items() if paper["organization"] == org}
    p.fill("#pa-q", "")
    p.wait_for_function(
        "n => document.querySelector('[data-pa-search-status]').textContent.startsWith(n)",
        arg=f"{len(expected)} matching" if len(expected) > 1 else "1 matching",
    )
    assert {r["uri"] for r in search_results(p)} == expected
    assert {r["uri"] for r in by_org} <= expected
    assert_clean(page)
