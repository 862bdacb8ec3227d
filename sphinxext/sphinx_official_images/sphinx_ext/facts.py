"""Directives for the image facts no incumbent page shows (SPEC §5.5).

``image-bases IMAGE [ARCH]``: per tag and architecture the image it is
built ``FROM`` (and every ``FROM`` of a multi-stage build), the official
images built on this one ("Used as a base by") and the parents graph, from a
docker-library/meta checkout (``official_images_meta``).

``image-sizes IMAGE [ARCH]``: a table of tags x platforms, each cell the
compressed size (exact bytes in its tooltip) and the manifest digest, from a
docker-library/repo-info checkout (``official_images_repo_info``).

The tag names link to their entries when the project documents them, through
the ``docker`` domain: an *optional* reference, resolved like ``:image-tag:``
but left as text, without a warning, when nothing documents the target.
"""

from __future__ import annotations

import shutil

from docutils import nodes
from sphinx import addnodes
from sphinx.ext.graphviz import graphviz

from sphinx_official_images.model.names import tag_key
from sphinx_official_images.render import doctree
from sphinx_official_images.render import figures as figures_nodes
from sphinx_official_images.sphinx_ext.directives import ImageDirective
from sphinx_official_images.sphinx_ext.optional_refs import base_linker, optional_ref
from sphinx_official_images.sphinx_ext.prose import SPHINX_PROSE
from sphinx_official_images.view.bases import ImageBases as ImageBasesData
from sphinx_official_images.view.page import ImagePage

__all__ = ["FACT_DIRECTIVES", "ImageBases", "ImageSizes"]


class _FactDirective(ImageDirective):
    """A directive that shows no prose: its context reads no prose files."""

    def context(self, page: ImagePage) -> doctree.EmitContext:
        source = str(self.project.settings.docs / page.image / "content.md")
        return doctree.EmitContext(
            document=self.state.document, source=source, prose_parser=SPHINX_PROSE
        )


class ImageSizes(_FactDirective):
    """Tags x platforms: compressed size and digest of each (repo-info)."""

    def emit(self, page: ImagePage, ctx: doctree.EmitContext) -> list[nodes.Node]:
        figures = self.figures(page)
        if figures is None:
            return self.warn("official_images_repo_info is not set: no sizes to show", "config")
        arch = page.per_arch

        def link(tag: str) -> list[nodes.Node]:
            return [optional_ref(self.env, "image-tag", tag_key(page.image, tag, arch), tag)]

        return figures_nodes.sizes_table(figures, link)


class ImageBases(_FactDirective):
    """Built FROM (per tag and architecture), "Used as a base by" and the parents graph."""

    def emit(self, page: ImagePage, ctx: doctree.EmitContext) -> list[nodes.Node]:
        if self.project.settings.meta is None:
            return self.warn("official_images_meta is not set: no base images to show", "config")
        bases = self.bases(page)
        if bases is None:
            return []  # sources.json cannot be read: told at its line or here
        arch = page.per_arch
        ref = base_linker(self.env)

        def image_link(image: str) -> nodes.Node:
            return optional_ref(self.env, "image", image, image)

        def tag_link(tag: str) -> list[nodes.Node]:
            return [optional_ref(self.env, "image-tag", tag_key(page.image, tag, arch), tag)]

        out: list[nodes.Node] = [nodes.rubric("", "Built FROM")]
        out += figures_nodes.bases_table(bases, ref, tag_link)
        out += [nodes.rubric("", "Used as a base by")]
        out += figures_nodes.used_by_nodes(bases, image_link, ref)
        graph = self.parents_graph(bases, ref, drawn=arch is None)
        if graph:
            out += [nodes.rubric("", "Parents"), *graph]
        return out

    def parents_graph(
        self, bases: ImageBasesData, ref: figures_nodes.RefNode, drawn: bool = True
    ) -> list[nodes.Node]:
        """Drawn by ``sphinx.ext.graphviz`` in HTML when ``dot`` is installed, else a nested
        list."""
        if not bases.parents:
            return []
        dot = getattr(self.config, "graphviz_dot", "dot") or "dot"
        # one drawing per image, on its default view (each drawing is a run of dot)
        if not drawn or shutil.which(dot) is None:
            return figures_nodes.parents_list(bases, ref)
        node = graphviz()
        node["code"] = figures_nodes.parents_dot(bases)
        node["options"] = {}
        node["alt"] = f"base images of {bases.image}"
        node["classes"] = [figures_nodes.BASES_CLASS]
        self.set_source_info(node)
        # the drawing for HTML; the list where a picture is no better (text, man...)
        picture = addnodes.only(expr="html")
        picture += node
        listed = addnodes.only(expr="not html")
        listed.extend(figures_nodes.parents_list(bases, ref))
        return [picture, listed]


FACT_DIRECTIVES: dict[str, type[ImageDirective]] = {
    "image-sizes": ImageSizes,
    "image-bases": ImageBases,
}
