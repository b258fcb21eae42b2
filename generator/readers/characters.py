"""What no page, feed or link may hold, for both readers and the taxonomy: control
characters and the noncharacters U+FFFE and U+FFFF, and URLs unsafe in an href.

Control characters are refused, never removed: C0 (but tab, line feed and carriage
return), DEL and C1 (U+0080-U+009F). XML 1.0 cannot hold most of C0, and PyYAML, which
reads every page's front matter, refuses DEL and C1; none of them is ever real text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from generator.errors import ContentError
from generator.model import SourceRef

NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# No white space, quotes, angle brackets, control characters (C0, DEL, C1) or bidi controls:
# a URL lands in an href, and a bidi control makes a link read as another address.
_HTTP_URL = re.compile(
    r"^https?://[^\s\"'<>`\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]+$", re.IGNORECASE
)


def not_text(char: str) -> str:
    """The message for a character that no page or feed can hold."""
    kind = "noncharacter" if char in "\ufffe\uffff" else "control character"
    return f"{kind} U+{ord(char):04X} is not text: remove it"


def not_text_errors(path: Path, text: str, found: Iterable[tuple[int, str]]) -> list[ContentError]:
    """One error per line of ``text`` for the ``(offset, character)`` pairs ``found``, in
    offset order; lines are counted on from the previous one, not from the top."""
    errors: dict[int, ContentError] = {}
    line, counted = 1, 0
    for start, char in found:
        line += text.count("\n", counted, start)
        counted = start
        errors.setdefault(line, ContentError(SourceRef(path, line), not_text(char)))
    return list(errors.values())


def http_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) URL safe to put in a link, else None."""
    return url if url and _HTTP_URL.match(url) else None
