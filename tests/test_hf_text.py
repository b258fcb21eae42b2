"""The reader of text copies of the Hugging Face papers page.

Fixtures in tests/fixtures/text/ are copies in the shapes people save: plain
text with site chrome, Markdown clips (inline and reference links, YAML front
matter), URL lines, hard wraps. Each ``<name>.expected.json`` was written from
the API data the copy was made from, not from this reader's output.

tests/fixtures/text/styles/ holds a copy in each saving tool's style, written from the
shared data by tests/page_copies.py (``python -m tests.page_copies``), which imitates
real copies made with those tools; the same code writes every shared day in every
style for the round trip below. tests/fixtures/text/not_digests/ holds files that are
no copy of the page.
"""

from __future__ import annotations

import json
import re
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.errors import ContentError, ContentErrors
from generator.readers import parse_digest
from generator.readers.hf_text import EMPTY, parse_hf_text
from generator.text import clean_inline
from tests import page_copies
from tests.conftest import SHARED_DATA

FIXTURES = Path(__file__).parent / "fixtures" / "text"
SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "seed" / "000_b842631bec06aad6.txt"
PATH = Path("2025-07-29.txt")
NO_ABSTRACT_MESSAGE = "title without an abstract (a blank line and a paragraph must follow each title)"


def parse(text: str) -> tuple[tuple[int, int, int] | None, list]:
    return parse_hf_text(PATH, text)


def messages(text: str) -> list[str]:
    with pytest.raises((ContentError, ContentErrors)) as caught:
        parse(text)
    errors = caught.value.errors if isinstance(caught.value, ContentErrors) else [caught.value]
    return [str(e) for e in errors]


def as_expected(record) -> dict:
    """A record in the shape of the fixtures' expected JSON."""
    values = {
        "title": record.title,
        "abstract": record.abstract,
        "arxiv_id": record.arxiv_id,
        "upvotes": record.upvotes,
        "github_repo": record.github_repo,
        "github_stars": record.github_stars,
        "organization": record.organization,
        "published_on": record.published_on.isoformat() if record.published_on else None,
        "author_count": record.author_count,
    }
    return values


def fixture(name: str) -> tuple[tuple[int, int, int] | None, list]:
    return parse_hf_text(Path(name), (FIXTURES / name).read_text(encoding="utf-8"))


def expected(name: str) -> list[dict]:
    stem = name.rsplit(".", 1)[0]
    return json.loads((FIXTURES / f"{stem}.expected.json").read_text(encoding="utf-8"))


# ---------------------------------------------------------------- the seed


def test_seed_parses_to_its_57_titles_and_abstracts():
    if not SEED.exists():
        pytest.skip(f"the shared seed digest is not beside the checkout ({SEED.name} under shared/seed)")
    page_day, records = parse_hf_text(SEED, SEED.read_text(encoding="utf-8"))
    assert page_day == (11, 7, 29)
    assert [{"title": r.title, "abstract": r.abstract} for r in records] == expected("seed.txt")
    assert len(records) == 57
    assert records[0].source.line == 13 and records[-1].source.line == 237


def test_seed_titles_ending_in_question_or_exclamation_mark_stay_titles():
    titles = [r["title"] for r in expected("seed.txt")]
    assert (
        "How Realistic Is Your Synthetic Data? Constraining Deep Generative Models for Tabular Data" in titles
    )
    assert "When to Pre-Train Graph Neural Networks? From Data Generation Perspective!" in titles
    _, records = fixture("chrome_header.txt")
    assert [r.title for r in records][1:3] == [
        "How Realistic Is Your Synthetic Data? Constraining Deep Generative Models for Tabular Data",
        "When to Pre-Train Graph Neural Networks? From Data Generation Perspective!",
    ]


# ------------------------------------------------------------ the variants

VARIANTS = [
    "chrome_header.txt",
    "front_matter_inline_links.md",
    "reference_links.md",
    "url_lines.txt",
    "hard_wrapped.txt",
    "glued_titles.txt",
]


