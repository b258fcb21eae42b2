"""Reader for text copies of the Hugging Face papers page.

Takes the page text as people save it -- selected and pasted, or clipped to
Markdown by a browser tool -- and returns the page's own date line, if any, as
``(line, month, day)`` and the ``PaperRecord``s in listing order.

Nothing is configured; three passes, each linear in the size of the text:

1. Lines -> elements. A line is blank, *chrome* (navigation, buttons, counters,
   links, images, dates: kept only as metadata) or text. Runs of text lines
   form paragraphs; chrome ends a paragraph as a blank line does.
2. Paragraphs -> pieces, each a title or an abstract, told apart by shape:
   titles are short and do not end like a sentence, abstracts are long prose.
   A paragraph holding a title and its hard-wrapped abstract is cut where the
   line breaks stop looking like soft wraps. Text without a letter is neither.
3. Pieces -> records: each abstract takes the title before it; metadata goes to
   the paper it sits in, or, between papers, to whichever side lacks it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import SplitResult, urlsplit

from generator.errors import ContentError, ContentErrors
from generator.model import PaperRecord, SourceRef
from generator.readers.characters import NOT_TEXT, http_url, not_text_errors
from generator.text import MONTH_NAMES, clean_inline, title_key

NO_ABSTRACT = "title without an abstract (a blank line and a paragraph must follow each title)"
NO_TITLE = "abstract without a title (a title paragraph must come before each abstract)"
EMPTY = (
    "empty digest: no papers found "
    "(expected a date line such as 'Jul 29' followed by title and abstract paragraphs)"
)
HEADER_ONLY = "header only: no papers after the date line"

# Invisible characters that copy tools leave at line edges; str.strip() keeps
# the zero-width ones because Python does not count them as white space.
_EDGE_CHARS = (
    " \t\n\r\f\v\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u200b\u200c\u200d\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u202f\u205f\u2060"
    "\u2066\u2067\u2068\u2069\u3000\ufeff"
)

# Lines longer than this are never metadata: skipping the regexes keeps huge
# lines cheap and stops a long abstract line from being mistaken for chrome.
_MAX_META_LEN = 300
# Hard wrapping happens at 80-120 columns; a longer line is a whole element.
_MAX_WRAP = 160
# Titles in the HF data are at most ~170 characters; abstracts at least ~165.
_MAX_TITLE = 300
# A paragraph this long is an abstract in progress, so a short line that looks
# like a counter or a URL is more likely its wrapped tail than chrome.
_LONG_PARAGRAPH = 200

_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATE = re.compile(
    rf"^(?:(published|submitted|featured|posted)\s+on\s+)?{_MONTH}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?"
    r"(?:,?\s+(\d{4}))?$",
    re.I,
)
_MONTHS = {name[:3].lower(): number for number, name in enumerate(MONTH_NAMES, 1)}  # "jan": 1

_BULLET = re.compile(r"^(?:[*+\-•·]|\d{1,3}[.)])\s+")
_PIECE_SEP = re.compile(r"\s*[·•|]\s*")
_HEADING = re.compile(r"^#{1,6}(?:\s+|$)")
_RULE = re.compile(r"^(?:[-=_*]\s*){3,}$")
_REF_DEF = re.compile(r"^\s{0,3}\[([^\]]{1,100})\]:\s*<?(\S+?)>?(?:\s+.*)?$")
_INT = re.compile(r"^\d{1,7}$")
_UPVOTES = re.compile(
    r"^(?:upvotes?|votes?|likes?|▲|△|⬆|↑|👍)?\s*[:·]?\s*(\d{1,7})\s*(?:upvotes?|votes?|likes?)?$", re.I
)
_BOX_UPVOTES = re.compile(r"^\[\s*[-−–+x✓]?\s*\]\s*(\d{1,7})$")
_AUTHORS = re.compile(r"^\+?\s*\d{1,4}\s+(?:more\s+)?authors?$", re.I)
_GITHUB_STARS = re.compile(
    r"^(?:github|code|stars?|★|⭐)\s*[:·]?\s*(\d+(?:[.,]\d+)?)\s*([km])?(?:\s*stars?)?$", re.I
)
_COUNT = re.compile(r"^(\d+(?:[.,]\d+)?)\s*([km])?$", re.I)
_PAPER_URL = re.compile(r"(?:huggingface\.co|hf\.co)/papers/(\d{4}\.\d{4,5})(?:v\d+)?(?![\d.])", re.I)
_ARXIV_URL = re.compile(r"arxiv\.org/(?:abs|pdf|html)/(\d{4}\.\d{4,5})(?:v\d+)?(?![\d.])", re.I)
_CHROME_PREFIX = re.compile(
    r"^(?:get trending papers\b|submitted by\b|search any paper\b|title:|url source:|published time:"
    r"|markdown content:|join the community\b|©|copyright\b)",
    re.I,
)
_CHROME = frozenset(
    """new; subscribe; daily papers; papers; byak and the research community;
    by ak and the research community; byak; by ak; and the research community; daily; weekly; monthly;
    search; trending papers; trending; models; datasets; spaces; community; docs; enterprise; pricing;
    log in; login; sign up; signup; hugging face; hugging face's logo; previous; next; upvote; upvoted;
    submitted by; github; code; arxiv; arxiv page; view arxiv page; view pdf; pdf; project page;
    add to collection; collections; posts; blog; learn; discord; forum; solutions; system theme;
    company; tos; privacy; about; jobs; website; status; changelog; view all; see all; load more;
    comments; comment; share; authors; ai-generated summary; abstract; submit; submit a paper;
    daily / weekly / monthly; daily weekly monthly; papers - hugging face; daily papers - hugging face;
    ·; •; |; -; +; —; –; »; «; →; ←; ...; …""".split(";")
)
_CHROME = frozenset(" ".join(c.split()) for c in _CHROME)
# huggingface.co/<first path segment> of site pages, as opposed to organisations.
_SITE_PATHS = frozenset(
    "papers models datasets spaces docs enterprise pricing login join blog posts learn collections "
    "settings notifications chat search organizations new welcome terms-of-service privacy".split()
)
_INLINE_LINK = re.compile(r"!?\[([^\[\]]*)\]\([^()\s]*\)")
_MARKUP_START = ("[", "!", "<", "#", "http", "*", "-", "+", "•", "·", "`")
_TERMINAL = (".", ",", ";", ":")
_SENTENCE_BREAK = re.compile(r"[.!?][\"')\]]?\s+[A-Z]")


@dataclass(slots=True)
class _Meta:
    """Facts a chrome line carries about a paper (all optional)."""

    line: int
    arxiv_id: str | None = None
    github_repo: str | None = None
    github_stars: int | None = None
    upvotes: int | None = None
    organization: str | None = None
    published_on: date | None = None
    page_day: tuple[int, int] | None = None  # a bare "Jul 29" line: maybe the page's date
    heading: bool = False  # "## Jul 29": a heading is never a paper's own date


@dataclass(slots=True)
class _Piece:
    """A title or an abstract, with the lines it came from."""

    kind: str  # "title" or "abstract"
    line: int
    text: str
    lines: list[tuple[int, str]]
    arxiv_id: str | None = None
    heading: bool = False  # a Markdown heading: certainly meant as a title
    after_blank: bool = True  # False when only chrome separates it from the previous piece


@dataclass(slots=True)
class _Draft:
    title: _Piece
    abstract: str
    fields: dict[str, object] = field(default_factory=dict)


_FIELDS = ("arxiv_id", "github_repo", "github_stars", "upvotes", "organization", "published_on")


# ---------------------------------------------------------------- line level


def _check_characters(path: Path, text: str) -> None:
    """Refuse the characters XML cannot hold, one error per line, before any cleaning:
    ``str.split`` takes U+001C..U+001F for white space and would hide them."""
    found = [(m.start(), m.group()) for m in NOT_TEXT.finditer(text)]
    if found:
        raise ContentErrors(not_text_errors(path, text, found))


def _normalise(text: str) -> list[str]:
    """Lines with CR, BOMs and edge white space (visible or not) removed."""
    text = text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n")
    return [line.strip(_EDGE_CHARS) for line in text.split("\n")]


def _front_matter_end(lines: list[str]) -> int:
    """Index after a YAML front matter block that a clipping tool put on top, else 0."""
    first = next((i for i, line in enumerate(lines) if line), None)
    if first is None or lines[first] != "---":
        return 0
    for i in range(first + 1, min(len(lines), first + 200)):
        if lines[i] in ("---", "..."):
            return i + 1
    return 0


def _reference_links(lines: list[str]) -> dict[str, str]:
    """Markdown reference definitions (``[12]: https://...``), by lower-cased label."""
    refs: dict[str, str] = {}
    for line in lines:
        if line.startswith("[") and "]:" in line[:110]:
            match = _REF_DEF.match(line)
            if match:
                refs.setdefault(match.group(1).strip().lower(), match.group(2))
    return refs


def _balanced(text: str) -> bool:
    """Brackets pair up, so ``[a](x) and [b](y)`` is not taken for one wrapper."""
    close = text.find("]")
    return text.count("[") == text.count("]") and (close < 0 or text.find("[") < close)


def _unwrap_link(text: str, refs: dict[str, str]) -> tuple[str, str | None]:
    """``[inner](url)`` or ``[inner][ref]`` -> (inner, url); other text is returned as is.

    Only a wrapper around the whole text is removed: links inside an abstract
    are the authors' text and stay.
    """
    if not text.startswith("["):
        return text, None
    if text.endswith(")"):
        cut = text.rfind("](")
        target = text[cut + 2 : -1].strip()
        url = target.split()[0].strip("<>") if target else ""
        if cut > 0 and _balanced(text[1:cut]) and (not target or len(target.split()) <= 1 or '"' in target):
            return text[1:cut].strip(), url or None
    elif text.endswith("]"):
        cut = text.rfind("][")
        label = text[cut + 2 : -1]
        if cut > 0 and len(label) <= 100 and _balanced(text[1:cut]):
            return text[1:cut].strip(), refs.get(label.strip().lower() or text[1:cut].strip().lower())
    return text, None


def _arxiv_id(url: str | None) -> str | None:
    if not url:
        return None
    match = _PAPER_URL.search(url) or _ARXIV_URL.search(url)
    return match.group(1) if match else None


def _split(url: str) -> SplitResult | None:
    """``urlsplit``, or None for what it refuses (``https://[a/b``: an unclosed IPv6 host)."""
    try:
        return urlsplit(url)
    except ValueError:
        return None


def _github_repo(url: str) -> str | None:
    """``https://github.com/owner/repo`` from any link into a repository."""
    parts = _split(url if "://" in url else "https://" + url)
    if parts is None or parts.hostname not in ("github.com", "www.github.com"):
        return None
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) < 2:
        return None
    repo = segments[1].removesuffix(".git")
    return http_url(f"https://github.com/{segments[0]}/{repo}") if repo else None


