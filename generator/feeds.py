"""Atom feeds: ``feed.xml`` for the whole archive and ``tags/<slug>/feed.xml`` per tag.

Takes the ``Archive`` and ``Settings``; returns ``{docs-relative path: bytes}``.
Built with feedgen. Deterministic: an entry's id is the first URL its paper was
published at (or, without a ``site_url``, a UUID derived from it) and its dates are
featured days, so the same archive gives byte-identical feeds and adding a digest, or
a paper gaining an arXiv id, changes no id.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, time

from feedgen.feed import FeedGenerator

from generator.config import Settings
from generator.mathtext import plain_text
from generator.model import Archive, Paper
from generator.urls import FEED, relative_url, tag_uri


def timestamp(day: date) -> datetime:
    """A day as the instant feeds give it: midnight UTC."""
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


def feed_link(settings: Settings, feed_uri: str, to_uri: str) -> str:
    """Absolute from ``site_url``; otherwise relative to the feed's own folder."""
    if settings.site_url:
        return settings.site_url + to_uri
    return relative_url(feed_uri.rsplit("/", 1)[0] + "/" if "/" in feed_uri else "", to_uri)


def _id(settings: Settings, uri: str) -> str:
    if settings.site_url:
        return settings.site_url + uri
    return uuid.uuid5(uuid.NAMESPACE_URL, "paper-archive:" + uri).urn


def feed_id(settings: Settings, feed_uri: str) -> str:
    """A feed's own id: its URL, or a UUID derived from its URI without a ``site_url``."""
    return _id(settings, feed_uri)


def first_uri(paper: Paper) -> str:
    """The address the paper was first published at.

    A paper without an arXiv id lives at the first of its locked slugs (sorted), so its
    URI is that address; one that later gained an id keeps its old slugs as ``aliases``
    (sorted, after the paper's own: see ``permalinks.assign_uris``), the first of them
    being where it lived before.
    """
    return paper.aliases[0] if paper.arxiv_id and paper.aliases else paper.uri


def entry_id(settings: Settings, paper: Paper) -> str:
    """The paper's first URL: the same in every feed and every build, and kept when the
    paper moves to ``papers/<arXiv id>/`` (the entry's link follows it; its id does not)."""
    return _id(settings, first_uri(paper))


def render_feed(
    settings: Settings,
    feed_uri: str,
    title: str,
    subtitle: str,
    home_uri: str,
    papers: Sequence[Paper],
    latest_day: date | None = None,
) -> bytes:
    """One Atom feed of ``papers`` (newest first, already cut to size).

    ``latest_day`` (the archive's) dates a feed without papers, so that it too is
    derived from the content rather than from 1970.
    """
    fg = FeedGenerator()
    fg.id(_id(settings, feed_uri))
    fg.title(title)
    fg.subtitle(subtitle or title)
    fg.author({"name": settings.site_name})
    fg.link(href=feed_link(settings, feed_uri, home_uri), rel="alternate", type="text/html")
    if settings.site_url:
        fg.link(href=settings.site_url + feed_uri, rel="self", type="application/atom+xml")
    fg.generator(settings.site_name)
    fg.language("en")
    updated = max((p.day for p in papers), default=latest_day)
    fg.updated(timestamp(updated) if updated else datetime(1970, 1, 1, tzinfo=UTC))
    for paper in papers:
        entry = fg.add_entry(order="append")
        entry.id(entry_id(settings, paper))
        entry.title(plain_text(paper.title))
        # One link only: feedgen 1.0 writes an entry link's href but drops its rel, so a
        # second (arXiv) link would read as another "alternate".
        entry.link(href=feed_link(settings, feed_uri, paper.uri), rel="alternate")
        for name in paper.authors:
            entry.author({"name": name})
        entry.published(timestamp(paper.day))
        entry.updated(timestamp(paper.day))
        entry.summary(plain_text(paper.abstract), type="text")
        for slug in paper.tags:
            entry.category(term=slug)
    return fg.atom_str(pretty=True)


def render_feeds(archive: Archive, settings: Settings) -> dict[str, bytes]:
    size = settings.feed_size
    description = settings.description or f"The latest papers of {settings.site_name}"
    latest_day = max(archive.days, default=None)
    files = {
        FEED: render_feed(
            settings, FEED, settings.site_name, description, "", archive.papers[:size], latest_day
        )
    }
    by_tag = archive.by_tag()
    for tag in archive.tags:
        uri = tag_uri(tag.slug) + FEED
        files[uri] = render_feed(
            settings,
            uri,
            f"{tag.name} · {settings.site_name}",
            tag.description,
            tag_uri(tag.slug),
            by_tag[tag.slug][:size],
            latest_day,
        )
    return files
