/* Readers' tools on the built pages.
 * - Math: the generator marks each formula of a title or abstract as <span class="pa-math">
 *   holding its TeX with delimiters; KaTeX (served from assets/katex/, loaded only on pages
 *   with math) typesets exactly those, so a dollar amount is never touched.
 * - Copy buttons: <button data-pa-copy="ID"> copies the text of the element with that id.
 *   An element with data-pa-bib="URL" data-pa-key="KEY" is first filled with that entry of
 *   the .bib file (a paper page's BibTeX lives in its day's papers.bib), on the first copy
 *   or when its <details> opens.
 */
(function () {
  "use strict";

  function typeset() {
    if (!window.katex) return;
    document.querySelectorAll(".pa-math").forEach(function (el) {
      var source = el.textContent;
      var display = /^(\$\$|\\\[)/.test(source);
      var tex = source.replace(/^(\$\$|\$|\\\(|\\\[)/, "").replace(/(\$\$|\$|\\\)|\\\])$/, "");
      try {
        window.katex.render(tex, el, { displayMode: display, throwOnError: false, strict: "ignore", trust: false, output: "htmlAndMathml" });
        el.setAttribute("title", source);
      } catch (e) {
        el.textContent = source; // leave the TeX as written
      }
    });
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  // "@misc{KEY," up to the closing brace at the start of a line: one entry of a .bib file.
  function bibEntry(text, key) {
    var start = text.indexOf("@misc{" + key + ",\n");
    if (start < 0) return null;
    var end = text.indexOf("\n}\n", start);
    return end < 0 ? null : text.slice(start, end + 3);
  }

  function fill(source) {
    var url = source.getAttribute("data-pa-bib");
    if (!url) return Promise.resolve(source.textContent);
    return fetch(url)
      .then(function (response) {
        if (!response.ok) throw new Error(url + ": " + response.status);
        return response.text();
      })
      .then(function (text) {
        var entry = bibEntry(text, source.getAttribute("data-pa-key"));
        if (entry === null) throw new Error("no entry " + source.getAttribute("data-pa-key") + " in " + url);
        source.textContent = entry;
        source.removeAttribute("data-pa-bib");
        return entry;
      });
  }

  function wireBibDetails() {
    document.querySelectorAll("[data-pa-bib]").forEach(function (source) {
      var details = source.closest("details");
      if (!details) return;
      details.addEventListener("toggle", function () {
        if (details.open) fill(source).catch(function () { /* the link to the file stays */ });
      });
    });
  }

  function wireCopyButtons() {
    document.querySelectorAll("[data-pa-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        var source = document.getElementById(button.getAttribute("data-pa-copy"));
        if (!source) return;
        var copied = fill(source).then(function (text) {
          return navigator.clipboard && window.isSecureContext
            ? navigator.clipboard.writeText(text).catch(function () { return fallbackCopy(text); })
            : fallbackCopy(text);
        });
        var label = button.textContent;
        copied.then(
          function () { button.textContent = "Copied"; },
          function () { button.textContent = "Select and copy the text below"; }
        ).then(function () {
          button.setAttribute("data-pa-copied", "");
          setTimeout(function () { button.textContent = label; }, 2000);
        });
      });
    });
  }

  function start() {
    typeset();
    wireBibDetails();
    wireCopyButtons();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
