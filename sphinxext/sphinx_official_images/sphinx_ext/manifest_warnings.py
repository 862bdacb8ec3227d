"""Manifest warnings in Sphinx: logged once per manifest per build, at ``file:line``.

The parser returns what bashbrew accepts but a maintainer should hear about
as :attr:`Manifest.warnings <sphinx_official_images.model.manifest.Manifest.warnings>`.
Pages note which manifests they read (:func:`note_manifest`); the set lives on
the environment, is emptied before reading and merged from parallel readers,
and the warnings are logged in the main process once reading is done, sorted
by file: once per manifest and build, the same serial or with ``-j``.  They are
of type ``official_images``, subtype ``manifest``, so
``suppress_warnings = ["official_images.manifest"]`` silences them and ``-W``
makes them fatal.
"""

from __future__ import annotations

from collections.abc import Set
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from sphinx_official_images.model.errors import OfficialImagesError

logger = logging.getLogger(__name__)

_READ = "official_images_manifests_read"


def _read(env: BuildEnvironment) -> set[str]:
    found: set[str] | None = getattr(env, _READ, None)
    if found is None:
        found = set()
        setattr(env, _READ, found)
    return found


def note_manifest(env: BuildEnvironment, path: str) -> None:
    """Record that a document of this build read the manifest at ``path``."""
    _read(env).add(path)


def _before_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    setattr(env, _READ, set())


def _merge(app: Sphinx, env: BuildEnvironment, docnames: Set[str], other: BuildEnvironment) -> None:
    _read(env).update(_read(other))


def _log(app: Sphinx, env: BuildEnvironment) -> list[str]:
    from sphinx_official_images.sphinx_ext.project import get_project

    paths = sorted(_read(env))
    setattr(env, _READ, set())
    if not paths:
        return []
    loader = get_project(env).loader
    for path in paths:
        try:
            manifest = loader.load(Path(path))
        except OfficialImagesError:
            continue  # the directives that read it have reported the error
        for warning in manifest.warnings:
            logger.warning(
                warning.message,
                location=f"{warning.path}:{warning.line}",
                type="official_images",
                subtype="manifest",
            )
    return []


def register(app: Sphinx) -> None:
    app.connect("env-before-read-docs", _before_read)
    app.connect("env-merge-info", _merge)
    app.connect("env-updated", _log)