def _count(number: str, suffix: str | None) -> int:
    """'1.2k' -> 1200, '1,234' -> 1234."""
    if suffix:
        return int(float(number.replace(",", ".")) * (1000 if suffix.lower() == "k" else 1_000_000))
    return int(number.replace(",", "").replace(".", ""))


def _link_meta(inner: str, url: str, meta: _Meta, refs: dict[str, str]) -> bool:
    """Fill ``meta`` from a link that is chrome; False if the link is content (a title...)."""
    short = len(inner) <= 80 or inner.startswith("![")  # images carry long URLs
    paper = _arxiv_id(url)
    if paper:
        if not short or (inner and not _piece_meta(inner, meta, refs) and not inner.startswith("!")):
            return False
        meta.arxiv_id = paper
        return True
    repo = _github_repo(url)
    if repo:
        meta.github_repo = repo
        stars = _COUNT.match(inner) or _GITHUB_STARS.match(inner)
        if stars:
            meta.github_stars = _count(stars.group(1), stars.group(2))
        return True
    parts = _split(url)
    if parts is not None and parts.hostname in ("huggingface.co", "www.huggingface.co", "hf.co"):
        segments = [s for s in parts.path.split("/") if s]
        if len(segments) == 1 and segments[0].lower() not in _SITE_PATHS and short:
            if inner and not inner.startswith("!") and not _piece_meta(inner, meta, refs):
                meta.organization = clean_inline(inner)
            return True
        return short
    return short and (not inner or inner.startswith("!") or _piece_meta(inner, meta, refs))


