"""Every kind of bad manifest: the error, its line, and what the message says."""

from __future__ import annotations

import pytest

from sphinx_official_images.model.errors import OfficialImagesError
from sphinx_official_images.model.manifest import ManifestError, parse_manifest

C1 = "1" * 40
C2 = "2" * 40

G = "Maintainers: Jane Doe (@jane)\nGitRepo: https://example.com/a.git\n"  # lines 1-2


def entry(tags: str = "1.0", commit: str = C1, extra: str = "") -> str:
    return f"Tags: {tags}\nGitCommit: {commit}\n{extra}"


# (manifest, line, fragments of the message)
CASES: dict[str, tuple[str, int, tuple[str, ...]]] = {
    # -- reading lines and paragraphs
    "no colon": (G + "\nTags 1.0\n", 4, ('line "Tags 1.0" has no ":"', "Field: value")),
    "no field name": (G + "\n: 1.0\n", 4, ("no field name",)),
    "continuation without field": (
        G + "\n  orphan\nTags: 1\n",
        4,
        ('continuation line "  orphan" has no field to continue',),
    ),
    "whitespace-only line between paragraphs": (
        G + "\n   \n" + entry(),
        4,
        ("only whitespace", "must be empty"),
    ),
    "duplicate field": (
        G + "\n" + entry() + "GitCommit: " + C2 + "\n",
        6,
        ('duplicate field "GitCommit"', "already set at line 5"),
    ),
    "duplicate field that the global paragraph also sets": (
        G + "\n" + entry() + "GitRepo: https://example.com/b.git\nGitRepo: x\n",
        7,
        ('duplicate field "GitRepo"', "already set at line 6"),
    ),
    "duplicate field in the global paragraph": (
        G + "GitRepo: https://example.com/b.git\n",
        3,
        ('duplicate field "GitRepo"', "line 2"),
    ),
    "empty": ("", 1, ("manifest is empty",)),
    "only comments and blank lines": ("# nothing\n\n  # here\n\n", 1, ("manifest is empty",)),
    # -- the global paragraph
    "missing Maintainers": (
        "# header\n\nGitRepo: https://example.com/a.git\n\n" + entry(),
        3,
        ("missing Maintainers",),
    ),
    "invalid global maintainer": (
        "GitRepo: x\nMaintainers: Jane Doe (@jane),\n  Jane Doe <jane@example.com>\n",
        2,
        ('invalid Maintainers: "Jane Doe <jane@example.com>"', "(@github-handle)"),
    ),
    "empty global Maintainers": ("Maintainers:\n", 1, ('invalid Maintainers: ""',)),
    "global Tags": (G + "Tags: latest\n", 3, ("global Tags not permitted",)),
    "invalid global Architectures": (
        G + "Architectures: amd64, amd65\n",
        3,
        ('invalid global Architectures: "amd65"', "windows-amd64"),
    ),
    "invalid global shared tag": (
        G + "SharedTags: ok, not ok\n",
        3,
        ('"not ok" is not a valid tag',),
    ),
    # -- entries
    "missing Tags": (G + "\n" + f"GitCommit: {C1}\nDirectory: x\n", 4, ("missing Tags",)),
    "missing GitRepo": (
        "Maintainers: Jane (@jane)\n\n" + entry(),
        3,
        ('Tags "1.0" missing GitRepo',),
    ),
    "empty GitCommit": (G + "\nTags: 1.0\nGitCommit:\n", 5, ('Tags "1.0" missing GitCommit',)),
    "missing GitCommit": (G + "\nTags: 1.0\nDirectory: x\n", 4, ("missing GitCommit",)),
    "invalid GitFetch": (
        G + "\n" + entry(extra="GitFetch: master\n"),
        6,
        ('invalid GitFetch "master"', "refs/heads/"),
    ),
    "invalid inherited GitFetch": (
        G + "GitFetch: refs/remotes/x\n\n" + entry(),
        3,
        ('Tags "1.0" has invalid GitFetch "refs/remotes/x"',),
    ),
    "GitFetch with a glob": (
        G + "\n" + entry(extra="GitFetch: refs/heads/*\n"),
        6,
        ("invalid GitFetch",),
    ),
    "GitCommit is a tag": (G + "\n" + entry(commit="v1.0"), 5, ('invalid GitCommit "v1.0"',)),
    "GitCommit in upper case": (
        G + "\n" + entry(commit="ABCDEF"),
        5,
        ("invalid GitCommit", "lowercase hex"),
    ),
    "GitCommit too long": (G + "\n" + entry(commit="a" * 65), 5, ("invalid GitCommit",)),
    "invalid entry maintainer": (
        G + "\n" + entry(extra="Maintainers: nobody\n"),
        6,
        ('Tags "1.0" has invalid Maintainers: "nobody"',),
    ),
    "invalid Architectures": (
        G + "\n" + entry(extra="Architectures: amd64,\n  arm64\n"),
        6,
        ('Tags "1.0" has invalid Architectures: "arm64"',),
    ),
    "empty Architectures": (
        G + "\n" + entry(extra="Architectures:\n"),
        6,
        ('invalid Architectures: ""',),
    ),
    "invalid tag": (G + "\n" + entry(tags="1.0, bad/tag"), 4, ('"bad/tag" is not a valid tag',)),
    "tag starting with a dot": (G + "\n" + entry(tags=".hidden"), 4, ('".hidden"',)),
    "tag too long": (G + "\n" + entry(tags="a" * 129), 4, ("is not a valid tag",)),
    "empty tag in a list": (G + "\n" + entry(tags="a,, b"), 4, ('"" is not a valid tag',)),
    "empty Tags": (G + "\nTags:\n" + f"GitCommit: {C1}\n", 4, ('"" is not a valid tag',)),
    "invalid shared tag": (
        G + "\n" + entry(extra="SharedTags: latest, la test\n"),
        6,
        ('shared tag "la test" is not a valid tag',),
    ),
    "duplicate tag in one entry": (
        G + "\n" + entry(tags="1.0, latest, 1.0"),
        4,
        ('Tags "1.0, latest, 1.0" includes duplicate tag "1.0"', "listed twice"),
    ),
    "duplicate tag across entries": (
        G + "\n" + entry(tags="1.0, latest") + "\n" + entry(tags="2.0, latest", commit=C2),
        7,
        (
            'Tags "2.0, latest" includes duplicate tag "latest"',
            'already in entry at line 4: Tags "1.0, latest"',
        ),
    ),
    "tag conflicting with an earlier shared tag": (
        G + "\n" + entry(extra="SharedTags: latest\n") + "\n" + entry(tags="latest", commit=C2),
        8,
        ('includes tag "latest" conflicting with a shared tag', "entry at line 4"),
    ),
    "shared tag conflicting with an earlier tag": (
        G + "\n" + entry(tags="1.0, latest") + "\n" + entry("2.0", C2, "SharedTags: 2, latest\n"),
        9,
        ('includes shared tag "latest" conflicting with a tag', "entry at line 4"),
    ),
    "shared tag duplicating a tag of the same entry": (
        G + "\n" + entry(extra="\nSharedTags: 1, 1.0\n".lstrip("\n")),
        6,
        ('Tags "1.0" includes duplicate tag "1.0"', "in both Tags and SharedTags"),
    ),
    "global shared tag conflicting with a tag": (
        G + "SharedTags: latest\n\n" + entry(tags="latest"),
        3,
        ('includes duplicate tag "latest"', "in both Tags and SharedTags"),
    ),
    "ARCH-field with an unknown architecture": (
        G + "\n" + entry(extra=f"foo-GitCommit: {C2}\n"),
        6,
        ('field "foo-GitCommit" names unknown architecture "foo"', "arm64v8"),
    ),
    "ARCH-field without an architecture": (
        G + "\n" + entry(extra="-Directory: x\n"),
        6,
        ("unknown architecture",),
    ),
    "ARCH-field with an unknown architecture in the global paragraph": (
        G + "amd46-Directory: x\n",
        3,
        ('"amd46"',),
    ),
    "invalid ARCH-GitCommit": (
        G + "\n" + entry(extra="arm64v8-GitCommit: main\n"),
        6,
        ('invalid arm64v8-GitCommit "main"',),
    ),
    "invalid ARCH-GitFetch": (
        G + "\n" + entry(extra="s390x-GitFetch: main\n"),
        6,
        ('invalid s390x-GitFetch "main"',),
    ),
    "single value spread over lines": (
        G + "\nTags: 1.0\nGitCommit:\n  " + C1 + "\n",
        5,
        ("GitCommit value", "spans several lines"),
    ),
    "ARCH value spread over lines": (
        G + "\n" + entry(extra="amd64-Directory: a\n  b\n"),
        6,
        ("amd64-Directory value", "spans several lines"),
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
        ('includes duplicate tag "1.0"',),
    ),
    "an entry's other errors before its tag conflicts": (
        G + "\n" + entry(tags="1.0") + "\n" + entry("1.0", C2, "Architectures: arm\n"),
        9,
        ('invalid Architectures: "arm"',),
    ),
    "tag grammar before the git fields": (
        G + "\nTags: a b\nGitCommit: bad\n",
        4,
        ('"a b" is not a valid tag',),
    ),
    "first paragraph error before later ones": (
        "Maintainers: x\n\n" + entry(tags="bad tag"),
        1,
        ('invalid Maintainers: "x"',),
    ),
}


