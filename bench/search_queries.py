"""The search benchmark's query set: what researchers type, made from the shared data.

Five kinds, about ``PER_KIND`` queries each, every one with what a good answer is:

- ``id``: a pasted arXiv id or link (abs and pdf URLs, ``arXiv:ID``, Hugging Face paper
  URLs, version suffixes): the paper must come first;
- ``author``: an author's full name: their paper in the top 5;
- ``topic``: 2-4 words that many titles use ("video generation"): the top 5 on topic,
  that is, the title or abstract holds the phrase or a close variant (the same words,
  stemmed, in order, at most ``SLACK`` other words in between);
- ``typo``: a topic query with one word misspelt by one edit (first letter kept): the
  top 5 on the topic as spelt right, and a "did you mean" suggestion;
- ``title``: the first six words of a title: the paper first.

Queries are drawn with a fixed seed from the papers of the shared data (copy 0 of
``bench.replicate``, so every archive of at least its size holds them), and each
falls in the ``tune`` or the ``report`` half by a hash of its text: ranking is tuned
on one half and reported on the other.

    python -m bench.search_queries            # counts per kind and half, a few examples
"""

from __future__ import annotations

import hashlib
import random
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

PER_KIND = 220
SEED = 20261207
TITLE_WORDS = 6
AUTHORS_SHOWN = 100  # generator.render.AUTHORS_SHOWN: names beyond it are not on the page
SLACK = 1  # words allowed between a topic's words for a page to count as on topic
TOPIC_PAPERS = (12, 400)  # a topic phrase is on this many papers of the shared data
COMMON = frozenset(
    "a an and are as at be by for from has have in into is it its of on or our than that the their these "
    "this to was we were which while with".split()
)
# Words that make a phrase no topic at either end ("generation through", "models can").
FUNCTION = COMMON | frozenset(
    "via using towards toward based through across beyond without within between over under about after "
    "before against like any each every all more less most your you how what when why where who can do "
    "does not one two just only make makes made new better best good large small beyond is are be".split()
)
ID_FORMS = (
    "arXiv:{id}",
    "https://arxiv.org/abs/{id}",
    "https://arxiv.org/pdf/{id}v2",
    "https://huggingface.co/papers/{id}",
    "{id}v1",
    "arxiv.org/abs/{id}v3",
    "https://arxiv.org/pdf/{id}",
    "{id}",
)
KINDS = ("id", "author", "topic", "typo", "title")


@dataclass(frozen=True, slots=True)
class Query:
    kind: str
    text: str
    paper: str | None = None  # id, author, title: the arXiv id of the paper wanted
    topic: str | None = None  # topic, typo: the phrase a result must hold

    @property
    def half(self) -> str:
        return "tune" if hashlib.sha1(self.text.encode()).digest()[0] % 2 == 0 else "report"


_TOKEN = re.compile(r"[a-z0-9]+")
_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def stems(text: str) -> list[str]:
    """Lowercased words (hyphens, slashes and punctuation split them), stemmed."""
    return [stem(w) for w in _TOKEN.findall(text.lower())]


def holds_phrase(text_stems: Sequence[str], phrase: str, slack: int = SLACK) -> bool:
    """Whether the text holds the phrase's topical words in order, each at most
    ``slack`` words (besides the phrase's own common words) after the one before."""
    words = [stem(w) for w in _TOKEN.findall(phrase.lower()) if w not in COMMON]
    if not words:
        return False
    gaps = [1 + sum(1 for _ in g) for g in _gaps(phrase)]
    for start, token in enumerate(text_stems):
        if token != words[0]:
            continue
        at, ok = start, True
        for word, gap in zip(words[1:], gaps, strict=False):
            window = text_stems[at + 1 : at + gap + slack + 1]
            if word not in window:
                ok = False
                break
            at = at + 1 + window.index(word)
        if ok:
            return True
    return False


def _gaps(phrase: str) -> list[list[str]]:
    """The common words between each pair of topical words of the phrase."""
    gaps: list[list[str]] = []
    current: list[str] | None = None
    for word in _TOKEN.findall(phrase.lower()):
        if word in COMMON:
            if current is not None:
                current.append(word)
        else:
            if current is not None:
                gaps.append(current)
            current = []
    return gaps


def on_topic(title: str, abstract: str, phrase: str) -> bool:
    return holds_phrase(stems(title), phrase) or holds_phrase(stems(abstract), phrase)


def _title(paper: dict) -> str:
    return " ".join(paper["title"].split())


def _names(paper: dict) -> list[str]:
    return [" ".join(a["name"].split()) for a in paper.get("authors", [])[:AUTHORS_SHOWN] if a.get("name")]


def id_queries(papers: Sequence[dict], rng: random.Random, count: int) -> list[Query]:
    chosen = rng.sample(list(papers), count)
    return [
        Query("id", ID_FORMS[n % len(ID_FORMS)].format(id=p["id"]), paper=p["id"])
        for n, p in enumerate(chosen)
    ]


def author_queries(papers: Sequence[dict], rng: random.Random, count: int) -> list[Query]:
    """A full name (two words or more, letters only) of an author of a random paper."""
    queries: list[Query] = []
    seen: set[str] = set()
    for paper in rng.sample(list(papers), len(papers)):
        names = [
            n for n in _names(paper) if re.fullmatch(r"[A-Z][a-z]+(?: [A-Z][a-z]+)+", n) and n not in seen
        ]
        if not names:
            continue
        name = rng.choice(names)
        seen.add(name)
        queries.append(Query("author", name, paper=paper["id"]))
        if len(queries) == count:
            break
    return queries


