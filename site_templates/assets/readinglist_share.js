/* My list travels and suggests: import of the list's own exports, and papers like it.
 *
 * Import reads a file the list exported (my-list.json, my-list.bib or my-list.md, from
 * this or another browser) and adds its papers that this site has to the end of the
 * list. Only papers of this site are taken: a site-relative URI ("papers/<id>/"), an
 * address under this site's root, or an arXiv id, whose page is papers/<id>/. Where the
 * file does not say a paper's title and first featured day (BibTeX, Markdown), the
 * paper's own page does: it is fetched, and a paper without one here is left out.
 *
 * "Papers like my list" fetches the pages of the list's papers (the latest starred
 * first, at most MAX_SOURCES) and counts the related papers each page links to: a paper
 * that several of them name, or names first, comes first. Papers already listed are
 * left out. Everything runs in the browser; nothing is sent anywhere.
 */
(() => {
  "use strict";

  const { root, href, entry, bibEntries } = window.paperArchive;
  const store = window.paperArchiveList;
  const MAX_SOURCES = 40; // pages fetched for suggestions, about 9 KB each
  const SUGGESTIONS = 10;
  const ARXIV_ID = /^\d{4}\.\d{4,5}$/;
  const DAY = /^\d{4}-\d{2}-\d{2}$/;

  function status(text) {
    const line = document.querySelector("#pa-mylist .pa-mylist__status");
    if (line) line.textContent = text;
  }

  /* A site-relative paper URI from what a file says, or null: never another site's page. */
  function paperUri(value) {
    if (typeof value !== "string" || !value) return null;
    const arxiv = /^(?:arxiv:)?(\d{4}\.\d{4,5})(?:v\d+)?$/i.exec(value.trim()) ||
      /^https?:\/\/arxiv\.org\/(?:abs|pdf)\/(\d{4}\.\d{4,5})(?:v\d+)?\/?$/i.exec(value.trim());
    if (arxiv) return `papers/${arxiv[1]}/`;
    let url;
    try {
      url = /^[a-z][a-z0-9+.-]*:/i.test(value) ? new URL(value) : new URL(value.replace(/^\/+/, ""), root);
    } catch {
      return null;
    }
    if (url.origin !== root.origin || !url.pathname.startsWith(root.pathname)) return null;
    const uri = decodeURIComponent(url.pathname.slice(root.pathname.length));
    return /^papers\/[^/]+\/$/.test(uri) ? uri : null;
  }

  const arxivOf = (uri) => {
    const id = /^papers\/([^/]+)\/$/.exec(uri);
    return id && ARXIV_ID.test(id[1]) ? id[1] : null;
  };

  /* TeX as plain text, enough for a title the list only shows: braces and escapes gone. */
  const texText = (text) =>
    text
      .replace(/\\text(?:backslash|braceleft|braceright|asciitilde|asciicircum)\{\}/g, (c) => ({
        "\\textbackslash{}": "\\",
        "\\textbraceleft{}": "{",
        "\\textbraceright{}": "}",
        "\\textasciitilde{}": "~",
        "\\textasciicircum{}": "^",
      })[c])
      .replace(/\\([$&%#_])/g, "$1")
      .replace(/[{}]/g, "")
      .replace(/\s+/g, " ")
      .trim();

  /* [{uri, title?, day?}] from the text of an export, by its kind; [] if it is none of them. */
  function parseExport(text) {
    const trimmed = text.trim();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
      let data;
      try {
        data = JSON.parse(trimmed);
      } catch {
        return [];
      }
      const papers = Array.isArray(data) ? data : data && Array.isArray(data.papers) ? data.papers : [];
      return papers
        .filter((p) => p && typeof p === "object")
        .map((p) => ({
          uri: paperUri(p.uri) || paperUri(p.arxiv || ""),
          title: typeof p.title === "string" ? p.title : "",
          day: typeof p.day === "string" && DAY.test(p.day) ? p.day : "",
        }));
    }
    if (/@\s*[A-Za-z]+\s*[{(]/.test(text)) {
      return bibEntries(text).map((e) => {
        const note = /(\d{4}-\d{2}-\d{2})/.exec(e.fields.note || "");
        return {
          uri: paperUri(e.fields.eprint || "") || paperUri(e.fields.url || ""),
          title: texText(e.fields.title || ""),
          day: note ? note[1] : "",
        };
      });
    }
    const items = [];
    for (const line of text.split("\n")) {
      const link = /^\s*[-*]\s+\[((?:\\.|[^\]\\])*)\]\(([^)\s]+)\)(.*)$/.exec(line);
      if (!link) continue;
      const day = /featured (\d{4}-\d{2}-\d{2})/.exec(link[3]);
      items.push({ uri: paperUri(link[2]), title: link[1].replace(/\\(.)/g, "$1"), day: day ? day[1] : "" });
    }
    return items;
  }

  /* A paper's page: its title and first featured day, or null if this site has no such page. */
  async function pageOf(uri) {
    try {
      const response = await fetch(href(uri));
      if (!response.ok) return null;
      const doc = new DOMParser().parseFromString(await response.text(), "text/html");
      const star = doc.querySelector(".pa-paper .pa-star[data-paper]");
      const heading = doc.querySelector(".pa-paper h1");
      if (!star || star.getAttribute("data-paper") !== uri) return null; // a redirect page, say
      return { doc, title: heading ? heading.textContent.trim() : uri, day: star.getAttribute("data-day") || "" };
    } catch {
      return null;
    }
  }

  async function importFile(file) {
    status(`Reading ${file.name}\u2026`);
    const found = parseExport(await file.text());
    const wanted = [];
    const seen = new Set();
    for (const p of found) {
      if (p.uri && !seen.has(p.uri)) {
        seen.add(p.uri);
        wanted.push(p);
      }
    }
    const complete = await Promise.all(
      wanted.map(async (p) => {
        if (p.title && p.day) return p;
        const page = await pageOf(p.uri);
        return page ? { uri: p.uri, title: p.title || page.title, day: p.day || page.day } : null;
      }),
    );
    const items = complete.filter(Boolean).map((p) => ({ uri: p.uri, title: p.title, day: p.day, arxiv: arxivOf(p.uri) }));
    const added = store.append(items);
    const skipped = found.length - items.length;
    status(
      !found.length
        ? `No papers found in ${file.name}: import a list exported here (JSON, BibTeX or Markdown).`
        : `Imported ${added} ${added === 1 ? "paper" : "papers"} from ${file.name}` +
            (items.length > added ? `; ${items.length - added} already in your list` : "") +
            (skipped > 0 ? `; ${skipped} not found on this site` : "") +
            ".",
    );
  }

  /* Related papers of the list's papers, scored: a paper named first on a page counts 1,
   * the next 1/2, and so on; the sum over pages ranks them, ties by first seen. */
  async function suggest(box) {
    const items = store.list();
    const listed = new Set(items.map((p) => p.uri));
    const results = box.querySelector(".pa-suggest__items");
    const note = box.querySelector(".pa-suggest__status");
    if (!items.length) {
      note.textContent = "Star a few papers first: suggestions come from the papers related to them.";
      results.replaceChildren();
      return;
    }
    note.textContent = "Finding papers like your list\u2026";
    const pages = await Promise.all(items.slice(0, MAX_SOURCES).map((p) => pageOf(p.uri)));
    const scores = new Map();
    for (const page of pages) {
      if (!page) continue;
      [...page.doc.querySelectorAll(".pa-related li a")].forEach((a, rank) => {
        const uri = paperUri(new URL(a.getAttribute("href"), href(pageUriOf(page))).href);
        if (!uri || listed.has(uri)) return;
        const s = scores.get(uri) || { uri, title: a.textContent.trim(), score: 0, from: 0, order: scores.size };
        s.score += 1 / (rank + 1);
        s.from += 1;
        scores.set(uri, s);
      });
    }
    const best = [...scores.values()].sort((a, b) => b.score - a.score || a.order - b.order).slice(0, SUGGESTIONS);
    results.replaceChildren(
      ...best.map((s) => {
        const why = document.createElement("span");
        why.textContent = s.from === 1 ? "related to 1 of your papers" : `related to ${s.from} of your papers`;
        return entry({ uri: s.uri, title: s.title, meta: [why] });
      }),
    );
    note.textContent = best.length ? "" : "No related papers found outside your list.";
  }

  /* Where a fetched paper page lives: its star names it. */
  const pageUriOf = (page) => page.doc.querySelector(".pa-paper .pa-star").getAttribute("data-paper");

  document.addEventListener("change", (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.matches("[data-pa-import]") || !input.files.length) return;
    const [file] = input.files;
    input.value = ""; // the same file can be chosen again
    importFile(file).catch((error) => status(`The import failed: ${error && error.message ? error.message : error}`));
  });
  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest("[data-pa-suggest]") : null;
    const box = button && button.closest(".pa-suggest");
    if (box) suggest(box).catch((error) => (box.querySelector(".pa-suggest__status").textContent = String(error)));
  });
})();