def _piece_meta(piece: str, meta: _Meta, refs: dict[str, str]) -> bool:
    """Whether one ``·``-separated piece of a line is chrome; fills ``meta`` from it."""
    piece = piece.strip().strip("*_`").strip()
    if not piece:
        return True
    if piece.startswith("!["):  # an image, maybe inside a link: only the link matters
        return piece.endswith(")") or piece.endswith("]")
    if piece.startswith("["):
        match = _BOX_UPVOTES.match(piece)
        if match:
            meta.upvotes = int(match.group(1))
            return True
        inner, url = _unwrap_link(piece, refs)
        if url:
            return _link_meta(inner, url, meta, refs)
        if inner != piece:
            return _piece_meta(inner, meta, refs)
    plain = _INLINE_LINK.sub(r"\1", piece).lower() if "](" in piece else piece.lower()
    if plain in _CHROME or _CHROME_PREFIX.match(plain):
        return True
    if piece.startswith(("http://", "https://", "<http")) and " " not in piece:
        url = piece.strip("<>")
        meta.arxiv_id = _arxiv_id(url) or meta.arxiv_id
        meta.github_repo = _github_repo(url) or meta.github_repo
        return True
    for pattern in (_UPVOTES, _BOX_UPVOTES):
        match = pattern.match(piece)
        if match:
            meta.upvotes = int(match.group(1))
            return True
    match = _GITHUB_STARS.match(piece)
    if match:
        meta.github_stars = _count(match.group(1), match.group(2))
        return True
    if _AUTHORS.match(piece):
        return True
    match = _DATE.match(piece)
    if match:
        prefix, month, day, year = match.groups()
        month_number = _MONTHS[month[:3].lower()]
        if year:
            try:
                meta.published_on = date(int(year), month_number, int(day))
            except ValueError:
                pass
        return True
    return False