def title_queries(papers: Sequence[dict], rng: random.Random, count: int) -> list[Query]:
    """The first six words of titles of six words or more (as a reader types them: spaces)."""
    long = [p for p in papers if len(_title(p).split()) > TITLE_WORDS]
    return [
        Query("title", " ".join(_title(p).split()[:TITLE_WORDS]), paper=p["id"])
        for p in rng.sample(long, count)
    ]


def topic_phrases(papers: Sequence[dict]) -> list[str]:
    """Phrases of 2-4 words that titles use: a topical word at each end, common words
    only inside, letters only; those on ``TOPIC_PAPERS`` papers (title or abstract),
    each phrase once, sorted."""
    counted: Counter[str] = Counter()
    for paper in papers:
        words = [w for w in re.findall(r"[a-z]+(?:-[a-z]+)*", _title(paper).lower())]
        found: set[str] = set()
        for n in (2, 3, 4):
            for i in range(len(words) - n + 1):
                gram = words[i : i + n]
                if gram[0] in FUNCTION or gram[-1] in FUNCTION or len(gram[0]) < 3 or len(gram[-1]) < 3:
                    continue
                if n == 4 and sum(w in COMMON for w in gram) != 1:
                    continue
                found.add(" ".join(gram))
        counted.update(found)
    frequent = sorted(phrase for phrase, n in counted.items() if n >= 4)
    texts = [(stems(_title(p)), stems(p.get("summary", ""))) for p in papers]
    low, high = TOPIC_PAPERS
    chosen = []
    for phrase in frequent:
        n = sum(
            1 for title, abstract in texts if holds_phrase(title, phrase) or holds_phrase(abstract, phrase)
        )
        if low <= n <= high:
            chosen.append(phrase)
    return chosen


def topic_queries(phrases: Sequence[str], rng: random.Random, count: int) -> list[Query]:
    return [Query("topic", p, topic=p) for p in rng.sample(list(phrases), count)]


def misspell(word: str, rng: random.Random) -> str:
    """One edit of ``word`` past its first letter: a letter dropped, doubled, swapped with
    the next, or replaced by a neighbour on the keyboard."""
    keys = "qwertyuiop asdfghjkl zxcvbnm"
    near = {c: keys[max(0, i - 1)] + keys[min(len(keys) - 1, i + 1)] for i, c in enumerate(keys) if c != " "}
    at = rng.randrange(1, len(word) - 1)
    edit = rng.choice(("drop", "double", "swap", "near"))
    if edit == "drop":
        return word[:at] + word[at + 1 :]
    if edit == "double":
        return word[:at] + word[at] + word[at:]
    if edit == "swap" and word[at] != word[at + 1]:
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    options = near.get(word[at], "").replace(" ", "")
    return word[:at] + (rng.choice(options) if options else "e") + word[at + 1 :]


def typo_queries(phrases: Sequence[str], vocabulary: set[str], rng: random.Random, count: int) -> list[Query]:
    """Topic phrases with their longest word (six letters or more) misspelt into a
    word that no paper of the shared data uses."""
    queries: list[Query] = []
    for phrase in rng.sample(list(phrases), len(phrases)):
        words = phrase.split()
        longest = max(range(len(words)), key=lambda i: (len(words[i]), -i))
        if len(words[longest]) < 6 or "-" in words[longest]:
            continue
        for _ in range(5):
            wrong = misspell(words[longest], rng)
            if wrong not in vocabulary and wrong != words[longest]:
                break
        else:
            continue
        text = " ".join(words[:longest] + [wrong] + words[longest + 1 :])
        queries.append(Query("typo", text, topic=phrase))
        if len(queries) == count:
            break
    return queries


def unique_papers(shared: Iterable[dict]) -> list[dict]:
    """Each paper once (a paper featured on two days is in two files), in file order."""
    seen: dict[str, dict] = {}
    for paper in shared:
        seen.setdefault(paper["id"], paper)
    return list(seen.values())


def build_queries(shared: Iterable[dict], per_kind: int = PER_KIND, seed: int = SEED) -> list[Query]:
    """The whole query set, deterministic for the same data and seed."""
    papers = unique_papers(shared)
    vocabulary = {w for p in papers for w in _TOKEN.findall(f"{_title(p)} {p.get('summary', '')}".lower())}
    phrases = topic_phrases(papers)
    rng = random.Random(seed)
    topics = topic_queries(phrases, rng, min(per_kind, len(phrases)))
    used = {q.text for q in topics}
    return [
        *id_queries(papers, rng, per_kind),
        *author_queries(papers, rng, per_kind),
        *topics,
        *typo_queries([p for p in phrases if p not in used] or phrases, vocabulary, rng, per_kind),
        *title_queries(papers, rng, per_kind),
    ]


def main() -> int:
    from bench.search import SHARED_DIR, shared_papers

    queries = build_queries(shared_papers(SHARED_DIR))
    for kind in KINDS:
        of_kind = [q for q in queries if q.kind == kind]
        halves = Counter(q.half for q in of_kind)
        print(f"{kind:<7} {len(of_kind):>4}  tune {halves['tune']:>4}  report {halves['report']:>4}")
        for q in of_kind[:3]:
            print(f"        {q.text!r} -> {q.paper or q.topic}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
