"""Reading a docker-library/meta checkout: what each build is built ``FROM``.

docker-library/meta publishes ``sources.json``, the result of running
bashbrew over official-images with the Dockerfiles fetched: one record per
build source, keyed by its ``sourceId``::

    {
      "SOURCE-ID": {
        "sourceId": "SOURCE-ID",
        "tags": ["bash:devel", ...],
        "entry": {"GitRepo": "...", "GitFetch": "refs/heads/master",
                  "GitCommit": "40 hex", "Directory": "devel",
                  "File": "Dockerfile", "Builder": ""},
        "arches": {
          "amd64": {"froms": ["alpine:3.19"], "lastStageFrom": "alpine:3.19",
                    "parents": {"alpine:3.19": {"sourceId": null, "pin": null}},
                    "archTags": [...], "platformString": "linux/amd64",
                    "platform": {"architecture": "amd64", "os": "linux"}}
        }
      }
    }

This is exactly what the incumbent learns over the network (``bashbrew cat
-f '{{ .ArchLastStageFrom ... }}'`` fetches the Dockerfile), so a meta
checkout answers it offline.  :func:`load_meta` reads the file into a
:class:`MetaIndex`; :meth:`MetaIndex.build` finds the build of one manifest
entry on one architecture by the arch-specific ``GitRepo``, ``GitCommit``,
``Directory`` and ``File`` (the fields that identify a build; ``GitFetch``
and ``Builder`` do not change what is built from) and the architecture.

On top of that, two questions the project asks:

* :func:`buildpack_deps_based`: ``variant.sh``'s buildpack-deps rule for one
  manifest (the first tag of every entry, that entry's first architecture in
  bashbrew's sorted order, its last-stage ``FROM`` matches
  ``buildpack-deps:*`` but not ``buildpack-deps:*-*``);
* :meth:`MetaIndex.built_from` / :meth:`MetaIndex.used_by`: the base images
  of a build and the builds that use an image as a base (SPEC section 5.5).

Bad input (unreadable file, invalid UTF-8 or JSON, a record of the wrong
shape) raises :class:`~sphinx_official_images.model.errors.DocsError` with the
file and the line, never anything else.  Records are checked when the file is
loaded, so later lookups cannot fail.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sphinx_official_images.model.errors import DocsError
from sphinx_official_images.model.manifest import Entry, Manifest, go_path_clean
from sphinx_official_images.sources.jsonfile import read_json

__all__ = [
    "SOURCES_FILE",
    "MetaArch",
    "MetaIndex",
    "MetaSource",
    "buildpack_deps_based",
    "is_buildpack_deps_base",
    "load_meta",
    "meta_sources_path",
    "variant_sh_entries",
]

SOURCES_FILE = "sources.json"


@dataclass(frozen=True, slots=True)
class MetaArch:
    """One architecture of one build source.

    ``froms`` lists every ``FROM`` of the Dockerfile in order (``scratch``
    included), ``last_stage_from`` the ``FROM`` of its last stage (what the
    image is based on), ``parents`` maps each ``FROM`` to the ``sourceId`` of
    the official-images build that produces it (None for images outside
    official-images or ``scratch``).
    """

    arch: str
    froms: tuple[str, ...]
    last_stage_from: str | None
    parents: Mapping[str, str | None] = field(default_factory=dict)
    arch_tags: tuple[str, ...] = ()
    platform: str | None = None


@dataclass(frozen=True, slots=True)
class MetaSource:
    """One build source of ``sources.json``: a Dockerfile at a commit, per architecture."""

    source_id: str
    tags: tuple[str, ...]
    git_repo: str
    git_fetch: str
    git_commit: str
    directory: str
    file: str
    builder: str
    arches: Mapping[str, MetaArch]
    line: int

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What identifies the build: (GitRepo, GitCommit, Directory, File)."""
        return (self.git_repo, self.git_commit, self.directory, self.file)


def meta_sources_path(meta: str | os.PathLike[str]) -> Path:
    """``sources.json`` of a meta checkout (or ``meta`` itself when it is the file)."""
    path = Path(meta)
    return path / SOURCES_FILE if path.is_dir() else path


