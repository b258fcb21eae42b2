/* Order a listing by upvotes: day, month and tag pages mark theirs with data-pa-sortable.
 *
 * The page lists its papers in the digest's (or newest-first) order, each entry with
 * its upvotes where known (.pa-votes, _macros.j2: read from the text, as an attribute
 * too would weigh 4 MB at 50,000 papers). The control put before the listing shows the
 * same entries once each, most upvoted first (unknown last, ties in the page's order),
 * in a list of its own, and hides the original; choosing the page's order back removes
 * it. The choice is kept in the address (?sort=upvotes), so it can be linked. A tag page
 * shows one page of its papers: data-pa-sort-all links to all of them, ordered by the
 * search page.
 */
(() => {
  "use strict";

  const PARAM = "sort";
  const UPVOTES = "upvotes";

  const votes = (li) => {
    const shown = li.querySelector(".pa-votes");
    const n = shown ? parseInt(shown.textContent.replace(/,/g, ""), 10) : NaN;
    return Number.isNaN(n) ? -1 : n;
  };

  function sorted(container) {
    const seen = new Set();
    const items = [];
    for (const li of container.querySelectorAll("li[data-paper]")) {
      const uri = li.getAttribute("data-paper");
      if (seen.has(uri)) continue; // a month lists a paper under each day it was featured
      seen.add(uri);
      items.push(li);
    }
    const order = items.map((li, n) => [votes(li), n, li]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    const first = items[0];
    const list = document.createElement("ol");
    list.className = `${first && first.classList.contains("pa-entry") ? "pa-list" : "pa-compact"} pa-sorted`;
    list.append(...order.map(([, , li]) => li.cloneNode(true)));
    return list;
  }

  function apply(container, how) {
    const old = container.querySelector(":scope > .pa-sorted");
    if (old) old.remove();
    for (const child of container.children) {
      if (!child.classList.contains("pa-sort")) child.hidden = how === UPVOTES;
    }
    if (how === UPVOTES) container.append(sorted(container));
  }

  function remember(how) {
    const url = new URL(location.href);
    if (how) url.searchParams.set(PARAM, how);
    else url.searchParams.delete(PARAM);
    history.replaceState(history.state, "", url);
  }

  function control(container, how) {
    const select = document.createElement("select");
    select.setAttribute("data-pa-sort", "");
    for (const [value, text] of [
      ["", "As listed"],
      [UPVOTES, "Most upvoted first"],
    ]) {
      const option = document.createElement("option");
      option.value = value;
      option.textContent = text;
      select.append(option);
    }
    select.value = how;
    const label = document.createElement("label");
    label.append("Order: ", select);
    const line = document.createElement("p");
    line.className = "pa-sort";
    line.append(label);
    const all = container.getAttribute("data-pa-sort-all");
    if (all) {
      const link = document.createElement("a");
      link.href = all;
      link.textContent = "all of them by upvotes, on the search page";
      line.append(" (this page; ", link, ")");
    }
    select.addEventListener("change", () => {
      apply(container, select.value);
      remember(select.value);
    });
    return line;
  }

  function bind() {
    const how = new URLSearchParams(location.search).get(PARAM) === UPVOTES ? UPVOTES : "";
    for (const container of document.querySelectorAll("[data-pa-sortable]")) {
      if (container.querySelector(":scope > .pa-sort")) continue;
      container.prepend(control(container, how));
      if (how) apply(container, how);
    }
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(bind);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", bind);
  } else {
    bind();
  }
})();
