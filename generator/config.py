"""Typed settings, read from the one place a user edits them: ``mkdocs.yml``.

``site_name``, ``site_url`` and ``repo_url`` are MkDocs' own keys; archive
settings live under ``extra.archive`` so MkDocs accepts the file as it is.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import yaml

from generator import safeyaml
from generator.errors import ContentError, ContentErrors
from generator.model import SourceRef
from generator.text import encodable


class _LenientLoader(safeyaml.Loader):
    """Reads mkdocs.yml without executing its ``!!python/name:`` tags (nor aliases, which
    MkDocs reads but this reading refuses: see safeyaml)."""


_LenientLoader.add_multi_constructor("", lambda loader, suffix, node: None)

SITE_URL_EXAMPLE = "https://user.github.io/repo/"
_LONE_SURROGATE = "half of a UTF-16 surrogate pair (a \\ud800-\\udfff escape) is not a character: remove it"
_ARCHIVE = ("extra", "archive")


def _text(value: object) -> str:
    if isinstance(value, str) and not encodable(value):
        raise ValueError(_LONE_SURROGATE)
    return str(value)


def _optional_text(value: object) -> object:
    _text(value)
    return value  # as MkDocs reads it: MkDocs checks its own keys


def _site_url(value: object) -> str:
    if isinstance(value, str) and not encodable(value):
        raise ValueError(_LONE_SURROGATE)
    return parse_site_url(value)


def _whole_number(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    raise ValueError(f"must be a whole number of 1 or more, not {value!r}")


def _setting(keys: tuple[str, ...], default: object, read: Callable[[object], object], name: str = "") -> Any:
    """A setting of mkdocs.yml at ``keys``: its default, and ``read`` to turn the file's
    value into the setting or raise ValueError saying why it cannot. ``name`` prefixes
    that reason in the message (``site_url: ...``); without one, the dotted keys lead it
    (``extra.archive.feed_size must be ...``). Top-level keys that are missing or empty
    take the default; under ``extra.archive``, only missing ones."""
    return field(default=default, metadata={"keys": keys, "read": read, "name": name})


@dataclass(frozen=True, slots=True)
class Settings:
    """Every setting, its type and its default, declared once: ``load_settings`` reads
    the fields that have ``keys`` from mkdocs.yml."""

    config_path: Path
    site_name: str = _setting(("site_name",), "Paper Archive", _text, "site_name")
    site_url: str = _setting(("site_url",), "", _site_url, "site_url")
    repo_url: str | None = _setting(("repo_url",), None, _optional_text, "repo_url")
    description: str = _setting(("site_description",), "", _text, "site_description")
    # Absolute from load_settings: MkDocs resolves a relative folder against the config's
    # folder, the build against the working directory.
    docs_dir: Path = _setting(("docs_dir",), Path("build/docs"), lambda v: Path(str(v)))  # generated Markdown
    site_dir: Path = _setting(("site_dir",), Path("site"), lambda v: Path(str(v)))
    tags_per_page: int = _setting((*_ARCHIVE, "tags_per_page"), 100, _whole_number)  # papers per tag page
    feed_size: int = _setting((*_ARCHIVE, "feed_size"), 50, _whole_number)  # entries in a feed
    # Authors with this many papers get a page (generator/people.py). Lowering it adds pages;
    # raising it would take published ones away. The default fits 50,000 papers in 1 GB.
    author_pages_from: int = _setting((*_ARCHIVE, "author_pages_from"), 60, _whole_number)
    # Not errors: keys of extra.archive that no setting reads (a typo, most likely).
    warnings: tuple[ContentError, ...] = field(default=(), compare=False)

    @property
    def root(self) -> Path:
        return self.config_path.parent


ARCHIVE_KEYS = tuple(
    f.metadata["keys"][-1] for f in fields(Settings) if f.metadata.get("keys", ())[:2] == _ARCHIVE
)


def load_settings(config_path: Path, site_url: str | None = None, site_dir: Path | None = None) -> Settings:
    """Settings from ``config_path``; ``site_url`` and ``site_dir`` are the command line's
    ``--site-url`` and ``--site-dir``, which override the file's and are named in errors.
    Relative paths are taken from the working directory, as a shell user expects; those
    inside the file, from the file's folder, as MkDocs takes them. Every problem is
    reported at once (``ContentErrors``), each at its line."""
    text, raw = _read(config_path)
    lines = _Lines(config_path, text)
    errors: list[ContentError] = []
    archive = _mapping_at(raw, _ARCHIVE)
    if archive is None:
        errors.append(
            ContentError(
                lines.at(_ARCHIVE) if lines.line(_ARCHIVE) else lines.at(_ARCHIVE[:1]),
                "extra.archive must be a mapping of the archive's settings, such as 'tags_per_page: 100'",
            )
        )
    values: dict[str, Any] = {}
    for setting in fields(Settings):
        keys = setting.metadata.get("keys")
        if not keys:
            continue
        if setting.name == "site_url" and site_url is not None:
            continue  # --site-url replaces the file's, which MkDocs then never reads either
        if keys[:2] == _ARCHIVE:
            if archive is None or keys[-1] not in archive:
                continue
            value = archive[keys[-1]]
        else:
            value = raw.get(keys[0])
            if not value:
                continue
        try:
            values[setting.name] = setting.metadata["read"](value)
        except ValueError as e:
            name = setting.metadata["name"]
            errors.append(ContentError(lines.at(keys), f"{name}: {e}" if name else f"{'.'.join(keys)} {e}"))
    if site_url is not None:
        try:
            values["site_url"] = parse_site_url(site_url)
        except ValueError as e:
            errors.append(ContentError("--site-url", str(e)))
    if errors:
        raise ContentErrors(errors)
    root = config_path.parent
    defaults = {f.name: f.default for f in fields(Settings)}
    values["docs_dir"] = _absolute(root / values.get("docs_dir", defaults["docs_dir"]))
    values["site_dir"] = _absolute(
        site_dir if site_dir is not None else root / values.get("site_dir", defaults["site_dir"])
    )
    return Settings(config_path=config_path, warnings=_unknown_keys(lines, archive or {}), **values)


def read_config(config_path: Path) -> dict:
    """mkdocs.yml as a mapping (``!!python/name:`` tags read as nothing), as ``load_settings``
    reads it; errors as there."""
    return _read(config_path)[1]


def _read(config_path: Path) -> tuple[str, dict]:
    """The file's text and its YAML as a mapping, or the one error that stops reading it."""
    try:
        text = config_path.read_text(encoding="utf-8")
        raw = yaml.load(text, Loader=_LenientLoader) or {}
    except FileNotFoundError:
        raise ContentErrors(
            [
                ContentError(
                    SourceRef(config_path),
                    "MkDocs configuration not found (run from the project folder or pass --config)",
                )
            ]
        ) from None
    except UnicodeDecodeError as e:
        line = e.object[: e.start].count(b"\n") + 1
        raise ContentErrors(
            [
                ContentError(
                    SourceRef(config_path, line),
                    f"not UTF-8 text (byte 0x{e.object[e.start]:02x}): save the file as UTF-8",
                )
            ]
        ) from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 0
        raise ContentErrors([ContentError(SourceRef(config_path, line), safeyaml.problem(e))]) from None
    except yaml.YAMLError as e:
        raise ContentErrors([ContentError(SourceRef(config_path), f"invalid YAML: {e}")]) from None
    if not isinstance(raw, dict):
        raise ContentErrors(
            [
                ContentError(
                    SourceRef(config_path, 1),
                    "mkdocs.yml must be a mapping of settings, such as 'site_name: ...'",
                )
            ]
        )
    return text, raw


