"""The docs checkout's logo history is walked at most once per docs HEAD (issue #11).

On a git checkout of the docs the logo URL names each logo's last commit. A
build that needs more than one image's walks the history once for all of
them; the result is kept on the environment, so an incremental build with the
same docs HEAD walks nothing, and one after a new docs commit asks git again.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace

from _git import commit_all, init, needs_git
from _sites import make_site
from sphinx_official_images.sources import facts

PAGES = {
    "index.rst": "Site\n====\n\n.. toctree::\n\n   good\n   bad\n",
    "good.rst": "Good\n====\n\n.. image-readme:: widget\n",
    "bad.rst": "Bad\n===\n\n.. image-readme:: bad\n",
}


def _build(src: Path, out: Path) -> str:
    warnings = io.StringIO()
    with docutils_namespace():
        app = Sphinx(
            str(src), str(src), str(out / "html"), str(out / "doctrees"), "html",
            status=None, warning=warnings,
        )  # fmt: skip
        app.build()
    return (out / "html" / "good.html").read_text(encoding="utf-8")


@needs_git
def test_the_history_is_walked_once_per_docs_head(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    png = b"\x89PNG fake"
    docs = {"widget/logo.png": png, "bad/logo.png": png}
    src = make_site(tmp_path, PAGES, docs=docs)
    init(tmp_path / "docs")
    first_commit = commit_all(tmp_path / "docs", "docs")
    walks: list[Path] = []
    walk = facts.git_commit_table

    def counting(folder: Path) -> facts.CommitTable | None:
        walks.append(folder)
        return walk(folder)

    monkeypatch.setattr(facts, "git_commit_table", counting)
    out = tmp_path / "out"
    html = _build(src, out)
    assert f"{first_commit}/widget/logo.png" in html
    assert len(walks) == 1

    (src / "good.rst").write_text("Good\n====\n\nEdited.\n\n.. image-readme:: widget\n")
    html = _build(src, out)
    assert "Edited." in html
    assert f"{first_commit}/widget/logo.png" in html
    assert len(walks) == 1  # the kept history answered: no walk

    (tmp_path / "docs" / "widget" / "logo.png").write_bytes(png + b" v2")
    second_commit = commit_all(tmp_path / "docs", "new logo")
    html = _build(src, out)
    assert f"{second_commit}/widget/logo.png" in html  # the kept history is stale: not used
    assert len(walks) == 1  # one page re-read asks git for one path, no walk

    for page in ("good", "bad"):  # both pages again: the history is walked anew
        (src / f"{page}.rst").write_text((src / f"{page}.rst").read_text() + "\nAgain.\n")
    html = _build(src, out)
    assert f"{second_commit}/widget/logo.png" in html
    assert len(walks) == 2
