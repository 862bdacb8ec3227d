"""The view model: everything an image page says, as plain frozen dataclasses.

:func:`build_page` answers "what does the Hub page of IMAGE (for ARCH) say?"
with an :class:`ImagePage`.  Every docker-library rule lives once, in the
builder of its section, each in a small module of its own:

* :mod:`~sphinx_official_images.view.tags`: the tag list of
  ``generate-dockerfile-links-partial.{sh,tmpl}`` and the architecture list
  of ``arches.sh``;
* :mod:`~sphinx_official_images.view.variants`: the variant sections of
  ``variant.sh``;
* :mod:`~sphinx_official_images.view.license`,
  :mod:`~sphinx_official_images.view.logo`,
  :mod:`~sphinx_official_images.view.examples`: the license, the logo URL,
  the compose/stack examples;
* :mod:`~sphinx_official_images.view.reader`: how the docs folder is read
  (``cat``, ``cat a || cat b``), every file looked for recorded;
* here: the other fields of ``update.sh`` (maintainer, help, issues,
  deprecation notice, per-architecture note), the view's names, and the
  order in which the ``%%FIELD%%`` placeholders are substituted
  (:meth:`ImagePage.fields`, consumed by
  :func:`sphinx_official_images.view.template.fill_template`).

This module re-exports the sections' dataclasses, so ``view.page`` stays
the one place to import the view model from.

Structured data stays structured (tags, links, architectures, variant
sections) so each emitter can build what it needs (anchors per tag, literal
blocks); prose stays the Markdown text of the docs folder, with its
``%%FIELD%%`` placeholders still in it (they are substituted by
:func:`~sphinx_official_images.view.template.fill_template`, in the incumbent's
order).  Nothing here imports Sphinx.  The sentences ``update.sh`` hard-codes
around the structured parts (``**No supported tags**``, the shared-tags FAQ...)
are styled runs (:mod:`~sphinx_official_images.view.texts`) each emitter
formats; those it hard-codes *into the prose* (the per-architecture note, the
Debian/Ubuntu suite paragraphs of the variants) are Markdown text, like the
prose they are read with.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeAlias

from sphinx_official_images.model.architectures import (
    DEFAULT_ARCHITECTURE,
    is_plain_name,
    namespace_for,
)
from sphinx_official_images.model.errors import DocsError, OfficialImagesError
from sphinx_official_images.model.manifest import Manifest
from sphinx_official_images.model.names import check_arch, check_image, image_ref
from sphinx_official_images.sources.facts import ImageFacts
from sphinx_official_images.sources.loader import Loader
from sphinx_official_images.sources.lookups import Lookups
from sphinx_official_images.view.examples import (
    CodeBlock,
    ComposeExample,
    StackExample,
    build_compose,
    build_stack,
)
from sphinx_official_images.view.license import LicenseSection, build_license
from sphinx_official_images.view.logo import DEFAULT_LOGO_URL, Logo, build_logo
from sphinx_official_images.view.reader import HELPERS, Notice, PageReader
from sphinx_official_images.view.tags import (
    LINKS_TEMPLATE,
    ArchLink,
    ArchList,
    SharedTagItem,
    SharedTagLine,
    SimpleTagLine,
    TagList,
    build_arch_list,
    build_tag_list,
    entry_dockerfile_url,
    tight_tag_lists,
)
from sphinx_official_images.view.template import Field, assemble_skeleton
from sphinx_official_images.view.texts import (
    LICENSE_HEADING,
    NO_SUPPORTED_ARCHES_WORDS,
    NO_SUPPORTED_TAGS,
    SHARED_TAGS_FAQ,
    SHARED_TAGS_HEADING,
    SIMPLE_TAGS_HEADING,
    Span,
    Spans,
    arch_note,
    not_supported_warning,
)
from sphinx_official_images.view.variants import (
    BUILDPACK_DEPS_FACT,
    Variants,
    VariantSection,
    comma_join,
    page_variants,
    suite_in_tag,
    unknown_buildpack_deps,
)

__all__ = [
    "BUILDPACK_DEPS_FACT",
    "DEFAULT_LOGO_URL",
    "HELPERS",
    "LICENSE_HEADING",
    "NO_SUPPORTED_ARCHES_WORDS",
    "NO_SUPPORTED_TAGS",
    "SHARED_TAGS_FAQ",
    "SHARED_TAGS_HEADING",
    "SIMPLE_TAGS_HEADING",
    "ArchLink",
    "ArchList",
    "CodeBlock",
    "ComposeExample",
    "FieldValue",
    "ImagePage",
    "LicenseSection",
    "Logo",
    "Notice",
    "SharedTagItem",
    "SharedTagLine",
    "SimpleTagLine",
    "Span",
    "Spans",
    "StackExample",
    "TagList",
    "VariantSection",
    "Variants",
    "ViewKind",
    "arch_note",
    "build_page",
    "comma_join",
    "entry_dockerfile_url",
    "not_supported_warning",
    "suite_in_tag",
    "tight_tag_lists",
    "unknown_buildpack_deps",
]

ViewKind: TypeAlias = Literal["default", "arch"]


FieldValue: TypeAlias = (
    "str | TagList | ArchList | Variants | Logo | CodeBlock | LicenseSection | None"
)


@dataclass(frozen=True, slots=True)
class ImagePage:
    """Everything one image page says, for the default view or one architecture.

    ``image`` is the repository name (``%%REPO%%``), ``image_ref`` the
    namespaced name used in examples (``%%IMAGE%%``: ``python`` or
    ``winamd64/python``).  ``arch`` is the architecture the page is built for
    (``amd64`` in the default view, where entries without it link with their
    first architecture).  Markdown fields hold the docs folder's text with
    trailing newlines removed and placeholders left in.  ``manifest`` is the
    parsed manifest the page was built from (for views beyond the Hub page,
    such as the support matrix).
    """

    image: str
    image_ref: str
    arch: str
    namespace: str | None
    view_kind: ViewKind
    note: Spans | None
    deprecated: str | None
    maintainer: str
    get_help: str
    issues: str
    github_repo: str
    tags: TagList
    arches: ArchList
    content: str
    variants: Variants | None
    logo: Logo | None
    compose: ComposeExample | None
    stack: StackExample | None
    license: LicenseSection | None
    warning: str
    template: str
    substitute_compose: bool
    substitute_stack: bool
    inputs: tuple[Path, ...]
    manifest: Manifest
    notices: tuple[Notice, ...] = ()
    unknown_facts: tuple[str, ...] = ()
    # files looked for and not found: the page changes when one appears
    missing: tuple[str, ...] = ()

    @property
    def per_arch(self) -> str | None:
        """The architecture of a per-architecture view, None for the default view:
        the architecture in the names of the view's images and tags."""
        return self.arch if self.view_kind == "arch" else None

    def template_text(
        self,
        warning: bool = True,
        note: str | None = None,
        notice: Callable[[str], str] | None = None,
    ) -> str:
        """The skeleton ``update.sh`` writes before substituting fields.

        Without ``warning``, the generated-file comment is left out (a page
        that is not the Hub file). ``note`` is the per-architecture note
        (:attr:`note`) as the emitter writes it; None leaves it out (the
        default view, or an emitter that shows it on its own). ``notice``
        writes the deprecation notice from ``deprecated.md``'s text (default:
        its Markdown, :func:`~sphinx_official_images.view.template.deprecation_notice`).
        """
        return assemble_skeleton(
            self.warning if warning else "",
            self.template,
            note,
            self.deprecated,
            notice,
        )

    def fields(self) -> tuple[Field[FieldValue], ...]:
        """The ``%%FIELD%%`` substitutions, in ``update.sh``'s order.

        Values: ``TAGS`` a :class:`TagList`, ``ARCHES`` an :class:`ArchList`,
        ``VARIANT`` :class:`Variants` or None, ``LOGO`` a :class:`Logo` or
        None (blanks around the placeholder go too), ``COMPOSE-YAML`` and
        ``STACK-YML`` a :class:`CodeBlock` or None, ``LICENSE`` a
        :class:`LicenseSection` or None; every other value is Markdown text.
        """
        fields: list[Field[FieldValue]] = [
            Field("TAGS", self.tags),
            Field("ARCHES", self.arches),
            Field("CONTENT", self.content),
            Field("VARIANT", self.variants),
            Field("LOGO", self.logo, trim_blanks=True),
        ]
        if self.substitute_stack:
            stack = self.stack
            fields += [
                Field("STACK", "" if stack is None else stack.intro),
                Field("STACK-YML", None if stack is None else stack.yaml),
                Field("STACK-URL", "" if stack is None else stack.url),
            ]
        if self.substitute_compose:
            compose = self.compose
            fields += [
                Field("COMPOSE", "" if compose is None else compose.intro),
                Field("COMPOSE-YAML", None if compose is None else compose.yaml),
            ]
        fields += [
            Field("LICENSE", self.license),
            Field("ISSUES", self.issues),
            Field("GET-HELP", self.get_help),
            Field("MAINTAINER", self.maintainer),
            Field("IMAGE", self.image_ref),
            Field("REPO", self.image),
            Field("GITHUB-REPO", self.github_repo),
        ]
        return tuple(fields)

    def fields_after(self, name: str | None) -> tuple[Field[FieldValue], ...]:
        """The fields ``update.sh`` substitutes *after* ``name`` (all of them for None).

        Text inserted for a field is searched only by the later fields, so a
        fragment of the page (``content.md``, the variants, a code block...)
        is filled with those alone.
        """
        fields = self.fields()
        if name is None:
            return fields
        for i, f in enumerate(fields):
            if f.name == name:
                return fields[i + 1 :]
        return fields


