"""Permanent URLs: adding, removing, reordering or back-filling digests never moves a paper."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.archive import build_archive
from generator.errors import ContentErrors
from generator.permalinks import parse_lock, render_lock, title_slug
from generator.text import _NON_WORD, title_key
from tests.conftest import build_site, make_content, require_shared_data
from tests.helpers import api_item, digest, record, write_api_digest, write_text_digest


def uris(archive) -> dict[str, str]:
    return {p.title: p.uri for p in archive.papers}


def publish(digests, lock):
    """Build and return (title -> uri, every uri reachable, new lock), like a real build."""
    archive, new_lock = build_archive(digests, lock)
    reachable = {p.uri for p in archive.papers} | {a for p in archive.papers for a in p.aliases}
    return uris(archive), reachable, new_lock


@given(st.text(st.characters(max_codepoint=127)))
def test_title_key_of_ascii_text_is_the_regex_one(title):
    # ASCII titles take a bytes table; it must fold exactly as the general path does.
    assert title_key(title) == _NON_WORD.sub(" ", title.casefold()).strip()


def test_slug_is_readable():
    assert (
        title_slug("Reasoning Models Can Be Effective Without Thinking")
        == "reasoning-models-can-be-effective-without-thinking"
    )
    assert title_slug("???") == "paper-a03b221c"  # nothing to spell: a hash of the title
    assert title_slug("🚀🔥🤖") == "paper-ce18187f"


LONG = "Retrieval Augmented Generation With Many Small Experts That Route Tokens Across Devices"


def test_clashing_slugs_keep_first_published_paper_on_plain_slug():
    # Different titles whose slugs agree: slugs stop at 80 characters, on a word.
    first = digest("2025-01-02", record(LONG + ": Part One", "a"), fmt="hf-text")
    other = digest("2025-01-03", record(LONG + ": Part Two", "b"), fmt="hf-text")
    slug = title_slug(LONG + ": Part One")
    assert slug == title_slug(LONG + ": Part Two")
    _, _, lock = publish([first], {})
    titles, _, lock = publish([first, other], lock)
    assert titles == {LONG + ": Part One": f"papers/{slug}/", LONG + ": Part Two": f"papers/{slug}-2/"}


def test_backfilled_older_digest_does_not_take_a_published_slug():
    new = digest("2025-03-01", record(LONG + ": Part One", "new"), fmt="hf-text")
    titles, _, lock = publish([new], {})
    slug = title_slug(LONG)
    assert titles[LONG + ": Part One"] == f"papers/{slug}/"
    old = digest("2025-01-01", record(LONG + ": Part Two", "an older paper, added later"), fmt="hf-text")
    titles2, _, _ = publish([old, new], lock)
    assert titles2 == {LONG + ": Part One": f"papers/{slug}/", LONG + ": Part Two": f"papers/{slug}-2/"}
    # without the lock the older paper would have won the plain slug: the lock is what keeps it
    assert publish([old, new], {})[0][LONG + ": Part Two"] == f"papers/{slug}/"


def test_same_title_in_other_case_and_punctuation_is_the_same_paper():
    a = digest("2025-01-02", record("Flow Matching!", "a"), fmt="hf-text")
    b = digest("2025-01-03", record("flow-matching", "b"), fmt="hf-text")
    titles, _, _ = publish([a, b], {})
    assert list(titles.values()) == ["papers/flow-matching/"]


def test_text_paper_gaining_an_arxiv_id_keeps_its_old_url_as_alias():
    text = digest("2025-01-02", record("Tiny Recursive Models", "text copy"), fmt="hf-text")
    _, _, lock = publish([text], {})
    assert "papers/tiny-recursive-models/" in lock
    api = digest("2025-01-09", record("Tiny Recursive Models", "from the API", "2510.04871"))
    archive, lock2 = build_archive([text, api], lock)
    (paper,) = archive.papers
    assert paper.uri == "papers/2510.04871/"
    assert paper.aliases == ("papers/tiny-recursive-models/",)
    assert set(lock) <= set(lock2)


def test_removing_and_reordering_digests_changes_no_url():
    days = [
        digest("2025-01-02", record(LONG + ": Part One", "x"), record("Shared Title", "y"), fmt="hf-text"),
        digest("2025-01-03", record(LONG + ": Part Two", "z"), record("Shared title", "y"), fmt="hf-text"),
    ]
    titles, _, lock = publish(days, {})
    assert publish(list(reversed(days)), lock)[0] == titles
    # drop the first day: the clash winner disappears, but nobody else takes its URL
    assert publish(days[1:], lock)[0] == {
        LONG + ": Part Two": titles[LONG + ": Part Two"],
        "Shared title": titles["Shared Title"],
    }
    # and when it comes back, it gets its own URL again
    assert publish(days, lock)[0] == titles


def test_lock_round_trips_and_reports_bad_lines(tmp_path: Path):
    lock = {"papers/2501.00001/": "arxiv:2501.00001", "papers/a-b/": "title:a b"}
    assert parse_lock(tmp_path / "l", render_lock(lock)) == lock
    with pytest.raises(ContentErrors) as e:
        parse_lock(Path("content/permalinks.lock"), "# c\npapers/x/\ttitle:x\nnot a line\n")
    assert [str(x) for x in e.value.errors] == [
        "content/permalinks.lock:3: expected 'papers/<name>/<TAB>arxiv:<id>' or '...<TAB>title:<title>'"
    ]


@pytest.mark.slow
def test_published_urls_survive_adding_digests_before_and_after(tmp_path: Path):
    """The whole pipeline: build, add older and newer digests, rebuild; every old URL still answers."""
    data = require_shared_data()
    days = sorted(data.glob("2025-0[3-4]-*.json"))[:6]
    content = make_content(tmp_path / "content", days[2:4])
    digests = content / "digests"
    write_text_digest(
        digests,
        "2025-03-08",
        [
            ("A Text-Only Paper About Flow Matching", "Copied from the page. " * 8),
            ("Another Text Paper on Agents", "Also copied. " * 8),
        ],
    )
    site = build_site(content, tmp_path / "site1")
    before = {p.relative_to(site).as_posix() for p in site.glob("papers/*/index.html")}
    lock_before = (content / "permalinks.lock").read_text()
    for path in days[:2] + days[4:]:  # back-fill two older days, add two newer ones
        (digests / path.name).write_bytes(path.read_bytes())
    item = api_item(
        "2503.99999", "A text-only paper about flow matching", "The API's abstract, now with an id."
    )
    write_api_digest(digests, "2025-04-30", [item])
    site2 = build_site(content, tmp_path / "site2")
    after = {p.relative_to(site2).as_posix() for p in site2.glob("papers/*/index.html")}
    assert before <= after
    assert (content / "permalinks.lock").read_text().startswith(lock_before.split("papers/")[0])
    assert set(lock_before.splitlines()) <= set((content / "permalinks.lock").read_text().splitlines())
    moved = site2 / "papers" / "a-text-only-paper-about-flow-matching" / "index.html"
    assert "url=../2503.99999/" in moved.read_text()
    assert (site2 / "papers" / "2503.99999" / "index.html").exists()
    # rebuilding the same content gives the same URLs and the same lock
    lock_after = (content / "permalinks.lock").read_text()
    site3 = build_site(content, tmp_path / "site3")
    assert {p.relative_to(site3).as_posix() for p in site3.glob("papers/*/index.html")} == after
    assert (content / "permalinks.lock").read_text() == lock_after
    assert json.dumps(sorted(after))  # keeps the list printable on failure


ROCKET = digest(
    "2025-12-25", record("🚀🔥🤖", "Rockets, fire and robots.", authors=("Ann Lee",)), fmt="hf-text"
)
QUESTIONS = digest(
    "2025-12-26", record("???", "Questions without answers.", authors=("Bo Chen",)), fmt="hf-text"
)


def test_titles_without_letters_are_different_papers_with_their_own_urls():
    archive, lock = build_archive([ROCKET, QUESTIONS], {})
    by_title = {p.title: p for p in archive.papers}
    assert sorted(by_title) == ["???", "🚀🔥🤖"]
    assert by_title["🚀🔥🤖"].abstract == "Rockets, fire and robots."
    assert by_title["🚀🔥🤖"].authors == ("Ann Lee",)
    assert by_title["???"].authors == ("Bo Chen",)
    assert uris(archive) == {"🚀🔥🤖": "papers/paper-ce18187f/", "???": "papers/paper-a03b221c/"}
    # stable: rebuilding, reordering or building one alone changes no URL and no lock line
    assert publish(list(reversed([ROCKET, QUESTIONS])), lock)[0] == uris(archive)
    assert publish([QUESTIONS], {})[0] == {"???": "papers/paper-a03b221c/"}
    assert build_archive([ROCKET, QUESTIONS], lock)[1] == lock


def test_same_letterless_title_and_abstract_on_two_days_is_one_paper():
    again = digest("2025-12-27", record("???", "Questions without answers."), fmt="hf-text")
    archive, _ = build_archive([QUESTIONS, again], {})
    (paper,) = archive.papers
    assert len(paper.featured_on) == 2


def test_same_letterless_title_with_another_abstract_is_another_paper():
    other = digest("2025-12-27", record("???", "A different abstract."), fmt="hf-text")
    titles = [p.uri for p in build_archive([QUESTIONS, other], {})[0].papers]
    assert sorted(titles) == ["papers/paper-a03b221c-2/", "papers/paper-a03b221c/"]


def test_url_locked_when_letterless_titles_shared_one_paper_still_resolves():
    # Before they had keys of their own, both papers were one at papers/paper/.
    lock = {"papers/paper/": "title:"}
    archive, new_lock = build_archive([ROCKET, QUESTIONS], lock)
    by_title = {p.title: p for p in archive.papers}
    assert by_title["🚀🔥🤖"].aliases == ("papers/paper/",)  # the oldest claims it
    assert by_title["???"].aliases == ()
    assert new_lock["papers/paper/"] == "title:"
    assert build_archive([ROCKET, QUESTIONS], new_lock)[0] == archive
