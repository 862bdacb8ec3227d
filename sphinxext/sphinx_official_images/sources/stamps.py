"""A file's identity for caches: ``(mtime_ns, size)``, and a cache keyed by it.

Every cache of the sources (parsed manifests, suite lists, facts files, docs
texts, stored links, built pages) keeps a value while the file it came from
has the same modification time and size, and computes it again otherwise.
A long-lived process (a Sphinx build, sphinx-autobuild, ``update`` over every
image) then never parses an unchanged file twice and notices a changed one.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

__all__ = ["MISSING", "Stamp", "StampCache", "file_stamp", "stamp_of", "stamps"]

Stamp = tuple[int, int]

# The stamp of a file that does not exist (or cannot be stat'ed).
MISSING: Stamp = (-1, -1)

K = TypeVar("K")
V = TypeVar("V")


def stamp_of(st: os.stat_result) -> Stamp:
    """The stamp of a file from its ``stat`` result."""
    return (st.st_mtime_ns, st.st_size)


def file_stamp(path: str | os.PathLike[str]) -> Stamp:
    """The stamp of ``path`` (links followed), :data:`MISSING` when it has none."""
    try:
        return stamp_of(os.stat(path))
    except OSError:
        return MISSING


def stamps(paths: Iterable[str]) -> tuple[tuple[str, Stamp], ...]:
    """``(path, stamp)`` of each path: what a value built from several files depends on."""
    return tuple((path, file_stamp(path)) for path in paths)


class StampCache(Generic[K, V]):
    """Values kept while the stamp they were made with is unchanged (a
    :data:`Stamp`, or a tuple of them for a value made from several files)."""

    def __init__(self) -> None:
        self._items: dict[K, tuple[object, V]] = {}

    def get(self, key: K, stamp: object, make: Callable[[], V]) -> V:
        """The value for ``key`` made with ``stamp``; ``make()`` when there is none."""
        found = self._items.get(key)
        if found is not None and found[0] == stamp:
            return found[1]
        value = make()
        self._items[key] = (stamp, value)
        return value

    def put(self, key: K, stamp: object, value: V) -> None:
        """Keep ``value`` for ``key`` as made with ``stamp``."""
        self._items[key] = (stamp, value)
