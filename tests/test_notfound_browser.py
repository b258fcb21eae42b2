"""404.html from any static server, in a real Chromium: under the site's subpath (as
GitHub Pages serves a project site), and with the site at the server's root
(``python3 -m http.server -d site``, or a server that answers any missing address with
404.html), at the top level and deep below it. Styled, and its links lead into the site."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.serve import SiteHandler

pytestmark = [pytest.mark.browser, pytest.mark.slow]


class _RootHandler(SiteHandler):
    """The site at the server's root, missing addresses answered with its 404.html."""

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def root_url(sample_site: Path) -> Iterator[str]:
    _RootHandler.extensions_map.update({".js": "text/javascript"})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_RootHandler, directory=str(sample_site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def styled(p) -> bool:
    """Material's stylesheet and ours applied: the header is coloured, our rules are loaded."""
    return p.evaluate(
        """() => {
          const header = getComputedStyle(document.querySelector(".md-header")).backgroundColor;
          const ours = [...document.styleSheets].find((s) => s.href && s.href.endsWith("/assets/site.css"));
          return header !== "rgba(0, 0, 0, 0)" && !!ours && ours.cssRules.length > 0;
        }"""
    )


@pytest.mark.parametrize("where", ["subpath", "root"])
@pytest.mark.parametrize("path", ["404.html", "no-such-page", "papers/no/such/paper/"])
def test_404_page_is_styled_and_leads_into_the_site(
    page, sample_url: str, root_url: str, where: str, path: str
):
    site = sample_url if where == "subpath" else root_url
    p = page.page
    response = p.goto(site + path)
    assert response is not None and response.status == (200 if path == "404.html" else 404)
    p.wait_for_load_state("networkidle")
    assert p.locator("h1").inner_text() == "Page not found"
    assert styled(p), f"404 page unstyled at {site + path}"
    link = p.get_by_role("link", name="Search the archive")
    assert link.evaluate("a => a.href") == site + "search/"
    link.click()
    p.wait_for_load_state()
    assert p.url == site + "search/"
    assert p.locator("h1").first.inner_text() != "Page not found"
    assert page.outside_requests() == []
