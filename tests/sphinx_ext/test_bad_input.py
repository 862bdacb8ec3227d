"""Bad input, case by case: what the build says, where, and that the rest still builds.

Every case builds a two-page site (:mod:`_sites`): ``bad.rst`` holds the
directive or role that meets the bad input, ``good.rst`` renders the
well-formed ``widget`` image. Each case asserts

* the exact text of every warning, with its ``file:line`` (the input file's
  own line for a problem inside it; the directive's line for a problem with
  its arguments or a missing file);
* that the build still succeeds and the good page is written with its content;
* that the same site built with ``-W`` fails.

A manifest with CRLF line endings is accepted, and gives the same pages as the
plain file (checked separately, at the end).  What bashbrew accepts silently
but a maintainer should hear about is a warning of type
``official_images.manifest`` at the manifest's own line, logged once.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from _sites import COMMIT, GOOD_MARK, Files, build, make_site, manifest_text
from sphinx_official_images.model.architectures import SUPPORTED_ARCHITECTURES
from sphinx_official_images.sphinx_ext.directives import DIRECTIVES

KNOWN_ARCHES = ", ".join(sorted(SUPPORTED_ARCHITECTURES))
MAINTAINERS_FORMAT = (
    "Full Name <contact-email-or-url> (@github-handle) OR Full Name (@github-handle)"
)
TITLE = "Bad page\n========\n\n"  # the first directive is on line 4

# {src}: the Sphinx source folder, {root}: the site (library/, docs/, facts/ beside src/)
LIB = "{root}/library/bad"


@dataclass(frozen=True)
class Case:
    id: str
    page: str
    expected: tuple[str, ...]
    library: Files = field(default_factory=dict)
    docs: Files = field(default_factory=dict)
    facts: Files = field(default_factory=dict)
    conf: str = ""
    setup: Callable[[Path], None] | None = None
    good_tags: bool = True  # the good page's tag list can be built
    in_bad_page: tuple[str, ...] = ()  # text the bad page still shows
    not_in_bad_page: tuple[str, ...] = ()


def _w(location: str, message: str, kind: str = "official_images.input") -> str:
    return f"{location}: WARNING: {message} [{kind}]"


def _at(location: str, message: str, view: str = "bad", pages: str = "bad") -> str:
    """A problem inside an input file: told once, at its line, naming the view and pages."""
    return _w(location, f"{message} (for {view}; pages: {pages})")


# -- every error class of the manifest parser -------------------------------------------

C1 = COMMIT
GLOBAL = (
    "Maintainers: Jane Doe <jane@example.com> (@jane)\nGitRepo: https://github.com/acme/bad.git\n"
)
ENTRY = f"Tags: 1\nGitCommit: {C1}\n"

FORMAT = f'(expected format "{MAINTAINERS_FORMAT}")'

# (id, manifest, line, message): what bashbrew refuses, in bashbrew's words
MANIFEST_ERRORS: list[tuple[str, str | bytes, int, str]] = [
    ("line-without-colon", GLOBAL + "\nTags 1\n", 4, "Bad line: 'Tags 1' has no ':'"),
    (
        "empty-manifest",
        "# only a comment\n\n",
        1,
        "EOF (the manifest is empty: expected a global paragraph with Maintainers, then entries)",
    ),
    (
        "missing-maintainers",
        "GitRepo: https://github.com/acme/bad.git\n\n" + ENTRY,
        1,
        "missing Maintainers",
    ),
    (
        "byte-order-mark",
        b"\xef\xbb\xbf" + GLOBAL.encode() + b"\n" + ENTRY.encode(),
        1,
        "missing Maintainers (the file starts with a UTF-8 byte-order mark, which bashbrew reads"
        " as part of the first field's name)",
    ),
    (
        "invalid-maintainers",
        "Maintainers: Jane Doe jane@example.com\nGitRepo: https://github.com/a/b\n\n" + ENTRY,
        1,
        f'invalid Maintainers: "Jane Doe jane@example.com" {FORMAT}',
    ),
    ("global-tags", GLOBAL + "Tags: latest\n\n" + ENTRY, 3, "global Tags not permitted"),
    (
        "field-named-values",
        GLOBAL + "\n" + ENTRY + "Values: x\n",
        6,
        "Unknown type of field: map[string]string",
    ),
    (
        "field-named-paragraph",
        GLOBAL + "Paragraph: x\n\n" + ENTRY,
        3,
        "Type 'Paragraph' does not implement control.Unmarshallable",
    ),
    (
        "bad-clear-signed-armour",
        "-----BEGIN PGP SIGNED MESSAGE-----\n\n" + GLOBAL,
        1,
        "Invalid clearsigned input",
    ),
    (
        "missing-tags",
        GLOBAL + "\n" + ENTRY + f"\nDirectory: b\nGitCommit: {C1}\n",
        7,
        "missing Tags",
    ),
    (
        "invalid-tag",
        GLOBAL + f"\nTags: 1, -bad\nGitCommit: {C1}\n",
        4,
        'Tags "1, -bad" has invalid (Shared)Tags: "-bad"',
    ),
    (
        "missing-gitcommit",
        GLOBAL + "\nTags: 1\n",
        4,
        'Tags "1" has invalid GitCommit (must be a commit, not a tag or ref): ""',
    ),
    (
        "missing-gitrepo",
        "Maintainers: Jane Doe <jane@example.com> (@jane)\n\n" + ENTRY,
        3,
        'Tags "1" missing one of GitRepo, GitFetch, or GitCommit',
    ),
    (
        "invalid-gitfetch",
        GLOBAL + "\n" + ENTRY + "GitFetch: main\n",
        6,
        'Tags "1" has invalid GitFetch (must be "refs/heads/..." or "refs/tags/..."): "main"',
    ),
    (
        "invalid-gitcommit",
        GLOBAL + "\nTags: 1\nGitCommit: v1.0\n",
        5,
        'Tags "1" has invalid GitCommit (must be a commit, not a tag or ref): "v1.0"',
    ),
    (
        "short-gitcommit",
        GLOBAL + "\nTags: 1\nGitCommit: deadbeef\n",
        5,
        'Tags "1" has invalid GitCommit (must be a commit, not a tag or ref): "deadbeef"',
    ),
    (
        "unknown-architecture",
        GLOBAL + "\n" + ENTRY + "Architectures: amd64, sparc\n",
        6,
        'Tags "1" has invalid Architectures: "sparc"',
    ),
    (
        "entry-invalid-maintainers",
        GLOBAL + "\n" + ENTRY + "Maintainers: nobody\n",
        6,
        f'invalid Maintainers: "nobody" {FORMAT}',
    ),
    (
        "duplicate-tag",
        GLOBAL + "\n" + ENTRY + f"Directory: a\n\nTags: 2, 1\nGitCommit: {C1}\nDirectory: b\n",
        8,
        'Tags "2, 1" includes duplicate tag: "1" (duplicated in "1")',
    ),
    (
        "duplicate-tag-in-one-entry",
        GLOBAL + f"\nTags: 1, 2, 1\nGitCommit: {C1}\n",
        4,
        'Tags "1, 2, 1" includes duplicate tag: "1"',
    ),
    (
        "tag-conflicts-with-shared-tag",
        GLOBAL
        + "\n"
        + ENTRY
        + f"SharedTags: latest\nDirectory: a\n\nTags: latest\nGitCommit: {C1}\nDirectory: b\n",
        9,
        'Tags "latest" includes tag conflicting with a shared tag: "latest" (shared tag in "1")',
    ),
    (
        "shared-tag-conflicts-with-tag",
        GLOBAL
        + f"\nTags: 1, latest\nGitCommit: {C1}\nDirectory: a\n\n"
        + f"Tags: 2\nSharedTags: latest\nGitCommit: {C1}\nDirectory: b\n",
        9,
        'Tags "2" includes conflicting shared tag: "latest" (duplicated in "1, latest")',
    ),
    (
        "tag-also-shared-in-one-entry",
        GLOBAL + f"\nTags: 1\nSharedTags: 1\nGitCommit: {C1}\n",
        5,
        'Tags "1" includes duplicate tag: "1" (in SharedTags)',
    ),
    (
        "invalid-inherited-shared-tag",
        GLOBAL + "SharedTags: not ok\n\n" + ENTRY,
        3,
        'Tags "1" has invalid (Shared)Tags: "not ok"',
    ),
    (
        "invalid-global-architecture",
        GLOBAL + "Architectures: amd64, arm64\n\n" + ENTRY,
        3,
        'invalid global Architectures: "arm64"',
    ),
]

# (id, manifest, line, message): what bashbrew accepts silently and we warn about
MANIFEST_WARNINGS: list[tuple[str, str | bytes, int, str]] = [
    (
        "invalid-utf8",
        GLOBAL.encode() + b"\n" + ENTRY.encode() + b"Directory: caf\xe9\n",
        6,
        "bytes that are not UTF-8: \\xe9 (read as bashbrew reads them, one character per byte,"
        " shown as U+FFFD)",
    ),
    (
        "continuation-without-field",
        "# a comment\n  continued\n" + GLOBAL + "\n" + ENTRY,
        2,
        "continuation line with no field before it, ignored by bashbrew",
    ),
    (
        "whitespace-only-separator",
        "# a comment\n   \n" + GLOBAL + "\n" + ENTRY,
        2,
        "continuation line with no field before it, ignored by bashbrew",
    ),
    (
        "no-field-name",
        GLOBAL + ": value\n\n" + ENTRY,
        3,
        'field with an empty name (": value"), ignored by bashbrew',
    ),
    (
        "duplicate-field",
        GLOBAL + "\n" + ENTRY + f"GitCommit: {C1}\n",
        6,
        'field "GitCommit" given twice in one paragraph (first at line 5): bashbrew keeps this'
        " last value",
    ),
    (
        "misspelt-field",
        GLOBAL + "\n" + ENTRY + "Architecures: amd64, arm64v8\n",
        6,
        'unknown field "Architecures", ignored by bashbrew (did you mean "Architectures"?)',
    ),
    (
        "value-on-several-lines",
        GLOBAL + "\n" + ENTRY + "Directory: a\n b\n",
        6,
        "single-value field Directory is continued on an indented line: bashbrew keeps the"
        ' newline, so its value is "a\\nb\\n"',
    ),
    (
        "arch-field-of-unknown-architecture",
        GLOBAL + "\n" + ENTRY + "sparc-Directory: x\n",
        6,
        'field "sparc-Directory" names unknown architecture "sparc", so bashbrew never uses it',
    ),
    (
        "invalid-arch-gitcommit",
        GLOBAL + "\n" + ENTRY + "Architectures: amd64, arm64v8\narm64v8-GitCommit: HEAD\n",
        7,
        'invalid arm64v8-GitCommit "HEAD": bashbrew checks only the plain GitCommit field (must'
        " be a commit: 40 or 64 lowercase hex digits)",
    ),
    (
        "invalid-global-shared-tag-nobody-inherits",
        GLOBAL + "SharedTags: not ok\n\n" + ENTRY + "SharedTags: one\n",
        3,
        'invalid global SharedTags "not ok", accepted only because no entry inherits it (tags'
        " match ^\\w[\\w.-]{{0,127}}$)",
    ),
]


def _big_manifest() -> tuple[str, int]:
    """10 MB of real-looking entries, then an entry repeating the first tag."""
    parts = [GLOBAL]
    size = len(GLOBAL)
    number = 0
    while size < 10_000_000:
        part = (
            f"\nTags: {number}.0-bookworm, {number}-bookworm\nSharedTags: {number}.0\n"
            f"Architectures: amd64, arm64v8\nGitCommit: {C1}\nDirectory: {number}/bookworm\n"
        )
        parts.append(part)
        size += len(part)
        number += 1
    text = "".join(parts)
    line = text.count("\n") + 2
    return text + f"\nTags: 0-bookworm\nGitCommit: {C1}\nDirectory: again\n", line


BIG, BIG_LINE = _big_manifest()
LONG_LINE = "x" * 10_000_000

MANIFEST_CASES = [
    Case(
        f"manifest-{name}",
        ".. image-tags:: bad\n",
        (_at(f"{LIB}:{line}", message),),
        library={"bad": text},
    )
    for name, text, line, message in [
        *MANIFEST_ERRORS,
        (
            "10MB-with-an-error-at-the-end",
            BIG,
            BIG_LINE,
            'Tags "0-bookworm" includes duplicate tag: "0-bookworm" (duplicated in'
            ' "0.0-bookworm, 0-bookworm")',
        ),
        (
            "10MB-line",
            GLOBAL + "\nTags: 1\n" + LONG_LINE + "\n",
            5,
            f"Bad line: '{'x' * 200}... (10000000 characters)' has no ':'",
        ),
    ]
] + [
    Case(
        f"manifest-warning-{name}",
        ".. image-tags:: bad\n",
        (_w(f"{LIB}:{line}", message, "official_images.manifest"),),
        library={"bad": text},
    )
    for name, text, line, message in MANIFEST_WARNINGS
]


# -- directive and role arguments ------------------------------------------------------------

BAD_ARGUMENTS = [
    # (argument line, message after "NAME: ")
    ("nope", "unknown image 'nope': known: bad, widget"),
    ("bad sparc", f"unknown architecture 'sparc' (known: {KNOWN_ARCHES})"),
    ("Bad", "invalid image name 'Bad': expected a plain name such as 'python'"),
    ("../etc/passwd", "invalid image name '../etc/passwd': expected a plain name such as 'python'"),
    ("a/b", "invalid image name 'a/b': expected a plain name such as 'python'"),
    ("/etc/passwd", "invalid image name '/etc/passwd': expected a plain name such as 'python'"),
    ("bad ../x", f"unknown architecture '../x' (known: {KNOWN_ARCHES})"),
]


def _directive_case(name: str) -> Case:
    lines = [f".. {name}:: {args}\n" for args, _ in BAD_ARGUMENTS]
    lines.append(f".. {name}:: bad amd64 extra\n")
    lines.append(f".. {name}::\n")
    expected = [
        _w(f"{{src}}/bad.rst:{4 + 2 * i}", f"{name}: {message}", "official_images.argument")
        for i, (_, message) in enumerate(BAD_ARGUMENTS)
    ]
    expected[0] = expected[0].replace("official_images.argument", "official_images.image")
    count = len(BAD_ARGUMENTS)
    expected.append(
        f'{{src}}/bad.rst:{4 + 2 * count}: ERROR: Error in "{name}" directive:\n'
        f"maximum 2 argument(s) allowed, 3 supplied.\n\n.. {name}:: bad amd64 extra [docutils]"
    )
    expected.append(
        f'{{src}}/bad.rst:{6 + 2 * count}: ERROR: Error in "{name}" directive:\n'
        f"1 argument(s) required, 0 supplied.\n\n.. {name}:: [docutils]"
    )
    return Case(f"directive-{name}", "\n".join(lines), tuple(expected))


ROLE_TARGETS = {
    "image": [
        ("nope", "unknown image 'nope' (no page of this project documents it)"),
        ("bad@sparc", f"unknown architecture 'sparc' in 'bad@sparc' (known: {KNOWN_ARCHES})"),
        (
            "bad:1",
            "malformed image 'bad:1': expected IMAGE or IMAGE@ARCH (use :image-tag: for a tag)",
        ),
        (
            "../etc/passwd",
            "invalid image name '../etc/passwd': expected a plain name such as 'python'",
        ),
        ("a/b", "invalid image name 'a/b': expected a plain name such as 'python'"),
        ("/etc/passwd", "invalid image name '/etc/passwd': expected a plain name such as 'python'"),
    ],
    "image-tag": [
        ("widget:nope", "unknown image tag 'widget:nope' (no page of this project documents it)"),
        (
            "widget:1@sparc",
            f"unknown architecture 'sparc' in 'widget:1@sparc' (known: {KNOWN_ARCHES})",
        ),
        (
            "widget",
            "malformed image tag 'widget': expected IMAGE:TAG or IMAGE:TAG@ARCH,"
            " e.g. 'python:3-slim'",
        ),
        ("widget:-x", "invalid tag '-x' in 'widget:-x': expected IMAGE:TAG or IMAGE:TAG@ARCH"),
        (
            "../etc/passwd:1",
            "invalid image name '../etc/passwd' in '../etc/passwd:1': expected a plain name such"
            " as 'python'",
        ),
        ("a/b:1", "invalid image name 'a/b' in 'a/b:1': expected a plain name such as 'python'"),
        (
            "/etc/passwd:1",
            "invalid image name '/etc/passwd' in '/etc/passwd:1': expected a plain name such as"
            " 'python'",
        ),
    ],
}


def _role_case(role: str) -> Case:
    targets = ROLE_TARGETS[role]
    page = "\n".join(f"See :{role}:`{target}`.\n" for target, _ in targets)
    expected = tuple(
        _w(f"{{src}}/bad.rst:{4 + 2 * i}", message, "official_images.ref")
        for i, (_, message) in enumerate(targets)
    )
    return Case(f"role-{role}", page, expected)


ARGUMENT_CASES = [_directive_case(name) for name in sorted(DIRECTIVES)] + [
    _role_case(role) for role in sorted(ROLE_TARGETS)
]


# -- the docs folder, the facts, the configuration ----------------------------------------------

README = ".. image-readme:: bad\n"


def _symlink_out(root: Path) -> None:
    os.symlink(root / "facts" / "widget.json", root / "docs" / "bad" / "maintainer.md")


INPUT_CASES = [
    Case(
        "missing-docs-folder",
        README,
        (
            _w(
                "{src}/bad.rst:4",
                "image-readme: {root}/nodocs: docs folder does not exist or is not a folder"
                " (for bad)",
            ),
            _w(
                "{src}/good.rst:6",
                "image-tags: {root}/nodocs: docs folder does not exist or is not a folder"
                " (for widget)",
            ),
        ),
        conf='official_images_docs = "../nodocs"\n',
        good_tags=False,
    ),
    Case(
        "missing-library-folder",
        README,
        (
            _w(
                "{src}/bad.rst:4",
                "image-readme: {root}/nolibrary: library folder does not exist or is not a folder"
                " (for bad)",
            ),
            _w(
                "{src}/good.rst:6",
                "image-tags: {root}/nolibrary: library folder does not exist or is not a folder"
                " (for widget)",
            ),
        ),
        conf='official_images_library = "../nolibrary"\n',
        good_tags=False,
    ),
    Case(
        "missing-content-md",
        README,
        (
            _w(
                "{src}/bad.rst:4",
                "image-readme: {root}/docs/bad/content.md: no content.md: update.sh skips images"
                " without one (for bad)",
            ),
        ),
        docs={"bad/content.md": None},
    ),
    Case(
        "missing-github-repo",
        README,
        (
            _w(
                "{src}/bad.rst:4",
                "image-readme: {root}/docs/bad/github-repo: required file is missing (for bad)",
            ),
        ),
        docs={"bad/github-repo": None},
    ),
    Case(
        "variant-file-is-a-folder",
        README,
        (
            _w(
                "{src}/bad.rst:4",
                "image-readme: {root}/docs/bad/variant-slim.md: variant file is a folder, not a"
                " file (skipped, as update.sh does)",
            ),
        ),
        docs={"bad/variant-slim.md/notes.md": "a folder's file"},
        in_bad_page=("Small.",),  # the shared variant-slim.md is used instead, as update.sh does
    ),
    Case(
        "stored-symlink-out-of-the-docs-folder",
        README,
        (
            _w(
                "{src}/bad.rst:4",
                "image-readme: {root}/docs/bad/maintainer.md: stored symbolic link"
                " '../../facts/widget.json' points outside the docs folder (for bad)",
            ),
        ),
        docs={"bad/maintainer.md": "../../facts/widget.json"},
        not_in_bad_page=("buildpack_deps_based",),
    ),
    Case(
        "symlink-out-of-the-docs-folder",
        README,
        (
            _w(
                "{src}/bad.rst:4",
                "image-readme: {root}/docs/bad/maintainer.md: symbolic link points outside the"
                " docs folder (for bad)",
            ),
        ),
        docs={"bad/maintainer.md": None},
        setup=_symlink_out,
        not_in_bad_page=("buildpack_deps_based",),
    ),
    Case(
        "invalid-utf8-in-prose",
        README,
        (
            _at(
                "{root}/docs/bad/content.md:4",
                "file is not valid UTF-8",
            ),
        ),
        docs={"bad/content.md": b"# What is bad?\n\nFine so far.\n\xff\xfe broken\n"},
    ),
    Case(
        "invalid-utf8-in-a-variant-file",
        ".. image-variants:: bad\n",
        (
            _at(
                "{root}/docs/bad/variant-slim.md:3",
                "file is not valid UTF-8",
            ),
        ),
        docs={"bad/variant-slim.md": b"## slim\n\n\xc3\x28\n"},
    ),
    Case(
        "compose-yaml-not-yaml",
        README,
        (
            _at(
                "{root}/docs/bad/compose.yaml:3",
                "not valid YAML: while parsing a flow node: expected the node"
                " content, but found ':'",
            ),
        ),
        docs={"bad/compose.yaml": "services:\n  app: [\n    x: : y\n"},
        in_bad_page=("highlight-yaml",),  # still shown, as update.sh does
    ),
    Case(
        "prose-with-an-unknown-directive",
        README,
        (
            _w(
                "{root}/docs/bad/content.md:5",
                "Unknown directive type: 'no-such-directive'",
                "myst.directive_unknown",
            ),
        ),
        docs={"bad/content.md": "# What is bad?\n\nText.\n\n```{no-such-directive}\n```\n"},
    ),
    Case(
        "prose-including-a-file",
        README,
        (
            _w(
                "{root}/docs/bad/content.md:3",
                'Directive "include" disabled.',
                "docutils",
            ),
        ),
        docs={"bad/content.md": "# What is bad?\n\n```{include} ../../facts/widget.json\n```\n"},
        not_in_bad_page=("buildpack_deps_based",),
    ),
    Case(
        "facts-wrong-type",
        README,
        (
            _at(
                "{root}/facts/bad.json:3",
                '"buildpack_deps_based" must be true, false or null (found "yes")',
            ),
        ),
        facts={"bad.json": '{\n  "logo": {"commit": "abc"},\n  "buildpack_deps_based": "yes"\n}\n'},
    ),
    Case(
        "facts-nested-wrong-type",
        README,
        (
            _at(
                "{root}/facts/bad.json:4",
                '"logo.commit" must be a commit id or ref name (found 42)',
            ),
        ),
        facts={
            "bad.json": '{\n  "buildpack_deps_based": true,\n  "logo": {\n    "commit": 42\n'
            "  }\n}\n"
        },
    ),
    Case(
        "facts-not-json",
        README,
        (
            _at(
                "{root}/facts/bad.json:2",
                "facts file is not valid JSON: Expecting value",
            ),
        ),
        facts={"bad.json": '{\n  "logo": ,\n}\n'},
    ),
]

CASES = MANIFEST_CASES + ARGUMENT_CASES + INPUT_CASES

# "LOCATION: LEVEL:" where LOCATION is an absolute file and a line
_LOCATED = re.compile(r"^/[^:\n]+:\d+: (WARNING|ERROR): ")


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input_is_told_with_file_and_line_and_the_rest_builds(
    case: Case, tmp_path: Path
) -> None:
    root = tmp_path.resolve()
    src = make_site(
        root,
        {"bad.rst": TITLE + case.page},
        library=case.library,
        docs=case.docs,
        facts=case.facts,
        conf=case.conf,
    )
    if case.setup is not None:
        case.setup(root)

    result = build(src, root / "out" / "html")
    expected = [line.format(src=src, root=root) for line in case.expected]
    assert result.warnings == expected
    for warning in result.warnings:
        assert _LOCATED.match(warning), warning
    assert result.status == 0

    # the rest of the site still builds
    good = result.html("good")
    assert GOOD_MARK in good
    if case.good_tags:
        assert "1.0-slim" in good and f"/blob/{COMMIT}/1/Dockerfile" in good
    bad = result.html("bad")
    for text in case.in_bad_page:
        assert text in bad
    for text in case.not_in_bad_page:
        assert text not in bad

    # -W turns it into a failure
    strict = build(src, root / "out" / "strict", werror=True)
    assert strict.status != 0


def test_the_matrix_is_big_enough() -> None:
    assert len(CASES) >= 25
    assert len(MANIFEST_ERRORS) >= 25
    assert len(MANIFEST_WARNINGS) >= 10


# -- accepted: CRLF line endings (a byte-order mark is bashbrew's "missing Maintainers") -------


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda text: text.replace("\n", "\r\n").encode(), id="crlf"),
        pytest.param(lambda text: text.replace("\n", "\r\n").encode() + b"\r", id="lone-cr"),
    ],
)
def test_crlf_manifests_give_the_same_pages(encode: Callable[[str], bytes], tmp_path: Path) -> None:
    page = {"bad.rst": TITLE + README}
    plain_src = make_site(tmp_path / "plain", page)
    odd_src = make_site(tmp_path / "odd", page, library={"bad": encode(manifest_text("bad"))})
    outputs = {}
    for name, src in (("plain", plain_src), ("odd", odd_src)):
        html = build(src, tmp_path / name / "out" / "html", werror=True)
        hub = build(src, tmp_path / name / "out" / "hub", builder="dockerhub", werror=True)
        assert (html.status, html.warnings, hub.status, hub.warnings) == (0, [], 0, [])
        outputs[name] = (
            html.html("bad"),
            (hub.outdir / "bad.md").read_bytes(),
            (hub.outdir / "hub" / "bad.md").read_bytes(),
        )
    assert outputs["odd"] == outputs["plain"]
    assert "\r" not in outputs["odd"][0]
