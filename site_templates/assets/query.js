/* What search.js does to a query and its results before a reader sees them, as pure
 * functions (window.paperArchiveQuery; common.js freezes window.paperArchive), so that
 * tests can call them one by one.
 *
 * - normalize(): pasted ids and links become the bare arXiv id the index holds.
 */
window.paperArchiveQuery = (() => {
  "use strict";

  /* A new-style arXiv id (2505.21411) with its version, alone or in the links people
   * paste: arxiv.org/abs/, /pdf/ (also .pdf), /html/, huggingface.co/papers/ (hf.co),
   * "arXiv:2505.21411", "arxiv.2505.21411" (the DOI's form). */
  const ID_TOKEN =
    /^(?:(?:https?:\/\/)?(?:www\.|export\.)?(?:arxiv\.org\/(?:abs|pdf|html)\/|(?:huggingface|hf)\.co\/papers\/|doi\.org\/10\.48550\/arxiv\.)|arxiv[:.]\s*)?(\d{4}\.\d{4,5})(?:v\d+)?(?:\.pdf)?(?:[/?#].*)?$/i;

  /* The query with every word that is an arXiv id or link reduced to the id. */
  function normalize(query) {
    const words = query.trim().replace(/\barxiv:\s+/gi, "arXiv:").split(/\s+/);
    return words
      .map((word) => {
        const match = ID_TOKEN.exec(word);
        return match ? match[1] : word;
      })
      .join(" ");
  }

  const isArxivId = (query) => /^\d{4}\.\d{4,5}$/.test(query);

  return { normalize, isArxivId };
})();
