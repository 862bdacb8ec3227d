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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sphinx_official_images._version import __version__
from sphinx_official_images.model.architectures import is_plain_name
from sphinx_official_images.model.errors import ManifestError, ManifestWarning
from sphinx_official_images.model.manifest import load_manifest

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
    parser.set_defaults(func=_cmd_check)
    return parser


def _manifest_files(library: Path) -> list[Path]:
    """The regular, non-hidden files of ``library``, by name."""
    return sorted(
        (path for path in library.iterdir() if not path.name.startswith(".") and path.is_file()),
        key=lambda path: path.name,
    )


@dataclass(frozen=True)
class Finding:
    """One problem ``check`` reports: plain fields, for any output format."""

    path: str
    line: int | None
    severity: str  # "error" or "warning"
    code: str
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.severity}: {self.message}"


def _warning(warning: ManifestWarning) -> Finding:
    return Finding(warning.path, warning.line, "warning", warning.code, warning.message)


def check_manifest(path: Path) -> list[Finding]:
    """Every warning and the error (if any) of one manifest, by line."""
    try:
        manifest = load_manifest(path)
    except ManifestError as exc:
        found = [_warning(w) for w in exc.warnings]
        found.append(Finding(str(path), exc.line, "error", exc.code, exc.message))
        found.sort(key=lambda f: f.line or 0)
        return found
    return [_warning(w) for w in manifest.warnings]


def _cmd_check(args: argparse.Namespace) -> int:
    library = Path(args.library)
    if not library.is_dir():
        print(f"error: {library}: no such directory (expected --library DIR)", file=sys.stderr)
        return EXIT_USAGE

    findings: list[Finding] = []
    paths: list[Path] = []
    if args.images:
        for name in args.images:
            if not is_plain_name(name):
                findings.append(
                    Finding(
                        name,
                        None,
                        "error",
                        "not-a-plain-name",
                        "refused: not a plain image name (expected lowercase letters,"
                        " digits, '.', '_' and '-', without '/' or '..')",
                    )
                )
                continue
            path = library / name
            if not path.is_file():
                findings.append(
                    Finding(str(path), None, "error", "no-manifest", "no such manifest")
                )
                continue
            paths.append(path)
    else:
        paths = _manifest_files(library)

    for path in paths:
        findings.extend(check_manifest(path))
    for finding in findings:
        print(finding)
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    print(f"{len(paths)} manifests, {errors} errors, {warnings} warnings")
    if errors or (args.strict and warnings):
        return EXIT_PROBLEMS
    return EXIT_OK


# -- readme, update (sphinx_official_images.cli.readme) ------------------------------


def _add_readme(subparsers: Any) -> None:
    from sphinx_official_images.cli.readme import add_readme_parser

    add_readme_parser(subparsers)


def _add_update(subparsers: Any) -> None:
    from sphinx_official_images.cli.readme import add_update_parser

    add_update_parser(subparsers)


# -- the parser --------------------------------------------------------------------

# Registration functions, in the order ``--help`` lists the sub-commands.
_COMMANDS: list[Callable[[Any], object]] = [_add_check, _add_readme, _add_update]


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
