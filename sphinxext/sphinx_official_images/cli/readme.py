"""The ``readme`` and ``update`` sub-commands of ``sphinx-official-images``.

``readme IMAGE`` prints one README (``update.sh``'s output, or with ``--hub``
what ``push.pl`` uploads); ``update [IMAGE ...]`` writes ``DOCS/IMAGE/README.md``
like ``update.sh`` and says what changed, or with ``--check`` writes nothing and
fails when a README is out of date (a pull request check for a docs
repository that commits its READMEs).  ``--arch`` selects the
per-architecture view, whose namespace comes from the standard map
(``windows-amd64`` is ``winamd64``, other names are unchanged) unless
``--namespace`` overrides it.  Neither command touches the network.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from sphinx_official_images.cli.images import unknown_image
from sphinx_official_images.cli.update import DiffStat, known_images, update_readmes
from sphinx_official_images.model.errors import OfficialImagesError
from sphinx_official_images.model.names import check_image
from sphinx_official_images.render.hub import hub_markdown
from sphinx_official_images.render.markdown import render_readme
from sphinx_official_images.render.sizes import sizes_markdown
from sphinx_official_images.sources.loader import Loader
from sphinx_official_images.sources.repoinfo import RepoInfo
from sphinx_official_images.view.page import build_page
from sphinx_official_images.view.sizes import build_figures

__all__ = ["add_readme_parser", "add_update_parser", "open_loader", "run_readme", "run_update"]

# Image names listed in a summary line before "...".
_LISTED = 20


def _add_inputs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--library", required=True, metavar="DIR", help="official-images library/ folder"
    )
    parser.add_argument(
        "--docs", required=True, metavar="DIR", help="docker-library/docs-style folder"
    )
    parser.add_argument(
        "--facts", metavar="DIR", help="facts folder (IMAGE.json: logo commit, buildpack-deps)"
    )
    parser.add_argument(
        "--meta",
        metavar="DIR",
        help="docker-library/meta checkout (sources.json: each build's FROM, for buildpack-deps)",
    )
    parser.add_argument("--arch", metavar="ARCH", help="per-architecture view (e.g. windows-amd64)")
    parser.add_argument(
        "--namespace", metavar="NS", help="Hub namespace for %%%%IMAGE%%%% (default: the arch's)"
    )


def add_readme_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``readme`` on an ``add_subparsers()`` object."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "readme",
        help="print one image's README (Hub Markdown) to stdout",
        description="Print the README.md update.sh would write for IMAGE.",
    )
    parser.add_argument("image", metavar="IMAGE")
    _add_inputs(parser)
    parser.add_argument(
        "--hub",
        action="store_true",
        help="print what push.pl uploads (no leading comment, 25,000-byte limit)",
    )
    parser.add_argument(
        "--repo-info",
        metavar="DIR",
        help="docker-library/repo-info checkout (repos/IMAGE/remote/TAG.md), for --sizes",
    )
    parser.add_argument(
        "--sizes",
        action="store_true",
        help="append a table of compressed sizes and digests per tag and architecture "
        "(needs --repo-info; the README is then no longer update.sh's)",
    )
    parser.set_defaults(func=run_readme)
    return parser


def add_update_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``update`` on an ``add_subparsers()`` object."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "update",
        help="write DOCS/IMAGE/README.md for images (all when none is named)",
        description="Regenerate DOCS/IMAGE/README.md like update.sh and report what changed.",
    )
    parser.add_argument("images", nargs="*", metavar="IMAGE")
    _add_inputs(parser)
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if a README differs from what would be written,"
        " showing a unified diff for each",
    )
    parser.add_argument(
        "--stat",
        action="store_true",
        help="with --check: one line per README (lines added and removed) instead of the diff",
    )
    parser.set_defaults(func=run_update)
    return parser


def _error(exc: OfficialImagesError) -> int:
    print(f"error: {exc}", file=sys.stderr)
    return 1


def open_loader(args: argparse.Namespace) -> Loader:
    """The loader of the command's ``--library``, ``--docs``, ``--facts`` and ``--meta``."""
    loader = Loader(args.library, args.docs, args.facts, meta=args.meta)
    loader.meta_index()  # a --meta that cannot be read is the command's error, up front
    return loader


def run_readme(args: argparse.Namespace) -> int:
    """``readme``: the README (or its Hub form) on stdout."""
    try:
        loader = open_loader(args)
        check_image(args.image)
        known = known_images(loader)
        if args.image not in known:
            raise OfficialImagesError(unknown_image(args.image, known, str(loader.docs.root)))
        page = build_page(loader, args.image, args.arch, args.namespace)
        text = render_readme(page)
        if args.sizes:
            text = _with_sizes(text, loader, page.image, page.arch if args.arch else None, args)
    except OfficialImagesError as exc:
        return _error(exc)
    for notice in page.notices:
        print(f"warning: {notice.error}", file=sys.stderr)
    if args.hub:
        hub = hub_markdown(text, page.image)
        print(hub.report(page.image), file=sys.stderr)
        text = hub.text  # exactly the upload: no trailing newline
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()
    return 0


