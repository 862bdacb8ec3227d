"""Published image facts from a docker-library/repo-info checkout, read offline.

repo-info's ``repos/IMAGE/remote/TAG.md`` is what the registry says about one
tag: the index digest, then one ``###`` section per platform with its
manifest digest, its total compressed size ("transfer size"), image ID,
default command and layers.  Attestation manifests (in-toto SBOM and
provenance) are listed as ``unknown; unknown`` platforms; they are counted,
never shown as platforms.

The file is Markdown written by a script, so it is read line by line with
the shapes that script writes (see ``../shared/corpus/repo-info/SOURCES.md``).
Anything that does not have those shapes is a :class:`DocsError` at
``file:line`` and is left out: a section without a valid digest or with a
size that does not parse is dropped, the rest of the file is kept.  A
section whose layers do not add up to its ``Total Size``, and a file with
fewer sections than its ``Platforms:`` count, are truncated files: the
incomplete section is dropped.  Parsing is one pass over the lines.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sphinx_official_images.model.architectures import arch_for_platform
from sphinx_official_images.model.errors import DocsError
from sphinx_official_images.sources.stamps import MISSING, StampCache, file_stamp

__all__ = [
    "ATTESTATION",
    "PlatformFacts",
    "RepoInfo",
    "TagFacts",
    "parse_size",
    "parse_tag_file",
]

ATTESTATION = "unknown; unknown"

# Tags become a file name: the tag grammar of official-images, nothing else.
_TAG = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
_HEADING = re.compile(r"## `(?P<ref>[^`]+)`")
_SECTION = re.compile(r"### `(?P<ref>[^`]+)` - (?P<platform>.+)")
_PULL = re.compile(r"\$ docker pull (?P<name>[^@\s]+)@(?P<digest>\S*)")
_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")
_PLATFORM = re.compile(
    r"(?P<os>[a-z0-9_.-]+)(?: version (?P<osv>[0-9A-Za-z_.-]+))?; "
    r"(?P<arch>[a-z0-9_.-]+)(?: variant (?P<variant>[0-9A-Za-z_.-]+))?"
)
_SIZE = re.compile(
    r"(?P<value>[0-9]+\.[0-9]) (?P<unit>B|KB|MB|GB|TB)(?: \((?P<bytes>[0-9]+) bytes\))?"
)
_UNITS = {"B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12}
_FIELD = "-\t"
_LIST_ITEM = "\t-\t"
_LAYER_SIZE = "\t\tSize: "


def parse_size(text: str) -> int | None:
    """The byte count of ``43.4 MB (43437809 bytes)`` or ``249.0 B`` (None: not a size).

    Sizes under 1000 bytes carry no byte count: their value is the count.
    A byte count that disagrees with its human form is not a size either.
    """
    m = _SIZE.fullmatch(text.strip())
    if m is None:
        return None
    unit = m["unit"]
    if m["bytes"] is None:
        if unit != "B":
            return None
        whole, _, tenth = m["value"].partition(".")
        return int(whole) if tenth == "0" else None
    count = int(m["bytes"])
    # the human form is the count in that unit, to one decimal
    if f"{count / _UNITS[unit]:.1f}" != m["value"]:
        return None
    return count


@dataclass(frozen=True, slots=True)
class PlatformFacts:
    """One platform of a tag: what the registry serves for it.

    ``arch`` is bashbrew's architecture name (``arm64v8``) when the platform
    is one bashbrew builds, else None. ``size`` is the compressed transfer
    size in bytes (the sum of the layers), ``digest`` the platform
    manifest's digest. ``line`` is the section's heading line.
    """

    os: str
    architecture: str
    variant: str | None
    os_version: str | None
    arch: str | None
    digest: str
    size: int
    image_id: str | None
    default_command: str | None
    layers: int
    line: int

    @property
    def label(self) -> str:
        """The platform as repo-info writes it (``linux; arm64 variant v8``)."""
        os_part = self.os if self.os_version is None else f"{self.os} version {self.os_version}"
        arch_part = (
            self.architecture
            if self.variant is None
            else (f"{self.architecture} variant {self.variant}")
        )
        return f"{os_part}; {arch_part}"


@dataclass(frozen=True, slots=True)
class TagFacts:
    """``repos/IMAGE/remote/TAG.md``: the index digest and its platforms."""

    image: str
    tag: str
    path: Path
    digest: str | None
    platforms: tuple[PlatformFacts, ...]
    attestations: int

    def for_arch(self, arch: str) -> PlatformFacts | None:
        """The platform bashbrew calls ``arch`` (the first, if listed twice)."""
        for platform in self.platforms:
            if platform.arch == arch:
                return platform
        return None


class _Section:
    """A ``###`` section being read."""

    def __init__(self, line: int, platform: str) -> None:
        self.line = line
        self.platform = platform
        self.digest: str | None = None
        self.size: int | None = None
        self.image_id: str | None = None
        self.command: str | None = None
        self.layers = 0
        self.layer_sum = 0
        self.broken = False


