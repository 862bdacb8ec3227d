"""Sphinx glue: configuration values, directives, roles, domain, builder, events.

Nothing here knows a docker-library rule; it wires the loader and the view
model into Sphinx, following the conventions of Sphinx's own extensions
(typed config values, ``sphinx.util.logging`` with locations, dependencies
noted for incremental builds, domain data merged for parallel builds).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment

from sphinx_official_images._version import __version__
from sphinx_official_images.sphinx_ext.domain import OfficialImagesDomain, warn_missing_reference

# Bump when the shape of what we store in the environment changes (the
# doctrees included: 3, the tag lists' index nodes carry the search's entries).
ENV_VERSION = 3


def _new_build(app: Sphinx) -> None:
    from sphinx_official_images.sphinx_ext.project import new_build

    # Parses shared between the views of an image last one build (prose.py).
    new_build(app.env)


def _keep_commit_table(app: Sphinx, env: BuildEnvironment) -> None:
    from sphinx_official_images.sphinx_ext.project import keep_commit_table

    keep_commit_table(app, env)


def _check_config(app: Sphinx, config: Config) -> None:
    from sphinx_official_images.sphinx_ext.project import validate_config

    validate_config(app, config)


@dataclass(frozen=True)
class _ConfigValue:
    """One ``official_images_*`` setting (all rebuild the environment when changed)."""

    name: str
    default: Any
    types: tuple[type, ...]
    description: str


CONFIG_VALUES: tuple[_ConfigValue, ...] = (
    _ConfigValue(
        "official_images_library",
        "library",
        (str,),
        "folder of official-images manifests (library/), relative to the source dir",
    ),
    _ConfigValue(
        "official_images_docs",
        "",
        (str,),
        "docker-library/docs-style prose folder, relative to the source dir",
    ),
    _ConfigValue(
        "official_images_facts",
        "",
        (str,),
        "folder of <image>.json facts, relative to the source dir",
    ),
    _ConfigValue(
        "official_images_meta",
        "",
        (str,),
        "docker-library/meta checkout (sources.json: each build's FROM images), relative to"
        " the source dir; empty: no buildpack-deps fact from meta and no base images",
    ),
    _ConfigValue(
        "official_images_repo_info",
        "",
        (str,),
        "docker-library/repo-info checkout (repos/IMAGE/remote/TAG.md: sizes, digests),"
        " relative to the source dir; empty: no figures",
    ),
    _ConfigValue(
        "official_images_arch_namespaces",
        {},
        (dict,),
        "architecture -> Hub namespace overrides (default: windows-amd64 -> winamd64)",
    ),
    _ConfigValue(
        "official_images_logo_url",
        "",
        (str,),
        "logo URL pattern with {image}, {commit}, {file}; empty: docker-library's",
    ),
    _ConfigValue(
        "official_images_generate",
        None,
        (dict, bool, list, tuple, type(None)),
        "generate the catalogue: None/False (off), True (every image and architecture), "
        'a list of images, or a dict with "images" ("all" or a list), "arches" ("all" '
        'or a list; [] for default views only) and "dir" (folder, default "catalogue")',
    ),
    _ConfigValue(
        "official_images_raw_html",
        False,
        (bool,),
        "pass raw HTML in image prose through to HTML output (default: shown as text)",
    ),
)


def setup(app: Sphinx) -> dict[str, Any]:
    # Markdown prose inside directives is parsed with MyST.
    app.setup_extension("myst_parser")
    # The parents graph of ``image-bases`` (drawn only when ``dot`` is installed).
    app.setup_extension("sphinx.ext.graphviz")

    for value in CONFIG_VALUES:
        app.add_config_value(
            value.name,
            value.default,
            "env",
            types=list(value.types),
            description=value.description,
        )

    app.add_domain(OfficialImagesDomain)

    from sphinx_official_images.sphinx_ext import collector, once

    collector.register(app)
    once.register(app)
    app.connect("config-inited", _check_config)
    app.connect("warn-missing-reference", warn_missing_reference)
    app.connect("builder-inited", _new_build)
    app.connect("env-updated", _keep_commit_table)

    from sphinx_official_images.sphinx_ext import (
        assets,
        directives,
        generate,
        manifest_warnings,
        release,
        search,
        shared_parses,
    )
    from sphinx_official_images.sphinx_ext.builder import DockerHubBuilder

    assets.register(app)
    generate.register(app)
    directives.register(app)
    manifest_warnings.register(app)
    release.register(app)
    search.register(app)
    shared_parses.register(app)
    app.add_builder(DockerHubBuilder)

    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
