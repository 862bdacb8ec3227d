"""Property: whatever the input, the parser returns a Manifest or raises ManifestError.

Three sources of input: real manifests from the corpus (and a few inline ones,
so the test also runs without the corpus) mutated at random (lines deleted,
duplicated, swapped, text or bytes inserted, the file truncated, characters
flipped); realistic manifests generated from scratch (a global paragraph,
entries with tags and shared tags, architectures, per-architecture overrides,
comments, continuation lines, merges), valid by construction unless one error
is planted; and token soup.  On all three, the optimistic and the careful pass
must give the same manifest, warnings included, or the same error.
"""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sphinx_official_images.model.manifest import Manifest, ManifestError, _parse, parse_manifest

C1 = "0123456789abcdef0123456789abcdef01234567"

INLINE = [
    f"""\
# a comment
Maintainers: Jane Doe <jane@example.com> (@jane),
             John Roe (@john)
GitRepo: https://github.com/example/image.git
Builder: buildkit

Tags: 1.0-debian, 1-debian, latest
SharedTags: 1.0, 1
Architectures: amd64, arm64v8, windows-amd64
GitCommit: {C1}
Directory: 1.0/debian
arm64v8-GitCommit: {C1}
windows-amd64-Directory: 1.0/windows

Tags: 1.0-alpine
SharedTags: 1.0, 1
Architectures: amd64, s390x
GitFetch: refs/heads/main
GitCommit: {C1}
Directory: 1.0/alpine
Constraints: !aufs
""",
    f"""\
Maintainers: A (@a)
GitRepo: https://example.com/r.git
SharedTags: shared

Tags: x
GitCommit: {C1}

Tags: y
GitCommit: {C1}
""",
]

_CORPUS = Path(
    os.environ.get("OFFICIAL_IMAGES_CORPUS")
    or Path(__file__).resolve().parents[3] / "shared" / "corpus"
)


def _seeds() -> list[bytes]:
    seeds = [text.encode() for text in INLINE]
    for library in (_CORPUS / "current" / "library", _CORPUS / "seed" / "library"):
        if library.is_dir():
            seeds.extend(
                path.read_bytes()
                for path in sorted(library.iterdir())
                if path.is_file() and not path.name.startswith(".")
            )
    return seeds


SEEDS = _seeds()

# Pieces that reach the parser's special cases more often than random text does.
TOKENS = [
    "Tags: ",
    "SharedTags: latest",
    "Architectures: ",
    "Architectures: amd64, foo",
    "GitCommit: ",
    "GitFetch: refs/tags/",
    "GitRepo:",
    "Maintainers: x",
    "Directory: //a/../b/",
    "amd64-GitCommit: zz",
    "windows-amd64-Directory:",
    "foo-File: x",
    "-Builder: x",
    "Constraints: ",
    "latest",
    ", ",
    ",",
    ":",
    " ",
    "\t",
    " .",
    "#",
    "  # comment",
    "\r",
    "\r\n",
    "\n",
    "\n\n",
    "\ufeff",
    "\x85",
    "\xa0",
    "\u2028",
    "\x0b",
    "\x1c",
    "\x00",
]

pieces = st.one_of(st.sampled_from(TOKENS), st.text(max_size=20))


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        lines = data.split(b"\n")
        index = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        kind = draw(
            st.sampled_from(
                ["delete", "duplicate", "swap", "insert", "splice", "bytes", "truncate", "flip"]
            )
        )
        if kind == "delete":
            del lines[index]
        elif kind == "duplicate":
            lines.insert(index, lines[index])
        elif kind == "swap":
            other = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif kind == "insert":
            lines.insert(index, draw(pieces).encode("utf-8", "surrogatepass"))
        elif kind == "splice":
            line = lines[index]
            at = draw(st.integers(min_value=0, max_value=len(line)))
            lines[index] = line[:at] + draw(pieces).encode("utf-8", "surrogatepass") + line[at:]
        if kind in ("delete", "duplicate", "swap", "insert", "splice"):
            data = b"\n".join(lines)
            continue
        at = draw(st.integers(min_value=0, max_value=len(data)))
        if kind == "bytes":
            data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
        elif kind == "truncate":
            data = data[:at]
        elif kind == "flip" and at < len(data):
            data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
    return data


def _check(result: object) -> None:
    assert isinstance(result, Manifest)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mutated())
def test_mutated_manifests_parse_or_raise_manifest_error(data: bytes) -> None:
    try:
        _check(parse_manifest(data, "library/fuzz"))
    except ManifestError as exc:
        assert exc.path == "library/fuzz"
        assert isinstance(exc.line, int) and exc.line >= 1
        assert exc.line <= data.count(b"\n") + 1
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    try:
        _check(parse_manifest(text, "library/fuzz"))
    except ManifestError as exc:
        assert isinstance(exc.line, int) and exc.line >= 1


soup = st.lists(st.sampled_from([*TOKENS, "a", "1", "x", "y", ".", C1]), max_size=60).map("".join)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["", "Maintainers: A (@a)\nGitRepo: r\n\n"]), soup)
def test_token_soup_parses_or_raises_manifest_error(prefix: str, text: str) -> None:
    text = prefix + text
    try:
        _check(parse_manifest(text, "soup"))
    except ManifestError as exc:
        assert exc.line is not None and exc.line >= 1


def _outcome(data: bytes | str, fast: bool) -> object:
    try:
        manifest = _parse(data, "x", fast)
    except ManifestError as exc:
        return (exc.line, exc.message, exc.warnings)
    return (manifest, manifest.warnings)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mutated())
