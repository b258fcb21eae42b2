"""The open dataset: papers.json and tags.json follow their published JSON Schemas."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

from generator.build import static_assets
from generator.dataset import PAPERS_SCHEMA, TAGS_SCHEMA, render_dataset
from generator.model import Archive
from tests.conftest import ROOT, require_shared_data
from tests.test_bibtex import SETTINGS
from tests.test_feeds import SAMPLE_DIGESTS, archive_of

SCHEMA_DIR = ROOT / "site_templates" / "assets" / "schema"


def validator(name: str) -> jsonschema.protocols.Validator:
    schema = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def validate(files: dict[str, str]) -> tuple[dict, dict]:
    papers, tags = json.loads(files["papers.json"]), json.loads(files["tags.json"])
    validator("papers.schema.json").validate(papers)
    validator("tags.schema.json").validate(tags)
    return papers, tags


@pytest.fixture(scope="module")
def sample_archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    return archive_of(tmp_path_factory.mktemp("dataset"), SAMPLE_DIGESTS)


def test_sample_dataset_follows_the_schemas(sample_archive: Archive) -> None:
    papers, tags = validate(render_dataset(sample_archive, SETTINGS))
    assert [p["uri"] for p in papers["papers"]] == [p.uri for p in sample_archive.papers]
    assert (
        papers["$schema"] == SETTINGS.site_url + PAPERS_SCHEMA
        and tags["$schema"] == SETTINGS.site_url + TAGS_SCHEMA
    )
    assert [t["slug"] for t in tags["tags"]] == [t.slug for t in sample_archive.tags]
    counts = {t["slug"]: t["count"] for t in tags["tags"]}
    assert counts == {
        t.slug: sum(t.slug in p.tags for p in sample_archive.papers) for t in sample_archive.tags
    }
    known = set(counts)
    assert all(set(p["tags"]) <= known for p in papers["papers"])


def test_a_paper_record_carries_its_links_and_days(sample_archive: Archive) -> None:
    papers, _ = validate(render_dataset(sample_archive, SETTINGS))
    paper = next(p for p in sample_archive.papers if p.arxiv_id and p.github_repo)
    data = next(p for p in papers["papers"] if p["uri"] == paper.uri)
    assert data["url"] == SETTINGS.site_url + paper.uri
    assert data["links"]["arxiv"] == f"https://arxiv.org/abs/{paper.arxiv_id}"
    assert data["links"]["code"] == paper.github_repo
    assert data["featured_on"] == [d.isoformat() for d in paper.featured_on]
    assert data["title"] == paper.title and data["abstract"] == paper.abstract


def test_dataset_is_compact_and_deterministic(tmp_path: Path, sample_archive: Archive) -> None:
    files = render_dataset(sample_archive, SETTINGS)
    assert files == render_dataset(archive_of(tmp_path, SAMPLE_DIGESTS), SETTINGS)
    text = files["papers.json"].decode()
    assert text.count("\n") == 1 and ', "' not in text[:2000]
    assert text == stdlib_dump(json.loads(text))


def stdlib_dump(value: object) -> str:
    """The format of both files, as the standard library writes it."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def test_an_integer_over_64_bits_is_written_as_the_standard_library_writes_it(
    sample_archive: Archive,
) -> None:
    paper = replace(sample_archive.papers[0], upvotes=2**70)
    archive = replace(sample_archive, papers=(paper, *sample_archive.papers[1:]))
    text = render_dataset(archive, SETTINGS)["papers.json"].decode()
    assert f'"upvotes":{2**70}' in text and text == stdlib_dump(json.loads(text))


def test_dataset_without_a_site_url_uses_relative_addresses(sample_archive: Archive) -> None:
    papers, tags = validate(render_dataset(sample_archive, replace(SETTINGS, site_url="")))
    assert papers["papers"][0]["url"] == sample_archive.papers[0].uri
    assert tags["tags"][0]["feed"] == f"tags/{sample_archive.tags[0].slug}/feed.xml"


def test_schemas_are_published_with_the_site() -> None:
    assets = static_assets()
    for name in (PAPERS_SCHEMA, TAGS_SCHEMA):
        assert json.loads(assets[name]) == json.loads(
            (SCHEMA_DIR / Path(name).name).read_text(encoding="utf-8")
        )


@pytest.mark.slow
def test_dataset_of_all_shared_data_follows_the_schemas(tmp_path: Path) -> None:
    archive = archive_of(tmp_path, sorted(require_shared_data().glob("*.json")))
    files = render_dataset(archive, SETTINGS)
    papers, tags = validate(files)
    assert {name: text.decode() for name, text in files.items()} == {
        "papers.json": stdlib_dump(papers),
        "tags.json": stdlib_dump(tags),
    }
    assert len(papers["papers"]) == len(archive.papers) > 5000
    assert sum(1 for p in papers["papers"] if "code" in p["links"]) > 1000
    assert len(tags["tags"]) == len(archive.tags)
