"""The one exception family the project raises for bad input.

Every layer (parser, loader, view model) raises these and nothing else for
problems in the user's files, so the Sphinx glue and the CLI can turn any of
them into a ``file:line: message`` report without a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


class OfficialImagesError(Exception):
    """A problem in the user's input, located as precisely as we know."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    @property
    def location(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line is not None else self.path

    def __str__(self) -> str:
        loc = self.location
        return f"{loc}: {self.message}" if loc else self.message


@dataclass(frozen=True, slots=True)
class ManifestWarning:
    """Something bashbrew accepts silently that a maintainer wants to hear about.

    Not an exception: the parser collects these on ``Manifest.warnings``.

    Plain fields, so that any output format (``check``, Sphinx, JSON) can be
    made from them.
    """

    path: str
    line: int
    code: str
    message: str
    severity: str = "warning"

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: warning: {self.message}"


class ManifestError(OfficialImagesError):
    """An official-images manifest that bashbrew would reject.

    ``warnings`` holds the :class:`ManifestWarning` objects found before the
    error, so a report can show them too.
    """

    warnings: tuple[ManifestWarning, ...] = ()
    #: the rule's code (``sphinx_official_images.model.rules.RULES``), "" if none
    code: str = ""
    severity = "error"


class DocsError(OfficialImagesError):
    """A problem in the docker-library/docs-style prose folder or the facts."""