@pytest.mark.parametrize("name", VARIANTS)
def test_variant_matches_the_data_it_was_copied_from(name):
    _, records = fixture(name)
    wanted = expected(name)
    got = [{key: as_expected(r)[key] for key in want} for r, want in zip(records, wanted, strict=False)]
    assert got == wanted
    assert len(records) == len(wanted)


def test_chrome_header_drops_navigation_tabs_search_and_footer():
    page_day, records = fixture("chrome_header.txt")
    assert page_day == (29, 7, 29)
    assert [r.title for r in records] == [
        "CORAG: A Cost-Constrained Retrieval Optimization System for Retrieval-Augmented Generation",
        "How Realistic Is Your Synthetic Data? Constraining Deep Generative Models for Tabular Data",
        "When to Pre-Train Graph Neural Networks? From Data Generation Perspective!",
        "Stochastic Interpolants: A Unifying Framework for Flows and Diffusions",
    ]
    assert [r.source.line for r in records] == [31, 35, 47, 51]


def test_front_matter_clip_keeps_ids_upvotes_and_github():
    page_day, records = fixture("front_matter_inline_links.md")
    assert page_day == (36, 7, 29)  # "## Jul 29", not the papers' own "Jul 26"
    assert [(r.arxiv_id, r.upvotes, r.github_repo, r.github_stars) for r in records] == [
        ("2507.19849", 40, "https://github.com/dongguanting/ARPO", 56),
        ("2507.20939", 32, "https://github.com/TencentARC/ARC-Hunyuan-Video-7B", 42),
        ("2507.21045", 21, "https://github.com/yukangcao/Awesome-4D-Spatial-Intelligence", 50),
        ("2507.21049", 20, "https://github.com/Jacky1128/Rep-MTL", 8),
    ]
    assert records[1].title == "ARC-Hunyuan-Video-7B: Structured Video Comprehension of Real-World Shorts"
    assert not records[0].abstract.startswith("[")
    assert records[0].abstract.endswith("datasets are released at https://github.com/dongguanting/ARPO")


def test_reference_links_resolve_ids_organisations_and_dated_papers():
    page_day, records = fixture("reference_links.md")
    assert page_day == (14, 10, 8)
    assert [(r.arxiv_id, r.upvotes, r.organization) for r in records] == [
        ("2510.06217", 35, "Amazon"),
        ("2509.26328", 20, "NVIDIA"),
        ("2510.03270", 20, "Salesforce"),
        ("2509.24107", 18, "Fractal AI Research"),
    ]
    assert records[1].github_repo == "https://github.com/NVlabs/Fast-dLLM"
    assert records[2].github_repo == "https://github.com/SalesforceAIResearch/CoDA"  # trailing "/" cleaned
    assert str(records[0].published_on) == "2025-10-07"


def test_url_lines_give_arxiv_ids_and_the_date_line_is_optional():
    page_day, records = fixture("url_lines.txt")
    assert page_day is None
    assert [(r.title, r.arxiv_id) for r in records] == [
        ("μLO: Compute-Efficient Meta-Generalization of Learned Optimizers", "2406.00153"),
        ("MMLU-Pro: A More Robust and Challenging Multi-Task Language Understanding Benchmark", "2406.01574"),
        ("Learning Temporally Consistent Video Depth from Video Diffusion Priors", "2406.01493"),
    ]


def test_hard_wraps_join_two_line_titles_and_a_repeated_paper_is_emitted_once():
    page_day, records = fixture("hard_wrapped.txt")
    assert page_day == (3, 6, 3)
    assert [r.title for r in records] == [
        "Beyond the 80/20 Rule: High-Entropy Minority Tokens Drive Effective Reinforcement Learning for "
        "LLM Reasoning",
        "Taming LLMs by Scaling Learning Rates with Gradient Grouping",
        "ShapeLLM-Omni: A Native Multimodal LLM for 3D Generation and Understanding",
        "ARIA: Training Language Agents with Intention-Driven Reward Aggregation",
    ]
    assert [r.source.line for r in records] == [5, 34, 60, 81]


