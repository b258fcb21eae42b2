"""Tests for generator.classifier: training from examples, teaching by overrides, explaining."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator import classifier
from generator.build import merge_content
from generator.classifier import Example, load_examples, train
from generator.cli import main
from generator.content import read_content
from generator.errors import ContentError, ContentErrors
from generator.explain import explain_paper
from generator.model import Tag
from tests.helpers import api_item, write_api_digest

TAXONOMY = [
    Tag("proteins", "Proteins", "Protein structure.", phrases=("protein folding",)),
    Tag("robots", "Robots", "Robots that move.", phrases=("robot arm",)),
    Tag("speech", "Speech", "Spoken language.", phrases=("speech recognition",)),
]

TAXONOMY_YML = """\
- slug: proteins
  name: Proteins
  description: Protein structure.
  phrases: [protein folding]
- slug: robots
  name: Robots
  description: Robots that move.
  phrases: [robot arm]
- slug: speech
  name: Speech
  description: Spoken language.
  phrases: [speech recognition]
"""

# Words the taxonomy's phrases do not hold: only examples can teach them.
PROTEIN_WORDS = "residue contact maps amino chains backbone torsion"
ROBOT_WORDS = "gripper torque joint servo actuator locomotion"
SPEECH_WORDS = "acoustic phoneme waveform utterance prosody"


def examples_of(tag: str, words: str, count: int = 6) -> list[Example]:
    return [
        Example(
            name=f"{tag}-{i}",
            title=f"Study {i} of {words.split()[i % 5]}",
            abstract=f"We analyse {words} in setting number {i}. Results vary with {words.split()[i % 3]}.",
            tags=(tag,),
        )
        for i in range(count)
    ]


FILLER = "market price weather river garden ledger novel poem harbour bridge census tariff".split()


def three_topics() -> list[Example]:
    """Six examples of each tag, and twenty of none, as in a real archive where each tag is rare."""
    untagged = [
        Example(
            f"other-{i}",
            f"Notes on {FILLER[i % 12]}",
            f"The {FILLER[i % 12]} and the {FILLER[(i + 5) % 12]}.",
        )
        for i in range(20)
    ]
    return (
        examples_of("proteins", PROTEIN_WORDS)
        + examples_of("robots", ROBOT_WORDS)
        + examples_of("speech", SPEECH_WORDS)
        + untagged
    )


def test_train_learns_tags_from_words_of_the_examples():
    tagger = train(TAXONOMY, three_topics())
    assert tagger.tags_for("Predicting contact maps", "Amino chains and their torsion angles.") == (
        "proteins",
    )
    assert tagger.tags_for("A new gripper", "Servo torque control for each joint.") == ("robots",)
    assert tagger.tags_for("Cooking pasta", "Boil water, add salt.") == ()


def test_train_is_deterministic():
    first, second = train(TAXONOMY, three_topics()), train(TAXONOMY, three_topics())
    assert first.weights.tobytes() == second.weights.tobytes()
    assert first.bias.tobytes() == second.bias.tobytes()


def test_a_tag_with_too_few_examples_is_decided_by_its_phrases():
    examples = examples_of("proteins", PROTEIN_WORDS) + examples_of("robots", ROBOT_WORDS)
    examples += examples_of("speech", SPEECH_WORDS, count=classifier.MIN_EXAMPLES - 1)
    tagger = train(TAXONOMY, examples)
    assert list(tagger.learned) == [True, True, False]
    assert "speech" in tagger.tags_for("Speech recognition for all", "We improve speech recognition.")
    assert "speech" not in tagger.tags_for("Phoneme waveform utterance", "Acoustic prosody of an utterance.")


def test_without_examples_the_tagger_is_the_phrase_tagger():
    tagger = train(TAXONOMY, [])
    assert not tagger.learned.any()
    assert tagger.tags_for("Protein folding at scale", "An abstract.") == ("proteins",)
    assert tagger.tags_for("Contact maps", "Amino chains.") == ()


def test_explain_gives_probability_phrases_terms_and_nearest_examples():
    tagger = train(TAXONOMY, three_topics())
    reasons = tagger.explain("Protein folding from contact maps", "Amino chains and torsion of the backbone.")
    first = reasons[0]
    assert (first.slug, first.chosen, first.learned) == ("proteins", True, True)
    assert first.probability > classifier.THRESHOLD
    assert first.phrases == (("title", "protein folding"),)
    assert {"contact", "amino", "torsion"} & {term for term, _ in first.terms}
    assert all(push > 0 for _, push in first.terms)
    assert [name for name, _ in first.nearest][0].startswith("proteins-")
    assert [r.chosen for r in reasons] == [True, False, False]  # then the two likeliest others


def write_content(root: Path, items: list[dict], examples: list[Example], overrides: str = "") -> Path:
    (root / "digests").mkdir(parents=True)
    write_api_digest(root / "digests", "2025-06-02", items)
    (root / "taxonomy.yml").write_text(TAXONOMY_YML, encoding="utf-8")
    (root / "tag-examples.jsonl").write_text(
        "".join(
            json.dumps({"id": e.name, "title": e.title, "abstract": e.abstract, "tags": list(e.tags)}) + "\n"
            for e in examples
        ),
        encoding="utf-8",
    )
    if overrides:
        (root / "tag-overrides.yml").write_text(overrides, encoding="utf-8")
    return root


# Two papers about the same new subject, which no example and no phrase knows.
TAUGHT = api_item(
    "2506.00001", "Zorblax lattices", "Zorblax lattices carry quibble flux in glimmer crystals."
)
SIMILAR = api_item(
    "2506.00002",
    "Quibble flux in zorblax lattices",
    "Glimmer crystals show quibble flux across zorblax lattices.",
)
OTHER = api_item("2506.00003", "Gripper torque", "Servo torque control for each joint of a gripper.")


def tags_by_id(content_dir: Path) -> dict[str, tuple[str, ...]]:
    archive, _ = merge_content(read_content(content_dir))
    return {p.arxiv_id: p.tags for p in archive.papers}


def test_one_override_teaches_similar_papers(tmp_path):
    items = [TAUGHT, SIMILAR, OTHER]
    before = tags_by_id(write_content(tmp_path / "a", items, three_topics()))
    assert before == {"2506.00001": (), "2506.00002": (), "2506.00003": ("robots",)}
    override = '- paper: "2506.00001"\n  add: [speech]\n'
    after = tags_by_id(write_content(tmp_path / "b", items, three_topics(), override))
    assert after == {"2506.00001": ("speech",), "2506.00002": ("speech",), "2506.00003": ("robots",)}


def test_an_override_that_removes_a_tag_teaches_too(tmp_path):
    # Both papers look like the robot examples; telling the tagger that one is not about
    # robots takes the tag from its near twin as well.
    first = api_item(
        "2506.00011", "Gripper torque of zorblax", "Servo torque of zorblax grippers and glimmer joints."
    )
    twin = api_item(
        "2506.00012", "Zorblax gripper torque", "Glimmer joints and the servo torque of zorblax grippers."
    )
    before = tags_by_id(write_content(tmp_path / "a", [first, twin], three_topics()))
    assert before == {"2506.00011": ("robots",), "2506.00012": ("robots",)}
    override = '- paper: "2506.00011"\n  remove: [robots]\n'
    after = tags_by_id(write_content(tmp_path / "b", [first, twin], three_topics(), override))
    assert after == {"2506.00011": (), "2506.00012": ()}


def test_load_examples_reports_every_bad_line_with_its_number(tmp_path):
    path = tmp_path / "tag-examples.jsonl"
    path.write_text(
        '{"title": "T", "abstract": "A", "tags": ["robots"]}\n'
        "not json\n"
        '{"title": "T", "tags": ["robots"]}\n'
        '{"title": "T", "abstract": "A", "tags": ["robot"]}\n'
        '{"title": "T", "abstract": "A", "tags": "robots"}\n'
        '{"title": "T", "abstract": "A", "tags": [], "year": 2025}\n'
        "\n"
        "[1, 2]\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentErrors) as caught:
        load_examples(path, TAXONOMY)
    assert [str(e) for e in caught.value.errors] == [
        f"{path}:2: not JSON: Expecting value (column 1): one example per line",
        f'{path}:3: example without abstract: give its text as \'"abstract": "..."\'',
        f"{path}:4: unknown tag 'robot': tags are declared in the taxonomy",
        f"{path}:5: 'tags' must be a list of strings",
        f"{path}:6: unknown key 'year': expected id, title, abstract, keywords, tags",
        f'{path}:8: an example must be an object: {{"title": ..., "abstract": ..., "tags": [...]}}',
    ]
    assert load_examples(tmp_path / "missing.jsonl", TAXONOMY) == ()


def test_explain_paper_finds_by_id_or_title_and_names_the_override(tmp_path):
    override = '- paper: "2506.00003"\n  add: [speech]\n'
    content = read_content(write_content(tmp_path / "c", [TAUGHT, OTHER], three_topics(), override))
    by_id = explain_paper(content, "2506.00003")
    assert (by_id.name, by_id.tags, by_id.added) == ("2506.00003", ("robots", "speech"), ("speech",))
    assert str(by_id.override) == f"{tmp_path / 'c' / 'tag-overrides.yml'}:1"
    assert explain_paper(content, "gripper TORQUE").name == "2506.00003"
    with pytest.raises(ContentError) as caught:
        explain_paper(content, "2401.99999")
    assert str(caught.value) == "2401.99999: no paper of the content has this arXiv id or title"


def test_cli_explain_prints_each_tag_and_why(tmp_path, capsys):
    root = write_content(tmp_path / "c", [TAUGHT, OTHER], three_topics())
    assert main(["explain", "2506.00003", "--content", str(root)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == ["2506.00003: Gripper torque", "tags: robots"]
    assert out[3].startswith("robots: tagged, probability 0.")
    assert out[4].startswith("  weighed most: gripper (+")
    assert out[5].startswith("  nearest examples: robots-")
    assert sum(line.endswith(("not tagged", "")) for line in out) >= 1
    assert main(["explain", "2401.99999", "--content", str(root)]) == 1
    assert (
        capsys.readouterr().err == "Error: 2401.99999: no paper of the content has this arXiv id or title\n"
    )


def test_training_on_several_processes_learns_the_same_weights(monkeypatch: pytest.MonkeyPatch):
    from generator import parallel

    monkeypatch.setattr(parallel, "cores", lambda: 1)
    inline = train(TAXONOMY, three_topics())
    monkeypatch.setattr(parallel, "cores", lambda: 3)
    monkeypatch.setattr(classifier, "TAGS_PER_TRAINER", 1)
    forked = train(TAXONOMY, three_topics())
    assert forked.weights.tobytes() == inline.weights.tobytes()
    assert forked.bias.tobytes() == inline.bias.tobytes()
    assert list(forked.learned) == [True, True, True]


TRAIN_AND_TAG = """
import hashlib, sys
from pathlib import Path
from generator import classifier, tagging
from generator.content import read_content

content = read_content(Path(sys.argv[1]))
taxonomy = content.taxonomy
phrases = tagging.build_tagger(taxonomy)
records = [r for digest in content.digests for r in digest.records]
examples = [
    classifier.Example(r.arxiv_id or r.title, r.title, r.abstract, r.ai_keywords,
                       phrases.tags_for(r.title, r.abstract, r.ai_keywords))
    for r in records
]
model = classifier.train(taxonomy, examples)
p = model.probabilities_of([(r.title, r.abstract, r.ai_keywords) for r in records])
print(hashlib.sha256(model.weights.tobytes() + p.tobytes()).hexdigest())
"""


def test_the_same_examples_give_the_same_numbers_whatever_the_hash_seed():
    """Python orders a set of strings by a hash seeded anew in each process: the build
    must not add a paper's terms up in that order, or a tag at its threshold could
    come and go between two builds of the same content."""
    import os
    import subprocess
    import sys

    fixtures = Path(__file__).parent / "fixtures" / "sample"
    runs = {
        subprocess.run(
            [sys.executable, "-c", TRAIN_AND_TAG, str(fixtures)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(runs) == 1
