"""Search benchmark: Pagefind in the header box against stock Material search.

For each size ``bench.replicate`` grows the shared Hugging Face data into an archive
of that many papers (copy 0 is the data as it is; later copies have their own arXiv
ids, titles and days), builds it with ``generator.build.build``, serves it on
127.0.0.1 under the project subpath and, in headless Chromium with a cold cache,
types queries into the header box. It then builds the same docs with Material's
own search plugin and header and types the same queries there, as the baseline.

    .venv/bin/python bench/search.py                      # 10,000 papers
    .venv/bin/python bench/search.py --sizes 10000,50000
    .venv/bin/python bench/search.py --work /tmp/sb --no-baseline        # keep the archive
    .venv/bin/python bench/search.py --work /tmp/sb --reuse --requests   # measure it again,
                                                # with each query's bytes per kind of file
    .venv/bin/python bench/search.py --no-baseline --requests --no-resplit   # Pagefind's
                        # own word index chunks: what cutting them again saves a query
    .venv/bin/python bench/search.py --unique-words http://127.0.0.1:8000/sub/
                        # only: 40 words of one paper each (fixed seed) on the search page of
                        # a site of the shared data already served there; is the paper first?

Figures: ms from the last keystroke to the first results shown, bytes received
for the query (from focusing the box to the results), search bytes fetched by a
plain page load, index build time, site size, and relevance: each query of one half of
``bench.search_queries``' set (ids and links, author names, topics, misspelt topics,
title starts) put in the header box, the ranking a reader sees after search.js, scored
against issue 20's goal for its kind (``--half tune`` to tune, ``--misses`` to list
the queries that miss).
Transfer sizes are bytes on the wire from this uncompressed local server; Pagefind's
files are gzipped already, Material's search_index.json would shrink on a host
that compresses, so its gzip size is printed too.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.measure import stock_overrides  # noqa: E402
from bench.replicate import SHARED_DIR, replicate, source_files  # noqa: E402
from bench.search_queries import AUTHORS_SHOWN, KINDS, Query, build_queries, on_topic  # noqa: E402
from tests.conftest import CHROMIUM_FLAGS, chromium_path, serve  # noqa: E402

TIMING_QUERIES = (
    "diffusion transformer",
    "reinforcement learning reasoning",
    "video generation",
    "mixture of experts",
    "speech recognition",
    "retrieval augmented generation",
    "robot manipulation",
)
UNIQUE_WORDS = 40  # words of one paper only, searched alone: does the paper come first?
UNIQUE_SEED = 20250201
TYPING_DELAY_MS = 40
ANSWER_TIMEOUT_S = 90


@dataclass(frozen=True, slots=True)
class Built:
    site_dir: Path
    docs_dir: Path
    build_s: float
    index_s: float


@dataclass(frozen=True, slots=True)
class Typed:
    ms: float | None  # None: no results within ANSWER_TIMEOUT_S
    query_bytes: int
    load_search_bytes: int
    load_bytes: int
    requests: tuple[tuple[str, int], ...]  # (URL, bytes) of each request for the query


# ---- content --------------------------------------------------------------------


def shared_papers(shared_dir: Path) -> list[dict]:
    """The shared data's papers in file order: copy 0 of ``replicate``, as it is."""
    try:
        files = source_files(shared_dir)
    except FileNotFoundError as e:
        raise SystemExit(f"Error: {e}") from None
    return [item["paper"] for path in files for item in json.loads(path.read_text(encoding="utf-8"))]


