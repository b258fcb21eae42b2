"""Archive + Jinja templates -> {docs-relative path: page text}, in memory.

Pages are Markdown files whose bodies are HTML blocks written by our templates
with autoescaping on: every string from a digest is escaped once, here, so no
title or abstract can turn into markup, a link or a script (see SECURITY.md).
Links are relative, so the site works under any subpath (GitHub project pages).
"""

from __future__ import annotations

import html
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from generator import links, mathtext, parallel, trends
from generator.bibtex import Bibliography
from generator.config import Settings
from generator.model import Archive, Paper, Tag
from generator.related import build_related
from generator.text import MONTH_NAMES, counted, first_sentence
from generator.write import write_files

AUTHORS_SHOWN = 100  # on a paper page; the rest are counted and linked
TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "site_templates" / "pages"


def page_uri(src_path: str) -> str:
    """Docs path -> the directory URI MkDocs gives it (use_directory_urls)."""
    if src_path == "index.md":
        return ""
    if src_path.endswith("/index.md"):
        return src_path[: -len("index.md")]
    if src_path.endswith(".md"):
        return src_path[:-3] + "/"
    return src_path


def relative_url(from_uri: str, to_uri: str) -> str:
    """A link from one page to another, climbing to the site root and back down.

    Every page is a directory URI, so the way up is one ``../`` per ``/``. Always going
    through the root (never shortening a common prefix) makes a link depend only on the
    page's depth, so listing entries can be rendered once per depth and reused. Links
    between two paper pages (related papers, redirects) are the one exception: siblings,
    ``../<id>/``, which saves bytes on tens of thousands of pages.
    """
    if from_uri.startswith("papers/") and to_uri.startswith("papers/") and from_uri.count("/") == 2:
        return "../" + to_uri[len("papers/") :]  # paper to paper (related, redirects): a sibling
    return "../" * from_uri.count("/") + to_uri or "./"


def day_uri(day: date) -> str:
    return f"archive/{day:%Y/%m/%d}/"


def month_uri(year: int, month: int) -> str:
    return f"archive/{year:04d}/{month:02d}/"


def year_uri(year: int) -> str:
    return f"archive/{year:04d}/"


def tag_uri(slug: str, page: int = 1) -> str:
    return f"tags/{slug}/" if page == 1 else f"tags/{slug}/page/{page}/"


def linkify(text: str) -> Markup:
    """Escape text and turn http(s) URLs in it into links (nothing else), LaTeX artefacts cleaned."""
    out, last = [], 0
    for start, end, url in links.find_urls(text):
        href = escape(url)
        out.append(f'{escape(text[last:start])}<a href="{href}" rel="nofollow noopener">{href}</a>')
        last = end
    out.append(escape(text[last:]))
    return Markup("".join(out))


def rich_text(text: str) -> Markup:
    """Escaped text whose formulas are marked for KaTeX (``.pa-math``); the rest cleaned and linkified."""
    # Built with f-strings over escape(): Markup.format goes through string.Formatter,
    # and this runs for every title and abstract on every page that shows one.
    return Markup(
        "".join(
            f'<span class="pa-math">{escape(piece)}</span>' if math else linkify(mathtext.clean_latex(piece))
            for math, piece in mathtext.split_math(text)
        )
    )


def front_matter(title: str, description: str = "", **extra: object) -> Markup:
    """YAML front matter; values are HTML-escaped because the theme prints them raw."""
    fields = {"title": html.escape(title), "description": html.escape(description)} | extra
    lines = "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in fields.items() if v)
    return Markup("---\n" + lines + "---\n")


@dataclass(frozen=True, slots=True)
class Page:
    """One page to render: where it goes and what its template needs."""

    src_path: str
    template: str
    context: dict


