"""The ``problem-matcher`` sub-command: where the GitHub Actions problem matcher is.

The package ships ``data/problem-matcher.json``, a GitHub Actions problem
matcher for the extension's Sphinx warnings (``PATH:LINE: WARNING: message
[official_images.SUBTYPE]``, and ``ERROR``), so that ``sphinx-build``'s
warnings are annotated on their lines in a pull request.  A workflow
registers it before building::

    echo "::add-matcher::$(sphinx-official-images problem-matcher)"

The command prints the file's path (what ``::add-matcher::`` takes), or with
``--json`` its content (to copy it into a repository).
"""

from __future__ import annotations

import argparse
import sys
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["MATCHER", "add_problem_matcher_parser", "matcher_path", "run_problem_matcher"]

MATCHER = "problem-matcher.json"


def _resource() -> Any:
    return resources.files("sphinx_official_images").joinpath("data", MATCHER)


def matcher_path() -> Path | None:
    """The installed matcher file, or None when the package is not on a file system
    (a zip import), where only its content can be had."""
    resource = _resource()
    return resource if isinstance(resource, Path) and resource.is_file() else None


def add_problem_matcher_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``problem-matcher`` on an ``add_subparsers()`` object."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "problem-matcher",
        help="print the path of the GitHub Actions problem matcher for Sphinx warnings",
        description=(
            "Print the path of the problem matcher shipped with the package, for"
            ' `echo "::add-matcher::$(sphinx-official-images problem-matcher)"` in a'
            " GitHub Actions step before sphinx-build."
        ),
    )
    parser.add_argument("--json", action="store_true", help="print the matcher itself instead")
    parser.set_defaults(func=run_problem_matcher)
    return parser


def run_problem_matcher(args: argparse.Namespace) -> int:
    if args.json:
        sys.stdout.write(_resource().read_text(encoding="utf-8"))
        return 0
    path = matcher_path()
    if path is None:
        print(
            "error: the package is not installed as files; use --json > FILE and add FILE",
            file=sys.stderr,
        )
        return 1
    print(path)
    return 0
