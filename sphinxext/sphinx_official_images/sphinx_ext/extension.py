"""Sphinx glue: configuration values, directives, roles, domain, builder, events.

Nothing here knows a docker-library rule; it wires the catalog and the view
model into Sphinx, following the conventions of Sphinx's own extensions
(typed config values, ``sphinx.util.logging`` with locations, dependencies
noted for incremental builds, domain data merged for parallel builds).
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

from sphinx_official_images._version import __version__
from sphinx_official_images.sphinx_ext.domain import OfficialImagesDomain, warn_missing_reference

# Bump when the shape of what we store in the environment changes.
ENV_VERSION = 1


def _new_build(app: Sphinx) -> None:
    from sphinx_official_images.render.prose import clear_shared

    # Parses shared between the views of an image last one build (prose.py).
    clear_shared()


def _check_config(app: Sphinx, config: Config) -> None:
    from sphinx_official_images.sphinx_ext.project import validate_config

    validate_config(app, config)


def setup(app: Sphinx) -> dict[str, Any]:
    # Markdown prose inside directives is parsed with MyST.
    app.setup_extension("myst_parser")
    # The parents graph of ``image-bases`` (drawn only when ``dot`` is installed).
    app.setup_extension("sphinx.ext.graphviz")

    app.add_config_value(
        "official_images_library",
        "library",
        "env",
        types=[str],
        description="folder of official-images manifests (library/), relative to the source dir",
    )
    app.add_config_value(
        "official_images_docs",
        "",
        "env",
        types=[str],
        description="docker-library/docs-style prose folder, relative to the source dir",
    )
    app.add_config_value(
        "official_images_facts",
        "",
        "env",
        types=[str],
        description="folder of <image>.json facts, relative to the source dir",
    )
    app.add_config_value(
        "official_images_repo_info",
        "",
        "env",
        types=[str],
        description=(
            "docker-library/repo-info checkout (repos/IMAGE/remote/TAG.md: sizes, digests), "
            "relative to the source dir; empty: no figures"
        ),
    )
    app.add_config_value(
        "official_images_meta",
        "",
        "env",
        types=[str],
        description=(
            "docker-library/meta checkout (sources.json: each build's FROM images), "
            "relative to the source dir; empty: no base images"
        ),
    )
    app.add_config_value(
        "official_images_arch_namespaces",
        {},
        "env",
        types=[dict],
        description="architecture -> Hub namespace overrides (default: windows-amd64 -> winamd64)",
    )
    app.add_config_value(
        "official_images_logo_url",
        "",
        "env",
        types=[str],
        description="logo URL pattern with {image}, {commit}, {file}; empty: docker-library's",
    )
    app.add_config_value(
        "official_images_generate",
        None,
        "env",
        types=[dict, bool, list, tuple, type(None)],
        description=(
            "generate the catalogue: None/False (off), True (every image and architecture), "
            'a list of images, or a dict with "images" ("all" or a list), "arches" ("all" '
            'or a list; [] for default views only) and "dir" (folder, default "catalogue")'
        ),
    )
    app.add_config_value(
        "official_images_raw_html",
        False,
        "env",
        types=[bool],
        description="pass raw HTML in image prose through to HTML output (default: shown as text)",
    )

    app.add_domain(OfficialImagesDomain)
    app.connect("config-inited", _check_config)
    app.connect("warn-missing-reference", warn_missing_reference)
    app.connect("builder-inited", _new_build)

    from sphinx_official_images.sphinx_ext import generate

    generate.register(app)

    from sphinx_official_images.sphinx_ext import directives

    directives.register(app)

    from sphinx_official_images.sphinx_ext.builder import DockerHubBuilder

    app.add_builder(DockerHubBuilder)

    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
