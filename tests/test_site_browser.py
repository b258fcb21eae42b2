"""The built sample site in a real headless Chromium, served under a project subpath.

Walks home -> a tag page -> a paper -> its day page -> the next day, checking what
each shows; searches from the header box; saves screenshots of home, a tag page and
a paper page (tests/artifacts/, used in the README).
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_walk_home_tag_paper_day_next_day(page, sample_url: str):
    p = page.page
    p.goto(sample_url)
    assert p.locator("h1").first.inner_text() == "Paper Archive"
    assert re.search(r"\d+ papers from \d+ days", p.locator(".pa-stats").inner_text())
    assert p.locator("#latest").count() == 1
    shoot(p, "home")

    p.locator(".pa-active a.pa-tag").first.click()
    p.wait_for_load_state()
    assert "/paper-archive/tags/" in p.url
    tag_name = p.locator("h1").inner_text()
    entries = p.locator("li.pa-entry")
    assert entries.count() >= 1
    dates = [t.get_attribute("datetime") for t in p.locator("li.pa-entry time").all()]
    assert dates == sorted(dates, reverse=True), "tag pages list newest first"
    shoot(p, "tag")

    first = entries.first.locator("a.pa-entry__title")
    title = first.inner_text()
    first.click()
    p.wait_for_load_state()
    assert "/paper-archive/papers/" in p.url
    assert p.locator("h1").inner_text() == title
    assert p.locator("article h2, article h3").count() == 0  # one heading per paper page
    assert tag_name in p.locator(".pa-tags").inner_text()
    assert p.locator(".pa-abstract").inner_text().strip()
    shoot(p, "paper")

    day_link = p.locator(".pa-featured a").first
    day = day_link.inner_text()
    day_link.click()
    p.wait_for_load_state()
    assert day.replace("-", "/") in p.url
    assert title in p.locator(".pa-list").inner_text()
    next_link = p.locator('a[rel="next"]')
    if next_link.count():
        next_day = next_link.inner_text().split()[0]
        next_link.click()
        p.wait_for_load_state()
        assert next_day.replace("-", "/") in p.url
        assert p.locator("li.pa-entry").count() >= 1
        assert p.locator('a[rel="prev"]').inner_text().split()[-1] == day
    assert page.errors == [], page.failed
    assert page.outside_requests() == []


def test_header_search_finds_a_paper_by_a_word_of_its_abstract(page, sample_url: str):
    p = page.page
    p.goto(sample_url + "archive/")
    box = p.locator("input.md-search__input").first
    box.click()
    box.type("doodle")  # a word of the abstract only
    first = p.locator(".md-search-result__list li").first
    first.wait_for(timeout=10_000)
    assert "DreamOmni3" in first.inner_text()
    first.locator("a").first.click()
    p.wait_for_load_state()
    assert p.url.endswith("/paper-archive/papers/2512.22525/")
    assert page.errors == []
    assert page.outside_requests() == []


def test_404_page_works_under_the_subpath(page, sample_url: str):
    p = page.page
    response = p.goto(sample_url + "papers/no-such-paper/")
    assert response is not None and response.status == 404
    assert p.locator("h1").inner_text() == "Page not found"
    p.get_by_role("link", name="Search the archive").click()
    p.wait_for_load_state()
    assert p.url.endswith("/paper-archive/search/")
    p.go_back()
    p.locator("a.md-header__button.md-logo").click()
    p.wait_for_load_state()
    assert p.url.rstrip("/").endswith("/paper-archive")
    assert page.outside_requests() == []


def test_phone_width_is_readable(browser, sample_url: str):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True
    )
    p = context.new_page()
    p.goto(sample_url + "papers/2512.22525/")
    width = p.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390
    context.close()


def test_charts_fill_the_content_width_on_a_desktop_and_a_phone(browser, sample_url: str):
    """Material makes a figure as wide as its content, and an SVG chart has none of its
    own: unstyled, every chart drew at 300 x 84 px with 5 px labels."""
    for viewport, least in (({"width": 1280, "height": 900}, 600), ({"width": 390, "height": 844}, 330)):
        context = browser.new_context(viewport=viewport)
        p = context.new_page()
        for path in ("trends/", "tags/agents/"):
            p.goto(sample_url + path)
            charts = p.locator("svg.pa-chart")
            assert charts.count() >= 1, path
            for box in (charts.nth(i).bounding_box() for i in range(charts.count())):
                assert box is not None and box["width"] >= least, (path, viewport, box)
            label = p.locator("svg.pa-chart text").first.bounding_box()
            assert label is not None and label["height"] >= 8, (path, viewport, label)
            assert p.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]
        context.close()


def test_search_month_filter_counts_every_paper_of_the_month_page(page, sample_url: str):
    """A paper featured again in a later month is one of that month's papers in search too,
    as on the month page (2506.19741: June 30, then July 29)."""
    p = page.page
    p.goto(sample_url + "archive/2025/07/")
    listed = p.locator(".pa-compact li a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert any("2506.19741" in href for href in listed)
    p.goto(sample_url + "search/?month=2025-07")
    status = p.locator("[data-pa-search-status]")
    status.filter(has_text="matching paper").wait_for()
    assert status.inner_text() == f"{len(listed)} matching papers"
    assert page.outside_requests() == []
