"""Reader for the Hugging Face daily papers API (``/api/daily_papers?date=``).

Takes the JSON text of one day and returns ``PaperRecord``s in listing order.
Handles the schema drift described in the shared data's SOURCE.md: optional
fields appear over time, titles and abstracts are hard-wrapped.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

from generator.errors import ContentError, ContentErrors
from generator.model import DigestFormat, Note, PaperRecord, SourceRef
from generator.readers.base import Parsed
from generator.readers.characters import NOT_TEXT, http_url, not_text, not_text_errors
from generator.text import clean_inline, encodable

FORMAT = DigestFormat.HF_JSON
EXTENSION = ".json"
ARXIV_ID = re.compile(r"^\d{4}\.\d{4,5}$")
# How the API's answer opens: an array of objects, an empty array, or an object (an error
# answer). A text copy may open with "[" too, as a Markdown link or image: "[Skip to
# content](#main)", "[图片：logo]", "[[Hugging Face's logo] Hugging Face][1]".
_JSON_OPENING = re.compile(r'\s*(?:\[\s*[{\]]|\{\s*["}])')
_decoder = json.JSONDecoder()
_WS = re.compile(r"\s*")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# JSON may escape half of a UTF-16 pair (\ud83d without its \ude00): Python decodes it to a
# lone surrogate, which no UTF-8 page can hold. Where this finds none, no item has one.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_LONE_SURROGATE_ESCAPE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


_C1_UTF8 = re.compile(b"\xc2[\x80-\x9f]")  # a C1 control character in UTF-8
# JSON escapes that decode to a character NOT_TEXT refuses; a match preceded by an odd run
# of backslashes is an escaped backslash followed by plain letters.
_NOT_TEXT_ESCAPE = re.compile(r"\\(?:[bf]|u00[01][0-9a-fA-F]|u007[fF]|u00[89][0-9a-fA-F]|u[fF]{3}[eEfF])")
_ESCAPES = {"\\b": "\b", "\\f": "\f"}


def _line_at(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _decode_error(path: Path, text: str, pos: int, error: ValueError | RecursionError) -> ContentError:
    """A located message for what the decoder refused in the value that starts at ``pos``."""
    if isinstance(error, json.JSONDecodeError):
        if error.msg.startswith("Invalid control character") and NOT_TEXT.match(text, error.pos):
            return ContentError(SourceRef(path, error.lineno), not_text(text[error.pos]))
        return ContentError(SourceRef(path, error.lineno), f"invalid JSON: {error.msg}")
    if isinstance(error, RecursionError):  # the decoder recurses once per level of nesting
        return ContentError(
            SourceRef(path, _line_at(text, pos)),
            "invalid JSON: arrays or objects nested too deeply (a paper item nests a few levels)",
        )
    # Python refuses to convert an integer this long (CVE-2020-10735)
    limit = sys.get_int_max_str_digits()
    number = re.compile(rf"\d{{{limit + 1}}}").search(text, pos)
    return ContentError(
        SourceRef(path, _line_at(text, number.start() if number else pos)),
        f"invalid JSON: a number with more than {limit:,} digits: remove it",
    )


def _not_json(path: Path, text: str, pos: int) -> ContentError:
    """The error for a .json digest that does not even start like JSON."""
    first_line = text[pos:].split("\n", 1)[0].strip()
    found = f"this one starts with {first_line[:40]!r}" if first_line else "this one is empty"
    return ContentError(
        SourceRef(path, _line_at(text, pos) if first_line else 1),
        "invalid JSON: a .json digest must hold the daily papers API's JSON array, but "
        f"{found} (a text copy of the papers page goes in a .txt file)",
    )


def _items(path: Path, text: str) -> list[tuple[int, int, Any]]:
    """Top-level array items with the line and offset each starts on."""
    pos = _WS.match(text, 0).end()  # type: ignore[union-attr]
    if not text.startswith("[", pos):
        try:
            value = json.loads(text)
        except json.JSONDecodeError as e:
            if e.pos == pos:  # not even the start of a value: text (or nothing) under a .json name
                raise _not_json(path, text, pos) from None
            raise _decode_error(path, text, pos, e) from None
        except (RecursionError, ValueError) as e:
            raise _decode_error(path, text, pos, e) from None
        kind = type(value).__name__.replace("dict", "an object").replace("str", "a string")
        raise ContentError(
            SourceRef(path, _line_at(text, pos)),
            f"expected a JSON array of paper items (the daily papers API's answer), found {kind}",
        )
    items: list[tuple[int, int, Any]] = []
    pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
    if text.startswith("]", pos):
        return items
    # Lines are counted on from the previous item, not from the top: counting from 0 for
    # every item made a day of n items cost n times the file.
    line, counted = 1, 0
    while True:
        try:
            value, end = _decoder.raw_decode(text, pos)
        except (RecursionError, ValueError) as e:  # JSONDecodeError is a ValueError
            raise _decode_error(path, text, pos, e) from None
        line += text.count("\n", counted, pos)
        counted = pos
        items.append((line, pos, value))
        pos = _WS.match(text, end).end()  # type: ignore[union-attr]
        if text.startswith(",", pos):
            pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
            continue
        if text.startswith("]", pos):
            break
        raise ContentError(
            SourceRef(path, _line_at(text, pos)),
            "invalid JSON: expected ',' or ']' after an array item (truncated file?)",
        )
    rest = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
    if rest != len(text):
        raise ContentError(SourceRef(path, _line_at(text, rest)), "invalid JSON: extra data after the array")
    return items


def _str(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _date(value: Any) -> date | None:
    if isinstance(value, str) and _DATE.match(value):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _kind(value: Any) -> str:
    """What a JSON value is, as a message says it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    return "a list" if isinstance(value, list) else "an object"  # all JSON has besides


