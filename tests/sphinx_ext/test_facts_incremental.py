"""A repo-info or meta file that appears re-reads exactly the pages that looked for it.

The facts sources record every file they look at, present or not (SPEC §6):
a tag file of repo-info (``repos/IMAGE/remote/TAG.md``) that an entry would
read before the one it reads, or when it reads none; meta's ``sources.json``
when it is not there. When such a file appears, the pages that looked for it
are outdated (``env-get-outdated``), and only those; a further build reads
nothing (a missing file is never a Sphinx dependency, which would re-read
the page every time).

Built with :class:`sphinx.testing.util.SphinxTestApp`, incrementally in one
output folder, as a writer's loop does.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from docutils import nodes
from sphinx.testing.util import SphinxTestApp

from conftest import CORPUS, corpus_conf
from sphinx_official_images.model.names import tag_anchor

META_SAMPLE = CORPUS.parent / "meta-sample"


class Site:
    """A source folder built again and again into the same output folder."""

    def __init__(self, src: Path) -> None:
        self.src = src

    def build(self) -> tuple[list[str], str, SphinxTestApp]:
        """Build incrementally: the documents read and the warnings."""
        read: list[str] = []
        warnings = io.StringIO()
        app = SphinxTestApp("html", srcdir=self.src, builddir=self.src / "_build", warning=warnings)
        try:
            app.connect("env-before-read-docs", lambda _a, _e, docs: read.extend(docs))
            app.build()
        finally:
            app.cleanup()
        return sorted(read), warnings.getvalue(), app


def _write(src: Path, conf: str, pages: dict[str, str]) -> Site:
    src.mkdir(parents=True)
    (src / "conf.py").write_text(conf, encoding="utf-8")
    for name, text in pages.items():
        (src / name).write_text(text, encoding="utf-8")
    return Site(src)


def _figures_of(app: SphinxTestApp, docname: str, anchor: str) -> list[nodes.Element]:
    item = next(
        n for n in app.env.get_doctree(docname).findall(nodes.list_item) if anchor in n["ids"]
    )
    return [p for p in item.findall(nodes.paragraph) if "official-images-sizes" in p["classes"]]


# -- repo-info ------------------------------------------------------------------------------

REPO_INFO_PAGES = {
    "index.rst": "Index\n=====\n\n.. toctree::\n\n   python\n   debian\n   arches\n",
    "python.rst": "Python\n======\n\n.. image-readme:: python\n\n.. image-sizes:: python\n",
    "debian.md": "# Debian\n\n```{image-tags} debian\n```\n",
    "arches.md": "# Arches\n\n```{image-arches} python\n```\n\n```{image-arches} debian\n```\n",
}


@pytest.fixture
def repo_info_site(corpus: Path, tmp_path: Path) -> Iterator[tuple[Site, Path]]:
    repo_info = tmp_path / "repo-info"
    shutil.copytree(corpus / "repo-info", repo_info)
    conf = corpus_conf(f"official_images_repo_info = {str(repo_info)!r}\nhtml_theme = 'basic'\n")
    yield _write(tmp_path / "src", conf, REPO_INFO_PAGES), repo_info


def _retagged(source: Path, old: str, new: str) -> str:
    """A real tag file, published under another tag."""
    return source.read_text(encoding="utf-8").replace(f"`{old}`", f"`{new}`")


def test_a_new_tag_file_rereads_the_pages_of_its_image(
    repo_info_site: tuple[Site, Path],
) -> None:
    site, repo_info = repo_info_site
    read, warnings, app = site.build()
    assert warnings == ""
    assert read == ["arches", "debian", "index", "python"]
    rc_slim = tag_anchor("python", "3.15.0rc1-slim-trixie", None)
    assert _figures_of(app, "python", rc_slim) == []

    remote = repo_info / "repos/python/remote"
    (remote / "3.15-rc-slim.md").write_text(
        _retagged(remote / "3.14-slim.md", "python:3.14-slim", "python:3.15-rc-slim"),
        encoding="utf-8",
    )
    read, warnings, app = site.build()
    assert warnings == ""
    assert read == ["python"]  # not debian's tags, not the pages without figures
    (figures,) = _figures_of(app, "python", rc_slim)
    assert "43.4 MB" in figures.astext()
    # and a row of the image-sizes table
    (table,) = (t for t in app.env.get_doctree("python").findall(nodes.table))
    rows = [row.astext() for row in table.findall(nodes.row)]
    assert any(row.startswith("3.15.0rc1-slim-trixie") for row in rows)

    read, warnings, _ = site.build()
    assert (read, warnings) == ([], "")


def test_an_image_folder_that_appears_rereads_that_images_pages(
    repo_info_site: tuple[Site, Path],
) -> None:
    site, repo_info = repo_info_site
    debian = repo_info / "repos/debian"
    kept = repo_info.parent / "debian-kept"
    debian.rename(kept)
    read, warnings, app = site.build()
    assert warnings == ""
    trixie = tag_anchor("debian", "trixie", None)
    assert _figures_of(app, "debian", trixie) == []

    kept.rename(debian)
    read, warnings, app = site.build()
    assert warnings == ""
    assert read == ["debian"]
    (figures,) = _figures_of(app, "debian", trixie)
    assert "MB" in figures.astext()

    read, warnings, _ = site.build()
    assert (read, warnings) == ([], "")


# -- meta -----------------------------------------------------------------------------------


@pytest.fixture
def meta_site(corpus: Path, tmp_path: Path) -> Iterator[tuple[Site, Path]]:
    if not META_SAMPLE.is_dir():
        pytest.skip("../shared/meta-sample is absent")
    docs = tmp_path / "docs"
    for part in (".template-helpers", ".common-templates", "haproxy"):
        shutil.copytree(META_SAMPLE / "docs" / part, docs / part)
    shutil.copytree(corpus / "current" / "docs" / "debian", docs / "debian")
    meta = tmp_path / "meta"
    meta.mkdir()  # no sources.json yet
    conf = (
        'extensions = ["myst_parser", "sphinx_official_images"]\n'
        f"official_images_library = {str(META_SAMPLE / 'library')!r}\n"
        f"official_images_docs = {str(docs)!r}\n"
        f"official_images_meta = {str(meta)!r}\n"
        "html_theme = 'basic'\n"
    )
    pages = {
        "index.rst": (
            "Index\n=====\n\n.. toctree::\n\n   debian\n   haproxy\n   arches\n   plain\n"
        ),
        "debian.rst": "Debian\n======\n\n.. image-bases:: debian\n",
        "haproxy.md": "# HAProxy\n\n```{image-variants} haproxy\n```\n",
        "arches.md": "# Arches\n\n```{image-arches} haproxy\n```\n",
        "plain.md": "# Plain\n\nNo image here.\n",
    }
    yield _write(tmp_path / "src", conf, pages), meta


def test_sources_json_that_appears_rereads_the_pages_that_looked_for_it(
    meta_site: tuple[Site, Path],
) -> None:
    site, meta = meta_site
    _, warnings, _ = site.build()
    # image-bases and the variants' buildpack-deps fact looked for it
    assert "no docker-library/meta sources.json here" in warnings
    assert "Used as a base by" not in (site.src / "_build/html/debian.html").read_text("utf-8")

    shutil.copy(META_SAMPLE / "sources.json", meta / "sources.json")
    read, warnings, _ = site.build()
    # every view model asks meta for the buildpack-deps fact (image-arches
    # too); the page without an image never asked
    assert read == ["arches", "debian", "haproxy"]
    assert "sources.json" not in warnings
    debian = (site.src / "_build/html/debian.html").read_text(encoding="utf-8")
    used = debian[debian.index("Used as a base by") :]
    assert '<span class="pre">haproxy' in used

    read, _, _ = site.build()
    assert read == []
