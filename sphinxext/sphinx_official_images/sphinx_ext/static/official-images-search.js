/*
 * sphinx-official-images: summaries for tag results in Sphinx's search.
 *
 * A search result for a tag points at its entry, e.g. "#python:3.14-slim".
 * Sphinx's searchtools.js (7.3+) finds that element for the result's summary
 * with querySelector('[role="main"] ' + anchor), which throws for ids with
 * ':' or '.' in them (valid HTML ids, not CSS identifiers), and it cannot
 * use an empty element (each extra id of an entry is an empty <span>). Look
 * the id up with getElementById instead, and take the nearest enclosing
 * element that has text; anything else goes to Sphinx's own code.
 */
(() => {
  const patch = () => {
    if (typeof Search === "undefined" || typeof Search.htmlToText !== "function") return;
    if (Search.htmlToText.officialImages) return;
    const original = Search.htmlToText;
    const withIds = (htmlString, anchor) => {
      if (typeof anchor === "string" && anchor.startsWith("#") && anchor.length > 1) {
        const doc = new DOMParser().parseFromString(htmlString, "text/html");
        for (const query of [".headerlink", "script", "style"]) {
          doc.querySelectorAll(query).forEach((el) => el.remove());
        }
        let el = doc.getElementById(decodeURIComponent(anchor.slice(1)));
        while (el && !el.textContent.trim() && el.parentElement) el = el.parentElement;
        if (el && el.closest('[role="main"]')) return el.textContent;
        return original(htmlString, undefined);
      }
      return original(htmlString, anchor);
    };
    withIds.officialImages = true;
    Search.htmlToText = withIds;
  };
  patch();
  document.addEventListener("DOMContentLoaded", patch);
})();
