"""Labelled examples + the taxonomy -> a tagger that learns; tags and their reasons.

One logistic regression per tag (scikit-learn's liblinear, a fixed seed), as
arxiv-sanity-lite does it, over two kinds of features of a paper:

- TF-IDF of its words (L2-normalised): a word weighs 1 in the abstract, ``TITLE_WEIGHT``
  in the title and ``KEYWORD_WEIGHT`` in the Hugging Face keywords, summed over the
  parts that hold it (1 + log of the sum); only words of at least
  ``MIN_DOCUMENT_FREQUENCY`` examples are learned (pairs of words were measured: no
  better in cross-validation, and half again the time);
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
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
from scipy import sparse

from generator import parallel
from generator.errors import ContentError, ContentErrors
from generator.model import Digest, SourceRef, Tag
from generator.stopwords import ENGLISH_STOP_WORDS
from generator.tagging import Override, build_tagger, override_for, spaced_words
from generator.text import title_key

TITLE_WEIGHT = 3
KEYWORD_WEIGHT = 2
PHRASE_SCALE = 0.15  # the phrase counts' weight beside the TF-IDF terms
C = 8.0  # inverse regularisation strength of each regression
MIN_DOCUMENT_FREQUENCY = 2  # a term must occur in this many examples to be learned from
OVERRIDE_WEIGHT = 8.0  # an example from tag-overrides.yml against one of the labelled file
BALANCE = 0.5  # positive examples of a rare tag weigh (negatives / positives) ** BALANCE more
MIN_EXAMPLES = 3  # positive examples a tag needs to be learned; fewer: its phrases decide
THRESHOLD = 0.45  # probability from which a paper gets a tag
FLOOR = 0.15  # a paper with no tag above THRESHOLD still gets its best one from here
MAX_TAGS = 5
TOL = 1e-3  # liblinear's stopping tolerance: 1e-4 gave the same cv figures at a third more time
TAGS_PER_TRAINER = 8  # a process must pay for its start: about 50 ms of training a tag

PARTS = ("title", "keywords", "abstract")
FIELD_PARTS = ("abstract", "title", "keywords")  # the parts in the order of ``_fields``
FOUND_IN_ORDER = ("title", "abstract", "keywords")  # as ``Tagger.found_in`` returns them
PaperText = tuple[str, str, Sequence[str]]  # title, abstract, keywords
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
            key = (
                record.arxiv_id
                if record.arxiv_id and record.arxiv_id in overrides
                else title_key(record.title)
            )
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
    return spaced_words(text).split()


def _fields(title: str, abstract: str, keywords: Sequence[str]) -> tuple[tuple[str, int], ...]:
    """Each part of a paper with the weight of its terms."""
    return ((abstract, 1), (title, TITLE_WEIGHT), (" | ".join(keywords), KEYWORD_WEIGHT))


@cache
def _stop_words() -> frozenset[str]:
    return ENGLISH_STOP_WORDS | {"|"}


def _learnable(word: str) -> bool:
    """Words worth learning: no stop word, no punctuation, no single letter or digit."""
    return len(word) > 1 and word not in _stop_words()


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
        self.idf = np.ones(len(self.terms))
        width = len(self.terms) + 3 * len(self.slugs)
        self.weights = np.zeros((width, len(self.slugs)))
        self.bias = np.zeros(len(self.slugs))
        self.learned = np.zeros(len(self.slugs), dtype=bool)  # per tag: learned, or decided by phrases
        self.example_vectors = None  # sparse TF-IDF rows of the examples, for the nearest ones
        # Per entry of the phrase index: the column of its tag's count in the title (-1 for
        # an exclude phrase), and whether it counts outside titles too.
        self._phrase_columns = [3 * tag if role != 2 else -1 for tag, role in self.matcher._entries]
        self._anywhere = [role == 0 for _, role in self.matcher._entries]

    def features(self, papers: Sequence[PaperText]) -> tuple[sparse.csr_matrix, list[dict[str, set[int]]]]:
        """One row of features per paper, and the phrases found in each. Each term weighs
        the sum of the weights of the parts that hold it (1 + log of it), times its idf,
        L2-normalised; then per tag log(1 + its phrases) in title, keywords and abstract."""
        vocabulary, known = self.vocabulary, self._known
        columns, anywhere, width = self._phrase_columns, self._anywhere, len(self.terms)
        term_cols: list[int] = []
        term_vals: list[float] = []
        term_ends = [0]
        phrase_cols: list[int] = []
        phrase_vals: list[float] = []
        phrase_ends = [0]
        found_all = []
        phrases_among = self.matcher.phrases_among
        for title, abstract, keywords in papers:
            weights: dict[str, int] = {}
            found: dict[str, set[int]] = {}
            # Each part is cut into words once, for the terms and the phrases alike.
            for (text, weight), part in zip(_fields(title, abstract, keywords), FIELD_PARTS, strict=True):
                spaced = spaced_words(text)
                words = spaced.split()
                terms = known.intersection(words)
                if weights:
                    for term in terms:
                        weights[term] = weights.get(term, 0) + weight
                else:  # the abstract's many terms in one C call
                    weights = dict.fromkeys(terms, weight)
                found[part] = phrases_among(spaced, words) if words else set()
            term_cols += map(vocabulary.__getitem__, weights)
            term_vals += weights.values()
            term_ends.append(len(term_cols))
            found_all.append({part: found[part] for part in FOUND_IN_ORDER})
            counts: Counter[int] = Counter()
            for place, part in enumerate(PARTS):
                # title-only phrases count in titles alone
                counts.update(
                    columns[e] + place for e in found[part] if columns[e] >= 0 and (not place or anywhere[e])
                )
            phrase_cols += (width + c for c in counts)
            phrase_vals += counts.values()
            phrase_ends.append(len(phrase_cols))
        n = len(papers)
        terms = sparse.csr_matrix(
            (np.array(term_vals, dtype=float), np.array(term_cols, dtype=np.int64), np.array(term_ends)),
            shape=(n, self.weights.shape[0]),
        )
        # A row's terms come in the order of a set of strings, which changes with each
        # process's hash seed; sums in that order differ in the last bits, enough to move
        # a tag at its threshold. Sorted, every process adds them in the same order.
        terms.sort_indices()
        terms.data = (1.0 + np.log(terms.data)) * self.idf[terms.indices]
        norms = np.sqrt(np.asarray(terms.multiply(terms).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        terms = sparse.diags(1.0 / norms) @ terms
        phrases = sparse.csr_matrix(
            (
                np.log1p(phrase_vals) * PHRASE_SCALE,
                np.array(phrase_cols, dtype=np.int64),
                np.array(phrase_ends),
            ),
            shape=(n, self.weights.shape[0]),
        )
        matrix = (terms + phrases).tocsr()
        matrix.sort_indices()  # the phrase columns too come in a set's order (and liblinear wants it)
        return matrix, found_all

    def probabilities_of(self, papers: Sequence[PaperText]) -> np.ndarray:
        """Per paper and tag (taxonomy order): the probability that the tag applies (1 or 0
        for a tag decided by its phrases)."""
        matrix, found_all = self.features(papers)
        probabilities = 1.0 / (1.0 + np.exp(-(matrix @ self.weights + self.bias)))
        unlearned = np.flatnonzero(~self.learned)
        if len(unlearned):
            for row, found in zip(probabilities, found_all, strict=True):
                by_phrases = set(self.matcher.tags_of(self.matcher.scores_of(found)))
                for i in unlearned:
                    row[i] = 1.0 if self.slugs[i] in by_phrases else 0.0
        return probabilities

    def probabilities(self, title: str, abstract: str, keywords: Sequence[str] = ()) -> np.ndarray:
        """``probabilities_of`` one paper."""
        return self.probabilities_of([(title, abstract, tuple(keywords))])[0]

    def tags_of(self, papers: Sequence[PaperText]) -> list[tuple[str, ...]]:
        """``tags_for`` many papers at once: one matrix product for all of them."""
        return [self.choose(row) for row in self.probabilities_of(papers)]

    def tags_for(self, title: str, abstract: str, keywords: Sequence[str] = ()) -> tuple[str, ...]:
        """The paper's tags in taxonomy order: those from ``THRESHOLD``, at most
        ``MAX_TAGS`` of the likeliest; none above it, the likeliest from ``FLOOR``."""
        return self.choose(self.probabilities(title, abstract, keywords))

    def choose(self, probabilities: np.ndarray) -> tuple[str, ...]:
        return choose(probabilities, self.slugs)

    def explain(
        self, title: str, abstract: str, keywords: Sequence[str] = (), also: int = 2, nearest: int = 3
    ) -> list[Reason]:
        """Reasons for each tag the paper gets, then for the ``also`` likeliest it does not."""
        probabilities = self.probabilities(title, abstract, keywords)
        chosen = set(self.choose(probabilities))
        order = sorted(range(len(self.slugs)), key=lambda i: (-probabilities[i], i))
        shown = [i for i in order if self.slugs[i] in chosen]
        shown += [i for i in order if self.slugs[i] not in chosen][:also]
        matrix, (hits,) = self.features([(title, abstract, tuple(keywords))])
        idx, val = matrix.indices, matrix.data
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
        dense = np.zeros(self.example_vectors.shape[1])
        dense[idx[terms_only]] = val[terms_only]
        similarity = self.example_vectors @ dense
        slug = self.slugs[tag]
        ranked = sorted(
            (i for i, e in enumerate(self.examples) if slug in e.tags), key=lambda i: (-similarity[i], i)
        )
        return tuple((self.examples[i].name, round(float(similarity[i]), 2)) for i in ranked[:count])


def choose(
    probabilities: np.ndarray, slugs: Sequence[str], threshold: float | None = None
) -> tuple[str, ...]:
    """A paper's tags from its probabilities (in the order of ``slugs``): those from
    ``threshold`` (``THRESHOLD``), at most ``MAX_TAGS`` of the likeliest; none above it,
    the likeliest from ``FLOOR``."""
    chosen = np.flatnonzero(probabilities >= (THRESHOLD if threshold is None else threshold))
    if len(chosen) > MAX_TAGS:
        chosen = np.sort(sorted(chosen, key=lambda i: (-probabilities[i], i))[:MAX_TAGS])
    if not len(chosen):
        best = int(np.argmax(probabilities))
        return (slugs[best],) if probabilities[best] >= FLOOR else ()
    return tuple(slugs[int(i)] for i in chosen)


def train(taxonomy: Sequence[Tag], examples: Sequence[Example]) -> Classifier:
    """Learn each tag of the taxonomy from the examples; deterministic."""
    examples = tuple(examples)
    frequency: Counter[str] = Counter()
    taught: set[str] = set()
    for e in examples:
        found = {t for text, _ in _fields(e.title, e.abstract, e.keywords) for t in _words(text)}
        frequency.update(found)
        if not e.complete:
            # An override's terms are kept even when no other example has them: they
            # are what carries the correction to similar papers.
            taught |= found
    vocabulary = sorted(
        t for t, n in frequency.items() if (n >= MIN_DOCUMENT_FREQUENCY or t in taught) and _learnable(t)
    )
    model = Classifier(taxonomy, examples, vocabulary)
    n = len(examples)
    model.idf = np.log((1 + n) / (1 + np.array([frequency[t] for t in vocabulary], dtype=float))) + 1.0
    matrix, _ = model.features([(e.title, e.abstract, e.keywords) for e in examples])
    model.weights, model.bias, model.learned = fit_tags(model.slugs, examples, matrix)
    terms_only = matrix.copy()
    terms_only.data[terms_only.indices >= len(vocabulary)] = 0.0
    terms_only.eliminate_zeros()
    model.example_vectors = terms_only
    return model


def fit_tags(
    slugs: Sequence[str], examples: Sequence[Example], matrix: sparse.csr_matrix
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One logistic regression per tag over the examples' rows of features: the weights
    (a column per tag), the biases, and which tags had examples enough to be learned."""
    from sklearn.linear_model import LogisticRegression

    n = len(examples)
    sample_weight = np.array([e.weight for e in examples])

    def fit(slug: str) -> tuple[np.ndarray, float] | None:
        """One tag's weights and bias; None when it has too few examples."""
        labelled = [r for r, e in enumerate(examples) if e.complete or slug in e.tags or slug in e.absent]
        target = np.array([slug in examples[r].tags for r in labelled])
        # Every example counts for the tag unless some override says nothing of it.
        rows = matrix if len(labelled) == n else matrix[labelled]
        if target.sum() < MIN_EXAMPLES or target.all():
            return None
        boost = ((len(target) - target.sum()) / target.sum()) ** BALANCE
        regression = LogisticRegression(
            C=C, solver="liblinear", dual=True, random_state=0, max_iter=1000, tol=TOL
        )
        regression.fit(rows, target, sample_weight=sample_weight[labelled] * np.where(target, boost, 1.0))
        return regression.coef_[0], float(regression.intercept_[0])

    weights = np.zeros((matrix.shape[1], len(slugs)))
    bias = np.zeros(len(slugs))
    learned = np.zeros(len(slugs), dtype=bool)
    # The tags are learned apart, so they are spread over the cores (the same numbers as one process).
    for i, fitted in enumerate(parallel.forked_map(fit, slugs, TAGS_PER_TRAINER)):
        if fitted is not None:
            weights[:, i], bias[i] = fitted
            learned[i] = True
    return weights, bias, learned
