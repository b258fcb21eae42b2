"""The reading list in a real Chromium: one list per site on a shared origin, the legacy
list migrated, full BibTeX entries in the export, and stars on entries added after load.

Two copies of the sample site are served on one origin, under /paper-archive/ and /full/,
as two GitHub Pages project sites of one user are.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.serve import SiteHandler

pytestmark = pytest.mark.browser

ARXIV_URI = re.compile(r"^papers/(\d{4}\.\d{4,5})/$")


class _QuietHandler(SiteHandler):
    extensions_map = {**SiteHandler.extensions_map, ".js": "text/javascript", ".wasm": "application/wasm"}

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def origin(sample_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """http://127.0.0.1:PORT serving the sample site at /paper-archive/ and at /full/."""
    top = tmp_path_factory.mktemp("origin")
    for name in ("paper-archive", "full"):
        shutil.copytree(sample_site, top / name)
    (top / "blank.html").write_text(
        "<!doctype html><link rel=icon href=data:,><title>blank</title>\n", encoding="utf-8"
    )
    handler = functools.partial(_QuietHandler, directory=str(top))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def listed(p) -> list[str]:
    return p.eval_on_selector_all(".pa-mylist__items li", "lis => lis.map(li => li.dataset.paper)")


def assert_clean(page) -> None:
    assert page.errors == []
    assert page.outside_requests() == []


def test_reading_list_is_kept_per_site_on_a_shared_origin(page, origin: str) -> None:
    p = page.page
    site_a, site_b = origin + "/paper-archive/", origin + "/full/"
    p.goto(site_a + "latest/")
    entry = p.locator(".pa-list .pa-entry").first
    uri = entry.get_attribute("data-paper")
    entry.locator(".pa-star").click()
    assert entry.locator(".pa-star").get_attribute("aria-pressed") == "true"
    entry.locator(".pa-entry__title").click()  # opened: "seen" on site A only
    p.wait_for_selector(".pa-paper h1")
    p.goto(site_a + "latest/")
    p.locator(".pa-dimtoggle input").check()

    p.goto(site_b + "latest/")
    other = p.locator(f".pa-list .pa-entry[data-paper='{uri}']").first
    assert other.locator(".pa-star").get_attribute("aria-pressed") == "false"
    assert "pa-seen" not in (other.get_attribute("class") or "")
    assert not p.locator(".pa-dimtoggle input").is_checked()
    p.goto(site_b + "mylist/")
    assert listed(p) == []
    assert p.locator(".pa-mylist__empty").is_visible()

    p.goto(site_a + "mylist/")
    assert listed(p) == [uri]
    assert p.eval_on_selector(".pa-mylist__items a", "a => a.href") == site_a + uri
    keys = p.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('pa-')).sort()")
    assert keys == [
        "pa-dim:/paper-archive/",
        "pa-list:/full/",
        "pa-list:/paper-archive/",
        "pa-seen:/paper-archive/",
    ]
    assert_clean(page)


def test_reading_list_legacy_keys_are_migrated_once_per_site(page, origin: str) -> None:
    p = page.page
    site_a, site_b = origin + "/paper-archive/", origin + "/full/"
    p.goto(site_a + "latest/")
    entry = p.locator(".pa-list .pa-entry").first
    uri, day = entry.get_attribute("data-paper"), entry.get_attribute("data-day")
    title = entry.locator(".pa-entry__title").inner_text()
    p.evaluate("() => localStorage.clear()")  # as before this site's first load
    p.goto(origin + "/blank.html")  # the origin, without the reading list's script
    legacy = [{"uri": uri, "title": title, "day": day, "arxiv": ARXIV_URI.match(uri)[1]}]
    p.evaluate(
        """legacy => {
            localStorage.setItem("pa-list", JSON.stringify(legacy));
            localStorage.setItem("pa-seen", JSON.stringify({[legacy[0].uri]: 1}));
            localStorage.setItem("pa-dim", "true");
        }""",
        legacy,
    )

    p.goto(site_a + "mylist/")
    assert listed(p) == [uri]
    assert p.locator(".pa-dimtoggle input").is_checked()
    assert "pa-seen" in p.get_attribute(".pa-mylist__items li", "class")
    # Unstarred, it stays gone: the migration happens once.
    p.click(".pa-mylist__items .pa-star")
    p.reload()
    assert listed(p) == []

    # The other archive on the origin takes its own copy on its first load.
    p.goto(site_b + "mylist/")
    assert listed(p) == [uri]
    assert p.evaluate("() => JSON.parse(localStorage.getItem('pa-list'))") == legacy
    assert_clean(page)


