"""URLs found in digest text: cleaned of LaTeX artefacts, and code repositories among them.

Pure functions over strings. Abstracts come from LaTeX sources, so their URLs carry
leftovers: ``https://github.com/a/b{https://github.com/a/b}`` (an ``\\href`` that lost
its backslash), ``\\_`` for ``_``, a sentence's full stop, ``.git``. Only http and
https URLs are ever returned, and only ones written in the text: nothing is invented.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# A URL candidate runs to white space or a character that can't appear in one unescaped.
_CANDIDATE = re.compile(r"https?://[^\s<>\"`]+", re.IGNORECASE)
# LaTeX escapes that stand for one URL character: \_ \% \# \& \~
_ESCAPE = re.compile(r"\\([_%#&~])")
# The URL ends at the first character LaTeX left behind: a brace, a backslash command...
_END = re.compile(r"[{}|\\^\[\]$]")
_TRAILING = ".,;:!?'\"*"
_HOST = re.compile(
    r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:\d{1,5})?$", re.IGNORECASE
)
_GITHUB_RESERVED = frozenset(
    "about collections enterprise events explore features login marketplace orgs pricing "
    "settings site sponsors topics trending users".split()
)
_HF_RESERVED = frozenset(
    "api blog chat collections docs join learn login models organizations papers posts pricing "
    "settings tasks".split()
)


def _extent(raw: str) -> str:
    """The part of a candidate that is the URL, LaTeX escapes still in."""
    end = len(raw)
    for match in _END.finditer(raw):
        if raw[match.start()] == "\\" and _ESCAPE.match(raw, match.start()):
            continue
        end = match.start()
        break
    url = raw[:end]
    while url:
        if url[-1] in _TRAILING:
            url = url[:-1]
        elif url[-1] == ")" and url.count("(") < url.count(")"):
            url = url[:-1]
        else:
            break
    return url


def clean_url(url: str) -> str | None:
    """One URL without LaTeX artefacts, trailing punctuation or ``.git``; None if it isn't http(s)."""
    url = _ESCAPE.sub(r"\1", _extent(url.strip()))
    if url.lower().endswith(".git"):
        url = url[:-4]
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not _HOST.match(parts.netloc):
        return None
    return url


def find_urls(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, url)`` for each URL in text, in order.

    ``text[start:end]`` is what the link replaces: the URL as written and, when LaTeX
    left its duplicate right after it (``URL{URL}``), that duplicate too.
    """
    found = []
    position = 0
    while match := _CANDIDATE.search(text, position):
        written = _extent(match.group(0))
        url = clean_url(written)
        end = match.start() + len(written)
        position = max(end, match.start() + 1)
        if url is None:
            continue
        if text.startswith("{", end):
            close = text.find("}", end)
            if close != -1 and _same_url(text[end + 1 : close], url):
                end = position = close + 1
        found.append((match.start(), end, url))
    return found


def _same_url(written: str, url: str) -> bool:
    def bare(u: str) -> str:
        return re.sub(r"^https?://", "", _ESCAPE.sub(r"\1", u.strip()), flags=re.IGNORECASE).rstrip("/.")

    return bool(written) and bare(written) == bare(url)


def code_repository(url: str) -> str | None:
    """The repository a URL points into, as its home page URL; None if not a code host's repo."""
    parts = urlsplit(url)
    host = parts.netloc.lower().removeprefix("www.")
    segments = [s for s in parts.path.split("/") if s]
    if host == "github.com" and len(segments) >= 2 and segments[0].lower() not in _GITHUB_RESERVED:
        return f"https://github.com/{segments[0]}/{segments[1]}"
    if host == "gitlab.com" and len(segments) >= 2:
        path = segments[: segments.index("-")] if "-" in segments else segments
        return "https://gitlab.com/" + "/".join(path) if len(path) >= 2 else None
    if host == "huggingface.co" and segments:
        kind = segments[0] if segments[0] in ("datasets", "spaces") else None
        name = segments[1:3] if kind else segments[:2]
        if len(name) == 2 and (kind or segments[0] not in _HF_RESERVED):
            return "https://huggingface.co/" + "/".join(([kind] if kind else []) + name)
    return None


def find_code_link(abstract: str) -> str | None:
    """The code repository an abstract links to: GitHub first, then GitLab, then Hugging Face."""
    repos = [repo for _, _, url in find_urls(abstract) if (repo := code_repository(url))]

    def rank(repo: str) -> int:
        return 0 if "//github.com/" in repo else 1 if "//gitlab.com/" in repo else 2

    return min(repos, key=rank) if repos else None
