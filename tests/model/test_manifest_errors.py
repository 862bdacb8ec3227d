"""Every manifest bashbrew rejects: the error, its line, and bashbrew's wording.

Each case states bashbrew's outcome (``manifest/rfc2822.go`` at d662ff0 with
``pault.ag/go/debian/control`` v0.19.0): the message is bashbrew's, with Go's
``%q`` quoting, and ours adds the file and the line of the offending field.
"""

from __future__ import annotations

import pytest

from sphinx_official_images.model.errors import OfficialImagesError
from sphinx_official_images.model.manifest import ManifestError, _parse, parse_manifest

C1 = "1" * 40
C2 = "2" * 40

G = "Maintainers: Jane Doe (@jane)\nGitRepo: https://example.com/a.git\n"  # lines 1-2
FORMAT = '"Full Name <contact-email-or-url> (@github-handle) OR Full Name (@github-handle)"'


def entry(tags: str = "1.0", commit: str = C1, extra: str = "") -> str:
    return f"Tags: {tags}\nGitCommit: {commit}\n{extra}"


# (manifest, line, bashbrew's message)
CASES: dict[str, tuple[str, int, str]] = {
    # -- reading lines and paragraphs (control/parse.go)
    "no colon": (G + "\nTags 1.0\n", 4, "Bad line: 'Tags 1.0' has no ':'"),
    "only non-ASCII whitespace": (G + "\n\u00a0\n", 4, "Bad line: '\u00a0' has no ':'"),
    "CR CR LF is not an empty line": (G + "\r\r\n" + entry(), 3, "Bad line: '\\r' has no ':'"),
    "empty": ("", 1, "EOF"),
    "only comments and blank lines": ("# nothing\n\n  # here\n\n", 1, "EOF"),
    "bad clear-signed armour": (
        "-----BEGIN PGP SIGNED MESSAGE-----\n\n" + G,
        1,
        "Invalid clearsigned input",
    ),
    # -- the decoder's own struct fields (control/decode.go)
    "field named Values": (
        G + "\n" + entry(extra="Values: x\n"),
        6,
        "Unknown type of field: map[string]string",
    ),
    "field named ArchValues": (
        G + "ArchValues: x\n",
        3,
        "Unknown type of field: map[string]string",
    ),
    "field named Paragraph": (
        G + "\n" + entry(extra="Paragraph: x\n"),
        6,
        "Type 'Paragraph' does not implement control.Unmarshallable",
    ),
    "Values before an invalid maintainer": (
        G + "\n" + entry(extra="Maintainers: nobody\nValues: x\n"),
        7,
        "Unknown type of field: map[string]string",
    ),
    "an invalid maintainer before ArchValues": (
        G + "\n" + entry(extra="ArchValues: x\nMaintainers: nobody\n"),
        7,
        f'invalid Maintainers: "nobody" (expected format {FORMAT})',
    ),
    # -- the global paragraph
    "missing Maintainers": (
        "# header\n\nGitRepo: https://example.com/a.git\n\n" + entry(),
        3,
        "missing Maintainers",
    ),
    "invalid global maintainer": (
        "GitRepo: x\nMaintainers: Jane Doe (@jane),\n  Jane Doe <jane@example.com>\n",
        2,
        f'invalid Maintainers: "Jane Doe <jane@example.com>" (expected format {FORMAT})',
    ),
    "empty global Maintainers": (
        "Maintainers:\n",
        1,
        f'invalid Maintainers: "" (expected format {FORMAT})',
    ),
    "global Tags": (G + "Tags: latest\n", 3, "global Tags not permitted"),
    "empty global Tags": (G + "Tags:\n", 3, "global Tags not permitted"),
    "invalid global Architectures": (
        G + "Architectures: amd65, amd64, arm\n",
        3,
        'invalid global Architectures: "amd65, arm"',
    ),
    # -- entries, in Parse2822's order: GitFetch, GitCommit, then AddEntry
    "invalid GitFetch": (
        G + "\n" + entry(extra="GitFetch: master\n"),
        6,
        'Tags "1.0" has invalid GitFetch (must be "refs/heads/..." or "refs/tags/..."): "master"',
    ),
    "invalid inherited GitFetch": (
        G + "GitFetch: refs/remotes/x\n\n" + entry(),
        3,
        'Tags "1.0" has invalid GitFetch (must be "refs/heads/..." or "refs/tags/..."):'
        ' "refs/remotes/x"',
    ),
    "GitFetch with a glob": (
        G + "\n" + entry(extra="GitFetch: refs/heads/*\n"),
        6,
        "has invalid GitFetch",
    ),
    "empty GitFetch": (G + "\n" + entry(extra="GitFetch:\n"), 6, "has invalid GitFetch"),
    "GitCommit is a tag": (
        G + "\n" + entry(commit="v1.0"),
        5,
        'Tags "1.0" has invalid GitCommit (must be a commit, not a tag or ref): "v1.0"',
    ),
    "GitCommit of 8 hex digits": (
        G + "\n" + entry(commit="deadbeef"),
        5,
        'has invalid GitCommit (must be a commit, not a tag or ref): "deadbeef"',
    ),
    "GitCommit of 39 hex digits": (G + "\n" + entry(commit="a" * 39), 5, "has invalid GitCommit"),
    "GitCommit of 41 hex digits": (G + "\n" + entry(commit="a" * 41), 5, "has invalid GitCommit"),
    "GitCommit of 65 hex digits": (G + "\n" + entry(commit="a" * 65), 5, "has invalid GitCommit"),
    "GitCommit in upper case": (G + "\n" + entry(commit="A" * 40), 5, "has invalid GitCommit"),
    "missing GitCommit": (
        G + "\nTags: 1.0\nDirectory: x\n",
        4,
        'Tags "1.0" has invalid GitCommit (must be a commit, not a tag or ref): ""',
    ),
    "continued GitCommit keeps its newline": (
        G + "\nTags: 1.0\nGitCommit:\n " + C1 + "\n",
        5,
        f'has invalid GitCommit (must be a commit, not a tag or ref): "{C1}\\n"',
    ),
    "invalid GitCommit before missing Tags": (
        G + "\nDirectory: x\n",
        4,
        'Tags "" has invalid GitCommit',
    ),
    "missing Tags": (G + "\n" + f"GitCommit: {C1}\nDirectory: x\n", 4, "missing Tags"),
    "missing GitRepo": (
        "Maintainers: Jane (@jane)\n\n" + entry(),
        3,
        'Tags "1.0" missing one of GitRepo, GitFetch, or GitCommit',
    ),
    "invalid entry maintainer": (
        G + "\n" + entry(extra="Maintainers: nobody\n"),
        6,
        f'invalid Maintainers: "nobody" (expected format {FORMAT})',
    ),
    "invalid tags, all named": (
        G + "\n" + entry(tags="1.0, bad/tag, .x", extra="SharedTags: ok, la test\n"),
        4,
        'Tags "1.0, bad/tag, .x" has invalid (Shared)Tags: "bad/tag, .x, la test"',
    ),
    "tag too long": (G + "\n" + entry(tags="a" * 129), 4, "has invalid (Shared)Tags"),
    "empty tag in a list": (
        G + "\n" + entry(tags="a,, b"),
        4,
        'Tags "a, , b" has invalid (Shared)Tags: ""',
    ),
    "empty Tags": (
        G + "\nTags:\n" + f"GitCommit: {C1}\n",
        4,
        'Tags "" has invalid (Shared)Tags: ""',
    ),
    "continued tag keeps its newline": (
        G + "\nTags: 1.0\n x\n" + f"GitCommit: {C1}\n",
        4,
        'Tags "1.0\\nx" has invalid (Shared)Tags: "1.0\\nx"',
    ),
    "invalid inherited shared tag": (
        G + "SharedTags: ok, not ok\n\n" + entry(),
        3,
        'Tags "1.0" has invalid (Shared)Tags: "not ok"',
    ),
    "invalid Architectures": (
        G + "\n" + entry(extra="Architectures: amd64,\n  arm64\n"),
        6,
        'Tags "1.0" has invalid Architectures: "arm64"',
    ),
    "empty Architectures": (
        G + "\n" + entry(extra="Architectures:\n"),
        6,
        'Tags "1.0" has invalid Architectures: ""',
    ),
    "duplicate tag in one entry": (
        G + "\n" + entry(tags="1.0, latest, 1.0"),
        4,
        'Tags "1.0, latest, 1.0" includes duplicate tag: "1.0"',
    ),
    "duplicate tag across entries": (
        G + "\n" + entry(tags="1.0, latest") + "\n" + entry(tags="2.0, latest", commit=C2),
        7,
        'Tags "2.0, latest" includes duplicate tag: "latest" (duplicated in "1.0, latest")',
    ),
    "duplicate tag of a merged entry": (
        G + "\n" + entry(tags="a") + "\n" + entry(tags="b") + "\n" + entry("a", C2),
        10,
        'Tags "a" includes duplicate tag: "a" (duplicated in "a, b")',
    ),
    "tag conflicting with an earlier shared tag": (
        G + "\n" + entry(extra="SharedTags: latest\n") + "\n" + entry(tags="latest", commit=C2),
        8,
        'Tags "latest" includes tag conflicting with a shared tag: "latest" (shared tag in "1.0")',
    ),
    "shared tag conflicting with an earlier tag": (
        G + "\n" + entry(tags="1.0, latest") + "\n" + entry("2.0", C2, "SharedTags: 2, latest\n"),
        9,
        'Tags "2.0" includes conflicting shared tag: "latest" (duplicated in "1.0, latest")',
    ),
    "shared tag duplicating a tag of the same entry": (
        G + "\n" + entry(extra="SharedTags: 1, 1.0\n"),
        6,
        'Tags "1.0" includes duplicate tag: "1.0" (in SharedTags)',
    ),
    "global shared tag conflicting with a tag": (
        G + "SharedTags: latest\n\n" + entry(tags="latest"),
        3,
        'Tags "latest" includes duplicate tag: "latest" (in SharedTags)',
    ),
    # -- which error comes first (bashbrew stops at the first one)
    "earlier tag conflict before a later error": (
        G
        + "\n"
        + entry(tags="1.0")
        + "\n"
        + entry(tags="1.0", commit=C2)
        + "\n"
        + entry(tags="3.0", commit="bad"),
        7,
        'includes duplicate tag: "1.0"',
    ),
    "an entry's other errors before its tag conflicts": (
        G + "\n" + entry(tags="1.0") + "\n" + entry("1.0", C2, "Architectures: arm\n"),
        9,
        'Tags "1.0" has invalid Architectures: "arm"',
    ),
    "the git fields before the tag grammar": (
        G + "\nTags: a b\nGitCommit: bad\n",
        5,
        'Tags "a b" has invalid GitCommit',
    ),
    "first paragraph error before later ones": (
        "Maintainers: x\n\n" + entry(tags="bad tag"),
        1,
        'invalid Maintainers: "x"',
    ),
}


