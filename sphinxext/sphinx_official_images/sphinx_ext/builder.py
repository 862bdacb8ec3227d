"""The ``dockerhub`` builder: the Hub Markdown of every ``image-readme`` in the project.

``sphinx-build -b dockerhub SRC OUT`` writes, for each image view that some
page renders with ``image-readme``, the README ``update.sh`` would write
(``OUT/IMAGE.md``, or ``OUT/NAMESPACE/IMAGE.md`` for a per-architecture
view) and what ``push.pl`` would upload (``OUT/hub/...``, trimmed to the
Hub's limit). It reuses the Markdown emitter: one source, two outputs.
"""

from __future__ import annotations

from collections.abc import Iterator, Set
from pathlib import Path

from docutils import nodes
from sphinx.builders import Builder
from sphinx.util import logging

from sphinx_official_images.model.errors import OfficialImagesError
from sphinx_official_images.render.hub import hub_markdown
from sphinx_official_images.render.markdown import render_readme
from sphinx_official_images.sources.files import write_if_changed
from sphinx_official_images.sphinx_ext.domain import DOMAIN, OfficialImagesDomain
from sphinx_official_images.sphinx_ext.project import get_project

logger = logging.getLogger(__name__)


class DockerHubBuilder(Builder):
    """Writes Docker Hub Markdown for every ``image-readme`` view."""

    name = "dockerhub"
    format = "markdown"
    epilog = "The Docker Hub Markdown files are in %(outdir)s."
    allow_parallel = True

    def init(self) -> None:
        pass

    def get_outdated_docs(self) -> Iterator[str]:
        # Every README is regenerated at the end (cheap); documents themselves
        # produce nothing, so none is ever out of date for writing.
        yield from ()

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        return ""

    def prepare_writing(self, docnames: Set[str]) -> None:
        pass

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        pass

    def finish(self) -> None:
        domain = self.env.get_domain(DOMAIN)
        assert isinstance(domain, OfficialImagesDomain)
        views = sorted({view for views in domain.readmes.values() for view in views})
        loader = get_project(self.env)
        outdir = Path(self.outdir)
        for image, arch in views:
            try:
                page = loader.page(image, arch or None)
            except OfficialImagesError as err:
                # a located problem at its file:line; a missing file by its path
                logger.warning(
                    "%s",
                    err.message if err.line is not None else str(err),
                    location=err.location if err.line is not None else None,
                    type="official_images",
                    subtype="input",
                )
                continue
            readme = render_readme(page)
            name = f"{page.namespace}/{image}.md" if page.namespace else f"{image}.md"
            hub = hub_markdown(readme, image)
            for path, text in ((outdir / name, readme), (outdir / "hub" / name, hub.text)):
                path.parent.mkdir(parents=True, exist_ok=True)
                write_if_changed(path, text)
            if hub.trimmed != "none":
                logger.info("%s: %s", name, hub.report(image))
