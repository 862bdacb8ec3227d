"""The official-images manifest parser and data model, bashbrew-exact.

Reads the RFC 2822-style ``library/<image>`` files the way docker-library's
bashbrew does (``manifest/rfc2822.go`` at d662ff0, on top of
``pault.ag/go/debian/control`` v0.19.0 and bashbrew's ``pkg/stripper``):

* the text is read as bytes: bytes that are not UTF-8 are kept, one character
  each (shown as U+FFFD), and a byte-order mark is part of the first line;
* lines whose first non-space character is ``#`` are dropped before anything
  else (so a comment never ends a paragraph);
* a file that then starts with ``-----BEGIN PGP `` is a clear-signed message:
  the armour is stripped (:mod:`~sphinx_official_images.model.clearsign`) and
  the signature is not checked, as bashbrew passes no keyring;
* paragraphs are separated by empty lines (``""`` or a lone ``"\\r"``: a line
  holding only spaces is a continuation line, as in the Go reader);
* ``Key: value`` lines; continuation lines start with a space or a tab, lose
  that first character and trailing blanks (`` .`` is an empty line) and are
  joined with ``"\\n"``, also in single-value fields; a field given twice keeps
  its last value; a continuation line with no field before it is ignored;
* the first paragraph holds the global defaults; every entry starts as a copy
  of it.  ``Maintainers`` and ``Constraints`` are *appended* to the inherited
  lists (the Go decoder appends to slices), while ``SharedTags`` and
  ``Architectures`` *replace* the inherited value;
* entries that would build the same artifacts are merged.

Every error bashbrew raises is raised here, in bashbrew's order and wording,
as :class:`ManifestError` with the file and the 1-based line of the offending
field; nothing else is an error.  What bashbrew accepts without a word but a
maintainer wants to hear about is a :class:`ManifestWarning` on
:attr:`Manifest.warnings`.  :mod:`~sphinx_official_images.model.rules` holds
the table of both.

Time is linear in the input: no backtracking pattern runs on user data,
continuation lines are collected and joined once, merged entries collect their
tags in lists.  The module has no Sphinx import and is tuned for speed
(``benchmarks/parse.py`` compares it with python-debian's ``Deb822``): one
pass over the lines, an optimistic entry pass that checks tags for the whole
file at once (with a careful pass, in bashbrew's order, to report errors; both
take their rules from the one table), and entries built without the frozen
dataclass ``__init__``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final, NamedTuple

from sphinx_official_images.model.architectures import DEFAULT_ARCHITECTURE, SUPPORTED_ARCHITECTURES
from sphinx_official_images.model.clearsign import decode_clearsigned, looks_signed
from sphinx_official_images.model.errors import ManifestError, ManifestWarning
from sphinx_official_images.model.rules import (
    ARCH_SUFFIXES,
    DECODER_FIELDS,
    KNOWN_FIELDS,
    MAINTAINERS_FORMAT,
    ONE_LINE_FIELDS,
    TAG_PATTERN,
    arch_field_kind,
    go_escape,
    go_quote,
    message,
    suggest_arch,
    suggest_field,
    valid_git_commit,
    valid_git_fetch,
    valid_maintainer,
    valid_tag,
)

__all__ = [
    "DEFAULT_DIRECTORY",
    "DEFAULT_FILE",
    "DEFAULT_GIT_FETCH",
    "MAINTAINERS_FORMAT",
    "Entry",
    "Manifest",
    "ManifestError",
    "ManifestWarning",
    "SharedTagGroup",
    "go_path_clean",
    "load_manifest",
    "parse_manifest",
]

DEFAULT_GIT_FETCH: Final = "refs/heads/master"
DEFAULT_DIRECTORY: Final = "."
DEFAULT_FILE: Final = "Dockerfile"

# The usual spelling of a list, "a, b, c": validated and split in one go.  The
# tag grammar is the rules table's; "," and " " are not tag characters, so the
# pattern is unambiguous and runs in linear time.
_TAGS_CANON_RE: Final = re.compile(rf"{TAG_PATTERN}(?:, {TAG_PATTERN})*")
_TAGS_BULK_RE: Final = re.compile(
    rf"{TAG_PATTERN}(?:, {TAG_PATTERN})*(?:\n{TAG_PATTERN}(?:, {TAG_PATTERN})*)*"
)
_SURROGATES: Final = re.compile("[\udc80-\udcff]+")

# Go's unicode.IsSpace (Python's str.isspace also counts \x1c-\x1f).
_GO_SPACE: Final = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
# The ``strip:"\n\r\t "`` tag of bashbrew's list fields.
_LIST_STRIP: Final = "\n\r\t "
_EMPTY: Final[tuple[str, ...]] = ()
_SUPPORTED: Final = SUPPORTED_ARCHITECTURES
# warnings of one kind repeated on many lines are reported for the first few lines
_MAX_REPEATS: Final = 10


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


class Entry(NamedTuple):
    """One manifest entry (or the global defaults) with inheritance applied.

    An immutable record, a named tuple rather than a frozen dataclass: a
    manifest has thousands of entries, and a tuple is built in a third of the
    time a frozen dataclass's instance dictionary takes (see ``_entries``).
    """

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

    def has_architecture(self, arch: str) -> bool:
        return arch in self.architectures


@dataclass(frozen=True, slots=True)
class SharedTagGroup:
    """Shared tags that point at the same list of entries (bashbrew ``SharedTagGroup``)."""

    shared_tags: tuple[str, ...]
    entries: tuple[Entry, ...]


class Manifest:
    """A parsed manifest: the global defaults and the (merged) entries in file order."""

    __slots__ = ("_tag_index", "entries", "global_entry", "path", "warnings")

    path: str
    global_entry: Entry
    entries: tuple[Entry, ...]
    #: what bashbrew accepts but a maintainer wants to hear about, by line
    warnings: tuple[ManifestWarning, ...]

    def __init__(
        self,
        path: str,
        global_entry: Entry,
        entries: Iterable[Entry],
        warnings: Iterable[ManifestWarning] = (),
    ) -> None:
        self.path = path
        self.global_entry = global_entry
        self.entries = tuple(entries)
        self.warnings = tuple(warnings)
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
        return Manifest(
            self.path, self.global_entry, self.entries_for_architecture(arch), self.warnings
        )


# -- construction ------------------------------------------------------------

# ``Entry(...)`` without the generated ``__new__``'s call: the values in field order
_new_entry = tuple.__new__


def _make_entry(*values: Any) -> Entry:
    """``Entry(*values)``, positional, in field order."""
    entry: Entry = _new_entry(Entry, values)
    return entry


def _retagged(entry: Entry, tags: tuple[str, ...], shared_tags: tuple[str, ...]) -> Entry:
    """The entry with the tags (and shared tags) of every entry merged into it."""
    return entry._replace(tags=tags, shared_tags=shared_tags)


def _coded(error: ManifestError, code: str) -> ManifestError:
    """``error`` with the code of its rule (:data:`~sphinx_official_images.model.rules.RULES`)."""
    error.code = code
    return error


class _Warnings(list[ManifestWarning]):
    """The warnings of one parse, at most :data:`_MAX_REPEATS` of each kind.

    A crafted file can repeat a problem on every line: past the limit, one
    last warning says that more were left out, and no further message (or
    "did you mean" search) is made, so warnings cost linear time at most.
    """

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        self.counts: dict[str, int] = {}

    def room(self, code: str) -> bool:
        return self.counts.get(code, 0) < _MAX_REPEATS

    def add(self, code: str, line: int, **values: str) -> None:
        count = self.counts.get(code, 0)
        if count > _MAX_REPEATS:
            return
        self.counts[code] = count + 1
        if count == _MAX_REPEATS:
            text = message("more-warnings", kind=code, count=str(_MAX_REPEATS))
            self.append(ManifestWarning(self.path, line, "more-warnings", text))
            return
        self.append(ManifestWarning(self.path, line, code, message(code, **values)))

    def mark(self) -> tuple[int, dict[str, int]]:
        return len(self), dict(self.counts)

    def reset(self, mark: tuple[int, dict[str, int]]) -> None:
        del self[mark[0] :]
        self.counts = mark[1]


class _Retry(Exception):
    """The optimistic pass met something unusual: the careful pass decides."""


# -- reading the text as bashbrew reads it ------------------------------------------


def _decode(data: bytes, warnings: _Warnings) -> str:
    """UTF-8 text; undecodable bytes stay one character each (U+FFFD), with a warning.

    Go strings are bytes: bashbrew never decodes, and its patterns see each
    invalid byte as one U+FFFD rune, which is exactly what this gives.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", "surrogateescape")
    lineno = 1
    pos = 0
    last = 0
    for match in _SURROGATES.finditer(text):
        lineno += text.count("\n", pos, match.start())
        pos = match.start()
        if lineno == last:
            continue
        last = lineno
        if not warnings.room("non-utf8"):
            warnings.add("non-utf8", lineno)
            break
        raw = match.group().encode("utf-8", "surrogateescape")
        shown = "".join(f"\\x{byte:02x}" for byte in raw[:8]) + ("..." if len(raw) > 8 else "")
        warnings.add("non-utf8", lineno, bytes=shown)
    return _SURROGATES.sub(lambda m: "\ufffd" * len(m.group()), text)


