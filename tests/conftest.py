"""Shared test fixtures.

The conformance corpus lives next to the repository, in ``../shared/corpus``
(``OFFICIAL_IMAGES_CORPUS`` overrides the location).  Tests that need it take
the ``corpus`` fixture (or one of the fixtures below), which skips them with
"../shared/corpus is absent" when it is not there.

A test that takes a ``corpus_manifest`` argument is run once per manifest of
``current/library`` and ``seed/library`` (one skipped case when the corpus is
absent).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

CORPUS: Path = Path(
    os.environ.get("OFFICIAL_IMAGES_CORPUS")
    or Path(__file__).resolve().parents[2] / "shared" / "corpus"
)
CORPUS_ABSENT = "../shared/corpus is absent"


def corpus_present() -> bool:
    return CORPUS.is_dir()


def corpus_manifests() -> list[Path]:
    """Every manifest file of the corpus (current, then seed), or [] without a corpus."""
    found: list[Path] = []
    for library in (CORPUS / "current" / "library", CORPUS / "seed" / "library"):
        if library.is_dir():
            found.extend(
                path
                for path in sorted(library.iterdir())
                if path.is_file() and not path.name.startswith(".")
            )
    return found


def matched_images() -> list[str]:
    """The images of ``index.json`` whose expected README the incumbent produced
    from the corpus inputs ([] without a corpus)."""
    try:
        index = json.loads((CORPUS / "index.json").read_text(encoding="utf-8"))
    except OSError:
        return []
    return [e["image"] for e in index["current"]["images"] if e["status"] == "matched"]


def corpus_conf(extra: str = "") -> str:
    """A ``conf.py`` whose extension reads the corpus' current manifests, prose and facts."""
    current = CORPUS / "current"
    return (
        'extensions = ["myst_parser", "sphinx_official_images"]\n'
        f"official_images_library = {str(current / 'library')!r}\n"
        f"official_images_docs = {str(current / 'docs')!r}\n"
        f"official_images_facts = {str(current / 'facts')!r}\n" + extra
    )


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The corpus folder; skips the test when it is absent."""
    if not corpus_present():
        pytest.skip(CORPUS_ABSENT)
    return CORPUS


@pytest.fixture(scope="session")
def corpus_library(corpus: Path) -> Path:
    """``current/library``: the manifests the expected READMEs were made from."""
    return corpus / "current" / "library"


@pytest.fixture(scope="session")
def seed_library(corpus: Path) -> Path:
    """``seed/library``: python, debian and ubuntu."""
    return corpus / "seed" / "library"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "corpus_manifest" in metafunc.fixturenames:
        paths = corpus_manifests()
        if paths:
            metafunc.parametrize(
                "corpus_manifest",
                paths,
                ids=[f"{path.parent.parent.name}/{path.name}" for path in paths],
            )
        else:
            metafunc.parametrize(
                "corpus_manifest",
                [pytest.param(None, marks=pytest.mark.skip(reason=CORPUS_ABSENT))],
                ids=["no-corpus"],
            )
