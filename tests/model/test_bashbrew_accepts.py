"""What bashbrew accepts: the same model here, plus a warning with file and line.

Each case names bashbrew's outcome (``manifest/rfc2822.go`` at d662ff0 with
``pault.ag/go/debian/control`` v0.19.0).  None of these is an error: a docs
build must render every manifest bashbrew builds.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinx_official_images.model.manifest import (
    Manifest,
    ManifestError,
    ManifestWarning,
    _parse,
    parse_manifest,
)
from sphinx_official_images.model.rules import RULES, valid_git_commit, valid_maintainer

C1 = "1" * 40
C2 = "2" * 40
G = "Maintainers: Jane Doe (@jane)\nGitRepo: https://example.com/a.git\n"  # lines 1-2


def parse(text: str | bytes) -> Manifest:
    manifest = _parse(text, "library/image")
    # the optimistic and the careful pass agree on every case here
    assert (manifest, manifest.warnings) == _warned(_parse(text, "library/image", fast=False))
    return manifest


def _warned(manifest: Manifest) -> tuple[Manifest, tuple[ManifestWarning, ...]]:
    return manifest, manifest.warnings


def codes(manifest: Manifest) -> list[tuple[int, str]]:
    return [(w.line, w.code) for w in manifest.warnings]


def test_warnings_are_plain_frozen_records() -> None:
    manifest = parse(G + "Architecures: arm64v8\n\nTags: 1\nGitCommit: " + C1 + "\n")
    (warning,) = manifest.warnings
    assert warning == ManifestWarning(
        "library/image",
        3,
        "unknown-field",
        'unknown field "Architecures", ignored by bashbrew (did you mean "Architectures"?)',
    )
    assert warning.severity == "warning"
    assert str(warning) == f"library/image:3: warning: {warning.message}"
    with pytest.raises(AttributeError):
        warning.line = 4  # type: ignore[misc]
    assert warning.code in RULES and RULES[warning.code].severity == "warning"


def test_a_misspelt_field_is_ignored_and_the_entry_falls_back_to_amd64() -> None:
    # bashbrew: accepted, Architectures stays amd64 (the typo is silently dropped)
    manifest = parse(G + "\nTags: 1\nGitCommit: " + C1 + "\nArchitecures: arm64v8\n")
    assert manifest.entries[0].architectures == ("amd64",)
    assert codes(manifest) == [(6, "unknown-field")]
    assert '"Architectures"' in manifest.warnings[0].message


@pytest.mark.parametrize(
    ("name", "guess"),
    [
        ("gitcommit", "GitCommit"),
        ("Git_Repo", "GitRepo"),
        ("Sharedtag", "SharedTags"),
        ("arm64v8-Gitcommit", "arm64v8-GitCommit"),
        ("arm64v8-GitComit", "arm64v8-GitCommit"),
        ("Maintainer", "Maintainers"),
    ],
)
def test_did_you_mean(name: str, guess: str) -> None:
    manifest = parse(G + f"{name}: x\n")
    assert codes(manifest) == [(3, "unknown-field")]
    assert f'did you mean "{guess}"' in manifest.warnings[0].message


def test_order_is_harmless_for_the_decoder() -> None:
    # bashbrew: "Order" fills Paragraph.Order, which the decoder then overwrites
    manifest = parse(G + "Order: x\n")
    assert codes(manifest) == [(3, "unknown-field")]


def test_git_commit_of_64_hex_digits() -> None:
    # bashbrew: ^([0-9a-f]{40}|[0-9a-f]{64})$ (SHA-256 repositories)
    assert parse(G + "\nTags: 1\nGitCommit: " + "a" * 64 + "\n").entries[0].git_commit == "a" * 64
    assert [valid_git_commit("a" * n) for n in (8, 39, 40, 41, 63, 64, 65)] == [
        False, False, True, False, False, True, False,
    ]  # fmt: skip


def test_single_value_field_continued_keeps_the_newline() -> None:
    # bashbrew: accepted; control/parse.go joins the lines with "\n" (and ends with one)
    manifest = parse(G.replace("GitRepo: https://example.com/a.git", "GitRepo:\n https://example.com/a.git")
                     + "\nTags: 1\nGitCommit: " + C1 + "\nDirectory: a\n b\n")  # fmt: skip
    entry = manifest.entries[0]
    assert entry.git_repo == "https://example.com/a.git\n"
    assert entry.directory == "a\nb\n"
    assert codes(manifest) == [(2, "continued-value"), (7, "continued-value")]
    assert '"https://example.com/a.git\\n"' in manifest.warnings[0].message


def test_continued_git_fetch_is_still_valid() -> None:
    # GitFetchRegex's [^*?:]+$ matches the newline too
    manifest = parse(G + "\nTags: 1\nGitCommit: " + C1 + "\nGitFetch: refs/heads/\n main\n")
    assert manifest.entries[0].git_fetch == "refs/heads/\nmain\n"


def test_unknown_architecture_prefix() -> None:
    # bashbrew: SeedArchValues takes every "...-GitCommit" field; nothing ever reads this one
    manifest = parse(G + "\nTags: 1\nGitCommit: " + C1 + "\narm64-GitCommit: " + C2 + "\n")
    assert manifest.entries[0].arch_values == {"arm64-GitCommit": C2}
    assert manifest.entries[0].arch_git_commit("arm64v8") == C1
    assert codes(manifest) == [(6, "unknown-arch-prefix")]
    assert 'did you mean "arm64v8-GitCommit"' in manifest.warnings[0].message


def test_arch_field_without_an_architecture() -> None:
    manifest = parse(G + "-Directory: x\n")
    assert manifest.global_entry.arch_values == {"-Directory": "x"}
    assert codes(manifest) == [(3, "unknown-arch-prefix")]


def test_empty_field_name() -> None:
    # bashbrew: the paragraph holds a field named "", which no struct field reads
    manifest = parse(G + ": x\n\nTags: 1\nGitCommit: " + C1 + "\n")
    assert len(manifest.entries) == 1
    assert codes(manifest) == [(3, "empty-field-name")]


def test_a_paragraph_of_only_an_empty_field_name_is_an_entry() -> None:
    # bashbrew: the paragraph has a field, so it is an entry, and it lacks Tags
    with pytest.raises(ManifestError, match="missing Tags"):
        parse(G + "GitCommit: " + C1 + "\n\n: x\n")


def test_invalid_global_shared_tags_nobody_inherits() -> None:
    # bashbrew checks SharedTags only in AddEntry, on each entry's own value
    manifest = parse(G + "SharedTags: not ok\n\nTags: 1\nSharedTags: one\nGitCommit: " + C1 + "\n")
    assert manifest.entries[0].shared_tags == ("one",)
    assert codes(manifest) == [(3, "uninherited-invalid")]
    assert codes(parse(G + "SharedTags: not ok\n")) == [(3, "uninherited-invalid")]


def test_invalid_global_git_fields_nobody_inherits() -> None:
    manifest = parse(G + "GitFetch: main\nGitCommit: v1\n\nTags: 1\nGitFetch: refs/heads/x\n"
                     "GitCommit: " + C1 + "\n")  # fmt: skip
    assert codes(manifest) == [(3, "uninherited-invalid"), (4, "uninherited-invalid")]


def test_invalid_arch_git_fetch_and_commit() -> None:
    # bashbrew validates only the plain GitFetch and GitCommit
    text = G + "\nTags: 1\nGitCommit: " + C1 + "\narm64v8-GitCommit: main\ns390x-GitFetch: main\n"
    manifest = parse(text)
    assert manifest.entries[0].arch_git_commit("arm64v8") == "main"
    assert manifest.entries[0].arch_git_fetch("s390x") == "main"
    assert codes(manifest) == [(6, "invalid-arch-value"), (7, "invalid-arch-value")]


def test_crlf_file_ending_in_a_lone_cr() -> None:
    text = (G + "\nTags: 1\nGitCommit: " + C1 + "\n").replace("\n", "\r\n") + "\r"
    manifest = parse(text.encode())
    assert manifest.entries[0].git_commit == C1
    assert manifest.warnings == ()


def test_invalid_utf8_is_read_as_bashbrew_reads_it() -> None:
    # bashbrew: Go strings are bytes; its patterns see each bad byte as U+FFFD
    data = G.encode() + b"\nTags: 1\nGitCommit: " + C1.encode() + b"\nDirectory: caf\xe9/\xc3\n"
    manifest = parse(data)
    assert manifest.entries[0].directory == "caf\ufffd/\ufffd"
    assert codes(manifest) == [(6, "non-utf8")]
    assert "\\xe9" in manifest.warnings[0].message


def test_invalid_utf8_in_a_tag_is_bashbrews_invalid_tag() -> None:
    with pytest.raises(ManifestError, match=r"has invalid \(Shared\)Tags") as info:
        parse(G.encode() + b"\nTags: caf\xe9\nGitCommit: " + C1.encode() + b"\n")
    assert [w.code for w in info.value.warnings] == ["non-utf8"]


def test_a_field_twice_keeps_the_last_value() -> None:
    manifest = parse(G + "\nTags: 1\nGitCommit: " + C1 + "\nGitCommit: " + C2 + "\n")
    assert manifest.entries[0].git_commit == C2
    assert codes(manifest) == [(6, "duplicate-field")]
    assert "first at line 5" in manifest.warnings[0].message


def test_continuation_line_with_no_field_before_it_is_ignored() -> None:
    manifest = parse(G + "\n  orphan\n more\nTags: 1\nGitCommit: " + C1 + "\n")
    assert manifest.entries[0].line == 6
    assert codes(manifest) == [(4, "orphan-continuation")]


def test_a_whitespace_line_between_paragraphs_continues_the_field() -> None:
    manifest = parse(G + "   \nBuilder: buildkit\n")  # one paragraph, not two
    assert manifest.global_entry.git_repo == "https://example.com/a.git\n\n"
    assert manifest.global_entry.builder == "buildkit"
    assert codes(manifest) == [(2, "continued-value")]


SIGNED = f"""\
# a comment before the armour, dropped by bashbrew's stripper
-----BEGIN PGP SIGNED MESSAGE-----
Hash: SHA256

