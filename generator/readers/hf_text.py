"""Reader for text copies of the Hugging Face papers page.

Takes the page text as people save it -- selected and pasted, clipped or scraped to
Markdown, exported from a notebook -- and returns the page's own date line, if any, as
``(line, month, day)`` and the ``PaperRecord``s in listing order.

Nothing is configured; four passes, each linear in the size of the text:

1. Markup (``page_markup``): logical lines, with links wrapped over lines joined and
   tool markup dropped; the front matter's hints (the saved page's URL and date).
2. Lines -> elements. A line is blank, *chrome* (navigation, buttons, counters, links,
   images, dates: kept only as metadata) or text. Runs of text lines form paragraphs,
   cut into pieces, each a title or an abstract, told apart by shape: titles are short
   and do not end like a sentence, abstracts are long prose. Every element keeps the
   paper id its link names (``/papers/<id>``, ``arxiv.org/abs/<id>``, an upvote button's
   ``login?next=/papers/<id>``), be it a Markdown link or a URL on a line of its own.
3. Elements -> papers, by the page's structure where the copy shows it: when titles link
   to their paper pages, a paper is the card around its own links -- the title, the
   abstract after it, the metadata up to the next card -- and what lies outside every
   card (navigation, the page's own headings, footers) is no paper. A copy without such
   links (a select-all copy) is read by shape: each abstract takes the title before it,
   metadata goes to the paper it sits in, or, between papers, to whichever side lacks it.
4. A paper listed twice (the trending page's mobile and desktop lists) is one paper;
   a text that is mostly not papers (a README, a changelog) holds none.
"""

from __future__ import annotations

import re
from collections.abc import Set
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import cast

import generator.readers.page_chrome as chrome
import generator.readers.page_markup as page_markup
from generator.errors import ContentError, ContentErrors
from generator.model import FACTS, DigestFormat, PaperRecord, SourceRef
from generator.readers.base import PageDay, Parsed
from generator.readers.characters import NOT_TEXT, not_text_errors
from generator.readers.page_markup import Hints
from generator.text import clean_inline, title_key

FORMAT = DigestFormat.HF_TEXT
EXTENSION = ".txt"
NO_ABSTRACT = "title without an abstract (a blank line and a paragraph must follow each title)"
NO_TITLE = "abstract without a title (a title paragraph must come before each abstract)"
EMPTY = (
    "empty digest: no papers found "
    "(expected a date line such as 'Jul 29' followed by title and abstract paragraphs)"
)
HEADER_ONLY = "header only: no papers after the date line"

# Hard wrapping happens at 80-120 columns; a longer line is a whole element.
_MAX_WRAP = 160
# Titles in the HF data are at most ~170 characters; abstracts at least ~165.
_MAX_TITLE = 300
# A paragraph this long is an abstract in progress, so a short line that looks
# like a counter or a URL is more likely its wrapped tail than chrome.
_LONG_PARAGRAPH = 200
# A copy read by shape is a digest when its papers hold at least this share of its text:
# a README or a changelog pairs a heading with a paragraph here and there, and has lists,
# code and further paragraphs besides (measured in tests/test_hf_text.py).
_PAPER_SHARE = 0.5

_MARKUP_START = ("[", "!", "<", "#", "http", "*", "-", "+", "•", "·", "`")
_TERMINAL = (".", ",", ";", ":")
_MARKUP = re.compile(r"`[^`\s][^`]*`|\]\(")
_SENTENCE_BREAK = re.compile(r"[.!?][\"')\]]?\s+[A-Z]")
# A wrapped title's Markdown break left in the middle of a line: "Engage\  with Past Research".
_BROKEN_BREAK = re.compile(r"(?<!\\)\\\s+")


@dataclass(slots=True, eq=False)
class _Piece:
    """A title or an abstract, with the lines it came from."""

    kind: str  # "title", "abstract", or "list" (a bulleted list: neither)
    line: int
    text: str
    lines: list[tuple[int, str]]
    arxiv_id: str | None = None
    heading: bool = False  # a Markdown heading: certainly meant as a title
    after_blank: bool = True  # False when only chrome separates it from the previous piece
    paragraph: int = 0  # the pieces of one paragraph share it


@dataclass(slots=True)
class _Draft:
    title: _Piece
    abstract: str
    fields: dict[str, object] = field(default_factory=dict)


_RECORD_FIELDS = tuple(
    name for name in FACTS if name in chrome.Meta.__dataclass_fields__
)  # what chrome tells
_Element = _Piece | chrome.Meta


