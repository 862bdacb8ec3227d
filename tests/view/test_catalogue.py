"""The generated catalogue's plan (issue #5): the options and which views get a page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sphinx_official_images.sources.loader import Loader
from sphinx_official_images.view.catalogue import GenerateOptions, parse_options, plan_catalogue

DATA = Path(__file__).resolve().parents[2] / "data"


def _fail(message: str) -> None:
    raise AssertionError(f"unexpected warning: {message}")


# -- options ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (False, None),
        (True, GenerateOptions()),
        (["python", "debian"], GenerateOptions(images=("python", "debian"))),
        ({}, GenerateOptions()),
        ({"images": "all", "arches": "all"}, GenerateOptions()),
        ({"arches": []}, GenerateOptions(arches=())),
        (
            {"images": ["python"], "arches": ["windows-amd64"], "dir": "images/all/"},
            GenerateOptions(("python",), ("windows-amd64",), "images/all"),
        ),
    ],
)
def test_accepted_shapes(value: object, expected: GenerateOptions | None) -> None:
    assert parse_options(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("python", "expected True, a list of images or a dict"),
        ({"image": ["python"]}, "unknown keys image"),
        ({"images": ["../etc"]}, "not plain names"),
        ({"images": [1]}, 'must be "all" or a list of names'),
        ({"arches": ["sparc"]}, "unknown architectures sparc"),
        ({"dir": "../out"}, "inside the source directory"),
        ({"dir": "/tmp/x"}, "inside the source directory"),
        ({"dir": ""}, "non-empty folder name"),
    ],
)
def test_rejected_shapes(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_options(value)


# -- the plan ------------------------------------------------------------------


@pytest.fixture(scope="module")
def data_loader() -> Loader:
    return Loader(DATA / "library", DATA / "docs", DATA / "facts")


def test_plan_covers_each_image_and_architecture(data_loader: Loader) -> None:
    # ubuntu has a manifest but no docs folder: update.sh writes no README for it.
    entries = plan_catalogue(
        data_loader, GenerateOptions(), data_loader.arch_namespaces, warn=_fail
    )
    assert [e.image for e in entries] == ["debian", "python"]
    python = entries[1]
    assert python.arches == tuple(data_loader.manifest("python").architectures())
    docnames = [view.docname for view in python.views]
    assert docnames[0] == "python"
    assert "winamd64/python" in docnames and "arm64v8/python" in docnames
    assert len(docnames) == 1 + len(python.arches)
    assert python.short == data_loader.short_description("python")


def test_plan_filters_and_warns(data_loader: Loader) -> None:
    warnings: list[str] = []
    options = GenerateOptions(images=("python", "nosuch", "ubuntu"), arches=("windows-amd64",))
    entries = plan_catalogue(
        data_loader, options, data_loader.arch_namespaces, warn=warnings.append
    )
    assert [(e.image, [v.docname for v in e.views]) for e in entries] == [
        ("python", ["python", "winamd64/python"])
    ]
    assert warnings == [
        "unknown image 'nosuch' (no manifest)",
        "image 'ubuntu' has no content.md in the docs folder",
    ]


def test_plan_refuses_the_index_pages_names(data_loader: Loader) -> None:
    warnings: list[str] = []
    entries = plan_catalogue(
        data_loader, GenerateOptions(images=("tags", "python")), {}, warn=warnings.append
    )
    assert [e.image for e in entries] == ["python"]
    assert warnings == ["image 'tags' has the name of a catalogue index page: not generated"]


@pytest.mark.corpus
def test_plan_of_the_corpus(corpus: Path) -> None:
    current = corpus / "current"
    loader = Loader(current / "library", current / "docs", current / "facts")
    entries = plan_catalogue(loader, GenerateOptions(), loader.arch_namespaces, warn=_fail)
    assert len(entries) == len(loader.images()) == 144
    pages = sum(len(e.views) for e in entries)
    assert pages == 144 + sum(len(loader.manifest(e.image).architectures()) for e in entries)
    assert sum(e.deprecated for e in entries) >= 1
    assert all(e.short for e in entries)
