"""The generated catalogue: one page per image view, an image index and a tag index.

With ``official_images_generate`` set, :func:`generate_catalogue` runs at
``builder-inited`` (as autosummary does) and writes MyST sources into a
folder of the source directory (``catalogue/`` by default):

* ``IMAGE.md``: the default view (``image-readme IMAGE``), titled ``IMAGE``;
* ``NAMESPACE/IMAGE.md``: one per architecture of the image's manifest
  (``image-readme IMAGE ARCH``), titled ``NAMESPACE/IMAGE``
  (``winamd64/python``);
* ``index.md``: the image index (name, ``README-short.txt``, architectures,
  deprecated marker), with the tag index in a hidden toctree;
* ``tags.md``: the tag index, every tag linking to its entry on its page.

Why real files rather than virtual documents: Sphinx finds, reads, caches and
re-reads documents through files, so generated sources get incremental
builds, ``-j`` parallel reading, "view source" and every builder for free, and
nothing in Sphinx's internals is patched. A file is rewritten only when its
text changes, so its mtime (and Sphinx's "outdated" check) moves only when
the page really changes. An image page holds no data of its own (the
directive reads the manifest and notes every input as a dependency), so
touching ``library/python`` re-reads python's pages and nothing else; the two
index pages are written from the manifests here and change only when what
they list changes.

Why image pages are ``:orphan:`` and in no toctree: every page of the
default theme (alabaster) and of furo renders the *global* toctree in its
sidebar, so a toctree holding every image view costs O(pages) per page and
O(pages²) per build (see ``docs/catalogue.md`` for the measurements). The
pages are reached through the two index pages (whose toctree stays tiny),
the "Views" line at the top of each page, the ``image``/``image-tag`` roles
and the search.

This module is the Sphinx glue only (the ``builder-inited`` handler, the tag
index's directive and its ``doctree-resolved`` expansion, ``register``): the
plan is :mod:`~sphinx_official_images.view.catalogue`, the pages' text
:mod:`~sphinx_official_images.render.catalogue`, writing the files and their
fingerprint :mod:`~sphinx_official_images.sources.generated`.
"""

from __future__ import annotations

import logging as pylogging
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinx_official_images.model.architectures import is_plain_name
from sphinx_official_images.model.errors import OfficialImagesError
from sphinx_official_images.model.names import image_key, tag_key
from sphinx_official_images.render import browse
from sphinx_official_images.render.catalogue import (
    BASES_TITLE,
    SIZES_TITLE,
    TAGS_DIRECTIVE,
    Extra,
    render_catalogue,
)
from sphinx_official_images.sources.generated import RST as _RST
from sphinx_official_images.sources.generated import SUFFIX as _SUFFIX
from sphinx_official_images.sources.generated import Stat as _Stat
from sphinx_official_images.sources.generated import fingerprint as _fingerprint
from sphinx_official_images.sources.generated import stat as _stat
from sphinx_official_images.sources.generated import write_sources
from sphinx_official_images.sphinx_ext.domain import DOMAIN, OfficialImagesDomain
from sphinx_official_images.view.catalogue import CatalogueImage, parse_options, plan_catalogue

if TYPE_CHECKING:
    from sphinx_official_images.sphinx_ext.project import Project

__all__ = [
    "CatalogueTags",
    "catalogue_tags",
    "expand_catalogue_tags",
    "generate_catalogue",
    "register",
]

logger = logging.getLogger(__name__)


def _warn(message: str, *args: object) -> None:
    logger.warning(
        "official_images_generate: " + message, *args, type="official_images", subtype="generate"
    )


# -- the tag index directive --------------------------------------------------------

# The tag index's list (the filter box of browse.js goes before it).
TAG_INDEX = "official-images-tag-index"


class catalogue_tags(nodes.comment):
    """The tag index's data until the page is written (then: the list itself).

    A comment, so a doctree that never went through the post-transform shows
    nothing rather than failing.
    """


def _index_lines(text: str) -> Iterator[tuple[str, list[str], list[str]]]:
    for line in text.splitlines():
        head, sep, rest = line.partition(":")
        tags_part, _, arches_part = rest.partition("|")
        yield head.strip(), tags_part.split(), arches_part.split() if sep else []


