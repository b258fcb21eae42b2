"""The Content-Security-Policy of every page, given as ``<meta http-equiv>`` (GitHub
Pages sends no headers of its own): the site's own files only, and no inline script.

Every script is a file of the site (Material's inline ones are served from
``assets/boot/``), so ``script-src`` needs no ``'unsafe-inline'``, no ``'unsafe-eval'``
and no hash: text from a digest that ever became markup still could not run.
``'wasm-unsafe-eval'`` lets Pagefind compile its WebAssembly; ``data:`` images are the
icons in Material's stylesheet. A meta policy cannot set ``frame-ancestors``.
"""

from __future__ import annotations

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
)
