"""The extension's CSS and JavaScript for HTML output, and the copy button.

``static/official-images.css`` fits the support matrix into the page (it
scrolls in its own box, the tag column kept in view), keeps the tag lists'
``docker pull`` snippets small, and lets long names wrap in sidebars;
``static/official-images.js`` puts a filter box before every tag list and
the tag index. Both are package files in the extension's own static folder:
no network, nothing external. Without JavaScript the lists stay whole.

The copy button of every code block, the pull snippets included, is
sphinx-copybutton's (a dependency), set up from here.

The ``docker pull`` snippets (:class:`~sphinx_official_images.render.browse.pull_block`)
are written by :func:`visit_pull_html`: Sphinx highlights every code block
with a new Pygments formatter (0.2 ms each), and a catalogue has a snippet
per tag-list entry, 13,000 for the corpus, every one plain text. The HTML of
a plain-text block is the same around any command, so it is made once per
page and filled in; the bytes are those Sphinx writes.
"""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.writers.html5 import HTML5Translator

from sphinx_official_images.render.browse import pull_block

__all__ = ["CSS", "JS", "STATIC", "register"]

STATIC = Path(__file__).parent / "static"
CSS = "official-images.css"
JS = "official-images.js"


def _add_static_path(app: Sphinx, config: Config) -> None:
    # Sphinx copies html_static_path into _static/ for every HTML builder;
    # appended, so a project's own file of the same name wins.
    if str(STATIC) not in config.html_static_path:
        config.html_static_path.append(str(STATIC))


# What a snippet filled into the shared HTML may hold: characters that
# Pygments' HTML escaping leaves alone (image references and tags are made of
# them); anything else is highlighted as usual.
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._:/@+-]*")
_SENTINEL = "officialimagespullcommand"
_WRAPS = "_official_images_pull_html"  # on the page's translator: (before, after)


def _plain_text_wraps(translator: HTML5Translator, node: nodes.Element) -> tuple[str, str] | None:
    """What Sphinx's highlighter writes before and after a plain-text block's text."""
    wraps: tuple[str, str] | None = getattr(translator, _WRAPS, None)
    if wraps is None:
        html = translator.highlighter.highlight_block(
            _SENTINEL, "text", opts={}, linenos=False, location=node, force=False
        )
        before, found, after = html.partition(_SENTINEL)
        if not found or _SENTINEL in after:
            return None
        wraps = (before, after)
        setattr(translator, _WRAPS, wraps)
    return wraps


def visit_pull_html(translator: HTML5Translator, node: pull_block) -> None:
    """A ``docker pull`` snippet in HTML: what Sphinx writes, without a Pygments run.

    Any block it could not write byte for byte as Sphinx would (a translator
    of a theme that writes code blocks its own way, highlight options for
    plain text, other characters) is written by the translator itself.
    """
    own = getattr(translator.visit_literal_block, "__func__", None)
    source = node.rawsource
    fast = (
        own is HTML5Translator.visit_literal_block
        and node.get("language") == "text"
        and not node.get("linenos")
        and not node.get("highlight_args")
        and not node.get("force")
        and not translator.config.highlight_options.get("text")
        and source == node.astext()
        and _PLAIN.fullmatch(source) is not None
        and not source.endswith(" ")
    )
    wraps = _plain_text_wraps(translator, node) if fast else None
    if wraps is None:
        translator.visit_literal_block(node)
        return
    starttag = translator.starttag(node, "div", suffix="", CLASS="highlight-text notranslate")
    translator.body.append(starttag + wraps[0] + source + wraps[1] + "</div>\n")
    raise nodes.SkipNode


def depart_pull_html(translator: HTML5Translator, node: pull_block) -> None:
    translator.depart_literal_block(node)


def skip_pull(translator: nodes.NodeVisitor, node: pull_block) -> None:
    """Other outputs (LaTeX, text, man, Texinfo) leave the snippets out: there is
    nothing to copy them with, and the list already names every tag."""
    raise nodes.SkipNode


def register(app: Sphinx) -> None:
    """Called from the extension's ``setup()``."""
    # The HTML builders (html, dirhtml, singlehtml, epub...) find the "html"
    # visitor through their format; one with no visitor of its own (xml,
    # pseudoxml) shows the node as the code block it is. A visitor per
    # builder, as sphinx.ext.todo registers its nodes, rather
    # than an ``only`` node around each of a catalogue's 13,000 snippets:
    # every node is walked by each transform, pickled and kept in memory.
    skip = (skip_pull, None)
    app.add_node(
        pull_block,
        html=(visit_pull_html, depart_pull_html),
        latex=skip,
        text=skip,
        man=skip,
        texinfo=skip,
    )
    app.setup_extension("sphinx_copybutton")
    app.connect("config-inited", _add_static_path)
    app.add_css_file(CSS)
    app.add_js_file(JS, loading_method="defer")
