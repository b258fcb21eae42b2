"""What the build makes of the golden content equals the reviewed golden files (``make golden``):
the docs folder's pages, feeds, data and BibTeX, and the HTML of each page kind."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.golden import DOCS_DIR, PAGES, SITE_DIR, build_golden, render_golden, stored

REGENERATE = "run `make golden` and review the diff"


def assert_golden(made: dict[str, bytes], folder: Path) -> None:
    golden = stored(folder)
    assert sorted(golden) == sorted(made), f"files added or removed: {REGENERATE}"
    for rel, data in made.items():
        assert data == golden[rel], f"{rel} differs from its golden file: {REGENERATE}"


def test_golden_docs_match(tmp_path: Path):
    made = render_golden(tmp_path)
    assert set(PAGES) <= set(made)
    assert_golden(made, DOCS_DIR)


@pytest.mark.slow
def test_golden_site_matches(tmp_path: Path):
    assert_golden(build_golden(tmp_path), SITE_DIR)