def _is_comment(line: str) -> bool:
    """bashbrew's comment stripper: ``#`` after any leading ``unicode.IsSpace``."""
    return line.lstrip(_GO_SPACE)[:1] == "#"


def _starts_signed(text: str) -> bool:
    """Whether the first line that is not a comment starts the PGP armour.

    Reads only the leading comment lines, not the whole text.
    """
    pos = 0
    while True:
        end = text.find("\n", pos)
        line = text[pos:] if end < 0 else text[pos:end]
        if not _is_comment(line):
            return looks_signed(line)
        if end < 0:
            return False
        pos = end + 1


def _unsign(text: str, warnings: _Warnings) -> str | None:
    """The text of a clear-signed manifest as the paragraph reader sees it, or None.

    The comment stripper runs first, on the signed file; the signed body then
    takes the place of its own lines, every other line becomes a ``#`` line (the
    control reader skips those), so line numbers stay those of the file.
    """
    pieces = text.split("\n")
    start = 0
    while start < len(pieces) and _is_comment(pieces[start]):
        start += 1
    if start == len(pieces) or not looks_signed(pieces[start]):
        return None
    last = len(pieces) - 1
    kept = [i for i, piece in enumerate(pieces) if not _is_comment(piece)]
    stripped = "".join(pieces[i] + ("\n" if i < last else "") for i in kept)
    signed = decode_clearsigned(stripped)
    if signed is None:
        error = ManifestError(message("invalid-clearsigned"), warnings.path, start + 1)
        raise _coded(error, "invalid-clearsigned")
    warnings.add("signed", start + 1)
    lines = ["#"] * len(pieces)
    body = signed.lines
    final = len(body) - 1
    for index, line in enumerate(body):
        # the signed text joins its lines with CRLF and has no final line end
        lines[kept[signed.first_line + index]] = line + ("\r" if index < final else "")
    return "\n".join(lines)