@pytest.mark.parametrize(("text", "line", "expected"), list(CASES.values()), ids=list(CASES))
def test_error(text: str, line: int, expected: str) -> None:
    for fast in (True, False):
        with pytest.raises(ManifestError) as info:
            _parse(text, "library/image", fast)
        error = info.value
        assert error.path == "library/image"
        assert error.line == line
        assert error.message.startswith(expected) or expected in error.message, error.message
        assert str(error).startswith(f"library/image:{line}: ")
        assert isinstance(error, OfficialImagesError)


@pytest.mark.parametrize(("text", "line", "expected"), list(CASES.values()), ids=list(CASES))
def test_error_lines_survive_crlf(text: str, line: int, expected: str) -> None:
    if "\r" in text:
        return
    with pytest.raises(ManifestError) as info:
        parse_manifest(text.replace("\n", "\r\n").encode("utf-8"), "x")
    assert info.value.line == line


def test_message_is_bashbrews_with_the_location() -> None:
    text = G + "\n" + entry(tags="1.0, latest") + "\n\n" + entry(tags="latest", commit=C2)
    with pytest.raises(ManifestError) as info:
        parse_manifest(text, "library/x")
    assert str(info.value) == (
        'library/x:8: Tags "latest" includes duplicate tag: "latest" (duplicated in "1.0, latest")'
    )


def test_warnings_found_before_the_error_travel_with_it() -> None:
    with pytest.raises(ManifestError) as info:
        parse_manifest(G + "Architecures: arm64v8\n\n" + entry(commit="bad"), "library/x")
    assert [(w.line, w.code) for w in info.value.warnings] == [(3, "unknown-field")]


def test_long_values_are_cut_in_messages() -> None:
    with pytest.raises(ManifestError) as info:
        parse_manifest(G + "\n" + entry(commit="g" * 100_000), "library/x")
    assert len(info.value.message) < 500
    assert "(100000 characters)" in info.value.message
