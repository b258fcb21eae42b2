"""Archive + Jinja templates -> page text, in memory: a page in, its text out.

Plans the site's pages (``site_pages``, ``paper_pages``: where each goes and what its
template needs) and renders one at a time (``Renderer.render``). Pages are Markdown
files whose bodies are HTML blocks written by our templates with autoescaping on:
every string from a digest is escaped once, here, so no title or abstract can turn
into markup, a link or a script (see SECURITY.md). Nothing here forks or writes:
``build.py`` decides which process renders what, and where it goes.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from generator import links, mathtext, popularity, trends
from generator.bibtex import Bibliography
from generator.config import Settings
from generator.csp import CONTENT_SECURITY_POLICY
from generator.model import Archive, Paper
from generator.people import People, build_people, search_uri
from generator.readers.characters import http_url
from generator.text import MONTH_NAMES, counted, first_sentence
from generator.urls import (
    BIBTEX,
    DAY_URI,
    LINK_LABELS,
    day_uri,
    month_uri,
    page_uri,
    paper_links,
    relative_url,
    search_links,
    src_path,
    tag_src_path,
    tag_uri,
    top_month_uri,
    top_week_uri,
    year_uri,
)

AUTHORS_SHOWN = 50  # on a paper page, each a link (15 KB budget); the rest are counted and linked
TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "site_templates" / "pages"


def linkify(text: str) -> Markup:
    """Escape text and turn http(s) URLs in it into links (nothing else), LaTeX artefacts cleaned."""
    out, last = [], 0
    for start, end, url in links.find_urls(text):
        href = escape(url)
        out.append(f'{escape(text[last:start])}<a href="{href}" rel="nofollow noopener">{href}</a>')
        last = end
    out.append(escape(text[last:]))
    return Markup("".join(out))


def _text_html(piece: str) -> str:
    """Text outside math: LaTeX leftovers as what they show, ``\\href`` and ``\\url`` as links
    where they point to an http(s) URL safe in an href, other URLs linkified."""
    out = []
    for text, url in mathtext.latex_pieces(piece):
        href = http_url(links.clean_url(url)) if url else None
        if href is not None:
            out.append(f'<a href="{escape(href)}" rel="nofollow noopener">{escape(text)}</a>')
        else:
            out.append(linkify(text))
    return "".join(out)


def rich_text(text: str) -> Markup:
    """Escaped text whose formulas are marked for KaTeX (``.pa-math``); the rest cleaned and linkified."""
    # Built with f-strings over escape(): Markup.format goes through string.Formatter,
    # and this runs for every title and abstract on every page that shows one.
    return Markup(
        "".join(
            f'<span class="pa-math">{escape(piece)}</span>' if math else _text_html(piece)
            for math, piece in mathtext.split_math(text)
        )
    )


def yaml_string(text: str) -> str:
    """``text`` as a YAML double-quoted scalar of printable ASCII only, which PyYAML always
    reads back as ``text``. PyYAML refuses a raw DEL, C1 control or noncharacter in a
    document, and MkDocs then shows the whole front matter as Markdown (a title holding
    ``[x](javascript:...)`` became a live link); JSON's escapes will not do either, as
    PyYAML reads a JSON surrogate pair as two lone surrogates."""
    return '"' + _NOT_YAML_PLAIN.sub(_yaml_escape, text) + '"'


_NOT_YAML_PLAIN = re.compile(r'[^ -~]|["\\]')  # outside printable ASCII, or a quote or backslash


def _yaml_escape(match: re.Match[str]) -> str:
    if match.group() in '"\\':
        return "\\" + match.group()
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def front_matter(title: str, description: str = "", **extra: str | bool) -> Markup:
    """YAML front matter that cannot fail to parse (see ``yaml_string``); the values are
    HTML-escaped because the theme prints them raw."""
    fields = {"title": html.escape(title), "description": html.escape(description)} | extra
    lines = "".join(f"{k}: {'true' if v is True else yaml_string(v)}\n" for k, v in fields.items() if v)
    return Markup("---\n" + lines + "---\n")


# Where an entry's links start from the site root; escaped text never holds a "<".
_ROOT = Markup("<root>")


@dataclass(frozen=True, slots=True)
class Page:
    """One page to render: where it goes and what its template needs."""

    src_path: str
    template: str
    context: dict


class Renderer:
    def __init__(
        self,
        archive: Archive,
        settings: Settings,
        template_dir: Path = TEMPLATE_DIR,
        people: People | None = None,
    ) -> None:
        self.archive = archive
        self.settings = settings
        self.people = people if people is not None else build_people(archive, settings.author_pages_from)
        self.papers = archive.by_uri()
        self.tags = {t.slug: t for t in archive.tags}
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(template_dir),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,  # one build, one environment: no stat of the template per page
        )
        self.env.filters["linkify"] = linkify
        self.env.filters["first_sentence"] = first_sentence
        self.env.filters["counted"] = counted
        self.env.filters["combine"] = lambda first, second: first | second
        self.env.filters.update(
            rich_text=rich_text, has_math=mathtext.has_math, plain_text=mathtext.plain_text
        )
        self.bibliography = Bibliography(archive)
        self.env.globals["bibtex_key"] = self.bibliography.key
        self._entries: dict[tuple[str, str], Markup] = {}
        self.env.globals.update(
            MONTH_NAMES=MONTH_NAMES,
            AUTHORS_SHOWN=AUTHORS_SHOWN,
            day_uri=day_uri,
            DAY_URI=DAY_URI,
            BIBTEX=BIBTEX,
            month_uri=month_uri,
            year_uri=year_uri,
            tag_uri=tag_uri,
            top_week_uri=top_week_uri,
            top_month_uri=top_month_uri,
            paper_links=paper_links,
            search_links=search_links,
            LINK_LABELS=LINK_LABELS,
            front_matter=front_matter,
            CONTENT_SECURITY_POLICY=CONTENT_SECURITY_POLICY,
            site=settings,
            tags=self.tags,
            people=self.people,
            search_uri=search_uri,
        )
        self._entry_macro = self.env.get_template("_macros.j2").module.entry  # type: ignore[attr-defined]
        self._entry_texts: dict[str, str] = {}

    def render(self, page: Page) -> str:
        uri = page_uri(page.src_path)
        root = relative_url(uri, "")
        template = self.env.get_template(page.template)
        return template.render(
            page.context,
            uri=uri,
            url=lambda to: relative_url(uri, to),
            entries=lambda papers: self.entries(papers, root),
        )

    def entries(self, papers: Iterable[Paper], root: str) -> Markup:
        """A listing: an ordered list of entries (title, date, tags, first sentence).

        A paper appears in a day, its tags' pages and the home page: each entry is
        rendered once per (paper, depth) and reused, a large part of a build's time.
        """
        items = []
        for paper in papers:
            key = (paper.uri, root)
            item = self._entries.get(key)
            if item is None:
                item = self._entries[key] = Markup(self._entry(paper).replace(_ROOT, root))
            items.append(item)
        return Markup('<ol class="pa-list">\n') + Markup("\n").join(items) + Markup("\n</ol>")

    def _entry(self, paper: Paper) -> str:
        """The paper's entry (``_macros.j2``) with ``_ROOT`` for the way up to the site root:
        the macro runs once a paper, not once per page depth (60 microseconds a call, more
        than the whole entry cost when it was written in Python)."""
        text = self._entry_texts.get(paper.uri)
        if text is None:
            text = self._entry_texts[paper.uri] = str(
                self._entry_macro(
                    paper.uri,
                    _ROOT,
                    paper.title,
                    paper.day.isoformat(),
                    paper.tags,
                    first_sentence(paper.abstract),
                    paper.upvotes,
                    paper.github_stars if paper.github_repo else None,
                )
            )
        return text

    def render_each(self, pages: Iterable[Page]) -> Iterator[tuple[str, str]]:
        """``(src_path, text)`` of each page, rendered as it is asked for."""
        for page in pages:
            yield page.src_path, self.render(page)

    def render_redirects(self) -> dict[str, str]:
        """Old URIs of papers that gained a better one -> a tiny HTML redirect page."""
        template = self.env.get_template("redirect.html.j2")
        return {
            alias + "index.html": template.render(target=relative_url(alias, paper.uri))
            for paper in self.archive.papers
            for alias in paper.aliases
        }


def site_pages(archive: Archive, settings: Settings) -> list[Page]:
    """Every page but the papers' own, in a stable order."""
    papers = archive.by_uri()
    days = sorted(archive.days)
    pages = [
        Page("index.md", "home.md.j2", _home_context(archive, papers)),
        Page(
            "latest.md",
            "latest.md.j2",
            {"days": [(d, [papers[u] for u in archive.days[d]]) for d in reversed(days[-7:])]},
        ),
        Page("about.md", "about.md.j2", {"archive": archive}),
        Page(
            "search.md",
            "search.md.j2",
            {
                "months": sorted({(d.year, d.month) for d in days}, reverse=True),
                "organizations": sorted(
                    {p.organization for p in archive.papers if p.organization}, key=str.casefold
                ),
            },
        ),
        Page("trends.md", "trends.md.j2", trends.build_trends(archive.papers, archive.tags)),
        Page("mylist.md", "mylist.md.j2", {}),
    ]
    for i, day in enumerate(days):
        pages.append(
            Page(
                src_path(day_uri(day)),
                "day.md.j2",
                {
                    "day": day,
                    "papers": [papers[u] for u in archive.days[day]],
                    "previous": days[i - 1] if i else None,
                    "next": days[i + 1] if i + 1 < len(days) else None,
                    "top": top_week_uri(*_week_of(day)),
                },
            )
        )
    pages.extend(_date_pages(archive, papers, days))
    pages.extend(_tag_pages(archive, settings))
    pages.extend(_top_pages(archive))
    return pages


