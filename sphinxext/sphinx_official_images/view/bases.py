"""What a page says about base images, both ways (docker-library/meta), as plain data.

* **Built FROM**: per entry and architecture, the last-stage ``FROM`` (what
  the image is based on) and every ``FROM`` of a multi-stage build, from the
  meta record that builds that entry on that architecture
  (:meth:`~sphinx_official_images.sources.meta.MetaIndex.entry_build`).
  Architectures with the same answer are grouped, so an entry built the same
  way everywhere is one line.
* **Used as a base by**: the official images whose builds have one of this
  image's tags in their ``FROM`` lines (any stage), from every record of
  ``sources.json``.  The user's image name is the repository of its first tag.
* **Parents**: the chain of last-stage bases above the image, followed
  through the records that publish each base (``debian:trixie-slim`` is
  published by debian's record, built ``FROM scratch``).

A reference such as ``debian:trixie-slim`` is split into image and tag when
it names an official image (``IMAGE:TAG`` with plain names); anything else
(``scratch``, ``mcr.microsoft.com/windows/servercore:ltsc2022``) is kept as
text.  Nothing here formats or links: the emitters do.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sphinx_official_images.model.architectures import is_plain_name
from sphinx_official_images.model.manifest import Manifest
from sphinx_official_images.sources.meta import MetaIndex, MetaSource

__all__ = [
    "ArchBases",
    "BaseRef",
    "EntryBases",
    "ImageBases",
    "ParentEdge",
    "UsedBy",
    "base_ref",
    "build_bases",
    "users_by_image",
]

_TAG = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")


@dataclass(frozen=True, slots=True)
class BaseRef:
    """A ``FROM`` value; ``image``/``tag`` set when it names an official image's tag."""

    ref: str
    image: str | None
    tag: str | None


def base_ref(ref: str) -> BaseRef:
    """``debian:trixie-slim`` → image ``debian``, tag ``trixie-slim``; others: text only."""
    image, colon, tag = ref.partition(":")
    if colon and is_plain_name(image) and _TAG.fullmatch(tag):
        return BaseRef(ref, image, tag)
    return BaseRef(ref, None, None)


@dataclass(frozen=True, slots=True)
class ArchBases:
    """The architectures built the same way: their last-stage base and every ``FROM``."""

    arches: tuple[str, ...]
    last_stage_from: BaseRef | None
    froms: tuple[BaseRef, ...]

    @property
    def stages(self) -> tuple[BaseRef, ...]:
        """The ``FROM`` lines other than the last stage's (a multi-stage build's builders)."""
        last = None if self.last_stage_from is None else self.last_stage_from.ref
        seen: dict[str, BaseRef] = {}
        for ref in self.froms:
            if ref.ref != last:
                seen.setdefault(ref.ref, ref)
        return tuple(seen.values())


@dataclass(frozen=True, slots=True)
class EntryBases:
    """One entry (named by its first tag): its groups, and the architectures meta lacks."""

    tags: tuple[str, ...]
    groups: tuple[ArchBases, ...]
    unknown: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class UsedBy:
    """An official image with builds ``FROM`` this image: which of its tags, on which bases."""

    image: str
    tags: tuple[str, ...]
    bases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ParentEdge:
    """``child`` is built ``FROM parent`` (last stage)."""

    child: BaseRef
    parent: BaseRef


@dataclass(frozen=True, slots=True)
class ImageBases:
    """The base-image facts of an image view."""

    image: str
    rows: tuple[EntryBases, ...]
    used_by: tuple[UsedBy, ...]
    parents: tuple[ParentEdge, ...]
    inputs: tuple[Path, ...]

    def for_tag(self, tag: str) -> EntryBases | None:
        for row in self.rows:
            if row.tags and row.tags[0] == tag:
                return row
        return None


def _source_image(source: MetaSource) -> str | None:
    for tag in source.tags:
        image = base_ref(tag).image
        if image is not None:
            return image
    return None


def users_by_image(index: MetaIndex) -> dict[str, tuple[UsedBy, ...]]:
    """For every base image: the images built on it. One pass over the records.

    Computed once per loaded ``sources.json`` (the caller keeps it).
    """
    found: dict[str, dict[str, tuple[dict[str, None], dict[str, None]]]] = {}
    for source in index.sources.values():
        user = _source_image(source)
        if user is None:
            continue
        user_tags = [t.partition(":")[2] for t in source.tags if t.partition(":")[0] == user]
        for data in source.arches.values():
            for ref in data.froms:
                base = base_ref(ref)
                if base.image is None or base.image == user:
                    continue
                tags, bases = found.setdefault(base.image, {}).setdefault(user, ({}, {}))
                tags.update(dict.fromkeys(user_tags))
                bases[ref] = None
    return {
        base: tuple(
            UsedBy(user, tuple(tags), tuple(sorted(bases)))
            for user, (tags, bases) in sorted(users.items())
        )
        for base, users in found.items()
    }


def _parents(
    index: MetaIndex, image: str, lasts: list[BaseRef], limit: int = 64
) -> tuple[ParentEdge, ...]:
    """The last-stage chains above ``image``'s bases, each edge once."""
    edges: dict[tuple[str, str], ParentEdge] = {}
    top = BaseRef(image, image, None)
    todo: list[tuple[BaseRef, BaseRef]] = [(top, ref) for ref in lasts]
    seen: set[str] = set()
    while todo and len(edges) < limit:
        child, parent = todo.pop(0)
        edges.setdefault((child.ref, parent.ref), ParentEdge(child, parent))
        if parent.ref in seen:
            continue
        seen.add(parent.ref)
        for source in index.tagged(parent.ref):
            # the base's own base: amd64 when it is built there, else its first architecture
            arches = sorted(source.arches)
            if not arches:
                continue
            arch = "amd64" if "amd64" in source.arches else arches[0]
            last = source.arches[arch].last_stage_from
            if last:
                todo.append((parent, base_ref(last)))
            break
    return tuple(edges.values())


def build_bases(
    manifest: Manifest,
    index: MetaIndex,
    image: str,
    arch: str | None = None,
    users: Mapping[str, tuple[UsedBy, ...]] | None = None,
) -> ImageBases:
    """The base images of ``image``'s entries (``arch``'s only, in that view), and its users."""
    entries = list(manifest.entries) if arch is None else manifest.entries_for_architecture(arch)
    rows: list[EntryBases] = []
    lasts: dict[str, BaseRef] = {}
    for entry in entries:
        if not entry.tags:
            continue
        arches = entry.architectures if arch is None else [arch]
        groups: dict[tuple[str | None, tuple[str, ...]], list[str]] = {}
        unknown: list[str] = []
        for a in arches:
            found = index.entry_build(entry, a)
            if found is None:
                unknown.append(a)
                continue
            data = found[1]
            groups.setdefault((data.last_stage_from, data.froms), []).append(a)
        out: list[ArchBases] = []
        for (last, froms), group_arches in groups.items():
            last_ref = None if last is None else base_ref(last)
            if last_ref is not None:
                lasts.setdefault(last_ref.ref, last_ref)
            out.append(ArchBases(tuple(group_arches), last_ref, tuple(base_ref(f) for f in froms)))
        rows.append(EntryBases(entry.tags, tuple(out), tuple(unknown)))
    table = users_by_image(index) if users is None else users
    return ImageBases(
        image,
        tuple(rows),
        table.get(image, ()),
        _parents(index, image, list(lasts.values())),
        (index.path,),
    )