# ---------------------------------------------------------------- line level


def _check_characters(path: Path, text: str) -> None:
    """Refuse the characters XML cannot hold, one error per line, before any cleaning:
    ``str.split`` takes U+001C..U+001F for white space and would hide them."""
    found = [(m.start(), m.group()) for m in NOT_TEXT.finditer(text)]
    if found:
        raise ContentErrors(not_text_errors(path, text, found))


def _is_prose(line: str) -> bool:
    """A line of many words that starts like plain text is never chrome."""
    return (
        (len(line) > chrome.MAX_META_LEN or line.count(" ") > 6)
        and not line.startswith(_MARKUP_START)
        and not chrome.CHROME_PREFIX.match(line)
        and " · " not in line  # a byline: "Shanghai Jiao Tong University · Published on Oct 1"
    )


def _is_url(line: str) -> bool:
    """A URL other than a paper's, alone on its line: maybe the end of an abstract."""
    return line.startswith(("http", "<http")) and " " not in line and not chrome.paper_link(line)[0]


def _is_weak_meta(line: str) -> bool:
    """Chrome that could equally be the wrapped tail of an abstract line."""
    return bool(
        chrome.INT.match(line)
        or (line[:1].islower() and " " not in line)
        or chrome.DATE.match(line)
        or _is_url(line)
    )


def _continues_prose(paragraph: list[tuple[int, str]], size: int, line: str) -> bool:
    """Whether the paragraph so far looks like an abstract cut by a soft wrap, or wrapped
    before the URL it ends with."""
    if size < _LONG_PARAGRAPH:
        return False
    return not paragraph[-1][1].endswith((".", "!", "?", '."', ".)")) or _is_url(line)


# ---------------------------------------------------------- paragraph level


def _first_word_len(line: str) -> int:
    space = line.find(" ")
    return len(line) if space < 0 else space


def _segments(texts: list[str]) -> list[tuple[int, int]]:
    """Index ranges of the elements in a paragraph, cut at hard line breaks.

    A greedy wrap at width W leaves every line so full that the next word
    would not have fit; a break where it would have fit was typed on purpose.
    W is estimated without the first line, which is often a title, and the
    last, which may carry a link wrapper's URL.
    """
    if len(texts) == 1:
        return [(0, 1)]
    body = texts[1:-1] if len(texts) > 2 else texts[1:]
    wrapped = [len(t) for t in body if len(t) <= _MAX_WRAP]
    width = max(wrapped) if wrapped else 0
    slack = width // 8  # wrappers differ by a few columns; a typed break leaves more room
    ranges, start = [], 0
    for i in range(len(texts) - 1):
        current, following = len(texts[i]), len(texts[i + 1])
        hard = (
            current > _MAX_WRAP
            or following > _MAX_WRAP
            or current > width + slack
            or current + 1 + _first_word_len(texts[i + 1]) + slack <= width
        )
        if hard:
            ranges.append((start, i + 1))
            start = i + 1
    ranges.append((start, len(texts)))
    return ranges


def _has_letter(text: str) -> bool:
    return any(c.isalpha() for c in text)


def _looks_like_title(text: str) -> bool:
    """Short, one statement, no sentence ending and no URL (titles may end in ? or !)."""
    return (
        0 < len(text) <= _MAX_TITLE
        and not text.endswith(_TERMINAL)
        and "://" not in text
        and len(_SENTENCE_BREAK.findall(text)) <= 2
        and text.count(" ") < 50
    )


def _fits_title(lines: list[tuple[int, str]]) -> bool:
    return sum(len(text) + 1 for _, text in lines) <= _MAX_TITLE


def _title_cased(text: str) -> bool:
    words = [w for w in text.split() if len(w) > 3 and w[0].isalpha()]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


def _unwrap_link(text: str, refs: dict[str, str]) -> tuple[str, str | None]:
    """``[inner](url)`` or ``[inner][ref]`` around the whole text -> (inner, url); other text as is.

    Only a wrapper around the whole text is removed: links inside an abstract are the
    authors' text and stay.
    """
    if not text.startswith("["):
        return text, None
    close = chrome.bracket_pairs(text).get(0)
    if close is None:
        return text, None
    target = chrome.LINK_TARGET.match(text, close + 1)
    if target is None or target.end() != len(text):
        return text, None
    inner = text[1:close].strip()
    return inner, chrome.link_url(target, inner, refs) or (None if target.group(0).startswith("[") else "")


