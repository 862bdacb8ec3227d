"""A warning located in the prose folder is told once per build.

The prose of an image is shown by several pages (its default view, a page
per architecture, a directive demo), and each page parses or resolves it
again: MyST's and Sphinx's warnings about one line of ``content.md`` would
be told once per page. Once located at the prose file's line (see
``render.prose``), they are the same warning, and are told only the first
time in a build. Warnings located elsewhere (the project's own pages) are
left to Sphinx.

The filter sits on the handlers of Sphinx's logger for one build (from
``builder-inited`` to ``build-finished``). In a parallel build the reader
processes hand their warnings to the main process, whose handlers tell them:
the filter sees them all there.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.logging import get_node_location

from sphinx_official_images.sphinx_ext.project import get_project, project_state


class ToldOnce(logging.Filter):
    """Drops a warning located in ``folder`` that was told before in this build."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.prefix = str(folder) + os.sep
        self.told: set[tuple[str, str, str, str]] = set()
        # one decision per record: every handler asks
        self._decided: dict[int, tuple[logging.LogRecord, bool]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        decided = self._decided.get(id(record))
        if decided is not None and decided[0] is record:
            return decided[1]
        keep = self._decide(record)
        if len(self._decided) > 1024:
            self._decided.clear()
        self._decided[id(record)] = (record, keep)
        return keep

    def _decide(self, record: logging.LogRecord) -> bool:
        location = getattr(record, "location", None)
        if isinstance(location, nodes.Node):
            location = get_node_location(location)
        if not isinstance(location, str) or not location.startswith(self.prefix):
            return True
        key = (
            location,
            record.getMessage(),
            str(getattr(record, "type", "")),
            str(getattr(record, "subtype", "")),
        )
        if key in self.told:
            return False
        self.told.add(key)
        return True


def _handlers() -> list[logging.Handler]:
    return list(logging.getLogger("sphinx").handlers)


def _install(app: Sphinx) -> None:
    state = project_state(app.env)
    _remove(app, None)
    docs = get_project(app.env).settings.docs
    once = ToldOnce(docs)
    state.told_once = once
    for handler in _handlers():
        handler.addFilter(once)


def _remove(app: Sphinx, exception: BaseException | None) -> None:
    state = project_state(app.env)
    once = state.told_once
    if isinstance(once, ToldOnce):
        for handler in _handlers():
            handler.removeFilter(once)
    state.told_once = None


def register(app: Sphinx) -> None:
    app.connect("builder-inited", _install)
    app.connect("build-finished", _remove)