# (first field line, values, lines): the paragraph's own fields as the Go
# reader leaves them (the last value of a repeated field, continuations joined)
_Paragraph = tuple[int, dict[str, str], dict[str, int]]

# Lines starting with one of these take the slow path: comments, continuation
# lines, other whitespace, a lone CR, and a missing field name.
_SPECIAL_START: Final = "#:" + _GO_SPACE


def _joined(value: str, parts: list[str]) -> str:
    """parse.go's continuation rule, applied once for all the lines of a field."""
    return (value + "\n" if value else "") + "\n".join(parts) + "\n"


def _paragraphs(text: str, warnings: _Warnings, hash_only: bool = False) -> list[_Paragraph]:
    """Split into paragraphs of raw values, as ``ParagraphReader.Next`` does.

    ``hash_only``: only lines starting with ``#`` are comments (the reader's own
    rule, for a signed body; bashbrew's stripper already ran on the file).
    """
    path = warnings.path
    result: list[_Paragraph] = []
    values: dict[str, str] = {}
    lines: dict[str, int] = {}
    first = 0  # line of the paragraph's first field; 0 while there is none
    last = ""  # the field continuation lines continue
    parts: list[str] | None = None  # its continuation lines so far
    orphan = -1  # line of the last continuation line that had no field
    special = _SPECIAL_START
    go_space = _GO_SPACE
    # Python's default strip() is Go's TrimSpace plus \x1c-\x1f, and faster
    # than naming the characters: use it when those four are absent.
    space: str | None = None
    if "\x1c" in text or "\x1d" in text or "\x1e" in text or "\x1f" in text:
        space = _GO_SPACE
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line:  # an empty line (and "\r\n" below)
            if first:
                if parts is not None:
                    _flush(values, lines, last, parts, warnings)
                    parts = None
                result.append((first, values, lines))
                values = {}
                lines = {}
                first = 0
            continue
        if line[0] in special:
            head = line[0]
            if line == "\r":
                if first:
                    if parts is not None:
                        _flush(values, lines, last, parts, warnings)
                        parts = None
                    result.append((first, values, lines))
                    values = {}
                    lines = {}
                    first = 0
                continue
            if head == "#" or (not hash_only and "#" in line and line.lstrip(go_space)[:1] == "#"):
                continue  # a comment
            if head == " " or head == "\t":
                cont = line[1:].rstrip(go_space)
                if cont == ".":
                    cont = ""
                if not first:
                    if orphan != lineno - 1:
                        warnings.add("orphan-continuation", lineno)
                    orphan = lineno
                elif parts is None:
                    parts = [cont]
                    last = next(reversed(values))  # the field of the last "Name:" line
                else:
                    parts.append(cont)
                continue
            stripped = line.lstrip(space)  # Go's TrimSpace on the field name
            if not stripped:
                raise _coded(ManifestError(_bad_line(line), path, lineno), "bad-line")
            line = stripped
        name, sep, value = line.partition(":")
        if not sep:
            raise _coded(ManifestError(_bad_line(line), path, lineno), "bad-line")
        name = name.rstrip(space)
        if parts is not None:
            _flush(values, lines, last, parts, warnings)
            parts = None
        if name in values:
            warnings.add("duplicate-field", lineno, name=go_quote(name), first=str(lines[name]))
            del values[name], lines[name]  # the last one given is the last in order
        values[name] = value.strip(space)
        lines[name] = lineno
        if not first:
            first = lineno
    if first:
        if parts is not None:
            _flush(values, lines, last, parts, warnings)
        result.append((first, values, lines))
    return result


def _bad_line(line: str) -> str:
    """parse.go's message for a line without ``:`` (its CRLF's CR dropped, escaped)."""
    shown = line[:-1] if line.endswith("\r") else line
    return message("bad-line", line=go_escape(shown))


def _flush(
    values: dict[str, str],
    lines: dict[str, int],
    name: str,
    parts: list[str],
    warnings: _Warnings,
) -> None:
    """Join the continuation lines of field ``name`` into its value, once."""
    value = _joined(values[name], parts)
    values[name] = value
    if name in ONE_LINE_FIELDS or name.endswith(ARCH_SUFFIXES):
        warnings.add("continued-value", lines[name], name=name, value=go_quote(value))


# -- building entries ------------------------------------------------------------


def _tags_str(tags: Iterable[str]) -> str:
    return go_quote(", ".join(tags))


