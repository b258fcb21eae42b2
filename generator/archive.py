"""Merge digests into one archive: one ``Paper`` per real paper.

Takes parsed ``Digest``s, the permalink lock and a tagging function; returns the
``Archive`` and the grown lock. Pure: no disk access.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TypeVar

from generator import parallel
from generator.errors import ContentError, ContentErrors
from generator.links import find_code_link
from generator.model import (
    FACTS,
    Archive,
    Digest,
    Paper,
    PaperFacts,
    PaperRecord,
    SourceRef,
    Tag,
    collector_paused,
)
from generator.permalinks import Identity, assign_uris
from generator.text import identity_key, title_key

T = TypeVar("T")
R = TypeVar("R")
PAPERS_PER_TAGGER = 2_000  # a process must pay for its start
TAGGED_AT_ONCE = 500  # papers a tagger takes in one matrix product


@dataclass(slots=True)
class _Group:
    """Records found to be one paper, each as (featured day, record, its title key)."""

    records: list[tuple[date, PaperRecord, str]]
    arxiv_id: str | None


def check_digest_days(digests: Sequence[Digest]) -> None:
    """Two digests for the same day (say a .txt and a .json) are an error."""
    seen: dict[date, Digest] = {}
    errors = []
    for digest in sorted(digests, key=lambda d: str(d.path)):
        first = seen.setdefault(digest.day, digest)
        if first is not digest:
            errors.append(
                ContentError(
                    SourceRef(digest.path, 1),
                    f"a second digest for {digest.day.isoformat()} (the first is {first.path}): keep one file per day",
                )
            )
    if errors:
        raise ContentErrors(errors)


# Facts that count something: a paper has the most any of its records says. Every other
# fact comes from the richest record that has it.
_COUNTS = ("upvotes", "github_stars", "author_count")
_RICH = tuple(name for name in FACTS if name not in _COUNTS)
_EMPTY = {name: () for name in FACTS if isinstance(getattr(PaperFacts(), name), tuple)}


def _richness(record: PaperRecord) -> tuple:
    """Prefer records with more to show; ties go to the earlier source (stable)."""
    return (-sum(bool(getattr(record, name)) for name in _RICH), -len(record.abstract))


def _facts(ranked: Sequence[PaperRecord], abstract: str) -> dict[str, object]:
    """A paper's facts from its records, richest first: each from the first record that
    has it ("" and () are nothing), counts the highest any record gives; a code link
    written in the abstract when no record names a repository."""
    facts: dict[str, object] = {}
    if len(ranked) == 1:  # most papers: the same rules, without lists
        record = ranked[0]
        for name in FACTS:
            value = getattr(record, name)
            facts[name] = value if value or name in _COUNTS else _EMPTY.get(name)
        if not facts["github_repo"]:
            facts["github_repo"] = _code_link(abstract)
        return facts
    for name in FACTS:
        values = [getattr(record, name) for record in ranked]
        if name in _COUNTS:
            counts = [v for v in values if v is not None]
            facts[name] = max(counts) if counts else None
        else:
            facts[name] = next((v for v in values if v), _EMPTY.get(name))
    if not facts["github_repo"]:
        facts["github_repo"] = _code_link(abstract)
    return facts


def group_records(digests: Sequence[Digest]) -> list[_Group]:
    """Union records by arXiv id, or by normalised title when the ids don't conflict."""
    # Union-find over record indices. A group's records are only gathered at the end, so
    # most records (found once) cost one tuple, not a group of their own while merging.
    entries: list[tuple[date, PaperRecord, str]] = []
    parent: list[int] = []
    arxiv: list[str | None] = []  # the group's arXiv id, kept at its root
    by_arxiv: dict[str, int] = {}
    by_title: dict[str, int] = {}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> int:
        i, j = find(i), find(j)
        if i == j:
            return i
        a, b = arxiv[i], arxiv[j]
        if a and b and a != b:
            return j  # same title, different papers: keep apart
        low, high = min(i, j), max(i, j)
        parent[high] = low
        arxiv[low] = a or b
        return low

    errors = []
    for digest in sorted(digests, key=lambda d: (d.day, str(d.path))):
        listed: dict[int, PaperRecord] = {}
        for record in digest.records:
            index = len(entries)
            folded = identity_key(record.title, record.abstract)
            entries.append((digest.day, record, folded))
            parent.append(index)
            arxiv.append(record.arxiv_id)
            if record.arxiv_id in by_arxiv:
                index = union(by_arxiv[record.arxiv_id], index)
            if folded in by_title:
                index = union(by_title[folded], index)
            if record.arxiv_id:
                by_arxiv.setdefault(record.arxiv_id, index)
            by_title.setdefault(folded, index)
            root = find(index)
            if root in listed:
                errors.append(
                    ContentError(
                        record.source,
                        f"the same paper is listed twice in this digest (first at line {listed[root].source.line}): remove one",
                    )
                )
            listed[root] = record
    if errors:
        raise ContentErrors(errors)
    members: dict[int, list[tuple[date, PaperRecord, str]]] = {}
    for i, entry in enumerate(entries):
        members.setdefault(find(i), []).append(entry)
    # A root is its group's lowest index, so groups come in the order they were first seen.
    return [_Group(records, arxiv[root]) for root, records in members.items()]


