"""One loader per Sphinx environment, configured from ``conf.py``.

The loader (and its caches of parsed manifests, docs texts and git answers),
the page cache and the prose parse cache belong to the build environment
they were made for: they hang on it as :class:`ProjectState`, which pickles
to nothing, so the cached objects go with the environment and are never
written into ``environment.pickle``; a second build in the same process (a
test suite, a tool that builds in-process) starts from its own environment
and never sees another build's inputs. Each parallel reader process works
on its copy of the environment, hence of the caches.

Pages are cached keyed by view and checked against the identity of every
file they were built from or looked for, so a page of ten directives on one
image builds the view model once.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from sphinx_official_images.model.architectures import (
    DEFAULT_ARCH_NAMESPACES,
    SUPPORTED_ARCHITECTURES,
    is_plain_name,
)
from sphinx_official_images.render.prose import ParseCache
from sphinx_official_images.sources.facts import CommitTable
from sphinx_official_images.sources.loader import Loader
from sphinx_official_images.sources.lookups import Lookups
from sphinx_official_images.sources.meta import MetaIndex, meta_sources_path
from sphinx_official_images.sources.repoinfo import RepoInfo
from sphinx_official_images.sources.stamps import MISSING, Stamp, stamps
from sphinx_official_images.sphinx_ext.manifest_warnings import note_manifest
from sphinx_official_images.view.bases import ImageBases, UsedBy, build_bases, users_by_image
from sphinx_official_images.view.page import DEFAULT_LOGO_URL, ImagePage, build_page
from sphinx_official_images.view.sizes import ImageFigures, build_figures

logger = logging.getLogger(__name__)

_Stamp = tuple[tuple[str, Stamp], ...]


@dataclass(frozen=True)
class Settings:
    """The extension's configuration, resolved to absolute paths."""

    library: Path
    docs: Path
    facts: Path | None
    meta: Path | None
    namespaces: tuple[tuple[str, str], ...]
    logo_url: str
    raw_html: bool
    repo_info: Path | None = None

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
            meta=folder(config.official_images_meta),
            namespaces=tuple(sorted(namespaces.items())),
            logo_url=config.official_images_logo_url or DEFAULT_LOGO_URL,
            raw_html=bool(config.official_images_raw_html),
            repo_info=folder(config.official_images_repo_info),
        )


_PAGE_CACHE_SIZE = 32


class Project:
    """The loader of one configuration, with a page cache on top."""

    def __init__(self, settings: Settings, commits: CommitTable | None = None) -> None:
        self.settings = settings
        # the docs checkout's logo history kept from an earlier build (used
        # only while the checkout's HEAD is the one it was read at)
        self._commits = commits
        self._loader: Loader | None = None
        self._pages: OrderedDict[tuple[str, str | None], tuple[_Stamp, ImagePage]] = OrderedDict()
        self._repo_info: RepoInfo | None = None
        # the loader's sources.json and its reverse index (who is built on whom)
        self._meta: tuple[MetaIndex, dict[str, tuple[UsedBy, ...]]] | None = None

    @property
    def loader(self) -> Loader:
        if self._loader is None:
            s = self.settings
            self._loader = Loader(s.library, s.docs, s.facts, dict(s.namespaces), s.meta)
            if self._commits is not None:
                self._loader.facts.use_commit_table(self._commits)
        return self._loader

    @property
    def commit_table(self) -> CommitTable | None:
        """The logo history this build walked or was handed (None: none)."""
        return None if self._loader is None else self._loader.facts.commit_table

    def page(self, image: str, arch: str | None, lookups: Lookups | None = None) -> ImagePage:
        """The view model of ``image`` (``arch``: None for the default view).

        ``lookups`` receives every file the page looked for, also when
        building it fails.
        """
        key = (image, arch)
        cached = self._pages.get(key)
        if cached is not None and stamps(p for p, _ in cached[0]) == cached[0]:
            self._pages.move_to_end(key)
            page = cached[1]
            if lookups is not None:
                for found in page.inputs:
                    lookups.present(found)
                for missing in page.missing:
                    lookups.absent(missing)
            return page
        page = build_page(
            self.loader, image, arch, logo_url=self.settings.logo_url, lookups=lookups
        )
        # the files it was built from as they are now; those it looked for in
        # vain as missing when it looked (no stat of a hundred absent files)
        used = stamps(str(p) for p in page.inputs)
        self._pages[key] = (used + tuple((p, MISSING) for p in page.missing), page)
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
        return build_figures(self.loader.manifest(image), repo_info, image, arch)

    def meta(self) -> tuple[MetaIndex, dict[str, tuple[UsedBy, ...]]] | None:
        """``sources.json`` of the meta checkout and who is built on whom (None:
        ``official_images_meta`` is not set). Raises on a malformed file.

        The file is the loader's (the buildpack-deps fact reads it too): parsed
        once per version of the file, the reverse index made once per parse.
        """
        index = self.loader.meta_index()
        if index is None:
            return None
        if self._meta is None or self._meta[0] is not index:
            self._meta = (index, users_by_image(index))
        return index, self._meta[1]

    def bases(self, image: str, arch: str | None) -> ImageBases | None:
        """Base images of an image view and the images built on it (None: no meta)."""
        found = self.meta()
        if found is None:
            return None
        index, users = found
        return build_bases(self.loader.manifest(image), index, image, arch, users)