def _make_piece(lines: list[tuple[int, str]], refs: dict[str, str], after_blank: bool) -> _Piece:
    raw = clean_inline(" ".join(text for _, text in lines))
    text, url = _unwrap_link(raw, refs)
    if url is not None or text is not raw:
        text = clean_inline(chrome.without_images(text))
    kind = "title" if _looks_like_title(text) else "abstract"
    if kind == "title" and "\\" in text:
        text = _BROKEN_BREAK.sub(" ", text)
    paper, role = chrome.paper_link(url)
    return _Piece(
        kind, lines[0][0], text, lines, paper if role in ("page", "arxiv") else None, after_blank=after_blank
    )


def _segment_kind(lines: list[tuple[int, str]], refs: dict[str, str]) -> str:
    if sum(len(text) for _, text in lines) > 2 * _MAX_TITLE:  # too long to be a title
        return "abstract"
    return _make_piece(lines, refs, True).kind


def _listed(paragraph: list[tuple[int, str]], indented: Set[int]) -> bool:
    indents = sum(number in indented for number, _ in paragraph) if indented else 0
    short = sum(len(text) < 40 for _, text in paragraph)
    return 3 * indents >= len(paragraph) or 2 * short > len(paragraph)


def _paragraph_pieces(
    paragraph: list[tuple[int, str]], refs: dict[str, str], after_blank: bool, indented: Set[int]
) -> list[_Piece]:
    """A paragraph's titles and abstracts.

    Segments are joined again where the cut was more likely wrong than right:
    a title split over two lines, or a short line inside a wrapped abstract.
    A title may open a paragraph (glued to its abstract), or follow an
    abstract whose lines are not wrapped (a copy without blank lines).
    A list, a block of code, a tree or a table (a paragraph that opens with a list marker,
    or of three lines or more, a third of them indented or most of them short) is neither.
    An abstract may have an indented line or two: the API keeps some authors' paragraph
    indents; and nobody wraps one at 40 columns.
    """
    if chrome.BULLET.match(paragraph[0][1]) or (len(paragraph) >= 3 and _listed(paragraph, indented)):
        text = clean_inline(" ".join(text for _, text in paragraph))
        return [_Piece("list", paragraph[0][0], text, paragraph, after_blank=after_blank)]
    runs: list[list[tuple[int, str]]] = []
    kinds: list[str] = []
    for start, end in _segments([text for _, text in paragraph]):
        lines = paragraph[start:end]
        kind = _segment_kind(lines, refs)
        if kinds and kind == "title" and kinds[-1] == "abstract" and len(runs[-1][-1][1]) <= _MAX_WRAP:
            kind = "abstract"
        if kinds and kinds[-1] == kind == "title" and not _fits_title(runs[-1] + lines):
            kinds[-1] = kind = "abstract"  # too long for one title: short lines of prose
        if kinds and kinds[-1] == kind and (kind == "abstract" or _fits_title(runs[-1] + lines)):
            runs[-1].extend(lines)
        else:
            runs.append(list(lines))
            kinds.append(kind)
    return [_make_piece(lines, refs, after_blank if i == 0 else True) for i, lines in enumerate(runs)]


def _heading_piece(line: str, number: int, refs: dict[str, str]) -> _Piece | chrome.Meta:
    text = chrome.HEADING.sub("", line, count=1).rstrip("#").strip()
    meta = chrome.line_meta(text, number, refs) if text else chrome.Meta(number)
    if meta is not None:
        meta.heading = True
        return meta
    piece = _make_piece([(number, text)], refs, True)
    if piece.kind == "title":
        piece.text = clean_inline(piece.text.strip("*_"))
        piece.heading = True
    return piece


def _attach_url(elements: list[_Element], meta: chrome.Meta, refs: dict[str, str]) -> bool:
    """A URL on a line of its own after some text is that text's link (a notebook export
    puts every link's URL on a line of its own); True when ``meta`` was taken in."""
    previous = elements[-1] if elements else None
    url = meta.url or ""
    paper, role = chrome.paper_link(url)
    parts = chrome.split_url(url)
    on_site = not paper and parts is not None and parts.hostname in chrome.HF_HOSTS
    if isinstance(previous, chrome.Meta) and previous.url is None and not previous.heading:
        if paper:
            previous.arxiv_id, previous.role = paper, role
            if role == "comments":
                previous.count = previous.upvotes = None  # "2" before #community counts comments
            return True
        if on_site and previous.text:  # " Hugging Face" + https://huggingface.co/huggingface
            return _relink(elements, previous.text, previous.line, url, refs)
        if meta.github_repo and previous.github_repo is None:
            previous.github_repo = meta.github_repo
            return True
    elif isinstance(previous, _Piece) and previous.arxiv_id is None and not previous.heading:
        if paper and role in ("page", "arxiv"):
            previous.arxiv_id = paper
            return True
        if on_site and len(previous.text) <= 80 and len(previous.lines) == 1:  # "Models", "Google"
            return _relink(elements, previous.text, previous.line, url, refs)
    return False


