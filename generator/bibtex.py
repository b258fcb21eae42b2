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

# Characters LaTeX reads as commands, and what to write for them in text.
_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
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


def bibtex_text(text: str) -> str:
    """A digest string as a BibTeX value: formulas kept as math, everything else escaped."""
    if not _NOT_PLAIN.search(text):  # most titles and nearly every author name
        return text
    out = []
    for is_math, piece in split_math(text):
        if is_math and _balanced(piece):
            if piece.startswith(("\\(", "\\[")):
                piece = "$" + piece[2:-2].strip() + "$"
            elif piece.startswith("$$"):
                piece = piece[1:-1]
            out.append(piece)
        else:
            out.append(escape_latex(clean_latex(piece)))
    return "".join(out)


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
        fields.append(("author", " and ".join(bibtex_text(a) for a in paper.authors)))
    if (year := year_of(paper)) is not None:
        fields.append(("year", str(year)))
    fields += [
        ("eprint", paper.arxiv_id or ""),
        ("archivePrefix", "arXiv"),
        ("url", f"https://arxiv.org/abs/{paper.arxiv_id}"),
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
    from generator.render import day_uri, papers_by_tag, tag_uri

    bibliography = bibliography or Bibliography(archive)
    papers = archive.by_uri()
    files = {}
    names = {t.slug: t.name for t in archive.tags}
    for slug, tagged in papers_by_tag(archive).items():
        files[tag_uri(slug) + "papers.bib"] = bibliography.file(
            tagged, f"Papers tagged {names[slug]} in {settings.site_name}, newest first."
        )
    for day, uris in sorted(archive.days.items()):
        files[day_uri(day) + "papers.bib"] = bibliography.file(
            (papers[u] for u in uris), f"Papers featured in {settings.site_name} on {day.isoformat()}."
        )
    return files