def paper_page(paper: Paper, related: list[Paper]) -> Page:
    return Page(src_path(paper.uri), "paper.md.j2", {"paper": paper, "related": related})


def paper_pages(
    papers: Iterable[Paper], related: Iterable[tuple[str, ...]], by_uri: dict[str, Paper]
) -> Iterator[Page]:
    """The page of each of ``papers``, given the URIs of its related papers (in the same order)."""
    for paper, uris in zip(papers, related, strict=True):
        yield paper_page(paper, [by_uri[u] for u in uris])


def _home_context(archive: Archive, papers: dict[str, Paper]) -> dict:
    latest = max(archive.days) if archive.days else None
    recent: Counter[str] = Counter()
    if latest:
        since = latest - timedelta(days=30)
        for paper in archive.papers:
            if paper.day > since:
                recent.update(paper.tags)
    return {
        "latest": latest,
        "latest_papers": [papers[u] for u in archive.days[latest]] if latest else [],
        "paper_count": len(archive.papers),
        "day_count": len(archive.days),
        "tag_count": len(archive.tags),
        "active_tags": sorted(recent.items(), key=lambda kv: (-kv[1], kv[0]))[:12],
        "top_week": _week_of(latest) if latest else None,
        "top_month": (latest.year, latest.month) if latest else None,
    }


