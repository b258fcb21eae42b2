"""A hash of every generated file (all but the static assets) for a fixed set of digests,
pinned in ``tests/golden/docs.sha256``: any change to the bytes the generator writes
shows up as a changed line. Regenerate with ``make golden`` (``python -m tests.manifest``)
and review the diff like code.
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "golden" / "docs.sha256"
DIGESTS = sorted((HERE / "fixtures" / "golden" / "digests").iterdir()) + sorted(
    (HERE / "fixtures" / "api").glob("*.json")
)


def docs_hashes(work: Path) -> str:
    """``sha256  path`` of every file ``render_docs`` generates for ``DIGESTS``, sorted by path."""
    from generator.build import merge_content, render_docs
    from generator.config import load_settings
    from generator.content import read_content
    from tests.conftest import ROOT, make_content

    archive, _lock = merge_content(read_content(make_content(work / "content", DIGESTS)))
    files = render_docs(archive, load_settings(ROOT / "mkdocs.yml", site_url="https://example.org/archive/"))
    return "".join(
        f"{hashlib.sha256(data if isinstance(data, bytes) else data.encode()).hexdigest()}  {path}\n"
        for path, data in sorted(files.items())
    )


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        MANIFEST.write_text(docs_hashes(Path(tmp)), encoding="utf-8")
    print(f"wrote {MANIFEST.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
