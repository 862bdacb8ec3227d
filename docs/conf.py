"""Sphinx configuration of the sphinx-official-images site, built with the extension itself."""

from __future__ import annotations

import sys
from pathlib import Path

# Build from a checkout without installing: the package lives in sphinxext/.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sphinxext"))

from sphinx_official_images import __version__

project = "sphinx-official-images"
author = "the sphinx-official-images developers"
copyright = "2026, the sphinx-official-images developers"
version = release = __version__

extensions = ["myst_parser", "sphinx_official_images"]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
# examples/: the publishing guide's files, shown with literalinclude (not pages)
exclude_patterns = ["_build", "examples"]
myst_heading_anchors = 3
# Every MyST syntax the pages use beyond CommonMark: definition lists (the
# directive options in directives.md, the facts in facts.md).
myst_enable_extensions = ["deflist"]

official_images_library = "../data/library"
official_images_docs = "../data/docs"
official_images_facts = "../data/facts"

html_theme = "alabaster"
html_title = "sphinx-official-images"
