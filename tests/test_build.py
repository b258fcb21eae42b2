"""Whole builds with MkDocs: strict, deterministic, all or nothing, no broken links."""

from __future__ import annotations

import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest

from generator.cli import main
from tests.conftest import SUBPATH, build_args, build_site, make_content, write_config

pytestmark = pytest.mark.slow


def tree_digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (
                (tag == "a" and name == "href")
                or (tag in ("link", "use") and name == "href")
                or (tag in ("script", "img") and name == "src")
            ):
                self.links.append(value)


def broken_links(site: Path) -> list[str]:
    """Every internal href/src of every page resolves to a file of the site."""
    broken = []
    base = "http://site.test/root/"
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        page_url = urljoin(base, rel)
        for link in parser.links:
            url = urlparse(urljoin(page_url, link))
            if url.netloc != "site.test" or not url.path.startswith("/root/"):
                continue
            target = site / unquote(url.path[len("/root/") :])
            if not (target.is_file() or (target / "index.html").is_file()):
                broken.append(f"{rel} -> {link}")
    return broken


def test_sample_site_has_every_page_kind(sample_site: Path):
    for rel in (
        "index.html",
        "latest/index.html",
        "about/index.html",
        "archive/index.html",
        "archive/2025/index.html",
        "archive/2025/12/index.html",
        "archive/2025/12/31/index.html",
        "tags/index.html",
        "404.html",
        "papers/2512.22525/index.html",
    ):
        assert (sample_site / rel).is_file(), rel
    assert len(list(sample_site.glob("tags/*/index.html"))) >= 20


def test_sample_site_has_no_broken_internal_links(sample_site: Path):
    assert broken_links(sample_site) == []


def test_sample_site_pages_stay_small_and_local(sample_site: Path):
    sizes = {p.relative_to(sample_site).as_posix(): p.stat().st_size for p in sample_site.rglob("*.html")}
    assert max(sizes.values()) <= 200 * 1024
    papers = [s for r, s in sizes.items() if r.startswith("papers/")]
    assert max(papers) <= 15 * 1024
    for page in sample_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
        # what a browser fetches: scripts, stylesheets, icons, fonts (a canonical link is not fetched)
        fetched = re.findall(
            r"<script[^>]+src=\"?([^\" >]+)|<link[^>]+href=\"?([^\" >]+)[^>]*rel=\"?(?:stylesheet|icon|preload|modulepreload)",
            html,
        )
        fetched += re.findall(
            r"<link[^>]+rel=\"?(?:stylesheet|icon|preload|modulepreload)[^>]+href=\"?([^\" >]+)", html
        )
        urls = [u for match in fetched for u in (match if isinstance(match, tuple) else (match,)) if u]
        assert not [u for u in urls if u.startswith(("http:", "https:", "//"))], page


def test_every_icon_is_a_symbol_of_the_sprite(sample_site: Path):
    symbols = set(re.findall(r'<symbol id="([^"]+)"', (sample_site / "assets/icons.svg").read_text()))
    assert {"material-magnify", "material-library", "material-close"} <= symbols
    used: set[str] = set()
    for page in sample_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<path" not in html.split("<main")[0], page  # no inline icon left in the header
        used |= set(re.findall(r"<use href=\"?[^\" >#]*icons\.svg#([^\" >]+)", html))
    assert used <= symbols
    assert symbols - used <= {"material-arrow-left", "material-close"}  # drawn by search.js


def test_home_title_and_the_404_page(sample_site: Path):
    assert "<title>Paper Archive</title>" in (sample_site / "index.html").read_text(encoding="utf-8")
    html = (sample_site / "404.html").read_text(encoding="utf-8")
    assert "<title>Page not found - Paper Archive</title>" in html
    # GitHub Pages serves it at any depth: a way on, with links from the site's root.
    for target in ("search/", "latest/", "archive/", "tags/", "."):
        assert f"href={SUBPATH}{target}>" in html, target
    assert "\n  " not in html  # minified like every other page


def test_paper_pages_stay_out_of_the_nav(sample_site: Path):
    html = (sample_site / "index.html").read_text(encoding="utf-8")
    nav = html[html.index('class="md-tabs') :]
    assert "papers/" not in nav.split("</nav>")[0]


