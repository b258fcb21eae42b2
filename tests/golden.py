"""Golden files: the rendered Markdown of one page of each kind, for a small fixed content set.

Regenerate with ``make golden`` (``python -m tests.golden``) and review the diff like code.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GOLDEN_DIR = HERE / "golden"
FIXTURE_DIGESTS = HERE / "fixtures" / "golden" / "digests"
# One page of each kind; the paper pages are a JSON paper, a text-only one, and one in both.
PAGES = (
    "index.md",
    "latest.md",
    "about.md",
    "archive/index.md",
    "archive/2025/index.md",
    "archive/2025/12/index.md",
    "archive/2025/12/30.md",
    "tags/index.md",
    "papers/2512.23447.md",
    "papers/2512.22096.md",
    "papers/a-text-only-paper-on-sparse-attention-with-o-n-cost-and-b-tags-b.md",
)


def render_golden(work: Path) -> dict[str, str]:
    """Render the fixture content with the repository's taxonomy and templates."""
    from generator.build import generate
    from generator.config import load_settings

    content = work / "content"
    if content.exists():
        shutil.rmtree(content)
    shutil.copytree(FIXTURE_DIGESTS, content / "digests")
    for name in ("taxonomy.yml", "tag-overrides.yml"):
        if (ROOT / "content" / name).exists():
            shutil.copy(ROOT / "content" / name, content / name)
    settings = load_settings(ROOT / "mkdocs.yml", site_url="https://example.org/archive/")
    files = generate(settings, content).files
    first_tag = sorted(
        p for p in files if p.startswith("tags/") and p.endswith("/index.md") and p != "tags/index.md"
    )[0]
    wanted = (*PAGES, first_tag)
    return {p: files[p].decode() for p in wanted if isinstance(files.get(p), bytes)}  # rendered pages


def main() -> int:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        pages = render_golden(Path(tmp))
    if GOLDEN_DIR.exists():
        shutil.rmtree(GOLDEN_DIR)
    for rel, text in pages.items():
        path = GOLDEN_DIR / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    print(f"wrote {len(pages)} golden files to {GOLDEN_DIR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