def test_title_glued_to_its_wrapped_abstract_is_cut_off():
    _, records = fixture("glued_titles.txt")
    assert [r.title for r in records] == [
        "TÜLU 3: Pushing Frontiers in Open Language Model Post-Training",
        "Style-Friendly SNR Sampler for Style-Driven Generation",
        "OminiControl: Minimal and Universal Control for Diffusion Transformer",
    ]
    assert records[0].abstract.startswith("Language model post-training is applied")


# ------------------------------------------------------------ the tools' styles

STYLES = FIXTURES / "styles"
# Each style's copy and how many papers it lists; the papers themselves are in the
# expected files, written from the API items the copy was made from.
STYLE_COUNTS = {
    "firecrawl_search.md": 14,  # a search page scraped to Markdown, ### [title](url)
    "notebook_search.md": 16,  # a notebook export: front matter, every URL on a line of its own
    "structured_trending.md": 12,  # the trending page, every paper listed twice, anchors, placeholders
    "minimal.md": 8,  # Markdown without a single URL
    "clipper_daily.md": 15,  # opens with [Skip to content](#main), links relative to the site
    "trending_select_all.txt": 11,  # the trending page selected and pasted
    "select_all_seed.txt": 57,  # the seed digest: the daily page selected and pasted
}


def style(name: str) -> tuple[tuple[int, int, int] | None, list]:
    return parse_hf_text(Path(name), (STYLES / name).read_text(encoding="utf-8"))


