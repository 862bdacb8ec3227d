"""The extension's CSS and JavaScript for HTML output, and the copy button.

``static/official-images.css`` fits the support matrix into the page (it
scrolls in its own box, the tag column kept in view), keeps the tag lists'
``docker pull`` snippets small, and lets long names wrap in sidebars;
``static/official-images.js`` puts a filter box before every tag list and
the tag index. Both are package files in the extension's own static folder:
no network, nothing external. Without JavaScript the lists stay whole.

The copy button of every code block, the pull snippets included, is
sphinx-copybutton's (a dependency), set up from here.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

__all__ = ["CSS", "JS", "STATIC", "register"]

STATIC = Path(__file__).parent / "static"
CSS = "official-images.css"
JS = "official-images.js"


def _add_static_path(app: Sphinx, config: Config) -> None:
    # Sphinx copies html_static_path into _static/ for every HTML builder;
    # appended, so a project's own file of the same name wins.
    if str(STATIC) not in config.html_static_path:
        config.html_static_path.append(str(STATIC))


def register(app: Sphinx) -> None:
    """Called from the extension's ``setup()``."""
    app.setup_extension("sphinx_copybutton")
    app.connect("config-inited", _add_static_path)
    app.add_css_file(CSS)
    app.add_js_file(JS, loading_method="defer")
