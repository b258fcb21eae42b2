"""Pagefind's files as it writes them: each ``pf_*`` file is gzip around the signature
``pagefind_dcd`` and CBOR (a fragment: JSON); files are named after a hash of their
content. Reading checks the format this package knows (Pagefind 1.5.x) and raises
``BundleFormatError`` for anything else, rather than guess."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path
from typing import Any, TypeGuard

import cbor2

from generator.search.cbor import Cbor

SIGNATURE = b"pagefind_dcd"
FORMAT_VERSIONS = ("1.5.",)  # Pagefind releases whose index format this package reads
GZIP_LEVEL = 9


class BundleFormatError(Exception):
    """Pagefind's output is not laid out as this module expects."""


def unknown_format(version: str, detail: str) -> BundleFormatError:
    return BundleFormatError(
        f"Pagefind {version} wrote a search index in a format this build cannot make reproducible ({detail}); "
        f"it reads Pagefind {', '.join(v + 'x' for v in FORMAT_VERSIONS)}: install that version "
        "(pip install 'pagefind[bin]>=1.5,<1.6') or teach generator/search/ the new format"
    )


def shape(value: Cbor, *types: type) -> TypeGuard[list[Any]]:
    return (
        isinstance(value, list)
        and len(value) == len(types)
        and all(isinstance(v, t) for v, t in zip(value, types, strict=True))
    )


def all_of(values: Cbor, check) -> bool:
    return isinstance(values, list) and all(check(v) for v in values)


def read_pagefind_file(path: Path) -> bytes:
    """What one of Pagefind's files holds after gzip and its signature: CBOR, or a
    fragment's JSON."""
    try:
        data = gzip.decompress(path.read_bytes())
    except (OSError, EOFError, gzip.BadGzipFile) as e:
        raise BundleFormatError(f"cannot read {path.parent.name}/{path.name}: {e}") from None
    if not data.startswith(SIGNATURE):
        raise BundleFormatError(f"{path.name} does not start with Pagefind's signature {SIGNATURE.decode()}")
    return data[len(SIGNATURE) :]


def decode_pagefind_file(path: Path) -> Cbor:
    try:
        # cbor2's C decoder: the word index is millions of items; the shape checks
        # refuse anything Pagefind does not write (only lists, text, integers).
        return cbor2.loads(read_pagefind_file(path))
    except (ValueError, cbor2.CBORDecodeError) as e:
        raise BundleFormatError(f"{path.name}: {e}") from None


def compress(data: bytes, level: int = GZIP_LEVEL) -> bytes:
    """Pagefind's file wrapping, with a fixed level and no timestamp."""
    return gzip.compress(SIGNATURE + data, compresslevel=level, mtime=0)


def full_hash(data: bytes) -> str:
    """Pagefind's content hash: SHA-1, each byte in hex without zero padding."""
    return "".join(format(byte, "x") for byte in hashlib.sha1(data).digest())


def meta_hash(language: str, data: bytes) -> str:
    return f"{language}_{full_hash(data)[: len(language) + 8]}"


def name_files(language: str, contents: list[bytes]) -> list[tuple[str, bytes]]:
    """``<language>_<7 hex digits>`` per file; on a clash with an earlier file in the
    list, two more digits at a time, as Pagefind does."""
    names: list[tuple[str, bytes]] = []
    taken: set[str] = set()
    for data in contents:
        full = f"{language}_{full_hash(data)}"
        length = len(language) + 8
        while full[:length] in taken and length < len(full):
            length += 2
        taken.add(full[:length])
        names.append((full[:length], data))
    return names
