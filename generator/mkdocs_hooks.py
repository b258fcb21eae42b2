"""MkDocs hooks (registered in mkdocs.yml).

- Pages marked ``html: true`` in their front matter (paper, tag, day, month and year pages: the
  bulk of the site) are bodies of HTML blocks that our templates already escaped and
  built. Python-Markdown would pass them through unchanged, but only after parsing
  every tag with ``html.parser`` (about a fifth of MkDocs' time at 10,000 papers), and
  setting up a Markdown instance with its extensions for each page cost as much again.
  So such a page's ``render`` is replaced by one that takes the body as the content,
  with what MkDocs' own render leaves behind for a page without headings or links
  (MkDocs 1.6's Page: an empty table of contents, no anchors).
- Header icons are ``<use>`` references into one sprite, ``assets/icons.svg``, written
  after the build with exactly the icons the pages asked for (``pa_icon`` in the
  templates): Material inlines each icon's path on every page, about 2 KB a page.
- The lean layout of paper, tag and day pages is rendered by Material's templates once
  per folder (all 50,000 paper pages share one), with placeholders where the page's
  title, description, canonical URL and content go, and then filled for each page
  (``pa_lean_page``): rendering the whole chrome per page was about 40% of MkDocs' time.
  Pages with anything else that could vary (a feed link, a table of contents, other
  front matter) are rendered in full. ``PAPER_ARCHIVE_FULL_RENDER=1`` turns the
  shortcut off; a test builds both ways and compares every byte.
- Pages whose HTML the build carried over from the previous site (generator/carry.py)
  are marked unmodified for MkDocs' dirty build, which then skips them; the icons
  their layouts use still go into the sprite, and each lean page rendered is reported
  with its layout and the icons of that layout, for the next build's manifest.
- Every HTML page is minified as it is written: Material's page chrome is most of a
  paper page's weight (the budget is 15 KB). On a large site, worker processes minify
  and write the pages while MkDocs renders the next ones (generator/minify.py); a page
  they cannot write (a full disk) stops the build with an error naming it.

MkDocs loads this module once per process and calls its ``on_*`` functions for every
build, so they are the methods of one ``ArchiveHooks``, and all that one build
remembers between events is one ``BuildState``, made anew when a build starts.
"""

from __future__ import annotations

import copy
import functools
import json
import logging
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from markupsafe import Markup, escape
from mkdocs.exceptions import PluginError
from mkdocs.structure.toc import get_toc

if TYPE_CHECKING:
    from jinja2.runtime import Context
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

from generator import carry
from generator.csp import CONTENT_SECURITY_POLICY
from generator.minify import PageWriter, minify, pool_workers

# Front matter a layout may be shared across: anything else sends a page to a full render.
_SHARED_META = frozenset({"title", "description", "math", "html", "template", "feed"})
_SLOTS = ("title", "description", "canonical_url", "content")

_BUILD_LOG = logging.getLogger("mkdocs.commands.build")


@dataclass
class BuildState:
    """What one build remembers from one MkDocs event to the next."""

    full_render: bool = False  # PAPER_ARCHIVE_FULL_RENDER: the layout shortcut off
    icons: dict[str, str] = field(default_factory=dict)  # symbol id -> icon name ("material/magnify")
    layouts: dict[tuple, list[str]] = field(default_factory=dict)  # _layout_key -> layout cut at its slots
    env: jinja2.Environment | None = None  # the theme's
    writer: PageWriter | None = None  # the pool writing pages; None: MkDocs writes them
    recording: dict[str, str] | None = None  # icons asked for while a layout is rendered


