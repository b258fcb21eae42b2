"""Labelled examples + the taxonomy -> a tagger that learns; tags and their reasons.

One logistic regression per tag (scikit-learn's liblinear, a fixed seed), as
arxiv-sanity-lite does it, over two kinds of features of a paper:

- TF-IDF of its words and pairs of adjacent words (sublinear counts, L2-normalised):
  the abstract's, the title's counted ``TITLE_WEIGHT`` times and the Hugging Face
  keywords' ``KEYWORD_WEIGHT`` times; only terms of at least ``MIN_DOCUMENT_FREQUENCY``
  examples are learned;
- the taxonomy's phrases: per tag, how many of its phrases the title, the keywords and
  the abstract hold (``tagging.Tagger``). They carry a tag to words the examples never
  used, which new papers bring all the time.

The examples are the labelled file ``content/tag-examples.jsonl`` and the papers of
``content/tag-overrides.yml``: an override's added tags are positive examples of those
tags and its removed tags negative ones, weighed ``OVERRIDE_WEIGHT`` times, so one fix
moves similar papers too. A tag with fewer than ``MIN_EXAMPLES`` positive examples is
decided by its phrases alone, as before there were examples (``Tagger.tags_for``).

Training and tagging are pure functions of their inputs: the same examples and papers
give the same tags, in taxonomy order.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import chain, compress
from pathlib import Path

import numpy as np

from generator.errors import ContentError, ContentErrors
from generator.model import Digest, SourceRef, Tag
from generator.tagging import Override, broken_into_words, build_tagger, override_for
from generator.text import title_key

TITLE_WEIGHT = 3
KEYWORD_WEIGHT = 2
PHRASE_SCALE = 0.3  # the phrase counts' weight beside the TF-IDF terms
C = 4.0  # inverse regularisation strength of each regression
MIN_DOCUMENT_FREQUENCY = 2  # a term must occur in this many examples to be learned from
OVERRIDE_WEIGHT = 8.0  # an example from tag-overrides.yml against one of the labelled file
BALANCE = 0.5  # positive examples of a rare tag weigh (negatives / positives) ** BALANCE more
MIN_EXAMPLES = 3  # positive examples a tag needs to be learned; fewer: its phrases decide
THRESHOLD = 0.3  # probability from which a paper gets a tag
FLOOR = 0.15  # a paper with no tag above THRESHOLD still gets its best one from here
MAX_TAGS = 5

PARTS = ("title", "keywords", "abstract")
EXAMPLE_KEYS = ("id", "title", "abstract", "keywords", "tags")


@dataclass(frozen=True, slots=True)
class Example:
    """A paper whose tags someone gave: ``tags`` apply, ``absent`` do not.

    A labelled paper is complete (``complete``: every tag not in ``tags`` is absent);
    an override says only what it adds and removes.
    """

    name: str  # arXiv id or title: how explanations cite it
    title: str
    abstract: str
    keywords: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    complete: bool = True
    weight: float = 1.0
    source: SourceRef | None = field(default=None, compare=False, repr=False)


# --- the labelled file ------------------------------------------------------------------


def load_examples(path: Path, taxonomy: Sequence[Tag]) -> tuple[Example, ...]:
    """Read ``tag-examples.jsonl``: one JSON object a line, with title, abstract and tags
    (and optionally id and keywords). A missing file is no examples."""
    if not path.exists():
        return ()
    known = {tag.slug for tag in taxonomy}
    examples, errors = [], []
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError as e:
        raise ContentErrors(
            [ContentError(SourceRef(path), f"not UTF-8 text (at byte {e.start}): save the file as UTF-8")]
        ) from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        ref = SourceRef(path, number)
        try:
            examples.append(_example(ref, line, known))
        except ContentError as e:
            errors.append(e)
    if errors:
        raise ContentErrors(errors)
    return tuple(examples)


def _example(ref: SourceRef, line: str, known: set[str]) -> Example:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as e:
        raise ContentError(ref, f"not JSON: {e.msg} (column {e.colno}): one example per line") from None
    if not isinstance(item, dict):
        raise ContentError(
            ref, 'an example must be an object: {"title": ..., "abstract": ..., "tags": [...]}'
        )
    unknown = sorted(set(item) - set(EXAMPLE_KEYS))
    if unknown:
        raise ContentError(ref, f"unknown key {unknown[0]!r}: expected {', '.join(EXAMPLE_KEYS)}")
    for key in ("title", "abstract"):
        if not isinstance(item.get(key), str) or not item[key].strip():
            raise ContentError(ref, f'example without {key}: give its text as \'"{key}": "..."\'')
    lists = {}
    for key in ("tags", "keywords"):
        value = item.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ContentError(ref, f"'{key}' must be a list of strings")
        lists[key] = tuple(value)
    for slug in lists["tags"]:
        if slug not in known:
            raise ContentError(ref, f"unknown tag {slug!r}: tags are declared in the taxonomy")
    name = item.get("id")
    if name is not None and not isinstance(name, str):
        raise ContentError(ref, "'id' must be a string")
    return Example(
        name=name or item["title"],
        title=item["title"],
        abstract=item["abstract"],
        keywords=lists["keywords"],
        tags=lists["tags"],
        source=ref,
    )


def examples_with_overrides(
    examples: Sequence[Example], digests: Sequence[Digest], overrides: Mapping[str, Override]
) -> tuple[Example, ...]:
    """The labelled file's examples, then one example per paper of the overrides found in
    the digests: its added tags apply, its removed ones do not, the rest is unknown."""
    found: dict[str, Example] = {}
    for digest in digests:
        for record in digest.records:
            override = override_for(overrides, record.arxiv_id, record.title)
            key = record.arxiv_id if record.arxiv_id in overrides else title_key(record.title)
            if override is None or key in found:
                continue
            found[key] = Example(
                name=record.arxiv_id or record.title,
                title=record.title,
                abstract=record.abstract,
                keywords=record.ai_keywords,
                tags=override.add,
                absent=override.remove,
                complete=False,
                weight=OVERRIDE_WEIGHT,
                source=override.source,
            )
    return tuple(examples) + tuple(found.values())


# --- features ---------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    """Lowercased words; punctuation is a word ``|`` of its own, so no pair spans it."""
    return broken_into_words(text).replace("|", " | ").split()


def _candidates(text: str) -> list[str]:
    """A text's words and pairs of adjacent words: every term it may hold."""
    words = _words(text)
    return words + list(map(" ".join, zip(words, words[1:], strict=False)))


