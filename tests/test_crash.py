"""Crash safety: a build killed with SIGKILL at any stage leaves a whole site behind.

The site (and docs folder) after a kill is either the previous build or the new one,
byte for byte, never a mix or nothing; the next build succeeds and cleans up. Each
kill is timed by what the build has done on disk, not by the clock, so that it lands
in the same stage on a fast machine and on a busy one.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.carry import CACHE_FILE
from generator.reuse import STATE_FILE, read_state
from generator.search import VIEW_DIR
from tests.conftest import ROOT, build_args, make_content, write_config
from tests.test_build import tree_digest

pytestmark = pytest.mark.slow


def build_command(content: Path, config: Path, site: Path) -> list[str]:
    return [sys.executable, "-m", "generator", *build_args(content, config, site)]


def staged(folder: Path, name: str, *inside: str, left: frozenset[Path] = frozenset()) -> Path | None:
    """The build's staging folder for ``name`` (write.staging_dir), or a path ``inside`` it,
    if there is one besides those ``left`` by an earlier build."""
    found = next((p for p in folder.glob(f".{name}.new-*") if p not in left), None)
    return found.joinpath(*inside) if found else None


def docs_digest(docs: Path) -> dict[str, str]:
    """The docs folder's files but the carry manifest and the generation state, which name
    the build's own config and content (their paths differ in the reference build);
    ``manifest`` gives the one, ``reuse.read_state`` reads the other."""
    return {name: h for name, h in tree_digest(docs).items() if name not in (CACHE_FILE, STATE_FILE)}


def manifest(docs: Path) -> bytes:
    return (docs / CACHE_FILE).read_bytes()


def has_entries(path: Path | None) -> bool:
    """True once the folder ``path`` exists and holds something."""
    return path is not None and path.is_dir() and any(path.iterdir())


def test_sigkill_at_every_stage_leaves_previous_or_new_site(tmp_path: Path, shared_data: Path):
    content = make_content(tmp_path / "content")
    config = write_config(tmp_path)
    site, docs = tmp_path / "site", tmp_path / "docs"
    env = os.environ | {"SOURCE_DATE_EPOCH": "1767139200"}
    subprocess.run(build_command(content, config, site), check=True, cwd=ROOT, env=env)
    old_site, old_docs, old_manifest = tree_digest(site), docs_digest(docs), manifest(docs)

    # The new content and what a complete build of it gives, built elsewhere.
    (content / "digests" / "2025-12-19.json").write_bytes((shared_data / "2025-12-19.json").read_bytes())
    reference = tmp_path / "reference"
    ref_content = make_content(reference / "content", sorted((content / "digests").iterdir()))
    (ref_content / "permalinks.lock").write_bytes((content / "permalinks.lock").read_bytes())
    ref_config = write_config(reference)
    subprocess.run(build_command(ref_content, ref_config, reference / "site"), check=True, cwd=ROOT, env=env)
    new_site, new_docs = tree_digest(reference / "site"), docs_digest(reference / "docs")
    assert new_site != old_site
    manifests_left = []

    old_docs_inode = docs.stat().st_ino
    stages: list[tuple[str, Callable[[frozenset[Path]], bool]]] = [
        ("reading the content", lambda left: staged(tmp_path, "docs", left=left) is not None),
        ("rendering", lambda left: has_entries(staged(tmp_path, "docs", left=left))),
        ("MkDocs", lambda left: has_entries(staged(tmp_path, "site", left=left))),
        ("Pagefind", lambda left: has_entries(staged(tmp_path, "site", VIEW_DIR, left=left))),
        ("the swap", lambda left: docs.exists() and docs.stat().st_ino != old_docs_inode),
    ]
    for stage, reached in stages:
        left = frozenset(tmp_path.glob(".*.new-*"))  # a killed build's, removed by the next
        # Its own session: the kill takes its workers, MkDocs' minifiers and Pagefind too.
        process = subprocess.Popen(
            build_command(content, config, site), cwd=ROOT, env=env, start_new_session=True
        )
        while process.poll() is None and not reached(left):
            time.sleep(0.001)
        if stage != "the swap":  # the last stage takes milliseconds: the build may end first
            assert process.poll() is None, f"the build ended before {stage}"
        with contextlib.suppress(ProcessLookupError):  # the swap's build may have ended
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        assert tree_digest(site) in (old_site, new_site), (
            f"site is neither the old nor the new build after a kill in {stage}"
        )
        assert docs_digest(docs) in (old_docs, new_docs), (
            f"docs are neither the old nor the new ones after a kill in {stage}"
        )
        manifests_left.append((stage, manifest(docs)))
        assert read_state(docs) is not None, f"a kill in {stage} left a generation state that cannot be read"
        if stage != "the swap":
            assert tree_digest(site) == old_site, f"a kill in {stage} changed the site"
    subprocess.run(build_command(content, config, site), check=True, cwd=ROOT, env=env)
    assert tree_digest(site) == new_site
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    for stage, left in manifests_left:  # the carry manifest went with its docs, whole
        assert left in (old_manifest, manifest(docs)), f"a kill in {stage} left a third carry manifest"
