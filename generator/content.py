"""Read the content folder: digests, taxonomy, tag overrides and the permalink lock.

This is the one stage that reads user content from disk; every problem in every
file is collected before one ``ContentErrors`` is raised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator import tagging
from generator.errors import ContentError, ContentErrors, collect
from generator.model import Digest, Tag, collector_paused
from generator.permalinks import parse_lock
from generator.readers import future_day_error, read_digest

NOT_DIGESTS = ("README", "LICENSE")


@dataclass(frozen=True, slots=True)
class Content:
    root: Path
    digests: tuple[Digest, ...]
    taxonomy: tuple[Tag, ...]
    overrides: dict = field(default_factory=dict)
    lock: dict[str, str] = field(default_factory=dict)

    @property
    def lock_path(self) -> Path:
        return lock_path(self.root)


def digests_dir(root: Path) -> Path:
    return root / "digests"


def lock_path(root: Path) -> Path:
    return root / "permalinks.lock"


def digest_paths(root: Path) -> list[Path]:
    folder = digests_dir(root)
    if not folder.is_dir():
        raise ContentError(
            folder, "no digests folder: create it and put one digest per day in it (YYYY-MM-DD.json or .txt)"
        )
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and not p.name.upper().startswith(NOT_DIGESTS)
    )


def load_content(root: Path) -> tuple[Content, list[ContentError]]:
    """Everything that could be read, and every problem found on the way."""
    errors: list[ContentError] = []
    digests = []
    try:
        paths = digest_paths(root)
    except ContentError as e:
        paths = []
        errors.append(e)
    with collector_paused():
        for path in paths:
            try:
                digest = read_digest(path)
            except (ContentError, ContentErrors) as e:
                collect(errors, e)
                continue
            if (late := future_day_error(path, digest.day)) is not None:
                errors.append(late)
            digests.append(digest)
    taxonomy: tuple[Tag, ...] = ()
    overrides: dict = {}
    try:
        taxonomy = tagging.load_taxonomy(root / "taxonomy.yml")
        overrides = tagging.load_overrides(root / "tag-overrides.yml", taxonomy)
    except (ContentError, ContentErrors) as e:
        collect(errors, e)
    lock: dict[str, str] = {}
    path = lock_path(root)
    if path.exists():
        try:
            lock = parse_lock(path, path.read_text(encoding="utf-8"))
        except (ContentError, ContentErrors) as e:
            collect(errors, e)
    return Content(root, tuple(digests), taxonomy, overrides, lock), errors


def read_content(root: Path) -> Content:
    """The whole content folder, or ``ContentErrors`` listing every problem in it."""
    content, errors = load_content(root)
    if errors:
        raise ContentErrors(errors)
    return content
