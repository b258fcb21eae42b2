"""``paper-archive check --site DIR``: is the built site whole, before it is published?

Takes the site folder and the content folder it was built from; returns every problem as
a ``ContentError`` (``path: message``), the site's paths relative to it:

- every internal link and source (``href``/``src`` in the HTML) leads to a file of the site;
- every digest has its day page, and every address of ``permalinks.lock`` its paper page
  (a page once published never disappears);
- the search index loads: ``shards.json`` and each shard's ``pagefind-entry.json`` parse,
  and every file they and the metadata name exists;
- the sizes fit GitHub Pages: no file over 100 MB, the site under 1 GB.

It reads only what the build wrote, so it checks any content, and runs in the publish job
after the build instead of the project's test suite (which belongs to CI).
"""

from __future__ import annotations

import html
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.content import digests_dir, lock_path
from generator.errors import ContentError, ContentErrors
from generator.permalinks import parse_lock
from generator.readers import parse_digest_name
from generator.search import BUNDLE_DIR, SHARDS_FILE
from generator.search.bundle import _read_entry, check_meta
from generator.search.files import BundleFormatError, decode_pagefind_file
from generator.urls import day_uri

MAX_FILE_BYTES = 100 * 1000**2  # GitHub Pages refuses a file over 100 MB
MAX_SITE_BYTES = 1000**3  # and recommends a site under 1 GB
SEARCH_SCRIPTS = ("pagefind.js", "pagefind-worker.js")

# A start tag, its quoted values kept whole (a ">" may sit inside one); then its link attributes.
_TAG = re.compile(r"""<[a-zA-Z][^\s>/]*(?:[^>"']|"[^"]*"|'[^']*')*>""")
# One attribute, its value whole: " src=x" inside another attribute's quoted value is text.
_ATTRIBUTE = re.compile(r"""\s*([^\s=>"'/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?""")
# Elements whose content is text, never tags: "<img src=x>" in a <title> is a title's words.
_TEXT_BODY = re.compile(r"(<(script|style|title|textarea)\b[^>]*>).*?</\2\s*>", re.DOTALL | re.IGNORECASE)
_OUTSIDE = ("mailto:", "tel:", "data:", "javascript:", "blob:", "about:")


@dataclass(frozen=True, slots=True)
class SiteReport:
    pages: int
    files: int
    size: int
    errors: list[ContentError]


def page_links(text: str) -> Iterator[str]:
    """The ``href`` and ``src`` values of an HTML page's tags (not of its scripts' or title's text)."""
    text = _TEXT_BODY.sub(r"\1", text)
    for tag in _TAG.finditer(text):
        attributes = dict(_attributes(tag.group(0)))
        if "data-pa-fallback" in attributes:  # one of several addresses tried (404.html)
            continue
        for name in ("href", "src"):
            if attributes.get(name):
                yield html.unescape(attributes[name])


def _attributes(tag: str) -> Iterator[tuple[str, str]]:
    """(name in lower case, value unquoted) of a start tag's attributes, in order."""
    space = re.search(r"\s", tag)
    pos = space.start() if space else len(tag)
    end = len(tag) - 1  # the closing ">"
    while pos < end:
        match = _ATTRIBUTE.match(tag, pos, end)
        if match is None or match.end() == pos:
            pos += 1  # a stray "/" or quote
            continue
        pos = match.end()
        yield match.group(1).lower(), (match.group(2) or "").strip("\"'")


def site_path(site_url: str | None) -> str:
    """The path the site is served under: ``/paper-archive/`` for a project site."""
    path = urlsplit(site_url or "").path or "/"
    return path if path.endswith("/") else path + "/"


def link_target(page: str, link: str, site_url: str | None) -> str | None:
    """The site-relative path a link of ``page`` (a site-relative file) leads to; None for
    a link out of the site or within the page. A path climbing out of the site is kept
    as ``../...`` so that it is reported."""
    if site_url and link.startswith(site_url):
        link = "/" + link[len(site_url) :]
        base = "/"
    else:
        base = site_path(site_url)
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or link.startswith(_OUTSIDE) or not parts.path:
        return None  # another site, or "#fragment" / "?query" of the page itself
    path = unquote(parts.path)
    if path.startswith("/"):
        if not path.startswith(base):
            return "../" + path.lstrip("/")
        path = path[len(base) :]
    else:
        path = os.path.join(os.path.dirname(page), path)
    trailing = path.endswith("/") or path in ("", ".")
    path = os.path.normpath(path) if path else "."
    if path == ".":
        return ""
    return path + ("/" if trailing else "")


def _exists(site_dir: Path, target: str) -> bool:
    """What a static server answers with a file: the file, or a folder's index.html."""
    if target.startswith("../"):
        return False
    path = site_dir / target
    if target.endswith("/") or target == "":
        return (path / "index.html").is_file()
    return path.is_file() or (path / "index.html").is_file()


def check_links(site_dir: Path, pages: Iterable[str], site_url: str | None) -> list[ContentError]:
    """A located error for each internal link that leads to no file, once per page and target."""
    errors = []
    for page in pages:
        text = (site_dir / page).read_text(encoding="utf-8", errors="replace")
        seen: set[str] = set()
        for link in page_links(text):
            target = link_target(page, link, site_url)
            if target is None or target in seen:
                continue
            seen.add(target)
            if not _exists(site_dir, target):
                why = "leads outside the site" if target.startswith("../") else "leads to no file of the site"
                errors.append(ContentError(page, f"link {link} {why} ({target or './'})"))
    return errors


