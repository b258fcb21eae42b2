"""Rendering: on several processes exactly as on one; long author lists cut to the page budget."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import jinja2
import pytest

from generator import render
from generator.archive import build_archive
from generator.build import merge_content
from generator.config import load_settings
from generator.content import read_content
from generator.text import counted
from tests.conftest import ROOT, make_content
from tests.helpers import digest, record


def test_forked_rendering_equals_serial_rendering(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    archive, _lock = merge_content(read_content(make_content(tmp_path / "content")))  # the sample
    settings = load_settings(ROOT / "mkdocs.yml")
    monkeypatch.setattr(render.parallel, "fork_workers", lambda jobs, per_worker: 1)
    serial = render.render_site(archive, settings)
    # Called directly: render_site forks only a process with no other thread, and the
    # suite's test servers are threads.
    pages = render.site_pages(archive, settings)
    forked = render._render_site_forked(render.Renderer(archive, settings), pages, 3)
    assert len(forked) > len(pages) + len(archive.papers)  # feeds, data, BibTeX too
    assert list(forked) == list(serial) and forked == serial


def test_files_written_to_the_docs_folder_are_the_files_rendered_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    archive, _lock = merge_content(read_content(make_content(tmp_path / "content")))
    settings = load_settings(ROOT / "mkdocs.yml")
    site = render.site_pages(archive, settings)
    everything = render._render_site_forked(render.Renderer(archive, settings), site, 2)
    forked, serial = tmp_path / "forked", tmp_path / "serial"
    forked.mkdir(), serial.mkdir()
    assert render._render_site_forked(render.Renderer(archive, settings), site, 3, forked) == {}
    monkeypatch.setattr(render.parallel, "fork_workers", lambda jobs, per_worker: 1)
    render.write_site(archive, settings, serial)
    for out in (forked, serial):
        written = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
        assert written == {
            path: text if isinstance(text, bytes) else text.encode() for path, text in everything.items()
        }


def test_a_paper_with_hundreds_of_authors_shows_the_first_hundred():
    authors = tuple(f"Author Number{i}" for i in range(1, 665))
    archive, _lock = build_archive(
        [digest("2025-01-24", record("Humanity's Last Exam", arxiv_id="2501.14249", authors=authors))], {}
    )
    renderer = render.Renderer(archive, load_settings(ROOT / "mkdocs.yml"))
    page = next(p for p in render.build_pages(archive, renderer.settings) if p.src_path.startswith("papers/"))
    text = renderer.render(page)
    shown = text.split('<p class="pa-authors">')[1].split("</p>")[0]
    assert shown.startswith("Author Number1, Author Number2, ")
    assert "Author Number100 and 564 more" in shown and "Author Number101" not in shown
    assert '(<a href="https://arxiv.org/abs/2501.14249">all authors on arXiv</a>)' in shown


def test_a_template_error_in_a_render_worker_reaches_the_build(tmp_path: Path):
    archive, _lock = merge_content(read_content(make_content(tmp_path / "content")))
    settings = load_settings(ROOT / "mkdocs.yml")
    templates = tmp_path / "templates"
    shutil.copytree(render.TEMPLATE_DIR, templates)
    paper = templates / "paper.md.j2"
    paper.write_text(paper.read_text(encoding="utf-8") + "{{ paper.no_such_field }}\n", encoding="utf-8")
    renderer = render.Renderer(archive, settings, template_dir=templates)
    threads = threading.active_count()
    with pytest.raises(jinja2.UndefinedError, match="no_such_field"):
        render._render_site_forked(renderer, render.site_pages(archive, settings), 3)
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
