"""The generated catalogue's page sources: MyST or reStructuredText text.

Each image view's page is a title, one navigation line and an
``image-readme`` directive (plus the facts sections its inputs allow); the
image index is a MyST table, the tag index one ``image-catalogue-tags``
directive whose lines the Sphinx layer turns into links. These are source
files Sphinx reads like any other (as autosummary writes them), not text an
emitter re-parses.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from sphinx_official_images.sources.generated import MARKER, RST, SUFFIX
from sphinx_official_images.view.catalogue import INDEX, TAGS, CatalogueImage, ImageView
from sphinx_official_images.view.tags import TagList

__all__ = [
    "BASES_TITLE",
    "INDEX_TABLE",
    "SIZES_TITLE",
    "TAGS_DIRECTIVE",
    "Extra",
    "render_catalogue",
]

# The tag index's directive (its body: ``IMAGE: TAG... | ARCH...`` per line).
TAGS_DIRECTIVE = "image-catalogue-tags"
# The image index's table.
INDEX_TABLE = "official-images-index"

_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")


def _text(value: str) -> str:
    """Prose as literal Markdown text: every ASCII punctuation character escaped."""
    return _PUNCT.sub(r"\\\1", value)


def _role(role: str, text: str, target: str) -> str:
    # Names and tags are plain (validated by the parser), so they need no escaping.
    return f"{{{role}}}`{text} <{target}>`"


def _header(title: str) -> list[str]:
    return [f"% {MARKER}", "", f"# {title}", ""]


def _rst_role(role: str, text: str, target: str) -> str:
    return f":{role}:`{text} <{target}>`"


SIZES_TITLE = "Compressed sizes and digests"
BASES_TITLE = "Base images"

# Sections the catalogue's pages get after the README when their inputs are
# configured (title, directive): the facts no Hub page shows (sphinx_ext/facts.py).
Extra = tuple[str, str]


def _view_page(
    entry: CatalogueImage, view: ImageView, suffix: str, extras: Sequence[Extra] = ()
) -> str:
    """An image view's page: title, one navigation line, ``image-readme``.

    reStructuredText when the project reads it (the default): for a page this
    small, docutils' parser costs ~4 ms a page less than setting up MyST.
    """
    role = _rst_role if suffix == RST else _role
    # One short navigation line: the default view lists its architecture
    # pages, an architecture page links back to the default view. Every link
    # is a cross-reference Sphinx resolves on every page, so the line stays
    # short (a line of every view on every page cost 7 ms a page).
    if view.arch is None:
        links = [role("image", v.arch or "", v.key) for v in entry.arch_views]
        nav = f"Architectures: {', '.join(links)}" if links else ""
    else:
        nav = f"Default view: {role('image', entry.image, entry.image)}"
    arguments = view.image + ("" if view.arch is None else f" {view.arch}")
    # An architecture page repeats its default view: the general index lists
    # the tags once, there (47,000 entries for the corpus otherwise), and the
    # search indexes its prose and its tags once, there (the page is found by
    # its title), so a search lists an image once, not once per architecture.
    options = [] if view.arch is None else [":no-index-entry:", ":search: none"]
    if suffix == RST:
        head = [":orphan:", "", f".. {MARKER}", "", view.title, "=" * len(view.title), ""]
        body = [f".. image-readme:: {arguments}", *(f"   {o}" for o in options), ""]
        for title, directive in extras:
            body += [title, "-" * len(title), "", f".. {directive}:: {arguments}", ""]
    else:
        head = ["---", "orphan: true", "---", f"% {MARKER}", "", f"# {view.title}", ""]
        body = ["```{image-readme} " + arguments, *options, "```", ""]
        for title, directive in extras:
            body += [f"## {title}", "", f"```{{{directive}}} {arguments}", "```", ""]
    return "\n".join([*head, *([nav, ""] if nav else []), *body])


def _index_page(entries: Sequence[CatalogueImage]) -> str:
    lines = [
        *_header("Image catalogue"),
        "```{toctree}",
        ":hidden:",
        "",
        TAGS,
        "```",
        "",
        f"{len(entries)} images, {sum(len(e.views) for e in entries)} pages: each image's "
        "default view and one page per architecture it supports. "
        f"Every tag is listed in the [tag index]({TAGS}{SUFFIX}).",
        "",
        # in a box of its own, which scrolls sideways instead of the page
        "````{container} " + INDEX_TABLE,
        "| Image | Description | Architectures | Status |",
        "| --- | --- | --- | --- |",
    ]
    for entry in entries:
        generated = {v.arch: v for v in entry.arch_views}
        arches = ", ".join(
            _role("image", arch, generated[arch].key) if arch in generated else f"`{arch}`"
            for arch in entry.arches
        )
        status = "**deprecated**" if entry.deprecated else ""
        lines.append(
            f"| {_role('image', entry.image, entry.image)} | {_text(entry.short)} "
            f"| {arches or '(none)'} | {status} |"
        )
    lines += ["````", ""]
    return "\n".join(lines)


def _tag_lines(tags: TagList) -> list[tuple[str, ...]]:
    """The anchored items of a tag list: each simple line, then each shared group."""
    return [line.tags for line in tags.simple] + [group.shared_tags for group in tags.shared]


def _tags_page(entries: Sequence[CatalogueImage]) -> str:
    lines = [
        *_header("Tag index"),
        "Every tag of every image, linked to its entry on the image's page, with the "
        "architectures that have it (each has its page, linked from the image's page).",
        "",
        "```{" + TAGS_DIRECTIVE + "}",
    ]
    for entry in entries:
        per_arch = [
            (view.arch, {t for item in _tag_lines(view.tags) for t in item})
            for view in entry.arch_views
        ]
        for item in _tag_lines(entry.default.tags):
            arches = [arch for arch, anchored in per_arch if arch and item[0] in anchored]
            lines.append(f"{entry.image}: {' '.join(item)} | {' '.join(arches)}".rstrip())
    lines += ["```", ""]
    return "\n".join(lines)


def render_catalogue(
    entries: Sequence[CatalogueImage],
    suffix: str = SUFFIX,
    extras: Mapping[str, Sequence[Extra]] | None = None,
) -> dict[str, str]:
    """Every generated source: path relative to the catalogue folder -> text.

    ``suffix`` is the image views' (``.md`` or ``.rst``); the two index pages
    are MyST (their table and prose need Markdown's escaping). ``extras`` are
    the sections added after each image's README (sizes, base images).
    """
    sources = {
        INDEX + SUFFIX: _index_page(entries),
        TAGS + SUFFIX: _tags_page(entries),
    }
    for entry in entries:
        for view in entry.views:
            sources[view.docname + suffix] = _view_page(
                entry, view, suffix, (extras or {}).get(entry.image, ())
            )
    return sources
