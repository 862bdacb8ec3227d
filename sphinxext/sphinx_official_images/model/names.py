"""Names of images, tags and architectures, and of image views and tag entries,
one rule for every layer.

What a valid name is: an image is a plain name (it becomes a path segment and
part of URLs), an architecture one bashbrew knows, a tag one the Docker tag
grammar accepts (the manifest parser and the ``image-tag`` role check the same
pattern). The problems are told in one wording wherever a name comes from (a
directive's argument, a role's target, a library call).

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
from typing import Final

from sphinx_official_images.model.architectures import SUPPORTED_ARCHITECTURES, is_plain_name
from sphinx_official_images.model.errors import OfficialImagesError

__all__ = [
    "TAG_PATTERN",
    "arch_problem",
    "check_arch",
    "check_image",
    "image_anchor",
    "image_key",
    "image_name_problem",
    "image_ref",
    "is_tag",
    "tag_anchor",
    "tag_key",
]

# The Docker tag grammar: bashbrew's ValidTagRegex ``^\w[\w.-]{0,127}$``, with
# Go's ASCII ``\w``.
TAG_PATTERN: Final = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"
_TAG_RE: Final = re.compile(TAG_PATTERN)


def is_tag(name: str) -> bool:
    """Whether ``name`` is a valid Docker tag."""
    return _TAG_RE.fullmatch(name) is not None


def _within(name: str, within: str) -> str:
    return "" if not within or within == name else f" in {within!r}"


def image_name_problem(image: str, within: str = "") -> str | None:
    """Why ``image`` cannot name an image (None: it can); ``within`` is the
    text it was taken from, named in the message."""
    if is_plain_name(image):
        return None
    where = _within(image, within)
    return f"invalid image name {image!r}{where}: expected a plain name such as 'python'"


def arch_problem(arch: str, within: str = "") -> str | None:
    """Why ``arch`` is not an architecture bashbrew knows (None: it is one)."""
    if arch in SUPPORTED_ARCHITECTURES:
        return None
    known = ", ".join(sorted(SUPPORTED_ARCHITECTURES))
    return f"unknown architecture {arch!r}{_within(arch, within)} (known: {known})"


def check_image(image: str) -> str:
    """``image`` if it is a plain name, else an :class:`OfficialImagesError`."""
    problem = image_name_problem(image)
    if problem is not None:
        raise OfficialImagesError(problem)
    return image


def check_arch(arch: str) -> str:
    """``arch`` if bashbrew knows it, else an :class:`OfficialImagesError`."""
    problem = arch_problem(arch)
    if problem is not None:
        raise OfficialImagesError(problem)
    return arch


def image_ref(image: str, namespace: str | None) -> str:
    """How a view names its image in examples (``%%IMAGE%%``): ``python``, or
    ``winamd64/python`` in a per-architecture namespace."""
    return f"{namespace}/{image}" if namespace else image


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
