"""Properties shared by the quick Hypothesis tests and the long fuzz run (bench/fuzz.py).

Each target takes generated input and asserts: a reader gives records or located
errors, never another exception; rendering keeps every string as text, whatever it
holds, so the page's markup is the same as for a harmless paper.
"""

from __future__ import annotations

import functools
import json
import re
import tempfile
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import markdown
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from generator import mathtext, render
from generator.build import merge_content, render_docs
from generator.config import Settings
from generator.content import load_content
from generator.errors import ContentError, ContentErrors
from generator.model import Archive, Paper, Tag
from generator.readers import parse_digest
from generator.render import Page, Renderer
from generator.tagging import load_taxonomy

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


# --- the whole pipeline, with characters of every troublesome class in every field -------

# Controls (Cc: C0, DEL, C1), format characters (Cf: zero-width, soft hyphen, BOM, bidi
# controls...), line and paragraph separators, private use, surrogates, noncharacters.
NONCHARACTERS = [chr(c) for c in range(0xFDD0, 0xFDF0)] + [
    chr(plane << 16 | low) for plane in range(17) for low in (0xFFFE, 0xFFFF)
]
BIDI = list("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# What the readers refuse (controls, U+FFFE, U+FFFF, surrogates) makes a located error;
# the rest must come through harmless, so half the examples hold only that rest.
accepted = st.characters(categories=["Cf", "Zl", "Zp", "Co"], codec=None) | st.sampled_from(
    [c for c in NONCHARACTERS if c not in "\ufffe\uffff"] + BIDI
)
troublesome = (
    accepted | st.characters(categories=["Cc", "Cs"], codec=None) | st.sampled_from(["\ufffe", "\uffff"])
)
WORDS = ["Robot", " learning", " video ", "https://example.org/p", "$x^2$", "\\href{javascript:x}{y}", ". "]


def field_texts(characters: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.lists(
        st.one_of(characters, characters, st.sampled_from(NASTY), st.sampled_from(WORDS)),
        min_size=1,
        max_size=10,
    ).map("".join)


# Every field the readers take, of both formats and the taxonomy. Each digest field has a
# day of its own, so that a refused one leaves the others to be rendered.
JSON_FIELDS = (
    "paper.id", "paper.title", "title", "paper.summary", "summary", "author", "organization",
    "paper.githubRepo", "paper.projectPage", "paper.ai_summary", "keyword", "paper.publishedAt",
)  # fmt: skip
TEXT_FIELDS = ("text title", "text abstract")
VIDEO_ABSTRACT = (
    "We study video generation with a diffusion model that keeps objects consistent across "
    "long shots, and show that it improves quality on three benchmarks at half the cost."
)
TAXONOMY_FIELDS = ("tag name", "tag description")
pipeline_inputs = (
    st.fixed_dictionaries(
        {
            name: field_texts(st.one_of(accepted, troublesome))
            for name in JSON_FIELDS + TEXT_FIELDS + TAXONOMY_FIELDS
        }
    ),
    st.booleans(),
)


VIDEO_TAG = "- slug: video\n  name: Video\n  description: Moving pictures.\n  phrases: [video]\n"
PLAIN_TAXONOMY = "- slug: robotics\n  name: Robots\n  description: Robots.\n  phrases: [robot]\n" + VIDEO_TAG


def _yaml_quoted(text: str, escaped: bool) -> str:
    """A YAML double-quoted scalar: every character escaped, or only quote and backslash
    (the file then holds the characters themselves)."""
    if escaped:
        return render.yaml_string(text)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _item(n: int, name: str, value: str) -> dict:
    """An API item of a robotics paper, its field ``name`` holding ``value``."""
    paper = {
        "id": f"2507.{n:05d}",
        "title": f"Robot Paper {n}",
        "summary": "Robot learning for the home. We study robots.",
        "authors": [{"name": "Ann Lee"}],
        "upvotes": 3,
    }
    item: dict = {"paper": paper}
    if name == "author":
        paper["authors"].append({"name": value})
    elif name == "organization":
        paper["organization"] = {"fullname": value}
    elif name == "keyword":
        paper["ai_keywords"] = [value, "robot"]
    elif name.startswith("paper."):
        paper[name[6:]] = ("Robot " if name in ("paper.title", "paper.summary") else "") + value
    else:
        item[name] = value
    return item


def write_fuzzed_content(root: Path, fields: dict[str, str], escaped: bool) -> None:
    """A content folder with a JSON day for each API field and a text copy's day for each of
    its fields, and a taxonomy, each field holding ``fields``' text (as JSON and YAML
    escapes or as the characters themselves)."""
    digests = root / "digests"
    digests.mkdir(parents=True)
    for n, name in enumerate(JSON_FIELDS, start=1):
        raw = json.dumps([_item(n, name, fields[name])], ensure_ascii=escaped, indent=1)
        (digests / f"2025-07-{n:02d}.json").write_bytes(raw.encode("utf-8", "surrogatepass"))
    title, abstract = (fields[name] for name in TEXT_FIELDS)
    for day, text in (
        (20, f"A Video {title}\n\n{VIDEO_ABSTRACT}"),
        (21, f"A Video Paper\n\n{VIDEO_ABSTRACT[:86]}{abstract} {VIDEO_ABSTRACT[86:]}"),
    ):
        page = f"Jul {day}\n\n{text}\n"
        (digests / f"2025-07-{day}.txt").write_bytes(page.encode("utf-8", "surrogatepass"))
    name, description = (fields[name] for name in TAXONOMY_FIELDS)
    taxonomy = (
        f"- slug: robotics\n  name: {_yaml_quoted('Robots ' + name, escaped)}\n"
        f"  description: {_yaml_quoted(description, escaped)}\n  phrases: [robot]\n" + VIDEO_TAG
    )
    (root / "taxonomy.yml").write_bytes(taxonomy.encode("utf-8", "surrogatepass"))
    (root / "tag-overrides.yml").write_text("[]\n", encoding="utf-8")


_LINK_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "poster", "data")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)


