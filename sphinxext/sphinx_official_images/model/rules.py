"""The one table of manifest rules: every bashbrew error and every extra warning.

Both passes of the parser (the optimistic one and the careful one, see
:mod:`sphinx_official_images.model.manifest`) take their predicates and their
messages from here, and ``docs/manifest-format.md`` documents exactly the rows
of :data:`RULES` (a test compares them), so a rule cannot drift between the two
passes or between the code and the docs.

Errors carry bashbrew's own wording (``manifest/rfc2822.go`` at d662ff0, and
``pault.ag/go/debian/control`` for the reader and decoder); warnings are what
bashbrew accepts silently but a maintainer wants to hear about.

The predicates here run on user data, so none uses a backtracking regular
expression whose time can grow faster than the input: the only patterns are
anchored, bounded or unambiguous, and the maintainer check is hand-written.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from typing import Final, Literal

from sphinx_official_images.model.architectures import SUPPORTED_ARCHITECTURES
from sphinx_official_images.model.names import TAG_PATTERN, is_tag

__all__ = [
    "ARCH_FIELD_KINDS",
    "ARCH_SUFFIXES",
    "DECODER_FIELDS",
    "KNOWN_FIELDS",
    "MAINTAINERS_FORMAT",
    "ONE_LINE_FIELDS",
    "RULES",
    "TAG_PATTERN",
    "Rule",
    "arch_field_kind",
    "go_escape",
    "go_quote",
    "message",
    "suggest_field",
    "valid_git_commit",
    "valid_git_fetch",
    "valid_maintainer",
    "valid_tag",
]

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Rule:
    """One row of the table: what is checked, how it is reported, and why."""

    code: str
    severity: Severity
    #: ``str.format`` template; for errors, bashbrew's wording with Go's ``%q``
    #: spelled as ``{name}`` (already quoted by :func:`go_quote`)
    template: str
    #: the docs' "what it protects against" (warnings) or "when" (errors)
    why: str


MAINTAINERS_FORMAT: Final = (
    "Full Name <contact-email-or-url> (@github-handle) OR Full Name (@github-handle)"
)

_R = Rule
RULES: Final[dict[str, Rule]] = {
    rule.code: rule
    for rule in (
        # -- reading (pault.ag/go/debian/control parse.go) ----------------------------
        _R(
            "bad-line",
            "error",
            "Bad line: '{line}' has no ':'",
            'a line that is neither "Field: value", a continuation line, a comment nor empty',
        ),
        _R(
            "invalid-clearsigned",
            "error",
            "Invalid clearsigned input",
            "a file starting with -----BEGIN PGP whose clear-signed armour is malformed",
        ),
        _R(
            "empty",
            "error",
            "EOF",
            "a file with no paragraph at all (only comments and blank lines)",
        ),
        # -- decoding into bashbrew's struct (decode.go) ------------------------------
        _R(
            "decoder-field-map",
            "error",
            "Unknown type of field: map[string]string",
            "a field named Values or ArchValues: the decoder matches it to a map field"
            " of its own struct and cannot fill it",
        ),
        _R(
            "decoder-field-paragraph",
            "error",
            "Type 'Paragraph' does not implement control.Unmarshallable",
            "a field named Paragraph: the decoder matches it to its embedded Paragraph",
        ),
        _R(
            "invalid-maintainers",
            "error",
            "invalid Maintainers: {value} (expected format {format})",
            "a maintainer not in the required format (the first such one is named)",
        ),
        # -- the global paragraph (Parse2822) ----------------------------------------
        _R(
            "missing-maintainers",
            "error",
            "missing Maintainers",
            "no Maintainers in the first paragraph",
        ),
        _R("global-tags", "error", "global Tags not permitted", "Tags in the first paragraph"),
        _R(
            "invalid-global-architectures",
            "error",
            "invalid global Architectures: {value}",
            "an unknown architecture in the first paragraph's Architectures",
        ),
        # -- each entry (Parse2822, AddEntry) -----------------------------------------
        _R(
            "invalid-git-fetch",
            "error",
            'Tags {tags} has invalid GitFetch (must be "refs/heads/..." or "refs/tags/..."):'
            " {value}",
            "an entry's GitFetch (own or inherited) not matching `^refs/(heads|tags)/[^*?:]+$`",
        ),
        _R(
            "invalid-git-commit",
            "error",
            "Tags {tags} has invalid GitCommit (must be a commit, not a tag or ref): {value}",
            "an entry's GitCommit (own or inherited) not 40 or 64 lowercase hex digits",
        ),
        _R("missing-tags", "error", "missing Tags", "an entry without Tags"),
        _R(
            "missing-git",
            "error",
            "Tags {tags} missing one of GitRepo, GitFetch, or GitCommit",
            "an entry with an empty GitRepo (own or inherited)",
        ),
        _R(
            "invalid-tags",
            "error",
            "Tags {tags} has invalid (Shared)Tags: {value}",
            "a tag or shared tag not matching `^\\w[\\w.-]{0,127}$` (all such are named)",
        ),
        _R(
            "invalid-architectures",
            "error",
            "Tags {tags} has invalid Architectures: {value}",
            "an unknown architecture in an entry's Architectures",
        ),
        _R(
            "duplicate-tag",
            "error",
            "Tags {tags} includes duplicate tag: {tag} (duplicated in {other})",
            "a tag already given by an earlier entry",
        ),
        _R(
            "tag-is-shared-tag",
            "error",
            "Tags {tags} includes tag conflicting with a shared tag: {tag} (shared tag in {other})",
            "a tag that an earlier entry has as a shared tag",
        ),
        _R(
            "repeated-tag",
            "error",
            "Tags {tags} includes duplicate tag: {tag}",
            "a tag listed twice in one entry's Tags",
        ),
        _R(
            "shared-tag-is-tag",
            "error",
            "Tags {tags} includes conflicting shared tag: {tag} (duplicated in {other})",
            "a shared tag that an earlier entry has as a tag",
        ),
        _R(
            "shared-tag-in-tags",
            "error",
            "Tags {tags} includes duplicate tag: {tag} (in SharedTags)",
            "a shared tag that is also one of the entry's own tags",
        ),
        # -- warnings: what bashbrew accepts without a word ----------------------------
        _R(
            "non-utf8",
            "warning",
            "bytes that are not UTF-8: {bytes} (read as bashbrew reads them, one character"
            " per byte, shown as U+FFFD)",
            "a file saved in another encoding: bashbrew keeps the raw bytes, so names and"
            " paths on the page would be mojibake",
        ),
        _R(
            "signed",
            "warning",
            "clear-signed manifest: the PGP armour is stripped and the signature is not"
            " checked (bashbrew passes no keyring)",
            "trusting a signature nobody verifies",
        ),
        _R(
            "unknown-field",
            "warning",
            "unknown field {name}, ignored by bashbrew{hint}",
            "a misspelt field name (Architecures:) that silently falls back to the default,"
            " e.g. an entry that vanishes from an architecture's page",
        ),
        _R(
            "empty-field-name",
            "warning",
            'field with an empty name (": value"), ignored by bashbrew',
            "a line whose field name was lost",
        ),
        _R(
            "duplicate-field",
            "warning",
            "field {name} given twice in one paragraph (first at line {first}): bashbrew"
            " keeps this last value",
            "a copy-paste leftover that silently overrides the first value",
        ),
        _R(
            "orphan-continuation",
            "warning",
            "continuation line with no field before it, ignored by bashbrew",
            "an indented line meant to belong to a field (or a paragraph break written as spaces)",
        ),
        _R(
            "continued-value",
            "warning",
            "single-value field {name} is continued on an indented line: bashbrew keeps the"
            " newline, so its value is {value}",
            "a value broken over two lines, which ends up with a newline in a URL or path",
        ),
        _R(
            "unknown-arch-prefix",
            "warning",
            "field {name} names unknown architecture {arch}, so bashbrew never uses it{hint}",
            "a per-architecture override that silently applies to nothing",
        ),
        _R(
            "invalid-arch-value",
            "warning",
            "invalid {name} {value}: bashbrew checks only the plain {kind} field ({expected})",
            "a per-architecture ref or commit that fails at build time, not at parse time",
        ),
        _R(
            "uninherited-invalid",
            "warning",
            "invalid global {name} {value}, accepted only because no entry inherits it"
            " ({expected})",
            "a global default that becomes an error as soon as an entry relies on it",
        ),
        _R(
            "more-warnings",
            "warning",
            "more than {count} {kind} warnings in this file: the rest are not shown",
            "a report (or a build log) flooded by one problem repeated on every line",
        ),
    )
}
del _R


def message(code: str, **values: str) -> str:
    """The text of rule ``code`` with ``values`` filled in."""
    return RULES[code].template.format(**values)


# -- predicates (shared by both passes) ------------------------------------------------

_HEX: Final = frozenset("0123456789abcdef")
_FETCH_PREFIXES: Final = ("refs/heads/", "refs/tags/")
_FETCH_BAD: Final = re.compile(r"[*?:]")
# Go regexp's \s: [\t\n\f\r ] (ASCII, no \v)
_RE_SPACE: Final = frozenset("\t\n\f\r ")
_NAME_BAD_FIRST: Final = frozenset("\t\n\f\r <>()")
_BAD_CHAR: Final = re.compile(r"[\t\n\f\r <>()]")


#: bashbrew ``ValidTagRegex``: the one tag grammar, kept in :mod:`.names`
valid_tag = is_tag


def valid_git_commit(value: str) -> bool:
    """bashbrew ``GitCommitRegex``: ``^([0-9a-f]{40}|[0-9a-f]{64})$``."""
    return (len(value) == 40 or len(value) == 64) and _HEX.issuperset(value)


def valid_git_fetch(value: str) -> bool:
    """bashbrew ``GitFetchRegex``: ``^refs/(heads|tags)/[^*?:]+$`` (``\\n`` allowed)."""
    if value.startswith(_FETCH_PREFIXES[0]):
        rest = value[len(_FETCH_PREFIXES[0]) :]
    elif value.startswith(_FETCH_PREFIXES[1]):
        rest = value[len(_FETCH_PREFIXES[1]) :]
    else:
        return False
    return bool(rest) and _FETCH_BAD.search(rest) is None


def _all_space(text: str) -> bool:
    return bool(text) and _RE_SPACE.issuperset(text)


def _name_then_space(text: str) -> bool:
    """``[^\\s<>()][^<>()]*\\s+``, given that ``text`` holds no ``<>()``."""
    return len(text) >= 2 and text[0] not in _NAME_BAD_FIRST and text[-1] in _RE_SPACE


@functools.lru_cache(maxsize=4096)
def valid_maintainer(value: str) -> bool:
    """bashbrew ``MaintainersRegex``, in linear time.

    ``^([^\\s<>()][^<>()]*)(?:\\s+<([^\\s<>()]+)>)?\\s+[(]@([^\\s<>()]+)[)]$``:
    no group but the literal ``(@`` and ``)`` admits a parenthesis, so the
    text holds exactly one ``(`` (then ``@``) and ends with its ``)``; before
    it, either a name and blanks, or a name, blanks, ``<email>`` and blanks
    (the name admits no angle bracket, so any ``<`` or ``>`` is the email's).
    """
    if not value.endswith(")") or value.count("(") != 1 or value.count(")") != 1:
        return False
    open_at = value.index("(")
    handle = value[open_at + 2 : -1]
    if value[open_at + 1 : open_at + 2] != "@" or not handle:
        return False
    if _BAD_CHAR.search(handle) is not None:
        return False
    before = value[:open_at]
    if "<" not in before and ">" not in before:
        return _name_then_space(before)
    if before.count("<") != 1 or before.count(">") != 1:
        return False
    lt = before.index("<")
    gt = before.index(">")
    if gt < lt:
        return False
    email = before[lt + 1 : gt]
    if not email or _BAD_CHAR.search(email) is not None:
        return False
    return _name_then_space(before[:lt]) and _all_space(before[gt + 1 :])


# -- field names ---------------------------------------------------------------------

#: the fields bashbrew's struct reads from a paragraph
KNOWN_FIELDS: Final = frozenset(
    {
        "Maintainers",
        "Tags",
        "SharedTags",
        "Architectures",
        "GitRepo",
        "GitFetch",
        "GitCommit",
        "Directory",
        "File",
        "Builder",
        "Constraints",
    }
)
#: names the decoder matches to fields of its own that it cannot fill (errors),
#: and ``Order``, which it fills and then overwrites (harmless)
DECODER_FIELDS: Final = frozenset({"Values", "ArchValues", "Paragraph", "Order"})
ONE_LINE_FIELDS: Final = frozenset(
    {"GitRepo", "GitFetch", "GitCommit", "Directory", "File", "Builder"}
)
ARCH_FIELD_KINDS: Final = ("GitRepo", "GitFetch", "GitCommit", "Directory", "File", "Builder")
#: bashbrew ``SeedArchValues``: any field name with one of these suffixes
ARCH_SUFFIXES: Final = tuple("-" + kind for kind in ARCH_FIELD_KINDS)
_SUGGESTABLE: Final = sorted(KNOWN_FIELDS)
# "did you mean" is looked for only in names of a sensible length
_SUGGEST_MAX: Final = 80


def arch_field_kind(name: str) -> tuple[str, str] | None:
    """``(ARCH, Field)`` when ``name`` is an ``ARCH-Field`` (by suffix, as bashbrew)."""
    if not name.endswith(ARCH_SUFFIXES):
        return None
    arch, _, kind = name.rpartition("-")
    return arch, kind


def suggest_field(name: str) -> str | None:
    """The known field name ``name`` was probably meant to be, or None."""
    if len(name) > _SUGGEST_MAX:
        return None
    stripped = name.strip("\ufeff")
    lowered = stripped.lower().replace("_", "").replace(" ", "")
    for known in _SUGGESTABLE:
        if known.lower() == lowered:
            return known
    arch, dash, kind = stripped.rpartition("-")
    if dash and arch:
        for known in ARCH_FIELD_KINDS:
            if known.lower() == kind.lower():
                return f"{arch}-{known}"
        close = difflib.get_close_matches(kind, ARCH_FIELD_KINDS, n=1, cutoff=0.75)
        if close:
            return f"{arch}-{close[0]}"
    close = difflib.get_close_matches(stripped, _SUGGESTABLE, n=1, cutoff=0.75)
    if close:
        return close[0]
    return None


def suggest_arch(arch: str) -> str | None:
    """The supported architecture ``arch`` was probably meant to be, or None."""
    if len(arch) > _SUGGEST_MAX:
        return None
    lowered = arch.lower()
    for known in sorted(SUPPORTED_ARCHITECTURES):
        if known == lowered:
            return known
    for known in sorted(SUPPORTED_ARCHITECTURES):
        if known.startswith(lowered) or lowered.startswith(known):
            return known
    close = difflib.get_close_matches(lowered, sorted(SUPPORTED_ARCHITECTURES), n=1, cutoff=0.6)
    return close[0] if close else None


# -- quoting -------------------------------------------------------------------------

# Longer values are cut in messages (a 10 MB line must not become a 10 MB message).
_QUOTE_MAX: Final = 200
_ESCAPES: Final = str.maketrans(
    {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v", "\f": "\\f"}
)


def go_escape(value: str) -> str:
    """``value`` with Go's usual escapes, cut after 200 characters (length noted)."""
    more = ""
    if len(value) > _QUOTE_MAX:
        more = f"... ({len(value)} characters)"
        value = value[:_QUOTE_MAX]
    return value.translate(_ESCAPES) + more


def go_quote(value: str) -> str:
    """Go's ``%q`` for the messages (the usual escapes), cut after 200 characters."""
    more = ""
    if len(value) > _QUOTE_MAX:
        more = f"... ({len(value)} characters)"
        value = value[:_QUOTE_MAX]
    return f'"{value.translate(_ESCAPES)}"{more}'
