"""mkdocs.yml, the one place a user configures the site: a mistake there is named with
its line, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.cli import main
from generator.config import load_settings, parse_site_url
from generator.errors import ContentErrors
from generator.text import encodable
from tests.conftest import ROOT, build_args, make_content, write_config

SHIPPED = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")


def line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.lstrip().startswith(start))


def errors_of(config: Path, **options: str) -> list[str]:
    with pytest.raises(ContentErrors) as e:
        load_settings(config, **options)  # type: ignore[arg-type]
    return [str(error) for error in e.value.errors]


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
    assert errors_of(config) == [f"{config}:{line_of(text, new)}: {message}"]


def test_settings_that_are_not_a_mapping_or_not_utf8_are_named(tmp_path: Path):
    config = tmp_path / "mkdocs.yml"
    config.write_text(SHIPPED.replace("\nextra:\n", "\nextra: [archive]\nunused:\n"), encoding="utf-8")
    [error] = errors_of(config)
    assert error.startswith(f"{config}:") and ": extra.archive must be a mapping" in error
    config.write_bytes(SHIPPED.encode().replace(b"Paper Archive", b"Caf\xe9"))
    assert errors_of(config) == [
        f"{config}:{line_of(SHIPPED, 'site_name')}: not UTF-8 text (byte 0xe9): save the file as UTF-8"
    ]


def test_the_build_stops_with_status_1_and_the_message(tmp_path: Path, capsys: pytest.CaptureFixture):
    config = write_config(tmp_path)
    config.write_text(
        config.read_text(encoding="utf-8").replace("feed_size: 50", "feed_size: -1"), encoding="utf-8"
    )
    content = make_content(tmp_path / "content")
    assert main(build_args(content, config, tmp_path / "site")) == 1
    assert "feed_size must be a whole number of 1 or more, not -1" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()


def expected_site_url(value: object) -> str | None:
    """What MkDocs itself makes of ``site_url: value``, the URL it builds with, or None
    when it refuses the value, crashes on it (as on ``http://[::1``), cannot write it to
    a page (half a surrogate pair) or takes a scheme other than http(s)."""
    from mkdocs.config.base import ValidationError
    from mkdocs.config.config_options import URL

    if isinstance(value, str) and not encodable(value):
        return None
    try:
        url = URL(is_dir=True).validate(value)
    except (ValidationError, ValueError):
        return None
    return url if url == "" or url.startswith(("http://", "https://")) else None


SITE_URLS = [
    "",
    "https://user.github.io/repo/",
    "https://user.github.io/repo",
    "http://127.0.0.1:8000/",
    "HTTPS://Example.ORG",
    "  https://x.org/a b",
    "https://x.org/?",
    "https://x.org/path?q=1#top",
    "http://@/",
    "https://x.org/caf\u00e9/",
    "notaurl",
    "ftp://x/",
    "mailto:me@example.org",
    "file:///home/me/site/",
    "//x.org/",
    "http:///x",
    "https:",
    "http://[::1",
    "https://x\uff03y/",
    "/repo/",
    123,
    True,
    ["https://x.org/"],
]


@pytest.mark.parametrize("value", SITE_URLS, ids=[repr(v) for v in SITE_URLS])
def test_parse_site_url_refuses_what_mkdocs_refuses_and_every_scheme_but_http(value: object):
    expected = expected_site_url(value)
    try:
        assert parse_site_url(value) == expected
    except ValueError as e:
        assert expected is None
        assert str(e) == f"{value!r} is not an http(s) URL such as https://user.github.io/repo/"


@given(st.text() | st.from_regex(r"\A(https?|ftp|HTTP)://[^/?#]*(/.*)?\Z"))
def test_parse_site_url_agrees_with_mkdocs_on_any_text(value: str):
    expected = expected_site_url(value)
    try:
        assert parse_site_url(value) == expected
    except ValueError:
        assert expected is None


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("notaurl", "'notaurl'"),
        ("ftp://x/", "'ftp://x/'"),
        ('"http://[::1"', "'http://[::1'"),
        ("123", "123"),
    ],
)
def test_a_bad_site_url_in_mkdocs_yml_is_named_with_its_line(tmp_path: Path, value: str, shown: str):
    old = "site_url: https://example.github.io/paper-archive/"
    assert old in SHIPPED
    text = SHIPPED.replace(old, f"site_url: {value}")
    config = tmp_path / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    assert errors_of(config) == [
        f"{config}:{line_of(text, 'site_url:')}: site_url: {shown} is not an http(s) URL "
        "such as https://user.github.io/repo/"
    ]
    # --site-url replaces the file's value, which MkDocs then never reads either
    assert (
        load_settings(config, site_url="https://me.github.io/papers").site_url
        == "https://me.github.io/papers/"
    )


def test_a_bad_site_url_option_is_named_as_the_option():
    assert errors_of(ROOT / "mkdocs.yml", site_url="notaurl") == [
        "--site-url: 'notaurl' is not an http(s) URL such as https://user.github.io/repo/"
    ]
    assert errors_of(ROOT / "mkdocs.yml", site_url="https://x/\udcff/") == [  # byte 0xff, via surrogateescape
        "--site-url: not UTF-8 text (byte 0xff): type it in UTF-8, or percent-encode the byte as %FF"
    ]


def test_settings_folders_are_absolute_from_the_working_directory(tmp_path: Path, monkeypatch):
    (tmp_path / "proj").mkdir()
    (tmp_path / "proj" / "mkdocs.yml").write_text(SHIPPED, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    settings = load_settings(Path("..") / tmp_path.name / "proj" / "mkdocs.yml", site_dir=Path("out"))
    # MkDocs reads a relative docs_dir from the config's folder, so a relative one
    # handed to it would be joined to that folder a second time
    assert settings.docs_dir == tmp_path / "proj" / "build" / "docs"
    assert settings.site_dir == tmp_path / "out"


def test_every_bad_setting_is_named_in_one_run(tmp_path: Path):
    text = (
        SHIPPED.replace("site_url: https://example.github.io/paper-archive/", "site_url: ftp://x")
        .replace("tags_per_page: 100", "tags_per_page: 0")
        .replace("feed_size: 50", 'feed_size: "many"')
    )
    config = tmp_path / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    assert errors_of(config) == [
        f"{config}:{line_of(text, 'site_url:')}: site_url: 'ftp://x' is not an http(s) URL such as "
        "https://user.github.io/repo/",
        f"{config}:{line_of(text, 'tags_per_page:')}: extra.archive.tags_per_page must be a whole number "
        "of 1 or more, not 0",
        f"{config}:{line_of(text, 'feed_size:')}: extra.archive.feed_size must be a whole number of 1 or "
        "more, not 'many'",
    ]


def test_an_unknown_archive_key_is_named_with_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture):
    text = SHIPPED.replace("tags_per_page: 100", "tags_per_pge: 20")
    config = tmp_path / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    settings = load_settings(config)
    assert settings.tags_per_page == 100  # the default: the misspelt key sets nothing
    assert [str(w) for w in settings.warnings] == [
        f"{config}:{line_of(text, 'tags_per_pge:')}: unknown key 'tags_per_pge' in extra.archive "
        "(did you mean 'tags_per_page'?): it is ignored; the keys are tags_per_page, feed_size, author_pages_from"
    ]
    config.write_text(SHIPPED.replace("feed_size: 50", "colour: blue"), encoding="utf-8")
    assert [w.message for w in load_settings(config).warnings] == [
        "unknown key 'colour' in extra.archive: it is ignored; the keys are tags_per_page, feed_size, author_pages_from"
    ]


def test_the_build_prints_the_warning_before_its_errors(tmp_path: Path, capsys: pytest.CaptureFixture):
    config = write_config(tmp_path)
    text = config.read_text(encoding="utf-8").replace("feed_size: 50", "feed_sise: 5")
    config.write_text(text, encoding="utf-8")
    content = tmp_path / "content"  # no digests folder: the build stops before rendering
    content.mkdir()
    assert main(build_args(content, config, tmp_path / "site")) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (
        f"Warning: {config}:{line_of(text, 'feed_sise:')}: unknown key 'feed_sise' in extra.archive "
        "(did you mean 'feed_size'?): it is ignored; the keys are tags_per_page, feed_size, author_pages_from"
    )
    assert err[1].startswith("Error: ")


def test_yaml_aliases_in_mkdocs_yml_are_refused_where_we_read_it(tmp_path: Path):
    """Our own reading of mkdocs.yml takes no alias, so it never walks a cycle or a
    billion laughs (MkDocs reads the file with its own loader, after ours)."""
    config = tmp_path / "mkdocs.yml"
    text = SHIPPED.replace("site_name: Paper Archive", "site_name: &name Paper Archive") + "copy: *name\n"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(ContentErrors) as e:
        load_settings(config)
    assert str(e.value) == (
        f"{config}:{line_of(text, 'copy:')}: YAML aliases are not allowed here: write out the value instead of *name"
    )
