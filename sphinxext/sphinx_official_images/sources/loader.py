"""Finding, loading and caching everything an image page needs.

A :class:`Loader` ties together the three inputs of SPEC §3:

* a **library folder** in the layout of official-images ``library/`` (one
  manifest per image, plus ``debian`` and ``ubuntu`` whose tags give the suite
  names ``variant.sh`` looks for);
* a **docs folder** in the layout of docker-library/docs, read through
  :class:`~sphinx_official_images.sources.docsfolder.DocsFolder` (stored symlinks are
  followed);
* an optional **facts folder** (see :mod:`sphinx_official_images.sources.facts`);
* an optional **docker-library/meta checkout** (see
  :mod:`sphinx_official_images.sources.meta`), asked for the buildpack-deps
  fact when the facts folder does not hold it.

Parsed manifests and suite lists are cached by file identity (path,
``mtime_ns``, size), so a long-lived loader (a Sphinx build, ``update`` over
every image) never parses an unchanged file twice and notices a changed one.
Image names are checked with
:func:`~sphinx_official_images.model.names.check_image` before they are
used in a path.  Problems are raised as :class:`ManifestError` or
:class:`DocsError`, with the file (and line where there is one).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sphinx_official_images.model.architectures import DEFAULT_ARCH_NAMESPACES, is_plain_name
from sphinx_official_images.model.errors import DocsError, ManifestError
from sphinx_official_images.model.manifest import Manifest, load_manifest
from sphinx_official_images.model.names import check_image
from sphinx_official_images.sources.docsfolder import DocsFolder
from sphinx_official_images.sources.facts import FactsResolver, ImageFacts
from sphinx_official_images.sources.meta import (
    MetaIndex,
    buildpack_deps_based,
    load_meta,
    meta_sources_path,
)
from sphinx_official_images.sources.stamps import MISSING, StampCache, file_stamp, stamp_of

__all__ = ["BuildpackFact", "Loader", "Suites", "manifest_files"]

# variant.sh: ``bashbrew list --uniq debian | grep -vE '...'`` (first tag of each
# entry) and ``bashbrew list ubuntu | grep -vE '...'`` (every tag).
_DEBIAN_SKIP = re.compile(r"stable|slim|backports|experimental|testing")
_UBUNTU_SKIP = re.compile(r"devel|latest|[0-9]")


@dataclass(frozen=True, slots=True)
class Suites:
    """The Debian and Ubuntu suite names ``variant.sh`` recognises in tags."""

    debian: tuple[str, ...]
    ubuntu: tuple[str, ...]
    paths: tuple[Path, ...]


@dataclass(frozen=True, slots=True)
class BuildpackFact:
    """Whether ``variant.sh`` would find a ``buildpack-deps:SUITE`` base, and who says so.

    ``based`` is None when neither the facts folder nor meta knows (the
    incumbent offline: no paragraph).  ``source`` names where the answer came
    from; ``path`` is the file that answered, or meta's ``sources.json``
    when it was asked and does not know (a dependency of the page either
    way: a new version may know).  ``error`` is why meta could not be asked
    (a malformed or missing ``sources.json``): the page is still built, as
    with no meta, and says so.  ``missing`` is meta's ``sources.json`` when
    it was looked for and is not there (the page changes when it appears).
    """

    based: bool | None
    source: Literal["facts", "meta"] | None
    path: Path | None = None
    error: DocsError | None = None
    missing: Path | None = None


def manifest_files(library: Path) -> list[Path]:
    """The manifests of a library folder: its regular, non-hidden files, by name.

    Raises :class:`ManifestError` when the folder cannot be listed.
    """
    try:
        found = [
            Path(item.path)
            for item in os.scandir(library)
            if not item.name.startswith(".") and item.is_file()
        ]
    except OSError as exc:
        raise ManifestError(f"cannot list folder: {exc.strerror or exc}", str(library)) from None
    return sorted(found, key=lambda path: path.name)


def debian_suites(manifest: Manifest, name: str = "debian") -> tuple[str, ...]:
    """The first tag of every entry, minus ``stable|slim|backports|...`` (variant.sh)."""
    out: list[str] = []
    for entry in manifest.entries:
        tags = entry.tags + entry.shared_tags
        if tags and not _DEBIAN_SKIP.search(f"{name}:{tags[0]}"):
            out.append(tags[0])
    return tuple(out)


def ubuntu_suites(manifest: Manifest, name: str = "ubuntu") -> tuple[str, ...]:
    """Every tag (and shared tag) without ``devel``, ``latest`` or a digit (variant.sh)."""
    out: list[str] = []
    for entry in manifest.entries:
        for tag in entry.tags + entry.shared_tags:
            if not _UBUNTU_SKIP.search(f"{name}:{tag}"):
                out.append(tag)
    return tuple(out)


class Loader:
    """The inputs of one documentation set: manifests, prose, facts.

    ``arch_namespaces`` maps architectures to Hub namespaces (bashbrew's
    ``BASHBREW_ARCH_NAMESPACES``); the default is the standard map.
    """

    def __init__(
        self,
        library: str | os.PathLike[str],
        docs: str | os.PathLike[str],
        facts: str | os.PathLike[str] | None = None,
        arch_namespaces: Mapping[str, str] | None = None,
        meta: str | os.PathLike[str] | None = None,
    ) -> None:
        library_path = Path(library)
        if not library_path.is_dir():
            raise ManifestError("library folder does not exist or is not a folder", str(library))
        self.library = library_path
        self.docs = DocsFolder(docs)
        facts_path = None if facts is None else Path(facts)
        self.facts = FactsResolver(self.docs.root, facts_path)
        self.arch_namespaces: Mapping[str, str] = dict(
            DEFAULT_ARCH_NAMESPACES if arch_namespaces is None else arch_namespaces
        )
        # Checked when first needed: a missing or broken meta checkout costs
        # the pages the fact, not the pages themselves.
        self.meta: Path | None = None if meta is None else Path(meta)
        self._meta_index: StampCache[Path, MetaIndex] = StampCache()
        self._manifests: StampCache[Path, Manifest] = StampCache()
        self._suites: StampCache[tuple[Path, Path], Suites] = StampCache()
        # Results of pure checks over input texts (the view model's YAML
        # check), keyed by the caller: they go with the loader, never
        # with the process.
        self.memo: dict[tuple[str, str], object] = {}

    # -- manifests ------------------------------------------------------------

    def manifest_path(self, image: str) -> Path:
        """``LIBRARY/IMAGE``."""
        return self.library / check_image(image)

    def load(self, path: Path) -> Manifest:
        """Parse the manifest at ``path``, cached by (path, mtime_ns, size)."""
        try:
            st = path.stat()
        except OSError:
            raise ManifestError("manifest file not found", str(path)) from None
        return self._manifests.get(path, stamp_of(st), lambda: load_manifest(path))

    def manifest(self, image: str) -> Manifest:
        """The parsed ``library/IMAGE`` manifest."""
        return self.load(self.manifest_path(image))

    def manifest_images(self) -> list[str]:
        """Every manifest of the library folder whose name is a plain name, sorted."""
        return [path.name for path in manifest_files(self.library) if is_plain_name(path.name)]

    # -- docs -----------------------------------------------------------------

    def images(self) -> list[str]:
        """The images ``update.sh`` writes a README for: folders with a ``content.md``."""
        return [
            name
            for name in self.docs.image_folders()
            if is_plain_name(name) and self.docs.is_file(f"{name}/content.md")
        ]

    def short_description(self, image: str) -> str | None:
        """``IMAGE/README-short.txt`` (the Hub's one-line summary), None when absent."""
        text = self.docs.read(f"{check_image(image)}/README-short.txt")
        return None if text is None else text.strip()

    # -- facts ----------------------------------------------------------------

    def image_facts(self, image: str) -> ImageFacts:
        """The facts file's content for ``image`` (empty if there is none)."""
        return self.facts.image_facts(check_image(image))

    def meta_index(self) -> MetaIndex | None:
        """The meta checkout's ``sources.json``, read once while it is unchanged."""
        if self.meta is None:
            return None
        path = meta_sources_path(self.meta)
        try:
            st = path.stat()
        except OSError:
            raise DocsError(
                "no docker-library/meta sources.json here (official_images_meta, --meta)",
                str(path),
            ) from None
        return self._meta_index.get(path, stamp_of(st), lambda: load_meta(path))

    def buildpack_deps(self, image: str) -> BuildpackFact:
        """The buildpack-deps fact: the facts folder, then meta, else unknown."""
        facts = self.image_facts(image)
        if facts.buildpack_deps_based is not None:
            return BuildpackFact(facts.buildpack_deps_based, "facts", facts.path)
        try:
            index = self.meta_index()
        except DocsError as exc:
            assert self.meta is not None
            path = meta_sources_path(self.meta)
            return BuildpackFact(None, None, None, exc, None if path.is_file() else path)
        if index is not None:
            based = buildpack_deps_based(index, self.manifest(image))
            if based is not None:
                return BuildpackFact(based, "meta", index.path)
            return BuildpackFact(None, None, index.path)
        return BuildpackFact(None, None)

    def suites(self, image: str) -> Suites:
        """The suite names for ``image``: from its facts' suite manifests, else the library's."""
        facts = self.image_facts(image)
        paths: list[Path] = []
        for name in ("debian", "ubuntu"):
            chosen = self.library / name
            raw = facts.suite_manifests.get(name)
            if raw is not None:
                bases = [self.library.parent]
                if facts.path is not None:
                    bases.insert(0, facts.path.parent.parent)
                for base in bases:
                    candidate = base / raw
                    if candidate.is_file():
                        chosen = candidate
                        break
            paths.append(chosen)
        debian_path, ubuntu_path = paths
        stamp = (file_stamp(debian_path), file_stamp(ubuntu_path))

        def read() -> Suites:
            # A missing suite manifest gives no suites, as a failing ``bashbrew list`` does.
            debian = () if stamp[0] == MISSING else debian_suites(self.load(debian_path))
            ubuntu = () if stamp[1] == MISSING else ubuntu_suites(self.load(ubuntu_path))
            used = tuple(p for p, s in zip(paths, stamp, strict=True) if s != MISSING)
            return Suites(debian, ubuntu, used)

        return self._suites.get((debian_path, ubuntu_path), stamp, read)
