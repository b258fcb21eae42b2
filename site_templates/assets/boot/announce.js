/* Material for MkDocs' inline announcement script (partials/javascripts/announce.html),
 * served as a file so that the Content-Security-Policy needs no inline script. */
var el=document.querySelector("[data-md-component=announce]");if(el){var content=el.querySelector(".md-typeset");__md_hash(content.innerHTML)===__md_get("__announce")&&(el.hidden=!0)}