@pytest.mark.parametrize(("text", "line", "fragments"), list(CASES.values()), ids=list(CASES))
def test_error(text: str, line: int, fragments: tuple[str, ...]) -> None:
    with pytest.raises(ManifestError) as info:
        parse_manifest(text, "library/image")
    error = info.value
    assert error.path == "library/image"
    assert (error.line, error.message) == (line, error.message)
    for fragment in fragments:
        assert fragment in error.message
    assert str(error).startswith(f"library/image:{line}: ")
    assert isinstance(error, OfficialImagesError)


@pytest.mark.parametrize(("text", "line", "fragments"), list(CASES.values()), ids=list(CASES))
def test_error_lines_survive_crlf_and_bom(text: str, line: int, fragments: tuple[str, ...]) -> None:
    data = ("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8")
    with pytest.raises(ManifestError) as info:
        parse_manifest(data, "x")
    assert info.value.line == line


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b"\xff" + G.encode(), 1),
        (G.encode() + b"\nTags: caf\xe9\n", 4),
        (G.encode() + b"\nTags: ok\nGitCommit: \xc3\n", 5),
    ],
    ids=["first byte", "latin-1 in a tag", "truncated sequence"],
)
def test_invalid_utf8(data: bytes, line: int) -> None:
    with pytest.raises(ManifestError, match="invalid UTF-8") as info:
        parse_manifest(data, "library/image")
    assert info.value.line == line
    assert info.value.path == "library/image"


def test_message_names_what_was_found_and_expected() -> None:
    text = G + "\n" + entry(tags="1.0, latest") + "\n\n" + entry(tags="latest", commit=C2)
    with pytest.raises(ManifestError) as info:
        parse_manifest(text, "library/x")
    assert str(info.value) == (
        'library/x:8: Tags "latest" includes duplicate tag "latest"'
        ' (already in entry at line 4: Tags "1.0, latest")'
    )
