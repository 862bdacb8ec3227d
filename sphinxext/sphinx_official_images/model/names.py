"""The names of image views and tag entries, one rule for every layer.

An image view is ``python`` (all architectures) or ``python@windows-amd64``;
a tag entry is ``python:3.14-slim`` or ``python:3.14@windows-amd64``. ``:``
and ``@`` never occur in image, tag or architecture names, so these names
cannot collide with each other.
"""

from __future__ import annotations

__all__ = ["image_anchor", "image_key", "tag_anchor", "tag_key"]


def image_key(image: str, arch: str | None) -> str:
    """The name of an image view: ``python`` or ``python@windows-amd64``."""
    return image if arch is None else f"{image}@{arch}"


def tag_key(image: str, tag: str, arch: str | None) -> str:
    """The name of a tag entry: ``python:3.14-slim`` or ``python:3.14@windows-amd64``."""
    name = f"{image}:{tag}"
    return name if arch is None else f"{name}@{arch}"


def tag_anchor(image: str, tag: str, arch: str | None) -> str:
    """The HTML id of a tag entry (it cannot collide with docutils' section ids)."""
    return tag_key(image, tag, arch)


def image_anchor(image: str, arch: str | None) -> str:
    """The HTML id of an image view's target."""
    return "image:" + image_key(image, arch)