def _relink(elements: list[_Element], text: str, line: int, url: str, refs: dict[str, str]) -> bool:
    """The last element replaced by the link ``[text](url)``, if that link is chrome."""
    link = chrome.Meta(line)
    if not chrome.link_meta(text, url, link, refs):
        return False
    elements[-1] = link
    return True


def _elements(
    lines: list[tuple[int, str]], refs: dict[str, str], indented: Set[int] = frozenset()
) -> list[_Element]:
    """Pass 2: pieces and metadata in document order."""
    elements: list[_Element] = []
    paragraph: list[tuple[int, str]] = []
    size = 0
    blank_seen = True
    paragraph_after_blank = True
    skip_user = False
    label: str | None = None

    def flush() -> None:
        nonlocal paragraph, size, blank_seen
        if paragraph:
            pieces = _paragraph_pieces(paragraph, refs, paragraph_after_blank, indented)
            for piece in pieces:
                piece.paragraph = paragraph[0][0]
            elements.extend(pieces)
            paragraph, size, blank_seen = [], 0, False

    for position, (number, line) in enumerate(lines):
        if not line:
            flush()
            blank_seen = True
            continue
        if skip_user:
            if chrome.is_image_line(line):
                continue  # the avatar between "Submitted by" and the name
            skip_user = False
            if " " not in line and len(line) <= 40:  # the user name under "Submitted by"
                continue
        if _is_prose(line):  # the common case, decided without the chrome regexes
            if not paragraph:
                paragraph_after_blank = blank_seen
            paragraph.append((number, line))
            size += len(line) + 1
            label = None
            continue
        if line.startswith("[") and "]:" in line[:110] and chrome.REF_DEF.match(line):
            flush()
            continue
        soft = paragraph and _continues_prose(paragraph, size, line)
        if line.startswith("#") and chrome.HEADING.match(line) and not soft:
            flush()
            elements.append(_heading_piece(line, number, refs))
            label = None
            continue
        meta = None if soft and _is_weak_meta(line) else chrome.line_meta(line, number, refs)
        if meta is not None:
            flush()
            if label == "upvotes" and line in chrome.DASH:
                meta.upvotes = 0  # "Upvote" / "-": nobody upvoted it yet
            if meta.count is not None:
                setattr(meta, label or "upvotes", meta.count)  # "Upvote" / "117", "GitHub" / "131"
            following = lines[position + 1][1] if position + 1 < len(lines) else ""
            if meta.url is not None and not following and _attach_url(elements, meta, refs):
                continue
            elements.append(meta)
            label = meta.label
            skip_user = line.lower().rstrip(":") == "submitted by"
            continue
        if not paragraph:
            paragraph_after_blank = blank_seen
        paragraph.append((number, line))
        size += len(line) + 1
        label = None
    flush()
    # Text without a single letter (": : :", "?!", a row of symbols) is neither a title nor an
    # abstract; taking it for one turned any two lines of junk into a paper.
    return [e for e in elements if isinstance(e, chrome.Meta) or _has_letter(e.text)]


# ------------------------------------------------------------- record level


def _is_title(piece: _Piece, marked: bool) -> bool:
    return piece.heading if marked else piece.kind == "title"


def _split_head(piece: _Piece) -> tuple[_Piece, _Piece] | None:
    """A title line (or two) glued to its abstract, as (title, abstract), if it looks so."""
    for count in (2, 1):
        if len(piece.lines) <= count:
            continue
        head = clean_inline(" ".join(t for _, t in piece.lines[:count]))
        if _looks_like_title(head) and _title_cased(head):
            rest = clean_inline(" ".join(t for _, t in piece.lines[count:]))
            title = _Piece("title", piece.line, head, piece.lines[:count])
            abstract = _Piece("abstract", piece.lines[count][0], rest, piece.lines[count:], piece.arxiv_id)
            return title, abstract
    return None


