"""Papers -> the archive's vocabulary for spelling suggestions, one file per first letter.

search.js fetches a letter's file only when a query finds (almost) nothing, and
suggests the most frequent word one or two edits from a rare word typed
("difusion" -> "diffusion"; query.js). Words are counted once per paper, from
titles and abstracts; each file lists ``word count`` lines, most frequent first, and
is gzipped (the browser inflates it with DecompressionStream), so a query that
needs one costs a few KB, not the whole vocabulary.
"""

from __future__ import annotations

import gzip
import re
from collections import Counter
from collections.abc import Iterable

from generator.mathtext import plain_text
from generator.model import Paper

VOCABULARY_DIR = "vocabulary"  # inside the search bundle: pagefind/vocabulary/<letter>.pf_vocab
SUFFIX = ".pf_vocab"  # not .gz: some hosts would send it with Content-Encoding and inflate it themselves
MIN_LETTERS = 4  # query.js suggests nothing for shorter words: too many neighbours
MAX_LETTERS = 24
_WORD = re.compile(r"[a-z]+")


def count_words(papers: Iterable[Paper]) -> Counter[str]:
    """How many papers use each word (lowercased letters a-z, 4 to 24 of them) in
    their title or abstract."""
    counts: Counter[str] = Counter()
    for paper in papers:
        text = f"{plain_text(paper.title)} {plain_text(paper.abstract)}".lower()
        counts.update({w for w in _WORD.findall(text) if MIN_LETTERS <= len(w) <= MAX_LETTERS})
    return counts


def render_vocabulary(counts: Counter[str]) -> dict[str, bytes]:
    """``{"<letter>.pf_vocab": gzipped text}``: per first letter, ``word count`` lines,
    most frequent first, then alphabetical; the same bytes for the same counts."""
    by_letter: dict[str, list[tuple[str, int]]] = {}
    for word, count in counts.items():
        by_letter.setdefault(word[0], []).append((word, count))
    return {
        f"{letter}{SUFFIX}": gzip.compress(
            "".join(f"{w} {n}\n" for w, n in sorted(words, key=lambda x: (-x[1], x[0]))).encode(),
            compresslevel=9,
            mtime=0,
        )
        for letter, words in sorted(by_letter.items())
    }
