"""``update.sh`` for a whole docs folder: write ``IMAGE/README.md`` for each image.

Used by the ``sphinx-official-images update`` command.  Like ``update.sh``,
an image without ``content.md`` is skipped (and said so), every other image
gets its README regenerated from the loader; unlike it, one broken image
does not stop the others, and a README is only rewritten when its bytes
change (so timestamps, and Sphinx's or make's view of what changed, stay
meaningful).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sphinx_official_images.model.errors import OfficialImagesError
from sphinx_official_images.model.names import check_image
from sphinx_official_images.render.markdown import render_readme
from sphinx_official_images.sources.files import write_if_changed
from sphinx_official_images.sources.loader import Loader
from sphinx_official_images.view.page import build_page

__all__ = ["UpdateResult", "update_readmes"]

Status = Literal["created", "updated", "unchanged", "skipped", "error"]


@dataclass(frozen=True, slots=True)
class UpdateResult:
    """What happened to one image's README."""

    image: str
    path: Path | None
    status: Status
    message: str = ""


def update_readmes(
    loader: Loader,
    images: Iterable[str] | None = None,
    arch: str | None = None,
    namespace: str | None = None,
) -> list[UpdateResult]:
    """Regenerate ``DOCS/IMAGE/README.md`` for ``images`` (default: every image folder)."""
    names = loader.docs.image_folders() if images is None else [i.rstrip("/") for i in images]
    results: list[UpdateResult] = []
    for image in names:
        try:
            check_image(image)
            if loader.docs.resolve(f"{image}/content.md") is None:
                results.append(
                    UpdateResult(image, None, "skipped", f"skipping {image}: missing content.md")
                )
                continue
            page = build_page(loader, image, arch, namespace)
            target = loader.docs.root / image / "README.md"
            try:
                status = write_if_changed(target, render_readme(page))
            except OSError as exc:
                raise OfficialImagesError(
                    f"cannot write README: {exc.strerror or exc}", str(target)
                ) from None
            results.append(UpdateResult(image, target, status))
        except OfficialImagesError as exc:
            results.append(UpdateResult(image, None, "error", str(exc)))
    return results