class _Assembler:
    """Pass 3 by shape: pairs titles with abstracts and places metadata."""

    def __init__(self, path: Path, marked: bool) -> None:
        self.path = path
        self.marked = marked  # titles are Markdown headings: other short lines are noise
        self.drafts: list[_Draft] = []
        self.errors: list[ContentError] = []
        self.page_day: PageDay | None = None
        self.pending: list[_Piece] = []  # titles still waiting for an abstract
        self.open = False  # the last paper still takes paragraphs cut off by chrome
        self.header = True  # before the date line or first paper, stray lines are page header
        self.loose: list[chrome.Meta] = []  # metadata not yet given to a paper
        self.leading: set[str] = set()  # fields the page puts before a paper's title
        self.unpaired = 0  # characters of text that are no paper's (stray paragraphs, lists)

    def error(self, line: int, message: str) -> None:
        self.errors.append(ContentError(SourceRef(self.path, line), message))

    def add_meta(self, meta: chrome.Meta, next_is_abstract: bool) -> None:
        if meta.page_day and self.page_day is None and not self.drafts:
            # "May 30" between the first title and its abstract is that paper's date.
            if meta.heading or not (self.pending and (self.marked or next_is_abstract)):
                self.page_day = meta.page_day
                self.pending, self.loose, self.header = [], [], False
                return
        if meta.heading and not self.drafts:
            self.pending = []  # "# Daily Papers": the page's own heading ends its header's lines
        self.loose.append(meta)

    def add_title(self, piece: _Piece) -> None:
        if self.marked and not piece.heading:
            self.unpaired += len(piece.text)
            return
        self.open = False
        if self.marked and self.pending:
            self.stray(self.pending[-1])
            self.pending = []
        self.pending.append(piece)

    def stray(self, title: _Piece) -> None:
        self.unpaired += len(title.text)
        if not self.header:
            self.error(title.line, NO_ABSTRACT)

    def add_abstract(self, piece: _Piece) -> None:
        if piece.kind == "list":
            self.unpaired += len(piece.text)
            for stray in self.pending:  # a heading over a list or code is a section, not a paper
                self.stray(stray)
            self.pending, self.open = [], False
        elif self.pending:
            self.start(piece)
        elif self.drafts and self.open and not piece.after_blank:
            draft = self.drafts[-1]
            draft.abstract = draft.abstract + " " + piece.text
        elif self.marked:
            self.unpaired += len(piece.text)  # extra prose under a heading (a summary, a comment)
        elif (split := _split_head(piece)) is not None:
            self.pending.append(split[0])
            self.start(split[1])
        else:
            self.unpaired += len(piece.text)
            if not self.header:
                self.error(piece.line, NO_TITLE)

    def start(self, abstract: _Piece) -> None:
        title = self.pending[-1]
        for stray in self.pending[:-1]:
            self.stray(stray)
        previous = self.drafts[-1] if self.drafts else None
        draft = _Draft(title, abstract.text)
        for piece in (title, abstract):
            if piece.arxiv_id:
                draft.fields.setdefault("arxiv_id", piece.arxiv_id)
        if previous is None:  # what comes before the first title leads every paper
            self.leading = {
                name for m in self.loose if m.line < title.line for name, _ in chrome.meta_fields(m)
            }
        # Inside the paper first, so its own facts win over ones that merely sit nearby.
        for meta in sorted(self.loose, key=lambda m: m.line < title.line):
            for name, value in chrome.meta_fields(meta):
                if meta.line > title.line or previous is None or name in self.leading:
                    draft.fields.setdefault(name, value)
                elif previous.fields.get(name) == value:
                    continue  # the previous paper's link repeated after it
                elif name not in previous.fields:
                    previous.fields[name] = value  # trails the previous paper
                else:
                    draft.fields.setdefault(name, value)  # leads this paper
        self.pending, self.loose, self.header, self.open = [], [], False, True
        self.drafts.append(draft)

    def finish(self) -> None:
        if self.drafts:
            last = self.drafts[-1]
            for meta in self.loose:
                for name, value in chrome.meta_fields(meta):
                    last.fields.setdefault(name, value)
        for stray in self.pending:
            self.stray(stray)


def _by_shape(path: Path, elements: list[_Element]) -> _Assembler:
    assembler = _Assembler(path, marked=any(isinstance(e, _Piece) and e.heading for e in elements))
    next_is_abstract = False
    lookahead = []  # for each element: is the next piece an abstract? (one backward pass)
    for element in reversed(elements):
        lookahead.append(next_is_abstract)
        if isinstance(element, _Piece):
            next_is_abstract = element.kind == "abstract"
    lookahead.reverse()
    for element, before_abstract in zip(elements, lookahead, strict=True):
        if isinstance(element, chrome.Meta):
            assembler.add_meta(element, before_abstract)
        elif element.kind == "title":
            assembler.add_title(element)
        else:
            assembler.add_abstract(element)
    assembler.finish()
    return assembler