def _line_meta(line: str, number: int, refs: dict[str, str]) -> _Meta | None:
    """The facts a chrome line carries, or None if the line is text."""
    if len(line) > _MAX_META_LEN:
        return None
    meta = _Meta(number)
    if _RULE.match(line):
        return meta
    date_match = _DATE.match(line)
    if date_match and not date_match.group(1) and not date_match.group(4):
        meta.page_day = (_MONTHS[date_match.group(2)[:3].lower()], int(date_match.group(3)))
        return meta
    body = _BULLET.sub("", line, count=1)
    pieces = _PIECE_SEP.split(body) if ("·" in body or "•" in body or "|" in body) else [body]
    if all(_piece_meta(piece, meta, refs) for piece in pieces):
        return meta
    return None


def _is_prose(line: str) -> bool:
    """A line of many words that starts like plain text is never chrome."""
    return (
        (len(line) > _MAX_META_LEN or line.count(" ") > 6)
        and not line.startswith(_MARKUP_START)
        and not _CHROME_PREFIX.match(line)
    )


def _is_weak_meta(line: str) -> bool:
    """Chrome that could equally be the wrapped tail of an abstract line."""
    return bool(
        _INT.match(line)
        or (line[:1].islower() and " " not in line)
        or _DATE.match(line)
        or (line.startswith("http") and not _arxiv_id(line))
    )


def _continues_prose(paragraph: list[tuple[int, str]], size: int) -> bool:
    """Whether the paragraph so far looks like an abstract cut by a soft wrap."""
    return size >= _LONG_PARAGRAPH and not paragraph[-1][1].endswith((".", "!", "?", '."', ".)"))


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


def _segment_kind(lines: list[tuple[int, str]], refs: dict[str, str]) -> str:
    if sum(len(text) for _, text in lines) > 2 * _MAX_TITLE:  # too long to be a title
        return "abstract"
    return _make_piece(lines, refs, True).kind


def _make_piece(lines: list[tuple[int, str]], refs: dict[str, str], after_blank: bool) -> _Piece:
    raw = clean_inline(" ".join(text for _, text in lines))
    text, url = _unwrap_link(raw, refs)
    if url is not None or text is not raw:
        text = clean_inline(text)
    kind = "title" if _looks_like_title(text) else "abstract"
    return _Piece(kind, lines[0][0], text, lines, _arxiv_id(url), after_blank=after_blank)


