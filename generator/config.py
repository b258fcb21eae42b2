"""Typed settings, read from the one place a user edits them: ``mkdocs.yml``.

``site_name``, ``site_url`` and ``repo_url`` are MkDocs' own keys; archive
settings live under ``extra.archive`` so MkDocs accepts the file as it is.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import yaml

from generator.errors import ContentError
from generator.model import SourceRef
from generator.text import encodable


class _LenientLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without executing its ``!!python/name:`` tags."""


_LenientLoader.add_multi_constructor("", lambda loader, suffix, node: None)

SITE_URL_EXAMPLE = "https://user.github.io/repo/"
_LONE_SURROGATE = "half of a UTF-16 surrogate pair (a \\ud800-\\udfff escape) is not a character: remove it"


@dataclass(frozen=True, slots=True)
class Settings:
    config_path: Path
    site_name: str
    site_url: str
    repo_url: str | None
    description: str
    # Absolute from load_settings: MkDocs resolves a relative folder against the config's
    # folder, the build against the working directory.
    docs_dir: Path  # generated Markdown (git-ignored)
    site_dir: Path
    tags_per_page: int = 100
    feed_size: int = 50

    @property
    def root(self) -> Path:
        return self.config_path.parent


def load_settings(config_path: Path, site_url: str | None = None, site_dir: Path | None = None) -> Settings:
    """Settings from ``config_path``; ``site_url`` and ``site_dir`` are the command line's
    ``--site-url`` and ``--site-dir``, which override the file's and are named in errors.
    Relative paths are taken from the working directory, as a shell user expects; those
    inside the file, from the file's folder, as MkDocs takes them."""
    try:
        text = config_path.read_text(encoding="utf-8")
        raw = yaml.load(text, Loader=_LenientLoader) or {}
    except FileNotFoundError:
        raise ContentError(
            SourceRef(config_path),
            "MkDocs configuration not found (run from the project folder or pass --config)",
        ) from None
    except UnicodeDecodeError as e:
        line = e.object[: e.start].count(b"\n") + 1
        raise ContentError(
            SourceRef(config_path, line),
            f"not UTF-8 text (byte 0x{e.object[e.start]:02x}): save the file as UTF-8",
        ) from None
    except yaml.YAMLError as e:
        line = getattr(getattr(e, "problem_mark", None), "line", -1) + 1
        raise ContentError(
            SourceRef(config_path, line), f"invalid YAML: {getattr(e, 'problem', e)}"
        ) from None
    if not isinstance(raw, dict):
        raise ContentError(
            SourceRef(config_path, 1), "mkdocs.yml must be a mapping of settings, such as 'site_name: ...'"
        )
    root = config_path.parent
    extra = raw.get("extra") or {}
    archive = extra.get("archive") or {} if isinstance(extra, dict) else None
    if not isinstance(archive, dict):
        raise ContentError(
            SourceRef(config_path, _line_of(text, ("extra", "archive")) or _line_of(text, ("extra",))),
            "extra.archive must be a mapping of the archive's settings, such as 'tags_per_page: 100'",
        )
    for key in ("site_name", "site_description", "site_url", "repo_url"):
        if isinstance(raw.get(key), str) and not encodable(raw[key]):
            raise ContentError(
                SourceRef(config_path, _line_of(text, (key,))),
                f"{key}: {_LONE_SURROGATE}",
            )
    return Settings(
        config_path=config_path,
        site_name=str(raw.get("site_name") or "Paper Archive"),
        site_url=_site_url(config_path, text, raw, site_url),
        repo_url=raw.get("repo_url"),
        description=str(raw.get("site_description") or ""),
        docs_dir=_absolute(root / str(raw.get("docs_dir") or "build/docs")),
        site_dir=_absolute(site_dir if site_dir is not None else root / str(raw.get("site_dir") or "site")),
        tags_per_page=_count(config_path, text, archive, "tags_per_page", 100),
        feed_size=_count(config_path, text, archive, "feed_size", 50),
    )


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


def _site_url(config_path: Path, text: str, raw: dict, override: str | None) -> str:
    """The site URL MkDocs will be given, ``--site-url``'s or else the file's, or an error
    naming where it came from. MkDocs never sees the file's when --site-url replaces it."""
    try:
        return parse_site_url(override if override is not None else raw.get("site_url"))
    except ValueError as e:
        if override is not None:
            raise ContentError("--site-url", str(e)) from None
        raise ContentError(SourceRef(config_path, _line_of(text, ("site_url",))), f"site_url: {e}") from None


def _absolute(path: Path) -> Path:
    """``path`` from the working directory, with ``..`` folded as MkDocs folds it."""
    return Path(os.path.abspath(path))


def _count(config_path: Path, text: str, archive: dict, key: str, default: int) -> int:
    """A whole number of 1 or more from ``extra.archive``, or an error at its line."""
    value = archive.get(key, default)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    raise ContentError(
        SourceRef(config_path, _line_of(text, ("extra", "archive", key))),
        f"extra.archive.{key} must be a whole number of 1 or more, not {value!r}",
    )


def _line_of(text: str, keys: tuple[str, ...]) -> int:
    """The line of the value at ``keys`` in the YAML ``text`` (0 when it is not found)."""
    node = yaml.compose(text, Loader=_LenientLoader)
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            return 0
        node = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)
    return node.start_mark.line + 1 if node is not None else 0
