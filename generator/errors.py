"""User errors: located, collected, and printed as ``path:line: message``."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from generator.model import SourceRef


class ContentError(Exception):
    """One problem in the user's content, at a known place."""

    def __init__(self, source: SourceRef | str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.message = message

    def __reduce__(self) -> tuple:
        return (ContentError, (self.source, self.message))  # a forked worker's error crosses back


class UsageError(ContentError):
    """A problem with how a command was run rather than with a file: printed as its
    message alone (``Error: port 8000 is in use; try --port 8001``)."""

    def __init__(self, message: str) -> None:
        Exception.__init__(self, message)
        self.source = ""
        self.message = message

    def __reduce__(self) -> tuple:
        return (UsageError, (self.message,))


def require_content_dir(content_dir: Path) -> None:
    """``add`` and ``fetch`` write into an archive's content folder, never make one up:
    run elsewhere, they would leave a stray ``content/digests/`` there."""
    if not content_dir.is_dir():
        raise ContentError(
            str(content_dir), "no content folder here; run from your archive or pass --content"
        )


class ContentErrors(Exception):
    """Every problem found in one run; raised once all input has been read."""

    def __init__(self, errors: Iterable[ContentError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))

    def __reduce__(self) -> tuple:
        return (ContentErrors, (self.errors,))


def collect(errors: list[ContentError], exc: ContentError | ContentErrors) -> None:
    """Append one error or a batch of them to ``errors``."""
    if isinstance(exc, ContentErrors):
        errors.extend(exc.errors)
    else:
        errors.append(exc)
