"""The official-images manifest parser and data model, bashbrew-exact.

Reads the RFC 2822-style ``library/<image>`` files the way docker-library's
bashbrew does (``manifest/rfc2822.go`` on top of ``pault.ag/go/debian/control``
and the ``pkg/stripper`` comment stripper):

* lines whose first non-space character is ``#`` are dropped before anything
  else (so a comment never ends a paragraph);
* paragraphs are separated by *empty* lines (a line holding only spaces is a
  continuation line, as in the Go reader);
* ``Key: value`` lines, continuation lines start with a space or a tab;
* the first paragraph holds the global defaults; every entry starts as a copy
  of it, then its own fields apply.  ``Maintainers`` and ``Constraints`` are
  *appended* to the inherited lists (the Go decoder appends to slices), while
  ``SharedTags`` and ``Architectures`` *replace* the inherited value;
* entries that would build the same artifacts are merged.

Every error bashbrew raises is raised here too, as :class:`ManifestError` with
the file and the 1-based line of the offending field, plus a few problems
bashbrew silently accepts (invalid UTF-8, duplicate fields, ``ARCH-Field`` with
an unknown architecture, ...).  Parsing stops at the first error, as bashbrew.

The module has no Sphinx import and is tuned for speed (``benchmarks/parse.py``
compares it with python-debian's ``Deb822``): one pass over the lines that
builds each entry's merged field dicts directly, precompiled patterns, an
optimistic entry pass that checks tags for the whole file at once (with a
careful pass, in bashbrew's order, to report errors), and entries built without
the frozen dataclass ``__init__``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from dataclasses import fields as dataclass_fields
from typing import Any, Final

from sphinx_official_images.model.architectures import DEFAULT_ARCHITECTURE, SUPPORTED_ARCHITECTURES
from sphinx_official_images.model.errors import ManifestError
from sphinx_official_images.model.names import TAG_PATTERN

__all__ = [
    "DEFAULT_DIRECTORY",
    "DEFAULT_FILE",
    "DEFAULT_GIT_FETCH",
    "MAINTAINERS_FORMAT",
    "Entry",
    "Manifest",
    "ManifestError",
    "SharedTagGroup",
    "go_path_clean",
    "load_manifest",
    "parse_manifest",
]

DEFAULT_GIT_FETCH: Final = "refs/heads/master"
DEFAULT_DIRECTORY: Final = "."
DEFAULT_FILE: Final = "Dockerfile"

MAINTAINERS_FORMAT: Final = (
    "Full Name <contact-email-or-url> (@github-handle) OR Full Name (@github-handle)"
)

# bashbrew's regular expressions.  Go's ``$`` (without the m flag) only
# matches at the very end of the text, so these are used with ``fullmatch``.
_GIT_COMMIT_RE: Final = re.compile(r"[0-9a-f]{1,64}")
_GIT_FETCH_RE: Final = re.compile(r"refs/(?:heads|tags)/[^*?:]+")
# Go's \s is ASCII [\t\n\f\r ] (no \v), spelled out so Python's Unicode \s is not used.
_MAINTAINER_RE: Final = re.compile(
    r"([^\t\n\f\r <>()][^<>()]*)(?:[\t\n\f\r ]+<([^\t\n\f\r <>()]+)>)?"
    r"[\t\n\f\r ]+[(]@([^\t\n\f\r <>()]+)[)]"
)
# The Docker tag grammar; the second form checks a whole raw list value at once.
_TAG: Final = TAG_PATTERN
_TAG_RE: Final = re.compile(_TAG)
# The usual spelling of a list, "a, b, c": validated and split in one go.
_TAGS_CANON_RE: Final = re.compile(rf"{_TAG}(?:, {_TAG})*")
_TAGS_BULK_RE: Final = re.compile(rf"{_TAG}(?:, {_TAG})*(?:\n{_TAG}(?:, {_TAG})*)*")
_ARCH_FIELD_RE: Final = re.compile(
    r"(.*)-(GitRepo|GitFetch|GitCommit|Directory|File|Builder)", re.DOTALL
)

# Go's unicode.IsSpace (Python's str.isspace also counts \x1c-\x1f).
_GO_SPACE: Final = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
# The ``strip:"\n\r\t "`` tag of bashbrew's list fields.
_LIST_STRIP: Final = "\n\r\t "
# Single-valued fields: a continuation line would put a newline in them.
_ONE_LINE_FIELDS: Final = frozenset(
    {"GitRepo", "GitFetch", "GitCommit", "Directory", "File", "Builder"}
)
_EMPTY: Final[tuple[str, ...]] = ()
_SUPPORTED: Final = SUPPORTED_ARCHITECTURES


def go_path_clean(path: str) -> str:
    """Go's ``path.Clean``: lexical clean-up of a slash-separated path.

    Unlike :func:`posixpath.normpath`, ``//a`` becomes ``/a`` and ``""``
    becomes ``"."``.
    """
    if not path or path == ".":
        return "."
    if path[0] != "." and path[-1] != "/" and "/." not in path and "//" not in path:
        return path  # already clean (the common case)
    rooted = path[0] == "/"
    out: list[str] = []
    for part in path.split("/"):
        if not part or part == ".":
            continue
        if part == "..":
            if out and out[-1] != "..":
                out.pop()
            elif not rooted:
                out.append("..")
            continue
        out.append(part)
    cleaned = "/".join(out)
    if rooted:
        return "/" + cleaned
    return cleaned or "."


def _split_list(value: str) -> list[str]:
    """A bashbrew list field: ``delim:","`` and ``strip:"\\n\\r\\t "``.

    Like the Go decoder, empty elements are kept (``"a,"`` gives ``["a", ""]``).
    """
    strip = _LIST_STRIP
    return [part.strip(strip) for part in value.strip(strip).split(",")]


# Longer values are cut in messages (a 10 MB line must not become a 10 MB warning).
_QUOTE_MAX: Final = 200


def _quote(value: str) -> str:
    """A Go ``%q``-like rendering for messages, cut after ``_QUOTE_MAX`` characters."""
    more = ""
    if len(value) > _QUOTE_MAX:
        more = f"... ({len(value)} characters)"
        value = value[:_QUOTE_MAX]
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"{more}'


@dataclass(frozen=True, slots=True)
class Entry:
    """One manifest entry (or the global defaults) with inheritance applied."""

    tags: tuple[str, ...]
    shared_tags: tuple[str, ...]
    architectures: tuple[str, ...]
    maintainers: tuple[str, ...]
    git_repo: str
    git_fetch: str
    git_commit: str
    directory: str
    file: str
    builder: str
    constraints: tuple[str, ...]
    arch_values: Mapping[str, str]
    fields: Mapping[str, str]
    line: int
    field_lines: Mapping[str, int]

    def __hash__(self) -> int:
        return hash((self.tags, self.line, self.git_commit))

    def arch_git_repo(self, arch: str) -> str:
        return self.arch_values.get(arch + "-GitRepo") or self.git_repo

    def arch_git_fetch(self, arch: str) -> str:
        return self.arch_values.get(arch + "-GitFetch") or self.git_fetch

    def arch_git_commit(self, arch: str) -> str:
        return self.arch_values.get(arch + "-GitCommit") or self.git_commit

    def arch_directory(self, arch: str) -> str:
        return self.arch_values.get(arch + "-Directory") or self.directory

    def arch_file(self, arch: str) -> str:
        return self.arch_values.get(arch + "-File") or self.file

    def arch_builder(self, arch: str) -> str:
        return self.arch_values.get(arch + "-Builder") or self.builder

    def has_architecture(self, arch: str) -> bool:
        return arch in self.architectures

    def has_tag(self, tag: str) -> bool:
        return tag in self.tags

    def has_shared_tag(self, tag: str) -> bool:
        return tag in self.shared_tags

    def field_line(self, name: str) -> int:
        """The line that set ``name`` (this paragraph's, or the global's), else :attr:`line`."""
        return self.field_lines.get(name, self.line)


@dataclass(frozen=True, slots=True)
class SharedTagGroup:
    """Shared tags that point at the same list of entries (bashbrew ``SharedTagGroup``)."""

    shared_tags: tuple[str, ...]
    entries: tuple[Entry, ...]


class Manifest:
    """A parsed manifest: the global defaults and the (merged) entries in file order."""

    __slots__ = ("_tag_index", "entries", "global_entry", "path")

    path: str
    global_entry: Entry
    entries: tuple[Entry, ...]

    def __init__(self, path: str, global_entry: Entry, entries: Iterable[Entry]) -> None:
        self.path = path
        self.global_entry = global_entry
        self.entries = tuple(entries)
        self._tag_index: dict[str, Entry] | None = None

    def __repr__(self) -> str:
        return f"<Manifest {self.path!r}: {len(self.entries)} entries>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Manifest):
            return NotImplemented
        return (self.path, self.global_entry, self.entries) == (
            other.path,
            other.global_entry,
            other.entries,
        )

    def __hash__(self) -> int:
        return hash((self.path, self.entries))

    @property
    def maintainers(self) -> tuple[str, ...]:
        """The global maintainers."""
        return self.global_entry.maintainers

    def get_tag(self, tag: str) -> Entry | None:
        """The entry holding ``tag`` in its Tags (not SharedTags), or None."""
        index = self._tag_index
        if index is None:
            index = {}
            for entry in self.entries:
                for t in entry.tags:
                    index.setdefault(t, entry)
            self._tag_index = index
        return index.get(tag)

    def get_shared_tag(self, tag: str) -> list[Entry]:
        """The entries whose SharedTags hold ``tag``, in file order."""
        return [entry for entry in self.entries if tag in entry.shared_tags]

    def all_shared_tags(self) -> list[str]:
        """Every shared tag, de-duplicated, in file order (bashbrew ``GetAllSharedTags``)."""
        seen: dict[str, None] = {}
        for entry in self.entries:
            for tag in entry.shared_tags:
                seen[tag] = None
        return list(seen)

    def shared_tag_groups(self, arch: str | None = None) -> list[SharedTagGroup]:
        """bashbrew ``GetSharedTagGroups``: shared tags grouped by the entries they name.

        Groups are keyed by the first tag of each entry holding the shared tag,
        in order of first appearance.  With ``arch``, each group keeps only the
        entries that have that architecture and groups left empty are dropped:
        this is what docker-library/docs' per-architecture tag list shows (the
        groups come from the *whole* manifest, then are filtered), which differs
        from ``for_architecture(arch).shared_tag_groups()``.
        """
        holders: dict[str, list[Entry]] = {}
        for entry in self.entries:
            for tag in entry.shared_tags:
                holders.setdefault(tag, []).append(entry)
        groups: dict[tuple[int, ...], tuple[list[str], list[Entry]]] = {}
        for tag, entries in holders.items():
            key = tuple(id(e) for e in entries)
            group = groups.get(key)
            if group is None:
                groups[key] = ([tag], entries)
            else:
                group[0].append(tag)
        result: list[SharedTagGroup] = []
        for tags, entries in groups.values():
            if arch is not None:
                entries = [e for e in entries if arch in e.architectures]
                if not entries:
                    continue
            result.append(SharedTagGroup(tuple(tags), tuple(entries)))
        return result

    def architectures(self) -> list[str]:
        """The sorted union of all entries' architectures."""
        arches: set[str] = set()
        for entry in self.entries:
            arches.update(entry.architectures)
        return sorted(arches)

    def entries_for_architecture(self, arch: str) -> list[Entry]:
        """The entries that have ``arch`` (bashbrew's ``archFilter``)."""
        return [entry for entry in self.entries if arch in entry.architectures]

    def for_architecture(self, arch: str) -> Manifest:
        """A manifest with only the entries that have ``arch``; same path and global."""
        return Manifest(self.path, self.global_entry, self.entries_for_architecture(arch))


