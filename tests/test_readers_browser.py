"""Readers' tools in a real Chromium: math typeset by the site's own KaTeX, dollars left alone,
BibTeX copied to the clipboard, feeds announced in the head, no request leaving 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import build_site, make_content, serve
from tests.helpers import api_item, write_api_digest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MATH_TITLE = "Bounds for $L_2$ Regularised Models"
MATH_ABSTRACT = (
    "We show \\( O(n^3) \\) time and an error of $\\epsilon^2$ at a cost of $5 per task and $10 per hour."
)
MONEY_TITLE = "SWE-Lancer: Can Frontier LLMs Earn $1 Million from Real-World Freelance Software Engineering?"


@pytest.fixture(scope="module")
def math_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    work = tmp_path_factory.mktemp("readers")
    (work / "in").mkdir()
    digest = write_api_digest(
        work / "in",
        "2025-02-18",
        [
            api_item(
                "2502.00001",
                MATH_TITLE,
                MATH_ABSTRACT,
                authors=[{"name": "Ada Lovelace"}, {"name": "Alan Turing"}],
            ),
            api_item(
                "2502.12115",
                MONEY_TITLE,
                "Tasks worth \\$32,000 in total.",
                authors=[{"name": "Samuel Miserendino"}],
            ),
        ],
    )
    site = build_site(make_content(work / "content", [digest]), work / "site")
    server, url = serve(site)
    yield url
    server.shutdown()


def test_math_is_typeset_by_the_sites_own_katex_and_dollars_stay_text(page, math_url: str) -> None:
    p = page.page
    p.goto(math_url + "papers/2502.00001/")
    p.wait_for_selector(".pa-abstract .pa-math .katex")
    assert p.locator("h1 .pa-math .katex").count() == 1
    assert p.locator(".pa-abstract .pa-math .katex").count() == 2
    abstract = p.locator(".pa-abstract").inner_text()
    assert "$5 per task and $10 per hour" in abstract
    assert p.evaluate("document.fonts.check('12px KaTeX_Main')")
    katex_requests = [u for u in page.requests if "/assets/katex/" in u]
    assert any(u.endswith("katex.min.js") for u in katex_requests)
    assert page.outside_requests() == []
    assert page.errors == []


def test_a_page_without_math_loads_no_katex_and_keeps_its_dollars(page, math_url: str) -> None:
    p = page.page
    p.goto(math_url + "papers/2502.12115/")
    p.wait_for_load_state("load")
    assert "Earn $1 Million" in p.locator("h1").inner_text()
    assert "$32,000" in p.locator(".pa-abstract").inner_text()
    assert p.locator(".pa-math").count() == 0
    assert not [u for u in page.requests if "/assets/katex/" in u]
    assert page.outside_requests() == []
    assert page.errors == []


def test_bibtex_copy_button_puts_the_entry_on_the_clipboard(page, math_url: str) -> None:
    p = page.page
    p.context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=math_url.split("/paper-archive/")[0]
    )
    p.goto(math_url + "papers/2502.00001/")
    p.wait_for_load_state("load")
    p.click("button[data-pa-copy=bibtex]")
    p.wait_for_selector("button[data-pa-copied]")
    copied = p.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("@misc{lovelace2025bounds,\n")
    assert "author = {Ada Lovelace and Alan Turing}" in copied
    assert "title = {{Bounds for $L_2$ Regularised Models}}" in copied
    assert page.errors == []


def test_bibtex_entry_is_found_in_a_bib_file_spaced_otherwise(page, math_url: str) -> None:
    """The .bib parser (common.js) reads BibTeX, not the build's own spacing."""
    p = page.page
    p.context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=math_url.split("/paper-archive/")[0]
    )
    written = p.request.get(math_url + "archive/2025/02/18/papers.bib").text()
    respaced = "@comment{@misc{lovelace2025bounds, title = {Not this one}}}\r\n" + written.replace(
        "@misc{lovelace2025bounds,\n", "@MISC ( lovelace2025bounds ,\n"
    ).replace("  ", "\t").replace(" = ", "=").replace("\n", "\r\n")
    start = respaced.index("@MISC (")
    entry = respaced[start : respaced.index("\r\n}", start) + 3]
    respaced = respaced.replace(entry, entry[:-1] + ")", 1)  # @type( ... ) is BibTeX too
    p.route("**/papers.bib", lambda route: route.fulfill(status=200, body=respaced))
    p.goto(math_url + "papers/2502.00001/")
    p.wait_for_load_state("load")
    p.click("button[data-pa-copy=bibtex]")
    p.wait_for_selector("button[data-pa-copied]")
    assert p.evaluate("navigator.clipboard.readText()") == entry[:-1] + ")\n"
    assert page.errors == []


def test_feeds_and_bib_files_are_linked_and_served(page, sample_url: str) -> None:
    p = page.page
    p.goto(sample_url)
    feed = p.locator('head link[rel~=alternate][type="application/atom+xml"]')
    assert feed.count() == 1
    assert (
        p.evaluate("document.querySelector('head link[type=\"application/atom+xml\"]').href")
        == sample_url + "feed.xml"
    )
    p.click(".pa-entry__meta .pa-tag")
    p.wait_for_load_state("load")
    tag_url = p.url
    hrefs = p.eval_on_selector_all('head link[type="application/atom+xml"]', "els => els.map(e => e.href)")
    assert hrefs == [sample_url + "feed.xml", tag_url + "feed.xml"]
    button = p.locator("a.pa-feed")
    assert button.is_visible() and button.evaluate("a => a.href") == tag_url + "feed.xml"
    for url in (
        tag_url + "feed.xml",
        tag_url + "papers.bib",
        sample_url + "feed.xml",
        sample_url + "papers.json",
        sample_url + "tags.json",
        sample_url + "assets/schema/papers.schema.json",
    ):
        response = p.request.get(url)
        assert response.ok, url
    assert not [u for u in page.requests if u.endswith("sitemap.xml")]  # Material leaves feed links alone
    assert page.outside_requests() == []
    assert page.errors == []


def test_day_page_links_its_bib_file(page, sample_url: str, sample_site: Path) -> None:
    p = page.page
    p.goto(sample_url + "latest/")
    p.click("h2 a")
    p.wait_for_load_state("load")
    link = p.locator("a.pa-bib")
    href = link.evaluate("a => a.href")
    assert href == p.url + "papers.bib"
    assert p.request.get(href).text().startswith("% Papers featured in ")
    assert page.outside_requests() == []
    assert page.errors == []
