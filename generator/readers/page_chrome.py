"""What a line of a copy of the papers page says about a paper, if it is chrome.

Takes one logical line (``page_markup``) and returns a ``Meta`` (the facts the line carries:
an upvote count, a date, an organisation, a GitHub repository, the paper its link names)
or None if the line is text. Chrome is the page's navigation, buttons, counters, links,
images and dates; its vocabulary is the page's own, in every form the saving tools give it:
``[Upvote\n\n117](...)``, ``[-] 35``, ``Upvote`` / ``117``, ``[GitHub 3.29k](...)``,
``[图片：...]`` placeholders, ``Kandinsky Lab · Published on Oct 4, 2026`` bylines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import SplitResult, urlsplit

from generator.readers.base import PageDay
from generator.readers.characters import http_url
from generator.text import MONTH_NAMES, clean_inline

# Lines longer than this are never metadata: skipping the regexes keeps huge
# lines cheap and stops a long abstract line from being mistaken for chrome.
MAX_META_LEN = 300

_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
DATE = re.compile(
    rf"^(?:(published|submitted|featured|posted)\s+on\s+)?{_MONTH}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?"
    r"(?:,?\s+(\d{4}))?$",
    re.I,
)
_MONTHS = {name[:3].lower(): number for number, name in enumerate(MONTH_NAMES, 1)}  # "jan": 1

BULLET = re.compile(r"^(?:[*+\-•·]|\d{1,3}[.)])\s+")
_PIECE_SEP = re.compile(r"\s*[·•|]\s*")
# Inside one link's text: list markers and Markdown breaks between an author list's parts.
_LINK_TEXT_SEP = re.compile(r"\s*(?:[·•|]|\\\\?|(?<!\S)[-*+](?=\s|$))\s*")
HEADING = re.compile(r"^#{1,6}(?:\s+|$)")
_RULE = re.compile(r"^(?:[-=_*]\s*){3,}$")
REF_DEF = re.compile(r"^\s{0,3}\[([^\]]{1,100})\]:\s*<?(\S+?)>?(?:\s+.*)?$")
INT = re.compile(r"^\d{1,7}$")
_UPVOTES = re.compile(
    r"^(?:upvotes?|votes?|likes?|▲|△|⬆|↑|👍)?\s*[:·]?\s*(\d{1,7})\s*(?:upvotes?|votes?|likes?)?$", re.I
)
_BOX_UPVOTES = re.compile(r"^\[\s*[-−–+x✓]?\s*\]\s*(\d{1,7}|[-−–—])$")
DASH = frozenset("-−–—")
_AUTHORS = re.compile(r"^\+?\s*(\d{1,4})\s+(more\s+)?authors?$", re.I)
_GITHUB_STARS = re.compile(
    r"^(?:github|code|stars?|★|⭐)\s*[:·]?\s*(\d+(?:[.,]\d+)?)\s*([km])?(?:\s*stars?)?$", re.I
)
_COUNT = re.compile(r"^(\d+(?:[.,]\d+)?)\s*([km])?$", re.I)
_PAPER_ID = r"(\d{4}\.\d{4,5})(?:v\d+)?(?![\d.])"
_PAPER_URL = re.compile(rf"(?:^|huggingface\.co|hf\.co)/papers/{_PAPER_ID}", re.I)
_UPVOTE_URL = re.compile(
    rf"(?:^|huggingface\.co|hf\.co)/login\?next=(?:/|%2F)papers(?:/|%2F){_PAPER_ID}", re.I
)
_ARXIV_URL = re.compile(rf"arxiv\.org/(?:abs|pdf|html)/{_PAPER_ID}", re.I)
CHROME_PREFIX = re.compile(
    r"^(?:get trending papers\b|submitted by\b|search any paper\b|title:|url source:|published time:"
    r"|markdown content:|join the community\b|©|copyright\s+(?:©|\(c\)|\d{4})"
    r"|\*{0,2}(?:url|page title|source (?:html|url|sha256)|generated from|extraction|captured(?: \(utc\))?)\*{0,2}:)",
    re.I,
)
_CHROME = frozenset(
    """new; subscribe; daily papers; papers; byak and the research community;
    by ak and the research community; byak; by ak; and the research community; daily; weekly; monthly;
    search; trending papers; trending; models; datasets; spaces; community; docs; enterprise; pricing;
    log in; login; sign up; signup; by; ak; hugging face; hugging face's logo; previous; next; upvote; upvoted;
    submitted by; github; code; arxiv; arxiv page; view arxiv page; view pdf; pdf; project page;
    add to collection; collections; posts; blog; learn; discord; forum; solutions; system theme;
    company; tos; privacy; about; jobs; careers; website; status; changelog; view all; see all; load more;
    comments; comment; share; authors; ai-generated summary; abstract; submit; submit a paper;
    daily / weekly / monthly; daily weekly monthly; papers - hugging face; daily papers - hugging face;
    trending papers - hugging face; extracted text; skip to content;
    ·; •; |; -; +; —; –; »; «; →; ←; ...; …""".split(";")
)
_CHROME = frozenset(" ".join(c.split()) for c in _CHROME)
# Chrome after the listing: where the last paper's metadata ends.
_FOOTER = frozenset("previous; next; load more; system theme; company; tos; privacy; careers".split("; "))
# Labels whose count may sit on the next line of a select-all copy ("Upvote" / "117").
_LABELS = {"upvote": "upvotes", "upvoted": "upvotes", "github": "github_stars", "code": "github_stars"}
HF_HOSTS = ("huggingface.co", "www.huggingface.co", "hf.co")
# huggingface.co/<first path segment> of site pages, as opposed to organisations.
_SITE_PATHS = frozenset(
    "papers models datasets spaces docs enterprise pricing login join blog posts learn collections "
    "settings notifications chat search organizations new welcome terms-of-service privacy storage "
    "tasks languages".split()
)
_IMAGE = re.compile(
    r"!\[[^\[\]]*\]\([^()\s]*(?:\s+\"[^\"]*\")?\)|!\[[^\[\]]*\]\[[^\[\]]*\]"
    r"|\[(?:图片|圖片|画像|이미지|image|img|figure)\b[^\[\]]*\]",
    re.I,
)
_PLACEHOLDER = re.compile(r"^(?:图片|圖片|画像|이미지|image|img|figure)\b", re.I)
LINK_TARGET = re.compile(
    r'\(\s*<?([^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*)>?(?:\s+"[^"]*")?\s*\)|\[([^\[\]]{0,100})\]'
)


@dataclass(slots=True)
class Meta:
    """Facts a chrome line carries about a paper (all optional)."""

    line: int
    arxiv_id: str | None = None  # the paper its link names: the card it belongs to
    github_repo: str | None = None
    github_stars: int | None = None
    upvotes: int | None = None
    organization: str | None = None
    published_on: date | None = None
    month_day: tuple[int, int] | None = None  # "May 29": a date whose year the saved page's date gives
    author_count: int | None = None
    count: int | None = None  # a bare number: upvotes, or what the label before it counts
    page_day: PageDay | None = None  # a bare "Jul 29" line: maybe the page's date
    heading: bool = False  # "## Jul 29": a heading is never a paper's own date
    label: str | None = None  # "Upvote", "GitHub": the field a count on the next line fills
    url: str | None = None  # a URL on a line of its own: maybe the link of the text before it
    text: str = ""  # the line, for a URL on the next line to make a link of
    role: str = ""  # what a paper link is: "page", "comments", "upvote", "arxiv"
    footer: bool = False


_FIELDS = (
    "arxiv_id",
    "github_repo",
    "github_stars",
    "upvotes",
    "organization",
    "published_on",
    "month_day",
    "author_count",
)


def meta_fields(meta: Meta) -> list[tuple[str, object]]:
    return [(name, getattr(meta, name)) for name in _FIELDS if getattr(meta, name) is not None]


def reference_links(lines: list[str]) -> dict[str, str]:
    """Markdown reference definitions (``[12]: https://...``), by lower-cased label."""
    refs: dict[str, str] = {}
    for line in lines:
        if line.startswith("[") and "]:" in line[:110]:
            match = REF_DEF.match(line)
            if match:
                refs.setdefault(match.group(1).strip().lower(), match.group(2))
    return refs


def bracket_pairs(text: str) -> dict[int, int]:
    """Offset of each ``[`` that is closed -> offset of its ``]`` (one stack, linear)."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for bracket in re.finditer(r"[\[\]]", text):
        if bracket.group() == "[":
            stack.append(bracket.start())
        elif stack:
            pairs[stack.pop()] = bracket.start()
    return pairs


def link_url(target: re.Match[str], inner: str, refs: dict[str, str]) -> str:
    """The URL of ``(url)`` or ``[label]`` ("" for an undefined label)."""
    if target.group(0).startswith("("):
        return target.group(1) or ""
    label = target.group(2).strip().lower() or inner.strip().lower()
    return refs.get(label, "")


def _line_tokens(text: str, refs: dict[str, str]) -> list[tuple[str, str | None]]:
    """A line cut into its top-level links and the text between them, in order.

    ``(inner, url)`` for a link (url "" when its reference is undefined), ``("!", src)``
    for an image or an image placeholder (``[图片：...]``), ``(text, None)`` for text.
    """
    if "[" not in text:
        return [(text, None)]
    pairs = bracket_pairs(text)
    tokens: list[tuple[str, str | None]] = []
    done = index = 0
    while (index := text.find("[", index)) >= 0:
        close = pairs.get(index)
        if close is None:
            index += 1
            continue
        inner = text[index + 1 : close]
        image = index > 0 and text[index - 1] == "!"
        start = index - 1 if image else index
        target = LINK_TARGET.match(text, close + 1)
        if target:
            url, end = link_url(target, inner, refs), target.end()
        elif _PLACEHOLDER.match(inner.strip()):
            url, end, image = "", close + 1, True
        elif inner.strip().lower() in refs and start == 0 and close + 1 == len(text):
            url, end = refs[inner.strip().lower()], close + 1  # a collapsed reference: "[Models]"
        else:
            index += 1
            continue
        if start > done:
            tokens.append((text[done:start], None))
        tokens.append(("!", url) if image else (inner, url))
        done = index = end
    if done < len(text):
        tokens.append((text[done:], None))
    return tokens


def paper_link(url: str | None) -> tuple[str | None, str]:
    """The paper a URL names and what the link is: its ``page``, its ``comments``, its
    ``upvote`` button (``login?next=/papers/<id>``) or its ``arxiv`` page."""
    if not url:
        return None, ""
    if match := _UPVOTE_URL.search(url):
        return match.group(1), "upvote"
    if match := _PAPER_URL.search(url):
        return match.group(1), "comments" if "#community" in url else "page"
    if match := _ARXIV_URL.search(url):
        return match.group(1), "arxiv"
    return None, ""


def split_url(url: str) -> SplitResult | None:
    """``urlsplit``, or None for what it refuses (``https://[a/b``: an unclosed IPv6 host)."""
    try:
        return urlsplit(url)
    except ValueError:
        return None


def _github_repo(url: str) -> str | None:
    """``https://github.com/owner/repo`` from any link into a repository."""
    parts = split_url(url if "://" in url else "https://" + url)
    if parts is None or parts.hostname not in ("github.com", "www.github.com"):
        return None
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) < 2:
        return None
    repo = segments[1].removesuffix(".git")
    return http_url(f"https://github.com/{segments[0]}/{repo}") if repo else None


def _parse_count(number: str, suffix: str | None) -> int:
    """'1.2k' -> 1200, '1,234' -> 1234."""
    if suffix:
        return int(float(number.replace(",", ".")) * (1000 if suffix.lower() == "k" else 1_000_000))
    return int(number.replace(",", "").replace(".", ""))


def without_images(text: str) -> str:
    return _IMAGE.sub(" ", text) if "[" in text else text


def _chrome_text(text: str, meta: Meta, refs: dict[str, str]) -> bool:
    """Whether a link's text is chrome (a counter, "3 authors", "arXiv Page"); fills ``meta``."""
    parts = _LINK_TEXT_SEP.split(text) if len(text) > 1 else [text]
    return all(_piece_meta(part, meta, refs) for part in parts)


def link_meta(inner: str, url: str, meta: Meta, refs: dict[str, str]) -> bool:
    """Fill ``meta`` from a link that is chrome; False if the link is content (a title...)."""
    image = "[" in inner and bool(_IMAGE.search(inner))
    inner = clean_inline(without_images(inner))
    inner = inner.removeprefix("LINK:").strip()  # "[LINK: GitHub 11.3k](...)"
    short = len(inner) <= 80
    paper, role = paper_link(url)
    if paper:
        if role == "comments":
            meta.arxiv_id, meta.role = paper, role
            return True  # its number counts comments, not upvotes
        if role == "upvote":
            meta.arxiv_id, meta.role = paper, role
            if inner in DASH or inner.lower().removeprefix("upvote").strip() in DASH:
                meta.upvotes = 0  # the page shows "-" for a paper nobody upvoted yet
            elif _chrome_text(inner, meta, refs) and meta.count is not None:
                meta.upvotes, meta.count = meta.count, None
            return True
        if not short or (inner and not _chrome_text(inner, meta, refs)):
            return False
        meta.arxiv_id, meta.role = paper, role
        return True
    repo = _github_repo(url)
    if repo:
        meta.github_repo = repo
        stars = _COUNT.match(inner) or _GITHUB_STARS.match(inner)
        if stars:
            meta.github_stars = _parse_count(stars.group(1), stars.group(2))
        return True
    parts = split_url(url)
    if parts is not None and parts.hostname in HF_HOSTS:
        segments = [s for s in parts.path.split("/") if s]
        if len(segments) == 1 and segments[0].lower() not in _SITE_PATHS and short:
            if inner and (inner.lower() == "hugging face" or not _piece_meta(inner, meta, refs)):
                meta.organization = inner  # an organisation's page: its name, Hugging Face's own too
            return True
        return short
    if inner in DASH:
        meta.upvotes = 0  # "[-][31]": an upvote button, nobody upvoted yet
        return True
    return short and (not inner or image or _chrome_text(inner, meta, refs))


def _date_meta(match: re.Match[str], meta: Meta) -> None:
    _, month, day, year = match.groups()
    month_number = _MONTHS[month[:3].lower()]
    try:
        if year:
            meta.published_on = date(int(year), month_number, int(day))
        else:
            date(2000, month_number, int(day))  # a real day of some leap year
            meta.month_day = (month_number, int(day))
    except ValueError:
        pass


def _piece_meta(piece: str, meta: Meta, refs: dict[str, str]) -> bool:
    """Whether one plain-text part of a line is chrome; fills ``meta`` from it."""
    piece = piece.strip().strip("*_`").strip()
    if not piece:
        return True
    if piece.startswith("["):
        match = _BOX_UPVOTES.match(piece)
        if match:
            meta.upvotes = 0 if match.group(1) in DASH else int(match.group(1))
            return True
    plain = piece.lower()
    if plain in _CHROME or CHROME_PREFIX.match(plain):
        if plain in _LABELS:
            meta.label = _LABELS[plain]
        return True
    if piece.startswith(("http://", "https://", "<http")) and " " not in piece:
        url = piece.strip("<>")
        meta.url = url
        paper, role = paper_link(url)
        if paper:
            meta.arxiv_id, meta.role = paper, role
        meta.github_repo = _github_repo(url) or meta.github_repo
        return True
    if INT.match(piece) or (piece[-1:] in "kKmM" and _COUNT.match(piece)):
        match = _COUNT.match(piece)
        meta.count = _parse_count(match.group(1), match.group(2))  # type: ignore[union-attr]
        return True
    for pattern in (_UPVOTES, _BOX_UPVOTES):
        match = pattern.match(piece)
        if match:
            meta.upvotes = int(match.group(1))
            return True
    match = _GITHUB_STARS.match(piece)
    if match:
        meta.github_stars = _parse_count(match.group(1), match.group(2))
        return True
    match = _AUTHORS.match(piece)
    if match:
        if not match.group(2):
            meta.author_count = int(match.group(1))
        return True
    match = DATE.match(piece)
    if match:
        _date_meta(match, meta)
        return True
    return False


def _byline_name(text: str) -> str | None:
    """The organisation in "Kandinsky Lab · Published on Oct 4, 2026", if ``text`` can be one."""
    name = clean_inline(text.strip("*_`"))
    if 0 < len(name) <= 100 and "://" not in name and not name.endswith((",", ";", ":")):
        return name
    return None


def line_meta(line: str, number: int, refs: dict[str, str]) -> Meta | None:
    """The facts a chrome line carries, or None if the line is text."""
    if len(line) > MAX_META_LEN:
        return None
    meta = Meta(number)
    if _RULE.match(line):
        return meta
    date_match = DATE.match(line)
    if date_match and not date_match.group(1) and not date_match.group(4):
        meta.page_day = PageDay(number, _MONTHS[date_match.group(2)[:3].lower()], int(date_match.group(3)))
        meta.month_day = (meta.page_day.month, meta.page_day.day)
        return meta
    body = BULLET.sub("", line, count=1)
    meta.text = body
    tokens = _line_tokens(body, refs)
    texts: list[str] = []
    for inner, url in tokens:
        if url is None:
            texts.extend(
                _PIECE_SEP.split(inner) if ("·" in inner or "•" in inner or "|" in inner) else [inner]
            )
        elif inner != "!" and not link_meta(inner, url, meta, refs):
            return None
    parts = [text.strip() for text in texts if text.strip()]
    if len(parts) == 2 and len(tokens) == 1 and (byline := _read_byline(parts, meta)):
        return byline
    rest = [text for text in texts if not _piece_meta(text, meta, refs)]
    if meta.count is not None and (meta.published_on or meta.month_day):
        meta.count = None  # "Mar 8, 2024 [ 6][39]": beside the date, the comments
    if not rest:
        if meta.url and meta.url != body.strip("<>"):
            meta.url = None  # only a URL alone on its line is the link of the text before it
        meta.footer = line.lower() in _FOOTER
        return meta
    return None


def _read_byline(parts: list[str], meta: Meta) -> Meta | None:
    """ "Kandinsky Lab · Published on Oct 4, 2026": the organisation, then the paper's date."""
    published = DATE.match(parts[1])
    if published is None or DATE.match(parts[0]) or _AUTHORS.match(parts[0]) or _COUNT.match(parts[0]):
        return None
    name = _byline_name(parts[0])
    if name is None:
        return None
    _date_meta(published, meta)
    meta.organization = name
    return meta


def is_image_line(line: str) -> bool:
    return line.startswith(("[", "!")) and not _IMAGE.sub("", BULLET.sub("", line, count=1)).strip()
