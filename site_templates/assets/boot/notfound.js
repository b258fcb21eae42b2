/* 404.html is served for any address a server has no file for, at any depth, so its links
 * are root-absolute, built from site_url (/paper-archive/assets/...). Served from another
 * root than site_url's (python3 -m http.server -d site, where / is the site), they lead
 * nowhere and the page loads unstyled. This script is loaded by two more addresses, one
 * relative (right at the site's top level) and one from the server's root; whichever loads
 * knows the site's real root from its own address, and moves the page's links there. */
(function () {
  var me = document.currentScript;
  if (!me || window.paNotFoundRoot) return;
  var root = me.src.replace(/assets\/boot\/notfound\.js(?:[?#].*)?$/, "");
  var meta = document.querySelector('meta[name="pa-base"]');
  var base = new URL(meta ? meta.content : "/", location.href).href;
  window.paNotFoundRoot = root;
  if (root === base) return; // site_url's links are right here

  function moved(value) {
    var url = new URL(value, location.href).href;
    return url.indexOf(base) === 0 ? root + url.slice(base.length) : null;
  }
  function relink(element, attribute) {
    var value = element.getAttribute(attribute);
    var url = value && moved(value);
    if (url) element.setAttribute(attribute, url);
  }
  function relinkAll() {
    document.querySelectorAll("[href]").forEach(function (element) {
      relink(element, "href");
    });
    document.querySelectorAll("img[src]").forEach(function (element) {
      relink(element, "src");
    });
  }
  relinkAll(); // the head: stylesheets reload from their new address
  document.addEventListener("DOMContentLoaded", function () {
    relinkAll();
    // Scripts that failed to load from the wrong address run again from the right one, in order.
    document.querySelectorAll("script[src]").forEach(function (old) {
      var url = moved(old.getAttribute("src"));
      if (!url || old.hasAttribute("data-pa-fallback")) return;
      var script = document.createElement("script");
      script.src = url;
      script.async = false;
      document.body.appendChild(script);
    });
  });
})();