class ArchiveHooks:
    """The hooks, as methods of one object whose ``build`` is the state of the build under
    way, replaced at the start of each: MkDocs loads this module once per process and
    calls the same hooks for every build (``paper-archive serve`` builds again and again)."""

    def __init__(self) -> None:
        self.build = BuildState()

    def on_pre_build(self, config: MkDocsConfig) -> None:
        self._stop_writer(finish=False)  # a build interrupted before its end leaves its workers
        self.build = BuildState(full_render=bool(os.environ.get("PAPER_ARCHIVE_FULL_RENDER")))

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        run = carry.RUN
        if run is not None and run.carried:
            for file in files.documentation_pages():
                if file.src_uri in run.carried:
                    file.is_modified = _unmodified  # type: ignore[method-assign]
        workers = pool_workers(len(files.documentation_pages()) - (len(run.carried) if run else 0))
        if workers:  # started now, they get ready while MkDocs reads the pages
            self.build.writer = PageWriter(workers)
            _BUILD_LOG.addFilter(_pool_written)
        return files

    def _stop_writer(self, finish: bool) -> None:
        writer, self.build.writer = self.build.writer, None
        if writer is not None:
            _BUILD_LOG.removeFilter(_pool_written)
            if finish:
                writer.finish()
            else:
                writer.cancel()

    def on_build_error(self, error: Exception) -> None:
        self._stop_writer(finish=False)

    def on_env(self, env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        env.globals["pa_icon"] = self.pa_icon
        env.globals["pa_lean_page"] = self.pa_lean_page
        env.globals["pa_csp"] = CONTENT_SECURITY_POLICY
        self.build.env = env
        return env

    def pa_icon(self, name: str, sprite_url: str) -> Markup:
        """A header icon: a reference into the sprite, which gets the icon's symbol."""
        symbol = name.replace("/", "-")
        self.build.icons[symbol] = name
        if self.build.recording is not None:
            self.build.recording[symbol] = name
        return Markup('<svg><use href="{}#{}"></use></svg>').format(sprite_url, symbol)

    @jinja2.pass_context
    def pa_lean_page(self, context: Context) -> str:
        page = context["page"]
        key = _layout_key(page, self.build.full_render)
        if key is None:
            return context.environment.get_template("lean-layout.html").render(context.get_all())
        parts = self.build.layouts.get(key)
        if parts is None:
            self.build.recording = {}
            parts = self.build.layouts[key] = _layout(context, page)
            icons, self.build.recording = self.build.recording, None
            if carry.RUN is not None:
                carry.RUN.layout_icons[json.dumps(key)] = icons
        if carry.RUN is not None:
            carry.RUN.lean[page.file.src_uri] = (page.file.dest_uri, json.dumps(key))
        values = {
            "title": page.meta["title"],
            "description": page.meta["description"],
            "canonical_url": page.canonical_url,
            "content": page.content,
        }
        return "".join(values[part] if i % 2 else part for i, part in enumerate(parts))

    def on_post_build(self, config: MkDocsConfig) -> None:
        self._stop_writer(finish=True)
        env = self.build.env
        assert env is not None and env.loader is not None
        icons = self.build.icons | (carry.RUN.carried_icons if carry.RUN is not None else {})
        sources = {
            symbol: env.loader.get_source(env, f".icons/{name}.svg")[0] for symbol, name in icons.items()
        }
        sprite = Path(config.site_dir) / "assets" / "icons.svg"
        sprite.parent.mkdir(parents=True, exist_ok=True)
        sprite.write_text(icon_sprite(sources), encoding="utf-8")

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        writer = self.build.writer
        if writer is None:
            return minify(output)
        writer.write(page.file.abs_dest_path, output)
        return ""  # MkDocs writes no file for a page with empty output


def _unmodified() -> bool:
    """File.is_modified of a page carried over: its HTML is in the site already."""
    return False


def _pool_written(record: logging.LogRecord) -> bool:
    """Drop MkDocs' note for each page it leaves to the pool (it sees empty output)."""
    return not str(record.msg).startswith("Page skipped: ")


def _layout_key(page: Page, full_render: bool = False) -> tuple | None:
    """Pages with the same key get the same layout around their slots; None: render in full."""
    meta = page.meta
    if (
        full_render
        or not meta.keys() <= _SHARED_META
        or not meta.get("title")
        or not meta.get("description")
        or not page.canonical_url
        or page.toc.items
        or page.previous_page
        or page.next_page
        or page.edit_url
        or "<h1" not in (page.content or "")  # Material adds an <h1> of page.title when there is none
    ):
        return None
    # Links in the chrome are relative to the page's folder (MkDocs' url filter shortens
    # them): pages of one folder, papers/*/ say, get identical chrome.
    folder = page.url.rstrip("/").rpartition("/")[0]
    # A tag's pages link to its feed in their head: one layout per tag (and folder).
    return (folder, bool(meta.get("math")), meta.get("template"), meta.get("feed"))


def _layout(context: Context, page: Page) -> list[str]:
    """The lean layout rendered for a copy of ``page`` whose title, description, canonical
    URL and content are marks, cut at the marks: text and slot names in turn."""
    token = secrets.token_hex(8)  # never in the output: every mark is replaced
    marks = {slot: f"\x00{token}:{slot}\x00" for slot in _SLOTS}
    marks["content"] += "<h1"  # so that Material does not add a heading of its own
    slotted = copy.copy(page)
    slotted.meta = {**page.meta, "title": marks["title"], "description": marks["description"]}
    slotted.canonical_url = marks["canonical_url"]
    slotted.content = marks["content"]
    skeleton = context.environment.get_template("lean-layout.html").render(
        {**context.get_all(), "page": slotted}
    )
    parts = re.split("(" + "|".join(re.escape(m) for m in marks.values()) + ")", skeleton)
    by_mark = {mark: slot for slot, mark in marks.items()}
    return [by_mark.get(part, part) if i % 2 else part for i, part in enumerate(parts)]


def icon_sprite(sources: dict[str, str]) -> str:
    """Material's icon files ({symbol id: svg text}) as one SVG of <symbol>s, sorted by id."""
    symbols = []
    for symbol, svg in sorted(sources.items()):
        match = re.fullmatch(r"\s*<svg\b([^>]*)>(.*)</svg>\s*", svg, re.S)
        viewbox = re.search(r'viewBox="([^"]*)"', match[1]) if match else None
        if not match or not viewbox:
            raise ValueError(f"icon {symbol}: not a single <svg> with a viewBox")
        symbols.append(f'<symbol id="{escape(symbol)}" viewBox="{viewbox[1]}">{match[2]}</symbol>')
    return '<svg xmlns="http://www.w3.org/2000/svg">' + "".join(symbols) + "</svg>\n"


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not page.meta:
        # Every page is generated with front matter (render.front_matter). MkDocs, finding
        # it unreadable, renders it as Markdown with the body instead of failing: a title's
        # text would become links and markup. No page is published that way.
        raise PluginError(
            f"{page.file.src_uri}: the page's front matter could not be read (a bug in the generator)"
        )
    if page.meta.get("html"):
        page.render = functools.partial(_render_html_body, page, markdown)  # type: ignore[method-assign]
    return markdown


def _render_html_body(page: Page, body: str, config: MkDocsConfig, files: Files) -> None:
    """Page.render for a body that is HTML already: no Markdown instance, no parsing."""
    page.content = body
    page.toc = get_toc([])
    page.present_anchor_ids = set()
    page.links_to_anchors = {}


def on_post_template(output: str, template_name: str, config: MkDocsConfig) -> str:
    """The theme's own pages (404.html, sitemap.xml): minified like the others when HTML."""
    return minify(output) if template_name.endswith(".html") else output


_hooks = ArchiveHooks()
on_pre_build = _hooks.on_pre_build
on_files = _hooks.on_files
on_env = _hooks.on_env
on_build_error = _hooks.on_build_error
on_post_page = _hooks.on_post_page
on_post_build = _hooks.on_post_build
