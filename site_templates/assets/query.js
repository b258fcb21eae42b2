/* What search.js does to a query and its results before a reader sees them, as pure
 * functions (window.paperArchiveQuery; common.js freezes window.paperArchive), so that
 * tests can call them one by one.
 *
 * - normalize(): pasted ids and links become the bare arXiv id the index holds.
 * - phraseScore(), rerank(): results that hold the query's words together (a phrase,
 *   a title) go before those that only hold them somewhere; phraseTier() orders the
 *   first results again by their text: the phrase in the title, then the abstract.
 * - parseVocabulary(), suggest(): "did you mean", from the words of the archive itself
 *   (generator/search/vocabulary.py writes them, one small file per first letter).
 * - excerptWords(): the abstract's passage that matched, not the id, title and tags
 *   the indexed text starts with.
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

  /* How much of the query a result holds together: `positions` are the word
   * positions of its matches (Pagefind's result.words), `terms` the words searched
   * and `span` the words of the query as typed (common words left out of the search
   * still sit between them). The largest share of the terms found in one stretch of
   * `span` words: 1 for the phrase (or its words in another order), 1/n for words
   * scattered over the abstract. */
  function phraseScore(positions, terms, span) {
    if (terms <= 1 || !positions.length) return positions.length ? 1 : 0;
    let best = 0;
    let start = 0;
    for (let end = 0; end < positions.length; end += 1) {
      while (positions[end] - positions[start] >= span) start += 1;
      best = Math.max(best, end - start + 1);
    }
    return Math.min(best, terms) / terms;
  }

  /* Pagefind's results reordered by score × (1 + weight × phraseScore), stable. */
  function rerank(results, terms, span, weight) {
    return results
      .map((result, n) => ({ result, n, score: result.score * (1 + weight * phraseScore(result.words, terms, span)) }))
      .sort((a, b) => b.score - a.score || a.n - b.n)
      .map((entry) => entry.result);
  }

  /* ---- Phrases in a result's text (its fragment, fetched to show it) ---- */

  const COMMON = new Set(
    ("a an and are as at be by for from has have in into is it its of on or our than that the their these this to " +
      "was we were which while with").split(" "),
  );
  const tokens = (text) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) || [];

  /* Whether two words are forms of one ("generation", "generative"; "model", "models"):
   * equal, or sharing all but their last three letters, and four at least. Cruder than
   * Pagefind's stemmer, which is not exposed, but it only orders the first results. */
  function sameWord(a, b) {
    if (a === b) return true;
    const need = Math.max(4, Math.min(a.length, b.length) - 3);
    return a.length >= need && b.length >= need && a.slice(0, need) === b.slice(0, need);
  }

  /* Whether `text` holds `phrase`: its words other than common ones, in order, each at
   * most `slack` words after where the phrase puts it. */
  function holdsPhrase(text, phrase, slack) {
    const words = tokens(phrase);
    const wanted = [];
    let gap = 1;
    for (const word of words) {
      if (COMMON.has(word) && wanted.length) gap += 1;
      else if (!COMMON.has(word)) {
        wanted.push([word, gap]);
        gap = 1;
      }
    }
    if (!wanted.length) return false;
    const have = tokens(text);
    for (let start = 0; start < have.length; start += 1) {
      if (!sameWord(have[start], wanted[0][0])) continue;
      let at = start;
      let ok = true;
      for (const [word, step] of wanted.slice(1)) {
        let next = -1;
        for (let n = at + 1; n <= Math.min(at + step + slack, have.length - 1); n += 1) {
          if (sameWord(have[n], word)) {
            next = n;
            break;
          }
        }
        if (next < 0) {
          ok = false;
          break;
        }
        at = next;
      }
      if (ok) return true;
    }
    return false;
  }

  /* How well a result's text holds `phrase`: 4 its title holds it word for word, 3 its
   * title with a word between, 2 its abstract or authors, 0 neither. */
  function phraseTier({ title, head, abstract }, phrase) {
    if (holdsPhrase(title, phrase, 0)) return 4;
    if (holdsPhrase(title, phrase, 1)) return 3;
    if (holdsPhrase(abstract, phrase, 1) || holdsPhrase(head, phrase, 0)) return 2;
    return 0;
  }

  /* ---- Spelling ---- */

  const KNOWN = 3; // a word on this many papers is taken as meant, not misspelt
  const BETTER = 20; // a rarer word typed yields to one on this many times its papers

  /* A vocabulary file's text, "word count" per line, as a Map. */
  function parseVocabulary(text) {
    const words = new Map();
    for (const line of text.split("\n")) {
      const [word, count] = line.split(" ");
      if (word) words.set(word, Number(count) || 1);
    }
    return words;
  }

  /* Edit distance with adjacent transpositions (Damerau's restricted form), or
   * max + 1 once it exceeds max. */
  function editDistance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    let before = null;
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i += 1) {
      const row = [i];
      let smallest = i;
      for (let j = 1; j <= b.length; j += 1) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        let value = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
        if (before && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          value = Math.min(value, before[j - 2] + 1);
        }
        row.push(value);
        smallest = Math.min(smallest, value);
      }
      if (smallest > max) return max + 1;
      before = previous;
      previous = row;
    }
    return previous[b.length];
  }

  /* The word the archive most likely meant by `word`, or null: the vocabulary's
   * (words of the same first letter) closest word, one edit away (two for words of
   * seven letters or more), the most frequent among equals; only if `word` is on
   * fewer than KNOWN papers, and the suggestion on KNOWN or more and, if the word
   * typed is on any, on BETTER times as many. */
  function suggestWord(word, vocabulary) {
    const typed = word.toLowerCase();
    if (!/^\p{L}{4,}$/u.test(typed)) return null;
    const own = vocabulary.get(typed) || 0;
    if (own >= KNOWN) return null;
    const max = typed.length >= 7 ? 2 : 1;
    let best = null;
    for (const [candidate, count] of vocabulary) {
      if (count < Math.max(KNOWN, BETTER * own)) continue;
      const distance = editDistance(typed, candidate, max);
      if (distance > max) continue;
      if (!best || distance < best.distance || (distance === best.distance && count > best.count)) {
        best = { word: candidate, distance, count };
      }
    }
    return best && best.word;
  }

  /* The query with its misspelt words replaced, or null if none is. `vocabularies`
   * maps a first letter to its parsed vocabulary file. */
  function suggest(query, vocabularies) {
    let changed = false;
    const words = query.split(/\s+/).map((word) => {
      const letters = word.toLowerCase();
      const vocabulary = vocabularies.get(letters[0]);
      const better = vocabulary && suggestWord(letters, vocabulary);
      if (!better) return word;
      changed = true;
      return better;
    });
    return changed ? words.join(" ") : null;
  }

  /* The first letters whose vocabulary files suggest() will want for `query`. */
  const letters = (query) =>
    [...new Set(query.toLowerCase().split(/\s+/).filter((w) => /^\p{L}{4,}$/u.test(w)).map((w) => w[0]))]
      .filter((letter) => /^[a-z]$/.test(letter))
      .sort();

  /* ---- Excerpts ---- */

  /* The passage of `length` words of content (a fragment's content, split at white
   * space as Pagefind counts its locations) from `from` on, that holds the most of the
   * matched `locations`: [start, end, marked locations]. */
  function excerptWords(wordCount, locations, from, length) {
    const inside = locations.filter((n) => n >= from).sort((a, b) => a - b);
    if (!inside.length) return [from, Math.min(wordCount, from + length), []];
    let best = [inside[0], 1];
    let start = 0;
    for (let end = 0; end < inside.length; end += 1) {
      while (inside[end] - inside[start] >= length) start += 1;
      if (end - start + 1 > best[1]) best = [inside[start], end - start + 1];
    }
    // a few words of context before the first match, and never past the end
    const first = Math.max(from, Math.min(best[0] - 3, wordCount - length));
    const last = Math.min(wordCount, first + length);
    return [first, last, inside.filter((n) => n >= first && n < last)];
  }

  return { normalize, isArxivId, phraseScore, rerank, holdsPhrase, phraseTier, parseVocabulary, editDistance, suggestWord, suggest, letters, excerptWords };
})();
