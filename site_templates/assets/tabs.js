/* The tab strip says that it scrolls: while tabs lie beyond its right edge (a phone showing
 * the tabs of a lean page, archive.css), .md-tabs carries data-pa-more, which draws a fade
 * and an arrow there; scrolled to its end, the mark goes.
 */
(() => {
  "use strict";

  const tabs = document.querySelector(".md-tabs");
  const list = tabs && tabs.querySelector(".md-tabs__list");
  if (!list) return;
  const mark = () => tabs.toggleAttribute("data-pa-more", list.scrollLeft + list.clientWidth < list.scrollWidth - 1);
  list.addEventListener("scroll", mark, { passive: true });
  window.addEventListener("resize", mark);
  mark();
})();
