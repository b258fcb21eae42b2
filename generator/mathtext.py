"""Math and LaTeX leftovers in titles and abstracts.

Pure functions over strings. ``math_spans`` decides which ``$...$``, ``$$...$$``,
``\\(...\\)`` and ``\\[...\\]`` are formulas, so that the browser typesets only
those (with KaTeX, served by the site): in the digests most dollar signs are
money ("Earn $1 Million", "$5 per task and $10 per hour", ``\\$32,000``).
``clean_latex`` turns what LaTeX left outside math (``\\textsc{X}``, ``\\url{U}``,
``\\%``) into the text it stands for.
"""

from __future__ import annotations

import re

_LATEX_CHARS = re.compile(r"[\\^_{}]")
# A command that lost its backslash (``textbf{x}``): the text isn't usable LaTeX.
_BROKEN_COMMAND = re.compile(r"(?<![\\a-zA-Z])(?:text[a-z]*|emph|mathbf|mathrm|url|href)\{")
# Short formulas without LaTeX characters: $n$, $k$-NN, $O(n)$, $n+1$, $x'$.
_PLAIN_FORMULA = re.compile(
    r"[A-Za-z][A-Za-z0-9]{0,2}'*(\s*[-+*/=<>]\s*[A-Za-z0-9]+)*|[A-Za-z]\([A-Za-z0-9+\-*/ ]{1,12}\)"
)
_MAX_INLINE = 300

_STYLE_COMMANDS = re.compile(
    r"\\(?:textsc|textbf|textit|texttt|textrm|textsf|textup|textnormal|emph|underline|mbox|text)\s*\{([^{}]*)\}"
)
_URL_COMMAND = re.compile(r"~?\\url\s*\{([^{}]*)\}")
_HREF_COMMAND = re.compile(r"~?\\href\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_ESCAPED = re.compile(r"\\([$%&#_{}])")


def _looks_like_math(inner: str) -> bool:
    if not inner.strip() or len(inner) > _MAX_INLINE or _BROKEN_COMMAND.search(inner):
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


def math_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each formula in text, delimiters included, in order."""
    spans: list[tuple[int, int]] = []
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
            if (
                closing
                and end != -1
                and text[i + 2 : end].strip()
                and not _BROKEN_COMMAND.search(text[i + 2 : end])
            ):
                spans.append((i, end + 2))
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
                spans.append((i, stop))
                i = stop
                continue
            i = body
            continue
        i += 1


def has_math(text: str) -> bool:
    return bool(math_spans(text))


def split_math(text: str) -> list[tuple[bool, str]]:
    """Text cut into ``(is_math, piece)`` pieces, in order, covering all of it."""
    pieces: list[tuple[bool, str]] = []
    last = 0
    for start, end in math_spans(text):
        if start > last:
            pieces.append((False, text[last:start]))
        pieces.append((True, text[start:end]))
        last = end
    if last < len(text):
        pieces.append((False, text[last:]))
    return pieces


def clean_latex(text: str) -> str:
    r"""Text outside math with LaTeX leftovers replaced by what they show: ``\textsc{X}`` -> ``X``."""
    if "\\" not in text:  # every leftover starts with a backslash; most text has none
        return text
    text = _HREF_COMMAND.sub(
        lambda m: f" {m.group(2)} ({m.group(1)})"
        if m.group(0).startswith("~")
        else f"{m.group(2)} ({m.group(1)})",
        text,
    )
    text = _URL_COMMAND.sub(lambda m: (" " if m.group(0).startswith("~") else "") + m.group(1), text)
    previous = None
    while previous != text:  # nested styles: \textbf{\emph{x}}
        previous, text = text, _STYLE_COMMANDS.sub(r"\1", text)
    return _ESCAPED.sub(r"\1", text)


def plain_text(text: str) -> str:
    """Text for places that can't typeset math (feeds, page titles): leftovers cleaned, math as written."""
    return "".join(piece if is_math else clean_latex(piece) for is_math, piece in split_math(text))
