"""Papers -> for each paper, the most related other papers of the archive.

Relatedness is the cosine similarity of TF-IDF vectors (scikit-learn's
``TfidfTransformer``: sublinear term frequency, smooth idf) over two groups of
terms: the words of title and abstract, and the words and word pairs of the title
alone, which so counts more. English stop words are dropped, and a name with a
version number ("DreamOmni3", "TAPTRv2") also counts as the bare name, so a model
and its follow-up meet. Each paper keeps only its ``TERMS_PER_PAPER`` heaviest
terms: what makes papers related is what sets them apart, and the vectors stay
sparse enough for the scores to be sparse matrix products, a block of rows at a
time, so memory stays bounded by ``CELLS_PER_BLOCK`` whatever the archive size.

Equal scores are broken by the number of shared tags, then by URI, so the result
is a pure function of the papers: same archive, same lists, in any input order.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfTransformer
from sklearn.preprocessing import normalize

from generator.model import Paper

TITLE_WEIGHT = 0.6  # the title's own terms, against 1.0 for title and abstract together
TERMS_PER_PAPER = 32
MAX_DOCUMENT_FREQUENCY = 0.2  # terms in more papers than this say nothing about relatedness
CELLS_PER_BLOCK = 20_000_000  # scores held at once: 80 MB of float32
SCORE_STEP = 1e-6  # scores closer than this count as equal
_TOKEN = re.compile(r"\b\w\w+\b")  # scikit-learn's default token pattern
_WORD = re.compile(r"\w+")  # its words, and those of one character
# For ASCII text (nearly every paper) the same words come from one bytes.translate and a
# split, twice as fast as the pattern: every character that is not a word character
# (letter, digit, "_") becomes a space, and letters become lowercase.
_ASCII_WORDS = bytes(
    ord(chr(c).lower()) if chr(c).isalnum() or chr(c) == "_" else ord(" ") for c in range(128)
) + bytes(range(128, 256))  # never looked up: the text is ASCII
_VERSIONED = re.compile(r"([^\W\d_]{3,})\d+")


def build_related(papers: Sequence[Paper], k: int = 5) -> dict[str, tuple[str, ...]]:
    """URI -> URIs of the ``k`` most related other papers, best first.

    A paper gets fewer than ``k`` only when fewer other papers share a term with it.
    """
    ordered = sorted(papers, key=lambda p: p.uri)
    uris = [p.uri for p in ordered]
    n = len(ordered)
    vectors = build_vectors(ordered) if n > 1 and k > 0 else None
    if vectors is None or vectors.nnz == 0:
        return {uri: () for uri in uris}
    k = min(k, n - 1)
    transposed = vectors.T.tocsr()
    tag_bits = _tag_bits(ordered)
    block = max(1, CELLS_PER_BLOCK // n)
    related: dict[str, tuple[str, ...]] = {}
    for start in range(0, n, block):
        stop = min(n, start + block)
        scores = vectors[start:stop] @ transposed
        # Whole steps, so that scores equal but for rounding noise tie exactly.
        levels = np.rint(scores.data * np.float32(1 / SCORE_STEP))
        levels[scores.indices == np.repeat(np.arange(start, stop), np.diff(scores.indptr))] = 0  # itself
        bounds = scores.indptr.tolist()
        for row in range(start, stop):
            lo, hi = bounds[row - start], bounds[row - start + 1]
            line = levels[lo:hi]
            # The k-th best score: every paper that scores as much is a candidate.
            floor = max(1.0, float(np.partition(line, hi - lo - k)[hi - lo - k])) if hi - lo > k else 1.0
            picked = np.flatnonzero(line >= floor)
            mine = tag_bits[row]
            best = sorted(
                zip(
                    (-line[picked]).astype(np.int64).tolist(),
                    scores.indices[lo:hi][picked].tolist(),
                    strict=True,
                ),
                key=lambda c: (c[0], -(mine & tag_bits[c[1]]).bit_count(), c[1]),
            )
            related[uris[row]] = tuple(uris[j] for _, j in best[:k])
    return related


def build_vectors(papers: Sequence[Paper]) -> sparse.csr_matrix:
    """One L2-normalised row of term weights per paper, in the given order."""
    documents = _count_terms(_words(f"{p.title}\n{p.abstract}") for p in papers)
    titles = _count_terms(_title_terms(p.title) for p in papers)
    parts = [
        weight * normalize(TfidfTransformer(sublinear_tf=True).fit_transform(counts))
        for weight, counts in ((1.0, documents), (TITLE_WEIGHT, titles))
        if counts.shape[1]
    ]
    if not parts:
        return sparse.csr_matrix((len(papers), 0), dtype=np.float32)
    vectors = sparse.hstack(parts, format="csr", dtype=np.float32)
    return normalize(_keep_heaviest(vectors, TERMS_PER_PAPER))


def _words(text: str) -> list[str]:
    """The lowercased words, one character long included: ``_count_terms`` drops those
    by the column, a tenth of the time of a test on each of a few million words."""
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_WORDS).decode("ascii").split()
    return _WORD.findall(text.lower())


def _tokens(text: str) -> list[str]:
    """The lowercased words of two characters or more, as scikit-learn's ``_TOKEN`` finds them."""
    return [w for w in _words(text) if len(w) > 1]


