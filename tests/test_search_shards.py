"""The search index in shards, as a large archive gets it (``SHARD_PAGES`` in
generator/search/): the sample site indexed again at 40 papers a shard, checked on
disk and searched in a real Chromium against the same site in one index."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.errors import ContentErrors
from generator.search import BUNDLE_DIR, SHARDS_FILE, VIEW_DIR, build_search_index, plan_shards
from tests.conftest import serve
from tests.test_search_browser import assert_clean, header_search, page_results
from tests.test_search_determinism import copy_site_without_index, read_cbor, tree_digest

# The sample's 147 papers (8 days) in 5 shards: 40, 40, 40, then the newest 27 as 20 and 7.
SHARD_PAGES, TAIL_PAGES = 40, 10


def test_plan_shards_cuts_by_date_from_the_oldest() -> None:
    pages = [f"p{n}" for n in range(23)]  # newest first
    shards = plan_shards(pages, 10)
    assert shards == [pages[13:], pages[3:13], pages[:3]]
    assert plan_shards(pages, 23) == [pages]
    assert plan_shards([], 10) == [[]]


def test_plan_shards_a_new_day_changes_only_the_newest_shard() -> None:
    pages = [f"p{n}" for n in range(23)]
    grown = ["new1", "new2", *pages]
    assert plan_shards(grown, 10)[:2] == plan_shards(pages, 10)[:2]
    assert plan_shards(grown, 10)[2] == ["new1", "new2", *pages[:3]]


def test_plan_shards_cuts_the_newest_rest_in_whole_tails_and_the_newest() -> None:
    pages = [f"p{n}" for n in range(27)]  # newest first: past two shards of 10, a rest of 7
    shards = plan_shards(pages, 10, 3)
    assert shards == [pages[17:], pages[7:17], pages[1:7], pages[:1]]
    day = ["new1", "new2"]
    grown = plan_shards([*day, *pages], 10, 3)  # the rest grows to 9: the newest shard fills
    assert grown[:2] == shards[:2] and grown[2] == [*day, *pages[:7]] and len(grown) == 3
    grown = plan_shards(["new3", *day, *pages], 10, 3)  # 10: a full shard, nothing left over
    assert grown[:2] == shards[:2] and grown[2] == ["new3", *day, *pages[:7]] and len(grown) == 3
    assert plan_shards(pages[:2], 10, 3) == [pages[:2]]


@pytest.fixture(scope="module")
def sharded_site(
    sample_site: Path, sample_pages: list[str], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    site = copy_site_without_index(sample_site, tmp_path_factory.mktemp("sharded") / "site")
    build_search_index(site, sample_pages, SHARD_PAGES, tail_pages=TAIL_PAGES)
    return site


def shard_pages(bundle: Path) -> list[str]:
    """The fragment names of the pages one shard's metadata lists."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    return [page[0] for page in read_cbor(bundle / f"pagefind.{entry['languages']['en']['hash']}.pf_meta")[1]]


@pytest.mark.slow
def test_shards_on_disk(sharded_site: Path, sample_pages: list[str]) -> None:
    bundle = sharded_site / BUNDLE_DIR
    paths = json.loads((bundle / SHARDS_FILE).read_text(encoding="utf-8"))["shards"]
    assert paths == ["", "shard-1/", "shard-2/", "shard-3/", "shard-4/"]
    oldest_first = sample_pages[::-1]
    ranks = []
    for shard, path in zip(plan_shards(sample_pages, SHARD_PAGES, TAIL_PAGES), paths, strict=True):
        names = shard_pages(bundle / path)
        assert all(re.fullmatch(r"en_[0-9a-f]{6}-[0-9a-f]+", name) for name in names), names[:3]
        assert all((bundle / path / "fragment" / f"{name}.pf_fragment").is_file() for name in names)
        # A fragment's number is its page's place in sample_pages, counted from the oldest.
        assert sorted(int(name.rsplit("-", 1)[1], 16) for name in names) == sorted(
            oldest_first.index(page) for page in shard
        )
        ranks += [int(name.rsplit("-", 1)[1], 16) for name in names]
        if path:  # Pagefind's scripts and WebAssembly come once, from shard 0
            assert sorted(p.suffix for p in (bundle / path).iterdir() if p.is_file()) == [".json", ".pf_meta"]
    assert sorted(ranks) == list(range(len(sample_pages)))
    assert (bundle / "pagefind.js").is_file()
    assert not (sharded_site / VIEW_DIR).exists()


