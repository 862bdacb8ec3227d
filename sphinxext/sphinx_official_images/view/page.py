"""The view model: everything an image page says, as plain frozen dataclasses.

:func:`build_page` answers "what does the Hub page of IMAGE (for ARCH) say?"
with an :class:`ImagePage`.  Every docker-library rule lives here, once:

* the tag list of ``generate-dockerfile-links-partial.{sh,tmpl}``: simple
  tags, shared-tag groups (bashbrew ``GetSharedTagGroups``), which
  architecture's values each entry links with, the Dockerfile URL
  (:mod:`sphinx_official_images.model.links`), the architecture filter of the
  per-architecture view and its "not supported" warning, "no supported tags";
* the architecture list of ``arches.sh`` (every architecture of every entry,
  Hub links through the namespace map, ``sort -u`` order);
* the variant sections of ``variant.sh`` (per-tag file lookup order, the
  first file found wins, empty files disable a section, per-image
  ``variant.md``, the Debian/Ubuntu suite sentences and the buildpack-deps
  paragraph);
* the fields of ``update.sh``: maintainer, help, issues, logo URL, compose
  example, license, deprecation notice, per-architecture note, and the order
  in which the ``%%FIELD%%`` placeholders are substituted
  (:meth:`ImagePage.fields`, consumed by
  :func:`sphinx_official_images.view.template.fill_template`).

Structured data stays structured (tags, links, architectures, variant
sections) so each emitter can build what it needs (anchors per tag, literal
blocks); prose stays the Markdown text of the docs folder, with its
``%%FIELD%%`` placeholders still in it (they are substituted by
:func:`~sphinx_official_images.view.template.fill_template`, in the incumbent's
order).  Nothing here imports Sphinx or writes Markdown syntax, except for the
few notices that ``update.sh`` itself hard-codes as Markdown text
(``**No supported tags**``...), which are kept as the Markdown strings they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeAlias

import yaml

from sphinx_official_images.model.architectures import (
    DEFAULT_ARCHITECTURE,
    is_plain_name,
    namespace_for,
)
from sphinx_official_images.model.errors import DocsError, OfficialImagesError
from sphinx_official_images.model.links import dockerfile_url, is_safe_url
from sphinx_official_images.model.manifest import Entry, Manifest
from sphinx_official_images.model.names import check_arch, check_image, image_ref
from sphinx_official_images.sources.docsfolder import DocsFile
from sphinx_official_images.sources.facts import ImageFacts
from sphinx_official_images.sources.loader import Loader
from sphinx_official_images.sources.lookups import Lookups
from sphinx_official_images.view.template import Field, assemble_skeleton

__all__ = [
    "BUILDPACK_DEPS_FACT",
    "DEFAULT_LOGO_URL",
    "HELPERS",
    "LICENSE_HEADING",
    "NO_SUPPORTED_ARCHES",
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

HELPERS = ".template-helpers"
# The Go template of the tag list, in HELPERS.
LINKS_TEMPLATE = "generate-dockerfile-links-partial.tmpl"

# Texts update.sh and its helpers hard-code.
NO_SUPPORTED_TAGS = "**No supported tags**"
# arches.sh's line when there is no architecture, in bold (see ArchList.notice)
NO_SUPPORTED_ARCHES_WORDS = "No supported architectures"
NO_SUPPORTED_ARCHES = f"**{NO_SUPPORTED_ARCHES_WORDS}**"
# The headings and the FAQ sentence of generate-dockerfile-links-partial.tmpl,
# and the heading update.sh puts above license.md.
SIMPLE_TAGS_HEADING = "Simple Tags"
SHARED_TAGS_HEADING = "Shared Tags"
SHARED_TAGS_FAQ = (
    "(See [\"What's the difference between 'Shared' and 'Simple' tags?\" in the FAQ]"
    "(https://github.com/docker-library/faq#whats-the-difference-between-shared-and-simple-tags).)"
)
LICENSE_HEADING = "License"
# The logo URL update.sh builds ({commit}: the logo's last docs commit).
DEFAULT_LOGO_URL = "https://raw.githubusercontent.com/docker-library/docs/{commit}/{image}/{file}"
_SVG_SUFFIX = "?sanitize=true"
_HUB_ARCH_URL = "https://hub.docker.com/r/{namespace}/{repo}/"
_STACK_URL = "https://raw.githubusercontent.com/docker-library/docs/{commit}/{image}/stack.yml"


BUILDPACK_DEPS_FACT = "buildpack-deps"


def unknown_buildpack_deps(image: str) -> str:
    """The notice of a page whose variants need the buildpack-deps fact, when nobody knows it."""
    return (
        f"{image}: buildpack-deps fact unknown (is some entry's last-stage FROM"
        " buildpack-deps:SUITE?): variants written without the 'based off of buildpack-deps'"
        " paragraph, as update.sh offline; supply it with a facts folder (official_images_facts,"
        " --facts; see 'sphinx-official-images facts') or a docker-library/meta checkout"
        " (official_images_meta, --meta)"
    )


def not_supported_warning(arch: str) -> str:
    """The tag list of a per-architecture page whose image has no ``arch`` entry."""
    return f"**WARNING:** THIS IMAGE *IS NOT SUPPORTED* ON THE `{arch}` ARCHITECTURE"


def arch_note(arch: str, repo: str) -> str:
    """The note ``update.sh`` puts on top of a per-architecture page."""
    return (
        f'**Note:** this is the "per-architecture" repository for the `{arch}` builds of '
        f"[the `{repo}` official image](https://hub.docker.com/_/{repo}) -- for more "
        'information, see ["Architectures other than amd64?" in the official images '
        "documentation](https://github.com/docker-library/official-images"
        "#architectures-other-than-amd64) "
        'and ["An image\'s source changed in Git, now what?" in the official images '
        "FAQ](https://github.com/docker-library/faq#an-images-source-changed-in-git-now-what)."
    )


# -- the data -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SimpleTagLine:
    """One entry of the "Simple Tags" list: its tags and Dockerfile link."""

    tags: tuple[str, ...]
    url: str | None
    arch: str
    entry: Entry


@dataclass(frozen=True, slots=True)
class SharedTagItem:
    """One entry under a shared-tag group, named by its first tag."""

    tag: str
    url: str | None
    arch: str
    entry: Entry


@dataclass(frozen=True, slots=True)
class SharedTagLine:
    """One shared-tag group: the shared tags and the entries they point at."""

    shared_tags: tuple[str, ...]
    items: tuple[SharedTagItem, ...]


@dataclass(frozen=True, slots=True)
class TagList:
    """The "Supported tags and respective Dockerfile links" section.

    ``grouped`` says whether the list is split in "Simple Tags" and "Shared
    Tags" (the manifest has shared tags at all; in the per-architecture view
    a group can still be filtered out).  ``notice`` replaces the whole list
    when set (no supported tags; not supported on this architecture).
    ``tight`` is the list layout of the links template before 2024-07-05 (no
    blank line between items); see :func:`tight_tag_lists`.
    """

    simple: tuple[SimpleTagLine, ...]
    shared: tuple[SharedTagLine, ...]
    grouped: bool
    notice: str | None = None
    tight: bool = False


@dataclass(frozen=True, slots=True)
class ArchLink:
    """One supported architecture and its per-architecture Hub repository."""

    arch: str
    namespace: str | None
    url: str | None


@dataclass(frozen=True, slots=True)
class ArchList:
    """The "Supported architectures" line.

    ``notice_words`` replaces the links when there are none; the line shows
    them in bold (:attr:`notice` is that line in Markdown, as ``arches.sh``
    writes it).
    """

    arches: tuple[ArchLink, ...]
    notice_words: str | None = None

    @property
    def notice(self) -> str | None:
        return None if self.notice_words is None else f"**{self.notice_words}**"


@dataclass(frozen=True, slots=True)
class VariantSection:
    """One ``variant-*.md`` section and the tag that selected it."""

    tag: str
    path: str
    markdown: str


@dataclass(frozen=True, slots=True)
class Variants:
    """The "Image Variants" block.

    ``intro`` is ``variant.md`` (the image's own or the shared one);
    ``default_notes`` the paragraphs appended to it (Debian suites, Ubuntu
    suites, buildpack-deps), each Markdown; ``sections`` the variant files.
    """

    intro: str
    default_notes: tuple[str, ...]
    sections: tuple[VariantSection, ...]
    debian_suites: tuple[str, ...] = ()
    ubuntu_suites: tuple[str, ...] = ()
    buildpack_deps: bool = False

    @property
    def body(self) -> str:
        """The block's Markdown: the intro, the notes and the sections, a blank line apart."""
        parts = [self.intro, *self.default_notes, *(s.markdown for s in self.sections)]
        return "\n\n".join(parts)


@dataclass(frozen=True, slots=True)
class Logo:
    """The logo image: ``IMAGE/logo.png|svg`` at ``commit`` of the docs repository."""

    url: str
    file: str
    commit: str


@dataclass(frozen=True, slots=True)
class CodeBlock:
    """A fenced code block (the compose/stack example)."""

    language: str
    code: str


@dataclass(frozen=True, slots=True)
class ComposeExample:
    """``compose.md`` (its intro text) and the image's ``compose.yaml``."""

    intro: str
    yaml: CodeBlock


@dataclass(frozen=True, slots=True)
class StackExample:
    """``stack.md`` and ``stack.yml`` (docs revisions before ``compose.yaml``)."""

    intro: str
    yaml: CodeBlock
    url: str


@dataclass(frozen=True, slots=True)
class LicenseSection:
    """``license.md`` plus the shared ``license-common.md``, under :data:`LICENSE_HEADING`."""

    text: str
    common: str

    @property
    def body(self) -> str:
        """The section's Markdown without its heading: the two texts, a blank line apart."""
        return f"{self.text}\n\n{self.common}"


@dataclass(frozen=True, slots=True)
class Notice:
    """A problem in the inputs that does not stop the page (``update.sh`` goes on too).

    ``field`` names the placeholder whose text it is about (``VARIANT``,
    ``COMPOSE-YAML``, ``STACK-YML``), so a directive that shows only part of
    the page reports only what it shows.
    """

    field: str
    error: DocsError


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
    note: str | None
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
    missing: tuple[Path, ...] = ()

    @property
    def per_arch(self) -> str | None:
        """The architecture of a per-architecture view, None for the default view:
        the architecture in the names of the view's images and tags."""
        return self.arch if self.view_kind == "arch" else None

    def template_text(self, warning: bool = True, note: bool = True) -> str:
        """The skeleton ``update.sh`` writes before substituting fields.

        Without ``warning``, the generated-file comment is left out (a page
        that is not the Hub file); without ``note``, the per-architecture note
        (an emitter that shows it on its own).
        """
        return assemble_skeleton(
            self.warning if warning else "",
            self.template,
            self.note if note else None,
            self.deprecated,
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


class _Reader:
    """Docs-folder access for one page, recording every file it looks for."""

    def __init__(self, loader: Loader, lookups: Lookups | None = None) -> None:
        self.loader = loader
        self.docs = loader.docs
        self.lookups = Lookups() if lookups is None else lookups
        self.notices: list[Notice] = []
        self._seen: dict[str, DocsFile | None] = {}
        self._folders: dict[str, bool] = {}

    def resolve(self, relpath: str) -> DocsFile | None:
        # variant.sh probes the same candidates for many tags: ask once per page
        if relpath in self._seen:
            return self._seen[relpath]
        found = self.docs.resolve(relpath)
        self._seen[relpath] = found
        if found is None:
            self.lookups.absent(self.docs.root / relpath)
        else:
            for path in found.chain:
                self.lookups.present(path)
        return found

    def is_folder(self, relpath: str) -> bool:
        """``[ -d path ]``, asked once per page."""
        known = self._folders.get(relpath)
        if known is None:
            known = self._folders[relpath] = self.docs.is_folder(relpath)
        return known

    def text(self, found: DocsFile) -> str:
        """``$(cat file)``: the text without its trailing newlines."""
        return self.docs.read_file(found).rstrip("\n")

    def read(self, relpath: str) -> str | None:
        found = self.resolve(relpath)
        return None if found is None else self.text(found)

    def first(self, *relpaths: str) -> str | None:
        """``cat a 2>/dev/null || cat b``: the first file that exists."""
        for relpath in relpaths:
            text = self.read(relpath)
            if text is not None:
                return text
        return None

    def require(self, relpath: str) -> str:
        text = self.read(relpath)
        if text is None:
            raise DocsError("required file is missing", str(self.docs.root / relpath))
        return text

    def note(self, path: Path | None) -> None:
        if path is not None:
            self.lookups.present(path)

    def note_missing(self, path: Path | None) -> None:
        if path is not None:
            self.lookups.absent(path)


def _entry_arch(entry: Entry, arch: str, arch_specific: bool) -> str:
    """Which architecture's values an entry links with (the template's ``$arch``).

    ``$archSpecific | ternary arch ($e.HasArchitecture arch | ternary arch
    ($e.Architectures | first))``
    """
    if arch_specific or entry.has_architecture(arch) or not entry.architectures:
        return arch
    return entry.architectures[0]


def entry_dockerfile_url(entry: Entry, arch: str) -> str | None:
    """The Dockerfile link of ``entry`` with ``arch``'s values (None: no known host)."""
    return dockerfile_url(
        entry.arch_git_repo(arch),
        entry.arch_git_fetch(arch),
        entry.arch_git_commit(arch),
        entry.arch_directory(arch),
        entry.arch_file(arch),
    )


# The links template's end of a shared-tag group line since docker-library/docs
# 796319414 (2024-07-05, "Add newlines between tag groups"), which also put a
# blank line after each simple-tag item; every earlier version ends it with
# one newline (or, before 2017-09-13, has no shared tags at all).
_SPACED_LAYOUT_MARK = '"`:\\n\\n"'


def tight_tag_lists(links_template: str | None, has_stack_helper: bool) -> bool:
    """Whether the docs revision lists tags without blank lines between items.

    The layout is the links template's
    (``.template-helpers/generate-dockerfile-links-partial.tmpl``): when the
    docs folder has it, the answer is read from it, exactly, for every
    revision of the docs history. A copy of the docs folder with only its
    ``*.md`` files (such as the conformance corpus) does not have it; then
    the version is guessed from ``.template-helpers/stack.md``, which
    existed from 2017-05-19 to 2025-05-05: without it the layout is the
    spaced one. With it the guess is the tight layout, which is wrong for
    revisions from 2024-07-05 to 2025-05-05: no ``*.md`` file changed in
    that window, so nothing else tells them apart.
    """
    if links_template is not None:
        return _SPACED_LAYOUT_MARK not in links_template
    return has_stack_helper


def build_tag_list(
    manifest: Manifest, arch: str, arch_specific: bool, tight: bool = False
) -> TagList:
    """The tag section (``generate-dockerfile-links-partial.sh`` and its template)."""
    entries = manifest.entries_for_architecture(arch) if arch_specific else list(manifest.entries)
    if not entries:
        notice = not_supported_warning(arch) if arch_specific else NO_SUPPORTED_TAGS
        return TagList((), (), False, notice, tight)
    simple: list[SimpleTagLine] = []
    for entry in entries:
        entry_arch = _entry_arch(entry, arch, arch_specific)
        simple.append(
            SimpleTagLine(entry.tags, entry_dockerfile_url(entry, entry_arch), entry_arch, entry)
        )
    grouped = bool(manifest.all_shared_tags())
    shared: list[SharedTagLine] = []
    if grouped:
        for group in manifest.shared_tag_groups(arch if arch_specific else None):
            items: list[SharedTagItem] = []
            for entry in group.entries:
                entry_arch = _entry_arch(entry, arch, arch_specific)
                first = entry.tags[0] if entry.tags else ""
                items.append(
                    SharedTagItem(first, entry_dockerfile_url(entry, entry_arch), entry_arch, entry)
                )
            if items:
                shared.append(SharedTagLine(group.shared_tags, tuple(items)))
    return TagList(tuple(simple), tuple(shared), grouped, None, tight)


def build_arch_list(manifest: Manifest, repo: str, namespaces: dict[str, str]) -> ArchList:
    """``arches.sh``: every architecture of every entry, ``sort -u`` of its lines."""
    lines: dict[str, ArchLink] = {}
    for entry in manifest.entries:
        for arch in entry.architectures:
            namespace = namespace_for(arch, namespaces)
            if namespace is not None and is_plain_name(namespace):
                url: str | None = _HUB_ARCH_URL.format(namespace=namespace, repo=repo)
                line = f"[`{arch}`]({url}),"
            else:
                namespace, url = None, None
                line = f"`{arch}`,"
            lines[line] = ArchLink(arch, namespace, url)
    if not lines:
        return ArchList((), NO_SUPPORTED_ARCHES_WORDS)
    # sort -u works on the bytes of each line; str order is code point order.
    return ArchList(tuple(lines[key] for key in sorted(lines)))


def comma_join(items: Iterable[str]) -> str:
    """variant.sh's ``commaJoin``: ``a``, ``a or b``, ``a, b, or c`` (sorted, unique)."""
    ordered = sorted(set(items))
    if not ordered:
        return ""
    if len(ordered) == 1:
        return ordered[0]
    sep = " " if len(ordered) == 2 else ", "
    return sep.join([*ordered[:-1], "or " + ordered[-1]])


def suite_in_tag(tag: str, suite: str) -> bool:
    """``case $tag in *-$suite | $suite-* | *-$suite-* | $suite)``."""
    return (
        tag == suite
        or tag.endswith("-" + suite)
        or tag.startswith(suite + "-")
        or ("-" + suite + "-") in tag
    )


def _first_replace_per_line(text: str, token: str, value: str) -> str:
    """``sed -e 's/TOKEN/VALUE/'``: the first occurrence on each line."""
    return "\n".join(line.replace(token, value, 1) for line in text.split("\n"))


def tag_variant_files(image: str, tag: str) -> tuple[str, ...]:
    """variant.sh's ``tagFiles``: where a tag's variant section may come from, in order."""
    # 3.6-stretch -> stretch; 2.7-windowsservercore-1803 -> windowsservercore
    ultimate = tag.rsplit("-", 1)[-1]
    penultimate = tag.rsplit("-", 1)[0].rsplit("-", 1)[-1]
    names = (tag, ultimate, penultimate)
    return tuple(f"{image}/variant-{n}.md" for n in names) + tuple(
        f"{HELPERS}/variant-{n}.md" for n in names
    )


def build_variants(
    reader: _Reader, image: str, tags: list[str], buildpack_deps: bool
) -> Variants | None:
    """``variant.sh``: None when no tag selects a non-empty variant file."""
    included: set[str] = set()
    sections: list[VariantSection] = []
    for tag in tags:
        for relpath in tag_variant_files(image, tag):
            if relpath in included:
                break  # this section is already in
            found = reader.resolve(relpath)
            if found is None and reader.is_folder(relpath):
                # [ -f ] is false for a folder: update.sh goes on with the next name
                folder = str(reader.docs.root / relpath)
                message = "variant file is a folder, not a file (skipped, as update.sh does)"
                if all(notice.error.path != folder for notice in reader.notices):
                    reader.notices.append(Notice("VARIANT", DocsError(message, folder)))
            if found is not None:
                included.add(relpath)
                if found.size > 0:  # an empty file disables the section
                    sections.append(VariantSection(tag, relpath, reader.text(found)))
                break
    if not sections:
        return None

    intro_found = reader.resolve(f"{image}/variant.md")
    intro = (
        reader.text(intro_found)
        if intro_found is not None
        else reader.require(f"{HELPERS}/variant.md")
    )
    notes: list[str] = []
    debian: tuple[str, ...] = ()
    ubuntu: tuple[str, ...] = ()
    if image not in ("debian", "ubuntu"):
        suites = reader.loader.suites(image)
        for path in suites.paths:
            reader.note(path)
        for name in ("debian", "ubuntu"):
            default = reader.loader.library / name
            if not any(p.name == name for p in suites.paths) and not default.is_file():
                reader.note_missing(default)  # no suites until it appears
        found_debian = [s for tag in tags for s in suites.debian if suite_in_tag(tag, s)]
        found_ubuntu = [s for tag in tags for s in suites.ubuntu if suite_in_tag(tag, s)]
        debian = tuple(sorted(set(found_debian)))
        ubuntu = tuple(sorted(set(found_ubuntu)))
        for suite_names, helper in ((debian, "debian"), (ubuntu, "ubuntu")):
            if suite_names:
                text = reader.require(f"{HELPERS}/variant-default-{helper}.md")
                joined = comma_join(suite_names)
                notes.append(_first_replace_per_line(text, "%%DEB-SUITES%%", joined))
    if buildpack_deps:
        notes.append(reader.require(f"{HELPERS}/variant-default-buildpack-deps.md"))
    return Variants(intro, tuple(notes), tuple(sections), debian, ubuntu, buildpack_deps)


_PLACEHOLDER = re.compile(r"%%[A-Z][A-Z-]*%%")


def _yaml_problem(text: str) -> tuple[str, int | None] | None:
    """What makes ``text`` not YAML, and its line; None when it is YAML.

    The pure-Python loader, not libyaml's: its messages do not depend on how
    PyYAML was built.
    """
    try:
        for _ in yaml.compose_all(_PLACEHOLDER.sub("x", text), Loader=yaml.SafeLoader):
            pass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = ": ".join(part for part in (exc.context, exc.problem) if part)
        return problem or "syntax error", None if mark is None else mark.line + 1
    except yaml.YAMLError as exc:
        return str(exc), None
    return None


def _yaml_notices(loader: Loader, field: str, found: DocsFile, text: str) -> list[Notice]:
    """A notice when the example is not valid YAML (the page shows it anyway, as
    ``update.sh`` does). Placeholders count as plain words. Checked once per
    loader: every view of an image shows the same example."""
    key = ("yaml", text)
    if key not in loader.memo:
        loader.memo[key] = _yaml_problem(text)
    problem = loader.memo[key]
    assert problem is None or isinstance(problem, tuple)
    if problem is None:
        return []
    message, line = problem
    return [Notice(field, DocsError(f"not valid YAML: {message}", str(found.target), line))]


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


def _license(reader: _Reader, image: str) -> LicenseSection | None:
    """``license.md`` and the shared note (None: the image has no license text)."""
    text = reader.read(f"{image}/license.md") or ""
    if not text:
        return None
    common = reader.first(f"{image}/license-common.md", f"{HELPERS}/license-common.md") or ""
    return LicenseSection(text, common)


def _logo(
    reader: _Reader, loader: Loader, image: str, facts: ImageFacts, logo_url: str
) -> Logo | None:
    """The logo: ``logo.png`` or ``logo.svg`` of the image folder, or the one the
    facts say exists upstream; its URL names the file's last docs commit."""
    logo_file = None
    for ext in ("png", "svg"):
        if reader.resolve(f"{image}/logo.{ext}") is not None:
            logo_file = f"logo.{ext}"
            break
    if logo_file is None and facts.logo_file is not None:
        logo_file = facts.logo_file  # exists upstream, not copied here
    if logo_file is None:
        return None
    commit = loader.facts.logo_commit(image, logo_file)
    url = logo_url.format(commit=commit, image=image, file=logo_file)
    if logo_file.endswith(".svg"):
        url += _SVG_SUFFIX
    return Logo(url, logo_file, commit) if is_safe_url(url) else None


def _compose(reader: _Reader, image: str) -> ComposeExample | None:
    """``compose.yaml`` and its intro (a notice when the YAML does not parse)."""
    compose_yaml = reader.resolve(f"{image}/compose.yaml")
    if compose_yaml is None:
        return None
    intro = reader.first(f"{image}/compose.md", f"{HELPERS}/compose.md") or ""
    text = reader.text(compose_yaml)
    reader.notices.extend(_yaml_notices(reader.loader, "COMPOSE-YAML", compose_yaml, text))
    return ComposeExample(intro, CodeBlock("yaml", text))


def _stack(reader: _Reader, loader: Loader, image: str) -> tuple[bool, StackExample | None]:
    """Whether the revision still fills the ``stack.yml`` fields (it has
    ``.template-helpers/stack.md``), and the image's stack example."""
    if reader.resolve(f"{HELPERS}/stack.md") is None:
        return False, None
    stack_yml = reader.resolve(f"{image}/stack.yml")
    if stack_yml is None:
        return True, None
    intro = reader.first(f"{image}/stack.md", f"{HELPERS}/stack.md") or ""
    commit = loader.facts.file_commit(image, "stack.yml")
    text = reader.text(stack_yml)
    url = _STACK_URL.format(commit=commit, image=image)
    reader.notices.extend(_yaml_notices(reader.loader, "STACK-YML", stack_yml, text))
    return True, StackExample(intro, CodeBlock("yaml", text), url)


def _skeleton_parts(reader: _Reader, loader: Loader) -> tuple[str, str]:
    """``autogenerated-warning.md`` (may be missing) and ``template.md`` (required)."""
    warning_found = reader.resolve(f"{HELPERS}/autogenerated-warning.md")
    warning = "" if warning_found is None else loader.docs.read_file(warning_found)
    template_found = reader.resolve(f"{HELPERS}/template.md")
    if template_found is None:
        missing = loader.docs.root / HELPERS / "template.md"
        raise DocsError("required file is missing", str(missing))
    return warning, loader.docs.read_file(template_found)


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

    reader = _Reader(loader, lookups)
    # noted before it is parsed: a manifest that fails to parse is still an input
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
    # noted before it is read: a facts file that fails to load is still an input
    facts_path = loader.facts.facts_path(image)
    if facts_path is not None:
        reader.note(facts_path)
    elif loader.facts.facts_dir is not None:
        reader.note_missing(loader.facts.facts_dir / f"{image}.json")
    facts = loader.image_facts(image)

    github_repo = reader.require(f"{image}/github-repo")
    maintainer = reader.require(f"{image}/maintainer.md")
    issues = reader.first(f"{image}/issues.md", f"{HELPERS}/issues.md") or ""
    get_help = reader.first(f"{image}/get-help.md", f"{HELPERS}/get-help.md") or ""
    license_section = _license(reader, image)
    logo = _logo(reader, loader, image, facts, logo_url)
    compose = _compose(reader, image)
    substitute_stack, stack = _stack(reader, loader, image)
    substitute_compose = reader.resolve(f"{HELPERS}/compose.md") is not None or not substitute_stack
    deprecated = reader.read(f"{image}/deprecated.md")
    warning, template = _skeleton_parts(reader, loader)

    links_template = reader.read(f"{HELPERS}/{LINKS_TEMPLATE}")
    tight = tight_tag_lists(links_template, substitute_stack)
    tags = build_tag_list(manifest, view_arch, arch_specific, tight)
    arches = build_arch_list(manifest, image, dict(loader.arch_namespaces))
    variant_entries = (
        manifest.entries_for_architecture(view_arch) if arch_specific else manifest.entries
    )
    variant_tags = [tag for entry in variant_entries for tag in entry.tags]
    buildpack = loader.buildpack_deps(image)
    reader.note(buildpack.path)
    reader.note_missing(buildpack.missing)
    if buildpack.error is not None:
        reader.notices.append(Notice("VARIANT", buildpack.error))
    variants = build_variants(reader, image, variant_tags, bool(buildpack.based))
    unknown_facts: tuple[str, ...] = ()
    if variants is not None and buildpack.based is None:
        # update.sh offline does the same (a failed ``bashbrew cat`` prints
        # nothing), but silently: say which fact is missing and how to get it
        unknown_facts = (BUILDPACK_DEPS_FACT,)
        reader.notices.append(Notice("VARIANT", DocsError(unknown_buildpack_deps(image))))

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
