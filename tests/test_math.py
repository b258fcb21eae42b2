"""Formulas vs dollar amounts, LaTeX leftovers, and the KaTeX files the site serves."""

from __future__ import annotations

import json
import re

import pytest

from generator.katex import KATEX_VERSION, katex_assets
from generator.mathtext import clean_latex, has_math, math_spans, plain_text, split_math
from generator.render import rich_text
from generator.text import clean_inline
from tests.conftest import require_shared_data


def formulas(text: str) -> list[str]:
    return [text[a:b] for a, b in math_spans(text)]


@pytest.mark.parametrize(
    "text",
    [
        # Dollar amounts from the shared data: never math.
        # 2502.12115
        "SWE-Lancer: Can Frontier LLMs Earn $1 Million from Real-World Freelance Software Engineering?",
        "ranging from $50 bug fixes to \\$32,000 feature implementations",  # 2502.12115
        "costs $5 per task and $10 per hour",
        "Fixing 7,400 Bugs for 1$: Cheap Crash-Site Program Repair",  # 2505.13103
        "a large-scale training set of 90$ synthetic data based on four diverse datasets",  # 2504.04974
        "We propose World Preference Modeling$ (WorldPM) to emphasize this scaling potential",  # 2505.10527
        "Open-Sora 2.0: Training a Commercial-Level Video Generation Model in $200k",  # 2503.09642
        "with a rental cost of just $534,700. We release two versions",  # 2506.13585
        "keeping the overhead reasonable, at 4$ per hour.",  # 2503.00714
        "costs less than \\$2,000 USD at today's prices",  # 2505.03005
        "between $1 and $2 per run",
        # A command that lost its backslash is not usable LaTeX: shown as written.
        "fine-tuning of $textbf{specialist} and textbf{generalist}$ models",  # 2410.04717
    ],
)
def test_dollar_amounts_are_text(text: str) -> None:
    assert formulas(text) == []
    assert not has_math(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("due to their \\( O(n^3) \\) time complexity", ["\\( O(n^3) \\)"]),  # 2410.10672
        ("By employing the \\( L_{1,2}-norm \\) to", ["\\( L_{1,2}-norm \\)"]),  # 2410.10672
        ("we use $L_2$ loss, $n$ samples, $O(n)$ time and $k$-NN", ["$L_2$", "$n$", "$O(n)$", "$k$"]),
        ("$\\alpha$-divergence and $$\\sum_i x_i$$", ["$\\alpha$", "$$\\sum_i x_i$$"]),
        ("costs $5 per run, and $x^2$ grows", ["$x^2$"]),
        ("a display \\[ E = mc^2 \\] here", ["\\[ E = mc^2 \\]"]),
    ],
)
def test_formulas_are_math(text: str, expected: list[str]) -> None:
    assert formulas(text) == expected


@pytest.mark.slow
def test_dollar_signs_in_the_shared_data_are_decided() -> None:
    """Every title and abstract of the shared data with a $ or \\(: only the real formulas are math."""
    math = {}
    for path in sorted(require_shared_data().glob("*.json")):
        for item in json.loads(path.read_text(encoding="utf-8")):
            for field in ("title", "summary"):
                text = clean_inline(item["paper"].get(field) or "")
                if has_math(text):
                    math[(item["paper"]["id"], field)] = formulas(text)
    # 2411.19477's formula lost its backslashes ("le (1 - p_{gen})^N + lceil log_2 N rceil"): text
    assert sorted(math) == [("2410.10672", "summary")]
    assert math[("2410.10672", "summary")] == ["\\( O(n^3) \\)", "\\( L_{1,2}-norm \\)", "\\( O(n^2) \\)"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the \\textsc{Bench} suite", "the Bench suite"),
        ("\\textbf{\\emph{nested}} styles", "nested styles"),
        ("code~\\url{https://github.com/CONE-MT/LLaMAX/.}", "code https://github.com/CONE-MT/LLaMAX/."),
        ("\\href{https://x.org/d}{the data}", "the data (https://x.org/d)"),
        ("50\\% at \\$32,000 \\& more", "50% at $32,000 & more"),
        ("plain text", "plain text"),
        # From the shared data:
        ("Spain's ``Bolet\\'{\\i}n Oficial''", "Spain's ``Boletín Oficial''"),  # 2509.24908
        (r"the Aya model (\"Ust\"un et al., 2024)", "the Aya model (Üstün et al., 2024)"),  # 2405.15032
        (r"na\"{\i}vely, Pok\'eChamp, Witold Ma\'nczak", "naïvely, PokéChamp, Witold Mańczak"),
        ("the point query\\'s content", "the point query's content"),  # 2407.16291: an apostrophe
        ("2.3\\times greater token efficiency", "2.3× greater token efficiency"),  # 2509.20317
        (
            "reference image, \\eg, changing (\\ie, MOFA), \\etc. in 360{\\deg} scenes",
            "reference image, e.g., changing (i.e., MOFA), etc. in 360° scenes",
        ),
        (
            "alignment {\\it vs.} rendering, {\\em and} follow, {\\Delta}G, A=B=C\\neq A",
            "alignment vs. rendering, and follow, ΔG, A=B=C≠ A",
        ),
        ("retaining \\textgreater 96\\% of it, 300\\,k entries", "retaining > 96% of it, 300 k entries"),
        ("leaderboard\\footnote{https://b.example/.} Our", "leaderboard (https://b.example/.) Our"),
        ("via texttt{D}ual-texttt{H}ead", "via Dual-Head"),  # 2505.07675: lost backslashes
        ("we propose \\method, a framework", "we propose \\method, a framework"),  # the authors' own macro
        (
            "e.g., ~100x speedup with 50% less",
            "e.g., ~100x speedup with 50% less",
        ),  # no backslash: as written
        (
            "a ~100x speedup at 54.6\\% cost",
            "a ~100x speedup at 54.6% cost",
        ),  # not a LaTeX space, not a comment
    ],
)
def test_clean_latex_shows_the_text_leftovers_stand_for(text: str, expected: str) -> None:
    assert clean_latex(text) == expected


