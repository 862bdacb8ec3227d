"""Fuzzer: generated and mutated manifests through the parser and the view model.

Usage::

    python benchmarks/fuzz.py [N] [--seed S] [--jobs J] [--save DIR] [--library DIR]

Runs N cases (default 100,000). Each case is a manifest made one of three ways,
from a seeded random generator (the same seed gives the same cases):

* **mutated**: a real manifest (every file of ``../shared/corpus/*/library``,
  plus a few written here) with lines deleted, duplicated, swapped, tokens or
  random text inserted, bytes inserted or flipped, the file truncated, its line
  endings turned to CRLF or a byte-order mark added;
* **generated**: a manifest written from the format's grammar with random
  choices: odd but often valid values (path-like directories, URLs with quotes
  and ``javascript:``, tags at the length limit, per-architecture overrides,
  shared tags, comments, continuation lines);
* **soup**: a sequence of the format's tokens in random order.

Each manifest goes through :func:`parse_manifest`. When it parses, the view
model is built for the default view and for up to three of its architectures
(:func:`build_page`, through a loader whose docs folder exercises variants,
compose, logo and license), its Hub Markdown is rendered and trimmed
(:func:`render_readme`, :func:`hub_markdown`), and the support matrix is built.

Any exception that is not the project's own :class:`OfficialImagesError` is a
*foreign* exception: the case's bytes are saved to ``DIR/case-<n>.manifest``
with the traceback in ``DIR/case-<n>.txt`` (DIR: ``fuzz-failures``), and the
exit status is 1. The last line printed is ``N cases, K foreign exceptions``.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from sphinx_official_images.model.architectures import SUPPORTED_ARCHITECTURES
from sphinx_official_images.model.errors import OfficialImagesError
from sphinx_official_images.model.manifest import Manifest, parse_manifest
from sphinx_official_images.render.hub import hub_markdown
from sphinx_official_images.render.markdown import render_readme
from sphinx_official_images.sources.loader import Loader
from sphinx_official_images.view.matrix import build_matrix
from sphinx_official_images.view.page import build_page

IMAGE = "fuzz"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
C1 = "0123456789abcdef0123456789abcdef01234567"
C2 = "fedcba9876543210fedcba9876543210fedcba98"

INLINE = [
    f"""\
# a comment
Maintainers: Jane Doe <jane@example.com> (@jane),
             John Roe (@john)
GitRepo: https://github.com/example/image.git
Builder: buildkit

Tags: 1.0-bookworm, 1-bookworm, latest
SharedTags: 1.0, 1
Architectures: amd64, arm64v8, windows-amd64
GitCommit: {C1}
Directory: 1.0/bookworm
arm64v8-GitCommit: {C2}
windows-amd64-Directory: 1.0/windows

Tags: 1.0-alpine, 1-alpine
SharedTags: 1.0, 1
Architectures: amd64, s390x
GitFetch: refs/heads/main
GitCommit: {C1}
Directory: 1.0/alpine
Constraints: !aufs
""",
    f"""\
Maintainers: A (@a)
GitRepo: https://gitlab.com/group/r.git
SharedTags: shared

Tags: x-slim
GitCommit: {C1}

