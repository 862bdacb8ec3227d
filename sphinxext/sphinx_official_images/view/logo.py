"""The logo of a page: ``logo.png`` or ``logo.svg`` at its last docs commit."""

from __future__ import annotations

from dataclasses import dataclass

from sphinx_official_images.model.links import is_safe_url
from sphinx_official_images.sources.facts import ImageFacts
from sphinx_official_images.sources.loader import Loader
from sphinx_official_images.view.reader import PageReader

__all__ = ["DEFAULT_LOGO_URL", "Logo", "build_logo"]

# The logo URL update.sh builds ({commit}: the logo's last docs commit).
DEFAULT_LOGO_URL = "https://raw.githubusercontent.com/docker-library/docs/{commit}/{image}/{file}"
_SVG_SUFFIX = "?sanitize=true"


@dataclass(frozen=True, slots=True)
class Logo:
    """The logo image: ``IMAGE/logo.png|svg`` at ``commit`` of the docs repository."""

    url: str
    file: str
    commit: str


def build_logo(
    reader: PageReader, loader: Loader, image: str, facts: ImageFacts, logo_url: str
) -> Logo | None:
    """The logo: ``logo.png`` or ``logo.svg`` of the image folder, or the one the
    facts say exists upstream; its URL names the file's last docs commit."""
    logo_file = None
    for ext in ("png", "svg"):
        if reader.resolve(f"{image}/logo.{ext}") is not None:
            logo_file = f"logo.{ext}"
            break
    if logo_file is None and facts.logo_file is not None:
        logo_file = facts.logo_file  # exists upstream, not copied here
    if logo_file is None:
        return None
    commit = loader.facts.logo_commit(image, logo_file)
    url = logo_url.format(commit=commit, image=image, file=logo_file)
    if logo_file.endswith(".svg"):
        url += _SVG_SUFFIX
    return Logo(url, logo_file, commit) if is_safe_url(url) else None
