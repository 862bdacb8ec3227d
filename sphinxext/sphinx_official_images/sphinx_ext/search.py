"""What Sphinx's HTML search matches for a tag, and what the general index shows.

Sphinx's search (``searchtools.js``, the same logic in 7.4, 8 and 9) finds an
explicit index entry by each of its levels on its own: a level matches a
query it contains, when the query is at least half as long as the level,
and scores ``100 * len(query) / len(level)``: at least 50, an exact match
100, where no other kind of result scores more than 26 (an object; a title
16, a word 15). Main entries are ranked with the other results, ordinary ones
after all of them. That makes a main index entry the one way to rank an
exact tag first. (An object cannot: the search splits
the query into words first, ``3.14-slim`` into ``3``, ``14`` and ``slim``,
and lists every object whose name holds one of them, the exact tag's object
no higher than ``3.14-slim-trixie``'s; and every object named
``python:...`` would match a query for ``python``.)

The general index groups an image's tags under the image (``python;
3.14-slim``): what a reader looks for there. Searched as they are, those
entries would give the image's name as a level of every tag's entry, and a
query for ``python`` would list all of python's tag entries, ahead of the
image itself. So the tag lists' index nodes also carry the entries the search
should match, ``3.14-slim; python:3.14-slim``: the tag and its full name (as
``docker pull`` takes it), each an exact match for its own query.
:class:`SearchedIndexEntries` puts those in place for HTML output, where
index nodes are written nowhere and serve only the search index; the general
index (collected when the page is read), LaTeX's index and every other
builder keep the grouped entries.

The image itself is a main entry of its own (``python``, at the start of its
default view): the exact match for a query naming it, ranked above
the full names that contain it (``python:3`` scores 75 for ``python``).

A page can still match a query several times: its tag entry, another entry
that contains the tag (``3.14-slim-trixie``), its words. Sphinx merges only
identical results (same page, title, anchor and description); the
extension's script lists such a page once, at its best result
(``static/official-images.js``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

from sphinx_official_images.render.doctree import IndexEntry

__all__ = ["SEARCHED", "SearchedIndexEntries", "image_index_node", "register", "tag_index_node"]

# The attribute of a tag entry's index node that holds its entries for the search.
SEARCHED = "official_images_searched"


def tag_index_node(entries: list[IndexEntry], searched: list[IndexEntry]) -> nodes.Node:
    """The index node of a tag-list entry: ``entries`` for the general index,
    ``searched`` for HTML's search (see :func:`~sphinx_official_images.render.doctree._anchor`)."""
    node = addnodes.index(entries=entries)
    node[SEARCHED] = searched
    return node


def image_index_node(ref: str, view: Sequence[nodes.Node], main: bool) -> addnodes.index | None:
    """The index entry of an image view (``python``), pointing at the view's
    first element with an id (its first section, "Quick reference").

    Not at the view's own target, just before it: the search shows the text
    of the element a result points at under the result, and the target is an
    empty ``span``. None when no element of ``view`` has an id (then the
    image has no entry of its own).
    """
    for node in view:
        if isinstance(node, nodes.Element) and node["ids"]:
            entry: IndexEntry = ("single", ref, node["ids"][0], "main" if main else "", None)
            return addnodes.index(entries=[entry])
    return None


class SearchedIndexEntries(SphinxPostTransform):
    """In HTML, a tag entry's index node holds the entries the search matches."""

    default_priority = 900
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for node in self.document.findall(addnodes.index):
            searched = node.get(SEARCHED)
            if searched is not None:
                node["entries"] = searched


def register(app: Sphinx) -> None:
    """Called from the extension's ``setup()``."""
    app.add_post_transform(SearchedIndexEntries)
