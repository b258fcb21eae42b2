"""Rendering: on several processes exactly as on one; long author lists cut to the page budget."""

from __future__ import annotations

import re
import shutil
import threading
from dataclasses import replace
from html import escape
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import build, render
from generator.archive import build_archive
from generator.build import merge_content
from generator.config import load_settings
from generator.content import read_content
from generator.errors import ContentErrors
from generator.text import counted
from tests.conftest import ROOT, make_content
from tests.helpers import digest, record


def _written(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.slow
def test_files_written_by_forked_workers_are_the_files_rendered_in_memory(tmp_path: Path):
    archive, _lock = merge_content(read_content(make_content(tmp_path / "content")))  # the sample
    settings = load_settings(ROOT / "mkdocs.yml")
    in_memory = build.render_docs(archive, settings)
    pages = render.site_pages(archive, settings)
    assert len(in_memory) > len(pages) + len(archive.papers)  # feeds, data, BibTeX too
    expected = {path: text if isinstance(text, bytes) else text.encode() for path, text in in_memory.items()}
    for workers in (2, 3):
        # Called directly: write_docs forks only a process with no other thread, and the
        # suite's test servers are threads.
        out = tmp_path / f"forked-{workers}"
        out.mkdir()
        build.write_docs_forked(render.Renderer(archive, settings), pages, out, workers)
        assert _written(out) == expected
    serial = tmp_path / "serial"
    build.write_docs(archive, settings, serial)
    assert _written(serial) == expected


def test_a_paper_with_hundreds_of_authors_shows_the_first_fifty():
    authors = tuple(f"Author Number{i}" for i in range(1, 665))
    archive, _lock = build_archive(
        [digest("2025-01-24", record("Humanity's Last Exam", arxiv_id="2501.14249", authors=authors))], {}
    )
    renderer = render.Renderer(archive, load_settings(ROOT / "mkdocs.yml"))
    text = renderer.render(render.paper_page(archive.papers[0], []))
    shown = text.split('<p class="pa-authors">')[1].split("</p>")[0]
    assert shown.startswith('<a href="../../search/?q=%22Author%20Number1%22">Author Number1</a>, ')
    shown = re.sub(r"<a href=\"../../search/[^\"]*\">([^<]*)</a>", r"\1", shown)
    assert "Author Number50 and 614 more" in shown and "Author Number51" not in shown
    assert '(<a href="https://arxiv.org/abs/2501.14249">all authors on arXiv</a>)' in shown


@pytest.mark.parametrize(
    ("facts", "shown"),
    [
        ({"author_count": 14}, "14 authors"),  # a copy of the page counts the authors
        (
            {"author_count": 1, "organization": "Hugging Face"},
            '1 author · <a class="pa-org" href="../../orgs/hugging-face/" data-pagefind-filter="organization">Hugging Face</a>',
        ),
        (  # names win over a count; an author of one paper links to a search for their name
            {"authors": ("Ada Lovelace",), "author_count": 14},
            '<a href="../../search/?q=%22Ada%20Lovelace%22">Ada Lovelace</a>',
        ),
    ],
)
def test_a_paper_known_by_its_author_count_shows_it(facts, shown):
    archive, _lock = build_archive([digest("2025-01-24", record("A Paper From A Copy", **facts))], {})
    renderer = render.Renderer(archive, load_settings(ROOT / "mkdocs.yml"))
    text = renderer.render(render.paper_page(archive.papers[0], []))
    assert text.split('<p class="pa-authors">')[1].split("</p>")[0] == shown


def test_a_template_error_in_a_render_worker_reaches_the_build_with_its_line(tmp_path: Path):
    archive, _lock = merge_content(read_content(make_content(tmp_path / "content")))
    settings = load_settings(ROOT / "mkdocs.yml")
    templates = tmp_path / "templates"
    shutil.copytree(render.TEMPLATE_DIR, templates)
    paper = templates / "paper.md.j2"
    paper.write_text(paper.read_text(encoding="utf-8") + "{{ paper.no_such_field }}\n", encoding="utf-8")
    renderer = render.Renderer(archive, settings, template_dir=templates)
    lines = paper.read_text(encoding="utf-8").count("\n")
    threads = threading.active_count()
    with pytest.raises(ContentErrors) as raised:
        build.write_docs_forked(renderer, render.site_pages(archive, settings), tmp_path / "docs", 3)
    assert [str(e) for e in raised.value.errors] == [
        f"{paper}:{lines}: template error: 'generator.model.Paper object' has no attribute 'no_such_field'"
    ]
    assert threading.active_count() == threads  # the pool and its manager thread are gone


def test_counts_read_as_a_reader_says_them():
    assert counted(1, "paper") == "1 paper"
    assert counted(0, "paper") == "0 papers"
    assert counted(58410, "paper") == "58,410 papers"
    assert counted(2, "day") == "2 days"


def test_archive_counts_papers_not_appearances():
    """A paper featured on two days is one paper of its month and year, as on the home page."""
    again = record("Seen Twice", arxiv_id="2501.00001")
    archive, _lock = build_archive(
        [
            digest("2025-01-06", again, record("Once", arxiv_id="2501.00002")),
            digest("2025-01-07", again),
        ],
        {},
    )
    settings = load_settings(ROOT / "mkdocs.yml")
    renderer = render.Renderer(archive, settings)
    pages = {p.src_path: p for p in render.site_pages(archive, settings)}
    overview = renderer.render(pages["archive/index.md"])
    assert "<small>2 papers</small>" in overview  # the year
    assert "<small>2 papers in 2 days</small>:\n" in overview  # the month, then its days
    assert "<td>2</td>" in renderer.render(pages["archive/2025/index.md"])
    day = renderer.render(pages["archive/2025/01/07.md"])
    assert 'description: "1 paper featured on 2025-01-07"' in day and "<p>1 paper, in the order" in day
    assert "2 papers from 2 days, in " in renderer.render(pages["index.md"])


def test_redirect_pages_send_an_old_address_to_the_paper():
    archive, _lock = build_archive([digest("2025-01-24", record("Moved", arxiv_id="2501.00001"))], {})
    moved = replace(archive.papers[0], aliases=("papers/old-slug/",))
    archive = replace(archive, papers=(moved,))
    assert render.Renderer(archive, load_settings(ROOT / "mkdocs.yml")).render_redirects() == {
        "papers/old-slug/index.html": '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src &#39;self&#39;; '
        "script-src &#39;self&#39; &#39;wasm-unsafe-eval&#39;; style-src &#39;self&#39;; img-src &#39;self&#39; "
        'data:; object-src &#39;none&#39;; base-uri &#39;self&#39;; form-action &#39;self&#39;">'
        '<title>Redirecting</title><link rel="canonical" href="../2501.00001/">'
        '<meta http-equiv="refresh" content="0; url=../2501.00001/"></head>'
        '<body><a href="../2501.00001/">This paper has moved here.</a></body></html>\n'
    }


# Every class of character a digest or the taxonomy could slip into a title: controls (C0,
# DEL, C1), format and bidi controls, line and paragraph separators, private use,
# noncharacters, astral characters. Lone surrogates are refused by every reader.
TROUBLESOME = "\t\n\r\x1b\x7f\x80\x85\x9f\xa0\xad\u200b\u200e\u202e\u2066\u2028\u2029\ue000\ufdd0\ufeff\ufffe\U0001f600\U0010fffd"


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.characters(exclude_categories=["Cs"])) | st.text(alphabet=TROUBLESOME + '"\\:-[]#&*')
)
def test_front_matter_reads_back_whatever_the_text_holds(text: str):
    # MkDocs renders a page whose front matter PyYAML refuses as Markdown, front matter
    # included: a title with U+007F and "[PDF](javascript:...)" became a live link.
    from mkdocs.utils.meta import get_data

    body, meta = get_data(str(render.front_matter(text + "t", text + "d", html=True)) + "<p>body</p>\n")
    assert (body, meta) == (
        "<p>body</p>\n",
        {"title": escape(text + "t"), "description": escape(text + "d"), "html": True},
    )