Maintainers: Jane Doe (@jane)
GitRepo: https://example.com/a.git
# a comment in the signed text

- Tags: 1.0
GitCommit: {C1}
-----BEGIN PGP SIGNATURE-----

iQEzBAEBCAAdFiEEexampleexampleexampleexampleexampleexampleAAoJEexample
=abcd
-----END PGP SIGNATURE-----
"""


def test_clear_signed_manifest_is_read_without_checking_the_signature() -> None:
    manifest = parse(SIGNED)
    plain = parse(G + "\nTags: 1.0\nGitCommit: " + C1 + "\n")
    assert manifest.entries[0].tags == plain.entries[0].tags == ("1.0",)
    assert manifest.entries[0].git_commit == C1
    # lines are the file's
    assert manifest.global_entry.line == 5
    assert manifest.entries[0].line == 9
    assert codes(manifest) == [(2, "signed")]


@pytest.mark.parametrize(
    "broken",
    [
        SIGNED.replace("Hash: SHA256", "Comment: x"),  # only Hash headers
        SIGNED.replace("-----BEGIN PGP SIGNATURE-----\n\n", "-----BEGIN PGP SIGNATURE-----\n"),
        SIGNED.replace("-----END PGP SIGNATURE-----\n", ""),
        SIGNED.replace("MESSAGE-----\n", "MESSAGE----- x\n"),
        "-----BEGIN PGP SIGNATURE-----\n" + G,
    ],
    ids=["header", "no blank line", "no end", "suffix", "not a signed message"],
)
def test_malformed_armour_is_bashbrews_error(broken: str) -> None:
    with pytest.raises(ManifestError, match=r"^.*: Invalid clearsigned input$"):
        parse_manifest(broken, "library/image")


def test_armour_not_at_the_start_is_a_bad_line() -> None:
    with pytest.raises(ManifestError, match="Bad line"):
        parse_manifest("\n" + SIGNED, "library/image")


# The Go pattern, run by Python's backtracking engine on short inputs only: the
# hand-written matcher must accept exactly the same strings.
_GO_MAINTAINER = re.compile(
    r"([^\t\n\f\r <>()][^<>()]*)(?:[\t\n\f\r ]+<([^\t\n\f\r <>()]+)>)?"
    r"[\t\n\f\r ]+[(]@([^\t\n\f\r <>()]+)[)]"
)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="ab <>()@\t\n\v\ufffd", max_size=16))
def test_maintainer_matcher_is_bashbrews_pattern(value: str) -> None:
    assert valid_maintainer(value) == (_GO_MAINTAINER.fullmatch(value) is not None)


@pytest.mark.parametrize(
    "value",
    [
        "Jane Doe <jane@example.com> (@jane)",
        "Jane (@jane)",
        "Jane   <j>\t(@j)",
        "J\u00e9r\u00f4me (@j)",
        "Jane <j> <k> (@j)",
        "Jane<j> (@j)",
        "Jane (@j) ",
        " Jane (@j)",
        "Jane (@)",
        "(@j)",
    ],
)
def test_maintainer_examples(value: str) -> None:
    assert valid_maintainer(value) == (_GO_MAINTAINER.fullmatch(value) is not None)
