"""The stop words the related papers and the tagger drop are scikit-learn's, word for word."""

from __future__ import annotations

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS as SCIKIT_LEARN

from generator.stopwords import ENGLISH_STOP_WORDS


def test_the_stop_words_are_scikit_learns() -> None:
    assert ENGLISH_STOP_WORDS == SCIKIT_LEARN
