"""A generated page's doctree is freed when its page is written, and nothing written changes.

``sphinx_ext/release.py`` breaks the cycles of a generated page's doctree in
the last ``html-page-context`` handler. With the cyclic collector off for
the whole build, a node of a generated page must then be gone as soon as its
page is written, while a node of a hand-written page (left alone) must still
be alive: a release that broke nothing, or too little, fails the first
check; one that reached hand-written pages fails the second.
"""

from __future__ import annotations

import gc
import weakref
from pathlib import Path
from typing import Any

import pytest
from docutils import nodes
from sphinx.application import Sphinx
from test_generate import make_project, sphinx_build

from sphinx_official_images.sphinx_ext import release


class _Written:
    """Weak references to every node of each page written, taken as it is written."""

    def __init__(self) -> None:
        self.pages: dict[str, list[weakref.ref[nodes.Node]]] = {}

    def __call__(
        self, app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
    ) -> None:
        if isinstance(doctree, nodes.document):
            self.pages[pagename] = [weakref.ref(node) for node in doctree.findall()]


def _build(src: Path, out: Path) -> dict[str, tuple[int, list[nodes.Node]]]:
    """Build ``src`` afresh with the collector off.

    For each page written: how many nodes its doctree had when the page was
    made, and those still alive when the build is done.
    """
    written = _Written()
    enabled = gc.isenabled()
    gc.disable()
    try:
        # just before the release (priority 999), after every other handler
        _, _, warnings = sphinx_build(
            src, out, fresh=True, handlers=[("html-page-context", written, 998)]
        )
        # looked at before the collector may run again
        alive: dict[str, tuple[int, list[nodes.Node]]] = {}
        for page, refs in written.pages.items():
            found = [ref() for ref in refs]
            alive[page] = (len(refs), [node for node in found if node is not None])
    finally:
        if enabled:
            gc.enable()
    assert warnings == ""
    return alive


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("release"))


def test_generated_pages_are_freed_when_written_and_others_are_left(
    project: Path, tmp_path: Path
) -> None:
    pages = _build(project, tmp_path / "out")
    generated = {page: c for page, c in pages.items() if page.startswith("catalogue/")}
    assert {"catalogue/python", "catalogue/winamd64/python", "catalogue/tags"} <= set(generated)
    for page, (total, alive) in generated.items():
        # What may stay: the document's empty shell, and a few emptied nodes
        # that read-time garbage (the parsers' own cycles, nodes a transform
        # took out of the tree, which keep their parent) still points at.
        assert total > 20, page
        assert all(not node.children for node in alive), f"{page}: {alive}"
        assert any(isinstance(node, nodes.document) for node in alive)  # the weak refs work
    nodes_total = sum(total for total, _ in generated.values())
    nodes_alive = sum(len(alive) for _, alive in generated.values())
    assert nodes_alive <= nodes_total // 50, f"{nodes_alive} of {nodes_total} nodes alive"
    # the hand-written index page is left to the collector: its cycles hold it all
    total, alive = pages["index"]
    assert total > 0 and len(alive) == total


def test_what_is_written_does_not_change(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _build(project, tmp_path / "released")
    monkeypatch.setattr(release, "release_doctree", lambda document: None)
    kept = _build(project, tmp_path / "kept")
    total, alive = kept["catalogue/python"]
    assert len(alive) == total  # really not released
    released_files = _files(tmp_path / "released" / "html")
    kept_files = _files(tmp_path / "kept" / "html")
    assert released_files.keys() == kept_files.keys()
    assert [name for name in released_files if released_files[name] != kept_files[name]] == []
