/* Reading list: star papers, list them on "My list", export them; all in this browser.
 *
 * Stars and visited papers live in localStorage (no account, no server). A starred
 * paper is stored with what the list page needs to show it without fetching anything:
 * {uri, title, day, arxiv}, day being the paper's first featured day. URIs are
 * site-relative ("papers/2505.01234/"), resolved against the site root (common.js), so
 * the site works under any subpath. Pages are (re)bound on Material's document$ when
 * instant navigation is on, else once on DOMContentLoaded; entries added to a page later
 * (search results) get their stars from a MutationObserver.
 */
(() => {
  "use strict";

  const { root, href, entry, bibEntries } = window.paperArchive;
  const ARXIV = /^papers\/(\d{4}\.\d{4,5})\/$/; // a paper's permanent URI, when it has an arXiv id
  const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
  const ENTRY = ".pa-entry[data-paper]";

  /* Every GitHub Pages project site of a user shares one origin (USER.github.io), hence one
   * localStorage: the keys carry the site's root path, so /repo/ and /full/ keep their own
   * lists, and a list never links to another archive's papers. */
  const scope = root.pathname;
  const LIST_KEY = `pa-list:${scope}`;
  const SEEN_KEY = `pa-seen:${scope}`;
  const DIM_KEY = `pa-dim:${scope}`;
  const LEGACY = { list: "pa-list", seen: "pa-seen", dim: "pa-dim" }; // before the keys had a scope

  function load(key, fallback) {
    try {
      const value = JSON.parse(localStorage.getItem(key));
      return value === null ? fallback : value;
    } catch {
      return fallback;
    }
  }

  function save(key, value) {
    try {
      localStorage.setItem(key, JSON.stringify(value));
    } catch {
      // storage full or disabled: the page still works, nothing is kept
    }
  }

  function present(key) {
    try {
      return localStorage.getItem(key) !== null;
    } catch {
      return false;
    }
  }

  /* Lists kept before the keys had a scope hold site-relative URIs only: nothing stored
   * tells which archive on the origin a paper was starred on, and checking would mean
   * fetching every paper page. So they are migrated once, whole: the first load of a site
   * without a list of its own copies the legacy list, visited papers and dim choice into
   * its keys. The legacy keys are left as they were, so each archive on the origin gets
   * its user's stars back on its own first load; a paper starred on another archive may
   * show on this list then, until unstarred, and never comes back after that. */
  function migrate() {
    if (present(LIST_KEY)) return;
    if (!present(SEEN_KEY) && present(LEGACY.seen)) save(SEEN_KEY, load(LEGACY.seen, {}));
    if (!present(DIM_KEY) && present(LEGACY.dim)) save(DIM_KEY, load(LEGACY.dim, false));
    const items = load(LEGACY.list, []);
    save(LIST_KEY, Array.isArray(items) ? items : []); // written even when empty: migrated once
  }

  function list() {
    const items = load(LIST_KEY, []);
    return Array.isArray(items) ? items.filter((p) => p && typeof p.uri === "string") : [];
  }

  const starredSet = () => new Set(list().map((p) => p.uri));

  function seenSet() {
    const seen = load(SEEN_KEY, {});
    return typeof seen === "object" && seen !== null && !Array.isArray(seen) ? seen : {};
  }

  function describe(button) {
    const uri = button.getAttribute("data-paper");
    const item = button.closest(".pa-entry");
    const heading = item ? item.querySelector(".pa-entry__title") : document.querySelector(".pa-paper h1");
    const match = ARXIV.exec(uri);
    return {
      uri,
      title: heading ? heading.textContent.trim() : uri,
      day: button.getAttribute("data-day") || "",
      arxiv: match ? match[1] : null,
    };
  }

  /* Idempotent, so that the MutationObserver below never sees a change it made itself. */
  function show(button, starred) {
    const label = starred ? "Remove from my list" : "Add to my list";
    const text = starred ? "\u2605" : "\u2606";
    button.setAttribute("aria-pressed", starred ? "true" : "false");
    button.setAttribute("title", label);
    button.setAttribute("aria-label", label);
    if (button.textContent !== text) button.textContent = text;
  }

  function toggle(button) {
    const uri = button.getAttribute("data-paper");
    const items = list();
    const starred = items.some((p) => p.uri === uri);
    save(LIST_KEY, starred ? items.filter((p) => p.uri !== uri) : [describe(button), ...items]);
    for (const b of document.querySelectorAll(".pa-star")) {
      if (b.getAttribute("data-paper") === uri) show(b, !starred);
    }
  }

  function renderList(container) {
    const items = list();
    const entries = items.map((p) =>
      entry({
        uri: p.uri,
        title: p.title,
        day: p.day || "",
        meta: p.arxiv ? [`arXiv ${p.arxiv}`] : [],
      }),
    );
    container.querySelector(".pa-mylist__items").replaceChildren(...entries);
    paint(entries, []);
    container.querySelector(".pa-mylist__empty").hidden = items.length > 0;
    for (const button of container.querySelectorAll("[data-pa-export]")) button.disabled = !items.length;
  }

  /* Plain text as BibTeX: every character TeX reads as a command written as text, braces
   * included (BibTeX counts them), "^" too ("^^5c" is a backslash to TeX). The same rule as
   * escape_latex in generator/bibtex.py; a browser test compares the two. */
  const LATEX_TEXT = {
    "\\": "\\textbackslash{}",
    "{": "\\textbraceleft{}",
    "}": "\\textbraceright{}",
    $: "\\$",
    "&": "\\&",
    "%": "\\%",
    "#": "\\#",
    _: "\\_",
    "~": "\\textasciitilde{}",
    "^": "\\textasciicircum{}",
  };
  const bibtexText = (value) => String(value).replace(/[\\{}$&%#_~^]/g, (c) => LATEX_TEXT[c]);

  /* What the list itself knows, for a paper whose full entry is not at hand: no authors.
   * The year is the arXiv id's (YYMM), as in the site's own entries; never the featured day's. */
  function minimalEntry(p) {
    const key = (p.arxiv ? `arxiv${p.arxiv}` : p.uri.replace(/^papers\//, ""))
      .replace(/[^A-Za-z0-9]+/g, "_")
      .replace(/_+$/, "");
    const fields = [["title", `{${bibtexText(p.title)}}`]];
    if (p.arxiv) {
      fields.push(["year", `20${p.arxiv.slice(0, 2)}`]);
      fields.push(["eprint", p.arxiv], ["archivePrefix", "arXiv"], ["url", `https://arxiv.org/abs/${p.arxiv}`]);
    } else {
      fields.push(["url", href(p.uri)]);
    }
    if (p.day) fields.push(["note", `Featured in Hugging Face Daily Papers on ${bibtexText(p.day)}`]);
    const lines = fields.map(([name, value]) => `  ${name} = {${value}}`);
    return `@misc{${key},\n${lines.join(",\n")}\n}\n`;
  }

  /* The papers.bib of the paper's first featured day holds its full entry (as its page says).
   * Where it is comes from the page: #pa-mylist's data-pa-day-bib, the site-relative URI of
   * a day's papers.bib with {year}, {month} and {day} in place of the date's parts. */
  function bibUrl(p) {
    const day = DAY.exec(p.day || "");
    const mine = document.getElementById("pa-mylist");
    const pattern = mine && mine.getAttribute("data-pa-day-bib");
    if (!day || !pattern) return null;
    const parts = { year: day[1], month: day[2], day: day[3] };
    return href(pattern.replace(/\{(year|month|day)\}/g, (_, part) => parts[part]));
  }

  /* The entries of a .bib file by their url field: the key is not in the list (it depends
   * on the whole archive), the arXiv URL is, and it is unique. */
  async function fetchBib(url) {
    try {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const byUrl = new Map();
      for (const e of bibEntries(await response.text())) if (e.fields.url) byUrl.set(e.fields.url, e.text);
      return { entries: byUrl };
    } catch (error) {
      return { error: error && error.message ? error.message : String(error) };
    }
  }

  /* Full entries from each needed day's papers.bib, each file fetched once, in the list's
   * order. A paper without an arXiv id has no entry on the site: its minimal one is all
   * there is. An entry that cannot be had is the minimal one after a comment saying why. */
  async function toBibtex(items) {
    const files = new Map();
    for (const p of items) {
      const url = p.arxiv && bibUrl(p);
      if (url && !files.has(url)) files.set(url, fetchBib(url));
    }
    const got = new Map();
    for (const [url, file] of files) got.set(url, await file);
    let minimal = 0;
    const text = items
      .map((p) => {
        if (!p.arxiv) return minimalEntry(p);
        const url = bibUrl(p);
        const file = url ? got.get(url) : null;
        const found = file && file.entries ? file.entries.get(`https://arxiv.org/abs/${p.arxiv}`) : null;
        if (found) return found;
        minimal += 1;
        const why = !url
          ? "no featured day is stored for this paper"
          : file.error
            ? `could not fetch ${url} (${file.error})`
            : `no entry for https://arxiv.org/abs/${p.arxiv} in ${url}`;
        return `% Minimal entry, without authors: ${why}.\n${minimalEntry(p)}`;
      })
      .join("\n");
    return { text, minimal };
  }

  function toMarkdown(items) {
    const lines = ["# My reading list", ""];
    for (const p of items) {
      const title = p.title.replace(/([\\[\]])/g, "\\$1");
      const extra = [p.arxiv ? `arXiv:${p.arxiv}` : "", p.day ? `featured ${p.day}` : ""].filter(Boolean).join(", ");
      const after = extra ? ` \u2014 ${extra}` : "";
      lines.push(`- [${title}](${href(p.uri)})${after}`);
    }
    return `${lines.join("\n")}\n`;
  }

  function download(name, type, text) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  function status(text) {
    const line = document.querySelector("#pa-mylist .pa-mylist__status");
    if (line) line.textContent = text;
  }

  /* The list as it is stored, for another browser's import (readinglist_share.js). */
  function toJson(items) {
    const papers = items.map((p) => ({ uri: p.uri, title: p.title, day: p.day || "", arxiv: p.arxiv || null }));
    return `${JSON.stringify({ format: "paper-archive-list", version: 1, site: root.href, papers }, null, 1)}\n`;
  }

  let exporting = false;

  async function exportList(kind) {
    const items = list();
    if (kind === "json") {
      download("my-list.json", "application/json", toJson(items));
      return;
    }
    if (kind !== "bibtex") {
      download("my-list.md", "text/markdown", toMarkdown(items));
      return;
    }
    if (exporting) return; // a second click while the entries are being fetched
    exporting = true;
    status("Fetching the BibTeX entries\u2026");
    try {
      const bib = await toBibtex(items);
      status(
        bib.minimal
          ? `${bib.minimal} ${bib.minimal === 1 ? "entry" : "entries"} could not be fetched: ` +
              `${bib.minimal === 1 ? "it is" : "they are"} minimal (no authors), marked with a comment in the file.`
          : "",
      );
      download("my-list.bib", "application/x-bibtex", bib.text);
    } catch (error) {
      // a list entry of an unexpected shape: say so, allow a retry
      status(`The BibTeX export failed: ${error && error.message ? error.message : error}`);
    } finally {
      exporting = false;
    }
  }

  function applyDim() {
    const on = load(DIM_KEY, false) === true;
    document.documentElement.classList.toggle("pa-dim", on);
    for (const box of document.querySelectorAll(".pa-dimtoggle input")) box.checked = on;
  }

  function addDimToggle() {
    const first = document.querySelector(".md-content .pa-list");
    if (!first || document.querySelector(".pa-dimtoggle")) return;
    const label = document.createElement("label");
    label.className = "pa-dimtoggle";
    const box = document.createElement("input");
    box.type = "checkbox";
    label.append(box, " Dim papers I\u2019ve opened");
    first.before(label);
  }

  /* Listing entries carry their paper and day as data attributes; their star buttons
   * are made here rather than shipped in every entry (180,000 entries at 50,000 papers). */
  function addStar(li) {
    let star = li.querySelector(".pa-star");
    if (star) return star;
    star = document.createElement("button");
    star.type = "button";
    star.className = "pa-star";
    star.setAttribute("data-paper", li.getAttribute("data-paper"));
    star.setAttribute("data-day", li.getAttribute("data-day") || "");
    li.prepend(star);
    return star;
  }

  /* Stars and "seen" marks for these entries and star buttons, with one read of the storage. */
  function paint(entries, stars) {
    const starred = starredSet();
    const seen = seenSet();
    for (const li of entries) {
      const uri = li.getAttribute("data-paper");
      show(addStar(li), starred.has(uri));
      li.classList.toggle("pa-seen", Object.hasOwn(seen, uri));
    }
    for (const b of stars) show(b, starred.has(b.getAttribute("data-paper")));
  }

  let observer = null;

  function bind() {
    const paper = document.querySelector(".pa-paper .pa-star");
    if (paper) {
      // a paper page: remember it was opened
      const seen = seenSet();
      seen[paper.getAttribute("data-paper")] = 1;
      save(SEEN_KEY, seen);
    }
    const mine = document.getElementById("pa-mylist");
    if (mine) renderList(mine);
    paint(document.querySelectorAll(ENTRY), document.querySelectorAll(".pa-star"));
    addDimToggle();
    applyDim();
    if (observer) observer.takeRecords(); // what bind() just did needs no second look
  }

  /* Entries and stars added after load (search results, another script's lists) are painted
   * as they arrive. Only added elements that are, or hold, an entry or a star are looked at,
   * so the observer's cost follows what changed; the stars it adds and the labels it sets
   * are not entries, and show() writes nothing that is already so: it never feeds itself. */
  function observe() {
    if (!window.MutationObserver || !document.body || observer) return;
    observer = new MutationObserver((mutations) => {
      const entries = [];
      const stars = [];
      const collect = (node) => {
        if (!(node instanceof Element)) return;
        if (node.matches(ENTRY)) entries.push(node);
        else if (node.matches(".pa-star")) stars.push(node);
        if (node.firstElementChild) {
          entries.push(...node.querySelectorAll(ENTRY));
          stars.push(...node.querySelectorAll(".pa-star"));
        }
      };
      for (const m of mutations) {
        if (m.type === "attributes") collect(m.target);
        else m.addedNodes.forEach(collect);
      }
      if (!entries.length && !stars.length) return;
      paint(entries, stars);
      observer.takeRecords(); // the stars just added and painted
    });
    observer.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-paper"] });
  }

  // One listener for the whole session: it survives instant navigation's page swaps.
  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const star = target && target.closest(".pa-star");
    if (star) {
      event.preventDefault();
      toggle(star);
      const mine = document.getElementById("pa-mylist");
      if (mine && star.closest("#pa-mylist")) renderList(mine);
      return;
    }
    const exporter = target && target.closest("[data-pa-export]");
    if (exporter) exportList(exporter.getAttribute("data-pa-export"));
  });
  document.addEventListener("change", (event) => {
    const box = event.target;
    if (box instanceof Element && box.closest(".pa-dimtoggle")) {
      save(DIM_KEY, box.checked);
      applyDim();
    }
  });
  window.addEventListener("storage", (event) => {
    // another tab changed the list
    if (event.key === LIST_KEY || event.key === SEEN_KEY || event.key === DIM_KEY) bind();
  });

  /* For readinglist_share.js: the list, and adding papers at its end (imports). */
  window.paperArchiveList = Object.freeze({
    list,
    append(items) {
      const have = starredSet();
      const added = items.filter((p) => !have.has(p.uri) && have.add(p.uri));
      if (added.length) save(LIST_KEY, [...list(), ...added]);
      bind();
      return added.length;
    },
  });

  migrate();
  function start() {
    bind();
    observe();
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    observe();
    window.document$.subscribe(bind);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
