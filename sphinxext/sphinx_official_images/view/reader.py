"""Docs-folder access for building one page, as ``update.sh`` reads the folder.

A :class:`PageReader` answers ``cat``, ``cat a || cat b`` and ``[ -d ]`` for
the page's builders, asks the docs folder once per path, and records every
file looked for (found or not: the page changes when a missing file appears)
and every :class:`Notice` (a problem that does not stop the page).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sphinx_official_images.model.errors import DocsError
from sphinx_official_images.sources.docsfolder import DocsFile
from sphinx_official_images.sources.loader import Loader
from sphinx_official_images.sources.lookups import Lookups

__all__ = ["HELPERS", "Notice", "PageReader"]

HELPERS = ".template-helpers"


@dataclass(frozen=True, slots=True)
class Notice:
    """A problem in the inputs that does not stop the page (``update.sh`` goes on too).

    ``field`` names the placeholder whose text it is about (``VARIANT``,
    ``COMPOSE-YAML``, ``STACK-YML``), so a directive that shows only part of
    the page reports only what it shows.
    """

    field: str
    error: DocsError


class PageReader:
    """Docs-folder access for one page, recording every file it looks for."""

    def __init__(self, loader: Loader, lookups: Lookups | None = None) -> None:
        self.loader = loader
        self.docs = loader.docs
        self.lookups = Lookups() if lookups is None else lookups
        self.notices: list[Notice] = []
        self._seen: dict[str, DocsFile | None] = {}
        self._folders: dict[str, bool] = {}
        # each folder's entries, listed once for the page: the page is built
        # from one view of the folder, and a name not in it is not probed
        self._names: dict[str, frozenset[str]] = {}
        self._root = str(self.docs.root)

    def _listed(self, relpath: str) -> bool:
        folder, _, name = relpath.rpartition("/")
        names = self._names.get(folder)
        if names is None:
            names = self._names[folder] = self.docs.names(folder)
        return name in names

    def resolve(self, relpath: str) -> DocsFile | None:
        # variant.sh probes the same candidates for many tags: ask once per page
        if relpath in self._seen:
            return self._seen[relpath]
        found = self.docs.resolve(relpath) if self._listed(relpath) else None
        self._seen[relpath] = found
        if found is None:
            self.lookups.absent(f"{self._root}/{relpath}")
        else:
            for path in found.chain:
                self.lookups.present(path)
        return found

    def is_folder(self, relpath: str) -> bool:
        """``[ -d path ]``, asked once per page."""
        known = self._folders.get(relpath)
        if known is None:
            known = self._listed(relpath) and self.docs.is_folder(relpath)
            self._folders[relpath] = known
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

    def note_missing(self, path: str | Path | None) -> None:
        if path is not None:
            self.lookups.absent(path)