class _Parser:
    """Builds entries paragraph by paragraph, with bashbrew's checks."""

    __slots__ = (
        "arch_cache",
        "entries",
        "g_arch_values",
        "g_lines",
        "global_entry",
        "global_values",
        "merges",
        "path",
        "valid_commits",
        "valid_fetches",
        "valid_maintainers",
        "warnings",
    )

    def __init__(self, path: str) -> None:
        self.path = path
        self.entries: list[Entry] = []
        # merged entries: index -> (tags, shared tags) collected so far
        self.merges: dict[int, tuple[list[str], dict[str, None]]] = {}
        # per-parse memos of pure checks (values repeat a lot within a file)
        self.arch_cache: dict[str, tuple[str, ...]] = {}
        self.valid_commits: set[str] = set()
        self.valid_fetches: set[str] = set()
        self.valid_maintainers: set[str] = set()
        self.warnings = _Warnings(path)

    def _fail(self, code: str, line: int, **values: str) -> ManifestError:
        return _coded(ManifestError(message(code, **values), self.path, line), code)

    def _warn(self, code: str, line: int, **values: str) -> None:
        self.warnings.add(code, line, **values)

    # -- field checks ----------------------------------------------------------

    def _check_maintainers(self, maintainers: list[str], line: int) -> None:
        """The decoder's ``UnmarshalControl``: the first invalid maintainer fails."""
        for maintainer in maintainers:
            if not valid_maintainer(maintainer):
                raise self._fail(
                    "invalid-maintainers",
                    line,
                    value=go_quote(maintainer),
                    format=go_quote(MAINTAINERS_FORMAT),
                )

    def _unusual(
        self, values: dict[str, str], lines: dict[str, int], first: int
    ) -> tuple[dict[str, str] | None, int]:
        """The fields that are not among bashbrew's plain ones, in the decoder's order.

        Raises for ``Values`` and ``Paragraph`` (the decoder reaches those before
        Maintainers); returns the paragraph's own ``ARCH-Field`` values (raw,
        empty ones included) and the line of an ``ArchValues`` field (an error
        the caller raises after checking Maintainers), else 0.  Warns about
        everything else that bashbrew ignores.
        """
        if "Values" in values:
            raise self._fail("decoder-field-map", lines["Values"])
        if "Paragraph" in values:
            raise self._fail("decoder-field-paragraph", lines["Paragraph"])
        own: dict[str, str] | None = None
        room = self.warnings.room
        warn = self._warn
        for name, value in values.items():
            if name in KNOWN_FIELDS:
                continue
            line = lines[name]
            parts = arch_field_kind(name)
            if parts is not None:
                if own is None:
                    own = {}
                own[name] = value
                arch, kind = parts
                if arch in _SUPPORTED:
                    pass
                elif not room("unknown-arch-prefix"):
                    warn("unknown-arch-prefix", line)  # counted, past the limit
                else:
                    guess = suggest_arch(arch)
                    hint = f" (did you mean {go_quote(guess + '-' + kind)}?)" if guess else ""
                    warn(
                        "unknown-arch-prefix",
                        line,
                        name=go_quote(name),
                        arch=go_quote(arch),
                        hint=hint,
                    )
                if not value or kind not in ("GitFetch", "GitCommit"):
                    continue
                if kind == "GitFetch" and not valid_git_fetch(value):
                    expected = 'must be "refs/heads/..." or "refs/tags/..."'
                elif kind == "GitCommit" and not valid_git_commit(value):
                    expected = "must be a commit: 40 or 64 lowercase hex digits"
                else:
                    continue
                if room("invalid-arch-value"):
                    warn(
                        "invalid-arch-value",
                        line,
                        name=name,
                        value=go_quote(value),
                        kind=kind,
                        expected=expected,
                    )
                else:
                    warn("invalid-arch-value", line)
            elif name == "ArchValues":
                continue  # the caller raises it, after Maintainers
            elif not name:
                warn("empty-field-name", line)
            elif not room("unknown-field"):
                warn("unknown-field", line)
            else:
                guess = None if name in DECODER_FIELDS else suggest_field(name)
                hint = f" (did you mean {go_quote(guess)}?)" if guess else ""
                warn("unknown-field", line, name=go_quote(name), hint=hint)
        return own, lines.get("ArchValues", 0)

    def _architectures(self, raw: str) -> tuple[tuple[str, ...], list[str]]:
        """De-duplicated, sorted architectures and the unknown ones among them."""
        arches = self.arch_cache.get(raw)
        if arches is not None:
            return arches, []
        parts = raw.split(", ")  # the usual spelling; known names hold no "," or space
        if _SUPPORTED.issuperset(parts):
            arches = self.arch_cache[raw] = tuple(sorted(set(parts)))
            return arches, []
        arches = tuple(sorted(set(_split_list(raw))))
        invalid = [a for a in arches if a not in _SUPPORTED]
        if not invalid:
            self.arch_cache[raw] = arches
        return arches, invalid

    @staticmethod
    def _arch_values(own: dict[str, str] | None, inherited: Mapping[str, str]) -> Mapping[str, str]:
        """``ArchValues`` after ``SeedArchValues`` and ``CleanDirectoryValues``,
        without empty values (which every accessor and comparison ignores)."""
        if not own:
            return inherited
        merged = dict(inherited)
        for name, value in own.items():
            if not value:
                merged.pop(name, None)  # an empty value cancels an inherited one
            elif name.endswith("-Directory"):
                merged[name] = go_path_clean(value)
            else:
                merged[name] = value
        return merged

    # -- the global paragraph -----------------------------------------------------

    def parse_global(self, first: int, own: dict[str, str], lines: dict[str, int]) -> None:
        """The first paragraph, checked as ``Parse2822`` checks it."""
        arch_own: dict[str, str] | None = None
        arch_values_line = 0
        if not own.keys() <= KNOWN_FIELDS:
            arch_own, arch_values_line = self._unusual(own, lines, first)
        raw = own.get("Maintainers")
        maintainers = _EMPTY
        if raw is not None:
            maintainer_list = _split_list(raw)
            self._check_maintainers(maintainer_list, lines["Maintainers"])
            maintainers = tuple(maintainer_list)
        if arch_values_line:
            raise self._fail("decoder-field-map", arch_values_line)
        if raw is None:
            error = self._fail("missing-maintainers", first)
            if any(name.startswith("\ufeff") for name in own):
                error.message += (
                    " (the file starts with a UTF-8 byte-order mark, which bashbrew reads"
                    " as part of the first field's name)"
                )
                error.args = (error.message,)
            raise error
        if "Tags" in own:
            raise self._fail("global-tags", lines["Tags"])
        arches: tuple[str, ...] = (DEFAULT_ARCHITECTURE,)
        raw = own.get("Architectures")
        if raw is not None:
            arches, invalid = self._architectures(raw)
            if invalid:
                raise self._fail(
                    "invalid-global-architectures",
                    lines["Architectures"],
                    value=go_quote(", ".join(invalid)),
                )
        raw = own.get("SharedTags")
        shared: tuple[str, ...] = _EMPTY
        if raw is not None:
            shared = tuple(dict.fromkeys(_split_list(raw)))
        raw = own.get("Constraints")
        arch_values = self._arch_values(arch_own, {})
        self.global_values = own
        self.g_lines = lines
        self.g_arch_values = arch_values
        self.global_entry = _make_entry(
            _EMPTY,
            shared,
            arches,
            maintainers,
            own.get("GitRepo", ""),
            own.get("GitFetch", DEFAULT_GIT_FETCH),
            own.get("GitCommit", ""),
            own.get("Directory", DEFAULT_DIRECTORY),
            own.get("File", DEFAULT_FILE),
            own.get("Builder", ""),
            _EMPTY if raw is None else tuple(_split_list(raw)),
            arch_values,
            own,
            first,
            lines,
        )

    def warn_uninherited(self, paragraphs: list[_Paragraph]) -> None:
        """Invalid global values no entry inherits: bashbrew accepts them, we warn.

        (An entry that inherits one has failed already: bashbrew checks the
        entries' values.)  Looked at only when a global value is invalid.
        """
        g = self.global_entry
        values = self.global_values
        lines = self.g_lines

        def inherited(name: str) -> bool:
            return any(name not in fields for _, fields, _ in paragraphs)

        if "SharedTags" in values:
            invalid = [tag for tag in g.shared_tags if not valid_tag(tag)]
            if invalid and not inherited("SharedTags"):
                self._warn(
                    "uninherited-invalid",
                    lines["SharedTags"],
                    name="SharedTags",
                    value=go_quote(", ".join(invalid)),
                    expected="tags match ^\\w[\\w.-]{0,127}$",
                )
        if "GitFetch" in values and not valid_git_fetch(g.git_fetch) and not inherited("GitFetch"):
            self._warn(
                "uninherited-invalid",
                lines["GitFetch"],
                name="GitFetch",
                value=go_quote(g.git_fetch),
                expected='must be "refs/heads/..." or "refs/tags/..."',
            )
        if (
            "GitCommit" in values
            and not valid_git_commit(g.git_commit)
            and not inherited("GitCommit")
        ):
            self._warn(
                "uninherited-invalid",
                lines["GitCommit"],
                name="GitCommit",
                value=go_quote(g.git_commit),
                expected="must be a commit: 40 or 64 lowercase hex digits",
            )

    # -- entries -------------------------------------------------------------------

    def add_entries(self, paragraphs: list[_Paragraph], fast: bool = True) -> None:
        """bashbrew's entry loop and ``AddEntry`` for every paragraph after the first.

        Optimistic first: the fast pass assumes every Tags/SharedTags value is
        spelled ``a, b, c`` and checks the tag grammar and bashbrew's duplicate
        and conflict rules once, for the whole file, at the end; anything else
        unusual stops it too.  Then the careful pass runs over the entries
        again, checks each entry in bashbrew's order and raises the first error
        (``fast=False`` goes straight to it).  Both give the same manifest,
        from the same rules.
        """
        mark = self.warnings.mark()
        if fast:
            try:
                self._entries(paragraphs, careful=False)
            except _Retry:
                self.warnings.reset(mark)
            else:
                self._finish(paragraphs)
                return
        self._entries(paragraphs, careful=True)
        self._finish(paragraphs)

    def _finish(self, paragraphs: list[_Paragraph]) -> None:
        entries = self.entries
        for index, (tags, shared) in self.merges.items():
            entries[index] = _retagged(entries[index], tuple(tags), tuple(shared))
        self.warn_uninherited(paragraphs)

    def _entries(self, paragraphs: list[_Paragraph], careful: bool) -> None:
        """One flat loop with everything hoisted into locals: this is the hot path.

        Not ``careful``: raises :class:`_Retry` on the first rule that fails, or
        at the end when a Tags/SharedTags value is not ``a, b, c`` with valid
        tags, or a tag is listed twice or is also a shared tag anywhere in the
        file (taken together, bashbrew's per-entry checks forbid exactly that).
        """
        g = self.global_entry
        g_repo = g.git_repo
        g_fetch = g.git_fetch
        g_commit = g.git_commit
        g_arches = g.architectures
        g_shared = g.shared_tags
        g_directory = go_path_clean(g.directory)
        g_file = g.file
        g_builder = g.builder
        g_constraints = g.constraints
        g_maintainers = g.maintainers
        g_arch_values = self.g_arch_values
        if any(name.endswith("-Directory") for name in g_arch_values):
            g_arch_values = self._arch_values(dict(g_arch_values), {})
        g_shared_ok = all(map(valid_tag, g_shared))
        all_known = KNOWN_FIELDS.issuperset
        reject = self._reject if careful else _retry
        tags_ok = _TAGS_CANON_RE.fullmatch
        valid_fetches = self.valid_fetches
        valid_commits = self.valid_commits
        arch_cache = self.arch_cache
        architectures = self._architectures
        entries: list[Entry] = []
        self.entries = entries
        self.merges = {}
        by_directory: dict[str, int] = {}
        by_artifacts: dict[tuple[object, ...], int] = {}
        # careful pass: tag -> index of the entry holding it
        tag_holder: dict[str, int] = {}
        shared_holder: dict[str, int] = {}
        new = _new_entry
        cls = Entry
        # for the whole-file checks of the optimistic pass
        # the raw Tags and SharedTags values, checked together at the end
        tag_lists: list[str] = []
        add_tag_list = tag_lists.append
        all_tags: list[str] = []  # every entry's tags, for the duplicate check
        add_tags = all_tags.extend
        shared_lists: list[str] = []
        add_shared_list = shared_lists.append
        g_shared_str = ", ".join(g_shared)

        for first, fields, lines in paragraphs:
            get = fields.get
            arch_own: dict[str, str] | None = None
            arch_values_line = 0
            if not all_known(fields):
                if not careful and not fields.keys().isdisjoint(_DECODER_ERRORS):
                    raise _Retry
                arch_own, arch_values_line = self._unusual(fields, lines, first)

            raw = get("Maintainers")
            if raw is None:
                maintainers = g_maintainers
            else:  # appended to the global ones, as the Go decoder does
                maintainers = g_maintainers + self._own_maintainers(raw, lines, careful)
            if arch_values_line:
                raise self._fail("decoder-field-map", arch_values_line)

            raw_tags: str | None = get("Tags")
            if raw_tags is None:
                tags: tuple[str, ...] = _EMPTY
            elif not careful or tags_ok(raw_tags) is not None:  # the usual "a, b, c"
                tags = tuple(raw_tags.split(", "))
                add_tag_list(raw_tags)
                add_tags(tags)
            else:
                tags = tuple(_split_list(raw_tags))

            git_fetch: str = get("GitFetch", g_fetch)
            if git_fetch not in valid_fetches:
                if not valid_git_fetch(git_fetch):
                    raise reject("invalid-git-fetch", "GitFetch", lines, first, tags, git_fetch)
                valid_fetches.add(git_fetch)
            git_commit: str = get("GitCommit", g_commit)
            if git_commit not in valid_commits:
                if not valid_git_commit(git_commit):
                    raise reject("invalid-git-commit", "GitCommit", lines, first, tags, git_commit)
                valid_commits.add(git_commit)
            if raw_tags is None:
                raise reject("missing-tags", "", lines, first)
            git_repo: str = get("GitRepo", g_repo)
            if not git_repo:
                raise reject("missing-git", "GitRepo", lines, first, tags)

            raw = get("SharedTags")
            if raw is None:
                shared = g_shared
                if g_shared:
                    if not g_shared_ok and not careful:
                        raise _Retry
                    add_shared_list(g_shared_str)
            elif not careful or tags_ok(raw) is not None:
                shared = tuple(dict.fromkeys(raw.split(", ")))
                add_shared_list(raw)
            else:
                shared = tuple(dict.fromkeys(_split_list(raw)))
            if careful and not _all_valid_tags(tags + shared):
                self._check_tags(tags, shared, lines, first)

            raw = get("Architectures")
            if raw is None:
                arches = g_arches
            else:
                arches = arch_cache.get(raw) or ()
                if not arches:
                    arches, invalid = architectures(raw)
                    if invalid:
                        value = ", ".join(invalid)
                        raise reject(
                            "invalid-architectures", "Architectures", lines, 0, tags, value
                        )

            raw = get("Constraints")  # appended to the global ones, as the Go decoder does
            constraints = g_constraints if raw is None else g_constraints + tuple(_split_list(raw))
            directory: str = get("Directory", g_directory)
            if directory is not g_directory and (
                # go_path_clean's test for a path that is already clean, inline
                not directory
                or directory[0] == "."
                or directory[-1] == "/"
                or "/." in directory
                or "//" in directory
            ):
                directory = go_path_clean(directory)
            arch_values = (
                g_arch_values if arch_own is None else self._arch_values(arch_own, g_arch_values)
            )

            if careful:
                self._check_entry_tags(tags, shared, lines, first, tag_holder, shared_holder)

            builder: str = get("Builder", g_builder)
            file: str = get("File", g_file)
            # fmt: off
            entry: Entry = new(cls, (  # Entry(...), in field order
                tags, shared, arches, maintainers, git_repo, git_fetch, git_commit,
                directory, file, builder, constraints, arch_values, fields, first, lines,
            ))
            # fmt: on
            # SameBuildArtifacts: entries are indexed by Directory first, the full
            # comparison only happens when a Directory comes again.
            index = by_directory.get(directory)
            if index is None:
                by_directory[directory] = len(entries)
                entries.append(entry)
            else:
                self._add_or_merge(index, entry, by_artifacts, tag_holder, shared_holder, careful)

        if not careful and not _file_tags_ok(tag_lists, all_tags, shared_lists):
            raise _Retry

    def _own_maintainers(self, raw: str, lines: dict[str, int], careful: bool) -> tuple[str, ...]:
        """An entry's own Maintainers, checked once per distinct maintainer."""
        own = _split_list(raw)
        valid = self.valid_maintainers
        if not valid.issuperset(own):
            if not careful and not all(map(valid_maintainer, own)):
                raise _Retry
            self._check_maintainers(own, lines["Maintainers"])
            valid.update(own)
        return tuple(own)

    def _reject(
        self,
        code: str,
        field: str,
        lines: dict[str, int],
        first: int,
        tags: tuple[str, ...] = (),
        value: str | None = None,
    ) -> ManifestError:
        """The careful pass's error for an entry: at ``field``'s line (the entry's
        own, else the global paragraph's, else the entry's first line)."""
        line = lines.get(field) or self.g_lines.get(field, first) if field else first
        values = {} if code == "missing-tags" else {"tags": _tags_str(tags)}
        if value is not None:
            values["value"] = go_quote(value)
        return self._fail(code, line, **values)

    def _check_tags(
        self, tags: tuple[str, ...], shared: tuple[str, ...], lines: dict[str, int], first: int
    ) -> None:
        """``invalid-tags`` for the first invalid tag or shared tag, if any."""
        invalid = [tag for tag in tags + shared if not valid_tag(tag)]
        if not invalid:
            return
        field = "Tags" if any(not valid_tag(t) for t in tags) else "SharedTags"
        raise self._reject("invalid-tags", field, lines, first, tags, ", ".join(invalid))

    def _add_or_merge(
        self,
        index: int,
        entry: Entry,
        by_artifacts: dict[tuple[object, ...], int],
        tag_holder: dict[str, int],
        shared_holder: dict[str, int],
        careful: bool,
    ) -> None:
        """Merge ``entry`` into the first one with the same build artifacts, else add it."""
        entries = self.entries
        by_artifacts.setdefault(_artifacts(entries[index]), index)
        key = _artifacts(entry)
        earlier = by_artifacts.get(key)
        if earlier is None:
            by_artifacts[key] = len(entries)
            entries.append(entry)
            return
        merged = self.merges.get(earlier)
        if merged is None:
            existing = entries[earlier]
            merged = (list(existing.tags), dict.fromkeys(existing.shared_tags))
            self.merges[earlier] = merged
        merged[0].extend(entry.tags)
        merged[1].update(dict.fromkeys(entry.shared_tags))
        if careful:  # the tags now belong to the merged entry
            for tag in entry.tags:
                tag_holder[tag] = earlier
            for tag in entry.shared_tags:
                if shared_holder[tag] > earlier:
                    shared_holder[tag] = earlier

    def _tags_of(self, index: int) -> str:
        """``TagsString()`` of an entry added so far, merges included."""
        merged = self.merges.get(index)
        return _tags_str(merged[0] if merged is not None else self.entries[index].tags)

    def _check_entry_tags(
        self,
        tags: tuple[str, ...],
        shared: tuple[str, ...],
        lines: dict[str, int],
        first: int,
        tag_holder: dict[str, int],
        shared_holder: dict[str, int],
    ) -> None:
        """bashbrew's per-entry duplicate / conflict checks (``AddEntry``), in its order.

        ``tag_holder`` and ``shared_holder`` map the tags and shared tags of the
        entries so far to the (first) entry holding them; this entry's tags are
        added once it passes.
        """
        index = len(self.entries)  # where the entry goes unless it is merged
        # (each test iterates over this entry's tags only: ``set.isdisjoint(dict)``
        # would walk the whole, growing, dict and make the pass quadratic)
        if (
            len(set(tags)) == len(tags)
            and not any(map(tag_holder.__contains__, tags))
            and not any(map(shared_holder.__contains__, tags))
            and not any(map(tag_holder.__contains__, shared))
            and set(tags).isdisjoint(shared)
        ):  # passes every check below: record it in bulk
            tag_holder.update(dict.fromkeys(tags, index))
            for tag in shared:
                shared_holder.setdefault(tag, index)
            return
        fail = self._fail
        label = _tags_str(tags)
        tags_line = lines["Tags"]
        seen: set[str] = set()
        for tag in tags:
            if tag in tag_holder:
                raise fail(
                    "duplicate-tag",
                    tags_line,
                    tags=label,
                    tag=go_quote(tag),
                    other=self._tags_of(tag_holder[tag]),
                )
            if tag in shared_holder:
                raise fail(
                    "tag-is-shared-tag",
                    tags_line,
                    tags=label,
                    tag=go_quote(tag),
                    other=self._tags_of(shared_holder[tag]),
                )
            if tag in seen:
                raise fail("repeated-tag", tags_line, tags=label, tag=go_quote(tag))
            seen.add(tag)
        shared_line = lines.get("SharedTags") or self.g_lines.get("SharedTags", first)
        for tag in shared:
            if tag in tag_holder:
                raise fail(
                    "shared-tag-is-tag",
                    shared_line,
                    tags=label,
                    tag=go_quote(tag),
                    other=self._tags_of(tag_holder[tag]),
                )
            if tag in seen:
                raise fail("shared-tag-in-tags", shared_line, tags=label, tag=go_quote(tag))
        # not reached: whatever passes the loops passed the bulk test above
        tag_holder.update(dict.fromkeys(tags, index))
        for tag in shared:
            shared_holder.setdefault(tag, index)


