"""Time the git facts on real clones of docker-library/docs and official-images.

Usage::

    python benchmarks/clone_facts.py --docs CLONE/docs --library CLONE/official-images/library
        [--image python] [--arch windows-amd64] [--rounds 7]

Each round runs, interleaved:

* ``readme IMAGE --arch ARCH`` as a new process (process start included),
  without facts (git answers the logo commit, one path);
* the same with a facts folder written once by ``facts --from-readme``;
* ``git log -1 --format=%H -- IMAGE/logo.png`` alone (the floor of a git lookup);
* :func:`~sphinx_official_images.sources.facts.git_commit_table` (one walk
  for every image, what a catalogue build or ``update`` pays once per HEAD).

Prints the median and the spread (min-max) of each, in seconds.  Nothing in
the clones is modified.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sphinx_official_images.sources.facts import git_commit_table


def _timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", required=True, type=Path)
    parser.add_argument("--library", required=True, type=Path)
    parser.add_argument("--image", default="python")
    parser.add_argument("--arch", default="windows-amd64")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    cli = [sys.executable, "-m", "sphinx_official_images"]
    inputs = ["--library", str(args.library), "--docs", str(args.docs)]
    readme = [*cli, "readme", args.image, "--arch", args.arch, *inputs]
    with tempfile.TemporaryDirectory() as tmp:
        facts = Path(tmp) / "facts"
        subprocess.run(
            [*cli, "facts", *inputs, "--out", str(facts), "--from-readme", args.image],
            check=True,
            capture_output=True,
        )
        logo = next(
            (
                f"{args.image}/{n}"
                for n in ("logo.png", "logo.svg")
                if (args.docs / args.image / n).exists()
            ),
            f"{args.image}/logo.png",
        )
        cases: dict[str, Callable[[], object]] = {
            "readme, git (no facts)": lambda: subprocess.run(
                readme, check=True, capture_output=True
            ),
            "readme, facts folder": lambda: subprocess.run(
                [*readme, "--facts", str(facts)], check=True, capture_output=True
            ),
            f"git log -1 -- {logo}": lambda: subprocess.run(
                ["git", "log", "-1", "--format=%H", "--", logo],
                cwd=args.docs,
                check=True,
                capture_output=True,
            ),
            "git_commit_table (all images)": lambda: git_commit_table(args.docs),
        }
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.rounds):
            for name, run in cases.items():
                times[name].append(_timed(run))
    width = max(len(name) for name in times)
    print(f"{args.rounds} interleaved rounds; seconds: median (min-max)")
    for name, values in times.items():
        print(
            f"  {name:<{width}}  {statistics.median(values):.3f} "
            f"({min(values):.3f}-{max(values):.3f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
