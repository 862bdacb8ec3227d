"""The license section of a page: ``license.md`` and the shared ``license-common.md``."""

from __future__ import annotations

from dataclasses import dataclass

from sphinx_official_images.view.reader import HELPERS, PageReader

__all__ = ["LicenseSection", "build_license"]


@dataclass(frozen=True, slots=True)
class LicenseSection:
    """``license.md`` plus the shared ``license-common.md``, under :data:`LICENSE_HEADING`."""

    text: str
    common: str

    @property
    def body(self) -> str:
        """The section's Markdown without its heading: the two texts, a blank line apart."""
        return f"{self.text}\n\n{self.common}"


def build_license(reader: PageReader, image: str) -> LicenseSection | None:
    """``license.md`` and the shared note (None: the image has no license text)."""
    text = reader.read(f"{image}/license.md") or ""
    if not text:
        return None
    common = reader.first(f"{image}/license-common.md", f"{HELPERS}/license-common.md") or ""
    return LicenseSection(text, common)