# -- construction ------------------------------------------------------------

_new_object = object.__new__
_ENTRY_SETTERS: Final = tuple(Entry.__dict__[f.name].__set__ for f in dataclass_fields(Entry))


def _make_entry(
    tags: tuple[str, ...],
    shared_tags: tuple[str, ...],
    architectures: tuple[str, ...],
    maintainers: tuple[str, ...],
    git_repo: str,
    git_fetch: str,
    git_commit: str,
    directory: str,
    file: str,
    builder: str,
    constraints: tuple[str, ...],
    arch_values: Mapping[str, str],
    fields: Mapping[str, str],
    line: int,
    field_lines: Mapping[str, int],
    _s: tuple[Any, ...] = _ENTRY_SETTERS,
) -> Entry:
    """``Entry(...)`` without the frozen ``__init__``'s per-field ``object.__setattr__``.

    Same result, about twice as fast: the slot descriptors are called directly.
    """
    entry: Entry = _new_object(Entry)
    _s[0](entry, tags)
    _s[1](entry, shared_tags)
    _s[2](entry, architectures)
    _s[3](entry, maintainers)
    _s[4](entry, git_repo)
    _s[5](entry, git_fetch)
    _s[6](entry, git_commit)
    _s[7](entry, directory)
    _s[8](entry, file)
    _s[9](entry, builder)
    _s[10](entry, constraints)
    _s[11](entry, arch_values)
    _s[12](entry, fields)
    _s[13](entry, line)
    _s[14](entry, field_lines)
    return entry