def test_the_stored_script_title_stays_in_the_front_matter():
    from mkdocs.utils.meta import get_data

    title = "Read the [PDF](javascript:alert(document.domain))\x7f"
    front = render.front_matter(title, "An abstract.")
    assert front.isascii() and front == (
        '---\ntitle: "Read the [PDF](javascript:alert(document.domain))\\x7f"\ndescription: "An abstract."\n---\n'
    )
    assert get_data(str(front) + "body")[1]["title"] == title


def test_a_page_whose_front_matter_could_not_be_read_fails_the_build():
    from types import SimpleNamespace

    from mkdocs.exceptions import PluginError

    from generator.mkdocs_hooks import on_page_markdown

    page = SimpleNamespace(meta={}, file=SimpleNamespace(src_uri="papers/2501.00001.md"))
    with pytest.raises(
        PluginError, match=r"^papers/2501\.00001\.md: the page's front matter could not be read"
    ):
        on_page_markdown('---\ntitle: "\x7f"\n---\n<p>body</p>', page, None, None)


def test_a_paper_without_an_arxiv_id_links_to_searches_for_its_title_not_to_a_guessed_id():
    archive, _lock = build_archive(
        [
            digest(
                "2025-01-24",
                record("Sparse $O(n)$ Attention & <Friends>", github_repo="https://github.com/a/b"),
            )
        ],
        {},
    )
    renderer = render.Renderer(archive, load_settings(ROOT / "mkdocs.yml"))
    text = renderer.render(render.paper_page(archive.papers[0], []))
    shown = text.split('<ul class="pa-links" data-pagefind-ignore>')[1].split("</ul>")[0]
    query = "Sparse+O%28n%29+Attention+%26+%3CFriends%3E"
    assert shown.split("\n")[1:-1] == [
        f'<li><a href="https://arxiv.org/search/?query={query}&amp;searchtype=title">Find on arXiv</a></li>',
        f'<li><a href="https://huggingface.co/papers?q={query}">Search Hugging Face</a></li>',
        '<li><a href="https://github.com/a/b">Code</a></li>',
    ]
    assert "arxiv.org/abs/" not in text and "arxiv.org/pdf/" not in text


