"""Tagging: the taxonomy and hand overrides -> topic tags for each paper.

``load_taxonomy`` and ``load_overrides`` read and validate ``content/taxonomy.yml`` and
``content/tag-overrides.yml``, reporting every problem as ``path:line: message``.
``build_tagger`` indexes all the phrases of a taxonomy once; ``Tagger.tags_for`` then
scores a paper's title, HF keywords and abstract against them and returns its best tags
in taxonomy order. ``apply_overrides`` applies one hand fix.
Everything here but the two ``load_*`` functions is a pure function of its arguments.
"""

from __future__ import annotations

import difflib
import os
import re
import string
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, compress
from pathlib import Path

import yaml

from generator import safeyaml
from generator.errors import ContentError, ContentErrors
from generator.model import SourceRef, Tag
from generator.readers.characters import NOT_TEXT, not_text, not_text_errors
from generator.text import encodable, title_key

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# Words of letters and digits joined by single spaces or hyphens; a ``*`` at the end
# stands for any ending of the last word, at the start for any beginning of it.
PHRASE = re.compile(r"^\*?[a-z0-9]+([ -][a-z0-9]+)*\*?$")
ARXIV_ID = re.compile(r"^(?:arxiv:)?(\d{4}\.\d{4,5})(?:v\d+)?$", re.IGNORECASE)

TAG_KEYS = ("slug", "name", "description", "phrases", "title_phrases", "exclude")
OVERRIDE_KEYS = ("paper", "add", "remove")

# Scoring: each distinct phrase found counts once per field, by where it was found.
TITLE_WEIGHT = 3
TITLE_ONLY_WEIGHT = 3  # title_phrases are strong signals, too broad only for abstracts
KEYWORD_WEIGHT = 2
ABSTRACT_WEIGHT = 1
THRESHOLD = 3  # a title match alone is enough; the abstract needs several phrases
RELATIVE = 0.25  # ... and a tag needs this share of the paper's best score: side topics drop out
MAX_TAGS = 5
FALLBACK = 2  # a paper with no tag above THRESHOLD still gets its best tag if it scores this

_ANY, _TITLE_ONLY, _EXCLUDE = 0, 1, 2
_SEPARATORS = re.compile(r"[\s-]+")


@dataclass(frozen=True, slots=True)
class Override:
    """A hand fix for one paper's tags, from ``content/tag-overrides.yml``."""

    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()
    source: SourceRef | None = field(default=None, compare=False, repr=False)
    # The taxonomy's slugs, so that added tags take their taxonomy place.
    order: tuple[str, ...] = field(default=(), compare=False, repr=False)


# --- the taxonomy file ------------------------------------------------------------------


def load_taxonomy(path: Path) -> tuple[Tag, ...]:
    """Read and validate the taxonomy; raise ``ContentErrors`` listing every problem."""
    root = _read_yaml(path)
    if root is None:
        raise ContentErrors(
            [ContentError(SourceRef(path, 1), "the taxonomy is empty: declare at least one tag")]
        )
    if not isinstance(root, yaml.SequenceNode):
        raise ContentErrors(
            [
                ContentError(
                    _ref(path, root), "the taxonomy must be a list of tags, each starting with '- slug: ...'"
                )
            ]
        )
    tags: list[Tag] = []
    errors: list[ContentError] = []
    first_line: dict[str, int] = {}
    for item in root.value:
        slug_node = _keys(item).get("slug", (None, None))[1] if isinstance(item, yaml.MappingNode) else None
        if isinstance(slug_node, yaml.ScalarNode) and slug_node.value:
            slug = slug_node.value
            if slug in first_line:
                errors.append(
                    ContentError(
                        _ref(path, slug_node),
                        f"duplicate slug {slug!r} (first declared on line {first_line[slug]})",
                    )
                )
            else:
                first_line[slug] = _line(slug_node)
        try:
            tags.append(_parse_tag(path, item))
        except ContentErrors as e:
            errors.extend(e.errors)
    if errors:
        raise ContentErrors(
            sorted(errors, key=lambda e: e.source.line if isinstance(e.source, SourceRef) else 0)
        )
    if not tags:
        raise ContentErrors(
            [ContentError(_ref(path, root), "the taxonomy is empty: declare at least one tag")]
        )
    return tuple(tags)


