"""Rendering on several processes gives exactly the pages of rendering on one."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import render
from generator.build import merge_content
from generator.config import load_settings
from generator.content import read_content
from tests.conftest import ROOT, make_content


def test_forked_rendering_equals_serial_rendering(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    content = read_content(make_content(tmp_path / "content"))  # the sample content
    archive, _lock = merge_content(content)
    renderer = render.Renderer(archive, load_settings(ROOT / "mkdocs.yml"))
    pages = render.build_pages(archive, renderer.settings)
    serial = {page.src_path: renderer.render(page) for page in pages}

    monkeypatch.setattr(render, "PAGES_PER_WORKER", 10)
    monkeypatch.setattr(render.os, "sched_getaffinity", lambda _pid: {0, 1, 2})
    forked = []
    monkeypatch.setattr(renderer, "_render_forked", _spy(renderer._render_forked, forked))
    rendered = renderer.render_all(pages)

    assert forked == [3]
    assert list(rendered) == list(serial) and rendered == serial


def _spy(function, calls: list[int]):
    def spy(pages, workers):
        result = function(pages, workers)  # an error here would fall back to serial rendering
        calls.append(workers)
        return result

    return spy
