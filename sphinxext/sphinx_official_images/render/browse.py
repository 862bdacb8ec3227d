"""What makes the tag lists and the matrix easy to use in a browser, as nodes.

The HTML side (a filter box over the tag lists, a matrix that scrolls in its
own box with the tag column kept in view) is CSS and JavaScript shipped as
the extension's static files; the nodes only carry the classes those files
look for, so every other builder shows the plain list and table.

A ``docker pull`` snippet per tag-list entry is a literal block (so that
sphinx-copybutton gives it a copy button), marked :data:`PULL`: the Sphinx
glue keeps it to HTML output (an ``only`` node), since in LaTeX, text or man
pages a command per entry would only make the list longer. Every element
added here carries :data:`ADDED`, so that a comparison with the Hub README
(which has none of them) can leave them out.
"""

from __future__ import annotations

from collections.abc import Sequence

from docutils import nodes

__all__ = [
    "ADDED",
    "MATRIX",
    "MATRIX_ARCH",
    "MATRIX_SCROLL",
    "PULL",
    "QUICKREF",
    "SCROLL",
    "TAGS",
    "TAGS_START",
    "matrix_box",
    "pull_block",
    "pull_snippet",
    "scroll_box",
    "table_skeleton",
]

# On every element the extension adds to what the Hub README says.
ADDED = "official-images-added"
# A tag list (each of its bullet lists) and the first list of one tag list:
# the filter box goes before it and filters the lists up to the next start.
TAGS = "official-images-tags"
TAGS_START = "official-images-tags-start"
PULL = "official-images-pull"
# The quick-reference field list (long URLs in it wrap).
QUICKREF = "official-images-quickref"
MATRIX = "official-images-matrix"
MATRIX_ARCH = "official-images-arch"
MATRIX_SCROLL = "official-images-matrix-scroll"
# Any other wide table (the sizes, the base images): its own box scrolls.
SCROLL = "official-images-scroll"


class pull_block(nodes.literal_block):
    """A ``docker pull`` snippet: a literal block to every builder and transform.

    Its own class only so that the HTML writer can tell it from other code
    blocks: a catalogue has one per tag-list entry (about 13,000), all
    highlighted alike as plain text, and the Sphinx glue writes them without
    running Pygments for each (``sphinx_ext/assets.py``). The tag name stays
    ``literal_block``, as in a pickled or printed doctree.
    """

    tagname = "literal_block"


def pull_snippet(image_ref: str, tag: str) -> nodes.literal_block:
    """``docker pull IMAGE:TAG`` as a copyable block."""
    command = f"docker pull {image_ref}:{tag}"
    # not searched: every page would be a match for "docker pull"
    block = pull_block(command, command, classes=[PULL, ADDED, "no-search"])
    block["language"] = "text"
    return block


def matrix_box(table: nodes.table) -> nodes.Element:
    """The matrix in a box of its own, which scrolls sideways instead of the page."""
    box = nodes.container(classes=[MATRIX_SCROLL])
    box += table
    return box


def scroll_box(table: nodes.table) -> nodes.Element:
    """A wide table (tags x platforms) in a box that scrolls sideways, not the page."""
    box = nodes.container(classes=[SCROLL])
    box += table
    return box


def table_skeleton(
    classes: Sequence[str], widths: Sequence[int], header: Sequence[nodes.entry]
) -> tuple[nodes.table, nodes.tbody]:
    """A table with its column widths (what the text and LaTeX writers size by)
    and a header row, and the body its rows go into."""
    table = nodes.table(classes=list(classes))
    group = nodes.tgroup(cols=len(widths))
    table += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    row = nodes.row()
    row.extend(header)
    head += row
    body = nodes.tbody()
    group += body
    return table, body
