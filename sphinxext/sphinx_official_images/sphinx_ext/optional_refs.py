"""Links to images and tags that exist only when the project documents them.

The facts sections name images they do not own: the base of a tag
(``debian:trixie-slim``), the images built on this one. Each is a link to
that image's or tag's page when some page of the project documents it, plain
text otherwise, without a warning: a pending reference of the ``docker``
domain marked *optional* (the domain's ``missing-reference`` handler stays
silent for it).

Each such reference is also recorded with the domain, as the ``image`` and
``image-tag`` roles record theirs, so a page is written again when the page
documenting its target appears or goes (see
:mod:`~sphinx_official_images.sphinx_ext.collector`): a base image that gets
documented later becomes a link without a fresh build.
"""

from __future__ import annotations

from collections.abc import Callable

from docutils import nodes
from sphinx import addnodes
from sphinx.environment import BuildEnvironment

from sphinx_official_images.model.names import tag_key
from sphinx_official_images.sphinx_ext.domain import DOMAIN, OfficialImagesDomain
from sphinx_official_images.view.bases import BaseRef

__all__ = ["OPTIONAL", "base_linker", "optional_ref"]

# A pending_xref with this attribute is never reported when it does not resolve.
OPTIONAL = "official_images_optional"


def optional_ref(env: BuildEnvironment, reftype: str, target: str, text: str) -> nodes.Node:
    """A link to an image (``image``) or tag (``image-tag``) if the project documents it,
    else the plain literal ``text``."""
    domain = env.get_domain(DOMAIN)
    assert isinstance(domain, OfficialImagesDomain)
    domain.note_reference(env.docname, "image" if reftype == "image" else "tag", target)
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


def base_linker(env: BuildEnvironment) -> Callable[[BaseRef], nodes.Node]:
    """How a ``FROM`` value is shown: a link to the official image's tag entry (its
    default view) when it names one, else the text as it is (``scratch``, a
    Windows base)."""

    def link(base: BaseRef) -> nodes.Node:
        if base.image is None or base.tag is None:
            return nodes.literal(base.ref, base.ref)
        return optional_ref(env, "image-tag", tag_key(base.image, base.tag, None), base.ref)

    return link
