"""Finding, loading and caching everything an image page needs.

A :class:`Catalog` ties together the three inputs of SPEC §3:

* a **library folder** in the layout of official-images ``library/`` (one
  manifest per image, plus ``debian`` and ``ubuntu`` whose tags give the suite
  names ``variant.sh`` looks for);
* a **docs folder** in the layout of docker-library/docs, read through
  :class:`~sphinx_official_images.sources.docsfolder.DocsFolder` (stored symlinks are
  followed);
* an optional **facts folder** (see :mod:`sphinx_official_images.sources.facts`).

Parsed manifests and suite lists are cached by file identity (path,
``mtime_ns``, size), so a long-lived catalog (a Sphinx build, ``update`` over
every image) never parses an unchanged file twice and notices a changed one.
Image and architecture names are checked with
:func:`~sphinx_official_images.model.architectures.is_plain_name` before they are
used in a path.  Problems are raised as :class:`ManifestError` or
:class:`DocsError`, with the file (and line where there is one).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sphinx_official_images.model.architectures import (
    DEFAULT_ARCH_NAMESPACES,
    SUPPORTED_ARCHITECTURES,
    is_plain_name,
)
from sphinx_official_images.model.errors import DocsError, ManifestError, OfficialImagesError
from sphinx_official_images.model.manifest import Manifest, load_manifest
from sphinx_official_images.sources.docsfolder import DocsFolder
from sphinx_official_images.sources.facts import FactsResolver, ImageFacts

__all__ = ["Catalog", "Suites", "check_arch", "check_image"]

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


def check_image(image: str) -> str:
    """``image`` if it is a plain name (it becomes a path segment), else an error."""
    if not is_plain_name(image):
        raise OfficialImagesError(f"invalid image name {image!r} (expected a plain name)")
    return image


def check_arch(arch: str) -> str:
    """``arch`` if bashbrew knows it, else an error."""
    if not is_plain_name(arch) or arch not in SUPPORTED_ARCHITECTURES:
        known = ", ".join(sorted(SUPPORTED_ARCHITECTURES))
        raise OfficialImagesError(f"unknown architecture {arch!r} (known: {known})")
    return arch


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


class Catalog:
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
        self._manifests: dict[Path, tuple[int, int, Manifest]] = {}
        self._suites: dict[tuple[Path, Path], tuple[tuple[int, int, int, int], Suites]] = {}
        # Results of pure checks over input texts (the view model's YAML
        # check), keyed by the caller: they go with the catalog, never
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
        cached = self._manifests.get(path)
        if cached is not None and cached[0] == st.st_mtime_ns and cached[1] == st.st_size:
            return cached[2]
        manifest = load_manifest(path)
        self._manifests[path] = (st.st_mtime_ns, st.st_size, manifest)
        return manifest

    def manifest(self, image: str) -> Manifest:
        """The parsed ``library/IMAGE`` manifest."""
        return self.load(self.manifest_path(image))

    def manifest_images(self) -> list[str]:
        """Every manifest of the library folder whose name is a plain name, sorted."""
        try:
            names = [
                item.name
                for item in os.scandir(self.library)
                if item.is_file() and is_plain_name(item.name)
            ]
        except OSError as exc:
            raise ManifestError(
                f"cannot list folder: {exc.strerror or exc}", str(self.library)
            ) from None
        return sorted(names)

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
        stamps: list[int] = []
        for path in paths:
            try:
                st = path.stat()
                stamps += [st.st_mtime_ns, st.st_size]
            except OSError:
                stamps += [-1, -1]
        key = (debian_path, ubuntu_path)
        stamp = (stamps[0], stamps[1], stamps[2], stamps[3])
        cached = self._suites.get(key)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        # A missing suite manifest gives no suites, as a failing ``bashbrew list`` does.
        debian = () if stamp[0] < 0 else debian_suites(self.load(debian_path))
        ubuntu = () if stamp[2] < 0 else ubuntu_suites(self.load(ubuntu_path))
        used = tuple(p for p, s in zip(paths, (stamp[0], stamp[2]), strict=True) if s >= 0)
        suites = Suites(debian, ubuntu, used)
        self._suites[key] = (stamp, suites)
        return suites

    def require_docs_file(self, relpath: str) -> str:
        """The text of a docs file the incumbent cannot do without."""
        text = self.docs.read(relpath)
        if text is None:
            raise DocsError("required file is missing", str(self.docs.root / relpath))
        return text
