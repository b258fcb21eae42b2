"""Math and LaTeX leftovers in titles and abstracts.

Pure functions over strings. ``math_spans`` decides which ``$...$``, ``$$...$$``,
``\\(...\\)`` and ``\\[...\\]`` are formulas, so that the browser typesets only
those (with KaTeX, served by the site): in the digests most dollar signs are
money ("Earn $1 Million", "$5 per task and $10 per hour", ``\\$32,000``), and some
formulas lost their backslashes on the way ("$P(final output is incorrect) le (1 -
p_{gen})^N + lceil log_2 N rceil$"): typeset, those are italic gibberish, so they are
shown as the plain text they are, without their dollar signs.

``latex_pieces`` turns what LaTeX left outside math into the text it stands for, and
``\\href{url}{text}`` and ``\\url{url}`` into links: accents (``Bolet\\'{\\i}n`` ->
Boletín), symbols (``\\times`` -> ×), styles (``\\textsc{X}``, ``{\\it vs.}``), escapes
(``\\%``) and the usual abbreviations (``\\eg``). pylatexenc, a maintained LaTeX parser,
knows what each of LaTeX's accents and symbols stands for; it is given each LaTeX
construct on its own, never a whole abstract, where a bare ``%`` would start a comment
and a ``~`` ("~100x faster") would become a non-breaking space. A macro it does not know
(an author's ``\\ours``) is shown as written.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

_LATEX_CHARS = re.compile(r"[\\^_{}]")
# A command that lost its backslash (``textbf{x}``): the text isn't usable LaTeX.
_BROKEN_COMMAND = re.compile(r"(?<![\\a-zA-Z])(?:text[a-z]*|emph|mathbf|mathrm|url|href)\{")
# Short formulas without LaTeX characters: $n$, $k$-NN, $O(n)$, $n+1$, $x'$.
_PLAIN_FORMULA = re.compile(
    r"[A-Za-z][A-Za-z0-9]{0,2}'*(\s*[-+*/=<>]\s*[A-Za-z0-9]+)*|[A-Za-z]\([A-Za-z0-9+\-*/ ]{1,12}\)"
)
_MAX_INLINE = 300

# Command names that lost their backslash ("le (1 - p_{gen})^N + lceil log_2 N rceil"),
# and runs of words that lost their \text{} ("P(final output is incorrect)").
_LOST_COMMAND = re.compile(
    r"(?<![\\A-Za-z])(?:le|ge|leq|geq|neq|lceil|rceil|lfloor|rfloor|frac|cdot|cdots|ldots|dots|times|infty"
    r"|approx|sqrt|mathcal|mathbb|mathbf|mathrm|alpha|beta|gamma|delta|epsilon|lambda|sigma|theta|omega"
    r"|rightarrow|leftarrow|mapsto)(?![A-Za-z])"
)
_WORDS = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{3,}(?: [A-Za-z]{2,}){2,}")
_TEXT_GROUP = re.compile(r"\\(?:text\w*|mathrm|operatorname|mbox)\s*\{[^{}]*\}")


def _damaged(inner: str) -> bool:
    """A formula that lost backslashes on the way: not LaTeX any more, nor repairable."""
    if _BROKEN_COMMAND.search(inner):
        return True
    bare = _TEXT_GROUP.sub(" ", inner)
    return bool(_LOST_COMMAND.search(bare) or _WORDS.search(bare))


def _looks_like_math(inner: str) -> bool:
    if not inner.strip() or len(inner) > _MAX_INLINE:
        return False
    if _LATEX_CHARS.search(inner):
        return True
    return not inner[0].isdigit() and _PLAIN_FORMULA.fullmatch(inner.strip()) is not None


def _closing_dollar(text: str, start: int, double: bool) -> int:
    """Index of the ``$`` (or ``$$``) closing a formula opened just before ``start``; -1 if none."""
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == "$":
            if double:
                return i if text.startswith("$$", i) else -1
            return i
        i += 1
    return -1


_DELIMITER_START = re.compile(r"[\\$]")


def _formulas(text: str) -> list[tuple[int, int, int, int, bool]]:
    """``(start, end, body start, body end, typeset)`` of each formula, in order; a damaged
    one (``_damaged``) is not typeset."""
    spans: list[tuple[int, int, int, int, bool]] = []
    i = 0
    while True:
        # Jump to the next backslash or dollar: most abstracts have none, and a
        # character-by-character loop over every abstract was a large part of a build.
        candidate = _DELIMITER_START.search(text, i)
        if candidate is None:
            return spans
        i = candidate.start()
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            closing = {"(": "\\)", "[": "\\]"}.get(text[i + 1])
            end = text.find(closing, i + 2) if closing else -1
            if closing and end != -1 and text[i + 2 : end].strip():
                spans.append((i, end + 2, i + 2, end, not _damaged(text[i + 2 : end])))
                i = end + 2
            else:
                i += 2  # an escaped character, \$ included, is never a delimiter
            continue
        if char == "$":
            double = text.startswith("$$", i)
            body = i + (2 if double else 1)
            end = _closing_dollar(text, body, double)
            inner = text[body:end] if end != -1 else ""
            # Money: "$5 per task and $10": the next $ follows a space or precedes a digit.
            if (
                end != -1
                and not inner[:1].isspace()
                and not inner[-1:].isspace()
                and not text[end + (2 if double else 1) : end + (3 if double else 2)].isdigit()
                and _looks_like_math(inner)
            ):
                stop = end + (2 if double else 1)
                spans.append((i, stop, body, end, not _damaged(inner)))
                i = stop
                continue
            i = body
            continue
        i += 1


def math_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each formula to typeset, delimiters included, in order."""
    return [(start, end) for start, end, _, _, typeset in _formulas(text) if typeset]