Tags: y-noble
GitRepo: https://git.launchpad.net/r
GitCommit: {C2}
Directory: y
""",
]

TOKENS = [
    "Tags: ",
    "SharedTags: latest",
    "Architectures: ",
    "Architectures: amd64, foo",
    "Architectures: windows-amd64",
    "GitCommit: ",
    f"GitCommit: {C1}",
    "GitFetch: refs/tags/",
    "GitRepo:",
    "GitRepo: javascript:alert(1)//github.com/",
    'GitRepo: https://github.com/a/b"><script>alert(1)</script>',
    "Maintainers: x",
    "Maintainers: A (@a)",
    "Directory: //a/../b/",
    "Directory: ../../etc",
    "File: ../Dockerfile",
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
    "%%IMAGE%%",
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

ARCHES = sorted(SUPPORTED_ARCHITECTURES)
# Values bashbrew accepts (some of them odd) and values it refuses (for "odd" manifests).
REPOS = [
    "https://github.com/docker-library/python.git",
    "https://github.com/a/b",
    "git://github.com/a/b.git",
    "https://gitlab.com/a/b.git",
    "https://gitlab.example.org/a/b",
    "https://git.launchpad.net/cloud-images/+oci/ubuntu-base",
    "https://example.com/a.git",
    "javascript:alert(1)//https://github.com/",
    'https://github.com/a/b"onmouseover="alert(1)',
    "https://github.com/a/b><img src=x onerror=alert(1)>",
    "https://github.com/a/b)[x](javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://github.com/a/b c",
    "https://github.com/",
]
DIRECTORIES = [".", "1.0/alpine", "a/../b", "//x//y/", "../../etc", "./", "a b", "<x>", "%%IMAGE%%"]
FILES = ["Dockerfile", "Dockerfile.alpine", "../x", "a/b", "<script>", "Dockerfile?x=1#y"]
SUFFIXES = ["", "-slim", "-alpine", "-bookworm", "-noble", "-windowsservercore-ltsc2022", "-x-y"]
TAG_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-"
BAD_TAGS = ["-x", ".x", "a b", "<script>", "x:y", ""]
BAD_COMMITS = ["abc ", "ZZZ", "", "refs/heads/x"]
BAD_FETCHES = ["main", "refs/x", "refs/heads/*"]


# -- case generation ---------------------------------------------------------------


def _seeds(library: Path | None) -> list[bytes]:
    seeds = [text.encode() for text in INLINE]
    folders = [library] if library else [CORPUS / kind / "library" for kind in ("current", "seed")]
    for folder in folders:
        if folder.is_dir():
            seeds.extend(
                path.read_bytes()
                for path in sorted(folder.iterdir())
                if path.is_file() and not path.name.startswith(".")
            )
    return seeds


def _piece(rng: random.Random) -> str:
    if rng.random() < 0.7:
        return rng.choice(TOKENS)
    codes = [rng.choice([rng.randrange(32, 127), rng.randrange(0x3000)]) for _ in range(12)]
    return "".join(map(chr, codes[: rng.randrange(1, 12)]))


MUTATIONS = [
    *("delete", "duplicate", "swap", "insert", "splice", "long"),  # line-wise
    *("bytes", "truncate", "flip", "crlf", "bom"),  # byte-wise
]


def mutate(rng: random.Random, data: bytes) -> bytes:
    for _ in range(rng.randrange(1, 7)):
        lines = data.split(b"\n")
        index = rng.randrange(len(lines))
        kind = rng.choice(MUTATIONS)
        if kind == "delete":
            del lines[index]
        elif kind == "duplicate":
            lines.insert(index, lines[index])
        elif kind == "swap":
            other = rng.randrange(len(lines))
            lines[index], lines[other] = lines[other], lines[index]
        elif kind == "insert":
            lines.insert(index, _piece(rng).encode("utf-8", "surrogatepass"))
        elif kind == "splice":
            line = lines[index]
            at = rng.randrange(len(line) + 1)
            lines[index] = line[:at] + _piece(rng).encode("utf-8", "surrogatepass") + line[at:]
        elif kind == "long":
            lines[index] += rng.choice([b"a", b"-", b" ", b","]) * rng.randrange(100, 3000)
        if kind in ("delete", "duplicate", "swap", "insert", "splice", "long"):
            data = b"\n".join(lines)
            continue
        at = rng.randrange(len(data) + 1)
        if kind == "bytes":
            data = data[:at] + rng.randbytes(rng.randrange(1, 9)) + data[at:]
        elif kind == "truncate":
            data = data[:at]
        elif kind == "flip" and at < len(data):
            data = data[:at] + bytes([rng.randrange(256)]) + data[at + 1 :]
        elif kind == "crlf":
            data = data.replace(b"\n", b"\r\n")
        elif kind == "bom":
            data = b"\xef\xbb\xbf" + data
    return data


def _tag(rng: random.Random, base: str, odd: bool) -> str:
    roll = rng.random()
    if odd and roll < 0.05:
        return rng.choice(BAD_TAGS)
    if roll < 0.9:
        return base + rng.choice(SUFFIXES)
    first = rng.choice(TAG_CHARS[:-2])  # not "." or "-"
    return first + "".join(rng.choice(TAG_CHARS) for _ in range(rng.choice([0, 4, 126, 127])))


def generate(rng: random.Random) -> bytes:
    """A manifest from the format's grammar, with random (often odd) values.

    About two thirds are "plain": every value is one bashbrew accepts, so the
    view model runs; the others may hold a refused value anywhere.
    """
    odd = rng.random() < 0.35

    def pick(good: list[str], bad: list[str]) -> str:
        return rng.choice(bad) if odd and rng.random() < 0.15 else rng.choice(good)

    lines = []
    if rng.random() < 0.3:
        lines.append("# generated")
    maint = rng.choice(["Jane Doe <jane@example.com> (@jane)", "A (@a)", "J <x> (@j), K (@k)"])
    lines.append(f"Maintainers: {maint}")
    if rng.random() < 0.2:
        lines[-1] += ","
        lines.append("             Second Person <s@example.com> (@second)")
    lines.append(f"GitRepo: {rng.choice(REPOS)}")
    if rng.random() < 0.3:
        lines.append(f"Architectures: {', '.join(rng.sample(ARCHES, rng.randrange(1, 4)))}")
    if rng.random() < 0.2:
        lines.append(f"SharedTags: {_tag(rng, 'g', odd)}")
    if rng.random() < 0.2:
        lines.append("Builder: buildkit")
    used: set[str] = set()
    shared_used: set[str] = set()
    for number in range(rng.randrange(0, 12)):
        lines.append("")
        if rng.random() < 0.1:
            lines.append("# an entry")
        base = f"{rng.randrange(1, 4)}.{number}"
        tags = list(dict.fromkeys(_tag(rng, base, odd) for _ in range(rng.randrange(1, 4))))
        if not odd:
            tags = [tag for tag in tags if tag not in used and tag not in shared_used] or [
                f"t{number}-{len(used)}"
            ]
        elif used and rng.random() < 0.1:
            tags.append(rng.choice(sorted(used)))  # a duplicate tag
        used.update(tags)
        lines.append(f"Tags: {', '.join(tags)}")
        if rng.random() < 0.4:
            shared = [f"{rng.randrange(1, 4)}{rng.choice(SUFFIXES)}" for _ in range(2)]
            shared = [tag for tag in dict.fromkeys(shared) if odd or tag not in used]
            if shared:
                shared_used.update(shared)
                lines.append(f"SharedTags: {', '.join(shared)}")
        if rng.random() < 0.7:
            lines.append(f"Architectures: {', '.join(rng.sample(ARCHES, rng.randrange(1, 5)))}")
        if rng.random() < 0.1:
            lines.append(f"GitRepo: {rng.choice(REPOS)}")
        if rng.random() < 0.1:
            lines.append(f"GitFetch: {pick(['refs/heads/main', 'refs/tags/v1'], BAD_FETCHES)}")
        lines.append(f"GitCommit: {pick([C1, C2, 'abc'], BAD_COMMITS)}")
        lines.append(f"Directory: {rng.choice(DIRECTORIES)}")
        if rng.random() < 0.2:
            lines.append(f"File: {rng.choice(FILES)}")
        if rng.random() < 0.2:
            arch = pick(ARCHES, ["sparc", "x86"])
            field = rng.choice(["GitRepo", "GitFetch", "GitCommit", "Directory", "File", "Builder"])
            value = {"GitCommit": C2, "GitFetch": "refs/heads/x", "GitRepo": rng.choice(REPOS)}
            lines.append(f"{arch}-{field}: {value.get(field, 'sub/dir')}")
        if rng.random() < 0.1:
            lines.append(f"Constraints: {rng.choice(['!aufs', 'windowsservercore-ltsc2022'])}")
        if odd and rng.random() < 0.05:
            lines.append(" continued")
    text = "\n".join(lines) + rng.choice(["\n", "", "\n\n"])
    return text.encode("utf-8")


def soup(rng: random.Random) -> bytes:
    prefix = rng.choice(["", "Maintainers: A (@a)\nGitRepo: https://github.com/a/b\n\n"])
    words = [*TOKENS, "a", "1", "x", "y", ".", C1]
    return (prefix + "".join(rng.choice(words) for _ in range(rng.randrange(60)))).encode(
        "utf-8", "surrogatepass"
    )


def cases(seed: int, start: int, count: int, seeds: list[bytes]) -> Iterator[tuple[int, bytes]]:
    """Cases ``start .. start+count-1``; case ``n`` depends only on ``(seed, n)``."""
    for number in range(start, start + count):
        rng = random.Random(f"{seed}:{number}")
        roll = rng.random()
        if roll < 0.5:
            data = mutate(rng, rng.choice(seeds))
        elif roll < 0.85:
            data = generate(rng)
            if rng.random() < 0.3:
                data = mutate(rng, data)
        else:
            data = soup(rng)
        yield number, data


# -- running a case -------------------------------------------------------------------

HELPERS = {
    ".template-helpers/autogenerated-warning.md": "<!-- %%REPO%% -->\n",
    ".template-helpers/template.md": (
        "%%MAINTAINER%% %%GET-HELP%%\n\n%%TAGS%%\n\n%%ISSUES%% %%ARCHES%%\n\n"
        "%%CONTENT%%%%VARIANT%%%%LICENSE%%\n"
    ),
    ".template-helpers/get-help.md": "help",
    ".template-helpers/issues.md": "%%GITHUB-REPO%%/issues",
    ".template-helpers/license-common.md": "common",
    ".template-helpers/variant.md": "# Variants of %%IMAGE%%",
    ".template-helpers/variant-alpine.md": "## `%%IMAGE%%:<version>-alpine`",
    ".template-helpers/variant-slim.md": "## `%%IMAGE%%:<version>-slim`",
    ".template-helpers/variant-windowsservercore.md": "## windows",
    ".template-helpers/variant-default-debian.md": "Debian: %%DEB-SUITES%%.",
    ".template-helpers/variant-default-ubuntu.md": "Ubuntu: %%DEB-SUITES%%.",
    ".template-helpers/variant-default-buildpack-deps.md": "buildpack-deps.",
    ".template-helpers/compose.md": "Compose:\n\n%%COMPOSE-YAML%%",
    f"{IMAGE}/content.md": "# %%IMAGE%%\n\n%%LOGO%%\n\n%%COMPOSE%%\n",
    f"{IMAGE}/github-repo": "https://github.com/a/fuzz",
    f"{IMAGE}/maintainer.md": "[team](%%GITHUB-REPO%%)",
    f"{IMAGE}/license.md": "MIT",
    f"{IMAGE}/logo.svg": "<svg/>",
    f"{IMAGE}/compose.yaml": "services:\n  a:\n    image: %%IMAGE%%\n",
    f"{IMAGE}/variant-bookworm.md": "## bookworm",
    f"{IMAGE}/variant-noble.md": "",
}
SUITES = {
    "debian": f"Maintainers: D (@d)\nGitRepo: https://github.com/d/d\nGitCommit: {C1}\n\n"
    "Tags: bookworm, 12\nDirectory: a\n\nTags: trixie\nDirectory: b\n",
    "ubuntu": f"Maintainers: U (@u)\nGitRepo: https://github.com/u/u\nGitCommit: {C1}\n\n"
    "Tags: noble, 24.04\nDirectory: a\n",
}


class FuzzLoader(Loader):
    """A loader whose ``fuzz`` manifest is the case being run (no file written)."""

    current: Manifest

    def manifest(self, image: str) -> Manifest:
        if image == IMAGE:
            return self.current
        return super().manifest(image)


def make_loader(root: Path) -> FuzzLoader:
    for rel, text in {**HELPERS, **{f"library/{k}": v for k, v in SUITES.items()}}.items():
        path = root / ("docs/" + rel if not rel.startswith("library/") else rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return FuzzLoader(root / "library", root / "docs")


def run_case(loader: FuzzLoader, data: bytes) -> str:
    """The outcome of one case: ``ok``, or the name of the project's error type."""
    try:
        manifest = parse_manifest(data, f"library/{IMAGE}")
        loader.current = manifest
        views: list[str | None] = [None, *manifest.architectures()[:3]]
        for arch in views:
            page = build_page(loader, IMAGE, arch)
            hub_markdown(render_readme(page), IMAGE)
            build_matrix(manifest, arch)
        return "ok"
    except OfficialImagesError as exc:
        return type(exc).__name__