class _Fields:
    """An item's fields, each taken if it has its type; ``left_out`` says what was there
    with another type (or, for a URL, not http(s)) and is not in the record. An absent
    field or an empty string is no news."""

    def __init__(self, item: dict, paper: dict) -> None:
        self._objects = {"": item, "paper.": paper}
        self.left_out: list[str] = []

    def _get(self, name: str) -> Any:
        prefix, _, key = name.rpartition(".")
        return self._objects[prefix + "." if prefix else ""].get(key)

    def _drop(self, name: str, value: Any, wanted: str) -> None:
        self.left_out.append(f"{name} is {_kind(value)}, not {wanted}: left out")

    def text(self, name: str) -> str:
        """The string with its white space collapsed; "" for anything else."""
        value = self._get(name)
        if isinstance(value, str):
            return clean_inline(value)
        if self._present(name):
            self._drop(name, value, "text")
        return ""

    def number(self, name: str) -> int | None:
        value = self._get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if self._present(name):
            self._drop(name, value, "a whole number")
        return None

    def url(self, name: str) -> str | None:
        """An http(s) URL or nothing: a digest never decides where a link points otherwise."""
        value = self._get(name)
        if not isinstance(value, str):
            if self._present(name):
                self._drop(name, value, "a URL")
            return None
        url = http_url(value.strip())
        if value.strip() and url is None:
            self.left_out.append(f"{name} is not an http(s) URL without spaces or controls: left out")
        return url

    def day(self, name: str) -> date | None:
        value = self._get(name)
        found = _date(value)
        if found is None and self._present(name):
            self.left_out.append(f"{name} is {_kind(value)}, not a date (YYYY-MM-DD...): left out")
        return found

    def _list(self, name: str, wanted: str) -> list:
        value = self._get(name)
        if isinstance(value, list):
            return value
        if self._present(name):
            self._drop(name, value, wanted)
        return []

    def authors(self) -> tuple[str, ...]:
        names = []
        for i, author in enumerate(self._list("paper.authors", "a list of authors")):
            name = author.get("name") if isinstance(author, dict) else None
            if isinstance(name, str):
                names.append(clean_inline(name))
            else:
                self.left_out.append(f"paper.authors[{i}] has no name (text): left out")
        return tuple(filter(None, names))

    def keywords(self) -> tuple[str, ...]:
        words = []
        for i, word in enumerate(self._list("paper.ai_keywords", "a list of keywords")):
            if isinstance(word, str):
                words.append(clean_inline(word))
            else:
                self._drop(f"paper.ai_keywords[{i}]", word, "text")
        return tuple(filter(None, words))

    def organization(self, *names: str) -> str | None:
        """The first of the named objects' full name (or name)."""
        found = None
        for name in names:
            org = self._get(name)
            if not isinstance(org, dict):
                if self._present(name):
                    self._drop(name, org, "an object")
                continue
            found = found or _str(org.get("fullname")) or _str(org.get("name"))
        return clean_inline(found) if found else None

    def _present(self, name: str) -> bool:
        prefix, _, key = name.rpartition(".")
        return key in self._objects[prefix + "." if prefix else ""]


def parse_item(ref: SourceRef, item: Any, notes: list[Note] | None = None) -> PaperRecord:
    """One item as a record; what it holds with the wrong type is left out, and said in
    ``notes`` when given."""
    if not isinstance(item, dict):
        raise ContentError(ref, f"expected a paper item (a JSON object), found {json.dumps(item)[:40]}")
    paper = item.get("paper")
    if not isinstance(paper, dict):
        raise ContentError(ref, 'paper item without a "paper" object')
    fields = _Fields(item, paper)
    title = fields.text("paper.title") or fields.text("title")
    abstract = fields.text("paper.summary") or fields.text("summary")
    missing = [name for name, v in (("title", title), ("summary (the abstract)", abstract)) if not v]
    if missing:
        raise ContentError(ref, f"paper item without a {' or '.join(missing)}")
    raw_id = fields.text("paper.id")
    record = PaperRecord(
        title=title,
        abstract=abstract,
        source=ref,
        arxiv_id=raw_id if ARXIV_ID.match(raw_id) else None,
        authors=fields.authors(),
        organization=fields.organization("paper.organization", "organization"),
        upvotes=fields.number("paper.upvotes"),
        github_repo=fields.url("paper.githubRepo"),
        github_stars=fields.number("paper.githubStars"),
        project_page=fields.url("paper.projectPage"),
        ai_summary=fields.text("paper.ai_summary") or None,
        ai_keywords=fields.keywords(),
        published_on=fields.day("paper.publishedAt"),
    )
    if notes is not None:
        notes.extend(Note(ref, message) for message in fields.left_out)
    return record