def style_expected(name: str) -> list[dict]:
    if name == "select_all_seed.txt":
        return [{**paper, "arxiv_id": None} for paper in expected("seed.txt")]
    return json.loads((STYLES / f"{name.rsplit('.', 1)[0]}.expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", STYLE_COUNTS)
def test_copy_in_each_tools_style_reads_to_exactly_its_papers(name):
    _, records = style(name)
    wanted = style_expected(name)
    assert len(records) == len(wanted) == STYLE_COUNTS[name]
    assert [r.arxiv_id for r in records] == [paper.get("arxiv_id") for paper in wanted]
    assert [
        {key: as_expected(r)[key] for key in paper} for r, paper in zip(records, wanted, strict=True)
    ] == wanted


@pytest.mark.slow
def test_style_fixtures_are_what_page_copies_writes(tmp_path, shared_data):
    """The fixtures stay the tools' styles as tests/page_copies.py writes them."""
    page_copies.write_fixtures(shared_data, tmp_path)
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(p.name for p in STYLES.iterdir() if p.name != "select_all_seed.txt")
    for name in written:
        assert (tmp_path / name).read_bytes() == (STYLES / name).read_bytes(), name


def test_structured_copy_skips_its_chrome_and_reads_titles_wrapped_inside_links():
    text = (STYLES / "structured_trending.md").read_text(encoding="utf-8")
    _, records = style("structured_trending.md")
    assert text.count("### [") == 2 * len(records)  # every paper listed twice, read once
    titles = {r.title for r in records}
    assert not titles & {"Extracted Text", "Hugging Face - 2025 - Trending Papers", "Trending Papers"}
    wrapped = [line for line in text.splitlines() if line.startswith("### [") and not line.endswith(")")]
    assert len(wrapped) >= 8
    assert all(r.arxiv_id and not r.title.startswith("[") for r in records)


def test_search_and_trending_pages_have_no_day_of_their_own():
    """A search page shows a date line, but lists papers of other days: no day to check."""
    for name in ("firecrawl_search.md", "notebook_search.md"):
        assert "\nDec " in (STYLES / name).read_text(encoding="utf-8")
        page_day, _ = style(name)
        assert page_day is None
        digest = parse_digest(Path("2025-11-30.txt"), (STYLES / name).read_bytes())
        assert len(digest.records) == STYLE_COUNTS[name]
    assert style("clipper_daily.md")[0] == (23, 7, 29)


def test_front_matter_url_names_the_day_when_the_copy_has_no_date_line():
    text = f"---\nurl: https://huggingface.co/papers/date/2025-07-29\n---\n\nA Title\n\n{ABSTRACT}\n"
    assert parse(text)[0] == (2, 7, 29)
    with pytest.raises(ContentError, match=r"^2025-07-30\.txt:2: the page's date line says Jul 29"):
        parse_digest(Path("2025-07-30.txt"), text.encode())


def test_clipper_copy_is_a_text_copy_whatever_it_opens_with():
    digest = parse_digest(Path("2025-07-29.txt"), (STYLES / "clipper_daily.md").read_bytes())
    assert digest.format == "hf-text" and len(digest.records) == 15


def test_a_card_without_its_abstract_is_reported_at_its_title():
    text = (STYLES / "firecrawl_search.md").read_text(encoding="utf-8")
    paragraphs = text.split("\n\n")
    third = [i for i, p in enumerate(paragraphs) if p.startswith("### [")][2]
    del paragraphs[third + 1]  # the third paper's abstract
    broken = "\n\n".join(paragraphs)
    line = broken[: broken.index(paragraphs[third])].count("\n") + 1
    assert messages(broken) == [f"2025-07-29.txt:{line}: {NO_ABSTRACT_MESSAGE}"]


def test_text_dump_with_reference_links_over_lines_and_upvotes_before_each_title():
    """A text browser's dump: every link's text over lines, its references cut off, the
    upvote button before each card and the comments count beside the date."""
    card = "[\n{votes}\n][{n}]\n\n### [{title}][{m}]\n\n[\n\n{abstract}\n\n][{k}]\n[\n* {authors} authors\n][{j}]\n·\n{date}\n"
    text = (
        "# Web source\n\n```text\n# Daily Papers\n\n## by[AK][30] and the research community\n\nJul 29\n"
        + "".join(
            card.format(
                votes=votes,
                title=title,
                abstract=ABSTRACT,
                authors=authors,
                date=day,
                n=n,
                m=n + 1,
                k=n + 2,
                j=n + 3,
            )
            for n, (votes, title, authors, day) in enumerate(
                [("-", "First Paper", 3, "May 30"), ("65", "Second Paper", 671, "Mar 8, 2024 [ 6][39]")],
                start=31,
            )
        )
    )
    page_day, records = parse(text + "```\n")
    assert page_day == (8, 7, 29)
    assert [(r.title, r.upvotes, r.author_count, r.published_on) for r in records] == [
        ("First Paper", 0, 3, None),
        ("Second Paper", 65, 671, date(2024, 3, 8)),
    ]
    assert records[0].abstract == ABSTRACT


@pytest.mark.parametrize("name", ["readme.md", "changelog.md", "page.html"])
def test_a_file_that_is_no_copy_of_the_page_has_no_papers(name):
    """A README made 11 papers (one per heading), a changelog one per version."""
    path = FIXTURES / "not_digests" / name
    with pytest.raises(ContentError) as caught:
        parse_hf_text(path, path.read_text(encoding="utf-8"))
    assert str(caught.value) == f"{path}:1: {EMPTY}"


def test_documentation_shaped_like_a_digest_has_no_papers():
    """Headings over one paragraph each, like a minimal copy, but prose with inline code."""
    text = "".join(
        f"## Step {n}\n\nRun `paper-archive add FILE --date 2025-07-2{n}` to add the day, then "
        f"`make site` to build it; the site is written to `site/` and served by `make serve`.\n\n"
        for n in range(4)
    )
    assert messages(text) == [f"2025-07-29.txt:1: {EMPTY}"]


def _shared_days(every: int) -> list[Path]:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"the shared data set is not beside the checkout ({SHARED_DATA})")
    return sorted(SHARED_DATA.glob("*.json"))[::every]


