"""Tagging benchmark: how right the tags are, on papers labelled by people, and how fast.

The labelled set is ``bench/labels/`` (see its GUIDE.md): papers of the shared data
labelled twice, independently, ``sample.jsonl`` (330, ``labels-a.jsonl`` and
``labels-b.jsonl``) and ``sample2.jsonl`` (300, ``labels2-a.jsonl`` and
``labels2-b.jsonl``, two other people), and ``trainN-sample.jsonl``, papers labelled
once (``labels-trainN.jsonl``). A hash of each twice-labelled paper's id puts it in the
tuning part (about 63%) or the reporting part (about 37%). The tagger ships trained on
the tuning part and the train samples (``content/tag-examples.jsonl``, written by
``--examples``); the reporting part is never trained or tuned on.

Figures, with the definitions of issue 19: a tag given counts as right when either
labelling has it (precision); recall is over the tags both labellings have.

    .venv/bin/python -m bench.tagging                 # reporting part + 50,000 papers timed
    .venv/bin/python -m bench.tagging --cv 5          # cross-validation on the tuning part only
    .venv/bin/python -m bench.tagging --cv 5 --set THRESHOLD=0.35 --set C=8
    .venv/bin/python -m bench.tagging --cv 5 --train-share 50  # learning curve: half the train samples
    .venv/bin/python -m bench.tagging --examples content/tag-examples.jsonl
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from bench.replicate import SHARED_DIR, replicate

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "bench" / "labels"
REPORTING_SHARE = 37  # of 100 hash buckets
TARGET_PAPERS = 50_000
TARGET_SECONDS = 10.0
TARGET_PRECISION, TARGET_RECALL = 0.90, 0.85


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def labelling(name: str) -> dict[str, frozenset[str]]:
    return {r["id"]: frozenset(r["tags"]) for r in _jsonl(LABELS / name)}


def in_reporting_part(paper_id: str) -> bool:
    """Deterministic and independent of everything but the id."""
    return int(hashlib.sha256(paper_id.encode()).hexdigest(), 16) % 100 < REPORTING_SHARE


def _bucket(paper_id: str, salt: str) -> int:
    return int(hashlib.sha256(f"{salt}:{paper_id}".encode()).hexdigest(), 16) % 100


def keywords_by_id(shared_dir: Path) -> dict[str, tuple[str, ...]]:
    """Hugging Face's ``ai_keywords`` of the shared papers (the samples keep title and abstract only)."""
    out = {}
    for path in sorted((shared_dir / "data" / "hf-daily-papers").glob("*.json")):
        for item in json.loads(path.read_bytes()):
            paper = item.get("paper", item) if isinstance(item, dict) else {}
            if isinstance(paper, dict) and isinstance(paper.get("id"), str):
                out[paper["id"]] = tuple(paper.get("ai_keywords") or ())
    return out


class Labelled:
    """The labelled papers, their labellings and the two parts."""

    def __init__(self, shared_dir: Path, train_share: int = 100) -> None:
        keywords = keywords_by_id(shared_dir)
        # Samples labelled twice: sample.jsonl with labels-a.jsonl and labels-b.jsonl, and
        # sampleN.jsonl with labelsN-a.jsonl and labelsN-b.jsonl (other pairs of people).
        self.sample = []
        self.a: dict[str, frozenset[str]] = {}
        self.b: dict[str, frozenset[str]] = {}
        self.sets: list[tuple[str, dict[str, frozenset[str]], dict[str, frozenset[str]]]] = []
        for sample in sorted(LABELS.glob("sample*.jsonl")):
            number = sample.name.removeprefix("sample").removesuffix(".jsonl")
            a, b = labelling(f"labels{number}-a.jsonl"), labelling(f"labels{number}-b.jsonl")
            self.sample += _jsonl(sample)
            self.a.update(a)
            self.b.update(b)
            self.sets.append((sample.name, a, b))
        # Train samples labelled once: train-sample.jsonl with labels-train.jsonl, and
        # trainN-sample.jsonl with labels-trainN.jsonl (each labelled by another person).
        self.train = []
        self.t: dict[str, frozenset[str]] = {}
        for sample in sorted(LABELS.glob("train*-sample.jsonl")):
            name = sample.name.removesuffix("-sample.jsonl")
            self.train += _jsonl(sample)
            self.t.update(labelling(f"labels-{name}.jsonl"))
        # A share of the papers labelled once, by a hash of the id: the same papers each run,
        # and a smaller share is part of a larger one (for a learning curve).
        self.train = [r for r in self.train if _bucket(r["id"], "train") < train_share]
        for record in self.sample + self.train:
            record["keywords"] = keywords.get(record["id"], ())
        self.tuning = [r for r in self.sample if not in_reporting_part(r["id"])]
        self.reporting = [r for r in self.sample if in_reporting_part(r["id"])]

    def either(self, paper_id: str) -> frozenset[str]:
        return self.a[paper_id] | self.b[paper_id]

    def both(self, paper_id: str) -> frozenset[str]:
        return self.a[paper_id] & self.b[paper_id]

    def examples(self, tuning: Sequence[dict]) -> list:
        """Training examples: ``tuning`` papers with the tags either labelling gives, and
        the train sample with its one labelling."""
        from generator.classifier import Example

        def example(r: dict, tags: frozenset[str]) -> Example:
            return Example(r["id"], r["title"], r["abstract"], tuple(r["keywords"]), tuple(sorted(tags)))

        return [example(r, self.either(r["id"])) for r in tuning] + [
            example(r, self.t[r["id"]]) for r in self.train
        ]


