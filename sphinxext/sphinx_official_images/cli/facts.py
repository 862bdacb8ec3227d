"""The ``facts`` sub-command: write a facts folder for a docs checkout.

A facts folder (:mod:`sphinx_official_images.sources.facts`) pins what the
incumbent learns from git history and the network, so that later builds and
``update`` runs are offline, fast and reproducible.  ``facts`` fills it:

* ``logo`` (and ``stack``): the last commit of ``IMAGE/logo.png|svg``
  (``IMAGE/stack.yml``) from the docs checkout's git history, one walk for
  every image;
* ``buildpack_deps_based``: from a docker-library/meta checkout (``--meta``)
  when meta has the image's builds;
* with ``--from-readme``, what git or meta cannot say is read from the
  ``README.md`` each image already has (the buildpack-deps paragraph, the
  logo URL): a one-time migration that trusts those READMEs to be
  ``update.sh``'s output with network access.  Without it the fact stays
  unknown (``null``) and is reported.

An existing ``IMAGE.json`` is updated in place: keys this command does not
write (``suite_manifests``, anything else) are kept, and a known value is not
replaced by an unknown one.  A file is rewritten only when its bytes change.
Each file also records where its values came from (``"sources"``), which the
reader ignores.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sphinx_official_images.cli.images import unknown_image
from sphinx_official_images.cli.update import BUILDPACK_DEPS_HELPER, has_paragraph, known_images
from sphinx_official_images.model.errors import DocsError, OfficialImagesError
from sphinx_official_images.model.names import check_image
from sphinx_official_images.sources.files import write_if_changed
from sphinx_official_images.sources.loader import Loader
from sphinx_official_images.sources.meta import buildpack_deps_based
from sphinx_official_images.view.page import build_page

__all__ = ["ImageFactsResult", "add_facts_parser", "collect_facts", "run_facts"]

_LOGO_URL = re.compile(
    r"https://raw\.githubusercontent\.com/docker-library/docs/"
    r"(?P<commit>[0-9A-Za-z][0-9A-Za-z._-]{0,254})/(?P<image>[a-z0-9._-]+)/(?P<file>logo\.(?:png|svg))"
)

_HELP = """\
Write FACTS/IMAGE.json for the images of a docs checkout (all with a content.md,
or the named ones), so that later builds need neither git history nor the network:
logo commits from the docs checkout's git history; the buildpack-deps fact from a
docker-library/meta checkout (--meta). With --from-readme, what neither can say is
taken from the README.md each image already has (a one-time migration: it trusts
those READMEs to be update.sh's output). Existing files are updated, other keys kept.
"""


@dataclass(slots=True)
class ImageFactsResult:
    """The facts found for one image, and where each came from."""

    image: str
    logo: dict[str, str] | None = None
    stack: dict[str, str] | None = None
    buildpack_deps_based: bool | None = None
    needs_buildpack_deps: bool = False
    sources: dict[str, str] = field(default_factory=dict)


def add_facts_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``facts`` on an ``add_subparsers()`` object."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "facts",
        help="write a facts folder (logo commits, buildpack-deps) for a docs checkout",
        description=_HELP,
    )
    parser.add_argument("images", nargs="*", metavar="IMAGE")
    parser.add_argument(
        "--library", required=True, metavar="DIR", help="official-images library/ folder"
    )
    parser.add_argument("--docs", required=True, metavar="DIR", help="docker-library/docs checkout")
    parser.add_argument("--out", required=True, metavar="DIR", help="facts folder to write")
    parser.add_argument("--meta", metavar="DIR", help="docker-library/meta checkout (sources.json)")
    parser.add_argument(
        "--from-readme",
        action="store_true",
        help=(
            "one-time migration: take what git and meta cannot say (buildpack-deps, the logo"
            " commit) from each image's current README.md, trusting it to be update.sh's output"
        ),
    )
    parser.set_defaults(func=run_facts)
    return parser


def _readme_logo(readme: str, image: str, logo_file: str) -> str | None:
    for match in _LOGO_URL.finditer(readme):
        if match["image"] == image and match["file"] == logo_file:
            return match["commit"]
    return None


def collect_facts(loader: Loader, image: str, from_readme: bool = False) -> ImageFactsResult:
    """What git, meta and (with ``from_readme``) the README say about ``image``.

    ``loader`` should have no facts folder (the answers are the sources'
    own); with a meta checkout, meta answers buildpack-deps.
    """
    result = ImageFactsResult(image)
    page = build_page(loader, image)
    readme = loader.docs.read(f"{image}/README.md") if from_readme else None

    if page.logo is not None:
        logo_file = page.logo.file
        commit = loader.facts.git_commit(image, logo_file)
        if commit is not None:
            result.logo, result.sources["logo"] = {"file": logo_file, "commit": commit}, "git"
        elif readme is not None:
            found = _readme_logo(readme, image, logo_file)
            if found is not None:
                result.logo, result.sources["logo"] = {"file": logo_file, "commit": found}, "readme"
    if page.stack is not None:
        commit = loader.facts.git_commit(image, "stack.yml")
        if commit is not None:
            result.stack, result.sources["stack"] = {"commit": commit}, "git"

    result.needs_buildpack_deps = page.variants is not None
    index = loader.meta_index()
    if index is not None:
        based = buildpack_deps_based(index, loader.manifest(image))
        if based is not None:
            result.buildpack_deps_based = based
            result.sources["buildpack_deps_based"] = "meta"
    if result.buildpack_deps_based is None and readme is not None and page.variants is not None:
        # the README shows the fact only where it has a variant section
        paragraph = loader.docs.read(BUILDPACK_DEPS_HELPER) or ""
        if paragraph:
            result.buildpack_deps_based = has_paragraph(readme, paragraph)
            result.sources["buildpack_deps_based"] = "readme"
    return result


def _merged(path: Path, found: ImageFactsResult, head: str | None) -> str:
    """The new text of ``path``: its JSON object (if any) with the found facts set."""
    data: dict[str, Any] = {}
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        old = {}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DocsError(f"cannot update facts file: {exc}", str(path)) from None
    if not isinstance(old, dict):
        raise DocsError("cannot update facts file: it does not hold a JSON object", str(path))
    data.update(old)
    if found.logo is not None:
        data["logo"] = found.logo
    if found.stack is not None:
        data["stack"] = found.stack
    if found.buildpack_deps_based is not None:
        data["buildpack_deps_based"] = found.buildpack_deps_based
    else:
        data.setdefault("buildpack_deps_based", None)  # unknown; a known value stays
    sources = dict(found.sources)
    if head is not None:
        sources["docs_head"] = head
    if sources:
        kept = old.get("sources")
        data["sources"] = {**(kept if isinstance(kept, dict) else {}), **sources}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def run_facts(args: argparse.Namespace) -> int:
    """``facts``: write the facts folder and say what is still unknown."""
    out = Path(args.out)
    try:
        loader = Loader(args.library, args.docs, None, meta=args.meta)
        loader.meta_index()  # a --meta that cannot be read is an error, up front
        known = known_images(loader)
        named = [name.rstrip("/") for name in args.images]
        names = named or loader.images()
        head = loader.facts.git_head()
        if len(names) > 1:
            loader.facts.load_commit_table()
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"error: {out}: cannot create facts folder: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except OfficialImagesError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1

    counts: dict[str, int] = {}
    origins: dict[str, int] = {}
    unknown: list[str] = []
    errors = 0
    for image in names:
        try:
            check_image(image)
            if image not in known:
                raise OfficialImagesError(unknown_image(image, known, str(loader.docs.root)))
            found = collect_facts(loader, image, args.from_readme)
            target = out / f"{image}.json"
            text = _merged(target, found, head)
            status = write_if_changed(target, text)
        except OSError as exc:
            print(f"error: {image}: cannot write facts: {exc.strerror or exc}", file=sys.stderr)
            errors += 1
            continue
        except OfficialImagesError as exc:
            print(f"error: {exc}", file=sys.stderr)
            errors += 1
            continue
        counts[status] = counts.get(status, 0) + 1
        if status != "unchanged":
            print(f"{status}: {target}")
        origin = found.sources.get("buildpack_deps_based")
        if origin is not None:
            origins[origin] = origins.get(origin, 0) + 1
        elif json.loads(text).get("buildpack_deps_based") is not None:
            origins["the existing file"] = origins.get("the existing file", 0) + 1
        elif found.needs_buildpack_deps:
            unknown.append(image)
            print(
                f"warning: {image}: buildpack-deps fact unknown (its README has a variant"
                " section): give --meta DIR, or --from-readme to take it from its README",
                file=sys.stderr,
            )
    order = ("created", "updated", "unchanged")
    summary = ", ".join(f"{counts[s]} {s}" for s in order if s in counts) or "nothing written"
    bp = ", ".join(f"{n} from {o}" for o, n in sorted(origins.items())) or "none known"
    print(
        f"{len(names)} images: {summary}; buildpack-deps: {bp}, {len(unknown)} unknown"
        f"{', ' + str(errors) + ' errors' if errors else ''}",
        file=sys.stderr,
    )
    return 1 if errors else 0