# What LaTeX leaves in the shared data's text that clean_latex reads: none may remain.
_READ = frozenset(
    "' \" ` ^ ~ % & $ # _ { } , eg ie etc times neq deg Delta Theta sigma textbf textit emph "
    "textsc texttt url footnote it em color allowbreak textgreater LaTeX b".split()
)


@pytest.mark.slow
def test_no_latex_leftover_that_can_be_read_stays_in_the_shared_data() -> None:
    """Only the authors' own macros (\\ours, \\method) stay as written, and 2505.14464's
    ``\\href{URL{label}, URL{label}.}``, whose braces no longer tell the link from its text."""
    left = set()
    for path in sorted(require_shared_data().glob("*.json")):
        for item in json.loads(path.read_text(encoding="utf-8")):
            for field in ("title", "summary"):
                text = clean_inline(item["paper"].get(field) or "")
                shown = "".join(piece if math else clean_latex(piece) for math, piece in split_math(text))
                left.update(re.findall(r"\\([A-Za-z]+|[^A-Za-z\s\\(\[\])])", shown.replace("$", "")))
    assert not left & _READ, sorted(left & _READ)


def test_damaged_formula_is_plain_text_without_its_dollar_signs() -> None:
    """2411.19477: typeset, a formula that lost its backslashes was italic gibberish."""
    text = "decays: $P(final output is incorrect) le (1 - p_{gen})^N + lceil log_2 N rceil$. And $x^2$."
    assert formulas(text) == ["$x^2$"]
    assert str(rich_text(text)) == (
        "decays: P(final output is incorrect) le (1 - p_{gen})^N + lceil log_2 N rceil. "
        'And <span class="pa-math">$x^2$</span>.'
    )
    assert plain_text("fine-tuning of $textbf{specialist} and textbf{generalist}$ models") == (
        "fine-tuning of specialist and generalist models"
    )


def test_href_and_url_become_links_only_to_safe_http_urls() -> None:
    html = str(
        rich_text(
            "See \\href{https://x.org/a\\_b}{the project page} and~\\url{https://github.com/a/b}; "
            "\\href{javascript:alert(1)}{click} or \\url{ftp://example.org/f}."
        )
    )
    assert html == (
        'See <a href="https://x.org/a_b" rel="nofollow noopener">the project page</a> and '
        '<a href="https://github.com/a/b" rel="nofollow noopener">https://github.com/a/b</a>; '
        "click or ftp://example.org/f."
    )


def test_plain_text_cleans_outside_math_only() -> None:
    assert plain_text("\\textbf{Fast} $\\textbf{x}$ for \\$5") == "Fast $\\textbf{x}$ for $5"


def test_rich_text_marks_formulas_escapes_and_links_the_rest() -> None:
    html = str(
        rich_text("<b> $a<b$ \\textsc{X} costs $5, see https://github.com/a/b{https://github.com/a/b}.")
    )
    assert html == (
        '&lt;b&gt; <span class="pa-math">$a&lt;b$</span> X costs $5, see '
        '<a href="https://github.com/a/b" rel="nofollow noopener">https://github.com/a/b</a>.'
    )


def test_katex_assets_are_the_pinned_release_js_css_and_woff2_fonts_only(tmp_path) -> None:
    files = katex_assets()
    assert f'version:"{KATEX_VERSION}"'.encode() in files["assets/katex/katex.min.js"]
    css = files["assets/katex/katex.min.css"].decode()
    fonts = {p for p in files if p.startswith("assets/katex/fonts/")}
    assert len(fonts) == 20 and all(p.endswith(".woff2") for p in fonts)
    assert ".woff)" not in css and ".ttf)" not in css and "//" not in css
    for font in fonts:
        assert f"url({font.removeprefix('assets/katex/')})" in css
    assert set(files) == fonts | {
        "assets/katex/katex.min.js",
        "assets/katex/katex.min.css",
        "assets/katex/LICENSE",
    }
