"""Tagging: the taxonomy and hand overrides -> topic tags for each paper.

``load_taxonomy`` and ``load_overrides`` read and validate ``content/taxonomy.yml`` and
``content/tag-overrides.yml``, reporting every problem as ``path:line: message``.
``build_tagger`` compiles all the phrases of a taxonomy into one regular expression, once;
``Tagger.tags_for`` then scores a paper's title, HF keywords and abstract against it and
returns its best tags in taxonomy order. ``apply_overrides`` applies one hand fix.
Everything here but the two ``load_*`` functions is a pure function of its arguments.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.errors import ContentError, ContentErrors
from generator.model import SourceRef, Tag
from generator.text import title_key

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# Words of letters and digits joined by single spaces or hyphens; a ``*`` at either end
# stands for any start or ending of the word it touches.
PHRASE = re.compile(r"^\*?[a-z0-9]+([ -][a-z0-9]+)*\*?$")
ARXIV_ID = re.compile(r"^(?:arxiv:)?(\d{4}\.\d{4,5})(?:v\d+)?$", re.IGNORECASE)

TAG_KEYS = ("slug", "name", "description", "phrases", "title_phrases", "exclude")
OVERRIDE_KEYS = ("paper", "add", "remove")

# Scoring: each distinct phrase found counts once per field, by where it was found.
TITLE_WEIGHT = 3
KEYWORD_WEIGHT = 2
ABSTRACT_WEIGHT = 1
ABSTRACT_REPEAT_BONUS = 1  # a phrase the abstract uses REPEAT_MIN times or more is central to it
REPEAT_MIN = 3
THRESHOLD = 3  # a title match alone is enough; the abstract needs several phrases
MAX_TAGS = 5

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
        raise ContentErrors([ContentError(SourceRef(path, 1), "the taxonomy is empty: declare at least one tag")])
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
        try:
            tag = _parse_tag(path, item)
        except ContentErrors as e:
            errors.extend(e.errors)
            continue
        line = _line(item)
        if tag.slug in first_line:
            errors.append(
                ContentError(
                    SourceRef(path, line),
                    f"duplicate slug {tag.slug!r} (first declared on line {first_line[tag.slug]})",
                )
            )
            continue
        first_line[tag.slug] = line
        tags.append(tag)
    if errors:
        raise ContentErrors(errors)
    if not tags:
        raise ContentErrors([ContentError(_ref(path, root), "the taxonomy is empty: declare at least one tag")])
    return tuple(tags)


def _parse_tag(path: Path, node: yaml.Node) -> Tag:
    if not isinstance(node, yaml.MappingNode):
        raise ContentErrors(
            [ContentError(_ref(path, node), "each tag must be a mapping with slug, name, description and phrases")]
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
            ContentError(_ref(path, node), f"tag {label} has no description: add a one-line 'description: ...'")
        )
    lists = {key: _phrases(path, fields.get(key), key, label, errors) for key in TAG_KEYS[3:]}
    if not lists["phrases"] and not lists["title_phrases"]:
        errors.append(
            ContentError(_ref(path, node), f"tag {label} has no phrases: add 'phrases' or 'title_phrases'")
        )
    seen: dict[str, str] = {}
    for key, phrases in lists.items():
        for phrase in phrases:
            if phrase in seen:
                errors.append(
                    ContentError(
                        _ref(path, fields[key]),
                        f"phrase {phrase!r} appears twice in tag {label} (in {seen[phrase]} and in {key})"
                        if seen[phrase] != key
                        else f"phrase {phrase!r} appears twice in the {key} of tag {label}",
                    )
                )
            seen[phrase] = key
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
                    f"phrase {item.value!r} in tag {label}: use letters and digits joined by single spaces "
                    "or hyphens, with at most one '*' at the start or the end for any affix",
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
            [ContentError(_ref(path, root), "the overrides must be a list, each item starting with '- paper: ...'")]
        )
    order = tuple(tag.slug for tag in taxonomy)
    known = set(order)
    overrides: dict[str, Override] = {}
    first_line: dict[str, int] = {}
    errors: list[ContentError] = []
    for item in root.value:
        if not isinstance(item, yaml.MappingNode):
            errors.append(ContentError(_ref(path, item), "each override must be a mapping with paper, add and remove"))
            continue
        before = len(errors)
        fields = _mapping(path, item, errors)
        for key, (key_node, _) in _keys(item).items():
            if key not in OVERRIDE_KEYS:
                errors.append(
                    ContentError(
                        _ref(path, key_node), f"unknown key {key!r} in override: expected {', '.join(OVERRIDE_KEYS)}"
                    )
                )
        paper = _scalar(path, fields.get("paper"), "paper", errors)
        if not paper.strip():
            errors.append(
                ContentError(_ref(path, item), "override without a paper: give 'paper:' an arXiv id or a title")
            )
        changes = {key: _slugs(path, fields.get(key), key, known, errors) for key in ("add", "remove")}
        if not changes["add"] and not changes["remove"] and paper.strip():
            errors.append(ContentError(_ref(path, item), f"override for {paper!r} neither adds nor removes a tag"))
        for slug in sorted(set(changes["add"]) & set(changes["remove"])):
            errors.append(ContentError(_ref(path, item), f"tag {slug!r} is both added and removed for {paper!r}"))
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
        errors.append(ContentError(_ref(path, node), f"'{key}' must be a list of tag slugs, like [robotics, video]"))
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
    try:
        # compose, not load: nodes keep their line numbers and scalars their source text.
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 0
        problem = e.problem or e.context or "unreadable"
        raise ContentErrors([ContentError(SourceRef(path, line), f"invalid YAML: {problem}")]) from None
    except yaml.YAMLError as e:
        raise ContentErrors([ContentError(SourceRef(path), f"invalid YAML: {e}")]) from None


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
    """A taxonomy compiled for matching; build it once with ``build_tagger``."""

    def __init__(self, taxonomy: Sequence[Tag]) -> None:
        self.taxonomy = tuple(taxonomy)
        self.slugs = tuple(tag.slug for tag in self.taxonomy)
        # phrase -> [(tag index, role)]; a phrase may serve several tags.
        uses: dict[str, list[tuple[int, int]]] = {}
        for index, tag in enumerate(self.taxonomy):
            for role, phrases in ((_ANY, tag.phrases), (_TITLE_ONLY, tag.title_phrases), (_EXCLUDE, tag.exclude)):
                for phrase in phrases:
                    uses.setdefault(_phrase_key(phrase), []).append((index, role))
        self._uses = [tuple(v) for v in uses.values()]
        # surface key (words without separators) -> phrase number, per kind of phrase
        self._exact: dict[str, int] = {}
        self._prefix: dict[str, int] = {}
        self._suffix: dict[str, int] = {}
        for number, phrase in enumerate(uses):
            if phrase.endswith("*"):
                self._prefix[_squash(phrase[:-1])] = number
            elif phrase.startswith("*"):
                self._suffix[_squash(phrase[1:])] = number
            else:
                for form in _forms(phrase):
                    self._exact.setdefault(_squash(form), number)
        self._regex = _compile(uses)

    def phrases_in(self, text: str) -> dict[int, int]:
        """Phrase number -> how often it occurs in ``text`` (longest phrase wins at a place)."""
        found: dict[int, int] = {}
        for match in self._regex.finditer(text.lower()):
            group = match.lastindex
            table = self._exact if group == 1 else self._prefix if group == 2 else self._suffix
            key = _squash(match[group])
            number = table.get(key)
            if number is not None:
                found[number] = found.get(number, 0) + 1
        return found

    def scores_for(self, title: str, abstract: str, keywords: Iterable[str] = ()) -> dict[str, int]:
        """Tag slug -> score for every tag with any evidence; vetoed tags are left out."""
        scores: dict[int, int] = {}
        vetoed: set[int] = set()
        fields = [(self.phrases_in(title), TITLE_WEIGHT, True), (self.phrases_in(abstract), ABSTRACT_WEIGHT, False)]
        keywords = tuple(keywords)
        if keywords:
            fields.append((self.phrases_in(" | ".join(keywords)), KEYWORD_WEIGHT, False))
        for found, weight, is_title in fields:
            for number, count in found.items():
                if count >= REPEAT_MIN and weight == ABSTRACT_WEIGHT:
                    gain = weight + ABSTRACT_REPEAT_BONUS
                else:
                    gain = weight
                for index, role in self._uses[number]:
                    if role == _EXCLUDE:
                        vetoed.add(index)
                    elif role == _ANY or is_title:
                        scores[index] = scores.get(index, 0) + gain
        return {self.slugs[i]: s for i, s in sorted(scores.items()) if i not in vetoed}

    def tags_for(self, title: str, abstract: str, keywords: Iterable[str] = ()) -> tuple[str, ...]:
        """The paper's best tags (at most ``MAX_TAGS``, each scoring ``THRESHOLD`` or more), in taxonomy order."""
        scores = self.scores_for(title, abstract, keywords)
        rank = {slug: i for i, slug in enumerate(self.slugs)}
        passing = [slug for slug, score in scores.items() if score >= THRESHOLD]
        best = sorted(passing, key=lambda slug: (-scores[slug], rank[slug]))[:MAX_TAGS]
        return tuple(sorted(best, key=rank.__getitem__))


