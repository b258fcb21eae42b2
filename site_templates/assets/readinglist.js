/* Reading list: star papers, list them on "My list", export them; all in this browser.
 *
 * Stars and visited papers live in localStorage (no account, no server). A starred
 * paper is stored with what the list page needs to show and export it without
 * fetching anything: {uri, title, day, arxiv}. URIs are site-relative ("papers/2505.01234/"),
 * resolved against the site root, which is worked out from this script's own URL so
 * the site works under any subpath. Pages are (re)bound on Material's document$ when
 * instant navigation is on, else once on DOMContentLoaded.
 */
(function () {
  "use strict";

  var LIST_KEY = "pa-list";
  var SEEN_KEY = "pa-seen";
  var DIM_KEY = "pa-dim";
  var ARXIV = /^papers\/(\d{4}\.\d{4,5})\/$/;
  var script = document.currentScript;
  var root = script && script.src
    ? new URL("..", script.src).href  // the script is at <root>/assets/readinglist.js
    : (window.__md_scope ? String(window.__md_scope) : new URL(".", location.href).href);

  function load(key, fallback) {
    try {
      var value = JSON.parse(localStorage.getItem(key));
      return value === null ? fallback : value;
    } catch (e) {
      return fallback;
    }
  }

  function save(key, value) {
    try {
      localStorage.setItem(key, JSON.stringify(value));
    } catch (e) { /* storage full or disabled: the page still works, nothing is kept */ }
  }

  function list() {
    var items = load(LIST_KEY, []);
    return Array.isArray(items) ? items.filter(function (p) { return p && typeof p.uri === "string"; }) : [];
  }

  function isStarred(uri) {
    return list().some(function (p) { return p.uri === uri; });
  }

  function describe(button) {
    var uri = button.getAttribute("data-paper");
    var entry = button.closest(".pa-entry");
    var heading = entry ? entry.querySelector(".pa-entry__title") : document.querySelector(".pa-paper h1");
    var match = ARXIV.exec(uri);
    return {
      uri: uri,
      title: heading ? heading.textContent.trim() : uri,
      day: button.getAttribute("data-day") || "",
      arxiv: match ? match[1] : null
    };
  }

  function show(button, starred) {
    var label = starred ? "Remove from my list" : "Add to my list";
    button.setAttribute("aria-pressed", starred ? "true" : "false");
    button.setAttribute("title", label);
    button.setAttribute("aria-label", label);
    button.textContent = starred ? "\u2605" : "\u2606";
  }

  function toggle(button) {
    var uri = button.getAttribute("data-paper");
    var items = list();
    var starred = items.some(function (p) { return p.uri === uri; });
    items = starred ? items.filter(function (p) { return p.uri !== uri; }) : [describe(button)].concat(items);
    save(LIST_KEY, items);
    document.querySelectorAll(".pa-star").forEach(function (b) {
      if (b.getAttribute("data-paper") === uri) show(b, !starred);
    });
  }

  function href(uri) {
    return new URL(uri, root).href;
  }

  function renderList(container) {
    var items = list();
    var ol = container.querySelector(".pa-mylist__items");
    ol.textContent = "";
    items.forEach(function (p) {
      var li = document.createElement("li");
      li.className = "pa-entry";
      li.setAttribute("data-paper", p.uri);
      var star = document.createElement("button");
      star.className = "pa-star";
      star.type = "button";
      star.setAttribute("data-paper", p.uri);
      star.setAttribute("data-day", p.day || "");
      show(star, true);
      var link = document.createElement("a");
      link.className = "pa-entry__title";
      link.href = href(p.uri);
      link.textContent = p.title;
      var meta = document.createElement("span");
      meta.className = "pa-entry__meta";
      meta.textContent = [p.day, p.arxiv ? "arXiv " + p.arxiv : ""].filter(Boolean).join(" \u00b7 ");
      li.append(star, link, " ", meta);
      ol.appendChild(li);
    });
    container.querySelector(".pa-mylist__empty").hidden = items.length > 0;
    container.querySelectorAll("[data-pa-export]").forEach(function (b) { b.disabled = !items.length; });
  }

  function bibtexText(value) {
    return String(value).replace(/[\\{}]/g, "").replace(/([&%$#_])/g, "\\$1");
  }

  function toBibtex(items) {
    return items.map(function (p) {
      var key = (p.arxiv ? "arxiv" + p.arxiv : p.uri.replace(/^papers\//, "")).replace(/[^A-Za-z0-9]+/g, "_").replace(/_+$/, "");
      var fields = [["title", "{" + bibtexText(p.title) + "}"]];
      if (p.day) fields.push(["year", p.day.slice(0, 4)]);
      if (p.arxiv) {
        fields.push(["eprint", p.arxiv], ["archivePrefix", "arXiv"], ["url", "https://arxiv.org/abs/" + p.arxiv]);
      } else {
        fields.push(["url", href(p.uri)]);
      }
      if (p.day) fields.push(["note", "Featured in Hugging Face Daily Papers on " + p.day]);
      return "@misc{" + key + ",\n" + fields.map(function (f) {
        return "  " + f[0] + " = {" + f[1] + "}";
      }).join(",\n") + "\n}\n";
    }).join("\n");
  }

  function toMarkdown(items) {
    var lines = ["# My reading list", ""];
    items.forEach(function (p) {
      var title = p.title.replace(/([\\[\]])/g, "\\$1");
      var extra = [p.arxiv ? "arXiv:" + p.arxiv : "", p.day ? "featured " + p.day : ""].filter(Boolean).join(", ");
      lines.push("- [" + title + "](" + href(p.uri) + ")" + (extra ? " \u2014 " + extra : ""));
    });
    return lines.join("\n") + "\n";
  }

  function download(name, type, text) {
    var url = URL.createObjectURL(new Blob([text], { type: type }));
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  function exportList(kind) {
    var items = list();
    if (kind === "bibtex") download("my-list.bib", "application/x-bibtex", toBibtex(items));
    else download("my-list.md", "text/markdown", toMarkdown(items));
  }

  function applyDim() {
    var on = load(DIM_KEY, false) === true;
    var seen = load(SEEN_KEY, {});
    document.documentElement.classList.toggle("pa-dim", on);
    document.querySelectorAll(".pa-entry[data-paper]").forEach(function (li) {
      li.classList.toggle("pa-seen", Object.prototype.hasOwnProperty.call(seen, li.getAttribute("data-paper")));
    });
    document.querySelectorAll(".pa-dimtoggle input").forEach(function (box) { box.checked = on; });
  }

  function addDimToggle() {
    var first = document.querySelector(".md-content .pa-list");
    if (!first || document.querySelector(".pa-dimtoggle")) return;
    var label = document.createElement("label");
    label.className = "pa-dimtoggle";
    var box = document.createElement("input");
    box.type = "checkbox";
    label.append(box, " Dim papers I\u2019ve opened");
    first.parentNode.insertBefore(label, first);
  }

  /* Listing entries carry their paper and day as data attributes; their star buttons
     are made here rather than shipped in every entry (180,000 entries at 50,000 papers). */
  function addEntryStars() {
    document.querySelectorAll("li.pa-entry[data-paper]").forEach(function (li) {
      if (li.querySelector(".pa-star")) return;
      var star = document.createElement("button");
      star.type = "button";
      star.className = "pa-star";
      star.textContent = "\u2606";
      star.setAttribute("data-paper", li.getAttribute("data-paper"));
      star.setAttribute("data-day", li.getAttribute("data-day") || "");
      star.setAttribute("aria-pressed", "false");
      li.insertBefore(star, li.firstChild);
    });
  }

  function bind() {
    addEntryStars();
    var paper = document.querySelector(".pa-paper .pa-star");
    if (paper) {  // a paper page: remember it was opened
      var seen = load(SEEN_KEY, {});
      if (typeof seen !== "object" || seen === null || Array.isArray(seen)) seen = {};
      seen[paper.getAttribute("data-paper")] = 1;
      save(SEEN_KEY, seen);
    }
    var mine = document.getElementById("pa-mylist");
    if (mine) renderList(mine);
    document.querySelectorAll(".pa-star").forEach(function (b) { show(b, isStarred(b.getAttribute("data-paper"))); });
    addDimToggle();
    applyDim();
  }

  // One listener for the whole session: it survives instant navigation's page swaps.
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var star = target && target.closest(".pa-star");
    if (star) {
      event.preventDefault();
      toggle(star);
      var mine = document.getElementById("pa-mylist");
      if (mine && star.closest("#pa-mylist")) renderList(mine);
      return;
    }
    var exporter = target && target.closest("[data-pa-export]");
    if (exporter) exportList(exporter.getAttribute("data-pa-export"));
  });
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box instanceof Element && box.closest(".pa-dimtoggle")) {
      save(DIM_KEY, box.checked);
      applyDim();
    }
  });
  window.addEventListener("storage", function (event) {  // another tab changed the list
    if (event.key === LIST_KEY || event.key === SEEN_KEY || event.key === DIM_KEY) bind();
  });

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(bind);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", bind);
  } else {
    bind();
  }
})();
