"""Staged site -> the same site plus ``pagefind/``, the split search index.

Pagefind reads the built HTML (only paper pages carry ``data-pagefind-body``) and
writes an index cut into small fragments that the browser fetches per query, so
search stays fast however many papers the archive holds.

Large archives are indexed in shards of at most ``SHARD_PAGES`` papers (``plan_shards``),
each a Pagefind run over a folder of hard links to its pages. The browser merges
them into one search (Pagefind's ``mergeIndex``): ranking there costs the square of
a shard's size instead of the whole archive's (see ``SHARD_PAGES``).

Pagefind 1.5 keeps filters, filter values and sort keys in hash maps seeded afresh
on every run, so the filter files, the metadata file (name and content) and
``pagefind-entry.json`` come out different each time. ``canonicalize_bundle`` then
rewrites the files that hold such lists in one fixed order, names them after their
new content the way Pagefind names them, and updates every reference, so that the
same site always gives the same bytes. It reads Pagefind's binary format, checked
against Pagefind 1.5.x, and stops with an error rather than guess at another one.

The bundle, as the browser reads it: ``pagefind-entry.json`` gives each language's
metadata hash -> ``pagefind.<hash>.pf_meta`` lists the word index chunks
(``index/<hash>.pf_index``) and filters (``filter/<hash>.pf_filter``) by hash; the
page fragments (``fragment/*.pf_fragment``) are named in the metadata too; their
content is reproducible already, and they get shorter names (``fragment_names``). Each ``pf_*`` file is gzip around
``pagefind_dcd`` followed by CBOR made only of arrays, text and integers.

The word index is also cut again, into smaller chunks (``chunk_words``): a query
downloads, for each of its words, the chunk whose word range holds the word as
typed and the one holding its stem. Pagefind closes a chunk once it passes about
20,000 word positions, so a frequent stem ("generat") ends its chunk and the word as
typed ("generation") falls in the next one: two chunks of some 25 KB per word. Here
a frequent word gets a chunk of its own whose range also holds every word it is the
start of, and the other chunks are a few KB.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import IO, TYPE_CHECKING

import cbor2

from generator.errors import ContentError, ContentErrors

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from generator.model import Paper

BUNDLE_DIR = "pagefind"
SHARDS_FILE = "shards.json"  # read by site_templates/assets/search.js
VIEW_DIR = ".pagefind-view"  # shard N's pages in N/, while Pagefind reads them; removed after
# Papers per index shard. Pagefind 1.5 ranks a query in time that grows with the pages
# it matches times its words' postings, so a query of common words slows as the square
# of the archive: in the browser, "video generation" took 1.8 s to rank at 50,000
# papers in one index, 0.45 s in 5 shards and 0.32 s in 10. Fewer, larger shards mean
# fewer bytes a query (metadata and a chunk per word, per shard): 10 shards keep a
# 50,000-paper query under 800 KB. Pagefind's memory while indexing follows the pages
# of one run (about 130 KB a page): 0.7 GB for 5,000.
SHARD_PAGES = 5_000
SIGNATURE = b"pagefind_dcd"
FORMAT_VERSIONS = ("1.5.",)  # Pagefind releases whose index format this module reads
GZIP_LEVEL = 9
INDEX_GZIP_LEVEL = 6  # the whole word index is rewritten: 9 saves 2% of its bytes at 4x the time
RANGE_END = "\U0010ffff"  # sorts after any character a word can hold: word + RANGE_END ends its range

Cbor = int | str | list["Cbor"]


def search_pages(papers: Iterable[Paper]) -> list[str]:
    """The paper pages Pagefind indexes, as site-relative paths, in the archive's order
    (``Archive.papers``: newest first)."""
    return [f"{paper.uri}index.html" for paper in papers]


def plan_shards(pages: Sequence[str], shard_pages: int = SHARD_PAGES) -> list[Sequence[str]]:
    """``pages`` dealt into as few shards of at most ``shard_pages`` as it takes, in turn,
    so that every shard is a like sample of the archive: Pagefind weighs a word by how
    rare it is in its own shard, and shards of one period each would weigh a word of
    that period's fashion ("reasoning" in 2025) lower than the others do."""
    count = max(1, math.ceil(len(pages) / shard_pages))
    return [pages[n::count] for n in range(count)]


def shard_dir(shard: int) -> str:
    """Where shard ``shard`` lives in the bundle: the first is the bundle itself."""
    return "" if shard == 0 else f"shard-{shard}/"


