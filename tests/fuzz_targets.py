"""Properties shared by the quick Hypothesis tests and the long fuzz run (bench/fuzz.py).

Each target takes generated input and asserts: a reader gives records or located
errors, never another exception; rendering keeps every string as text, whatever it
holds, so the page's markup is the same as for a harmless paper.
"""

from __future__ import annotations

import functools
import json
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import strategies as st

from generator import mathtext
from generator.config import Settings
from generator.errors import ContentError, ContentErrors
from generator.model import Archive, Paper, Tag
from generator.readers import parse_digest
from generator.render import Page, Renderer

# Text that stresses readers and renderers: markup, Markdown, Jinja, right-to-left and
# zero-width characters, lone surrogates excluded (not encodable), very long lines.
NASTY = [
    "<script>",
    "</p>",
    "<img src=x onerror=alert(1)>",
    "{{ x }}",
    "{%",
    "---",
    "<!--",
    "`",
    "$",
    "\\(",
    "[a](javascript:b)",
    "![i](x)",
    "&amp;",
    "\u202e",
    "\u200b",
    "\u200f",
    "\ufeff",
    "\r",
    "\n\n",
    "**",
    "_",
]
texts = st.lists(
    st.one_of(st.text(max_size=40), st.sampled_from(NASTY), st.text(max_size=2000, alphabet="ab \n")),
    max_size=12,
).map("".join)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(
        st.sampled_from(
            [
                "paper",
                "id",
                "title",
                "summary",
                "authors",
                "name",
                "upvotes",
                "githubRepo",
                "projectPage",
                "ai_keywords",
                "ai_summary",
                "organization",
                "publishedAt",
                "x",
            ]
        ),
        inner,
        max_size=7,
    ),
    max_leaves=30,
)
SETTINGS = Settings(
    config_path=Path("mkdocs.yml"),
    site_name="Fuzz",
    site_url="https://example.org/",
    repo_url=None,
    description="",
    docs_dir=Path("build/docs"),
    site_dir=Path("site"),
)
TAG = Tag(slug="t", name="T", description="A tag.")


def read_text_target(text: str) -> None:
    try:
        parse_digest(Path("2025-01-02.txt"), text.encode("utf-8", "surrogatepass"))
    except (ContentError, ContentErrors) as e:
        errors = e.errors if isinstance(e, ContentErrors) else [e]
        assert all(str(x).startswith("2025-01-02.txt") for x in errors)


def read_json_target(value: object) -> None:
    try:
        digest = parse_digest(Path("2025-01-02.json"), json.dumps(value).encode())
    except (ContentError, ContentErrors) as e:
        errors = e.errors if isinstance(e, ContentErrors) else [e]
        assert all(str(x).startswith("2025-01-02.json:") for x in errors)
    else:
        assert all(r.title and r.abstract for r in digest.records)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, tuple[str, ...]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = tuple(sorted(name for name, _ in attrs))
        assert not any(name.startswith("on") for name in names), (tag, attrs)
        if tag == "script":
            assert dict(attrs).get("src"), "an inline script in a paper page"
        if tag not in ("a", "span", "script"):  # links from URLs, math spans and their script vary
            self.tags.append((tag, names))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@functools.cache
def _renderer() -> Renderer:
    archive = Archive(papers=(), digests=(), days={}, tags=(TAG,))
    return Renderer(archive, SETTINGS)


def _page_structure(title: str, abstract: str, author: str) -> tuple[list, str]:
    paper = Paper(
        uri="papers/2501.00001/",
        title=title,
        abstract=abstract,
        featured_on=(date(2025, 1, 2),),
        arxiv_id="2501.00001",
        authors=(author,),
        tags=("t",),
        ai_keywords=(author,),
        ai_summary=abstract,
    )
    text = _renderer().render(Page("papers/2501.00001.md", "paper.md.j2", {"paper": paper, "related": []}))
    body = text.split("\n---\n", 1)[1]
    parser = _Tags()  # converts character references: its text is what a browser shows
    parser.feed(body)
    return parser.tags, "".join(parser.text)


def render_target(title: str, abstract: str, author: str) -> None:
    """Hostile strings add no element to the page (links, math spans aside) and show as text."""

    def normalise(s: str) -> str:
        return " ".join(s.split())

    tags, text = _page_structure(title or "x", abstract or "x", author or "x")
    benign, _ = _page_structure("Title", "Abstract.", "Author")
    assert tags == benign
    flat = normalise(text)
    if normalise(author):
        assert normalise(author) in flat
    if normalise(title) and "http" not in title:  # URLs are shown cleaned, as links
        # Outside formulas, LaTeX leftovers (\\&, \\textsc{X}) show as their text.
        shown = "".join(
            piece if math else mathtext.clean_latex(piece) for math, piece in mathtext.split_math(title)
        )
        assert normalise(shown) in flat
