"""Golden files: what the build makes of a small fixed content set, one file of each kind.

- ``golden/docs/``: the generated docs folder's Markdown of each page kind, the Atom feeds,
  ``papers.json``, ``tags.json`` and the ``.bib`` files (``render_docs``, no MkDocs);
- ``golden/site/``: the HTML MkDocs and our theme make of each page kind (``build_site``),
  stored with a line break after every ``>`` so that a change shows as a few lines of
  diff, not one line of a whole minified page (``as_lines``; the bytes are compared).

Regenerate with ``make golden`` (``python -m tests.golden``) and review the diff like code.
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GOLDEN_DIR = HERE / "golden"
DOCS_DIR = GOLDEN_DIR / "docs"
SITE_DIR = GOLDEN_DIR / "site"
FIXTURE_DIGESTS = HERE / "fixtures" / "golden" / "digests"
SITE_URL = "https://example.org/archive/"
# One page of each kind; the paper pages are a JSON paper, a text-only one, and one in both.
PAGES = (
    "index.md",
    "latest.md",
    "about.md",
    "search.md",
    "mylist.md",
    "trends.md",
    "archive/index.md",
    "archive/2025/index.md",
    "archive/2025/12/index.md",
    "archive/2025/12/30.md",
    "tags/index.md",
    "top/week/2026-W01/index.md",
    "top/month/2025-12/index.md",
    "papers/2512.23447.md",
    "papers/2512.22096.md",
    "papers/a-text-only-paper-on-sparse-attention-with-o-n-cost-and-b-tags-b.md",
)
# A small content set: every author gets a page, so that one is shown.
SETTINGS_CHANGED = {"author_pages_from": 1}
# The other generated files: feeds, data and BibTeX (a tag's feed and .bib are added).
DATA = ("feed.xml", "papers.json", "tags.json", "archive/2025/12/30/papers.bib", "search/upvotes.json")


def make_content(work: Path) -> Path:
    """The fixture digests with the sample's taxonomy and overrides, in ``work``."""
    content = work / "content"
    if content.exists():
        shutil.rmtree(content)
    shutil.copytree(FIXTURE_DIGESTS, content / "digests")
    for name in ("taxonomy.yml", "tag-overrides.yml"):
        shutil.copy(HERE / "fixtures" / "sample" / name, content / name)
    return content


def _first_tag(paths: object) -> str:
    """The first tag's folder, ``tags/<slug>/``."""
    return sorted(
        p for p in paths if p.startswith("tags/") and p.endswith("/index.md") and p != "tags/index.md"
    )[0].removesuffix("index.md")


def render_golden(work: Path) -> dict[str, bytes]:
    """The golden docs files, rendered in memory with the repository's templates."""
    from generator.build import generate
    from generator.config import load_settings

    settings = replace(load_settings(ROOT / "mkdocs.yml", site_url=SITE_URL), **SETTINGS_CHANGED)
    files = generate(settings, make_content(work)).files
    tag = _first_tag(files)
    wanted = (*PAGES, f"{tag}index.md", *DATA, f"{tag}feed.xml", f"{tag}papers.bib")
    return {p: files[p] if isinstance(files[p], bytes) else files[p].encode() for p in wanted}


def html_path(src_path: str) -> str:
    """Where MkDocs writes the page of ``src_path`` (directory URLs)."""
    from generator.urls import page_uri

    return page_uri(src_path) + "index.html"


def build_golden(work: Path) -> dict[str, bytes]:
    """The golden site files: the fixture content built with MkDocs, one page of each kind."""
    from generator.build import build
    from generator.config import load_settings

    settings = load_settings(ROOT / "mkdocs.yml", site_url=SITE_URL, site_dir=work / "site")
    build(replace(settings, docs_dir=work / "docs", **SETTINGS_CHANGED), make_content(work))
    tag = _first_tag(p.relative_to(work / "docs").as_posix() for p in (work / "docs").rglob("index.md"))
    wanted = [html_path(p) for p in (*PAGES, f"{tag}index.md")] + ["404.html"]
    for folder in ("authors", "orgs"):  # written after MkDocs (people_pages.py): the first of each
        first = min(p.name for p in (work / "site" / folder).iterdir())
        wanted += [f"{folder}/{first}/index.html", f"{folder}/{first}/feed.xml"]
    return {p: (work / "site" / p).read_bytes() for p in wanted}


def as_lines(html: bytes) -> bytes:
    """A page as stored: a line break after every ``>``, which ``from_lines`` takes out."""
    return html.replace(b">", b">\n")


def from_lines(stored: bytes) -> bytes:
    return stored.replace(b">\n", b">")


def stored(folder: Path) -> dict[str, bytes]:
    """The golden files under ``folder``, by path; HTML as the build wrote it."""
    files = {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }
    return {p: from_lines(data) if p.endswith(".html") else data for p, data in files.items()}


def write(folder: Path, files: dict[str, bytes]) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    for rel, data in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(as_lines(data) if rel.endswith(".html") else data)


def main() -> int:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        docs = render_golden(Path(tmp) / "docs")
        site = build_golden(Path(tmp) / "site")
    write(DOCS_DIR, docs)
    write(SITE_DIR, site)
    print(
        f"wrote {len(docs)} golden files to {DOCS_DIR.relative_to(ROOT)}, {len(site)} to {SITE_DIR.relative_to(ROOT)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
