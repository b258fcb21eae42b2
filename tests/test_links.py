"""URLs in abstracts: LaTeX artefacts cleaned, code repositories found, nothing invented."""

from __future__ import annotations

import json
import re

import pytest

from generator.archive import build_archive
from generator.links import clean_url, code_repository, find_code_link, find_urls
from generator.render import linkify
from generator.text import clean_inline
from tests.conftest import require_shared_data
from tests.helpers import digest, record


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        # Abstract excerpts from the shared data (arXiv ids in the comments).
        (
            "https://github.com/masa-ue/SVDD{https://github.com/masa-ue/SVDD}",
            "https://github.com/masa-ue/SVDD",
        ),
        (
            "https://github.com/Gloria2tt/T3M.git{https://github.com/Gloria2tt/T3M.git}",
            "https://github.com/Gloria2tt/T3M",
        ),  # 2408.12885
        ("https://github.com/CONE-MT/LLaMAX/.}", "https://github.com/CONE-MT/LLaMAX/"),  # 2407.05975
        (
            "https://huggingface.co/alexgambashidze/SDXL\\_NCP-DPO\\_v0.1",
            "https://huggingface.co/alexgambashidze/SDXL_NCP-DPO_v0.1",
        ),  # 2406.17636
        ("https://yxyang.github.io/jumping\\_cod/.", "https://yxyang.github.io/jumping_cod/"),  # 2409.10923
        ("http://github.com/ahmedheakl/arazn-llm},", "http://github.com/ahmedheakl/arazn-llm"),  # 2406.18120
        (
            "https://mqleet.github.io/AutoPage_ProjectPage/{Webpage}$.",
            "https://mqleet.github.io/AutoPage_ProjectPage/",
        ),  # 2510.19600
        ("https://github.com/Huage001/URAE{here}.", "https://github.com/Huage001/URAE"),  # 2503.16322
        ("https://example.org/a_(b))", "https://example.org/a_(b)"),
        ("https://example.org/x,", "https://example.org/x"),
    ],
)
def test_clean_url_drops_latex_artefacts_and_trailing_punctuation(written: str, expected: str) -> None:
    assert clean_url(written) == expected


@pytest.mark.parametrize(
    "written",
    [
        "javascript:alert(1)",
        "ftp://example.org/x",
        "https://",
        "https://{x}",
        "data:text/html,x",
        "mailto:a@b.c",
    ],
)
def test_clean_url_refuses_anything_but_http_and_https(written: str) -> None:
    assert clean_url(written) is None


def test_find_urls_swallows_the_duplicate_latex_left_behind() -> None:
    text = "Code is at https://github.com/masa-ue/SVDD{https://github.com/masa-ue/SVDD}. Thanks."
    [(start, end, url)] = find_urls(text)
    assert url == "https://github.com/masa-ue/SVDD"
    assert text[end:] == ". Thanks."
    assert text[:start] == "Code is at "


def test_find_urls_keeps_link_text_that_is_not_a_duplicate() -> None:
    text = "see https://github.com/Huage001/URAE{here}."
    [(_, end, url)] = find_urls(text)
    assert url == "https://github.com/Huage001/URAE" and text[end:] == "{here}."


def test_linkify_links_only_http_urls_and_escapes_the_rest() -> None:
    html = str(linkify('<b>x</b> javascript:alert(1) https://github.com/a/b{https://github.com/a/b}. "q"'))
    assert html == (
        '&lt;b&gt;x&lt;/b&gt; javascript:alert(1) <a href="https://github.com/a/b" rel="nofollow noopener">'
        "https://github.com/a/b</a>. &#34;q&#34;"
    )


def test_linkify_escapes_quotes_inside_urls() -> None:
    html = str(linkify("https://example.org/a'onmouseover=alert(1)"))
    url = "https://example.org/a&#39;onmouseover=alert(1)"
    assert html == f'<a href="{url}" rel="nofollow noopener">{url}</a>'