@pytest.mark.slow
def test_a_failed_pagefind_run_stops_the_index_and_leaves_no_links(
    sample_site: Path, sample_pages: list[str], tmp_path: Path
) -> None:
    # Pagefind cannot write its bundle where a file stands: the first shard's run fails
    # while the next shard's pages are being linked beside it.
    site = copy_site_without_index(sample_site, tmp_path / "site")
    (site / BUNDLE_DIR).write_text("in the way", encoding="utf-8")
    with pytest.raises(ContentErrors, match="Pagefind could not build the search index"):
        build_search_index(site, sample_pages, SHARD_PAGES)
    assert not (site / VIEW_DIR).exists()


@pytest.mark.slow
def test_sharded_index_two_runs_are_byte_identical(
    sharded_site: Path, sample_site: Path, sample_pages: list[str], tmp_path: Path
) -> None:
    again = copy_site_without_index(sample_site, tmp_path / "site")
    build_search_index(again, sample_pages, SHARD_PAGES, tail_pages=TAIL_PAGES)
    assert tree_digest(again / BUNDLE_DIR) == tree_digest(sharded_site / BUNDLE_DIR)


@pytest.fixture(scope="module")
def sharded_url(sharded_site: Path):
    server, url = serve(sharded_site)
    yield url
    server.shutdown()


def every_result(page) -> list[dict]:
    """All results of the search page, "More results" clicked until there are no more."""
    results = page_results(page)
    more = page.locator("[data-pa-search-more]")
    while more.is_visible():
        count = len(results)
        more.click()
        page.wait_for_function(
            f"() => document.querySelectorAll('[data-pa-search-results] li').length > {count}"
        )
        results = page_results(page)
    return results


def paths(results: list[dict], url: str) -> list[str]:
    return [r["href"].removeprefix(url) for r in results]


@pytest.mark.browser
def test_sharded_search_finds_what_one_index_finds(page, sharded_url: str, sample_url: str) -> None:
    for query in ("model", "diffusion video"):
        page.page.goto(sample_url + f"search/?q={query}")
        whole = every_result(page.page)
        page.page.goto(sharded_url + f"search/?q={query}")
        merged = every_result(page.page)
        assert len(merged) > 10  # from several shards: 40, 40, 40, 20 and 7 papers
        assert sorted(paths(merged, sharded_url)) == sorted(paths(whole, sample_url))
    assert_clean(page)


@pytest.mark.browser
@pytest.mark.parametrize("direction", ["desc", "asc"])
def test_sharded_search_sorts_by_date_across_shards(page, sharded_url: str, direction: str) -> None:
    page.page.goto(sharded_url + f"search/?q=model&sort={direction}")
    dates = [r["date"] for r in every_result(page.page)]
    assert len(set(dates)) >= 4
    assert dates == sorted(dates, reverse=direction == "desc")
    assert_clean(page)


@pytest.mark.browser
def test_sharded_header_search_reaches_every_shard(page, sharded_url: str, sample_pages: list[str]) -> None:
    for shard in plan_shards(sample_pages, SHARD_PAGES, TAIL_PAGES):
        uri = next(
            p.removesuffix("index.html") for p in shard if re.fullmatch(r"papers/\d{4}\.\d{5}/index.html", p)
        )
        hrefs = header_search(page.page, sharded_url, uri.split("/")[1])
        assert hrefs[0] == sharded_url + uri
    assert_clean(page)