def _names(images: list[str]) -> str:
    shown = ", ".join(images[:_LISTED])
    return shown + (f", ... ({len(images)} in all)" if len(images) > _LISTED else "")


def _with_sizes(
    text: str, loader: Loader, image: str, arch: str | None, args: argparse.Namespace
) -> str:
    """The README with the sizes section at its end; problems of the files on stderr."""
    if not args.repo_info:
        raise OfficialImagesError("--sizes needs --repo-info DIR")
    if not Path(args.repo_info).is_dir():
        raise OfficialImagesError("repo-info folder does not exist", args.repo_info)
    figures = build_figures(loader.manifest(image), RepoInfo(args.repo_info), image, arch)
    for problem in figures.problems:
        print(f"warning: {problem}", file=sys.stderr)
    section = sizes_markdown(figures)
    return text if not section else f"{text.rstrip(chr(10))}\n\n{section}"


def run_update(args: argparse.Namespace) -> int:
    """``update``: rewrite the READMEs, report each change and what was left out."""
    if args.check:
        return _run_update_check(args)
    if args.stat:
        print("error: --stat needs --check", file=sys.stderr)
        return 2
    start = time.perf_counter()
    try:
        loader = open_loader(args)
        results = update_readmes(loader, args.images or None, args.arch, args.namespace)
    except OfficialImagesError as exc:
        return _error(exc)
    counts: dict[str, int] = {}
    skipped: list[str] = []
    errors: list[str] = []
    unknown: list[str] = []
    lost: list[str] = []
    for result in results:
        counts[result.status] = counts.get(result.status, 0) + 1
        if result.status in ("created", "updated"):
            print(f"{result.status}: {result.path}")
        elif result.status == "skipped":
            skipped.append(result.image)
            print(result.message, file=sys.stderr)
        elif result.status == "error":
            errors.append(result.image)
            print(f"error: {result.message}", file=sys.stderr)
        for notice in result.notices:
            print(f"warning: {notice}", file=sys.stderr)
        if result.unknown_facts:
            unknown.append(result.image)
        if result.lost:
            lost.append(result.image)
            print(
                f"warning: {result.image}: the README on disk has the buildpack-deps paragraph"
                " and the new one does not: it cannot be reproduced without the fact",
                file=sys.stderr,
            )
    order = ("created", "updated", "unchanged", "skipped", "error")
    summary = ", ".join(f"{counts[s]} {s}" for s in order if s in counts) or "nothing to do"
    elapsed = time.perf_counter() - start
    print(f"{len(results)} images: {summary} ({elapsed:.2f} s)", file=sys.stderr)
    if skipped:
        print(f"left out (no content.md, as update.sh): {_names(skipped)}", file=sys.stderr)
    if errors:
        print(f"left out (errors above): {_names(errors)}", file=sys.stderr)
    if unknown:
        print(
            f"{len(unknown)} written without the buildpack-deps fact"
            f" ({len(lost)} of them lose the paragraph their README had: {_names(lost) or '-'});"
            " supply --facts DIR or --meta DIR (see 'sphinx-official-images facts --help')",
            file=sys.stderr,
        )
    return 1 if counts.get("error") else 0


def _stat_line(stat: DiffStat, width: int) -> str:
    """`` NAME | N ++--`` like ``git diff --stat`` (the bar scaled to at most 50)."""
    total = stat.added + stat.removed
    scale = min(1.0, 50 / total) if total else 1.0
    plus = round(stat.added * scale) or (1 if stat.added else 0)
    minus = round(stat.removed * scale) or (1 if stat.removed else 0)
    return f" {stat.name:<{width}} | {total} {'+' * plus}{'-' * minus}"


def _run_update_check(args: argparse.Namespace) -> int:
    """``update --check``: write nothing; name (and diff) every README that differs."""
    try:
        loader = open_loader(args)
        results = update_readmes(
            loader, args.images or None, args.arch, args.namespace, write=False
        )
    except OfficialImagesError as exc:
        return _error(exc)
    stale = [result for result in results if result.changed]
    errors = [result for result in results if result.status == "error"]
    out = sys.stdout
    for result in stale:
        state = "missing" if result.before is None else "out of date"
        print(f"{state}: {result.image} ({result.path})", file=out)
        if not args.stat:
            out.writelines(result.diff())
    if args.stat and stale:
        stats = [result.stat() for result in stale]
        width = max(len(stat.name) for stat in stats)
        for stat in stats:
            print(_stat_line(stat, width), file=out)
        added = sum(stat.added for stat in stats)
        removed = sum(stat.removed for stat in stats)
        print(
            f" {len(stats)} files changed, {added} insertions(+), {removed} deletions(-)",
            file=out,
        )
    for result in results:
        if result.status == "skipped":
            print(result.message, file=sys.stderr)
        elif result.status == "error":
            print(f"error: {result.message}", file=sys.stderr)
    current = sum(1 for result in results if result.status == "unchanged")
    print(
        f"{len(results)} images: {len(stale)} out of date, {current} up to date,"
        f" {len(errors)} errors",
        file=sys.stderr,
    )
    return 1 if stale or errors else 0
