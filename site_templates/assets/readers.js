/* Readers' tools on the built pages.
 * - Math: the generator marks each formula of a title or abstract as <span class="pa-math">
 *   holding its TeX with delimiters; KaTeX (served from assets/katex/, loaded only on pages
 *   with math) typesets exactly those, so a dollar amount is never touched.
 * - Copy buttons: <button data-pa-copy="ID"> copies the text of the element with that id.
 *   An element with data-pa-bib="URL" data-pa-key="KEY" is first filled with that entry of
 *   the .bib file (a paper page's BibTeX lives in its day's papers.bib), on the first copy
 *   or when its <details> opens.
 */
(() => {
  "use strict";

  const { bibEntries } = window.paperArchive;

  function typeset() {
    if (!window.katex) return;
    for (const el of document.querySelectorAll(".pa-math")) {
      const source = el.textContent;
      const display = /^(\$\$|\\\[)/.test(source);
      const tex = source.replace(/^(\$\$|\$|\\\(|\\\[)/, "").replace(/(\$\$|\$|\\\)|\\\])$/, "");
      try {
        window.katex.render(tex, el, {
          displayMode: display,
          throwOnError: false,
          strict: "ignore",
          trust: false,
          output: "htmlAndMathml",
        });
        el.setAttribute("title", source);
      } catch {
        el.textContent = source; // leave the TeX as written
      }
    }
  }

  function fallbackCopy(text) {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.append(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } catch {
      ok = false;
    }
    area.remove();
    return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  async function fill(source) {
    const url = source.getAttribute("data-pa-bib");
    if (!url) return source.textContent;
    const key = source.getAttribute("data-pa-key");
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    const entry = bibEntries(await response.text()).find((e) => e.key === key);
    if (!entry) throw new Error(`no entry ${key} in ${url}`);
    source.textContent = entry.text;
    source.removeAttribute("data-pa-bib");
    return entry.text;
  }

  function wireBibDetails() {
    for (const source of document.querySelectorAll("[data-pa-bib]")) {
      const details = source.closest("details");
      if (!details) continue;
      details.addEventListener("toggle", () => {
        if (details.open) fill(source).catch(() => {}); // the link to the file stays
      });
    }
  }

  async function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      try {
        return await navigator.clipboard.writeText(text);
      } catch {
        // refused (no focus, no permission): the old way may still work
      }
    }
    return fallbackCopy(text);
  }

  function wireCopyButtons() {
    for (const button of document.querySelectorAll("[data-pa-copy]")) {
      button.addEventListener("click", async () => {
        const source = document.getElementById(button.getAttribute("data-pa-copy"));
        if (!source) return;
        const label = button.textContent;
        try {
          await copy(await fill(source));
          button.textContent = "Copied";
        } catch {
          button.textContent = "Select and copy the text below";
        }
        button.setAttribute("data-pa-copied", "");
        setTimeout(() => {
          button.textContent = label;
        }, 2000);
      });
    }
  }

  function start() {
    typeset();
    wireBibDetails();
    wireCopyButtons();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