# ------------------------------------------------------------ by structure


@dataclass(slots=True)
class _Card:
    """One paper's card: the elements from its first link to its last, and those around
    them up to the next card."""

    arxiv_id: str
    elements: list[_Element] = field(default_factory=list)
    fields: dict[str, object] = field(default_factory=dict)

    def take(self, element: _Element) -> None:
        self.elements.append(element)
        if isinstance(element, chrome.Meta):
            for name, value in chrome.meta_fields(element):
                self.fields.setdefault(name, value)


def _runs(elements: list[_Element]) -> list[tuple[int, int, str]]:
    """``(first, last, id)`` of each run of elements that link the same paper."""
    runs: list[tuple[int, int, str]] = []
    for index, element in enumerate(elements):
        if element.arxiv_id is None:
            continue
        if runs and runs[-1][2] == element.arxiv_id:
            runs[-1] = (runs[-1][0], index, element.arxiv_id)
        else:
            runs.append((index, index, element.arxiv_id))
    return runs


def _own_title(elements: list[_Element], run: tuple[int, int, str]) -> bool:
    first, last, arxiv_id = run
    return any(
        isinstance(e, _Piece) and e.arxiv_id == arxiv_id and e.kind == "title"
        for e in elements[first : last + 1]
    )


def _leading_title(gap: list[_Element], marked: bool) -> int | None:
    """Index in ``gap`` of a title with only metadata after it: the next card's, unlinked."""
    for index in range(len(gap) - 1, -1, -1):
        element = gap[index]
        if isinstance(element, _Piece):
            return index if _is_title(element, marked) else None
    return None


def _header_end(header: list[_Element], first_has_title: bool, marked: bool) -> int:
    """Where the page header ends and the first card begins: at an unlinked title right
    before the first card's link, else after the header's last text, heading or date line."""
    if not first_has_title and (lead := _leading_title(header, marked)) is not None:
        return lead
    ends = [
        i + 1
        for i, e in enumerate(header)
        if isinstance(e, _Piece) or (isinstance(e, chrome.Meta) and (e.heading or e.page_day))
    ]
    return ends[-1] if ends else 0


def _cards(elements: list[_Element], marked: bool) -> tuple[list[_Element], list[_Card]]:
    """The page header (before the first card) and the cards in listing order.

    Between two cards, what follows the first card's last link is that card's, except a
    title right before the next card's link when that card has no linked title of its own,
    and metadata the first card already has (the next card's, put before its link).
    """
    runs = _runs(elements)
    cards = [_Card(arxiv_id) for _, _, arxiv_id in runs]
    header = elements[: runs[0][0]]
    split = _header_end(header, _own_title(elements, runs[0]), marked)
    header, leading = header[:split], header[split:]
    for k, (first, last, _) in enumerate(runs):
        card, following = cards[k], runs[k + 1] if k + 1 < len(runs) else None
        for element in leading + elements[first : last + 1]:
            card.take(element)
        gap = elements[last + 1 : following[0] if following else len(elements)]
        if following is None:  # the last card ends where the page's footer begins
            gap = gap[
                : next((i for i, e in enumerate(gap) if isinstance(e, chrome.Meta) and e.footer), len(gap))
            ]
        lead = _leading_title(gap, marked) if following and not _own_title(elements, following) else None
        split = len(gap) if lead is None else lead
        leading = []
        for element in gap[:split]:
            if following and isinstance(element, chrome.Meta) and _has_any(card, element):
                leading.append(element)
            else:
                card.take(element)
        leading += gap[split:]
    return header, cards


def _has_any(card: _Card, meta: chrome.Meta) -> bool:
    return any(name in card.fields for name, _ in chrome.meta_fields(meta))


