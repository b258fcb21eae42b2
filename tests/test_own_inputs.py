"""Tests own their inputs: none reads the live content/ folder, which grows with every
published day (a test asserting its numbers would stop the publish job at the first new
digest). They build from tests/fixtures/sample/ or from the shared data copied to a
temporary folder."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import SAMPLE

TESTS = Path(__file__).resolve().parent
# The checkout's root joined with "content", however the test names the root.
LIVE_CONTENT = re.compile(r"""(?:ROOT|REPO|HERE\.parent|parents\[1\])\s*/\s*["']content["']""")


def references(text: str) -> list[str]:
    return [m.group(0) for m in LIVE_CONTENT.finditer(text)]


def test_references_finds_the_ways_tests_named_the_live_folder():
    assert references('ROOT / "content" / "digests"') == ['ROOT / "content"']
    assert references("REPO / 'content'") == ["REPO / 'content'"]
    assert references('tmp_path / "content"') == []
    assert references('make_content(work / "content")') == []


def test_no_test_module_reads_the_live_content_folder():
    found = {
        path.relative_to(TESTS).as_posix(): hits
        for path in sorted(TESTS.rglob("*.py"))
        if path.name != Path(__file__).name and (hits := references(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_the_sample_holds_what_the_build_reads():
    assert (SAMPLE / "taxonomy.yml").is_file() and (SAMPLE / "tag-overrides.yml").is_file()
    assert len(list((SAMPLE / "digests").iterdir())) == 8
