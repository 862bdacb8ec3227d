"""Time ``update`` (every README of a docs folder) on a copy of the corpus docs tree.

Usage::

    python benchmarks/update.py [--corpus PATH] [--repeat N]

The corpus docs tree (``../shared/corpus/current/docs``, or
``OFFICIAL_IMAGES_CORPUS``) is copied to a temporary folder, its expected
``README.md`` files are deleted, and ``update_readmes`` regenerates all of
them with a fresh loader (cold caches, as one ``sphinx-official-images
update`` run).  The script checks every README came back byte-identical and
prints the time.  ``--repeat`` runs it again on the same copy (a second run
rewrites nothing: unchanged READMEs are not written).
"""

from __future__ import annotations

import argparse
import os
import shutil
import stat
import sys
import tempfile
import time
from pathlib import Path

from sphinx_official_images.cli.update import update_readmes
from sphinx_official_images.sources.loader import Loader


def _default_corpus() -> Path:
    env = os.environ.get("OFFICIAL_IMAGES_CORPUS")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "corpus"


def _make_writable(root: Path) -> None:
    for folder, dirs, files in os.walk(root):
        for name in [*dirs, *files]:
            path = Path(folder, name)
            if not path.is_symlink():
                path.chmod(path.stat().st_mode | stat.S_IWUSR)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=_default_corpus())
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    current = args.corpus / "current"
    if not (current / "docs").is_dir():
        print(f"corpus not found at {args.corpus}", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="oi-update-bench-") as tmp:
        docs = Path(tmp) / "docs"
        shutil.copytree(current / "docs", docs, symlinks=True)
        _make_writable(docs)
        expected: dict[str, bytes] = {}
        for readme in docs.glob("*/README.md"):
            expected[readme.parent.name] = readme.read_bytes()
            readme.unlink()

        for run in range(1, max(args.repeat, 1) + 1):
            start = time.perf_counter()
            loader = Loader(current / "library", docs, current / "facts")
            results = update_readmes(loader)
            elapsed = time.perf_counter() - start
            counts: dict[str, int] = {}
            for result in results:
                counts[result.status] = counts.get(result.status, 0) + 1
                if result.status == "error":
                    print(f"error: {result.message}", file=sys.stderr)
            identical = sum(
                1
                for image, data in expected.items()
                if (docs / image / "README.md").is_file()
                and (docs / image / "README.md").read_bytes() == data
            )
            summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
            print(
                f"run {run}: update of {len(results)} images in {elapsed:.3f} s ({summary}); "
                f"{identical}/{len(expected)} READMEs byte-identical"
            )
            if identical != len(expected):
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