def _code_link(abstract: str) -> str | None:
    # find_code_link returns only URLs written in the text, so no "://" means no link;
    # two papers in three have none, and this skips a regex pass over their abstract.
    return find_code_link(abstract) if "://" in abstract else None


def merge_group(group: _Group) -> tuple[Paper, Identity]:
    if len(group.records) == 1:  # most papers are featured once: the record is the paper
        return _single(group), Identity(group.arxiv_id, (group.records[0][2],), _legacy_keys(group))
    records = sorted(
        group.records, key=lambda dr: (_richness(dr[1]), dr[0], str(dr[1].source.path), dr[1].source.line)
    )
    ranked = [r for _, r, _ in records]
    title_keys = tuple(dict.fromkeys(key for _, _, key in sorted(group.records, key=lambda dr: dr[0])))
    best = ranked[0]
    paper = Paper(
        uri="",
        title=best.title,
        abstract=best.abstract,
        featured_on=tuple(sorted({day for day, _, _ in group.records})),
        **(_facts(ranked, best.abstract) | {"arxiv_id": group.arxiv_id}),  # type: ignore[arg-type]
    )
    return paper, Identity(group.arxiv_id, title_keys, _legacy_keys(group))


def _legacy_keys(group: _Group) -> tuple[str, ...]:
    # Titles without letters or digits all had the empty key before they got one of their
    # own (text.identity_key): a URI locked under it still belongs to one of these papers.
    return ("",) if any(not title_key(record.title) for _, record, _ in group.records) else ()


def _single(group: _Group) -> Paper:
    """``merge_group`` of one record, without ranking."""
    day, record, _ = group.records[0]
    return Paper(
        uri="",
        title=record.title,
        abstract=record.abstract,
        featured_on=(day,),
        **(_facts((record,), record.abstract) | {"arxiv_id": group.arxiv_id}),  # type: ignore[arg-type]
    )


def in_batches(tag: Callable[[Sequence[T]], list[R]], items: Sequence[T]) -> list[R]:
    """``tag(items)``, in batches of TAGGED_AT_ONCE spread over the cores (``tag`` is
    called in forked workers: it must not need to change anything of this process)."""
    batches = [items[k : k + TAGGED_AT_ONCE] for k in range(0, len(items), TAGGED_AT_ONCE)]
    per_worker = max(1, PAPERS_PER_TAGGER // TAGGED_AT_ONCE)
    return [result for batch in parallel.forked_map(tag, batches, per_worker) for result in batch]


def build_archive(
    digests: Sequence[Digest],
    lock: dict[str, str],
    tags: Sequence[Tag] = (),
    tag_papers: Callable[[Sequence[Paper]], list[tuple[str, ...]]] = lambda papers: [() for _ in papers],
) -> tuple[Archive, dict[str, str]]:
    """Digests + permalink lock -> the archive and the lock with new URIs added."""
    # The merging happens in _merge so that its drafts are freed before the collector resumes.
    with collector_paused():
        return _merge(digests, lock, tuple(tags), tag_papers)


def _merge(
    digests: Sequence[Digest],
    lock: dict[str, str],
    tags: tuple[Tag, ...],
    tag_papers: Callable[[Sequence[Paper]], list[tuple[str, ...]]],
) -> tuple[Archive, dict[str, str]]:
    check_digest_days(digests)
    groups = group_records(digests)
    merged = [merge_group(g) for g in groups]
    # Oldest first, so that on a slug clash the paper published first keeps the plain slug.
    order = sorted(range(len(merged)), key=lambda i: (merged[i][0].featured_on[0], merged[i][0].title, i))
    assignments, new_lock = assign_uris([(merged[i][1], merged[i][0].title) for i in order], lock)
    # Tagging reads only a paper's text, so one replace() below gives the final paper.
    tagged = tag_papers([merged[i][0] for i in order])
    papers = []
    uri_of_group: dict[int, str] = {}
    for i, assignment, paper_tags in zip(order, assignments, tagged, strict=True):
        paper = replace(merged[i][0], uri=assignment.uri, aliases=assignment.aliases, tags=paper_tags)
        papers.append(paper)
        uri_of_group[i] = assignment.uri
    papers.sort(key=lambda p: (-p.day.toordinal(), p.title.casefold(), p.uri))
    days = _days(digests, groups, uri_of_group)
    return Archive(
        papers=tuple(papers),
        digests=tuple(sorted(digests, key=lambda d: d.day)),
        days=days,
        tags=tags,
    ), new_lock


def _days(
    digests: Sequence[Digest], groups: list[_Group], uri_of_group: dict[int, str]
) -> dict[date, tuple[str, ...]]:
    uri_of_record = {id(r): uri_of_group[i] for i, g in enumerate(groups) for _, r, _ in g.records}
    days = {}
    for digest in sorted(digests, key=lambda d: d.day):
        days[digest.day] = tuple(dict.fromkeys(uri_of_record[id(r)] for r in digest.records))
    return days
