"""The search index is a pure function of the site, though Pagefind's own output is not.

Pagefind 1.5 writes filters, filter values and sort keys in a per-run random order;
``canonicalize_bundle`` rewrites them in one order and renames the files after their
new content. These tests check whole bundles from real Pagefind runs, then the
re-encoding on small bundles made here, where the random order can be chosen.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from pathlib import Path

import cbor2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.errors import ContentErrors
from generator.search import BUNDLE_DIR, build_search_index
from generator.search.bundle import canonicalize_bundle
from generator.search.cbor import encode_cbor
from generator.search.chunks import RANGE_END, chunk_target, chunk_words
from generator.search.files import BundleFormatError, compress, full_hash, meta_hash, name_files
from generator.search.fragments import fragment_names
from generator.search.vocabulary import VOCABULARY_DIR


def tree_digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def index_digest(site_dir: Path) -> dict[str, str]:
    """The built site's search bundle but the spelling vocabulary, which the build adds
    (generator/search/vocabulary.py: from the papers, not from Pagefind's index)."""
    built = tree_digest(site_dir / BUNDLE_DIR)
    return {path: h for path, h in built.items() if not path.startswith(f"{VOCABULARY_DIR}/")}


def copy_site_without_index(site_dir: Path, target: Path) -> Path:
    shutil.copytree(site_dir, target, ignore=shutil.ignore_patterns(BUNDLE_DIR))
    return target


def read_cbor(path: Path):
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(b"pagefind_dcd")
    return cbor2.loads(data[len(b"pagefind_dcd") :])


# ---- Real Pagefind runs ---------------------------------------------------------


@pytest.mark.slow
def test_search_index_two_runs_are_byte_identical(
    sample_site: Path, sample_pages: list[str], tmp_path: Path
) -> None:
    first = copy_site_without_index(sample_site, tmp_path / "a")
    second = copy_site_without_index(sample_site, tmp_path / "b")
    build_search_index(first, sample_pages)
    build_search_index(second, sample_pages)
    digest = tree_digest(first / BUNDLE_DIR)
    assert digest == tree_digest(second / BUNDLE_DIR)
    assert digest == index_digest(sample_site)  # a third run, inside the build
    assert [p for p in digest if p.startswith("filter/")]


@pytest.mark.slow
def test_search_index_references_resolve(sample_site: Path) -> None:
    bundle = sample_site / BUNDLE_DIR
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    (language,) = entry["languages"]
    meta_path = bundle / f"pagefind.{entry['languages'][language]['hash']}.pf_meta"
    meta = read_cbor(meta_path)
    assert meta_path.name == f"pagefind.{meta_hash(language, encode_cbor(meta))}.pf_meta"
    assert [f[0] for f in meta[3]] == ["code", "month", "organization", "tag", "year"]
    assert sorted(p.stem for p in (bundle / "filter").iterdir()) == sorted(f[1] for f in meta[3])
    assert sorted(p.stem for p in (bundle / "index").iterdir()) == sorted(c[2] for c in meta[2])
    assert len(list(bundle.glob("*.pf_meta"))) == 1
    for name, hash_ in meta[3]:
        index = read_cbor(bundle / "filter" / f"{hash_}.pf_filter")
        assert index[0] == name
        assert [v[0] for v in index[1]] == sorted(v[0] for v in index[1])
        assert name_files(language, [encode_cbor(index)])[0][0] == hash_


@pytest.mark.slow
def test_search_index_stale_bundle_is_replaced(
    sample_site: Path, sample_pages: list[str], tmp_path: Path
) -> None:
    site = copy_site_without_index(sample_site, tmp_path / "site")
    (site / BUNDLE_DIR / "filter").mkdir(parents=True)
    (site / BUNDLE_DIR / "filter" / "en_0000000.pf_filter").write_bytes(b"old")
    build_search_index(site, sample_pages)
    assert tree_digest(site / BUNDLE_DIR) == index_digest(sample_site)


# ---- The re-encoding, on small bundles -----------------------------------------

PAGES = [["en_aaaaaaa", 10], ["en_bbbbbbb", 20], ["en_ccccccc", 30]]
RANKS = {f"/{name}/": n for n, (name, _) in enumerate(PAGES)}  # each fragment's URL (write_bundle)
TAGS = [["Robotics", [2, 0]], ["Benchmarks", [1]], ["Agents", [0, 1]]]
YEARS = [["2025", [0, 1, 2]]]
WORDS = [[["cafe", [[0, [3], []]], [["café", [[1, [4], []]]], ["cafè", [[2, [5], []]]]]]]]


def write_bundle(bundle: Path, filters: list[tuple[str, list]], words: list, version: str = "1.5.2") -> None:
    """A bundle laid out as Pagefind 1.5 writes one, in the order given."""
    for sub in ("filter", "index", "fragment"):
        (bundle / sub).mkdir(parents=True, exist_ok=True)
    for name, _words in PAGES:
        (bundle / "fragment" / f"{name}.pf_fragment").write_bytes(compress(b'{"url":"/%s/"}' % name.encode()))
    meta_filters = []
    for i, (name, values) in enumerate(filters):
        hash_ = f"en_{i}{name}"
        (bundle / "filter" / f"{hash_}.pf_filter").write_bytes(compress(encode_cbor([name, values])))
        meta_filters.append([name, hash_])
    (bundle / "index" / "en_words.pf_index").write_bytes(compress(encode_cbor(words)))
    meta = [version, PAGES, [["a", "z", "en_words"]], meta_filters, [["date", [2, 0, 1]]], ["date", "title"]]
    (bundle / "pagefind.en_meta.pf_meta").write_bytes(compress(encode_cbor(meta)))
    entry = {"version": version, "languages": {"en": {"hash": "en_meta", "wasm": "en", "page_count": 3}}}
    (bundle / "pagefind-entry.json").write_text(json.dumps(entry), encoding="utf-8")


def test_canonicalize_bundle_ignores_pagefind_order(tmp_path: Path) -> None:
    write_bundle(tmp_path / "a", [("tag", TAGS), ("year", YEARS)], WORDS)
    reordered_words = [[[WORDS[0][0][0], WORDS[0][0][1], WORDS[0][0][2][::-1]]]]
    write_bundle(tmp_path / "b", [("year", YEARS), ("tag", TAGS[::-1])], reordered_words)
    canonicalize_bundle(tmp_path / "a", RANKS)
    canonicalize_bundle(tmp_path / "b", RANKS)
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")


def test_canonicalize_bundle_names_fragments_by_date_rank(tmp_path: Path) -> None:
    bundle = tmp_path / "pagefind"
    write_bundle(bundle, [("tag", TAGS)], WORDS)
    canonicalize_bundle(bundle, {"/en_aaaaaaa/": 2, "/en_bbbbbbb/": 0, "/en_ccccccc/": 10, "/other/": 1})
    names = [p[0] for p in read_cbor(next(bundle.glob("*.pf_meta")))[1]]
    assert [name.rsplit("-", 1)[1] for name in names] == ["2", "0", "a"]
    assert all((bundle / "fragment" / f"{name}.pf_fragment").is_file() for name in names)


def test_canonicalize_bundle_refuses_a_page_it_was_not_given(tmp_path: Path) -> None:
    bundle = tmp_path / "pagefind"
    write_bundle(bundle, [("tag", TAGS)], WORDS)
    before = tree_digest(bundle)
    with pytest.raises(ContentErrors, match="en_bbbbbbb.pf_fragment is not the fragment of a paper page"):
        canonicalize_bundle(bundle, {"/en_aaaaaaa/": 0, "/en_ccccccc/": 1})
    assert tree_digest(bundle) == before


def test_canonicalize_bundle_sorts_names_and_references(tmp_path: Path) -> None:
    bundle = tmp_path / "pagefind"
    write_bundle(bundle, [("year", YEARS), ("tag", TAGS)], WORDS)
    canonicalize_bundle(bundle, RANKS)

    tag = ["tag", [["Agents", [0, 1]], ["Benchmarks", [1]], ["Robotics", [0, 2]]]]
    year = ["year", [["2025", [0, 1, 2]]]]
    words = [[["cafe", [[0, [3], []]], [["cafè", [[2, [5], []]]], ["café", [[1, [4], []]]]]]]]
    (tag_name, _), (year_name, _) = name_files("en", [encode_cbor(tag), encode_cbor(year)])
    ((words_name, _),) = name_files("en", [encode_cbor(words)])
    pages = [
        [name, count]
        for name, (_, count) in zip(fragment_names("en", [p[0] for p in PAGES], range(3)), PAGES, strict=True)
    ]
    assert [p[0] for p in pages] == [f"en_{pages[0][0][3:9]}-{n}" for n in range(3)]
    meta = [
        "1.5.2",
        pages,
        [["", RANGE_END, words_name]],  # one chunk, for every string
        [["tag", tag_name], ["year", year_name]],
        [["date", [2, 0, 1]]],
        ["date", "title"],
    ]
    meta_name = meta_hash("en", encode_cbor(meta))
    assert sorted(p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()) == sorted(
        [
            f"filter/{tag_name}.pf_filter",
            f"filter/{year_name}.pf_filter",
            f"index/{words_name}.pf_index",
            *(f"fragment/{name}.pf_fragment" for name, _ in pages),
            f"pagefind.{meta_name}.pf_meta",
            "pagefind-entry.json",
        ]
    )
    assert (bundle / "fragment" / f"{pages[1][0]}.pf_fragment").read_bytes() == compress(
        b'{"url":"/en_bbbbbbb/"}'
    )
    assert read_cbor(bundle / "filter" / f"{tag_name}.pf_filter") == tag
    assert read_cbor(bundle / "index" / f"{words_name}.pf_index") == words
    assert read_cbor(bundle / f"pagefind.{meta_name}.pf_meta") == meta
    assert (bundle / "pagefind-entry.json").read_text(encoding="utf-8") == (
        '{"version":"1.5.2","languages":{"en":{"hash":"' + meta_name + '","wasm":"en","page_count":3}}}'
    )
    assert (bundle / f"filter/{tag_name}.pf_filter").read_bytes() == compress(encode_cbor(tag))
    assert compress(b"x")[4:8] == b"\0\0\0\0"  # no timestamp in the gzip header


def test_canonicalize_bundle_unknown_version_fails_and_leaves_bundle(tmp_path: Path) -> None:
    bundle = tmp_path / "pagefind"
    write_bundle(bundle, [("tag", TAGS)], WORDS, version="1.6.0")
    before = tree_digest(bundle)
    with pytest.raises(ContentErrors) as e:
        canonicalize_bundle(bundle, RANKS)
    assert [str(error) for error in e.value.errors] == [
        f"{bundle}: Pagefind 1.6.0 wrote a search index in a format this build cannot make reproducible "
        "(pagefind-entry.json says Pagefind 1.6.0); it reads Pagefind 1.5.x: install that version "
        "(pip install 'pagefind[bin]>=1.5,<1.6') or teach generator/search/ the new format"
    ]
    assert tree_digest(bundle) == before


@pytest.mark.parametrize(
    ("filters", "words", "lost_fragment", "message"),
    [
        (
            [("tag", [["Agents", "not pages"]])],
            WORDS,
            None,
            "en_0tag.pf_filter is not a Pagefind 1.5 index of filter 'tag' (['tag', [[value, pages]...]])",
        ),
        (
            [("tag", TAGS)],
            [[["cafe", "not pages", []]]],
            None,
            "en_words.pf_index is not a Pagefind 1.5 word index ([[word, pages, variants]...])",
        ),
        (
            [("tag", TAGS)],
            WORDS,
            "en_bbbbbbb",
            "(pagefind.en_meta.pf_meta lists a page without a fragment)",
        ),
    ],
)
def test_canonicalize_bundle_unexpected_shape_fails_and_leaves_bundle(
    tmp_path: Path, filters: list, words: list, lost_fragment: str | None, message: str
) -> None:
    bundle = tmp_path / "pagefind"
    write_bundle(bundle, filters, words)
    if lost_fragment:
        (bundle / "fragment" / f"{lost_fragment}.pf_fragment").unlink()
    before = tree_digest(bundle)
    with pytest.raises(ContentErrors) as e:
        canonicalize_bundle(bundle, RANKS)
    (error,) = e.value.errors
    assert str(error).startswith(f"{bundle}: ") and message in str(error)
    assert tree_digest(bundle) == before


# ---- Word index chunks ----------------------------------------------------------


def word(text: str, positions: int = 1) -> tuple[str, bytes]:
    """A word on page 0 with ``positions`` locations, encoded as Pagefind writes it."""
    return text, encode_cbor([text, [[0, [1] * positions, []]], []])


def holding(chunks: list[tuple[str, str, bytes]], term: str) -> list[int]:
    """The chunks Pagefind's browser code loads for ``term``: from <= term <= to."""
    return [i for i, (low, high, _) in enumerate(chunks) if low <= term <= high]


def words_of(chunk: tuple[str, str, bytes]) -> list[str]:
    return [w[0] for w in cbor2.loads(chunk[2])[0]]


def test_chunk_words_gives_a_frequent_word_a_chunk_with_its_extensions() -> None:
    words = [
        word("gender"),
        word("generalreason"),
        word("generat", 400),
        word("generatables"),
        word("generationbas"),
        word("generic"),
        word("genom"),
    ]
    chunks = chunk_words(words, 100, Path("meta"))
    assert [words_of(c) for c in chunks] == [
        ["gender", "generalreason"],
        ["generat", "generatables", "generationbas"],
        ["generic", "genom"],
    ]
    assert [(low, high) for low, high, _ in chunks] == [
        ("", "general" + RANGE_END),  # "general...", but not "generat"
        ("general" + RANGE_END + "\0", "genera" + RANGE_END),  # the rest of "genera...", not "generic"
        ("genera" + RANGE_END + "\0", RANGE_END),
    ]
    # A word as typed loads its stem's chunk and no other: "generation" -> "generat".
    assert holding(chunks, "generation") == holding(chunks, "generat") == [1]
    assert holding(chunks, "generatively") == [1]


def test_chunk_words_leaves_a_frequent_word_alone_when_it_starts_many() -> None:
    words = [word("a", 400), *(word(f"a{n:03}", 20) for n in range(20)), word("b")]
    chunks = chunk_words(words, 100, Path("meta"))
    assert words_of(chunks[0]) == ["a"]
    assert chunks[0][1] == "a"  # "a001" and after are in the next chunks
    assert holding(chunks, "a") == [0]
    assert holding(chunks, "a001") == [1]


def test_chunk_words_refuses_words_out_of_order() -> None:
    with pytest.raises(BundleFormatError, match="meta lists word index chunks whose words are not in order"):
        chunk_words([word("b"), word("a")], 100, Path("meta"))


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.text(min_size=1, max_size=6), st.integers(1, 60), min_size=1, max_size=40),
    st.lists(st.text(max_size=8), max_size=20),
)
def test_chunk_words_ranges_tile_all_strings(sizes: dict[str, int], probes: list[str]) -> None:
    words = [word(w, n) for w, n in sorted(sizes.items())]
    chunks = chunk_words(words, 80, Path("meta"))
    assert [w for c in chunks for w in words_of(c)] == sorted(sizes)
    for i, chunk in enumerate(chunks):
        for w in words_of(chunk):
            assert holding(chunks, w) == [i]
    for probe in probes:
        assert len(holding(chunks, probe)) == 1