def has_math(text: str) -> bool:
    return bool(math_spans(text))


def split_math(text: str) -> list[tuple[bool, str]]:
    """Text cut into ``(is_math, piece)`` pieces, in order: formulas with their delimiters,
    and the text between; a damaged formula is text, without its delimiters."""
    pieces: list[tuple[bool, str]] = []
    last = 0
    for start, end, body_start, body_end, typeset in _formulas(text):
        if start > last:
            pieces.append((False, text[last:start]))
        pieces.append((True, text[start:end]) if typeset else (False, text[body_start:body_end]))
        last = end
    if last < len(text):
        pieces.append((False, text[last:]))
    return pieces


def _latex_context() -> Any:
    """pylatexenc's text rules, with ours first (see the module docstring)."""
    context = get_default_latex_context_db()
    context.add_context_category(
        "paper-archive",
        prepend=True,
        macros=[
            *(MacroTextSpec(name, simplify_repl=text) for name, text in _ABBREVIATIONS.items()),
            *(MacroTextSpec(name, discard=True) for name in _SWITCHES),
            MacroTextSpec("b", simplify_repl="%(1)s"),  # authors mean bold, not LaTeX's bar-under accent
            MacroTextSpec("footnote", simplify_repl=" (%(2)s)"),
        ],
    )
    # An author's own macro (\ours, \method) names their system, which no one can tell: as written.
    context.set_unknown_macro_spec(MacroTextSpec("", simplify_repl=lambda node, *_: node.latex_verbatim()))
    return context