def _read_back(style_name: str, days: list[Path]) -> list[str]:
    """Each day written as a copy in ``style_name``, read back: the days that differ from the API."""
    differ = []
    for path in days:
        items = json.loads(path.read_text(encoding="utf-8"))
        if not items:
            continue
        day = date.fromisoformat(path.stem)
        args = {"firecrawl": ("q", day), "notebook": ("q", day, day)}.get(style_name, (day,))
        copy = getattr(page_copies, style_name)(items, *args)
        wanted = page_copies.expected(items, style_name, day)
        _, records = parse_hf_text(Path(f"{path.stem}.txt"), copy)
        got = [{key: as_expected(r)[key] for key in paper} for r, paper in zip(records, wanted, strict=False)]
        if got != wanted or len(records) != len(wanted):
            differ.append(path.stem)
    return differ


@pytest.mark.parametrize("style_name", page_copies.STYLES)
def test_shared_days_read_back_from_a_copy_in_each_style(style_name):
    assert _read_back(style_name, _shared_days(every=60)) == []


@pytest.mark.slow
@pytest.mark.parametrize("style_name", page_copies.STYLES)
def test_every_shared_day_reads_back_from_a_copy_in_each_style(style_name):
    """All 393 days: the same papers, ids and metadata as the API gave."""
    assert _read_back(style_name, _shared_days(every=1)) == []


# ------------------------------------------------------- single behaviours

ABSTRACT = (
    "We study *bold* claims about snake_case names and the <EOS> token, which **matter** for "
    "decoding; our method improves accuracy by 12% on three benchmarks and halves the cost."
)


def test_abstract_link_wrapper_is_removed_and_markdown_characters_are_kept():
    text = f"Jul 29\n\n### [A Title](https://huggingface.co/papers/2501.00001)\n\n[{ABSTRACT}](https://huggingface.co/papers/2501.00001)\n"
    _, [record] = parse(text)
    assert record.abstract == ABSTRACT
    assert record.arxiv_id == "2501.00001"


@pytest.mark.parametrize(
    "counter, upvotes",
    [("65", 65), ("[-] 1", 1), ("Upvote 117", 117), ("Upvote\n\n117", 117), ("* 42", 42)],
)
def test_upvote_counter_forms_are_read(counter, upvotes):
    text = f"Jul 29\n\nA Short Title\n\n{ABSTRACT}\n\n{counter}\n"
    _, [record] = parse(text)
    assert (record.title, record.upvotes) == ("A Short Title", upvotes)


@pytest.mark.parametrize(
    "line, repo, stars",
    [
        ("[GitHub](https://github.com/x/y)", "https://github.com/x/y", None),
        ("[GitHub](https://github.com/x/y.git/)", "https://github.com/x/y", None),
        ("[Code](https://github.com/x/y/tree/main/src)", "https://github.com/x/y", None),
        ("GitHub 1.2k", None, 1200),
        ("https://github.com/x/y", "https://github.com/x/y", None),
    ],
)
def test_github_links_are_cleaned_and_star_counts_read(line, repo, stars):
    text = f"Jul 29\n\nA Short Title\n{line}\n\n{ABSTRACT}\n"
    _, [record] = parse(text)
    assert (record.github_repo, record.github_stars) == (repo, stars)


@pytest.mark.parametrize(
    "line",
    [
        "[GitHub](https://github.com/x/y\u202e)",  # bidi override: the link would read as another address
        "https://github.com/x\u2066/y",
        "[GitHub](https://github.com/x/y\u200f/tree/main)",
    ],
)
def test_github_links_with_bidi_controls_are_dropped(line):
    _, [record] = parse(f"Jul 29\n\nA Short Title\n{line}\n\n{ABSTRACT}\n")
    assert record.github_repo is None


