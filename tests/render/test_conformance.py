"""Byte-for-byte conformance with docker-library/docs' ``update.sh`` on the corpus.

For every ``matched`` image of ``../shared/corpus/index.json`` the default
view must equal ``current/docs/IMAGE/README.md`` (the generator never reads
that file), and the seed (python, ``windows-amd64``) must equal
``seed/winamd64-python.md``.  Skipped when the corpus is absent; its location
can be overridden with ``OFFICIAL_IMAGES_CORPUS``.
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from conftest import CORPUS, CORPUS_ABSENT, matched_images
from sphinx_official_images.render.markdown import render_readme
from sphinx_official_images.sources.loader import Loader
from sphinx_official_images.view.page import build_page

pytestmark = pytest.mark.corpus

_SKIP = pytest.mark.skipif(not (CORPUS / "index.json").is_file(), reason=CORPUS_ABSENT)

MATCHED = matched_images()


@pytest.fixture(scope="module")
def loader() -> Loader:
    current = CORPUS / "current"
    return Loader(current / "library", current / "docs", current / "facts")


def _diff(expected: str, actual: str) -> str:
    lines = difflib.unified_diff(
        expected.splitlines(True), actual.splitlines(True), "expected", "generated", n=1
    )
    return "".join(list(lines)[:40])


def _generate(loader: Loader, image: str) -> tuple[str, str]:
    expected = (CORPUS / "current" / "docs" / image / "README.md").read_text(encoding="utf-8")
    return expected, render_readme(build_page(loader, image))


@_SKIP
@pytest.mark.parametrize("image", MATCHED or ["(no corpus)"])
def test_default_view_is_byte_identical(loader: Loader, image: str) -> None:
    expected, actual = _generate(loader, image)
    assert actual == expected, _diff(expected, actual)


@_SKIP
def test_seed_windows_amd64_is_byte_identical(tmp_path: Path) -> None:
    seed = CORPUS / "seed"
    facts = tmp_path / "facts"
    facts.mkdir()
    shutil.copyfile(seed / "facts.json", facts / "python.json")
    loader = Loader(seed / "library", seed / "docs", facts)
    page = build_page(loader, "python", "windows-amd64")
    assert page.namespace == "winamd64" and page.image_ref == "winamd64/python"
    expected = (seed / "winamd64-python.md").read_text(encoding="utf-8")
    actual = render_readme(page)
    assert actual == expected, _diff(expected, actual)


@_SKIP
def test_conformance_score(loader: Loader, capsys: pytest.CaptureFixture[str]) -> None:
    identical = sum(1 for image in MATCHED if len(set(_generate(loader, image))) == 1)
    with capsys.disabled():
        print(f"\nconformance: {identical}/{len(MATCHED)} byte-identical")
    assert identical == len(MATCHED)
