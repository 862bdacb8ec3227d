"""One catalog per Sphinx project and process, configured from ``conf.py``.

The catalog (and its caches of parsed manifests) lives in this module, not in
the pickled environment: each parallel reader process builds its own, and a
long-lived process (sphinx-autobuild) keeps it while the files are unchanged.
Pages are cached here too, keyed by view and checked against the identity of
every file they were built from, so a page of ten directives on one image
builds the view model once.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from sphinx_official_images.model.architectures import (
    DEFAULT_ARCH_NAMESPACES,
    SUPPORTED_ARCHITECTURES,
    is_plain_name,
)
from sphinx_official_images.model.errors import OfficialImagesError
from sphinx_official_images.sources.loader import Catalog
from sphinx_official_images.sources.meta import MetaIndex, load_meta, meta_sources_path
from sphinx_official_images.sources.repoinfo import RepoInfo
from sphinx_official_images.view.bases import ImageBases, UsedBy, build_bases, users_by_image
from sphinx_official_images.view.page import DEFAULT_LOGO_URL, ImagePage, build_page
from sphinx_official_images.view.sizes import ImageFigures, build_figures

logger = logging.getLogger(__name__)

_Stamp = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True)
class Settings:
    """The extension's configuration, resolved to absolute paths."""

    library: Path
    docs: Path
    facts: Path | None
    namespaces: tuple[tuple[str, str], ...]
    logo_url: str
    raw_html: bool
    repo_info: Path | None = None
    meta: Path | None = None

    @classmethod
    def from_env(cls, env: BuildEnvironment) -> Settings:
        config = env.config
        src = Path(env.srcdir)

        def folder(value: str) -> Path | None:
            return (src / value).resolve() if value else None

        namespaces = dict(DEFAULT_ARCH_NAMESPACES)
        namespaces.update(config.official_images_arch_namespaces or {})
        return cls(
            library=folder(config.official_images_library) or src,
            docs=folder(config.official_images_docs) or src,
            facts=folder(config.official_images_facts),
            namespaces=tuple(sorted(namespaces.items())),
            logo_url=config.official_images_logo_url or DEFAULT_LOGO_URL,
            raw_html=bool(config.official_images_raw_html),
            repo_info=folder(config.official_images_repo_info),
            meta=folder(config.official_images_meta),
        )


_PAGE_CACHE_SIZE = 32


