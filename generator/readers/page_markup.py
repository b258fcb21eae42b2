"""What saving tools put around a copy of the papers page, taken off before it is read.

Takes the text of a copy and returns its logical lines, ``(line number, text)``, and the
hints its front matter gives:

- lines with CR, BOMs and edge white space (visible or not) removed;
- a YAML front matter block skipped; its ``url:`` (which page was saved: a day, the
  trending page, a search) and its date (``exported:``, ``created:``...) kept as hints;
- a Markdown link whose text runs over several lines joined into one line, numbered by
  its first: a title wrapped inside ``[...](...)``, ``[Upvote\\n\\n117](...)``, an abstract
  inside ``[\\n\\n...\\n\\n][33]``. Only a link that opens its line (after a heading or list
  marker) is joined: a link inside a paragraph is the paragraph's business;
- a heading's wrapped tail (an arXiv title's indented second line) joined to the heading;
- lines of tool markup dropped: HTML anchors (``<a id="source-section-3"></a>``), any line
  that opens with an HTML element, comments, code fences; a Markdown hard break (``\\`` at
  a line end) taken off.

Linear in the size of the text: brackets are matched with one stack, and only on lines
that hold one.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from datetime import date

# Invisible characters that copy tools leave at line edges; str.strip() keeps
# the zero-width ones because Python does not count them as white space.
EDGE_CHARS = (
    " \t\n\r\f\v\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u200b\u200c\u200d\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u202f\u205f\u2060"
    "\u2066\u2067\u2068\u2069\u3000\ufeff"
)

# A link's text longer than this, or over more lines, is a stray bracket, not a link.
_MAX_LINK_LINES = 120
_MAX_LINK_CHARS = 30_000
_MAX_FRONT_MATTER = 200

_FRONT_MATTER_KEY = re.compile(r"^([A-Za-z_][\w -]{0,30}?)\s*:\s*(.*)$")
_URL_KEYS = frozenset({"url", "source", "source_url", "link", "original_url"})
_DATE_KEYS = frozenset(
    {"exported", "created", "retrieved", "captured", "clipped", "saved", "fetched", "fetched_at", "date"}
)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_BLOCK_PREFIX = re.compile(r"(?:#{1,6}\s+|[-*+•]\s+|\d{1,3}[.)]\s+|>\s?)*")
_LINK_TARGET = re.compile(
    r'\(\s*<?[^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*>?(?:\s+"[^"]*")?\s*\)|\[[^\[\]]{0,100}\]'
)
_TAG_LINE = re.compile(r"^(?:<!--.*?-->|</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>|\s)+$")
# A line that opens with an HTML element holds markup, whatever text it wraps: no saving
# tool writes a paper's text that way ("<EOS> tokens..." opens with no HTML element).
_HTML_LINE = re.compile(
    r"^<(?:!--|/?(?:html|head|body|div|span|p|a|h[1-6]|ul|ol|li|nav|section|article|header|footer|main|img"
    r"|br|hr|table|thead|tbody|tr|td|th|script|style|meta|link|title|figure|figcaption|button|svg|path"
    r"|input|form|label|em|strong|code|pre|sup|sub|details|summary|time|small|i|b)[\s/>])",
    re.I,
)
_FENCE = re.compile(r"^(?:```|~~~)[\w+-]*$")
_HEADING = re.compile(r"^#{1,6}\s")
_HTML_DOCUMENT = re.compile(r"^(?:<!doctype\s+html|<html[\s>])", re.I)


@dataclass(frozen=True, slots=True)
class Hints:
    """What a front matter says about the saved page; every field is optional."""

    url: str | None = None
    url_line: int = 0
    saved_on: date | None = None


def split_lines(text: str) -> list[str]:
    """Lines with CR and BOMs removed, white space kept."""
    return text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n").split("\n")


def normalise(raw: list[str]) -> list[str]:
    """Lines with edge white space (visible or not) removed."""
    return [line.strip(EDGE_CHARS) for line in raw]


def is_html_document(lines: list[str]) -> bool:
    """A saved HTML page (``<!DOCTYPE html>``...), which is no text copy of one."""
    first = next((line for line in lines if line), "")
    return bool(_HTML_DOCUMENT.match(first))


def front_matter(lines: list[str]) -> tuple[int, Hints]:
    """Index after a YAML front matter block that a saving tool put on top (else 0), and its hints."""
    first = next((i for i, line in enumerate(lines) if line), None)
    if first is None or lines[first] != "---":
        return 0, Hints()
    end = next(
        (
            i
            for i in range(first + 1, min(len(lines), first + _MAX_FRONT_MATTER))
            if lines[i] in ("---", "...")
        ),
        None,
    )
    if end is None:
        return 0, Hints()
    url, url_line, saved_on = None, 0, None
    for index in range(first + 1, end):
        match = _FRONT_MATTER_KEY.match(lines[index])
        if not match:
            continue
        key, value = match.group(1).strip().lower(), match.group(2).strip().strip("\"'")
        if key in _URL_KEYS and url is None and value.startswith(("http://", "https://")):
            url, url_line = value, index + 1
        elif key in _DATE_KEYS and saved_on is None and (day := _ISO_DATE.match(value)):
            try:
                saved_on = date(*map(int, day.groups()))
            except ValueError:
                pass
    return end + 1, Hints(url, url_line, saved_on)


def _without_break(line: str) -> str:
    """A line without the Markdown hard break (``\\`` or ``\\\\``) it ends with."""
    return line.rstrip("\\").rstrip(EDGE_CHARS) if line.endswith("\\") else line


def _link_spans(lines: list[str], start: int) -> list[tuple[int, int]]:
    """``(first, last)`` line indexes of each link that opens its line and closes on a later one."""
    spans: list[tuple[int, int]] = []
    stack: deque[tuple[int, int, bool]] = deque()  # (line index, offset, opens its line)
    for index in range(start, len(lines)):
        line = lines[index]
        if "[" not in line and "]" not in line:
            continue
        while stack and index - stack[0][0] > _MAX_LINK_LINES:
            stack.popleft()  # an unclosed bracket long ago: never a link now
        opens_at = _BLOCK_PREFIX.match(line).end()  # type: ignore[union-attr]
        for bracket in re.finditer(r"[\[\]]", line):
            offset = bracket.start()
            if bracket.group() == "[":
                stack.append((index, offset, offset == opens_at))
                continue
            if not stack:
                continue
            first, _, opens = stack.pop()
            if first == index or not opens:
                continue
            if _LINK_TARGET.match(line, offset + 1):
                size = sum(len(lines[i]) for i in range(first, index + 1))
                if size <= _MAX_LINK_CHARS:
                    spans.append((first, index))
    # A link inside a longer one (an image in the authors' link): keep the outer span.
    merged: list[tuple[int, int]] = []
    for first, last in sorted(spans):
        if merged and first <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(last, merged[-1][1]))
        else:
            merged.append((first, last))
    return merged


def indented(raw: list[str]) -> set[int]:
    """Numbers of the lines indented by two spaces or a tab or more: code, a tree, a list
    item's wrapped tail. Neither a browser's copy nor a clipper indents a paper's text."""
    return {number for number, line in enumerate(raw, 1) if line[:2] == "  " or line[:1] == "\t"}


