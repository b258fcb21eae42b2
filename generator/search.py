"""Staged site -> the same site plus ``pagefind/``, the split search index.

Pagefind reads the built HTML (only paper pages carry ``data-pagefind-body``) and
writes an index cut into small fragments that the browser fetches per query, so
search stays fast however many papers the archive holds.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from generator.errors import ContentError, ContentErrors

BUNDLE_DIR = "pagefind"


def build_search_index(site_dir: Path) -> None:
    """Index ``site_dir`` in place; a Pagefind failure becomes a user error."""
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site_dir),
        "--output-subdir",
        BUNDLE_DIR,
        "--quiet",
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as e:
        raise ContentErrors([ContentError(str(site_dir), f"could not run Pagefind: {e}")]) from None
    if result.returncode != 0 or not (site_dir / BUNDLE_DIR / "pagefind.js").is_file():
        message = (
            result.stderr.strip() or result.stdout.strip() or f"exit status {result.returncode}"
        ).splitlines()
        raise ContentErrors(
            [
                ContentError(
                    str(site_dir), f"Pagefind could not build the search index: {' '.join(message[-3:])}"
                )
            ]
        )
