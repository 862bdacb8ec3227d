"""Benchmark: parse times of crafted, several-MB manifests (linear time on any input).

Usage::

    python benchmarks/pathological.py [--rounds N] [--scale X]

Each case is a manifest of a few MB built from one pathological shape: the
inputs that made earlier versions (or would make a backtracking regular
expression) take quadratic time.  Every case is parsed ``--rounds`` times,
interleaved with the others, and the median and the spread (min-max) of the
parse times are printed with the input size and whether the parser accepted
or refused the file (each case states bashbrew's outcome).  Both the wall
time and the CPU time of the process are measured: on a shared machine the
CPU time is the figure that tells what the parser costs.  ``--scale 2``
doubles every input: a linear parser about doubles its times.  The target is
well under a second per case.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable

from sphinx_official_images.model.errors import ManifestError
from sphinx_official_images.model.manifest import parse_manifest

C1 = "0123456789abcdef0123456789abcdef01234567"
G = "Maintainers: Jane Doe <jane@example.com> (@jane)\nGitRepo: https://example.com/r.git\n"


def maintainers_spaces(n: int) -> str:
    """A maintainer with a 4,000,000-space run and no match (bashbrew: invalid Maintainers)."""
    return f"Maintainers: Jane{' ' * (4_000_000 * n)}x\nGitRepo: r\n"


def maintainers_spaces_valid(n: int) -> str:
    """Long whitespace runs in valid maintainers (bashbrew: accepted)."""
    spaces = " " * (1_000_000 * n)
    return f"Maintainers: Jane{spaces}<j@example.com>{spaces}(@jane),{spaces}John (@john)\n"


def tags_300k(n: int) -> str:
    """One entry with a 300,000-tag list (bashbrew: accepted)."""
    tags = ", ".join(f"t{i}" for i in range(300_000 * n))
    return G + f"\nTags: {tags}\nGitCommit: {C1}\n"


def tags_300k_duplicate(n: int) -> str:
    """The same list ending in a duplicate tag (bashbrew: duplicate tag, the careful pass)."""
    tags = ", ".join(f"t{i}" for i in range(300_000 * n))
    return G + f"\nTags: {tags}, t0\nGitCommit: {C1}\n"


def entries_20k_duplicate(n: int) -> str:
    """20,000 entries, then one repeating the first tag (bashbrew: duplicate tag; the
    careful pass checks every entry)."""
    return (
        G
        + "".join(
            f"\nTags: {i}.0-bookworm, {i}-bookworm\nSharedTags: {i}.0\nGitCommit: {C1}\n"
            f"Directory: {i}/bookworm\n"
            for i in range(20_000 * n)
        )
        + f"\nTags: 0-bookworm\nGitCommit: {C1}\nDirectory: again\n"
    )


def continuation_400k(n: int) -> str:
    """A field with 400,000 short continuation lines (bashbrew: accepted, unknown field)."""
    return G + f"\nTags: 1\nGitCommit: {C1}\nNotes: x\n" + " ab\n" * (400_000 * n)


def continued_tags_400k(n: int) -> str:
    """Tags over 400,000 continuation lines (bashbrew: accepted)."""
    lines = ",\n ".join(f"t{i}" for i in range(400_000 * n))
    return G + f"\nTags: {lines}\nGitCommit: {C1}\n"


def merged_30k(n: int) -> str:
    """30,000 entries with the same build artifacts, merged into one (bashbrew: accepted)."""
    return G + "".join(f"\nTags: t{i}\nGitCommit: {C1}\n" for i in range(30_000 * n))


def shared_tags_20k(n: int) -> str:
    """20,000 entries sharing tags, 4 shared-tag groups (bashbrew: accepted)."""
    return G + "".join(
        f"\nTags: t{i}\nSharedTags: s{i % 3}, all\nGitCommit: {C1}\nDirectory: d{i}\n"
        for i in range(20_000 * n)
    )


def orphans_400k(n: int) -> str:
    """400,000 continuation lines with no field (bashbrew: ignored; one warning)."""
    return " orphan\n" * (400_000 * n) + G


def unknown_fields_100k(n: int) -> str:
    """100,000 misspelt fields in the global paragraph (bashbrew: ignored; capped warnings)."""
    return (
        G
        + "".join(f"Architecures{i}: amd64\n" for i in range(100_000 * n))
        + (f"\nTags: 1\nGitCommit: {C1}\n")
    )


def long_line_no_colon(n: int) -> str:
    """A 4 MB line without ':' (bashbrew: Bad line)."""
    return G + "\n" + "x" * (4_000_000 * n) + "\n"


def invalid_utf8_lines(n: int) -> bytes:
    """100,000 lines with bytes that are not UTF-8 (bashbrew: accepted; capped warnings)."""
    return G.encode() + b"".join(b"X-Note: caf\xe9\n" for _ in range(100_000 * n))


CASES: list[Callable[[int], str | bytes]] = [
    maintainers_spaces,
    maintainers_spaces_valid,
    tags_300k,
    tags_300k_duplicate,
    entries_20k_duplicate,
    continuation_400k,
    continued_tags_400k,
    merged_30k,
    shared_tags_20k,
    orphans_400k,
    unknown_fields_100k,
    long_line_no_colon,
    invalid_utf8_lines,
]


def _outcome(data: str | bytes) -> str:
    try:
        manifest = parse_manifest(data, "pathological")
    except ManifestError as exc:
        return f"error at line {exc.line}"
    groups = len(manifest.shared_tag_groups())
    return f"{len(manifest.entries)} entries, {groups} groups, {len(manifest.warnings)} warnings"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--scale", type=int, default=1)
    args = parser.parse_args(argv)
    inputs = [(case.__name__, case(args.scale)) for case in CASES]
    times: dict[str, list[float]] = {name: [] for name, _ in inputs}
    cpu: dict[str, list[float]] = {name: [] for name, _ in inputs}
    outcomes = {name: _outcome(data) for name, data in inputs}  # also a warm-up
    for index in range(args.rounds):
        order = inputs if index % 2 == 0 else inputs[::-1]
        for name, data in order:
            start = time.perf_counter()
            start_cpu = time.process_time()
            try:
                manifest = parse_manifest(data, "pathological")
                manifest.shared_tag_groups()
            except ManifestError:
                pass
            cpu[name].append(time.process_time() - start_cpu)
            times[name].append(time.perf_counter() - start)
    print(f"{len(inputs)} cases, {args.rounds} rounds (interleaved), scale {args.scale}")
    worst = 0.0
    for name, data in inputs:
        ms = [t * 1000 for t in times[name]]
        cpu_ms = [t * 1000 for t in cpu[name]]
        median = statistics.median(cpu_ms)
        worst = max(worst, median)
        size = len(data) / 1_000_000
        print(
            f"{name:24} {size:4.1f} MB  cpu median {median:6.0f} ms"
            f" ({min(cpu_ms):.0f}-{max(cpu_ms):.0f})  wall median {statistics.median(ms):6.0f} ms"
            f" ({min(ms):.0f}-{max(ms):.0f})  {outcomes[name]}"
        )
    print(f"slowest cpu median: {worst:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