# --- figures ----------------------------------------------------------------------------


def agreement(a: Mapping[str, frozenset[str]], b: Mapping[str, frozenset[str]], slugs: Sequence[str]) -> dict:
    """Mean Jaccard per paper, share of identical labellings, and per tag Cohen's kappa."""
    ids = sorted(a)
    jaccard = [len(a[i] & b[i]) / len(a[i] | b[i]) if a[i] | b[i] else 1.0 for i in ids]
    kappas = {}
    n = len(ids)
    for slug in slugs:
        x = [slug in a[i] for i in ids]
        y = [slug in b[i] for i in ids]
        observed = sum(p == q for p, q in zip(x, y, strict=True)) / n
        pa, pb = sum(x) / n, sum(y) / n
        expected = pa * pb + (1 - pa) * (1 - pb)
        kappas[slug] = (observed - expected) / (1 - expected) if expected < 1 else 1.0
    return {
        "papers": n,
        "jaccard": statistics.mean(jaccard),
        "identical": sum(a[i] == b[i] for i in ids) / n,
        "kappa": kappas,
        "tags a": sum(map(len, a.values())) / n,
        "tags b": sum(map(len, b.values())) / n,
    }


def score(predicted: Mapping[str, Sequence[str]], labelled: Labelled, slugs: Sequence[str]) -> dict:
    """Overall and per-tag precision (right if either labelling has the tag) and recall
    (over the tags both labellings have)."""
    per = {s: Counter() for s in slugs}
    for paper_id, tags in predicted.items():
        either, both = labelled.either(paper_id), labelled.both(paper_id)
        for slug in tags:
            per[slug]["given"] += 1
            per[slug]["right"] += slug in either
        for slug in both:
            per[slug]["both"] += 1
            per[slug]["found"] += slug in tags
    total = sum(per.values(), Counter())
    return {"overall": _prf(total), "tags": {s: _prf(c) | {"n": c["both"]} for s, c in per.items()}}


def _prf(c: Counter) -> dict:
    p = c["right"] / c["given"] if c["given"] else 1.0
    r = c["found"] / c["both"] if c["both"] else 1.0
    return {
        "p": p,
        "r": r,
        "f1": 2 * p * r / (p + r) if p + r else 0.0,
        "given": c["given"],
        "both": c["both"],
    }


def print_scores(title: str, scores: dict, per_tag: bool) -> None:
    o = scores["overall"]
    print(
        f"{title}: precision {o['p']:.3f}  recall {o['r']:.3f}  F1 {o['f1']:.3f}  "
        f"({o['given']} tags given, {o['both']} tags in both labellings)"
    )
    if per_tag:
        print(f"  {'tag':<24} {'P':>6} {'R':>6} {'F1':>6} {'given':>6} {'both':>5}")
        for slug, t in scores["tags"].items():
            if t["given"] or t["both"]:
                print(
                    f"  {slug:<24} {t['p']:>6.2f} {t['r']:>6.2f} {t['f1']:>6.2f} {t['given']:>6} {t['both']:>5}"
                )


def predict(tagger, records: Sequence[dict]) -> dict[str, tuple[str, ...]]:
    return {r["id"]: tagger.tags_for(r["title"], r["abstract"], r["keywords"]) for r in records}


def texts(records: Sequence[dict]) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(r["title"], r["abstract"], tuple(r["keywords"])) for r in records]


