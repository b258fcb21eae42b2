"""Papers -> for each paper, the most related other papers of the archive.

Relatedness is a cosine similarity of TF-IDF vectors (sublinear term frequency,
smooth idf, as scikit-learn's ``TfidfTransformer``) over two groups of terms: the
words of title and abstract, and the words and word pairs of the title alone, which
so counts more. English stop words are dropped, and a name with a version number
("DreamOmni3", "TAPTRv2") also counts as the bare name, so a model and its follow-up
meet. What makes papers related is what sets them apart, so a paper keeps only its
``TERMS_PER_PAPER`` heaviest terms, twice: those it asks with (its query) and those
it is found by (its offer, see ``build_vectors``). The vectors stay sparse enough for
the scores to be sparse matrix products, a block of rows at a time, so memory stays
bounded by ``CELLS_PER_BLOCK`` whatever the archive size.

A new day must not move the lists of older papers (issue #24: a day's rebuild in
proportion to the day). So the term statistics (idf, the cap on common terms) come
from the ``reference_rows``, the oldest papers, which change only when the archive
doubles; the offer of a paper depends on its own text and that reference alone; and
columns are in the order of their terms, so equal weights and sums of
products come out the same in any archive. An older paper's list then changes when a
new paper enters it, or when a term only it had is shared at last (its query gains
the term), or when the archive doubles.

Equal scores are broken by the number of shared tags, then by URI, so the result
is a pure function of the papers: same archive, same lists, in any input order.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np
from scipy import sparse

from generator.model import Paper
from generator.stopwords import ENGLISH_STOP_WORDS

TITLE_WEIGHT = 0.6  # the title's own terms, against 1.0 for title and abstract together
TERMS_PER_PAPER = 32  # a paper's heaviest terms: those it asks with, those it is found by
RARE_OFFERED = 2  # at most so many it is found by that no other reference paper has
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
    if vectors is None or vectors.queries.nnz == 0:
        return {uri: () for uri in uris}
    k = min(k, n - 1)
    transposed = vectors.offers.T.tocsr()
    tag_bits = _tag_bits(ordered)
    block = max(1, CELLS_PER_BLOCK // n)
    related: dict[str, tuple[str, ...]] = {}
    for start in range(0, n, block):
        stop = min(n, start + block)
        scores = vectors.queries[start:stop] @ transposed
        # Whole steps, so that scores equal but for rounding noise tie exactly.
        levels = np.rint(scores.data * np.float32(1 / SCORE_STEP))
        # Itself: rows in the dtype of the indices, or the comparison converts them all.
        rows = np.repeat(np.arange(start, stop, dtype=scores.indices.dtype), np.diff(scores.indptr))
        levels[scores.indices == rows] = 0
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


class Vectors(NamedTuple):
    """One L2-normalised row of term weights per paper. The score of paper j for
    paper i is ``queries[i] · offers[j]``, so a change in a query moves paper i's list
    alone."""

    queries: sparse.csr_matrix  # its heaviest shared terms, archive-wide
    offers: sparse.csr_matrix  # its heaviest terms: its text and the reference alone


def build_vectors(papers: Sequence[Paper]) -> Vectors:
    """The query and offer rows of ``papers``, in the given order.

    A term that no other paper has counts in no score, but in the offer it may: the
    offer must not change when a new paper shares such a term at last. So a paper
    offers at most ``RARE_OFFERED`` terms that no other reference paper has (which
    may be its alone), lest they push out the terms that match; its query, which
    moves its own list only, asks with the terms that another paper has."""
    reference = reference_rows(papers)
    in_reference = np.zeros(len(papers), dtype=bool)
    in_reference[reference] = True
    documents = _count_terms(_words(f"{p.title}\n{p.abstract}") for p in papers)
    titles = _count_terms(_title_terms(p.title) for p in papers)
    parts = [
        (weight, *_weigh(counts, reference))
        for weight, counts in ((1.0, documents), (TITLE_WEIGHT, titles))
        if counts.shape[1]
    ]
    del documents, titles
    if not parts:
        empty = sparse.csr_matrix((len(papers), 0), dtype=np.float32)
        return Vectors(empty, empty)
    shared = np.concatenate([part[2] for part in parts])
    frequency = np.concatenate([part[3] for part in parts])
    queries = _stack([weight * normalize(_only(weights, common)) for weight, weights, common, _ in parts])
    offers = _stack([weight * normalize(weights) for weight, weights, _, _ in parts])
    del parts  # what is left takes memory from the sorts below
    queries = normalize(_keep_heaviest(queries, TERMS_PER_PAPER))
    # No reference paper but the paper itself has the term:
    rare = frequency[offers.indices] <= np.repeat(in_reference, np.diff(offers.indptr))
    offers = normalize(_keep_heaviest(offers, TERMS_PER_PAPER, rare, RARE_OFFERED))
    # A term of one paper can match no other: dropped once the norm is taken.
    return Vectors(queries, _only(offers, shared))


def _weigh(
    counts: sparse.csr_matrix, reference: np.ndarray
) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray]:
    """Sublinear term frequency times smooth idf (as scikit-learn's ``TfidfTransformer``),
    with the document frequencies of the reference papers alone; which terms two papers
    or more of the archive have; how many reference papers have each term.

    A term no reference paper has gets the idf of a term in no paper; a term in more
    than ``MAX_DOCUMENT_FREQUENCY`` of them is dropped."""
    size = len(reference)
    frequency = np.bincount(counts[reference].indices, minlength=counts.shape[1])
    idf = np.log((1 + size) / (1 + frequency)) + 1
    idf[frequency > max(2, MAX_DOCUMENT_FREQUENCY * size)] = 0
    weights = counts.copy()
    weights.data = ((np.log(weights.data) + 1) * idf[weights.indices]).astype(np.float32)
    weights.eliminate_zeros()
    return weights, np.bincount(counts.indices, minlength=counts.shape[1]) >= 2, frequency


def _stack(parts: list[sparse.csr_matrix]) -> sparse.csr_matrix:
    matrix = sparse.hstack(parts, format="csr", dtype=np.float32)
    matrix.sum_duplicates()  # none, but it sorts each row's columns, which breaks ties
    return matrix


def normalize(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    """Each row scaled to unit length, rows of zeros kept: scikit-learn's ``normalize``
    (squares in the rows' type, their sum in double precision), without importing
    scikit-learn, which costs a daily rebuild 0.6-2 s for this alone."""
    matrix = sparse.csr_matrix(matrix, copy=True)
    squares = (matrix.data * matrix.data).astype(np.float64)
    sums = np.zeros(matrix.shape[0])
    rows = np.flatnonzero(np.diff(matrix.indptr))
    if len(rows):
        sums[rows] = np.add.reduceat(squares, matrix.indptr[rows])
    norms = np.sqrt(sums)
    norms[norms == 0.0] = 1.0
    matrix.data = (matrix.data / np.repeat(norms, np.diff(matrix.indptr))).astype(matrix.dtype)
    return matrix


def _only(matrix: sparse.csr_matrix, columns: np.ndarray) -> sparse.csr_matrix:
    """``matrix`` without its entries in the columns that the boolean ``columns`` leaves out."""
    kept = matrix.copy()
    kept.data *= columns[kept.indices]
    kept.eliminate_zeros()
    return kept


def reference_rows(papers: Sequence[Paper]) -> np.ndarray:
    """The rows of the papers whose terms set the statistics: the oldest 2**k of the n
    papers (by first day, then URI), 2**k <= n < 2**(k+1), in row order. They change
    only when the archive doubles, not with every day added."""
    size = 1 << (len(papers).bit_length() - 1) if papers else 0
    oldest = sorted(range(len(papers)), key=lambda i: (papers[i].day, papers[i].uri))[:size]
    return np.sort(np.asarray(oldest, dtype=np.int64))


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
    """Term counts, one row per document, for the terms of two characters or more.

    Columns are in the order of their terms, whatever the documents: equal weights
    then tie in ``_keep_heaviest`` the same way, and a row's products sum in the
    same order, in any archive."""
    vocabulary: defaultdict[str, int] = defaultdict()
    vocabulary.default_factory = vocabulary.__len__  # a new term gets the next number
    indptr: list[int] = [0]
    indices: list[int] = []
    for terms in docs:
        indices.extend(map(vocabulary.__getitem__, terms))
        indptr.append(len(indices))
    # A 1 for every occurrence.
    matrix = sparse.csr_matrix(
        (
            np.ones(len(indices), dtype=np.float32),
            np.fromiter(indices, np.int64, len(indices)),
            np.asarray(indptr),
        ),
        shape=(len(indptr) - 1, len(vocabulary)),
    )
    del indices  # 8 bytes a word, as long as the matrix is built
    matrix.sum_duplicates()  # each document's repeats added up: a smaller product below
    matrix = matrix @ _with_bare_names(list(vocabulary))
    matrix.sort_indices()
    return matrix


def _with_bare_names(terms: list[str]) -> sparse.csr_matrix:
    """Term -> term matrix: each term counts as itself, a stop word or a term of one
    character as nothing, and a versioned name ("dreamomni3", "taptrv2") also as its
    bare name ("dreamomni", "taptr"). Its columns are the terms counted, in order."""
    index = {term: i for i, term in enumerate(terms)}
    rows, cols = [], []
    for i, term in enumerate(terms):
        if len(term) < 2 or term in ENGLISH_STOP_WORDS:
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
    names = list(index)
    counted = sorted(set(cols), key=names.__getitem__)
    column = np.zeros(len(names), dtype=np.int64)
    column[counted] = np.arange(len(counted))
    return sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, column[cols])), shape=(len(terms), len(counted))
    )


def _keep_heaviest(
    matrix: sparse.csr_matrix, count: int, limited: np.ndarray | None = None, limit: int = 0
) -> sparse.csr_matrix:
    """The ``count`` largest entries of each row (ties: the lower column), of which at
    most ``limit`` of those ``limited`` (a boolean per entry); the rest dropped.
    ``matrix`` has its columns sorted in each row (``_stack``)."""
    row_of = np.repeat(np.arange(matrix.shape[0], dtype=np.int32), np.diff(matrix.indptr))
    # One sort key: by row, then heaviest first (weights are in (0, 1]); stable for ties.
    order = np.argsort(row_of * 2.0 - matrix.data, kind="stable")
    if limited is not None:
        among = np.flatnonzero(limited[order])
        order = np.delete(order, among[_ranks(row_of[order[among]]) >= limit])
        del among
    keep = np.sort(order[_ranks(row_of[order]) < count])
    indptr = np.concatenate(([0], np.cumsum(np.bincount(row_of[keep], minlength=matrix.shape[0]))))
    return sparse.csr_matrix((matrix.data[keep], matrix.indices[keep], indptr), shape=matrix.shape)


def _ranks(rows: np.ndarray) -> np.ndarray:
    """The place of each entry among those of its row, given their sorted rows."""
    starts = np.concatenate(([0], np.cumsum(np.bincount(rows))))
    return np.arange(rows.size) - starts[rows]


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
