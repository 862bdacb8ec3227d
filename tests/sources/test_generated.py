"""The generated catalogue's files (issue #5): written only when changed, only if generated."""

from __future__ import annotations

import time
from pathlib import Path

from sphinx_official_images.sources.generated import MARKER, write_sources


def _fail(message: str) -> None:
    raise AssertionError(f"unexpected warning: {message}")


def test_sources_are_rewritten_only_when_they_change(tmp_path: Path) -> None:
    root = tmp_path / "catalogue"
    first = {"a.md": f"% {MARKER}\none\n", "ns/b.rst": f".. {MARKER}\ntwo\n"}
    assert write_sources(root, first, _fail) == (["a.md", "ns/b.rst"], [])
    stamp = (root / "a.md").stat().st_mtime_ns
    time.sleep(0.01)
    assert write_sources(root, first, _fail) == ([], [])
    assert (root / "a.md").stat().st_mtime_ns == stamp

    (root / "mine.md").write_text("# written by hand\n", encoding="utf-8")
    second = {"a.md": f"% {MARKER}\nchanged\n", "mine.md": f"% {MARKER}\nnot mine\n"}
    warnings: list[str] = []
    written, removed = write_sources(root, second, warnings.append)
    assert (written, removed) == (["a.md"], ["ns/b.rst"])
    assert not (root / "ns" / "b.rst").exists()
    assert (root / "mine.md").read_text(encoding="utf-8") == "# written by hand\n"
    assert warnings == [f"{root / 'mine.md'} exists and was not generated: left alone"]
