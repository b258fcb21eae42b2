"""The MkDocs hooks: one build's state and the icon sprite. (That the shared layouts give
the bytes of a full render is tested by building a site both ways, in test_build; a
page the minify workers cannot write, in test_minify.)"""

from __future__ import annotations

import jinja2
import pytest

from generator import mkdocs_hooks
from generator.mkdocs_hooks import ArchiveHooks, icon_sprite


def test_each_build_starts_from_a_state_of_its_own(monkeypatch: pytest.MonkeyPatch):
    hooks = ArchiveHooks()
    hooks.on_pre_build(config=None)  # type: ignore[arg-type]
    env = jinja2.Environment()
    hooks.on_env(env, config=None, files=None)  # type: ignore[arg-type]
    assert str(env.globals["pa_icon"]("material/magnify", "../assets/icons.svg")) == (
        '<svg><use href="../assets/icons.svg#material-magnify"></use></svg>'
    )
    first = hooks.build
    assert first.icons == {"material-magnify": "material/magnify"} and first.env is env
    monkeypatch.setenv("PAPER_ARCHIVE_FULL_RENDER", "1")
    hooks.on_pre_build(config=None)  # type: ignore[arg-type]
    assert hooks.build is not first
    assert (hooks.build.icons, hooks.build.layouts, hooks.build.env, hooks.build.full_render) == (
        {},
        {},
        None,
        True,
    )


def test_mkdocs_finds_the_hooks_as_functions_of_the_module():
    for event in ("pre_build", "files", "env", "build_error", "post_page", "post_build"):
        assert getattr(mkdocs_hooks, f"on_{event}").__self__ is mkdocs_hooks._hooks
    for event in ("page_markdown", "post_template"):
        assert callable(getattr(mkdocs_hooks, f"on_{event}"))


def test_the_icon_sprite_holds_each_icon_once_as_a_symbol():
    sources = {
        "material-magnify": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M9.5 3"/></svg>\n',
        "fontawesome-brands-github": '<svg viewBox="0 0 496 512"><path d="M165.9"/></svg>',
    }
    assert icon_sprite(sources) == (
        '<svg xmlns="http://www.w3.org/2000/svg">'
        '<symbol id="fontawesome-brands-github" viewBox="0 0 496 512"><path d="M165.9"/></symbol>'
        '<symbol id="material-magnify" viewBox="0 0 24 24"><path d="M9.5 3"/></symbol></svg>\n'
    )
    with pytest.raises(ValueError, match="icon x: not a single <svg> with a viewBox"):
        icon_sprite({"x": "<svg><path/></svg>"})