def logical_lines(raw: list[str], lines: list[str], start: int) -> list[tuple[int, str]]:
    """``(line number, text)`` from ``start`` on; see the module docstring. A blank line is ``""``.

    ``raw`` are the lines before white space was stripped (for a heading's indented tail).
    """
    spans = dict(_link_spans(lines, start))
    result: list[tuple[int, str]] = []
    index = start
    while index < len(lines):
        line = lines[index]
        if index in spans:
            last = spans[index]
            parts = (_without_break(lines[i]) for i in range(index, last + 1))
            result.append((index + 1, " ".join(part for part in parts if part)))
            index = last + 1
            continue
        if _FENCE.match(line) or (line.startswith("<") and (_TAG_LINE.match(line) or _HTML_LINE.match(line))):
            index += 1
            continue
        line = _without_break(line)
        if (
            _HEADING.match(line)
            and index + 1 < len(lines)
            and raw[index + 1][:2] in ("  ", "\t")
            and lines[index + 1]
            and len(lines[index + 1]) <= 120
            and (index + 2 >= len(lines) or not lines[index + 2])
        ):
            # "### SmolDocling: ... for end-to-end\n  multi-modal document conversion"
            result.append((index + 1, f"{line} {lines[index + 1]}"))
            index += 2
            continue
        result.append((index + 1, line))
        index += 1
    return result
