"""The ``docker`` domain: where each image page and each tag entry lives.

Directives record targets here while pages are read; the ``image`` and
``image-tag`` roles resolve against it across pages, and ``get_objects``
publishes everything in ``objects.inv`` so other projects can link to a tag
through intersphinx.

A tag can be rendered on several pages (the image's own page and, say, a
directive demo). Each candidate is kept with a priority and resolution picks
the best one by (priority, docname), so the answer never depends on the order
in which parallel readers merged their data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Set
from typing import Any, ClassVar

from docutils import nodes
from docutils.nodes import Element
from sphinx.addnodes import pending_xref
from sphinx.builders import Builder
from sphinx.domains import Domain, ObjType
from sphinx.environment import BuildEnvironment
from sphinx.roles import XRefRole
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

from sphinx_official_images.model.architectures import SUPPORTED_ARCHITECTURES, is_plain_name
from sphinx_official_images.model.names import image_key, tag_key

logger = logging.getLogger(__name__)

DOMAIN = "docker"

# Lower is better: the image's own readme page wins over a demo of one part.
PRIORITY_README = 0
PRIORITY_PART = 1

# (priority, docname, anchor)
Candidate = tuple[int, str, str]


class OfficialImagesDomain(Domain):
    """Cross-reference targets for images and tags."""

    name = DOMAIN
    label = "Docker Official Images"
    object_types: ClassVar[dict[str, ObjType]] = {
        "image": ObjType("image", "image"),
        "tag": ObjType("tag", "image-tag"),
    }
    roles: ClassVar[dict[str, Any]] = {
        "image": XRefRole(innernodeclass=nodes.literal, warn_dangling=True),
        "image-tag": XRefRole(innernodeclass=nodes.literal, warn_dangling=True),
    }
    initial_data: ClassVar[dict[str, Any]] = {
        "images": {},  # image key -> list of candidates
        "tags": {},  # tag key -> list of candidates
        "readmes": {},  # docname -> sorted list of (image, arch or "")
        "keys": {},  # docname -> {(table name, key)}: what clear_doc must visit
    }
    data_version = 2

    @property
    def images(self) -> dict[str, list[Candidate]]:
        return self.data["images"]  # type: ignore[no-any-return]

    @property
    def tags(self) -> dict[str, list[Candidate]]:
        return self.data["tags"]  # type: ignore[no-any-return]

    @property
    def readmes(self) -> dict[str, list[tuple[str, str]]]:
        return self.data["readmes"]  # type: ignore[no-any-return]

    # -- recording -------------------------------------------------------

    def _add(self, name: str, key: str, cand: Candidate) -> None:
        entries = self.data[name].setdefault(key, [])
        if cand not in entries:
            entries.append(cand)
            entries.sort()
        self.data["keys"].setdefault(cand[1], set()).add((name, key))

    def note_image(
        self, image: str, arch: str | None, docname: str, anchor: str, priority: int
    ) -> None:
        self._add("images", image_key(image, arch), (priority, docname, anchor))

    def note_tag(
        self, image: str, tag: str, arch: str | None, docname: str, anchor: str, priority: int
    ) -> None:
        self._add("tags", tag_key(image, tag, arch), (priority, docname, anchor))

    def note_readme(self, image: str, arch: str | None, docname: str) -> None:
        views = self.readmes.setdefault(docname, [])
        view = (image, arch or "")
        if view not in views:
            views.append(view)
            views.sort()

    # -- parallel builds and incremental rebuilds -------------------------

    def clear_doc(self, docname: str) -> None:
        # Only the keys this document recorded: Sphinx clears every document
        # before reading it, and a catalogue has tens of thousands of tags.
        for name, key in self.data["keys"].pop(docname, ()):
            table = self.data[name]
            kept = [c for c in table.get(key, ()) if c[1] != docname]
            if kept:
                table[key] = kept
            else:
                table.pop(key, None)
        self.readmes.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            for name, key in otherdata["keys"].get(docname, ()):
                for cand in otherdata[name].get(key, ()):
                    if cand[1] == docname:
                        self._add(name, key, (cand[0], cand[1], cand[2]))
        for docname, views in otherdata["readmes"].items():
            if docname in docnames:
                self.readmes[docname] = sorted({*self.readmes.get(docname, []), *map(tuple, views)})

    # -- resolution ---------------------------------------------------------

    def _lookup(self, typ: str, target: str) -> Candidate | None:
        table = self.images if typ == "image" else self.tags
        cands = table.get(target)
        return cands[0] if cands else None

    def link(
        self, builder: Builder, fromdocname: str, objtype: str, target: str, contnode: Element
    ) -> nodes.reference | None:
        """A link from ``fromdocname`` to an image or tag (None: unknown)."""
        found = self._lookup(objtype, target)
        if found is None:
            return None
        _, docname, anchor = found
        return make_refnode(builder, fromdocname, docname, anchor, contnode, target)

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> nodes.reference | None:
        objtype = "image" if typ == "image" else "tag"
        return self.link(builder, fromdocname, objtype, target, contnode)

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> list[tuple[str, nodes.reference]]:
        results = []
        for objtype, role in (("image", "image"), ("tag", "image-tag")):
            ref = self.link(builder, fromdocname, objtype, target, contnode)
            if ref is not None:
                results.append((f"{DOMAIN}:{role}", ref))
        return results

    def get_objects(self) -> Iterable[tuple[str, str, str, str, str, int]]:
        # Search priority: the default view's images and tags are "important"
        # (0), so a search for a tag (``3.14-slim``) lists the image page that
        # has it before pages that merely mention the word in a heading, and
        # before the per-architecture pages (1). The per-architecture copies of
        # a tag entry (``python:3.14@arm64v8``) are kept out of the search
        # index (-1): they repeat the default view's tags once per
        # architecture (a third of the catalogue's search index); they
        # stay in ``objects.inv`` for intersphinx.
        for objtype, table in (("image", self.images), ("tag", self.tags)):
            for key in sorted(table):
                _, docname, anchor = table[key][0]
                priority = 0 if "@" not in key else -1 if objtype == "tag" else 1
                yield key, key, objtype, docname, anchor, priority

    def known_names(self, typ: str) -> list[str]:
        return sorted(self.images if typ == "image" else self.tags)


_TAG = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")


def _malformed(typ: str, target: str) -> str | None:
    """What is wrong with the form of a role target, or None if it is well formed."""
    name, at, arch = target.partition("@")
    image, colon, tag = name.partition(":")
    expected = "IMAGE:TAG or IMAGE:TAG@ARCH" if typ == "image-tag" else "IMAGE or IMAGE@ARCH"
    if typ == "image-tag" and not colon:
        return f"malformed image tag {target!r}: expected {expected}, e.g. 'python:3-slim'"
    if typ == "image" and colon:
        return f"malformed image {target!r}: expected {expected} (use :image-tag: for a tag)"
    if not is_plain_name(image):
        where = "" if image == target else f" in {target!r}"
        return f"invalid image name {image!r}{where}: expected a plain name such as 'python'"
    if colon and not _TAG.fullmatch(tag):
        return f"invalid tag {tag!r} in {target!r}: expected {expected}"
    if at and arch not in SUPPORTED_ARCHITECTURES:
        known = ", ".join(sorted(SUPPORTED_ARCHITECTURES))
        return f"unknown architecture {arch!r} in {target!r} (known: {known})"
    return None


def warn_missing_reference(app: Any, domain: Domain, node: pending_xref) -> bool | None:
    """Report an unresolved ``image``/``image-tag`` role as our own warning type.

    Using ``type="official_images"`` lets ``suppress_warnings`` silence these
    like every other warning of the extension. A target that cannot name
    anything (``../etc/passwd``, a tag without ``IMAGE:``, an unknown
    architecture) is told as such.
    """
    if domain is None or domain.name != DOMAIN:
        return None
    if node.get("official_images_optional"):
        return True  # a link only when the target is documented (sphinx_ext/facts.py)
    target = node["reftarget"]
    typ = "image" if node["reftype"] == "image" else "image-tag"
    message = _malformed(typ, target)
    if message is None:
        kind = "image" if typ == "image" else "image tag"
        message = f"unknown {kind} {target!r} (no page of this project documents it)"
    logger.warning(
        "%s",
        message,
        location=node,
        type="official_images",
        subtype="ref",
    )
    return True
