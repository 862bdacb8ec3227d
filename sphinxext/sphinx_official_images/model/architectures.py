"""The architectures bashbrew knows and the Hub namespaces they publish to.

Mirrors bashbrew ``architecture/oci-platform.go`` (the set of supported
architecture names) and docker-library's ``BASHBREW_ARCH_NAMESPACES`` (where
each architecture's images live on the Hub).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

DEFAULT_ARCHITECTURE = "amd64"

SUPPORTED_ARCHITECTURES: frozenset[str] = frozenset(
    {
        "amd64",
        "arm32v5",
        "arm32v6",
        "arm32v7",
        "arm64v8",
        "i386",
        "mips64le",
        "ppc64le",
        "riscv64",
        "s390x",
        "windows-amd64",
    }
)

DEFAULT_ARCH_NAMESPACES: dict[str, str] = {arch: arch for arch in SUPPORTED_ARCHITECTURES} | {
    "windows-amd64": "winamd64",
}

# Image and architecture names end up in paths and URLs: only plain names pass.
_PLAIN_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def is_plain_name(name: str) -> bool:
    """True for names safe to use as one path segment (no ``/``, no ``..``)."""
    return bool(_PLAIN_NAME.match(name)) and ".." not in name


def namespace_for(arch: str, namespaces: Mapping[str, str] | None = None) -> str | None:
    """The Hub namespace an architecture's images are pushed to (None: none).

    An architecture the map lacks is pushed under its own name, as bashbrew
    does; one mapped to ``""`` has no per-architecture repository. Whether
    the name is usable (a plain name) is for the caller to judge: a bad
    setting is an error for a page, a missing link in a list.
    """
    table = DEFAULT_ARCH_NAMESPACES if namespaces is None else namespaces
    return table.get(arch, arch) or None
