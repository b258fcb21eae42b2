"""Copies of the Hugging Face papers page, written from API items as each saving tool writes them.

Each function takes API items (the daily papers API's JSON objects) and returns the text a
tool saves for a page listing them, imitating real copies of the page made with that tool:

- ``select_all``: the page selected and pasted (the seed digest's shape): the page's own
  lines, each title and abstract a paragraph, no links;
- ``firecrawl``: a scraper's Markdown of a search page: front matter, ``### [title](url)``
  headings, the abstract inside a link with the API's line breaks as ``\\\\``, the upvote
  button's ``login?next=%2Fpapers%2F<id>`` link before each card;
- ``notebook``: a notebook export: YAML front matter, then plain text with every link's URL
  on a line of its own, the site navigation first;
- ``structured``: an extraction tool's Markdown of the trending page: ``<a id="source-section-N">``
  anchors, ``[图片：...]`` image placeholders, an "Extracted Text" heading, titles wrapped
  over lines inside ``[...](...)``, and every paper twice (the desktop and mobile lists);
- ``minimal``: Markdown with no URLs, a heading per title;
- ``clipper``: a browser clipper's Markdown, opening with ``[Skip to content](#main)``, links
  relative to the site (``/papers/<id>``);
- ``trending``: the trending page selected and pasted: labels and counts on lines of their
  own ("Upvote" / "117"), the AI summary where the page shows it.

``expected(items, style)`` is what a reader must find in such a copy, taken from the API
items, not from any reader. ``python -m tests.page_copies`` writes the fixtures in
tests/fixtures/text/styles/ from days of the shared data.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from generator.text import clean_inline

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
HF = "https://huggingface.co"
STYLES = ("select_all", "firecrawl", "notebook", "structured", "minimal", "clipper", "trending")


def _paper(item: dict[str, Any]) -> dict[str, Any]:
    return item["paper"]


def _id(item: dict[str, Any]) -> str:
    return _paper(item)["id"]


def _one_line(text: str) -> str:
    return clean_inline(text)


def _published(item: dict[str, Any]) -> date:
    return date.fromisoformat(_paper(item)["publishedAt"][:10])


def _day(day: date, saved: date | None = None) -> str:
    """'May 29' in the saved page's year, 'Feb 27, 2025' otherwise (as the page writes it)."""
    text = f"{MONTHS[day.month - 1]} {day.day}"
    return text if saved is not None and day.year == saved.year else f"{text}, {day.year}"


def _upvotes(item: dict[str, Any]) -> str:
    upvotes = _paper(item).get("upvotes") or 0
    return str(upvotes) if upvotes else "-"


def _org(item: dict[str, Any]) -> dict[str, Any] | None:
    org = _paper(item).get("organization")
    return org if isinstance(org, dict) and org.get("fullname") else None


def _submitter(item: dict[str, Any]) -> str | None:
    by = _paper(item).get("submittedOnDailyBy")
    return by.get("user") if isinstance(by, dict) else None


def _stars(item: dict[str, Any]) -> int | None:
    stars = _paper(item).get("githubStars")
    return stars if isinstance(stars, int) else None


def _stars_text(stars: int) -> str:
    """'131', '3.29k', '110k' as the page shows star counts."""
    if stars < 1000:
        return str(stars)
    thousands = stars / 1000
    return f"{thousands:.3g}k" if thousands < 100 else f"{round(thousands)}k"


def _github(item: dict[str, Any]) -> tuple[str, int] | None:
    """The repository link and star count a card shows, if it shows one."""
    url, stars = _paper(item).get("githubRepo"), _stars(item)
    return (url, stars) if _repo(url) and stars is not None else None


def _shown_abstract(item: dict[str, Any]) -> str:
    """The trending page shows the AI summary where there is one, else the abstract."""
    return _paper(item).get("ai_summary") or _paper(item)["summary"]


# ---------------------------------------------------------------- the copies


def select_all(items: list[dict[str, Any]], day: date) -> str:
    lines = ["new", "", "Get trending papers in your email inbox!", "", "Subscribe", "", "Daily Papers", ""]
    lines += ["byAK and the research community", "", _day(day, day).split(",")[0], ""]
    for item in items:
        lines += [_one_line(_paper(item)["title"]), "", _one_line(_paper(item)["summary"]), ""]
    return "\n".join(lines)


