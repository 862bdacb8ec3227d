"""Docutils nodes for the published figures (sizes, digests) and the base images.

Thin formatting of :mod:`~sphinx_official_images.view.sizes` and
:mod:`~sphinx_official_images.view.bases`: a size is an ``abbreviation``
node (``<abbr title="43,437,809 bytes">43.4 MB</abbr>`` in HTML, the
explanation in parentheses in text and LaTeX), a digest is a short literal
with the full digest as its explanation. Standard nodes only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from docutils import nodes

from sphinx_official_images.render.sizes import exact_bytes, human_size, short_digest
from sphinx_official_images.view.sizes import EntryFigures, ImageFigures, PlatformFigure

__all__ = [
    "digest_node",
    "entry_figures_node",
    "size_node",
    "sizes_table",
]

SIZES_CLASS = "official-images-sizes"


def size_node(size: int) -> nodes.Node:
    """``43.4 MB`` with the exact byte count as its explanation (tooltip)."""
    text = human_size(size)
    return nodes.abbreviation(text, text, explanation=exact_bytes(size))


def digest_node(digest: str) -> nodes.Node:
    """The short digest as a literal, the full one as its explanation."""
    short = short_digest(digest)
    return nodes.abbreviation("", "", nodes.literal(short, short), explanation=digest)


def _platform_inline(p: PlatformFigure) -> list[nodes.Node]:
    return [
        nodes.literal(p.arch, p.arch),
        nodes.Text(" "),
        size_node(p.size),
        nodes.Text(" "),
        digest_node(p.digest),
    ]


def entry_figures_node(row: EntryFigures) -> nodes.Element | None:
    """Under a tag entry: each platform with its size and digest (None: no figures)."""
    if not row.platforms:
        return None
    para = nodes.paragraph(classes=[SIZES_CLASS])
    for i, p in enumerate(row.platforms):
        if i:
            para += nodes.Text("; ")
        para.extend(_platform_inline(p))
    return para


def matrix_cell_figure(figures: ImageFigures | None, tag: str, arch: str) -> list[nodes.Node]:
    """The size shown in a support-matrix cell (nothing without a figure)."""
    if figures is None:
        return []
    p = figures.cell(tag, arch)
    if p is None:
        return []
    return [nodes.Text(" "), size_node(p.size)]


def _widths(first: Sequence[str], arches: Sequence[str]) -> list[int]:
    # an rST table's source widths (the text and LaTeX writers size columns by them)
    width = max([len("Tag"), *(len(t) for t in first)])
    return [min(width, 30), *(max(len(a), 12) for a in arches)]


def sizes_table(
    figures: ImageFigures, tag_link: Callable[[str], list[nodes.Node]] | None = None
) -> list[nodes.Node]:
    """Tags x platforms: each cell the compressed size and the digest."""
    rows = [row for row in figures.rows if row.platforms]
    arches = [a for a in figures.arches if any(row.for_arch(a) for row in rows)]
    if not rows:
        para = nodes.paragraph()
        para += nodes.emphasis("", "No published sizes for these tags.")
        return [para]
    table = nodes.table(classes=[SIZES_CLASS])
    group = nodes.tgroup(cols=1 + len(arches))
    table += group
    for width in _widths([row.tags[0] for row in rows], arches):
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    header = nodes.row()
    for i, title in enumerate(("Tag", *arches)):
        entry = nodes.entry()
        entry += nodes.paragraph(
            "", "", nodes.Text(title) if i == 0 else nodes.literal(title, title)
        )
        header += entry
    head += header
    body = nodes.tbody()
    group += body
    for row in rows:
        r = nodes.row()
        first = nodes.entry()
        tag = row.tags[0]
        label = tag_link(tag) if tag_link is not None else [nodes.literal(tag, tag)]
        first += nodes.paragraph("", "", *label)
        r += first
        for arch in arches:
            e = nodes.entry()
            p = row.for_arch(arch)
            if p is not None:
                e += nodes.paragraph("", "", size_node(p.size))
                e += nodes.paragraph("", "", digest_node(p.digest))
            r += e
        body += r
    return [table]