@pytest.mark.parametrize(
    "url", ["https://[github.com/x/y", "https://github.com]/x/y", "https://[::1/papers/x"]
)
def test_links_urlsplit_refuses_are_not_metadata_and_do_not_crash(url):
    _, [record] = parse(f"Jul 29\n\nA Short Title\n[Code]({url})\n\n{ABSTRACT}\n")
    assert record.github_repo is None


def test_control_characters_are_refused_at_each_line_naming_them():
    """XML 1.0 cannot hold C0 and the feeds refused every build on one; PyYAML refuses DEL
    and C1 in a page's front matter. U+001C..U+001F and U+0085 are white space to
    ``str.split``: refused before any cleaning would hide them."""
    text = (
        f"Jul 29\n\nA \x1b[1mBold\x1b[0m Title\n\n{ABSTRACT}\x0c\n\nB\x1cTitle\n\n{ABSTRACT} \ufffe\n\n"
        f"C\x7fTitle\n\n{ABSTRACT}\x85\n\nD \x9b Title\n\n{ABSTRACT}\n"
    )
    assert messages(text) == [
        "2025-07-29.txt:3: control character U+001B is not text: remove it",
        "2025-07-29.txt:5: control character U+000C is not text: remove it",
        "2025-07-29.txt:7: control character U+001C is not text: remove it",
        "2025-07-29.txt:9: noncharacter U+FFFE is not text: remove it",
        "2025-07-29.txt:11: control character U+007F is not text: remove it",
        "2025-07-29.txt:13: control character U+0085 is not text: remove it",
        "2025-07-29.txt:15: control character U+009B is not text: remove it",
    ]
    # tab, line feed and carriage return are text
    assert parse(f"Jul 29\n\nA\tTitle\r\n\n{ABSTRACT}\n")[1][0].title == "A Title"


def test_images_authors_dots_and_dates_between_papers_are_dropped():
    text = (
        "Jul 29\n\n![Image 3: thumbnail](https://cdn.example/x.png)\n\n### [First Paper](https://huggingface.co/papers/2501.00001)\n"
        "* 3 authors\n·\nMay 30\n\n"
        + ABSTRACT
        + "\n\n[![](https://cdn.example/y.png)](https://huggingface.co/papers/2501.00002)\n"
        "### Second Paper\n* [ByteDance Seed](https://huggingface.co/ByteDance-Seed)\n· Oct 7, 2024\n\n"
        + ABSTRACT
        + "\n"
    )
    page_day, records = parse(text)
    assert page_day == (1, 7, 29)
    assert [(r.title, r.arxiv_id, r.organization) for r in records] == [
        ("First Paper", "2501.00001", None),
        ("Second Paper", "2501.00002", "ByteDance Seed"),
    ]
    assert str(records[1].published_on) == "2024-10-07"
    assert records[0].abstract == records[1].abstract == ABSTRACT


def test_papers_own_date_before_its_abstract_is_not_the_page_date():
    text = f"### [A Title](https://huggingface.co/papers/2501.00001)\n\nMay 30\n\n{ABSTRACT}\n"
    page_day, [record] = parse(text)
    assert page_day is None
    assert record.title == "A Title"


def test_chrome_line_inside_a_wrapped_abstract_does_not_cut_it():
    half = ABSTRACT.split("; ")
    text = f"Jul 29\n\nA Title\n\n{half[0]};\nhttps://huggingface.co/papers/2501.00001\n{half[1]}\n"
    _, [record] = parse(text)
    assert record.abstract == ABSTRACT
    assert record.arxiv_id == "2501.00001"


def test_invisible_characters_and_carriage_returns_are_ignored():
    text = f"\ufeff\u200bJul 29\r\n\r\n\u200eA Title\u200b\r\n\u2060\r\n{ABSTRACT}\r\n"
    page_day, [record] = parse(text)
    assert page_day == (1, 7, 29)
    assert (record.title, record.abstract) == ("A Title", ABSTRACT)


def test_collapse_is_clean_inline():
    # clean_inline collapses with str.split (fast on a 50 MB digest): the same white space as \s+
    sample = " a\u00a0\u2003b\t\n c\u3000 \u200b d \x1c e "
    assert re.sub(r"\s+", " ", sample).strip() == clean_inline(sample)