class Renderer:
    def __init__(self, archive: Archive, settings: Settings, template_dir: Path = TEMPLATE_DIR) -> None:
        self.archive = archive
        self.settings = settings
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
        self.env.filters.update(
            rich_text=rich_text, has_math=mathtext.has_math, plain_text=mathtext.plain_text
        )
        self.bibliography = Bibliography(archive)
        self.env.globals["bibtex_key"] = self.bibliography.key
        self._entries: dict[tuple[str, str], Markup] = {}
        self._tag_links: dict[tuple[str, str], str] = {}  # in every entry: a tag's link, per depth
        self.env.globals.update(
            MONTH_NAMES=MONTH_NAMES,
            AUTHORS_SHOWN=AUTHORS_SHOWN,
            day_uri=day_uri,
            month_uri=month_uri,
            year_uri=year_uri,
            tag_uri=tag_uri,
            front_matter=front_matter,
            site=settings,
            tags=self.tags,
        )

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
                item = self._entries[key] = self._entry(paper, root)
            items.append(item)
        return Markup('<ol class="pa-list">\n') + Markup("\n").join(items) + Markup("\n</ol>")

    def _entry(self, paper: Paper, root: str) -> Markup:
        # f-strings over escape(), not Markup.format: tens of thousands of entries a build.
        day = paper.day.isoformat()
        tag_links = "".join(self._tag_link(slug, root) for slug in paper.tags)
        return Markup(
            f'<li class="pa-entry" data-paper="{escape(paper.uri)}" data-day="{day}">'  # its star: readinglist.js
            f'<a class="pa-entry__title" href="{escape(root + paper.uri)}">{escape(paper.title)}</a>\n'
            f'<span class="pa-entry__meta"><time datetime="{day}">{day}</time>{tag_links}</span>\n'
            f'<span class="pa-entry__summary">{escape(first_sentence(paper.abstract))}</span></li>'
        )

    def _tag_link(self, slug: str, root: str) -> str:
        link = self._tag_links.get((slug, root))
        if link is None:
            href, name = escape(root + tag_uri(slug)), escape(self.tags[slug].name)
            link = self._tag_links[slug, root] = f'<a class="pa-tag" href="{href}">{name}</a>'
        return link

    def render_all(self, pages: Sequence[Page]) -> dict[str, bytes]:
        """Pages as UTF-8 bytes, as they are written, and as the render workers send them
        back: 570 MB of text at 50,000 papers took the build 5 s to take in as str, 1.7-2.8 s
        as bytes."""
        return {page.src_path: self.render(page).encode() for page in pages}


PAGES_PER_WORKER = 1_000  # below this, starting processes costs more than it saves


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
            "search.md", "search.md.j2", {"months": sorted({(d.year, d.month) for d in days}, reverse=True)}
        ),
        Page("trends.md", "trends.md.j2", trends.build_trends(archive.papers, archive.tags)),
        Page("mylist.md", "mylist.md.j2", {}),
    ]
    for i, day in enumerate(days):
        pages.append(
            Page(
                day_uri(day)[:-1] + ".md",
                "day.md.j2",
                {
                    "day": day,
                    "papers": [papers[u] for u in archive.days[day]],
                    "previous": days[i - 1] if i else None,
                    "next": days[i + 1] if i + 1 < len(days) else None,
                },
            )
        )
    pages.extend(_date_pages(archive, papers, days))
    pages.extend(_tag_pages(archive, settings))
    return pages


def paper_src_path(paper: Paper) -> str:
    return paper.uri[:-1] + ".md"


def paper_page(paper: Paper, related: list[Paper]) -> Page:
    return Page(paper_src_path(paper), "paper.md.j2", {"paper": paper, "related": related})


def paper_pages(archive: Archive, related: dict[str, tuple[str, ...]]) -> list[Page]:
    papers = archive.by_uri()
    return [paper_page(paper, [papers[u] for u in related[paper.uri]]) for paper in archive.papers]


