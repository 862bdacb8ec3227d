"""Reading a docker-library/docs-style folder, the way ``update.sh`` sees it.

``update.sh`` reads files with ``cat``, ``$(< file)``, ``[ -e ]``, ``[ -f ]``
and ``[ -s ]``, all of which follow symbolic links.  A docs tree that was
copied without git (a tarball, a corpus, a Windows checkout with
``core.symlinks=false``) holds each symlink as a small plain file whose whole
content is the link target, e.g. ``maintainer.md`` containing
``../.common-templates/maintainer-community.md``.  :class:`DocsFolder` follows
both kinds, so the rest of the project never has to care.

A plain file is taken for a link when all of these hold (a real prose file
never meets them): it is shorter than 1 KiB, holds one line with no newline,
is a relative path without ``://``, and that path, taken relative to the
file's folder, names an existing file inside the docs folder.  Links (real or
stored) that leave the docs folder are refused with :class:`DocsError`: a
stored link is then any such one-line file whose path climbs out with ``../``,
whether or not its target exists (no prose line does that).

Every file is read at most once per process while it is unchanged: contents
are cached by resolved path and checked against ``(mtime_ns, size)``.
"""

from __future__ import annotations

import os
import posixpath
import stat
from dataclasses import dataclass
from pathlib import Path

from sphinx_official_images.model.errors import DocsError
from sphinx_official_images.sources.stamps import StampCache, stamp_of

__all__ = ["DocsFile", "DocsFolder"]

# A stored symlink is a short single-line file; anything bigger is prose.
_MAX_LINK_SIZE = 1024
# Link chains longer than this are treated as loops (the kernel's limit is 40).
_MAX_HOPS = 40


@dataclass(frozen=True, slots=True)
class DocsFile:
    """A file of the docs folder after following (real or stored) links.

    ``path`` is where it was asked for, ``target`` the regular file it
    resolves to; ``chain`` lists every file read on the way (for dependency
    tracking).  ``size`` is the target's size, as ``[ -s ]`` sees it.
    """

    path: Path
    target: Path
    size: int
    chain: tuple[Path, ...]


