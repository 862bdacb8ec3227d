"""The support matrix: every entry against every architecture of the image.

No incumbent page shows this; it is part of the view model (pure data, no
Sphinx) so that the link rule for each cell is the tag list's rule, reused.
"""

from __future__ import annotations

from dataclasses import dataclass

from sphinx_official_images.model.manifest import Manifest
from sphinx_official_images.view.page import ImagePage, entry_dockerfile_url

__all__ = ["MatrixCell", "MatrixRow", "SupportMatrix", "build_matrix", "page_matrix"]


@dataclass(frozen=True, slots=True)
class MatrixCell:
    """One (entry, architecture) cell: built or not, and its Dockerfile."""

    arch: str
    supported: bool
    url: str | None


@dataclass(frozen=True, slots=True)
class MatrixRow:
    tags: tuple[str, ...]
    cells: tuple[MatrixCell, ...]


@dataclass(frozen=True, slots=True)
class SupportMatrix:
    arches: tuple[str, ...]
    rows: tuple[MatrixRow, ...]


def build_matrix(manifest: Manifest, arch: str | None = None) -> SupportMatrix:
    """Rows are entries in manifest order; columns the sorted union of architectures.

    With ``arch``, only that column and the entries built for it.
    """
    if arch is None:
        arches = tuple(manifest.architectures())
        entries = list(manifest.entries)
    else:
        arches = (arch,)
        entries = manifest.entries_for_architecture(arch)
    rows = []
    for entry in entries:
        cells = tuple(
            MatrixCell(a, True, entry_dockerfile_url(entry, a))
            if entry.has_architecture(a)
            else MatrixCell(a, False, None)
            for a in arches
        )
        rows.append(MatrixRow(entry.tags, cells))
    return SupportMatrix(arches, tuple(rows))


def page_matrix(page: ImagePage) -> SupportMatrix:
    """The matrix of a page's view: its manifest, its architecture in a per-architecture view."""
    return build_matrix(page.manifest, page.per_arch)