# --- modes ------------------------------------------------------------------------------


def cross_validate(labelled: Labelled, taxonomy, folds: int, thresholds: Sequence[float]) -> None:
    """K folds of the tuning part (by a hash of the id), the train sample always trained on."""
    from generator import classifier

    fold = {r["id"]: int(hashlib.md5(r["id"].encode()).hexdigest(), 16) % folds for r in labelled.tuning}
    probabilities = {}
    for k in range(folds):
        trained = classifier.train(
            taxonomy, labelled.examples([r for r in labelled.tuning if fold[r["id"]] != k])
        )
        held = [r for r in labelled.tuning if fold[r["id"]] == k]
        for r, row in zip(held, trained.probabilities_of(texts(held)), strict=True):
            probabilities[r["id"]] = row
    slugs = [t.slug for t in taxonomy]
    for threshold in thresholds:
        print_scores(
            f"cv {folds} folds, tuning part, threshold {threshold:.2f}",
            score(chosen(probabilities, slugs, threshold), labelled, slugs),
            False,
        )
    predicted = chosen(probabilities, slugs, classifier.THRESHOLD)
    print_scores(
        f"cv, threshold {classifier.THRESHOLD:.2f}, per tag", score(predicted, labelled, slugs), True
    )


def chosen(
    probabilities: Mapping[str, np.ndarray], slugs: Sequence[str], threshold: float
) -> dict[str, tuple[str, ...]]:
    """Each paper's tags from its probabilities, as the tagger chooses them at ``threshold``."""
    from generator import classifier

    return {i: classifier.choose(p, slugs, threshold) for i, p in probabilities.items()}


def write_examples(labelled: Labelled, out: Path) -> None:
    lines = []
    for e in labelled.examples(labelled.tuning):
        item = {"id": e.name, "title": e.title, "abstract": e.abstract}
        if e.keywords:
            item["keywords"] = list(e.keywords)
        item["tags"] = list(e.tags)
        lines.append(json.dumps(item, ensure_ascii=False))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} examples to {out}")


