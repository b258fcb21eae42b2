"""Authors and organisations: who gets a page, at an address derived from the name alone."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from generator.archive import build_archive
from generator.config import load_settings
from generator.people import build_people, person_key, person_slug, search_uri
from generator.people_pages import FEED_ENTRIES, render_person_feed, render_person_page
from tests.conftest import ROOT
from tests.helpers import digest, record

SETTINGS = replace(load_settings(ROOT / "mkdocs.yml"), site_url="https://example.org/archive/")
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Ada Lovelace", "ada-lovelace"),
        ("  ada   LOVELACE ", "ada-lovelace"),  # case and spacing: one person
        ("José García", "jose-garcia-" + person_slug(person_key("José García"))[-8:]),
        ("Jean-Pierre Dupont", "jean-pierre-dupont-" + person_slug(person_key("Jean-Pierre Dupont"))[-8:]),
        ("王小明", person_slug(person_key("王小明"))),
    ],
)
def test_person_slug_is_readable_and_from_the_name_alone(name: str, slug: str) -> None:
    assert person_slug(person_key(name)) == slug


def test_person_slugs_of_different_names_differ() -> None:
    names = [
        "Jose Garcia",
        "José García",
        "Jose-Garcia",
        "jose garcia.",
        "Li Wei",
        "Li-Wei",
        "王小明",
        "王小朋",
    ]
    slugs = {person_slug(person_key(n)) for n in names}
    assert len(slugs) == len({person_key(n) for n in names}) == len(names)
    assert person_slug(person_key("王小明")) != person_slug(person_key("王小朋"))


def _archive(*days):
    archive, _ = build_archive(list(days), {})
    return archive


def test_authors_of_two_papers_get_a_page_and_others_a_search() -> None:
    archive = _archive(
        digest("2025-07-28", record("First", arxiv_id="2507.00001", authors=("Ada Lovelace", "Solo Author"))),
        digest(
            "2025-07-29",
            record("Second", arxiv_id="2507.00002", authors=("ada lovelace",), organization="Lab"),
        ),
    )
    people = build_people(archive, 2)
    assert people.author_uri("Ada Lovelace") == people.author_uri("ADA LOVELACE") == "authors/ada-lovelace/"
    assert people.author_uri("Solo Author") is None
    assert search_uri("Solo Author") == "search/?q=%22Solo%20Author%22"
    ada = people.authors[person_key("Ada Lovelace")]
    assert [p.title for p in ada.papers] == ["Second", "First"]  # newest first
    assert ada.name == "Ada Lovelace"  # as most papers spell it; ties: the first in sort order
    assert people.org_uri("Lab") == "orgs/lab/"  # every organisation, from its first paper


def test_a_page_grows_but_never_moves() -> None:
    first = digest("2025-07-28", record("First", arxiv_id="2507.00001", authors=("Ada Lovelace",)))
    second = digest("2025-07-29", record("Second", arxiv_id="2507.00002", authors=("Ada Lovelace",)))
    third = digest("2025-07-30", record("Third", arxiv_id="2507.00003", authors=("Ada Lovelace",)))
    before = build_people(_archive(first, second), 2).author_uri("Ada Lovelace")
    after = build_people(_archive(first, second, third), 2).author_uri("Ada Lovelace")
    assert before == after == "authors/ada-lovelace/"


def test_person_page_escapes_and_lists_by_year_and_the_feed_is_atom() -> None:
    days = [
        digest(f"2025-0{m}-01", record(f"Paper <{m}>", arxiv_id=f"250{m}.0000{m}", authors=("A <b>&</b>",)))
        for m in range(1, 8)
    ]
    days.append(digest("2024-12-02", record("Old", arxiv_id="2412.00001", authors=("A <b>&</b>",))))
    person = next(iter(build_people(_archive(*days), 2).authors.values()))
    page = render_person_page(person, "author", SETTINGS)
    assert "<h1>A &lt;b&gt;&amp;&lt;/b&gt;</h1>" in page and "<b>" not in page
    assert page.index("<h2>2025</h2>") < page.index(
        '<li><a href="../../papers/2507.00007/">Paper &lt;7&gt;</a>'
    )
    assert page.index("<h2>2024</h2>") < page.index('<li><a href="../../papers/2412.00001/">Old</a>')
    assert "Content-Security-Policy" in page
    feed = ET.fromstring(render_person_feed(person, SETTINGS))
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == min(FEED_ENTRIES, 8)
    assert entries[0].find(f"{ATOM}title").text == "Paper <7>"
    assert entries[0].find(f"{ATOM}link").get("href") == "https://example.org/archive/papers/2507.00007/"
    assert feed.find(f"{ATOM}id").text == f"https://example.org/archive/{person.uri}feed.xml"
