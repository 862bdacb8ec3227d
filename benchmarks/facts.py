"""Time the generated catalogue with the image-facts sources on against it without them.

Usage::

    python benchmarks/facts.py [--corpus PATH] [--meta-sample PATH]
                               [--set corpus|meta] [--theme T] [--rounds N] [--every N]

Issue 16's budget: with every source on (``official_images_repo_info`` and
``official_images_meta``), the full catalogue stays within 1.1x its build
time without them. Two project sets:

* ``corpus`` (default): the corpus' 144 images (``../shared/corpus/current``),
  with ``../shared/corpus/repo-info`` and ``../shared/meta-sample``'s
  ``sources.json``. The meta sample is of 2024 and the corpus of 2026, so few
  builds match a record; every page still reads and looks up everything.
* ``meta``: the meta sample's own 42 images (its ``library/`` and ``docs/``),
  where every entry has its records: the base-image tables, "Used as a base
  by" and the parents graphs are all there (Graphviz draws them when ``dot``
  is installed).

Rounds are interleaved (off, on, off, on...), every build in a fresh
interpreter (see ``catalogue.py``); it prints each round, the median of each
mode with its range, the median of the per-round ratios on/off, and the
median CPU of each phase of the build (``_phases.py``) in both modes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from catalogue import Build, Corpus, _conf, _default_corpus, sphinx_build
from sphinx_official_images.sources.loader import Loader


def _project(root: Path, corpus: Corpus, theme: str, extra: str, images: list[str] | None) -> Path:
    src = root / "src"
    src.mkdir(parents=True)
    generate = True if images is None else {"images": images}
    conf = _conf(corpus, theme, f"official_images_generate = {generate!r}\n" + extra)
    (src / "conf.py").write_text(conf, encoding="utf-8")
    (src / "index.md").write_text(
        "# Facts benchmark\n\n```{toctree}\ncatalogue/index\n```\n", encoding="utf-8"
    )
    return src


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=_default_corpus())
    parser.add_argument("--meta-sample", type=Path)
    parser.add_argument("--set", choices=("corpus", "meta"), default="corpus")
    parser.add_argument("--theme", default="alabaster")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--every", type=int, default=1, help="every Nth image only (default: all of them)"
    )
    args = parser.parse_args(argv)
    meta = (args.meta_sample or args.corpus.parent / "meta-sample").resolve()
    if args.set == "corpus":
        current = args.corpus / "current"
        corpus = Corpus(current / "library", current / "docs", current / "facts")
    else:
        corpus = Corpus(meta / "library", meta / "docs", Path())  # no facts: set below
    extra = (
        f"official_images_repo_info = {str(args.corpus / 'repo-info')!r}\n"
        f"official_images_meta = {str(meta)!r}\n"
    )
    images = None
    if args.every > 1:
        loader = Loader(corpus.library, corpus.docs)
        images = sorted(set(loader.images()) & set(loader.manifest_images()))[:: args.every]
    print(
        f"set {args.set}; {'all' if images is None else len(images)} images; "
        f"theme {args.theme}; dot {'yes' if shutil.which('dot') else 'no'}; "
        f"load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    times: dict[str, list[Build]] = {"off": [], "on": []}
    with tempfile.TemporaryDirectory(prefix="oi-facts-bench-") as tmp:
        work = Path(tmp)
        if args.set == "meta":
            (work / "facts").mkdir()  # the sample has no facts folder
            corpus = Corpus(corpus.library, corpus.docs, work / "facts")
        for run in range(max(args.rounds, 1)):
            line = []
            for mode in ("off", "on") if run % 2 == 0 else ("on", "off"):
                root = work / f"{mode}-{run}"
                src = _project(root, corpus, args.theme, extra if mode == "on" else "", images)
                build = sphinx_build(src, root / "_build", 1, False)
                times[mode].append(build)
                line.append(
                    f"{mode} {build.seconds:.1f} s wall, {build.cpu:.1f} s CPU"
                    f" ({build.warnings} warnings)"
                )
                shutil.rmtree(root)
            print(f"round {run + 1}: " + ", ".join(line), flush=True)
    for what in ("seconds", "cpu"):
        label = "wall" if what == "seconds" else "CPU"
        for mode, builds in times.items():
            values = [getattr(b, what) for b in builds]
            print(
                f"{mode:>3} {label:>4}: median {statistics.median(values):.1f} s "
                f"(range {min(values):.1f}-{max(values):.1f})"
            )
        ratios = [
            getattr(on, what) / getattr(off, what)
            for on, off in zip(times["on"], times["off"], strict=True)
        ]
        print(
            f"on/off {label}: median {statistics.median(ratios):.3f} "
            f"(range {min(ratios):.3f}-{max(ratios):.3f}) over {len(ratios)} rounds"
        )
    _print_phases(times)
    return 0


def _print_phases(times: dict[str, list[Build]]) -> None:
    """Where the extra time goes: the median CPU seconds of each phase, off and on."""
    names = sorted(
        {name for builds in times.values() for b in builds for name in b.phases},
        key=lambda name: -statistics.median(b.phases.get(name, (0, 0))[1] for b in times["on"]),
    )
    print("phase (CPU s, median)      off      on    on-off")
    for name in names:
        off, on = (
            statistics.median(b.phases.get(name, (0.0, 0.0))[1] for b in times[mode])
            for mode in ("off", "on")
        )
        if max(off, on) >= 0.05:
            print(f"  {name:<22} {off:7.2f} {on:7.2f} {on - off:+8.2f}")


if __name__ == "__main__":
    sys.exit(main())
