/* Readers' tools on the built pages.
 * - Math: the generator marks each formula of a title or abstract as <span class="pa-math">
 *   holding its TeX with delimiters; KaTeX (served from assets/katex/, loaded only on pages
 *   with math) typesets exactly those, so a dollar amount is never touched.
 * - Copy buttons: <button data-pa-copy="ID"> copies the text of the element with that id.
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

  function wireCopyButtons() {
    document.querySelectorAll("[data-pa-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        var source = document.getElementById(button.getAttribute("data-pa-copy"));
        if (!source) return;
        var text = source.textContent;
        var copied = navigator.clipboard && window.isSecureContext
          ? navigator.clipboard.writeText(text).catch(function () { return fallbackCopy(text); })
          : fallbackCopy(text);
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
    wireCopyButtons();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
