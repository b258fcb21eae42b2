/* Paper Archive search: Material's header box and the search page, over Pagefind.
 *
 * Nothing search-related is fetched on page load. Pagefind (its JS, WebAssembly
 * and index metadata) starts loading when the box is approached: pointer over
 * it, focus, or the "/" and "s" shortcuts. A query then fetches only the index
 * chunks for its words and one small fragment per result shown.
 * Bytes are the budget (bench/search.py): each word typed so far would fetch
 * its own index chunks ("d", "di", "dif"... often sit in different ones), so a
 * word still being typed is searched only once typing pauses; words already
 * followed by a space are fetched at once, as the query will need them.
 * Every URL is resolved against the site root (common.js), so the site works
 * under any subpath and never leaves its origin.
 */
(() => {
  "use strict";

  const HEADER_RESULTS = 8;
  const PAGE_RESULTS = 20;
  const EXCERPT_WORDS = 26;
  const MIN_QUERY = 2; // one letter matches most of the index: slow and useless
  const TYPING_PAUSE_MS = 100; // a word counts as typed when no key came for this long
  /* Words of nearly every abstract. Pagefind ranks by BM25, where a word on 97% of
   * pages weighs about 1% of a topical one, yet each would fetch one of the largest
   * index chunks ("of": 66 KB at 10,000 papers). So they are left out of a query
   * that has other words and is not an "exact phrase", as Material's own search
   * (lunr's stop word filter) does. */
  const COMMON_WORDS = new Set(
    ("a an and are as at be by for from has have in into is it its of on or our than that the their these this to " +
      "was we were which while with").split(" "),
  );
  const { root, href, entry } = window.paperArchive;
  const { normalize, isArxivId, rerank, phraseTier, parseVocabulary, suggest, letters, excerptWords } =
    window.paperArchiveQuery; // query.js
  /* How much a result that holds the query's words together gains over one that holds
   * them apart: score × (1 + PHRASE_WEIGHT × share held together). Tuned on half of
   * bench/search_queries.py's queries, reported on the other half. */
  const PHRASE_WEIGHT = 2;
  const FEW = 3; // a query whose words, exactly, are on fewer papers may be misspelt
  /* The header box fetches this many results' fragments and shows the HEADER_RESULTS
   * that hold the query best (phraseTier): a few KB more for a query. It shows the
   * first HEADER_RESULTS as soon as they come, and reorders once the others have. */
  const RERANK = 16;

  let engine = null;
  let shardCount = 1;
  const NO_SHARD = "none"; // a "shard" filter value no page has

  /* Start Pagefind once; later calls share the same promise. A large archive's index
   * comes in shards (generator/search/shards.py): pagefind/shards.json lists them, and all
   * but the first, which holds Pagefind's scripts, are merged into it. */
  function load() {
    if (!engine) {
      const bundle = new URL("pagefind/", root);
      const shards = fetch(new URL("shards.json", bundle), { cache: "no-cache" }).then((response) =>
        response.ok ? response.json() : Promise.reject(new Error(`shards.json: ${response.status}`)),
      );
      shards.catch(() => {}); // awaited below; this keeps a failed import from also reporting it
      engine = import(new URL("pagefind.js", bundle).href).then(async (pagefind) => {
        // Pagefind searches in a web worker (pagefind-worker.js, 41 KB, 12 KB gzipped):
        // { noWorker: true } would save those bytes but freeze the page while a query
        // with thousands of matches is ranked (0.1-0.3 s at 10,000 papers, seconds at 50,000).
        await pagefind.options({ excerptLength: EXCERPT_WORDS });
        await pagefind.init();
        const { shards: paths } = await shards;
        await pagefind.options({ mergeFilter: { shard: "0" } }); // see searchAll
        await Promise.all(
          paths.slice(1).map((path, n) =>
            pagefind.mergeIndex(new URL(path, bundle).href, {
              excerptLength: EXCERPT_WORDS,
              mergeFilter: { shard: String(n + 1) },
            }),
          ),
        );
        shardCount = paths.length;
        return pagefind;
      });
      engine.catch(() => {
        engine = null;
      });
    }
    return engine;
  }

  /* A result's id is its fragment's name, "<prefix>-<n in hex>", where n is the
   * paper's rank by date, 0 the oldest (generator/search/fragments.py). */
  const dateRank = (result) => parseInt(result.id.slice(result.id.lastIndexOf("-") + 1), 16);
  function inDateOrder(results, direction) {
    const sign = direction === "asc" ? 1 : -1;
    return results.slice().sort((a, b) => sign * (dateRank(a) - dateRank(b)));
  }

  /* Each paper's upvotes by date rank (search/upvotes.json, generator/popularity.py),
   * fetched the first time results are sorted by them; -1 where unknown. */
  let upvoteRanks = null;
  function loadUpvotes() {
    if (!upvoteRanks) {
      upvoteRanks = fetch(new URL("search/upvotes.json", root)).then((response) =>
        response.ok ? response.json() : Promise.reject(new Error(`upvotes.json: ${response.status}`)),
      );
      upvoteRanks.catch(() => {
        upvoteRanks = null;
      });
    }
    return upvoteRanks;
  }

  /* Most upvoted first; ties newest first. */
  function inUpvoteOrder(results, upvotes) {
    const votes = (result) => {
      const n = upvotes[dateRank(result)];
      return typeof n === "number" ? n : -1;
    };
    return results.slice().sort((a, b) => votes(b) - votes(a) || dateRank(b) - dateRank(a));
  }

  /* Pagefind's search of `terms` over every shard, ranked as one index would rank it.
   * A shard that has no word starting with a query word falls back to the longest
   * word it has that the query word starts with ("shot" for "shotkv", "dar" for
   * "darija", "2502" for "2502.01941") and scores those pages as if they held the
   * word: merged, they come among, often above, the real matches of the shard that
   * has it. One index falls back only when no page at all has the word. So first an
   * "exact" search of the words counts, per shard, the pages holding them all (as
   * words or their stems): its "shard" filter (see load()) set to a value no page has
   * leaves Pagefind only the counting to do, a few ms. If some shards have such
   * pages and others none, only the former are searched: the others could only
   * match by fallback, or by longer words ("generation" for "gen"), which one index
   * would rank below the exact matches anyway. */
  /* Pagefind's search of `terms`, its one-character words ("f" and "x" of "f(x)") matched
   * as words. Pagefind matches each word as the start of words, among those of the index
   * chunks loaded so far, and loads only the chunk where the word itself sits: "f" is
   * the start of words in dozens of chunks, so what it matched depended on what the page
   * had searched before (a title "From f(x) and g(x)..." first on a fresh page, out of the
   * top 5 after "feature..." and "graph..." queries). So Pagefind searches the longer
   * words, and each one-character word, "quoted", keeps the pages that hold it. */
  async function wordSearch(pagefind, terms, options) {
    if (terms === null || /^\s*".+"\s*$/.test(terms)) return pagefind.search(terms, options);
    const words = terms.split(/\s+/).filter(Boolean);
    const short = [...new Set(words.filter((word) => [...word].length === 1))];
    if (!short.length) return pagefind.search(terms, options);
    const long = words.filter((word) => [...word].length > 1);
    const exact = [];
    for (const word of short) exact.push(await pagefind.search(`"${word}"`, options));
    const search = long.length ? await pagefind.search(long.join(" "), options) : exact[0];
    if (!search || exact.some((found) => !found)) return null;
    const holding = exact.map((found) => new Set(found.results.map((result) => result.id)));
    return { ...search, results: search.results.filter((result) => holding.every((ids) => ids.has(result.id))) };
  }

  async function searchAll(pagefind, terms, options = {}) {
    const words = terms === null || /^\s*".+"\s*$/.test(terms) ? [] : terms.replace(/"/g, "").split(/\s+/);
    if (words.some((word) => /[\p{L}\p{N}]/u.test(word))) {
      const exact = await pagefind.search(`"${words.join(" ")}"`, { filters: { shard: NO_SHARD } });
      const counts = (exact && exact.totalFilters && exact.totalFilters.shard) || {};
      const having = Object.keys(counts).filter((shard) => counts[shard] > 0);
      const holding = having.reduce((sum, shard) => sum + counts[shard], 0);
      if (having.length && having.length < shardCount) {
        const filters = { ...options.filters, shard: { any: having } };
        return { search: await wordSearch(pagefind, terms, { ...options, filters }), exact: holding };
      }
      return { search: await wordSearch(pagefind, terms, options), exact: holding };
    }
    return { search: await wordSearch(pagefind, terms, options), exact: null };
  }

  /* The vocabulary files of the first letters of `query`'s words, parsed, by letter:
   * fetched once each (generator/search/vocabulary.py; a few KB, gzipped). */
  const vocabularies = new Map();
  function vocabulary(letter) {
    if (!vocabularies.has(letter)) {
      const url = new URL(`pagefind/vocabulary/${letter}.pf_vocab`, root);
      const parsed = fetch(url)
        .then((response) => (response.ok ? response.body : Promise.reject(new Error(`${url}: ${response.status}`))))
        .then((body) => new Response(body.pipeThrough(new DecompressionStream("gzip"))).text())
        .then(parseVocabulary)
        .catch(() => new Map()); // no suggestion beats an error
      vocabularies.set(letter, parsed);
    }
    return vocabularies.get(letter);
  }

  /* Search `query` as a reader means it: ids and links as the id, common words left
   * out (searchTerms), and if its words are on almost no paper, a close spelling the
   * archive uses instead, when that finds more ("difusion" -> "diffusion"). Results in
   * Pagefind's order, those holding the words together first unless `sort`. Returns
   * { results, suggestion, used }: `used` when the results are the suggestion's. */
  async function find(pagefind, query, options = {}, sort = "") {
    const terms = query === null ? null : searchTerms(query);
    const { search, exact } = await searchAll(pagefind, terms, options);
    if (!search) return null;
    const found = ranked(search.results, query, terms, sort, { exact, suggestion: null, used: false });
    if (exact !== null && exact < FEW && !isArxivId(query)) {
      return (await respelt(pagefind, found, topical(terms), options, sort)) || found;
    }
    return found;
  }

  function ranked(results, query, terms, sort, rest) {
    const ordered =
      terms === null || sort
        ? results
        : rerank(results, terms.split(/\s+/).length, query.split(/\s+/).length, PHRASE_WEIGHT);
    return { ...rest, results: ordered, query, phrase: query };
  }

  /* `found` again for the spelling the archive uses of its `words` (the vocabulary
   * files of their first letters), if one is closer: with the suggestion's results
   * when they are on more papers, exactly, than twice the query's; null if nothing
   * is to suggest. The query is respelt as typed, common words and all. */
  async function respelt(pagefind, found, words, options, sort) {
    const wanted = letters(words.join(" "));
    const parsed = await Promise.all(wanted.map(vocabulary));
    const suggestion = suggest(found.query, new Map(wanted.map((letter, n) => [letter, parsed[n]])));
    if (!suggestion) return null;
    const terms = searchTerms(suggestion);
    const better = await searchAll(pagefind, terms, options);
    if (better.search && better.exact > 2 * (found.exact || 0)) {
      return { ...ranked(better.search.results, suggestion, terms, sort, { exact: better.exact, used: true }), suggestion };
    }
    return { ...found, suggestion };
  }

  /* A query Pagefind answered by stemming ("imags" is stemmed as "images" is) finds
   * papers, yet may be misspelt: if one of its words (four letters or more) is in
   * none of the results fetched, the spelling is checked as for a query that finds
   * little. Returns `found`, possibly with a suggestion, or the suggestion's. */
  async function checkSpelling(pagefind, found, fetched, options = {}, sort = "") {
    if (found.suggestion || found.query === null || isArxivId(found.query)) return found;
    const seen = new Set(fetched.flatMap((data) => (data.content || "").toLowerCase().match(/\p{L}+/gu) || []));
    const unseen = topical(found.query).filter((w) => /^\p{L}{4,}$/u.test(w) && !seen.has(w.toLowerCase()));
    if (!unseen.length) return found;
    return (await respelt(pagefind, found, unseen, options, sort)) || found;
  }

  /* A result's text in parts: title, what comes before the abstract (id, title, tags,
   * authors) and the abstract (pages/paper.md.j2's "abstract" anchor). */
  function textParts(data) {
    const anchor = (data.anchors || []).find((a) => a.id === "abstract");
    const words = (data.content || "").split(/\s+/);
    const at = anchor ? anchor.location : 0;
    return {
      title: decode(data.meta.title),
      head: words.slice(0, at).join(" "),
      abstract: words.slice(at).join(" "),
    };
  }

  /* Fetched results (data()) reordered: those whose text holds the phrase better first;
   * among titles that hold it, the shorter (the phrase is more of it); else Pagefind's
   * (and rerank's) order. */
  function byPhrase(shown, phrase) {
    if (!phrase || isArxivId(phrase)) return shown;
    const ranked = shown.map((data, n) => {
      const parts = textParts(data);
      const tier = phraseTier(parts, phrase);
      return { data, n, tier, length: tier >= 3 ? parts.title.split(/\s+/).length : 0 };
    });
    ranked.sort((a, b) => b.tier - a.tier || a.length - b.length || a.n - b.n);
    return ranked.map((entry) => entry.data);
  }

  const isCommon = (word) => COMMON_WORDS.has(word.toLowerCase().replace(/[^\p{L}\p{N}]/gu, ""));
  const topical = (text) => text.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word) && !isCommon(word));

  /* What to search for `query`: its topical words, or all of it if it has none or
   * is an "exact phrase" (see COMMON_WORDS). */
  function searchTerms(query) {
    // Pagefind indexes "CoRe^2" as "core2" and "Openstory++" as "openstory", and splits "f(x)"
    const words = /^\s*".+"\s*$/.test(query) ? [] : topical(query.replace(/[+^]+/g, "").replace(/[*#&|<>()[\]{}]+/g, " "));
    return words.length ? words.join(" ") : query;
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* The abstract's passage that matched: the page's indexed text starts with its id,
   * title, tags and authors, which the result shows already; the abstract starts at
   * its "abstract" anchor (pages/paper.md.j2). Text nodes, matched words in <mark>. */
  function abstractExcerpt(data) {
    const anchor = (data.anchors || []).find((a) => a.id === "abstract");
    if (!anchor || !data.content) return excerpt(data.excerpt);
    const words = data.content.split(/\s+/);
    const [first, last, marked] = excerptWords(words.length, data.locations || [], anchor.location, EXCERPT_WORDS);
    const nodes = [];
    let text = first > anchor.location ? "… " : "";
    for (let n = first; n < last; n += 1) {
      if (marked.includes(n)) {
        // the word marked, not the punctuation around it
        const [, before, word, after] = /^(\p{P}*)(.*?)(\p{P}*)$/u.exec(words[n]);
        nodes.push(document.createTextNode(text + before), el("mark", "", word || words[n]));
        text = `${after} `;
      } else {
        text += `${words[n]} `;
      }
    }
    nodes.push(document.createTextNode(last < words.length ? `${text.trimEnd()} …` : text.trimEnd()));
    return nodes;
  }

  /* Pagefind's excerpt is HTML with <mark> around matches. Parse it inert and
   * copy only text and <mark>, so no paper text can ever become markup here. */
  function excerpt(html) {
    const doc = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html");
    return [...doc.body.firstChild.childNodes].map((node) =>
      node.nodeName === "MARK" ? el("mark", "", node.textContent) : document.createTextNode(node.textContent),
    );
  }

  function decode(text) {
    return new DOMParser().parseFromString(text || "", "text/html").documentElement.textContent;
  }

  const upvoteNote = (data) => {
    const n = parseInt(data.meta.upvotes, 10);
    return Number.isNaN(n) ? [] : [el("span", "pa-votes", `${n.toLocaleString("en")} upvote${n === 1 ? "" : "s"}`)];
  };

  const tagNames = (data) => ((data.filters && data.filters.tag) || []).map((tag) => el("span", "pa-tag", decode(tag)));

  /* A result in the header box: Material's markup for a result, our date, tags and excerpt. */
  function headerResult(data) {
    const meta = el("p", "pa-search__meta");
    if (data.meta.date) {
      const time = el("time", "", data.meta.date);
      time.dateTime = data.meta.date;
      meta.append(time);
    }
    meta.append(...tagNames(data));
    const text = el("p", "pa-search__excerpt");
    text.append(...abstractExcerpt(data));
    const article = el("article", "md-search-result__article md-typeset");
    article.append(el("h1", "", decode(data.meta.title)), meta, text);
    const link = el("a", "md-search-result__link");
    link.href = href(data.raw_url || data.url);
    link.tabIndex = -1;
    link.append(article);
    const item = el("li", "md-search-result__item");
    item.append(link);
    return item;
  }

  function resultCount(n) {
    return n === 0 ? "No matching papers" : n === 1 ? "1 matching paper" : `${n.toLocaleString("en")} matching papers`;
  }

  /* "Did you mean <a>…</a>?" in `line` (hidden when there is nothing to suggest), a link
   * to the search page for the suggestion; "Showing its results." when they are. */
  function showSuggestion(line, found, searchPage) {
    line.hidden = !(found && found.suggestion);
    if (line.hidden) return line.replaceChildren();
    const link = el("a", "", found.suggestion);
    link.href = `${searchPage}?q=${encodeURIComponent(found.suggestion)}`;
    return line.replaceChildren("Did you mean ", link, found.used ? "? Showing its results." : "?");
  }

  /* Run `task` for the latest input only. Pagefind answers one search at a time,
   * so searching on every keystroke would queue "d", "di", "dif"... (short
   * prefixes are the costliest) ahead of the query actually wanted. While a
   * search runs, newer input only marks it stale; the newest one runs next. */
  function latestOnly(task) {
    let running = false;
    let again = false;
    return async function kick() {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          await task(() => again);
        } while (again);
      } finally {
        running = false;
      }
    };
  }

  /* Call `task` once typing pauses. Meanwhile fetch the index chunks of the words
   * already finished (followed by a space), which the query will need anyway, and
   * search them, results unused: a page's first search runs Pagefind's WebAssembly
   * before the browser has optimised it, about twice as slow as the next one.
   * Returns [schedule, edits]: call schedule(text) on every edit; edits() counts
   * them, so a search can tell it was overtaken while it ran. */
  function whenTyped(task) {
    let timer = 0;
    let count = 0;
    let warmed = "";
    const schedule = (text) => {
      count += 1;
      clearTimeout(timer);
      const finished = topical(text.replace(/\S*$/, "")).join(" ");
      if (engine && finished.length >= MIN_QUERY && finished !== warmed) {
        warmed = finished;
        engine.then((pagefind) => pagefind.search(finished)).catch(() => {});
      }
      timer = setTimeout(task, TYPING_PAUSE_MS);
    };
    return [schedule, () => count];
  }

  /* ---- The header box (Material's markup, see overrides/partials/search.html) ---- */

  const attribute = (text) =>
    text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

  /* Material's search dialog markup, written here rather than on every page (1.2 KB
   * each); its words come from the box's data attributes, its icons from the sprite. */
  function fillHeaderBox(box) {
    if (box.firstElementChild) return;
    const icons = new URL("assets/icons.svg", root).href;
    const icon = (name) => `<svg><use href="${attribute(icons)}#material-${name}"></use></svg>`;
    const searchPage = attribute(new URL("search/", root).href);
    const label = attribute(box.getAttribute("aria-label") || "Search");
    const placeholder = attribute(box.dataset.paPlaceholder || "Search");
    const reset = attribute(box.dataset.paReset || "Clear");
    box.innerHTML =
      '<label class="md-search__overlay" for="__search"></label>' +
      `<div class="md-search__inner" role="search" aria-label="${label} (quick)">` +
      `<form class="md-search__form" name="pa-search" action="${searchPage}">` +
      `<input type="text" class="md-search__input" name="q" aria-label="${placeholder}" placeholder="${placeholder}" ` +
      'autocapitalize="off" autocorrect="off" autocomplete="off" spellcheck="false" data-pa-search-query required>' +
      `<label class="md-search__icon md-icon" for="__search">${icon("magnify")} ${icon("arrow-left")}</label>` +
      `<nav class="md-search__options" aria-label="${label}">` +
      `<button type="reset" class="md-search__icon md-icon" title="${reset}" aria-label="${reset}" tabindex="-1">${icon("close")}</button>` +
      "</nav></form>" +
      '<div class="md-search__output"><div class="md-search__scrollwrap" tabindex="0" data-md-scrollfix>' +
      '<div class="md-search-result" data-pa-search-result aria-live="polite">' +
      '<div class="md-search-result__meta">Type to search titles, abstracts, authors, tags and arXiv ids</div>' +
      '<p class="pa-search__suggest" hidden></p>' +
      '<ol class="md-search-result__list" role="presentation"></ol>' +
      `<a class="pa-search__more" href="${searchPage}" hidden>Filter by tag or date, sort by date: open the search page</a>` +
      "</div></div></div></div>";
  }

  function setupHeader(box) {
    fillHeaderBox(box);
    const toggle = document.getElementById("__search");
    const input = box.querySelector("[data-pa-search-query]");
    const form = input.form;
    const meta = box.querySelector(".md-search-result__meta");
    const list = box.querySelector(".md-search-result__list");
    const more = box.querySelector(".pa-search__more");
    const suggestion = box.querySelector(".pa-search__suggest");
    const searchPage = more.getAttribute("href");
    const idle = meta.textContent;
    const open = () => {
      if (toggle && !toggle.checked) toggle.checked = true;
      load();
    };
    const close = () => {
      if (toggle) toggle.checked = false;
      input.blur();
    };

    const run = latestOnly(async (stale) => {
      const edit = edits();
      const old = () => stale() || edit !== edits();
      const typed = input.value.trim();
      const query = normalize(typed);
      if (query.length < MIN_QUERY) {
        list.replaceChildren();
        meta.textContent = idle;
        showSuggestion(suggestion, null);
        more.hidden = true;
        return;
      }
      const pagefind = await load();
      let found = await find(pagefind, query);
      if (old() || !found) return; // no fragments for results nobody will see
      // The results shown first, then RERANK - HEADER_RESULTS more fetched to choose
      // from: fetching them all before showing any cost 100-150 ms at 10,000 papers.
      const fetchData = (results, from, to) => Promise.all(results.slice(from, to).map((r) => r.data()));
      let fetched = await fetchData(found.results, 0, HEADER_RESULTS);
      if (old()) return;
      const checked = await checkSpelling(pagefind, found, fetched);
      if (checked.used && !found.used) fetched = await fetchData(checked.results, 0, HEADER_RESULTS);
      if (old()) return;
      found = checked;
      let shown = byPhrase(fetched, found.phrase);
      meta.textContent = resultCount(found.results.length);
      showSuggestion(suggestion, found, searchPage);
      list.replaceChildren(...shown.map(headerResult));
      const others = await fetchData(found.results, HEADER_RESULTS, RERANK);
      if (old()) return;
      const better = byPhrase([...fetched, ...others], found.phrase).slice(0, HEADER_RESULTS);
      if (better.some((data, n) => data !== shown[n])) {
        shown = better;
        list.replaceChildren(...shown.map(headerResult));
      }
      more.href = `${searchPage}?q=${encodeURIComponent(typed)}`;
      more.hidden = false;
    });
    const [schedule, edits] = whenTyped(run);

    box.addEventListener("pointerenter", load, { once: true });
    input.addEventListener("focus", open);
    input.addEventListener("input", () => schedule(input.value));
    form.addEventListener("reset", () => setTimeout(() => schedule("")));
    form.addEventListener("submit", (event) => {
      const first = list.querySelector("a");
      if (first) {
        event.preventDefault();
        first.click();
      }
    });
    if (toggle) {
      toggle.addEventListener("change", () => (toggle.checked ? input.focus() : input.blur()));
    }
    /* Tabbing into the box opens the overlay; tabbing (or clicking) on to something behind
     * it closes it, or it would hide where focus went. A click on the box's own blank
     * parts moves focus to no element (relatedTarget null): the overlay stays. */
    box.addEventListener("focusout", (event) => {
      const to = event.relatedTarget;
      if (toggle && toggle.checked && to && !box.contains(to)) toggle.checked = false;
    });

    const links = () => [...list.querySelectorAll("a"), more].filter((a) => !a.hidden);
    box.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        close();
      } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        const all = links();
        if (!all.length) return;
        event.preventDefault();
        const at = all.indexOf(document.activeElement);
        const next = event.key === "ArrowDown" ? Math.min(at + 1, all.length - 1) : at - 1;
        if (next < 0) input.focus();
        else all[next].focus();
      }
    });

    document.addEventListener("keydown", (event) => {
      if (event.metaKey || event.ctrlKey || event.altKey || event.defaultPrevented) return;
      const active = document.activeElement;
      const typing = active && (active.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName));
      if (typing) return;
      if (event.key === "/" || event.key === "s" || event.key === "S") {
        event.preventDefault();
        open();
        input.focus();
      } else if (event.key === "Escape" && toggle && toggle.checked) {
        close();
      }
    });
  }

  /* ---- The search page (pages/search.md.j2): filters, sorting, more results ---- */

  function setupPage(form) {
    const status = document.querySelector("[data-pa-search-status]");
    const list = document.querySelector("[data-pa-search-results]");
    const moreButton = document.querySelector("[data-pa-search-more]");
    const suggestion = el("p", "pa-search__suggest");
    suggestion.hidden = true;
    status.after(suggestion);
    const fields = ["q", "tag", "year", "month", "org", "code", "sort"];
    // Form fields -> the Pagefind filters they set (paper.md.j2).
    const FILTERS = { tag: "tag", year: "year", month: "month", org: "organization", code: "code" };
    let pending = [];
    let current = 0;

    function state() {
      const data = new FormData(form);
      return Object.fromEntries(fields.map((name) => [name, String(data.get(name) || "").trim()]));
    }

    /* A listing entry (common.js), so that readinglist.js stars and dims it (its
     * MutationObserver sees results added after the page loaded); the excerpt in place
     * of the first sentence. */
    const pageResult = (data) =>
      entry({
        uri: (data.raw_url || data.url).replace(/^\/+/, ""),
        title: decode(data.meta.title),
        day: data.meta.date || "",
        meta: [...upvoteNote(data), ...tagNames(data)],
        summary: abstractExcerpt(data),
      });

    /* The next page of results as list items, or null if a newer search began. */
    async function nextEntries(phrase = null) {
      const mine = current;
      const batch = pending.splice(0, PAGE_RESULTS);
      const shown = await Promise.all(batch.map((r) => r.data()));
      return mine === current ? byPhrase(shown, phrase).map(pageResult) : null;
    }

    async function showMore() {
      const entries = await nextEntries();
      if (!entries) return;
      list.append(...entries);
      moreButton.hidden = pending.length === 0;
    }

    /* Only the chosen year's months can be chosen; a month of another year is dropped. */
    function restrictMonths() {
      const year = form.elements.year.value;
      const month = form.elements.month;
      for (const option of month.options) {
        option.disabled = option.hidden = Boolean(year && option.value) && !option.value.startsWith(`${year}-`);
      }
      if (month.selectedOptions[0] && month.selectedOptions[0].disabled) month.value = "";
    }

    const run = latestOnly(async (stale) => {
      const s = state();
      const params = new URLSearchParams(Object.entries(s).filter(([, v]) => v));
      history.replaceState(null, "", params.toString() ? `?${params}` : location.pathname);
      const filters = {};
      for (const [name, filter] of Object.entries(FILTERS)) if (s[name]) filters[filter] = s[name];
      const sort = ["asc", "desc", "upvotes"].includes(s.sort) ? s.sort : "";
      if (!s.q && !Object.keys(filters).length && !sort) {
        list.replaceChildren();
        status.textContent = "";
        showSuggestion(suggestion, null);
        moreButton.hidden = true;
        return;
      }
      status.textContent = "Searching…";
      const edit = edits();
      const old = () => stale() || edit !== edits();
      const pagefind = await load();
      const [found, upvotes] = await Promise.all([
        find(pagefind, s.q ? normalize(s.q) : null, { filters }, sort),
        sort === "upvotes" ? loadUpvotes() : null,
      ]);
      if (old() || !found) return;
      current += 1;
      pending =
        sort === "upvotes"
          ? inUpvoteOrder(found.results, upvotes)
          : sort
            ? inDateOrder(found.results, sort)
            : found.results.slice();
      const entries = await nextEntries(sort ? null : found.phrase);
      if (!entries || old()) return;
      list.replaceChildren(...entries);
      status.textContent = resultCount(found.results.length);
      showSuggestion(suggestion, found, location.pathname);
      moreButton.hidden = pending.length === 0;
    });
    const [schedule, edits] = whenTyped(run);

    const params = new URLSearchParams(location.search);
    for (const name of fields) {
      const field = form.elements[name];
      if (!params.has(name) || !field) continue;
      if (field.type === "checkbox") field.checked = params.get(name) === field.value;
      else field.value = params.get(name);
    }
    restrictMonths();
    form.addEventListener("pointerenter", load, { once: true });
    form.addEventListener("focusin", load, { once: true });
    form.addEventListener("input", (event) => {
      if (event.target.name === "q") return schedule(event.target.value);
      if (event.target.name === "year") restrictMonths();
      return run();
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      run();
    });
    moreButton.addEventListener("click", showMore);
    if (fields.some((name) => params.get(name))) run();
  }

  const box = document.querySelector("[data-pa-search]");
  if (box) setupHeader(box);
  const pageForm = document.querySelector("[data-pa-search-page]");
  if (pageForm) setupPage(pageForm);
})();
