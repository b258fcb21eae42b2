"""My list travels and suggests, in a real Chromium (issue 21, item 4): its JSON, BibTeX
and Markdown exports imported into another browser's list, other sites' papers left out,
and papers like the list found from the related papers of its papers.

Runs against the sample site served under /paper-archive/.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


def assert_clean(page) -> None:
    assert page.errors == []
    assert page.outside_requests() == []


def listed(p) -> list[str]:
    return p.eval_on_selector_all(".pa-mylist__items li", "lis => lis.map(li => li.dataset.paper)")


def star_three(p, site: str) -> list[str]:
    p.goto(site + "latest/")
    uris = p.eval_on_selector_all(".pa-list .pa-entry", "lis => lis.map(li => li.dataset.paper)")[:3]
    for uri in uris:
        p.locator(f".pa-list .pa-entry[data-paper='{uri}'] .pa-star").first.click()
    return uris[::-1]  # the list shows the latest starred first


def export(p, kind: str, tmp_path: Path) -> Path:
    with p.expect_download() as info:
        p.click(f"[data-pa-export={kind}]")
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path


def import_file(p, path: Path) -> str:
    p.set_input_files("input[data-pa-import]", str(path))
    p.wait_for_function(
        "() => /^(Imported|No papers)/.test(document.querySelector('.pa-mylist__status').textContent)"
    )
    return p.inner_text(".pa-mylist__status")


@pytest.mark.parametrize("kind", ["json", "bibtex", "markdown"])
def test_each_export_imports_into_an_empty_list(
    page, browser, sample_url: str, tmp_path: Path, kind: str
) -> None:
    p = page.page
    uris = star_three(p, sample_url)
    p.goto(sample_url + "mylist/")
    stored = p.evaluate(
        "() => JSON.parse(localStorage.getItem(Object.keys(localStorage).find(k => k.startsWith('pa-list:'))))"
    )
    if kind == "bibtex":
        p.locator(".pa-mylist__actions").wait_for()
    path = export(p, kind, tmp_path)

    other = browser.new_context()  # another browser: an empty list
    q = other.new_page()
    errors: list[str] = []
    q.on("pageerror", lambda e: errors.append(str(e)))
    q.goto(sample_url + "mylist/")
    assert listed(q) == []
    assert import_file(q, path) == f"Imported 3 papers from {path.name}."
    assert listed(q) == uris
    again = q.evaluate(
        "() => JSON.parse(localStorage.getItem(Object.keys(localStorage).find(k => k.startsWith('pa-list:'))))"
    )
    assert again == stored  # titles, days and arXiv ids as the list keeps them
    assert import_file(q, path) == f"Imported 0 papers from {path.name}; 3 already in your list."
    q.reload()
    assert listed(q) == uris
    assert errors == []
    other.close()
    assert_clean(page)


def test_import_leaves_out_other_sites_papers_and_unknown_files(
    page, sample_url: str, tmp_path: Path
) -> None:
    p = page.page
    p.goto(sample_url + "latest/")
    uri = p.get_attribute(".pa-list .pa-entry", "data-paper")
    p.goto(sample_url + "mylist/")
    mixed = tmp_path / "mixed.json"
    mixed.write_text(
        json.dumps(
            {
                "papers": [
                    {
                        "uri": "https://elsewhere.example/papers/2512.00001/",
                        "title": "Elsewhere",
                        "day": "2025-12-01",
                    },
                    {"uri": "papers/9999.99999/", "title": "", "day": ""},  # no such page here
                    {"uri": uri, "title": "", "day": ""},  # title and day from its page
                ]
            }
        ),
        encoding="utf-8",
    )
    assert import_file(p, mixed) == "Imported 1 paper from mixed.json; 2 not found on this site."
    assert listed(p) == [uri]
    assert p.inner_text(".pa-mylist__items .pa-entry__title") != ""
    readme = tmp_path / "notes.txt"
    readme.write_text("Just some notes, no papers.\n", encoding="utf-8")
    assert import_file(p, readme).startswith("No papers found in notes.txt")
    assert not [u for u in page.requests if "elsewhere" in u]
    assert page.outside_requests() == []


def test_papers_like_my_list_come_from_related_papers(page, sample_url: str) -> None:
    p = page.page
    uris = star_three(p, sample_url)
    scores: dict[str, list[float]] = {}  # uri -> [score, pages naming it], in first-seen order
    for uri in uris:  # the list's order, latest starred first
        p.goto(sample_url + uri)
        hrefs = p.eval_on_selector_all(".pa-related li a", "as => as.map(a => a.href)")
        for rank, href in enumerate(hrefs):
            found = re.sub(r"^.*?/paper-archive/", "", href)
            if found not in uris:
                score = scores.setdefault(found, [0.0, 0])
                score[0] += 1 / (rank + 1)
                score[1] += 1
    expected = sorted(scores, key=lambda u: -scores[u][0])[:10]  # stable: ties first seen first
    p.goto(sample_url + "mylist/")
    p.click("[data-pa-suggest]")
    p.wait_for_selector(".pa-suggest__items li")
    suggested = p.eval_on_selector_all(".pa-suggest__items li", "lis => lis.map(li => li.dataset.paper)")
    assert suggested == expected and not set(suggested) & set(uris)
    named = [
        int(t.split()[2])
        for t in p.eval_on_selector_all(
            ".pa-suggest__items .pa-entry__meta span", "ss => ss.map(s => s.textContent)"
        )
    ]
    assert named == [scores[u][1] for u in expected]  # "related to N of your papers"
    p.locator(".pa-suggest__items .pa-star").first.click()  # starred from the suggestions
    assert listed(p)[0] == suggested[0]
    assert_clean(page)