def unique_word_cases(
    shared: list[dict], count: int = UNIQUE_WORDS, seed: int = UNIQUE_SEED
) -> list[tuple[str, str]]:
    """``count`` (word, arXiv id) pairs, drawn with a fixed seed: words of five letters or
    more in a paper's title or abstract that no other paper of the shared data has in
    any field (a paper featured on several days counts once)."""
    papers = {paper["id"]: paper for paper in shared}
    seen: dict[str, set[str]] = {}
    for arxiv_id, paper in papers.items():
        for word in set(_WORD.findall(" ".join(_strings(paper)).lower())):
            seen.setdefault(word, set()).add(arxiv_id)
    candidates = sorted(
        (word, arxiv_id)
        for arxiv_id, paper in papers.items()
        for word in set(_WORD.findall(f"{paper['title']} {paper['summary']}".lower()))
        if len(word) >= 5 and seen[word] == {arxiv_id}
    )
    return random.Random(seed).sample(candidates, count)


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    return [text for item in items for text in _strings(item)]


_WORD = re.compile(r"(?<![\w.-])[a-z]+(?![\w-])")


def rank_unique_words(
    browser, site_url: str, cases: list[tuple[str, str]]
) -> tuple[int, int, int, list[str]]:
    """Each word alone on the search page: how often its one paper is first, in the
    top 5 and in the first page (20), and a line for each query where it is not first."""
    context = browser.new_context()
    first = top5 = top20 = 0
    misses = []
    try:
        page = context.new_page()
        for word, arxiv_id in cases:
            page.goto(f"{site_url}search/?q={word}")
            page.wait_for_function(_PAGE_DONE, timeout=ANSWER_TIMEOUT_S * 1000, polling=20)
            ids = [h.rstrip("/").rsplit("/", 1)[-1] for h in page.evaluate(_PAGE_HREFS)]
            status = page.inner_text("[data-pa-search-status]")
            first += ids[:1] == [arxiv_id]
            top5 += arxiv_id in ids[:5]
            top20 += arxiv_id in ids[:20]
            if ids[:1] != [arxiv_id]:
                place = ids.index(arxiv_id) + 1 if arxiv_id in ids else "not in top 20"
                misses.append(f"    {word!r} ({arxiv_id}): {place}; {status}")
    finally:
        context.close()
    return first, top5, top20, misses


_PAGE_DONE = "() => /matching/.test(document.querySelector('[data-pa-search-status]').textContent)"
_PAGE_HREFS = "() => [...document.querySelectorAll('[data-pa-search-results] li > a')].map(a => a.href)"


def report_unique_words(browser, site_url: str) -> None:
    cases = unique_word_cases(shared_papers(SHARED_DIR))
    first, top5, top20, misses = rank_unique_words(browser, site_url, cases)
    print(f"Words of one paper ({len(cases)}, seed {UNIQUE_SEED}), on {site_url}search/:")
    print(f"  paper first {first}, in top 5 {top5}, in top 20 {top20}")
    print("\n".join(misses))


# ---- builds ---------------------------------------------------------------------


def build_archive(work: Path, content: Path, shard_pages: int | None = None, resplit: bool = True) -> Built:
    import generator.build as build_module
    from generator.config import load_settings
    from generator.search import SHARD_PAGES

    index_time: list[float] = []
    real_index = build_module.build_search_index

    def timed_index(site_dir: Path, pages: list[str], reuse=None) -> list:
        started = time.perf_counter()
        shards = real_index(site_dir, pages, shard_pages or SHARD_PAGES, resplit, reuse=reuse)
        index_time.append(time.perf_counter() - started)
        return shards

    settings = load_settings(
        ROOT / "mkdocs.yml", site_url="http://127.0.0.1/paper-archive/", site_dir=work / "site"
    )
    settings = replace(settings, docs_dir=work / "docs")
    build_module.build_search_index = timed_index
    try:
        started = time.perf_counter()
        build_module.build(settings, content, print)
        total = time.perf_counter() - started
    finally:
        build_module.build_search_index = real_index
    return Built(settings.site_dir, settings.docs_dir, total, index_time[0])


