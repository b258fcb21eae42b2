/* Material for MkDocs' inline version-warning script (partials/javascripts/outdated.html),
 * served as a file so that the Content-Security-Policy needs no inline script. The site
 * root, base_url in the original, is two folders up from this file. */
var el=document.querySelector("[data-md-component=outdated]"),base=new URL("../../",document.currentScript.src),outdated=__md_get("__outdated",sessionStorage,base);!0===outdated&&el&&(el.hidden=!1)
