"""Pages carried over from the previous site (generator/carry.py): a build that carries
gives the same bytes as a full build of the same content, whatever changed between."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import carry
from generator.cli import main
from generator.search import build_search_index
from tests.conftest import ROOT, build_args, make_content, sample_digests, write_config
from tests.test_build import tree_digest

pytestmark = pytest.mark.slow


def _config(folder: Path, overrides: Path) -> Path:
    config = write_config(folder)
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace(f"custom_dir: {ROOT}/site_templates/overrides", f"custom_dir: {overrides}"),
        encoding="utf-8",
    )
    return config


def test_carried_build_equals_a_full_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    digests = sorted(sample_digests())
    content = make_content(tmp_path / "content", digests[:-2])
    overrides = tmp_path / "overrides"
    shutil.copytree(ROOT / "site_templates" / "overrides", overrides)
    daily = build_args(content, _config(tmp_path / "daily", overrides), tmp_path / "daily" / "site")
    full = [*build_args(content, _config(tmp_path / "full", overrides), tmp_path / "full" / "site"), "--full"]
    carried: list[int] = []  # pages carried, build by build
    shards: list[list[int]] = []  # search shards carried
    carry_pages = carry.carry_pages

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        run = carry_pages(*args, **kwargs)
        carried.append(len(run.carried))
        return run

    class CountingShards(carry.ShardCarrier):
        def record(self, pages):  # type: ignore[no-untyped-def]
            shards.append(self.carried)
            return super().record(pages)

    monkeypatch.setattr(carry, "carry_pages", counting)
    monkeypatch.setattr(carry, "ShardCarrier", CountingShards)
    # Shards of 40 pages: the sample's 147 papers in 4, of which a new day changes the newest.
    shard_pages, resplit, reuse = build_search_index.__defaults__  # type: ignore[misc]
    monkeypatch.setattr(build_search_index, "__defaults__", (40, resplit, reuse))

    assert main(daily) == 0
    for digest in digests[-2:]:  # two more days, one build each
        shutil.copy(digest, content / "digests" / digest.name)
        assert main(daily) == 0
    assert carried[0] == 0 and carried[1] > 0 and carried[2] > 0, carried
    assert main(daily) == 0  # nothing changed: every page and every shard carried
    assert carried[-1] > carried[-2] and shards[-1] == [0, 1, 2, 3], (carried, shards)
    bundle = tmp_path / "daily" / "site" / "pagefind"  # shards 0 and 2 of the site spoilt
    for entry in (bundle / "pagefind-entry.json", bundle / "shard-2" / "pagefind-entry.json"):
        entry.write_text(entry.read_text(encoding="utf-8") + " ", encoding="utf-8")
    assert main(daily) == 0
    assert shards[-1] == [1, 3], shards  # the spoilt ones indexed again
    assert main(full) == 0  # the first full build: the content of the last daily build
    assert tree_digest(tmp_path / "daily" / "site") == tree_digest(tmp_path / "full" / "site")

    main_html = overrides / "main.html"  # the chrome of every page: nothing may be carried
    main_html.write_text(
        main_html.read_text(encoding="utf-8").replace(
            "{% block extrahead %}", '{% block extrahead %}<meta name="pa-test" content="edited">', 1
        ),
        encoding="utf-8",
    )
    assert main(daily) == 0
    assert carried[-1] == 0 and shards[-1] == []
    taxonomy = content / "taxonomy.yml"  # tags renamed: their pages and their papers' pages
    text = taxonomy.read_text(encoding="utf-8")
    name = next(line for line in text.splitlines() if line.startswith("  name: "))
    taxonomy.write_text(text.replace(name, name + " (renamed)", 1), encoding="utf-8")
    assert main(daily) == 0
    assert carried[-1] > 0
    shutil.rmtree(tmp_path / "full" / "site")
    assert main(full) == 0
    after = tree_digest(tmp_path / "daily" / "site")
    assert after == tree_digest(tmp_path / "full" / "site")
    assert any(
        "pa-test" in p.read_text(encoding="utf-8")
        for p in (tmp_path / "daily" / "site" / "papers").rglob("*.html")
    )


def test_a_tampered_previous_page_is_built_again(tmp_path: Path) -> None:
    """The manifest says what the previous site held; a file that no longer holds it is
    never carried."""
    content = make_content(tmp_path / "content", sorted(sample_digests())[:2])
    overrides = tmp_path / "overrides"
    shutil.copytree(ROOT / "site_templates" / "overrides", overrides)
    args = build_args(content, _config(tmp_path / "daily", overrides), tmp_path / "daily" / "site")
    assert main(args) == 0
    page = next((tmp_path / "daily" / "site" / "papers").glob("*/index.html"))
    good = page.read_bytes()
    page.write_bytes(good.replace(b"</body>", b"stale</body>"))
    assert main(args) == 0
    assert page.read_bytes() == good


def test_a_shard_is_keyed_by_what_search_reads_of_its_pages() -> None:
    """Where a link points and the related papers (data-pagefind-ignore) never reach a
    search entry; any text does."""
    page = (
        b'<article data-pagefind-body><h1 id=x>Title</h1><p class=pa-authors><a href="../../search/?q=%22A%22">A</a>'
        b"</p><nav aria-labelledby=pa-related class=pa-related data-pagefind-ignore><p id=pa-related>Related papers"
        b"</p><ul><li><a href=../b/>Paper B</a></li></ul></nav></article>"
    )
    relinked = page.replace(b'href="../../search/?q=%22A%22"', b"href=../../authors/a/")
    related = page.replace(b"<a href=../b/>Paper B</a>", b"<a href=../c/>Paper C</a>")
    assert carry.indexed_hash(page) == carry.indexed_hash(relinked) == carry.indexed_hash(related)
    assert carry.indexed_hash(page) != carry.indexed_hash(page.replace(b">A</a>", b">B</a>"))
    assert carry.indexed_hash(page) != carry.indexed_hash(page.replace(b"id=x", b"id=y"))