class ProjectState:
    """The caches of one build environment (see the module documentation).

    Pickling gives an empty state: what is cached is rebuilt from the files,
    never carried over in ``environment.pickle``.
    """

    def __init__(self) -> None:
        self.projects: dict[Settings, Project] = {}
        self.parses = ParseCache()
        # what one build notes between its events (sphinx_ext.collector)
        self.build_notes: object = None
        # the filter telling prose warnings once per build (sphinx_ext.once)
        self.told_once: object = None
        # the docnames of the pages the catalogue generated (sphinx_ext.generate),
        # whose doctrees are released once written (sphinx_ext.release)
        self.generated_pages: frozenset[str] = frozenset()

    def __reduce__(self) -> tuple[type[ProjectState], tuple[()]]:
        return ProjectState, ()


_STATE = "official_images_state"


def project_state(env: BuildEnvironment) -> ProjectState:
    """The caches that go with ``env``, made on first use."""
    state = getattr(env, _STATE, None)
    if not isinstance(state, ProjectState):
        state = ProjectState()
        setattr(env, _STATE, state)
    return state


def new_build(env: BuildEnvironment) -> None:
    """Forget the prose parses of an earlier build of the same environment.

    Catalogs and pages check every file they used, so they stay; a shared
    parse is kept for one build only (see ``render.prose``).
    """
    project_state(env).parses = ParseCache()


# The docs checkout's logo history (one ``git log`` over the whole checkout),
# kept on the environment and pickled with it: walked at most once per docs
# HEAD, so an incremental build walks nothing.
_COMMIT_TABLE = "official_images_commit_table"


def get_project(env: BuildEnvironment) -> Project:
    state = project_state(env)
    settings = Settings.from_env(env)
    found = state.projects.get(settings)
    if found is None:
        kept = getattr(env, _COMMIT_TABLE, None)
        found = Project(settings, kept if isinstance(kept, CommitTable) else None)
        state.projects[settings] = found
    return found


def keep_commit_table(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``: keep the logo history this build used for the next one."""
    for project in project_state(env).projects.values():
        table = project.commit_table
        if table is not None:
            setattr(env, _COMMIT_TABLE, table)


def load_page(
    env: BuildEnvironment,
    image: str,
    arch: str | None,
    lookups: Lookups | None = None,
    project: Project | None = None,
) -> ImagePage:
    """The view model of one image view; ``lookups`` receives every file looked for.

    The image's manifest is noted too: its warnings are told once per build.
    ``project``: the caller's :func:`get_project` (resolving the settings'
    folders costs a few system calls each time).
    """
    project = project or get_project(env)
    page = project.page(image, arch, lookups)
    note_manifest(env, str(project.loader.manifest_path(image)))
    return page


def load_figures(
    env: BuildEnvironment, image: str, arch: str | None, project: Project | None = None
) -> ImageFigures | None:
    """An image view's sizes and digests; the repo-info files read become dependencies
    of the page asking (only those pages: the others never read them)."""
    figures = (project or get_project(env)).figures(image, arch)
    if figures is not None:
        for path in figures.inputs:
            env.note_dependency(str(path))
    return figures


def load_bases(
    env: BuildEnvironment, image: str, arch: str | None, project: Project | None = None
) -> ImageBases | None:
    """An image view's base images; ``sources.json`` (and the manifest) become
    dependencies of the page asking."""
    project = project or get_project(env)
    if project.settings.meta is not None:
        path = meta_sources_path(project.settings.meta)
        if path.is_file():
            env.note_dependency(str(path))
    bases = project.bases(image, arch)
    if bases is not None:
        env.note_dependency(str(project.loader.manifest_path(image)))
    return bases


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
