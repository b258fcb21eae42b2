"""Pages minified and written by worker processes (generator/minify.py) while MkDocs
renders: the same bytes as minifying in the build itself, and a worker's failure
fails the build."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import minify, parallel, people
from generator.errors import ContentError
from tests.conftest import build_site, make_content


def _files(site: Path) -> dict[Path, bytes]:
    return {p.relative_to(site): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.mark.slow
@pytest.mark.skipif(parallel.cores() < 2, reason="one core: pages are minified in the build")
def test_pages_written_by_workers_are_the_pages_the_build_writes(
    sample_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(minify, "POOL_PAGES", 1)  # the sample site is small: use the workers anyway
    handed = []
    write = minify.PageWriter.write
    monkeypatch.setattr(
        minify.PageWriter, "write", lambda self, *page: (handed.append(page[0]), write(self, *page))
    )
    pooled = build_site(make_content(tmp_path / "content"), tmp_path / "site")
    # Every page MkDocs makes went through a worker; author and organisation pages are
    # written after MkDocs (people.py), and 404.html by MkDocs itself.
    after_mkdocs = {people.AUTHORS_DIR, people.ORGS_DIR}
    pages = [
        p
        for p in _files(pooled)
        if p.suffix == ".html" and p.name != "404.html" and f"{p.parts[0]}/" not in after_mkdocs
    ]
    assert len(handed) == len(pages) > 100
    assert _files(pooled) == _files(sample_site)


def test_a_page_a_worker_cannot_write_is_a_located_error(tmp_path: Path):
    (tmp_path / "file").write_text("not a folder")
    writer = minify.PageWriter(1)
    writer.write(str(tmp_path / "ok" / "index.html"), "<p>\n  fine\n</p>")
    writer.write(str(tmp_path / "file" / "index.html"), "<p>no folder for me</p>")
    with pytest.raises(ContentError) as e:  # a full disk too: "Error: path: ...", not a traceback
        writer.finish()
    assert str(e.value) == f"{tmp_path}/file/index.html: cannot write the page: File exists"
    assert (tmp_path / "ok" / "index.html").read_text() == minify.minify("<p>\n  fine\n</p>") == "<p>fine</p>"


def test_a_killed_minify_worker_is_reported_as_lost(tmp_path: Path):
    writer = minify.PageWriter(1)
    writer._workers[0].kill()  # as the out-of-memory killer would
    writer.write(str(tmp_path / "index.html"), "<p>lost</p>")
    with pytest.raises(parallel.WorkerLost, match=r"^a minify worker \(signal 9\) died before it finished"):
        writer.finish()


def test_small_sites_are_minified_in_the_build():
    assert minify.pool_workers(minify.POOL_PAGES - 1) == 0
    cores = parallel.cores()
    assert minify.pool_workers(minify.POOL_PAGES) == (cores if cores > 1 else 0)
