"""The tag list and the architectures line of a page, with their Dockerfile and Hub links.

``generate-dockerfile-links-partial.{sh,tmpl}``: simple tags, shared-tag
groups (bashbrew ``GetSharedTagGroups``), which architecture's values each
entry links with, the Dockerfile URL
(:mod:`sphinx_official_images.model.links`), the architecture filter of the
per-architecture view and its "not supported" notice, "no supported tags";
and ``arches.sh`` (every architecture of every entry, Hub links through the
namespace map, ``sort -u`` order).
"""

from __future__ import annotations

from dataclasses import dataclass

from sphinx_official_images.model.architectures import is_plain_name, namespace_for
from sphinx_official_images.model.links import dockerfile_url
from sphinx_official_images.model.manifest import Entry, Manifest
from sphinx_official_images.view.texts import (
    NO_SUPPORTED_ARCHES_WORDS,
    NO_SUPPORTED_TAGS,
    Spans,
    not_supported_warning,
)

__all__ = [
    "LINKS_TEMPLATE",
    "ArchLink",
    "ArchList",
    "SharedTagItem",
    "SharedTagLine",
    "SimpleTagLine",
    "TagList",
    "build_arch_list",
    "build_tag_list",
    "entry_dockerfile_url",
    "tight_tag_lists",
]

# The Go template of the tag list, in HELPERS.
LINKS_TEMPLATE = "generate-dockerfile-links-partial.tmpl"
_HUB_ARCH_URL = "https://hub.docker.com/r/{namespace}/{repo}/"


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
    when set (no supported tags; not supported on this architecture): one
    paragraph of styled runs (:mod:`~sphinx_official_images.view.texts`).
    ``tight`` is the list layout of the links template before 2024-07-05 (no
    blank line between items); see :func:`tight_tag_lists`.
    """

    simple: tuple[SimpleTagLine, ...]
    shared: tuple[SharedTagLine, ...]
    grouped: bool
    notice: Spans | None = None
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
    them in bold, as ``arches.sh`` writes it.
    """

    arches: tuple[ArchLink, ...]
    notice_words: str | None = None


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