# -- reading paragraphs --------------------------------------------------------


def _decode(data: bytes, path: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start : exc.start + 1]
        raise ManifestError(
            f"invalid UTF-8: byte 0x{bad.hex()} at offset {exc.start} (expected a UTF-8 text file)",
            path,
            line,
        ) from None


# Paragraph flags
_CONTINUED: Final = 1  # a continuation line occurred
_DASHED: Final = 2  # a field name holds "-" (maybe an ARCH-Field)

# (first field line, raw values, field lines, flags)
_Paragraph = tuple[int, dict[str, str], dict[str, int], int]

# Lines starting with one of these take the slow path: comments, continuation
# lines, other whitespace, and a missing field name.
_SPECIAL_START: Final = "#:" + _GO_SPACE


def _no_colon(line: str, lineno: int, path: str) -> ManifestError:
    return ManifestError(
        f'line {_quote(line)} has no ":" (expected "Field: value", a continuation line'
        ' starting with a space, a "#" comment or an empty line)',
        path,
        lineno,
    )


def _duplicate_field(name: str, lineno: int, lines: dict[str, int], path: str) -> ManifestError:
    return ManifestError(
        f"duplicate field {_quote(name)} in one paragraph (already set at line {lines[name]})",
        path,
        lineno,
    )


def _special_line(
    line: str, lineno: int, values: dict[str, str], lines: dict[str, int], first: int, path: str
) -> tuple[int, int]:
    """A line starting with ``#``, ``:`` or whitespace; returns (flags, first line)."""
    rest = line.lstrip(_GO_SPACE)
    if rest[:1] == "#":
        return 0, first  # comment (bashbrew's stripper drops it before the parser sees it)
    if line[0] in " \t":
        if not first:
            if rest:
                raise ManifestError(
                    f"continuation line {_quote(line)} has no field to continue"
                    ' (expected a "Field: value" line before it)',
                    path,
                    lineno,
                )
            raise ManifestError(
                "line holds only whitespace outside a field"
                " (a line separating paragraphs must be empty)",
                path,
                lineno,
            )
        # pault.ag/go/debian/control: drop the first character, trim the right,
        # " ." stands for an empty line, and lines are joined with "\n".
        key = max(lines, key=lines.__getitem__)  # this paragraph's last field
        cont = line[1:].rstrip(_GO_SPACE)
        if cont == ".":
            cont = ""
        value = values[key]
        if not value:
            values[key] = cont + "\n"
        elif value[-1] == "\n":
            values[key] = value + cont + "\n"
        else:
            values[key] = value + "\n" + cont + "\n"
        return _CONTINUED, first
    name, sep, value = line.partition(":")
    if not sep:
        raise _no_colon(line, lineno, path)
    name = name.strip(_GO_SPACE)
    if not name:
        raise ManifestError(
            f'line {_quote(line)} has no field name before ":" (expected "Field: value")',
            path,
            lineno,
        )
    if first and name in values and lines[name] >= first:
        raise _duplicate_field(name, lineno, lines, path)
    values[name] = value.strip(_GO_SPACE)
    lines[name] = lineno
    return (_DASHED if "-" in name else 0), (first or lineno)


