"""The pages and feeds of authors and organisations: ``People`` -> ``{site path: bytes}``.

Each author or organisation with a page (``people.py``) gets ``<uri>index.html``, their
papers' titles newest first under year headings, and ``<uri>feed.xml``, an Atom feed of
their latest ``FEED_ENTRIES`` papers. There are tens of thousands of them in a large
archive, so they are compact and written straight into the built site, after MkDocs:
no Material chrome (about 6 KB a page), no summaries in the feed, no Jinja. Every
string from a digest is escaped here. Pure functions; ``build.py`` writes the result.
"""

from __future__ import annotations

from collections.abc import Iterator
from html import escape

from generator.config import Settings
from generator.csp import CONTENT_SECURITY_POLICY
from generator.feeds import entry_id, feed_id, feed_link, timestamp
from generator.mathtext import plain_text
from generator.people import People, Person
from generator.urls import FEED, relative_url

FEED_ENTRIES = 5  # a feed reader keeps what it has seen: the latest papers are enough
STYLESHEET = "assets/people/people.css"


def render_person_page(person: Person, kind: str, settings: Settings) -> str:
    """``kind``: "author" or "organisation", as the page says it."""
    name = escape(person.name)
    root = relative_url(person.uri, "")
    count = len(person.papers)
    lines = [
        "<!doctype html>",
        '<html lang="en">',
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">',  # every page's
        f"<title>{name} · {escape(settings.site_name)}</title>",
        f'<meta name="description" content="Papers of {name}, {kind}, in {escape(settings.site_name)}">',
        f'<link rel="icon" href="{root}assets/images/favicon.png">',  # not the server root's
        f'<link rel="stylesheet" href="{root}{STYLESHEET}">',
        f'<link rel="alternate feed" type="application/atom+xml" title="{name}" href="{FEED}">',
        f'<header><a href="{root or "./"}">{escape(settings.site_name)}</a> <a href="{root}search/">Search</a>'
        f' <a href="{root}mylist/">My list</a></header>',
        "<main>",
        f"<h1>{name}</h1>",
        f"<p>{count:,} {'paper' if count == 1 else 'papers'} of this {kind} in the archive, newest first."
        f' <a href="{FEED}" type="application/atom+xml">Atom feed</a></p>',
    ]
    year = None
    for paper in person.papers:
        if paper.day.year != year:
            if year is not None:
                lines.append("</ol>")
            year = paper.day.year
            lines.append(f"<h2>{year}</h2>")
            lines.append("<ol>")
        lines.append(f'<li><a href="{root}{paper.uri}">{escape(paper.title)}</a>')
    if year is not None:
        lines.append("</ol>")
    lines.append("</main>")
    return "\n".join(lines) + "\n"


def _xml(text: str) -> str:
    return escape(text, quote=True)


def render_person_feed(person: Person, settings: Settings) -> str:
    """Atom 1.0: the latest papers' titles, links and days, ids as in every other feed
    (``feeds.entry_id``). Written by hand: feedgen builds an lxml tree per feed, too slow
    for tens of thousands of them."""
    uri = person.uri + FEED
    title = _xml(f"{person.name} · {settings.site_name}")
    latest = person.papers[:FEED_ENTRIES]
    lines = [
        "<?xml version='1.0' encoding='UTF-8'?>",
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">',
        f"<id>{_xml(feed_id(settings, uri))}</id>",
        f"<title>{title}</title>",
        f"<updated>{timestamp(latest[0].day).isoformat()}</updated>" if latest else "",
        f"<author><name>{_xml(settings.site_name)}</name></author>",
        f'<link href="{_xml(feed_link(settings, uri, person.uri))}" rel="alternate" type="text/html"/>',
    ]
    if settings.site_url:
        lines.append(f'<link href="{_xml(settings.site_url + uri)}" rel="self" type="application/atom+xml"/>')
    for paper in latest:
        lines.append(
            f"<entry><id>{_xml(entry_id(settings, paper))}</id>"
            f"<title>{_xml(plain_text(paper.title))}</title>"
            f'<link href="{_xml(feed_link(settings, uri, paper.uri))}" rel="alternate"/>'
            f"<updated>{timestamp(paper.day).isoformat()}</updated></entry>"
        )
    lines.append("</feed>")
    return "\n".join(line for line in lines if line) + "\n"


def render_people(people: People, settings: Settings) -> Iterator[tuple[str, str]]:
    """``(site path, text)`` of every author's and organisation's page and feed."""
    for kind, group in (("author", people.authors), ("organisation", people.orgs)):
        for person in group.values():
            yield person.uri + "index.html", render_person_page(person, kind, settings)
            yield person.uri + FEED, render_person_feed(person, settings)