def star_papers(p, site: str) -> list[dict[str, str]]:
    """Star two papers of one day and one of another on Latest; the list's order, newest first."""
    p.goto(site + "latest/")
    entries = p.eval_on_selector_all(
        ".pa-list .pa-entry", "lis => lis.map(li => ({uri: li.dataset.paper, day: li.dataset.day}))"
    )
    entries = [e for e in entries if ARXIV_URI.match(e["uri"])]
    first_day = entries[0]["day"]
    same = [e for e in entries if e["day"] == first_day][:2]
    other = next(e for e in entries if e["day"] != first_day)
    chosen = [same[0], other, same[1]]
    assert len({e["uri"] for e in chosen}) == 3
    for e in chosen:
        p.locator(f".pa-list .pa-entry[data-paper='{e['uri']}'] .pa-star").first.click()
    return chosen[::-1]


def entry_for(p, site: str, paper: dict[str, str]) -> str:
    text = p.request.get(site + "archive/" + paper["day"].replace("-", "/") + "/papers.bib").text()
    arxiv = ARXIV_URI.match(paper["uri"])[1]
    for entry in re.findall(r"^@misc\{.*?\n\}\n", text, flags=re.M | re.S):
        if f"  url = {{https://arxiv.org/abs/{arxiv}}}" in entry:
            return entry
    raise AssertionError(f"no entry for {arxiv} in {paper['day']}'s papers.bib")


def export_bibtex(p) -> str:
    with p.expect_download() as info:
        p.click("[data-pa-export=bibtex]")
    assert info.value.suggested_filename == "my-list.bib"
    return Path(info.value.path()).read_text(encoding="utf-8")


def test_reading_list_bibtex_export_has_the_full_entries(page, origin: str) -> None:
    p = page.page
    site = origin + "/paper-archive/"
    papers = star_papers(p, site)
    p.goto(site + "mylist/")
    assert listed(p) == [e["uri"] for e in papers]
    bibtex = export_bibtex(p)

    expected = [entry_for(p, site, e) for e in papers]
    assert bibtex == "\n".join(expected)  # the site's own entries, in the list's order
    assert bibtex.count("  author = {") == 3
    for paper, entry in zip(papers, expected, strict=True):
        year = "20" + ARXIV_URI.match(paper["uri"])[1][:2]
        assert f"  year = {{{year}}}" in entry
    bib_requests = [u for u in page.requests if u.endswith("/papers.bib")]
    assert sorted(bib_requests) == sorted(
        {site + "archive/" + e["day"].replace("-", "/") + "/papers.bib" for e in papers}
    )
    assert p.inner_text(".pa-mylist__status") == ""
    assert export_bibtex(p) == bibtex  # deterministic
    assert_clean(page)


def test_reading_list_bibtex_export_falls_back_to_minimal_entries(page, origin: str) -> None:
    p = page.page
    site = origin + "/paper-archive/"
    papers = star_papers(p, site)
    p.goto(site + "mylist/")
    p.route("**/papers.bib", lambda route: route.fulfill(status=503, body="unavailable"))
    bibtex = export_bibtex(p)

    entries = bibtex.split("\n\n")
    assert len(entries) == 3
    for paper, entry in zip(papers, entries, strict=True):
        arxiv = ARXIV_URI.match(paper["uri"])[1]
        url = site + "archive/" + paper["day"].replace("-", "/") + "/papers.bib"
        assert entry.startswith(
            f"% Minimal entry, without authors: could not fetch {url} (HTTP 503).\n@misc{{arxiv{arxiv.replace('.', '_')},\n"
        )
        assert f"  year = {{20{arxiv[:2]}}}" in entry and f"  eprint = {{{arxiv}}}" in entry
        assert "  author = " not in entry
    assert p.inner_text(".pa-mylist__status") == (
        "3 entries could not be fetched: they are minimal (no authors), marked with a comment in the file."
    )
    assert page.outside_requests() == []