def _paragraphs(text: str, path: str) -> list[_Paragraph]:
    """Split into paragraphs of raw values, as pault.ag/go/debian/control does.

    The first paragraph (the global defaults) is read as it is; every later
    one starts as a copy of it, so its ``values`` and ``lines`` are directly
    the entry's merged ``fields`` and ``field_lines`` (an entry's own fields
    are those whose line is at or after the paragraph's first line).
    """
    result: list[_Paragraph] = []
    values: dict[str, str] = {}
    lines: dict[str, int] = {}
    seed_values: dict[str, str] = {}
    seed_lines: dict[str, int] = {}
    first = 0  # line of the paragraph's first field; 0 while there is none
    flags = 0
    special = _SPECIAL_START
    # Python's default strip() is Go's TrimSpace plus \x1c-\x1f, and faster
    # than naming the characters: use it when those four are absent.
    space: str | None = None
    if "\x1c" in text or "\x1d" in text or "\x1e" in text or "\x1f" in text:
        space = _GO_SPACE
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line:
            if first:
                result.append((first, values, lines, flags))
                if not seed_lines:  # the global paragraph just ended
                    seed_values = values
                    seed_lines = lines
                values = seed_values.copy()
                lines = seed_lines.copy()
                first = 0
                flags = 0
            continue
        if line[0] in special:
            bits, first = _special_line(line, lineno, values, lines, first, path)
            flags |= bits
            continue
        name, sep, value = line.partition(":")
        if not sep:
            raise _no_colon(line, lineno, path)
        name = name.rstrip(space)
        if name in values and first and lines[name] >= first:
            raise _duplicate_field(name, lineno, lines, path)
        values[name] = value.strip(space)
        lines[name] = lineno
        if not first:
            first = lineno
        if "-" in name:
            flags |= _DASHED
    if first:
        result.append((first, values, lines, flags))
    return result


# -- building entries ------------------------------------------------------------


def _tags_str(tags: Iterable[str]) -> str:
    return _quote(", ".join(tags))