def firecrawl(items: list[dict[str, Any]], query: str, saved: date) -> str:
    url = f"{HF}/papers?q={query.replace(' ', '%20')}"
    lines = [
        "---",
        f"url: {url}",
        f"retrieved: {saved.isoformat()}",
        f"command: firecrawl scrape {url} --only-main-content --json",
        "statusCode: 200",
        "transport: firecrawl-cli",
        "completeness: full",
        "title: Daily Papers - Hugging Face",
        "---",
        "new",
        "",
        "Get trending papers in your email inbox once a day!",
        "",
        "Get trending papers in your email inbox!",
        "",
        f"[Subscribe]({HF}/login?next=%2Fpapers)",
        "",
        "# Daily Papers",
        "",
        f"## by [![]({HF}/front/assets/papers-by.png)AK]({HF}/akhaliq) and the research community",
        "",
        "- Daily",
        "- Weekly",
        "- Monthly",
        "",
        f"[Trending Papers]({HF}/papers/trending)",
        "",
        _day(saved, saved),
        "",
    ]
    for item in items:
        paper, paper_id = _paper(item), _id(item)
        page = f"{HF}/papers/{paper_id}"
        lines += [f"[{_upvotes(item)}]({HF}/login?next=%2Fpapers%2F{paper_id})", ""]
        lines += [f"### [{paper['title'].strip().replace(chr(10), chr(92))}]({page})", ""]
        abstract = paper["summary"].strip().replace("\n", "\\\\\n")
        lines += [f"[{abstract}]({page})", ""]
        org = _org(item)
        if org:
            avatar = org.get("avatar", "")
            lines += [f"[![{org['name']}]({avatar}){org['fullname']}]({HF}/{org['name']})", ""]
        else:
            avatars = [f"- ![]({HF}/avatars/{n}.svg)\\\\" for n in range(min(2, len(paper["authors"])))]
            lines += ["[" + "\n".join([*avatars, f"- {len(paper['authors'])} authors"]) + f"]({page})", ""]
        comments = item.get("numComments") or 0
        shown = _day(_published(item), saved)
        lines += ["·", "", f"{shown}[{comments}]({page}#community)" if comments else shown, ""]
    return "\n".join(lines)


_NAVIGATION = [
    ("Hugging Face", f"{HF}/"),
    ("Models", f"{HF}/models"),
    ("Datasets", f"{HF}/datasets"),
    ("Spaces", f"{HF}/spaces"),
    ("Buckets new", f"{HF}/storage"),
    ("Docs", f"{HF}/docs"),
    ("Enterprise", f"{HF}/enterprise"),
    ("Pricing", f"{HF}/pricing"),
    ("Log In", f"{HF}/login"),
    ("Sign Up", f"{HF}/join"),
]
_FOOTER = [
    ("TOS", f"{HF}/terms-of-service"),
    ("Privacy", f"{HF}/privacy"),
    ("About", f"{HF}/huggingface"),
    ("Careers", "https://apply.workable.com/huggingface/"),
    ("Models", f"{HF}/models"),
    ("Datasets", f"{HF}/datasets"),
    ("Spaces", f"{HF}/spaces"),
    ("Pricing", f"{HF}/pricing"),
    ("Docs", f"{HF}/docs"),
]


def notebook(items: list[dict[str, Any]], query: str, saved: date, shown_day: date) -> str:
    lines = [
        "---",
        'source_id: "3f1c9a2e-5b7d-4e60-9c21-8a4d2f7b1e05"',
        'title: "Daily Papers - Hugging Face"',
        "notebook_id: 9b2e7c41-0d3a-4f85-b6e2-71c5a9d84f30",
        f"url: {HF}/papers?q={query.replace(' ', '%20')}",
        "type: web_page",
        f"exported: {saved.isoformat()}",
        "---",
        "",
        "# Daily Papers - Hugging Face",
        "Daily Papers - Hugging Face",
        "",
    ]
    for text, url in _NAVIGATION:
        lines += [f" {text}" if text == "Hugging Face" else text, "", url, ""]
    lines += ["new", "", "Get trending papers in your email inbox once a day!", ""]
    lines += [
        "Get trending papers in your email inbox!",
        "",
        "Subscribe",
        "",
        f"{HF}/login?next=%2Fpapers",
        "",
    ]
    lines += ["Daily Papers", "", "by ", "", "AK", "", f"{HF}/akhaliq", "", " and the research community", ""]
    lines += [query, "", "Daily", "", "Weekly", "", "Monthly ", "", f"{HF}/papers/trending", "", " ", ""]
    previous = date.fromordinal(shown_day.toordinal() - 1)
    lines += [f"{HF}/papers/date/{previous.isoformat()}", "", _day(shown_day, shown_day).split(",")[0], ""]
    for item in items:
        paper, paper_id = _paper(item), _id(item)
        page = f"{HF}/papers/{paper_id}"
        lines += [f" [-] {_upvotes(item)}", "", f"{HF}/login?next=%2Fpapers%2F{paper_id}", ""]
        lines += [_one_line(paper["title"]), "", page, ""]
        lines += [_one_line(paper["summary"]), "", page, ""]
        org = _org(item)
        if org:
            lines += [" ", "", page, "", f" {org['fullname']}", "", f"{HF}/{org['name']}", ""]
        else:
            lines += ["[", "", f"{len(paper['authors'])} authors]({page})", ""]
        comments = item.get("numComments") or 0
        shown = _day(_published(item), saved)
        lines += ["·", ""]
        lines += [f"{shown} ", "", str(comments), "", f"{page}#community", ""] if comments else [shown, ""]
    lines += [
        "Previous",
        "",
        f"{HF}/papers/date/{previous.isoformat()}",
        "",
        "System theme",
        "",
        "Company",
        "",
    ]
    for text, url in _FOOTER:
        lines += [text, "", url, "", " ", ""]
    lines += ["Trending Papers ranked by GitHub stars activity", ""]
    return "\n".join(lines)