# -------------------------------------------------- through parse_digest


def test_parse_digest_reads_bom_and_crlf_copies_like_lf_ones():
    data = (FIXTURES / "hard_wrapped.txt").read_bytes()
    plain = parse_digest(Path("2025-06-03.txt"), data)
    windows = parse_digest(Path("2025-06-03.txt"), b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n"))
    assert windows.records == plain.records
    assert [r.source.line for r in windows.records] == [r.source.line for r in plain.records]
    assert len(plain.records) == 4 and plain.format == "hf-text"


def test_parse_digest_reads_the_seed_with_non_ascii_titles():
    data = (FIXTURES / "url_lines.txt").read_bytes().replace(b"\n", b"\r\n")
    digest = parse_digest(Path("2024-06-04.txt"), b"\xef\xbb\xbf" + data)
    assert digest.records[0].title.startswith("μLO:")


@pytest.mark.parametrize(
    "opening",
    [
        "[Skip to content](#main)",  # a clipper's first line
        "[图片：Hugging Face's logo]",  # an extraction tool's image placeholder
        "[[Hugging Face's logo] Hugging Face][1]",
        "[1]",  # JSON on its own, but not the whole file
        "{{ a template }}",
    ],
)
def test_text_copy_opening_with_a_bracket_is_read_as_text(opening):
    data = f"{opening}\n\nJul 29\n\nA Title\n\n{ABSTRACT}\n".encode()
    digest = parse_digest(Path("2025-07-29.txt"), data)
    assert digest.format == "hf-text"
    assert [(r.title, r.abstract) for r in digest.records] == [("A Title", ABSTRACT)]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b'[{"paper": {"id": "2501.00001", "title": "T',
            "2025-07-29.txt:1: invalid JSON: Unterminated string",
        ),
        (b'\n  {"error": "Not found"}', "2025-07-29.txt:2: expected a JSON array of paper items"),
    ],
)
def test_broken_json_under_a_txt_name_is_reported_as_json(data, message):
    """An API answer cut short is a JSON answer, not a text copy with no papers."""
    with pytest.raises(ContentError) as caught:
        parse_digest(Path("2025-07-29.txt"), data)
    assert str(caught.value).startswith(message)


def test_parse_digest_rejects_a_date_line_for_another_day():
    with pytest.raises(ContentError) as caught:
        parse_digest(Path("2025-07-30.txt"), f"Jul 29\n\nA Title\n\n{ABSTRACT}\n".encode())
    assert str(caught.value).startswith("2025-07-30.txt:1: the page's date line says Jul 29")


# ------------------------------------------------------------------ errors


def test_empty_file_is_an_empty_digest():
    expected_message = (
        "2025-07-29.txt:1: empty digest: no papers found "
        "(expected a date line such as 'Jul 29' followed by title and abstract paragraphs)"
    )
    assert messages("") == [expected_message]
    assert messages("\n \n\u200b\n") == [expected_message]
    assert messages("Daily Papers\n\nSubscribe\n") == [expected_message]


def test_header_only_is_reported_at_the_date_line():
    text = "new\n\nGet trending papers in your email inbox!\n\nDaily Papers\n\nJul 29\n\n"
    assert messages(text) == ["2025-07-29.txt:7: header only: no papers after the date line"]


def test_titles_without_abstracts_are_all_reported_with_their_lines():
    text = (
        f"Jul 29\n\nFirst Title\n\n{ABSTRACT}\n\nOrphan Title\n\nSecond Title\n\n{ABSTRACT}\n\nLast Title\n"
    )
    assert messages(text) == [
        "2025-07-29.txt:7: title without an abstract (a blank line and a paragraph must follow each title)",
        "2025-07-29.txt:13: title without an abstract (a blank line and a paragraph must follow each title)",
    ]


