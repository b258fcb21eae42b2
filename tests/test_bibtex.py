"""BibTeX: escaping, entries in arXiv's style, archive-wide unique keys, .bib files per tag and day."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.archive import build_archive
from generator.bibtex import (
    MATH_COMMANDS,
    Bibliography,
    base_key,
    bibtex_text,
    escape_latex,
    render_bib_files,
    render_entry,
)
from generator.config import Settings
from generator.model import Tag
from tests.helpers import digest, record

SETTINGS = Settings(
    Path("mkdocs.yml"), "Test Archive", "https://example.org/pa/", None, "", Path("d"), Path("s")
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("R&D: 50% of #1 a_b", r"R\&D: 50\% of \#1 a\_b"),
        (
            "{braces} and \\ backslash",
            r"\textbraceleft{}braces\textbraceright{} and \textbackslash{} backslash",
        ),
        ("~x^y $5", r"\textasciitilde{}x\textasciicircum{}y \$5"),
        ("Zürich — café", "Zürich — café"),
    ],
)
def test_escape_latex_escapes_every_special_character(text: str, expected: str) -> None:
    assert escape_latex(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Can Frontier LLMs Earn $1 Million", r"Can Frontier LLMs Earn \$1 Million"),
        ("Scaling $L_2$ & \\textsc{Bench}", r"Scaling $L_2$ \& Bench"),
        ("time \\( O(n^3) \\)", "time $O(n^3)$"),
        ("at \\$32,000", r"at \$32,000"),
    ],
)
def test_bibtex_text_keeps_formulas_and_escapes_the_rest(text: str, expected: str) -> None:
    assert bibtex_text(text) == expected


def test_entry_has_arxiv_fields_and_escaped_values() -> None:
    archive, _ = build_archive(
        [
            digest(
                "2025-02-18",
                record(
                    "SWE-Lancer: Can Frontier LLMs Earn $1 Million from {Real-World} Work?",
                    "A.",
                    "2502.12115",
                    authors=("Samuel Miserendino", "Michele Wang", "Tejal Patwardhan"),
                ),
            )
        ],
        {},
    )
    paper = archive.papers[0]
    assert render_entry(paper, base_key(paper)) == (
        "@misc{miserendino2025swelancer,\n"
        "  title = {{SWE-Lancer: Can Frontier LLMs Earn \\$1 Million from "
        "\\textbraceleft{}Real-World\\textbraceright{} Work?}},\n"
        "  author = {Samuel Miserendino and Michele Wang and Tejal Patwardhan},\n"
        "  year = {2025},\n"
        "  eprint = {2502.12115},\n"
        "  archivePrefix = {arXiv},\n"
        "  url = {https://arxiv.org/abs/2502.12115}\n"
        "}\n"
    )


def test_entry_without_authors_has_no_author_field() -> None:
    archive, _ = build_archive([digest("2025-07-29", record("The Ünicode Model", "A.", "2507.00001"))], {})
    entry = Bibliography(archive).entry(archive.papers[0])
    assert entry.startswith("@misc{anon2025unicode,\n") and "author" not in entry


def test_no_entry_without_an_arxiv_id() -> None:
    archive, _ = build_archive([digest("2025-07-29", record("A Paper Without Id", "A."))], {})
    assert Bibliography(archive).entry(archive.papers[0]) == ""


def test_keys_are_unique_and_the_earlier_paper_keeps_the_plain_key() -> None:
    first = record("Scaling Laws Again", "A.", "2501.00002", authors=("Ann Lee",))
    second = record("Scaling Laws Revisited", "B.", "2501.00001", authors=("Bo Lee",))
    third = record("Scaling Everything", "C.", "2501.00003", authors=("Cy Lee",))
    archive, _ = build_archive([digest("2025-01-02", first), digest("2025-01-03", second, third)], {})
    keys = Bibliography(archive).keys
    by_id = {p.arxiv_id: keys[p.uri] for p in archive.papers}
    assert by_id == {
        "2501.00002": "lee2025scaling",
        "2501.00001": "lee2025scalinga",
        "2501.00003": "lee2025scalingb",
    }


def test_bib_files_per_tag_and_day_hold_the_papers_with_an_arxiv_id() -> None:
    tag = Tag("diffusion", "Diffusion", "Diffusion models")
    with_id = record("Diffusion Now", "A.", "2501.00001", authors=("Ann Lee",))
    without = record("Diffusion Later", "B.")
    archive, _ = build_archive(
        [digest("2025-01-02", with_id, without)], {}, [tag], lambda papers: [("diffusion",)] * len(papers)
    )
    files = render_bib_files(archive, SETTINGS)
    assert sorted(files) == ["archive/2025/01/02/papers.bib", "tags/diffusion/papers.bib"]
    for text in files.values():
        assert text.count("@misc{") == 1 and "lee2025diffusion" in text
        assert text.startswith("% Papers ")
    assert date(2025, 1, 2).isoformat() in files["archive/2025/01/02/papers.bib"]


def test_author_holding_the_word_and_is_braced_so_bibtex_keeps_it_one_name() -> None:
    # Real data, 2410.13925: the API lists "and Lei Bai" as the last author.
    authors = ("Wanli Ouyang", "and Lei Bai", "Sandy Anderson", "Ann AND Bo")
    archive, _ = build_archive(
        [digest("2024-10-18", record("Neural Nets", "A.", "2410.13925", authors=authors))], {}
    )
    entry = Bibliography(archive).entry(archive.papers[0])
    assert "  author = {Wanli Ouyang and {and Lei Bai} and Sandy Anderson and {Ann AND Bo}},\n" in entry


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (r"$\input{/etc/passwd}$", r"\$\textbackslash{}input\textbraceleft{}/etc/passwd\textbraceright{}\$"),
        (r"$\end{document}$", r"\$\textbackslash{}end\textbraceleft{}document\textbraceright{}\$"),
        (r"$\openout1=x$", r"\$\textbackslash{}openout1=x\$"),
        (r"$\def\x{y}$", r"\$\textbackslash{}def\textbackslash{}x\textbraceleft{}y\textbraceright{}\$"),
        (r"$\csname input\endcsname$", r"\$\textbackslash{}csname input\textbackslash{}endcsname\$"),
        (
            r"$\text{\input{x}}$",
            r"\$\textbackslash{}text\textbraceleft{}\textbackslash{}input\textbraceleft{}x\textbraceright{}\textbraceright{}\$",
        ),
        (
            r"$x^^5cinput{a}$",
            r"\$x\textasciicircum{}\textasciicircum{}5cinput\textbraceleft{}a\textbraceright{}\$",
        ),
        (r"$a_1 % b$", r"\$a\_1 \% b\$"),
        (r"$\{ x_1$", r"\$\textbackslash{}\textbraceleft{} x\_1\$"),  # BibTeX counts the \{
        (r"$x}$", r"\$x\textbraceright{}\$"),
        ("a { b", r"a \textbraceleft{} b"),
    ],
)
def test_bibtex_text_writes_formulas_that_do_more_than_typeset_as_text(text: str, expected: str) -> None:
    assert bibtex_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (r"$\alpha + \frac{1}{2}$", r"$\alpha + \frac{1}{2}$"),
        (r"over $\mathbb{R}^n$", r"over $\mathbb{R}^n$"),
        (r"time \( \sqrt{x} \cdot \log n \)", r"time $\sqrt{x} \cdot \log n$"),
        (r"$$\sum_{i} x_i \leq \{a, b\}$$", r"$\sum_{i} x_i \leq \{a, b\}$"),
    ],
)
def test_bibtex_text_keeps_formulas_that_only_typeset(text: str, expected: str) -> None:
    assert bibtex_text(text) == expected


_TEXT_ESCAPES = {"textbackslash", "textbraceleft", "textbraceright", "textasciitilde", "textasciicircum"}
_PIECES = st.sampled_from(
    [
        "$",
        "$$",
        "\\(",
        "\\)",
        "\\",
        "{",
        "}",
        "\\{",
        "\\}",
        "^^",
        "%",
        "#",
        "&",
        "_",
        "~",
        "\\input",
        "\\write18",
        "\\def",
        "\\end",
        "\\catcode",
        "\\alpha",
        "\\frac",
        "x",
        " ",
        "1",
        "and",
    ]
)


@pytest.mark.slow
@given(st.lists(_PIECES | st.text(max_size=3), max_size=20).map("".join))
def test_bibtex_text_is_brace_balanced_and_only_typesets(text: str) -> None:
    out = bibtex_text(text)
    depth = 0
    for char in out:  # as BibTeX counts: escaped braces too
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0, out
    assert depth == 0, out
    commands = set(re.findall(r"\\([A-Za-z]+|.)", out, re.DOTALL))
    assert commands <= MATH_COMMANDS | _TEXT_ESCAPES, out
    assert "^^" not in out
