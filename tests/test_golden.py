"""Rendered Markdown of each page kind equals the reviewed golden files (``make golden``)."""

from __future__ import annotations

from pathlib import Path

from tests.golden import GOLDEN_DIR, PAGES, render_golden


def test_golden_pages_match(tmp_path: Path):
    pages = render_golden(tmp_path)
    for rel in PAGES:
        assert rel in pages, f"{rel} was not rendered"
    stored = {
        p.relative_to(GOLDEN_DIR).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(GOLDEN_DIR.rglob("*.md"))
    }
    assert sorted(stored) == sorted(pages), "pages added or removed: run `make golden` and review the diff"
    for rel, text in pages.items():
        assert text == stored[rel], (
            f"{rel} differs from its golden file: run `make golden` and review the diff"
        )
