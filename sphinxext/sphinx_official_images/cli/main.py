"""The ``sphinx-official-images`` command line.

Each sub-command is a pair of functions: ``_add_NAME(subparsers)`` registers
it (arguments, help, and ``func`` set to its runner) and ``_cmd_NAME(args)``
runs it and returns the exit status.  :func:`build_parser` calls every
registration function in :data:`_COMMANDS`; add a new sub-command by writing
its pair and listing the registration function there.

Exit status: 0 success, 1 problems found in the input, 2 usage errors.
``check`` finds errors (what bashbrew refuses) and warnings (what it accepts
silently); warnings alone exit 0 unless ``--strict``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sphinx_official_images._version import __version__
from sphinx_official_images.cli import report
from sphinx_official_images.cli.images import unknown_image
from sphinx_official_images.model.architectures import is_plain_name
from sphinx_official_images.model.errors import ManifestError
from sphinx_official_images.model.manifest import load_manifest
from sphinx_official_images.sources.loader import manifest_files

__all__ = ["build_parser", "main"]

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


# -- check -----------------------------------------------------------------------


def _add_check(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "check",
        help="validate manifests the way bashbrew reads them",
        description=(
            "Parse every manifest of the library folder (or only the named images) with"
            " bashbrew's rules and report each problem as PATH:LINE: error: MESSAGE (what"
            " bashbrew refuses) or PATH:LINE: warning: MESSAGE (what it accepts silently)."
            " Exit status 1 when there are errors (or, with --strict, warnings)."
        ),
    )
    parser.add_argument("--strict", action="store_true", help="exit with status 1 on warnings too")
    parser.add_argument(
        "--library",
        default="library",
        metavar="DIR",
        help="official-images library/ folder (default: %(default)s)",
    )
    parser.add_argument(
        "images", nargs="*", metavar="IMAGE", help="image names (default: every manifest)"
    )
    parser.add_argument(
        "--format",
        choices=sorted(report.FORMATS),
        default="text",
        help="text (PATH:LINE: error|warning: message), github (workflow commands that"
        " annotate a pull request) or json (one object per problem) (default: %(default)s)",
    )
    parser.set_defaults(func=_cmd_check)
    return parser


def check_manifest(path: Path) -> list[report.Problem]:
    """Every warning and the error (if any) of one manifest, by line."""
    try:
        manifest = load_manifest(path)
    except ManifestError as exc:
        found = [report.from_warning(w) for w in exc.warnings]
        found.append(report.from_error(exc))
        found.sort(key=lambda p: p.line or 0)
        return found
    return [report.from_warning(w) for w in manifest.warnings]


def _cmd_check(args: argparse.Namespace) -> int:
    library = Path(args.library)
    if not library.is_dir():
        print(f"error: {library}: no such directory (expected --library DIR)", file=sys.stderr)
        return EXIT_USAGE

    problems: list[report.Problem] = []
    paths: list[Path] = []
    if args.images:
        for name in args.images:
            if not is_plain_name(name):
                message = (
                    f"{name}: refused: not a plain image name (expected lowercase letters,"
                    " digits, '.', '_' and '-', without '/' or '..')"
                )
                problems.append(report.Problem(None, None, "error", "refused-name", message))
                continue
            path = library / name
            if not path.is_file():
                known = [p.name for p in manifest_files(library)]
                message = unknown_image(name, known, str(library))
                problems.append(report.Problem(str(path), None, "error", "unknown-image", message))
                continue
            paths.append(path)
    else:
        try:
            paths = manifest_files(library)
        except ManifestError as exc:
            problems.append(report.from_error(exc))

    for path in paths:
        problems.extend(check_manifest(path))
    return report.emit(problems, args.format, len(paths), strict=args.strict)


# -- readme, update (sphinx_official_images.cli.readme), facts (cli.facts) --------


def _add_readme(subparsers: Any) -> None:
    from sphinx_official_images.cli.readme import add_readme_parser

    add_readme_parser(subparsers)


def _add_update(subparsers: Any) -> None:
    from sphinx_official_images.cli.readme import add_update_parser

    add_update_parser(subparsers)


def _add_facts(subparsers: Any) -> None:
    from sphinx_official_images.cli.facts import add_facts_parser

    add_facts_parser(subparsers)


# -- problem-matcher (sphinx_official_images.cli.matcher) ---------------------------


def _add_problem_matcher(subparsers: Any) -> None:
    from sphinx_official_images.cli.matcher import add_problem_matcher_parser

    add_problem_matcher_parser(subparsers)


# -- the parser --------------------------------------------------------------------

# Registration functions, in the order ``--help`` lists the sub-commands.
_COMMANDS: list[Callable[[Any], object]] = [
    _add_check,
    _add_readme,
    _add_update,
    _add_facts,
    _add_problem_matcher,
]


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="sphinx-official-images",
        description="Document Docker Official Images from their manifests.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for register in _COMMANDS:
        register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (2 for usage errors)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    func: Callable[[argparse.Namespace], int] = args.func
    return func(args)


if __name__ == "__main__":
    sys.exit(main())
