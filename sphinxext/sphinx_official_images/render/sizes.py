"""How sizes and digests are written: as Docker Hub and repo-info write them.

Hub and repo-info both give a compressed size in decimal units with one
decimal (``43.4 MB`` is 43,437,809 bytes: 10**6 bytes to the MB, not 2**20).
The exact byte count goes into a title/tooltip beside it.  Digests are shown
short (``sha256:`` and 12 hex digits, as the Hub shows them) with the full
digest beside.  Also the Markdown form of the sizes table, for the Hub
README when it is asked for (``readme --sizes``).
"""

from __future__ import annotations

from sphinx_official_images.view.sizes import ImageFigures

__all__ = ["exact_bytes", "human_size", "short_digest", "sizes_markdown"]

_UNITS = (("TB", 10**12), ("GB", 10**9), ("MB", 10**6), ("KB", 10**3))


def human_size(count: int) -> str:
    """``43.4 MB`` for 43,437,809 bytes; ``249.0 B`` under a kilobyte."""
    for unit, scale in _UNITS:
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{count:.1f} B"


def exact_bytes(count: int) -> str:
    """``43,437,809 bytes``: the tooltip of a size."""
    return f"{count:,} bytes"


def short_digest(digest: str) -> str:
    """``sha256:d6e0850f13fd``: the algorithm and the first 12 hex digits."""
    algo, _, hexdigits = digest.partition(":")
    return f"{algo}:{hexdigits[:12]}" if hexdigits else digest


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|")


def sizes_markdown(figures: ImageFigures) -> str:
    """A Markdown section: one row per tag with figures, one column per architecture.

    Each cell is ``SIZE`` and the short digest; Markdown has no tooltips, so
    the exact byte count follows in parentheses. Empty when nothing has figures.
    """
    rows = [row for row in figures.rows if row.platforms]
    if not rows:
        return ""
    arches = [a for a in figures.arches if any(row.for_arch(a) for row in rows)]
    out = [
        "# Compressed sizes and digests",
        "",
        "Compressed transfer size of each tag's image per architecture, and its manifest "
        "digest (from docker-library/repo-info).",
        "",
        "| Tag | " + " | ".join(f"`{a}`" for a in arches) + " |",
        "| --- |" + " --- |" * len(arches),
    ]
    for row in rows:
        cells = []
        for arch in arches:
            p = row.for_arch(arch)
            cells.append(
                ""
                if p is None
                else f"{human_size(p.size)} ({p.size} bytes)<br>`{short_digest(p.digest)}`"
            )
        out.append(f"| `{_md_escape(row.tags[0])}` | " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"
