"""The "Image Variants" block of a page: ``variant.sh``.

Per-tag file lookup order (the first file found wins, an empty file disables
its section), the image's own ``variant.md`` or the shared one, the
Debian/Ubuntu suite sentences and the buildpack-deps paragraph.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sphinx_official_images.model.errors import DocsError
from sphinx_official_images.model.manifest import Manifest
from sphinx_official_images.sources.loader import Loader
from sphinx_official_images.view.reader import HELPERS, Notice, PageReader

__all__ = [
    "BUILDPACK_DEPS_FACT",
    "VariantSection",
    "Variants",
    "build_variants",
    "comma_join",
    "page_variants",
    "suite_in_tag",
    "tag_variant_files",
    "unknown_buildpack_deps",
]

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

    @property
    def body(self) -> str:
        """The block's Markdown: the intro, the notes and the sections, a blank line apart."""
        parts = [self.intro, *self.default_notes, *(s.markdown for s in self.sections)]
        return "\n\n".join(parts)

    @property
    def substituted(self) -> str:
        """What ``variant.sh`` prints for ``%%VARIANT%%``: a blank line, the block, a newline.

        The block is prose (the docs folder's variant files): its headings nest
        with the page's, so every emitter substitutes it as text.
        """
        return f"\n\n{self.body}\n"


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


def _suites_in_tags(tags: Iterable[str], suites: Iterable[str]) -> tuple[str, ...]:
    """The suites some tag names (:func:`suite_in_tag`), sorted and unique.

    A suite without ``-`` is in a tag exactly when it is one of the tag's
    ``-``-separated parts: one split per tag instead of four string tests
    per tag and suite (python's default view has 150 tags, Debian 10 suites).
    """
    plain = [s for s in suites if "-" not in s]
    other = [s for s in suites if "-" in s]
    found: set[str] = set()
    for tag in tags:
        parts = set(tag.split("-"))
        found.update(s for s in plain if s in parts)
        found.update(s for s in other if suite_in_tag(tag, s))
    return tuple(sorted(found))


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
    reader: PageReader, image: str, tags: list[str], buildpack_deps: bool
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
        debian = _suites_in_tags(tags, suites.debian)
        ubuntu = _suites_in_tags(tags, suites.ubuntu)
        for suite_names, helper in ((debian, "debian"), (ubuntu, "ubuntu")):
            if suite_names:
                text = reader.require(f"{HELPERS}/variant-default-{helper}.md")
                joined = comma_join(suite_names)
                notes.append(_first_replace_per_line(text, "%%DEB-SUITES%%", joined))
    if buildpack_deps:
        notes.append(reader.require(f"{HELPERS}/variant-default-buildpack-deps.md"))
    return Variants(intro, tuple(notes), tuple(sections))


def page_variants(
    reader: PageReader,
    loader: Loader,
    manifest: Manifest,
    image: str,
    arch: str,
    arch_specific: bool,
) -> tuple[Variants | None, tuple[str, ...]]:
    """The view's variants (from the tags of the entries it lists) and the facts
    they needed that nobody knows (the buildpack-deps fact)."""
    entries = manifest.entries_for_architecture(arch) if arch_specific else manifest.entries
    tags = [tag for entry in entries for tag in entry.tags]
    buildpack = loader.buildpack_deps(image)
    reader.note(buildpack.path)
    reader.note_missing(buildpack.missing)
    if buildpack.error is not None:
        reader.notices.append(Notice("VARIANT", buildpack.error))
    variants = build_variants(reader, image, tags, bool(buildpack.based))
    if variants is None or buildpack.based is not None:
        return variants, ()
    # update.sh offline does the same (a failed ``bashbrew cat`` prints
    # nothing), but silently: say which fact is missing and how to get it
    reader.notices.append(Notice("VARIANT", DocsError(unknown_buildpack_deps(image))))
    return variants, (BUILDPACK_DEPS_FACT,)
