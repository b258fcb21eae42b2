"""Accessibility in a real headless Chromium (issue 21, item 7): axe-core finds no serious
or critical WCAG 2.1 AA violation on any page kind, Material's own chrome included, in the
light and the dark scheme.

axe-core comes from PyPI, bundled in axe-playwright-python, and is injected into the page
from this machine: nothing is fetched from outside (the pages' CSP stays on). The site is the
sample content built with 10 papers per tag page, so that tag pages have page 2 and on.

``python -m tests.test_accessibility_browser`` builds that site and prints the violations
per page kind (the figures in the README's "Accessibility").
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from tests.conftest import ROOT, make_content, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SERIOUS = ("serious", "critical")
TAGS_PER_PAGE = 10


def _open_header_search(page) -> None:
    page.keyboard.press("/")  # on a phone too, where the box is behind an icon
    page.locator("input.md-search__input").type("video generation")
    page.locator(".md-search-result__list mark").first.wait_for(timeout=10_000)


def _search_page_results(page) -> None:
    page.locator("[data-pa-search-results] li").first.wait_for(timeout=10_000)


def _first_paper_of_a_text_copy(page) -> None:
    page.locator("a.pa-entry__title").first.click()
    page.wait_for_load_state()


def _a_starred_paper(page) -> None:
    page.locator("button.pa-star").first.click()
    page.goto(page.url.split("/archive/")[0] + "/mylist/")
    page.locator(".pa-entry").first.wait_for(timeout=10_000)


# Every page kind: (name, path from the site root, what to do there before the audit).
PAGE_KINDS: tuple[tuple[str, str, Callable | None], ...] = (
    ("home", "", None),
    ("home, header search open", "", _open_header_search),
    ("latest", "latest/", None),
    ("archive", "archive/", None),
    ("year", "archive/2025/", None),
    ("month", "archive/2025/12/", None),
    ("day", "archive/2025/12/30/", None),
    ("tags index", "tags/", None),
    ("tag", "tags/agents/", None),
    ("tag, page 2", "tags/agents/page/2/", None),
    ("paper", "papers/2512.22525/", None),
    ("paper, text copy (no arXiv id)", "archive/2025/07/29/", _first_paper_of_a_text_copy),
    ("search", "search/", None),
    ("search, results", "search/?q=video+generation", _search_page_results),
    ("top of a week", "top/week/2026-W01/", None),
    ("top of a month", "top/month/2025-12/", None),
    ("day, by upvotes", "archive/2025/12/30/?sort=upvotes", None),
    ("trends", "trends/", None),
    ("my list, empty", "mylist/", None),
    ("my list, a paper", "archive/2025/12/30/", _a_starred_paper),
    ("about", "about/", None),
    ("404", "papers/no-such-paper/", None),
)


def build_a11y_site(work: Path) -> Path:
    from generator.build import build
    from generator.config import load_settings

    site = work / "site"
    settings = load_settings(ROOT / "mkdocs.yml", site_url="http://127.0.0.1/paper-archive/", site_dir=site)
    build(
        replace(settings, docs_dir=work / "docs", tags_per_page=TAGS_PER_PAGE), make_content(work / "content")
    )
    return site


@functools.cache
def axe_script() -> str:
    from axe_playwright_python.sync_playwright import Axe

    return Axe().axe_script


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical WCAG 2.1 AA violations on the page as it is now, one
    line each: rule, impact, how many elements, the first element and axe's summary."""
    page.evaluate(axe_script())
    results = page.evaluate(
        "options => axe.run(document, options)",
        {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]},
    )
    found = []
    for v in results["violations"]:
        if v["impact"] not in SERIOUS:
            continue
        # One line per distinct problem (a colour pair, say), with an element that has it.
        problems: dict[str, str] = {}
        for node in v["nodes"]:
            problems.setdefault(node.get("failureSummary", "").splitlines()[-1].strip(), str(node["target"]))
        found += [f"{v['id']} ({v['impact']}): {target} {summary}" for summary, target in problems.items()]
    return found


def audit(browser, url: str, scheme: str, kind: tuple[str, str, Callable | None]) -> list[str]:
    _name, path, setup = kind
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(url + path)
        page.wait_for_load_state("load")
        if setup:
            setup(page)
        return serious_violations(page)
    finally:
        context.close()


@pytest.fixture(scope="module")
def a11y_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server, url = serve(build_a11y_site(tmp_path_factory.mktemp("a11y")))
    yield url
    server.shutdown()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", PAGE_KINDS, ids=[k[0] for k in PAGE_KINDS])
def test_no_serious_or_critical_axe_violation(browser, a11y_url: str, kind, scheme: str):
    assert audit(browser, a11y_url, scheme, kind) == []


# Words of the page's content that the browser broke across two lines.
WORDS_BROKEN = """() => {
  const broken = [];
  const walker = document.createTreeWalker(document.querySelector(".md-content"), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement.offsetParent || node.parentElement.closest("svg")) continue;
    for (const word of node.data.matchAll(/[\\p{L}\\p{N}]+/gu)) {
      const range = document.createRange();
      range.setStart(node, word.index);
      range.setEnd(node, word.index + word[0].length);
      if ([...range.getClientRects()].filter((r) => r.width > 0).length > 1) broken.push(word[0]);
    }
  }
  return broken;
}"""


@pytest.fixture()
def phone(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    yield context.new_page()
    context.close()


def test_no_word_breaks_mid_word_and_nothing_is_wider_than_a_phone(phone, a11y_url: str):
    """Links may break anywhere in Material (word-break: break-word): in a table's narrow
    column, topic names came out as "Reaso/ning" on the tags, year and trends pages."""
    for name, path, setup in PAGE_KINDS:
        phone.goto(a11y_url + path)
        if setup:
            setup(phone)
        assert phone.evaluate(WORDS_BROKEN) == [], name
        assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390, name


def test_the_tab_strip_on_a_phone_shows_that_it_scrolls(phone, a11y_url: str):
    phone.goto(a11y_url + "papers/2512.22525/")  # a lean page: tabs, no drawer
    tabs, strip = phone.locator(".md-tabs"), phone.locator(".md-tabs__list")
    assert strip.evaluate("list => list.scrollWidth > list.clientWidth"), "7 tabs are wider than 390 px"
    assert tabs.get_attribute("data-pa-more") == ""
    cue = "el => getComputedStyle(el, '::after').content"
    assert tabs.evaluate(cue) == '"›" / ""'
    strip.evaluate("list => list.scrollTo(list.scrollWidth, 0)")
    phone.wait_for_function("() => !document.querySelector('.md-tabs').hasAttribute('data-pa-more')")
    assert tabs.evaluate(cue) == "none"
    assert phone.get_by_role("link", name="About").is_visible()
    assert serious_violations(phone) == []


def main() -> int:
    """Print the violations per page kind and scheme; exit 1 if there is any."""
    import tempfile

    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM_FLAGS, chromium_path

    with tempfile.TemporaryDirectory() as work:
        server, url = serve(build_a11y_site(Path(work)))
        total = 0
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS)
            for scheme in ("light", "dark"):
                for kind in PAGE_KINDS:
                    found = audit(browser, url, scheme, kind)
                    total += len(found)
                    print(f"{scheme:5} {kind[0]:32} {len(found)} problems")
                    for line in found:
                        print("      ", line)
            browser.close()
        server.shutdown()
    print(f"{total} serious or critical problems in all")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
