/* Keys that follow links: a link with aria-keyshortcuts="ArrowLeft" (or another single key)
 * is followed when that key is pressed, as on day pages (previous and next day). The
 * attribute announces the key to screen readers; the page shows it too (pages/day.md.j2).
 * Never while typing in a field, with a modifier held, or when something else (the
 * search box, an open dialog) has handled the key.
 */
(() => {
  "use strict";

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.metaKey || event.ctrlKey || event.altKey || event.shiftKey) return;
    const active = document.activeElement;
    if (active && (active.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName))) return;
    const search = document.getElementById("__search");
    if (search && search.checked) return; // the search overlay is open: its keys
    const links = document.querySelectorAll("a[href][aria-keyshortcuts]");
    const link = [...links].find((a) => a.getAttribute("aria-keyshortcuts").split(/\s+/).includes(event.key));
    if (!link) return;
    event.preventDefault();
    link.click();
  });
})();
