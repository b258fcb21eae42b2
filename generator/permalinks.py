"""Permanent URLs: once a paper's URI is published it is never reassigned.

The lock file (``content/permalinks.lock``, committed) lists every URI ever
assigned, one ``uri<TAB>identity`` a line, where identity is ``arxiv:<id>`` or
``title:<normalised title>``. Assignment is a pure function of the lock and the
papers; the build writes the grown lock back next to the content.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from slugify import slugify

from generator.errors import ContentError, ContentErrors
from generator.model import SourceRef

LOCK_HEADER = (
    "# Permanent URLs of published papers: uri<TAB>identity. Written by `paper-archive build`;\n"
    "# commit it. Never edit or delete a line: a listed URI stays reserved for its paper.\n"
)
SLUG_MAX = 80


@dataclass(frozen=True, slots=True)
class Identity:
    """What a merged paper is known by: its arXiv id and every title key it had.

    ``legacy_title_keys`` are keys that several papers may share (the empty key of titles
    without letters, before ``text.identity_key``): a URI locked under one of them still
    resolves, as a redirect to the first paper (oldest) that claims it.
    """

    arxiv_id: str | None
    title_keys: tuple[str, ...]
    legacy_title_keys: tuple[str, ...] = ()

    def keys(self) -> list[str]:
        found = [f"arxiv:{self.arxiv_id}"] if self.arxiv_id else []
        return found + [f"title:{k}" for k in self.title_keys]


@dataclass(frozen=True, slots=True)
class Assignment:
    uri: str
    aliases: tuple[str, ...]


def parse_lock(path: Path, text: str) -> dict[str, str]:
    """Lock text -> {uri: identity}; malformed lines are located errors."""
    lock: dict[str, str] = {}
    errors = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        uri, sep, identity = line.partition("\t")
        if not sep or not uri.startswith("papers/") or not uri.endswith("/") or ":" not in identity:
            errors.append(
                ContentError(
                    SourceRef(path, number),
                    "expected 'papers/<name>/<TAB>arxiv:<id>' or '...<TAB>title:<title>'",
                )
            )
            continue
        if uri in lock:
            errors.append(ContentError(SourceRef(path, number), f"URI {uri} is listed twice"))
        lock[uri] = identity
    if errors:
        raise ContentErrors(errors)
    return lock


def render_lock(lock: dict[str, str]) -> str:
    return LOCK_HEADER + "".join(f"{uri}\t{lock[uri]}\n" for uri in sorted(lock))


def title_slug(title: str) -> str:
    """A readable slug; ``paper-<hash of the title>`` for a title with nothing to spell."""
    slug = slugify(title, max_length=SLUG_MAX, word_boundary=True)
    return slug or "paper-" + hashlib.sha256(title.encode("utf-8")).hexdigest()[:8]


def assign_uris(
    papers: Sequence[tuple[Identity, str]], lock: dict[str, str]
) -> tuple[list[Assignment], dict[str, str]]:
    """Give each (identity, title) a permanent URI; returns the assignments and the new lock.

    ``papers`` must come in a stable order (oldest first): on a slug clash the
    earlier paper keeps the plain slug and later ones get ``-2``, ``-3``...
    """
    by_identity: dict[str, list[str]] = {}
    for uri, key in lock.items():
        by_identity.setdefault(key, []).append(uri)
    new_lock = dict(lock)
    assignments = []
    claimed: set[str] = set()  # legacy URIs already given to an earlier paper
    for identity, title in papers:
        published = sorted({u for k in identity.keys() for u in by_identity.get(k, ())})
        legacy = [u for k in identity.legacy_title_keys for u in by_identity.get(f"title:{k}", ())]
        legacy = sorted(u for u in legacy if u not in claimed and u not in published)
        claimed.update(legacy)
        if identity.arxiv_id:
            uri = f"papers/{identity.arxiv_id}/"
            new_lock.setdefault(uri, f"arxiv:{identity.arxiv_id}")
        elif published:
            uri = published[0]
        else:
            uri = _free_slug_uri(title_slug(title), new_lock)
            new_lock[uri] = f"title:{identity.title_keys[0]}"
        # Legacy URIs come last: the paper's own come first, and a legacy one may have shown others too.
        aliases = tuple(u for u in published if u != uri) + tuple(legacy)
        assignments.append(Assignment(uri, aliases))
    return assignments, new_lock


def _free_slug_uri(slug: str, taken: dict[str, str]) -> str:
    uri, n = f"papers/{slug}/", 2
    while uri in taken:
        uri, n = f"papers/{slug}-{n}/", n + 1
    return uri
