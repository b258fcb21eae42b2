"""The Content-Security-Policy in a real Chromium: every kind of page loads, and search,
math, the reading list and the colour toggle work, without one violation of it.

A site of its own: two days in two months, a paper with formulas (KaTeX), and a paper
that moved from its title's address to its arXiv id's (a redirect page). The policy is
shown to be in force too: an inline script and a ``javascript:`` link, added to a page,
do not run.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest

from generator.csp import CONTENT_SECURITY_POLICY
from generator.text import title_key
from tests.conftest import build_site, make_content, serve
from tests.helpers import api_item, write_api_digest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ABSTRACT = "We study {} with a method that improves accuracy on three benchmarks and halves the cost."
MATH = api_item(
    "2506.00001",
    "Scaling $x^2$ Laws for Video Generation",
    "We show that $\\alpha + \\beta$ bounds the loss of video generation models. " + ABSTRACT.format("it"),
)
MOVED_TITLE = "A Moved Paper About Robot Manipulation"
PAPERS = {
    "2025-06-02": [MATH, api_item("2506.00002", "Agents That Plan Their Tools", ABSTRACT.format("agents"))],
    "2025-07-01": [
        api_item("2507.00003", MOVED_TITLE, ABSTRACT.format("robot manipulation")),
        api_item("2507.00004", "Reasoning Language Models Explained", ABSTRACT.format("reasoning")),
    ],
}
MOVED_FROM = "papers/a-moved-paper-about-robot-manipulation/"

# Collects violations from the start of every document, before any of its scripts.
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber);
}, true);
"""


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    work = tmp_path_factory.mktemp("csp")
    content = make_content(work / "content", [])
    for day, items in PAPERS.items():
        write_api_digest(content / "digests", day, items)
    (content / "permalinks.lock").write_text(
        f"{MOVED_FROM}\ttitle:{title_key(MOVED_TITLE)}\n", encoding="utf-8"
    )
    site = build_site(content, work / "site")
    assert (site / MOVED_FROM / "index.html").is_file()  # the redirect page is there to load
    server, url = serve(site)
    yield url
    server.shutdown()


@pytest.fixture()
def watched(page):
    page.page.add_init_script(WATCH)
    return page


def violations(watched) -> list[str]:
    found = watched.page.evaluate("() => window.__violations.splice(0)")
    return found + [e for e in watched.errors if "Content Security Policy" in e]


def visit(watched, url: str, status: int = 200) -> None:
    response = watched.page.goto(url)
    assert response is not None and response.status == status, url
    watched.page.wait_for_load_state("load")
    policies = watched.page.locator('meta[http-equiv="Content-Security-Policy"]')
    assert policies.evaluate_all("metas => metas.map(m => m.content)") == [CONTENT_SECURITY_POLICY], url
    assert violations(watched) == [], url


PAGES = [
    "",  # home
    "papers/2506.00002/",
    "tags/agents/",
    "archive/2025/06/02/",
    "archive/2025/06/",
    "archive/2025/",
    "archive/",
    "latest/",
    "tags/",
    "trends/",
    "search/",
    "mylist/",
    "about/",
]


def test_every_kind_of_page_loads_without_a_violation(watched, site_url: str):
    for path in PAGES:
        visit(watched, site_url + path)
    visit(watched, site_url + "papers/no-such-paper/", status=404)
    # A paper's old address: its redirect page carries the policy too, and moves on.
    watched.page.goto(site_url + MOVED_FROM)
    watched.page.wait_for_url("**/papers/2507.00003/")
    assert violations(watched) == []
    redirect = unescape(watched.page.request.get(site_url + MOVED_FROM).text())
    assert f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">' in redirect
    assert watched.outside_requests() == []


def test_search_math_reading_list_and_colour_toggle_break_no_rule(watched, site_url: str):
    p = watched.page
    visit(watched, site_url + "archive/")
    box = p.locator("input.md-search__input").first
    box.click()
    box.type("agents plan")
    p.locator(".md-search-result__list li").first.wait_for(timeout=10_000)
    assert "Agents That Plan" in p.locator(".md-search-result__list").inner_text()
    assert violations(watched) == []

    visit(watched, site_url + "search/?q=reasoning")
    p.locator("[data-pa-search-results] li").first.wait_for(timeout=10_000)
    assert violations(watched) == []

    visit(watched, site_url + "papers/2506.00001/")
    p.locator(".pa-math .katex").first.wait_for(timeout=10_000)  # typeset by KaTeX
    p.locator(".pa-star").first.click()
    visit(watched, site_url + "mylist/")
    assert p.locator(".pa-mylist__items li").count() == 1
    for kind in ("bibtex", "markdown"):
        with p.expect_download() as download:
            p.click(f"[data-pa-export={kind}]")
        assert Path(download.value.path()).read_text(encoding="utf-8")
    assert violations(watched) == []

    scheme = "() => document.body.getAttribute('data-md-color-scheme')"
    before = p.evaluate(scheme)
    p.locator("form[data-md-component=palette] label:visible").first.click()
    p.wait_for_function(f"() => document.body.getAttribute('data-md-color-scheme') !== {json.dumps(before)}")
    after = p.evaluate(scheme)
    visit(watched, site_url + "tags/")  # the saved scheme is applied by assets/boot/palette.js
    assert p.evaluate(scheme) == after
    assert violations(watched) == []
    assert watched.outside_requests() == []


def test_the_policy_stops_an_inline_script_and_a_javascript_link(watched, site_url: str):
    """What the policy is for: had a title's text become markup (a control character once
    let a Markdown link through), it still would not run."""
    p = watched.page
    visit(watched, site_url + "papers/2506.00002/")
    p.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.__ran = 'inline'";
          document.body.append(script);
          const link = document.createElement("a");
          link.href = "javascript:window.__ran = 'link'";
          link.id = "pa-injected";
          link.textContent = "PDF";
          document.querySelector("article").append(link);
        }"""
    )
    p.locator("#pa-injected").click()
    p.wait_for_function("() => window.__violations.length >= 2")
    assert p.evaluate("() => window.__ran") is None
    assert [v.split()[0] for v in violations(watched)[:2]] == ["script-src-elem", "script-src-elem"]
