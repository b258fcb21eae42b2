"""query.js, the pure part of search: pasted ids and links, phrase ranking, spelling
suggestions and excerpts, called one function at a time in a real Chromium (the
sample site loads site.js), and their effect in the header box."""

from __future__ import annotations

import pytest

from tests.test_search_browser import assert_clean, header_search

pytestmark = pytest.mark.browser

BLENDERFUSION = "papers/2506.17450/"


def call(page, url: str, function: str, *args):
    """window.paperArchiveQuery[function](...args) on ``url``."""
    page.goto(url)
    return page.evaluate("([f, args]) => window.paperArchiveQuery[f](...args)", [function, list(args)])


@pytest.mark.parametrize(
    ("typed", "searched"),
    [
        ("2505.21411", "2505.21411"),
        ("2505.21411v2", "2505.21411"),
        ("arXiv:2505.21411", "2505.21411"),
        ("arxiv: 2505.21411v1", "2505.21411"),
        ("https://arxiv.org/abs/2505.21411", "2505.21411"),
        ("https://arxiv.org/abs/2505.21411v3", "2505.21411"),
        ("http://arxiv.org/pdf/2505.21411v2.pdf", "2505.21411"),
        ("https://arxiv.org/pdf/2505.21411", "2505.21411"),
        ("arxiv.org/html/2505.21411v1#S2", "2505.21411"),
        ("https://www.arxiv.org/abs/2505.21411?context=cs", "2505.21411"),
        ("https://huggingface.co/papers/2505.21411", "2505.21411"),
        ("https://huggingface.co/papers/2505.21411#community", "2505.21411"),
        ("hf.co/papers/2505.21411", "2505.21411"),
        ("https://doi.org/10.48550/arXiv.2505.21411", "2505.21411"),
        ("  video   generation ", "video generation"),
        ("see arXiv:2505.21411 please", "see 2505.21411 please"),
        ("1.5 billion", "1.5 billion"),
        ("https://example.com/2505.21411", "https://example.com/2505.21411"),
    ],
)
def test_query_normalize_reduces_ids_and_links_to_the_id(
    page, sample_url: str, typed: str, searched: str
) -> None:
    assert call(page.page, sample_url, "normalize", typed) == searched


@pytest.mark.parametrize(
    "typed",
    [
        "arXiv:2506.17450",
        "2506.17450v2",
        "https://arxiv.org/abs/2506.17450",
        "https://arxiv.org/pdf/2506.17450v1",
        "https://huggingface.co/papers/2506.17450",
    ],
)
def test_header_search_pasted_link_brings_the_paper_first(page, sample_url: str, typed: str) -> None:
    hrefs = header_search(page.page, sample_url, typed)
    assert hrefs[0] == sample_url + BLENDERFUSION
    assert_clean(page)
