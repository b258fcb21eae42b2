"""Rendering: on several processes exactly as on one; long author lists cut to the page budget."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import render
from generator.archive import build_archive
from generator.build import merge_content
from generator.config import load_settings
from generator.content import read_content
from tests.conftest import ROOT, make_content
from tests.helpers import digest, record


def _sample_pages(tmp_path: Path) -> tuple[render.Renderer, list[render.Page]]:
    archive, _lock = merge_content(read_content(make_content(tmp_path / "content")))  # the sample
    renderer = render.Renderer(archive, load_settings(ROOT / "mkdocs.yml"))
    return renderer, render.build_pages(archive, renderer.settings)


def test_forked_rendering_equals_serial_rendering(tmp_path: Path):
    renderer, pages = _sample_pages(tmp_path)
    serial = {page.src_path: renderer.render(page).encode() for page in pages}
    # Called directly: render_all forks only a process with no other thread, and the
    # suite's test servers are threads.
    forked = renderer._render_forked(pages, 3)
    assert list(forked) == list(serial) and forked == serial


def test_rendering_forks_only_when_it_pays_and_no_other_thread_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    renderer, pages = _sample_pages(tmp_path)
    calls: list[int] = []
    monkeypatch.setattr(renderer, "_render_forked", lambda pages, workers: calls.append(workers) or {})
    monkeypatch.setattr(render.os, "sched_getaffinity", lambda _pid: {0, 1, 2})

    monkeypatch.setattr(render.threading, "active_count", lambda: 1)
    renderer.render_all(pages)  # 147 papers: too few pages to pay for processes
    monkeypatch.setattr(render, "PAGES_PER_WORKER", 10)
    renderer.render_all(pages)
    assert calls == [3]

    monkeypatch.setattr(render.threading, "active_count", lambda: 2)  # serve's watcher, say
    assert renderer.render_all(pages)
    assert calls == [3]


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
