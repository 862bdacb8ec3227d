"""``update.sh`` for a whole docs folder: write ``IMAGE/README.md`` for each image.

Used by the ``sphinx-official-images update`` command.  Like ``update.sh``,
an image folder without ``content.md`` is skipped (and said so), every other
image gets its README regenerated from the loader; unlike it, one broken
image does not stop the others, a name that is no image at all is an error
(a typo), a README is only rewritten when its bytes change (so timestamps,
and Sphinx's or make's view of what changed, stay meaningful), and a README
written without a fact the incumbent fetches over the network says so
(:attr:`UpdateResult.unknown_facts`), naming the paragraph it loses when the
README on disk had it.


With ``write=False`` (``update --check``) nothing is written: each result says
what ``update`` would do and carries the README on disk and the one that
would replace it, so the command can show a unified diff and fail a pull
request whose committed READMEs are stale.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sphinx_official_images.cli.images import unknown_image
from sphinx_official_images.model.errors import OfficialImagesError
from sphinx_official_images.model.names import check_image
from sphinx_official_images.render.markdown import render_readme
from sphinx_official_images.sources.files import write_if_changed
from sphinx_official_images.sources.loader import Loader
from sphinx_official_images.view.page import HELPERS, build_page

__all__ = [
    "BUILDPACK_DEPS_HELPER",
    "DiffStat",
    "UpdateResult",
    "has_paragraph",
    "update_readmes",
]

Status = Literal["created", "updated", "unchanged", "skipped", "error"]

BUILDPACK_DEPS_HELPER = f"{HELPERS}/variant-default-buildpack-deps.md"


@dataclass(frozen=True, slots=True)
class UpdateResult:
    """What happened to one image's README (or, without writing, what would).

    ``before`` and ``after`` are set only by a run without writing, for a
    README that differs: the bytes on disk (None: there is none) and the
    README ``update`` would write. ``unknown_facts`` names the facts the
    README was written without (``buildpack-deps``), ``notices`` the page's
    problems that did not stop it (that one among them); ``lost`` is True
    when the README on disk had the paragraph that fact decides and the new
    one does not.
    """

    image: str
    path: Path | None
    status: Status
    message: str = ""
    before: bytes | None = None
    after: str | None = None
    unknown_facts: tuple[str, ...] = ()
    notices: tuple[str, ...] = ()
    lost: bool = False

    @property
    def changed(self) -> bool:
        return self.status in ("created", "updated")

    def diff(self) -> list[str]:
        """The unified diff from the README on disk to the generated one, labelled
        ``a/IMAGE/README.md`` and ``b/IMAGE/README.md`` like ``git diff`` (so
        ``patch -p1`` in the docs folder applies it); [] when nothing differs."""
        if self.after is None:
            return []
        name = f"{self.image}/README.md"
        before = [] if self.before is None else _lines(self.before.decode("utf-8", "replace"))
        origin = "/dev/null" if self.before is None else f"a/{name}"
        return list(difflib.unified_diff(before, _lines(self.after), origin, f"b/{name}"))

    def stat(self) -> DiffStat:
        added = removed = 0
        for line in self.diff()[2:]:  # after the ---/+++ header
            if line.startswith("+"):
                added += 1
            elif line.startswith("-"):
                removed += 1
        return DiffStat(f"{self.image}/README.md", added, removed)


@dataclass(frozen=True, slots=True)
class DiffStat:
    """Lines added and removed in one README, for ``--stat``."""

    name: str
    added: int
    removed: int


def _lines(text: str) -> list[str]:
    """``text`` as diff lines, split at LF only (as git does: a CR or a form feed
    is part of its line); a last line without a newline is marked as diff does."""
    *complete, last = text.split("\n")
    lines = [f"{line}\n" for line in complete]
    if last:
        lines.append(f"{last}\n\\ No newline at end of file\n")
    return lines


def has_paragraph(readme: str, paragraph: str) -> bool:
    """Whether a README holds a helper's paragraph (its text without trailing newlines)."""
    text = paragraph.rstrip("\n")
    return bool(text) and text in readme


def known_images(loader: Loader) -> set[str]:
    """Every name that is a manifest or a docs folder (what a command may be asked for)."""
    return set(loader.manifest_images()) | set(loader.docs.image_folders())


def update_readmes(
    loader: Loader,
    images: Iterable[str] | None = None,
    arch: str | None = None,
    namespace: str | None = None,
    *,
    write: bool = True,
) -> list[UpdateResult]:
    """Regenerate ``DOCS/IMAGE/README.md`` for ``images`` (default: every image folder).

    With ``write=False`` nothing is written and each result says what would be
    done (``created``, ``updated``, ``unchanged``), with both texts when they differ.
    """
    names = loader.docs.image_folders() if images is None else [i.rstrip("/") for i in images]
    known = known_images(loader) if images is not None else set(names)
    if len(names) > 1:
        # one history walk for every logo instead of one per image
        loader.facts.load_commit_table()
    paragraph = loader.docs.read(BUILDPACK_DEPS_HELPER) or ""
    results: list[UpdateResult] = []
    for image in names:
        try:
            check_image(image)
            if image not in known:
                raise OfficialImagesError(unknown_image(image, known, str(loader.docs.root)))
            if loader.docs.resolve(f"{image}/content.md") is None:
                results.append(
                    UpdateResult(image, None, "skipped", f"skipping {image}: missing content.md")
                )
                continue
            page = build_page(loader, image, arch, namespace)
            target = loader.docs.root / image / "README.md"
            text = render_readme(page)
            if not write:
                results.append(_compare(image, target, text))
                continue
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
                UpdateResult(
                    image,
                    target,
                    status,
                    unknown_facts=page.unknown_facts,
                    notices=notices,
                    lost=lost,
                )
            )
        except OfficialImagesError as exc:
            results.append(UpdateResult(image, None, "error", str(exc)))
    return results


def _compare(image: str, target: Path, text: str) -> UpdateResult:
    """What writing ``text`` to ``target`` would do, compared byte for byte."""
    try:
        before: bytes | None = target.read_bytes()
    except FileNotFoundError:
        before = None
    except OSError as exc:
        raise OfficialImagesError(
            f"cannot read README: {exc.strerror or exc}", str(target)
        ) from None
    if before == text.encode("utf-8"):
        return UpdateResult(image, target, "unchanged")
    status: Status = "created" if before is None else "updated"
    return UpdateResult(image, target, status, before=before, after=text)