def _card_draft(card: _Card, marked: bool) -> tuple[_Draft | None, _Piece | None, list[_Draft]]:
    """A card's paper (None if it has no title or no abstract), a lone abstract, and the
    unlinked papers it holds besides (a title and an abstract without a link)."""
    pieces = [e for e in card.elements if isinstance(e, _Piece)]
    own = [p for p in pieces if p.arxiv_id == card.arxiv_id]
    title = next((p for p in own if p.kind == "title"), None)
    if title is None:
        title = next((p for p in pieces if p.arxiv_id is None and _is_title(p, marked)), None)
    abstract: _Piece | None = None
    used: set[int] = set()
    if title is not None:
        used.add(id(title))
        after = pieces[pieces.index(title) + 1 :]
        linked = next((p for p in after if p.arxiv_id == card.arxiv_id and p.text != title.text), None)
        abstract = next((p for p in own if p.kind == "abstract"), None) or linked
        if abstract is None:
            for piece in after:
                if piece.arxiv_id is None and piece.kind == "abstract":
                    abstract = piece
                    break
                if _is_title(piece, marked) and piece.arxiv_id != card.arxiv_id:
                    break  # another title first: this card's abstract is missing
    else:
        abstract = next((p for p in own if p.kind == "abstract"), None)
    if abstract is None or title is None:
        return None, abstract, _unlinked(pieces, used, card.arxiv_id, marked)
    # A hard-wrapped abstract may have been cut into a title-like head and the rest.
    group = [abstract]
    if abstract.arxiv_id is None:
        group = [
            p for p in pieces if p.paragraph == abstract.paragraph and p.arxiv_id is None and p is not title
        ]
    used.update(id(p) for p in group)
    text = " ".join(p.text for p in group)
    for piece in pieces[pieces.index(group[-1]) + 1 :]:
        if piece.after_blank or piece.arxiv_id not in (None, card.arxiv_id) or piece.kind != "abstract":
            break
        text = f"{text} {piece.text}"  # the abstract's tail, cut off by a chrome line
        used.add(id(piece))
    draft = _Draft(title, text, dict(card.fields))
    draft.fields["arxiv_id"] = card.arxiv_id
    return draft, None, _unlinked(pieces, used, card.arxiv_id, marked)


def _unlinked(pieces: list[_Piece], used: set[int], arxiv_id: str, marked: bool) -> list[_Draft]:
    """Titles followed by an abstract, neither linked to a paper, among a card's other pieces."""
    drafts: list[_Draft] = []
    pending: _Piece | None = None
    for piece in pieces:
        if id(piece) in used or piece.arxiv_id is not None:
            pending = None
        elif _is_title(piece, marked):
            pending = piece
        elif pending is not None and piece.kind == "abstract":
            drafts.append(_Draft(pending, piece.text))
            pending = None
    return drafts


def _by_structure(
    path: Path, elements: list[_Element], marked: bool
) -> tuple[list[_Draft], list[ContentError], PageDay | None]:
    """Papers as the cards around their links; errors for a card missing its title or abstract."""
    header, cards = _cards(elements, marked)
    page_day = next((m.page_day for m in header if isinstance(m, chrome.Meta) and m.page_day), None)
    drafts: dict[str, _Draft] = {}
    problems: dict[str, ContentError] = {}
    extras: list[_Draft] = []
    for card in cards:
        draft, lone, unlinked = _card_draft(card, marked)
        extras.extend(unlinked)
        if draft is None:
            if card.arxiv_id not in drafts and card.arxiv_id not in problems:
                problem = _card_problem(path, card, lone)
                if problem is not None:
                    problems[card.arxiv_id] = problem
            continue
        problems.pop(card.arxiv_id, None)  # the paper's other listing is whole
        if card.arxiv_id in drafts:
            for name, value in draft.fields.items():
                drafts[card.arxiv_id].fields.setdefault(name, value)
        else:
            drafts[card.arxiv_id] = draft
    ordered = sorted([*drafts.values(), *extras], key=lambda d: d.title.line)
    return ordered, sorted(problems.values(), key=lambda e: e.source.line), page_day  # type: ignore[union-attr]


def _card_problem(path: Path, card: _Card, lone: _Piece | None) -> ContentError | None:
    """The error for a card without its abstract or title; None for a stray link."""
    own = (e for e in card.elements if isinstance(e, _Piece) and e.arxiv_id == card.arxiv_id)
    title = next((piece for piece in own if piece.kind == "title"), None)
    if title is not None:
        return ContentError(SourceRef(path, title.line), NO_ABSTRACT)
    if lone is not None:
        return ContentError(SourceRef(path, lone.line), NO_TITLE)
    return None  # a stray link (a thumbnail, an arXiv link) with no card around it


# ------------------------------------------------------------------ output


