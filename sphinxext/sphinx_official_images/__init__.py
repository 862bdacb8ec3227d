"""Document Docker Official Images in Sphinx straight from their manifests.

The package is importable without Sphinx (the parser, loader, view model and
Markdown emitter have no Sphinx import), so ``setup`` imports the Sphinx glue
only when Sphinx loads the extension.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sphinx_official_images._version import __version__

__all__ = ["__version__", "setup"]

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> dict[str, Any]:
    from sphinx_official_images.sphinx_ext.extension import setup as _setup

    return _setup(app)
