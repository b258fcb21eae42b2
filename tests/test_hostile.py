"""Hostile input: every string from a digest is shown as text and never becomes markup.

The fixture digests (tests/fixtures/hostile/) put script tags, event handlers,
javascript: URLs, Markdown and Jinja syntax, front-matter delimiters, comments and
unbalanced backticks or dollars into every field a digest can carry.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, build_site, make_content, serve

HOSTILE = FIXTURES / "hostile"


class _Markup(HTMLParser):
    """Collects what would run or load: tags, attributes, script bodies."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("iframe", "object", "embed"):
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") or (name == "style" and "alert(" in value):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action", "formaction") and value.strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}={value!r}>")
        self._in_script = tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and ("alert(" in data or "display:none" in data.replace(" ", "")):
            self.problems.append(f"script or style from content: {data[:60]!r}")


def markup_problems(html: str) -> list[str]:
    # <title> holds text only, up to the first "</title" (as browsers parse it); Python's
    # HTMLParser would read tags in it, so its text is dropped before parsing.
    html = re.sub(r"(?is)<title>.*?</title", "<title></title", html)
    parser = _Markup()
    parser.feed(html)
    return parser.problems


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("hostile")
    content = make_content(work / "content", sorted(HOSTILE.iterdir()))
    return build_site(content, work / "site")