class _Live(HTMLParser):
    """What would run or lead somewhere else than an http(s) address: scripts, frames,
    handlers, and link targets with another scheme (as a browser reads them: with white
    space and control characters taken out)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "object", "embed", "style", "base", "meta", "link"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == "style" or name == "srcdoc":
                self.found.append(f"<{tag} {name}>")
            if name in _LINK_ATTRIBUTES:
                scheme = _SCHEME.match(re.sub(r"[\x00-\x20\x7f]", "", value or ""))
                if scheme and scheme.group(1).lower() not in ("http", "https"):
                    self.found.append(f"<{tag} {name}={value!r}>")


def live_markup(html: str) -> list[str]:
    parser = _Live()
    parser.feed(html)
    parser.close()
    return parser.found


def pipeline_target(fields: dict[str, str], escaped: bool) -> bool:
    """Read, merge, tag and render a content folder whose every field holds troublesome
    characters: located errors for what is refused, and pages of what was read whose front
    matter MkDocs reads and whose HTML holds no script, handler or non-http(s) link; feeds
    and data files that parse. Never another exception. True when it got as far as pages."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_fuzzed_content(root, fields, escaped)
        content, errors = load_content(root)
        assert all(str(e).startswith(str(root) + "/") for e in errors), errors
        if not content.digests:
            return False
        if not content.taxonomy:  # refused: the digests that were read get the plain one
            (root / "taxonomy.yml").write_text(PLAIN_TAXONOMY, encoding="utf-8")
            content = replace(content, taxonomy=load_taxonomy(root / "taxonomy.yml"))
        archive, _ = merge_content(content)  # what was read: a refused file is left out
        files = render_docs(archive, SETTINGS)
    converter = markdown.Markdown(extensions=["toc"])
    for path, data in files.items():
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        if path.endswith(".md"):
            body, meta = get_data(text)
            assert meta and not body.startswith("---"), f"{path}: front matter unread"
            html = body if meta.get("html") else converter.reset().convert(body)
            assert live_markup(html) == [], (path, live_markup(html))
        elif path.endswith(".xml"):
            ElementTree.fromstring(data)
        elif path.endswith(".json"):
            json.loads(text)
    return True  # built: the fields came through
