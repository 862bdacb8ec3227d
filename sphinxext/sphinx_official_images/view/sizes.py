"""What a page says about published sizes and digests (repo-info), as plain data.

repo-info has one file per *tag*; a page lists *entries* (a manifest
paragraph, with its tags and shared tags).  An entry's figures come from the
first of its tags, then of its shared tags, that has a file; platforms are
kept only for the architectures the entry is built for (a shared tag such as
``latest`` spans several entries).  When a shared tag's file lists one
architecture twice (two Windows versions under ``latest``), which one is this
entry's cannot be told from the files, so that architecture has no figure
rather than a guessed one.  An entry with no file has no figures.

Formatting (``43.4 MB``) is the emitters' business, not this module's.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sphinx_official_images.model.errors import DocsError
from sphinx_official_images.model.manifest import Entry, Manifest
from sphinx_official_images.sources.repoinfo import PlatformFacts, RepoInfo

__all__ = ["EntryFigures", "ImageFigures", "PlatformFigure", "build_figures"]


@dataclass(frozen=True, slots=True)
class PlatformFigure:
    """One platform of one entry: its architecture, compressed size and digest."""

    arch: str
    label: str
    size: int
    digest: str


@dataclass(frozen=True, slots=True)
class EntryFigures:
    """The figures of one entry (named by its first tag), read from ``source_tag``'s file."""

    tags: tuple[str, ...]
    source_tag: str
    digest: str | None
    platforms: tuple[PlatformFigure, ...]

    def for_arch(self, arch: str) -> PlatformFigure | None:
        for platform in self.platforms:
            if platform.arch == arch:
                return platform
        return None


@dataclass(frozen=True, slots=True)
class ImageFigures:
    """The figures of an image view: one row per entry, one column per architecture.

    ``inputs`` are the repo-info files read (the page's dependencies);
    ``missing`` the files looked for in vain, each a tag file that would be
    read, were it there, before the one that was (the page changes when one
    appears), as strings: a catalogue looks for tens of thousands, and a
    path object each would cost more than the rest of the figures;
    ``problems`` what was wrong in the files read, each at its file and line.
    """

    image: str
    arches: tuple[str, ...]
    rows: tuple[EntryFigures, ...]
    inputs: tuple[Path, ...]
    problems: tuple[DocsError, ...]
    missing: tuple[str, ...] = ()

    def for_tag(self, tag: str) -> EntryFigures | None:
        """The figures of the entry whose first tag is ``tag``."""
        for row in self.rows:
            if row.tags and row.tags[0] == tag:
                return row
        return None

    def cell(self, tag: str, arch: str) -> PlatformFigure | None:
        row = self.for_tag(tag)
        return None if row is None else row.for_arch(arch)

    @property
    def empty(self) -> bool:
        return not any(row.platforms for row in self.rows)


def _entry_platforms(
    entry: Entry, platforms: tuple[PlatformFacts, ...], own: bool, arch: str | None
) -> tuple[PlatformFigure, ...]:
    wanted = set(entry.architectures) if arch is None else {arch} & set(entry.architectures)
    counts: dict[str, int] = {}
    for p in platforms:
        if p.arch is not None:
            counts[p.arch] = counts.get(p.arch, 0) + 1
    out: list[PlatformFigure] = []
    seen: set[str] = set()
    for p in platforms:
        if p.arch is None or p.arch not in wanted or p.arch in seen:
            continue
        if not own and counts[p.arch] > 1:
            continue  # whose is which cannot be told
        seen.add(p.arch)
        out.append(PlatformFigure(p.arch, p.label, p.size, p.digest))
    return tuple(out)


def build_figures(
    manifest: Manifest, repo_info: RepoInfo, image: str, arch: str | None = None
) -> ImageFigures:
    """The figures of ``image``'s entries (only ``arch``'s, in the per-architecture view)."""
    if arch is None:
        entries = list(manifest.entries)
        arches = tuple(manifest.architectures())
    else:
        entries = manifest.entries_for_architecture(arch)
        arches = (arch,)
    available = repo_info.tags(image)
    folder = repo_info.folder(image)
    prefix = "" if folder is None else os.path.join(folder, "")
    inputs: dict[Path, None] = {}
    missing: dict[str, None] = {}
    problems: dict[tuple[str | None, int | None, str], DocsError] = {}
    rows: list[EntryFigures] = []
    for entry in entries:
        if not entry.tags:
            continue
        candidates = [(t, True) for t in entry.tags] + [(t, False) for t in entry.shared_tags]
        for tag, own in candidates:
            if tag not in available:
                if prefix and repo_info.is_tag_name(tag):
                    missing[prefix + tag + ".md"] = None
                continue
            facts, found = repo_info.tag(image, tag)
            for problem in found:
                problems.setdefault((problem.path, problem.line, problem.message), problem)
            path = repo_info.path(image, tag)
            if path is not None:
                inputs[path] = None
            if facts is None:
                continue
            rows.append(
                EntryFigures(
                    entry.tags,
                    tag,
                    facts.digest,
                    _entry_platforms(entry, facts.platforms, own, arch),
                )
            )
            break
    return ImageFigures(
        image,
        arches,
        tuple(rows),
        tuple(inputs),
        tuple(problems.values()),
        tuple(missing),
    )
