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

from collections.abc import Iterable
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config

from sphinx_official_images.render.browse import PULL

__all__ = ["CSS", "JS", "STATIC", "html_only", "pulls_to_html_only", "register"]

STATIC = Path(__file__).parent / "static"
CSS = "official-images.css"
JS = "official-images.js"


def _add_static_path(app: Sphinx, config: Config) -> None:
    # Sphinx copies html_static_path into _static/ for every HTML builder;
    # appended, so a project's own file of the same name wins.
    if str(STATIC) not in config.html_static_path:
        config.html_static_path.append(str(STATIC))


def html_only(node: nodes.Element) -> addnodes.only:
    """``node`` for HTML output only (Sphinx's ``only`` node, as ``.. only:: html``)."""
    only = addnodes.only(expr="format_html")
    only += node
    return only


def _is_pull(node: nodes.Node) -> bool:
    return isinstance(node, nodes.literal_block) and PULL in node["classes"]


def pulls_to_html_only(roots: Iterable[nodes.Node]) -> None:
    """Keep the ``docker pull`` snippets under ``roots`` (tag lists) to HTML output."""
    for root in roots:
        if not isinstance(root, nodes.Element):
            continue
        for block in list(root.findall(_is_pull)):
            parent = block.parent
            assert isinstance(block, nodes.Element) and parent is not None
            only = addnodes.only(expr="format_html")
            parent.replace(block, only)
            only += block


def register(app: Sphinx) -> None:
    """Called from the extension's ``setup()``."""
    app.setup_extension("sphinx_copybutton")
    app.connect("config-inited", _add_static_path)
    app.add_css_file(CSS)
    app.add_js_file(JS, loading_method="defer")