def _paragraph_pieces(
    paragraph: list[tuple[int, str]], refs: dict[str, str], after_blank: bool
) -> list[_Piece]:
    """A paragraph's titles and abstracts.

    Segments are joined again where the cut was more likely wrong than right:
    a title split over two lines, or a short line inside a wrapped abstract.
    A title may open a paragraph (glued to its abstract), or follow an
    abstract whose lines are not wrapped (a copy without blank lines).
    """
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


def _heading_piece(line: str, number: int, refs: dict[str, str]) -> _Piece | _Meta:
    text = _HEADING.sub("", line, count=1).rstrip("#").strip()
    meta = _line_meta(text, number, refs) if text else _Meta(number)
    if meta is not None:
        meta.heading = True
        return meta
    inner, url = _unwrap_link(text, refs)
    inner = clean_inline(inner.strip("*_").strip())
    if not _looks_like_title(inner):
        return _make_piece([(number, text)], refs, True)
    return _Piece("title", number, inner, [(number, text)], _arxiv_id(url), heading=True)


def _elements(lines: list[str], first: int, refs: dict[str, str]) -> list[_Piece | _Meta]:
    """Pass 1 and 2: pieces and metadata in document order."""
    elements: list[_Piece | _Meta] = []
    paragraph: list[tuple[int, str]] = []
    size = 0
    blank_seen = True
    paragraph_after_blank = True
    skip_user = False

    def flush() -> None:
        nonlocal paragraph, size, blank_seen
        if paragraph:
            elements.extend(_paragraph_pieces(paragraph, refs, paragraph_after_blank))
            paragraph, size, blank_seen = [], 0, False

    for index in range(first, len(lines)):
        line, number = lines[index], index + 1
        if not line:
            flush()
            blank_seen = True
            continue
        if skip_user:
            skip_user = False
            if " " not in line and len(line) <= 40:  # the user name under "Submitted by"
                continue
        if _is_prose(line):  # the common case, decided without the chrome regexes
            if not paragraph:
                paragraph_after_blank = blank_seen
            paragraph.append((number, line))
            size += len(line) + 1
            continue
        if line.startswith("[") and "]:" in line[:110] and _REF_DEF.match(line):
            flush()
            continue
        soft = paragraph and _continues_prose(paragraph, size)
        if line.startswith("#") and _HEADING.match(line) and not soft:
            flush()
            elements.append(_heading_piece(line, number, refs))
            continue
        meta = None if soft and _is_weak_meta(line) else _line_meta(line, number, refs)
        if meta is not None:
            flush()
            elements.append(meta)
            skip_user = line.lower().rstrip(":") == "submitted by"
            continue
        if not paragraph:
            paragraph_after_blank = blank_seen
        paragraph.append((number, line))
        size += len(line) + 1
    flush()
    # Text without a single letter (": : :", "?!", a row of symbols) is neither a title nor an
    # abstract; taking it for one turned any two lines of junk into a paper.
    return [e for e in elements if isinstance(e, _Meta) or _has_letter(e.text)]


