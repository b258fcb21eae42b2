"""The generated files are byte for byte those pinned in tests/golden/docs.sha256."""

from __future__ import annotations

from pathlib import Path

from tests.manifest import MANIFEST, docs_hashes


def test_generated_files_keep_their_bytes(tmp_path: Path):
    expected = MANIFEST.read_text(encoding="utf-8").splitlines()
    actual = docs_hashes(tmp_path).splitlines()
    changed = sorted(set(expected) ^ set(actual), key=lambda line: line.split("  ", 1)[1])
    assert not changed, "changed files (run `make golden` if meant, and review the diff):\n" + "\n".join(
        changed
    )
    assert len(actual) > 100  # pages, feeds, data and BibTeX of five days
