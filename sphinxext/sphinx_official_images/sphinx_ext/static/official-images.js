/*
 * sphinx-official-images: a filter box before every tag list and the tag
 * index; links to a tag's old id sent on to its entry; on the search page,
 * each page of the extension's listed once.
 *
 * Progressive enhancement: the page holds the whole list, and without this
 * script it stays whole; Sphinx's search works without it, listing a page
 * once per way it matches. A tag list is one or two bullet lists (simple and
 * shared tags) marked "official-images-tags", the first of them
 * "official-images-tags-start"; one box filters them together. The tag index
 * ("official-images-tag-index") is one paragraph naming the image and a
 * bullet list per image; a query may name the image too ("python:3.14").
 */
(() => {
  "use strict";
  const TAGS = "official-images-tags";
  const START = "official-images-tags-start";
  const INDEX = "official-images-tag-index";

  // The words an item is found by: its tags (the literals outside its
  // pull snippet, its sizes and its base images), and "image:tag" where the
  // image is known.
  const NOT_TAGS = ".official-images-pull, .official-images-sizes, .official-images-bases";
  const words = (li, image) => {
    const tags = [...li.querySelectorAll("code.literal")]
      .filter((code) => !code.closest(NOT_TAGS))
      .map((code) => code.textContent.trim().toLowerCase());
    return image ? tags.concat(tags.map((tag) => `${image}:${tag}`)) : tags;
  };

  const makeBox = (before, what, count) => {
    const box = document.createElement("div");
    box.className = "official-images-filter";
    const label = document.createElement("label");
    const input = document.createElement("input");
    input.type = "search";
    input.placeholder = `Filter ${count} ${what}`;
    input.setAttribute("aria-label", `Filter the ${what}`);
    input.autocomplete = "off";
    input.spellcheck = false;
    const output = document.createElement("output");
    output.setAttribute("aria-live", "polite");
    label.append(input);
    box.append(label, output);
    before.parentNode.insertBefore(box, before);
    return [input, output];
  };

  // items: [{li, words, group}], groups: elements hidden when all their items are
  const wire = (input, output, items, groups, what) => {
    let timer = 0;
    const apply = () => {
      const query = input.value.trim().toLowerCase();
      let shown = 0;
      for (const item of items) {
        const match = !query || item.words.some((word) => word.includes(query));
        item.li.hidden = !match;
        if (match) shown += 1;
      }
      for (const [elements, members] of groups) {
        const empty = members.every((item) => item.li.hidden);
        for (const element of elements) element.hidden = empty;
      }
      output.textContent = query ? `${shown} of ${items.length} ${what}` : "";
    };
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(apply, items.length > 2000 ? 150 : 0);
    });
    if (input.value) apply(); // a value the browser restored
  };

  const tagLists = () => {
    let current = null;
    const runs = [];
    for (const list of document.querySelectorAll(`ul.${TAGS}`)) {
      if (list.classList.contains(START) || current === null) {
        current = [];
        runs.push(current);
      }
      current.push(list);
    }
    for (const lists of runs) {
      const items = [];
      for (const list of lists) {
        for (const li of list.children) {
          if (li.tagName === "LI") items.push({ li, words: words(li, "") });
        }
      }
      if (!items.length) continue;
      const [input, output] = makeBox(lists[0], "entries", items.length);
      wire(input, output, items, [], "entries");
    }
  };

  const tagIndex = () => {
    for (const index of document.querySelectorAll(`.${INDEX}`)) {
      const items = [];
      const groups = [];
      for (const list of index.querySelectorAll(":scope > ul")) {
        const title = list.previousElementSibling;
        const image = title ? title.textContent.trim().toLowerCase() : "";
        const members = [...list.children]
          .filter((li) => li.tagName === "LI")
          .map((li) => ({ li, words: words(li, image) }));
        items.push(...members);
        groups.push([[list, title].filter(Boolean), members]);
      }
      if (!items.length) continue;
      const [input, output] = makeBox(index, "tags", items.length);
      wire(input, output, items, groups, "entries");
    }
  };

  // Links saved before the ids became CSS identifiers name a tag entry
  // "python:3.14-slim" or "python:3.14@windows-amd64", an image view
  // "image:python" or "image:python@windows-amd64". Such a fragment that
  // names no element is sent on to the entry's id as the extension writes it
  // now (model/names.py: tag_anchor, image_anchor), when the page has it.
  const READABLE = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9-])?$/;
  const spelled = (text) =>
    text.replace(/[^A-Za-z0-9-]/gu, (c) => `_${c.codePointAt(0).toString(16).padStart(2, "0")}`);
  const newId = (kind, key, parts) =>
    parts.every((part) => READABLE.test(part) && !part.includes(".."))
      ? `${kind === "tag" ? "tag-" : "image__"}${parts.map((p) => p.replaceAll(".", "_")).join("__")}`
      : `${kind === "tag" ? "tagx-" : "imagex-"}${spelled(key)}`;
  const legacyTarget = (hash) => {
    let old;
    try {
      old = decodeURIComponent(hash.slice(1));
    } catch {
      return null;
    }
    if (!old || document.getElementById(old)) return null;
    const image = old.startsWith("image:");
    const key = image ? old.slice("image:".length) : old;
    const [name, arch, ...more] = key.split("@");
    if (more.length) return null;
    const parts = image ? [name] : name.split(":");
    if ((image && name.includes(":")) || (!image && parts.length !== 2)) return null;
    if (arch !== undefined) parts.push(arch);
    if (!parts.every(Boolean)) return null;
    const id = newId(image ? "image" : "tag", key, parts);
    return document.getElementById(id) ? id : null;
  };
  const followLegacyAnchor = () => {
    const id = legacyTarget(location.hash);
    // replace: the old link's history entry becomes the entry's, scrolled to
    if (id) location.replace(`#${id}`);
  };

  // Sphinx's search lists a page once per way it matches (a tag's index
  // entry, another entry that holds the tag, the page's title, a section's
  // title, its words) and merges only identical results. A page of the
  // extension's (one that holds an image view, or whose tag entry matches)
  // is listed once here, at its best-ranked result; other pages keep
  // Sphinx's results. Sphinx keeps its results, best last, in the list that
  // Search._performSearch returns (7.4 to 9), and its index's objects name
  // the pages that hold an image view (objects of type "docker:image");
  // without them, the list stays Sphinx's own.
  const OWN_ID = /^#(?:tagx?-|imagex?[-_])[^#]*_/u;
  const IMAGE_VIEW = "docker:image";
  const viewPages = new WeakMap(); // Sphinx's index -> the docnames holding an image view
  const pagesWithViews = (index) => {
    if (!index || typeof index !== "object") return new Set();
    let pages = viewPages.get(index);
    if (pages) return pages;
    pages = new Set();
    const types = Object.entries(index.objtypes || {})
      .filter(([, name]) => name === IMAGE_VIEW)
      .map(([type]) => Number(type));
    for (const objects of Object.values(index.objects || {})) {
      for (const object of objects) {
        if (types.includes(object[1])) pages.add(index.docnames[object[0]]);
      }
    }
    viewPages.set(index, pages);
    return pages;
  };
  const oncePerPage = (results, index) => {
    const pages = new Set(pagesWithViews(index));
    for (const result of results) {
      if (OWN_ID.test(String(result[2]))) pages.add(result[0]);
    }
    const listed = new Set();
    const kept = [];
    for (let i = results.length - 1; i >= 0; i -= 1) {
      const page = results[i][0];
      if (pages.has(page)) {
        if (listed.has(page)) continue;
        listed.add(page);
      }
      kept.push(results[i]);
    }
    return kept.reverse();
  };
  let searchWrapped = false;
  const searchOncePerPage = () => {
    if (searchWrapped) return;
    if (typeof Search === "undefined" || typeof Search._performSearch !== "function") return;
    searchWrapped = true;
    const performSearch = Search._performSearch;
    Search._performSearch = (...args) => {
      const results = performSearch(...args);
      return Array.isArray(results) ? oncePerPage(results, Search._index) : results;
    };
  };

  const run = () => {
    tagLists();
    tagIndex();
    followLegacyAnchor();
  };
  // Sphinx's search page loads searchtools.js before this deferred script. A
  // theme that defers it too, after this one, has it loaded by
  // DOMContentLoaded, whose listeners run in order: this one first, then the
  // one that starts Sphinx's search.
  searchOncePerPage();
  window.addEventListener("hashchange", followLegacyAnchor);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", searchOncePerPage);
    document.addEventListener("DOMContentLoaded", run);
  } else run();
})();
