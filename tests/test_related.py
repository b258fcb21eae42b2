"""Related papers: known pairs find each other over the whole shared data; ties and k are stable;
a new paper changes only the lists it enters (issue #24)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from generator import related
from generator.model import Paper
from generator.related import build_related
from tests.conftest import make_content, require_shared_data

# (arXiv id, arXiv id, why they belong together): each must be in the other's top 5.
PAIRS = [
    ("2509.08755", "2406.04151", "AgentGym-RL trains agents in the AgentGym environments"),
    ("2507.09104", "2410.16256", "CompassJudger-2 follows CompassJudger-1 (judge models)"),
    ("2505.11594", "2410.02367", "SageAttention3 follows SageAttention (quantized attention)"),
    ("2506.08889", "2410.13276", "SeerAttention-R adapts SeerAttention to long reasoning"),
    ("2410.01257", "2406.08673", "HelpSteer2-Preference extends the HelpSteer2 dataset"),
    ("2508.11255", "2504.04842", "FantasyTalking2 follows FantasyTalking (talking portraits)"),
    ("2510.26583", "2409.18869", "Emu3.5 follows Emu3 (native multimodal models)"),
    ("2511.17502", "2509.15212", "RynnVLA-002 follows RynnVLA-001 (robot VLA models)"),
    ("2411.18671", "2407.16291", "TAPTRv3 follows TAPTRv2 (point tracking)"),
    ("2510.23642", "2506.03930", "VisCoder2 follows VisCoder (visualization code)"),
    ("2509.13305", "2507.02592", "WebSailor-V2 follows WebSailor (web agents)"),
    ("2507.05963", "2407.21705", "Tora2 follows Tora (trajectory-controlled video)"),
    ("2512.22096", "2507.17744", "Yume-1.5 follows Yume (interactive world generation)"),
    ("2509.26328", "2505.22618", "Fast-dLLM v2 follows Fast-dLLM (diffusion LLM decoding)"),
    ("2509.20427", "2503.07703", "Seedream 4.0 follows Seedream 2.0 (image generation)"),
    ("2511.16719", "2408.00714", "SAM 3 follows SAM 2 (segment anything)"),
    ("2408.02555", "2406.10163", "MeshAnything V2 follows MeshAnything (artist meshes)"),
    ("2412.03555", "2407.07726", "PaliGemma 2 follows PaliGemma (VLMs for transfer)"),
    ("2506.20670", "2409.12959", "MMSearch-R1 trains search for the MMSearch benchmark"),
    ("2508.13992", "2410.19168", "MMAU-Pro extends the MMAU audio understanding benchmark"),
]


def paper(uri: str, title: str, abstract: str, *tags: str) -> Paper:
    return Paper(
        uri=f"papers/{uri}/", title=title, abstract=abstract, featured_on=(date(2025, 1, 1),), tags=tags
    )


@pytest.fixture(scope="module")
def shared_papers(tmp_path_factory: pytest.TempPathFactory) -> list[Paper]:
    from generator.build import merge_content
    from generator.content import read_content

    data = require_shared_data()
    content = make_content(tmp_path_factory.mktemp("related") / "content", sorted(data.glob("*.json")))
    archive, _ = merge_content(read_content(Path(content)))
    return list(archive.papers)


@pytest.fixture(scope="module")
def shared_related(shared_papers: list[Paper]) -> dict[str, tuple[str, ...]]:
    return build_related(shared_papers)


@pytest.mark.slow
def test_related_known_pairs_find_each_other(shared_papers, shared_related):
    by_id = {p.arxiv_id: p for p in shared_papers}
    missed = []
    for a, b, why in PAIRS:
        pa, pb = by_id[a], by_id[b]
        if pb.uri not in shared_related[pa.uri] or pa.uri not in shared_related[pb.uri]:
            missed.append(f"{a} / {b} ({why})")
    assert not missed, "pairs not in each other's top 5:\n" + "\n".join(missed)


@pytest.mark.slow
def test_related_every_paper_gets_five_others(shared_papers, shared_related):
    assert len(shared_related) == len(shared_papers)
    for uri, others in shared_related.items():
        assert uri not in others
        assert len(set(others)) == len(others) <= 5
    assert sum(len(v) == 5 for v in shared_related.values()) > 0.99 * len(shared_papers)


@pytest.mark.slow
def test_related_is_deterministic_and_order_free(shared_papers, shared_related):
    sample = shared_papers[:1500]
    first = build_related(sample)
    shuffled = list(sample)
    random.Random(7).shuffle(shuffled)
    assert build_related(shuffled) == first


@pytest.mark.slow
def test_related_k_is_a_prefix(shared_papers):
    sample = shared_papers[:800]
    five, three = build_related(sample, k=5), build_related(sample, k=3)
    assert all(three[uri] == five[uri][:3] for uri in five)
    assert all(len(v) <= 3 for v in three.values())


def test_related_versioned_names_meet():
    papers = [
        paper("a", "DreamOmni2: Multimodal editing", "We present a model for editing pictures."),
        paper("b", "DreamOmni3: Scribble-based editing", "Sketches guide the generator here."),
        paper("c", "Fast sorting of lists", "Sorting numbers quickly with editing of lists."),
        paper("d", "Quantum codes", "Error correction of qubits with new codes."),
    ]
    related = build_related(papers, k=1)
    assert related["papers/a/"] == ("papers/b/",)
    assert related["papers/b/"] == ("papers/a/",)


def test_related_ties_broken_by_shared_tags_then_uri():
    text = "Graph neural networks for molecule property prediction."
    papers = [
        paper("m", "Molecules", text, "chem"),
        paper("z", "Molecules", text, "chem"),  # same score as y and x, shares a tag with m
        paper("y", "Molecules", text),
        paper("x", "Molecules", text),
        paper("q", "Unrelated", "Sound synthesis with vocoders."),
        paper("r", "Unrelated too", "Sound synthesis with vocoders."),
    ]
    # Filler, so that the words above are not in too many of the papers to count.
    papers += [paper(f"f{i}", f"Filler {i}", f"Word{i}a word{i}b.") for i in range(20)]
    related = build_related(papers, k=3)
    assert related["papers/m/"] == ("papers/z/", "papers/x/", "papers/y/")
    assert related["papers/q/"] == ("papers/r/",)  # nothing else shares a term


def test_related_small_inputs():
    assert build_related([]) == {}
    one = paper("a", "Alone", "Nothing to compare with.")
    assert build_related([one]) == {"papers/a/": ()}
    assert build_related([one, paper("b", "Other", "Different words entirely.")]) == {
        "papers/a/": (),
        "papers/b/": (),
    }
    assert build_related([one, paper("b", "Alone", "Nothing to compare with.")], k=0) == {
        "papers/a/": (),
        "papers/b/": (),
    }


@pytest.mark.slow
def test_words_are_scikit_learns_tokens_on_every_paper(shared_papers):
    # The ASCII fast path must find exactly what the token pattern finds.
    tricky = ["snake_case x A-B 3D 2x2 R1-Zero I/O", "Ünïcode Wörter – façade", "a b c", ""]
    texts = tricky + [f"{p.title}\n{p.abstract}" for p in shared_papers]
    assert [related._tokens(t) for t in texts] == [related._TOKEN.findall(t.lower()) for t in texts]
    # Documents keep one-character words until _count_terms drops their columns.
    assert [related._words(t) for t in texts] == [related._WORD.findall(t.lower()) for t in texts]


def made_up_archive(topics: int = 6, per_topic: int = 8, seed: int = 3) -> list[Paper]:
    """Papers on made-up topics, a day apart: each shares some of its topic's words and of
    words common to all, and has a word of its own; its topic mates are its related papers."""
    rng = random.Random(seed)
    syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]

    def word() -> str:
        return "".join(rng.sample(syllables, 3))

    common = [word() for _ in range(40)]
    vocabularies = [[word() for _ in range(12)] for _ in range(topics)]
    papers = []
    for topic, vocabulary in enumerate(vocabularies):
        for number in range(per_topic):
            title = " ".join(rng.sample(vocabulary, 2))
            abstract = " ".join(rng.sample(vocabulary, 6) + rng.sample(common, 10) + [word()])
            day = date(2025, 1, 1) + timedelta(days=len(papers))
            papers.append(
                Paper(uri=f"papers/t{topic}-{number}/", title=title, abstract=abstract, featured_on=(day,))
            )
    return papers


def test_related_a_paper_that_enters_no_list_leaves_the_older_lists_unchanged():
    papers = made_up_archive()
    # Newer than all, with words of its own, words common to all, a word of one topic and
    # the word of its own of an older paper: every idf and the cap on common words
    # moved with it, and the older paper's word was not shared before.
    words = papers[0].abstract.split()[6:12] + [
        papers[9].abstract.split()[0],
        papers[30].abstract.split()[-1],
    ]
    newcomer = Paper(
        uri="papers/new/",
        title="Zorblaxian quintavelling",
        abstract="Zorblaxian quintavelling " + " ".join(words),
        featured_on=(date(2026, 1, 1),),
    )
    before = build_related(papers)
    after = build_related([*papers, newcomer])
    assert after[newcomer.uri]
    assert not any(newcomer.uri in others for others in after.values())  # it entered no list
    assert {uri: after[uri] for uri in before} == before


def test_related_lists_change_where_a_new_paper_enters_them():
    papers = made_up_archive()
    twin = replace(papers[5], uri="papers/twin/", featured_on=(date(2026, 1, 1),))
    before = build_related(papers)
    after = build_related([*papers, twin])
    for uri, others in before.items():
        assert after[uri] == others or twin.uri in after[uri], uri
    assert twin.uri in after[papers[5].uri]


def test_related_statistics_come_from_the_oldest_power_of_two():
    papers = made_up_archive(topics=2, per_topic=5)  # 10 papers, a day apart
    rows = related.reference_rows(sorted(papers, key=lambda p: p.uri))
    oldest = {p.uri for p in papers[:8]}
    assert [sorted(papers, key=lambda p: p.uri)[i].uri in oldest for i in rows] == [True] * 8
    same_day = [replace(p, featured_on=(date(2025, 1, 1),)) for p in papers[:3]]
    assert related.reference_rows(same_day).tolist() == [0, 1]  # same day: by URI
    assert related.reference_rows([]).tolist() == []


def test_related_same_lists_in_any_order():
    papers = made_up_archive()
    first = build_related(papers)
    for seed in range(3):
        shuffled = list(papers)
        random.Random(seed).shuffle(shuffled)
        assert build_related(shuffled) == first
