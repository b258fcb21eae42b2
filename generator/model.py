"""Frozen records that travel between the pipeline stages.

readers -> ``Digest`` (one per file, ``PaperRecord`` per listed paper)
archive -> ``Archive`` (one ``Paper`` per real paper, merged over digests)
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import date
from enum import StrEnum
from pathlib import Path


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where something came from: a file and a 1-based line (0 = the whole file)."""

    path: Path
    line: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else str(self.path)


@dataclass(frozen=True, slots=True, kw_only=True)
class PaperFacts:
    """What a digest may say about a paper besides its title and abstract, all optional:
    the one list of these fields, which a ``PaperRecord`` and a merged ``Paper`` share."""

    arxiv_id: str | None = None
    authors: tuple[str, ...] = ()
    author_count: int | None = None  # "14 authors": a copy of the page counts them, not names them
    organization: str | None = None
    upvotes: int | None = None
    github_repo: str | None = None
    github_stars: int | None = None
    project_page: str | None = None
    ai_summary: str | None = None
    ai_keywords: tuple[str, ...] = ()
    published_on: date | None = None  # arXiv submission date, not the featured day


FACTS = tuple(f.name for f in fields(PaperFacts))


@dataclass(frozen=True, slots=True, kw_only=True)
class PaperRecord(PaperFacts):
    """One paper as one digest lists it."""

    title: str
    abstract: str
    source: SourceRef = field(compare=False, repr=False)


class DigestFormat(StrEnum):
    """The formats a digest is read from, one reader each (``generator/readers/``)."""

    HF_JSON = "hf-json"  # the Hugging Face daily papers API's answer
    HF_TEXT = "hf-text"  # a text copy of the papers page


@dataclass(frozen=True, slots=True)
class Note:
    """What a reader left out of a digest without refusing it, at its place: a field of
    the wrong type (``paper.upvotes`` as text). ``check`` shows them as warnings."""

    source: SourceRef
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


@dataclass(frozen=True, slots=True)
class Digest:
    """One digest file: the papers featured on one day, in source order."""

    day: date
    path: Path
    format: DigestFormat
    records: tuple[PaperRecord, ...]
    notes: tuple[Note, ...] = field(default=(), compare=False)


@dataclass(frozen=True, slots=True)
class Tag:
    """One topic of the taxonomy (``content/taxonomy.yml``) and the phrases that detect it."""

    slug: str
    name: str
    description: str
    phrases: tuple[str, ...] = ()
    title_phrases: tuple[str, ...] = ()  # match only in titles (too broad for abstracts)
    exclude: tuple[str, ...] = ()  # any of these in a paper vetoes the tag
    source: SourceRef | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Paper(PaperFacts):
    """One real paper in the archive, merged over every digest that featured it."""

    uri: str  # permanent site-relative directory, e.g. "papers/2505.01234/"
    title: str
    abstract: str
    featured_on: tuple[date, ...]  # sorted, first = the paper's date
    tags: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # earlier URIs of this paper, kept as redirects

    @property
    def day(self) -> date:
        return self.featured_on[0]


@dataclass(frozen=True, slots=True)
class Archive:
    papers: tuple[Paper, ...]  # newest first, then by title
    digests: tuple[Digest, ...]  # oldest first
    days: dict[date, tuple[str, ...]]  # featured day -> paper URIs in source order
    tags: tuple[Tag, ...]

    def by_uri(self) -> dict[str, Paper]:
        return {p.uri: p for p in self.papers}

    def by_tag(self) -> dict[str, list[Paper]]:
        """Each tag's papers, newest first (the archive's order); every tag, tagged or not."""
        tagged: dict[str, list[Paper]] = {t.slug: [] for t in self.tags}
        for paper in self.papers:
            for slug in paper.tags:
                tagged[slug].append(paper)
        return tagged


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector while a stage builds tens of thousands of objects it keeps.

    Records, and the JSON they are read from, hold no reference cycles: reference counting
    frees all of it, and full collections during an ingest find nothing (0 objects at
    50,000 papers). They only walk the growing heap again each time it grows by a quarter,
    which was about 1.5 s of a 10 s ingest. MkDocs, too, keeps every page to the end of
    its build (build.run_mkdocs). The collector runs again afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
