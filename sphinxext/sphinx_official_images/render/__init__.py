"""Emitters: the view model as Hub Markdown and as docutils nodes.

docutils and myst-parser only; no Sphinx application.
"""
