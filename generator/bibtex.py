"""BibTeX for papers with an arXiv id: one entry per paper page, a ``.bib`` per tag and day.

Takes the ``Archive``; returns text. Keys are ``<first author's surname><year><first
title word>``, made unique over the whole archive (``a``, ``b``... in order of first
featured day), so a paper has the same key on its page and in every ``.bib`` file.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from generator.config import Settings
from generator.mathtext import clean_latex, split_math
from generator.model import Archive, Paper
from generator.urls import BIBTEX, arxiv_url, day_uri, tag_uri

# Characters LaTeX reads as commands, and what to write for them in text.
_SPECIAL = {
    "\\": r"\textbackslash{}",
    # Not \{ and \}: BibTeX counts braces, escaped or not, so a lone \{ would end a
    # field elsewhere than where it was meant to (or never).
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL_RE = re.compile("|".join(re.escape(c) for c in _SPECIAL))
_NOT_PLAIN = re.compile(r"[\\{}$&%#_~^]")  # formulas and LaTeX leftovers start with one of these
_STOP_WORDS = frozenset(
    "a an the on of for in to and with from towards toward via is are do does can".split()
)


def escape_latex(text: str) -> str:
    """Plain text -> LaTeX text: every character LaTeX treats specially is escaped."""
    return _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group(0)], text)


def _balanced(tex: str) -> bool:
    depth = 0
    for i, char in enumerate(tex):
        if char in "{}" and i and tex[i - 1] == "\\":
            continue
        depth += 1 if char == "{" else -1 if char == "}" else 0
        if depth < 0:
            return False
    return depth == 0


def _bibtex_balanced(tex: str) -> bool:
    """Balanced as BibTeX counts: every brace, escaped or not."""
    depth = 0
    for char in tex:
        depth += 1 if char == "{" else -1 if char == "}" else 0
        if depth < 0:
            return False
    return depth == 0


# Commands a formula may use and still be copied into a .bib as math: typesetting only
# (letters, symbols, operators, delimiters, accents, fonts, spacing). LaTeX runs what a
# .bib holds, so a formula with any other command (\input, \write18, \openout, \catcode,
# \def, \csname, \end{document}...) is written as the plain text it is. Not learnt from
# the data: the shared papers' formulas use no command at all (the API drops backslashes).
MATH_COMMANDS = frozenset(
    """
    alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu
    nu xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma
    Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega
    sum prod coprod int iint iiint oint bigcup bigcap bigoplus bigotimes bigvee bigwedge
    lim liminf limsup sup inf max min arg argmax argmin log ln exp sin cos tan sinh cosh
    tanh det dim ker deg gcd Pr bmod pmod
    le leq ge geq ne neq approx sim simeq cong equiv propto ll gg subset subseteq supset
    supseteq in notin ni cup cap setminus times div cdot cdots ldots dots vdots ddots pm mp
    circ bullet star ast oplus otimes odot wedge vee land lor neg lnot forall exists
    nexists partial nabla infty emptyset varnothing mid parallel perp prec succ preceq
    succeq models vdash top bot angle ell hbar imath jmath Re Im aleph dagger
    to rightarrow leftarrow leftrightarrow Rightarrow Leftarrow Leftrightarrow
    longrightarrow longleftarrow mapsto uparrow downarrow implies iff gets
    left right big Big bigg Bigg bigl bigr Bigl Bigr langle rangle lceil rceil lfloor
    rfloor lvert rvert lVert rVert vert Vert
    hat widehat tilde widetilde bar overline underline vec dot ddot acute grave breve check
    overbrace underbrace prime
    mathbb mathbf mathcal mathrm mathit mathsf mathtt mathfrak mathscr boldsymbol bm text
    textrm textbf textit operatorname
    frac dfrac tfrac sqrt binom tbinom dbinom stackrel overset underset substack limits
    nolimits displaystyle textstyle scriptstyle quad qquad
    """.split()
) | frozenset(",;:!{}|%#&_$\\ ")  # control symbols: spacing and escaped characters
_COMMAND = re.compile(r"\\([A-Za-z]+|.)", re.DOTALL)
# Outside commands: $ would end the math, % comment out the rest of the line, # and &
# are errors, ^^5c is TeX's other way to write a backslash, a lone \ starts who knows what.
_UNSAFE_OUTSIDE_COMMANDS = re.compile(r"[$%#&\\]|\^\^")


def _typesetting_only(formula: str) -> bool:
    """Whether a formula's body (delimiters removed) only typesets: see ``MATH_COMMANDS``."""
    if not all(name in MATH_COMMANDS for name in _COMMAND.findall(formula)):
        return False
    rest = _COMMAND.sub(" ", formula)
    return not _UNSAFE_OUTSIDE_COMMANDS.search(rest)


