"""The generated catalogue's plan: which images and views get a page.

``official_images_generate`` resolved (:func:`parse_options`) and the
catalogue it asks for (:func:`plan_catalogue`): each image with a manifest
and a ``content.md``, its default view and one view per architecture of its
manifest, each with its tag list. Pure: the Sphinx glue
(:mod:`~sphinx_official_images.sphinx_ext.generate`) turns problems into
warnings, :mod:`~sphinx_official_images.render.catalogue` writes the pages'
text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from sphinx_official_images.model.architectures import (
    SUPPORTED_ARCHITECTURES,
    is_plain_name,
    namespace_for,
)
from sphinx_official_images.model.errors import OfficialImagesError
from sphinx_official_images.model.names import image_key, image_ref
from sphinx_official_images.sources.loader import Loader
from sphinx_official_images.view.tags import TagList, build_tag_list

__all__ = [
    "DEFAULT_FOLDER",
    "INDEX",
    "TAGS",
    "CatalogueImage",
    "GenerateOptions",
    "ImageView",
    "parse_options",
    "plan_catalogue",
]

DEFAULT_FOLDER = "catalogue"
# The two index pages: no image or namespace may take their names.
INDEX = "index"
TAGS = "tags"
_KEYS = frozenset({"images", "arches", "dir"})


@dataclass(frozen=True, slots=True)
class GenerateOptions:
    """``official_images_generate`` resolved: what to generate and where.

    ``images``/``arches`` None mean "all"; ``arches=()`` generates the
    default views only. ``folder`` is relative to the source directory.
    """

    images: tuple[str, ...] | None = None
    arches: tuple[str, ...] | None = None
    folder: str = DEFAULT_FOLDER


def _names(value: object, what: str) -> tuple[str, ...] | None:
    if value is None or value == "all" or value is True:
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValueError(f'{what} must be "all" or a list of names, not {value!r}')
    bad = [v for v in value if not is_plain_name(v)]
    if bad:
        raise ValueError(f"{what}: not plain names: {', '.join(map(repr, bad))}")
    return tuple(dict.fromkeys(value))


def parse_options(value: object) -> GenerateOptions | None:
    """The accepted shapes of ``official_images_generate`` (None: generate nothing).

    ``None``/``False``: off. ``True``: every image, every architecture, in
    ``catalogue/``. A list of image names: those images, every architecture.
    A dict with any of ``images`` ("all" or a list), ``arches`` ("all" or a
    list; ``[]`` for default views only) and ``dir`` (a folder relative to
    the source directory). Anything else raises :class:`ValueError`.
    """
    if value is None or value is False:
        return None
    if value is True:
        return GenerateOptions()
    if isinstance(value, list | tuple):
        return GenerateOptions(images=_names(list(value), "images"))
    if not isinstance(value, dict):
        raise ValueError(f"expected True, a list of images or a dict, not {value!r}")
    unknown = sorted(set(map(str, value)) - _KEYS)
    if unknown:
        raise ValueError(f"unknown keys {', '.join(unknown)} (known: {', '.join(sorted(_KEYS))})")
    arches = _names(value.get("arches"), "arches")
    if arches is not None:
        unknown_arches = [a for a in arches if a not in SUPPORTED_ARCHITECTURES]
        if unknown_arches:
            raise ValueError(f"arches: unknown architectures {', '.join(unknown_arches)}")
    folder = value.get("dir", DEFAULT_FOLDER)
    if not isinstance(folder, str) or not folder.strip("/"):
        raise ValueError(f"dir must be a non-empty folder name, not {folder!r}")
    parts = Path(folder).parts
    if Path(folder).is_absolute() or ".." in parts:
        raise ValueError(f"dir must be a folder inside the source directory, not {folder!r}")
    return GenerateOptions(_names(value.get("images"), "images"), arches, Path(folder).as_posix())


@dataclass(frozen=True, slots=True)
class ImageView:
    """One generated view: the default view (``arch`` None) or one architecture's."""

    image: str
    arch: str | None
    namespace: str | None
    tags: TagList

    @property
    def docname(self) -> str:
        """The page, relative to the catalogue folder: ``python``, ``winamd64/python``."""
        return image_ref(self.image, self.namespace)

    @property
    def title(self) -> str:
        return self.docname

    @property
    def key(self) -> str:
        """The ``image`` role's target: ``python`` or ``python@windows-amd64``."""
        return image_key(self.image, self.arch)


@dataclass(frozen=True, slots=True)
class CatalogueImage:
    """An image's row of the image index and its generated views."""

    image: str
    short: str
    deprecated: bool
    arches: tuple[str, ...]
    default: ImageView
    arch_views: tuple[ImageView, ...]

    @property
    def views(self) -> tuple[ImageView, ...]:
        return (self.default, *self.arch_views)


def plan_catalogue(
    loader: Loader,
    options: GenerateOptions,
    namespaces: Mapping[str, str],
    *,
    warn: Callable[[str], None],
) -> list[CatalogueImage]:
    """The images and views to generate, from the manifests and the docs folder.

    An image needs both a manifest and a ``content.md`` (what ``update.sh``
    needs); the architectures are those of its manifest, filtered by
    ``options.arches``. Each problem is passed to ``warn`` (one sentence); the rest is still
    generated.
    """
    with_docs = set(loader.images())
    with_manifest = set(loader.manifest_images())
    available = sorted(with_docs & with_manifest)
    if options.images is None:
        images = available
    else:
        images = []
        for image in options.images:
            if image in (INDEX, TAGS):
                warn(f"image {image!r} has the name of a catalogue index page: not generated")
            elif image not in with_manifest:
                warn(f"unknown image {image!r} (no manifest)")
            elif image not in with_docs:
                warn(f"image {image!r} has no content.md in the docs folder")
            else:
                images.append(image)
    out: list[CatalogueImage] = []
    for image in images:
        if image in (INDEX, TAGS):
            warn(f"image {image!r} has the name of a catalogue index page: not generated")
            continue
        try:
            manifest = loader.manifest(image)
        except OfficialImagesError as err:
            warn(f"{image}: {err}")
            continue
        arches = tuple(manifest.architectures())
        views: list[ImageView] = []
        for arch in arches:
            if options.arches is not None and arch not in options.arches:
                continue
            namespace = namespace_for(arch, namespaces)
            if namespace is None or not is_plain_name(namespace) or namespace in (INDEX, TAGS):
                shown = namespace or ""
                warn(f"architecture {arch!r}: namespace {shown!r} cannot be a folder name")
                continue
            views.append(ImageView(image, arch, namespace, build_tag_list(manifest, arch, True)))
        default = ImageView(image, None, None, build_tag_list(manifest, "amd64", False))
        short = " ".join((loader.short_description(image) or "").split())
        deprecated = loader.docs.is_file(f"{image}/deprecated.md")
        out.append(CatalogueImage(image, short, deprecated, arches, default, tuple(views)))
    return out