def structured(items: list[dict[str, Any]], saved: date) -> str:
    lines = [
        f"# Hugging Face - {saved.year} - Trending Papers",
        "",
        f"- Source HTML: `raw/html/Hugging Face - {saved.year} - Trending Papers.html`",
        "- Source SHA256: `5d41c8a0e3b29f7d6c1a4e8b0f92d3c7a6e5b4d1c0f9e8a7b6c5d4e3f2a1b0c9`",
        f"- Source URL: {HF}/papers/trending",
        "- Generated from: `scripts/fetch_web_text.py`",
        "- Extraction: `structured-html-v2` (headings, links, MathML/TeX and tables; figures require visual review)",
        "",
        "## Extracted Text",
        "",
        '<a id="source-section-0"></a>',
        "",
        "new",
        "",
        "",
        "Get trending papers in your email inbox once a day!",
        "",
        "",
        "Get trending papers in your email inbox!",
        "",
        f"[Subscribe]({HF}/login?next=%2Fpapers)",
        "",
        "",
        '<a id="source-section-1"></a>',
        "",
        "# Trending Papers",
        "",
        "",
        '<a id="source-section-2"></a>',
        "",
        f"## by[[图片：无替代文本] AK]({HF}/akhaliq) and the research community",
        "",
        "",
        "-",
        "",
        "-",
        "",
        "-",
        "",
        "",
        "Trending Papers",
        "",
        "",
    ]
    section = 3
    for item in items:
        paper, paper_id = _paper(item), _id(item)
        page = f"{HF}/papers/{paper_id}"
        user = _submitter(item)
        for copy in ("desktop", "mobile"):
            if not user or copy == "mobile" or len(paper["authors"]) % 2:
                lines += [f"[[图片：无替代文本]]({page})", ""]
            if user:
                lines += ["Submitted by", "", "[图片：无替代文本]", "", user, "", ""]
            lines += [f'<a id="source-section-{section}"></a>', ""]
            section += 1
            title = paper["title"].strip().replace("\n  ", "\n").replace("\n ", "\n")
            lines += [f"### [{title}]({page})", "", "", _shown_abstract(item).strip(), "", ""]
            published = ("Published on " if copy == "desktop" else "") + _day(_published(item))
            org = _org(item)
            if org:
                lines += [
                    f"[[图片：{org['name']}] {org['fullname']}]({HF}/{org['name']}) · {published}",
                    "",
                    "",
                ]
            else:
                shown = min(5, len(paper["authors"]))
                lines += ["-", ""] * (shown - 1) + ["- [图片：无替代文本]", ""]
                lines += [f"- {len(paper['authors'])} authors", "", f"· {published}", "", ""]
            upvotes = paper.get("upvotes") or 0
            lines += [f"[Upvote\n\n{upvotes or '-'}]({HF}/login?next=%2Fpapers%2F{paper_id})", ""]
            if copy == "mobile":
                lines += [""]
            links = f"[arXiv Page](https://arxiv.org/abs/{paper_id})"
            if github := _github(item):
                links = f"[GitHub {_stars_text(github[1])}]({github[0]}) {links}"
            lines += [links, "", ""]
    return "\n".join(lines)