_TAG_LINES_RE: Final = re.compile(rf"{TAG_PATTERN}(?:\n{TAG_PATTERN})*")


def _all_valid_tags(tags: tuple[str, ...]) -> bool:
    """Every tag valid, in one match (a tag holding ``"\n"`` is caught by the count)."""
    if not tags:
        return True
    joined = "\n".join(tags)
    return joined.count("\n") == len(tags) - 1 and _TAG_LINES_RE.fullmatch(joined) is not None


def _retry(*args: object) -> _Retry:
    """The optimistic pass's answer to any entry error: let the careful pass decide."""
    return _Retry()


def _file_tags_ok(tag_lists: list[str], all_tags: list[str], shared_lists: list[str]) -> bool:
    """The optimistic pass's whole-file check of the Tags and SharedTags values.

    Taken together, bashbrew's per-entry checks forbid exactly this: a list
    not "a, b, c" of valid tags (one match for all; the count rules out a
    list holding "\n"), a tag given twice anywhere, a tag that is a shared
    tag anywhere.
    """
    if not tag_lists:
        return True
    joined = "\n".join(tag_lists)
    if joined.count("\n") != len(tag_lists) - 1 or _TAGS_BULK_RE.fullmatch(joined) is None:
        return False
    tag_set = set(all_tags)
    if len(tag_set) != len(all_tags):
        return False
    if not shared_lists:
        return True
    joined = "\n".join(shared_lists)
    return (
        joined.count("\n") == len(shared_lists) - 1
        and _TAGS_BULK_RE.fullmatch(joined) is not None
        and tag_set.isdisjoint(", ".join(shared_lists).split(", "))
    )