def build_search_index(site_dir: Path, pages: Sequence[str], shard_pages: int = SHARD_PAGES) -> None:
    """Index the paper ``pages`` of ``site_dir`` (newest first) in place, in shards.

    Shard 0 is a whole Pagefind bundle in ``pagefind/``; the others keep only their
    index in ``pagefind/shard-N/``, merged into it in the browser (``mergeIndex``),
    and ``pagefind/shards.json`` lists them. Each page's fragment is named after its
    place in ``pages``, which is how search.js sorts by date. A Pagefind failure
    becomes a user error.

    One Pagefind runs at a time (its memory follows its pages), and while it does,
    this process rewrites the previous shard's bundle and links the next shard's
    pages: Pagefind keeps about one core and a third busy, and the Python around it
    was a third of the time.
    """
    bundle_dir = site_dir / BUNDLE_DIR
    # Pagefind leaves a hashed file alone if it exists, so a stale bundle would linger.
    shutil.rmtree(bundle_dir, ignore_errors=True)
    views = site_dir / VIEW_DIR
    shutil.rmtree(views, ignore_errors=True)
    shards = plan_shards(pages, shard_pages)
    date_rank = {"/" + page.removesuffix("index.html"): n for n, page in enumerate(pages)}
    try:
        link_pages(site_dir, views / "0", shards[0])
        for shard in range(len(shards)):
            running = start_pagefind(views / str(shard), bundle_dir / shard_dir(shard), site_dir)
            try:
                if shard + 1 < len(shards):
                    link_pages(site_dir, views / str(shard + 1), shards[shard + 1])
                if shard:
                    finish_shard(bundle_dir, shard - 1, views, date_rank)
            except BaseException:
                stop_pagefind(running)
                raise
            wait_pagefind(running, site_dir)
        finish_shard(bundle_dir, len(shards) - 1, views, date_rank)
    finally:
        shutil.rmtree(views, ignore_errors=True)
    shards_json = {"shards": [shard_dir(n) for n in range(len(shards))]}
    (bundle_dir / SHARDS_FILE).write_text(json.dumps(shards_json) + "\n", encoding="utf-8")


def finish_shard(bundle_dir: Path, shard: int, views: Path, date_rank: Mapping[str, int]) -> None:
    """A shard's bundle, as Pagefind left it, made canonical; its folder of links removed."""
    out = bundle_dir / shard_dir(shard)
    canonicalize_bundle(out, date_rank)
    if shard:
        keep_index_only(out)
    shutil.rmtree(views / str(shard), ignore_errors=True)


def link_pages(site_dir: Path, view: Path, pages: Sequence[str]) -> None:
    """A folder holding just ``pages``, at their own paths: hard links, copies where links fail."""
    for page in pages:
        target = view / page
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(site_dir / page, target)
        except OSError:
            shutil.copyfile(site_dir / page, target)


@dataclass
class Running:
    """A Pagefind run under way: its process, where it writes, what it prints."""

    process: subprocess.Popen
    out: Path
    log: IO[bytes]


def start_pagefind(view: Path, out: Path, site_dir: Path) -> Running:
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(view),
        "--output-path",
        str(out),
        "--glob",
        "**/*.html",
        "--quiet",
    ]
    log = tempfile.TemporaryFile()  # a file, not a pipe: nobody reads while it runs
    try:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    except OSError as e:
        log.close()
        raise ContentErrors([ContentError(str(site_dir), f"could not run Pagefind: {e}")]) from None
    return Running(process, out, log)


def stop_pagefind(running: Running) -> None:
    running.process.kill()
    running.process.wait()
    running.log.close()


def wait_pagefind(running: Running, site_dir: Path) -> None:
    with running.log:
        status = running.process.wait()
        running.log.seek(0)
        printed = running.log.read().decode("utf-8", "replace").strip()
    if status != 0 or not (running.out / "pagefind-entry.json").is_file():
        message = (printed or f"exit status {status}").splitlines()
        raise ContentErrors(
            [
                ContentError(
                    str(site_dir), f"Pagefind could not build the search index: {' '.join(message[-3:])}"
                )
            ]
        )


def keep_index_only(shard_bundle: Path) -> None:
    """Drop a merged shard's copy of Pagefind's scripts, styles and WebAssembly: the
    browser loads those once, from shard 0."""
    for path in shard_bundle.iterdir():
        if path.is_file() and path.name != "pagefind-entry.json" and path.suffix != ".pf_meta":
            path.unlink()