def minimal(items: list[dict[str, Any]], day: date) -> str:
    lines = ["# Daily Papers", "", f"## {_day(day, day)}", ""]
    for item in items:
        lines += [f"### {_one_line(_paper(item)['title'])}", "", _one_line(_paper(item)["summary"]), ""]
    return "\n".join(lines)


def clipper(items: list[dict[str, Any]], day: date) -> str:
    lines = [
        "[Skip to content](#main)",
        "",
        "[![Hugging Face's logo](/front/assets/huggingface_logo-noborder.svg) Hugging Face](/)",
        "",
        "* [Models](/models)",
        "* [Datasets](/datasets)",
        "* [Spaces](/spaces)",
        "* [Docs](/docs)",
        "* [Pricing](/pricing)",
        "* [Log In](/login)",
        "* [Sign Up](/join)",
        "",
        "Get trending papers in your email inbox once a day!",
        "",
        "[Subscribe](/login?next=%2Fpapers)",
        "",
        "# Daily Papers",
        "",
        "## by [AK](/akhaliq) and the research community",
        "",
        "[Previous](/papers/date/" + date.fromordinal(day.toordinal() - 1).isoformat() + ")",
        "",
        _day(day, day),
        "",
    ]
    for item in items:
        paper, paper_id = _paper(item), _id(item)
        lines += [
            f"[![](https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{paper_id}.png)](/papers/{paper_id})",
            "",
        ]
        lines += [f"[Upvote {_upvotes(item)}](/login?next=%2Fpapers%2F{paper_id})", ""]
        lines += [f"### [{_one_line(paper['title'])}](/papers/{paper_id})", ""]
        user = _submitter(item)
        if user:
            lines += [f"Submitted by {user}", ""]
        lines += [f"* {len(paper['authors'])} authors", f"* {_day(_published(item), day)}", ""]
        lines += [_one_line(paper["summary"]), ""]
        if github := _github(item):
            lines += [f"[GitHub {_stars_text(github[1])}]({github[0]})"]
        lines += [f"[arXiv Page](https://arxiv.org/abs/{paper_id})", ""]
        comments = item.get("numComments") or 0
        if comments:
            lines += [f"[{comments} comment{'s' if comments > 1 else ''}](/papers/{paper_id}#community)", ""]
    lines += [
        "[Next](/papers/date/" + date.fromordinal(day.toordinal() + 1).isoformat() + ")",
        "",
        "System theme",
        "",
    ]
    return "\n".join(lines)


def trending(items: list[dict[str, Any]], saved: date) -> str:
    lines = ["new", "Get trending papers in your email inbox once a day!", "Subscribe", ""]
    lines += ["Trending Papers", "by AK and the research community", "", "Daily", "Weekly", "Monthly", ""]
    for item in items:
        paper = _paper(item)
        user = _submitter(item)
        if user:
            lines += ["Submitted by", user, ""]
        lines += [_one_line(paper["title"]), "", _one_line(_shown_abstract(item)), ""]
        org = _org(item)
        published = f"Published on {_day(_published(item), saved)}"
        if org:
            lines += [f"{org['fullname']} · {published}"]
        else:
            lines += [f"· {len(paper['authors'])} authors", f"· {published}"]
        lines += ["", "Upvote", str(paper.get("upvotes") or "-"), ""]
        if github := _github(item):
            lines += ["GitHub", _stars_text(github[1]), ""]
        lines += ["arXiv Page", ""]
    lines += ["System theme", "Company", "TOS", "Privacy", "About", "Careers", ""]
    return "\n".join(lines)


# ---------------------------------------------------------------- expectations

# The fields each copy shows, besides the title and the abstract.
SHOWN = {
    "select_all": (),
    "minimal": (),
    "firecrawl": ("arxiv_id", "upvotes", "organization", "published_on", "author_count"),
    "notebook": ("arxiv_id", "upvotes", "organization", "published_on", "author_count"),
    "structured": (
        "arxiv_id",
        "upvotes",
        "organization",
        "published_on",
        "github_repo",
        "github_stars",
        "author_count",
    ),
    "clipper": ("arxiv_id", "upvotes", "published_on", "github_repo", "github_stars", "author_count"),
    "trending": ("upvotes", "organization", "published_on", "github_stars", "author_count"),
}
# Copies that write "May 29" for this year's days, and whose year the copy itself gives.
_YEAR_FROM_COPY = {"firecrawl", "notebook"}