class _Parser:
    """Builds entries paragraph by paragraph, with bashbrew's checks."""

    __slots__ = (
        "arch_cache",
        "by_artifacts",
        "by_directory",
        "entries",
        "global_entry",
        "path",
        "valid_commits",
        "valid_fetches",
    )

    def __init__(self, path: str) -> None:
        self.path = path
        self.entries: list[Entry] = []
        # SameBuildArtifacts lookups: first entry per Directory, then full keys
        self.by_directory: dict[str, int] = {}
        self.by_artifacts: dict[tuple[object, ...], int] = {}
        # per-parse memos of pure checks (values repeat a lot within a file)
        self.arch_cache: dict[str, tuple[str, ...]] = {}
        self.valid_commits: set[str] = set()
        self.valid_fetches: set[str] = set()

    def _fail(self, message: str, line: int) -> ManifestError:
        return ManifestError(message, self.path, line)

    # -- field checks ----------------------------------------------------------

    def _check_maintainers(
        self, maintainers: list[str], line: int, tags: tuple[str, ...] | None
    ) -> None:
        match = _MAINTAINER_RE.fullmatch
        invalid = [m for m in maintainers if not match(m)]
        if invalid:
            prefix = "" if tags is None else f"Tags {_tags_str(tags)} has "
            raise self._fail(
                f"{prefix}invalid Maintainers: {', '.join(_quote(m) for m in invalid)}"
                f" (expected format {_quote(MAINTAINERS_FORMAT)})",
                line,
            )

    def _check_one_line(self, fields: dict[str, str], lines: dict[str, int]) -> None:
        for name, value in fields.items():
            if "\n" in value and (name in _ONE_LINE_FIELDS or _ARCH_FIELD_RE.fullmatch(name)):
                raise self._fail(
                    f"{name} value {_quote(value)} spans several lines"
                    " (expected a single-line value)",
                    lines[name],
                )

    def _check_tags(self, tags: Iterable[str], line: int, what: str) -> None:
        for tag in tags:
            if not _TAG_RE.fullmatch(tag):
                raise self._fail(
                    f"{what} {_quote(tag)} is not a valid tag (expected 1 to 128 of"
                    " A-Z a-z 0-9 _ . - not starting with . or -, separated by commas)",
                    line,
                )

    def _architectures(self, raw: str, line: int, tags: tuple[str, ...] | None) -> tuple[str, ...]:
        arches = self.arch_cache.get(raw)
        if arches is None:
            arches = tuple(sorted(set(_split_list(raw))))
            invalid = [a for a in arches if a not in _SUPPORTED]
            if invalid:
                what = "invalid global " if tags is None else f"Tags {_tags_str(tags)} has invalid "
                raise self._fail(
                    f"{what}Architectures: {', '.join(_quote(a) for a in invalid)}"
                    f" (expected some of {', '.join(sorted(_SUPPORTED))})",
                    line,
                )
            self.arch_cache[raw] = arches
        return arches

    def _check_git(self, name: str, value: str, line: int, tags: tuple[str, ...] | None) -> None:
        """GitFetch / GitCommit (or an ARCH- one, then ``tags`` is None) against bashbrew's
        patterns; valid values are remembered for the rest of the file."""
        if name.endswith("GitFetch"):
            if _GIT_FETCH_RE.fullmatch(value):
                self.valid_fetches.add(value)
                return
            expected = '"refs/heads/..." or "refs/tags/..."'
        else:
            if _GIT_COMMIT_RE.fullmatch(value):
                self.valid_commits.add(value)
                return
            expected = "a commit: 1 to 64 lowercase hex digits, not a tag or ref"
        what = "" if tags is None else f"Tags {_tags_str(tags)} has "
        raise self._fail(f"{what}invalid {name} {_quote(value)} (expected {expected})", line)

    def _arch_fields(
        self,
        fields: dict[str, str],
        lines: dict[str, int],
        inherited: Mapping[str, str],
        first: int,
    ) -> dict[str, str] | None:
        """The paragraph's own ``ARCH-Field`` values (those at or after line ``first``)
        merged over ``inherited``; None when there are none."""
        merged: dict[str, str] | None = None
        for name, value in fields.items():
            if "-" not in name or lines[name] < first:
                continue
            match = _ARCH_FIELD_RE.fullmatch(name)
            if match is None:
                continue  # an unknown field: kept in ``fields``, otherwise ignored
            arch, kind = match.groups()
            if arch not in _SUPPORTED:
                raise self._fail(
                    f"field {_quote(name)} names unknown architecture {_quote(arch)}"
                    f" (expected ARCH-{kind} with ARCH one of {', '.join(sorted(_SUPPORTED))})",
                    lines[name],
                )
            if value:
                if kind == "Directory":
                    value = go_path_clean(value)
                elif kind == "GitFetch" or kind == "GitCommit":
                    self._check_git(name, value, lines[name], None)
            if merged is None:
                merged = dict(inherited)
            if value:
                merged[name] = value
            else:  # an empty value cancels an inherited one
                merged.pop(name, None)
        return merged

    # -- the global paragraph -----------------------------------------------------

    def parse_global(
        self, first: int, own: dict[str, str], lines: dict[str, int], flags: int
    ) -> None:
        fail = self._fail
        if "Maintainers" not in own:
            raise fail(
                "missing Maintainers (the first paragraph holds the global defaults and"
                f" needs 'Maintainers: {MAINTAINERS_FORMAT}')",
                first,
            )
        maintainers = _split_list(own["Maintainers"])
        self._check_maintainers(maintainers, lines["Maintainers"], None)
        if "Tags" in own:
            raise fail(
                f"global Tags not permitted (found Tags {_quote(own['Tags'])} in the first"
                " paragraph, which holds only defaults; put Tags in the entries)",
                lines["Tags"],
            )
        if flags & _CONTINUED:
            self._check_one_line(own, lines)
        raw = own.get("Architectures")
        arches = (
            (DEFAULT_ARCHITECTURE,)
            if raw is None
            else self._architectures(raw, lines["Architectures"], None)
        )
        raw = own.get("SharedTags")
        shared: tuple[str, ...] = _EMPTY
        if raw is not None:
            shared_list = _split_list(raw)
            self._check_tags(shared_list, lines["SharedTags"], "global SharedTags has")
            shared = tuple(dict.fromkeys(shared_list))
        raw = own.get("Constraints")
        self.global_entry = _make_entry(
            _EMPTY,
            shared,
            arches,
            tuple(maintainers),
            own.get("GitRepo", ""),
            own.get("GitFetch", DEFAULT_GIT_FETCH),
            own.get("GitCommit", ""),
            go_path_clean(own.get("Directory", DEFAULT_DIRECTORY)),
            own.get("File", DEFAULT_FILE),
            own.get("Builder", ""),
            _EMPTY if raw is None else tuple(_split_list(raw)),
            (self._arch_fields(own, lines, {}, first) if flags & _DASHED else None) or {},
            own,
            first,
            lines,
        )

    # -- entries -------------------------------------------------------------------

    def _parse_tags(self, raw: str, line: int, tags: tuple[str, ...] | None = None) -> list[str]:
        """The general path for a Tags (or, given the entry's ``tags``, a SharedTags)
        value that is not spelled ``a, b, c``."""
        values = _split_list(raw)
        if tags is None:
            self._check_tags(values, line, f"Tags {_tags_str(values)} has tag")
        else:
            self._check_tags(values, line, f"Tags {_tags_str(tags)} has shared tag")
        return values

    def _missing_git(
        self, tags: tuple[str, ...], fields: dict[str, str], lines: dict[str, int], first: int
    ) -> None:
        g = self.global_entry
        for name, inherited in (
            ("GitRepo", g.git_repo),
            ("GitFetch", g.git_fetch),
            ("GitCommit", g.git_commit),
        ):
            if not fields.get(name, inherited):
                line = lines.get(name, g.field_lines.get(name, first))
                raise self._fail(
                    f"Tags {_tags_str(tags)} missing {name} (expected GitRepo, GitFetch"
                    " and GitCommit, in the entry or in the global paragraph)",
                    line,
                )

    def _git_line(self, name: str, lines: dict[str, int], first: int) -> int:
        """The line that set ``name`` for this entry, else the paragraph's first line."""
        return lines.get(name) or self.global_entry.field_lines.get(name, first)

    def add_entries(self, paragraphs: list[_Paragraph], fast: bool = True) -> None:
        """bashbrew's entry loop and ``AddEntry`` for every paragraph after the first.

        Optimistic first: the fast pass assumes every Tags/SharedTags value is
        spelled ``a, b, c`` and checks the tag grammar and bashbrew's duplicate
        and conflict rules once, for the whole file, at the end.  If anything
        is wrong (or merely unusual), the careful pass runs over the entries
        again, checks each entry in bashbrew's order and raises the first error
        (``fast=False`` goes straight to it).  Both give the same manifest.
        """
        if fast:
            try:
                self._entries(paragraphs, careful=False)
                return
            except ManifestError:
                pass  # not reported: the careful pass finds the first error
        self._entries(paragraphs, careful=True)

    def _entries(self, paragraphs: list[_Paragraph], careful: bool) -> None:
        """One flat loop with everything hoisted into locals: this is the hot path.

        Not ``careful``: raises a bare :class:`ManifestError` at the end when a
        Tags/SharedTags value is not ``a, b, c`` with valid tags, or a tag is
        listed twice or is also a shared tag anywhere in the file (taken
        together, bashbrew's per-entry checks forbid exactly that).
        """
        g = self.global_entry
        g_repo = g.git_repo
        g_fetch = g.git_fetch
        g_commit = g.git_commit
        g_arches = g.architectures
        g_shared = g.shared_tags
        g_directory = g.directory
        g_file = g.file
        g_builder = g.builder
        g_constraints = g.constraints
        g_maintainers = g.maintainers
        g_arch_values = g.arch_values
        tags_ok = _TAGS_CANON_RE.fullmatch
        valid_fetches = self.valid_fetches
        valid_commits = self.valid_commits
        arch_cache = self.arch_cache
        entries: list[Entry] = []
        by_directory: dict[str, int] = {}
        self.entries = entries
        self.by_directory = by_directory
        self.by_artifacts = {}
        # careful pass: tag -> (line, "tags") of the paragraph that brought it
        tag_holder: dict[str, tuple[int, str]] = {}
        shared_holder: dict[str, tuple[int, str]] = {}
        new = _new_object
        cls = Entry
        s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14 = _ENTRY_SETTERS
        # for the whole-file checks of the optimistic pass
        tag_lists: list[str] = []
        add_tag_list = tag_lists.append
        all_tags: set[str] = set()
        add_tags = all_tags.update
        all_shared: set[str] = set()
        add_shared = all_shared.update
        tag_count = 0

        # fields/lines: the paragraph's values merged over the global's (see _paragraphs);
        # the entry's own fields are those set at or after line ``first``
        for first, fields, lines, flags in paragraphs:
            get = fields.get
            raw_tags = get("Tags")
            if raw_tags is None:
                raise self._fail(
                    "missing Tags (every paragraph after the first is an entry and needs"
                    ' "Tags: tag1, tag2")',
                    first,
                )
            if flags & _CONTINUED:
                self._check_one_line(fields, lines)
            if not careful or tags_ok(raw_tags) is not None:  # the usual "a, b, c"
                tags = tuple(raw_tags.split(", "))
                add_tag_list(raw_tags)
            else:
                tags = tuple(self._parse_tags(raw_tags, lines["Tags"]))

            git_repo = get("GitRepo", g_repo)
            git_fetch = get("GitFetch", g_fetch)
            git_commit = get("GitCommit", g_commit)
            if not (git_repo and git_fetch and git_commit):
                self._missing_git(tags, fields, lines, first)
            if git_fetch not in valid_fetches:
                self._check_git(
                    "GitFetch", git_fetch, self._git_line("GitFetch", lines, first), tags
                )
            if git_commit not in valid_commits:
                self._check_git(
                    "GitCommit", git_commit, self._git_line("GitCommit", lines, first), tags
                )

            if lines["Maintainers"] < first:
                maintainers = g_maintainers
            else:  # appended to the global ones, as the Go decoder does
                own_maintainers = _split_list(fields["Maintainers"])
                self._check_maintainers(own_maintainers, lines["Maintainers"], tags)
                maintainers = g_maintainers + tuple(own_maintainers)

            raw = get("SharedTags")
            if raw is None or lines["SharedTags"] < first:
                shared = g_shared
            elif not careful or tags_ok(raw) is not None:
                shared = tuple(dict.fromkeys(raw.split(", ")))
                add_tag_list(raw)
            else:
                shared = tuple(dict.fromkeys(self._parse_tags(raw, lines["SharedTags"], tags)))

            raw = get("Architectures")
            if raw is None or lines["Architectures"] < first:
                arches = g_arches
            else:
                arches = arch_cache.get(raw) or self._architectures(
                    raw, lines["Architectures"], tags
                )

            raw = get("Constraints")
            if raw is None or lines["Constraints"] < first:
                constraints = g_constraints
            else:  # appended to the global ones, as the Go decoder does
                constraints = g_constraints + tuple(_split_list(raw))
            raw = get("Directory")
            if raw is None or lines["Directory"] < first:
                directory = g_directory
            elif raw and raw[0] != "." and raw[-1] != "/" and "/." not in raw and "//" not in raw:
                directory = raw  # already clean
            else:
                directory = go_path_clean(raw)
            arch_values = g_arch_values
            if flags & _DASHED:
                own_arch_values = self._arch_fields(fields, lines, arch_values, first)
                if own_arch_values is not None:
                    arch_values = own_arch_values

            if careful:
                self._check_entry_tags(tags, shared, lines, first, tag_holder, shared_holder)
            add_tags(tags)
            tag_count += len(tags)
            if shared:
                add_shared(shared)

            builder = get("Builder", g_builder)
            file = get("File", g_file)
            # SameBuildArtifacts: entries are indexed by Directory first, the full
            # comparison only happens when a Directory comes again.
            index = by_directory.get(directory)
            entry = new(cls)  # Entry(...) without the frozen __init__'s object.__setattr__
            s0(entry, tags)
            s1(entry, shared)
            s2(entry, arches)
            s3(entry, maintainers)
            s4(entry, git_repo)
            s5(entry, git_fetch)
            s6(entry, git_commit)
            s7(entry, directory)
            s8(entry, file)
            s9(entry, builder)
            s10(entry, constraints)
            s11(entry, arch_values)
            s12(entry, fields)
            s13(entry, first)
            s14(entry, lines)
            if index is None:
                by_directory[directory] = len(entries)
                entries.append(entry)
            else:
                self._add_or_merge(index, entry)

        if not careful and (
            (tag_lists and _TAGS_BULK_RE.fullmatch("\n".join(tag_lists)) is None)
            or len(all_tags) != tag_count
            or not all_tags.isdisjoint(all_shared)
        ):
            raise ManifestError("", self.path, 0)

    def _add_or_merge(self, index: int, entry: Entry) -> None:
        """Merge ``entry`` into an earlier one with the same build artifacts, else add it."""
        entries = self.entries
        by_artifacts = self.by_artifacts
        by_artifacts.setdefault(_artifacts(entries[index]), index)
        key = _artifacts(entry)
        earlier = by_artifacts.get(key)
        if earlier is None:
            by_artifacts[key] = len(entries)
            entries.append(entry)
        else:
            existing = entries[earlier]
            entries[earlier] = replace(
                existing,
                tags=existing.tags + entry.tags,
                shared_tags=tuple(dict.fromkeys(existing.shared_tags + entry.shared_tags)),
            )

    def _check_entry_tags(
        self,
        tags: tuple[str, ...],
        shared: tuple[str, ...],
        lines: dict[str, int],
        first: int,
        tag_holder: dict[str, tuple[int, str]],
        shared_holder: dict[str, tuple[int, str]],
    ) -> None:
        """bashbrew's per-entry duplicate / conflict checks (``AddEntry``), in its order.

        ``tag_holder`` and ``shared_holder`` map the tags and shared tags of the
        entries so far to the paragraph (entry) that brought them; this entry's
        tags are added once it passes.
        """
        fail = self._fail
        label = f"Tags {_tags_str(tags)}"
        tags_line = lines["Tags"]

        def where(holder: tuple[int, str]) -> str:
            return f"entry at line {holder[0]}: Tags {holder[1]}"

        seen: set[str] = set()
        for tag in tags:
            if tag in tag_holder:
                raise fail(
                    f"{label} includes duplicate tag {_quote(tag)}"
                    f" (already in {where(tag_holder[tag])})",
                    tags_line,
                )
            if tag in shared_holder:
                raise fail(
                    f"{label} includes tag {_quote(tag)} conflicting with a shared tag"
                    f" (SharedTags of {where(shared_holder[tag])})",
                    tags_line,
                )
            if tag in seen:
                raise fail(
                    f"{label} includes duplicate tag {_quote(tag)} (listed twice in Tags)",
                    tags_line,
                )
            seen.add(tag)
        shared_line = self._git_line("SharedTags", lines, first)
        for tag in shared:
            if tag in tag_holder:
                raise fail(
                    f"{label} includes shared tag {_quote(tag)} conflicting with a tag"
                    f" (Tags of {where(tag_holder[tag])})",
                    shared_line,
                )
            if tag in seen:
                raise fail(
                    f"{label} includes duplicate tag {_quote(tag)} (in both Tags and SharedTags)",
                    shared_line,
                )
        holder = (first, _tags_str(tags))  # the paragraph, before any merge
        for tag in tags:
            tag_holder[tag] = holder
        for tag in shared:
            shared_holder.setdefault(tag, holder)