def _record(path: Path, draft: _Draft, saved_on: date | None) -> PaperRecord:
    fields = {name: draft.fields[name] for name in _RECORD_FIELDS if name in draft.fields}
    month_day = draft.fields.get("month_day")
    if "published_on" not in fields and month_day and saved_on:
        month, day = cast(tuple[int, int], month_day)
        year = saved_on.year - ((month, day) > (saved_on.month, saved_on.day))
        try:
            fields["published_on"] = date(year, month, day)
        except ValueError:  # Feb 29 of a year without one
            pass
    return PaperRecord(
        title=draft.title.text,
        abstract=draft.abstract,
        source=SourceRef(path, draft.title.line),
        **fields,  # type: ignore[arg-type]
    )


def _without_repeats(drafts: list[_Draft]) -> list[_Draft]:
    """One draft per paper listed more than once (the trending page lists each paper in its
    mobile and its desktop layout), the first, with the other listings' metadata."""
    kept: list[_Draft] = []
    by_title: dict[str, _Draft] = {}
    for draft in drafts:
        previous = by_title.get(title_key(draft.title.text) or draft.title.text)
        if previous is not None:
            ids = (previous.fields.get("arxiv_id"), draft.fields.get("arxiv_id"))
            if None in ids or ids[0] == ids[1]:
                for name, value in draft.fields.items():
                    previous.fields.setdefault(name, value)
                continue
        kept.append(draft)
        by_title.setdefault(title_key(draft.title.text) or draft.title.text, draft)
    return kept


_DAY_URL = re.compile(r"huggingface\.co/papers(?:/date/|/?\?date=)(\d{4})-(\d{2})-(\d{2})", re.I)
_OTHER_DAYS_URL = re.compile(r"huggingface\.co/papers(?:/(?:trending|week|month)\b|/?\?(?:[^#]*&)?q=)", re.I)


def _hinted_day(hints: Hints, page_day: PageDay | None) -> PageDay | None:
    """The page's day: its date line, or the day its saved URL names; none on a page that
    lists other days' papers (trending, a search, a week or a month), whatever it shows."""
    if hints.url is None:
        return page_day
    if (day := _DAY_URL.search(hints.url)) is not None:
        return page_day or PageDay(hints.url_line, int(day.group(2)), int(day.group(3)))
    return None if _OTHER_DAYS_URL.search(hints.url) else page_day


def claims(text: str) -> bool:
    """Anything other readers do not claim is read as a text copy."""
    return True


def parse(path: Path, text: str) -> Parsed:
    page_day, records = parse_hf_text(path, text)
    return Parsed(tuple(records), page_day)


def parse_hf_text(path: Path, text: str) -> tuple[PageDay | None, list[PaperRecord]]:
    """The page's date line ``(line, month, day)`` if any, and its papers in listing order."""
    _check_characters(path, text)
    raw = page_markup.split_lines(text)
    lines = page_markup.normalise(raw)
    if page_markup.is_html_document(lines):
        raise ContentError(SourceRef(path, 1), EMPTY)
    start, hints = page_markup.front_matter(lines)
    refs = chrome.reference_links(lines)
    elements = _elements(page_markup.logical_lines(raw, lines, start), refs, page_markup.indented(raw))
    marked = any(isinstance(e, _Piece) and e.heading for e in elements)
    structured = any(isinstance(e, _Piece) and e.arxiv_id and e.kind == "title" for e in elements)
    if structured:
        drafts, errors, page_day = _by_structure(path, elements, marked)
        digest = bool(drafts) or bool(errors)
    else:
        assembler = _by_shape(path, elements)
        drafts, errors, page_day = assembler.drafts, assembler.errors, assembler.page_day
        # Documentation pairs a heading with prose that has inline code or links; a paper's
        # abstract on the page has neither (23 of the 5,841 shared abstracts have backticks).
        paired = sum(len(d.title.text) + len(d.abstract) for d in drafts if not _MARKUP.search(d.abstract))
        unpaired = assembler.unpaired + sum(len(d.title.text) + len(d.abstract) for d in drafts) - paired
        digest = paired > 0 and paired >= _PAPER_SHARE * (paired + unpaired)
    if not digest:
        if page_day is not None and errors and not drafts:
            raise ContentErrors(errors)  # the page's date line, then only broken papers
        if page_day is not None and not drafts:
            raise ContentError(SourceRef(path, page_day[0]), HEADER_ONLY)
        raise ContentError(SourceRef(path, 1), EMPTY)
    if errors:
        raise ContentErrors(errors)
    return _hinted_day(hints, page_day), [_record(path, d, hints.saved_on) for d in _without_repeats(drafts)]
