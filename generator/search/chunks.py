"""The word index, cut again into chunks of a size that suits a query.

A query downloads, for each of its words, the chunk whose word range holds the word as
typed and the one holding its stem. Pagefind closes a chunk once it passes about
20,000 word positions, so a frequent stem ("generat") ends its chunk and the word as
typed ("generation") falls in the next one: two chunks of some 25 KB per word. Here
a frequent word gets a chunk of its own whose range also holds every word it is the
start of, and the other chunks are a few KB (``chunk_words``).
"""

from __future__ import annotations

import io
import math
import os
from itertools import pairwise
from pathlib import Path

import cbor2

from generator.search.cbor import ARRAY, encode_cbor, head
from generator.search.files import BundleFormatError, all_of, read_pagefind_file, shape

INDEX_GZIP_LEVEL = 6  # the whole word index is rewritten: 9 saves 2% of its bytes at 4x the time
RANGE_END = "\U0010ffff"  # sorts after any character a word can hold: word + RANGE_END ends its range


def read_word_index(path: Path) -> list[tuple[str, bytes]]:
    """A word index chunk's words, each with its CBOR: [(word, CBOR)...].

    Shape: [[[word, [[page, [loc...], [meta loc...]]...], [[form, pages]...]]...]].
    Each word keeps the bytes Pagefind wrote, unless it has diacritic variants
    ("café", "cafè" of "cafe"): Pagefind collects those in a hash map, so they are
    put in order of their form and the word encoded again.
    """
    data = read_pagefind_file(path)
    stream = io.BytesIO(data)
    decoder = cbor2.CBORDecoder(stream)
    not_an_index = BundleFormatError(
        f"{path.name} is not a Pagefind 1.5 word index ([[word, pages, variants]...])"
    )
    if array_head(stream) != 1 or (count := array_head(stream)) is None:
        raise not_an_index
    words = []
    for _ in range(count):
        start = stream.tell()
        try:
            word = decoder.decode()
        except (ValueError, EOFError, cbor2.CBORDecodeError) as e:
            raise BundleFormatError(f"{path.name}: {e}") from None
        if not (shape(word, str, list, list) and all_of(word[2], lambda v: shape(v, str, list))):
            raise not_an_index
        if len(word[2]) > 1:
            word[2].sort(key=lambda v: v[0])
            words.append((word[0], encode_cbor(word)))
        else:
            words.append((word[0], data[start : stream.tell()]))
    if stream.tell() != len(data):
        raise not_an_index
    return words


def array_head(stream: io.BytesIO) -> int | None:
    """The length of the CBOR array starting at ``stream``, or None if none starts there."""
    head = stream.read(1)
    if not head or head[0] >> 5 != ARRAY or head[0] & 31 > 27:
        return None
    info = head[0] & 31
    return info if info < 24 else int.from_bytes(stream.read(1 << (info - 24)), "big")


def chunk_target(index_bytes: int) -> int:
    """CBOR bytes per word index chunk for a word index of ``index_bytes``.

    Every query fetches the metadata, which lists each chunk (about 14 bytes gzipped),
    and for its rarer words two or so chunks (about size / 2.3 gzipped). The total is
    least where both weigh the same: sqrt(16 x index), 16 KB for 10,000 papers
    (measured: 8 KB and 32 KB cost 3% more per query), 36 KB for 50,000.
    """
    return max(4096, math.isqrt(16 * index_bytes))


def chunk_words(
    encoded: list[tuple[str, bytes]], target: int, meta_path: Path
) -> list[tuple[str, str, bytes]]:
    """The word index as chunks of about ``target`` CBOR bytes: [(from, to, CBOR)...].

    ``encoded`` holds Pagefind's words in its order, each with its CBOR ([word, pages,
    variants]), sorted by word (UTF-8 byte order, which is code point order). The
    browser loads every chunk whose range holds a query word as typed or its stem
    (from <= term <= to): these ranges tile all strings, so each term loads exactly
    one chunk, and each reaches as far towards the next chunk's first word as it can
    ("genera" + RANGE_END before "generic"), so that a word as typed ("generation")
    mostly finds the chunk of its stem ("generat"). A word larger than ``target`` gets
    a chunk of its own, with the words it is the start of if they are few
    ("generatables"...): then its range holds every string it is the start of.
    """
    if any(a >= b for (a, _), (b, _) in pairwise(encoded)):
        raise BundleFormatError(f"{meta_path.name} lists word index chunks whose words are not in order")
    groups: list[list[tuple[str, bytes]]] = []
    size, i = 0, 0
    while i < len(encoded):
        word, data = encoded[i]
        if not groups or size + len(data) > target:
            groups.append([])
            size = 0
        groups[-1].append(encoded[i])
        size += len(data)
        i += 1
        if len(data) > target:
            end, extra = i, 0
            while end < len(encoded) and encoded[end][0].startswith(word) and extra <= target:
                extra += len(encoded[end][1])
                end += 1
            if extra <= target:
                groups[-1] += encoded[i:end]
                i = end
            size = target  # nothing else joins a frequent word
    chunks, low = [], ""
    for group, after in zip(groups, [*groups[1:], None], strict=True):
        last = group[-1][0]
        if after is None:
            high = RANGE_END
        else:
            shared = len(os.path.commonprefix([last, after[0][0]]))
            high = last if shared == len(last) else last[: shared + 1] + RANGE_END
        chunks.append((low, high, chunk_body(group)))
        low = high + "\0"  # the smallest string after ``high``: no gap, no overlap
    return chunks


def chunk_body(words: list[tuple[str, bytes]]) -> bytes:
    """A word index chunk holding ``words`` (each with its CBOR)."""
    body = bytearray()
    head(ARRAY, 1, body)
    head(ARRAY, len(words), body)
    return bytes(body) + b"".join(data for _, data in words)