# Commands that change how text looks, not what it says ({\it vs.}, \color{red}).
_SWITCHES = (
    "it em bf sc tt rm sl sf up md itshape bfseries scshape ttfamily rmfamily sffamily upshape mdseries "
    "normalfont small large Large tiny footnotesize scriptsize normalsize huge Huge color"
).split()
_ABBREVIATIONS = {
    "deg": "°",
    "LaTeX": "LaTeX",
    "TeX": "TeX",
    "textgreater": ">",
    "textless": "<",
    "allowbreak": "",
}
_TO_TEXT = LatexNodes2Text(
    latex_context=_latex_context(), math_mode="verbatim", strict_latex_spaces="based-on-source"
)
# One LaTeX construct of text mode: a style switch in braces ({\it vs.}), a macro alone in
# braces ({\deg}), an accent (\'e, \'{\i}, \"{u}), a macro with its brace arguments,
# an escaped character or a spacing command.
_CONSTRUCT = re.compile(
    r"\{\\(?:it|em|bf|sc|tt|rm|sl|sf|itshape|bfseries|scshape)\b[^{}]*\}"
    r"|\{\\[A-Za-z]+\}"
    r"|\\['\"`^~=.](?:\{\\?[A-Za-z]\}|\\?[A-Za-z])"
    r"|\\[A-Za-z]+\*?(?:\s*\{(?:[^{}]|\{[^{}]*\})*\})*"
    r"|\\[%&$#_{},;:! ]"
    r"|\\(?=\d)"
)
# The usual abbreviations' macros, with the full stop an author may have put after them.
_ABBREVIATION = re.compile(r"\\(eg|ie|etc|etal|vs|wrt)(?![A-Za-z])\.?")
_ABBREVIATED = {"eg": "e.g.", "ie": "i.e.", "etc": "etc.", "etal": "et al.", "vs": "vs.", "wrt": "w.r.t."}
# "query\'s": an apostrophe escaped, not an accent (Ma\'nczak is Mańczak)
_APOSTROPHE = re.compile(r"(?<=[A-Za-z0-9])\\'(?=s\b)")
# \href{url}{text} and \url{url}, also when they lost their backslash; ~ is the space before
_LINK_COMMAND = re.compile(
    r"~?(?:\\|(?<![A-Za-z]))(?:href\s*\{([^{}]*)\}\s*\{((?:[^{}]|\{[^{}]*\})*)\}|url\s*\{([^{}]*)\})"
)
# A style command that lost its backslash: "textbf{specialist}" is "specialist"
_LOST_STYLE = re.compile(r"(?<![\\A-Za-z])(?:textbf|textit|textsc|texttt|emph)\{([^{}]*)\}")


@functools.lru_cache(maxsize=8192)
def _construct_text(construct: str) -> str:
    """What one LaTeX construct shows; itself where pylatexenc cannot read it."""
    if construct == "\\":
        return ""  # a control symbol with a digit (\1): the digit is the text
    try:
        text = _TO_TEXT.latex_to_text(construct)
    except Exception:  # pylatexenc raises a variety of errors on malformed input
        return construct
    return text.strip() if construct.startswith("{") else text


def _text_mode(text: str) -> str:
    # Each pass only where its construct can be: most text has none, and the passes add up.
    if "{" in text and ("text" in text or "emph{" in text):
        text = _LOST_STYLE.sub(r"\1", text)
    if "\\" not in text:
        return text
    if "\\'" in text:
        text = _APOSTROPHE.sub("'", text)
    text = _ABBREVIATION.sub(lambda m: _ABBREVIATED[m.group(1)], text)
    return _CONSTRUCT.sub(lambda m: _construct_text(m.group()), text)


def latex_pieces(text: str) -> list[tuple[str, str | None]]:
    """Text outside math as it reads: ``(text, url)`` pieces in order, ``url`` set for what
    ``\\href`` and ``\\url`` link (any URL: the caller decides which are safe to link)."""
    if "\\" not in text and "url{" not in text and "href{" not in text and "{" not in text:
        return [(text, None)] if text else []
    pieces: list[tuple[str, str | None]] = []
    last = 0
    for match in _LINK_COMMAND.finditer(text) if "url" in text or "href" in text else ():
        before = text[last : match.start()] + (" " if match.group().startswith("~") else "")
        if before:
            pieces.append((_text_mode(before), None))
        url = (match.group(1) if match.group(1) is not None else match.group(3)).strip()
        label = _text_mode(match.group(2)).strip() if match.group(1) is not None else url
        pieces.append((label or url, url))
        last = match.end()
    if last < len(text):
        pieces.append((_text_mode(text[last:]), None))
    return pieces


def clean_latex(text: str) -> str:
    r"""Text outside math with LaTeX leftovers replaced by what they show: ``\textsc{X}`` -> ``X``,
    ``\href{url}{text}`` -> ``text (url)``."""
    if "\\" not in text and "{" not in text:  # every leftover has a backslash or a brace; most text has none
        return text
    return "".join(
        piece if url is None or piece == url else f"{piece} ({url})" for piece, url in latex_pieces(text)
    )


def plain_text(text: str) -> str:
    """Text for places that can't typeset math (feeds, page titles): leftovers cleaned, math as written."""
    return "".join(piece if is_math else clean_latex(piece) for is_math, piece in split_math(text))
