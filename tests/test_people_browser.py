"""Authors and organisations in a real Chromium (issue 21, item 2): every author and the
organisation on a paper page link to a page of their papers, newest first, with an Atom
feed; an author of fewer papers links to a search for their name, which finds the paper.

Runs against the sample site served under /paper-archive/.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import pytest

from generator.people import person_key
from generator.people_pages import FEED_ENTRIES
from generator.render import AUTHORS_SHOWN
from tests.conftest import ARTIFACTS, build_site, make_content, serve

pytestmark = pytest.mark.browser
# The sample is small: authors of two papers get a page here (the default fits 50,000 papers).
MIN_AUTHOR_PAPERS = 2


@pytest.fixture(scope="module")
def people_site(tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("people")
    site = build_site(make_content(work / "content"), work / "site", author_pages_from=MIN_AUTHOR_PAPERS)
    server, url = serve(site)
    yield site, url
    server.shutdown()


def assert_clean(page) -> None:
    assert page.errors == [], page.failed
    assert page.outside_requests() == []


def sample_papers(sample_site: Path) -> list[dict]:
    return json.loads((sample_site / "papers.json").read_text(encoding="utf-8"))["papers"]


def by_person(papers: list[dict], names) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for paper in papers:
        for name in names(paper):
            found.setdefault(person_key(name), []).append(paper)
    return found


def test_authors_link_to_their_pages_newest_first_with_a_feed(page, people_site) -> None:
    sample_site, sample_url = people_site
    papers = sample_papers(sample_site)  # newest first
    authors = by_person(papers, lambda p: p["authors"])
    has_page = lambda name: len(authors[person_key(name)]) >= MIN_AUTHOR_PAPERS  # noqa: E731
    paper = next(p for p in papers if any(has_page(n) for n in p["authors"]))
    p = page.page
    p.goto(sample_url + paper["uri"])
    links = p.eval_on_selector_all(
        ".pa-authors a:not(.pa-org)", "as => as.map(a => ({name: a.textContent, href: a.href}))"
    )
    assert [link["name"] for link in links] == paper["authors"][:AUTHORS_SHOWN]
    for link in links:
        if has_page(link["name"]):
            assert re.fullmatch(re.escape(sample_url) + r"authors/[a-z0-9-]+/", link["href"]), link
        else:
            assert link["href"].startswith(sample_url + "search/?q=%22"), link
    author = next(n for n in paper["authors"] if has_page(n))
    p.locator(".pa-authors a", has_text=re.compile("^" + re.escape(author) + "$")).first.click()
    p.wait_for_url(re.compile(r"/authors/[a-z0-9-]+/$"))
    assert p.inner_text("h1") == author
    listed = p.eval_on_selector_all("main li a", "as => as.map(a => a.href)")
    assert listed == [sample_url + q["uri"] for q in authors[person_key(author)]]  # newest first
    ARTIFACTS.mkdir(exist_ok=True)
    p.screenshot(path=str(ARTIFACTS / "author.png"))  # the README's
    feed_href = p.eval_on_selector("main p a[type='application/atom+xml']", "a => a.href")
    assert feed_href == p.url + "feed.xml" == p.eval_on_selector("link[rel~=feed]", "l => l.href")
    feed = feedparser.parse(p.request.get(feed_href).body())
    assert not feed.bozo, feed.bozo_exception
    assert [e.link for e in feed.entries] == [q["url"] for q in authors[person_key(author)][:FEED_ENTRIES]]
    p.locator("main li a").first.click()
    p.wait_for_selector(".pa-paper h1")
    assert_clean(page)


def test_organisation_links_to_its_page(page, people_site) -> None:
    sample_site, sample_url = people_site
    papers = sample_papers(sample_site)
    orgs = by_person(papers, lambda p: [p["organization"]] if p["organization"] else [])
    paper = next(p for p in papers if p["organization"])
    p = page.page
    p.goto(sample_url + paper["uri"])
    p.click(".pa-authors a.pa-org")
    p.wait_for_url(re.compile(r"/orgs/[a-z0-9-]+/$"))
    assert p.inner_text("h1") == paper["organization"]
    listed = p.eval_on_selector_all("main li a", "as => as.map(a => a.href)")
    assert listed == [sample_url + q["uri"] for q in orgs[person_key(paper["organization"])]]
    assert_clean(page)


def test_an_author_without_a_page_links_to_a_search_that_finds_the_paper(page, people_site) -> None:
    sample_site, sample_url = people_site
    papers = sample_papers(sample_site)
    authors = by_person(papers, lambda p: p["authors"])
    paper, name = next(
        (p, n) for p in papers for n in p["authors"] if len(authors[person_key(n)]) < MIN_AUTHOR_PAPERS
    )
    p = page.page
    p.goto(sample_url + paper["uri"])
    p.locator(".pa-authors a", has_text=re.compile("^" + re.escape(name) + "$")).first.click()
    p.wait_for_url(re.compile(r"/search/\?q="))
    p.wait_for_function(
        "() => /matching/.test(document.querySelector('[data-pa-search-status]').textContent)"
    )
    found = p.eval_on_selector_all("[data-pa-search-results] li", "lis => lis.map(li => li.dataset.paper)")
    assert paper["uri"] in found
    assert_clean(page)
