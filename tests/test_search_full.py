"""Search over the whole shared data set: two index shards, as a real archive has them.

Builds the 5,841 shared papers once (about 40 s) and serves them under /paper-archive/
in a real Chromium: ranking across shards, search results the reading list can star,
and the month list that follows the chosen year.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import build_site, make_content, serve
from tests.test_search_browser import assert_clean, header_search, page_results

pytestmark = pytest.mark.slow  # builds the whole shared data (5,841 papers)

SHOTKV = "papers/2502.01941/"  # the only paper saying "ShotKV"
ATLAS_CHAT = "papers/2409.17912/"  # Atlas-Chat, on Moroccan Arabic ("Darija")


@pytest.fixture(scope="module")
def full_site(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("full")
    content = make_content(work / "content", sorted(shared_data.glob("*.json")))
    return build_site(content, work / "site")


@pytest.fixture(scope="module")
def full_url(full_site: Path):
    server, url = serve(full_site)
    yield url
    server.shutdown()


def test_search_full_data_has_its_shards(full_site: Path) -> None:
    """5,841 papers: a full shard of 5,000, then the newest as 500 and 341 (TAIL_PAGES)."""
    shards = json.loads((full_site / "pagefind" / "shards.json").read_text(encoding="utf-8"))
    assert shards == {"shards": ["", "shard-1/", "shard-2/"]}


@pytest.mark.browser
@pytest.mark.parametrize(
    ("query", "paper", "count"),
    [
        ("shotkv", SHOTKV, "1 matching paper"),  # shard 1 would bring 194 papers saying "shot"
        ("2502.01941", SHOTKV, "1 matching paper"),  # ... or all of February 2025 ("2502")
        ("darija", ATLAS_CHAT, "3 matching papers"),  # ... or "LiDAR", "D-AR"
    ],
)
def test_search_page_word_in_one_shard_ranks_its_papers_only(
    page, full_url: str, query: str, paper: str, count: str
) -> None:
    page.page.goto(f"{full_url}search/?q={query}")
    results = page_results(page.page)
    assert results[0]["href"] == full_url + paper
    assert page.page.inner_text("[data-pa-search-status]") == count
    assert_clean(page)


@pytest.mark.browser
def test_header_search_word_in_one_shard_comes_first(page, full_url: str) -> None:
    hrefs = header_search(page.page, full_url, "shotkv")
    assert hrefs == [full_url + SHOTKV]
    assert page.page.inner_text(".md-search-result__meta") == "1 matching paper"
    assert_clean(page)


@pytest.mark.browser
def test_search_page_words_in_every_shard_keep_every_match(page, full_url: str) -> None:
    page.page.goto(f"{full_url}search/?q=video%20generation")
    page_results(page.page)
    # Matches of both shards; the count moves with the tags, whose names are indexed.
    assert page.page.inner_text("[data-pa-search-status]") == "1,051 matching papers"
    assert_clean(page)


ENTRIES = """() => [...document.querySelectorAll('[data-pa-search-results] li')].map(li => ({
  paper: li.dataset.paper, day: li.dataset.day, href: li.querySelector('a').href,
  date: li.querySelector('time').dateTime, star: li.querySelector('.pa-star')?.dataset.paper,
  pressed: li.querySelector('.pa-star')?.getAttribute('aria-pressed'), seen: li.classList.contains('pa-seen')}))"""


@pytest.mark.browser
def test_search_page_results_can_be_starred_and_dimmed(page, full_url: str) -> None:
    """Results are marked as listing entries are, so readinglist.js stars and dims them."""
    page.page.goto(f"{full_url}search/?q=diffusion%20transformer")
    page_results(page.page)
    page.page.wait_for_function(
        "() => document.querySelectorAll('[data-pa-search-results] .pa-star').length === 20"
    )
    entries = page.page.evaluate(ENTRIES)
    for e in entries:
        assert re.fullmatch(r"papers/[^/]+/", e["paper"]) and e["href"] == full_url + e["paper"]
        assert e["day"] == e["date"] and e["star"] == e["paper"] and e["pressed"] == "false"
    first = page.page.locator("[data-pa-search-results] li").first
    first.locator(".pa-star").click()
    assert first.locator(".pa-star").get_attribute("aria-pressed") == "true"

    first.locator("a").click()  # opened: dimmed when it comes up again
    page.page.wait_for_url(full_url + entries[0]["paper"])
    page.page.goto(full_url + "mylist/")
    assert entries[0]["day"] in page.page.inner_text("#pa-mylist")
    page.page.goto(f"{full_url}search/?q=diffusion%20transformer")
    page_results(page.page)
    page.page.check(".pa-dimtoggle input")
    page.page.wait_for_function(
        "() => document.querySelector('[data-pa-search-results] li').classList.contains('pa-seen')"
    )
    again = page.page.evaluate(ENTRIES)
    assert again[0]["paper"] == entries[0]["paper"] and again[0]["pressed"] == "true" and again[0]["seen"]
    assert not any(e["seen"] for e in again[1:])
    assert_clean(page)


MONTHS = """() => [...document.querySelectorAll('select[name=month] option')]
  .filter(o => o.value && !o.disabled && !o.hidden).map(o => o.value)"""


@pytest.mark.browser
def test_search_page_months_follow_the_chosen_year(page, full_url: str) -> None:
    page.page.goto(f"{full_url}search/")
    every = page.page.evaluate(MONTHS)
    assert {m[:4] for m in every} == {"2024", "2025"}
    page.page.select_option("select[name=year]", "2024")
    assert page.page.evaluate(MONTHS) == [m for m in every if m.startswith("2024-")]
    page.page.select_option("select[name=year]", "")
    assert page.page.evaluate(MONTHS) == every
    assert_clean(page)


@pytest.mark.browser
def test_search_page_month_of_another_year_is_dropped(page, full_url: str) -> None:
    page.page.goto(f"{full_url}search/?q=diffusion&year=2024&month=2025-03")
    results = page_results(page.page)
    assert page.page.input_value("select[name=month]") == ""
    assert results and all(r["date"].startswith("2024") for r in results)
    assert "month=" not in page.page.url
    page.page.select_option("select[name=month]", "2024-07")
    page.page.wait_for_url(re.compile(r"month=2024-07"))
    page.page.select_option("select[name=year]", "2025")
    page.page.wait_for_url(re.compile(r"year=2025(?!.*month=)"))
    assert page.page.input_value("select[name=month]") == ""
    assert_clean(page)
