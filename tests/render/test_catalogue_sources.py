"""The generated catalogue's page sources (issue #5): MyST and reStructuredText text."""

from __future__ import annotations

from pathlib import Path

import pytest

from sphinx_official_images.render.catalogue import render_catalogue
from sphinx_official_images.sources.generated import MARKER
from sphinx_official_images.sources.loader import Loader
from sphinx_official_images.view.catalogue import GenerateOptions, plan_catalogue

DATA = Path(__file__).resolve().parents[2] / "data"


def _fail(message: str) -> None:
    raise AssertionError(f"unexpected warning: {message}")


@pytest.fixture(scope="module")
def data_loader() -> Loader:
    return Loader(DATA / "library", DATA / "docs", DATA / "facts")


def test_sources(data_loader: Loader) -> None:
    entries = plan_catalogue(
        data_loader, GenerateOptions(), data_loader.arch_namespaces, warn=_fail
    )
    sources = render_catalogue(entries)
    assert {"index.md", "tags.md", "python.md", "winamd64/python.md"} <= set(sources)
    page = sources["winamd64/python.md"]
    assert page.startswith(f"---\norphan: true\n---\n% {MARKER}\n")
    assert "\n# winamd64/python\n" in page
    assert "```{image-readme} python windows-amd64\n:no-index-entry:\n:search: none\n```" in page
    assert "{image}`python <python>`" in page  # back to the default view
    rst = render_catalogue(entries, ".rst")["winamd64/python.rst"]
    assert rst.startswith(f":orphan:\n\n.. {MARKER}\n\nwinamd64/python\n===============\n")
    assert "Default view: :image:`python <python>`" in rst
    assert rst.endswith(
        "\n.. image-readme:: python windows-amd64\n   :no-index-entry:\n   :search: none\n"
    )
    default = sources["python.md"]
    assert "{image}`windows-amd64 <python@windows-amd64>`" in default
    index = sources["index.md"]
    assert "| {image}`python <python>` |" in index
    assert ":hidden:\n\ntags\n" in index
    tags = sources["tags.md"]
    assert "```{image-catalogue-tags}\n" in tags
    lines = tags.splitlines()
    slim = next(line for line in lines if " 3.14-slim " in f"{line} ")
    assert slim.startswith("python: ") and " | amd64 " in slim
    windows = next(line for line in lines if " windowsservercore-ltsc2022 " in f"{line} ")
    assert windows.endswith("| windows-amd64")


def test_prose_is_escaped_in_the_index(data_loader: Loader) -> None:
    entries = plan_catalogue(data_loader, GenerateOptions(("python",)), {}, warn=_fail)
    hostile = entries[0].__class__(
        "python", "a | b `c` <script> *d*", True, (), entries[0].default, ()
    )
    row = next(
        line for line in render_catalogue([hostile])["index.md"].splitlines() if "python" in line
    )
    assert r"a \| b \`c\` \<script\> \*d\*" in row
    assert "**deprecated**" in row
