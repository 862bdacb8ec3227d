"""The docs build the way Read the Docs builds them from ``.readthedocs.yaml``.

Read the Docs (config version 2) makes a fresh venv, ``pip install``s the
project with the extras the config names, and runs, from the checkout::

    python -m sphinx -T -W --keep-going -b html -d _build/doctrees -D language=en docs OUT

(``-W`` because of ``fail_on_warning``). The test does the same in a copy of
the checkout, with pip's cache (Read the Docs passes ``--no-cache-dir``; here
that would mean the network).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from test_install import fresh_venv, run

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / ".readthedocs.yaml"

# What Read the Docs' v2 schema accepts for the keys this config uses
# (https://docs.readthedocs.io/en/stable/config-file/v2.html).
BUILD_OS = {"ubuntu-20.04", "ubuntu-22.04", "ubuntu-24.04", "ubuntu-lts-latest"}
PYTHONS = {"3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "latest"}
TOP_KEYS = {"version", "build", "python", "sphinx", "formats", "submodules", "search", "conda"}


def config() -> dict[str, Any]:
    loaded = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_the_config_is_valid_for_read_the_docs_v2() -> None:
    conf = config()
    assert conf["version"] == 2
    assert set(conf) <= TOP_KEYS, set(conf) - TOP_KEYS
    assert set(conf["build"]) <= {"os", "tools", "jobs", "commands", "apt_packages"}
    assert conf["build"]["os"] in BUILD_OS
    assert str(conf["build"]["tools"]["python"]) in PYTHONS
    assert set(conf["python"]) == {"install"}
    extras_known = _extras()
    for step in conf["python"]["install"]:
        assert step["method"] == "pip"
        assert set(step) <= {"method", "path", "extra_requirements"}
        assert (REPO / step["path"] / "pyproject.toml").is_file()
        assert set(step.get("extra_requirements", [])) <= extras_known
    sphinx = conf["sphinx"]
    assert set(sphinx) <= {"configuration", "builder", "fail_on_warning"}
    assert (REPO / sphinx["configuration"]).is_file()
    assert sphinx.get("builder", "html") == "html"
    assert isinstance(sphinx["fail_on_warning"], bool)
    # the project's Python range includes the one Read the Docs is told to use
    python = str(conf["build"]["tools"]["python"])
    assert f"Programming Language :: Python :: {python}" in _pyproject()["project"]["classifiers"]


def _pyproject() -> dict[str, Any]:
    import tomllib

    with (REPO / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)


def _extras() -> set[str]:
    return set(_pyproject()["project"]["optional-dependencies"])


def _python(version: str) -> str:
    """The Python Read the Docs would use, when this machine has it."""
    found = shutil.which(f"python{version}")
    if found is not None:
        probe = subprocess.run([found, "-c", "pass"], capture_output=True, check=False)
        if probe.returncode == 0:
            return found
    return sys.executable


def _checkout_copy(dest: Path) -> Path:
    ignore = shutil.ignore_patterns(
        ".git", ".venv*", ".tox", "_build", "dist", "__pycache__", "*.egg-info", ".*_cache"
    )
    shutil.copytree(REPO, dest, ignore=ignore)
    return dest


@pytest.mark.install
def test_the_docs_build_as_read_the_docs_builds_them(tmp_path: Path) -> None:
    conf = config()
    checkout = _checkout_copy(tmp_path / "checkout")
    python = fresh_venv(tmp_path / "venv", _python(str(conf["build"]["tools"]["python"])))
    for step in conf["python"]["install"]:
        extras = ",".join(step.get("extra_requirements", []))
        target = f"{step['path']}[{extras}]" if extras else step["path"]
        pip = [python, "-m", "pip", "install", "-q", "--upgrade"]
        run([*pip, "--upgrade-strategy", "only-if-needed", target], cwd=checkout)
    docs = Path(conf["sphinx"]["configuration"]).parent
    out = tmp_path / "html"
    args: list[str | Path] = [python, "-m", "sphinx", "-T"]
    if conf["sphinx"]["fail_on_warning"]:
        args += ["-W", "--keep-going"]
    args += ["-b", "html", "-d", "_build/doctrees", "-D", "language=en", docs, out]
    run(args, cwd=checkout)
    assert (out / "index.html").is_file()
    assert (out / "quickstart.html").is_file()