def _title_terms(title: str) -> list[str]:
    words = [w for w in _tokens(title) if w not in ENGLISH_STOP_WORDS]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def _count_terms(docs: Iterable[list[str]]) -> sparse.csr_matrix:
    """Term counts, one row per document, keeping terms of two characters or more found
    in 2 papers up to the cap."""
    vocabulary: defaultdict[str, int] = defaultdict()
    vocabulary.default_factory = vocabulary.__len__  # a new term gets the next number
    indptr: list[int] = [0]
    indices: list[int] = []
    for terms in docs:
        indices.extend(map(vocabulary.__getitem__, terms))
        indptr.append(len(indices))
    # A 1 for every occurrence; sum_duplicates adds up each document's repeats in C.
    matrix = sparse.csr_matrix(
        (np.ones(len(indices), dtype=np.float32), np.asarray(indices, dtype=np.int64), np.asarray(indptr)),
        shape=(len(indptr) - 1, len(vocabulary)),
    )
    matrix.sum_duplicates()
    terms = list(vocabulary)
    matrix = matrix @ _with_bare_names(terms)
    frequency = np.bincount(matrix.indices, minlength=matrix.shape[1])
    cap = max(2, MAX_DOCUMENT_FREQUENCY * matrix.shape[0])
    keep = (frequency >= 2) & (frequency <= cap)
    keep[: len(terms)] &= np.fromiter(map(len, terms), np.int64, len(terms)) > 1  # bare names are longer
    return matrix[:, np.flatnonzero(keep)]


def _with_bare_names(terms: list[str]) -> sparse.csr_matrix:
    """Term -> term matrix: each term counts as itself, a stop word as nothing, and
    a versioned name ("dreamomni3", "taptrv2") also as its bare name ("dreamomni", "taptr")."""
    index = {term: i for i, term in enumerate(terms)}
    rows, cols = [], []
    for i, term in enumerate(terms):
        if term in ENGLISH_STOP_WORDS:
            continue
        rows.append(i)
        cols.append(i)
        match = _VERSIONED.fullmatch(term)
        if match:
            bare = match.group(1)
            # "taptrv2" is TAPTR v2: the bare name is "taptr" as well as "taptrv".
            for name in (bare, bare[:-1]) if bare.endswith("v") and len(bare) > 4 else (bare,):
                rows.append(i)
                cols.append(index.setdefault(name, len(index)))
    size = len(index)
    return sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(terms), size))


def _keep_heaviest(matrix: sparse.csr_matrix, count: int) -> sparse.csr_matrix:
    """The ``count`` largest entries of each row (ties: the lower column), the rest dropped."""
    matrix.sum_duplicates()  # also sorts each row's columns, which breaks ties below
    row_of = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    # One sort key: by row, then heaviest first (weights are in (0, 1]); stable for ties.
    order = np.argsort(row_of * 2.0 - matrix.data, kind="stable")
    rank = np.arange(order.size) - matrix.indptr[row_of[order]]
    keep = np.sort(order[rank < count])
    indptr = np.concatenate(([0], np.cumsum(np.bincount(row_of[keep], minlength=matrix.shape[0]))))
    return sparse.csr_matrix((matrix.data[keep], matrix.indices[keep], indptr), shape=matrix.shape)


def _tag_bits(papers: Sequence[Paper]) -> list[int]:
    """Each paper's tags as the bits of one int, so shared tags are a popcount."""
    bit: dict[str, int] = {}
    out = []
    for paper in papers:
        mask = 0
        for slug in paper.tags:
            mask |= 1 << bit.setdefault(slug, len(bit))
        out.append(mask)
    return out
