"""MkDocs hooks (registered in mkdocs.yml): minify every HTML page as it is written.

Material's page chrome is most of a paper page's weight; minifying keeps a paper
page small (the budget is 15 KB) and costs little, since minify-html is native code.
"""

from __future__ import annotations

import minify_html


def on_post_page(output: str, page, config) -> str:  # noqa: ANN001 - MkDocs' hook signature
    return minify_html.minify(
        output,
        minify_css=True,
        minify_js=True,
        keep_closing_tags=True,
        keep_html_and_head_opening_tags=True,
    )
