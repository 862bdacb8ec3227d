"""Emitters: the view model as Hub Markdown and as docutils nodes.

docutils only; no Sphinx application and no MyST import: the Sphinx glue
hands the emitter the prose parser (MyST's Sphinx parser) and the factory of
Sphinx's index nodes (see :class:`~sphinx_official_images.render.doctree.EmitContext`).
"""
