"""Directives for the image facts no incumbent page shows (SPEC §5.5).

``image-sizes IMAGE [ARCH]``: a table of tags x platforms, each cell the
compressed size (exact bytes in its tooltip) and the manifest digest, from a
docker-library/repo-info checkout (``official_images_repo_info``).

The tag names link to their entries when the project documents them, through
the ``docker`` domain: an *optional* reference, resolved like ``:image-tag:``
but left as text, without a warning, when nothing documents the target.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes

from sphinx_official_images.model.names import tag_key
from sphinx_official_images.render import doctree
from sphinx_official_images.render import figures as figures_nodes
from sphinx_official_images.sphinx_ext.directives import ImageDirective
from sphinx_official_images.sphinx_ext.domain import DOMAIN
from sphinx_official_images.view.page import ImagePage

__all__ = ["FACT_DIRECTIVES", "OPTIONAL", "ImageSizes", "optional_ref"]

# A pending_xref with this attribute is never reported when it does not resolve.
OPTIONAL = "official_images_optional"


def optional_ref(reftype: str, target: str, text: str) -> nodes.Node:
    """A link to an image (``image``) or tag (``image-tag``) if the project documents it,
    else the plain literal ``text``."""
    ref = addnodes.pending_xref(
        "",
        nodes.literal(text, text),
        refdomain=DOMAIN,
        reftype=reftype,
        reftarget=target,
        refexplicit=True,
        refwarn=False,
    )
    ref[OPTIONAL] = True
    return ref


class ImageSizes(ImageDirective):
    """Tags x platforms: compressed size and digest of each (repo-info)."""

    def emit(self, page: ImagePage, ctx: doctree.EmitContext) -> list[nodes.Node]:
        figures = self.figures(page)
        if figures is None:
            return self.warn("official_images_repo_info is not set: no sizes to show", "config")
        arch = page.arch if page.view_kind == "arch" else None

        def link(tag: str) -> list[nodes.Node]:
            return [optional_ref("image-tag", tag_key(page.image, tag, arch), tag)]

        return figures_nodes.sizes_table(figures, link)


FACT_DIRECTIVES: dict[str, type[ImageDirective]] = {
    "image-sizes": ImageSizes,
}
