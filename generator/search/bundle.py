"""A Pagefind bundle rewritten so that its bytes depend only on the indexed site.

Pagefind 1.5 keeps filters, filter values and sort keys in hash maps seeded afresh
on every run, so the filter files, the metadata file (name and content) and
``pagefind-entry.json`` come out different each time. ``canonicalize_bundle``
rewrites the files that hold such lists in one fixed order, names them after their
new content the way Pagefind names them, and updates every reference, so that the
same site always gives the same bytes. On the way it cuts the word index again
(chunks.py) and renames the fragments (fragments.py).

The bundle, as the browser reads it: ``pagefind-entry.json`` gives each language's
metadata hash -> ``pagefind.<hash>.pf_meta`` lists the word index chunks
(``index/<hash>.pf_index``) and filters (``filter/<hash>.pf_filter``) by hash; the
page fragments (``fragment/*.pf_fragment``) are named in the metadata too.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from generator.errors import ContentError, ContentErrors
from generator.search.cbor import Cbor, encode_cbor
from generator.search.chunks import INDEX_GZIP_LEVEL, chunk_body, chunk_target, chunk_words, read_word_index
from generator.search.files import (
    FORMAT_VERSIONS,
    BundleFormatError,
    all_of,
    compress,
    decode_pagefind_file,
    meta_hash,
    name_files,
    shape,
    unknown_format,
)
from generator.search.fragments import fragment_names, fragment_rank


def canonicalize_bundle(bundle_dir: Path, date_rank: Mapping[str, int], resplit: bool = True) -> None:
    """Rewrite Pagefind's bundle so that its bytes depend only on the indexed site.

    ``date_rank`` numbers the pages' URLs, newest first, for their fragment names
    (``fragment_names``).
    Everything is read and checked before anything is written, so an unexpected
    format leaves the bundle as Pagefind wrote it and raises a user error.
    """
    entry_path = bundle_dir / "pagefind-entry.json"
    try:
        entry, writes, stale, renames = _plan_bundle(bundle_dir, entry_path, date_rank, resplit)
    except BundleFormatError as e:
        raise ContentErrors([ContentError(str(bundle_dir), str(e))]) from None
    for old, new in renames:
        old.rename(new)
    for path in stale:
        path.unlink()
    for path, data in writes.items():
        path.write_bytes(data)
    entry_path.write_text(render_entry(entry), encoding="utf-8")


def _plan_bundle(
    bundle_dir: Path, entry_path: Path, date_rank: Mapping[str, int], resplit: bool = True
) -> tuple[dict, dict[Path, bytes], set[Path], list[tuple[Path, Path]]]:
    entry = _read_entry(entry_path)
    writes: dict[Path, bytes] = {}
    stale: set[Path] = set()
    renames: list[tuple[Path, Path]] = []
    for language in sorted(entry["languages"]):
        info = entry["languages"][language]
        meta_path = bundle_dir / f"pagefind.{info['hash']}.pf_meta"
        meta = check_meta(decode_pagefind_file(meta_path), entry["version"], meta_path)
        stale.add(meta_path)

        fragments = bundle_dir / "fragment"
        paths = [fragments / f"{page[0]}.pf_fragment" for page in meta[1]]
        if not all(path.is_file() for path in paths):
            raise unknown_format(entry["version"], f"{meta_path.name} lists a page without a fragment")
        numbers = [fragment_rank(path, date_rank) for path in paths]
        names = fragment_names(language, [page[0] for page in meta[1]], numbers)
        for page, path, name in zip(meta[1], paths, names, strict=True):
            renames.append((path, fragments / f"{name}.pf_fragment"))
            page[0] = name

        # Words are kept encoded: decoded, a 50,000-paper index would take gigabytes.
        words: list[tuple[str, bytes]] = []
        kept = []  # Pagefind's own chunks, for a bundle that is not cut again (bench.search)
        for low, high, hash_ in meta[2]:
            path = bundle_dir / "index" / f"{hash_}.pf_index"
            chunk = read_word_index(path)
            kept.append((low, high, chunk_body(chunk)))
            words += chunk
            stale.add(path)
        if resplit:
            chunks = chunk_words(words, chunk_target(sum(len(data) for _, data in words)), meta_path)
        else:
            chunks = kept
        named_chunks = name_files(language, [data for _, _, data in chunks])
        meta[2] = [[low, high, name] for (low, high, _), (name, _) in zip(chunks, named_chunks, strict=True)]
        for name, data in named_chunks:
            writes[bundle_dir / "index" / f"{name}.pf_index"] = compress(data, INDEX_GZIP_LEVEL)

        filters = {}
        for name, hash_ in meta[3]:
            path = bundle_dir / "filter" / f"{hash_}.pf_filter"
            filters[name] = canonical_filter(decode_pagefind_file(path), name, path)
            stale.add(path)
        if len(filters) != len(meta[3]):
            raise unknown_format(entry["version"], f"{meta_path.name} lists a filter twice")

        filter_names = sorted(filters)
        named_filters = name_files(language, [encode_cbor(filters[f]) for f in filter_names])
        for name, data in named_filters:
            writes[bundle_dir / "filter" / f"{name}.pf_filter"] = compress(data)
        meta[3] = [[f, name] for f, (name, _) in zip(filter_names, named_filters, strict=True)]
        meta[4] = sorted(meta[4], key=lambda sort: sort[0])

        meta_bytes = encode_cbor(meta)
        info["hash"] = meta_hash(language, meta_bytes)
        writes[bundle_dir / f"pagefind.{info['hash']}.pf_meta"] = compress(meta_bytes)
    return entry, writes, stale - set(writes), renames


def _read_entry(path: Path) -> dict:
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise BundleFormatError(f"cannot read {path.name}: {e}") from None
    version = entry.get("version") if isinstance(entry, dict) else None
    if not isinstance(version, str):
        raise BundleFormatError(f"{path.name} has no Pagefind version")
    if not version.startswith(FORMAT_VERSIONS):
        raise unknown_format(version, f"{path.name} says Pagefind {version}")
    languages = entry.get("languages")
    if not isinstance(languages, dict) or not all(
        isinstance(info, dict) and isinstance(info.get("hash"), str) for info in languages.values()
    ):
        raise unknown_format(version, f"{path.name} has no languages with a metadata hash")
    return entry


def check_meta(meta: Cbor, version: str, path: Path) -> list:
    """The metadata, if shaped as Pagefind 1.5 writes it:
    [version, [[page hash, word count]...], [[from, to, chunk hash]...],
     [[filter, filter hash]...], [[sort key, [page...]]...], [meta field...]].
    """
    if not (
        isinstance(meta, list)
        and len(meta) == 6
        and meta[0] == version
        and all_of(meta[1], lambda p: shape(p, str, int))
        and all_of(meta[2], lambda c: shape(c, str, str, str))
        and all_of(meta[3], lambda f: shape(f, str, str))
        and all_of(meta[4], lambda s: shape(s, str, list))
        and all_of(meta[5], lambda field: isinstance(field, str))
    ):
        raise unknown_format(version, f"{path.name} is not [version, pages, chunks, filters, sorts, fields]")
    return meta


def canonical_filter(index: Cbor, name: str, path: Path) -> list:
    """A filter index with its values, and each value's pages, in order.

    Shape: [filter, [[value, [page...]]...]]; the browser reads the values into a map.
    """
    if not (
        shape(index, str, list)
        and index[0] == name
        and all_of(index[1], lambda v: shape(v, str, list) and all_of(v[1], lambda p: isinstance(p, int)))
    ):
        raise BundleFormatError(
            f"{path.name} is not a Pagefind 1.5 index of filter {name!r} ([{name!r}, [[value, pages]...]])"
        )
    return [name, sorted([value, sorted(pages)] for value, pages in index[1])]


def render_entry(entry: dict) -> str:
    """pagefind-entry.json as serde_json writes it, languages in name order."""
    entry = {**entry, "languages": dict(sorted(entry["languages"].items()))}
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
