"""Pages carried over from the previous site: the HTML of a page whose inputs did not
change is taken from the last build instead of being made again by MkDocs.

A page's HTML is a function of its Markdown and of what every page shares: the
MkDocs configuration, the theme and our overrides, the hooks and the rest of this
package, the installed packages (``build_key`` hashes all of them, so any change there
rebuilds every page). Each build writes a manifest into the docs folder it stages
(``CACHE_FILE``, a dot file MkDocs never reads): that key and, for each page rendered
with the lean layout, the hash of its Markdown, where its HTML went, the hash of that
HTML and its layout's icons. The next build carries a page when the key, the Markdown
and the previous site's file all still match (the file is hashed again: a previous
site that is not the one the manifest describes is never trusted), and MkDocs skips
it (its ``dirty`` build, page by page). When in doubt, a page is built again.

Only lean-layout pages (paper, tag, day, month, year and Top pages) are carried:
their HTML depends on nothing but the above. Every other page, the sitemap and 404
page are built every time.

The search index is carried the same way, shard by shard (``ShardCarrier``): a shard
whose pages have the same HTML (but their related papers, which search ignores), under
the same key, as when the previous build indexed them gets that build's files, checked
against their hashes, and Pagefind skips it. Shards are cut by date (search/shards.py), so a new day re-indexes one.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path
from typing import Any

from generator.config import read_config
from generator.search import BUNDLE_DIR
from generator.search.shards import shard_files

CACHE_FILE = ".paper-archive-cache.json"
FORMAT = 4  # of the manifest; a change here rebuilds everything
PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR.parent / "site_templates"
# Packages whose code shapes a page's HTML or the search index (each page's Markdown is
# hashed itself: what shapes it needs no place here).
PACKAGES = (
    "mkdocs",
    "mkdocs-material",
    "minify-html",
    "jinja2",
    "markupsafe",
    "markdown",
    "pymdown-extensions",
    "pagefind",
    "pagefind-bin",
    "cbor2",
)
ENVIRONMENT = ("PAPER_ARCHIVE_FULL_RENDER",)


@dataclass(frozen=True, slots=True)
class PageRecord:
    markdown: str  # hash of the Markdown file
    dest: str  # the HTML file, site-relative
    html: str  # hash of the HTML file as written
    layout: str  # its lean layout's key (mkdocs_hooks._layout_key, as JSON)
    indexed: str  # hash of what search reads of it (``indexed_hash``)


@dataclass(frozen=True, slots=True)
class ShardRecord:
    key: str  # hash of the build key, the shard's number and its pages' HTML; "" if unknown
    files: dict[str, str]  # its bundle's files, relative to the bundle, -> their hashes


@dataclass(frozen=True, slots=True)
class Manifest:
    key: str
    pages: dict[str, PageRecord]  # src_uri -> record
    layouts: dict[str, dict[str, str]]  # layout key -> its icons {symbol: icon name}
    shards: tuple[ShardRecord, ...] = ()


@dataclass
class MkdocsRun:
    """What build.py and the MkDocs hooks tell each other during one MkDocs run. The hooks
    module is loaded by MkDocs from its file, apart from this package, but imports this
    module like everyone else: ``RUN`` is the one place both see."""

    carried: set[str] = field(default_factory=set)  # src_uris whose HTML is in the site already
    carried_icons: dict[str, str] = field(default_factory=dict)  # the icons their layouts use
    lean: dict[str, tuple[str, str]] = field(default_factory=dict)  # rendered: src_uri -> (dest, layout)
    layout_icons: dict[str, dict[str, str]] = field(default_factory=dict)  # layout -> icons


RUN: MkdocsRun | None = None


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# What changes on older pages as days are added, yet never reaches their search entries,
# and so must not make the shard holding them be indexed again:
# - a paper page's related papers, which Pagefind ignores (``data-pagefind-ignore``, no id
#   or filter inside but the constant label's; titles in it are escaped);
# - where links point: Pagefind reads a page's text, ids, filters and meta, never an
#   href, and an author's name links to their page once they have enough papers (at
#   50,000 papers a day's new papers gave authors pages whose names are on papers of
#   every shard, and every shard was indexed again to the same bytes).
_RELATED = re.compile(rb"<nav[^>]*\bpa-related\b[^>]*>.*?</nav>", re.DOTALL)
_HREF = re.compile(rb"""\shref=(?:"[^"]*"|'[^']*'|[^\s>]*)""")