def _fields(title: str, abstract: str, keywords: Sequence[str]) -> tuple[tuple[str, int], ...]:
    """Each part of a paper with the weight of its terms."""
    return ((abstract, 1), (title, TITLE_WEIGHT), (" | ".join(keywords), KEYWORD_WEIGHT))


@cache
def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS  # imported when first needed

    return frozenset(ENGLISH_STOP_WORDS) | {"|"}


def _learnable(term: str) -> bool:
    """Terms worth learning: no stop word, no punctuation, no single letter or digit."""
    stop = _stop_words()
    return all(len(w) > 1 and w not in stop for w in term.split(" "))


# --- the model --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a paper has (or nearly has) a tag."""

    slug: str
    probability: float
    chosen: bool
    learned: bool  # False: too few examples, decided by its phrases
    phrases: tuple[tuple[str, str], ...]  # (where: title/keywords/abstract, phrase)
    terms: tuple[tuple[str, float], ...]  # the terms that pushed most, with their push
    nearest: tuple[tuple[str, float], ...]  # examples with this tag most like the paper: (name, similarity)


class Classifier:
    """The trained tagger; make one with ``train``.

    A paper's features are its terms that the examples taught (TF-IDF, L2-normalised)
    and, per tag, its phrase counts in title, keywords and abstract; the tags' scores
    are one product with the weight matrix.
    """

    def __init__(
        self, taxonomy: Sequence[Tag], examples: Sequence[Example], vocabulary: Sequence[str]
    ) -> None:
        self.taxonomy = tuple(taxonomy)
        self.slugs = tuple(t.slug for t in self.taxonomy)
        self.matcher = build_tagger(self.taxonomy)
        self.examples = tuple(examples)
        self.terms = tuple(vocabulary)
        self.vocabulary = {t: j for j, t in enumerate(self.terms)}
        self._known = frozenset(self.terms)
        self._firsts = frozenset(t.split(" ")[0] for t in self.terms if " " in t)
        self.idf = np.ones(len(self.terms))
        width = len(self.terms) + 3 * len(self.slugs)
        self.weights = np.zeros((width, len(self.slugs)))
        self.bias = np.zeros(len(self.slugs))
        self.learned = np.zeros(len(self.slugs), dtype=bool)  # per tag: learned, or decided by phrases
        self.example_vectors = None  # sparse TF-IDF rows of the examples, for the nearest ones
        # entry of the phrase index -> (column of its tag's phrase count in the title, or -1
        # when only a title counts it)
        self._phrase_columns = np.array(
            [3 * tag if role != 2 else -1 for tag, role in self.matcher._entries], dtype=np.int64
        )
        self._anywhere = np.array([role == 0 for _, role in self.matcher._entries], dtype=bool)

    def _vector(
        self, title: str, abstract: str, keywords: Sequence[str], found: dict[str, set[int]] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Columns and values of the paper's features: each term weighs the sum of the
        weights of the parts that hold it (1 + log of it), times its idf."""
        weights: Counter[str] = Counter()
        for text, weight in _fields(title, abstract, keywords):
            words = _words(text)
            # Pairs only where the first word starts a learned pair: what keeps this fast.
            starts = map(self._firsts.__contains__, words)
            pairs = map(" ".join, compress(zip(words, words[1:], strict=False), starts))
            for term in self._known.intersection(chain(words, pairs)):
                weights[term] += weight
        idx = np.fromiter(map(self.vocabulary.__getitem__, weights), dtype=np.int64, count=len(weights))
        val = 1.0 + np.log(np.fromiter(weights.values(), dtype=float, count=len(weights)))
        val *= self.idf[idx]
        norm = math.sqrt(float(val @ val))
        if norm:
            val /= norm
        phrase_idx, phrase_val = self._phrase_features(found or self._phrase_hits(title, abstract, keywords))
        return np.concatenate([idx, phrase_idx]), np.concatenate([val, phrase_val])

    def _phrase_features(self, found: dict[str, set[int]]) -> tuple[np.ndarray, np.ndarray]:
        columns = []
        for place, part in enumerate(PARTS):
            entries = found[part]
            if entries:
                hit = np.fromiter(entries, dtype=np.int64, count=len(entries))
                if place:  # title-only phrases count in titles alone
                    hit = hit[self._anywhere[hit]]
                hit = self._phrase_columns[hit]
                columns.append(hit[hit >= 0] + place)
        if not columns:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        cols, counts = np.unique(np.concatenate(columns), return_counts=True)
        return cols + len(self.terms), np.log1p(counts) * PHRASE_SCALE

    def _phrase_hits(self, title: str, abstract: str, keywords: Sequence[str]) -> dict[str, set[int]]:
        return self.matcher.found_in(title, abstract, keywords)

    def probabilities(self, title: str, abstract: str, keywords: Sequence[str] = ()) -> np.ndarray:
        """Per tag, in taxonomy order: the probability that it applies (1 or 0 for a tag
        decided by its phrases)."""
        found = self._phrase_hits(title, abstract, keywords)
        idx, val = self._vector(title, abstract, keywords, found)
        logits = val @ self.weights[idx] + self.bias
        probabilities = 1.0 / (1.0 + np.exp(-logits))
        if not self.learned.all():
            by_phrases = set(self.matcher.tags_of(self.matcher.scores_of(found)))
            for i in np.flatnonzero(~self.learned):
                probabilities[i] = 1.0 if self.slugs[i] in by_phrases else 0.0
        return probabilities

    def tags_for(self, title: str, abstract: str, keywords: Sequence[str] = ()) -> tuple[str, ...]:
        """The paper's tags in taxonomy order: those from ``THRESHOLD``, at most
        ``MAX_TAGS`` of the likeliest; none above it, the likeliest from ``FLOOR``."""
        return self.choose(self.probabilities(title, abstract, keywords))

    def choose(self, probabilities: np.ndarray) -> tuple[str, ...]:
        chosen = np.flatnonzero(probabilities >= THRESHOLD)
        if len(chosen) > MAX_TAGS:
            chosen = np.sort(sorted(chosen, key=lambda i: (-probabilities[i], i))[:MAX_TAGS])
        if not len(chosen):
            best = int(np.argmax(probabilities))
            chosen = [best] if probabilities[best] >= FLOOR else []
        return tuple(self.slugs[i] for i in chosen)

    def explain(
        self, title: str, abstract: str, keywords: Sequence[str] = (), also: int = 2, nearest: int = 3
    ) -> list[Reason]:
        """Reasons for each tag the paper gets, then for the ``also`` likeliest it does not."""
        probabilities = self.probabilities(title, abstract, keywords)
        chosen = set(self.choose(probabilities))
        order = sorted(range(len(self.slugs)), key=lambda i: (-probabilities[i], i))
        shown = [i for i in order if self.slugs[i] in chosen]
        shown += [i for i in order if self.slugs[i] not in chosen][:also]
        idx, val = self._vector(title, abstract, keywords)
        hits = self._phrase_hits(title, abstract, keywords)
        reasons = []
        for i in shown:
            pushes = val * self.weights[idx, i]
            top = [k for k in np.argsort(-pushes, kind="stable")[:5] if pushes[k] > 0]
            reasons.append(
                Reason(
                    slug=self.slugs[i],
                    probability=float(probabilities[i]),
                    chosen=self.slugs[i] in chosen,
                    learned=bool(self.learned[i]),
                    phrases=self._phrases_of(i, hits),
                    terms=tuple((self._term_name(int(idx[k])), round(float(pushes[k]), 2)) for k in top),
                    nearest=self._nearest(i, idx, val, nearest),
                )
            )
        return reasons

    def _phrases_of(self, tag: int, hits: dict[str, set[int]]) -> tuple[tuple[str, str], ...]:
        phrases = [
            (entry, phrase)
            for entry, phrase in enumerate(self._all_phrases())
            if self.matcher._entries[entry][0] == tag
        ]
        return tuple(
            (place, phrase)
            for place in PARTS
            for entry, phrase in phrases
            if entry in hits[place]
            and self.matcher._entries[entry][1] != 2
            and (place == "title" or self._anywhere[entry])
        )

    def _all_phrases(self) -> list[str]:
        """Every phrase in the order of the matcher's entries."""
        return [p for t in self.taxonomy for group in (t.phrases, t.title_phrases, t.exclude) for p in group]

    def _term_name(self, j: int) -> str:
        if j < len(self.terms):
            return self.terms[j]
        tag, place = divmod(j - len(self.terms), 3)
        return f"phrases of {self.slugs[tag]} in the {PARTS[place]}"

    def _nearest(
        self, tag: int, idx: np.ndarray, val: np.ndarray, count: int
    ) -> tuple[tuple[str, float], ...]:
        if self.example_vectors is None:
            return ()
        terms_only = idx < len(self.terms)
        dense = np.zeros(len(self.terms))
        dense[idx[terms_only]] = val[terms_only]
        similarity = self.example_vectors @ dense
        slug = self.slugs[tag]
        ranked = sorted(
            (i for i, e in enumerate(self.examples) if slug in e.tags), key=lambda i: (-similarity[i], i)
        )
        return tuple((self.examples[i].name, round(float(similarity[i]), 2)) for i in ranked[:count])


def train(taxonomy: Sequence[Tag], examples: Sequence[Example]) -> Classifier:
    """Learn each tag of the taxonomy from the examples; deterministic."""
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    examples = tuple(examples)
    frequency: Counter[str] = Counter()
    taught: set[str] = set()
    for e in examples:
        found = {t for text, _ in _fields(e.title, e.abstract, e.keywords) for t in _candidates(text)}
        frequency.update(found)
        if not e.complete:
            # An override's terms are kept even when no other example has them: they
            # are what carries the correction to similar papers.
            taught |= found
    vocabulary = sorted(
        t for t, n in frequency.items() if (n >= MIN_DOCUMENT_FREQUENCY or t in taught) and _learnable(t)
    )
    model = Classifier(taxonomy, examples, vocabulary)
    slugs = model.slugs
    n = len(examples)
    model.idf = np.log((1 + n) / (1 + np.array([frequency[t] for t in vocabulary], dtype=float))) + 1.0
    rows, cols, vals = [], [], []
    for r, e in enumerate(examples):
        idx, val = model._vector(e.title, e.abstract, e.keywords)
        rows.append(np.full(len(idx), r))
        cols.append(idx)
        vals.append(val)
    width = model.weights.shape[0]
    matrix = (
        sparse.csr_matrix(
            (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n, width)
        )
        if n
        else sparse.csr_matrix((0, width))
    )
    sample_weight = np.array([e.weight for e in examples])
    for i, slug in enumerate(slugs):
        labelled = [r for r, e in enumerate(examples) if e.complete or slug in e.tags or slug in e.absent]
        target = np.array([slug in examples[r].tags for r in labelled])
        if target.sum() < MIN_EXAMPLES or target.all():
            continue
        boost = ((len(target) - target.sum()) / target.sum()) ** BALANCE
        regression = LogisticRegression(C=C, solver="liblinear", dual=True, random_state=0, max_iter=1000)
        regression.fit(
            matrix[labelled], target, sample_weight=sample_weight[labelled] * np.where(target, boost, 1.0)
        )
        model.weights[:, i] = regression.coef_[0]
        model.bias[i] = regression.intercept_[0]
        model.learned[i] = True
    model.example_vectors = matrix[:, : len(vocabulary)].tocsr()
    return model
