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

from sphinx_official_images.render.browse import scroll_box, table_skeleton
from sphinx_official_images.render.sizes import exact_bytes, human_size, short_digest
from sphinx_official_images.view.bases import (
    ArchBases,
    BaseRef,
    EntryBases,
    ImageBases,
    base_ref,
)
from sphinx_official_images.view.sizes import EntryFigures, ImageFigures, PlatformFigure

__all__ = [
    "bases_table",
    "digest_node",
    "entry_bases_node",
    "entry_figures_node",
    "parents_dot",
    "parents_list",
    "plain_ref",
    "size_node",
    "sizes_table",
    "used_by_nodes",
]

SIZES_CLASS = "official-images-sizes"
# HTML sizes the columns by their content (the colspecs' widths are for text
# and LaTeX): a table of short figures is not spread over the page's width
AUTO_WIDTHS = "colwidths-auto"


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
    if row.source_tag not in row.tags:
        # read from a shared tag's file (``latest``), filtered to this entry's architectures
        para += nodes.Text(" (as published under ")
        para += nodes.literal(row.source_tag, row.source_tag)
        para += nodes.Text(")")
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
    header = [
        nodes.entry("", nodes.paragraph("", "", nodes.Text("Tag"))),
        *(nodes.entry("", nodes.paragraph("", "", nodes.literal(a, a))) for a in arches),
    ]
    widths = _widths([row.tags[0] for row in rows], arches)
    table, body = table_skeleton([SIZES_CLASS, AUTO_WIDTHS], widths, header)
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
    return [scroll_box(table)]


# -- base images ------------------------------------------------------------------

BASES_CLASS = "official-images-bases"

RefNode = Callable[[BaseRef], nodes.Node]


def _join(items: Sequence[nodes.Node], sep: str = ", ") -> list[nodes.Node]:
    out: list[nodes.Node] = []
    for i, item in enumerate(items):
        if i:
            out.append(nodes.Text(sep))
        out.append(item)
    return out


def plain_ref(base: BaseRef) -> nodes.Node:
    """A ``FROM`` value as text (where nothing can link)."""
    return nodes.literal(base.ref, base.ref)


def entry_bases_node(row: EntryBases, ref: RefNode) -> nodes.Element | None:
    """Under a tag entry: ``Built FROM`` its last-stage base, per architecture when the
    architectures differ, and the other ``FROM`` lines of a multi-stage build (None:
    meta has no build of the entry)."""
    groups = [g for g in row.groups if g.last_stage_from is not None]
    if not groups:
        return None
    para = nodes.paragraph(classes=[BASES_CLASS])
    para += nodes.Text("Built FROM ")
    one = len(row.groups) == 1 and not row.unknown
    for i, group in enumerate(groups):
        if i:
            para += nodes.Text("; ")
        assert group.last_stage_from is not None
        para += ref(group.last_stage_from)
        if not one:
            para += nodes.Text(" (")
            para.extend(_join([nodes.literal(a, a) for a in group.arches]))
            para += nodes.Text(")")
    stages: dict[str, BaseRef] = {}
    for group in groups:
        for stage in group.stages:
            stages.setdefault(stage.ref, stage)
    if stages:
        para += nodes.Text("; build stages FROM ")
        para.extend(_join([ref(s) for s in stages.values()]))
    return para


def _group_paragraph(
    group: ArchBases, ref: RefNode, all_arches: bool, last: bool
) -> nodes.paragraph | None:
    refs = [group.last_stage_from] if last else list(group.stages)
    refs = [r for r in refs if r is not None]
    if not refs:
        return None
    para = nodes.paragraph()
    para.extend(_join([ref(r) for r in refs]))
    if not all_arches:
        para += nodes.Text(" (")
        para.extend(_join([nodes.literal(a, a) for a in group.arches]))
        para += nodes.Text(")")
    return para


def bases_table(
    bases: ImageBases, ref: RefNode, tag_link: Callable[[str], list[nodes.Node]]
) -> list[nodes.Node]:
    """Per entry: the last-stage base (per architecture when they differ) and the
    other ``FROM`` lines of a multi-stage build."""
    rows = [row for row in bases.rows if row.groups]
    if not rows:
        para = nodes.paragraph()
        para += nodes.emphasis("", "No build of these tags is in the meta data.")
        return [para]
    first_width = min(max([3, *(len(r.tags[0]) for r in rows)]), 30)
    titles = ("Tag", "Built FROM", "Other FROM lines (multi-stage build)")
    header = [nodes.entry("", nodes.paragraph(title, title)) for title in titles]
    table, body = table_skeleton([BASES_CLASS, AUTO_WIDTHS], (first_width, 30, 30), header)
    for row in rows:
        r = nodes.row()
        first = nodes.entry()
        first += nodes.paragraph("", "", *tag_link(row.tags[0]))
        r += first
        one = len(row.groups) == 1 and not row.unknown
        for last in (True, False):
            cell = nodes.entry()
            for g in row.groups:
                gpara = _group_paragraph(g, ref, one, last)
                if gpara is not None:
                    cell += gpara
            r += cell
        body += r
    return [scroll_box(table)]


def used_by_nodes(
    bases: ImageBases, image_link: Callable[[str], nodes.Node], ref: RefNode
) -> list[nodes.Node]:
    """ "Used as a base by": each official image built on this one, and from which tags."""
    if not bases.used_by:
        para = nodes.paragraph()
        para += nodes.emphasis("", "No official image in the meta data is built on this one.")
        return [para]
    out = nodes.bullet_list(bullet="-", classes=[BASES_CLASS])
    for user in bases.used_by:
        para = nodes.paragraph()
        para += image_link(user.image)
        para += nodes.Text(" (from ")
        para.extend(_join([ref(base_ref(b)) for b in user.bases]))
        para += nodes.Text(")")
        out += nodes.list_item("", para)
    return [out]


def _children(bases: ImageBases) -> dict[str, list[BaseRef]]:
    out: dict[str, list[BaseRef]] = {}
    for edge in bases.parents:
        out.setdefault(edge.child.ref, []).append(edge.parent)
    return out


def parents_list(bases: ImageBases, ref: RefNode) -> list[nodes.Node]:
    """The parents graph as a nested list: the image, its bases, their bases..."""
    below = _children(bases)

    def level(name: str, seen: frozenset[str]) -> nodes.bullet_list | None:
        parents = [p for p in below.get(name, []) if p.ref not in seen]
        if not parents:
            return None
        lst = nodes.bullet_list(bullet="-")
        for parent in parents:
            item = nodes.list_item("", nodes.paragraph("", "", ref(parent)))
            inner = level(parent.ref, seen | {parent.ref})
            if inner is not None:
                item += inner
            lst += item
        return lst

    top = nodes.bullet_list(bullet="-", classes=[BASES_CLASS])
    item = nodes.list_item("", nodes.paragraph("", "", nodes.literal(bases.image, bases.image)))
    inner = level(bases.image, frozenset({bases.image}))
    if inner is None:
        return []
    item += inner
    top += item
    return [top]


def _dot_id(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def parents_dot(bases: ImageBases) -> str:
    """The parents graph in DOT (Graphviz): an edge from each image to its base."""
    lines = [
        "digraph parents {",
        '  rankdir="BT";',
        '  node [shape=box, fontname="monospace", fontsize=10];',
    ]
    for edge in bases.parents:
        lines.append(f"  {_dot_id(edge.child.ref)} -> {_dot_id(edge.parent.ref)};")
    lines.append("}")
    return "\n".join(lines) + "\n"
