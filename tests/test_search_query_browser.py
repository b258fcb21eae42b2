"""query.js, the pure part of search: pasted ids and links, phrase ranking, spelling
suggestions and excerpts, called one function at a time in a real Chromium (the
sample site loads site.js), and their effect in the header box."""

from __future__ import annotations

import pytest

from tests.test_search_browser import assert_clean, header_search

pytestmark = pytest.mark.browser

BLENDERFUSION = "papers/2506.17450/"


def call(page, url: str, function: str, *args):
    """window.paperArchiveQuery[function](...args) on ``url``."""
    page.goto(url)
    return page.evaluate("([f, args]) => window.paperArchiveQuery[f](...args)", [function, list(args)])


@pytest.mark.parametrize(
    ("typed", "searched"),
    [
        ("2505.21411", "2505.21411"),
        ("2505.21411v2", "2505.21411"),
        ("arXiv:2505.21411", "2505.21411"),
        ("arxiv: 2505.21411v1", "2505.21411"),
        ("https://arxiv.org/abs/2505.21411", "2505.21411"),
        ("https://arxiv.org/abs/2505.21411v3", "2505.21411"),
        ("http://arxiv.org/pdf/2505.21411v2.pdf", "2505.21411"),
        ("https://arxiv.org/pdf/2505.21411", "2505.21411"),
        ("arxiv.org/html/2505.21411v1#S2", "2505.21411"),
        ("https://www.arxiv.org/abs/2505.21411?context=cs", "2505.21411"),
        ("https://huggingface.co/papers/2505.21411", "2505.21411"),
        ("https://huggingface.co/papers/2505.21411#community", "2505.21411"),
        ("hf.co/papers/2505.21411", "2505.21411"),
        ("https://doi.org/10.48550/arXiv.2505.21411", "2505.21411"),
        ("  video   generation ", "video generation"),
        ("see arXiv:2505.21411 please", "see 2505.21411 please"),
        ("1.5 billion", "1.5 billion"),
        ("https://example.com/2505.21411", "https://example.com/2505.21411"),
    ],
)
def test_query_normalize_reduces_ids_and_links_to_the_id(
    page, sample_url: str, typed: str, searched: str
) -> None:
    assert call(page.page, sample_url, "normalize", typed) == searched


@pytest.mark.parametrize(
    "typed",
    [
        "arXiv:2506.17450",
        "2506.17450v2",
        "https://arxiv.org/abs/2506.17450",
        "https://arxiv.org/pdf/2506.17450v1",
        "https://huggingface.co/papers/2506.17450",
    ],
)
def test_header_search_pasted_link_brings_the_paper_first(page, sample_url: str, typed: str) -> None:
    hrefs = header_search(page.page, sample_url, typed)
    assert hrefs[0] == sample_url + BLENDERFUSION
    assert_clean(page)


@pytest.mark.parametrize(
    ("positions", "terms", "span", "score"),
    [
        ([5, 6], 2, 2, 1.0),  # "video generation"
        ([5, 40], 2, 2, 0.5),  # the words apart
        ([5, 7], 2, 3, 1.0),  # "mixture of experts": "of" is not searched
        ([5, 7], 2, 2, 0.5),
        ([1, 2, 3, 4, 5, 6, 90], 6, 6, 1.0),  # a title's first six words
        ([1, 3, 4, 5, 6, 7], 6, 6, 5 / 6),  # ... in a copy "Name II: ..."
        ([3], 1, 1, 1.0),
        ([], 2, 2, 0.0),
    ],
)
def test_query_phrase_score_counts_the_terms_held_together(
    page, sample_url: str, positions: list[int], terms: int, span: int, score: float
) -> None:
    assert call(page.page, sample_url, "phraseScore", positions, terms, span) == pytest.approx(score)


def test_query_rerank_puts_the_phrase_first_and_keeps_ties_in_order(page, sample_url: str) -> None:
    results = [
        {"id": "apart", "score": 10, "words": [1, 50]},
        {"id": "together", "score": 7, "words": [20, 21]},  # 7 × 3 against 10 × 2
        {"id": "also-apart", "score": 10, "words": [3, 80]},
    ]
    ranked = page.page.goto(sample_url) and page.page.evaluate(
        "(rs) => window.paperArchiveQuery.rerank(rs, 2, 2, 2).map(r => r.id)", results
    )
    assert ranked == ["together", "apart", "also-apart"]


