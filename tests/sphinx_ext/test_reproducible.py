"""Builds are reproducible: the same sources give the same bytes.

A site of eight pages (whole image pages in the default and a per-architecture
view, parts, a matrix, roles across pages, a problem page) is built three
times from scratch: twice serially and once with ``-j 2``, each with the HTML
and the ``dockerhub`` builder. Every file of the output folders must be
byte-identical, with one exception that Sphinx itself makes differ:

* ``.doctrees/environment.pickle``: the build cache records *when* each
  document was read (``env.all_docs``, used to find outdated documents on the
  next incremental build). It is never published; the pickled doctrees next
  to it, and everything published (HTML, ``searchindex.js``, ``objects.inv``,
  ``.buildinfo``, ``_sources``, ``_static``, the Hub Markdown), are compared.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from _sites import build, make_site

PAGES = {
    "index.rst": (
        "Site\n====\n\n.. toctree::\n\n   good\n   bad\n   widget\n   arm\n   parts\n   refs\n"
    ),
    "widget.md": "# Widget\n\n```{image-readme} widget\n```\n",
    "arm.rst": "Arm\n===\n\n.. image-readme:: widget windows-amd64\n",
    "parts.rst": (
        "Parts\n=====\n\n.. image-matrix:: widget\n\n.. image-quickref:: bad arm64v8\n\n"
        ".. image-usage:: widget windows-amd64\n\n   docker run %%IMAGE%%:1\n"
    ),
    "refs.md": (
        "# Refs\n\n{image}`widget`, {image-tag}`widget:1.0-slim`,"
        " {image-tag}`widget:slim@windows-amd64`, {image}`bad`\n\n```{image-readme} bad\n```\n"
    ),
    "bad.rst": "Bad\n===\n\n.. image-tags:: nope\n",
}

# Written by Sphinx with the time each document was read; see the module docstring.
NOT_REPRODUCIBLE = {".doctrees/environment.pickle"}


def _files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], dict[str, bytes]]:
    root = tmp_path_factory.mktemp("reproducible")
    src = make_site(root, PAGES)
    found: dict[tuple[str, str], dict[str, bytes]] = {}
    for run, jobs in (("first", 1), ("second", 1), ("parallel", 2)):
        for builder in ("html", "dockerhub"):
            result = build(src, root / run / builder, builder=builder, jobs=jobs)
            assert result.status == 0
            assert len(result.warnings) == 1 and "unknown image 'nope'" in result.warnings[0]
            found[run, builder] = _files(result.outdir)
    return found


def _differences(a: dict[str, bytes], b: dict[str, bytes]) -> set[str]:
    return {name for name in a.keys() | b.keys() if a.get(name) != b.get(name)}


@pytest.mark.parametrize("builder", ["html", "dockerhub"])
@pytest.mark.parametrize("other", ["second", "parallel"])
def test_builds_are_byte_identical(
    outputs: dict[tuple[str, str], dict[str, bytes]], builder: str, other: str
) -> None:
    first, again = outputs["first", builder], outputs[other, builder]
    assert _differences(first, again) <= NOT_REPRODUCIBLE
    published = [name for name in first if not name.startswith(".doctrees/")]
    if builder == "html":
        for name in ("widget.html", "arm.html", "searchindex.js", "objects.inv", "genindex.html"):
            assert name in published
    else:
        assert {"widget.md", "winamd64/widget.md", "bad.md", "hub/widget.md"} <= set(published)