def test_two_builds_are_byte_identical(tmp_path: Path):
    content = make_content(tmp_path / "content")
    first = tree_digest(build_site(content, tmp_path / "a" / "site"))
    docs_first = tree_digest(tmp_path / "a" / "docs")
    second = tree_digest(build_site(content, tmp_path / "b" / "site"))
    assert docs_first == tree_digest(tmp_path / "b" / "docs")
    assert first == second


def test_failed_build_leaves_previous_site_and_docs_untouched(tmp_path: Path, capsys: pytest.CaptureFixture):
    content = make_content(tmp_path / "content")
    config = write_config(tmp_path)
    args = build_args(content, config, tmp_path / "site")
    assert main(args) == 0
    before_site, before_docs = tree_digest(tmp_path / "site"), tree_digest(tmp_path / "docs")
    lock_before = (content / "permalinks.lock").read_bytes()
    (content / "digests" / "2025-12-01.txt").write_text(
        "Dec 1\n\nA title with no abstract\n", encoding="utf-8"
    )
    capsys.readouterr()
    assert main(args) == 1
    err = capsys.readouterr().err
    assert f"Error: {content}/digests/2025-12-01.txt:3: title without an abstract" in err
    assert "Traceback" not in err
    assert tree_digest(tmp_path / "site") == before_site
    assert tree_digest(tmp_path / "docs") == before_docs
    assert (content / "permalinks.lock").read_bytes() == lock_before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def tree_digest_or_none(root: Path) -> dict[str, str] | None:
    return tree_digest(root) if root.exists() else None


def test_template_error_is_located_and_leaves_previous_site(tmp_path: Path, capsys: pytest.CaptureFixture):
    import shutil

    from tests.conftest import ROOT

    content = make_content(tmp_path / "content")
    overrides = tmp_path / "overrides"
    shutil.copytree(ROOT / "site_templates" / "overrides", overrides)
    config = write_config(tmp_path)
    config.write_text(
        config.read_text().replace(f"custom_dir: {ROOT}/site_templates/overrides", f"custom_dir: {overrides}")
    )
    args = build_args(content, config, tmp_path / "site")
    assert main(args) == 0
    before = tree_digest(tmp_path / "site")
    main_html = overrides / "main.html"
    main_html.write_text(
        main_html.read_text().replace("{% block extrahead %}", "{% block extrahead %}{% if %}", 1)
    )
    capsys.readouterr()
    assert main(args) == 1
    err = capsys.readouterr().err
    line = next(n for n, text in enumerate(main_html.read_text().splitlines(), 1) if "{% if %}" in text)
    assert err.startswith(f"Error: {main_html}:{line}: Expected an expression")
    assert "Traceback" not in err
    assert tree_digest(tmp_path / "site") == before


def test_size_guardrails_name_the_page_and_the_site(tmp_path: Path):
    from generator.build import check_sizes
    from generator.errors import ContentErrors

    site = tmp_path / "site"
    (site / "tags" / "big").mkdir(parents=True)
    (site / "tags" / "big" / "index.html").write_bytes(b"x" * (201 * 1024))
    (site / "papers.json").write_bytes(b"y" * (300 * 1024))
    check_sizes(site, max_page=202 * 1024, max_site=600 * 1024)  # within both limits
    with pytest.raises(ContentErrors) as e:
        check_sizes(site, max_site=400 * 1024)
    assert [str(x) for x in e.value.errors] == [
        "tags/big/index.html: page is 201 KB, over the 200 KB limit for one page: lower "
        "extra.archive.tags_per_page in mkdocs.yml, or split the digest",
        f"{site}: site is 513,024 bytes, over GitHub Pages' limit of 409,600 bytes (1 GB): publish less "
        "(fewer years of digests) or host it elsewhere",
    ]


def test_build_refuses_a_page_over_200_kb(tmp_path: Path, capsys: pytest.CaptureFixture, shared_data: Path):
    content = make_content(tmp_path / "content", [])
    config = write_config(tmp_path)
    config.write_text(config.read_text().replace("tags_per_page: 100", "tags_per_page: 5000"))
    for day in sorted(shared_data.glob("2025-0[4-6]-*.json")):
        (content / "digests" / day.name).write_bytes(day.read_bytes())
    args = build_args(content, config, tmp_path / "site")
    assert main(args) == 1
    errors = capsys.readouterr().err.splitlines()
    assert errors and all(
        line.startswith("Error: tags/") and "over the 200 KB limit" in line for line in errors
    )
    assert not (tmp_path / "site").exists()