class _Checker:
    """Type checks of one record, errors located at the record's line."""

    def __init__(self, path: Path, line: int, source_id: str) -> None:
        self.path = path
        self.line = line
        self.source_id = source_id

    def fail(self, what: str, found: object) -> DocsError:
        shown = json.dumps(found)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        return DocsError(
            f"meta source {self.source_id[:16]}: {what} (found {shown})", str(self.path), self.line
        )

    def string(self, value: object, what: str, optional: bool = False) -> str:
        if value is None and optional:
            return ""
        if not isinstance(value, str):
            raise self.fail(f"{what} must be a string", value)
        return value

    def strings(self, value: object, what: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"{what} must be a list of strings", value)
        return tuple(value)

    def obj(self, value: object, what: str) -> dict[str, object]:
        if not isinstance(value, dict):
            raise self.fail(f"{what} must be an object", value)
        return value


def _arch(check: _Checker, arch: str, raw: object) -> MetaArch:
    data = check.obj(raw, f"arches.{arch}")
    parents: dict[str, str | None] = {}
    raw_parents = data.get("parents")
    if raw_parents is not None:
        for name, parent in check.obj(raw_parents, f"arches.{arch}.parents").items():
            if parent is None:
                parents[name] = None
                continue
            pdata = check.obj(parent, f"arches.{arch}.parents.{name}")
            sid = pdata.get("sourceId")
            parents[name] = None if sid is None else check.string(sid, "parents sourceId")
    platform = data.get("platformString")
    last = data.get("lastStageFrom")
    return MetaArch(
        arch=arch,
        froms=check.strings(data.get("froms"), f"arches.{arch}.froms"),
        last_stage_from=None if last is None else check.string(last, "lastStageFrom"),
        parents=parents,
        arch_tags=check.strings(data.get("archTags"), f"arches.{arch}.archTags"),
        platform=None if platform is None else check.string(platform, "platformString"),
    )


def _source(path: Path, source_id: str, raw: object, line: int) -> MetaSource:
    check = _Checker(path, line, source_id)
    data = check.obj(raw, "record")
    entry = check.obj(data.get("entry"), "entry")
    raw_arches = check.obj(data.get("arches", {}), "arches")
    arches = {arch: _arch(check, arch, value) for arch, value in raw_arches.items()}
    directory = check.string(entry.get("Directory"), "entry.Directory", optional=True) or "."
    return MetaSource(
        source_id=source_id,
        tags=check.strings(data.get("tags"), "tags"),
        git_repo=check.string(entry.get("GitRepo"), "entry.GitRepo"),
        git_fetch=check.string(entry.get("GitFetch"), "entry.GitFetch", optional=True),
        git_commit=check.string(entry.get("GitCommit"), "entry.GitCommit"),
        directory=go_path_clean(directory),
        file=check.string(entry.get("File"), "entry.File", optional=True) or "Dockerfile",
        builder=check.string(entry.get("Builder"), "entry.Builder", optional=True),
        arches=arches,
        line=line,
    )