def test_heading_titles_without_abstracts_are_reported():
    text = f"## Jul 29\n\n### [One](https://huggingface.co/papers/2501.00001)\n\n### Two\n\n{ABSTRACT}\n"
    assert messages(text) == [
        "2025-07-29.txt:3: title without an abstract (a blank line and a paragraph must follow each title)"
    ]


def test_text_without_letters_is_neither_title_nor_abstract():
    # "garbage" and ": : :" once made a paper: no copy of the page has an abstract without a word
    assert messages("garbage\n: : :\n") == [
        "2025-07-29.txt:1: empty digest: no papers found "
        "(expected a date line such as 'Jul 29' followed by title and abstract paragraphs)"
    ]
    assert messages(f"Jul 29\n\nA Title\n\n: : : ?! -- ... --- 1 2 3 4 5 6 7\n\nTwo\n\n{ABSTRACT}\n") == [
        "2025-07-29.txt:3: title without an abstract (a blank line and a paragraph must follow each title)"
    ]


def test_abstract_without_a_title_is_reported():
    text = f"Jul 29\n\nA Title\n\n{ABSTRACT}\n\n{ABSTRACT}\n"
    assert messages(text) == [
        "2025-07-29.txt:7: abstract without a title (a title paragraph must come before each abstract)"
    ]


# ------------------------------------------------------ robustness and size

LINE = st.one_of(
    st.text(max_size=200),
    st.text(
        alphabet="\u200b\u200e\u200f\u202e\u2066\ufeff\u05d0\u05d1\u0627\u0644 [](#*-·!\r\t", max_size=80
    ),
    st.sampled_from(
        ["", "Jul 29", "### [T](https://huggingface.co/papers/2501.00001)", "[1]: x", "---", "65"]
    ),
    st.builds(
        lambda n, c: c * n, st.integers(1000, 20000), st.sampled_from(["[", "a ", "](", "\u200f", "#"])
    ),
    st.builds(lambda t: t, st.just(ABSTRACT)),
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.lists(LINE, max_size=30))
def test_arbitrary_text_gives_records_or_located_errors(lines):
    text = "\n".join(lines)
    try:
        page_day, records = parse(text)
    except ContentError as e:
        assert e.source.path == PATH and e.source.line >= 1
    except ContentErrors as e:
        assert e.errors and all(err.source.line >= 1 for err in e.errors)
    else:
        assert records
        assert all(r.title and r.abstract and r.source.line >= 1 for r in records)
        assert page_day is None or 1 <= page_day[1] <= 12


def test_oversized_abstract_is_refused_at_its_title_line():
    """Before, 330 KB of abstract built through MkDocs and then failed on the paper page's
    200 KB guard, naming no digest."""
    text = f"Jul 29\n\nA Short Title\n\n{ABSTRACT}\n\nA Long One\n\n{'An abstract sentence. ' * 15_000}\n"
    with pytest.raises(ContentErrors) as caught:
        parse_digest(PATH, text.encode())
    assert [str(e) for e in caught.value.errors] == [
        "2025-07-29.txt:7: the abstract is 329,999 characters long, over the limit of 20,000: "
        "is the digest broken here?"
    ]


@pytest.mark.slow
def test_large_digest_parses_in_linear_time():
    one = (FIXTURES / "chrome_header.txt").read_text(encoding="utf-8")
    body = one.split("Jul 29", 1)[1]
    titles = [paper["title"] for paper in expected("chrome_header.txt")]
    copies = []  # each copy's papers are new ones: a paper listed twice is one paper
    for number in range(1300):
        copy = body
        for title in titles:
            copy = copy.replace(title, f"{title} {number}")
        copies.append(copy)
    text = one + "".join(copies)  # about 10 MB
    started = time.perf_counter()
    _, records = parse(text)
    elapsed = time.perf_counter() - started
    assert len(records) == 4 * 1301
    assert elapsed < 10, f"{elapsed:.1f}s for {len(text) / 1e6:.0f} MB"
