"""What the related papers and the tagger take from scikit-learn without importing it: its
English stop words and its row normalisation, exactly."""

from __future__ import annotations

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS as SCIKIT_LEARN

from generator.stopwords import ENGLISH_STOP_WORDS


def test_the_stop_words_are_scikit_learns() -> None:
    assert ENGLISH_STOP_WORDS == SCIKIT_LEARN


def test_normalize_is_scikit_learns() -> None:
    """related.normalize gives scikit-learn's bytes, rows of zeros and repeated entries included."""
    import numpy as np
    from scipy import sparse
    from sklearn.preprocessing import normalize as scikit_learns

    from generator.related import normalize

    rng = np.random.default_rng(0)
    matrix = sparse.random(300, 80, density=0.05, format="csr", dtype=np.float32, random_state=rng)
    matrix = sparse.vstack(
        [matrix, sparse.csr_matrix((1, 80), dtype=np.float32)], format="csr"
    )  # a row of zeros
    repeated = sparse.csr_matrix(
        (np.array([1.0, 2.0, 3.0], dtype=np.float32), np.array([0, 0, 1]), np.array([0, 3, 3])), shape=(2, 4)
    )
    for m in (matrix, repeated):
        ours, theirs = normalize(m), scikit_learns(m)
        assert ours.dtype == theirs.dtype
        assert ours.data.tobytes() == theirs.data.tobytes() and (ours.indices == theirs.indices).all()
