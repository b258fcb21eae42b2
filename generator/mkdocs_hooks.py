"""MkDocs hooks (registered in mkdocs.yml).

- Pages marked ``html: true`` in their front matter (paper, tag and day pages: the
  bulk of the site) are bodies of HTML blocks that our templates already escaped and
  built. Python-Markdown would pass them through unchanged, but only after parsing
  every tag with ``html.parser`` (about a fifth of MkDocs' time at 10,000 papers), so
  the body skips the Markdown step and is put back as the page's content as it is.
- Every HTML page is minified as it is written: Material's page chrome is most of a
  paper page's weight (the budget is 15 KB), and minify-html is native code.
"""

from __future__ import annotations

import minify_html

_HTML_BODIES: dict[str, str] = {}


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
