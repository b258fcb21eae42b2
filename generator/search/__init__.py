"""Staged site -> the same site plus ``pagefind/``, the split search index.

Pagefind reads the built HTML (only paper pages carry ``data-pagefind-body``) and
writes an index cut into small fragments that the browser fetches per query, so
search stays fast however many papers the archive holds. Around Pagefind 1.5's
private index format, one module per job:

- ``shards``: the paper pages dealt into shards, one Pagefind run each (the entry point);
- ``bundle``: each shard's bundle rewritten in one canonical order, the same bytes every run;
- ``chunks``: the word index cut again into chunks that suit a query;
- ``fragments``: short fragment names that carry the papers' date rank;
- ``files`` and ``cbor``: Pagefind's files, names and hashes, and the CBOR it writes.
"""

from generator.search.shards import (
    BUNDLE_DIR,
    SHARD_PAGES,
    SHARDS_FILE,
    VIEW_DIR,
    build_search_index,
    plan_shards,
    search_pages,
)

__all__ = [
    "BUNDLE_DIR",
    "SHARDS_FILE",
    "SHARD_PAGES",
    "VIEW_DIR",
    "build_search_index",
    "plan_shards",
    "search_pages",
]
