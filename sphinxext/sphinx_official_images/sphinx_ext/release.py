"""A generated page's doctree is released as soon as its HTML page is written.

A docutils doctree is one big reference cycle: every node points at its
parent and at its document, the document's tables (``ids``, ``nameids``...)
point back at nodes. When Sphinx is done with a page, its doctree is
garbage only the cyclic collector can free. In a serial build Sphinx keeps
every doctree it read in memory until it writes the page, so by the time
the pages are written the collector's oldest generation holds them all;
the first full collection of the writing phase (or the interpreter's exit)
then walks and frees millions of objects at once. On the corpus catalogue
(795 pages, 2.2 million objects in their doctrees) that collection took
4.5 s of the build.

So, for the pages the catalogue generated (nobody else's content), the last
``html-page-context`` handler breaks the tree's cycles once the page's HTML
exists: each element's children list is emptied from the root down and the
document's tables are cleared. Reference counting then frees each node as
soon as it is dropped, while the page is written, rather than in a
collection that walks every page left. The HTML is already made: what is
written does not change (``tests/sphinx_ext/test_release.py``).

Left alone:

* pages that are not generated (a hand-written page's tree may be kept by
  another extension after it is written);
* a handler before this one that returns a template name (Sphinx then stops
  calling ``html-page-context`` handlers): its page is left to the collector;
* parallel builds: the pages are written in forked processes, which exit
  without freeing anything, and the main process never kept the doctrees
  of its readers.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from sphinx_official_images.sphinx_ext.project import project_state

__all__ = ["register", "release_doctree"]

# After every other handler of the event (their default priority is 500).
_LAST = 999


def release_doctree(document: nodes.document) -> None:
    """Break the cycles of ``document`` so that reference counting frees its nodes.

    Afterwards the document is an empty shell: no children and empty tables
    (``ids``, ``refnames``, the footnotes...), its own attributes kept.
    """
    stack: list[nodes.Node] = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, nodes.Element) and node.children:
            stack.extend(node.children)
            node.children = []
    for name, value in vars(document).items():
        if name != "attributes" and isinstance(value, (dict, list, set)):
            value.clear()


def _page_written(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if not isinstance(doctree, nodes.document) or app.parallel > 1:
        return
    if pagename in project_state(app.env).generated_pages:
        release_doctree(doctree)


def register(app: Sphinx) -> None:
    """Called from the extension's ``setup()``."""
    app.connect("html-page-context", _page_written, priority=_LAST)