# -- building it ------------------------------------------------------------------


def _view_names(
    loader: Loader, image: str, arch: str | None, namespace: str | None
) -> tuple[str, str | None, str]:
    """``(arch, namespace, image_ref)`` of a view: the architecture it is built
    for (``amd64`` in the default view), its Hub namespace, and ``%%IMAGE%%``."""
    check_image(image)
    view_arch = check_arch(arch) if arch is not None else DEFAULT_ARCHITECTURE
    if namespace is None and arch is not None:
        namespace = namespace_for(arch, loader.arch_namespaces)
    if namespace is not None and namespace != "" and not is_plain_name(namespace):
        raise OfficialImagesError(f"invalid namespace {namespace!r} (expected a plain name)")
    namespace = namespace or None
    return view_arch, namespace, image_ref(image, namespace)


def _skeleton_parts(reader: PageReader, loader: Loader) -> tuple[str, str]:
    """``autogenerated-warning.md`` (may be missing) and ``template.md`` (required)."""
    warning_found = reader.resolve(f"{HELPERS}/autogenerated-warning.md")
    warning = "" if warning_found is None else loader.docs.read_file(warning_found)
    template_found = reader.resolve(f"{HELPERS}/template.md")
    if template_found is None:
        missing = loader.docs.root / HELPERS / "template.md"
        raise DocsError("required file is missing", str(missing))
    return warning, loader.docs.read_file(template_found)


