"""Read the content folder: digests, taxonomy, tag overrides and examples, the permalink lock.

This is the one stage that reads user content from disk; every problem in every
file is collected before one ``ContentErrors`` is raised.
"""

from __future__ import annotations

import hashlib
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from pathlib import Path

from generator import classifier, tagging
from generator.errors import ContentError, ContentErrors, collect
from generator.model import Digest, SourceRef, Tag, collector_paused
from generator.permalinks import parse_lock
from generator.readers import DIGEST_NAME, future_day_error, parse_digest, read_digest_bytes

# Digests read before: file path -> (hash of its bytes, the digest read from them).
ReadDigests = MutableMapping[str, tuple[str, Digest]]

NOT_DIGESTS = ("README", "LICENSE")


@dataclass(frozen=True, slots=True)
class Content:
    root: Path
    digests: tuple[Digest, ...]
    taxonomy: tuple[Tag, ...]
    overrides: dict = field(default_factory=dict)
    lock: dict[str, str] = field(default_factory=dict)
    examples: tuple[classifier.Example, ...] = ()  # content/tag-examples.jsonl

    @property
    def lock_path(self) -> Path:
        return lock_path(self.root)


def digests_dir(root: Path) -> Path:
    return root / "digests"


def lock_path(root: Path) -> Path:
    return root / "permalinks.lock"


def _entry_error(root: Path, path: Path) -> ContentError | None:
    """Why an entry of the digests folder cannot be read as a digest; None if it can.

    A link is followed only to a file inside the content folder (or inside the digests
    folder, should that be a link itself): a build publishes what it reads.
    """
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):  # missing target, or a loop of links
            return ContentError(
                SourceRef(path),
                f"broken link to {path.readlink()}: restore the file it points to or remove the link",
            )
        inside = (root.resolve(), digests_dir(root).resolve())
        if not any(target.is_relative_to(folder) for folder in inside):
            return ContentError(
                SourceRef(path),
                f"link to {target}, outside the content folder: copy the digest into {digests_dir(root)} "
                "instead of linking to it",
            )
    if not path.is_file():
        return ContentError(
            SourceRef(path),
            "not a file: a digest is one file per day, named YYYY-MM-DD.json or YYYY-MM-DD.txt",
        )
    return None


def digest_paths(root: Path) -> tuple[list[Path], list[ContentError]]:
    """The digest files in ``content/digests``, and an error for each entry that should be
    one but cannot be read: a broken link, a link out of the content folder, a folder
    named like a digest. Other folders and hidden files are not digests."""
    folder = digests_dir(root)
    if not folder.is_dir():
        raise ContentError(
            SourceRef(folder),
            "no digests folder: create it and put one digest per day in it (YYYY-MM-DD.json or .txt)",
        )
    paths, errors = [], []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.name.upper().startswith(NOT_DIGESTS):
            continue
        if not DIGEST_NAME.match(path.name) and path.exists() and not path.is_file():
            continue  # a subfolder (or a link to one) such as old/: not read, as before
        if (error := _entry_error(root, path)) is not None:
            errors.append(error)
        else:
            paths.append(path)
    return paths, errors


def load_content(root: Path, read: ReadDigests | None = None) -> tuple[Content, list[ContentError]]:
    """Everything that could be read, and every problem found on the way. ``read``: the
    digests an earlier build read, by path; a file with the same bytes is not parsed again
    (parsing is a pure function of path and bytes), and each digest read is put there."""
    errors: list[ContentError] = []
    digests = []
    try:
        paths, errors = digest_paths(root)
    except ContentError as e:
        paths = []
        errors.append(e)
    with collector_paused():
        for path in paths:
            try:
                digest = _read_digest(path, read)
            except (ContentError, ContentErrors) as e:
                collect(errors, e)
                continue
            if (late := future_day_error(path, digest.day)) is not None:
                errors.append(late)
            digests.append(digest)
    taxonomy: tuple[Tag, ...] = ()
    overrides: dict = {}
    examples: tuple[classifier.Example, ...] = ()
    try:
        taxonomy = tagging.load_taxonomy(root / "taxonomy.yml")
        overrides = tagging.load_overrides(root / "tag-overrides.yml", taxonomy)
        examples = classifier.load_examples(root / "tag-examples.jsonl", taxonomy)
    except (ContentError, ContentErrors) as e:
        collect(errors, e)
    lock: dict[str, str] = {}
    path = lock_path(root)
    if path.exists():
        try:
            lock = parse_lock(path, path.read_text(encoding="utf-8"))
        except (ContentError, ContentErrors) as e:
            collect(errors, e)
    return Content(root, tuple(digests), taxonomy, overrides, lock, examples), errors


def _read_digest(path: Path, read: ReadDigests | None) -> Digest:
    data = read_digest_bytes(path)
    if read is None:
        return parse_digest(path, data)
    digest = hashlib.sha256(data).hexdigest()
    known = read.get(str(path))
    if known is not None and known[0] == digest:
        return known[1]
    parsed = parse_digest(path, data)
    read[str(path)] = (digest, parsed)
    return parsed


def read_content(root: Path, read: ReadDigests | None = None) -> Content:
    """The whole content folder, or ``ContentErrors`` listing every problem in it
    (``read``: as for ``load_content``)."""
    content, errors = load_content(root, read)
    if errors:
        raise ContentErrors(errors)
    return content