@pytest.mark.slow
def test_shared_lean_layouts_give_the_same_pages_as_full_renders(
    hostile_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    # mkdocs_hooks.pa_lean_page fills one rendered layout per folder with each page's
    # title, description and content; hostile titles (quotes, <, &, braces) must come out
    # exactly as Material's own render of every page gives them.
    monkeypatch.setenv("PAPER_ARCHIVE_FULL_RENDER", "1")
    content = make_content(tmp_path / "content", sorted(HOSTILE.iterdir()))
    full = build_site(content, tmp_path / "site")
    shared = {p.relative_to(hostile_site): p.read_bytes() for p in hostile_site.rglob("*") if p.is_file()}
    assert shared == {p.relative_to(full): p.read_bytes() for p in full.rglob("*") if p.is_file()}


def test_paper_and_day_pages_share_layouts_and_a_tags_pages_have_their_own():
    from types import SimpleNamespace

    from generator.mkdocs_hooks import _layout_key

    def page(url: str, **meta: object) -> SimpleNamespace:
        meta = {"title": "T", "description": "D", "html": True, "template": "lean.html", **meta}
        return SimpleNamespace(
            url=url,
            meta=meta,
            canonical_url="https://x.test/" + url,
            toc=SimpleNamespace(items=[]),
            previous_page=None,
            next_page=None,
            edit_url=None,
            content="<h1>T</h1>",
        )

    assert _layout_key(page("papers/2501.00001/")) == _layout_key(page("papers/some-title/"))
    assert _layout_key(page("papers/2501.00001/", math=True)) != _layout_key(page("papers/2501.00001/"))
    assert _layout_key(page("archive/2025/01/02/")) == _layout_key(page("archive/2025/01/03/"))
    agents = _layout_key(page("tags/agents/page/2/", feed="tags/agents/feed.xml"))  # the feed is in the head
    assert agents == _layout_key(page("tags/agents/page/3/", feed="tags/agents/feed.xml"))
    assert agents != _layout_key(page("tags/agents/", feed="tags/agents/feed.xml")) is not None
    assert agents != _layout_key(page("tags/code/page/2/", feed="tags/code/feed.xml"))


@pytest.mark.slow
def test_no_page_of_the_site_carries_injected_markup(hostile_site: Path):
    problems = {}
    for page in sorted(hostile_site.rglob("*.html")):
        found = markup_problems(page.read_text(encoding="utf-8"))
        if found:
            problems[page.relative_to(hostile_site).as_posix()] = found
    assert problems == {}


class _Policy(HTMLParser):
    """The CSP metas, what loads or runs before the first, and inline scripts and styles."""

    def __init__(self) -> None:
        super().__init__()
        self.policies: list[str] = []
        self.before: list[str] = []  # scripts and styles ahead of the policy
        self.inline: list[str] = []
        self._script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "meta" and (named.get("http-equiv") or "").lower() == "content-security-policy":
            self.policies.append(named.get("content") or "")
        elif tag in ("script", "style") or (tag == "link" and named.get("rel") == "stylesheet"):
            if not self.policies:
                self.before.append(tag)
        self._script = tag == "script" and not named.get("src") and named.get("type") != "application/json"
        if tag == "style" or "style" in named or any(name.startswith("on") for name in named):
            self.inline.append(f"<{tag} {sorted(named)}>")

    def handle_endtag(self, tag: str) -> None:
        self._script = False

    def handle_data(self, data: str) -> None:
        if self._script and data.strip():
            self.inline.append(f"<script>{data[:40]}")


def test_every_page_carries_the_content_security_policy_first_and_nothing_inline(hostile_site: Path):
    """GitHub Pages sends no headers: each page states the policy itself, ahead of every
    script and stylesheet (a meta policy covers only what follows it), and nothing on a
    page needs 'unsafe-inline': no inline script, style element, style attribute or handler."""
    from generator.csp import CONTENT_SECURITY_POLICY

    problems = {}
    pages = sorted(hostile_site.rglob("*.html"))
    assert any("papers" in p.parts and len(p.parts) - len(hostile_site.parts) == 3 for p in pages)
    for page in pages:
        found = _Policy()  # <title> holds text only: see markup_problems
        found.feed(re.sub(r"(?is)<title>.*?</title", "<title></title", page.read_text(encoding="utf-8")))
        if found.policies != [CONTENT_SECURITY_POLICY] or found.before or found.inline:
            problems[page.relative_to(hostile_site).as_posix()] = (found.policies, found.before, found.inline)
    assert problems == {}


# Material templates with an inline script that this site never includes: Google Analytics
# (no request leaves the site, and the policy would block it) and the redirects plugin's page.
UNUSED_INLINE = {
    "partials/integrations/analytics.html",
    "partials/integrations/analytics/google.html",
    "redirect.html",
}


def test_material_templates_with_inline_scripts_are_overridden_by_files():
    """Material's own templates write several inline scripts (the storage scope, the colour
    scheme, cookie consent...). Each is overridden (site_templates/overrides) by a <script
    src> of the same code in assets/boot/, so that a new one in an upgrade fails here."""
    import material

    from tests.conftest import ROOT

    theme = Path(material.__file__).parent / "templates"
    inline = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>\s*[^<\s]")
    overrides = ROOT / "site_templates" / "overrides"
    left = []
    for template in sorted(theme.rglob("*.html")):
        name = template.relative_to(theme).as_posix()
        if not inline.search(template.read_text(encoding="utf-8")) or name in UNUSED_INLINE:
            continue
        ours = overrides / name
        if not ours.is_file() or inline.search(ours.read_text(encoding="utf-8")):
            left.append(name)
    assert left == []


@pytest.mark.slow
def test_hostile_text_is_shown_literally(hostile_site: Path):
    from html import unescape

    paper = (hostile_site / "papers" / "2501.10000" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert('t')&lt;/script&gt;" in paper or "&lt;script>alert('t')&lt;/script>" in paper
    assert "Hostile 0 <script>alert('t')</script>" in unescape(paper)
    jinja = (hostile_site / "papers" / "2501.10007" / "index.html").read_text(encoding="utf-8")
    assert "{{ 7*7 }}" in unescape(jinja)  # not rendered as 49


@pytest.mark.slow
def test_generated_data_files_keep_hostile_text_as_data(hostile_site: Path):
    for path in sorted(hostile_site.rglob("*.json")):
        if path.parent.name == "pagefind" or "pagefind" in path.parts:
            continue
        json.loads(path.read_text(encoding="utf-8"))  # valid JSON, whatever the titles hold
    for path in sorted(hostile_site.rglob("*.xml")):
        text = path.read_text(encoding="utf-8")
        assert "<script>" not in text and "<img src=x" not in text, path


@pytest.mark.browser
@pytest.mark.slow
def test_browser_runs_nothing_from_hostile_content(hostile_site: Path, page):
    server, base = serve(hostile_site)
    try:
        visited = [
            "",
            "papers/2501.10000/",
            "papers/2501.10001/",
            "papers/2501.10002/",
            "papers/2501.10005/",
            "archive/2025/01/06/",
            "archive/2025/01/07/",
            "latest/",
            "tags/",
        ]
        for rel in visited:
            response = page.page.goto(base + rel)
            assert response is not None and response.ok, rel
            for link in page.page.locator("article a, .md-content a").all()[:15]:
                if link.is_visible():
                    link.hover()
            injected = page.page.evaluate(
                "() => document.querySelectorAll('iframe, [onerror], [onload], [onclick], a[href^=\"javascript:\"]').length"
            )
            assert injected == 0, rel
        # search results show hostile titles and excerpts as text too
        page.page.goto(base + "archive/")
        count_scripts = "() => document.querySelectorAll('script').length"
        scripts_before = page.page.evaluate(count_scripts)
        box = page.page.locator("input.md-search__input").first
        box.click()
        box.type("hostile")
        page.page.locator(".md-search-result__list li").first.wait_for(timeout=10_000)
        results = page.page.locator(".md-search-result__list").inner_text()
        assert "<script>alert(" in results or "onerror=alert(" in results
        assert (
            page.page.evaluate("() => document.querySelectorAll('iframe, [onerror], [onload]').length") == 0
        )
        assert page.page.evaluate(count_scripts) == scripts_before
        page.page.goto(base + "papers/2501.10000/")
        assert "Hostile 0 <script>alert('t')</script>" in page.page.locator("h1").inner_text()
        page.page.locator("h1").click()
        page.page.locator(".pa-abstract").click()
        assert not [e for e in page.errors if e.startswith("dialog")]
        assert page.outside_requests() == []
    finally:
        server.shutdown()