def test_older_tag_pages_are_counted_from_the_oldest_and_keep_their_papers(tmp_path: Path):
    """A tag's own page shows its newest papers; its older papers fill numbered pages
    from the oldest, so a new day changes no full page (issue 24: a day's rebuild in
    proportion to the day)."""
    settings = replace(load_settings(ROOT / "mkdocs.yml"), tags_per_page=10)
    digests = sorted((ROOT / "tests" / "fixtures" / "sample" / "digests").iterdir())

    def tag_pages(days: list[Path]) -> dict[str, render.Page]:
        archive, _lock = merge_content(read_content(make_content(tmp_path / str(len(days)), days)))
        return {p.src_path: p for p in render.site_pages(archive, settings) if p.template == "tag.md.j2"}

    before, after = tag_pages(digests[:-1]), tag_pages(digests)
    numbered = [p for p in before.values() if p.context["page"]]
    assert numbered, "the sample has tags of more than 10 papers"
    for page in numbered:
        assert len(page.context["papers"]) == 10  # only full pages are numbered
        # a full page lists the same papers, and says nothing that a new paper changes
        kept = after[page.src_path].context
        assert [p.uri for p in kept["papers"]] == [p.uri for p in page.context["papers"]]
        assert kept["older"] == page.context["older"]
    for src, page in after.items():  # every paper of the tag is on its own page or a numbered one
        if page.context["page"] == 0:
            slug = page.context["tag"].slug
            listed = {
                p.uri for q in after.values() if q.context["tag"].slug == slug for p in q.context["papers"]
            }
            assert len(listed) == page.context["total"], src
            days = [p.day for p in page.context["papers"]]
            assert days == sorted(days, reverse=True)
