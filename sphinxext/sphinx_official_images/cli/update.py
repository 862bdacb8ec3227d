"""``update.sh`` for a whole docs folder: write ``IMAGE/README.md`` for each image.

Used by the ``sphinx-official-images update`` command.  Like ``update.sh``,
an image folder without ``content.md`` is skipped (and said so), every other
image gets its README regenerated from the catalog; unlike it, one broken
image does not stop the others, a name that is no image at all is an error
(a typo), a README is only rewritten when its bytes change (so timestamps,
and Sphinx's or make's view of what changed, stay meaningful), and a README
written without a fact the incumbent fetches over the network says so
(:attr:`UpdateResult.unknown_facts`), naming the paragraph it loses when the
README on disk had it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sphinx_official_images.cli.images import unknown_image
from sphinx_official_images.model.errors import OfficialImagesError
from sphinx_official_images.render.markdown import render_readme
from sphinx_official_images.sources.files import write_if_changed
from sphinx_official_images.sources.loader import Catalog, check_image
from sphinx_official_images.view.page import HELPERS, build_page

__all__ = ["BUILDPACK_DEPS_HELPER", "UpdateResult", "has_paragraph", "update_readmes"]

Status = Literal["created", "updated", "unchanged", "skipped", "error"]

BUILDPACK_DEPS_HELPER = f"{HELPERS}/variant-default-buildpack-deps.md"


@dataclass(frozen=True, slots=True)
class UpdateResult:
    """What happened to one image's README.

    ``unknown_facts`` names the facts the README was written without
    (``buildpack-deps``), ``notices`` the page's problems that did not stop
    it (that one among them); ``lost`` is
    True when the README on disk had the paragraph that fact decides and the
    new one does not.
    """

    image: str
    path: Path | None
    status: Status
    message: str = ""
    unknown_facts: tuple[str, ...] = ()
    notices: tuple[str, ...] = ()
    lost: bool = False


def has_paragraph(readme: str, paragraph: str) -> bool:
    """Whether a README holds a helper's paragraph (its text without trailing newlines)."""
    text = paragraph.rstrip("\n")
    return bool(text) and text in readme


def known_images(catalog: Catalog) -> set[str]:
    """Every name that is a manifest or a docs folder (what a command may be asked for)."""
    return set(catalog.manifest_images()) | set(catalog.docs.image_folders())


def update_readmes(
    catalog: Catalog,
    images: Iterable[str] | None = None,
    arch: str | None = None,
    namespace: str | None = None,
) -> list[UpdateResult]:
    """Regenerate ``DOCS/IMAGE/README.md`` for ``images`` (default: every image folder)."""
    names = catalog.docs.image_folders() if images is None else [i.rstrip("/") for i in images]
    known = known_images(catalog) if images is not None else set(names)
    if len(names) > 1:
        # one history walk for every logo instead of one per image
        catalog.facts.load_commit_table()
    paragraph = catalog.docs.read(BUILDPACK_DEPS_HELPER) or ""
    results: list[UpdateResult] = []
    for image in names:
        try:
            check_image(image)
            if image not in known:
                raise OfficialImagesError(unknown_image(image, known, str(catalog.docs.root)))
            if catalog.docs.resolve(f"{image}/content.md") is None:
                results.append(
                    UpdateResult(image, None, "skipped", f"skipping {image}: missing content.md")
                )
                continue
            page = build_page(catalog, image, arch, namespace)
            target = catalog.docs.root / image / "README.md"
            text = render_readme(page)
            lost = False
            if page.unknown_facts and paragraph:
                try:
                    old = target.read_text(encoding="utf-8", errors="replace")
                except OSError:
                    old = ""
                lost = has_paragraph(old, paragraph) and not has_paragraph(text, paragraph)
            try:
                status = write_if_changed(target, text)
            except OSError as exc:
                raise OfficialImagesError(
                    f"cannot write README: {exc.strerror or exc}", str(target)
                ) from None
            notices = tuple(str(notice.error) for notice in page.notices)
            results.append(
                UpdateResult(image, target, status, "", page.unknown_facts, notices, lost)
            )
        except OfficialImagesError as exc:
            results.append(UpdateResult(image, None, "error", str(exc)))
    return results