def indexed_hash(html: bytes) -> str:
    """The hash of what a page's search entry is made of: its HTML but its related papers
    and its links' targets."""
    return hashlib.sha256(_HREF.sub(b"", _RELATED.sub(b"", html, count=1))).hexdigest()


def add_parts(digest: Any, *parts: str | bytes) -> None:
    """Each part into ``digest`` after its length, so that no two lists of parts hash alike."""
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little") + data)


def build_key(config_path: Path, site_url: str | None, static_files: dict[str, str | bytes]) -> str:
    """Everything every page's HTML depends on, hashed: a change to any rebuilds all pages."""
    digest = hashlib.sha256()

    def add(*parts: str | bytes) -> None:
        add_parts(digest, *parts)

    add(str(FORMAT), sys.version, str(site_url), config_path.read_bytes())
    folders = [PACKAGE_DIR, TEMPLATES_DIR]
    custom_dir = _custom_dir(config_path)
    if custom_dir is not None:
        folders.append(custom_dir)
    for name in PACKAGES:
        try:
            add(name, metadata.version(name))
        except metadata.PackageNotFoundError:
            add(name, "-")
    for name in ENVIRONMENT:
        add(name, os.environ.get(name, "-"))
    for folder in folders:
        add(str(folder))
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                add(path.relative_to(folder).as_posix(), path.read_bytes())
    for name in sorted(static_files):
        add(name, static_files[name])
    return digest.hexdigest()


def _custom_dir(config_path: Path) -> Path | None:
    """The theme's ``custom_dir`` of the MkDocs configuration (our overrides, or the
    user's), as MkDocs resolves it: against the configuration's folder."""
    theme = read_config(config_path).get("theme")
    folder = theme.get("custom_dir") if isinstance(theme, dict) else None
    return (config_path.parent / str(folder)).resolve() if folder else None


