"""The generated files are byte for byte those pinned in tests/golden/docs.sha256, and for
the shared data, in tests/golden/shared-docs.sha256."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.manifest import MANIFEST, SHARED_MANIFEST, docs_hashes, shared_docs_hash


def test_generated_files_keep_their_bytes(tmp_path: Path):
    expected = MANIFEST.read_text(encoding="utf-8").splitlines()
    actual = docs_hashes(tmp_path).splitlines()
    changed = sorted(set(expected) ^ set(actual), key=lambda line: line.split("  ", 1)[1])
    assert not changed, "changed files (run `make golden` if meant, and review the diff):\n" + "\n".join(
        changed
    )
    assert len(actual) > 100  # pages, feeds, data and BibTeX of five days


@pytest.mark.slow
def test_generated_files_of_the_shared_data_keep_their_bytes(tmp_path: Path):
    assert shared_docs_hash(tmp_path) == SHARED_MANIFEST.read_text(encoding="utf-8")
