"""The Sphinx side of image prose: the parser it goes through, and remote images.

:mod:`~sphinx_official_images.render.prose` parses prose without knowing a
Sphinx application; this module gives it MyST's Sphinx parser (which reads
the project's ``myst_*`` settings and knows Sphinx's roles and directives)
and Sphinx's logging reporter (docutils messages get a location, and ``-W``
sees them).

A builder that cannot show remote images (latex, epub...) would have Sphinx
download them at build time (``ImageDownloader``). For those builders,
:class:`RemoteImagesAsLinks` turns the prose's remote images into links
first, so no build fetches. Whether the builder needs it is known once, when
the builder is created: the transform is only registered then.
"""

from __future__ import annotations

import functools

from docutils import nodes
from docutils.parsers import Parser
from myst_parser.parsers.sphinx_ import MystParser
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import LoggingReporter

from sphinx_official_images.render.prose import ProseParser, remote_images_as_links


def _myst_parser() -> Parser:
    return MystParser()


# MyST's Sphinx parser, reporting through Sphinx's logging.
@functools.cache
def _myst_escapes_destinations() -> bool:
    """Whether the installed myst-parser HTML-escapes link destinations.

    Found by parsing one link rather than from the version number, so a
    backported fix is seen too. A fact about the installed code (no input's),
    so it is computed once per process.
    """
    from docutils.core import publish_doctree
    from myst_parser.parsers.docutils_ import Parser

    probe = publish_doctree(
        "[a](https://example.invalid/?a=1&b=2)\n",
        parser=Parser(),
        settings_overrides={"report_level": 5, "halt_level": 5},
    )
    return any(
        ref.get("refuri", "").endswith("?a=1&amp;b=2") for ref in probe.findall(nodes.reference)
    )


SPHINX_PROSE = ProseParser(
    parser=_myst_parser,
    reporter=LoggingReporter.from_reporter,
    escapes_destinations=_myst_escapes_destinations,
)


class RemoteImagesAsLinks(SphinxPostTransform):
    """The prose's remote images as links, before ``ImageDownloader`` (priority
    100) would fetch them."""

    default_priority = 90

    def run(self, **kwargs: object) -> None:
        remote_images_as_links(self.document)


def _register_for_builder(app: Sphinx) -> None:
    """``builder-inited``: only builders that show local images but not remote
    ones would download the prose's images."""
    builder = app.builder
    if builder.supported_image_types and not builder.supported_remote_images:
        app.add_post_transform(RemoteImagesAsLinks)


def register(app: Sphinx) -> None:
    app.connect("builder-inited", _register_for_builder)
