"""Short names for the pages' fragments, numbered by the papers' date rank."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from generator.search.files import BundleFormatError, full_hash, read_pagefind_file

FRAGMENT_BLOCK = 64  # pages whose fragment names share a prefix: consecutive date ranks


def fragment_names(language: str, hashes: list[str], numbers: Iterable[int]) -> list[str]:
    """New names for the pages' fragments, in page order: ``<language>_<prefix>-<number in hex>``.

    Every page's fragment name is in the metadata each search loads first, and Pagefind's
    names (content hashes, random to gzip) were 70% of it at 50,000 papers: short
    numbers after a few prefixes compress to about half. A prefix hashes the Pagefind
    names of a block of ``FRAGMENT_BLOCK`` pages of consecutive date ranks, so a page
    that changes renames the fragments of its block and no browser keeps a stale one
    under an old name, while every other block keeps its names: a new day renames the
    fragments of the newest block or two, not a whole shard's. The "-" keeps new names
    apart from Pagefind's.
    The number is the page's date rank, 0 the oldest (``build_search_index``): a result's name is all
    search.js learns of it before fetching its fragment, and it sorts results by date
    with it. Pagefind's own sort index ("data-pagefind-sort") cost a quarter of the
    metadata and was merged wrongly across shards.
    """
    numbers = list(numbers)
    blocks: dict[int, list[str]] = {}
    for hash_, number in zip(hashes, numbers, strict=True):
        blocks.setdefault(number // FRAGMENT_BLOCK, []).append(hash_)
    prefixes = {block: full_hash("\n".join(sorted(names)).encode())[:6] for block, names in blocks.items()}
    return [f"{language}_{prefixes[n // FRAGMENT_BLOCK]}-{n:x}" for n in numbers]


def fragment_rank(fragment: Path, date_rank: Mapping[str, int]) -> int:
    """The date rank of the page whose fragment is ``fragment``, by the URL inside it."""
    try:
        url = json.loads(read_pagefind_file(fragment))["url"]
        return date_rank[url]
    except (ValueError, KeyError, TypeError):
        raise BundleFormatError(
            f"fragment/{fragment.name} is not the fragment of a paper page being indexed"
        ) from None
