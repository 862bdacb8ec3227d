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

from sphinx_official_images.model.names import (
    arch_problem,
    image_key,
    image_name_problem,
    is_tag,
    tag_key,
)

logger = logging.getLogger(__name__)

DOMAIN = "docker"

# Lower is better: the image's own readme page wins over a demo of one part.
PRIORITY_README = 0
PRIORITY_PART = 1

# (priority, docname, anchor)
Candidate = tuple[int, str, str]


class DockerXRefRole(XRefRole):
    """``image`` / ``image-tag``: a cross-reference that records what it links to.

    The domain keeps each document's targets, so that the document is
    written again when the page documenting one appears or goes
    (:mod:`~sphinx_official_images.sphinx_ext.collector`).
    """

    def process_link(
        self,
        env: BuildEnvironment,
        refnode: Element,
        has_explicit_title: bool,
        title: str,
        target: str,
    ) -> tuple[str, str]:
        title, target = super().process_link(env, refnode, has_explicit_title, title, target)
        domain = env.get_domain(DOMAIN)
        assert isinstance(domain, OfficialImagesDomain)
        domain.note_reference(env.docname, "image" if self.reftype == "image" else "tag", target)
        return title, target


class OfficialImagesDomain(Domain):
    """Cross-reference targets for images and tags."""

    name = DOMAIN
    label = "Docker Official Images"
    object_types: ClassVar[dict[str, ObjType]] = {
        "image": ObjType("image", "image"),
        "tag": ObjType("tag", "image-tag"),
    }
    roles: ClassVar[dict[str, Any]] = {
        "image": DockerXRefRole(innernodeclass=nodes.literal, warn_dangling=True),
        "image-tag": DockerXRefRole(innernodeclass=nodes.literal, warn_dangling=True),
    }
    # Kept in the pickled environment, so in its most compact form: a catalogue
    # records ~47,000 tags. A target's candidates are a tuple (one or two in
    # practice, never a list per key); what each document recorded or links to
    # is one set of key strings per table or kind (no tuple per key: the keys
    # are the tables' own strings, pickled once).
    initial_data: ClassVar[dict[str, Any]] = {
        "images": {},  # image key -> sorted tuple of candidates
        "tags": {},  # tag key -> sorted tuple of candidates
        "readmes": {},  # docname -> sorted list of (image, arch or "")
        "keys": {},  # docname -> {"images"/"tags": {key}}: what clear_doc must visit
        "refs": {},  # docname -> {"image"/"tag": {key}}: the images and tags it links
    }
    data_version = 4

    @property
    def images(self) -> dict[str, tuple[Candidate, ...]]:
        return self.data["images"]  # type: ignore[no-any-return]

    @property
    def tags(self) -> dict[str, tuple[Candidate, ...]]:
        return self.data["tags"]  # type: ignore[no-any-return]

    @property
    def readmes(self) -> dict[str, list[tuple[str, str]]]:
        return self.data["readmes"]  # type: ignore[no-any-return]

    # -- recording -------------------------------------------------------

    def _add(self, name: str, key: str, cand: Candidate) -> None:
        table = self.data[name]
        entries = table.get(key, ())
        if cand not in entries:
            table[key] = tuple(sorted((*entries, cand)))
        self.data["keys"].setdefault(cand[1], {}).setdefault(name, set()).add(key)

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

    def note_reference(self, docname: str, kind: str, key: str) -> None:
        """``docname`` links to image (``kind`` "image") or tag ``key``."""
        self.references.setdefault(docname, {}).setdefault(kind, set()).add(key)

    @property
    def references(self) -> dict[str, dict[str, set[str]]]:
        """docname -> kind ("image" or "tag") -> the keys it links to."""
        return self.data["refs"]  # type: ignore[no-any-return]

    # -- parallel builds and incremental rebuilds -------------------------

    def clear_doc(self, docname: str) -> None:
        # Only the keys this document recorded: Sphinx clears every document
        # before reading it, and a catalogue has tens of thousands of tags.
        for name, keys in self.data["keys"].pop(docname, {}).items():
            table = self.data[name]
            for key in keys:
                kept = tuple(c for c in table.get(key, ()) if c[1] != docname)
                if kept:
                    table[key] = kept
                else:
                    table.pop(key, None)
        self.readmes.pop(docname, None)
        self.references.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            for name, keys in otherdata["keys"].get(docname, {}).items():
                for key in keys:
                    for cand in otherdata[name].get(key, ()):
                        if cand[1] == docname:
                            self._add(name, key, (cand[0], cand[1], cand[2]))
        for docname, views in otherdata["readmes"].items():
            if docname in docnames:
                self.readmes[docname] = sorted({*self.readmes.get(docname, []), *map(tuple, views)})
        for docname, refs in otherdata["refs"].items():
            if docname in docnames:
                mine = self.references.setdefault(docname, {})
                for kind, keys in refs.items():
                    mine.setdefault(kind, set()).update(keys)

    # -- resolution ---------------------------------------------------------

    def lookup(self, kind: str, key: str) -> Candidate | None:
        """The best candidate for image (``kind`` "image") or tag ``key``, None if unknown."""
        table = self.images if kind == "image" else self.tags
        cands = table.get(key)
        return cands[0] if cands else None

    def link(
        self, builder: Builder, fromdocname: str, objtype: str, target: str, contnode: Element
    ) -> nodes.reference | None:
        """A link from ``fromdocname`` to an image or tag (None: unknown)."""
        found = self.lookup(objtype, target)
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
        # What the search finds, and how it titles it. A tag is found through
        # its index entries (``3.14-slim``, ``python:3.14-slim``: exact
        # matches rank first; sphinx_ext/search.py). As objects, the tags
        # would not rank by exactness (the search splits ``3.14-slim`` into
        # words and matches each one in every name) and every ``python:...``
        # would match a query for ``python``: they are kept out of the search
        # index (-1) and stay in ``objects.inv`` for the roles and intersphinx.
        # Every image view is "important" (0), so that a query for the image
        # lists its architecture views above the pages that merely mention
        # it, and their results name the view: ``python (windows-amd64)``.
        for objtype, table in (("image", self.images), ("tag", self.tags)):
            for key in sorted(table):
                _, docname, anchor = table[key][0]
                if objtype == "tag":
                    yield key, key, objtype, docname, anchor, -1
                    continue
                image, at, arch = key.partition("@")
                shown = f"{image} ({arch})" if at else key
                yield key, shown, objtype, docname, anchor, 0


def _malformed(typ: str, target: str) -> str | None:
    """What is wrong with the form of a role target, or None if it is well formed."""
    name, at, arch = target.partition("@")
    image, colon, tag = name.partition(":")
    expected = "IMAGE:TAG or IMAGE:TAG@ARCH" if typ == "image-tag" else "IMAGE or IMAGE@ARCH"
    if typ == "image-tag" and not colon:
        return f"malformed image tag {target!r}: expected {expected}, e.g. 'python:3-slim'"
    if typ == "image" and colon:
        return f"malformed image {target!r}: expected {expected} (use :image-tag: for a tag)"
    problem = image_name_problem(image, within=target)
    if problem is None and colon and not is_tag(tag):
        problem = f"invalid tag {tag!r} in {target!r}: expected {expected}"
    if problem is None and at:
        problem = arch_problem(arch, within=target)
    return problem


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
        return True  # a link only when the target is documented (sphinx_ext/optional_refs.py)
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
