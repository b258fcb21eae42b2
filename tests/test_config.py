"""mkdocs.yml, the one place a user configures the site: a mistake there is named with
its line, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from generator.config import load_settings
from generator.errors import ContentError
from tests.conftest import ROOT, make_content, write_config

SHIPPED = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")


def line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.lstrip().startswith(start))


def test_the_shipped_settings_load():
    settings = load_settings(ROOT / "mkdocs.yml")
    assert (settings.site_name, settings.tags_per_page, settings.feed_size) == ("Paper Archive", 100, 50)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "tags_per_page: 100",
            "tags_per_page: many",
            "extra.archive.tags_per_page must be a whole number of 1 or more, not 'many'",
        ),
        (
            "feed_size: 50",
            "feed_size: 0",
            "extra.archive.feed_size must be a whole number of 1 or more, not 0",
        ),
        (
            "feed_size: 50",
            "feed_size: 2.5",
            "extra.archive.feed_size must be a whole number of 1 or more, not 2.5",
        ),
        (
            "site_name: Paper Archive",
            'site_name: "Faces \\ud83d"',
            "site_name: half of a UTF-16 surrogate pair (a \\ud800-\\udfff escape) is not a character: remove it",
        ),
    ],
)
def test_a_bad_setting_is_named_with_its_line(tmp_path: Path, old: str, new: str, message: str):
    assert old in SHIPPED
    text = SHIPPED.replace(old, new)
    config = tmp_path / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as e:
        load_settings(config)
    assert str(e.value) == f"{config}:{line_of(text, new)}: {message}"


def test_settings_that_are_not_a_mapping_or_not_utf8_are_named(tmp_path: Path):
    config = tmp_path / "mkdocs.yml"
    config.write_text(SHIPPED.replace("\nextra:\n", "\nextra: [archive]\nunused:\n"), encoding="utf-8")
    with pytest.raises(ContentError, match=r"mkdocs\.yml:\d+: extra\.archive must be a mapping"):
        load_settings(config)
    config.write_bytes(SHIPPED.encode().replace(b"Paper Archive", b"Caf\xe9"))
    with pytest.raises(ContentError) as e:
        load_settings(config)
    assert (
        str(e.value)
        == f"{config}:{line_of(SHIPPED, 'site_name')}: not UTF-8 text (byte 0xe9): save the file as UTF-8"
    )


def test_the_build_stops_with_status_1_and_the_message(tmp_path: Path, capsys: pytest.CaptureFixture):
    config = write_config(tmp_path)
    config.write_text(
        config.read_text(encoding="utf-8").replace("feed_size: 50", "feed_size: -1"), encoding="utf-8"
    )
    content = make_content(tmp_path / "content")
    assert (
        main(
            [
                "build",
                "--content",
                str(content),
                "--config",
                str(config),
                "--site-dir",
                str(tmp_path / "site"),
            ]
        )
        == 1
    )
    assert "feed_size must be a whole number of 1 or more, not -1" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()
