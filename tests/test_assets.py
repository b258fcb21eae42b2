"""The static assets: one minified site.js, the shared script first, and scripts that the
minifier keeps as they mean."""

from __future__ import annotations

import re

import pytest
import rjsmin

from generator.build import ASSETS_DIR, SHARED_SCRIPT, static_assets

SCRIPTS = sorted(path.name for path in ASSETS_DIR.glob("*.js"))


def nested_templates(js: str) -> list[int]:
    """Line numbers of template literals opened inside another's ``${...}``: rjsmin, which
    minifies site.js, keeps only unnested ones intact (its documentation says so; it
    squeezed the spaces out of a nested one). A small scanner for our own scripts:
    strings, comments, regular expressions (after a character that cannot end a value)
    and templates, with the brace depth of each ``${...}``."""
    found, stack = [], []  # stack: per open template, None in its text, else the brace depth in ${}
    i, last = 0, ""  # ``last``: the last character of code before i, white space skipped
    while i < len(js):
        c = js[i]
        if stack and stack[-1] is None:  # in a template's text
            if c == "\\":
                i += 2
                continue
            if c == "`":
                stack.pop()
                last = "`"
            elif js.startswith("${", i):
                stack[-1] = 0
                i += 1
            i += 1
            continue
        if js.startswith("//", i):
            i = js.find("\n", i) if "\n" in js[i:] else len(js)
        elif js.startswith("/*", i):
            i = js.index("*/", i) + 1
        elif c in "'\"":
            i = re.compile(rf"{c}(?:\\.|[^\\{c}])*{c}").match(js, i).end() - 1
            last = c
        elif c == "/" and (not last or last in "(,=:[!&|?{};+-*%<>~^" or js[:i].rstrip().endswith("return")):
            i = re.compile(r"/(?:\\.|\[(?:\\.|[^\]\\])*\]|[^/\\\[])+/[a-z]*").match(js, i).end() - 1
            last = "/"
        elif c == "`":
            if stack:
                found.append(js.count("\n", 0, i) + 1)
            stack.append(None)
        elif c == "{" and stack:
            stack[-1] += 1
        elif c == "}" and stack:
            if stack[-1] == 0:
                stack[-1] = None  # back in the template's text
            else:
                stack[-1] -= 1
        if not c.isspace():
            last = last if c in "'\"/" else c
        i += 1
    return found


def test_nested_templates_are_found() -> None:
    assert nested_templates("const a = `x${[1].map((n) => `  ${n} = {${n}}`)}`;\n") == [1]
    assert nested_templates('const a = `x${"`"}`; // `\nconst r = /`/g;\nconst b = `${{ a: 1 }.a}`;') == []


@pytest.mark.parametrize("name", SCRIPTS)
def test_scripts_have_no_nested_template_literals(name: str) -> None:
    assert nested_templates((ASSETS_DIR / name).read_text(encoding="utf-8")) == [], (
        f"{name}: a template literal inside another's ${{...}}: rjsmin would squeeze it; "
        "build the inner string in a variable first"
    )


def test_site_js_is_every_script_minified_the_shared_one_first() -> None:
    bundle = static_assets()["assets/site.js"].decode()
    names = re.findall(r"^/\* (\S+\.js) \*/$", bundle, flags=re.M)
    assert names[0] == SHARED_SCRIPT and sorted(names) == SCRIPTS
    for name, part in zip(names, re.split(r"^/\* \S+\.js \*/\n", bundle, flags=re.M)[1:], strict=True):
        source = (ASSETS_DIR / name).read_text(encoding="utf-8")
        assert part.rstrip("\n") == rjsmin.jsmin(source)
        assert len(part) < 0.8 * len(source)
    assert bundle.count("/*") == len(names)  # no comment left but the names