def build_material(docs_dir: Path, site_dir: Path) -> float:
    """The same docs with Material's own search plugin and header: the baseline."""
    import yaml
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"]["custom_dir"] = str(stock_overrides(site_dir.parent))
    config["plugins"] = ["search"]
    config["hooks"] = [str(ROOT / h) for h in config.get("hooks", [])]
    config["extra_css"] = [c for c in config.get("extra_css", []) if "search" not in c]
    config.pop("extra_javascript", None)
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as f:
        yaml.safe_dump(config, f)
    started = time.perf_counter()
    try:
        mkdocs_build(
            load_config(
                f.name,
                docs_dir=str(docs_dir),
                site_dir=str(site_dir),
                site_url="http://127.0.0.1/paper-archive/",
            )
        )
    finally:
        Path(f.name).unlink()
    return time.perf_counter() - started


def tree_bytes(path: Path) -> tuple[int, int]:
    files = [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


# ---- browser --------------------------------------------------------------------

_WATCH = """(sel) => {
  window.__keys = []; window.__shown = [];
  document.addEventListener("keydown", () => window.__keys.push(performance.now()), true);
  const list = document.querySelector(sel);
  new MutationObserver(() => {
    if (list.querySelector("li")) window.__shown.push(performance.now());
  }).observe(list, { childList: true, subtree: true });
}"""

_ANSWERED = (
    "() => window.__keys.length && window.__shown.some(t => t > window.__keys[window.__keys.length - 1])"
)
_ELAPSED = (
    "() => { const k = window.__keys[window.__keys.length - 1]; return window.__shown.find(t => t > k) - k; }"
)


def _is_search_data(url: str) -> bool:
    return "/pagefind/" in url or "search_index.json" in url or "/workers/search" in url


def _wire_bytes(request) -> int:
    """Body and headers received. Chromium reports a worker script's body as 0 bytes
    (Pagefind's pagefind-worker.js, 41 KB), so Content-Length stands in for it."""
    sizes = request.sizes()
    body = sizes["responseBodySize"]
    if not body and (response := request.response()):
        body = int(response.headers.get("content-length") or 0)
    return body + sizes["responseHeadersSize"]


def type_query(browser, page_url: str, query: str, input_sel: str, list_sel: str) -> Typed:
    """Cold cache: load the page, click the header box, type, wait for the first results."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route(
        "**/*",
        lambda route: route.continue_()
        if route.request.url.startswith("http://127.0.0.1")
        else route.abort(),
    )
    page = context.new_page()
    phase = ["load"]
    finished: list[tuple[str, object]] = []  # the context sees Pagefind's web worker fetches too
    context.on("requestfinished", lambda request: finished.append((phase[0], request)))
    try:
        page.goto(page_url, wait_until="load")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)
        phase[0] = "query"
        page.evaluate(_WATCH, list_sel)
        page.click(input_sel)
        page.keyboard.type(query, delay=TYPING_DELAY_MS)
        try:
            page.wait_for_function(_ANSWERED, timeout=ANSWER_TIMEOUT_S * 1000, polling=20)
            ms = page.evaluate(_ELAPSED)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(200)
        except Exception:  # no answer in time is a figure, not a crash
            ms = None
        received = [(p, r.url, _wire_bytes(r)) for p, r in finished]
        load = [(u, n) for p, u, n in received if p == "load"]
        return Typed(
            ms=ms,
            query_bytes=sum(n for p, _, n in received if p == "query"),
            load_search_bytes=sum(n for u, n in load if _is_search_data(u)),
            load_bytes=sum(n for _, n in load),
            requests=tuple((u, n) for p, u, n in received if p == "query"),
        )
    finally:
        context.close()


_SHOWN = """(q) => { const more = document.querySelector('.pa-search__more');
  return !more.hidden && more.getAttribute('href').endsWith('?q=' + encodeURIComponent(q)); }"""


@dataclass(frozen=True, slots=True)
class Answer:
    top: tuple[str, ...]  # arXiv ids of the first five results shown
    suggestion: str  # the "did you mean" line, "" if none


_ANSWER = """() => ({
  top: [...document.querySelectorAll('.md-search-result__list a')].slice(0, 5)
    .map(a => a.getAttribute('href').split('/').filter(Boolean).pop()),
  suggestion: (document.querySelector('.pa-search__suggest:not([hidden])') || {}).textContent || '',
})"""


def answer_queries(browser, page_url: str, queries: list[Query]) -> list[Answer]:
    """Each query put in the header box as a reader would: the first five shown and
    the suggestion, if any."""
    context = browser.new_context()
    answers = []
    try:
        page = context.new_page()
        page.goto(page_url)
        page.click("[data-pa-search-query]")
        for query in queries:
            page.fill("[data-pa-search-query]", query.text)
            page.wait_for_function(_SHOWN, arg=query.text, timeout=ANSWER_TIMEOUT_S * 1000, polling=20)
            found = page.evaluate(_ANSWER)
            answers.append(Answer(tuple(found["top"]), " ".join(found["suggestion"].split())))
    finally:
        context.close()
    return answers


def archive_papers(content: Path) -> dict[str, tuple[str, str, frozenset[str]]]:
    """Every paper of a content folder: arXiv id -> (title, abstract, author names shown)."""
    papers = {}
    for path in sorted((content / "digests").glob("*.json")):
        for item in json.loads(path.read_text(encoding="utf-8")):
            paper = item["paper"]
            names = frozenset(
                " ".join(a.get("name", "").split()) for a in paper.get("authors", [])[:AUTHORS_SHOWN]
            )
            papers[paper["id"]] = (" ".join(paper["title"].split()), paper.get("summary", ""), names)
    return papers


@dataclass(frozen=True, slots=True)
class Score:
    queries: int
    hits: int  # the kind's goal met for this query
    first: int  # id, title: the paper first; author: a paper of theirs first
    top5: int  # id, title: the paper in the top 5; author: a paper of theirs in the top 5
    wanted_top5: int  # author: the very paper the name was taken from in the top 5
    on_topic: int  # topic, typo: results in the top 5 on topic
    shown: int  # topic, typo: results in the top 5
    suggested: int  # typo: a suggestion shown
    suggested_right: int  # typo: the suggestion is the topic as spelt right
    misses: tuple[str, ...]


def score_kind(
    kind: str, queries: list[Query], answers: list[Answer], papers: dict[str, tuple[str, str, frozenset[str]]]
) -> Score:
    """How the answers meet the kind's goal. For an author's name, "their paper" is any
    paper that lists the name (many names are on dozens of papers: "Hao Zhang"); the
    paper it was taken from, or its replicated copy, is counted too."""
    first = top5 = wanted_top5 = topical = shown = suggested = right = hits = 0
    misses = []
    for query, answer in zip(queries, answers, strict=True):
        if kind in ("topic", "typo"):
            assert query.topic is not None
            good = [on_topic(papers[i][0], papers[i][1], query.topic) for i in answer.top if i in papers]
            topical += sum(good)
            shown += len(answer.top)
            suggested += bool(answer.suggestion)
            right += query.topic in answer.suggestion.lower()
            # the goal counts the top 5 as a whole; a query "hits" when 4 of 5 are on topic
            hits += sum(good) >= 4
            if sum(good) < 4:
                misses.append(f"    {query.text!r}: {sum(good)} of {len(answer.top)} on topic")
            continue
        wanted = {query.paper}
        if kind == "author":
            abstract = papers[query.paper][1]
            wanted_top5 += any(papers[i][1] == abstract for i in answer.top if i in papers)
            wanted = {i for i in answer.top if i in papers and query.text in papers[i][2]}
        first += bool(answer.top) and answer.top[0] in wanted
        top5 += bool(wanted & set(answer.top))
        met = top5 if kind == "author" else first
        hits = met
        if not (answer.top and answer.top[0] in wanted):
            place = next((n + 1 for n, i in enumerate(answer.top) if i in wanted), None)
            title = papers[answer.top[0]][0][:60] if answer.top else "nothing"
            misses.append(f"    {query.text!r}: {place or 'not in top 5'}; first {title!r}")
    return Score(
        len(queries), hits, first, top5, wanted_top5, topical, shown, suggested, right, tuple(misses)
    )


GOALS = {
    "id": "the paper first, every time",
    "author": "their paper in the top 5 for 90%",
    "topic": "90% of the top 5 on topic",
    "typo": "80% of the top 5 on topic, a suggestion",
    "title": "the paper first 29/30, top 5 all",
}


def _pct(n: int, d: int) -> str:
    return f"{100 * n / d:.0f}%" if d else "-"


def relevance_row(kind: str, score: Score) -> str:
    """One markdown table row: the kind, its queries, what was measured, the goal."""
    n = score.queries
    if kind == "id":
        figure = f"paper first {score.first}/{n}"
        met = score.first == n
    elif kind == "author":
        figure = (
            f"a paper of theirs in the top 5 {score.top5}/{n} ({_pct(score.top5, n)}), first {score.first}; "
            f"the paper the name came from in the top 5 {score.wanted_top5}"
        )
        met = score.top5 >= 0.9 * n
    elif kind == "topic":
        figure = f"{_pct(score.on_topic, score.shown)} of the top 5 on topic ({score.on_topic}/{score.shown})"
        met = score.on_topic >= 0.9 * score.shown
    elif kind == "typo":
        figure = (
            f"{_pct(score.on_topic, score.shown)} of the top 5 on topic ({score.on_topic}/{score.shown}); "
            f"suggestion {score.suggested}/{n}, the words meant {score.suggested_right}/{n}"
        )
        met = score.on_topic >= 0.8 * score.shown and score.suggested == n
    else:
        figure = f"paper first {score.first}/{n} ({_pct(score.first, n)}), top 5 {score.top5}/{n}"
        met = score.first >= n * 29 / 30 and score.top5 == n
    return f"| {kind} | {n} | {figure} | {GOALS[kind]} | {'met' if met else 'NOT met'} |"


def report_relevance(
    browser, page_url: str, queries: list[Query], content: Path, half: str, show_misses: bool
) -> None:
    papers = archive_papers(content)
    chosen = [q for q in queries if half == "all" or q.half == half]
    started = time.perf_counter()
    answers = answer_queries(browser, page_url, chosen)
    print(
        f"Relevance, the {half} half of the query set ({len(chosen)} queries, bench/search_queries.py; "
        f"{time.perf_counter() - started:.0f} s), in the header box:"
    )
    print("| kind | queries | measured | goal | |\n| --- | ---: | --- | --- | --- |")
    for kind in KINDS:
        pairs = [(q, a) for q, a in zip(chosen, answers, strict=True) if q.kind == kind]
        if not pairs:
            continue
        score = score_kind(kind, [q for q, _ in pairs], [a for _, a in pairs], papers)
        print(relevance_row(kind, score))
        if show_misses:
            for line in score.misses:
                print(line)


# ---- report ---------------------------------------------------------------------


def _median(values: list[float | None]) -> str:
    done = [v for v in values if v is not None]
    if not done:
        return "no answer"
    text = f"{statistics.median(done):,.0f}"
    return text + (
        f" ({len(values) - len(done)} of {len(values)} unanswered)" if len(done) < len(values) else ""
    )


_KINDS = (
    (".pf_index", "index chunk"),  # shard 0's and, in pagefind/shard-N/, the others'
    (".pf_filter", "filter"),
    (".pf_fragment", "fragment"),
    (".pf_meta", "metadata"),
    ("pagefind-entry.json", "entry"),
    ("pagefind/shards.json", "shard list"),
    ("pagefind/wasm.", "wasm"),
    ("pagefind-worker.js", "worker js"),
    ("pagefind/pagefind.js", "pagefind.js"),
)


def _by_kind(requests: tuple[tuple[str, int], ...]) -> dict[str, list[int]]:
    """Bytes of each request, grouped by the kind of Pagefind file (or "other")."""
    kinds: dict[str, list[int]] = {}
    for url, n in requests:
        kind = next((k for part, k in _KINDS if part in url), "other")
        kinds.setdefault(kind, []).append(n)
    return kinds


def _kb(n: float) -> str:
    return f"{n / 1024:,.0f} KB"


def run_size(
    browser,
    papers: int,
    work: Path,
    queries: tuple[str, ...],
    baseline: bool,
    reuse: bool,
    show_requests: bool = False,
    shard_pages: int | None = None,
    resplit: bool = True,
    relevance: list[Query] | None = None,
    half: str = "report",
    show_misses: bool = False,
) -> None:
    print(f"\n== {papers:,} papers{'' if resplit else ', word index as Pagefind cut it'} ==", flush=True)
    if reuse and (work / "site" / "pagefind").is_dir():
        print(f"reusing the archive built earlier in {work} (build times not measured)")
        built = Built(work / "site", work / "docs", float("nan"), float("nan"))
    else:
        built = build_archive(work, replicate(SHARED_DIR, work / "content", papers), shard_pages, resplit)
    site_bytes, site_files = tree_bytes(built.site_dir)
    index_bytes, index_files = tree_bytes(built.site_dir / "pagefind")
    print(f"build {built.build_s:.1f} s, of which Pagefind index {built.index_s:.1f} s")
    print(
        f"site {site_bytes / 1024**2:,.1f} MB in {site_files:,} files; "
        f"pagefind/ {index_bytes / 1024**2:,.1f} MB in {index_files:,} files"
    )

    paper_path = "papers/" + sorted(p.name for p in (built.site_dir / "papers").iterdir())[0] + "/"
    server, url = serve(built.site_dir)
    try:
        ours = [
            type_query(browser, url + paper_path, q, "[data-pa-search-query]", ".md-search-result__list")
            for q in queries
        ]
        if relevance:
            report_relevance(browser, url + paper_path, relevance, work / "content", half, show_misses)
    finally:
        server.shutdown()
    assets = sum((built.site_dir / "assets" / n).stat().st_size for n in ("site.js", "site.css"))
    print(f"Pagefind, typed queries ({len(queries)}, cold cache each, {TYPING_DELAY_MS} ms between keys):")
    for q, t in zip(queries, ours, strict=True):
        print(f"  {q!r}: {t.ms if t.ms is None else round(t.ms)} ms, {_kb(t.query_bytes)}")
        if show_requests:
            for kind, sizes in sorted(_by_kind(t.requests).items()):
                each = (
                    ", ".join(f"{n / 1024:,.1f}" for n in sizes) if len(sizes) <= 8 else f"{len(sizes)} files"
                )
                print(f"      {kind:<12} {_kb(sum(sizes)):>7}  ({each})")
    if ours:
        print(f"  median first results after last key: {_median([t.ms for t in ours])} ms")
        print(f"  median bytes for the query: {_kb(statistics.median(t.query_bytes for t in ours))}")
        print(f"  most bytes for a query: {_kb(max(t.query_bytes for t in ours))}")
        print(
            f"  search data on page load: {_kb(max(t.load_search_bytes for t in ours))} "
            f"(plus site.js + site.css, all of the site's scripts and styles, {_kb(assets)}); whole page load "
            f"{_kb(statistics.median(t.load_bytes for t in ours))}"
        )

    if not baseline:
        return
    material_site = work / "site-material"
    index_json = material_site / "search" / "search_index.json"
    if reuse and index_json.is_file():
        material_s = float("nan")
    else:
        material_s = build_material(built.docs_dir, material_site)
    raw = index_json.stat().st_size
    packed = len(gzip.compress(index_json.read_bytes(), 6))
    print(
        f"Material search: build {material_s:.1f} s, search_index.json {raw / 1024**2:,.1f} MB "
        f"({packed / 1024**2:,.1f} MB gzipped)"
    )
    server, url = serve(material_site)
    try:
        stock = [
            type_query(browser, url + paper_path, q, ".md-search__input", ".md-search-result__list")
            for q in queries
        ]
    finally:
        server.shutdown()
    for q, t in zip(queries, stock, strict=True):
        print(f"  {q!r}: {t.ms if t.ms is None else round(t.ms)} ms, {_kb(t.query_bytes)}")
    print(f"  median first results after last key: {_median([t.ms for t in stock])} ms")
    print(f"  search data on page load: {_kb(statistics.median(t.load_search_bytes for t in stock))}")
    ours_ms = [t.ms for t in ours if t.ms is not None]
    stock_ms = [t.ms for t in stock if t.ms is not None]
    if ours_ms and stock_ms:
        ratio = statistics.median(stock_ms) / statistics.median(ours_ms)
        print(f"  ratio, Material / Pagefind time to first results: {ratio:,.1f}x")
    stock_bytes = statistics.median(t.load_search_bytes + t.query_bytes for t in stock)
    ours_bytes = statistics.median(t.load_search_bytes + t.query_bytes for t in ours)
    print(f"  ratio, Material / Pagefind search bytes (page load + query): {stock_bytes / ours_bytes:,.1f}x")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes", default="10000", help="comma-separated archive sizes (default: %(default)s)"
    )
    parser.add_argument("--queries", type=int, default=len(TIMING_QUERIES), help="typed queries per size")
    parser.add_argument("--no-baseline", action="store_true", help="skip stock Material search")
    parser.add_argument("--work", type=Path, help="keep the archives here instead of a temporary folder")
    parser.add_argument(
        "--reuse", action="store_true", help="with --work: measure archives built by an earlier run"
    )
    parser.add_argument(
        "--requests", action="store_true", help="list the bytes of each query by kind of Pagefind file"
    )
    parser.add_argument(
        "--shard-pages",
        type=int,
        help="papers per search index shard (default: generator.search.SHARD_PAGES); with the shared "
        "data's size, shows how shards rank real papers that have no replicated copies",
    )
    parser.add_argument(
        "--no-resplit",
        action="store_true",
        help="keep Pagefind's own word index chunks (generator.search cuts them again): "
        "what cutting again saves per query",
    )
    parser.add_argument(
        "--half",
        choices=("report", "tune", "all"),
        default="report",
        help="which half of the query set to measure relevance on (default: %(default)s; tune on the other)",
    )
    parser.add_argument("--misses", action="store_true", help="list each query that misses its goal")
    parser.add_argument("--no-relevance", action="store_true", help="time and bytes only")
    parser.add_argument(
        "--unique-words",
        metavar="SITE_URL",
        help="only measure words of one paper on a site of the shared data already served at SITE_URL",
    )
    args = parser.parse_args(argv)
    if not 0 <= args.queries <= len(TIMING_QUERIES):
        parser.error(f"--queries takes 0 to {len(TIMING_QUERIES)}")
    relevance = [] if args.no_relevance else build_queries(shared_papers(SHARED_DIR))
    path = chromium_path()
    if not path:
        raise SystemExit("Chromium not found")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_FLAGS)
        try:
            if args.unique_words:
                report_unique_words(browser, args.unique_words.rstrip("/") + "/")
                return 0
            for size in (int(s) for s in args.sizes.split(",")):
                with tempfile.TemporaryDirectory(prefix=f"search-bench-{size}-") as tmp:
                    work = args.work / str(size) if args.work else Path(tmp)
                    reuse = bool(args.work and args.reuse)
                    if work.exists() and not reuse:
                        shutil.rmtree(work)
                    work.mkdir(parents=True, exist_ok=True)
                    queries = TIMING_QUERIES[: args.queries]
                    run_size(
                        browser,
                        size,
                        work,
                        queries,
                        not args.no_baseline,
                        reuse,
                        args.requests,
                        args.shard_pages,
                        not args.no_resplit,
                        relevance,
                        args.half,
                        args.misses,
                    )
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
