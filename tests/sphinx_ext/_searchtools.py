"""Run a built site's own search (Sphinx's ``searchtools.js``) under Node.js.

What a reader's browser computes for a query, without a browser: the site's
``_static/searchtools.js`` and ``_static/language_data.js`` (the ones the
Sphinx version in use wrote: 7.4, 8 or 9), its ``searchindex.js`` and,
unless ``script`` is False, the extension's ``official-images.js``, loaded in
that order into one Node.js context with a stand-in for the page. Each query
goes through ``Search._parseQuery`` and ``Search._performSearch`` as
``Search.query`` sends it; the results come back in the order the page lists
them (Sphinx's list holds the best last and shows it first). The browser test
(``test_browser.py``) checks the same queries in Chromium.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

NODE = shutil.which("node") or shutil.which("nodejs")

_HARNESS = """
const vm = require("vm");
const fs = require("fs");
const files = process.argv.slice(-4);
const queries = JSON.parse(fs.readFileSync(0, "utf8"));
const page = {
  console, setTimeout, clearTimeout,
  // what searchtools.js takes from doctools.js, sphinx_highlight.js and the page
  _ready: () => {},
  _: (text) => text,
  SPHINX_HIGHLIGHT_ENABLED: false,
  DOCUMENTATION_OPTIONS: {},
  document: {
    readyState: "complete",
    getElementById: () => null,
    querySelectorAll: () => [],
    addEventListener: () => {},
  },
  location: { hash: "", search: "", replace: () => {} },
  addEventListener: () => {},
};
page.window = page;
vm.createContext(page);
for (const file of files) {
  if (file !== "-") vm.runInContext(fs.readFileSync(file, "utf8"), page, { filename: file });
}
page.__queries = queries;
const out = vm.runInContext(`
  __queries.map((text) => {
    const parsed = Search._parseQuery(text);
    return Search._performSearch(...parsed).reverse().map(
      (r) => [r[0], r[1], r[2], r[3] === null ? "" : String(r[3]), r[4], r[6] || ""]);
  })
`, page);
process.stdout.write(JSON.stringify(out));
"""


@dataclass(frozen=True)
class Result:
    """One listed result: ``href`` as the page links it (``catalogue/python.html#...``)."""

    docname: str
    title: str
    anchor: str  # "#id" or ""
    descr: str
    score: int
    kind: str  # "index", "object", "title", "text" (Sphinx 8+; "" on 7.4)

    @property
    def href(self) -> str:
        return f"{self.docname}.html{self.anchor}"

    @property
    def page(self) -> str:
        return f"{self.docname}.html"


def search(html: Path, queries: Sequence[str], script: bool = True) -> dict[str, list[Result]]:
    """The results of each query on the site in ``html`` (Node.js must be installed)."""
    assert NODE is not None
    static = html / "_static"
    ours = static / "official-images.js"
    files = [
        static / "language_data.js",
        static / "searchtools.js",
        ours if script else None,
        html / "searchindex.js",
    ]
    args = [str(f) if f is not None else "-" for f in files]
    run = subprocess.run(
        [NODE, "-e", _HARNESS, "--", *args],
        input=json.dumps(list(queries)),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout)
    return {q: [Result(*row) for row in rows] for q, rows in zip(queries, found, strict=True)}
