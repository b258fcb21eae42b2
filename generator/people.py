"""Authors and organisations: who gets a page, at which permanent address.

Takes the ``Archive``; returns ``People``, which says for each name on a paper page
where it links: an author with at least ``min_author_papers`` papers (the setting
``extra.archive.author_pages_from``), and every organisation, to a page of their papers (``authors/<slug>/``, ``orgs/<slug>/``,
written by ``people_pages.py``); any other author to a search for their name. The
rule only ever adds pages: the archive grows, so an author's count never falls, and
an address never changes, since it is derived from the name alone. Pure functions.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from generator.model import Archive, Paper

AUTHORS_DIR = "authors/"
ORGS_DIR = "orgs/"

_PLAIN = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def person_key(name: str) -> str:
    """One person or organisation however a digest spells the case and spacing:
    ``Yann LeCun`` and ``yann  lecun`` are one author."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def person_slug(key: str) -> str:
    """A readable address part that no other key gets: a key of plain ASCII words gives
    them joined by hyphens (``ada-lovelace``), which no other key gives; any other key
    gives its ASCII letters and a hash of the whole key (``jose-garcia-1f3a9c``, or just
    the hash for a name without Latin letters)."""
    if _PLAIN.fullmatch(key):
        return key.replace(" ", "-")
    ascii_form = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode()
    base = _NOT_SLUG.sub("-", ascii_form).strip("-")[:60].rstrip("-")
    digest = hashlib.sha1(key.encode()).hexdigest()[:8]
    return f"{base}-{digest}" if base else digest


@dataclass(frozen=True, slots=True)
class Person:
    """An author or organisation with a page: the name as most papers spell it, the page's
    URI and their papers, newest first (the archive's order)."""

    name: str
    uri: str
    papers: tuple[Paper, ...]


@dataclass(frozen=True, slots=True)
class People:
    authors: dict[str, Person]  # person_key -> author with a page
    orgs: dict[str, Person]  # person_key -> organisation

    def author_uri(self, name: str) -> str | None:
        """The author's page, or None: they link to a search (``search_uri``)."""
        person = self.authors.get(person_key(name))
        return person.uri if person else None

    def org_uri(self, name: str) -> str | None:
        person = self.orgs.get(person_key(name))
        return person.uri if person else None


def search_uri(name: str) -> str:
    """The search page asked for the name as a phrase: papers carry their authors' names."""
    return "search/?q=" + quote(f'"{name}"', safe="")


def _people(named: Iterable[tuple[Paper, Iterable[str]]], folder: str, minimum: int) -> dict[str, Person]:
    papers: dict[str, list[Paper]] = {}
    spellings: dict[str, Counter[str]] = {}
    for paper, names in named:
        for key, name in {person_key(n): n for n in names if n.strip()}.items():
            papers.setdefault(key, []).append(paper)
            spellings.setdefault(key, Counter())[name.strip()] += 1
    people = {
        key: Person(
            min(spellings[key].items(), key=lambda kv: (-kv[1], kv[0]))[0],
            folder + person_slug(key) + "/",
            tuple(listed),
        )
        for key, listed in sorted(papers.items())
        if len(listed) >= minimum
    }
    uris = Counter(person.uri for person in people.values())
    taken = [uri for uri, n in uris.items() if n > 1]
    if taken:  # two hashes alike in 8 hex digits and the same letters: a bug to report, not to publish
        raise ValueError(f"one address for two names: {', '.join(sorted(taken))}")
    return people


def build_people(archive: Archive, min_author_papers: int) -> People:
    papers = archive.papers
    return People(
        authors=_people(((p, p.authors) for p in papers), AUTHORS_DIR, min_author_papers),
        orgs=_people(((p, (p.organization,) if p.organization else ()) for p in papers), ORGS_DIR, 1),
    )
