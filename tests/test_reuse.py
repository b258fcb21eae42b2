"""Generation taken from the previous build (generator/reuse.py): the tagger is trained,
and a paper page rendered, only when something it is made from changed; and what is
taken gives the same bytes as a full build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator import classifier, reuse
from generator import content as reading
from generator.cli import main
from generator.render import Renderer
from tests.conftest import build_args, make_content, sample_digests, write_config
from tests.test_build import tree_digest

pytestmark = pytest.mark.slow


class Counts:
    """How often the real tagger was trained and paper pages rendered, build by build."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.trained: list[int] = []
        self.rendered: list[int] = []
        self.parsed: list[int] = []
        train, render, parse = classifier.train, Renderer.render, reading.parse_digest

        def counting_train(*args, **kwargs):  # type: ignore[no-untyped-def]
            self.trained[-1] += 1
            return train(*args, **kwargs)

        def counting_render(renderer, page):  # type: ignore[no-untyped-def]
            self.rendered[-1] += page.template == "paper.md.j2"
            return render(renderer, page)

        def counting_parse(*args, **kwargs):  # type: ignore[no-untyped-def]
            self.parsed[-1] += 1
            return parse(*args, **kwargs)

        monkeypatch.setattr(reading, "parse_digest", counting_parse)
        monkeypatch.setattr(classifier, "train", counting_train)
        monkeypatch.setattr(Renderer, "render", counting_render)

    def build(self, args: list[str]) -> None:
        self.trained.append(0)
        self.rendered.append(0)
        self.parsed.append(0)
        assert main(args) == 0


def _examples(content: Path) -> None:
    """A labelled example, so that the tagger learns from the file as well as the overrides."""
    line = {"title": "Diffusion for video", "abstract": "A video diffusion model.", "tags": ["diffusion"]}
    (content / "tag-examples.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")


def test_only_what_changed_is_made_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    digests = sorted(sample_digests())
    content = make_content(tmp_path / "content", digests[:-1])
    _examples(content)
    daily = build_args(content, write_config(tmp_path / "daily"), tmp_path / "daily" / "site")
    docs = tmp_path / "daily" / "docs"
    counts = Counts(monkeypatch)

    counts.build(daily)
    papers = counts.rendered[0]
    assert counts.trained == [1] and papers > 50
    assert counts.parsed[0] == len(digests) - 1
    counts.build(daily)  # nothing changed: nothing read again or trained, no paper page rendered
    assert counts.trained[-1] == 0 and counts.rendered[-1] == 0 and counts.parsed[-1] == 0

    shutil.copy(digests[-1], content / "digests" / digests[-1].name)  # one more day
    counts.build(daily)
    new = len(json.loads(digests[-1].read_text(encoding="utf-8")))
    assert counts.trained[-1] == 0  # the new papers need the model: taken from the state, not trained
    assert counts.parsed[-1] == 1
    assert new <= counts.rendered[-1] < papers / 2, counts.rendered

    page = next(docs.glob("papers/*.md"))  # a page spoilt in the docs folder is rendered again
    good = page.read_bytes()
    page.write_bytes(good + b"stale")
    counts.build(daily)
    assert counts.rendered[-1] == 1 and page.read_bytes() == good

    first = content / "digests" / digests[0].name  # a digest edited: read again, that paper rendered again
    first.write_text(
        first.read_text(encoding="utf-8").replace('"title": "', '"title": "Edited: ', 1), encoding="utf-8"
    )
    counts.build(daily)
    assert counts.parsed[-1] == 1 and 1 <= counts.rendered[-1] < 30, counts.rendered  # it, and where related

    _examples(content)  # the same examples: the same model
    counts.build(daily)
    assert counts.trained[-1] == 0
    examples = content / "tag-examples.jsonl"
    examples.write_text(examples.read_text(encoding="utf-8").replace("model.", "model!"), encoding="utf-8")
    counts.build(daily)
    assert counts.trained[-1] == 1  # an example edited: trained again

    full = [*build_args(content, write_config(tmp_path / "full"), tmp_path / "full" / "site"), "--full"]
    counts.build(full)
    assert counts.rendered[-1] == counts.rendered[0] + new
    assert tree_digest(tmp_path / "daily" / "site") == tree_digest(tmp_path / "full" / "site")
    markdown = {path: sha for path, sha in tree_digest(docs).items() if not path.startswith(".")}
    assert markdown == {
        path: sha for path, sha in tree_digest(tmp_path / "full" / "docs").items() if not path.startswith(".")
    }


def test_an_unreadable_state_is_a_full_build(tmp_path: Path) -> None:
    content = make_content(tmp_path / "content", sorted(sample_digests())[:2])
    args = build_args(content, write_config(tmp_path / "daily"), tmp_path / "daily" / "site")
    assert main(args) == 0
    before = tree_digest(tmp_path / "daily" / "site")
    state = tmp_path / "daily" / "docs" / reuse.STATE_FILE
    state.write_bytes(state.read_bytes()[:100])  # cut short, as by a full disk
    assert reuse.read_state(state.parent) is None
    assert main(args) == 0
    assert tree_digest(tmp_path / "daily" / "site") == before
    assert reuse.read_state(state.parent) is not None


def test_tags_given_in_forked_workers_are_remembered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The build tags its papers on every core; what the tagger gave must still reach the
    state in the build's own process, and the model be trained there once."""
    from generator import archive, build
    from generator.content import read_content
    from tests.test_parallel import _three_cores

    content = read_content(make_content(tmp_path / "content"))  # the sample: 147 papers
    inline, _lock = build.merge_content(content)
    _three_cores(monkeypatch)
    monkeypatch.setattr(archive, "PAPERS_PER_TAGGER", 20)
    monkeypatch.setattr(archive, "TAGGED_AT_ONCE", 10)  # 15 batches on 3 processes
    tagger = build.reusing_tagger(content, "a build key", None)
    forked, _lock = build.merge_content(content, tagger)
    assert forked == inline and tagger.model is not None
    texts = {reuse.text_key((p.title, p.abstract, p.ai_keywords)) for p in forked.papers}
    assert set(tagger.used) == texts
    state = reuse.State("a build key", tagger.key, tagger.model, tagger.used)
    again = build.reusing_tagger(content, "a build key", state)
    again.model = None  # nothing new to tag: no model needed, none trained
    again._train = lambda: pytest.fail("trained again")
    assert build.merge_content(content, again)[0] == inline
