"""The (mtime, size) stamp every cache of the sources is keyed by."""

from __future__ import annotations

import os
from pathlib import Path

from sphinx_official_images.sources.stamps import MISSING, StampCache, file_stamp, stamps


def test_file_stamp_follows_mtime_and_size(tmp_path: Path) -> None:
    path = tmp_path / "f"
    assert file_stamp(path) == MISSING
    path.write_text("one")
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    assert file_stamp(path) == (1_000_000_000, 3)
    path.write_text("three")
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    assert file_stamp(path) == (1_000_000_000, 5)  # same mtime, other size
    assert stamps([str(path), str(tmp_path / "none")]) == (
        (str(path), (1_000_000_000, 5)),
        (str(tmp_path / "none"), MISSING),
    )


def test_stamp_cache_makes_a_value_once_per_stamp() -> None:
    cache: StampCache[str, object] = StampCache()
    made: list[int] = []

    def make() -> object:
        made.append(1)
        return None  # None is a value like any other

    assert cache.get("k", (1, 2), make) is None
    assert cache.get("k", (1, 2), make) is None
    assert len(made) == 1
    cache.get("k", (1, 3), make)  # the file changed
    assert len(made) == 2
    cache.put("j", ((1, 2), MISSING), "given")
    assert cache.get("j", ((1, 2), MISSING), make) == "given"
    assert len(made) == 2
