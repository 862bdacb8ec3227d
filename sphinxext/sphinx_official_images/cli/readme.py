"""The ``readme`` and ``update`` sub-commands of ``sphinx-official-images``.

``readme IMAGE`` prints one README (``update.sh``'s output, or with ``--hub``
what ``push.pl`` uploads); ``update [IMAGE ...]`` writes ``DOCS/IMAGE/README.md``
like ``update.sh`` and says what changed.  ``--arch`` selects the
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

from sphinx_official_images.cli.update import update_readmes
from sphinx_official_images.model.errors import OfficialImagesError
from sphinx_official_images.render.hub import hub_markdown
from sphinx_official_images.render.markdown import render_readme
from sphinx_official_images.render.sizes import sizes_markdown
from sphinx_official_images.sources.loader import Catalog
from sphinx_official_images.sources.repoinfo import RepoInfo
from sphinx_official_images.view.page import build_page
from sphinx_official_images.view.sizes import build_figures

__all__ = ["add_readme_parser", "add_update_parser", "run_readme", "run_update"]


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
    parser.set_defaults(func=run_update)
    return parser


def _error(exc: OfficialImagesError) -> int:
    print(f"error: {exc}", file=sys.stderr)
    return 1


def run_readme(args: argparse.Namespace) -> int:
    """``readme``: the README (or its Hub form) on stdout."""
    try:
        catalog = Catalog(args.library, args.docs, args.facts)
        page = build_page(catalog, args.image, args.arch, args.namespace)
        text = render_readme(page)
        if args.sizes:
            text = _with_sizes(text, catalog, page.image, page.arch if args.arch else None, args)
    except OfficialImagesError as exc:
        return _error(exc)
    if args.hub:
        hub = hub_markdown(text, page.image)
        print(hub.report(page.image), file=sys.stderr)
        text = hub.text  # exactly the upload: no trailing newline
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()
    return 0


def _with_sizes(
    text: str, catalog: Catalog, image: str, arch: str | None, args: argparse.Namespace
) -> str:
    """The README with the sizes section at its end; problems of the files on stderr."""
    if not args.repo_info:
        raise OfficialImagesError("--sizes needs --repo-info DIR")
    if not Path(args.repo_info).is_dir():
        raise OfficialImagesError("repo-info folder does not exist", args.repo_info)
    figures = build_figures(catalog.manifest(image), RepoInfo(args.repo_info), image, arch)
    for problem in figures.problems:
        print(f"warning: {problem}", file=sys.stderr)
    section = sizes_markdown(figures)
    return text if not section else f"{text.rstrip(chr(10))}\n\n{section}"


def run_update(args: argparse.Namespace) -> int:
    """``update``: rewrite the READMEs and report each change on stdout."""
    start = time.perf_counter()
    try:
        catalog = Catalog(args.library, args.docs, args.facts)
        results = update_readmes(catalog, args.images or None, args.arch, args.namespace)
    except OfficialImagesError as exc:
        return _error(exc)
    counts: dict[str, int] = {}
    for result in results:
        counts[result.status] = counts.get(result.status, 0) + 1
        if result.status in ("created", "updated"):
            print(f"{result.status}: {result.path}")
        elif result.status == "skipped":
            print(result.message, file=sys.stderr)
        elif result.status == "error":
            print(f"error: {result.message}", file=sys.stderr)
    summary = ", ".join(f"{counts[s]} {s}" for s in sorted(counts)) or "nothing to do"
    elapsed = time.perf_counter() - start
    print(f"{len(results)} images: {summary} ({elapsed:.2f} s)", file=sys.stderr)
    return 1 if counts.get("error") else 0
