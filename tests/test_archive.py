"""Merging digests into one archive: dedupe, dates, the richer record wins."""

from __future__ import annotations

import gc
from datetime import date
from pathlib import Path

import pytest

from generator.archive import build_archive, group_records, merge_group
from generator.errors import ContentErrors
from generator.model import collector_paused
from generator.readers import read_digest
from generator.text import title_key
from tests.conftest import SEED, require_shared_data
from tests.helpers import digest, record


def test_merge_same_arxiv_id_is_one_paper_with_every_day():
    a = digest("2025-01-02", record("Alpha", "Short.", "2501.00001"))
    b = digest("2025-01-09", record("Alpha: revised title", "A longer abstract.", "2501.00001"))
    archive, _ = build_archive([b, a], {})
    assert len(archive.papers) == 1
    paper = archive.papers[0]
    assert paper.featured_on == (date(2025, 1, 2), date(2025, 1, 9))
    assert paper.day == date(2025, 1, 2)
    assert paper.uri == "papers/2501.00001/"


def test_merge_same_title_after_normalising_case_space_and_punctuation():
    a = digest(
        "2025-01-02",
        record("Diffusion  Models: A Survey!", fmt_abstract := "Text copy abstract."),
        fmt="hf-text",
    )
    b = digest(
        "2025-01-03",
        record(
            "diffusion models - a survey",
            "JSON abstract, longer than the other.",
            "2501.00002",
            authors=("Ada Lovelace",),
        ),
    )
    archive, _ = build_archive([a, b], {})
    assert len(archive.papers) == 1
    paper = archive.papers[0]
    assert paper.arxiv_id == "2501.00002"
    # the JSON record has more fields: it is the richer one and wins title and abstract
    assert paper.title == "diffusion models - a survey"
    assert paper.abstract == "JSON abstract, longer than the other."
    assert paper.authors == ("Ada Lovelace",)
    assert fmt_abstract != paper.abstract


def test_merge_same_title_different_arxiv_ids_stay_apart():
    a = digest("2025-01-02", record("Scaling Laws", "One.", "2501.00003"))
    b = digest("2025-01-03", record("Scaling Laws", "Two.", "2501.00004"))
    archive, _ = build_archive([a, b], {})
    assert sorted(p.arxiv_id for p in archive.papers) == ["2501.00003", "2501.00004"]


def test_merge_choice_is_independent_of_digest_order():
    a = digest("2025-01-02", record("Gamma", "Abstract A, long enough.", "2501.00005", upvotes=3))
    b = digest("2025-01-05", record("Gamma", "Abstract B, longer than A by far.", "2501.00005", upvotes=9))
    assert build_archive([a, b], {}) == build_archive([b, a], {})
    paper = build_archive([a, b], {})[0].papers[0]
    assert paper.abstract == "Abstract B, longer than A by far."
    assert paper.upvotes == 9


def test_day_lists_keep_source_order():
    d = digest("2025-01-02", record("Zeta", "z", "2501.00010"), record("Alpha", "a", "2501.00011"))
    archive, _ = build_archive([d], {})
    assert archive.days[date(2025, 1, 2)] == ("papers/2501.00010/", "papers/2501.00011/")


def test_papers_are_newest_first():
    archive, _ = build_archive(
        [
            digest("2025-01-02", record("Old", "o", "2501.00020")),
            digest("2025-02-02", record("New", "n", "2502.00021")),
        ],
        {},
    )
    assert [p.title for p in archive.papers] == ["New", "Old"]


def test_two_digests_for_one_day_is_an_error():
    a = digest("2025-01-02", record("A", "a"), fmt="hf-text")
    b = digest("2025-01-02", record("B", "b"))
    with pytest.raises(ContentErrors) as e:
        build_archive([a, b], {})
    assert [str(x) for x in e.value.errors] == [
        "content/digests/2025-01-02.txt:1: a second digest for 2025-01-02 (the first is "
        "content/digests/2025-01-02.json): keep one file per day"
    ]


def test_same_paper_twice_in_one_digest_is_an_error():
    d = digest(
        "2025-01-02", record("A", "a", "2501.00030"), record("Other", "o"), record("A", "a", "2501.00030")
    )
    with pytest.raises(ContentErrors, match="the same paper is listed twice in this digest"):
        build_archive([d], {})


def test_merge_a_later_record_joins_two_papers_of_one_day():
    # Alpha (no id) and Beta (an id) are two papers on Jan 2, until a record titled Alpha
    # with Beta's id shows them to be one.
    a = digest("2025-01-02", record("Alpha", "a"), record("Beta", "b", "2501.00040"))
    b = digest("2025-01-09", record("Alpha", "A longer abstract.", "2501.00040"))
    archive, lock = build_archive([a, b], {})
    [paper] = archive.papers
    assert (paper.title, paper.abstract, paper.uri) == ("Alpha", "A longer abstract.", "papers/2501.00040/")
    assert paper.featured_on == (date(2025, 1, 2), date(2025, 1, 9))
    assert archive.days == {date(2025, 1, 2): (paper.uri,), date(2025, 1, 9): (paper.uri,)}
    assert lock == {"papers/2501.00040/": "arxiv:2501.00040"}


def test_building_records_pauses_the_collector_and_restores_it():
    assert gc.isenabled()
    with pytest.raises(ValueError), collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            pass
        assert not gc.isenabled()  # the inner pause does not end the outer one
        raise ValueError
    assert gc.isenabled()


@pytest.mark.slow
def test_seed_and_shared_json_days_share_nine_papers():
    data = require_shared_data()
    seed = read_digest_as(SEED, "2025-07-29.txt")
    days = [read_digest(p) for p in sorted(data.glob("*.json")) if p.stem != "2025-07-29"]
    archive, _ = build_archive([seed, *days], {})
    merged = [p for p in archive.papers if date(2025, 7, 29) in p.featured_on and len(p.featured_on) > 1]
    assert len(merged) == 9
    assert all(p.arxiv_id for p in merged)
    seed_titles = len(seed.records)
    assert len(archive.papers) == seed_titles + sum(len(d.records) for d in days) - 9


def read_digest_as(path: Path, name: str):
    from generator.readers import parse_digest

    return parse_digest(Path("content/digests") / name, path.read_bytes())


@pytest.mark.slow
def test_shared_papers_keep_their_identities_and_urls():
    """Letterless titles got keys of their own; every real paper keeps the one it had."""
    data = require_shared_data()
    digests = [read_digest(p) for p in sorted(data.glob("*.json"))]
    groups = group_records(digests)
    assert len(groups) == 5841
    for group in groups:
        _, identity = merge_group(group)
        by_day = sorted(group.records, key=lambda dr: dr[0])
        assert identity.title_keys == tuple(dict.fromkeys(title_key(r.title) for _, r, _ in by_day))
        assert identity.legacy_title_keys == ()
    archive, lock = build_archive(digests, {})
    assert all(p.uri == f"papers/{p.arxiv_id}/" and not p.aliases for p in archive.papers)
    assert lock == {p.uri: f"arxiv:{p.arxiv_id}" for p in archive.papers}