def check_permanent_pages(site_dir: Path, content_dir: Path) -> list[ContentError]:
    """Every digest's day page and every locked paper address must be in the site."""
    errors: list[ContentError] = []
    folder = digests_dir(content_dir)
    for path in sorted(folder.iterdir()) if folder.is_dir() else ():
        try:
            uri = day_uri(parse_digest_name(path))
        except ContentError:
            continue  # not a digest: `paper-archive check` says so
        if not (site_dir / uri / "index.html").is_file():
            errors.append(ContentError(uri, f"the day page of {path} is missing"))
    lock = lock_path(content_dir)
    if lock.is_file():
        try:
            uris = parse_lock(lock, lock.read_text(encoding="utf-8"))
        except ContentErrors as e:
            return errors + e.errors
        for uri in sorted(uris):
            if not (site_dir / uri / "index.html").is_file():
                errors.append(ContentError(uri, f"the page of {uris[uri]} is missing (listed in {lock})"))
    return errors


def check_search_index(site_dir: Path) -> list[ContentError]:
    """The search index loads: its entry files parse and every file they name exists."""
    bundle = site_dir / BUNDLE_DIR
    shards_path = bundle / SHARDS_FILE
    where = f"{BUNDLE_DIR}/{SHARDS_FILE}"
    try:
        shards = json.loads(shards_path.read_text(encoding="utf-8"))["shards"]
        if not isinstance(shards, list) or not all(isinstance(s, str) for s in shards):
            raise ValueError("'shards' is not a list of folders")
    except (OSError, ValueError, KeyError, TypeError) as e:
        return [ContentError(where, f"the search index does not load: {e}")]
    errors = [
        ContentError(f"{BUNDLE_DIR}/{name}", "missing: the search index does not load without it")
        for name in SEARCH_SCRIPTS
        if not (bundle / name).is_file()
    ]
    for shard in shards:
        errors += _check_shard(bundle, shard, bundle / shard)
    return errors


def _check_shard(bundle: Path, shard: str, folder: Path) -> list[ContentError]:
    entry_path = folder / "pagefind-entry.json"
    where = f"{BUNDLE_DIR}/{shard}pagefind-entry.json"
    errors: list[ContentError] = []
    try:
        entry = _read_entry(entry_path)
        for info in entry["languages"].values():
            wasm = bundle / f"wasm.{info.get('wasm', 'unknown')}.pagefind"
            if not wasm.is_file():
                errors.append(ContentError(f"{BUNDLE_DIR}/{wasm.name}", f"missing, named by {where}"))
            meta_path = folder / f"pagefind.{info['hash']}.pf_meta"
            meta = check_meta(decode_pagefind_file(meta_path), entry["version"], meta_path)
            named = [f"fragment/{page[0]}.pf_fragment" for page in meta[1]]
            named += [f"index/{chunk[2]}.pf_index" for chunk in meta[2]]
            named += [f"filter/{filt[1]}.pf_filter" for filt in meta[3]]
            meta_name = f"{BUNDLE_DIR}/{shard}{meta_path.name}"
            errors += [
                ContentError(f"{BUNDLE_DIR}/{shard}{name}", f"missing, named by {meta_name}")
                for name in named
                if not (folder / name).is_file()
            ]
    except BundleFormatError as e:
        errors.append(ContentError(where, f"the search index does not load: {e}"))
    return errors


def file_sizes(root: Path) -> Iterator[tuple[str, int]]:
    """(path relative to ``root`` with ``/``, bytes) of every file under it."""
    for folder, _dirs, names in os.walk(root):
        prefix = os.path.relpath(folder, root).replace(os.sep, "/") + "/"
        for name in names:
            try:
                info = os.stat(os.path.join(folder, name))
            except FileNotFoundError:  # a dangling link
                continue
            if stat.S_ISREG(info.st_mode):
                yield (prefix + name).removeprefix("./"), info.st_size


def check_sizes(sizes: list[tuple[str, int]], site_dir: Path) -> list[ContentError]:
    errors = [
        ContentError(
            rel, f"{size:,} bytes, over GitHub Pages' limit of {MAX_FILE_BYTES:,} bytes for one file"
        )
        for rel, size in sizes
        if size > MAX_FILE_BYTES
    ]
    total = sum(size for _, size in sizes)
    if total > MAX_SITE_BYTES:
        errors.append(
            ContentError(
                str(site_dir), f"the site is {total:,} bytes, over GitHub Pages' {MAX_SITE_BYTES:,} (1 GB)"
            )
        )
    return errors


def sitemap_url(site_dir: Path) -> str | None:
    """The site's public URL as MkDocs wrote it in the sitemap (the home page's address)."""
    try:
        text = (site_dir / "sitemap.xml").read_text(encoding="utf-8")
    except OSError:
        return None
    locs = re.findall(r"<loc>([^<]+)</loc>", text)
    return min(locs, key=len) if locs else None


def check_site(site_dir: Path, content_dir: Path, site_url: str | None = None) -> SiteReport:
    """Everything above, for the site in ``site_dir`` built from ``content_dir``."""
    if not (site_dir / "index.html").is_file():
        error = ContentError(str(site_dir), "no index.html: not a built site (run paper-archive build first)")
        return SiteReport(0, 0, 0, [error])
    site_url = site_url or sitemap_url(site_dir)
    sizes = sorted(file_sizes(site_dir))
    pages = [rel for rel, _ in sizes if rel.endswith(".html")]
    errors = check_links(site_dir, pages, site_url)
    errors += check_permanent_pages(site_dir, content_dir)
    errors += check_search_index(site_dir)
    errors += check_sizes(sizes, site_dir)
    return SiteReport(len(pages), len(sizes), sum(size for _, size in sizes), errors)