def build_pages(archive: Archive, settings: Settings) -> list[Page]:
    """Every page of the site, in a stable order: the site's own pages, then one per paper."""
    return site_pages(archive, settings) + paper_pages(archive, build_related(archive.papers))


def build_redirects(archive: Archive) -> dict[str, str]:
    """Old URIs of papers that gained a better one -> a tiny HTML redirect page."""
    out = {}
    for paper in archive.papers:
        for alias in paper.aliases:
            target = relative_url(alias, paper.uri)
            out[alias + "index.html"] = (
                '<!doctype html><html lang="en"><head><meta charset="utf-8">'
                f'<title>Redirecting</title><link rel="canonical" href="{target}">'
                f'<meta http-equiv="refresh" content="0; url={target}"></head>'
                f'<body><a href="{target}">This paper has moved here.</a></body></html>\n'
            )
    return out


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
    }


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


def papers_by_tag(archive: Archive) -> dict[str, list[Paper]]:
    by_tag: dict[str, list[Paper]] = {t.slug: [] for t in archive.tags}
    for paper in archive.papers:  # already newest first
        for slug in paper.tags:
            by_tag[slug].append(paper)
    return by_tag


def _tag_pages(archive: Archive, settings: Settings) -> list[Page]:
    by_tag = papers_by_tag(archive)
    pages = [Page("tags/index.md", "tags.md.j2", {"counts": {s: len(p) for s, p in by_tag.items()}})]
    size = settings.tags_per_page
    months = trends.archive_months(archive.papers)
    for tag in archive.tags:
        tagged = by_tag[tag.slug]
        total = max(1, -(-len(tagged) // size))
        for number in range(1, total + 1):
            src = f"tags/{tag.slug}/index.md" if number == 1 else f"tags/{tag.slug}/page/{number}.md"
            pages.append(
                Page(
                    src,
                    "tag.md.j2",
                    {
                        "tag": tag,
                        "papers": tagged[(number - 1) * size : number * size],
                        "page": number,
                        "pages": total,
                        "total": len(tagged),
                        "chart": trends.tag_chart(tag, tagged, months) if number == 1 else "",
                    },
                )
            )
    return pages


def render_site(archive: Archive, settings: Settings) -> dict[str, str | bytes]:
    """The whole generated docs folder as {path: text}."""
    return _render_site(archive, settings, None)


def write_site(archive: Archive, settings: Settings, out: Path) -> None:
    """The same files as ``render_site``, written under ``out`` by the processes that render
    them: at 50,000 papers, sending 600 MB of files back from the render workers and writing
    them in this process took it 2 to 4 s, and raised its peak from 373 MB to 1,094 MB."""
    _render_site(archive, settings, out)


def _render_site(archive: Archive, settings: Settings, out: Path | None) -> dict[str, str | bytes]:
    renderer = Renderer(archive, settings)
    pages = site_pages(archive, settings)
    workers = parallel.fork_workers(len(pages) + len(archive.papers), PAGES_PER_WORKER)
    if workers > 1:
        try:
            return _render_site_forked(renderer, pages, workers, out)
        except Exception:  # noqa: BLE001 - rendered again below, where the error keeps its template line
            pass
    pages += paper_pages(archive, build_related(archive.papers))
    return _kept_or_written(out, renderer.render_all(pages) | extra_files(renderer))


EXTRA_PARTS = ("redirects", "feeds", "dataset", "bibtex")


def extra_files(renderer: Renderer, parts: Sequence[str] = EXTRA_PARTS) -> dict[str, str | bytes]:
    """Everything in the docs folder that is not a page: redirects, feeds, data, BibTeX."""
    from generator.bibtex import render_bib_files  # these modules build on this one's URIs
    from generator.dataset import render_dataset
    from generator.feeds import render_feeds

    archive, settings = renderer.archive, renderer.settings
    render = {
        "redirects": lambda: build_redirects(archive),
        "feeds": lambda: render_feeds(archive, settings),
        "dataset": lambda: render_dataset(archive, settings),
        "bibtex": lambda: render_bib_files(archive, settings, renderer.bibliography),
    }
    files: dict[str, str | bytes] = {}
    for part in parts:
        files.update(render[part]())
    return files


def _render_site_forked(
    renderer: Renderer, pages: list[Page], workers: int, out: Path | None = None
) -> dict[str, str | bytes]:
    """The same files as ``_render_site`` renders in one process, on ``workers`` processes.

    Only paper pages wait for related papers. So one worker finds those while the others
    render the site's own pages, then feeds, data and BibTeX; then every worker renders
    its share of the paper pages. This process only hands out the work: as a third
    process on two cores it slowed the finding of related papers, which at 50,000
    papers is the longest job (9 s). Forked workers inherit the renderer and the
    archive: nothing but related URIs is pickled on the way in, and only file bytes
    come back, or nothing when the workers write the files to ``out``. Each share is
    every n-th page, so paper, day and tag pages spread evenly.
    """
    papers = renderer.archive.papers
    site_shares = 2 * workers  # smaller shares, for the workers that do not find related papers
    with parallel.forked_pool(workers, (renderer, pages, out)) as pool:
        finding = pool.submit(_forked_related)
        rendering = [pool.submit(_forked_site_pages, (i, site_shares)) for i in range(site_shares)]
        extras = [pool.submit(_forked_extra_files, part) for part in EXTRA_PARTS]
        related = finding.result()
        paper_jobs = [(i, workers, [related[p.uri] for p in papers[i::workers]]) for i in range(workers)]
        paper_texts = list(pool.map(_forked_paper_pages, paper_jobs))
        site_texts = [share.result() for share in rendering]
        extra_texts = [part.result() for part in extras]
    if out is not None:
        return {}
    files: dict[str, str | bytes] = dict(
        zip([p.src_path for p in pages], parallel.gathered(site_texts), strict=True)
    )
    files.update(zip(map(paper_src_path, papers), parallel.gathered(paper_texts), strict=True))
    for part in extra_texts:
        files.update(part)
    return files


def _forked_related() -> dict[str, tuple[str, ...]]:
    renderer, _pages, _out = parallel.inherited()
    return build_related(renderer.archive.papers)


def _forked_site_pages(share: tuple[int, int]) -> list[bytes]:
    renderer, pages, out = parallel.inherited()
    start, step = share
    return _sent_or_written(out, ((page.src_path, renderer.render(page)) for page in pages[start::step]))


def _forked_extra_files(part: str) -> dict[str, str | bytes]:
    renderer, _pages, out = parallel.inherited()
    return _kept_or_written(out, extra_files(renderer, (part,)))


def _forked_paper_pages(job: tuple[int, int, list[tuple[str, ...]]]) -> list[bytes]:
    renderer, _pages, out = parallel.inherited()
    start, step, related = job
    papers = renderer.papers
    return _sent_or_written(
        out,
        (
            (paper_src_path(paper), renderer.render(paper_page(paper, [papers[u] for u in uris])))
            for paper, uris in zip(renderer.archive.papers[start::step], related, strict=True)
        ),
    )


def _sent_or_written(out: Path | None, rendered: Iterator[tuple[str, str]]) -> list[bytes]:
    """A worker's pages: their bytes to send back, or written to ``out`` one by one."""
    if out is None:
        return [text.encode() for _path, text in rendered]
    write_files(out, rendered)
    return []


def _kept_or_written(out: Path | None, files: dict[str, str | bytes]) -> dict[str, str | bytes]:
    """``files`` to return, or written to ``out`` and nothing returned."""
    if out is None:
        return files
    write_files(out, files)
    return {}


__all__ = [
    "Page",
    "Renderer",
    "Tag",
    "build_pages",
    "page_uri",
    "relative_url",
    "render_site",
    "site_pages",
    "write_site",
]
