"""Shared fixtures: the shared data set, a built site, a server and a real Chromium.

The built site is served on 127.0.0.1 under a GitHub Pages-like project subpath
(``/paper-archive/``) so that every test also checks links work below a prefix.
Browser tests skip when Chromium is missing, except where
PAPER_ARCHIVE_REQUIRE_BROWSER=1 (as in .ci/run): there a missing browser fails.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.serve import SiteHandler

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SHARED_DATA = SHARED / "data" / "hf-daily-papers"
SEED = SHARED / "seed" / "000_b842631bec06aad6.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The tests' own copy of a small archive (digests, taxonomy, overrides): tests build from
# it, never from the live content/ folder, which grows with every published day.
SAMPLE = FIXTURES / "sample"
SUBPATH = "/paper-archive/"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Long fuzz runs (marker ``fuzz``) run only when asked for: ``-m fuzz``."""
    if "fuzz" in (config.getoption("markexpr") or ""):
        return
    long_runs = [item for item in items if item.get_closest_marker("fuzz")]
    if long_runs:
        config.hook.pytest_deselected(items=long_runs)
        items[:] = [item for item in items if not item.get_closest_marker("fuzz")]


def require_shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"the shared data set is not beside the checkout ({SHARED_DATA})")
    return SHARED_DATA


@pytest.fixture(scope="session")
def shared_data() -> Path:
    return require_shared_data()


def sample_digests() -> list[Path]:
    """The sample's digest files, oldest first."""
    return sorted((SAMPLE / "digests").iterdir())


def make_content(target: Path, digests: list[Path] | None = None) -> Path:
    """A content folder: the sample's taxonomy and overrides, and the given digests
    (default: the sample's)."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("taxonomy.yml", "tag-overrides.yml"):
        shutil.copy(SAMPLE / name, target / name)
    (target / "digests").mkdir(exist_ok=True)
    for path in digests if digests is not None else sample_digests():
        shutil.copy(path, target / "digests" / path.name)
    return target


def build_site(
    content: Path, site_dir: Path, site_url: str = "http://127.0.0.1" + SUBPATH, **settings_changed
) -> Path:
    """``settings_changed``: Settings fields to set, such as ``author_pages_from=2``."""
    from dataclasses import replace

    from generator.build import build
    from generator.config import load_settings

    settings = load_settings(ROOT / "mkdocs.yml", site_url=site_url, site_dir=site_dir)
    settings = replace(_with_docs_dir(settings, site_dir.parent / "docs"), **settings_changed)
    build(settings, content)
    return site_dir


def _with_docs_dir(settings, docs_dir: Path):
    from dataclasses import replace

    return replace(settings, docs_dir=docs_dir)


def write_config(folder: Path) -> Path:
    """A copy of mkdocs.yml whose docs folder is ``folder/docs`` and whose paths are absolute."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = (
        text.replace("docs_dir: build/docs", f"docs_dir: {folder}/docs")
        .replace("custom_dir: site_templates", f"custom_dir: {ROOT}/site_templates")
        .replace("- generator/mkdocs_hooks.py", f"- {ROOT}/generator/mkdocs_hooks.py")
    )
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    return config


def build_args(content: Path, config: Path, site: Path) -> list[str]:
    """`paper-archive build` arguments for a test's own content, config and site folders."""
    return ["build", "--content", str(content), "--config", str(config), "--site-dir", str(site), "--quiet"]


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample content (tests/fixtures/sample), built once for the session."""
    work = tmp_path_factory.mktemp("sample")
    content = make_content(work / "content")
    return build_site(content, work / "site")


@pytest.fixture(scope="session")
def sample_pages() -> list[str]:
    """The sample site's paper pages as the build hands them to the search index, newest first."""
    from generator.build import merge_content
    from generator.content import read_content
    from generator.search import search_pages

    archive, _ = merge_content(read_content(SAMPLE))  # reading writes nothing
    return search_pages(archive.papers)


class _SubpathHandler(SiteHandler):
    """Serves the site only below SUBPATH, like a GitHub Pages project site (with its
    404 page, as ``paper-archive serve`` answers)."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def translate_path(self, path: str) -> str:
        path = path.split("?", 1)[0].split("#", 1)[0]
        if not path.startswith(SUBPATH):
            return str(Path(self.directory) / "__outside_subpath__")
        return super().translate_path("/" + path[len(SUBPATH) :])


@functools.cache
def _mime_fix() -> None:
    _SubpathHandler.extensions_map.update(
        {".js": "text/javascript", ".wasm": "application/wasm", ".pf_meta": "application/octet-stream"}
    )


def serve(site_dir: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    _mime_fix()
    handler = functools.partial(_SubpathHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{SUBPATH}"


@pytest.fixture(scope="session")
def sample_url(sample_site: Path) -> Iterator[str]:
    server, url = serve(sample_site)
    yield url
    server.shutdown()


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    required = os.environ.get("PAPER_ARCHIVE_REQUIRE_BROWSER") == "1"
    if not path:
        if required:
            pytest.fail("Chromium is required here (PAPER_ARCHIVE_REQUIRE_BROWSER=1) but was not found")
        pytest.skip("Chromium not found: install Debian's chromium to run the browser tests")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if required:
            pytest.fail("playwright is required for the browser tests")
        pytest.skip("playwright not installed")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


class PageWatch:
    """A browser page that records console errors, page errors and every request's host."""

    def __init__(self, page) -> None:
        self.page = page
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.failed: list[str] = []  # responses with status >= 400, to explain console errors
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("response", lambda r: self.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        page.on("dialog", lambda d: (self.errors.append(f"dialog: {d.message}"), d.dismiss()))

    def outside_requests(self) -> list[str]:
        return [
            u for u in self.requests if not u.startswith(("http://127.0.0.1", "data:", "blob:", "about:"))
        ]


@pytest.fixture()
def page(browser, tmp_path: Path):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    watched = PageWatch(context.new_page())
    yield watched
    context.close()


ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
