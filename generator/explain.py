"""One paper of the content -> its tags and why (``paper-archive explain``).

Finds the paper by arXiv id or title in the digests, trains the tagger as the build
does, and returns each tag's reasons (``classifier.Reason``) with the paper's override.
The printing is cli.py's.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.classifier import Reason, examples_with_overrides, train
from generator.content import Content
from generator.errors import ContentError
from generator.model import SourceRef
from generator.tagging import ARXIV_ID, apply_overrides, override_for
from generator.text import title_key


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a paper of the content has its tags (``paper-archive explain``)."""

    name: str  # arXiv id, or title
    title: str
    tags: tuple[str, ...]  # as published: the tagger's, with the override applied
    reasons: tuple[Reason, ...]
    added: tuple[str, ...] = ()  # by the paper's override
    removed: tuple[str, ...] = ()
    override: SourceRef | None = None


def explain_paper(content: Content, query: str) -> Explanation:
    """The paper of the content named by ``query`` (an arXiv id or its title), its tags and
    their reasons; ``ContentError`` when no paper matches."""
    match = ARXIV_ID.match(query.strip())
    wanted = match.group(1) if match else None
    key = title_key(query)
    record = next(
        (
            r
            for digest in content.digests
            for r in digest.records
            if (wanted and r.arxiv_id == wanted) or (not wanted and title_key(r.title) == key)
        ),
        None,
    )
    if record is None:
        raise ContentError(query, "no paper of the content has this arXiv id or title")
    tagger = train(
        content.taxonomy, examples_with_overrides(content.examples, content.digests, content.overrides)
    )
    override = override_for(content.overrides, record.arxiv_id, record.title)
    reasons = tagger.explain(record.title, record.abstract, record.ai_keywords)
    tags = apply_overrides(tagger.tags_for(record.title, record.abstract, record.ai_keywords), override)
    return Explanation(
        name=record.arxiv_id or record.title,
        title=record.title,
        tags=tags,
        reasons=tuple(reasons),
        added=override.add if override else (),
        removed=override.remove if override else (),
        override=override.source if override else None,
    )