def test_chunk_target_grows_with_the_index() -> None:
    assert chunk_target(100_000) == 4096
    assert chunk_target(16_000_000) == 16_000
    assert chunk_target(80_000_000) == 35_777


# ---- Pagefind's encodings -------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "hex_"),
    [
        (0, "00"),
        (23, "17"),
        (24, "1818"),
        (300, "19012c"),
        (70000, "1a00011170"),
        (-1, "20"),
        (-25, "3818"),
        ("", "60"),
        ("é", "62c3a9"),
        ([], "80"),
        (["tag", [["a", [1, 24, 300]]], -1], "8363746167818261618301181819012c20"),
    ],
)
def test_cbor_encoding_round_trips(value, hex_: str) -> None:
    assert encode_cbor(value).hex() == hex_
    assert cbor2.loads(bytes.fromhex(hex_)) == value


def test_file_names_follow_pagefind() -> None:
    # The name Pagefind 1.5.2 gave the sample site's year filter.
    year = encode_cbor(["year", [["2025", list(range(147))]]])
    assert name_files("en", [year]) == [("en_f245585", year)]
    assert [name for name, _ in name_files("en", [year, year])] == ["en_f245585", "en_f24558507"]
    # SHA-1 of nothing is da39a3ee5e6b4b0d...: Pagefind drops each byte's leading zero.
    assert full_hash(b"") == "da39a3ee5e6b4bd3255bfef95601890afd879"
    assert meta_hash("pt-br", b"") == "pt-br_da39a3ee5e6b4"


