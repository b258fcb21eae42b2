/* What the site's scripts share, as window.paperArchive (site.js holds this file first).
 *
 * - root: the site root as a URL. Pages say where it is, relative to themselves (to their
 *   <base>, where they have one), in <meta name="pa-base"> (overrides/main.html); every
 *   script resolves its URLs against it, so the site works under any subpath and never
 *   leaves its origin.
 * - entry(): a listing entry, cloned from the page's <template id="pa-entry">, which the
 *   build renders as it renders the entries of every listing (generator/render.py).
 * - bibEntries(): the entries of a .bib file, whatever its spacing and line breaks.
 */
window.paperArchive = (() => {
  "use strict";

  const baseMeta = document.querySelector('meta[name="pa-base"]');
  const root = new URL((baseMeta && baseMeta.getAttribute("content")) || ".", document.baseURI);

  /* A site-relative URI ("papers/2505.01234/", also with a leading "/") as an absolute URL. */
  const href = (uri) => new URL(uri.replace(/^\/+/, ""), root).href;

  /* A listing entry for the paper at `uri`: its title linked, its day, then `meta` (nodes
   * after the day: tags, an arXiv id) and `summary` (nodes; none drops the summary). */
  function entry({ uri, title, day = "", meta = [], summary = [] }) {
    const template = document.getElementById("pa-entry");
    if (!template) throw new Error("this page has no <template id=pa-entry> for listing entries");
    const item = template.content.firstElementChild.cloneNode(true);
    item.dataset.paper = uri;
    item.dataset.day = day;
    const link = item.querySelector(".pa-entry__title");
    link.href = href(uri);
    link.textContent = title;
    const time = item.querySelector(".pa-entry__meta time");
    if (day) {
      time.dateTime = day;
      time.textContent = day;
    } else {
      time.remove();
    }
    item.querySelector(".pa-entry__meta").append(...meta);
    const summaryLine = item.querySelector(".pa-entry__summary");
    if (summary.length) summaryLine.append(...summary);
    else summaryLine.remove();
    return item;
  }

  /* The end of the value or entry body opening at text[at] ("{", "(" or '"'): the index
   * just past its closing character, braces counted as BibTeX counts them; -1 if none. */
  function closing(text, at) {
    const close = { "{": "}", "(": ")", '"': '"' }[text[at]];
    let depth = 0;
    for (let i = at + 1; i < text.length; i += 1) {
      const char = text[i];
      if (depth === 0 && char === close) return i + 1;
      if (char === "{") depth += 1;
      else if (char === "}" && --depth < 0) return -1;
    }
    return -1;
  }

  /* Fields of an entry body after its key: name = {value} | "value" | word, parts joined
   * by #; names lowercased, values without their outer braces or quotes. */
  function bibFields(body) {
    const fields = {};
    const name = /\s*,?\s*([A-Za-z][\w:.+/-]*)\s*=\s*/y;
    let at = 0;
    while (at < body.length) {
      name.lastIndex = at;
      const found = name.exec(body);
      if (!found) break;
      at = name.lastIndex;
      let value = "";
      for (;;) {
        if (body[at] === "{" || body[at] === '"') {
          const end = closing(body, at);
          if (end < 0) return fields;
          value += body.slice(at + 1, end - 1);
          at = end;
        } else {
          const word = /[^\s,#{}"]*/y;
          word.lastIndex = at;
          value += word.exec(body)[0];
          at = word.lastIndex;
        }
        const join = /\s*#\s*/y;
        join.lastIndex = at;
        if (!join.test(body)) break;
        at = join.lastIndex;
      }
      fields[found[1].toLowerCase()] = value;
    }
    return fields;
  }

  /* The entries of a .bib file as {type, key, fields, text}: `text` is the entry as
   * written, from its "@" to its closing brace, and a line break. Text between entries
   * is a comment, as BibTeX reads it; @comment, @preamble and @string are skipped. */
  function bibEntries(text) {
    const entries = [];
    const start = /@\s*([A-Za-z]+)\s*([{(])/g;
    for (let found = start.exec(text); found; found = start.exec(text)) {
      const open = found.index + found[0].length - 1;
      const end = closing(text, open);
      if (end < 0) break;
      start.lastIndex = end;
      const type = found[1].toLowerCase();
      if (type === "comment" || type === "preamble" || type === "string") continue;
      const body = text.slice(open + 1, end - 1);
      const comma = body.indexOf(",");
      entries.push({
        type,
        key: (comma < 0 ? body : body.slice(0, comma)).trim(),
        fields: comma < 0 ? {} : bibFields(body.slice(comma)),
        text: `${text.slice(found.index, end)}\n`,
      });
    }
    return entries;
  }

  return Object.freeze({ root, href, entry, bibEntries });
})();