VOCABULARY = "diffusion 1500\ndifferent 900\ndistillation 300\ndifusion 1\ndiffusive 4\ndarija 3\ndata 4000\n"


@pytest.mark.parametrize(
    ("query", "suggestion"),
    [
        ("difusion models", "diffusion models"),  # on 1 paper, diffusion on 1,500
        ("diffsuion", "diffusion"),  # a swap
        ("distilation", "distillation"),
        ("diffusiom transformers", "diffusion transformers"),  # no "t" file: "transformers" stays
        ("diffusion", None),  # known
        ("darija", None),  # rare but on KNOWN papers
        ("dtaa", "data"),  # four letters: one edit
        ("dat", None),  # too short to guess
        ("2505.21411", None),
    ],
)
def test_query_suggest_uses_the_archive_vocabulary(
    page, sample_url: str, query: str, suggestion: str | None
) -> None:
    page.page.goto(sample_url)
    found = page.page.evaluate(
        """([text, query]) => { const q = window.paperArchiveQuery;
             return q.suggest(query, new Map([['d', q.parseVocabulary(text)]])); }""",
        [VOCABULARY, query],
    )
    assert found == suggestion


def test_query_edit_distance_counts_swaps_as_one(page, sample_url: str) -> None:
    assert call(page.page, sample_url, "editDistance", "diffsuion", "diffusion", 2) == 1
    assert call(page.page, sample_url, "editDistance", "difusion", "diffusion", 2) == 1
    assert call(page.page, sample_url, "editDistance", "model", "diffusion", 2) == 3  # stops past the limit


@pytest.mark.parametrize(
    ("locations", "expected"),
    [
        ([1, 2, 3], [40, 60, []]),  # title matches only: the abstract's start, nothing marked
        ([2, 70, 71, 90], [67, 87, [70, 71]]),  # the passage with the most matches, 3 words before
        ([195, 198], [180, 200, [195, 198]]),  # never past the end
    ],
)
def test_query_excerpt_words_come_from_the_abstract(
    page, sample_url: str, locations: list[int], expected: list
) -> None:
    assert call(page.page, sample_url, "excerptWords", 200, locations, 40, 20) == expected


@pytest.mark.parametrize(
    ("phrase", "title", "tier"),
    [
        ("video generation", "Temporal Video Generation at Scale", 4),
        ("video generation", "Video Diffusion Generation", 3),  # one word between
        ("mixture of experts", "A Mixture of Experts for Vision", 4),
        ("video generation", "Generation of Video", 0),  # the other order
        ("generative video", "Video Generation", 0),
        ("video generators", "Video Generation", 4),  # forms of one word
    ],
)
def test_query_phrase_tier_prefers_the_phrase_in_the_title(
    page, sample_url: str, phrase: str, title: str, tier: int
) -> None:
    parts = {"title": title, "head": title, "abstract": "Nothing to see here."}
    assert call(page.page, sample_url, "phraseTier", parts, phrase) == tier


def test_query_phrase_tier_finds_an_author_and_the_abstract(page, sample_url: str) -> None:
    parts = {
        "title": "A Title",
        "head": "2501.00001. A Title. Tag. Ke Li, Jie Yang.",
        "abstract": "We study video generation.",
    }
    assert call(page.page, sample_url, "phraseTier", parts, "Ke Li") == 2
    assert call(page.page, sample_url, "phraseTier", parts, "Li Ke") == 0
    assert call(page.page, sample_url, "phraseTier", parts, "video generation") == 2