def _read_sources(
    reader: PageReader, loader: Loader, image: str
) -> tuple[str, Manifest, ImageFacts]:
    """``content.md`` (required: update.sh skips images without one), the
    manifest and the image's facts, each noted as an input first (a file that
    fails to parse or load is still an input)."""
    manifest_path = loader.manifest_path(image)
    if manifest_path.is_file():
        reader.note(manifest_path)
    else:
        reader.note_missing(manifest_path)
    content = reader.read(f"{image}/content.md")
    if content is None:
        raise DocsError(
            "no content.md: update.sh skips images without one",
            str(loader.docs.root / image / "content.md"),
        )
    manifest = loader.manifest(image)
    facts_path = loader.facts.facts_path(image)
    if facts_path is not None:
        reader.note(facts_path)
    elif loader.facts.facts_dir is not None:
        reader.note_missing(loader.facts.facts_dir / f"{image}.json")
    return content, manifest, loader.image_facts(image)


def build_page(
    loader: Loader,
    image: str,
    arch: str | None = None,
    namespace: str | None = None,
    logo_url: str = DEFAULT_LOGO_URL,
    lookups: Lookups | None = None,
) -> ImagePage:
    """The page of ``image``: the default view, or the ``arch`` view.

    ``arch=None`` is the default (all-architectures) view, as on
    ``hub.docker.com/_/IMAGE``.  With ``arch``, the per-architecture view;
    its namespace comes from the loader's map unless ``namespace`` is given.
    ``logo_url`` is a pattern with ``{commit}``, ``{image}`` and ``{file}``.
    ``lookups`` (filled as the page is built, kept when building fails)
    receives every file looked for; the page's ``inputs`` and ``missing``
    hold the same lists.  The files are read in ``update.sh``'s order (the
    page's inputs keep it).
    """
    arch_specific = arch is not None
    view_arch, namespace, ref = _view_names(loader, image, arch, namespace)
    reader = PageReader(loader, lookups)
    content, manifest, facts = _read_sources(reader, loader, image)

    github_repo = reader.require(f"{image}/github-repo")
    maintainer = reader.require(f"{image}/maintainer.md")
    issues = reader.first(f"{image}/issues.md", f"{HELPERS}/issues.md") or ""
    get_help = reader.first(f"{image}/get-help.md", f"{HELPERS}/get-help.md") or ""
    license_section = build_license(reader, image)
    logo = build_logo(reader, loader, image, facts, logo_url)
    compose = build_compose(reader, image)
    substitute_stack, stack = build_stack(reader, loader, image)
    substitute_compose = reader.resolve(f"{HELPERS}/compose.md") is not None or not substitute_stack
    deprecated = reader.read(f"{image}/deprecated.md")
    warning, template = _skeleton_parts(reader, loader)

    links_template = reader.read(f"{HELPERS}/{LINKS_TEMPLATE}")
    tight = tight_tag_lists(links_template, substitute_stack)
    tags = build_tag_list(manifest, view_arch, arch_specific, tight)
    arches = build_arch_list(manifest, image, dict(loader.arch_namespaces))
    variants, unknown_facts = page_variants(
        reader, loader, manifest, image, view_arch, arch_specific
    )

    return ImagePage(
        image=image,
        image_ref=ref,
        arch=view_arch,
        namespace=namespace,
        view_kind="arch" if arch_specific else "default",
        note=arch_note(view_arch, image) if arch_specific else None,
        deprecated=deprecated,
        maintainer=maintainer,
        get_help=get_help,
        issues=issues,
        github_repo=github_repo,
        tags=tags,
        arches=arches,
        content=content,
        variants=variants,
        logo=logo,
        compose=compose,
        stack=stack,
        license=license_section,
        warning=warning,
        template=template,
        substitute_compose=substitute_compose,
        substitute_stack=substitute_stack,
        inputs=tuple(reader.lookups.found),
        manifest=manifest,
        notices=tuple(reader.notices),
        unknown_facts=unknown_facts,
        missing=tuple(reader.lookups.missing),
    )
