"""A build makes no network request and runs no program.

Socket connections and name lookups raise (and are recorded), and so does
starting a subprocess; then the project's own site (``docs/``, on ``data/``)
and a small catalogue of corpus images (default and per-architecture views;
HTML, Hub Markdown and LaTeX, which would download remote images) are built.
Both must succeed with nothing recorded.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from _sites import build
from conftest import CORPUS, CORPUS_ABSENT, corpus_conf

ROOT = Path(__file__).resolve().parents[2]

# A few corpus images: a logo (png/svg), compose.yaml, variants, shared tags,
# buildpack-deps facts, and a per-architecture view.
CORPUS_VIEWS = ["python", "postgres", "nginx", "alpine", "python windows-amd64"]


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Refuse (and record) every connection, name lookup and subprocess."""
    attempts: list[str] = []

    def refuse(what: str) -> Any:
        def refused(*args: object, **kwargs: object) -> Any:
            attempts.append(f"{what}{args[1:] if what.startswith('socket.') else args}")
            raise OSError(f"no network (or program) at build time: {what}")

        return refused

    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, refuse(f"socket.{name}"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(socket, "gethostbyname", refuse("gethostbyname"))
    monkeypatch.setattr(subprocess.Popen, "__init__", refuse("subprocess.Popen"))
    yield attempts
    assert attempts == []


def test_the_demo_site_builds_offline(offline: list[str], tmp_path: Path) -> None:
    src = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", src, ignore=shutil.ignore_patterns("_build"))
    shutil.copytree(ROOT / "data", tmp_path / "data")
    for builder in ("html", "dockerhub"):
        result = build(src, tmp_path / "out" / builder, builder=builder)
        assert (result.status, result.warnings) == (0, [])
    assert offline == []
    assert (tmp_path / "out" / "html" / "index.html").is_file()


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason=CORPUS_ABSENT)
def test_a_corpus_catalogue_builds_offline(offline: list[str], tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        corpus_conf(
            # the corpus's own prose: an nginx snippet with '...' in it
            "suppress_warnings = ['misc.highlighting_failure']\nhtml_theme = 'basic'\n"
        ),
        encoding="utf-8",
    )
    names = [view.replace(" ", "-") for view in CORPUS_VIEWS]
    (src / "index.rst").write_text(
        "Catalogue\n=========\n\n.. toctree::\n\n" + "".join(f"   {n}\n" for n in names),
        encoding="utf-8",
    )
    for name, view in zip(names, CORPUS_VIEWS, strict=True):
        (src / f"{name}.md").write_text(f"# {view}\n\n```{{image-readme}} {view}\n```\n")

    html = build(src, tmp_path / "out" / "html")
    assert (html.status, html.warnings) == (0, [])
    hub = build(src, tmp_path / "out" / "hub", builder="dockerhub")
    assert (hub.status, hub.warnings) == (0, [])
    # LaTeX cannot show remote images: Sphinx would download the logo, the
    # extension gives such builders a link to it instead
    latex = build(src, tmp_path / "out" / "latex", builder="latex")
    assert (latex.status, latex.warnings) == (0, [])
    assert offline == []
    tex = next((tmp_path / "out" / "latex").glob("*.tex")).read_text(encoding="utf-8")
    assert "/python/logo.png}{logo}" in tex

    # the pages carry what needs the network in the incumbent: the logo URL and tag links
    page = html.html("python")
    assert "raw.githubusercontent.com/docker-library/docs/" in page
    assert "github.com/docker-library/python/blob/" in page
    readmes = sorted(p.relative_to(hub.outdir).as_posix() for p in hub.outdir.rglob("*.md"))
    assert "python.md" in readmes and "winamd64/python.md" in readmes
