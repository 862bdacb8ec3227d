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


# bashbrew ``architecture/oci-platform.go``: (os, architecture, variant) of
# each architecture bashbrew builds. arm64's variant v8 is optional there.
_PLATFORMS: dict[tuple[str, str, str | None], str] = {
    ("linux", "amd64", None): "amd64",
    ("linux", "arm", "v5"): "arm32v5",
    ("linux", "arm", "v6"): "arm32v6",
    ("linux", "arm", "v7"): "arm32v7",
    ("linux", "arm64", "v8"): "arm64v8",
    ("linux", "arm64", None): "arm64v8",
    ("linux", "386", None): "i386",
    ("linux", "mips64le", None): "mips64le",
    ("linux", "ppc64le", None): "ppc64le",
    ("linux", "riscv64", None): "riscv64",
    ("linux", "s390x", None): "s390x",
    ("windows", "amd64", None): "windows-amd64",
}


def arch_for_platform(os: str, architecture: str, variant: str | None) -> str | None:
    """bashbrew's name for an OCI platform (``linux``, ``arm64``, ``v8`` → ``arm64v8``)."""
    return _PLATFORMS.get((os, architecture, variant))