class BundleFormatError(Exception):
    """Pagefind's output is not laid out as this module expects."""


def canonicalize_bundle(bundle_dir: Path, date_rank: Mapping[str, int]) -> None:
    """Rewrite Pagefind's bundle so that its bytes depend only on the indexed site.

    ``date_rank`` numbers the pages' URLs, newest first, for their fragment names
    (``fragment_names``).
    Everything is read and checked before anything is written, so an unexpected
    format leaves the bundle as Pagefind wrote it and raises a user error.
    """
    entry_path = bundle_dir / "pagefind-entry.json"
    try:
        entry, writes, stale, renames = _plan_bundle(bundle_dir, entry_path, date_rank)
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
    bundle_dir: Path, entry_path: Path, date_rank: Mapping[str, int]
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
            raise _unknown_format(entry["version"], f"{meta_path.name} lists a page without a fragment")
        numbers = [_rank(path, date_rank) for path in paths]
        names = fragment_names(language, [page[0] for page in meta[1]], numbers)
        for page, path, name in zip(meta[1], paths, names, strict=True):
            renames.append((path, fragments / f"{name}.pf_fragment"))
            page[0] = name

        # Words are kept encoded: decoded, a 50,000-paper index would take gigabytes.
        words: list[tuple[str, bytes]] = []
        for _, _, hash_ in meta[2]:
            path = bundle_dir / "index" / f"{hash_}.pf_index"
            words += read_word_index(path)
            stale.add(path)
        chunks = chunk_words(words, chunk_target(sum(len(data) for _, data in words)), meta_path)
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
            raise _unknown_format(entry["version"], f"{meta_path.name} lists a filter twice")

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


def fragment_names(language: str, hashes: list[str], numbers: Iterable[int]) -> list[str]:
    """New names for the pages' fragments, in page order: ``<language>_<prefix>-<number in hex>``.

    Every page's fragment name is in the metadata each search loads first, and Pagefind's
    names (content hashes, random to gzip) were 70% of it at 50,000 papers: short
    numbers after one prefix compress to about half. The prefix hashes all of
    Pagefind's names, so a page that changes renames every fragment and no browser keeps
    a stale one under an old name; the "-" keeps new names apart from Pagefind's.
    The number is the page's date rank (``build_search_index``): a result's name is all
    search.js learns of it before fetching its fragment, and it sorts results by date
    with it. Pagefind's own sort index ("data-pagefind-sort") cost a quarter of the
    metadata and was merged wrongly across shards.
    """
    prefix = full_hash("\n".join(hashes).encode())[:6]
    return [f"{language}_{prefix}-{n:x}" for n in numbers]


def _rank(fragment: Path, date_rank: Mapping[str, int]) -> int:
    """The date rank of the page whose fragment is ``fragment``, by the URL inside it."""
    try:
        url = json.loads(read_pagefind_file(fragment))["url"]
        return date_rank[url]
    except (ValueError, KeyError, TypeError):
        raise BundleFormatError(
            f"fragment/{fragment.name} is not the fragment of a paper page being indexed"
        ) from None


# ---- Pagefind's files, checked -------------------------------------------------


def _read_entry(path: Path) -> dict:
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise BundleFormatError(f"cannot read {path.name}: {e}") from None
    version = entry.get("version") if isinstance(entry, dict) else None
    if not isinstance(version, str):
        raise BundleFormatError(f"{path.name} has no Pagefind version")
    if not version.startswith(FORMAT_VERSIONS):
        raise _unknown_format(version, f"{path.name} says Pagefind {version}")
    languages = entry.get("languages")
    if not isinstance(languages, dict) or not all(
        isinstance(info, dict) and isinstance(info.get("hash"), str) for info in languages.values()
    ):
        raise _unknown_format(version, f"{path.name} has no languages with a metadata hash")
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
        and _all(meta[1], lambda p: _shape(p, str, int))
        and _all(meta[2], lambda c: _shape(c, str, str, str))
        and _all(meta[3], lambda f: _shape(f, str, str))
        and _all(meta[4], lambda s: _shape(s, str, list))
        and _all(meta[5], lambda field: isinstance(field, str))
    ):
        raise _unknown_format(version, f"{path.name} is not [version, pages, chunks, filters, sorts, fields]")
    return meta


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
    if _array_head(stream) != 1 or (count := _array_head(stream)) is None:
        raise not_an_index
    words = []
    for _ in range(count):
        start = stream.tell()
        try:
            word = decoder.decode()
        except (ValueError, EOFError, cbor2.CBORDecodeError) as e:
            raise BundleFormatError(f"{path.name}: {e}") from None
        if not (_shape(word, str, list, list) and _all(word[2], lambda v: _shape(v, str, list))):
            raise not_an_index
        if len(word[2]) > 1:
            word[2].sort(key=lambda v: v[0])
            words.append((word[0], encode_cbor(word)))
        else:
            words.append((word[0], data[start : stream.tell()]))
    if stream.tell() != len(data):
        raise not_an_index
    return words


