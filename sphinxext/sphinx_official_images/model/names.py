"""The names of image views and tag entries, one rule for every layer.

An image view is ``python`` (all architectures) or ``python@windows-amd64``;
a tag entry is ``python:3.14-slim`` or ``python:3.14@windows-amd64``. ``:``
and ``@`` never occur in image, tag or architecture names, so these names
cannot collide with each other.

The HTML ids of the same things are CSS identifiers (a letter first, then
only letters, digits, ``-`` and ``_``), so that a browser's
``querySelector('#' + id)`` finds them as they are: Sphinx's search looks up
a result's anchor that way for its summary. ``.`` becomes ``_`` and the parts
are joined by ``__`` (``tag-python__3_14-slim``); a name that this would make
ambiguous (a tag with ``_`` or ``..`` in it, a name ending with ``.``) is
spelled out instead, every other character as ``_`` and two hex digits
(``tagx-...``). Every id has a ``_`` in it, which docutils' own ids never
have.
"""

from __future__ import annotations

import re

__all__ = ["image_anchor", "image_key", "tag_anchor", "tag_key"]


def image_key(image: str, arch: str | None) -> str:
    """The name of an image view: ``python`` or ``python@windows-amd64``."""
    return image if arch is None else f"{image}@{arch}"


def tag_key(image: str, tag: str, arch: str | None) -> str:
    """The name of a tag entry: ``python:3.14-slim`` or ``python:3.14@windows-amd64``."""
    name = f"{image}:{tag}"
    return name if arch is None else f"{name}@{arch}"


# What the readable spelling keeps as it is (after "." -> "_").
_READABLE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9-])?")
_UNSAFE = re.compile(r"[^A-Za-z0-9-]")


def _readable(*parts: str) -> bool:
    return all(_READABLE.fullmatch(part) and ".." not in part for part in parts)


def _spelled(text: str) -> str:
    return _UNSAFE.sub(lambda m: f"_{ord(m.group()):02x}", text)


def tag_anchor(image: str, tag: str, arch: str | None) -> str:
    """The HTML id of a tag entry: ``tag-python__3_14-slim``, ``tag-python__3__arm64v8``."""
    parts = (image, tag) if arch is None else (image, tag, arch)
    if _readable(*parts):
        return "tag-" + "__".join(part.replace(".", "_") for part in parts)
    return "tagx-" + _spelled(tag_key(image, tag, arch))


def image_anchor(image: str, arch: str | None) -> str:
    """The HTML id of an image view's target: ``image__python``, ``image__python__arm64v8``."""
    parts = (image,) if arch is None else (image, arch)
    if _readable(*parts):
        return "image__" + "__".join(part.replace(".", "_") for part in parts)
    return "imagex-" + _spelled(image_key(image, arch))
