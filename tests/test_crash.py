"""Crash safety: a build killed with SIGKILL at any moment leaves a whole site behind.

The site (and docs folder) after a kill is either the previous build or the new one,
byte for byte, never a mix or nothing; the next build succeeds and cleans up.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, build_args, make_content, write_config
from tests.test_build import tree_digest

pytestmark = pytest.mark.slow


def build_command(content: Path, config: Path, site: Path) -> list[str]:
    return [sys.executable, "-m", "generator", *build_args(content, config, site)]


def test_sigkill_at_any_moment_leaves_previous_or_new_site(tmp_path: Path, shared_data: Path):
    content = make_content(tmp_path / "content")
    config = write_config(tmp_path)
    site = tmp_path / "site"
    env = os.environ | {"SOURCE_DATE_EPOCH": "1767139200"}
    subprocess.run(build_command(content, config, site), check=True, cwd=ROOT, env=env)
    old_site, old_docs = tree_digest(site), tree_digest(tmp_path / "docs")

    # The new content and what a complete build of it gives, built elsewhere.
    (content / "digests" / "2025-12-19.json").write_bytes((shared_data / "2025-12-19.json").read_bytes())
    reference = tmp_path / "reference"
    ref_content = make_content(reference / "content", sorted((content / "digests").iterdir()))
    (ref_content / "permalinks.lock").write_bytes((content / "permalinks.lock").read_bytes())
    ref_config = write_config(reference)
    started = time.perf_counter()
    subprocess.run(build_command(ref_content, ref_config, reference / "site"), check=True, cwd=ROOT, env=env)
    duration = time.perf_counter() - started
    new_site = tree_digest(reference / "site")
    assert new_site != old_site

    kills = 0
    for fraction in (0.05, 0.2, 0.35, 0.5, 0.6, 0.7, 0.8, 0.88, 0.94, 0.98):
        process = subprocess.Popen(build_command(content, config, site), cwd=ROOT, env=env)
        time.sleep(duration * fraction)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait()
        now = tree_digest(site)
        assert now in (old_site, new_site), (
            f"site is neither the old nor the new build after a kill at {fraction:.0%}"
        )
        assert tree_digest(tmp_path / "docs") in (old_docs, tree_digest(reference / "docs"))
        if now == new_site:
            break
    assert kills >= 3
    subprocess.run(build_command(content, config, site), check=True, cwd=ROOT, env=env)
    assert tree_digest(site) == new_site
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
