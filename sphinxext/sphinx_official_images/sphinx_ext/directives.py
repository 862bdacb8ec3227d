"""The directives and roles: ``IMAGE [ARCH]`` in, nodes from the emitter out.

Each directive validates its arguments, asks the loader for the view model of
that image view (noting every input file as a dependency), records its
targets with the ``docker`` domain and hands the page to one function of
:mod:`~sphinx_official_images.render.doctree`. Bad input is a warning with a
location, never a traceback, and the rest of the page still builds.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinx_official_images.model.errors import OfficialImagesError
from sphinx_official_images.model.names import (
    arch_problem,
    image_anchor,
    image_key,
    image_name_problem,
)
from sphinx_official_images.render import doctree
from sphinx_official_images.render.sections import heading_offset_marker
from sphinx_official_images.sources.lookups import Lookups
from sphinx_official_images.sources.meta import meta_sources_path
from sphinx_official_images.sphinx_ext import prose
from sphinx_official_images.sphinx_ext.collector import (
    Problem,
    note_lookups,
    note_missing,
    note_problem,
)
from sphinx_official_images.sphinx_ext.domain import (
    DOMAIN,
    PRIORITY_PART,
    PRIORITY_README,
    DockerXRefRole,
    OfficialImagesDomain,
)
from sphinx_official_images.sphinx_ext.optional_refs import base_linker
from sphinx_official_images.sphinx_ext.project import (
    Project,
    get_project,
    load_bases,
    load_figures,
    load_page,
    project_state,
)
from sphinx_official_images.sphinx_ext.prose import SPHINX_PROSE
from sphinx_official_images.sphinx_ext.search import image_index_node, tag_index_node
from sphinx_official_images.view.bases import ImageBases
from sphinx_official_images.view.matrix import page_matrix
from sphinx_official_images.view.page import ImagePage
from sphinx_official_images.view.sizes import ImageFigures

logger = logging.getLogger(__name__)

Emit = Callable[[ImagePage, doctree.EmitContext], list[nodes.Node]]


def _suggest(name: str, known: list[str], library: Path) -> str:
    close = difflib.get_close_matches(name, known, n=3)
    if close:
        return "did you mean " + ", ".join(repr(c) for c in close) + "?"
    if not known:
        return f"no manifests in {library} (official_images_library)"
    shown = ", ".join(known[:12]) + (", ..." if len(known) > 12 else "")
    return f"known: {shown}"


# Problems that do not stop a page, by the directives that show the text they
# are about (image-readme shows everything).
_NOTICES: dict[str, frozenset[str]] = {
    "image-content": frozenset({"COMPOSE-YAML", "STACK-YML"}),
    "image-variants": frozenset({"VARIANT"}),
}


# Prose files bigger than this are not searched for warning locations.
_MAX_ORIGIN_SIZE = 1 << 20


def _prose_origins(page: ImagePage, docs: Path) -> tuple[tuple[str, str], ...]:
    """``(path, text)`` of the docs-folder files the page was built from."""
    origins = []
    for path in page.inputs:
        if docs not in path.parents:
            continue  # the manifest, the facts
        try:
            if path.stat().st_size > _MAX_ORIGIN_SIZE:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        origins.append((str(path), text))
    return tuple(origins)


class ImageDirective(SphinxDirective):
    """Base of every directive: ``.. NAME:: IMAGE [ARCH]``."""

    required_arguments = 1
    optional_arguments = 1
    final_argument_whitespace = False
    has_content = False
    option_spec: ClassVar[dict[str, Callable[[str], object]]] = {
        "no-index": directives.flag,
        # anchors and cross-reference targets, but no general-index entries
        # (the generated catalogue's architecture pages: their default view
        # has the entries)
        "no-index-entry": directives.flag,
        # "tags": only the tag lists go into the search index; "none":
        # nothing (a generated architecture page: its default view holds the
        # same prose and tags, and the page is found by its title)
        "search": lambda arg: directives.choice(arg, ("all", "tags", "none")),
    }
    priority = PRIORITY_PART
    # whether the tag list shows each entry's sizes and digests (repo-info)
    tag_figures: ClassVar[bool] = False

    @functools.cached_property
    def project(self) -> Project:
        """This project's loader, looked up once per directive."""
        return get_project(self.env)

    def warn(self, message: str, subtype: str, location: str | None = None) -> list[nodes.Node]:
        logger.warning(
            "%s: %s",
            self.name,
            message,
            location=location or self.get_location(),
            type="official_images",
            subtype=subtype,
        )
        return []

    def report(
        self, err: OfficialImagesError, view: str = "", name_view: bool = True
    ) -> list[nodes.Node]:
        """Tell about bad input, once.

        A problem with a file and line is told once per build at that
        place, naming the pages that meet it, when reading is done
        (:func:`~sphinx_official_images.sphinx_ext.collector.report_problems`).
        One without a line (a missing file or folder) is told at the first
        directive of the page that meets it, naming the file (and the
        view, with ``name_view``).
        """
        if err.line is not None:
            note_problem(self.env, Problem(err.path, err.line, err.message, "input", view))
            return []
        suffix = f" (for {view})" if view and name_view else ""
        source, line = self.get_source_info()
        problem = Problem(None, None, str(err), "input", view, f"{source}:{line}")
        if note_problem(self.env, problem):
            return self.warn(f"{err}{suffix}", "input")
        return []

    def parse_arguments(self) -> tuple[str, str | None] | str:
        """``(image, arch)``, or the reason they are not acceptable."""
        image = self.arguments[0]
        arch = self.arguments[1] if len(self.arguments) > 1 else None
        problem = image_name_problem(image) or (None if arch is None else arch_problem(arch))
        return (image, arch) if problem is None else problem

    def load(self) -> ImagePage | list[nodes.Node]:
        parsed = self.parse_arguments()
        if isinstance(parsed, str):
            return self.warn(parsed, "argument")
        image, arch = parsed
        view = f"{image}@{arch}" if arch else image
        try:
            loader = self.project.loader
            # the library is listed only when the manifest is not there (for
            # the suggestion): a stat per directive, not a listing of them all
            known = None if loader.manifest_path(image).is_file() else loader.manifest_images()
        except OfficialImagesError as err:  # a configured folder is missing
            return self.report(err, view)
        if known is not None:
            # the page changes when the manifest appears
            lookups = Lookups()
            lookups.absent(self.project.loader.manifest_path(image))
            note_lookups(self.env, lookups)
            library = self.project.settings.library
            return self.warn(f"unknown image {image!r}: {_suggest(image, known, library)}", "image")
        lookups = Lookups()
        try:
            page = load_page(self.env, image, arch, lookups, self.project)
        except OfficialImagesError as err:
            return self.report(err, view)
        finally:
            note_lookups(self.env, lookups)
        return page

    def figures(self, page: ImagePage) -> ImageFigures | None:
        """The view's sizes and digests, their problems reported (None: not configured).

        A problem is told once per build at its file and line, however many
        directives read the file (see :meth:`report`).
        """
        arch = page.per_arch
        view = image_key(page.image, arch)
        try:
            figures = load_figures(self.env, page.image, arch, self.project)
        except OfficialImagesError as err:
            self.report(err, view)
            return None
        if figures is not None:
            for problem in figures.problems:
                self.report(problem, view)
            if figures.missing:
                # a tag file that appears changes the page (found files are
                # dependencies already, see load_figures)
                note_missing(self.env, figures.missing)
        return figures

    def bases(self, page: ImagePage) -> ImageBases | None:
        """The view's base images (None: no meta configured, or its ``sources.json``
        cannot be read, which is told once per page)."""
        meta = self.project.settings.meta
        if meta is None:
            return None
        path = meta_sources_path(meta)
        if not path.is_file():
            # the page changes when sources.json appears
            lookups = Lookups()
            lookups.absent(path)
            note_lookups(self.env, lookups)
        arch = page.per_arch
        try:
            return load_bases(self.env, page.image, arch, self.project)
        except OfficialImagesError as err:
            self.report(err, image_key(page.image, arch))
            return None

    def context(self, page: ImagePage) -> doctree.EmitContext:
        note_tag = None
        if "no-index" not in self.options:
            domain = self.env.get_domain(DOMAIN)
            assert isinstance(domain, OfficialImagesDomain)
            arch = page.per_arch
            docname = self.env.docname
            priority = self.priority

            def note_tag(tag: str, anchor: str) -> None:
                domain.note_tag(page.image, tag, arch, docname, anchor, priority)

        settings = self.project.settings
        return doctree.EmitContext(
            document=self.state.document,
            source=str(settings.docs / page.image / "content.md"),
            prose_parser=SPHINX_PROSE,
            allow_raw_html=settings.raw_html,
            parses=project_state(self.env).parses,
            note_tag=note_tag,
            origins=_prose_origins(page, settings.docs),
            index_node=None if "no-index-entry" in self.options else tag_index_node,
            figures=self.figures(page) if self.tag_figures else None,
            bases=self.bases(page) if self.tag_figures else None,
            base_link=base_linker(self.env),
        )

    def emit(self, page: ImagePage, ctx: doctree.EmitContext) -> list[nodes.Node]:
        raise NotImplementedError

    def run(self) -> list[nodes.Node]:
        page = self.load()
        if isinstance(page, list):
            return page
        shown = _NOTICES.get(self.name, frozenset())
        view = f"{page.image}@{page.arch}" if page.view_kind == "arch" else page.image
        for notice in page.notices:
            if self.name == "image-readme" or notice.field in shown:
                self.report(notice.error, view, name_view=False)
        try:
            ctx = self.context(page)
            out = self.emit(page, ctx)
        except OfficialImagesError as err:
            return self.report(err, view)
        search = self.options.get("search")
        if search in ("tags", "none"):
            doctree.search_tags_only(out, ctx.tag_lists if search == "tags" else ())
        if any(isinstance(node, nodes.section) for node in out):
            # the page's text after the directive goes into its last section
            marker = heading_offset_marker(self.state.document, len(out), self.heading_offset())
            out = [marker, *out]
        return out

    def heading_offset(self) -> int | None:
        """Where the output's sections go (see :mod:`~sphinx_official_images.render.sections`)."""
        return None


