"""Property tests: readers never crash, rendering never lets input become markup.

The quick run is part of every test run; `python bench/fuzz.py` runs the same
targets for 100,000+ examples.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from tests.fuzz_targets import json_values, read_json_target, read_text_target, render_target, texts

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
