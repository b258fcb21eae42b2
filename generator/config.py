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
        raw = yaml.load(config_path.read_text(encoding="utf-8"), Loader=_LenientLoader) or {}
    except FileNotFoundError:
        raise ContentError(
            SourceRef(config_path),
            "MkDocs configuration not found (run from the project folder or pass --config)",
        ) from None
    except yaml.YAMLError as e:
        line = getattr(getattr(e, "problem_mark", None), "line", -1) + 1
        raise ContentError(
            SourceRef(config_path, line), f"invalid YAML: {getattr(e, 'problem', e)}"
        ) from None
    root = config_path.parent
    archive = (raw.get("extra") or {}).get("archive") or {}
    url = site_url if site_url is not None else (raw.get("site_url") or "")
    return Settings(
        config_path=config_path,
        site_name=str(raw.get("site_name") or "Paper Archive"),
        site_url=url if not url or url.endswith("/") else url + "/",
        repo_url=raw.get("repo_url"),
        description=str(raw.get("site_description") or ""),
        docs_dir=root / str(raw.get("docs_dir") or "build/docs"),
        site_dir=site_dir if site_dir is not None else root / str(raw.get("site_dir") or "site"),
        tags_per_page=int(archive.get("tags_per_page", 100)),
        feed_size=int(archive.get("feed_size", 50)),
    )
