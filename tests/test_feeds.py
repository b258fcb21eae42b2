"""Atom feeds: valid, stable ids, deterministic bytes, absolute links (relative without a site URL)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import feedparser
import pytest

from generator.archive import build_archive
from generator.build import merge_content
from generator.content import read_content
from generator.feeds import render_feeds
from generator.model import Archive, Tag
from tests.conftest import make_content, sample_digests
from tests.helpers import digest, record
from tests.test_bibtex import SETTINGS

SAMPLE_DIGESTS = sample_digests()


def archive_of(tmp_path: Path, digests: list[Path]) -> Archive:
    archive, _ = merge_content(read_content(make_content(tmp_path / "content", digests)))
    return archive


@pytest.fixture(scope="module")
def sample_archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    return archive_of(tmp_path_factory.mktemp("feeds"), SAMPLE_DIGESTS)


def parse(data: bytes):
    feed = feedparser.parse(data)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_archive_feed_is_valid_atom_with_the_latest_papers(sample_archive: Archive) -> None:
    feed = parse(render_feeds(sample_archive, SETTINGS)["feed.xml"])
    assert len(sample_archive.papers) > SETTINGS.feed_size
    assert len(feed.entries) == SETTINGS.feed_size
    first = sample_archive.papers[0]
    entry = feed.entries[0]
    assert entry.id == SETTINGS.site_url + first.uri
    assert entry.link == SETTINGS.site_url + first.uri
    assert entry.updated == f"{first.day.isoformat()}T00:00:00+00:00"
    assert feed.feed.updated == f"{max(sample_archive.days).isoformat()}T00:00:00+00:00"
    assert [e.id for e in feed.entries] == [SETTINGS.site_url + p.uri for p in sample_archive.papers[:50]]
    assert {link.rel: link.href for link in feed.feed.links} == {
        "alternate": SETTINGS.site_url,
        "self": SETTINGS.site_url + "feed.xml",
    }


@pytest.mark.slow
def test_every_tag_has_a_valid_feed_of_its_papers(sample_archive: Archive) -> None:
    feeds = render_feeds(sample_archive, SETTINGS)
    assert sorted(feeds) == sorted(["feed.xml"] + [f"tags/{t.slug}/feed.xml" for t in sample_archive.tags])
    for tag in sample_archive.tags:
        feed = parse(feeds[f"tags/{tag.slug}/feed.xml"])
        tagged = [p for p in sample_archive.papers if tag.slug in p.tags][: SETTINGS.feed_size]
        assert [e.id for e in feed.entries] == [SETTINGS.site_url + p.uri for p in tagged]
        assert all(tag.slug in [t.term for t in e.tags] for e in feed.entries)


def test_feeds_are_byte_identical_for_the_same_content(tmp_path: Path, sample_archive: Archive) -> None:
    again = archive_of(tmp_path, SAMPLE_DIGESTS)
    assert render_feeds(again, SETTINGS) == render_feeds(sample_archive, SETTINGS)


def test_entry_ids_do_not_change_when_a_digest_is_added(tmp_path: Path) -> None:
    before = archive_of(tmp_path / "a", SAMPLE_DIGESTS[:-1])
    after = archive_of(tmp_path / "b", SAMPLE_DIGESTS)
    ids_before = {
        e.link: e.id
        for e in parse(render_feeds(before, replace(SETTINGS, feed_size=1000))["feed.xml"]).entries
    }
    ids_after = {
        e.link: e.id
        for e in parse(render_feeds(after, replace(SETTINGS, feed_size=1000))["feed.xml"]).entries
    }
    assert len(ids_after) > len(ids_before) > 0
    assert {link: ids_after[link] for link in ids_before} == ids_before


def test_without_a_site_url_links_are_relative_and_ids_still_stable(sample_archive: Archive) -> None:
    settings = replace(SETTINGS, site_url="")
    feeds = render_feeds(sample_archive, settings)
    paper = sample_archive.papers[0]
    entry = parse(feeds["feed.xml"]).entries[0]
    assert entry.link == paper.uri
    assert entry.id.startswith("urn:uuid:")
    tag = paper.tags[0]
    tag_entry = parse(feeds[f"tags/{tag}/feed.xml"]).entries[0]
    assert tag_entry.link == "../../" + paper.uri and tag_entry.id == entry.id
    assert render_feeds(sample_archive, settings) == feeds


def test_feed_text_is_plain_text_with_markup_escaped(tmp_path: Path) -> None:
    from tests.helpers import api_item, write_api_digest

    folder = tmp_path / "digests"
    folder.mkdir()
    path = write_api_digest(
        folder,
        "2025-03-03",
        [
            api_item(
                "2503.00001", "The \\textsc{Big} <script>alert(1)</script> Model", "Costs $5 & <b>more</b>."
            )
        ],
    )
    archive = archive_of(tmp_path, [path])
    data = render_feeds(archive, SETTINGS)["feed.xml"]
    assert b"<script>" not in data and b"&lt;script&gt;" in data
    entry = parse(data).entries[0]
    assert entry.title == "The Big <script>alert(1)</script> Model"
    assert entry.summary == "Costs $5 & <b>more</b>."


CORAG = "CORAG: A Cost-Constrained Retrieval Optimization System for Retrieval-Augmented Generation"


def test_entry_id_stays_when_a_text_paper_gains_an_arxiv_id() -> None:
    text = digest("2024-11-04", record(CORAG, "Copied from the page."), fmt="hf-text")
    api = digest("2024-11-05", record(CORAG, "From the API.", "2411.00744"))
    before, lock = build_archive([text], {})
    after, _ = build_archive([text, api], lock)
    old_uri = "papers/corag-a-cost-constrained-retrieval-optimization-system-for-retrieval-augmented/"
    assert before.papers[0].uri == old_uri
    assert after.papers[0].uri == "papers/2411.00744/" and after.papers[0].aliases == (old_uri,)
    (entry_before,) = parse(render_feeds(before, SETTINGS)["feed.xml"]).entries
    (entry_after,) = parse(render_feeds(after, SETTINGS)["feed.xml"]).entries
    assert entry_before.id == entry_after.id == SETTINGS.site_url + old_uri
    assert entry_after.link == SETTINGS.site_url + "papers/2411.00744/"
    # the same without a site URL: a UUID of the first address
    no_url = replace(SETTINGS, site_url="")
    ids = [parse(render_feeds(a, no_url)["feed.xml"]).entries[0].id for a in (before, after)]
    assert ids[0] == ids[1]


def test_entry_id_is_the_first_of_several_old_addresses() -> None:
    # Two titles of one paper, each published without an id; the paper lived at the
    # first in sorted order (that is how the URI of a paper without an id is chosen).
    first = digest("2024-11-04", record("Zebra Models", "Z."), fmt="hf-text")
    second = digest("2024-11-05", record("Aardvark Models", "A."), fmt="hf-text")
    joined = [
        digest("2024-11-06", record("Zebra Models", "Z.", "2411.00001")),
        digest("2024-11-07", record("Aardvark Models", "A.", "2411.00001")),
    ]
    _, lock = build_archive([first, second], {})
    with_id, _ = build_archive([first, second, *joined], lock)
    (paper,) = with_id.papers
    assert paper.aliases == ("papers/aardvark-models/", "papers/zebra-models/")
    (entry,) = parse(render_feeds(with_id, SETTINGS)["feed.xml"]).entries
    assert entry.id == SETTINGS.site_url + "papers/aardvark-models/"


def test_feed_of_a_tag_without_papers_is_dated_by_the_latest_day() -> None:
    tags = [Tag("agents", "Agents", "Agents."), Tag("empty", "Empty", "Nothing yet.")]
    days = [
        digest("2025-03-03", record("Agents One", "A.", "2503.00001")),
        digest("2025-03-05", record("Agents Two", "B.", "2503.00002")),
        digest("2025-03-07", record("Something Else", "C.", "2503.00003")),
    ]
    archive, _ = build_archive(
        days, {}, tags, lambda papers: [("agents",) if "Agents" in p.title else () for p in papers]
    )
    feeds = render_feeds(archive, SETTINGS)
    empty = parse(feeds["tags/empty/feed.xml"])
    assert empty.entries == []
    assert empty.feed.updated == "2025-03-07T00:00:00+00:00"
    assert parse(feeds["tags/agents/feed.xml"]).feed.updated == "2025-03-05T00:00:00+00:00"
