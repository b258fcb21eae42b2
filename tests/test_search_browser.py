"""Search over Pagefind: the header box, the search page, lazy loading, subpath links.

Runs against the sample site served under /paper-archive/ in a real Chromium.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import build_site, make_content, serve

BLENDERFUSION = "papers/2506.17450/"  # content/digests/2025-06-30.json
SHOTBENCH = "papers/2506.21356/"


def header_search(page, url: str, query: str) -> list[str]:
    """Type into the header box; the hrefs of the results, resolved."""
    page.goto(url)
    page.click("[data-pa-search-query]")
    page.keyboard.type(query)
    page.wait_for_selector(".md-search-result__list li a")
    page.wait_for_function(
        "q => document.querySelector('[data-pa-search-query]').value === q"
        " && !document.querySelector('.pa-search__more').hidden"
        " && document.querySelector('.pa-search__more').href.endsWith(encodeURIComponent(q))",
        arg=query,
    )
    return page.eval_on_selector_all(".md-search-result__list a", "as => as.map(a => a.href)")


def page_results(page) -> list[dict]:
    page.wait_for_function(
        "() => /matching|No matching/.test(document.querySelector('[data-pa-search-status]').textContent)"
    )
    return page.eval_on_selector_all(
        "[data-pa-search-results] li",
        "lis => lis.map(li => ({href: li.querySelector('a').href, date: li.querySelector('time').dateTime,"
        " tags: [...li.querySelectorAll('.pa-tag')].map(t => t.textContent)}))",
    )


def assert_clean(page) -> None:
    assert page.errors == []
    assert page.outside_requests() == []


@pytest.mark.slow
def test_search_index_built_and_not_referenced_by_pages(sample_site: Path) -> None:
    assert (sample_site / "pagefind" / "pagefind.js").is_file()
    assert list((sample_site / "pagefind" / "fragment").glob("*.pf_fragment"))
    for rel in ("index.html", BLENDERFUSION + "index.html", "search/index.html", "tags/index.html"):
        html = (sample_site / rel).read_text(encoding="utf-8")
        assert "pagefind/" not in html and "pf_fragment" not in html and "pf_index" not in html, rel
        assert "search_index.json" not in html, rel


@pytest.mark.slow
def test_search_only_paper_pages_are_indexed(sample_site: Path) -> None:
    paper = (sample_site / BLENDERFUSION / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" in paper
    assert "data-pagefind-body" not in (sample_site / "index.html").read_text(encoding="utf-8")


@pytest.mark.browser
def test_header_search_finds_paper_by_abstract_word(page, sample_url: str) -> None:
    hrefs = header_search(page.page, sample_url + BLENDERFUSION, "cinematography")
    assert hrefs[0] == sample_url + SHOTBENCH
    first = page.page.locator(".md-search-result__list li").first
    assert "ShotBench" in first.locator("h1").inner_text()
    assert first.locator("mark").count() >= 1
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", first.locator("time").inner_text())
    assert first.locator(".pa-tag").count() >= 1
    assert_clean(page)


@pytest.mark.browser
def test_header_search_finds_paper_by_arxiv_id(page, sample_url: str) -> None:
    hrefs = header_search(page.page, sample_url, "2506.17450")
    assert hrefs[0] == sample_url + BLENDERFUSION
    assert_clean(page)


@pytest.mark.browser
def test_header_search_stems_plurals(page, sample_url: str) -> None:
    # BlenderFusion's abstract says "compositor", never "compositors".
    hrefs = header_search(page.page, sample_url, "compositors")
    assert sample_url + BLENDERFUSION in hrefs
    assert_clean(page)


@pytest.mark.browser
def test_header_search_result_link_works_under_subpath(page, sample_url: str) -> None:
    header_search(page.page, sample_url + "tags/", "2506.17450")
    page.page.locator(".md-search-result__list a").first.click()
    page.page.wait_for_url(sample_url + BLENDERFUSION)
    assert "BlenderFusion" in page.page.locator("h1").first.inner_text()
    assert_clean(page)


@pytest.mark.browser
def test_header_search_loads_nothing_until_approached(page, sample_url: str) -> None:
    page.page.goto(sample_url + BLENDERFUSION)
    page.page.wait_for_load_state("networkidle")
    assert [u for u in page.requests if "/pagefind/" in u or "search_index" in u] == []
    page.page.hover("[data-pa-search-query]")
    page.page.wait_for_load_state("networkidle")
    fetched = [u for u in page.requests if "/pagefind/" in u]
    assert any(u.endswith("/pagefind/pagefind.js") for u in fetched)
    assert not any("pf_fragment" in u for u in fetched)
    assert_clean(page)


def index_chunks_fetched(page, action) -> set[str]:
    """The word index chunks fetched while ``action`` runs (the context sees Pagefind's worker)."""
    fetched: list[str] = []
    page.context.on("request", lambda r: fetched.append(r.url) if r.url.endswith(".pf_index") else None)
    action()
    page.wait_for_load_state("networkidle")
    return {u.rsplit("/", 1)[-1] for u in fetched}


TYPE_QUICKLY = """(text) => {
  const input = document.querySelector('[data-pa-search-query]');
  for (let i = 1; i <= text.length; i++) {
    input.value = text.slice(0, i);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }
}"""


@pytest.mark.browser
def test_header_search_fetches_chunks_for_whole_topical_words_only(page, browser, sample_url: str) -> None:
    """Typed without a pause: no index chunk for "c", "ci", "cin"..., none for "the"."""

    def type_quickly() -> None:
        page.page.goto(sample_url)
        page.page.click("[data-pa-search-query]")
        page.page.wait_for_load_state("networkidle")
        page.page.evaluate(TYPE_QUICKLY, "the cinematography")
        page.page.wait_for_function("() => !document.querySelector('.pa-search__more').hidden")

    typed = index_chunks_fetched(page.page, type_quickly)
    assert page.page.eval_on_selector_all(".md-search-result__list a", "as => as.map(a => a.href)")[0] == (
        sample_url + SHOTBENCH
    )
    context = browser.new_context()
    try:
        fresh = context.new_page()
        fresh.goto(sample_url)
        direct = index_chunks_fetched(
            fresh,
            lambda: fresh.evaluate(
                "async () => { const pf = await import('./pagefind/pagefind.js'); await pf.search('cinematography'); }"
            ),
        )
    finally:
        context.close()
    assert typed == direct and len(direct) == 1  # the word as typed lands in its stem's chunk
    assert_clean(page)


@pytest.mark.browser
def test_header_search_keyboard_shortcut_and_escape(page, sample_url: str) -> None:
    page.page.goto(sample_url)
    page.page.keyboard.press("/")
    assert page.page.evaluate("document.activeElement.matches('[data-pa-search-query]')")
    assert page.page.is_checked("#__search")
    page.page.keyboard.press("Escape")
    assert not page.page.is_checked("#__search")
    page.page.keyboard.press("s")
    assert page.page.evaluate("document.activeElement.matches('[data-pa-search-query]')")
    assert_clean(page)


@pytest.mark.browser
def test_search_page_tag_filter_narrows_results(page, sample_url: str) -> None:
    page.page.goto(sample_url + "search/?q=diffusion")
    everything = page_results(page.page)
    page.page.select_option("select[name=tag]", "Audio and music")
    page.page.wait_for_url(re.compile(r"tag=Audio"))
    narrowed = page_results(page.page)
    assert 0 < len(narrowed) < len(everything)
    assert all("Audio and music" in r["tags"] for r in narrowed)
    assert_clean(page)


@pytest.mark.browser
def test_search_page_sorts_by_date(page, sample_url: str) -> None:
    page.page.goto(sample_url + "search/?q=model&sort=asc")
    dates = [r["date"] for r in page_results(page.page)]
    assert len(set(dates)) > 1 and dates == sorted(dates)
    assert_clean(page)


@pytest.mark.browser
def test_search_page_month_filter(page, sample_url: str) -> None:
    page.page.goto(sample_url + "search/?month=2025-06")
    results = page_results(page.page)
    assert results and all(r["date"].startswith("2025-06") for r in results)
    assert_clean(page)


@pytest.fixture(scope="module")
def two_year_url(shared_data: Path, tmp_path_factory: pytest.TempPathFactory):
    """Two shared days a year apart: the sample has papers from one year only."""
    work = tmp_path_factory.mktemp("two-years")
    content = make_content(
        work / "content", [shared_data / "2024-06-03.json", shared_data / "2025-06-02.json"]
    )
    server, url = serve(build_site(content, work / "site"))
    yield url
    server.shutdown()


@pytest.mark.browser
def test_search_page_year_filter(page, two_year_url: str) -> None:
    page.page.goto(two_year_url + "search/?q=diffusion")  # 5 papers, in both years
    everything = page_results(page.page)
    assert {r["date"][:4] for r in everything} == {"2024", "2025"}
    page.page.select_option("select[name=year]", "2024")
    page.page.wait_for_url(re.compile(r"year=2024"))
    narrowed = page_results(page.page)
    assert 0 < len(narrowed) < len(everything)
    assert all(r["date"].startswith("2024") for r in narrowed)
    page.page.locator("[data-pa-search-results] a").first.click()
    page.page.wait_for_url(re.compile(re.escape(two_year_url) + r"papers/[^/]+/$"))
    assert_clean(page)