def _array_head(stream: io.BytesIO) -> int | None:
    """The length of the CBOR array starting at ``stream``, or None if none starts there."""
    head = stream.read(1)
    if not head or head[0] >> 5 != _ARRAY or head[0] & 31 > 27:
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
        body = bytearray()
        _head(_ARRAY, 1, body)
        _head(_ARRAY, len(group), body)
        chunks.append((low, high, bytes(body) + b"".join(data for _, data in group)))
        low = high + "\0"  # the smallest string after ``high``: no gap, no overlap
    return chunks


def canonical_filter(index: Cbor, name: str, path: Path) -> list:
    """A filter index with its values, and each value's pages, in order.

    Shape: [filter, [[value, [page...]]...]]; the browser reads the values into a map.
    """
    if not (
        _shape(index, str, list)
        and index[0] == name
        and _all(index[1], lambda v: _shape(v, str, list) and _all(v[1], lambda p: isinstance(p, int)))
    ):
        raise BundleFormatError(
            f"{path.name} is not a Pagefind 1.5 index of filter {name!r} ([{name!r}, [[value, pages]...]])"
        )
    return [name, sorted([value, sorted(pages)] for value, pages in index[1])]


def _shape(value: Cbor, *types: type) -> bool:
    return (
        isinstance(value, list)
        and len(value) == len(types)
        and all(isinstance(v, t) for v, t in zip(value, types, strict=True))
    )


def _all(values: Cbor, check) -> bool:  # noqa: ANN001
    return isinstance(values, list) and all(check(v) for v in values)


def _unknown_format(version: str, detail: str) -> BundleFormatError:
    return BundleFormatError(
        f"Pagefind {version} wrote a search index in a format this build cannot make reproducible ({detail}); "
        f"it reads Pagefind {', '.join(v + 'x' for v in FORMAT_VERSIONS)}: install that version "
        "(pip install 'pagefind[bin]>=1.5,<1.6') or teach generator/search.py the new format"
    )


# ---- Files, names and hashes, as Pagefind makes them ----------------------------


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


def render_entry(entry: dict) -> str:
    """pagefind-entry.json as serde_json writes it, languages in name order."""
    entry = {**entry, "languages": dict(sorted(entry["languages"].items()))}
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":"))


# ---- CBOR: the subset Pagefind writes ------------------------------------------
# Definite-length arrays, text strings and integers, each head in its shortest form,
# as minicbor writes them; anything else is refused, so a format change is noticed.

_UINT, _NINT, _TEXT, _ARRAY = 0, 1, 3, 4


def encode_cbor(value: Cbor) -> bytes:
    out = bytearray()
    _encode(value, out)
    return bytes(out)


def _encode(value: Cbor, out: bytearray) -> None:
    if isinstance(value, bool):
        raise TypeError("booleans are not part of Pagefind's format")
    if isinstance(value, int) and value >= 0:
        _head(_UINT, value, out)
    elif isinstance(value, int):
        _head(_NINT, -1 - value, out)
    elif isinstance(value, str):
        data = value.encode("utf-8")
        _head(_TEXT, len(data), out)
        out += data
    elif isinstance(value, list):
        _head(_ARRAY, len(value), out)
        for item in value:
            _encode(item, out)
    else:
        raise TypeError(f"cannot encode {type(value).__name__} in Pagefind's format")


def _head(major: int, argument: int, out: bytearray) -> None:
    if argument < 24:
        out.append(major << 5 | argument)
    else:
        for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
            if argument < 1 << (8 * size):
                out.append(major << 5 | info)
                out += argument.to_bytes(size, "big")
                return
        raise ValueError(f"integer {argument} does not fit in CBOR")
