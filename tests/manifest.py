"""A hash of every generated file (all but the static assets) for a fixed set of digests,
pinned in ``tests/golden/docs.sha256``: any change to the bytes the generator writes
shows up as a changed line. For all the shared data (5,841 papers, about 7,000 files),
one hash of that list, in ``tests/golden/shared-docs.sha256``. Regenerate both with
``make golden`` (``python -m tests.manifest``) and review the diff like code.
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "golden" / "docs.sha256"
SHARED_MANIFEST = HERE / "golden" / "shared-docs.sha256"
DIGESTS = sorted((HERE / "fixtures" / "golden" / "digests").iterdir()) + sorted(
    (HERE / "fixtures" / "api").glob("*.json")
)


def docs_hashes(work: Path, digests: list[Path] = DIGESTS) -> str:
    """``sha256  path`` of every file ``render_docs`` generates for ``digests``, sorted by path."""
    from generator.build import merge_content, render_docs
    from generator.config import load_settings
    from generator.content import read_content
    from tests.conftest import ROOT, make_content

    archive, _lock = merge_content(read_content(make_content(work / "content", digests)))
    files = render_docs(archive, load_settings(ROOT / "mkdocs.yml", site_url="https://example.org/archive/"))
    return "".join(
        f"{hashlib.sha256(data if isinstance(data, bytes) else data.encode()).hexdigest()}  {path}\n"
        for path, data in sorted(files.items())
    )


def shared_docs_hash(work: Path) -> str:
    """One line: the hash of ``docs_hashes`` for every digest of the shared data, and the
    number of files it lists."""
    from tests.conftest import require_shared_data

    listing = docs_hashes(work, sorted(require_shared_data().glob("*.json")))
    return f"{hashlib.sha256(listing.encode()).hexdigest()}  {listing.count(chr(10))} files\n"


def main() -> int:
    for path, make in ((MANIFEST, docs_hashes), (SHARED_MANIFEST, shared_docs_hash)):
        with tempfile.TemporaryDirectory() as tmp:
            path.write_text(make(Path(tmp)), encoding="utf-8")
        print(f"wrote {path.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
