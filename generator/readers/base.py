"""What every reader is: one input format, told by its content, parsed into records.

A reader is a module of this package with the members of ``Reader``; registering it
is adding it to ``READERS`` in ``readers/__init__.py``. Its ``parse`` returns the one
shape every reader returns, ``Parsed``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, Protocol

from generator.model import DigestFormat, Note, PaperRecord


class PageDay(NamedTuple):
    """The date a digest shows without a year (a text copy's "Jul 29" line), at ``line``."""

    line: int
    month: int
    day: int


@dataclass(frozen=True, slots=True)
class Parsed:
    """A digest file's papers in listing order, the day it shows itself, if any, and
    what was left out of the papers (``Note``)."""

    records: tuple[PaperRecord, ...]
    page_day: PageDay | None = None
    notes: tuple[Note, ...] = ()


class Reader(Protocol):
    @property
    def FORMAT(self) -> DigestFormat:  # a module's constant
        """The format this reader reads."""

    @property
    def EXTENSION(self) -> str:
        """The file name extension a digest in this format is stored under (``.json``)."""

    def claims(self, text: str) -> bool:
        """Whether ``text`` is in this format (the last registered reader claims anything)."""

    def parse(self, path: Path, text: str) -> Parsed:
        """Every paper of the file, or every located problem (``ContentErrors``)."""