def build_tagger(taxonomy: Sequence[Tag]) -> Tagger:
    return Tagger(taxonomy)


def _phrase_key(phrase: str) -> str:
    return " ".join(_SEPARATORS.split(phrase.lower()))


def _squash(text: str) -> str:
    return _SEPARATORS.sub("", text)


def _forms(phrase: str) -> tuple[str, ...]:
    """The phrase and its plurals (only the last word is inflected: 'large language models')."""
    forms = [phrase, phrase + "s", phrase + "es"]
    if len(phrase) > 2 and phrase.endswith("y") and phrase[-2] not in "aeiou":
        forms.append(phrase[:-1] + "ies")
    return tuple(forms)


def _compile(phrases: Iterable[str]) -> re.Pattern[str]:
    """One regex for all phrases, as prefix trees: a pass over a text costs about one scan.

    Group 1 holds a whole-word phrase, group 2 a phrase ending in ``*`` (any ending),
    group 3 a phrase starting with ``*`` (any start of the word).
    """
    exact: dict = {}
    prefix: dict = {}
    suffix: dict = {}
    for phrase in phrases:
        if phrase.endswith("*"):
            _insert(prefix, phrase[:-1])
        elif phrase.startswith("*"):
            _insert(suffix, phrase[1:])
        else:
            for form in _forms(phrase):
                _insert(exact, form)
    branches = []
    if exact:
        branches.append(f"({_trie(exact)})\\b")
    else:
        branches.append("(?!)()")
    if prefix:
        branches.append(f"({_trie(prefix)})\\w*")
    if suffix:
        branches.append(f"(?:\\w*?)({_trie(suffix)})\\b")
    return re.compile(r"\b(?:" + "|".join(branches) + ")")


def _insert(trie: dict, phrase: str) -> None:
    node = trie
    for char in phrase.replace("-", " "):
        node = node.setdefault(char, {})
    node[""] = {}


def _trie(node: dict) -> str:
    # A space in a phrase matches a space, a hyphen or nothing: "fine-tuning",
    # "fine tuning" and "finetuning" are one phrase.
    branches = []
    for char in sorted(c for c in node if c):
        head = r"[\s-]?" if char == " " else re.escape(char)
        branches.append(head + _trie(node[char]))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:
        return f"(?:{body})?"
    return body
