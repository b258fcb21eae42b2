"""MkDocs hooks (registered in mkdocs.yml).

- Pages marked ``html: true`` in their front matter (paper, tag and day pages: the
  bulk of the site) are bodies of HTML blocks that our templates already escaped and
  built. Python-Markdown would pass them through unchanged, but only after parsing
  every tag with ``html.parser`` (about a fifth of MkDocs' time at 10,000 papers), so
  the body skips the Markdown step and is put back as the page's content as it is.
- Header icons are ``<use>`` references into one sprite, ``assets/icons.svg``, written
  after the build with exactly the icons the pages asked for (``pa_icon`` in the
  templates): Material inlines each icon's path on every page, about 2 KB a page.
- Every HTML page is minified as it is written: Material's page chrome is most of a
  paper page's weight (the budget is 15 KB), and minify-html is native code.
"""

from __future__ import annotations

import re
from pathlib import Path

import minify_html
from markupsafe import Markup, escape

_HTML_BODIES: dict[str, str] = {}
_ICONS: dict[str, str] = {}  # symbol id -> Material icon name ("material/magnify")
_ENV = {}


def on_pre_build(config) -> None:  # noqa: ANN001
    _ICONS.clear()


def on_env(env, config, files):  # noqa: ANN001, ANN201
    def pa_icon(name: str, sprite_url: str) -> Markup:
        symbol = name.replace("/", "-")
        _ICONS[symbol] = name
        return Markup('<svg><use href="{}#{}"></use></svg>').format(sprite_url, symbol)

    env.globals["pa_icon"] = pa_icon
    _ENV["env"] = env
    return env


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


def on_post_build(config) -> None:  # noqa: ANN001
    env = _ENV["env"]
    sources = {symbol: env.loader.get_source(env, f".icons/{name}.svg")[0] for symbol, name in _ICONS.items()}
    sprite = Path(config.site_dir) / "assets" / "icons.svg"
    sprite.parent.mkdir(parents=True, exist_ok=True)
    sprite.write_text(icon_sprite(sources), encoding="utf-8")


def on_page_markdown(markdown: str, page, config, files) -> str:  # noqa: ANN001 - MkDocs' signature
    if page.meta.get("html"):
        _HTML_BODIES[page.file.src_uri] = markdown
        return ""
    return markdown


def on_page_content(html: str, page, config, files) -> str:  # noqa: ANN001
    return _HTML_BODIES.pop(page.file.src_uri, html)


def on_post_page(output: str, page, config) -> str:  # noqa: ANN001
    return minify_html.minify(
        output,
        minify_css=True,
        minify_js=True,
        # Keep end tags: Pagefind reads a page as a stream, and a data-pagefind-ignore <p>
        # without its </p> would hide the rest of the article (the abstract) from search.
        keep_closing_tags=True,
        keep_html_and_head_opening_tags=True,
    )