def _week_of(day: date) -> tuple[int, int]:
    iso = day.isocalendar()
    return iso.year, iso.week


def _top_pages(archive: Archive) -> list[Page]:
    """A Top page for every week and every month with papers, each linking to the one
    before and after it."""
    pages = []
    for periods in popularity.top_periods(archive):
        for i, period in enumerate(periods):
            context = {
                "period": period,
                "previous": periods[i - 1] if i else None,
                "next": periods[i + 1] if i + 1 < len(periods) else None,
            }
            pages.append(Page(period.uri + "index.md", "top.md.j2", context))
    return pages


def _date_pages(archive: Archive, papers: dict[str, Paper], days: list[date]) -> list[Page]:
    years: dict[int, dict[int, list[date]]] = {}
    for day in days:
        years.setdefault(day.year, {}).setdefault(day.month, []).append(day)
    count = {day: len(archive.days[day]) for day in days}
    # Papers, not appearances: one featured on two days of a year counts once in it.
    featured: dict[tuple[int, int] | int, set[str]] = {}
    for day in days:
        featured.setdefault((day.year, day.month), set()).update(archive.days[day])
        featured.setdefault(day.year, set()).update(archive.days[day])
    totals = {period: len(uris) for period, uris in featured.items()}
    context = {"years": years, "count": count, "totals": totals}
    pages = [Page("archive/index.md", "archive.md.j2", context)]
    for year, months in years.items():
        pages.append(
            Page(f"archive/{year:04d}/index.md", "year.md.j2", context | {"year": year, "months": months})
        )
        for month, month_days in months.items():
            pages.append(
                Page(
                    f"archive/{year:04d}/{month:02d}/index.md",
                    "month.md.j2",
                    {
                        "year": year,
                        "month": month,
                        "days": [(d, [papers[u] for u in archive.days[d]]) for d in month_days],
                    },
                )
            )
    return pages


def _tag_pages(archive: Archive, settings: Settings) -> list[Page]:
    """Each tag's page: its newest ``tags_per_page`` papers, its chart and feed; then its
    older papers in pages of that size counted from the oldest, ``page/1/`` the oldest.
    Counted so, a page once full lists the same papers for good: a new day changes the
    tag's own page (and the newest numbered page's link to it when a page fills), not
    every page of the tag, and a link to a page keeps showing what it showed. The
    newest page and the numbered ones may share papers: the newest page always shows
    ``tags_per_page``, the numbered pages only full pages."""
    by_tag = archive.by_tag()
    pages = [Page("tags/index.md", "tags.md.j2", {"counts": {s: len(p) for s, p in by_tag.items()}})]
    size = settings.tags_per_page
    months = trends.archive_months(archive.papers)
    totals = trends.monthly_counts(archive.papers, months)
    for tag in archive.tags:
        tagged = by_tag[tag.slug]  # newest first
        full = max(0, len(tagged) - 1) // size  # numbered pages: the rest is on the tag's own page
        oldest_first = tagged[::-1]
        pages.append(
            Page(
                tag_src_path(tag.slug),
                "tag.md.j2",
                {
                    "tag": tag,
                    "papers": tagged[:size],
                    "page": 0,
                    "older": full,
                    "total": len(tagged),
                    "chart": trends.tag_chart(tag, tagged, months, totals),
                },
            )
        )
        for number in range(1, full + 1):
            pages.append(
                Page(
                    tag_src_path(tag.slug, number),
                    "tag.md.j2",
                    {
                        "tag": tag,
                        "papers": oldest_first[(number - 1) * size : number * size][::-1],
                        "page": number,
                        "newer": number + 1 if number < full else 0,  # 0: the tag's own page
                        "older": number - 1,
                        "total": len(tagged),
                        "chart": "",
                    },
                )
            )
    return pages


__all__ = ["Page", "Renderer", "front_matter", "linkify", "paper_pages", "rich_text", "site_pages"]