def cpu_seconds() -> float:
    """User and system time of this process and its finished children: what the work
    cost whatever else the machine runs (wall time on a shared machine is not)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def time_tagging(shared_dir: Path, papers: int, out: Path) -> None:
    """Read a replicated archive, then time what the build does to tag it: training on
    the content's examples and overrides, then tagging every paper in batches spread
    over every core (as ``archive.build_archive`` does); the phrase rules alone beside it."""
    from generator import parallel, tagging
    from generator.archive import PAPERS_PER_TAGGER, TAGGED_AT_ONCE
    from generator.build import paper_tagger
    from generator.content import read_content

    content = read_content(replicate(shared_dir, out / f"content-{papers}", papers))
    records = [record for digest in content.digests for record in digest.records]
    batches = [records[k : k + TAGGED_AT_ONCE] for k in range(0, len(records), TAGGED_AT_ONCE)]
    c0, t0 = cpu_seconds(), time.perf_counter()
    tag_papers = paper_tagger(content)
    c1, t1 = cpu_seconds(), time.perf_counter()
    tagged = [
        t
        for batch in parallel.forked_map(tag_papers, batches, PAPERS_PER_TAGGER // TAGGED_AT_ONCE)
        for t in batch
    ]
    c2, t2 = cpu_seconds(), time.perf_counter()
    phrases = tagging.build_tagger(content.taxonomy)
    parallel.forked_map(
        lambda r: phrases.tags_for(r.title, r.abstract, r.ai_keywords), records, PAPERS_PER_TAGGER
    )
    t3 = time.perf_counter()
    print(
        f"tagging {len(records):,} papers on {parallel.cores()} cores: training {t1 - t0:.2f} s + tagging "
        f"{t2 - t1:.2f} s = {t2 - t0:.2f} s (target <= {TARGET_SECONDS:.0f} s: "
        f"{'PASS' if t2 - t0 <= TARGET_SECONDS else 'FAIL'}); phrase rules alone {t3 - t2:.2f} s; "
        f"{sum(1 for t in tagged if t) / len(records):.1%} of papers with a tag; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"CPU time: training {c1 - c0:.2f} s + tagging {c2 - c1:.2f} s = {c2 - c0:.2f} s "
        f"({(c2 - c0) / parallel.cores():.2f} s a core)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cv", type=int, metavar="K", help="cross-validate on the tuning part instead")
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", help="a classifier constant"
    )
    parser.add_argument("--thresholds", default="0.2,0.25,0.3,0.35,0.4,0.5", help="for --cv")
    parser.add_argument(
        "--train-share",
        type=int,
        default=100,
        metavar="PERCENT",
        help="train on this share of the papers labelled once (by a hash of the id), for --cv",
    )
    parser.add_argument("--examples", type=Path, metavar="FILE", help="write the training examples and stop")
    parser.add_argument("--papers", type=int, default=TARGET_PAPERS, help="papers to time (0: no timing)")
    parser.add_argument(
        "--shared", type=Path, default=SHARED_DIR, help="the shared folder (default: %(default)s)"
    )
    parser.add_argument(
        "--content", type=Path, default=ROOT / "content", help="taxonomy and examples from here"
    )
    parser.add_argument("--out", type=Path, help="scratch folder for the timed archive")
    parser.add_argument("--timing-only", action="store_true", help="time tagging, print no scores")
    args = parser.parse_args(argv)

    from generator import classifier, tagging
    from generator.content import read_content  # noqa: F401 - the build's own reader below

    for setting in args.set:
        name, value = setting.split("=", 1)
        kind = type(getattr(classifier, name))
        setattr(classifier, name, value.lower() in ("1", "true", "yes") if kind is bool else kind(value))
    if not 0 < args.train_share <= 100:
        parser.error("--train-share must be a percentage from 1 to 100")
    if args.train_share < 100 and not args.cv:
        parser.error("--train-share is for --cv: the shipped examples hold every labelled paper")
    labelled = Labelled(args.shared, args.train_share)
    if args.examples:
        write_examples(labelled, args.examples)
        return 0
    taxonomy = tagging.load_taxonomy(args.content / "taxonomy.yml")
    slugs = [t.slug for t in taxonomy]
    print(
        f"labelled: {len(labelled.sample)} papers labelled twice ({len(labelled.tuning)} tuning, "
        f"{len(labelled.reporting)} reporting), {len(labelled.train)} labelled once; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    for name, a, b in labelled.sets:
        agreed = agreement(a, b, slugs)
        print(
            f"agreement of the two labellings of {name} ({agreed['papers']} papers): Jaccard "
            f"{agreed['jaccard']:.3f} per paper (mean), {agreed['identical']:.0%} identical, "
            f"{agreed['tags a']:.2f} and {agreed['tags b']:.2f} tags a paper"
        )
    agreed = agreement(labelled.a, labelled.b, slugs)
    if len(labelled.sets) > 1:
        print(
            f"agreement over all {agreed['papers']} papers labelled twice: Jaccard {agreed['jaccard']:.3f}, "
            f"{agreed['identical']:.0%} identical"
        )
    if args.timing_only:
        time_tagging(
            args.shared, args.papers, args.out or Path(tempfile.mkdtemp(prefix="paper-archive-tagging-"))
        )
        return 0
    if args.cv:
        cross_validate(labelled, taxonomy, args.cv, [float(t) for t in args.thresholds.split(",")])
        return 0

    examples = classifier.load_examples(args.content / "tag-examples.jsonl", taxonomy)
    leaked = {e.name for e in examples} & {r["id"] for r in labelled.reporting}
    if leaked:
        raise SystemExit(
            f"the examples hold {len(leaked)} papers of the reporting part: {sorted(leaked)[:3]}"
        )
    trained = classifier.train(taxonomy, examples)
    reporting = score(predict(trained, labelled.reporting), labelled, slugs)
    before = score(predict(tagging.build_tagger(taxonomy), labelled.reporting), labelled, slugs)
    print_scores("phrases alone (the tagger before examples), reporting part", before, False)
    print_scores(f"tagger, reporting part ({len(labelled.reporting)} papers)", reporting, True)
    o = reporting["overall"]
    print(
        f"target precision >= {TARGET_PRECISION} and recall >= {TARGET_RECALL}: "
        f"{'PASS' if o['p'] >= TARGET_PRECISION and o['r'] >= TARGET_RECALL else 'FAIL'}"
    )
    print("per-tag agreement of the labellings (Cohen's kappa, tags with 3 or more papers):")
    counts = Counter(s for tags in labelled.a.values() for s in tags)
    print("  " + ", ".join(f"{s} {k:.2f}" for s, k in agreed["kappa"].items() if counts[s] >= 3))
    if args.papers:
        out = args.out or Path(tempfile.mkdtemp(prefix="paper-archive-tagging-"))
        time_tagging(args.shared, args.papers, out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