class DocsFolder:
    """One docs folder (``IMAGE/*.md``, ``.template-helpers/``, ...), with caching.

    Paths given to the methods are docs-relative POSIX paths such as
    ``"python/content.md"`` or ``".template-helpers/template.md"``.
    """

    def __init__(self, root: str | os.PathLike[str]) -> None:
        path = Path(root)
        if not path.is_dir():
            raise DocsError("docs folder does not exist or is not a folder", str(path))
        self.root = path.resolve()
        self._texts: StampCache[Path, str] = StampCache()
        self._link_text: StampCache[Path, str | None] = StampCache()
        self._listings: dict[str, tuple[int, frozenset[str]]] = {}

    # -- resolution -----------------------------------------------------

    def _inside(self, path: Path) -> bool:
        return path == self.root or self.root in path.parents

    def _stored_link(self, path: Path, st: os.stat_result) -> str | None:
        """The target text if ``path`` is a stored (plain-file) symlink, else None."""
        if st.st_size == 0 or st.st_size >= _MAX_LINK_SIZE:
            return None
        return self._link_text.get(path, stamp_of(st), lambda: self._read_link(path, st))

    def _read_link(self, path: Path, st: os.stat_result) -> str | None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise DocsError(f"cannot read file: {exc.strerror or exc}", str(path)) from None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = ""
        else:
            # keep the text: a small file that is not a link is read only once
            self._texts.put(path, stamp_of(st), text)
        target: str | None = None
        if (
            text
            and "\n" not in text
            and "\r" not in text
            and "\0" not in text
            and not text.startswith("/")
            and "://" not in text
            and text.strip() == text
        ):
            target = text
        return target

    def names(self, folder: str) -> frozenset[str]:
        """The entries of the docs-relative ``folder`` (``""``: the root); empty
        when it is not a folder.

        Listings are cached and read again when the folder's mtime changes,
        so probing many candidate names (variant files) costs one ``stat`` of
        the folder instead of a failed ``lstat`` per name through pathlib.
        """
        dirpath = os.path.join(self.root, folder) if folder else str(self.root)
        try:
            mtime = os.stat(dirpath).st_mtime_ns
        except OSError:
            return frozenset()
        cached = self._listings.get(dirpath)
        if cached is None or cached[0] != mtime:
            try:
                names = frozenset(os.listdir(dirpath))
            except OSError:
                return frozenset()
            cached = (mtime, names)
            self._listings[dirpath] = cached
        return cached[1]

    def _listed(self, relpath: str) -> bool:
        """False when ``relpath``'s folder surely has no such entry (a cheap pre-check)."""
        folder, _, name = relpath.rpartition("/")
        return name in self.names(folder)

    def resolve(self, relpath: str) -> DocsFile | None:
        """Follow ``relpath`` to a regular file, or None when there is none.

        None covers "does not exist", "is a folder" and dangling links, which
        is what ``[ -f ]`` answers.
        """
        if not self._listed(relpath):
            return None
        path = self.root / relpath
        chain: list[Path] = []
        for _ in range(_MAX_HOPS):
            try:
                lst = path.lstat()
            except OSError:
                return None
            if stat.S_ISLNK(lst.st_mode):
                chain.append(path)
                target = Path(os.path.normpath(path.parent / os.readlink(path)))
                if not self._inside(target):
                    raise DocsError("symbolic link points outside the docs folder", str(path))
                path = target
                continue
            if not stat.S_ISREG(lst.st_mode):
                return None
            chain.append(path)
            link = self._stored_link(path, lst)
            if link is not None:
                target = Path(posixpath.normpath(posixpath.join(path.parent.as_posix(), link)))
                if not self._inside(target):
                    # only "../" can climb out: a link, never prose
                    raise DocsError(
                        f"stored symbolic link {link!r} points outside the docs folder",
                        str(path),
                    )
                if target.exists():
                    path = target
                    continue
            return DocsFile(Path(self.root / relpath), path, lst.st_size, tuple(chain))
        raise DocsError("too many levels of symbolic links", str(self.root / relpath))

    # -- the shell tests ------------------------------------------------

    def is_file(self, relpath: str) -> bool:
        """``[ -f path ]`` (and ``[ -e path ]`` for the files the docs tree holds)."""
        return self.resolve(relpath) is not None

    def is_folder(self, relpath: str) -> bool:
        """``[ -d path ]``: a folder (links followed) where a file may be expected."""
        return self._listed(relpath) and (self.root / relpath).is_dir()

    # -- reading ----------------------------------------------------------

    def read_file(self, found: DocsFile) -> str:
        """The UTF-8 text of a resolved file, cached while it is unchanged."""
        target = found.target
        try:
            st = target.stat()
        except OSError as exc:
            raise DocsError(f"cannot read file: {exc.strerror or exc}", str(found.path)) from None
        return self._texts.get(target, stamp_of(st), lambda: self._read_text(found))

    def _read_text(self, found: DocsFile) -> str:
        target = found.target
        try:
            data = target.read_bytes()
        except OSError as exc:
            raise DocsError(f"cannot read file: {exc.strerror or exc}", str(found.path)) from None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise DocsError("file is not valid UTF-8", str(target), line) from None
        return text

    def read(self, relpath: str) -> str | None:
        """The text of ``relpath`` (links followed), or None if there is no such file."""
        found = self.resolve(relpath)
        return None if found is None else self.read_file(found)

    def image_folders(self) -> list[str]:
        """Every non-hidden sub-folder name, sorted (``update.sh``'s ``*/``)."""
        names: list[str] = []
        try:
            with os.scandir(self.root) as it:
                for item in it:
                    if not item.name.startswith(".") and item.is_dir():
                        names.append(item.name)
        except OSError as exc:
            raise DocsError(f"cannot list folder: {exc.strerror or exc}", str(self.root)) from None
        return sorted(names)