def _parse_tag(path: Path, node: yaml.Node) -> Tag:
    if not isinstance(node, yaml.MappingNode):
        raise ContentErrors(
            [
                ContentError(
                    _ref(path, node), "each tag must be a mapping with slug, name, description and phrases"
                )
            ]
        )
    errors: list[ContentError] = []
    fields = _mapping(path, node, errors)
    slug = _scalar(path, fields.get("slug"), "slug", errors)
    label = repr(slug) if slug else f"on line {_line(node)}"
    if "slug" not in fields or (slug == "" and not errors):
        errors.append(ContentError(_ref(path, node), "tag without a slug: add 'slug: some-name'"))
    elif slug and not SLUG.match(slug):
        errors.append(
            ContentError(
                _ref(path, fields["slug"]),
                f"slug {slug!r} must be lowercase letters and digits joined by single hyphens, "
                "like 'image-editing'",
            )
        )
    for key, (key_node, _) in _keys(node).items():
        if key not in TAG_KEYS:
            errors.append(
                ContentError(
                    _ref(path, key_node),
                    f"unknown key {key!r} in tag {label}: expected {', '.join(TAG_KEYS)}",
                )
            )
    name = _scalar(path, fields.get("name"), "name", errors)
    if not name:
        errors.append(ContentError(_ref(path, node), f"tag {label} has no name: add 'name: ...'"))
    description = _scalar(path, fields.get("description"), "description", errors)
    if not description:
        errors.append(
            ContentError(
                _ref(path, node), f"tag {label} has no description: add a one-line 'description: ...'"
            )
        )
    before = len(errors)
    lists = {key: _phrases(path, fields.get(key), key, label, errors) for key in TAG_KEYS[3:]}
    if not lists["phrases"] and not lists["title_phrases"] and len(errors) == before:
        errors.append(
            ContentError(_ref(path, node), f"tag {label} has no phrases: add 'phrases' or 'title_phrases'")
        )
    seen: dict[str, str] = {}
    for key, phrases in lists.items():
        for phrase in phrases:
            same = _squash(phrase)
            if same in seen:
                errors.append(
                    ContentError(
                        _ref(path, fields[key]),
                        f"phrase {phrase!r} appears twice in tag {label} (in {seen[same]} and in {key})"
                        if seen[same] != key
                        else f"phrase {phrase!r} appears twice in the {key} of tag {label}",
                    )
                )
            seen[same] = key
    if errors:
        raise ContentErrors(errors)
    return Tag(
        slug=slug,
        name=name,
        description=description,
        phrases=lists["phrases"],
        title_phrases=lists["title_phrases"],
        exclude=lists["exclude"],
        source=_ref(path, node),
    )


def _phrases(
    path: Path, node: yaml.Node | None, key: str, label: str, errors: list[ContentError]
) -> tuple[str, ...]:
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")):
        return ()
    if not isinstance(node, yaml.SequenceNode) or not all(isinstance(n, yaml.ScalarNode) for n in node.value):
        errors.append(ContentError(_ref(path, node), f"{key} of tag {label} must be a list of phrases"))
        return ()
    phrases = []
    for item in node.value:
        phrase = " ".join(item.value.lower().split())
        if not PHRASE.match(phrase) or phrase.startswith("*") and phrase.endswith("*"):
            errors.append(
                ContentError(
                    _ref(path, item),
                    f"phrase {item.value!r} in tag {label} may only hold letters, digits, single spaces "
                    "or hyphens between words, and one '*' at its start or end",
                )
            )
            continue
        phrases.append(phrase)
    return tuple(phrases)


# --- the overrides file -----------------------------------------------------------------


