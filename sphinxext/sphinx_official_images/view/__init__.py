"""The view model: what a page says, as plain dataclasses, with no I/O.

Every docker-library rule about what a README shows lives here once; the
emitters in :mod:`~sphinx_official_images.render` only format it.
"""