def bibtex_text(text: str) -> str:
    """A digest string as a BibTeX value: formulas kept as math, everything else escaped."""
    if not _NOT_PLAIN.search(text):  # most titles and nearly every author name
        return text
    out = []
    for is_math, piece in split_math(text):
        if is_math:
            if piece.startswith(("\\(", "\\[")):
                body = piece[2:-2].strip()
            else:
                body = piece[2:-2] if piece.startswith("$$") else piece[1:-1]
            if _balanced(body) and _bibtex_balanced(body) and _typesetting_only(body):
                out.append("$" + body + "$")
                continue
            # Not safe as math: the formula as written, as text (not cleaned: a reader
            # should see what the source said).
            out.append(escape_latex(piece))
        else:
            out.append(escape_latex(clean_latex(piece)))
    return "".join(out)


_AND = re.compile(r"(?:^|\s)and(?:\s|$)", re.IGNORECASE)


def bibtex_name(name: str) -> str:
    """An author as a BibTeX name; braced when it holds the word "and" ("and Lei Bai"),
    which BibTeX would otherwise take for the start of another author."""
    text = bibtex_text(name)
    return "{" + text + "}" if _AND.search(text) else text


_NOT_KEY_CHARACTER = re.compile(r"[^a-z0-9]")


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    return _NOT_KEY_CHARACTER.sub("", folded.encode("ascii", "ignore").decode().lower())


def year_of(paper: Paper) -> int | None:
    """The arXiv id's YYMM gives the submission year; the arXiv date when the id is unknown."""
    if paper.arxiv_id and re.match(r"^\d{4}\.", paper.arxiv_id):
        return 2000 + int(paper.arxiv_id[:2])
    return paper.published_on.year if paper.published_on else None


def base_key(paper: Paper) -> str:
    surname = _ascii_word(paper.authors[0].split()[-1]) if paper.authors and paper.authors[0].split() else ""
    # The first title word that is not a stop word, else the first word at all.
    first = ""
    for raw in clean_latex(paper.title).split():
        word = _ascii_word(raw)
        if word and word not in _STOP_WORDS:
            break
        first = first or word
    else:
        word = first or "paper"
    return f"{surname or 'anon'}{year_of(paper) or ''}{word}"


def citable(papers: Iterable[Paper]) -> list[Paper]:
    return [p for p in papers if p.arxiv_id]


def build_keys(archive: Archive) -> dict[str, str]:
    """Paper URI -> citation key, unique over the archive; the earlier-featured paper keeps the plain key."""
    keys: dict[str, str] = {}
    used: dict[str, int] = {}
    for paper in sorted(citable(archive.papers), key=lambda p: (p.day, p.uri)):
        base = base_key(paper)
        count = used.get(base, 0)
        used[base] = count + 1
        keys[paper.uri] = base if count == 0 else base + _suffix(count)
    return keys


def _suffix(n: int) -> str:
    letters = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def render_entry(paper: Paper, key: str) -> str:
    """One ``@misc`` entry in arXiv's style; the paper must have an arXiv id."""
    fields = [("title", "{" + bibtex_text(paper.title) + "}")]
    if paper.authors:
        fields.append(("author", " and ".join(bibtex_name(a) for a in paper.authors)))
    if (year := year_of(paper)) is not None:
        fields.append(("year", str(year)))
    fields += [
        ("eprint", paper.arxiv_id or ""),
        ("archivePrefix", "arXiv"),
        ("url", arxiv_url(paper.arxiv_id or "")),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}\n"


class Bibliography:
    """The archive's citation keys, and entries and files built with them."""

    def __init__(self, archive: Archive) -> None:
        self.keys = build_keys(archive)
        self._entries: dict[str, str] = {}  # a paper's entry is on its page and in several .bib files

    def key(self, paper: Paper) -> str | None:
        """The paper's citation key, or None when it has no arXiv id."""
        return self.keys.get(paper.uri)

    def entry(self, paper: Paper) -> str:
        """The paper's entry, or "" when it has no arXiv id."""
        entry = self._entries.get(paper.uri)
        if entry is None:
            key = self.keys.get(paper.uri)
            entry = self._entries[paper.uri] = render_entry(paper, key) if key else ""
        return entry

    def file(self, papers: Iterable[Paper], comment: str) -> str:
        entries = [self.entry(p) for p in citable(papers)]
        return "".join(
            [f"% {comment}\n% Papers without an arXiv id are left out.\n"] + ["\n" + e for e in entries]
        )


def render_bib_files(
    archive: Archive, settings: Settings, bibliography: Bibliography | None = None
) -> dict[str, str]:
    """``tags/<slug>/papers.bib`` and ``archive/YYYY/MM/DD/papers.bib``, one for every tag and day."""
    bibliography = bibliography or Bibliography(archive)
    papers = archive.by_uri()
    files = {}
    names = {t.slug: t.name for t in archive.tags}
    for slug, tagged in archive.by_tag().items():
        files[tag_uri(slug) + BIBTEX] = bibliography.file(
            tagged, f"Papers tagged {names[slug]} in {settings.site_name}, newest first."
        )
    for day, uris in sorted(archive.days.items()):
        files[day_uri(day) + BIBTEX] = bibliography.file(
            (papers[u] for u in uris), f"Papers featured in {settings.site_name} on {day.isoformat()}."
        )
    return files