class CatalogueTags(SphinxDirective):
    """The body of the generated tag index: ``IMAGE: TAG... | ARCH...`` per line.

    Each line is one entry of the image's default tag list (a simple-tag line
    or a shared-tag group); the architectures are the per-architecture pages
    that list it. Reading keeps only the text (one node): the list has tens of
    thousands of links, and as nodes it would sit in every later step of the
    build (transforms, the pickled doctree, the environment's doctree cache,
    the garbage collector's walks). :func:`expand_catalogue_tags` builds it
    when the page is written, linking each entry where the ``docker`` domain
    says it is.
    """

    has_content = True

    def run(self) -> list[nodes.Node]:
        good: list[str] = []
        for line, (image, tags, _arches) in zip(
            self.content, _index_lines("\n".join(self.content)), strict=True
        ):
            if ":" not in line or not tags or not is_plain_name(image):
                logger.warning(
                    "%s: expected 'IMAGE: TAG... | ARCH...', not %r",
                    TAGS_DIRECTIVE,
                    line,
                    location=self.get_location(),
                    type="official_images",
                    subtype="generate",
                )
                continue
            good.append(line)
        # the links are made when the page is written: it is written again
        # when an image or tag it links to appears or goes (collector.py)
        domain = self.env.get_domain(DOMAIN)
        assert isinstance(domain, OfficialImagesDomain)
        for image, tags, _arches in _index_lines("\n".join(good)):
            domain.note_reference(self.env.docname, "image", image)
            for tag in tags:
                domain.note_reference(self.env.docname, "tag", f"{image}:{tag}")
        node = catalogue_tags("\n".join(good), "\n".join(good))
        self.set_source_info(node)
        return [node]