class ProjectCatalog:
    """The catalog of one configuration, with a page cache on top."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._catalog: Catalog | None = None
        self._pages: OrderedDict[tuple[str, str | None], tuple[_Stamp, ImagePage]] = OrderedDict()
        self._repo_info: RepoInfo | None = None
        # sources.json, its stamp and its reverse index (who is built on whom)
        self._meta: tuple[_Stamp, MetaIndex, dict[str, tuple[UsedBy, ...]]] | None = None

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            s = self.settings
            self._catalog = Catalog(s.library, s.docs, s.facts, dict(s.namespaces))
        return self._catalog

    def page(self, image: str, arch: str | None) -> ImagePage:
        key = (image, arch)
        cached = self._pages.get(key)
        if cached is not None and _stamp(p for p, _, _ in cached[0]) == cached[0]:
            self._pages.move_to_end(key)
            return cached[1]
        page = build_page(self.catalog, image, arch, logo_url=self.settings.logo_url)
        self._pages[key] = (_stamp(str(p) for p in page.inputs), page)
        self._pages.move_to_end(key)
        # The pages a document or two asks for again, not a whole catalogue:
        # 800 cached views are ~400,000 objects for every garbage collection
        # to walk, for no gain (each view is read once per build).
        while len(self._pages) > _PAGE_CACHE_SIZE:
            self._pages.popitem(last=False)
        return page

    @property
    def repo_info(self) -> RepoInfo | None:
        """The repo-info checkout (None: ``official_images_repo_info`` is not set)."""
        if self._repo_info is None and self.settings.repo_info is not None:
            self._repo_info = RepoInfo(self.settings.repo_info)
        return self._repo_info

    def figures(self, image: str, arch: str | None) -> ImageFigures | None:
        """Sizes and digests of an image view (None: no repo-info configured).

        Not cached beyond the parsed files: building them is a folder
        listing and a few dictionary lookups per entry.
        """
        repo_info = self.repo_info
        if repo_info is None:
            return None
        return build_figures(self.catalog.manifest(image), repo_info, image, arch)

    def meta(self) -> tuple[MetaIndex, dict[str, tuple[UsedBy, ...]]] | None:
        """``sources.json`` of the meta checkout, read once per version of the file
        (None: ``official_images_meta`` is not set). Raises on a malformed file."""
        if self.settings.meta is None:
            return None
        path = meta_sources_path(self.settings.meta)
        stamp = _stamp([str(path)])
        if self._meta is None or self._meta[0] != stamp:
            index = load_meta(path)
            self._meta = (stamp, index, users_by_image(index))
        return self._meta[1], self._meta[2]

    def bases(self, image: str, arch: str | None) -> ImageBases | None:
        """Base images of an image view and the images built on it (None: no meta)."""
        found = self.meta()
        if found is None:
            return None
        index, users = found
        return build_bases(self.catalog.manifest(image), index, image, arch, users)


def _stamp(paths: Any) -> _Stamp:
    out = []
    for path in paths:
        try:
            st = os.stat(path)
            out.append((path, st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((path, -1, -1))
    return tuple(out)


_CATALOGS: dict[Settings, ProjectCatalog] = {}


def project_catalog(env: BuildEnvironment) -> ProjectCatalog:
    settings = Settings.from_env(env)
    found = _CATALOGS.get(settings)
    if found is None:
        found = _CATALOGS[settings] = ProjectCatalog(settings)
    return found


def load_page(
    env: BuildEnvironment, image: str, arch: str | None, project: ProjectCatalog | None = None
) -> ImagePage:
    """The view model of one image view, its input files noted as dependencies.

    ``project``: the caller's :func:`project_catalog` (resolving the settings'
    folders costs a few system calls each time)."""
    page = (project or project_catalog(env)).page(image, arch)
    for path in page.inputs:
        env.note_dependency(str(path))
    return page


def load_figures(
    env: BuildEnvironment, image: str, arch: str | None, project: ProjectCatalog | None = None
) -> ImageFigures | None:
    """An image view's sizes and digests; the repo-info files read become dependencies
    of the page asking (only those pages: the others never read them)."""
    figures = (project or project_catalog(env)).figures(image, arch)
    if figures is not None:
        for path in figures.inputs:
            env.note_dependency(str(path))
    return figures


def load_bases(
    env: BuildEnvironment, image: str, arch: str | None, project: ProjectCatalog | None = None
) -> ImageBases | None:
    """An image view's base images; ``sources.json`` (and the manifest) become
    dependencies of the page asking."""
    project = project or project_catalog(env)
    if project.settings.meta is not None:
        path = meta_sources_path(project.settings.meta)
        if path.is_file():
            env.note_dependency(str(path))
    bases = project.bases(image, arch)
    if bases is not None:
        env.note_dependency(str(project.catalog.manifest_path(image)))
    return bases


def known_images(env: BuildEnvironment) -> list[str]:
    """Images that have a manifest, for "did you mean" messages."""
    try:
        return project_catalog(env).catalog.manifest_images()
    except OfficialImagesError:
        return []


def validate_config(app: Sphinx, config: Config) -> None:
    """Tell about settings that cannot work, once, at start-up.

    Missing folders are reported by the directives that need them, with the
    page's location: a project that only uses the roles needs no folder.
    """
    namespaces = config.official_images_arch_namespaces or {}
    for arch, namespace in sorted(namespaces.items()):
        if arch not in SUPPORTED_ARCHITECTURES:
            logger.warning(
                "official_images_arch_namespaces: unknown architecture %r (known: %s)",
                arch,
                ", ".join(sorted(SUPPORTED_ARCHITECTURES)),
                type="official_images",
                subtype="config",
            )
        if not isinstance(namespace, str) or not is_plain_name(namespace):
            logger.warning(
                "official_images_arch_namespaces: namespace %r for %r is not a plain name",
                namespace,
                arch,
                type="official_images",
                subtype="config",
            )
