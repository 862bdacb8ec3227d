"""The package as users get it: built, installed from the wheel, used from elsewhere.

``python -m build`` makes the sdist and, from it, the wheel; the wheel goes
into a fresh venv (not editable), and a small site made from the sample
inputs in ``data/`` is built there with the html, latex and dockerhub
builders, from a folder outside the checkout, so only the installed copy can
be imported. A package file the wheel forgot (the search JavaScript, the
``py.typed`` marker) fails here instead of on a user's machine.

pip uses its cache and the configured index, nothing else.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.install

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "sphinxext" / "sphinx_official_images"


def clean_env() -> dict[str, str]:
    """The environment minus anything that would put the checkout on the path."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def run(args: Sequence[str | Path], cwd: Path) -> str:
    """Run a command; its output is shown when it fails."""
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=clean_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, f"{args} exited {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def fresh_venv(path: Path, python: str = sys.executable) -> Path:
    """A new venv at ``path``; returns its python."""
    run([python, "-m", "venv", path], cwd=path.parent)
    return path / "bin" / "python"


@dataclass(frozen=True)
class Dists:
    sdist: Path
    wheel: Path


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> Dists:
    out = tmp_path_factory.mktemp("dist")
    # the sdist first, then the wheel built from the unpacked sdist
    run([sys.executable, "-m", "build", "--outdir", out, REPO], cwd=out)
    (sdist,) = out.glob("*.tar.gz")
    (wheel,) = out.glob("*.whl")
    return Dists(sdist, wheel)


def package_files() -> list[str]:
    """The package's files that are not Python source, relative to ``sphinxext``."""
    return sorted(
        str(p.relative_to(PACKAGE.parent))
        for p in PACKAGE.rglob("*")
        if p.is_file() and p.suffix not in {".py", ".pyc"} and "__pycache__" not in p.parts
    )


def test_the_wheel_holds_the_package_data(dists: Dists) -> None:
    names = set(zipfile.ZipFile(dists.wheel).namelist())
    data = package_files()
    assert "sphinx_official_images/py.typed" in data
    assert "sphinx_official_images/sphinx_ext/static/official-images.css" in data
    assert "sphinx_official_images/sphinx_ext/static/official-images.js" in data
    assert "sphinx_official_images/data/problem-matcher.json" in data
    assert [name for name in data if name not in names] == []
    modules = sorted(str(p.relative_to(PACKAGE.parent)) for p in PACKAGE.rglob("*.py"))
    assert [name for name in modules if name not in names] == []


def test_the_sdist_holds_the_tests_and_the_docs(dists: Dists) -> None:
    with tarfile.open(dists.sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    listed = subprocess.run(
        ["git", "ls-files", "tests", "docs", "data"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    tracked = listed.stdout.split() if listed.returncode == 0 else []
    if not tracked:  # not a git checkout (an unpacked sdist): what is on disk
        tracked = [
            str(p.relative_to(REPO))
            for folder in ("tests", "docs", "data")
            for p in (REPO / folder).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and "_build" not in p.parts
        ]
    assert "tests/conftest.py" in tracked and "docs/conf.py" in tracked
    assert [name for name in tracked if name not in names] == []
    assert {"pyproject.toml", "README.md"} <= names


INDEX = """\
# Demo

```{image-tags} python
```

```{image-readme} debian
```
"""

CONF = """\
extensions = ["myst_parser", "sphinx_official_images"]
exclude_patterns = ["_build", "data"]
official_images_library = "data/library"
official_images_docs = "data/docs"
official_images_facts = "data/facts"
"""


@pytest.fixture(scope="module")
def installed(dists: Dists, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh venv with the wheel installed; yields its python."""
    root = tmp_path_factory.mktemp("wheel-venv")
    python = fresh_venv(root / "venv")
    run([python, "-m", "pip", "install", "-q", dists.wheel], cwd=root)
    yield python


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("site")
    shutil.copytree(REPO / "data", src / "data")
    (src / "conf.py").write_text(CONF, encoding="utf-8")
    (src / "index.md").write_text(INDEX, encoding="utf-8")
    return src


def test_the_installed_package_is_the_wheel(installed: Path, site: Path) -> None:
    where = run(
        [installed, "-c", "import sphinx_official_images as p; print(p.__file__)"], cwd=site
    ).strip()
    assert Path(where).is_relative_to(installed.parents[1]), where
    assert "site-packages" in Path(where).parts
    assert not Path(where).is_relative_to(REPO)
    typed = Path(where).parent / "py.typed"
    assert typed.is_file()


@pytest.mark.parametrize("builder", ["html", "latex", "dockerhub"])
def test_a_site_builds_with_the_installed_wheel(installed: Path, site: Path, builder: str) -> None:
    out = site / "_build" / builder
    run(
        [installed, "-m", "sphinx", "-W", "--keep-going", "-E", "-q", "-b", builder, ".", out],
        cwd=site,
    )
    if builder == "html":
        html = (out / "index.html").read_text(encoding="utf-8")
        assert "Dockerfile" in html and "debian" in html
        # the package's static files reach the site, and its pages use them
        for asset in ("official-images.css", "official-images.js"):
            assert (out / "_static" / asset).is_file()
            assert asset in html
    elif builder == "latex":
        (tex,) = out.glob("*.tex")
        assert "Dockerfile" in tex.read_text(encoding="utf-8")
    else:
        assert (out / "debian.md").read_text(encoding="utf-8").startswith("<!--")
        assert (out / "hub" / "debian.md").is_file()
