"""generator/search/vocabulary.py: the words suggestions come from, per first letter."""

from __future__ import annotations

import gzip
from collections import Counter
from datetime import date

from generator.model import Paper
from generator.search.vocabulary import count_words, render_vocabulary


def make_paper(title: str, abstract: str) -> Paper:
    return Paper(uri="papers/x/", title=title, abstract=abstract, featured_on=(date(2025, 1, 1),))


def test_vocabulary_counts_each_word_once_per_paper() -> None:
    papers = [
        make_paper(title="Diffusion models", abstract="Diffusion, diffusion everywhere; a GAN."),
        make_paper(title="Difusion typo", abstract="Models of $x^2$ data."),
    ]
    assert count_words(papers) == Counter(
        {"diffusion": 1, "models": 2, "everywhere": 1, "difusion": 1, "typo": 1, "data": 1}
    )  # "a", "gan", "of": fewer than four letters


def test_vocabulary_files_per_letter_most_frequent_first() -> None:
    files = render_vocabulary(Counter({"diffusion": 9, "data": 9, "difusion": 1, "model": 4}))
    assert sorted(files) == ["d.pf_vocab", "m.pf_vocab"]
    assert gzip.decompress(files["d.pf_vocab"]).decode() == "data 9\ndiffusion 9\ndifusion 1\n"
    assert files == render_vocabulary(Counter({"model": 4, "difusion": 1, "data": 9, "diffusion": 9}))