def _mapping_at(raw: dict, keys: tuple[str, ...]) -> dict | None:
    """The mapping at ``keys`` (empty when missing or null), or None when something else is there."""
    node: object = raw
    for key in keys:
        node = node.get(key) or {} if isinstance(node, dict) else None
    return node if isinstance(node, dict) else None


def _unknown_keys(lines: _Lines, archive: dict) -> tuple[ContentError, ...]:
    """A warning for each key of extra.archive that no setting reads, with the likely one."""
    warnings = []
    for key in archive:
        if key in ARCHIVE_KEYS:
            continue
        close = difflib.get_close_matches(str(key), ARCHIVE_KEYS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        warnings.append(
            ContentError(
                lines.at((*_ARCHIVE, str(key))),
                f"unknown key {key!r} in extra.archive{hint}: it is ignored; the keys are {', '.join(ARCHIVE_KEYS)}",
            )
        )
    return tuple(warnings)


def parse_site_url(value: object) -> str:
    """``site_url`` as MkDocs uses it (its path ending in ``/``), ``""`` for none, or a
    ValueError saying why not. Refused: what MkDocs' own check (``config_options.URL``)
    refuses, a URL without a scheme or a host; what it crashes on, text that ``urlsplit``
    cannot parse (``http://[::1``) or cannot encode as UTF-8; and schemes other than
    http(s), which MkDocs lets through but no browser opens a site or feed link from."""
    if value is None or value == "":
        return ""
    if isinstance(value, str) and not encodable(value):
        raise ValueError(_not_utf8(value))
    try:
        parts = urlsplit(value) if isinstance(value, str) else None
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{value!r} is not an http(s) URL such as {SITE_URL_EXAMPLE}")
    if not parts.path.endswith("/"):
        parts = parts._replace(path=parts.path + "/")
    return urlunsplit(parts)


def _not_utf8(text: str) -> str:
    """Why ``text`` cannot be written to a page, naming the first offending character."""
    bad = next(c for c in text if "\ud800" <= c <= "\udfff")
    if "\udc80" <= bad <= "\udcff":  # a byte that was not UTF-8, kept by surrogateescape
        byte = ord(bad) - 0xDC00
        return (
            f"not UTF-8 text (byte 0x{byte:02x}): type it in UTF-8, or percent-encode the byte as %{byte:02X}"
        )
    return _LONE_SURROGATE


def _absolute(path: Path) -> Path:
    """``path`` from the working directory, with ``..`` folded as MkDocs folds it."""
    return Path(os.path.abspath(path))


class _Lines:
    """Where keys are in the YAML text, for messages; the text is composed once, when asked."""

    def __init__(self, path: Path, text: str) -> None:
        self.path, self.text = path, text
        self._root: yaml.Node | None = None

    def line(self, keys: tuple[str, ...]) -> int:
        """The line of the value at ``keys`` (0 when it is not found)."""
        if self._root is None:
            self._root = yaml.compose(self.text, Loader=_LenientLoader)
        node = self._root
        for key in keys:
            if not isinstance(node, yaml.MappingNode):
                return 0
            node = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)
        return node.start_mark.line + 1 if node is not None else 0

    def at(self, keys: tuple[str, ...]) -> SourceRef:
        return SourceRef(self.path, self.line(keys))