@pytest.mark.slow
def test_search_index_holds_each_papers_abstract(sample_site: Path) -> None:
    """A paper's fragment carries its abstract, not only its title (words to search and excerpt)."""
    import gzip
    import json

    fragments = {}
    for path in (sample_site / "pagefind" / "fragment").iterdir():
        data = json.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd") :])
        fragments[data["url"]] = data
    assert len(fragments) == len(list(sample_site.glob("papers/*/index.html")))
    dream = fragments["/papers/2512.22525/"]
    assert "doodle editing" in dream["content"]  # a phrase of the abstract only
    assert "2512.22525" in dream["content"]
    assert "AI summary" not in dream["content"]


def test_fragment_names_a_changed_page_renames_its_block_only() -> None:
    from generator.search.fragments import FRAGMENT_BLOCK, fragment_names

    hashes = [f"en_{n:07x}" for n in range(3 * FRAGMENT_BLOCK)]
    numbers = list(range(len(hashes)))[::-1]  # in any page order
    before = fragment_names("en", hashes, numbers)
    hashes[FRAGMENT_BLOCK + 5] = "en_changed"
    after = fragment_names("en", hashes, numbers)
    renamed = sorted(n for n, a, b in zip(numbers, before, after, strict=True) if a != b)
    assert renamed == list(range(FRAGMENT_BLOCK, 2 * FRAGMENT_BLOCK))
    assert [name.rsplit("-", 1)[1] for name in after] == [f"{n:x}" for n in numbers]
