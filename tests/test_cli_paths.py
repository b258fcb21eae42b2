"""Relative --config, --content and --site-dir, given from another folder than the
project's: each is taken from the working directory, as a shell user means it, while
the folders named inside mkdocs.yml are taken from mkdocs.yml's folder, as MkDocs
takes them."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import ROOT, SAMPLE, make_content
from tests.test_serve import fetch, serving

ONE_DIGEST = [SAMPLE / "digests" / "2025-06-30.json"]


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """``tmp_path/main``: the shipped mkdocs.yml as it is (relative docs_dir, site_dir,
    custom_dir and hook), beside the folders it names, and one digest."""
    folder = tmp_path / "main"
    folder.mkdir()
    (folder / "mkdocs.yml").write_bytes((ROOT / "mkdocs.yml").read_bytes())
    for name in ("generator", "site_templates"):
        (folder / name).symlink_to(ROOT / name, target_is_directory=True)
    make_content(folder / "content", ONE_DIGEST)
    return folder


def leftovers(*folders: Path) -> list[Path]:
    return [p for folder in folders if folder.is_dir() for p in folder.iterdir() if ".new-" in p.name]


@pytest.mark.slow
@pytest.mark.parametrize("site_dir", [None, "public"])
def test_build_takes_relative_paths_from_the_working_directory(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, site_dir: str | None
):
    monkeypatch.chdir(tmp_path)
    args = ["build", "--config", "main/mkdocs.yml", "--content", "main/content"]
    status = main(args + (["--site-dir", site_dir] if site_dir else []))
    out, err = capsys.readouterr()
    assert status == 0, err
    site = tmp_path / site_dir if site_dir else project / "site"
    assert out.endswith(f"digests into {site}\n")
    assert (site / "index.html").is_file() and (site / "404.html").is_file()
    assert (project / "build" / "docs" / "index.md").is_file()
    assert not (project / "main").exists() and not (project / "public").exists()
    assert leftovers(tmp_path, project, project / "build") == []


def test_check_takes_a_relative_content_folder_from_the_working_directory(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
):
    monkeypatch.chdir(tmp_path)
    status = main(["check", "--content", "main/content"])
    out, err = capsys.readouterr()
    assert (status, err) == (0, "")
    assert out.endswith("No problems found.\n")


@pytest.mark.slow
def test_serve_takes_relative_paths_from_the_working_directory(project: Path, tmp_path: Path):
    with serving(["--config", "main/mkdocs.yml", "--content", "main/content"], cwd=tmp_path) as served:
        assert "<html" in fetch(served.url)
        assert (project / "site" / "index.html").is_file() and not (project / "main").exists()