def test_fast_and_careful_passes_agree(data: bytes) -> None:
    """The optimistic pass gives the careful pass's manifest, or its error."""
    assert _outcome(data, True) == _outcome(data, False)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["", "Maintainers: A (@a)\nGitRepo: r\n\n"]), soup)
def test_fast_and_careful_passes_agree_on_token_soup(prefix: str, text: str) -> None:
    assert _outcome(prefix + text, True) == _outcome(prefix + text, False)


def test_seeds_are_valid() -> None:
    for data in SEEDS:
        _check(parse_manifest(data, "seed"))
        assert _outcome(data, True) == _outcome(data, False)


# -- realistic manifests ---------------------------------------------------------------

ARCHES = ["amd64", "arm32v6", "arm32v7", "arm64v8", "i386", "ppc64le", "s390x", "windows-amd64"]
COMMITS = [C1, "2" * 40, "abcdef0123" * 4, "f" * 64]
DIRECTORIES = ["1.0", "1.0/alpine", "./2.0//slim/", "2.0/slim", "."]
# planted errors: each makes bashbrew refuse the file
PLANTS = [
    "GitCommit: deadbeef",
    "GitFetch: main",
    "Architectures: amd64, arm64",
    "Tags: bad tag",
    "Values: x",
    "Maintainers: nobody",
    "no colon here",
]


def _spelled(draw: st.DrawFn, items: list[str]) -> str:
    """A list value the way people write it: "a, b", "a,b", or over continuation lines."""
    style = draw(st.sampled_from(["canon", "canon", "canon", "tight", "lines"]))
    if style == "canon":
        return ", ".join(items)
    if style == "tight":
        return ",".join(items)
    return ",\n  ".join(items)


@st.composite
def realistic(draw: st.DrawFn) -> tuple[str, bool]:
    """A manifest like the real ones, and whether an error was planted in it."""
    out: list[str] = []
    if draw(st.booleans()):
        out.append("# this file is generated via https://github.com/example/image")
        out.append("")
    maintainers = ["Jane Doe <jane@example.com> (@jane)", "John Roe (@john)"]
    out.append("Maintainers: " + ",\n             ".join(maintainers[: draw(st.integers(1, 2))]))
    out.append("GitRepo: https://github.com/example/image.git")
    if draw(st.booleans()):
        out.append("Builder: buildkit")
    if draw(st.booleans()):
        out.append("GitFetch: refs/heads/main")
    global_shared = draw(st.booleans())
    if global_shared:
        out.append("SharedTags: latest")
    if draw(st.booleans()):
        out.append(
            "Architectures: " + ", ".join(draw(st.sets(st.sampled_from(ARCHES), min_size=1)))
        )
    counter = 0
    shared_pool = ["1", "1.0", "stable", "lts"]
    for index in range(draw(st.integers(0, 10))):
        out.append("")
        if draw(st.integers(0, 4)) == 0:
            out.append("# an entry")
        tags = []
        for _ in range(draw(st.integers(1, 4))):
            counter += 1
            tags.append(f"{counter}.{index}-v{draw(st.integers(0, 3))}")
        fields = ["Tags: " + _spelled(draw, tags)]
        if draw(st.booleans()) and not global_shared:
            shared = draw(st.lists(st.sampled_from(shared_pool), min_size=1, max_size=3))
            fields.append("SharedTags: " + _spelled(draw, shared))
        elif global_shared and draw(st.booleans()):
            fields.append("SharedTags: " + _spelled(draw, [f"s{index}"]))
        if draw(st.booleans()):
            arches = sorted(draw(st.sets(st.sampled_from(ARCHES), min_size=1)))
            fields.append("Architectures: " + _spelled(draw, arches))
        fields.append("GitCommit: " + draw(st.sampled_from(COMMITS)))
        fields.append("Directory: " + draw(st.sampled_from(DIRECTORIES)))
        if draw(st.integers(0, 3)) == 0:
            fields.append("File: Dockerfile.alt")
        for _ in range(draw(st.integers(0, 2))):
            arch = draw(st.sampled_from(ARCHES))
            kind = draw(st.sampled_from(["GitCommit", "Directory", "File", "GitRepo"]))
            value = {
                "GitCommit": draw(st.sampled_from(COMMITS)),
                "Directory": draw(st.sampled_from(DIRECTORIES)),
                "File": "Dockerfile." + arch,
                "GitRepo": "https://github.com/example/other.git",
            }[kind]
            fields.append(f"{arch}-{kind}: {value}")
        if draw(st.integers(0, 5)) == 0:
            fields.append("Constraints: " + _spelled(draw, ["!aufs", "windowsservercore-ltsc2022"]))
        order = draw(st.permutations(range(len(fields))))
        for position in order:
            out.append(fields[position])
            if draw(st.integers(0, 8)) == 0:
                out.append("  # a comment inside the paragraph")
    planted = draw(st.integers(0, 3)) == 0 and len(out) > 3
    if planted:
        at = draw(st.integers(3, len(out)))
        out.insert(at, draw(st.sampled_from(PLANTS)))
    return "\n".join(out) + "\n", planted


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(realistic())
def test_fast_and_careful_passes_agree_on_realistic_manifests(case: tuple[str, bool]) -> None:
    text, planted = case
    fast = _outcome(text, True)
    assert fast == _outcome(text, False)
    assert _outcome(text.encode("utf-8"), True) == fast
    if not planted:
        # valid by construction (shared tags may repeat across entries, as bashbrew allows)
        if not isinstance(fast[0], Manifest):
            # only a shared tag equal to a tag, or a repeated shared pool tag in one
            # entry's Tags, can make bashbrew refuse an unplanted file: neither is generated
            raise AssertionError(fast)
        assert fast[0].entries or "\nTags:" not in text
