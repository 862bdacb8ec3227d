"""Benchmark: our manifest parser against python-debian's ``Deb822``.

Usage::

    python benchmarks/parse.py [LIBRARY_DIR] [--rounds N]

Every regular, non-hidden file of LIBRARY_DIR (default:
``../shared/corpus/current/library``) is read into memory first.  Each round
then parses all of them with both parsers, in alternating order:

* ours: ``parse_manifest(bytes, path)``, which decodes, parses, applies the
  inheritance rules and runs every validation;
* Deb822: ``Deb822.iter_paragraphs(lines)`` over the same text with the comment
  lines removed beforehand (Deb822 does not know bashbrew's comments) and the
  lines split beforehand, so it only parses (no validation at all).

The medians of the rounds are printed, and the last line is the ratio,
``ratio ours/Deb822: 0.NN``: the median of the per-round ratios.  The two
runs of a round are adjacent in time, so their ratio is robust to the machine
speeding up or slowing down during the benchmark (shared CI runners and VMs
do that); the ratio of the two medians is printed too.  The SPEC quality bar
is "faster than Deb822"; the project's target is a ratio of 0.5 or less.

Both sides run with the cyclic garbage collector as configured; a first set
of rounds with the collector disabled for both is printed too, to show how
much of the figures is collector pauses.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from debian.deb822 import Deb822

from sphinx_official_images.model.manifest import parse_manifest

DEFAULT_LIBRARY = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "current" / "library"


def _load(library: Path) -> list[tuple[str, bytes]]:
    return [
        (str(path), path.read_bytes())
        for path in sorted(library.iterdir())
        if path.is_file() and not path.name.startswith(".")
    ]


def _strip_comments(text: str) -> str:
    return "\n".join(line for line in text.split("\n") if not line.lstrip().startswith("#"))


def _rounds(
    ours: Callable[[], object], theirs: Callable[[], object], rounds: int
) -> tuple[float, float, float]:
    """Median times (ms) of both sides and the median of the per-round ratios."""
    ours_times: list[float] = []
    theirs_times: list[float] = []
    ours()
    theirs()  # warm-up
    for index in range(rounds):
        pair = ((ours, ours_times), (theirs, theirs_times))
        for func, times in pair if index % 2 == 0 else reversed(pair):
            start = time.perf_counter()
            func()
            times.append(time.perf_counter() - start)
    ratios = [a / b for a, b in zip(ours_times, theirs_times, strict=True)]
    return (
        statistics.median(ours_times) * 1000,
        statistics.median(theirs_times) * 1000,
        statistics.median(ratios),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("library", nargs="?", type=Path, default=DEFAULT_LIBRARY)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args(argv)
    if not args.library.is_dir():
        print(f"{args.library}: not a directory", file=sys.stderr)
        return 2

    files = _load(args.library)
    deb_lines = [
        _strip_comments(data.decode("utf-8")).splitlines(keepends=True) for _, data in files
    ]
    entries = sum(len(parse_manifest(data, name).entries) for name, data in files)

    def ours() -> None:
        for name, data in files:
            parse_manifest(data, name)

    def theirs() -> None:
        for lines in deb_lines:
            for _ in Deb822.iter_paragraphs(lines, use_apt_pkg=False):
                pass

    print(f"{len(files)} manifests, {entries} entries, {args.rounds} rounds")

    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        ours_ms, theirs_ms, ratio = _rounds(ours, theirs, args.rounds)
    finally:
        if gc_was_enabled:
            gc.enable()
    print(
        f"collector off for both: ours {ours_ms:.1f} ms, Deb822 {theirs_ms:.1f} ms"
        f" (ratio {ratio:.2f})"
    )

    ours_ms, theirs_ms, ratio = _rounds(ours, theirs, args.rounds)
    print(f"ours (parse + validate), median: {ours_ms:.1f} ms")
    print(f"Deb822 (parse only), median: {theirs_ms:.1f} ms")
    print(f"ratio of the medians: {ours_ms / theirs_ms:.2f}")
    print(f"ratio ours/Deb822: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