class MetaIndex:
    """The records of one ``sources.json``, indexed for the lookups the project makes."""

    def __init__(self, path: Path, sources: Iterable[MetaSource]) -> None:
        self.path = path
        self.sources: dict[str, MetaSource] = {s.source_id: s for s in sources}
        self._by_key: dict[tuple[str, str, str, str], list[MetaSource]] = {}
        self._by_tag: dict[str, list[MetaSource]] = {}
        self._users: dict[str, list[tuple[MetaSource, str]]] = {}
        for source in self.sources.values():
            self._by_key.setdefault(source.key, []).append(source)
            for tag in source.tags:
                self._by_tag.setdefault(tag, []).append(source)
            for arch, data in source.arches.items():
                for base in dict.fromkeys(data.froms):
                    self._users.setdefault(base, []).append((source, arch))

    def __len__(self) -> int:
        return len(self.sources)

    def build(
        self, git_repo: str, git_commit: str, directory: str, file: str, arch: str
    ) -> tuple[MetaSource, MetaArch] | None:
        """The record building (repo, commit, directory, file) on ``arch``, or None."""
        key = (git_repo, git_commit, go_path_clean(directory or "."), file or "Dockerfile")
        for source in self._by_key.get(key, ()):
            found = source.arches.get(arch)
            if found is not None:
                return source, found
        return None

    def entry_build(self, entry: Entry, arch: str) -> tuple[MetaSource, MetaArch] | None:
        """The record of a manifest entry on ``arch`` (its ``ARCH-*`` values applied)."""
        return self.build(
            entry.arch_git_repo(arch),
            entry.arch_git_commit(arch),
            entry.arch_directory(arch),
            entry.arch_file(arch),
            arch,
        )

    def last_stage_from(self, entry: Entry, arch: str) -> str | None:
        """bashbrew's ``ArchLastStageFrom``; None when meta has no record for it."""
        found = self.entry_build(entry, arch)
        return None if found is None else found[1].last_stage_from

    def built_from(self, entry: Entry, arch: str) -> tuple[str, ...] | None:
        """Every ``FROM`` of the entry's Dockerfile on ``arch``; None without a record."""
        found = self.entry_build(entry, arch)
        return None if found is None else found[1].froms

    def tagged(self, ref: str) -> list[MetaSource]:
        """The sources that publish ``ref`` (``IMAGE:TAG``)."""
        return list(self._by_tag.get(ref, ()))

    def used_by(self, ref: str) -> list[tuple[MetaSource, str]]:
        """The (source, arch) builds with ``ref`` (``IMAGE:TAG``) in their ``FROM`` lines."""
        return list(self._users.get(ref, ()))


def load_meta(meta: str | os.PathLike[str]) -> MetaIndex:
    """Read a meta checkout's ``sources.json`` (or that file) into a :class:`MetaIndex`."""
    path = meta_sources_path(meta)
    text, data = read_json(path, "meta sources file")
    if not isinstance(data, dict):
        raise DocsError("meta sources file must hold a JSON object keyed by sourceId", str(path), 1)
    sources: list[MetaSource] = []
    pos, line = 0, 1
    for source_id, raw in data.items():
        # Records appear in file order: search on from the previous one and
        # count lines incrementally (linear in the file, not records x size).
        found = text.find(json.dumps(source_id), pos)
        if found >= 0:
            line += text.count("\n", pos, found)
            pos = found
        sources.append(_source(path, source_id, raw, line))
    return MetaIndex(path, sources)


_BUILDPACK_DEPS = "buildpack-deps:"


def is_buildpack_deps_base(last_stage_from: str | None) -> bool:
    """``case $base in buildpack-deps:*-*) ;; buildpack-deps:*) yes`` (variant.sh)."""
    if last_stage_from is None or not last_stage_from.startswith(_BUILDPACK_DEPS):
        return False
    return "-" not in last_stage_from[len(_BUILDPACK_DEPS) :]


def variant_sh_entries(manifest: Manifest) -> list[tuple[str, Entry]]:
    """``bashbrew list --uniq`` resolved back to entries: (first tag, its entry).

    ``bashbrew cat REPO:TAG`` finds the entry by tag (Tags first, then
    SharedTags), which for the first tag of an entry is that entry unless an
    earlier entry shares it.
    """
    out: list[tuple[str, Entry]] = []
    for entry in manifest.entries:
        tags = entry.tags + entry.shared_tags
        if not tags:
            continue
        tag = tags[0]
        owner = manifest.get_tag(tag)
        if owner is None:
            shared = manifest.get_shared_tag(tag)
            owner = shared[0] if shared else entry
        out.append((tag, owner))
    return out


def buildpack_deps_based(index: MetaIndex, manifest: Manifest) -> bool | None:
    """Whether ``variant.sh`` finds a ``buildpack-deps:SUITE`` base for ``manifest``.

    True as soon as one entry's last-stage ``FROM`` (first architecture)
    matches; False when meta has a record for every entry and none matches;
    None (unknown) when some entry has no record and none of the others
    matches.  The variant section itself (which the paragraph belongs to) is
    decided by the view model, not here.
    """
    unknown = False
    for _, entry in variant_sh_entries(manifest):
        if not entry.architectures:
            continue
        found = index.entry_build(entry, entry.architectures[0])
        if found is None:
            unknown = True
            continue
        if is_buildpack_deps_base(found[1].last_stage_from):
            return True
    return None if unknown else False