def read_manifest(docs_dir: Path) -> Manifest | None:
    """The previous build's manifest, or None if there is none or it cannot be read."""
    try:
        data = json.loads((docs_dir / CACHE_FILE).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return None
        pages = {src: PageRecord(*record) for src, record in data["pages"].items()}
        shards = tuple(ShardRecord(key, files) for key, files in data["shards"])
        return Manifest(data["key"], pages, data["layouts"], shards)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def write_manifest(docs_dir: Path, manifest: Manifest) -> None:
    data = {
        "format": FORMAT,
        "key": manifest.key,
        "pages": {src: list(_fields(r)) for src, r in sorted(manifest.pages.items())},
        "layouts": {k: dict(sorted(v.items())) for k, v in sorted(manifest.layouts.items())},
        "shards": [[shard.key, dict(sorted(shard.files.items()))] for shard in manifest.shards],
    }
    (docs_dir / CACHE_FILE).write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")


def _fields(record: PageRecord) -> tuple[str, str, str, str, str]:
    return record.markdown, record.dest, record.html, record.layout, record.indexed


def carry_pages(
    previous: Manifest | None,
    key: str,
    docs_dir: Path,
    old_site: Path,
    new_site: Path,
    markdown: Mapping[str, str] | None = None,
) -> MkdocsRun:
    """Put into ``new_site`` the HTML of every page the previous build made from the same
    Markdown under the same key (hard links to the previous site's files, which are
    never written again), and say which they are. ``markdown``: hashes of docs files
    known already (the paper pages generation wrote or checked), not read again."""
    run = MkdocsRun()
    if previous is None or previous.key != key:
        return run
    known = markdown or {}
    for src, record in previous.pages.items():
        source, old = docs_dir / src, old_site / record.dest
        if record.layout not in previous.layouts:  # its icons unknown: the sprite could miss them
            continue
        try:
            if (known.get(src) or file_hash(source)) != record.markdown or file_hash(old) != record.html:
                continue
        except OSError:
            continue
        target = new_site / record.dest
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(old, target)
        except OSError:
            shutil.copyfile(old, target)
        run.carried.add(src)
        run.carried_icons.update(previous.layouts[record.layout])
    return run


def built_manifest(
    previous: Manifest | None,
    key: str,
    run: MkdocsRun,
    docs_dir: Path,
    site_dir: Path,
    markdown: Mapping[str, str] | None = None,
) -> Manifest:
    """The manifest of the build just made: the pages it rendered, hashed now, and the
    ones it carried, as recorded before. ``markdown``: as for ``carry_pages``."""
    known = markdown or {}
    pages: dict[str, PageRecord] = {}
    layouts: dict[str, dict[str, str]] = {}
    for src, (dest, layout) in run.lean.items():
        html = (site_dir / dest).read_bytes()
        pages[src] = PageRecord(
            known.get(src) or file_hash(docs_dir / src),
            dest,
            hashlib.sha256(html).hexdigest(),
            layout,
            indexed_hash(html),
        )
        layouts[layout] = run.layout_icons[layout]
    if previous is not None:
        for src in run.carried:
            record = previous.pages[src]
            pages[src] = record
            layouts.setdefault(record.layout, previous.layouts.get(record.layout, {}))
    return Manifest(key, pages, layouts)


class ShardCarrier:
    """The search index's shards carried over from the previous site (``reuse``, asked by
    ``build_search_index``), and the record of this build's shards (``record``)."""

    def __init__(self, previous: Manifest | None, current: Manifest, old_site: Path, new_site: Path) -> None:
        self.previous = previous if previous is not None and previous.key == current.key else None
        self.current = current
        self.old_bundle, self.new_bundle = old_site / BUNDLE_DIR, new_site / BUNDLE_DIR
        self.indexed = {record.dest: record.indexed for record in current.pages.values()}
        self.carried: list[int] = []
        self.reused: dict[int, ShardRecord] = {}  # carried shards' records, their files checked

    def shard_key(self, shard: int, pages: Sequence[str]) -> str:
        """The shard's inputs hashed (what search reads of each page: ``indexed_hash``); ""
        when a page's HTML is not known (never carried)."""
        digest = hashlib.sha256(f"{self.current.key}\n{shard}\n".encode())
        for page in pages:
            indexed = self.indexed.get(page)
            if indexed is None:
                return ""
            digest.update(f"{page}\n{indexed}\n".encode())
        return digest.hexdigest()

    def reuse(self, shard: int, pages: Sequence[str]) -> bool:
        key = self.shard_key(shard, pages)
        if not key or self.previous is None or shard >= len(self.previous.shards):
            return False
        record = self.previous.shards[shard]
        if record.key != key or not record.files:
            return False
        try:
            if any(file_hash(self.old_bundle / rel) != sha for rel, sha in record.files.items()):
                return False
        except OSError:
            return False
        for rel in record.files:
            target = self.new_bundle / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(self.old_bundle / rel, target)
            except OSError:
                shutil.copyfile(self.old_bundle / rel, target)
        self.carried.append(shard)
        self.reused[shard] = record
        return True

    def record(self, shards: Sequence[Sequence[str]]) -> Manifest:
        """The current manifest with this build's shards: each one's key and files."""
        records = []
        for shard, pages in enumerate(shards):
            key = self.shard_key(shard, pages)
            if shard in self.reused and self.reused[shard].key == key:  # its files hashed on the way in
                records.append(self.reused[shard])
                continue
            files = {rel: file_hash(self.new_bundle / rel) for rel in shard_files(self.new_bundle, shard)}
            records.append(ShardRecord(key, files if key else {}))
        return replace(self.current, shards=tuple(records))
