"""Typed settings, read from the one place a user edits them: ``mkdocs.yml``.

``site_name``, ``site_url`` and ``repo_url`` are MkDocs' own keys; archive
settings live under ``extra.archive`` so MkDocs accepts the file as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.errors import ContentError
from generator.model import SourceRef
from generator.text import encodable


class _LenientLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without executing its ``!!python/name:`` tags."""


_LenientLoader.add_multi_constructor("", lambda loader, suffix, node: None)


@dataclass(frozen=True, slots=True)
class Settings:
    config_path: Path
    site_name: str
    site_url: str
    repo_url: str | None
    description: str
    docs_dir: Path  # generated Markdown (git-ignored)
    site_dir: Path
    tags_per_page: int = 100
    feed_size: int = 50

    @property
    def root(self) -> Path:
        return self.config_path.parent


def load_settings(config_path: Path, site_url: str | None = None, site_dir: Path | None = None) -> Settings:
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
                f"{key}: half of a UTF-16 surrogate pair (a \\ud800-\\udfff escape) is not a character: remove it",
            )
    url = site_url if site_url is not None else (raw.get("site_url") or "")
    return Settings(
        config_path=config_path,
        site_name=str(raw.get("site_name") or "Paper Archive"),
        site_url=url if not url or url.endswith("/") else url + "/",
        repo_url=raw.get("repo_url"),
        description=str(raw.get("site_description") or ""),
        docs_dir=root / str(raw.get("docs_dir") or "build/docs"),
        site_dir=site_dir if site_dir is not None else root / str(raw.get("site_dir") or "site"),
        tags_per_page=_count(config_path, text, archive, "tags_per_page", 100),
        feed_size=_count(config_path, text, archive, "feed_size", 50),
    )


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
