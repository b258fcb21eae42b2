"""Addresses: where each generated file lives in the site, and a paper's outside links.

Pure functions over strings and dates. A ``uri`` is a site-relative POSIX directory
(``papers/2505.01234/``, ``""`` for the home page); a ``src_path`` is the Markdown file
under the docs folder that MkDocs turns into it (``papers/2505.01234.md``). Links
between pages are relative, so the site works under any subpath (GitHub project pages).
"""

from __future__ import annotations

from datetime import date
from urllib.parse import quote_plus, urlencode

from generator.model import Paper

FEED = "feed.xml"  # a folder's Atom feed
BIBTEX = "papers.bib"  # a tag's or a day's BibTeX file


def page_uri(src_path: str) -> str:
    """Docs path -> the directory URI MkDocs gives it (use_directory_urls)."""
    if src_path == "index.md":
        return ""
    if src_path.endswith("/index.md"):
        return src_path[: -len("index.md")]
    if src_path.endswith(".md"):
        return src_path[:-3] + "/"
    return src_path


def src_path(uri: str) -> str:
    """A page's directory URI -> the Markdown file that gives it: ``page_uri``'s inverse
    for the pages we write as ``<folder>.md`` (papers, days)."""
    return uri[:-1] + ".md"


def relative_url(from_uri: str, to_uri: str) -> str:
    """A link from one page to another, climbing to the site root and back down.

    Every page is a directory URI, so the way up is one ``../`` per ``/``. Always going
    through the root (never shortening a common prefix) makes a link depend only on the
    page's depth, so listing entries can be rendered once per depth and reused. Links
    between two paper pages (related papers, redirects) are the one exception: siblings,
    ``../<id>/``, which saves bytes on tens of thousands of pages.
    """
    if from_uri.startswith("papers/") and to_uri.startswith("papers/") and from_uri.count("/") == 2:
        return "../" + to_uri[len("papers/") :]  # paper to paper (related, redirects): a sibling
    return "../" * from_uri.count("/") + to_uri or "./"


# A day's page. Also handed to readinglist.js as it is (mylist.md.j2), which fills in a day.
DAY_URI = "archive/{year}/{month}/{day}/"


def day_uri(day: date) -> str:
    return DAY_URI.format(year=f"{day.year:04d}", month=f"{day.month:02d}", day=f"{day.day:02d}")


def month_uri(year: int, month: int) -> str:
    return f"archive/{year:04d}/{month:02d}/"


def year_uri(year: int) -> str:
    return f"archive/{year:04d}/"


def tag_uri(slug: str, page: int = 0) -> str:
    """A tag's page (its newest papers), or its older papers' page ``page``, counted
    from the oldest (render._tag_pages)."""
    return f"tags/{slug}/" if page == 0 else f"tags/{slug}/page/{page}/"


def tag_src_path(slug: str, page: int = 0) -> str:
    return f"tags/{slug}/index.md" if page == 0 else f"tags/{slug}/page/{page}.md"


def arxiv_url(arxiv_id: str) -> str:
    """A paper's abstract page on arXiv (also where BibTeX entries point)."""
    return f"https://arxiv.org/abs/{arxiv_id}"


# Kinds of outside link, in the order a paper page lists them, with their label there.
LINK_LABELS = {
    "arxiv": "arXiv abstract",
    "pdf": "PDF",
    "huggingface": "Hugging Face",
    "code": "Code",
    "project": "Project page",
    "arxiv_search": "Find on arXiv",
    "huggingface_search": "Search Hugging Face",
}


def paper_links(paper: Paper) -> dict[str, str]:
    """The paper's outside links by kind (``LINK_LABELS``'s order), as its page and
    ``papers.json`` give them; none is invented."""
    links = {}
    if paper.arxiv_id:
        links["arxiv"] = arxiv_url(paper.arxiv_id)
        links["pdf"] = f"https://arxiv.org/pdf/{paper.arxiv_id}"
        links["huggingface"] = f"https://huggingface.co/papers/{paper.arxiv_id}"
    if paper.github_repo:
        links["code"] = paper.github_repo
    if paper.project_page:
        links["project"] = paper.project_page
    return links


def search_links(title: str) -> dict[str, str]:
    """Searches for a paper by its title, for the page of one with no arXiv id (a text copy
    that names none): arXiv's title search and Hugging Face's paper search. An id is
    never guessed; these ask the sites instead. Not in ``papers.json``: they are not facts
    about the paper."""
    query = " ".join(title.replace("$", " ").split())
    return {
        "arxiv_search": "https://arxiv.org/search/?"
        + urlencode({"query": query, "searchtype": "title"}, quote_via=quote_plus),
        "huggingface_search": "https://huggingface.co/papers?"
        + urlencode({"q": query}, quote_via=quote_plus),
    }


def top_week_uri(year: int, week: int) -> str:
    """The most upvoted papers of an ISO week (``2025-W31``): weeks never change their days."""
    return f"top/week/{year:04d}-W{week:02d}/"


def top_month_uri(year: int, month: int) -> str:
    return f"top/month/{year:04d}-{month:02d}/"
