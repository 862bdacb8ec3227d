"""The one exception family the project raises for bad input.

Every layer (parser, catalog, view model) raises these and nothing else for
problems in the user's files, so the Sphinx glue and the CLI can turn any of
them into a ``file:line: message`` report without a traceback.
"""

from __future__ import annotations


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


class ManifestError(OfficialImagesError):
    """An official-images manifest that bashbrew would reject.

    ``warnings`` holds the :class:`~sphinx_official_images.model.manifest.ManifestWarning`
    objects found before the error, so a report can show them too.
    """

    warnings: tuple[object, ...] = ()
    #: the rule's code (``sphinx_official_images.model.rules.RULES``), "" if none
    code: str = ""
    severity = "error"


class DocsError(OfficialImagesError):
    """A problem in the docker-library/docs-style prose folder or the facts."""