def test_reading_list_stars_entries_added_after_load(page, origin: str) -> None:
    p = page.page
    site = origin + "/paper-archive/"
    p.goto(site + "latest/")
    first = p.locator(".pa-list .pa-entry").first
    uri, day = first.get_attribute("data-paper"), first.get_attribute("data-day")
    first.locator(".pa-entry__title").click()  # opened, so "seen"
    p.wait_for_selector(".pa-paper h1")
    p.goto(site + "latest/")
    p.locator(".pa-dimtoggle input").check()
    p.locator(".pa-list .pa-entry").first.locator(".pa-star").click()

    # As a script's search results arrive: an entry like a listing's, a little later.
    p.evaluate(
        """([uri, day]) => {
            const ol = document.createElement("ol");
            ol.className = "pa-list pa-late";
            document.querySelector(".md-content").appendChild(ol);
            setTimeout(() => {
                const li = document.createElement("li");
                li.className = "pa-entry";
                li.dataset.paper = uri;
                li.dataset.day = day;
                const a = document.createElement("a");
                a.className = "pa-entry__title";
                a.textContent = "Added later";
                li.appendChild(a);
                ol.appendChild(li);
            }, 50);
        }""",
        [uri, day],
    )
    star = p.locator(".pa-late .pa-entry .pa-star")
    star.wait_for()
    assert star.get_attribute("aria-pressed") == "true"
    assert star.get_attribute("data-day") == day
    late = p.locator(".pa-late .pa-entry")
    assert "pa-seen" in late.get_attribute("class")
    assert float(late.evaluate("e => getComputedStyle(e).opacity")) < 1
    # Its star works like any other: unstarring updates every star of the paper.
    star.click()
    assert star.get_attribute("aria-pressed") == "false"
    assert p.locator(".pa-list .pa-entry").first.locator(".pa-star").get_attribute("aria-pressed") == "false"
    star.click()
    p.goto(site + "mylist/")
    assert listed(p) == [uri]
    assert_clean(page)


# Every character TeX reads as a command, alone and in the sequences that run one: "^^5c" is
# a backslash to TeX, so "^^5cinput^^7b/etc/hostname^^7d" reads \input{/etc/hostname}.
TEX_TEXTS = [
    *"\\{}$&%#_~^",
    "".join(chr(c) for c in range(0x20, 0x7F)),
    "^^5cinput^^7b/etc/hostname^^7d",
    "^^^^005c ^^M ^^?",
    "\\input{/etc/passwd} \\write18{id} \\catcode`\\^=7",
    "{unbalanced }} {{ $x^2$ 100% #1 a_b ~c",
    "Ünïcödé \u2028 \u202e 😀",
]


def test_reading_list_bibtex_export_escapes_as_the_site_does(page, origin: str) -> None:
    """The minimal entry's title and note, for a paper the site has no entry for: the same
    escaping as the site's own .bib files (generator/bibtex.py's escape_latex). Before, "^"
    and "~" went out raw and braces and backslashes were dropped."""
    from generator.bibtex import escape_latex

    p = page.page
    site = origin + "/paper-archive/"
    items = [
        {"uri": f"papers/slug-{n}/", "title": t, "day": t, "arxiv": None} for n, t in enumerate(TEX_TEXTS)
    ]
    p.goto(site + "mylist/")
    p.evaluate("items => localStorage.setItem('pa-list:/paper-archive/', JSON.stringify(items))", items)
    p.reload()
    bibtex = export_bibtex(p)

    titles = re.findall(r"^  title = \{(.*)\},$", bibtex, flags=re.M)
    notes = re.findall(r"^  note = \{Featured in Hugging Face Daily Papers on (.*)\}$", bibtex, flags=re.M)
    assert titles == ["{" + escape_latex(t) + "}" for t in TEX_TEXTS]
    assert notes == [escape_latex(t) for t in TEX_TEXTS]
    assert "^^" not in bibtex
    assert_clean(page)