def _backticked(text: str) -> str | None:
    text = text.strip()
    if len(text) >= 2 and text[0] == "`" and text[-1] == "`":
        return text[1:-1]
    return None


_Bad = Callable[[str, int], None]


@dataclass
class _Scan:
    """One pass over a tag file's lines: its sections, and what it says above them."""

    image: str
    expected: str
    bad: _Bad
    index_digest: str | None = None
    listed: int | None = None
    listed_line: int = 0
    sections: list[_Section] = field(default_factory=list)
    current: _Section | None = None
    in_code: bool = False
    in_layers: bool = False

    def line(self, number: int, line: str) -> None:
        if self.in_code:
            self._code(number, line)
        elif line.startswith("```"):
            self.in_code = True
            self.in_layers = False
        elif (section := _SECTION.fullmatch(line)) is not None:
            if section["ref"] != self.expected:
                self.bad(f"section names {section['ref']!r}, expected {self.expected!r}", number)
            self.current = _Section(number, section["platform"])
            self.sections.append(self.current)
            self.in_layers = False
        elif line.startswith(_FIELD):
            self._field(number, line)
        elif self.in_layers and self.current is not None:
            self._layer(self.current, number, line)

    def _code(self, number: int, line: str) -> None:
        """A line of a code block: the ``docker pull NAME@DIGEST`` line gives a digest."""
        current = self.current
        if line == "```":
            self.in_code = False
            return
        if current is not None and current.digest is not None:
            return
        pull = _PULL.fullmatch(line)
        if pull is None:
            return
        digest = pull["digest"]
        if pull["name"] != self.image:
            self.bad(f"pull line names {pull['name']!r}, expected {self.image!r}", number)
        elif _DIGEST.fullmatch(digest) is None:
            self.bad(f"digest {digest!r} is not sha256: and 64 hex digits", number)
            if current is not None:
                current.broken = True
        elif current is None:
            self.index_digest = digest
        else:
            current.digest = digest

    def _field(self, number: int, line: str) -> None:
        """A ``-\tName: value`` line: the platform count above the sections, a
        section's facts in it."""
        name, _, value = line[len(_FIELD) :].partition(": ")
        current = self.current
        if current is None:
            if name == "Platforms":
                if value.isdigit():
                    self.listed, self.listed_line = int(value), number
                else:
                    self.bad(f"platform count {value!r} is not a number", number)
            return
        self.in_layers = name == "Layers:"
        if name == "Total Size":
            stripped = value.strip()
            bold = stripped.startswith("**") and stripped.endswith("**")
            size = parse_size(stripped[2:-2] if bold else "")
            if size is None:
                self.bad(
                    f"size {stripped!r} does not parse "
                    "(expected e.g. **43.4 MB (43437809 bytes)**)",
                    number,
                )
                current.broken = True
            else:
                current.size = size
        elif name == "Image ID":
            current.image_id = _backticked(value)
        elif name == "Default Command":
            current.command = _backticked(value)

    def _layer(self, current: _Section, number: int, line: str) -> None:
        if line.startswith(_LIST_ITEM):
            current.layers += 1
        elif line.startswith(_LAYER_SIZE):
            size = parse_size(line[len(_LAYER_SIZE) :])
            if size is None:
                self.bad(f"layer size {line.strip()!r} does not parse", number)
                current.broken = True
            else:
                current.layer_sum += size


def _complete(sec: _Section, bad: _Bad) -> bool:
    """Whether a section has its digest and a size its layers add up to (else: told)."""
    if sec.broken:
        return False  # already told
    if sec.digest is None or sec.size is None:
        missing = "digest" if sec.digest is None else "Total Size"
        bad(f"section {sec.platform!r} has no {missing} (truncated file?); left out", sec.line)
        return False
    if sec.layers and sec.layer_sum != sec.size:
        bad(
            f"section {sec.platform!r}: its layers add up to {sec.layer_sum} bytes, "
            f"Total Size says {sec.size} (truncated file?); left out",
            sec.line,
        )
        return False
    return True


def _platform(sec: _Section, bad: _Bad) -> PlatformFacts | None:
    """A complete section's platform (None: its platform does not parse; told)."""
    m = _PLATFORM.fullmatch(sec.platform)
    if m is None:
        bad(f"platform {sec.platform!r} does not parse (expected 'OS; ARCH[ variant V]')", sec.line)
        return None
    assert sec.digest is not None and sec.size is not None
    return PlatformFacts(
        os=m["os"],
        architecture=m["arch"],
        variant=m["variant"],
        os_version=m["osv"],
        arch=arch_for_platform(m["os"], m["arch"], m["variant"]),
        digest=sec.digest,
        size=sec.size,
        image_id=sec.image_id,
        default_command=sec.command,
        layers=sec.layers,
        line=sec.line,
    )