def _artifacts(entry: Entry) -> tuple[object, ...]:
    """What bashbrew's ``SameBuildArtifacts`` compares (plus Builder, as bashbrew now does)."""
    return (
        entry.architectures,
        entry.git_repo,
        entry.git_fetch,
        entry.git_commit,
        entry.directory,
        entry.file,
        ", ".join(entry.constraints),
        entry.builder,
        tuple(sorted(entry.arch_values.items())),
    )


def parse_manifest(data: str | bytes, path: str = "<string>") -> Manifest:
    """Parse a manifest's text (or its bytes, which must be UTF-8).

    A leading byte-order mark is dropped and CRLF line endings are accepted.
    Raises :class:`ManifestError` (with ``path`` and ``line``) for anything
    bashbrew rejects, and for the extra problems listed in the module doc.
    """
    return _parse(data, path)


def _parse(data: str | bytes, path: str, fast: bool = True) -> Manifest:
    """:func:`parse_manifest`; ``fast=False`` skips the optimistic pass (for tests)."""
    text = _decode(data, path) if isinstance(data, bytes) else data
    if text[:1] == "\ufeff":
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    paragraphs = _paragraphs(text, path)
    if not paragraphs:
        raise ManifestError(
            "manifest is empty (expected a global paragraph with Maintainers, then entries)",
            path,
            1,
        )
    parser = _Parser(path)
    parser.parse_global(*paragraphs[0])
    parser.add_entries(paragraphs[1:], fast)
    return Manifest(path, parser.global_entry, parser.entries)


def load_manifest(path: str | os.PathLike[str]) -> Manifest:
    """Read and parse the manifest file at ``path`` (recorded as ``str(path)``)."""
    name = str(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise ManifestError(f"cannot read manifest: {exc.strerror or exc}", name) from None
    return parse_manifest(data, name)
