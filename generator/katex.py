"""KaTeX, served by the site itself: no page asks a CDN for anything.

KaTeX's own files (JS, CSS, woff2 fonts) come from PyPI, in the wheel of
djangocms-katex, which vendors the KaTeX release unchanged. The wheel is fetched
once with pip (``pip download --no-deps``, so Django CMS is never installed),
checked against the pinned hash and kept in ``build/vendor/``; ``katex_files``
then picks the files the site needs out of it. Bumping KaTeX = new version and hash here.
"""

from __future__ import annotations

import hashlib
import io
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from generator.errors import ContentError
from generator.model import SourceRef

KATEX_VERSION = "0.16.40"
DISTRIBUTION = "djangocms-katex"
DISTRIBUTION_VERSION = "1.0.2"
WHEEL = "djangocms_katex-1.0.2-py3-none-any.whl"
WHEEL_SHA256 = "79774fa17f7d328252f6dd05688799fa7ee49abebb7cbe09f0cbf6f103352ac2"
PREFIX = "djangocms_katex/static/djangocms_katex/vendor/katex/"
VENDOR_DIR = Path(__file__).resolve().parent.parent / "build" / "vendor"
TARGET = "assets/katex/"

# The stylesheet lists woff2, woff and ttf for each font; every browser that runs
# KaTeX reads woff2, so only those are shipped and the others are dropped from it.
_OLD_FONT_FORMATS = re.compile(r',url\(fonts/[^)]+\.(?:woff|ttf)\) format\("(?:woff|truetype)"\)')


def fetch_wheel(vendor_dir: Path = VENDOR_DIR) -> bytes:
    """The pinned wheel's bytes, downloaded with pip into ``vendor_dir`` the first time."""
    path = vendor_dir / WHEEL
    if not path.exists():
        vendor_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=vendor_dir) as tmp:
            command = [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--only-binary=:all:",
                "--disable-pip-version-check",
                "--dest",
                tmp,
                f"{DISTRIBUTION}=={DISTRIBUTION_VERSION}",
            ]
            result = subprocess.run(command, capture_output=True, text=True)
            downloaded = Path(tmp) / WHEEL
            if result.returncode != 0 or not downloaded.exists():
                detail = (result.stderr.strip().splitlines() or ["no wheel downloaded"])[-1]
                raise ContentError(
                    SourceRef(path),
                    f"could not download KaTeX ({DISTRIBUTION}=={DISTRIBUTION_VERSION}) "
                    f"from PyPI: {detail}; check the network, or put {WHEEL} in {vendor_dir}",
                )
            downloaded.replace(path)
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != WHEEL_SHA256:
        raise ContentError(
            SourceRef(path),
            f"sha256 is {digest}, expected {WHEEL_SHA256}: delete the file to download it again",
        )
    return data


def katex_files(wheel: bytes) -> dict[str, bytes]:
    """KaTeX's script, stylesheet (woff2 fonts only), fonts and licence, at their site paths."""
    files = {}
    with zipfile.ZipFile(io.BytesIO(wheel)) as archive:
        for name in sorted(archive.namelist()):
            rel = name.removeprefix(PREFIX)
            if rel == name:
                continue
            if rel in ("katex.min.js", "LICENSE") or (rel.startswith("fonts/") and rel.endswith(".woff2")):
                files[TARGET + rel] = archive.read(name)
            elif rel == "katex.min.css":
                css = archive.read(name).decode("utf-8")
                files[TARGET + rel] = _OLD_FONT_FORMATS.sub("", css).encode("utf-8")
    return files


def katex_assets(vendor_dir: Path = VENDOR_DIR) -> dict[str, bytes]:
    return katex_files(fetch_wheel(vendor_dir))


if __name__ == "__main__":  # `make setup` fetches KaTeX with the other dependencies
    fetch_wheel()
    print(f"KaTeX {KATEX_VERSION} ready in {VENDOR_DIR}")