def run_chunk(
    seed: int, start: int, count: int, library: str | None, save: str
) -> tuple[Counter[str], list[int]]:
    seeds = _seeds(Path(library) if library else None)
    outcomes: Counter[str] = Counter()
    foreign: list[int] = []
    with tempfile.TemporaryDirectory(prefix="oi-fuzz-") as tmp:
        loader = make_loader(Path(tmp))
        for number, data in cases(seed, start, count, seeds):
            try:
                outcomes[run_case(loader, data)] += 1
            except Exception:  # a foreign exception: save the reproducer
                outcomes["foreign"] += 1
                foreign.append(number)
                folder = Path(save)
                folder.mkdir(parents=True, exist_ok=True)
                (folder / f"case-{number}.manifest").write_bytes(data)
                (folder / f"case-{number}.txt").write_text(
                    f"seed {seed}, case {number}\n\n{traceback.format_exc()}", encoding="utf-8"
                )
    return outcomes, foreign


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=100_000, help="number of cases")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", "-j", type=int, default=1, help="worker processes")
    parser.add_argument("--save", default="fuzz-failures", help="folder for reproducers")
    parser.add_argument("--library", help="folder of seed manifests (default: the corpus)")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    jobs = max(1, min(args.jobs, os.cpu_count() or 1))
    size = -(-args.n // jobs)
    chunks = [
        (args.seed, start, min(size, args.n - start), args.library, args.save)
        for start in range(0, args.n, size)
    ]
    outcomes: Counter[str] = Counter()
    foreign: list[int] = []
    if jobs == 1:
        results = [run_chunk(*chunk) for chunk in chunks]
    else:
        with ProcessPoolExecutor(jobs) as pool:
            results = list(pool.map(run_chunk, *zip(*chunks, strict=True)))
    for counts, numbers in results:
        outcomes.update(counts)
        foreign.extend(numbers)
    elapsed = time.perf_counter() - started

    detail = ", ".join(f"{name} {count}" for name, count in sorted(outcomes.items()))
    print(f"seed {args.seed}, {jobs} job(s), {elapsed:.1f} s ({detail})")
    if foreign:
        print(f"reproducers of cases {foreign[:20]} saved in {Path(args.save).resolve()}")
    print(f"{args.n} cases, {len(foreign)} foreign exceptions")
    return 1 if foreign else 0


if __name__ == "__main__":
    sys.exit(main())