def expand_catalogue_tags(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: turn the tag index's data into its list, with resolved links.

    An event handler rather than a post-transform: the links are made by the
    running builder, which Sphinx hands to event handlers (``app.builder``)
    and to post-transforms only through private or deprecated attributes.
    The links it makes are already resolved, so running after Sphinx's own
    resolution changes nothing.
    """
    found = list(doctree.findall(catalogue_tags))
    if not found:
        return
    domain = app.env.get_domain(DOMAIN)
    assert isinstance(domain, OfficialImagesDomain)
    expand = _TagIndex(app.builder, docname, domain)
    for node in found:
        node.replace_self(expand.build(node))


@dataclass
class _TagIndex:
    """Builds the tag index's list on the page ``docname``."""

    builder: Builder
    docname: str
    domain: OfficialImagesDomain

    def _link(self, kind: str, key: str, text: str) -> nodes.Node:
        child = nodes.literal(text, text, classes=["xref", DOMAIN, f"{DOMAIN}-{kind}"])
        ref = self.domain.link(self.builder, self.docname, kind, key, child)
        return child if ref is None else ref

    def build(self, node: catalogue_tags) -> list[nodes.Node]:
        # Each tag links its entry on the default view; the architectures that
        # have the entry are named, not linked (the default view links each
        # architecture's page): the index stays at one link per tag, 10,000
        # for the corpus instead of 28,000, which cost seconds to write.
        # The list is left out of the search index: its words are every
        # tag's, and would make this page a match for every tag searched.
        out = nodes.container(classes=[TAG_INDEX, "no-search"])
        items: nodes.bullet_list | None = None
        current = ""
        for image, tags, arches in _index_lines(node.astext()):
            if image != current or items is None:
                current = image
                title = nodes.strong("", "", self._link("image", image_key(image, None), image))
                out += nodes.paragraph("", "", title)
                items = nodes.bullet_list(bullet="-")
                out += items
            para = nodes.paragraph()
            for i, tag in enumerate(tags):
                if i:
                    para += nodes.Text(", ")
                para += self._link("tag", tag_key(image, tag, None), tag)
            if arches:
                para += nodes.Text(f" ({', '.join(arches)})")
            item = nodes.list_item("", para)
            if self.builder.format == "html":
                # the pull snippet is for the HTML page's copy button (this runs
                # after Sphinx has settled its ``only`` nodes: decided here)
                item += browse.pull_snippet(image, tags[0])
            items += item
        return [out]


# What a build remembers of the catalogue it generated (on the environment,
# pickled with it): the fingerprint of every input of the generation and of
# the files it left, taken right after writing them.
_ENV_ATTR = "official_images_generated"


def _extra_stats(project: Project) -> tuple[_Stat, ...]:
    """What decides the catalogue's facts sections (see :func:`_extras`), as stats:
    meta's ``sources.json`` and each image folder of repo-info's ``repos/``."""
    from sphinx_official_images.sources.meta import meta_sources_path

    stats: list[_Stat] = []
    if project.settings.meta is not None:
        stats.append(_stat(meta_sources_path(project.settings.meta)))
    if project.settings.repo_info is not None:
        repos = project.settings.repo_info / "repos"
        try:
            with os.scandir(repos) as listing:
                names = sorted(entry.name for entry in listing if entry.is_dir())
        except OSError:
            names = []
        stats += [_stat(repos / name / "remote") for name in names]
    return tuple(stats)


class _Counter(pylogging.Handler):
    """Counts the warnings logged while the catalogue is generated."""

    def __init__(self) -> None:
        super().__init__(pylogging.WARNING)
        self.count = 0

    def emit(self, record: pylogging.LogRecord) -> None:
        self.count += 1


def _extras(project: Project, entries: Sequence[CatalogueImage]) -> dict[str, list[Extra]]:
    """The facts sections each image's pages get: sizes when repo-info has a file of
    the image, base images when meta knows the image (its builds, or as a base).

    Pages of images the sources say nothing about stay as they are without them.
    """
    out: dict[str, list[Extra]] = {entry.image: [] for entry in entries}
    repo_info = project.repo_info
    if repo_info is not None:
        for entry in entries:
            if repo_info.tags(entry.image):
                out[entry.image].append((SIZES_TITLE, "image-sizes"))
    try:
        meta = project.meta()
    except OfficialImagesError as err:
        _warn("%s", err)
        meta = None
    if meta is not None:
        index, users = meta
        known = set(users)
        for source in index.sources.values():
            known.update(tag.partition(":")[0] for tag in source.tags)
        for entry in entries:
            if entry.image in known:
                out[entry.image].append((BASES_TITLE, "image-bases"))
    return out


def _docnames(folder: str, files: Sequence[str]) -> frozenset[str]:
    """The docnames of the generated ``files`` (paths relative to ``folder``)."""
    base = PurePosixPath(Path(folder).as_posix())
    return frozenset(str(base / PurePosixPath(name).with_suffix("")) for name in files)


def generate_catalogue(app: Sphinx) -> None:
    """``builder-inited``: write the catalogue's sources before Sphinx looks for documents.

    When none of the generation's inputs changed since the environment's
    last build (see :func:`_fingerprint`), the sources on disk are already
    what this would write, and it writes nothing: a rebuild with nothing
    changed pays a few hundred ``stat`` calls rather than planning and
    rendering every page of the catalogue.
    """
    from sphinx_official_images.sphinx_ext.project import get_project, project_state

    project_state(app.env).generated_pages = frozenset()
    try:
        options = parse_options(app.config.official_images_generate)
    except ValueError as err:
        _warn("%s", err)
        return
    if options is None:
        return
    project = get_project(app.env)
    try:
        loader = project.loader
    except OfficialImagesError as err:
        _warn("%s", err)
        return
    root = Path(app.srcdir) / options.folder
    suffixes = app.config.source_suffix
    rst = isinstance(suffixes, dict) and suffixes.get(_RST) == "restructuredtext"
    suffix = _RST if rst else _SUFFIX
    setup = (options, suffix, project.settings.namespaces, str(root), *_extra_stats(project))
    previous = getattr(app.env, _ENV_ATTR, None)
    if previous is not None:
        files, fingerprint = previous
        if _fingerprint(loader, setup, root, files) == fingerprint:
            project_state(app.env).generated_pages = _docnames(options.folder, files)
            # The last generation had no warning (else nothing was kept), and
            # the same inputs give the same sources.
            logger.info(
                "official_images_generate: %d pages in %s, inputs unchanged",
                len(files) - 2,
                options.folder,
            )
            return
    warned = _Counter()
    logger.logger.addHandler(warned)
    try:
        entries = plan_catalogue(loader, options, dict(project.settings.namespaces), warn=_warn)
        sources = render_catalogue(entries, suffix, _extras(project, entries))
        written, removed = write_sources(root, sources, _warn)
    finally:
        logger.logger.removeHandler(warned)
    files = tuple(sorted(sources))
    project_state(app.env).generated_pages = _docnames(options.folder, files)
    # A generation that warned is done again next time, so its warnings are
    # repeated (and fail a -W build) until the input is fixed.
    kept = None if warned.count else (files, _fingerprint(loader, setup, root, files))
    setattr(app.env, _ENV_ATTR, kept)
    pages = sum(len(e.views) for e in entries)
    logger.info(
        "official_images_generate: %d images, %d pages in %s (%d written, %d removed)",
        len(entries),
        pages,
        options.folder,
        len(written),
        len(removed),
    )


def register(app: Sphinx) -> None:
    """Called from the extension's ``setup()``."""
    app.add_node(catalogue_tags)
    app.add_directive(TAGS_DIRECTIVE, CatalogueTags)
    app.connect("doctree-resolved", expand_catalogue_tags)
    app.connect("builder-inited", generate_catalogue)
