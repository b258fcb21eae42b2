/* Reading list: star papers, list them on "My list", export them; all in this browser.
 *
 * Stars and visited papers live in localStorage (no account, no server). A starred
 * paper is stored with what the list page needs to show it without fetching anything:
 * {uri, title, day, arxiv}, day being the paper's first featured day. URIs are
 * site-relative ("papers/2505.01234/"), resolved against the site root, which is
 * <meta name="pa-base"> (the root relative to the page) resolved against the page's URL,
 * so the site works under any subpath. Pages are (re)bound on Material's document$ when
 * instant navigation is on, else once on DOMContentLoaded; entries added to a page later
 * (search results) get their stars from a MutationObserver.
 */
(function () {
  "use strict";

  var ARXIV = /^papers\/(\d{4}\.\d{4,5})\/$/;
  var DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
  var ENTRY = ".pa-entry[data-paper]";
  var script = document.currentScript;
  var baseMeta = document.querySelector('meta[name="pa-base"]');
  var root = baseMeta
    ? new URL(baseMeta.getAttribute("content") || ".", location.href).href
    : script && script.src
      ? new URL("..", script.src).href  // the script is at <root>/assets/site.js
      : new URL(".", location.href).href;

  /* Every GitHub Pages project site of a user shares one origin (USER.github.io), hence one
     localStorage: the keys carry the site's root path, so /repo/ and /full/ keep their own
     lists, and a list never links to another archive's papers. */
  var scope = new URL(root).pathname;
  var LIST_KEY = "pa-list:" + scope;
  var SEEN_KEY = "pa-seen:" + scope;
  var DIM_KEY = "pa-dim:" + scope;
  var LEGACY = { list: "pa-list", seen: "pa-seen", dim: "pa-dim" };  // before the keys had a scope

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

  function present(key) {
    try {
      return localStorage.getItem(key) !== null;
    } catch (e) {
      return false;
    }
  }

  /* Lists kept before the keys had a scope hold site-relative URIs only: nothing stored
     tells which archive on the origin a paper was starred on, and checking would mean
     fetching every paper page. So they are migrated once, whole: the first load of a site
     without a list of its own copies the legacy list, visited papers and dim choice into
     its keys. The legacy keys are left as they were, so each archive on the origin gets
     its user's stars back on its own first load; a paper starred on another archive may
     show on this list then, until unstarred, and never comes back after that. */
  function migrate() {
    if (present(LIST_KEY)) return;
    if (!present(SEEN_KEY) && present(LEGACY.seen)) save(SEEN_KEY, load(LEGACY.seen, {}));
    if (!present(DIM_KEY) && present(LEGACY.dim)) save(DIM_KEY, load(LEGACY.dim, false));
    var items = load(LEGACY.list, []);
    save(LIST_KEY, Array.isArray(items) ? items : []);  // written even when empty: migrated once
  }

  function list() {
    var items = load(LIST_KEY, []);
    return Array.isArray(items) ? items.filter(function (p) { return p && typeof p.uri === "string"; }) : [];
  }

  function starredSet() {
    var set = Object.create(null);
    list().forEach(function (p) { set[p.uri] = true; });
    return set;
  }

  function seenSet() {
    var seen = load(SEEN_KEY, {});
    return typeof seen === "object" && seen !== null && !Array.isArray(seen) ? seen : {};
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

  // Idempotent, so that the MutationObserver below never sees a change it made itself.
  function show(button, starred) {
    var label = starred ? "Remove from my list" : "Add to my list";
    var text = starred ? "\u2605" : "\u2606";
    button.setAttribute("aria-pressed", starred ? "true" : "false");
    button.setAttribute("title", label);
    button.setAttribute("aria-label", label);
    if (button.textContent !== text) button.textContent = text;
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

  /* Plain text as BibTeX: every character TeX reads as a command written as text, braces
     included (BibTeX counts them), "^" too ("^^5c" is a backslash to TeX). The same rule as
     escape_latex in generator/bibtex.py; a browser test compares the two. */
  var LATEX_TEXT = {
    "\\": "\\textbackslash{}", "{": "\\textbraceleft{}", "}": "\\textbraceright{}",
    "$": "\\$", "&": "\\&", "%": "\\%", "#": "\\#", "_": "\\_",
    "~": "\\textasciitilde{}", "^": "\\textasciicircum{}"
  };

  function bibtexText(value) {
    return String(value).replace(/[\\{}$&%#_~^]/g, function (c) { return LATEX_TEXT[c]; });
  }

  /* What the list itself knows, for a paper whose full entry is not at hand: no authors.
     The year is the arXiv id's (YYMM), as in the site's own entries; never the featured day's. */
  function minimalEntry(p) {
    var key = (p.arxiv ? "arxiv" + p.arxiv : p.uri.replace(/^papers\//, "")).replace(/[^A-Za-z0-9]+/g, "_").replace(/_+$/, "");
    var fields = [["title", "{" + bibtexText(p.title) + "}"]];
    if (p.arxiv) {
      fields.push(["year", "20" + p.arxiv.slice(0, 2)]);
      fields.push(["eprint", p.arxiv], ["archivePrefix", "arXiv"], ["url", "https://arxiv.org/abs/" + p.arxiv]);
    } else {
      fields.push(["url", href(p.uri)]);
    }
    if (p.day) fields.push(["note", "Featured in Hugging Face Daily Papers on " + bibtexText(p.day)]);
    return "@misc{" + key + ",\n" + fields.map(function (f) {
      return "  " + f[0] + " = {" + f[1] + "}";
    }).join(",\n") + "\n}\n";
  }

  // The papers.bib of the paper's first featured day holds its full entry (as its page says).
  function bibUrl(p) {
    var day = DAY.exec(p.day || "");
    return day ? href("archive/" + day[1] + "/" + day[2] + "/" + day[3] + "/papers.bib") : null;
  }

  /* The entries of a .bib file the build wrote ("@misc{KEY,\n" up to "\n}\n"), by their
     url field: the key is not in the list (it depends on the whole archive), the arXiv URL
     is, and it is unique. */
  function entriesByUrl(text) {
    var byUrl = Object.create(null);
    var entry = /^@misc\{[^,\n]+,\n[\s\S]*?\n\}\n/gm;
    var match;
    while ((match = entry.exec(text)) !== null) {
      var url = /^ {2}url = \{([^}\n]*)\},?$/m.exec(match[0]);
      if (url) byUrl[url[1]] = match[0];
    }
    return byUrl;
  }

  function fetchBib(url) {
    return fetch(url)
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (text) {
        return { entries: entriesByUrl(text) };
      }, function (error) {
        return { error: error && error.message ? error.message : String(error) };
      });
  }

  /* Full entries from each needed day's papers.bib, each file fetched once, in the list's
     order. A paper without an arXiv id has no entry on the site: its minimal one is all
     there is. An entry that cannot be had is the minimal one after a comment saying why. */
  function toBibtex(items) {
    var files = Object.create(null);
    items.forEach(function (p) {
      var url = p.arxiv && bibUrl(p);
      if (url && !files[url]) files[url] = fetchBib(url);
    });
    var urls = Object.keys(files);
    return Promise.all(urls.map(function (url) { return files[url]; })).then(function (results) {
      var got = Object.create(null);
      urls.forEach(function (url, i) { got[url] = results[i]; });
      var minimal = 0;
      var text = items.map(function (p) {
        if (!p.arxiv) return minimalEntry(p);
        var url = bibUrl(p);
        var file = url ? got[url] : null;
        var entry = file && file.entries ? file.entries["https://arxiv.org/abs/" + p.arxiv] : null;
        if (entry) return entry;
        minimal += 1;
        var why = !url ? "no featured day is stored for this paper"
          : file.error ? "could not fetch " + url + " (" + file.error + ")"
          : "no entry for https://arxiv.org/abs/" + p.arxiv + " in " + url;
        return "% Minimal entry, without authors: " + why + ".\n" + minimalEntry(p);
      }).join("\n");
      return { text: text, minimal: minimal };
    });
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

  function status(text) {
    var line = document.querySelector("#pa-mylist .pa-mylist__status");
    if (line) line.textContent = text;
  }

  var exporting = false;

  function exportList(kind) {
    var items = list();
    if (kind !== "bibtex") {
      download("my-list.md", "text/markdown", toMarkdown(items));
      return;
    }
    if (exporting) return;  // a second click while the entries are being fetched
    exporting = true;
    status("Fetching the BibTeX entries\u2026");
    toBibtex(items).then(function (bib) {
      exporting = false;
      status(bib.minimal
        ? bib.minimal + (bib.minimal === 1 ? " entry" : " entries") + " could not be fetched: "
          + (bib.minimal === 1 ? "it is" : "they are") + " minimal (no authors), marked with a comment in the file."
        : "");
      download("my-list.bib", "application/x-bibtex", bib.text);
    }).catch(function (error) {  // a list entry of an unexpected shape: say so, allow a retry
      exporting = false;
      status("The BibTeX export failed: " + (error && error.message ? error.message : error));
    });
  }

  function applyDim() {
    var on = load(DIM_KEY, false) === true;
    document.documentElement.classList.toggle("pa-dim", on);
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
  function addStar(li) {
    var star = li.querySelector(".pa-star");
    if (star) return star;
    star = document.createElement("button");
    star.type = "button";
    star.className = "pa-star";
    star.setAttribute("data-paper", li.getAttribute("data-paper"));
    star.setAttribute("data-day", li.getAttribute("data-day") || "");
    li.insertBefore(star, li.firstChild);
    return star;
  }

  // Stars and "seen" marks for these entries and star buttons, with one read of the storage.
  function paint(entries, stars) {
    var starred = starredSet();
    var seen = seenSet();
    entries.forEach(function (li) {
      var uri = li.getAttribute("data-paper");
      show(addStar(li), starred[uri] === true);
      li.classList.toggle("pa-seen", Object.prototype.hasOwnProperty.call(seen, uri));
    });
    stars.forEach(function (b) { show(b, starred[b.getAttribute("data-paper")] === true); });
  }

  function bind() {
    var paper = document.querySelector(".pa-paper .pa-star");
    if (paper) {  // a paper page: remember it was opened
      var seen = seenSet();
      seen[paper.getAttribute("data-paper")] = 1;
      save(SEEN_KEY, seen);
    }
    var mine = document.getElementById("pa-mylist");
    if (mine) renderList(mine);
    paint(document.querySelectorAll(ENTRY), document.querySelectorAll(".pa-star"));
    addDimToggle();
    applyDim();
    if (observer) observer.takeRecords();  // what bind() just did needs no second look
  }

  /* Entries and stars added after load (search results, another script's lists) are painted
     as they arrive. Only added elements that are, or hold, an entry or a star are looked at,
     so the observer's cost follows what changed; the stars it adds and the labels it sets
     are not entries, and show() writes nothing that is already so: it never feeds itself. */
  var observer = null;

  function observe() {
    if (!window.MutationObserver || !document.body || observer) return;
    observer = new MutationObserver(function (mutations) {
      var entries = [];
      var stars = [];
      function collect(node) {
        if (!(node instanceof Element)) return;
        if (node.matches(ENTRY)) entries.push(node);
        else if (node.matches(".pa-star")) stars.push(node);
        if (node.firstElementChild) {
          node.querySelectorAll(ENTRY).forEach(function (e) { entries.push(e); });
          node.querySelectorAll(".pa-star").forEach(function (s) { stars.push(s); });
        }
      }
      mutations.forEach(function (m) {
        if (m.type === "attributes") collect(m.target);
        else m.addedNodes.forEach(collect);
      });
      if (!entries.length && !stars.length) return;
      paint(entries, stars);
      observer.takeRecords();  // the stars just added and painted
    });
    observer.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-paper"] });
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