def _part(emit: Emit, doc: str, tag_figures: bool = False) -> type[ImageDirective]:
    class Part(ImageDirective):
        __doc__ = doc

        def emit(self, page: ImagePage, ctx: doctree.EmitContext) -> list[nodes.Node]:
            return emit(page, ctx)

    Part.tag_figures = tag_figures
    return Part


class ImageReadme(ImageDirective):
    """The whole page, equivalent to the Hub README; the image's home for ``:image:``."""

    priority = PRIORITY_README
    tag_figures = True

    def emit(self, page: ImagePage, ctx: doctree.EmitContext) -> list[nodes.Node]:
        arch = page.per_arch
        target = nodes.target("", "", ids=[image_anchor(page.image, arch)])
        self.state.document.note_explicit_target(target)
        view = doctree.readme_nodes(page, ctx)
        if "no-index" not in self.options:
            domain = self.env.get_domain(DOMAIN)
            assert isinstance(domain, OfficialImagesDomain)
            domain.note_image(page.image, arch, self.env.docname, target["ids"][0], self.priority)
            domain.note_readme(page.image, arch, self.env.docname)
            # the image's own entry, above its tags in the general index (a
            # main one on the default view, as the tags'; see sphinx_ext/search.py)
            entry = (
                None
                if ctx.index_node is None
                else image_index_node(page.image_ref, view, arch is None)
            )
            if entry is not None:
                return [target, entry, *view]
        return [target, *view]


