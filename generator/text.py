"""Small pure helpers for text that comes from digests."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

# The one list of month names: pages spell them out, charts and messages take the first three letters.
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_NON_WORD = re.compile(r"[\W_]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\[])")


def encodable(text: str) -> bool:
    """False for a string holding half a UTF-16 surrogate pair: a JSON or YAML escape such
    as "\\ud83d" alone decodes to one, and no UTF-8 page can hold it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def clean_inline(text: str) -> str:
    """Collapse hard wraps and runs of white space into single spaces.

    ``str.split()`` splits on exactly the characters ``\\s`` matches, and is several
    times faster than a regex substitution (it runs for every author of every paper).
    """
    return " ".join(text.split())


# ASCII letters and digits lowercased and every other ASCII character a space: for an
# ASCII title, what _NON_WORD.sub and casefold do, as one table lookup per byte.
_ASCII_KEY = bytes((ord(chr(c).lower()) if chr(c).isalnum() else 32) if c < 128 else c for c in range(256))


@functools.lru_cache(maxsize=1 << 17)
def title_key(title: str) -> str:
    """Identity of a title: case, white space, accents and punctuation folded away."""
    if title.isascii():  # no accents to fold, and a bytes table is 3 times faster than the regex
        return " ".join(title.encode("ascii").translate(_ASCII_KEY).decode("ascii").split())
    folded = unicodedata.normalize("NFKD", title).casefold()
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", folded).strip()


def identity_key(title: str, abstract: str) -> str:
    """What records are merged by, besides an arXiv id: the ``title_key``, or, for a title
    with no letters or digits ("🚀🔥🤖", "???") whose key is empty, the title as written and
    a hash of the abstract's key, so that two such papers never become one.

    A fallback key holds " #", which a ``title_key`` never does, so it equals no real title's.
    """
    folded = title_key(title)
    if folded:
        return folded
    digest = hashlib.sha256(title_key(abstract).encode("utf-8")).hexdigest()[:12]
    return f"{clean_inline(title)} #{digest}"


def month_abbr(month: int) -> str:
    """``Jan`` for 1 ... ``Dec`` for 12."""
    return MONTH_NAMES[month - 1][:3]


def counted(number: int, noun: str, plural: str = "") -> str:
    """``1 paper``, ``2 papers``, ``5,841 papers``: a count as a reader says it."""
    return f"{number:,} {noun if number == 1 else plural or noun + 's'}"


def first_sentence(text: str, limit: int = 240) -> str:
    """The abstract's first sentence, cut at a word boundary if it runs long."""
    match = _SENTENCE_END.search(text)
    sentence = text[: match.start()] if match else text
    if len(sentence) > limit:
        sentence = sentence[:limit].rsplit(" ", 1)[0] + " …"
    return sentence