def _repo(url: str | None) -> str | None:
    """https://github.com/owner/repo of a link into a repository, as the link's text shows it."""
    if not url or not url.startswith(("https://github.com/", "http://github.com/")) or len(url.split()) > 1:
        return None
    parts = [part for part in url.split("?")[0].split("#")[0].split("/")[3:] if part]
    return f"https://github.com/{parts[0]}/{parts[1].removesuffix('.git')}" if len(parts) >= 2 else None


def _shown_stars(stars: int) -> int:
    """The star count the page's rounded '3.29k' stands for."""
    text = _stars_text(stars)
    return round(float(text[:-1]) * 1000) if text.endswith("k") else int(text)


def expected(items: list[dict[str, Any]], style: str, saved: date) -> list[dict[str, Any]]:
    """What a reader must find in a copy of ``style`` listing ``items``, saved on ``saved``:
    each paper once, with the fields the copy shows, taken from the API items."""
    papers: dict[str, dict[str, Any]] = {}
    for item in items:
        paper = _paper(item)
        shown = _shown_abstract(item) if style in ("structured", "trending") else paper["summary"]
        found: dict[str, Any] = {"title": _one_line(paper["title"]), "abstract": _one_line(shown)}
        github = _github(item)
        published = _published(item)
        values = {
            "arxiv_id": _id(item),
            "upvotes": paper.get("upvotes") or 0,
            "organization": _one_line(_org(item)["fullname"]) if _org(item) else None,  # type: ignore[index]
            "published_on": published.isoformat()
            if style in _YEAR_FROM_COPY or style == "structured" or published.year != saved.year
            else None,
            "github_repo": _repo(github[0]) if github else None,
            "github_stars": _shown_stars(github[1]) if github else None,
            # a card counts the authors where it names no organisation (the clipper's always)
            "author_count": len(paper["authors"]) if style == "clipper" or not _org(item) else None,
        }
        found.update((name, values[name]) for name in SHOWN[style])
        papers.setdefault(_id(item), found)
    return list(papers.values())


# ---------------------------------------------------------------- the fixtures


def _items(data: Path, day: str) -> list[dict[str, Any]]:
    return json.loads((data / f"{day}.json").read_text(encoding="utf-8"))


def _all_items(data: Path) -> list[dict[str, Any]]:
    return [
        item for path in sorted(data.glob("*.json")) for item in json.loads(path.read_text(encoding="utf-8"))
    ]


def write_fixtures(data: Path, target: Path) -> None:
    """The style fixtures and their expectations, from days of the shared data."""
    target.mkdir(parents=True, exist_ok=True)
    every = _all_items(data)
    seen: set[str] = set()
    unique = [i for i in every if not (_id(i) in seen or seen.add(_id(i)))]  # type: ignore[func-returns-value]

    def matching(word: str, count: int) -> list[dict[str, Any]]:
        """``count`` papers with ``word`` in their title, from all over the data (as a search finds)."""
        found = [i for i in unique if word in _paper(i)["title"].lower()]
        return found[:: max(1, len(found) // count)][:count]

    starred = sorted((i for i in unique if _github(i)), key=lambda i: _github(i)[1], reverse=True)  # type: ignore[index]
    wrapped = [i for i in starred if "\n" in _paper(i)["title"]]
    cases = {
        "firecrawl_search.md": (firecrawl, matching("retrieval", 14), ("retrieval", date(2025, 12, 2))),
        "notebook_search.md": (
            notebook,
            matching("code", 16),
            ("code", date(2025, 12, 9), date(2025, 12, 8)),
        ),
        "structured_trending.md": (
            structured,
            list({_id(i): i for i in starred[:8] + wrapped[:8]}.values()),
            (date(2025, 12, 20),),
        ),
        "minimal.md": (minimal, _items(data, "2025-06-09"), (date(2025, 6, 9),)),
        "clipper_daily.md": (clipper, _items(data, "2025-07-29"), (date(2025, 7, 29),)),
        "trending_select_all.txt": (trending, starred[8:40:3], (date(2025, 12, 20),)),
    }
    for name, (render, items, args) in cases.items():
        style = render.__name__
        (target / name).write_text(render(items, *args), encoding="utf-8")  # type: ignore[operator]
        saved = next(arg for arg in args if isinstance(arg, date))
        stem = name.rsplit(".", 1)[0]
        (target / f"{stem}.expected.json").write_text(
            json.dumps(expected(items, style, saved), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )


if __name__ == "__main__":
    root = Path(__file__).resolve().parent
    write_fixtures(
        Path(sys.argv[1]) if len(sys.argv) > 1 else root.parents[1] / "shared" / "data" / "hf-daily-papers",
        root / "fixtures" / "text" / "styles",
    )