class ImageUsage(ImageDirective):
    """A code snippet whose ``%%IMAGE%%``... follow the view (``winamd64/python``)."""

    has_content = True
    option_spec: ClassVar[dict[str, Callable[[str], object]]] = {
        **ImageDirective.option_spec,
        "language": directives.unchanged,
        "caption": directives.unchanged,
    }

    def emit(self, page: ImagePage, ctx: doctree.EmitContext) -> list[nodes.Node]:
        if not self.content:
            return self.warn("no snippet: the directive needs a body", "argument")
        node = doctree.usage_node(
            page,
            "\n".join(self.content),
            self.options.get("language", "console"),
            self.options.get("caption"),
        )
        self.set_source_info(node)
        return [node]


class ImageContent(ImageDirective):
    """The image's content.md, as real nodes.

    Its headings become sections under the current one; with
    ``:heading-offset: N`` they take their level in the page instead (a
    top-level heading of the prose is a level ``1 + N`` heading), as MyST's
    ``{include}`` places them: see :mod:`~sphinx_official_images.render.sections`.
    """

    option_spec: ClassVar[dict[str, Callable[[str], object]]] = {
        **ImageDirective.option_spec,
        "heading-offset": directives.nonnegative_int,
    }

    def emit(self, page: ImagePage, ctx: doctree.EmitContext) -> list[nodes.Node]:
        return doctree.content_nodes(page, ctx)

    def heading_offset(self) -> int | None:
        offset = self.options.get("heading-offset")
        return offset if isinstance(offset, int) else None


class ImageMatrix(ImageDirective):
    """Entries by architectures, which no incumbent page shows."""

    def emit(self, page: ImagePage, ctx: doctree.EmitContext) -> list[nodes.Node]:
        return doctree.matrix_nodes(page_matrix(page), self.figures(page))


DIRECTIVES: dict[str, type[ImageDirective]] = {
    "image-readme": ImageReadme,
    "image-tags": _part(
        doctree.tags_nodes, "Simple and shared tags with Dockerfile links.", tag_figures=True
    ),
    "image-variants": _part(doctree.variants_nodes, "The image variant sections."),
    "image-arches": _part(doctree.arches_nodes, "The supported architectures."),
    "image-quickref": _part(doctree.quickref_nodes, "The quick-reference facts."),
    "image-content": ImageContent,
    "image-license": _part(doctree.license_nodes, "The license text."),
    "image-usage": ImageUsage,
    "image-matrix": ImageMatrix,
}


class _DockerXRefRole(DockerXRefRole):
    """``:image:`` / ``:image-tag:`` without the domain prefix."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        if ":" not in self.name:
            self.name = f"{DOMAIN}:{self.name}"
        return super().run()


def register(app: Sphinx) -> None:
    from sphinx_official_images.sphinx_ext.facts import FACT_DIRECTIVES

    for name, cls in {**DIRECTIVES, **FACT_DIRECTIVES}.items():
        app.add_directive(name, cls)
    # no build downloads the prose's remote images (latex, epub...)
    prose.register(app)
    app.add_role("image", _DockerXRefRole(innernodeclass=nodes.literal, warn_dangling=True))
    app.add_role("image-tag", _DockerXRefRole(innernodeclass=nodes.literal, warn_dangling=True))