def parse_tag_file(
    text: str, path: str | os.PathLike[str], image: str, tag: str
) -> tuple[TagFacts | None, list[DocsError]]:
    """The facts of one file, and the problems found in it (each at its line).

    None when the file is not a repo-info tag file at all (no heading, or
    the heading names another tag).
    """
    where = str(path)
    problems: list[DocsError] = []

    def bad(message: str, line: int) -> None:
        problems.append(DocsError(message, where, line))

    lines = text.split("\n")
    heading = _HEADING.fullmatch(lines[0].rstrip()) if lines else None
    if heading is None:
        bad("not a repo-info tag file: expected a first line ## `IMAGE:TAG`", 1)
        return None, problems
    expected = f"{image}:{tag}"
    if heading["ref"] != expected:
        bad(f"heading names {heading['ref']!r}, expected {expected!r}", 1)
        return None, problems

    scan = _Scan(image, expected, bad)
    for number, raw in enumerate(lines, start=1):
        scan.line(number, raw.rstrip(" "))
    platforms: list[PlatformFacts] = []
    attestations = 0
    for sec in scan.sections:
        if not _complete(sec, bad):
            continue
        if sec.platform == ATTESTATION:
            attestations += 1
            continue
        platform = _platform(sec, bad)
        if platform is not None:
            platforms.append(platform)
    if scan.in_code:
        bad("file ends inside a code block (truncated file?)", len(lines))
    if scan.listed is not None and scan.listed != len(scan.sections):
        bad(
            f"Platforms: {scan.listed}, but the file has {len(scan.sections)} sections "
            "(truncated file?)",
            scan.listed_line,
        )
    facts = TagFacts(image, tag, Path(path), scan.index_digest, tuple(platforms), attestations)
    return facts, problems


class RepoInfo:
    """A repo-info checkout: ``ROOT/repos/IMAGE/remote/TAG.md``, parsed once per file version.

    Files are cached by their stamp (``mtime_ns``, size), as the loader caches
    manifests; a folder's listing by its own.  ``problems`` of a file are
    returned with it each time, so each page that reads the file can report
    them at its location.
    """

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self._files: StampCache[Path, tuple[TagFacts | None, tuple[DocsError, ...]]] = StampCache()
        self._listings: StampCache[Path, frozenset[str]] = StampCache()

    def folder(self, image: str) -> Path | None:
        """``ROOT/repos/IMAGE/remote``, where ``image``'s tag files are (None: the image
        cannot name a folder)."""
        if "/" in image or image.startswith("."):
            return None
        return self.root / "repos" / image / "remote"

    def is_tag_name(self, tag: str) -> bool:
        """Whether ``tag`` can name a file (the tag grammar of official-images)."""
        return _TAG.fullmatch(tag) is not None

    def path(self, image: str, tag: str) -> Path | None:
        """Where ``image:tag``'s file is (None: the tag cannot name a file)."""
        folder = self.folder(image)
        if folder is None or not self.is_tag_name(tag):
            return None
        return folder / f"{tag}.md"

    def tags(self, image: str) -> frozenset[str]:
        """The tags of ``image`` that have a file (one folder listing per folder version)."""
        folder = self.folder(image)
        if folder is None:
            return frozenset()
        stamp = file_stamp(folder)
        if stamp == MISSING:
            return frozenset()
        return self._listings.get(folder, stamp, lambda: self._list(folder))

    def _list(self, folder: Path) -> frozenset[str]:
        try:
            return frozenset(
                item.name[:-3]
                for item in os.scandir(folder)
                if item.name.endswith(".md") and self.is_tag_name(item.name[:-3]) and item.is_file()
            )
        except OSError:
            return frozenset()

    def tag(self, image: str, tag: str) -> tuple[TagFacts | None, tuple[DocsError, ...]]:
        """The facts of ``image:tag`` and the file's problems; (None, ()) without a file."""
        path = self.path(image, tag)
        if path is None:
            return None, ()
        stamp = file_stamp(path)
        if stamp == MISSING:
            return None, ()
        return self._files.get(path, stamp, lambda: self._read(path, image, tag))

    @staticmethod
    def _read(path: Path, image: str, tag: str) -> tuple[TagFacts | None, tuple[DocsError, ...]]:
        try:
            text = path.read_bytes().decode("utf-8", errors="replace")
        except OSError as exc:
            return None, (DocsError(f"cannot read: {exc.strerror or exc}", str(path)),)
        facts, problems = parse_tag_file(text, path, image, tag)
        return facts, tuple(problems)