def _check_unicode(path: Path, text: str, line: int, start: int, item: Any) -> None:
    """A clear error for an item holding a lone surrogate, at the line of its escape."""
    if encodable(json.dumps(item, ensure_ascii=False)):
        return
    escape = _LONE_SURROGATE_ESCAPE.search(text, start)
    where = _line_at(text, escape.start()) if escape else line
    found = f" ({escape.group()})" if escape else ""
    raise ContentError(
        SourceRef(path, where),
        f"half of a UTF-16 surrogate pair{found} is not a character: remove it or give it its other half",
    )


def _may_hold_raw_not_text(text: str) -> bool:
    """False when valid JSON ``text`` surely holds no raw character ``NOT_TEXT`` refuses.

    Tests at memchr speed that spare the regex scan, a second of CPU per 50,000 papers:
    valid JSON holds no raw C0 character, so ASCII text can only hold DEL; other text is
    looked at as UTF-8, where C1 characters are ``C2 80``-``C2 9F`` and the two
    noncharacters ``EF BF BE``/``EF BF BF``.
    """
    if text.isascii():
        return "\x7f" in text
    data = text.encode("utf-8", "surrogatepass")
    return (
        b"\x7f" in data or b"\xef\xbf\xbe" in data or b"\xef\xbf\xbf" in data or bool(_C1_UTF8.search(data))
    )


def _not_text_errors(path: Path, text: str) -> list[ContentError]:
    """One error per line holding a character ``NOT_TEXT`` refuses, raw or escaped.

    Only string contents can hold them once the text is valid JSON (the decoder refuses
    raw C0 characters there, not DEL, C1 or noncharacters), so a scan of the text finds
    every one of them.
    """
    found = [(m.start(), m.group()) for m in NOT_TEXT.finditer(text)] if _may_hold_raw_not_text(text) else []
    for match in _NOT_TEXT_ESCAPE.finditer(text):
        start = backslash = match.start()
        while backslash and text[backslash - 1] == "\\":
            backslash -= 1
        if (start - backslash) % 2:
            continue  # an escaped backslash, then plain letters
        escape = match.group()
        char = _ESCAPES.get(escape) or chr(int(escape[2:], 16))
        if NOT_TEXT.match(char):
            found.append((start, char))
    return not_text_errors(path, text, sorted(found))


def parse_hf_json(path: Path, text: str, notes: list[Note] | None = None) -> list[PaperRecord]:
    """Every item of the array, or every located problem at once; what the items hold with
    the wrong type is left out, and said in ``notes`` when given."""
    records: list[PaperRecord] = []
    items = _items(path, text)
    errors = _not_text_errors(path, text)
    suspect = _SURROGATE_ESCAPE.search(text) is not None
    for line, start, item in items:
        try:
            if suspect:
                _check_unicode(path, text, line, start, item)
            records.append(parse_item(SourceRef(path, line), item, notes))
        except ContentError as e:
            errors.append(e)
    if errors:
        raise ContentErrors(sorted(errors, key=lambda e: e.source.line))  # type: ignore[union-attr]
    return records


def claims(text: str) -> bool:
    """JSON when it opens like the API's answer (a broken one is then reported as JSON) or
    parses as JSON."""
    if _JSON_OPENING.match(text):
        return True
    if text.lstrip()[:1] in ("[", "{"):
        try:
            json.loads(text)
        except (ValueError, RecursionError):
            return False
        return True
    return False


def parse(path: Path, text: str) -> Parsed:
    notes: list[Note] = []
    records = parse_hf_json(path, text, notes)
    return Parsed(tuple(records), notes=tuple(notes))


def featured_days(path: Path, text: str) -> list[tuple[int, date]]:
    """``(line, day)`` of each item whose ``paper.submittedOnDailyAt`` names its featured day.

    The API adds that field from March 2025 on; older items are left out.
    """
    days: list[tuple[int, date]] = []
    for line, _, item in _items(path, text):
        paper = item.get("paper") if isinstance(item, dict) else None
        day = _date(paper.get("submittedOnDailyAt")) if isinstance(paper, dict) else None
        if day is not None:
            days.append((line, day))
    return days
