"""Generation a build takes from the previous one: the digests read, the trained tagger,
each paper's tags and each paper page's Markdown, each keyed by everything it is made from.

``carry.py`` spares MkDocs and Pagefind the pages whose Markdown did not change; this
module spares the making of that Markdown. A day added to a 10,000-paper archive
changes a few dozen paper pages, yet training the tagger (3.6 s), tagging every paper
and rendering every paper page (4-6 s on two cores) took longer than all the rest of
such a rebuild.

Every build writes a ``State`` into the docs folder it stages (``STATE_FILE``, a dot
file MkDocs never reads), and the next build reads it from the docs folder in place:

- the tagger, under a key hashing the build key (this package's code, the templates,
  the configuration, package versions: ``carry.build_key``), the taxonomy and every
  example it learns from, overrides included. Same key, same trained model: training
  is deterministic.
- each paper's tags as the tagger gave them (before overrides, which are applied every
  time), under that key and the paper's title, abstract and keywords: a paper's tags
  depend on nothing else.
- each digest file as read, under the hash of its bytes (and the build key: the
  readers are this package's code), so an unchanged file is not parsed again.
- each paper page's key (``page_key``: the build key, the paper, its related papers,
  the links its authors and organisation get, its citation key, its tags) and the
  hash of its Markdown. A page with the same key is linked from the previous docs
  folder once that file is checked against its hash; any other page is rendered.

``build --full`` reads no state. The state is a pickle: like the code, the build
folder is the archive owner's own (content from digests never reaches it unhashed).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.archive import in_batches
from generator.carry import add_parts, file_hash
from generator.model import Digest, Paper, Tag

STATE_FILE = ".paper-archive-generation.pickle"
FORMAT = 1  # of the state; a change here takes nothing from an older build

PaperText = tuple[str, str, Sequence[str]]  # title, abstract, keywords: what the tagger reads


@dataclass
class State:
    key: str  # the build key the pages were made under
    tagger_key: str
    tagger: Any  # classifier.Classifier, or None if this build never needed it
    tags: dict[str, tuple[str, ...]] = field(default_factory=dict)  # text_key -> the tagger's tags
    pages: dict[str, tuple[str, str]] = field(default_factory=dict)  # src -> (page_key, Markdown hash)
    digests: dict[str, tuple[str, Any]] = field(default_factory=dict)  # content.ReadDigests


def read_state(docs_dir: Path) -> State | None:
    """The previous build's state, or None if there is none or it cannot be read."""
    try:
        with open(docs_dir / STATE_FILE, "rb") as f:
            data = pickle.load(f)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return None
        state = data["state"]
        return state if isinstance(state, State) else None
    except Exception:  # a truncated or foreign file: build everything again
        return None


def write_state(docs_dir: Path, state: State) -> None:
    with open(docs_dir / STATE_FILE, "wb") as f:
        pickle.dump({"format": FORMAT, "state": state}, f, protocol=pickle.HIGHEST_PROTOCOL)


def read_digests(previous: State | None, build_key: str) -> dict[str, tuple[str, Digest]]:
    """The digests the previous build read (``content.load_content``), if it ran the same
    code (the build key hashes this package: a reader that changed reads again)."""
    return dict(previous.digests) if previous is not None and previous.key == build_key else {}


def _digest(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    add_parts(digest, *parts)
    return digest.hexdigest()


def tagger_key(build_key: str, taxonomy: Sequence[Tag], examples: Sequence[object]) -> str:
    """What the trained tagger is made of. ``repr`` of the frozen dataclasses leaves out
    where each came from (``source``), which does not change what is learned."""
    return _digest("tagger", build_key, repr(tuple(taxonomy)), repr(tuple(examples)))


def text_key(text: PaperText) -> str:
    title, abstract, keywords = text
    return _digest(title, abstract, "\n".join(keywords))


class ReusingTagger:
    """Tags papers as ``train()``'s model would, taking each paper's tags from the previous
    build when the tagger's key and the paper's text are the same, and training (or
    taking the previous build's model) only for papers it has not seen."""

    def __init__(self, key: str, train: Callable[[], Any], previous: State | None) -> None:
        """Call ``tags_of`` in the build's own process: it remembers what it gave for the
        next build, and spreads the tagging of papers it has not seen over the cores."""
        same = previous is not None and previous.tagger_key == key
        self.key = key
        self._train = train
        self.model = previous.tagger if same and previous is not None else None
        self._known: Mapping[str, tuple[str, ...]] = previous.tags if same and previous is not None else {}
        self.used: dict[str, tuple[str, ...]] = {}

    def tags_of(self, texts: Sequence[PaperText]) -> list[tuple[str, ...]]:
        keys = [text_key(t) for t in texts]
        missing = [i for i, k in enumerate(keys) if k not in self._known and k not in self.used]
        if missing:
            if self.model is None:
                self.model = self._train()
            given = in_batches(self.model.tags_of, [texts[i] for i in missing])
            for i, tags in zip(missing, given, strict=True):
                self.used[keys[i]] = tuple(tags)
        out = []
        for k in keys:
            tags = self.used.get(k)
            if tags is None:
                tags = self.used[k] = self._known[k]
            out.append(tags)
        return out


def paper_digests(papers: Sequence[Paper]) -> dict[str, str]:
    """URI -> a hash of everything the paper holds (its dataclass's repr: tuples, strings,
    numbers and dates, in a fixed order)."""
    return {p.uri: hashlib.sha256(repr(p).encode()).hexdigest() for p in papers}


def page_key(
    build_key: str,
    paper: Paper,
    related: Sequence[str],
    digests: Mapping[str, str],
    links: Sequence[str | None],
    citation: str | None,
    tags: Sequence[Tag],
) -> str:
    """Everything a paper page's Markdown is made from: the build key (templates, code,
    configuration), the paper, its related papers whole (the template may show any of
    their fields), where its authors and organisation link (``links``: a page, or None
    for a search), its citation key and its tags."""
    return _digest(
        build_key,
        digests[paper.uri],
        *(digests[uri] for uri in related),
        repr(tuple(links)),
        str(citation),
        repr(tuple(tags)),
    )


def reuse_page(previous: State | None, old_docs: Path, new_docs: Path, src: str, key: str) -> str | None:
    """Link the previous build's Markdown of page ``src`` into ``new_docs`` if it was made
    from the same ``key`` and its file still has the recorded hash; its hash, or None."""
    if previous is None:
        return None
    record = previous.pages.get(src)
    if record is None or record[0] != key:
        return None
    old = old_docs / src
    try:
        if file_hash(old) != record[1]:
            return None
        target = new_docs / src
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(old, target)
        except OSError:
            shutil.copyfile(old, target)
    except OSError:
        return None
    return record[1]


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
