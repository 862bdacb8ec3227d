"""Sources: the inputs of one image page, gathered from the user's folders.

A docs folder, a facts folder, git and docker-library data; every path looked
at is recorded, whether it was there or not, so a build knows what to watch,
and every cache keeps a value while its file's stamp is unchanged
(:mod:`~sphinx_official_images.sources.stamps`).
Above :mod:`~sphinx_official_images.model`; no Sphinx or docutils.
"""
