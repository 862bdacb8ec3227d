"""Manifest warnings in a Sphinx build: once per manifest and build, at the manifest's line.

The ``bad`` manifest has a misspelt field (bashbrew ignores it); two pages show
it, in several directives.  The warning is logged once, serial or ``-j 2``, is
of type ``official_images.manifest`` (so ``suppress_warnings`` silences it) and
``-W`` makes it fatal.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from _sites import build, make_site, manifest_text

TYPO = manifest_text("bad").replace("Directory: 1\n", "Directory: 1\nArchitecures: s390x\n", 1)
PAGES = {
    "bad.rst": "Bad page\n========\n\n.. image-tags:: bad\n\n.. image-arches:: bad\n",
    "other.rst": "Other page\n==========\n\n.. image-tags:: bad arm64v8\n",
    "index.rst": "Test site\n=========\n\n.. toctree::\n\n   good\n   bad\n   other\n",
}


def _expected(root: Path) -> str:
    return (
        f'{root}/library/bad:10: WARNING: unknown field "Architecures", ignored by bashbrew'
        ' (did you mean "Architectures"?) [official_images.manifest]'
    )


@pytest.mark.parametrize("jobs", [1, 2])
def test_logged_once_per_manifest(tmp_path: Path, jobs: int) -> None:
    src = make_site(tmp_path, PAGES, library={"bad": TYPO})
    result = build(src, tmp_path / "out", jobs=jobs)
    assert result.status == 0
    assert result.warnings == [_expected(tmp_path)]
    # bashbrew ignores the field: the pages are those of the manifest without it
    assert "1.0-slim" in result.html("bad")


def test_an_incremental_build_that_reads_nothing_logs_nothing(tmp_path: Path) -> None:
    src = make_site(tmp_path, PAGES, library={"bad": TYPO})
    assert build(src, tmp_path / "out").warnings == [_expected(tmp_path)]
    assert build(src, tmp_path / "out", fresh=False).warnings == []


def test_suppressible_and_fatal_under_w(tmp_path: Path) -> None:
    src = make_site(tmp_path, PAGES, library={"bad": TYPO})
    assert build(src, tmp_path / "strict", werror=True).status != 0
    quiet = make_site(
        tmp_path / "quiet",
        PAGES,
        library={"bad": TYPO},
        conf='suppress_warnings = ["official_images.manifest"]\n',
    )
    result = build(quiet, tmp_path / "quiet" / "out", werror=True)
    assert (result.status, result.warnings) == (0, [])