def load_overrides(path: Path, taxonomy: Sequence[Tag]) -> dict[str, Override]:
    """Read the hand fixes, keyed by arXiv id or ``title_key(title)``; a missing file is none."""
    if not path.exists():
        return {}
    root = _read_yaml(path)
    if root is None or isinstance(root, yaml.ScalarNode) and root.tag.endswith(":null"):
        return {}
    if not isinstance(root, yaml.SequenceNode):
        raise ContentErrors(
            [
                ContentError(
                    _ref(path, root), "the overrides must be a list, each item starting with '- paper: ...'"
                )
            ]
        )
    order = tuple(tag.slug for tag in taxonomy)
    known = set(order)
    overrides: dict[str, Override] = {}
    first_line: dict[str, int] = {}
    errors: list[ContentError] = []
    for item in root.value:
        if not isinstance(item, yaml.MappingNode):
            errors.append(
                ContentError(_ref(path, item), "each override must be a mapping with paper, add and remove")
            )
            continue
        before = len(errors)
        fields = _mapping(path, item, errors)
        for key, (key_node, _) in _keys(item).items():
            if key not in OVERRIDE_KEYS:
                errors.append(
                    ContentError(
                        _ref(path, key_node),
                        f"unknown key {key!r} in override: expected {', '.join(OVERRIDE_KEYS)}",
                    )
                )
        paper = _scalar(path, fields.get("paper"), "paper", errors)
        if not paper.strip():
            errors.append(
                ContentError(
                    _ref(path, item), "override without a paper: give 'paper:' an arXiv id or a title"
                )
            )
        changes = {key: _slugs(path, fields.get(key), key, known, errors) for key in ("add", "remove")}
        if not changes["add"] and not changes["remove"] and paper.strip():
            errors.append(
                ContentError(_ref(path, item), f"override for {paper!r} neither adds nor removes a tag")
            )
        for slug in sorted(set(changes["add"]) & set(changes["remove"])):
            errors.append(
                ContentError(_ref(path, item), f"tag {slug!r} is both added and removed for {paper!r}")
            )
        if len(errors) > before:
            continue
        match = ARXIV_ID.match(paper.strip())
        key = match.group(1) if match else title_key(paper)
        if key in first_line:
            errors.append(
                ContentError(
                    _ref(path, item), f"duplicate override for {paper!r} (first on line {first_line[key]})"
                )
            )
            continue
        first_line[key] = _line(item)
        overrides[key] = Override(
            add=tuple(s for s in order if s in changes["add"]),
            remove=tuple(s for s in order if s in changes["remove"]),
            source=_ref(path, item),
            order=order,
        )
    if errors:
        raise ContentErrors(errors)
    return overrides