_DECODER_ERRORS: Final = frozenset({"Values", "ArchValues", "Paragraph"})


def _artifacts(entry: Entry) -> tuple[object, ...]:
    """What bashbrew's ``SameBuildArtifacts`` compares (Builder included, as bashbrew)."""
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
    """Parse a manifest's text (or its bytes, read as bashbrew reads them).

    Raises :class:`ManifestError` (with ``path`` and ``line``) for exactly what
    bashbrew rejects; everything else it accepts gives a :class:`Manifest`,
    with :attr:`Manifest.warnings` for what a maintainer should hear about.
    """
    return _parse(data, path)


def _parse(data: str | bytes, path: str, fast: bool = True) -> Manifest:
    """:func:`parse_manifest`; ``fast=False`` skips the optimistic pass (for tests)."""
    warnings = _Warnings(path)
    try:
        text = _decode(data, warnings) if isinstance(data, bytes) else data
        hash_only = False
        if _starts_signed(text):
            unsigned = _unsign(text, warnings)
            if unsigned is not None:
                text = unsigned
                hash_only = True
        paragraphs = _paragraphs(text, warnings, hash_only)
        if not paragraphs:
            raise _coded(
                ManifestError(
                    message("empty")
                    + " (the manifest is empty: expected a global paragraph with Maintainers,"
                    " then entries)",
                    path,
                    1,
                ),
                "empty",
            )
        parser = _Parser(path)
        parser.warnings = warnings
        parser.parse_global(*paragraphs[0])
        parser.add_entries(paragraphs[1:], fast)
    except ManifestError as exc:
        exc.warnings = tuple(sorted(warnings, key=_by_line))
        raise
    return Manifest(path, parser.global_entry, parser.entries, sorted(warnings, key=_by_line))


def _by_line(warning: ManifestWarning) -> int:
    return warning.line


def load_manifest(path: str | os.PathLike[str]) -> Manifest:
    """Read and parse the manifest file at ``path`` (recorded as ``str(path)``)."""
    name = str(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        error = ManifestError(f"cannot read manifest: {exc.strerror or exc}", name)
        raise _coded(error, "unreadable") from None
    return parse_manifest(data, name)
