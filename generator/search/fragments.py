"""Short names for the pages' fragments, numbered by the papers' date rank."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from generator.search.files import BundleFormatError, full_hash, read_pagefind_file


def fragment_names(language: str, hashes: list[str], numbers: Iterable[int]) -> list[str]:
    """New names for the pages' fragments, in page order: ``<language>_<prefix>-<number in hex>``.

    Every page's fragment name is in the metadata each search loads first, and Pagefind's
    names (content hashes, random to gzip) were 70% of it at 50,000 papers: short
    numbers after one prefix compress to about half. The prefix hashes all of the
    shard's names from Pagefind, so a page that changes renames every fragment of its
    shard and no browser keeps a stale one under an old name, while the other shards
    keep theirs; the "-" keeps new names apart from Pagefind's.
    The number is the page's date rank, 0 the oldest (``build_search_index``): a result's name is all
    search.js learns of it before fetching its fragment, and it sorts results by date
    with it. Pagefind's own sort index ("data-pagefind-sort") cost a quarter of the
    metadata and was merged wrongly across shards.
    """
    prefix = full_hash("\n".join(hashes).encode())[:6]
    return [f"{language}_{prefix}-{n:x}" for n in numbers]


def fragment_rank(fragment: Path, date_rank: Mapping[str, int]) -> int:
    """The date rank of the page whose fragment is ``fragment``, by the URL inside it."""
    try:
        url = json.loads(read_pagefind_file(fragment))["url"]
        return date_rank[url]
    except (ValueError, KeyError, TypeError):
        raise BundleFormatError(
            f"fragment/{fragment.name} is not the fragment of a paper page being indexed"
        ) from None