@pytest.mark.parametrize(
    ("url", "repo"),
    [
        (
            "https://github.com/sail-sg/zero-bubble-pipeline-parallelism",
            "https://github.com/sail-sg/zero-bubble-pipeline-parallelism",
        ),
        (
            "https://github.com/openai/preparedness/tree/main/project/paperbench",
            "https://github.com/openai/preparedness",
        ),
        ("https://gitlab.com/group/sub/project/-/tree/main", "https://gitlab.com/group/sub/project"),
        (
            "https://huggingface.co/datasets/a-m-team/AM-Qwen3-Distilled",
            "https://huggingface.co/datasets/a-m-team/AM-Qwen3-Distilled",
        ),
        (
            "https://huggingface.co/spaces/wsntxxn/efficient_audio_captioning",
            "https://huggingface.co/spaces/wsntxxn/efficient_audio_captioning",
        ),
        ("https://huggingface.co/JoshuaW1997/FUTGA", "https://huggingface.co/JoshuaW1997/FUTGA"),
        ("https://github.com/features/copilot", None),
        ("https://github.com/bytedance", None),
        ("https://huggingface.co/papers/2502.12115", None),
        ("https://huggingface.co/lelapa", None),
        ("https://llm-stacking.github.io/", None),
    ],
)
def test_code_repository_is_the_repository_home(url: str, repo: str | None) -> None:
    assert code_repository(url) == repo


def test_find_code_link_prefers_github_over_hugging_face() -> None:
    abstract = (
        "Models at https://huggingface.co/LLaMAX/LLaMAX3-8B and "
        "code~\\url{https://github.com/CONE-MT/LLaMAX/.} "
        "and a page https://llmx.github.io/."
    )
    assert find_code_link(abstract) == "https://github.com/CONE-MT/LLaMAX"


def test_find_code_link_invents_nothing() -> None:
    assert find_code_link("We will release the code on GitHub soon. See github.com/x/y for details.") is None
    assert (
        find_code_link("Project page: https://llm-stacking.github.io/{https://llm-stacking.github.io/}.")
        is None
    )


def test_merge_fills_the_code_link_from_the_abstract_only_when_no_record_has_one() -> None:
    found = record(
        "A", "Code: https://github.com/masa-ue/SVDD{https://github.com/masa-ue/SVDD}.", "2501.00001"
    )
    given = record(
        "B", "Code: https://github.com/other/repo.", "2501.00002", github_repo="https://github.com/given/repo"
    )
    none = record("C", "No code here.", "2501.00003")
    archive, _ = build_archive([digest("2025-01-02", found, given, none)], {})
    repos = {p.arxiv_id: p.github_repo for p in archive.papers}
    assert repos == {
        "2501.00001": "https://github.com/masa-ue/SVDD",
        "2501.00002": "https://github.com/given/repo",
        "2501.00003": None,
    }


def _shared_abstracts() -> dict[str, str]:
    abstracts = {}
    for path in sorted(require_shared_data().glob("*.json")):
        for item in json.loads(path.read_text(encoding="utf-8")):
            paper = item["paper"]
            abstracts[paper["id"]] = clean_inline(paper.get("summary") or "")
    return abstracts


@pytest.mark.slow
def test_every_url_of_the_shared_abstracts_is_clean() -> None:
    urls = [url for text in _shared_abstracts().values() for _, _, url in find_urls(text)]
    assert len(urls) > 1500
    leftovers = [u for u in urls if re.search(r"[{}\\\s]|[.,;:)]$|\.git$", u)]
    assert leftovers == []


@pytest.mark.slow
def test_code_links_of_the_shared_abstracts_are_repository_homes_written_in_them() -> None:
    abstracts = _shared_abstracts()
    links = {arxiv_id: find_code_link(text) for arxiv_id, text in abstracts.items()}
    found = {k: v for k, v in links.items() if v}
    assert len(found) > 800
    assert links["2408.12885"] == "https://github.com/Gloria2tt/T3M"
    assert links["2405.15319"] is None  # a project page, not code
    for arxiv_id, link in found.items():
        assert re.fullmatch(r"https?://(github\.com|gitlab\.com|huggingface\.co)/\S+", link), link
        owner_repo = link.split("/", 3)[3]
        assert owner_repo.lower() in abstracts[arxiv_id].replace("\\_", "_").lower(), (arxiv_id, link)