# ------------------------------------------------------------- record level


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
    """Pass 3: pairs titles with abstracts and places metadata."""

    def __init__(self, path: Path, marked: bool) -> None:
        self.path = path
        self.marked = marked  # titles are Markdown headings: other short lines are noise
        self.drafts: list[_Draft] = []
        self.errors: list[ContentError] = []
        self.page_day: tuple[int, int, int] | None = None
        self.pending: list[_Piece] = []  # titles still waiting for an abstract
        self.open = False  # the last paper still takes paragraphs cut off by chrome
        self.header = True  # before the date line or first paper, stray lines are page header
        self.loose: list[_Meta] = []  # metadata not yet given to a paper

    def error(self, line: int, message: str) -> None:
        self.errors.append(ContentError(SourceRef(self.path, line), message))

    def add_meta(self, meta: _Meta, next_is_abstract: bool) -> None:
        if meta.page_day and self.page_day is None and not self.drafts:
            # "May 30" between the first title and its abstract is that paper's date.
            if meta.heading or not (self.pending and (self.marked or next_is_abstract)):
                self.page_day = (meta.line, *meta.page_day)
                self.pending, self.loose, self.header = [], [], False
                return
        self.loose.append(meta)

    def add_title(self, piece: _Piece) -> None:
        if self.marked and not piece.heading:
            return
        self.open = False
        if self.marked and self.pending:
            self.error(self.pending[-1].line, NO_ABSTRACT)
            self.pending = []
        self.pending.append(piece)

    def add_abstract(self, piece: _Piece) -> None:
        if self.pending:
            self.start(piece)
        elif self.drafts and self.open and not piece.after_blank:
            draft = self.drafts[-1]
            draft.abstract = draft.abstract + " " + piece.text
        elif self.marked:
            return  # extra prose under a heading (a summary, a comment): not the abstract
        elif (split := _split_head(piece)) is not None:
            self.pending.append(split[0])
            self.start(split[1])
        elif not self.header:
            self.error(piece.line, NO_TITLE)

    def start(self, abstract: _Piece) -> None:
        title = self.pending[-1]
        if not self.header:
            for stray in self.pending[:-1]:
                self.error(stray.line, NO_ABSTRACT)
        previous = self.drafts[-1] if self.drafts else None
        draft = _Draft(title, abstract.text)
        for piece in (title, abstract):
            if piece.arxiv_id:
                draft.fields.setdefault("arxiv_id", piece.arxiv_id)
        # Inside the paper first, so its own facts win over ones that merely sit nearby.
        for meta in sorted(self.loose, key=lambda m: m.line < title.line):
            for name, value in _meta_fields(meta):
                if meta.line > title.line or previous is None:
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
                for name, value in _meta_fields(meta):
                    last.fields.setdefault(name, value)
        if not self.header:
            for stray in self.pending:
                self.error(stray.line, NO_ABSTRACT)


def _meta_fields(meta: _Meta) -> list[tuple[str, object]]:
    return [(name, getattr(meta, name)) for name in _FIELDS if getattr(meta, name) is not None]


def _record(path: Path, draft: _Draft) -> PaperRecord:
    return PaperRecord(
        title=draft.title.text,
        abstract=draft.abstract,
        source=SourceRef(path, draft.title.line),
        **draft.fields,  # type: ignore[arg-type]
    )


def _same_title(first: str, second: str) -> bool:
    """``title_key`` equality, with a cheap test first: most neighbours differ early."""
    if first == second:
        return True
    if first[:1].casefold() != second[:1].casefold() and first.isascii() and second.isascii():
        return False
    return title_key(first) == title_key(second)


def _without_repeats(drafts: list[_Draft]) -> list[_Draft]:
    """Drop a paper listed twice in a row, keeping the first with both copies' metadata."""
    kept: list[_Draft] = []
    for draft in drafts:
        if kept:
            last = kept[-1]
            ids = (last.fields.get("arxiv_id"), draft.fields.get("arxiv_id"))
            same_id = None in ids or ids[0] == ids[1]
            if same_id and _same_title(last.title.text, draft.title.text):
                for name, value in draft.fields.items():
                    last.fields.setdefault(name, value)
                continue
        kept.append(draft)
    return kept


def parse_hf_text(path: Path, text: str) -> tuple[tuple[int, int, int] | None, list[PaperRecord]]:
    """The page's date line ``(line, month, day)`` if any, and its papers in listing order."""
    _check_characters(path, text)
    lines = _normalise(text)
    refs = _reference_links(lines)
    elements = _elements(lines, _front_matter_end(lines), refs)
    assembler = _Assembler(path, marked=any(isinstance(e, _Piece) and e.heading for e in elements))
    next_is_abstract = False
    lookahead = []  # for each element: is the next piece an abstract? (one backward pass)
    for element in reversed(elements):
        lookahead.append(next_is_abstract)
        if isinstance(element, _Piece):
            next_is_abstract = element.kind == "abstract"
    lookahead.reverse()
    for element, before_abstract in zip(elements, lookahead, strict=True):
        if isinstance(element, _Meta):
            assembler.add_meta(element, before_abstract)
        elif element.kind == "title":
            assembler.add_title(element)
        else:
            assembler.add_abstract(element)
    assembler.finish()
    if assembler.errors:
        raise ContentErrors(assembler.errors)
    if not assembler.drafts:
        if assembler.page_day is not None:
            raise ContentError(SourceRef(path, assembler.page_day[0]), HEADER_ONLY)
        raise ContentError(SourceRef(path, 1), EMPTY)
    drafts = _without_repeats(assembler.drafts)
    return assembler.page_day, [_record(path, d) for d in drafts]
