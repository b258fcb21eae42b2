"""Property tests: readers never crash, rendering never lets input become markup.

The quick run is part of every test run; `-m fuzz` runs the whole pipeline for many more
examples, and `python bench/fuzz.py` the same targets for 100,000+.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from tests.fuzz_targets import (
    json_values,
    pipeline_inputs,
    pipeline_target,
    read_json_target,
    read_text_target,
    render_target,
    texts,
)

QUICK = settings(
    max_examples=int(__import__("os").environ.get("FUZZ_EXAMPLES", 200)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.mark.slow
@QUICK
@given(texts)
def test_text_reader_gives_records_or_located_errors(text: str):
    read_text_target(text)


@pytest.mark.slow
@QUICK
@given(json_values)
def test_json_reader_gives_records_or_located_errors(value):
    read_json_target(value)


@pytest.mark.slow
@QUICK
@given(texts, texts, texts)
def test_rendering_keeps_any_string_as_text(title: str, abstract: str, author: str):
    render_target(title, abstract, author)


def _pipeline(fields: dict[str, str], escaped: bool) -> None:
    pipeline_target(fields, escaped)


PIPELINE = settings(QUICK, max_examples=int(__import__("os").environ.get("FUZZ_PIPELINE_EXAMPLES", 25)))


@pytest.mark.slow
@PIPELINE
@given(*pipeline_inputs)
def test_troublesome_characters_in_every_field_give_located_errors_or_harmless_pages(fields, escaped):
    """Controls, format and bidi characters, separators, private use, surrogates and
    noncharacters in every field of both digest formats and the taxonomy, raw or escaped:
    no traceback, front matter MkDocs reads, no script, handler or javascript: link."""
    _pipeline(fields, escaped)


@pytest.mark.fuzz
@settings(QUICK, max_examples=1_000)
@given(*pipeline_inputs)
def test_troublesome_characters_in_every_field_at_length(fields, escaped):
    _pipeline(fields, escaped)