def test_header_search_suggests_and_shows_the_spelling_the_archive_uses(page, sample_url: str) -> None:
    fetched: list[str] = []
    page.page.on("request", lambda r: fetched.append(r.url) if "/vocabulary/" in r.url else None)
    header_search(page.page, sample_url, "difusion")
    suggestion = page.page.locator(".pa-search__suggest")
    assert suggestion.inner_text() == "Did you mean diffusion? Showing its results."
    assert suggestion.locator("a").get_attribute("href").endswith("search/?q=diffusion")
    titles = page.page.eval_on_selector_all(".md-search-result__list h1", "hs => hs.map(h => h.textContent)")
    assert len(titles) == 8 and "Diffusion" in titles[0]
    assert [u.rsplit("/", 1)[-1] for u in fetched] == ["d.pf_vocab"]
    assert_clean(page)


def test_header_search_fetches_no_vocabulary_for_words_it_finds(page, sample_url: str) -> None:
    fetched: list[str] = []
    page.page.on("request", lambda r: fetched.append(r.url) if "/vocabulary/" in r.url else None)
    header_search(page.page, sample_url, "diffusion models")
    assert page.page.locator(".pa-search__suggest").is_hidden()
    assert fetched == []
    assert_clean(page)


def test_search_page_suggests_too(page, sample_url: str) -> None:
    page.page.goto(sample_url + "search/?q=difusion")
    page.page.wait_for_function(
        "() => /matching/.test(document.querySelector('[data-pa-search-status]').textContent)"
    )
    line = "[data-pa-search-status] + .pa-search__suggest"  # the header box has one too
    assert page.page.inner_text(line) == "Did you mean diffusion? Showing its results."
    assert_clean(page)


def test_header_search_excerpt_is_the_abstract_passage_with_highlights(page, sample_url: str) -> None:
    header_search(page.page, sample_url, "shotbench")
    first = page.page.locator(".md-search-result__list li").first
    excerpt = first.locator(".pa-search__excerpt")
    text = excerpt.inner_text()
    assert "2506.21356" not in text and "Hongbo Liu" not in text  # not the id, authors or tags
    assert excerpt.locator("mark").first.inner_text() == "ShotBench"  # the word, not its comma
    style = excerpt.locator("mark").first.evaluate(
        "m => { const s = getComputedStyle(m); return [s.color, s.backgroundColor, s.textDecorationLine]; }"
    )
    assert style == ["rgb(26, 26, 26)", "rgb(255, 233, 122)", "none"]  # 13:1, not a link's underline
    assert_clean(page)


@pytest.mark.parametrize("typed", ["SWE-bench", "SWEbench", "swe bench"])
def test_header_search_hyphenated_names_with_and_without_the_hyphen(
    page, sample_url: str, typed: str
) -> None:
    # Pagefind indexes "SWE-bench" as the whole word and its parts
    hrefs = header_search(page.page, sample_url, typed)
    assert hrefs[0] == header_search(page.page, sample_url, "SWE-bench")[0]
    assert_clean(page)


def answers_in_turn(page, url: str, queries: list[str]) -> list[tuple[str, list[str]]]:
    """Each query put in the header box in turn on one page, as bench/search.py does:
    the result count and the results' hrefs after each."""
    page.goto(url)
    page.click("[data-pa-search-query]")
    answers = []
    for query in queries:
        page.fill("[data-pa-search-query]", query)
        page.wait_for_function(
            "q => !document.querySelector('.pa-search__more').hidden"
            " && document.querySelector('.pa-search__more').href.endsWith('?q=' + encodeURIComponent(q))",
            arg=query,
        )
        hrefs = page.eval_on_selector_all(".md-search-result__list a", "as => as.map(a => a.href)")
        answers.append((page.inner_text(".md-search-result__meta"), hrefs))
    return answers


@pytest.mark.parametrize("before", ["framework feature fusion", "fine flow"])
def test_header_search_one_letter_words_find_the_same_whatever_was_searched_before(
    page, sample_url: str, before: str
) -> None:
    # Pagefind matches "f" as the start of words, among the index chunks loaded so far;
    # in the sample's index, "f" alone is in its chunk and other f-words in three more.
    # Without matching it as a word: 1 paper on a fresh page, 125 after "framework...".
    fresh = answers_in_turn(page.page, sample_url, ["f models"])
    assert fresh == [("1 matching paper", [sample_url + "papers/2512.23707/"])]
    assert answers_in_turn(page.page, sample_url, [before, "f models"])[1] == fresh[0]
    assert_clean(page)
