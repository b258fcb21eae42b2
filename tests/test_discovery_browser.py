"""Discovery in a real Chromium: related papers, trend charts, the reading list and its exports.

Runs against the sample site served under /paper-archive/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


def assert_clean(page) -> None:
    assert page.errors == []
    assert page.outside_requests() == []


def test_related_list_has_five_working_links(page, sample_url: str) -> None:
    p = page.page
    p.goto(sample_url + "latest/")
    p.click(".pa-entry .pa-entry__title")
    p.wait_for_selector(".pa-paper h1")
    links = p.eval_on_selector_all(".pa-related li a", "as => as.map(a => a.href)")
    assert p.inner_text(".pa-related .pa-label") == "Related papers"
    assert len(links) == 5 and len(set(links)) == 5
    assert p.url not in links
    assert p.locator("h1, h2, h3").count() == 1  # the page's one heading
    for link in links:
        assert link.startswith(sample_url + "papers/")
        response = p.request.get(link)
        assert response.status == 200, link
        assert 'class="pa-paper"' in response.text() or "class=pa-paper" in response.text()
    assert_clean(page)


def test_trends_page_and_tag_page_show_svg_charts(page, sample_url: str) -> None:
    p = page.page
    p.goto(sample_url)
    p.click("a.md-tabs__link:text-is('Trends')")
    p.wait_for_selector("svg.pa-chart")
    assert p.url == sample_url + "trends/"
    assert p.locator("svg.pa-chart").count() >= 9  # all papers + the leading tags
    box = p.locator("svg.pa-chart").first.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 50
    assert p.locator("svg.pa-chart title").first.text_content() == "All papers per month"
    assert p.locator("svg.pa-chart polyline").count() == p.locator("svg.pa-chart").count()
    assert p.locator("table.pa-rising tbody tr").count() >= 1
    p.click("table.pa-rising tbody a")
    p.wait_for_selector(".pa-list")
    assert "/tags/" in p.url
    assert p.locator("svg.pa-chart").count() == 1
    assert_clean(page)


def test_reading_list_star_list_export_and_dim(page, sample_url: str, tmp_path: Path) -> None:
    p = page.page
    p.goto(sample_url + "latest/")
    entries = p.locator(".pa-list .pa-entry")
    listed = entries.nth(1).get_attribute("data-paper")
    opened = entries.nth(2).get_attribute("data-paper")
    listed_title = entries.nth(1).locator(".pa-entry__title").inner_text()

    # Star on a listing, without opening the paper.
    star = entries.nth(1).locator(".pa-star")
    assert star.get_attribute("aria-pressed") == "false"
    assert star.get_attribute("title") == "Add to my list"
    star.click()
    assert star.get_attribute("aria-pressed") == "true"
    assert star.get_attribute("aria-label") == "Remove from my list"

    # Open another paper and star it on its own page.
    entries.nth(2).locator(".pa-entry__title").click()
    p.wait_for_selector(".pa-paper h1")
    opened_title = p.inner_text(".pa-paper h1")
    p.click(".pa-paper .pa-star")
    assert p.get_attribute(".pa-paper .pa-star", "aria-pressed") == "true"

    # My list shows both, newest star first, with working links.
    p.click("a.md-tabs__link:text-is('My list')")
    p.wait_for_selector(".pa-mylist__items li")
    assert p.url == sample_url + "mylist/"
    items = p.eval_on_selector_all(".pa-mylist__items li", "lis => lis.map(li => li.dataset.paper)")
    assert items == [opened, listed]
    hrefs = p.eval_on_selector_all(".pa-mylist__items a", "as => as.map(a => a.href)")
    assert hrefs == [sample_url + opened, sample_url + listed]

    # Exports are downloads made in the page.
    with p.expect_download() as info:
        p.click("[data-pa-export=markdown]")
    markdown = Path(info.value.path()).read_text(encoding="utf-8")
    assert info.value.suggested_filename == "my-list.md"
    assert markdown.startswith("# My reading list\n")
    assert f"]({sample_url}{listed})" in markdown and f"]({sample_url}{opened})" in markdown
    assert listed_title.replace("[", "\\[").replace("]", "\\]") in markdown
    with p.expect_download() as info:
        p.click("[data-pa-export=bibtex]")
    bibtex = Path(info.value.path()).read_text(encoding="utf-8")
    assert info.value.suggested_filename == "my-list.bib"
    assert bibtex.count("@misc{") == 2
    assert bibtex.count("{") == bibtex.count("}")
    assert "title = {{" in bibtex and "year = {2025}" in bibtex
    assert opened_title.split(":")[0] in bibtex

    # Dim papers I've opened: the opened one is dimmed, the one only starred is not.
    p.goto(sample_url + "latest/")
    toggle = p.locator(".pa-dimtoggle input")
    assert not toggle.is_checked()
    toggle.check()
    seen = p.locator(f".pa-entry[data-paper='{opened}']").first
    unseen = p.locator(f".pa-entry[data-paper='{listed}']").first
    p.wait_for_function("() => document.documentElement.classList.contains('pa-dim')")
    assert float(seen.evaluate("e => getComputedStyle(e).opacity")) < 1
    assert float(unseen.evaluate("e => getComputedStyle(e).opacity")) == 1
    # The choice is kept, and applies on My list too; stars are shown as starred there.
    p.goto(sample_url + "mylist/")
    p.wait_for_selector(".pa-mylist__items li")
    assert p.locator(".pa-dimtoggle input").is_checked()
    assert "pa-seen" in p.get_attribute(f".pa-mylist__items li[data-paper='{opened}']", "class")
    # Unstar from the list.
    p.click(f".pa-mylist__items li[data-paper='{listed}'] .pa-star")
    assert p.eval_on_selector_all(".pa-mylist__items li", "lis => lis.map(li => li.dataset.paper)") == [
        opened
    ]
    assert_clean(page)