def _slugs(
    path: Path, node: yaml.Node | None, key: str, known: set[str], errors: list[ContentError]
) -> tuple[str, ...]:
    if node is None:
        return ()
    items = [node] if isinstance(node, yaml.ScalarNode) else node.value
    if not isinstance(node, yaml.ScalarNode | yaml.SequenceNode) or not all(
        isinstance(n, yaml.ScalarNode) for n in items
    ):
        errors.append(
            ContentError(_ref(path, node), f"'{key}' must be a list of tag slugs, like [robotics, video]")
        )
        return ()
    slugs = []
    for item in items:
        if item.value == "" and item.tag.endswith(":null"):
            continue
        if item.value not in known:
            close = difflib.get_close_matches(item.value, sorted(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            errors.append(
                ContentError(
                    _ref(path, item),
                    f"unknown tag {item.value!r} in '{key}'{hint}: tags are declared in the taxonomy",
                )
            )
            continue
        slugs.append(item.value)
    return tuple(slugs)


def apply_overrides(tags: Iterable[str], override: Override | None) -> tuple[str, ...]:
    """``tags`` without the removed ones, plus the added ones, in taxonomy order."""
    if override is None:
        return tuple(tags)
    result = [t for t in tags if t not in override.remove]
    result += [t for t in override.add if t not in result]
    if override.order:
        rank = {slug: i for i, slug in enumerate(override.order)}
        result.sort(key=lambda slug: rank.get(slug, len(rank)))
    return tuple(result)


def override_for(overrides: Mapping[str, Override], arxiv_id: str | None, title: str) -> Override | None:
    """The override that names this paper by arXiv id, else by title; None if there is none."""
    if arxiv_id and arxiv_id in overrides:
        return overrides[arxiv_id]
    return overrides.get(title_key(title))


# --- YAML with line numbers -------------------------------------------------------------


def _read_yaml(path: Path) -> yaml.Node | None:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ContentErrors([ContentError(SourceRef(path), "file not found")]) from None
    except UnicodeDecodeError as e:
        raise ContentErrors(
            [ContentError(SourceRef(path), f"not UTF-8 text (at byte {e.start}): save the file as UTF-8")]
        ) from None
    if found := [(m.start(), m.group()) for m in NOT_TEXT.finditer(text)]:
        # Before YAML: PyYAML refuses DEL and C1 with no line, and reads U+0085 as a line break.
        raise ContentErrors(not_text_errors(path, text, found))
    try:
        # compose, not load: nodes keep their line numbers and scalars their source text.
        root = yaml.compose(text, Loader=safeyaml.Loader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 0
        raise ContentErrors([ContentError(SourceRef(path, line), safeyaml.problem(e))]) from None
    except yaml.YAMLError as e:
        raise ContentErrors([ContentError(SourceRef(path), f"invalid YAML: {e}")]) from None
    _check_unicode(path, root)
    return root


def _check_unicode(path: Path, node: yaml.Node | None) -> None:
    """Half a UTF-16 surrogate pair ("\\ud800" alone) or an escaped character that digests
    may not hold either ("\\x7f", see readers/characters.py) anywhere in the file, as an
    error at its line."""
    stack = [node] if node is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            if not encodable(node.value):
                message = "half of a UTF-16 surrogate pair is not a character: remove it"
                raise ContentErrors([ContentError(_ref(path, node), message)])
            if bad := NOT_TEXT.search(node.value):
                raise ContentErrors([ContentError(_ref(path, node), not_text(bad.group()))])
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(n for pair in node.value for n in pair)


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _ref(path: Path, node: yaml.Node) -> SourceRef:
    return SourceRef(path, _line(node))


def _keys(node: yaml.MappingNode) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    return {k.value: (k, v) for k, v in reversed(node.value) if isinstance(k, yaml.ScalarNode)}


def _mapping(path: Path, node: yaml.MappingNode, errors: list[ContentError]) -> dict[str, yaml.Node]:
    """Key -> value node; reports duplicate and non-text keys."""
    fields: dict[str, yaml.Node] = {}
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode):
            errors.append(ContentError(_ref(path, key), "a key must be a plain word, like 'slug'"))
        elif key.value in fields:
            errors.append(ContentError(_ref(path, key), f"duplicate key {key.value!r}"))
        else:
            fields[key.value] = value
    return fields


def _scalar(path: Path, node: yaml.Node | None, key: str, errors: list[ContentError]) -> str:
    if node is None or isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"):
        return ""
    if not isinstance(node, yaml.ScalarNode):
        errors.append(ContentError(_ref(path, node), f"'{key}' must be a single line of text"))
        return ""
    return " ".join(node.value.split())


# --- matching ---------------------------------------------------------------------------


class Tagger:
    """A taxonomy compiled for matching; build it once with ``build_tagger``.

    A text is lowercased and cut into words at every character that is not a letter or a
    digit. Single words are found with one set intersection; a phrase of several words is
    only looked for (as a substring of the normalised text) when its first word is present.
    That keeps a paper to a few C-level passes over its text, without a regex per phrase.
    """

    def __init__(self, taxonomy: Sequence[Tag]) -> None:
        self.taxonomy = tuple(taxonomy)
        self.slugs = tuple(tag.slug for tag in self.taxonomy)
        # An entry is one phrase of one tag in one role: (tag index, role).
        self._entries: list[tuple[int, int]] = []
        # A key is one word or two words (separated by a space) of the normalised text.
        direct: dict[str, list[int]] = {}  # key -> entries whose phrase is exactly that key
        # Phrases of three words or more: first two words -> " stem" -> {" w1 w2 w3 ": entries}.
        # A phrase's forms (its plurals) share the stem, so one search for it rules them all
        # out: most heads found in an abstract ("high quality") lead to no longer phrase.
        longer: dict[str, dict[str, dict[str, list[int]]]] = {}
        affixes: dict[str, list[int]] = {}  # " stem" or "tail " -> entries
        for index, tag in enumerate(self.taxonomy):
            for role, phrases in (
                (_ANY, tag.phrases),
                (_TITLE_ONLY, tag.title_phrases),
                (_EXCLUDE, tag.exclude),
            ):
                for phrase in phrases:
                    entry = len(self._entries)
                    self._entries.append((index, role))
                    targets = _targets(phrase)
                    stem = " " + os.path.commonprefix([key for target, key in targets if target == "chain"])
                    for target, key in targets:
                        if target == "affix":
                            bucket = affixes.setdefault(key, [])
                        elif key.count(" ") > 1:
                            head = " ".join(key.split()[:2])
                            forms = longer.setdefault(head, {}).setdefault(stem, {})
                            bucket = forms.setdefault(f" {key} ", [])
                        else:
                            bucket = direct.setdefault(key, [])
                        if entry not in bucket:
                            bucket.append(entry)
        self._longer = {
            head: tuple(
                (stem, tuple((key, tuple(e)) for key, e in forms.items())) for stem, forms in stems.items()
            )
            for head, stems in longer.items()
        }
        self._affixes = tuple((a, tuple(e)) for a, e in affixes.items())
        self._keys = frozenset(direct) | frozenset(self._longer)
        self._direct = {k: tuple(direct.get(k, ())) for k in self._keys}  # every key, so [] never fails
        self._longer_keys = frozenset(self._longer)
        self._firsts = frozenset(k.split()[0] for k in self._keys if " " in k)
        # Per field, entry -> the tag index repeated as many times as the entry scores
        # there, so that one Counter.update adds up a whole field in C.
        gains = {"title": (TITLE_WEIGHT, TITLE_ONLY_WEIGHT), "keywords": (KEYWORD_WEIGHT, 0)}
        gains["abstract"] = (ABSTRACT_WEIGHT, 0)
        self._votes = {
            field: tuple(
                (i,) * (gain if role == _ANY else only if role == _TITLE_ONLY else 0)
                for i, role in self._entries
            )
            for field, (gain, only) in gains.items()
        }
        self._vetoes = {e: i for e, (i, role) in enumerate(self._entries) if role == _EXCLUDE}
        self._veto_entries = frozenset(self._vetoes)

    def phrases_in(self, text: str) -> set[int]:
        """The entries (phrases of tags) that occur in ``text``."""
        spaced = spaced_words(text)
        return self.phrases_among(spaced, spaced.split())

    def phrases_among(self, spaced: str, words: Sequence[str]) -> set[int]:
        """``phrases_in`` a text given as ``spaced_words`` and its split: for a caller that
        cut the text into words already (the classifier does, for its terms)."""
        # Word pairs are built only where the first word can start a phrase. Everything up
        # to the loops below runs in C, which is what keeps tagging fast.
        starts = map(self._firsts.__contains__, words)
        pairs = map(" ".join, compress(zip(words, words[1:], strict=False), starts))
        hits = self._keys.intersection(chain(words, pairs))
        found = set(chain.from_iterable(map(self._direct.__getitem__, hits)))
        heads = self._longer_keys.intersection(hits)
        if heads:
            line = f" {' '.join(words)} "
            for head in heads:
                for stem, forms in self._longer[head]:
                    if stem in line:
                        found.update(*(entries for phrase, entries in forms if phrase in line))
        if self._affixes:
            padded = f" {spaced} "
            for affix, entries in self._affixes:
                if affix in padded:
                    found.update(entries)
        return found

    def found_in(self, title: str, abstract: str, keywords: Iterable[str]) -> dict[str, set[int]]:
        """The entries found in each part of a paper: title, abstract and keywords."""
        found = {"title": self.phrases_in(title), "abstract": self.phrases_in(abstract)}
        keywords = tuple(keywords)
        # The bar is punctuation, so no phrase runs across two keywords.
        found["keywords"] = self.phrases_in(" | ".join(keywords)) if keywords else set()
        return found

    def _scores(self, title: str, abstract: str, keywords: Iterable[str]) -> Counter[int]:
        return self.scores_of(self.found_in(title, abstract, keywords))

    def scores_of(self, found: Mapping[str, set[int]]) -> Counter[int]:
        """Tag index -> score, from the entries ``found_in`` a paper."""
        scores: Counter[int] = Counter()
        for part, entries in found.items():
            scores.update(chain.from_iterable(map(self._votes[part].__getitem__, entries)))
            for entry in self._veto_entries.intersection(entries):
                scores[self._vetoes[entry]] = -1_000_000  # stays below any threshold
        return scores

    def scores_for(self, title: str, abstract: str, keywords: Iterable[str] = ()) -> dict[str, int]:
        """Tag slug -> score, for every tag with some evidence and no veto, in taxonomy order."""
        scores = self._scores(title, abstract, keywords)
        return {self.slugs[i]: scores[i] for i in sorted(scores) if scores[i] > 0}

    def tags_for(self, title: str, abstract: str, keywords: Iterable[str] = ()) -> tuple[str, ...]:
        """The paper's best tags, in taxonomy order; see the constants above for the rules."""
        return self.tags_of(self._scores(title, abstract, keywords))

    def tags_of(self, scores: Counter[int]) -> tuple[str, ...]:
        """The best tags for the scores of ``scores_of``."""
        best = max(scores.values(), default=0)
        if best < THRESHOLD:
            if best < FALLBACK:
                return ()
            return (self.slugs[min(i for i, score in scores.items() if score == best)],)
        bar = max(THRESHOLD, RELATIVE * best)
        passing = [i for i, score in scores.items() if score >= bar]
        if len(passing) > MAX_TAGS:
            passing = sorted(passing, key=lambda i: (-scores[i], i))[:MAX_TAGS]
        return tuple(self.slugs[i] for i in sorted(passing))


def build_tagger(taxonomy: Sequence[Tag]) -> Tagger:
    """Compile the taxonomy's phrases once, for tagging any number of papers."""
    return Tagger(taxonomy)


# Every character that is not a letter or a digit separates words. Punctuation becomes a
# word of its own ("|"), so that no phrase matches across it: "model. Language" is not
# "model language". A hyphen is only a space: "fine-tuning" is "fine tuning". (Mapping
# one character to one keeps str.translate on its fast path; replace() adds the spaces.)
_WORD_BREAKS = str.maketrans(
    {
        **dict.fromkeys(string.punctuation + "\u2018\u2019\u201c\u201d\u2026", "|"),
        **dict.fromkeys(string.whitespace + "-\u00a0\u2010\u2011\u2013\u2014", " "),
    }
)

# The same for ASCII text (nearly every paper), lowercasing included, as a bytes table:
# str.translate looks each distinct character up in the dict again on every call, which
# made it most of the cost of a title; bytes.translate is one table lookup per byte.
_ASCII_WORD_BREAKS = bytes(ord(chr(c).lower().translate(_WORD_BREAKS)) for c in range(128)) + bytes(
    range(128, 256)
)


def broken_into_words(text: str) -> str:
    """``text`` lowercased, every character that is neither letter nor digit a space,
    and punctuation a word ``|`` of its own."""
    if text.isascii():  # a flag of the string: no scan
        return text.encode("ascii").translate(_ASCII_WORD_BREAKS).decode("ascii")
    return text.lower().translate(_WORD_BREAKS)


def spaced_words(text: str) -> str:
    """``broken_into_words`` with a space either side of each ``|``: split, its words."""
    return broken_into_words(text).replace("|", " | ")


def _squash(text: str) -> str:
    return _SEPARATORS.sub("", text)


def _targets(phrase: str) -> list[tuple[str, str]]:
    """How to find a phrase: ("word", w), ("chain", "w1 w2") or ("affix", " stem" / "tail ").

    A space or hyphen between words may also be left out ("fine-tuning" is "finetuning"
    too), a hyphen alone also in a phrase of several words ("pre-training data" is
    "pretraining data"), and the last word may take a plural ending.
    """
    if phrase.startswith("*"):
        return [("affix", f"{phrase[1:].replace('-', ' ')} ")]
    if phrase.endswith("*"):
        return [("affix", f" {phrase[:-1].replace('-', ' ')}")]
    spaced = phrase.replace("-", " ")
    squashed = spaced.replace(" ", "")
    targets = []
    for form in _plurals(spaced):
        targets.append(("chain", form) if " " in form else ("word", form))
    if squashed != spaced:
        targets += [("word", form) for form in _plurals(squashed)]
    joined = phrase.replace("-", "")
    if " " in joined and joined != phrase:  # "multi-modal model" is "multimodal model" too
        targets += [("chain", form) for form in _plurals(joined)]
    return targets


def _plurals(phrase: str) -> list[str]:
    """The phrase and its plurals; only the last word is inflected ('large language models')."""
    forms = [phrase, phrase + "s", phrase + "es"]
    if len(phrase) > 2 and phrase.endswith("y") and phrase[-2] not in "aeiou":
        forms.append(phrase[:-1] + "ies")
    return forms
